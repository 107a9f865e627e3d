/*
 * tagger.c - part-of-speech tags for a sentence: greedy left-to-right
 * decoding with an averaged perceptron (the model: model.c; its features:
 * features.c).
 *
 * Why greedy and not Viterbi: with two tags of history a Viterbi search
 * costs ~T^2 = 2,500 score sums a token; greedy costs one, and on English
 * the difference in accuracy is a few tenths of a point.  The coder needs
 * tags at millions of tokens a second.
 *
 * How it is fast.  A tag's score for token i is the sum of the weights of
 *   - the features of word i itself (form, suffixes, shape, lexicon classes),
 *   - the features of words i-1 and i+1 in those roles,
 *   - the previous tag, the two previous tags, the verb group so far (small
 *     dense tables, one row each).
 * Everything in the first two lines depends only on a word type (its
 * folded form, case flags and two sentence facts), so a per-thread cache
 * holds, for each recently seen type, its three role sums: int8 rows over
 * the tags, one cache line each.  A token then costs a hash of its form,
 * a look-up in a 4-way set, and six rows widened and added in registers
 * (AVX2 when the processor has it, else SSE2) with an arg-max.  Closed-
 * class tags a word may not have are marked -128 in its own row (a value
 * no sum is stored as) and never chosen.
 *
 * A type the cache lacks (a new name, a rare word: a fifth of the tokens
 * of a long news stream) is summed from its features in groups that share
 * one value - its last three letters, its first two, its lexicon class and
 * case, its shape - and the per-thread state keeps the sums of each group's
 * recent values too: a new word then costs a few look-ups in small hot
 * tables, not twenty in the model.  Only a word the treebank has adds its
 * own word features from the model.  The sentence's look-ups are done in
 * passes so that their memory reads overlap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define TG_X86 1
#endif

#include "syntax/internal.h"

/* Cache of word types: 2^CACHE_SET_BITS sets of CACHE_WAYS entries, each
 * entry the three role rows of one type (192 bytes); the keys of a set sit
 * side by side so a look-up reads one line.  A miss replaces the set's
 * entries in turn, skipping those the sentence being tagged uses.
 * 2^11 sets x 4 ways hold 8192 types in 1.6 MB. */
#define CACHE_SET_BITS 11
#define CACHE_WAYS     4

typedef struct tg_centry {
    int8_t v[TG_NROLES][TG_NTP];
} __attribute__((aligned(64))) tg_centry;

typedef struct tg_cset {
    uint64_t key[CACHE_WAYS];              /* 0: empty */
    uint32_t used[CACHE_WAYS];             /* the sentence that last used it */
    uint8_t  aux[CACHE_WAYS];              /* tg_winfo.aux */
    uint8_t  vflags[CACHE_WAYS];           /* tg_winfo.vflags */
} tg_cset;

/* The sums of one feature group's recent values: direct-mapped, an entry
 * the int16 rows of the roles the group feeds. */
typedef struct tg_gcache {
    uint64_t *keys;                        /* 0: empty */
    int16_t  *rows;                        /* [size][nroles][TG_NTP] */
    size_t    mask;
} tg_gcache;

static const struct gspec {
    int group;
    unsigned bits;                         /* log2 of the entries */
    int nroles;
    int roles[3];
} gspec[] = {
    { TG_G_SUFFIX, 11, 2, { TG_SELF, TG_N1, 0 } },
    { TG_G_PREFIX, 10, 1, { TG_SELF, 0, 0 } },
    { TG_G_CLASS, 10, 2, { TG_SELF, TG_N1, 0 } },
    { TG_G_SHAPE, 9, 3, { TG_SELF, TG_P1, TG_N1 } },
};
#define NGC (sizeof gspec / sizeof gspec[0])

/* A type being computed for the sentence: what it is made of, and its
 * rows, which the sentence reads even if the cache has no room for them. */
typedef struct tg_pending {
    tg_centry v;
    tg_winfo wi;
    tg_wordkeys wk;                        /* its word and compound features */
    tg_resolved rs;
    uint64_t gk[NGC];                      /* its groups' keys */
} tg_pending;

typedef void (*decode_fn)(const sr_tagger *m, const sr_tagstate *st, size_t n, uint8_t *tags);

