/*
 * tokens.c - stage 5: tokens with spans, folded forms and lexicon ids, and
 * the matching form (sr_text_fold) they share with the dictionaries.
 *
 * Tokenization follows the Penn Treebank conventions the TABARI/PETRARCH
 * dictionaries were written against, where they matter for coding:
 *   - the possessive is its own token: Pakistan 's, countries ' ;
 *   - negation and other clitics split: did n't, they 're, I 'm;
 *   - hyphenated compounds stay whole (military-to-military), and a compound
 *     broken at a hard wrap ("counter-\nterrorism") is joined in the folded
 *     form; a word broken mid-way ("govern-\nment") loses the hyphen;
 *   - dotted acronyms keep their periods (U.S., a.m.), and a known
 *     abbreviation keeps its period unless it ends the sentence (Gen.);
 *   - numbers keep their inner separators (1,000  3.5  5:30), ordinals are
 *     one token (5th).
 * The folded form is the matching form: curly quotes, primes and dashes
 * made ASCII, then ICU NFKC with case folding (so "Ｐａｋｉｓｔａｎ" and
 * "PAKISTAN" meet "pakistan").  ASCII tokens, nearly all of them, take a
 * lower-casing fast path and never reach ICU.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "text/internal.h"

/* Suffixes that show a hard-wrap hyphen split one word ("govern-ment"). */
static bool wrap_suffix(const char *s, size_t n)
{
    static const char *const sfx[] = {
        "ment", "ments", "tion", "tions", "sion", "sions", "ing", "ings", "ed",
        "ly", "ity", "ities", "ance", "ances", "ence", "ences", "ness", "al",
        "er", "ers", "ous", "ive", "ives", "ies", "ism", "ist", "ists", "ate",
        "ated", "ates", "able", "ible", "ary", "ory", "ure", "ures", "ic",
        "ics", "ial", "ally", "ship", "ture", "ble", "cy", "ty",
    };
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++)
        if (strlen(sfx[i]) == n && memcmp(sfx[i], s, n) == 0)
            return true;
    return false;
}

/* If w[i] is a hyphen that ends a hard-wrapped line (white space holding a
 * '\v' and then a lower-case letter follow), return where the word goes on,
 * else 0. */
static uint32_t wrap_continues(const char *w, uint32_t i, uint32_t e)
{
    if (w[i] != '-')
        return 0;
    uint32_t k = i + 1;
    bool wrap = false;
    while (k < e && (w[k] == ' ' || w[k] == '\v')) {
        wrap |= w[k] == '\v';
        k++;
    }
    if (!wrap || k >= e || !(w[k] >= 'a' && w[k] <= 'z'))
        return 0;
    return k;
}

static sr_err fold_icu(tx_work *wk, const char *s, size_t n, sr_buf *out)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err))
        return SR_ENOMEM;
    int32_t n16 = 0;
    if (n > (size_t)INT32_MAX / 4)
        return SR_ETOOBIG;
    if (sr_grow((void **)&wk->u16, &wk->u16cap, n + 1, sizeof *wk->u16) != SR_OK)
        return SR_ENOMEM;
    u_strFromUTF8WithSub(wk->u16, (int32_t)wk->u16cap, &n16, s, (int32_t)n, 0xFFFD, NULL, &err);
    if (U_FAILURE(err))
        return SR_EPARSE;
    /* NFKC can expand (a ligature, a fraction); grow and retry once */
    size_t need = (size_t)n16 * 3 + 16;
    for (int tries = 0; tries < 2; tries++) {
        if (sr_grow((void **)&wk->u16b, &wk->u16bcap, need, sizeof *wk->u16b) != SR_OK)
            return SR_ENOMEM;
        err = U_ZERO_ERROR;
        int32_t m = unorm2_normalize(nfkc, wk->u16, n16, wk->u16b, (int32_t)wk->u16bcap, &err);
        if (err == U_BUFFER_OVERFLOW_ERROR) {
            need = (size_t)m + 1;
            continue;
        }
        if (U_FAILURE(err))
            return SR_EPARSE;
        /* back to UTF-8: at most 3 bytes per UTF-16 unit */
        size_t room = (size_t)m * 3 + 1;
        if (out->len + room + 1 > out->cap &&
            sr_grow((void **)&out->p, &out->cap, out->len + room + 1, 1) != SR_OK)
            return SR_ENOMEM;
        if (out->max && out->len + room > out->max)
            return SR_ETOOBIG;
        int32_t n8 = 0;
        err = U_ZERO_ERROR;
        u_strToUTF8WithSub(out->p + out->len, (int32_t)room, &n8, wk->u16b, m, 0xFFFD, NULL, &err);
        if (U_FAILURE(err))
            return SR_EPARSE;
        out->len += (size_t)n8;
        out->p[out->len] = '\0';
        return SR_OK;
    }
    return SR_ENOMEM;
}

