/*
 * tagger.c - part-of-speech tags for a sentence: greedy left-to-right
 * decoding with an averaged perceptron (the model: model.c; its features:
 * features.c).
 *
 * Why greedy and not Viterbi: with two tags of history a Viterbi search
 * costs ~T^2 = 2,500 score sums a token; greedy costs one, and on English
 * the difference in accuracy is a few tenths of a point.  The coder needs
 * tags at >= 10 million tokens a second.
 *
 * How it is fast.  A tag's score for token i is the sum of the weights of
 *   - the features of word i itself (form, suffixes, shape, lexicon classes),
 *   - the features of words i-1, i+1, i-2, i+2 in those roles,
 *   - the previous tag, the two previous tags, the previous tag with word
 *     i's class (dense tables, one row each).
 * Everything in the first two lines depends only on a word type (its
 * folded form, case flags and two sentence facts), so a per-thread cache
 * holds, for each recently seen type, its five role sums as dense int16
 * vectors over the tags.  A cache hit costs one hash of the form; a token
 * then costs eight saturating vector adds and an arg-max over 56 lanes.
 * Vectors are added into a per-sentence array as each type is fetched, so
 * no cache entry needs to survive the fetch of the next one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syntax/internal.h"

/* Cache of word types: CACHE_SETS sets of CACHE_WAYS entries, each entry
 * the five role sums of one type as int8 rows (320 bytes, five cache
 * lines); the keys of a set sit side by side so a look-up reads one line,
 * and a miss replaces the set's entries in turn.  2^11 sets x 4 ways hold
 * 8192 types in 2.6 MB. */
#define CACHE_SET_BITS 11
#define CACHE_WAYS     4

typedef struct tg_centry {
    int8_t v[TG_NROLES][TG_NTP];
} __attribute__((aligned(64))) tg_centry;

typedef struct tg_cset {
    uint64_t key[CACHE_WAYS];              /* 0: empty */
    uint16_t closed[CACHE_WAYS];           /* closed-class tags allowed */
    uint8_t  aux[CACHE_WAYS];              /* tg_wordkeys.aux */
    uint8_t  pastish[CACHE_WAYS];          /* tg_wordkeys.pastish */
    uint8_t  next;                         /* the way to replace next */
} tg_cset;

struct sr_tagstate {
    const sr_tagger *model;
    tg_cset   *sets;
    tg_centry *cache;
    int16_t   (*base)[TG_NTP];             /* [SR_TEXT_MAX_TOKENS][TG_NTP] */
    /* the sentence being tagged: its types' keys, cache entries (NULL:
     * not cached), and the types being computed */
    uint64_t  keys[SR_TEXT_MAX_TOKENS];
    const tg_centry *ent[SR_TEXT_MAX_TOKENS];
    uint16_t  closed[SR_TEXT_MAX_TOKENS];
    uint8_t   aux[SR_TEXT_MAX_TOKENS];
    uint8_t   pastish[SR_TEXT_MAX_TOKENS];
    uint16_t  miss[SR_TEXT_MAX_TOKENS];
    struct tg_pending { tg_wordkeys wk; tg_resolved rs; } *pend;   /* [SR_TEXT_MAX_TOKENS] */
    uint64_t  hits, misses;
};