struct sr_tagstate {
    const sr_tagger *model;
    decode_fn decode;
    tg_cset   *sets;
    tg_centry *cache;
    tg_gcache gc[NGC];
    uint32_t  sentno;                      /* sentences tagged, for tg_cset.used */
    /* the sentence being tagged: its types' keys and rows */
    uint64_t  keys[SR_TEXT_MAX_TOKENS];
    const tg_centry *ent[SR_TEXT_MAX_TOKENS];
    uint8_t   aux[SR_TEXT_MAX_TOKENS];
    uint8_t   vflags[SR_TEXT_MAX_TOKENS];
    uint16_t  miss[SR_TEXT_MAX_TOKENS];
    tg_pending *pend;                      /* [SR_TEXT_MAX_TOKENS] */
    int16_t   (*acc)[TG_NTP];              /* [TG_NROLES][TG_NTP]: a new type's sums */
    void      (*sum_rows)(int16_t (*acc)[TG_NTP], const int16_t *const *rows, const uint8_t *role,
                          size_t n);
    uint64_t  hits, misses;
};

/* ---- decoding -----------------------------------------------------------------
 * One step: the token's own row s (its -128 lanes are tags it may not
 * have) plus the rows of the word before and after in their roles, the
 * previous tag, the two previous tags and the verb group; the best tag,
 * the first on a tie; lanes past the last tag never win.  The loop over a
 * sentence is compiled once per instruction set and chosen when the
 * tagstate is made (the step inlined into it). */

#define DECODE_ARGS const sr_tagger *m, const sr_tagstate *st, size_t n, uint8_t *tags

/* The rows of token i, given the two tags before it and the verb group. */
#define ROWS(i, t1, t2, h)                                                            \
    const int8_t *r_s = st->ent[i]->v[TG_SELF];                                      \
    const int8_t *r_p = (i) >= 1 ? st->ent[(i) - 1]->v[TG_P1] : m->edge[TG_P1];     \
    const int8_t *r_n = (i) + 1 < n ? st->ent[(i) + 1]->v[TG_N1] : m->edge[TG_N1];  \
    const int8_t *r_1 = m->t1 + (size_t)(t1) * TG_NTP;                                \
    const int8_t *r_2 = m->t2 + ((size_t)(t2) * (TG_NT + 1) + (t1)) * TG_NTP;          \
    const int8_t *r_h = m->hist[tg_hist_state(&(h), st->vflags[i])]

#define DECODE_LOOP(STEP)                                                             \
    unsigned t1 = TG_START, t2 = TG_START;                                           \
    tg_hist h = { 0, 0 };                                                             \
    for (size_t i = 0; i < n; i++) {                                                  \
        ROWS(i, t1, t2, h);                                                           \
        unsigned tag = STEP(r_s, r_p, r_n, r_1, r_2, r_h);                            \
        tags[i] = (uint8_t)tag;                                                       \
        tg_hist_next(&h, tag, st->aux[i]);                                            \
        t2 = t1;                                                                      \
        t1 = tag;                                                                     \
    }

static inline unsigned step_scalar(const int8_t *s, const int8_t *p, const int8_t *nx,
                                   const int8_t *a, const int8_t *b, const int8_t *c)
{
    unsigned best = 0;
    int32_t bs = INT32_MIN;
    for (unsigned l = 0; l < TG_NT; l++) {
        if (s[l] == -128)
            continue;
        int32_t x = (int32_t)s[l] + p[l] + nx[l] + a[l] + b[l] + c[l];
        if (x > bs) {
            bs = x;
            best = l;
        }
    }
    return best;
}

static void decode_scalar(DECODE_ARGS)
{
    DECODE_LOOP(step_scalar)
}

#if defined(TG_X86)
_Static_assert(TG_NT == 51, "the lane masks below assume 51 tags");

#define W8(x) _mm_srai_epi16(_mm_unpacklo_epi8((x), (x)), 8)
#define W8H(x) _mm_srai_epi16(_mm_unpackhi_epi8((x), (x)), 8)
#define LD(r, k) _mm_loadu_si128((const __m128i *)(r) + (k))

