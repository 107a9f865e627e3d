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

sr_err tg_lex_init(tg_lex *lx, size_t n, bool keep_full)
{
    memset(lx, 0, sizeof *lx);
    size_t cap = 1024;
    while (cap < n * 2)
        cap *= 2;
    lx->slot = calloc(cap, sizeof *lx->slot);
    lx->full = keep_full ? calloc(cap, sizeof *lx->full) : NULL;
    if (!lx->slot || (keep_full && !lx->full)) {
        tg_lex_free(lx);
        return SR_ENOMEM;
    }
    lx->mask = cap - 1;
    return SR_OK;
}

static void lex_place(tg_lexent *slot, uint64_t *full, size_t mask, uint64_t key, tg_lexent e)
{
    size_t j = key & mask;
    while (slot[j].fp)
        j = (j + 1) & mask;
    slot[j] = e;
    if (full)
        full[j] = key;
}

sr_err tg_lex_put(tg_lex *lx, uint64_t key, uint16_t bits, uint16_t closed)
{
    if (!lx->slot)
        return SR_EINVAL;
    uint32_t fp = tg_fp(key);
    size_t i = key & lx->mask;
    while (lx->slot[i].fp && lx->slot[i].fp != fp)
        i = (i + 1) & lx->mask;
    if (lx->slot[i].fp) {
        lx->slot[i].bits |= bits;
        lx->slot[i].closed |= closed;
        return SR_OK;
    }
    if ((lx->n + 1) * 2 > lx->mask + 1) {
        if (!lx->full)
            return SR_ETOOBIG;
        size_t ncap = (lx->mask + 1) * 2;
        tg_lexent *ns = calloc(ncap, sizeof *ns);
        uint64_t *nf = calloc(ncap, sizeof *nf);
        if (!ns || !nf) {
            free(ns);
            free(nf);
            return SR_ENOMEM;
        }
        for (size_t k = 0; k <= lx->mask; k++)
            if (lx->slot[k].fp)
                lex_place(ns, nf, ncap - 1, lx->full[k], lx->slot[k]);
        free(lx->slot);
        free(lx->full);
        lx->slot = ns;
        lx->full = nf;
        lx->mask = ncap - 1;
    }
    lex_place(lx->slot, lx->full, lx->mask, key, (tg_lexent){ fp, bits, closed });
    lx->n++;
    return SR_OK;
}

void tg_lex_free(tg_lex *lx)
{
    free(lx->slot);
    free(lx->full);
    lx->slot = NULL;
    lx->full = NULL;
    lx->mask = lx->n = 0;
}


/* A stem to look up, and what the form is if the stem is a noun, verb or
 * adjective lemma. */
typedef struct stem {
    uint64_t key;
    uint16_t if_nn, if_vb, if_jj;
    bool dom;                 /* the form inherits the stem's DOM_* bits */
} stem;

