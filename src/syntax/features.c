/*
 * features.c - what the tagger knows about a word, computed the same way by
 * the runtime (src/syntax/tagger.c) and the training tool
 * (tools/train_tagger.c), so a model never sees at run time a feature it
 * was not trained with.
 *
 * Everything here depends on one token's folded form, kind and case flags,
 * plus two per-sentence facts (first word, title-case sentence): the
 * runtime computes a word's features once per word type and caches the
 * summed weights (tagger.c).  Features are 64-bit keys: a template id mixed
 * with the hash of the string it looks at.
 *
 * The lexicon lookup (tg_lex_bits) is a small morphological analyser in
 * WordNet's "morphy" style: strip a regular inflection, look the stem up.
 * It is hand-written because WordNet's own library is a GPL-incompatible
 * API over files we do not want to read at run time, and the rules are a
 * dozen lines; irregular forms come from WordNet's exception lists, which
 * the trainer folds into the lexicon itself.
 */
#include <stdlib.h>
#include <string.h>

#include "syntax/internal.h"

/* ---- lexicon -------------------------------------------------------------- */

uint64_t tg_form_hash(const char *s, size_t n)
{
    uint64_t h = sr_hash64(s, n, 0x5eed1e40u);
    return h ? h : 1;
}

const tg_lexent *tg_lex_find(const tg_lex *lx, uint64_t key)
{
    if (!lx->slot)
        return NULL;
    for (size_t i = key & lx->mask;; i = (i + 1) & lx->mask) {
        const tg_lexent *e = &lx->slot[i];
        if (e->key == key)
            return e;
        if (e->key == 0)
            return NULL;
    }
}

sr_err tg_lex_put(tg_lex *lx, uint64_t key, uint16_t bits, uint16_t wclass)
{
    if ((lx->n + 1) * 2 > lx->mask + 1 || !lx->slot) {
        size_t ncap = lx->slot ? (lx->mask + 1) * 2 : 1024;
        tg_lexent *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return SR_ENOMEM;
        for (size_t i = 0; lx->slot && i <= lx->mask; i++) {
            if (!lx->slot[i].key)
                continue;
            size_t j = lx->slot[i].key & (ncap - 1);
            while (ns[j].key)
                j = (j + 1) & (ncap - 1);
            ns[j] = lx->slot[i];
        }
        free(lx->slot);
        lx->slot = ns;
        lx->mask = ncap - 1;
    }
    size_t i = key & lx->mask;
    while (lx->slot[i].key && lx->slot[i].key != key)
        i = (i + 1) & lx->mask;
    if (!lx->slot[i].key) {
        lx->slot[i].key = key;
        lx->n++;
    }
    lx->slot[i].bits |= bits;
    if (wclass)
        lx->slot[i].wclass = wclass;
    return SR_OK;
}

void tg_lex_free(tg_lex *lx)
{
    free(lx->slot);
    lx->slot = NULL;
    lx->mask = lx->n = 0;
}

#define LEMMA_BITS (TG_LX_NN | TG_LX_VB | TG_LX_JJ | TG_LX_RB | TG_LX_NNP)
#define DOM_BITS   (TG_LX_DOMN | TG_LX_DOMV | TG_LX_DOMA)

/* Lemma classes of stem s[0..n) + tail (a few letters put back: "e", "y"). */
static uint16_t stem_bits(const tg_lex *lx, const char *s, size_t n, const char *tail)
{
    char buf[64];
    size_t tl = strlen(tail);
    if (n == 0 || n + tl > sizeof buf)
        return 0;
    memcpy(buf, s, n);
    memcpy(buf + n, tail, tl);
    const tg_lexent *e = tg_lex_find(lx, tg_form_hash(buf, n + tl));
    return e ? e->bits : 0;
}