sr_tagstate *sr_tagstate_new(const sr_tagger *t)
{
    sr_tagstate *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->model = t;
    s->sets = calloc((size_t)1 << CACHE_SET_BITS, sizeof *s->sets);
    s->cache = aligned_alloc(64, (sizeof *s->cache * CACHE_WAYS) << CACHE_SET_BITS);
    s->base = aligned_alloc(64, sizeof *s->base * SR_TEXT_MAX_TOKENS);
    s->pend = malloc(sizeof *s->pend * SR_TEXT_MAX_TOKENS);
    if (!s->sets || !s->cache || !s->base || !s->pend) {
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
    free(s->base);
    free(s->pend);
    free(s);
}

/* The tag with the highest score in s + r1 + r2 + r3 (the first, on a
 * tie), the score kept in registers. */
static inline unsigned decode_step(const int16_t *s, const int8_t *r1, const int8_t *r2,
                                   const int8_t *r3)
{
#if defined(__SSE2__)
    __m128i v[8];
#pragma GCC unroll 4
    for (int k = 0; k < 4; k++) {
        __m128i x1 = _mm_loadu_si128((const __m128i *)r1 + k);
        __m128i x2 = _mm_loadu_si128((const __m128i *)r2 + k);
        __m128i x3 = _mm_loadu_si128((const __m128i *)r3 + k);
        __m128i lo = _mm_load_si128((const __m128i *)s + 2 * k);
        __m128i hi = _mm_load_si128((const __m128i *)s + 2 * k + 1);
        lo = _mm_add_epi16(lo, _mm_srai_epi16(_mm_unpacklo_epi8(x1, x1), 8));
        hi = _mm_add_epi16(hi, _mm_srai_epi16(_mm_unpackhi_epi8(x1, x1), 8));
        lo = _mm_add_epi16(lo, _mm_srai_epi16(_mm_unpacklo_epi8(x2, x2), 8));
        hi = _mm_add_epi16(hi, _mm_srai_epi16(_mm_unpackhi_epi8(x2, x2), 8));
        lo = _mm_add_epi16(lo, _mm_srai_epi16(_mm_unpacklo_epi8(x3, x3), 8));
        hi = _mm_add_epi16(hi, _mm_srai_epi16(_mm_unpackhi_epi8(x3, x3), 8));
        v[2 * k] = lo;
        v[2 * k + 1] = hi;
    }
    /* lanes past the last tag (48 + 3 .. 63) can never win */
    _Static_assert(TG_NT == 51, "the lane mask below assumes 51 tags");
    v[6] = _mm_min_epi16(v[6], _mm_setr_epi16(32767, 32767, 32767, -32768, -32768, -32768,
                                              -32768, -32768));
    v[7] = _mm_set1_epi16(-32768);
    __m128i m = v[0];
#pragma GCC unroll 8
    for (int k = 1; k < 8; k++)
        m = _mm_max_epi16(m, v[k]);
    m = _mm_max_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = _mm_max_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
    m = _mm_max_epi16(m, _mm_shufflelo_epi16(m, _MM_SHUFFLE(2, 3, 0, 1)));
    m = _mm_set1_epi16((short)_mm_extract_epi16(m, 0));   /* the max in every lane */
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) {
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(v[k], m));
        if (mask)
            return (unsigned)k * 8 + (unsigned)__builtin_ctz((unsigned)mask) / 2;
    }
    return 0;
#else
    unsigned best = 0;
    int32_t bs = INT32_MIN;
    for (unsigned l = 0; l < TG_NT; l++) {
        int32_t x = (int32_t)s[l] + r1[l] + r2[l] + r3[l];
        if (x > bs) {
            bs = x;
            best = l;
        }
    }
    return best;
#endif
}

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

/* A cache entry for a type just summed (or the one already there, when
 * the type came twice in the sentence). */
static const tg_centry *new_entry(sr_tagstate *st, uint64_t key, const struct tg_pending *p)
{
    tg_cset *cs = key_set(st, key);
    size_t base = (size_t)(cs - st->sets) * CACHE_WAYS;
    for (int w = 0; w < CACHE_WAYS; w++)
        if (cs->key[w] == key) {
            st->hits++;
            return &st->cache[base + (size_t)w];
        }
    st->misses++;
    unsigned way = cs->next;
    cs->next = (uint8_t)((way + 1) % CACHE_WAYS);
    tg_centry *e = &st->cache[base + way];
    tg_sum_resolved(st->model, &p->rs, e->v);
    cs->key[way] = key;
    cs->closed[way] = p->wk.closed;
    cs->aux[way] = p->wk.aux;
    cs->pastish[way] = p->wk.pastish;
    return e;
}

/* Token i's type in each of its roles, added to the scores of the tokens
 * it plays them for. */
static inline void add_roles(int16_t (*base)[TG_NTP], size_t n, size_t i, const tg_centry *e)
{
    tg_add8(base[i], e->v[TG_SELF]);
    if (i + 1 < n)
        tg_add8(base[i + 1], e->v[TG_P1]);
    if (i + 2 < n)
        tg_add8(base[i + 2], e->v[TG_P2]);
    if (i >= 1)
        tg_add8(base[i - 1], e->v[TG_N1]);
    if (i >= 2)
        tg_add8(base[i - 2], e->v[TG_N2]);
}