__attribute__((target("sse2"), always_inline)) static inline unsigned
step_sse2(const int8_t *s, const int8_t *p, const int8_t *nx, const int8_t *a, const int8_t *b,
          const int8_t *c)
{
    __m128i v[8];
    const __m128i floor = _mm_set1_epi16(-32768);
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
        __m128i self = LD(s, k), x1 = LD(p, k), x2 = LD(nx, k), x3 = LD(a, k), x4 = LD(b, k),
                x5 = LD(c, k);
        __m128i lo = _mm_add_epi16(_mm_add_epi16(_mm_add_epi16(W8(self), W8(x1)), _mm_add_epi16(W8(x2), W8(x3))),
                                   _mm_add_epi16(W8(x4), W8(x5)));
        __m128i hi = _mm_add_epi16(_mm_add_epi16(_mm_add_epi16(W8H(self), W8H(x1)), _mm_add_epi16(W8H(x2), W8H(x3))),
                                   _mm_add_epi16(W8H(x4), W8H(x5)));
        __m128i f = _mm_cmpeq_epi8(self, _mm_set1_epi8(-128));
        __m128i flo = _mm_unpacklo_epi8(f, f), fhi = _mm_unpackhi_epi8(f, f);
        v[2 * k] = _mm_or_si128(_mm_andnot_si128(flo, lo), _mm_and_si128(flo, floor));
        v[2 * k + 1] = _mm_or_si128(_mm_andnot_si128(fhi, hi), _mm_and_si128(fhi, floor));
    }
    v[6] = _mm_min_epi16(v[6], _mm_setr_epi16(32767, 32767, 32767, -32768, -32768, -32768,
                                              -32768, -32768));
    v[7] = floor;
    __m128i mx = _mm_max_epi16(_mm_max_epi16(_mm_max_epi16(v[0], v[1]), _mm_max_epi16(v[2], v[3])),
                               _mm_max_epi16(_mm_max_epi16(v[4], v[5]), v[6]));
    mx = _mm_max_epi16(mx, _mm_shuffle_epi32(mx, _MM_SHUFFLE(1, 0, 3, 2)));
    mx = _mm_max_epi16(mx, _mm_shuffle_epi32(mx, _MM_SHUFFLE(2, 3, 0, 1)));
    mx = _mm_max_epi16(mx, _mm_shufflelo_epi16(mx, _MM_SHUFFLE(2, 3, 0, 1)));
    mx = _mm_set1_epi16((short)_mm_extract_epi16(mx, 0));
    for (int k = 0; k < 7; k++) {
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(v[k], mx));
        if (mask)
            return (unsigned)k * 8 + (unsigned)__builtin_ctz((unsigned)mask) / 2;
    }
    return 0;
}

__attribute__((target("sse2"))) static void decode_sse2(DECODE_ARGS)
{
    DECODE_LOOP(step_sse2)
}

#define X8(r, k) _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(r) + (k)))

__attribute__((target("avx2"), always_inline)) static inline unsigned
step_avx2(const int8_t *s, const int8_t *p, const int8_t *nx, const int8_t *a, const int8_t *b,
          const int8_t *c)
{
    __m256i v[4];
    const __m256i floor = _mm256_set1_epi16(-32768);
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
        __m128i self = _mm_loadu_si128((const __m128i *)s + k);
        __m256i sum = _mm256_add_epi16(_mm256_add_epi16(_mm256_add_epi16(_mm256_cvtepi8_epi16(self), X8(p, k)),
                                                        _mm256_add_epi16(X8(nx, k), X8(a, k))),
                                       _mm256_add_epi16(X8(b, k), X8(c, k)));
        __m256i f = _mm256_cvtepi8_epi16(_mm_cmpeq_epi8(self, _mm_set1_epi8(-128)));
        v[k] = _mm256_blendv_epi8(sum, floor, f);
    }
    v[3] = _mm256_min_epi16(v[3], _mm256_setr_epi16(32767, 32767, 32767, -32768, -32768, -32768,
                                                    -32768, -32768, -32768, -32768, -32768, -32768,
                                                    -32768, -32768, -32768, -32768));
    __m256i mx = _mm256_max_epi16(_mm256_max_epi16(v[0], v[1]), _mm256_max_epi16(v[2], v[3]));
    __m128i hm = _mm_max_epi16(_mm256_castsi256_si128(mx), _mm256_extracti128_si256(mx, 1));
    hm = _mm_max_epi16(hm, _mm_shuffle_epi32(hm, _MM_SHUFFLE(1, 0, 3, 2)));
    hm = _mm_max_epi16(hm, _mm_shuffle_epi32(hm, _MM_SHUFFLE(2, 3, 0, 1)));
    hm = _mm_max_epi16(hm, _mm_shufflelo_epi16(hm, _MM_SHUFFLE(2, 3, 0, 1)));
    __m256i bm = _mm256_broadcastw_epi16(hm);
    for (int k = 0; k < 4; k++) {
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi16(v[k], bm));
        if (mask)
            return (unsigned)k * 16 + (unsigned)__builtin_ctz(mask) / 2;
    }
    return 0;
}