static bool ends(const char *s, size_t n, const char *sfx)
{
    size_t k = strlen(sfx);
    return n > k && memcmp(s + n - k, sfx, k) == 0;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

uint16_t tg_lex_bits(const tg_lex *lx, const char *f, size_t n)
{
    const tg_lexent *own = tg_lex_find(lx, tg_form_hash(f, n));
    uint16_t bits = own ? own->bits : 0;
    if (n < 4 || n > 60)
        return bits;
    uint16_t b;
    /* -s / -es / -ies: plural noun, 3rd person verb */
    if (f[n - 1] == 's' && f[n - 2] != 's' && f[n - 2] != 'u' && f[n - 2] != '\'') {
        b = stem_bits(lx, f, n - 1, "");
        if (ends(f, n, "es")) {
            b |= stem_bits(lx, f, n - 2, "");
            if (ends(f, n, "ies"))
                b |= stem_bits(lx, f, n - 3, "y");
        }
        if (b & TG_LX_NN)
            bits |= TG_LX_NNS;
        if (b & TG_LX_VB)
            bits |= TG_LX_VBZ;
        if (!(bits & DOM_BITS))
            bits |= b & DOM_BITS;
    }
    /* -ed: past tense or participle */
    if (ends(f, n, "ed")) {
        b = stem_bits(lx, f, n - 2, "") | stem_bits(lx, f, n - 1, "");
        if (ends(f, n, "ied"))
            b |= stem_bits(lx, f, n - 3, "y");
        if (n >= 6 && f[n - 3] == f[n - 4] && !is_vowel(f[n - 3]))
            b |= stem_bits(lx, f, n - 3, "");
        if (b & TG_LX_VB)
            bits |= TG_LX_VPAST;
    }
    /* -ing */
    if (ends(f, n, "ing") && n >= 5) {
        b = stem_bits(lx, f, n - 3, "") | stem_bits(lx, f, n - 3, "e");
        if (ends(f, n, "ying"))
            b |= stem_bits(lx, f, n - 4, "ie");
        if (n >= 7 && f[n - 4] == f[n - 5] && !is_vowel(f[n - 4]))
            b |= stem_bits(lx, f, n - 4, "");
        if (b & TG_LX_VB)
            bits |= TG_LX_VBG;
    }
    /* -er / -est: comparative, superlative */
    for (int sup = 0; sup < 2; sup++) {
        const char *sfx = sup ? "est" : "er";
        size_t k = sup ? 3 : 2;
        if (!ends(f, n, sfx))
            continue;
        b = stem_bits(lx, f, n - k, "") | stem_bits(lx, f, n - k, "e");
        if (f[n - k - 1] == 'i')
            b |= stem_bits(lx, f, n - k - 1, "y");
        if (n >= k + 4 && f[n - k - 1] == f[n - k - 2] && !is_vowel(f[n - k - 1]))
            b |= stem_bits(lx, f, n - k - 1, "");
        if (b & TG_LX_JJ)
            bits |= sup ? TG_LX_JJS : TG_LX_JJR;
    }
    return bits;
}

/* ---- feature keys --------------------------------------------------------- */

/* Feature templates.  The numbers are part of the model file format: a
 * change of meaning needs a new TG_MODEL_VERSION. */
enum {
    F_BIAS = 1, F_WORD, F_WORD_CASE, F_SUF1, F_SUF2, F_SUF3, F_SUF4, F_PRE1, F_PRE2,
    F_SHAPE, F_SHAPE_CTX, F_LEX, F_LEX_CASE, F_CASE_CTX, F_HYPH_LAST, F_HYPH_LEX,
    F_P1_WORD = 32, F_P1_SUF3, F_P1_LEX, F_P1_SHAPE,
    F_N1_WORD = 40, F_N1_SUF3, F_N1_LEX, F_N1_SHAPE,
    F_P2_WORD = 48, F_P2_LEX,
    F_N2_WORD = 56, F_N2_LEX,
    F_T1 = 64, F_T2, F_TC,
};

static inline uint64_t fkey(uint64_t h, unsigned tmpl)
{
    uint64_t k = (h ^ ((uint64_t)tmpl * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
    k ^= k >> 32;
    return k ? k : 1;
}

uint64_t tg_key_t1(unsigned t1) { return fkey(t1, F_T1); }
uint64_t tg_key_t2(unsigned t2, unsigned t1) { return fkey(t2 * 64u + t1, F_T2); }
uint64_t tg_key_tc(unsigned t1, unsigned wclass) { return fkey((uint64_t)t1 << 20 | wclass, F_TC); }

/* Case of a token: 0 lower, 1 capitalized, 2 all capitals, 3 no letters. */
static unsigned case_class(uint8_t flags, uint8_t kind)
{
    if (flags & SR_TOKF_ALLCAPS)
        return 2;
    if (flags & SR_TOKF_CAP)
        return 1;
    return kind == SR_TOK_WORD ? 0 : 3;
}

/* Word shape: letters x (X when upper case), digits d, other bytes as they
 * are, runs collapsed: "Al-Sisi" Xx-Xx... as far as the flags tell case. */
static size_t shape_of(const char *f, size_t n, unsigned cc, char *out, size_t cap)
{
    size_t k = 0;
    bool first_letter = true;
    for (size_t i = 0; i < n && k < cap; i++) {
        unsigned char c = (unsigned char)f[i];
        char s;
        if ((c >= 'a' && c <= 'z') || c >= 0x80) {
            if (c >= 0x80 && c < 0xC0)
                continue;            /* UTF-8 continuation byte */
            s = (cc == 2 || (cc == 1 && first_letter)) ? 'X' : 'x';
            first_letter = false;
        } else if (c >= '0' && c <= '9') {
            s = 'd';
        } else {
            s = (char)c;
        }
        if (k > 0 && out[k - 1] == s)
            continue;
        out[k++] = s;
    }
    return k;
}

static void add(tg_wordkeys *w, int role, uint64_t key)
{
    if (w->n[role] < TG_MAX_KEYS)
        w->key[role][w->n[role]++] = key;
}

void tg_word_keys(const tg_lex *lx, const char *f, size_t n, uint8_t flags, uint8_t kind,
                  uint8_t ctx, tg_wordkeys *w)
{
    memset(w->n, 0, sizeof w->n);
    unsigned cc = case_class(flags, kind);
    bool title = ctx & TG_CTX_TITLE;
    /* in a headline every word is capitalized: case says nothing there */
    unsigned scc = title && cc != 3 ? 0 : cc;
    unsigned cx = cc * 4 + (ctx & 3);
    uint64_t hw = sr_hash64(f, n, 0x0f0e);
    uint16_t lb = tg_lex_bits(lx, f, n);
    const tg_lexent *own = tg_lex_find(lx, tg_form_hash(f, n));
    w->lexbits = lb;
    w->wclass = own && own->wclass ? own->wclass : lx->lexclass[lb & ((1u << TG_LX_BITS) - 1)];
    char shp[16];
    size_t sn = shape_of(f, n, scc, shp, sizeof shp);
    uint64_t hs = sr_hash64(shp, sn, 0x5a);
    uint64_t hsuf3 = n > 3 ? sr_hash64(f + n - 3, 3, 3) : hw;

    add(w, TG_SELF, fkey(0, F_BIAS));
    add(w, TG_SELF, fkey(hw, F_WORD));
    if (cc == 1 || cc == 2)
        add(w, TG_SELF, fkey(hw ^ cx, F_WORD_CASE));
    for (size_t k = 1; k <= 4; k++)
        if (n > k)
            add(w, TG_SELF, fkey(k == 3 ? hsuf3 : sr_hash64(f + n - k, k, k), F_SUF1 + (unsigned)k - 1));
    add(w, TG_SELF, fkey((unsigned char)f[0], F_PRE1));
    if (n > 2)
        add(w, TG_SELF, fkey(sr_hash64(f, 2, 2), F_PRE2));
    add(w, TG_SELF, fkey(hs, F_SHAPE));
    add(w, TG_SELF, fkey(hs ^ ((uint64_t)(ctx & 3) << 40), F_SHAPE_CTX));
    add(w, TG_SELF, fkey(lb, F_LEX));
    add(w, TG_SELF, fkey((uint64_t)lb << 8 | cx, F_LEX_CASE));
    add(w, TG_SELF, fkey(cx | (uint64_t)kind << 8, F_CASE_CTX));
    if (flags & SR_TOKF_HYPHEN) {
        size_t k = n;
        while (k > 0 && f[k - 1] != '-')
            k--;
        if (k > 0 && k < n) {
            add(w, TG_SELF, fkey(sr_hash64(f + k, n - k, 0x0f0e), F_HYPH_LAST));
            add(w, TG_SELF, fkey(tg_lex_bits(lx, f + k, n - k), F_HYPH_LEX));
        }
    }
    add(w, TG_P1, fkey(hw, F_P1_WORD));
    add(w, TG_P1, fkey(hsuf3, F_P1_SUF3));
    add(w, TG_P1, fkey(lb, F_P1_LEX));
    add(w, TG_P1, fkey(hs, F_P1_SHAPE));
    add(w, TG_N1, fkey(hw, F_N1_WORD));
    add(w, TG_N1, fkey(hsuf3, F_N1_SUF3));
    add(w, TG_N1, fkey(lb, F_N1_LEX));
    add(w, TG_N1, fkey(hs, F_N1_SHAPE));
    add(w, TG_P2, fkey(hw, F_P2_WORD));
    add(w, TG_P2, fkey(lb, F_P2_LEX));
    add(w, TG_N2, fkey(hw, F_N2_WORD));
    add(w, TG_N2, fkey(lb, F_N2_LEX));
}

void tg_edge_keys(bool end, tg_wordkeys *w)
{
    memset(w->n, 0, sizeof w->n);
    uint64_t h = end ? 0xE0DE0DE0ull : 0x57A27ull;
    w->lexbits = 0;
    w->wclass = 0;
    add(w, TG_P1, fkey(h, F_P1_WORD));
    add(w, TG_N1, fkey(h, F_N1_WORD));
    add(w, TG_P2, fkey(h, F_P2_WORD));
    add(w, TG_N2, fkey(h, F_N2_WORD));
}

/* Short function words a headline leaves in lower case. */
static bool title_function_word(const char *f, size_t n)
{
    static const char *const fw[] = {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but",
        "by", "as", "with", "from", "into", "nor", "up", "per", "via", "vs", "vs.",
        "over", "off", "out", "amid", "after", "than", "'s", "n't",
    };
    for (size_t i = 0; i < sizeof fw / sizeof fw[0]; i++)
        if (strlen(fw[i]) == n && memcmp(fw[i], f, n) == 0)
            return true;
    return false;
}

bool tg_sentence_is_title(const sr_token *toks, size_t n, const char *fold)
{
    size_t words = 0, caps = 0, allcaps = 0;
    for (size_t i = 0; i < n; i++) {
        const sr_token *t = &toks[i];
        if (t->kind != SR_TOK_WORD)
            continue;
        words++;
        if (t->flags & SR_TOKF_ALLCAPS)
            allcaps++;
        if (t->flags & (SR_TOKF_CAP | SR_TOKF_ALLCAPS)) {
            caps++;
            continue;
        }
        if (!title_function_word(fold + t->fold, t->fold_len))
            return false;    /* a lower-case content word: running text */
    }
    return words >= 3 && (caps >= 3 || allcaps * 5 >= words * 4);
}

size_t tg_first_word(const sr_token *toks, size_t n)
{
    size_t k = 0;
    while (k < n && (toks[k].kind == SR_TOK_PUNCT || toks[k].kind == SR_TOK_SYMBOL))
        k++;
    return k;
}