sr_err sr_tag_tokens(const sr_tagger *m, sr_tagstate *st, const sr_token *toks, size_t n,
                     const char *fold, uint8_t *tags)
{
    if (n > SR_TEXT_MAX_TOKENS)
        return SR_EINVAL;
    if (n == 0)
        return SR_OK;
    int16_t (*base)[TG_NTP] = st->base;
    memset(base, 0, n * sizeof *base);
    bool title = tg_sentence_is_title(toks, n, fold);
    size_t first = tg_first_word(toks, n);
    uint8_t tctx = title ? TG_CTX_TITLE : 0;
    /* The sentence's word types are looked up in passes, so that the
     * memory reads of all of them overlap: the cache sets, then the cached
     * entries (added in as they come) and, for the types the cache lacks,
     * their lexicon slots, their feature slots, their weights. */
    uint64_t *keys = st->keys;
    for (size_t i = 0; i < n; i++) {
        keys[i] = type_key(&toks[i], fold + toks[i].fold, tctx | (i == first ? TG_CTX_START : 0));
        __builtin_prefetch(key_set(st, keys[i]));
    }
    size_t nmiss = 0;
    for (size_t i = 0; i < n; i++) {
        const tg_cset *cs = key_set(st, keys[i]);
        int way = -1;
        for (int w = 0; w < CACHE_WAYS; w++)
            if (cs->key[w] == keys[i])
                way = w;
        if (way >= 0) {
            st->ent[i] = &st->cache[(size_t)(cs - st->sets) * CACHE_WAYS + (size_t)way];
            st->closed[i] = cs->closed[way];
            st->aux[i] = cs->aux[way];
            st->pastish[i] = cs->pastish[way];
            for (int r = 0; r < TG_NROLES; r++)
                __builtin_prefetch(st->ent[i]->v[r]);
        } else {
            st->ent[i] = NULL;
            st->miss[nmiss++] = (uint16_t)i;
            tg_lex_prefetch(&m->lex, fold + toks[i].fold, toks[i].fold_len);
        }
    }
    for (size_t i = 0; i < n; i++)
        if (st->ent[i]) {
            st->hits++;
            add_roles(base, n, i, st->ent[i]);
        }
    for (size_t k = 0; k < nmiss; k++) {
        const sr_token *t = &toks[st->miss[k]];
        uint8_t ctx = tctx | (st->miss[k] == first ? TG_CTX_START : 0);
        tg_word_keys(&m->lex, fold + t->fold, t->fold_len, t->flags, t->kind, ctx, &st->pend[k].wk);
        tg_prefetch_keys(m, &st->pend[k].wk);
    }
    for (size_t k = 0; k < nmiss; k++)
        tg_resolve(m, &st->pend[k].wk, &st->pend[k].rs);
    for (size_t k = 0; k < nmiss; k++) {
        size_t i = st->miss[k];
        add_roles(base, n, i, new_entry(st, keys[i], &st->pend[k]));
        st->closed[i] = st->pend[k].wk.closed;
        st->aux[i] = st->pend[k].wk.aux;
        st->pastish[i] = st->pend[k].wk.pastish;
    }
    tg_add8(base[0], m->edge[TG_P1]);
    tg_add8(base[0], m->edge[TG_P2]);
    if (n > 1)
        tg_add8(base[1], m->edge[TG_P2]);
    tg_add8(base[n - 1], m->edge[TG_N1]);
    tg_add8(base[n - 1], m->edge[TG_N2]);
    if (n > 1)
        tg_add8(base[n - 2], m->edge[TG_N2]);

    /* closed-class tags the words may not have: far below any score */
    for (size_t i = 0; i < n; i++) {
        if (st->closed[i] == 0) {
            tg_add16(base[i], m->open_only);
            continue;
        }
        for (int j = 0; j < TG_NCLOSED; j++)
            if (!(st->closed[i] >> j & 1))
                base[i][tg_closed_tags[j]] = (int16_t)(base[i][tg_closed_tags[j]] + TG_FORBID);
    }

    const size_t nt = TG_NT + 1;
    unsigned t1 = TG_START, t2 = TG_START;
    tg_hist h = { 0, 0 };
    for (size_t i = 0; i < n; i++) {
        const int8_t *r1 = m->t1 + (size_t)t1 * TG_NTP;
        const int8_t *r2 = m->t2 + ((size_t)t2 * nt + t1) * TG_NTP;
        const int8_t *r3 = m->hist[tg_hist_state(&h, st->pastish[i])];
        unsigned tag = decode_step(base[i], r1, r2, r3);
        tags[i] = (uint8_t)tag;
        tg_hist_next(&h, tag, st->aux[i]);
        t2 = t1;
        t1 = tag;
    }
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

void tg_tagstate_stats(const sr_tagstate *s, uint64_t *hits, uint64_t *misses)
{
    *hits = s->hits;
    *misses = s->misses;
}