/* Canonicalize quotes, dashes and hard-wrap breaks in s[0..n) onto out,
 * folding ASCII on the way; tell whether anything non-ASCII is left. */
static sr_err canon(const char *s, size_t n, sr_buf *out, bool *non_ascii)
{
    *non_ascii = false;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            if (b == '\v' || b == '\n') {
                i++;
                continue;
            }
            if (b == '-') {
                uint32_t k = wrap_continues(s, (uint32_t)i, (uint32_t)n);
                if (k) {
                    size_t m = 0;
                    while (k + m < n && s[k + m] >= 'a' && s[k + m] <= 'z')
                        m++;
                    bool keep = !wrap_suffix(s + k, m);
                    if (keep && sr_buf_putc(out, '-') != SR_OK)
                        return SR_ETOOBIG;
                    i = k;
                    continue;
                }
            }
            char c = (char)((b >= 'A' && b <= 'Z') ? b + 32 : b);
            if (sr_buf_putc(out, c) != SR_OK)
                return SR_ETOOBIG;
            i++;
            continue;
        }
        int l;
        int32_t c = tx_utf8_at(s, n, i, &l);
        const char *rep = NULL;
        if (tx_is_apostrophe(c) || c == 0x2018 || c == 0x201A || c == 0x2032 || c == 0x2039 || c == 0x203A)
            rep = "'";
        else if (c == 0x201C || c == 0x201D || c == 0x201E || c == 0x2033 || c == 0x00AB || c == 0x00BB)
            rep = "\"";
        else if (tx_is_dash(c))
            rep = "-";
        else if (c == 0x2026)
            rep = "...";
        if (rep) {
            if (sr_buf_puts(out, rep) != SR_OK)
                return SR_ETOOBIG;
        } else {
            if (sr_buf_append(out, s + i, (size_t)l) != SR_OK)
                return SR_ETOOBIG;
            *non_ascii = true;
        }
        i += (size_t)l;
    }
    return SR_OK;
}