__attribute__((target("avx2"))) static void decode_avx2(DECODE_ARGS)
{
    DECODE_LOOP(step_avx2)
}
#endif

/* The best loop the processor runs; SITREP_TAGGER_ISA=scalar|sse2 asks for
 * a plainer one (tests check that all give the same tags). */
static decode_fn pick_decode(void)
{
    const char *want = getenv("SITREP_TAGGER_ISA");
    if (want && strcmp(want, "scalar") == 0)
        return decode_scalar;
#if defined(TG_X86)
    /* (no __builtin_cpu_init: libgcc runs it as a constructor, and calling
     * it again from several threads would race) */
    if (__builtin_cpu_supports("avx2") && !(want && strcmp(want, "sse2") == 0))
        return decode_avx2;
    if (__builtin_cpu_supports("sse2"))
        return decode_sse2;
#endif
    return decode_scalar;
}

/* acc[role[k]] = sum of the int16 rows[k] with that role (acc zeroed first),
 * once per instruction set like the decoding loop. */
static void sum_rows_plain(int16_t (*acc)[TG_NTP], const int16_t *const *rows, const uint8_t *role,
                           size_t n)
{
    memset(acc, 0, sizeof *acc * TG_NROLES);
    for (size_t k = 0; k < n; k++)
        tg_add16(acc[role[k]], rows[k]);
}

#if defined(TG_X86)
__attribute__((target("avx2"))) static void sum_rows_avx2(int16_t (*acc)[TG_NTP],
                                                           const int16_t *const *rows,
                                                           const uint8_t *role, size_t n)
{
    __m256i a[TG_NROLES][4];
    for (int r = 0; r < TG_NROLES; r++)
        for (int q = 0; q < 4; q++)
            a[r][q] = _mm256_setzero_si256();
    for (size_t k = 0; k < n; k++) {
        const __m256i *x = (const __m256i *)rows[k];
        __m256i *d = a[role[k]];
        d[0] = _mm256_add_epi16(d[0], _mm256_load_si256(x));
        d[1] = _mm256_add_epi16(d[1], _mm256_load_si256(x + 1));
        d[2] = _mm256_add_epi16(d[2], _mm256_load_si256(x + 2));
        d[3] = _mm256_add_epi16(d[3], _mm256_load_si256(x + 3));
    }
    for (int r = 0; r < TG_NROLES; r++)
        for (int q = 0; q < 4; q++)
            _mm256_store_si256((__m256i *)acc[r] + q, a[r][q]);
}
#endif

/* ---- the per-thread state ------------------------------------------------- */

sr_tagstate *sr_tagstate_new(const sr_tagger *t)
{
    sr_tagstate *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->model = t;
    s->decode = pick_decode();
    s->sum_rows = sum_rows_plain;
#if defined(TG_X86)
    if (s->decode == decode_avx2)
        s->sum_rows = sum_rows_avx2;
#endif
    s->sets = calloc((size_t)1 << CACHE_SET_BITS, sizeof *s->sets);
    s->cache = aligned_alloc(64, (sizeof *s->cache * CACHE_WAYS) << CACHE_SET_BITS);
    s->pend = aligned_alloc(64, sizeof *s->pend * SR_TEXT_MAX_TOKENS);
    s->acc = aligned_alloc(64, sizeof *s->acc * TG_NROLES);
    bool ok = s->sets && s->cache && s->pend && s->acc;
    for (size_t g = 0; g < NGC && ok; g++) {
        size_t n = (size_t)1 << gspec[g].bits;
        s->gc[g].keys = calloc(n, sizeof *s->gc[g].keys);
        s->gc[g].rows = aligned_alloc(64, n * (size_t)gspec[g].nroles * TG_NTP * sizeof(int16_t));
        s->gc[g].mask = n - 1;
        ok = s->gc[g].keys && s->gc[g].rows;
    }
    if (!ok) {
        sr_tagstate_free(s);
        return NULL;
    }
    return s;
}

