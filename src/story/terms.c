/*
 * terms.c - near-copy fingerprints (SimHash, word 3-shingles) and the body
 * hash that identifies a document.  (The terms a story is recognized by are
 * built in bag.c.)
 *
 * The tokenizer here is deliberately its own small one, not the text
 * module's: it runs on every document, needs no lexicon, and must stay
 * exactly as it is, since stored fingerprints are compared with new ones.
 * Words are runs of ASCII letters/digits and any non-ASCII UTF-8 bytes, with
 * inner apostrophes and periods; ASCII is lower-cased.
 */
#include "sitrep/story.h"

#include <stdlib.h>
#include <string.h>

#define WORD_MAX 48
#define SIMHASH_WORDS 1000

/* Next word of s[*i..n) into w (lower-cased); returns its length, 0 at end. */
static size_t next_word(const char *s, size_t n, size_t *i, char *w, bool *cap)
{
    size_t p = *i;
    for (;;) {
        while (p < n) {
            unsigned char ch = (unsigned char)s[p];
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                (ch >= '0' && ch <= '9') || ch >= 0xC0)
                break;
            p++;
        }
        if (p >= n) {
            *i = n;
            return 0;
        }
        size_t len = 0;
        *cap = s[p] >= 'A' && s[p] <= 'Z';
        while (p < n) {
            unsigned char ch = (unsigned char)s[p];
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80) {
                /* ’ (U+2019) inside a word is an apostrophe */
                if (ch == 0xE2 && p + 2 < n && (unsigned char)s[p + 1] == 0x80 &&
                    (unsigned char)s[p + 2] == 0x99) {
                    if (len < WORD_MAX)
                        w[len++] = '\'';
                    p += 3;
                    continue;
                }
                if (len < WORD_MAX)
                    w[len++] = (char)ch;
            } else if (ch >= 'A' && ch <= 'Z') {
                if (len < WORD_MAX)
                    w[len++] = (char)(ch + 32);
            } else if ((ch == '\'' || ch == '.') && p + 1 < n && len > 0 &&
                       (((unsigned char)s[p + 1] | 32) >= 'a' && ((unsigned char)s[p + 1] | 32) <= 'z')) {
                if (len < WORD_MAX)
                    w[len++] = (char)ch;
            } else {
                break;
            }
            p++;
        }
        *i = p;
        if (len > 0) {
            w[len] = '\0';
            return len;
        }
    }
}

uint64_t sr_body_hash(const char *text, size_t len)
{
    /* fold ASCII case and collapse whitespace, hashing in chunks */
    uint64_t h = 0x5172e9;
    char chunk[256];
    size_t k = 0;
    bool space = false, any = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            space = any;
            continue;
        }
        if (space) {
            chunk[k++] = ' ';
            space = false;
            if (k == sizeof chunk) {
                h = sr_hash64(chunk, k, h);
                k = 0;
            }
        }
        any = true;
        chunk[k++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
        if (k == sizeof chunk) {
            h = sr_hash64(chunk, k, h);
            k = 0;
        }
    }
    if (k)
        h = sr_hash64(chunk, k, h);
    return h;
}

/* Bit counting for SimHash, eight bits at a time: spread[v] has one byte
 * lane per bit of v holding 0 or 1, so adding spread[byte] to a lane word
 * counts eight bit positions in one addition.  Lanes are flushed to 32-bit
 * counters before they can overflow. */
typedef struct bitcount {
    uint64_t lanes[8];      /* lanes[k] counts bits 8k..8k+7 of the features */
    uint32_t count[64];
    uint32_t pending, total;
} bitcount;

static uint64_t spread[256];

static void spread_init(void)
{
    if (spread[255])
        return;
    for (unsigned v = 0; v < 256; v++) {
        uint64_t x = 0;
        for (unsigned b = 0; b < 8; b++)
            if (v & (1u << b))
                x |= (uint64_t)1 << (8 * b);
        spread[v] = x;
    }
}

static void bc_flush(bitcount *c)
{
    for (int k = 0; k < 8; k++) {
        for (int b = 0; b < 8; b++)
            c->count[8 * k + b] += (uint32_t)((c->lanes[k] >> (8 * b)) & 0xFF);
        c->lanes[k] = 0;
    }
    c->pending = 0;
}

static void bc_add(bitcount *c, uint64_t f)
{
    for (int k = 0; k < 8; k++)
        c->lanes[k] += spread[(f >> (8 * k)) & 0xFF];
    c->total++;
    if (++c->pending == 255)
        bc_flush(c);
}

uint64_t sr_simhash(const char *text, size_t len)
{
    bitcount bc;
    memset(&bc, 0, sizeof bc);
    spread_init();
    uint64_t win[3] = {0, 0, 0};
    size_t nw = 0, i = 0;
    char w[WORD_MAX + 1];
    bool cap;
    size_t wl;
    /* a thousand words identify a text; longer pages cost no more */
    while (nw < SIMHASH_WORDS && (wl = next_word(text, len, &i, w, &cap)) > 0) {
        win[0] = win[1];
        win[1] = win[2];
        win[2] = sr_hash64(w, wl, 7);
        nw++;
        /* single words too: a short text has few shingles, and one added
         * credit line would move too many bits of a shingles-only hash */
        bc_add(&bc, win[2]);
        if (nw >= 3)
            bc_add(&bc, sr_hash64(win, sizeof win, 11));
    }
    bc_flush(&bc);
    uint64_t h = 0;
    for (int b = 0; b < 64; b++)
        if (2 * bc.count[b] > bc.total)   /* more features with the bit set than without */
            h |= (uint64_t)1 << b;
    return h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted distinct 3-shingle hashes of the first max words of text. */
static size_t shingles(const char *text, size_t len, uint64_t *out, size_t max)
{
    uint64_t win[3] = {0, 0, 0};
    size_t nw = 0, n = 0, i = 0, wl;
    char w[WORD_MAX + 1];
    bool cap;
    while (n < max && (wl = next_word(text, len, &i, w, &cap)) > 0) {
        win[0] = win[1];
        win[1] = win[2];
        win[2] = sr_hash64(w, wl, 7);
        if (++nw >= 3)
            out[n++] = sr_hash64(win, sizeof win, 11);
    }
    qsort(out, n, sizeof *out, cmp_u64);
    size_t k = 0;
    for (size_t a = 0; a < n; a++)
        if (k == 0 || out[k - 1] != out[a])
            out[k++] = out[a];
    return k;
}

void sr_shingle_set_build(sr_shingle_set *s, const char *text, size_t len)
{
    s->n = shingles(text, len, s->h, SR_SHINGLE_MAX);
}

double sr_shingle_set_containment(const sr_shingle_set *a, const sr_shingle_set *b)
{
    size_t i = 0, j = 0, common = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j]) {
            common++;
            i++;
            j++;
        } else if (a->h[i] < b->h[j]) {
            i++;
        } else {
            j++;
        }
    }
    size_t small = a->n < b->n ? a->n : b->n;
    return small ? (double)common / (double)small : (a->n == b->n ? 1.0 : 0.0);
}

double sr_shingle_containment(const char *a, size_t na, const char *b, size_t nb)
{
    sr_shingle_set *x = malloc(2 * sizeof *x);
    if (!x)
        return 0;
    sr_shingle_set_build(&x[0], a, na);
    sr_shingle_set_build(&x[1], b, nb);
    double c = sr_shingle_set_containment(&x[0], &x[1]);
    free(x);
    return c;
}

int sr_simhash_distance(uint64_t a, uint64_t b)
{
    return __builtin_popcountll(a ^ b);
}