sr_err tx_fold_token(tx_work *wk, const char *s, size_t n, sr_buf *out)
{
    /* the common case: plain ASCII with no wrapped line in it */
    size_t k = 0;
    while (k < n && (unsigned char)s[k] < 0x80 && s[k] != '\v' && s[k] != '\n' && s[k] != '-')
        k++;
    if (k == n) {
        if ((out->max && out->len + n > out->max) ||
            (out->len + n + 1 > out->cap &&
             sr_grow((void **)&out->p, &out->cap, out->len + n + 1, 1) != SR_OK))
            return SR_ETOOBIG;
        char *d = out->p + out->len;
        for (size_t q = 0; q < n; q++) {
            char c = s[q];
            d[q] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
        out->len += n;
        out->p[out->len] = '\0';
        return SR_OK;
    }
    size_t mark = out->len;
    bool non_ascii;
    sr_err e = canon(s, n, out, &non_ascii);
    if (e != SR_OK || !non_ascii)
        return e;
    /* ICU for the rest: fold what canon wrote, in place of it */
    sr_buf tmp = SR_BUF_INIT(n * 4 + 64);
    e = sr_buf_append(&tmp, out->p + mark, out->len - mark);
    if (e == SR_OK) {
        out->len = mark;
        e = fold_icu(wk, tmp.p, tmp.len, out);
    }
    sr_buf_free(&tmp);
    return e;
}

sr_err sr_text_fold(const char *s, size_t n, sr_buf *out)
{
    tx_work wk;
    memset(&wk, 0, sizeof wk);
    sr_err e = tx_fold_token(&wk, s, n, out);
    free(wk.u16);
    free(wk.u16b);
    return e;
}

/* ---- the tokenizer -------------------------------------------------------- */

typedef struct tokr {
    tx_work *wk;
    sr_textdoc *d;
    sr_lexicon *lex;
    bool intern;
} tokr;

/* The ids of recent token forms.  Looking a token up in the lexicon is a
 * cache miss or two in a table of ~50k forms (it was the text pipeline's
 * costliest step in ingest); news text is Zipfian, so a small direct-mapped
 * table of forms seen lately, small enough to stay in the core's cache,
 * answers most tokens, including the "not in the lexicon" answers.  Used
 * only with a frozen lexicon, whose ids never change; forms longer than
 * IDC_LEN bytes always go to the lexicon. */
#define IDC_BITS 12
#define IDC_LEN  11
typedef struct idc_entry {
    uint8_t len;            /* 0: empty */
    char s[IDC_LEN];        /* the form, zero-padded */
    uint32_t id;            /* its lexicon id, 0 when not in the lexicon */
} idc_entry;
typedef struct tx_idcache {
    idc_entry e[1u << IDC_BITS];   /* 64 KiB */
} tx_idcache;

static uint32_t lookup_id(tx_work *wk, sr_lexicon *lex, const char *s, uint32_t n)
{
    if (n == 0 || n > IDC_LEN)
        return sr_lexicon_find(lex, s, n);
    if (!wk->idc || wk->idc_stamp != sr_lexicon_stamp(lex)) {
        if (!wk->idc && !(wk->idc = malloc(sizeof *wk->idc)))
            return sr_lexicon_find(lex, s, n);
        memset(wk->idc, 0, sizeof *wk->idc);   /* len 0: empty */
        wk->idc_stamp = sr_lexicon_stamp(lex);
    }
    char key[IDC_LEN] = {0};
    memcpy(key, s, n);
    uint64_t a, b = 0;
    memcpy(&a, key, 8);
    memcpy(&b, key + 8, IDC_LEN - 8);
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ull) ^ n) * 0xC2B2AE3D27D4EB4Full;
    size_t slot = (size_t)(h >> (64 - IDC_BITS));
    idc_entry *e = &wk->idc->e[slot];
    if (e->len == n && memcmp(e->s, key, IDC_LEN) == 0)
        return e->id;
    uint32_t id = sr_lexicon_find(lex, s, n);
    e->len = (uint8_t)n;
    memcpy(e->s, key, IDC_LEN);
    e->id = id;
    return id;
}

static bool is_ws(char c) { return c == ' ' || c == '\v' || c == '\n' || c == '\t'; }

static bool letter_at(const char *w, uint32_t e, uint32_t i)
{
    int l;
    return i < e && tx_is_letter(tx_utf8_at(w, e, i, &l));
}

/* Clitic after an apostrophe at i (whose length is al): its length in
 * letters, or 0.  's 're 've 'll 'd 'm */
static uint32_t clitic(const char *w, uint32_t e, uint32_t i, int al)
{
    uint32_t k = i + (uint32_t)al;
    static const char *const cl[] = { "s", "re", "ve", "ll", "d", "m" };
    for (size_t j = 0; j < sizeof cl / sizeof cl[0]; j++) {
        size_t m = strlen(cl[j]);
        if (k + m > e)
            continue;
        bool eq = true;
        for (size_t q = 0; q < m && eq; q++)
            eq = (w[k + q] | 0x20) == cl[j][q];
        if (eq && !letter_at(w, e, k + (uint32_t)m))
            return (uint32_t)m;
    }
    return 0;
}

/* "n't" at i: n, apostrophe, t, then no letter */
static int negation_at(const char *w, uint32_t e, uint32_t i)
{
    if (i + 2 >= e || (w[i] | 0x20) != 'n')
        return 0;
    int l;
    int32_t c = tx_utf8_at(w, e, i + 1, &l);
    if (!tx_is_apostrophe(c) || i + 1 + (uint32_t)l >= e || (w[i + 1 + l] | 0x20) != 't' ||
        letter_at(w, e, i + 2 + (uint32_t)l))
        return 0;
    return 2 + l;
}

static bool dotted_acronym(const char *s, size_t n)
{
    /* letters in segments of one or two, at least one inner period: U.S */
    bool dot = false;
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (seg == 0)
                return false;
            dot = true;
            seg = 0;
        } else if (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') && ++seg <= 2) {
            continue;
        } else {
            return false;
        }
    }
    return dot && seg > 0;
}