void sr_tagstate_free(sr_tagstate *s)
{
    if (!s)
        return;
    free(s->sets);
    free(s->cache);
    free(s->pend);
    free(s->acc);
    for (size_t g = 0; g < NGC; g++) {
        free(s->gc[g].keys);
        free(s->gc[g].rows);
    }
    free(s);
}

void tg_tagstate_stats(const sr_tagstate *s, uint64_t *hits, uint64_t *misses)
{
    *hits = s->hits;
    *misses = s->misses;
}

/* ---- word types ------------------------------------------------------------ */

static inline uint64_t type_key(const sr_token *t, const char *f, uint8_t ctx)
{
    uint8_t fl = t->flags & (SR_TOKF_CAP | SR_TOKF_ALLCAPS | SR_TOKF_HYPHEN);
    uint64_t key = sr_hash64(f, t->fold_len, (uint64_t)fl | (uint64_t)t->kind << 8 | (uint64_t)ctx << 16);
    return key + !key;
}

static inline tg_cset *key_set(const sr_tagstate *st, uint64_t key)
{
    return &st->sets[key >> (64 - CACHE_SET_BITS)];
}

/* A new type's rows, from its groups' sums (computed and kept when the
 * group cache lacks them) and its own features; -128 marks the closed-
 * class tags it may not have. */
static void compute_type(sr_tagstate *st, tg_pending *p)
{
    const sr_tagger *m = st->model;
    int16_t (*acc)[TG_NTP] = st->acc;
    const int16_t *rl[8];
    uint8_t ro[8];
    size_t nr = 0;
    for (size_t g = 0; g < NGC; g++) {
        tg_gcache *gc = &st->gc[g];
        size_t slot = p->gk[g] & gc->mask;
        int16_t *rows = gc->rows + slot * (size_t)gspec[g].nroles * TG_NTP;
        if (gc->keys[slot] != p->gk[g]) {
            tg_wordkeys gw;
            tg_wordkeys_start(&p->wi, &gw);
            tg_group_keys(&p->wi, gspec[g].group, &gw);
            memset(rows, 0, (size_t)gspec[g].nroles * TG_NTP * sizeof *rows);
            for (int r = 0; r < gspec[g].nroles; r++) {
                int role = gspec[g].roles[r];
                tg_sum_keys(m, gw.key[role], gw.n[role], rows + (size_t)r * TG_NTP);
            }
            gc->keys[slot] = p->gk[g];
        }
        for (int r = 0; r < gspec[g].nroles; r++) {
            rl[nr] = rows + (size_t)r * TG_NTP;
            ro[nr++] = (uint8_t)gspec[g].roles[r];
        }
    }
    st->sum_rows(acc, rl, ro, nr);
    tg_add_resolved(m, &p->rs, acc);
    for (int r = 0; r < TG_NROLES; r++)
        tg_store8(p->v.v[r], acc[r]);
    for (int j = 0; j < TG_NCLOSED; j++)
        if (!(p->wi.closed >> j & 1))
            p->v.v[TG_SELF][tg_closed_tags[j]] = -128;
}

/* Keep a computed type in the cache, in place of the set's least recently
 * used type (by the sentence that last used it; an empty way first), never
 * one the sentence uses.  Why not in turn: a stream's frequent words ("the",
 * "said") were pushed out every few new types of their set and computed
 * again; which types are kept changes no tag, only how often one is
 * computed. */
static void cache_type(sr_tagstate *st, uint64_t key, const tg_pending *p)
{
    tg_cset *cs = key_set(st, key);
    int way = -1;
    for (int w = 0; w < CACHE_WAYS; w++) {
        if (cs->key[w] == key)
            return;                        /* it came twice in the sentence */
        if (!cs->key[w]) {
            if (way < 0 || cs->key[way])
                way = w;
        } else if (cs->used[w] != st->sentno && (way < 0 || (cs->key[way] &&
                   st->sentno - cs->used[w] > st->sentno - cs->used[way]))) {
            way = w;
        }
    }
    if (way < 0)
        return;                            /* every way holds a type of this sentence */
    st->cache[(size_t)(cs - st->sets) * CACHE_WAYS + (size_t)way] = p->v;
    cs->key[way] = key;
    cs->used[way] = st->sentno;
    cs->aux[way] = p->wi.aux;
    cs->vflags[way] = p->wi.vflags;
}