static void add_stem(stem *st, size_t *ns, const char *s, size_t n, const char *tail,
                     uint16_t if_nn, uint16_t if_vb, uint16_t if_jj, bool dom)
{
    char buf[64];
    size_t tl = strlen(tail);
    if (n == 0 || n + tl > sizeof buf)
        return;
    memcpy(buf, s, n);
    memcpy(buf + n, tail, tl);
    st[(*ns)++] = (stem){ tg_form_hash(buf, n + tl), if_nn, if_vb, if_jj, dom };
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

/* The stems of f to look up, by the regular inflection rules. */
static size_t stems_of(const char *f, size_t n, stem *st)
{
    size_t ns = 0;
    if (n >= 4 && n <= 60) {
        /* -s / -es / -ies: plural noun, 3rd person verb */
        if (f[n - 1] == 's' && f[n - 2] != 's' && f[n - 2] != 'u' && f[n - 2] != '\'') {
            add_stem(st, &ns, f, n - 1, "", TG_LX_NNS, TG_LX_VBZ, 0, true);
            if (ends(f, n, "es"))
                add_stem(st, &ns, f, n - 2, "", TG_LX_NNS, TG_LX_VBZ, 0, true);
            if (ends(f, n, "ies"))
                add_stem(st, &ns, f, n - 3, "y", TG_LX_NNS, TG_LX_VBZ, 0, true);
        }
        /* -ed: past tense or participle */
        if (ends(f, n, "ed")) {
            add_stem(st, &ns, f, n - 2, "", 0, TG_LX_VPAST, 0, false);
            add_stem(st, &ns, f, n - 1, "", 0, TG_LX_VPAST, 0, false);
            if (ends(f, n, "ied"))
                add_stem(st, &ns, f, n - 3, "y", 0, TG_LX_VPAST, 0, false);
            if (n >= 6 && f[n - 3] == f[n - 4] && !is_vowel(f[n - 3]))
                add_stem(st, &ns, f, n - 3, "", 0, TG_LX_VPAST, 0, false);
        }
        /* -ing */
        if (ends(f, n, "ing") && n >= 5) {
            add_stem(st, &ns, f, n - 3, "", 0, TG_LX_VBG, 0, false);
            add_stem(st, &ns, f, n - 3, "e", 0, TG_LX_VBG, 0, false);
            if (ends(f, n, "ying"))
                add_stem(st, &ns, f, n - 4, "ie", 0, TG_LX_VBG, 0, false);
            if (n >= 7 && f[n - 4] == f[n - 5] && !is_vowel(f[n - 4]))
                add_stem(st, &ns, f, n - 4, "", 0, TG_LX_VBG, 0, false);
        }
        /* -er / -est: comparative, superlative */
        for (int sup = 0; sup < 2; sup++) {
            const char *sfx = sup ? "est" : "er";
            size_t k = sup ? 3 : 2;
            uint16_t give = sup ? TG_LX_JJS : TG_LX_JJR;
            if (!ends(f, n, sfx))
                continue;
            add_stem(st, &ns, f, n - k, "", 0, 0, give, false);
            add_stem(st, &ns, f, n - k, "e", 0, 0, give, false);
            if (f[n - k - 1] == 'i')
                add_stem(st, &ns, f, n - k - 1, "y", 0, 0, give, false);
            if (n >= k + 4 && f[n - k - 1] == f[n - k - 2] && !is_vowel(f[n - k - 1]))
                add_stem(st, &ns, f, n - k - 1, "", 0, 0, give, false);
        }
    }
    return ns;
}

void tg_lex_prefetch(const tg_lex *lx, const char *f, size_t n)
{
    stem st[16];
    if (!lx->slot)
        return;
    __builtin_prefetch(&lx->slot[tg_form_hash(f, n) & lx->mask]);
    size_t ns = stems_of(f, n, st);
    for (size_t i = 0; i < ns; i++)
        __builtin_prefetch(&lx->slot[st[i].key & lx->mask]);
}

uint16_t tg_lex_bits(const tg_lex *lx, const char *f, size_t n)
{
    stem st[16];
    uint64_t own_key = tg_form_hash(f, n);
    if (lx->slot)
        __builtin_prefetch(&lx->slot[own_key & lx->mask]);
    size_t ns = stems_of(f, n, st);
    /* every slot is asked for before any is read, so the reads overlap */
    for (size_t i = 0; i < ns && lx->slot; i++)
        __builtin_prefetch(&lx->slot[st[i].key & lx->mask]);
    const tg_lexent *own = tg_lex_find(lx, own_key);
    uint16_t bits = own ? own->bits & TG_LX_MASK : 0, dom = 0;
    for (size_t i = 0; i < ns; i++) {
        const tg_lexent *e = tg_lex_find(lx, st[i].key);
        if (!e)
            continue;
        uint16_t b = e->bits;
        uint16_t give = (uint16_t)((b & TG_LX_NN ? st[i].if_nn : 0) | (b & TG_LX_VB ? st[i].if_vb : 0) |
                                   (b & TG_LX_JJ ? st[i].if_jj : 0));
        bits |= give;
        if (give && st[i].dom)
            dom |= b & (TG_LX_DOMN | TG_LX_DOMV | TG_LX_DOMA);
    }
    if (!(bits & (TG_LX_DOMN | TG_LX_DOMV | TG_LX_DOMA)))
        bits |= dom;
    return bits;
}

/* ---- feature keys --------------------------------------------------------- */

/* Feature templates.  The numbers are part of the model file format: a
 * change of meaning needs a new TG_MODEL_VERSION. */
enum {
    /* F_SUF4, F_P1_SUF3, F_P1_LEX, F_P2_LEX and F_N2_LEX are no longer used */
    F_BIAS = 1, F_WORD, F_WORD_CASE, F_SUF1, F_SUF2, F_SUF3, F_SUF4, F_PRE1, F_PRE2,
    F_SHAPE, F_SHAPE_CTX, F_LEX, F_LEX_CASE, F_CASE_CTX, F_HYPH_LAST, F_HYPH_LEX,
    F_P1_WORD = 32, F_P1_SUF3, F_P1_LEX, F_P1_SHAPE,
    F_N1_WORD = 40, F_N1_SUF3, F_N1_LEX, F_N1_SHAPE,
    F_P2_WORD = 48, F_P2_LEX,
    F_N2_WORD = 56, F_N2_LEX,
    F_T1 = 64, F_T2, F_TC_UNUSED, F_HIST,
};

static inline uint64_t fkey(uint64_t h, unsigned tmpl)
{
    uint64_t k = (h ^ ((uint64_t)tmpl * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
    k ^= k >> 32;
    return k ? k : 1;
}

uint64_t tg_key_t1(unsigned t1) { return fkey(t1, F_T1); }
uint64_t tg_key_t2(unsigned t2, unsigned t1) { return fkey(t2 * 64u + t1, F_T2); }
uint64_t tg_key_hist(unsigned state) { return fkey(state, F_HIST); }

/* Forms of be, have and get, listed by hand: a closed class. */
static uint8_t aux_class(const char *f, size_t n)
{
    static const struct { const char *w; uint8_t c; } aux[] = {
        { "be", TG_AUX_BE }, { "is", TG_AUX_BE }, { "are", TG_AUX_BE }, { "was", TG_AUX_BE },
        { "were", TG_AUX_BE }, { "been", TG_AUX_BE }, { "being", TG_AUX_BE }, { "am", TG_AUX_BE },
        { "'s", TG_AUX_BE }, { "'re", TG_AUX_BE }, { "'m", TG_AUX_BE },
        { "have", TG_AUX_HAVE }, { "has", TG_AUX_HAVE }, { "had", TG_AUX_HAVE },
        { "having", TG_AUX_HAVE }, { "'ve", TG_AUX_HAVE },
        { "get", TG_AUX_GET }, { "gets", TG_AUX_GET }, { "got", TG_AUX_GET },
        { "gotten", TG_AUX_GET }, { "getting", TG_AUX_GET },
    };
    if (n < 2 || n > 6)
        return TG_AUX_NONE;
    for (size_t i = 0; i < sizeof aux / sizeof aux[0]; i++)
        if (strlen(aux[i].w) == n && memcmp(aux[i].w, f, n) == 0)
            return aux[i].c;
    return TG_AUX_NONE;
}

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

/* Up to 4 bytes of s as one number (a suffix or prefix key, no hashing). */
static inline uint64_t pack(const char *s, size_t k)
{
    uint64_t v = k;
    for (size_t i = 0; i < k; i++)
        v = v << 8 | (unsigned char)s[i];
    return v;
}

/* The templates here were chosen by leave-one-out runs of the training
 * tool's cross-validation: each one left costs accuracy when removed, and
 * suffix-4, the words' lexicon classes two away and the previous word's
 * suffix and class, which did not, were dropped (each is a look-up on every
 * new word type).  Word-identity templates are looked up only for forms the
 * treebank has (TG_LX_SEEN): no other form has weights for them. */
void tg_word_keys(const tg_lex *lx, const char *f, size_t n, uint8_t flags, uint8_t kind,
                  uint8_t ctx, tg_wordkeys *w)
{
    memset(w->n, 0, sizeof w->n);
    unsigned cc = case_class(flags, kind);
    bool title = ctx & TG_CTX_TITLE;
    /* in a headline every word is capitalized: case says nothing there */
    unsigned scc = title && cc != 3 ? 0 : cc;
    unsigned cx = cc * 4 + (ctx & 3);
    uint64_t hw = tg_form_hash(f, n);
    const tg_lexent *own = tg_lex_find(lx, hw);
    uint16_t lb = tg_lex_bits(lx, f, n);
    bool seen = own && (own->bits & TG_LX_SEEN);
    w->lexbits = lb;
    w->closed = own ? own->closed : 0;
    w->aux = aux_class(f, n);
    w->pastish = (lb & TG_LX_VPAST) || (n > 3 && f[n - 1] == 'd' && f[n - 2] == 'e') ||
                 (n > 3 && f[n - 1] == 'n' && f[n - 2] == 'e');
    char shp[16];
    size_t sn = shape_of(f, n, scc, shp, sizeof shp);
    uint64_t hs = sr_hash64(shp, sn, 0x5a);
    uint64_t suf3 = pack(f + (n > 3 ? n - 3 : 0), n > 3 ? 3 : n);

    add(w, TG_SELF, fkey(0, F_BIAS));
    if (seen) {
        add(w, TG_SELF, fkey(hw, F_WORD));
        if (cc == 1 || cc == 2)
            add(w, TG_SELF, fkey(hw ^ cx, F_WORD_CASE));
        add(w, TG_P1, fkey(hw, F_P1_WORD));
        add(w, TG_N1, fkey(hw, F_N1_WORD));
        add(w, TG_P2, fkey(hw, F_P2_WORD));
        add(w, TG_N2, fkey(hw, F_N2_WORD));
    }
    if (n > 1)
        add(w, TG_SELF, fkey(pack(f + n - 1, 1), F_SUF1));
    if (n > 2)
        add(w, TG_SELF, fkey(pack(f + n - 2, 2), F_SUF2));
    if (n > 3)
        add(w, TG_SELF, fkey(suf3, F_SUF3));
    add(w, TG_SELF, fkey((unsigned char)f[0], F_PRE1));
    if (n > 2)
        add(w, TG_SELF, fkey(pack(f, 2), F_PRE2));
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
            add(w, TG_SELF, fkey(tg_form_hash(f + k, n - k), F_HYPH_LAST));
            add(w, TG_SELF, fkey(tg_lex_bits(lx, f + k, n - k), F_HYPH_LEX));
        }
    }
    add(w, TG_P1, fkey(hs, F_P1_SHAPE));
    add(w, TG_N1, fkey(suf3, F_N1_SUF3));
    add(w, TG_N1, fkey(lb, F_N1_LEX));
    add(w, TG_N1, fkey(hs, F_N1_SHAPE));
}

void tg_edge_keys(bool end, tg_wordkeys *w)
{
    memset(w->n, 0, sizeof w->n);
    uint64_t h = end ? 0xE0DE0DE0ull : 0x57A27ull;
    w->lexbits = 0;
    w->closed = 0;
    w->aux = 0;
    w->pastish = 0;
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