/* Scan a word or number starting at i; returns its end and sets flags. */
static uint32_t scan_word(const char *w, uint32_t e, uint32_t i, bool number, uint8_t *flags)
{
    uint32_t j = i;
    while (j < e) {
        unsigned char b = (unsigned char)w[j];
        if (b < 0x80 && ((b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z'))) {
            if ((b | 0x20) == 'n' && j > i && negation_at(w, e, j))
                return j;               /* did|n't */
            j++;
            continue;
        }
        int l;
        int32_t c = tx_utf8_at(w, e, j, &l);
        if (tx_is_letter(c) || tx_is_digit(c) || tx_is_mark(c)) {
            j += (uint32_t)l;
            continue;
        }
        if (j == i)
            break;
        int pl;   /* the previous character's length: l stays this one's */
        int32_t prev = tx_utf8_before(w, j, &pl);
        int nl;
        int32_t nx = j + 1 < e ? tx_utf8_at(w, e, j + 1, &nl) : 0;
        if (c == '.' || c == ',' || c == ':') {
            if (number && tx_is_digit(prev) && tx_is_digit(nx) && c != ':') {
                j++;
                continue;
            }
            if (c == ':' && number && tx_is_digit(prev) && tx_is_digit(nx)) {
                j++;
                continue;
            }
            /* U.S.A: a dot between single letters */
            if (c == '.' && !number && tx_is_letter(nx) && (dotted_acronym(w + i, j - i) || j - i <= 2)) {
                uint32_t k = j + 1;
                while (k < e && letter_at(w, e, k) && k - j <= 2)
                    k++;
                if (k - (j + 1) <= 2 && (k >= e || !letter_at(w, e, k)) &&
                    (k >= e || w[k] == '.' || is_ws(w[k]) || !tx_is_letter(w[k]))) {
                    j++;
                    continue;
                }
            }
            break;
        }
        if (c == '-' || c == 0x2010 || c == 0x2011) {
            if ((tx_is_letter(prev) || tx_is_digit(prev)) && (tx_is_letter(nx) || tx_is_digit(nx))) {
                *flags |= SR_TOKF_HYPHEN;
                j += (uint32_t)l;
                continue;
            }
            uint32_t k = c == '-' ? wrap_continues(w, j, e) : 0;
            if (k) {
                *flags |= SR_TOKF_HYPHEN;
                j = k;
                continue;
            }
            break;
        }
        if (tx_is_apostrophe(c)) {
            if (clitic(w, e, j, l))
                break;
            if (tx_is_letter(nx) && tx_is_letter(prev)) {
                j += (uint32_t)l;        /* O'Brien, Qur'an */
                continue;
            }
            break;
        }
        break;
    }
    return j;
}

static sr_err add_token(tokr *t, uint32_t ws, uint32_t we, uint8_t kind, uint8_t flags)
{
    sr_textdoc *d = t->d;
    tx_work *wk = t->wk;
    if (d->ntoks >= SR_TEXT_MAX_BLOCK_TOKENS)
        return SR_ETOOBIG;
    if (d->ntoks >= wk->tokcap &&
        sr_grow((void **)&d->toks, &wk->tokcap, d->ntoks + 1, sizeof *d->toks) != SR_OK)
        return SR_ENOMEM;
    size_t f0 = wk->fold.len;
    sr_err e = tx_fold_token(wk, wk->w + ws, we - ws, &wk->fold);
    if (e != SR_OK)
        return e;
    uint32_t flen = (uint32_t)(wk->fold.len - f0);
    uint32_t id = 0;
    if (t->lex)
        id = t->intern ? sr_lexicon_intern(t->lex, wk->fold.p + f0, flen)
                       : lookup_id(wk, t->lex, wk->fold.p + f0, flen);
    /* case flags from the first letters */
    if (kind == SR_TOK_WORD) {
        unsigned letters = 0, upper = 0;
        bool first = true;
        for (uint32_t i = ws; i < we && letters < 64;) {
            unsigned char b = (unsigned char)wk->w[i];
            if (b < 0x80) {
                if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
                    bool up = b <= 'Z';
                    if (first && up)
                        flags |= SR_TOKF_CAP;
                    first = false;
                    letters++;
                    upper += up;
                }
                i++;
                continue;
            }
            int l;
            int32_t c = tx_utf8_at(wk->w, we, i, &l);
            if (tx_is_letter(c)) {
                bool up = tx_is_upper(c);
                if (first && up)
                    flags |= SR_TOKF_CAP;
                first = false;
                letters++;
                upper += up;
            }
            i += (uint32_t)l;
        }
        if (letters >= 2 && upper == letters)
            flags |= SR_TOKF_ALLCAPS;
    }
    d->toks[d->ntoks++] = (sr_token){
        tx_map(wk, ws), tx_map_end(wk, we), (uint32_t)f0, flen, id, kind, flags };
    return SR_OK;
}

static bool is_symbol(int32_t c)
{
    if (c < 0x80)
        return c == '$' || c == '%' || c == '&' || c == '@' || c == '#' || c == '+' ||
               c == '=' || c == '*' || c == '/' || c == '\\' || c == '|' || c == '^' ||
               c == '~' || c == '<' || c == '>' || c == '`' || c == '_';
    return c == 0x20AC || c == 0x00A3 || c == 0x00A5 || c == 0x00B0 || c == 0x00A7 ||
           c == 0x00B6 || c == 0x2116 || c == 0x00A9 || c == 0x00AE || c == 0x2122 ||
           c == 0xFFFD || (c >= 0x20A0 && c <= 0x20CF);
}

/* Tokens of the raw sentence [s, e); sentences cut at SR_TEXT_MAX_TOKENS. */
static sr_err tokenize_sentence(tokr *t, const tx_sent *rs)
{
    tx_work *wk = t->wk;
    sr_textdoc *d = t->d;
    const char *w = wk->w;
    uint32_t e = rs->end;
    size_t first = d->ntoks;
    uint32_t sent_ws = rs->start;
    uint8_t kind = rs->kind;
    /* a token may end past e (a word scanned on to its end at a raw
     * sentence's invalid last byte): the sentence is then closed there, not
     * left without its sentence (text_fuzz found one) */
    for (uint32_t i = rs->start;;) {
        bool at_end = i >= e;
        if (!at_end && d->ntoks - first < SR_TEXT_MAX_TOKENS) {
            unsigned char b = (unsigned char)w[i];
            if (is_ws((char)b)) {
                i++;
                continue;
            }
        }
        if (at_end || d->ntoks - first >= SR_TEXT_MAX_TOKENS) {
            /* close the sentence: at the raw end, or (at the token cap) just
             * after its last token, and go on with a new one */
            size_t nt = d->ntoks - first;
            uint32_t we = i > e ? i : e;
            if (!at_end) {
                we = i;
                while (we > sent_ws && is_ws(w[we - 1]))
                    we--;
            }
            if (nt > 0) {
                if (d->nsents >= wk->sentcap &&
                    (sr_grow((void **)&d->sents, &wk->sentcap, d->nsents + 1, sizeof *d->sents) != SR_OK ||
                     sr_grow((void **)&wk->sspan, &wk->sspancap, 2 * wk->sentcap, sizeof *wk->sspan) != SR_OK))
                    return SR_ENOMEM;
                d->toks[first].flags |= SR_TOKF_SENT_START;
                d->sents[d->nsents] = (sr_sentence){
                    tx_map(wk, sent_ws), tx_map_end(wk, we), (uint32_t)first, (uint32_t)nt,
                    rs->para, kind };
                wk->sspan[2 * d->nsents] = sent_ws;
                wk->sspan[2 * d->nsents + 1] = we;
                d->nsents++;
            }
            if (at_end)
                break;
            while (i < e && is_ws(w[i]))
                i++;
            first = d->ntoks;
            sent_ws = i;
            kind = SR_UNIT_SENTENCE;
            continue;
        }
        int l;
        int32_t c = tx_utf8_at(w, e, i, &l);
        uint8_t flags = 0;
        uint32_t j;
        sr_err err;
        if (tx_is_bullet(c) && i == sent_ws) {
            /* a list bullet is layout, not a token */
            i += (uint32_t)l;
            sent_ws = i;
            while (sent_ws < e && is_ws(w[sent_ws]))
                sent_ws++;
            continue;
        }
        int neg = negation_at(w, e, i);
        if (neg && i > rs->start && !is_ws(w[i - 1])) {
            err = add_token(t, i, i + (uint32_t)neg, SR_TOK_WORD, 0);
            i += (uint32_t)neg;
        } else if (tx_is_letter(c) || tx_is_digit(c)) {
            bool number = tx_is_digit(c);
            j = scan_word(w, e, i, number, &flags);
            if (number) {
                /* 5th, 1990s: digits then letters stay one number token */
                while (j < e && letter_at(w, e, j)) {
                    int ll;
                    tx_utf8_at(w, e, j, &ll);
                    j += (uint32_t)ll;
                }
            }
            /* a period that belongs to the word: U.S. always, Gen. unless
             * it ends the sentence */
            if (!number && j < e && w[j] == '.') {
                bool acro = dotted_acronym(w + i, j - i);
                bool last = true;
                for (uint32_t k = j + 1; k < e && last; k++)
                    last = is_ws(w[k]) || tx_is_close_quote((unsigned char)w[k]);
                bool abbr = !last && (tx_is_abbreviation(w + i, j - i) || (j - i == 1 && tx_is_upper(c)));
                if (acro || abbr) {
                    j++;
                    flags |= SR_TOKF_ABBREV;
                }
            }
            err = add_token(t, i, j, number ? SR_TOK_NUMBER : SR_TOK_WORD, flags);
            i = j;
        } else if (tx_is_apostrophe(c) && d->ntoks > first &&
                   d->toks[d->ntoks - 1].kind == SR_TOK_WORD && i > 0 && !is_ws(w[i - 1])) {
            uint32_t m = clitic(w, e, i, l);
            int pl;
            int32_t prev = tx_utf8_before(w, i, &pl);
            if (m == 1 && (w[i + (uint32_t)l] | 0x20) == 's') {
                err = add_token(t, i, i + (uint32_t)l + 1, SR_TOK_POSSESSIVE, 0);
                i += (uint32_t)l + 1;
            } else if (m > 0) {
                err = add_token(t, i, i + (uint32_t)l + m, SR_TOK_WORD, 0);
                i += (uint32_t)l + m;
            } else if ((prev | 0x20) == 's' && !letter_at(w, e, i + (uint32_t)l)) {
                err = add_token(t, i, i + (uint32_t)l, SR_TOK_POSSESSIVE, 0);
                i += (uint32_t)l;
            } else {
                err = add_token(t, i, i + (uint32_t)l, SR_TOK_PUNCT, 0);
                i += (uint32_t)l;
            }
        } else if (c == '.' || c == 0x2026) {
            j = i + (uint32_t)l;
            while (c == '.' && j < e && w[j] == '.')
                j++;
            err = add_token(t, i, j, SR_TOK_PUNCT, 0);
            i = j;
        } else if (c == '-' && i + 1 < e && w[i + 1] == '-') {
            j = i + 2;
            while (j < e && w[j] == '-')
                j++;
            err = add_token(t, i, j, SR_TOK_PUNCT, 0);
            i = j;
        } else {
            err = add_token(t, i, i + (uint32_t)l, is_symbol(c) ? SR_TOK_SYMBOL : SR_TOK_PUNCT, 0);
            i += (uint32_t)l;
        }
        if (err != SR_OK)
            return err;
    }
    return SR_OK;
}

sr_err tx_tokenize(tx_work *wk, sr_textdoc *d, sr_lexicon *lex, bool no_tokens)
{
    tokr t = { wk, d, lex, lex && !sr_lexicon_is_frozen(lex) };
    sr_buf_reset(&wk->fold);
    if (wk->fold.max == 0)
        wk->fold.max = SR_TEXT_MAX_INPUT * 4;
    sr_err e = SR_OK;
    for (size_t r = 0; r < wk->nraw && e == SR_OK; r++) {
        const tx_sent *rs = &wk->raw[r];
        if (no_tokens) {
            if (d->nsents >= wk->sentcap &&
                (sr_grow((void **)&d->sents, &wk->sentcap, d->nsents + 1, sizeof *d->sents) != SR_OK ||
                 sr_grow((void **)&wk->sspan, &wk->sspancap, 2 * wk->sentcap, sizeof *wk->sspan) != SR_OK))
                return SR_ENOMEM;
            d->sents[d->nsents] = (sr_sentence){ tx_map(wk, rs->start), tx_map_end(wk, rs->end),
                                                 0, 0, rs->para, rs->kind };
            wk->sspan[2 * d->nsents] = rs->start;
            wk->sspan[2 * d->nsents + 1] = rs->end;
            d->nsents++;
            continue;
        }
        e = tokenize_sentence(&t, rs);
    }
    d->fold = wk->fold.p;
    d->fold_len = wk->fold.len;
    return e;
}