/* ---- a sentence ------------------------------------------------------------- */

sr_err sr_tag_tokens(const sr_tagger *m, sr_tagstate *st, const sr_token *toks, size_t n,
                     const char *fold, uint8_t *tags)
{
    if (n > SR_TEXT_MAX_TOKENS)
        return SR_EINVAL;
    if (n == 0)
        return SR_OK;
    st->sentno++;
    bool title = tg_sentence_is_title(toks, n, fold);
    size_t first = tg_first_word(toks, n);
    uint8_t tctx = title ? TG_CTX_TITLE : 0;
    /* 1. every type's cache set */
    uint64_t *keys = st->keys;
    for (size_t i = 0; i < n; i++) {
        keys[i] = type_key(&toks[i], fold + toks[i].fold, tctx | (i == first ? TG_CTX_START : 0));
        __builtin_prefetch(key_set(st, keys[i]));
    }
    /* 2. the cached types (their rows asked for) and the others' lexicon slots */
    size_t nmiss = 0;
    for (size_t i = 0; i < n; i++) {
        tg_cset *cs = key_set(st, keys[i]);
        int way = -1;
        for (int w = 0; w < CACHE_WAYS; w++)
            if (cs->key[w] == keys[i])
                way = w;
        if (way >= 0) {
            st->hits++;
            cs->used[way] = st->sentno;
            st->ent[i] = &st->cache[(size_t)(cs - st->sets) * CACHE_WAYS + (size_t)way];
            st->aux[i] = cs->aux[way];
            st->vflags[i] = cs->vflags[way];
            for (int r = 0; r < TG_NROLES; r++)
                __builtin_prefetch(st->ent[i]->v[r]);
        } else {
            st->misses++;
            st->miss[nmiss++] = (uint16_t)i;
            tg_lex_prefetch(&m->lex, fold + toks[i].fold, toks[i].fold_len);
        }
    }
    /* 3. the new types: what they are, their features' slots, their weights */
    for (size_t k = 0; k < nmiss; k++) {
        const sr_token *t = &toks[st->miss[k]];
        tg_pending *p = &st->pend[k];
        uint8_t ctx = tctx | (st->miss[k] == first ? TG_CTX_START : 0);
        tg_word_info(&m->lex, fold + t->fold, t->fold_len, t->flags, t->kind, ctx, &p->wi);
        tg_wordkeys_start(&p->wi, &p->wk);
        tg_group_keys(&p->wi, TG_G_WORD, &p->wk);
        tg_group_keys(&p->wi, TG_G_HYPH, &p->wk);
        tg_prefetch_keys(m, &p->wk);
        for (size_t g = 0; g < NGC; g++) {
            p->gk[g] = tg_group_key(&p->wi, gspec[g].group);
            __builtin_prefetch(&st->gc[g].keys[p->gk[g] & st->gc[g].mask]);
        }
    }
    for (size_t k = 0; k < nmiss; k++)
        tg_resolve(m, &st->pend[k].wk, &st->pend[k].rs);
    for (size_t k = 0; k < nmiss; k++) {
        size_t i = st->miss[k];
        tg_pending *p = &st->pend[k];
        compute_type(st, p);
        st->ent[i] = &p->v;
        st->aux[i] = p->wi.aux;
        st->vflags[i] = p->wi.vflags;
        cache_type(st, keys[i], p);
    }
    /* 4. greedy decoding, left to right */
    st->decode(m, st, n, tags);
    return SR_OK;
}

sr_err sr_tag_sentence(const sr_tagger *t, sr_tagstate *s, const sr_textdoc *d, size_t sent,
                       uint8_t *tags)
{
    if (sent >= d->nsents)
        return SR_EINVAL;
    const sr_sentence *se = &d->sents[sent];
    return sr_tag_tokens(t, s, d->toks + se->tok_first, se->tok_count, d->fold, tags);
}
