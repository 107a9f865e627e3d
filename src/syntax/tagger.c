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
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "syntax/internal.h"

/* Direct-mapped cache of word types: 2^CACHE_BITS entries of ~570 bytes.
 * 4096 entries (2.3 MB) hold the types that make up >90% of news tokens. */
#define CACHE_BITS 12

typedef struct tg_centry {
    uint64_t key;                          /* 0: empty */
    uint16_t wclass;
    int16_t  v[TG_NROLES][TG_NTP] __attribute__((aligned(16)));
} tg_centry;

struct sr_tagstate {
    const sr_tagger *model;
    tg_centry *cache;
    int16_t   (*base)[TG_NTP];             /* [SR_TEXT_MAX_TOKENS][TG_NTP] */
    uint16_t  wclass[SR_TEXT_MAX_TOKENS];
    uint64_t  hits, misses;
};

sr_tagstate *sr_tagstate_new(const sr_tagger *t)
{
    sr_tagstate *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->model = t;
    s->cache = aligned_alloc(64, sizeof *s->cache << CACHE_BITS);
    s->base = aligned_alloc(64, sizeof *s->base * SR_TEXT_MAX_TOKENS);
    if (!s->cache || !s->base) {
        sr_tagstate_free(s);
        return NULL;
    }
    for (size_t i = 0; i < (1u << CACHE_BITS); i++)
        s->cache[i].key = 0;
    return s;
}

void sr_tagstate_free(sr_tagstate *s)
{
    if (!s)
        return;
    free(s->cache);
    free(s->base);
    free(s);
}

/* acc += v over all lanes, saturating. */
static inline void vadd(int16_t *restrict acc, const int16_t *restrict v)
{
#if defined(__SSE2__)
    for (int l = 0; l < TG_NTP; l += 8) {
        __m128i a = _mm_load_si128((const __m128i *)(acc + l));
        __m128i b = _mm_loadu_si128((const __m128i *)(v + l));
        _mm_store_si128((__m128i *)(acc + l), _mm_adds_epi16(a, b));
    }
#else
    for (int l = 0; l < TG_NTP; l++)
        acc[l] = tg_sat16((int32_t)acc[l] + v[l]);
#endif
}

/* The tag with the highest score (the first, on a tie). */
static inline unsigned argmax(const int16_t *s)
{
#if defined(__SSE2__)
    __m128i m = _mm_load_si128((const __m128i *)s);
    for (int l = 8; l < TG_NTP; l += 8)
        m = _mm_max_epi16(m, _mm_load_si128((const __m128i *)(s + l)));
    m = _mm_max_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = _mm_max_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
    m = _mm_max_epi16(m, _mm_shufflelo_epi16(m, _MM_SHUFFLE(2, 3, 0, 1)));
    m = _mm_set1_epi16((short)_mm_extract_epi16(m, 0));   /* the max in every lane */
    for (int l = 0; l < TG_NTP; l += 8) {
        int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_load_si128((const __m128i *)(s + l)), m));
        if (mask)
            return (unsigned)l + (unsigned)__builtin_ctz((unsigned)mask) / 2;
    }
    return 0;
#else
    unsigned best = 0;
    for (unsigned l = 1; l < TG_NT; l++)
        if (s[l] > s[best])
            best = l;
    return best;
#endif
}

/* The cached role sums of a token's word type, computed on a miss. */
static const tg_centry *word_entry(sr_tagstate *st, const sr_token *t, const char *f, uint8_t ctx)
{
    uint8_t fl = t->flags & (SR_TOKF_CAP | SR_TOKF_ALLCAPS | SR_TOKF_HYPHEN);
    uint64_t key = sr_hash64(f, t->fold_len, (uint64_t)fl | (uint64_t)t->kind << 8 | (uint64_t)ctx << 16);
    key += !key;
    tg_centry *e = &st->cache[key >> (64 - CACHE_BITS)];
    if (e->key == key) {
        st->hits++;
        return e;
    }
    st->misses++;
    const sr_tagger *m = st->model;
    tg_wordkeys wk;
    tg_word_keys(&m->lex, f, t->fold_len, t->flags, t->kind, ctx, &wk);
    memset(e->v, 0, sizeof e->v);
    for (int r = 0; r < TG_NROLES; r++)
        tg_sum_keys(m, wk.key[r], wk.n[r], e->v[r]);
    e->wclass = wk.wclass;
    e->key = key;
    return e;
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
    for (size_t i = 0; i < n; i++) {
        const sr_token *t = &toks[i];
        uint8_t ctx = tctx | (i == first ? TG_CTX_START : 0);
        const tg_centry *e = word_entry(st, t, fold + t->fold, ctx);
        vadd(base[i], e->v[TG_SELF]);
        if (i + 1 < n)
            vadd(base[i + 1], e->v[TG_P1]);
        if (i + 2 < n)
            vadd(base[i + 2], e->v[TG_P2]);
        if (i >= 1)
            vadd(base[i - 1], e->v[TG_N1]);
        if (i >= 2)
            vadd(base[i - 2], e->v[TG_N2]);
        st->wclass[i] = e->wclass;
    }
    vadd(base[0], m->edge[TG_P1]);
    vadd(base[0], m->edge[TG_P2]);
    if (n > 1)
        vadd(base[1], m->edge[TG_P2]);
    vadd(base[n - 1], m->edge[TG_N1]);
    vadd(base[n - 1], m->edge[TG_N2]);
    if (n > 1)
        vadd(base[n - 2], m->edge[TG_N2]);

    const size_t nt = TG_NT + 1, nw = m->lex.nwclass;
    unsigned t1 = TG_START, t2 = TG_START;
    for (size_t i = 0; i < n; i++) {
        int16_t *s = base[i];
        vadd(s, m->t1 + (size_t)t1 * TG_NTP);
        vadd(s, m->t2 + ((size_t)t2 * nt + t1) * TG_NTP);
        vadd(s, m->tc + ((size_t)t1 * nw + st->wclass[i]) * TG_NTP);
        unsigned tag = argmax(s);
        tags[i] = (uint8_t)tag;
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
