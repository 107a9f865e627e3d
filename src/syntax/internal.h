/*
 * syntax/internal.h - what the tagger's files share inside src/syntax/, and
 * what the training tool (tools/train_tagger.c) reuses so that it computes
 * exactly the features the runtime computes.
 *
 * The model in memory (tg_model):
 *   - features: 64-bit keys (a template id hashed with a word form, suffix,
 *     shape or lexicon class), each with a sparse list of (tag, weight);
 *   - dense tables expanded from those features at load: T1[prev tag],
 *     T2[tag before that][prev tag];
 *   - the lexicon: folded word form -> the classes WordNet (and the
 *     irregular-form lists) allow it, and whether the treebank has it,
 *     looked up by hash.
 * Weights are int8 (the averaged perceptron's float weights times a scale
 * that maps the largest to 60; finer steps measured no better), so a dense
 * row of scores over the tags is one 64-byte cache line.  Sums are exact
 * int16; a word type's cached role sums are stored back as saturated int8
 * (which, measured on the treebank, changes no accuracy figure).
 */
#ifndef SITREP_SYNTAX_INTERNAL_H
#define SITREP_SYNTAX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/syntax.h"

/* Score vectors have 64 lanes (a cache line of int8); lanes past
 * SR_POS_COUNT are never chosen. */
#define TG_NT     SR_POS_COUNT
#define TG_NTP    64
#define TG_START  TG_NT          /* the "tag" before a sentence */

/* Model file format version this build reads and writes. */
#define TG_MODEL_VERSION 1
#define TG_MAGIC "SRTAGGER"

/* ---- lexicon classes (bits of tg_lexbits) ---------------------------------
 * What an English lexicon says a form can be.  Derived from WordNet lemmas
 * (noun, verb, adjective, adverb; proper when WordNet writes it capitalized)
 * and their regular and irregular inflections; the DOM_* bits say which
 * part of speech its senses are used as most in WordNet's tagged corpus. */
enum {
    TG_LX_NN    = 1 << 0,   /* a common noun lemma */
    TG_LX_NNS   = 1 << 1,   /* plural of a noun */
    TG_LX_VB    = 1 << 2,   /* a verb lemma (base form) */
    TG_LX_VBZ   = 1 << 3,   /* -s form of a verb */
    TG_LX_VPAST = 1 << 4,   /* past tense or participle of a verb */
    TG_LX_VBG   = 1 << 5,   /* -ing form of a verb */
    TG_LX_JJ    = 1 << 6,   /* an adjective lemma */
    TG_LX_JJR   = 1 << 7,   /* comparative */
    TG_LX_JJS   = 1 << 8,   /* superlative */
    TG_LX_RB    = 1 << 9,   /* an adverb lemma */
    TG_LX_NNP   = 1 << 10,  /* WordNet writes it capitalized (a name) */
    TG_LX_DOMN  = 1 << 11,  /* used mostly as a noun */
    TG_LX_DOMV  = 1 << 12,  /* used mostly as a verb */
    TG_LX_DOMA  = 1 << 13,  /* used mostly as an adjective or adverb */
    TG_LX_IRREG = 1 << 14,  /* an irregular form (went, children, better) */
    TG_LX_SEEN  = 1 << 15,  /* a form of the training treebank (not a feature:
                               says which word-identity features can exist) */
};
#define TG_LX_BITS 15
#define TG_LX_MASK ((1u << TG_LX_BITS) - 1)

/* ---- closed classes --------------------------------------------------------
 * Function-word tags: a word gets one of these only if the treebank gave it
 * that tag ("Turkey" at the start of a sentence is never PRP, "reports"
 * never DT).  Bit j of a closed-tag set stands for tg_closed_tags[j]. */
#define TG_NCLOSED 15
static const uint8_t tg_closed_tags[TG_NCLOSED] = {
    SR_POS_DT, SR_POS_PDT, SR_POS_IN, SR_POS_TO, SR_POS_CC, SR_POS_PRP, SR_POS_PRPS,
    SR_POS_WDT, SR_POS_WP, SR_POS_WPS, SR_POS_WRB, SR_POS_POS, SR_POS_EX, SR_POS_MD,
    SR_POS_UH,
};
/* The bit of tag t in a closed-tag set, or 0 for an open-class tag. */
static inline uint16_t tg_closed_bit(unsigned t)
{
    for (int j = 0; j < TG_NCLOSED; j++)
        if (tg_closed_tags[j] == t)
            return (uint16_t)(1u << j);
    return 0;
}

/* ---- the lexicon as the model holds it -----------------------------------
 * An open-addressing table of 8-byte slots (the tagger probes it a few times
 * for every word type it meets, so it is kept small): the slot is chosen by
 * the low bits of the form's 64-bit hash, and the high 32 bits are kept to
 * tell forms apart. */
typedef struct tg_lexent {
    uint32_t fp;      /* high half of the form hash (never 0); 0 = empty */
    uint16_t bits;    /* TG_LX_* */
    uint16_t closed;  /* closed-class tags the treebank gives it (TG_CLOSED_TAGS
                         bits); no other closed-class tag is ever chosen */
} tg_lexent;

typedef struct tg_lex {
    tg_lexent *slot;          /* power-of-two size, at most half full */
    uint64_t  *full;          /* full keys by slot, kept only while building */
    size_t     mask;          /* nslots - 1 */
    size_t     n;             /* entries */
} tg_lex;

/* Form hash used by the lexicon (and nothing else). */
uint64_t tg_form_hash(const char *s, size_t n);
static inline uint32_t tg_fp(uint64_t key)
{
    uint32_t f = (uint32_t)(key >> 32);
    return f ? f : 1;
}
/* Entry for a form hash, or NULL. */
static inline const tg_lexent *tg_lex_find(const tg_lex *lx, uint64_t key)
{
    if (!lx->slot)
        return NULL;
    uint32_t fp = tg_fp(key);
    for (size_t i = key & lx->mask;; i = (i + 1) & lx->mask) {
        const tg_lexent *e = &lx->slot[i];
        if (e->fp == fp)
            return e;
        if (e->fp == 0)
            return NULL;
    }
}
/* An empty lexicon with room for n entries; keep_full keeps the full keys
 * (needed to grow past n and to write the lexicon out). */
sr_err tg_lex_init(tg_lex *lx, size_t n, bool keep_full);
/* Add or OR into an entry (the trainer builds the lexicon with this). */
sr_err tg_lex_put(tg_lex *lx, uint64_t key, uint16_t bits, uint16_t closed);
void   tg_lex_free(tg_lex *lx);
/* The classes of a folded form: its own entry, plus what stripping a
 * regular inflection (-s -es -ies -ed -ing -er -est, doubled consonants)
 * finds for the stem. */
uint16_t tg_lex_bits(const tg_lex *lx, const char *form, size_t n);

/* ---- features ------------------------------------------------------------- */

/* Roles a word plays for the token being tagged: itself, the word before,
 * after, two before, two after. */
enum { TG_SELF = 0, TG_P1, TG_N1, TG_P2, TG_N2, TG_NROLES };
#define TG_MAX_KEYS 24

/* Per-token context the word features depend on besides the form. */
enum {
    TG_CTX_START = 1 << 0,    /* first word of the sentence */
    TG_CTX_TITLE = 1 << 1,    /* sentence in title case or all capitals */
};

typedef struct tg_wordkeys {
    uint64_t key[TG_NROLES][TG_MAX_KEYS];
    uint8_t  n[TG_NROLES];
    uint16_t lexbits;
    uint16_t closed;          /* closed-class tags allowed (tg_lexent.closed) */
    uint8_t  aux;             /* TG_AUX_*: a form of be, have or get */
    uint8_t  pastish;         /* may be a past form: the lexicon says so, or -ed/-en */
} tg_wordkeys;

/* ---- the verb group so far -------------------------------------------------
 * What the tags chosen so far say about the verb group a token may belong
 * to: is a form of be / have / get waiting for its participle, and has the
 * clause had a finite verb.  With "may this word be a past form" it picks
 * one row of a small table (feature TG key tg_key_hist): the weights that
 * tell VBN (was attacked, has said) from VBD (troops attacked). */
enum { TG_AUX_NONE = 0, TG_AUX_BE, TG_AUX_HAVE, TG_AUX_GET };
#define TG_NHIST 16
typedef struct tg_hist {
    uint8_t pending;          /* TG_AUX_* waiting for a verb */
    uint8_t finite;           /* a finite verb since the clause began */
} tg_hist;

static inline unsigned tg_hist_state(const tg_hist *h, uint8_t pastish)
{
    return (unsigned)(h->pending * 4 + h->finite * 2 + (pastish ? 1 : 0));
}

/* The history after token of aux class `aux` got tag t. */
static inline void tg_hist_next(tg_hist *h, unsigned t, uint8_t aux)
{
    if (sr_pos_is_verb((uint8_t)t)) {
        if (sr_pos_is_finite_verb((uint8_t)t))
            h->finite = 1;
        if (t != SR_POS_MD)
            h->pending = aux;
    } else if (t == SR_POS_COMMA || t == SR_POS_PERIOD || t == SR_POS_COLON || t == SR_POS_CC ||
               t == SR_POS_IN || t == SR_POS_WDT || t == SR_POS_WP || t == SR_POS_WRB) {
        h->pending = 0;
        h->finite = 0;
    }
}
uint64_t tg_key_hist(unsigned state);

/* Feature keys of one token (form = folded form) in every role. */
void tg_word_keys(const tg_lex *lx, const char *form, size_t n, uint8_t flags, uint8_t kind,
                  uint8_t ctx, tg_wordkeys *out);
/* The pseudo-words before the start and after the end of a sentence. */
void tg_edge_keys(bool end, tg_wordkeys *out);
/* Keys of the tag-history features (their weights expand to dense tables). */
uint64_t tg_key_t1(unsigned t1);
uint64_t tg_key_t2(unsigned t2, unsigned t1);
/* Sentence-level context: title case / all capitals (headlines). */
bool tg_sentence_is_title(const sr_token *toks, size_t n, const char *fold);
/* Index of the first word of a sentence (after opening quotes, brackets,
 * dashes): the token that has TG_CTX_START. */
size_t tg_first_word(const sr_token *toks, size_t n);

/* ---- the model ------------------------------------------------------------ */
/* A feature's slot: like the lexicon, the low bits of the key choose the
 * slot and the high 32 are kept; first << 6 | count locate its (tag,
 * weight) pairs in ptag/pw. */
typedef struct tg_feat {
    uint32_t fp;              /* 0 = empty slot */
    uint32_t fc;
} tg_feat;
#define TG_FEAT_MAX_PAIRS ((size_t)1 << 26)
/* A feature with this many weights or more is expanded at load into a dense
 * row (fc = row << 6 | TG_FEAT_DENSE), added with vector instructions. */
#define TG_DENSE_MIN  8
#define TG_FEAT_DENSE 63

struct sr_tagger {
    tg_feat  *feat;           /* open addressing, power-of-two size */
    size_t    fmask;
    size_t    nfeat;
    uint8_t  *ptag;           /* pair tags */
    int8_t   *pw;             /* pair weights */
    size_t    npairs;
    int8_t   *dense;          /* [ndense][TG_NTP]: the features with many weights */
    size_t    ndense;
    int8_t   *t1;             /* [TG_NT+1][TG_NTP] */
    int8_t   *t2;             /* [(TG_NT+1)*(TG_NT+1)][TG_NTP] */
    int8_t    hist[TG_NHIST][TG_NTP] __attribute__((aligned(64)));  /* verb-group rows */
    int8_t    edge[TG_NROLES][TG_NTP] __attribute__((aligned(64)));  /* start/end pseudo-words */
    int16_t   open_only[TG_NTP] __attribute__((aligned(16)));  /* TG_FORBID on every closed tag */
    tg_lex    lex;
    uint32_t  version;
    size_t    bytes;
    char      source[128];
};

/* Word-type cache hits and misses of a tagstate so far (benchmarks). */
void tg_tagstate_stats(const sr_tagstate *s, uint64_t *hits, uint64_t *misses);

/* Sum each role's keys of wk into v[role] (saturated to int8).  The same in
 * three steps, so a caller with several word types to sum can overlap
 * their memory reads: ask for the keys' slots, find the features (and ask
 * for their weights), add. */
void tg_sum_roles(const sr_tagger *m, const tg_wordkeys *wk, int8_t (*v)[TG_NTP]);
typedef struct tg_resolved {
    uint32_t fc[TG_NROLES][TG_MAX_KEYS];   /* found features (tg_feat.fc) */
    uint8_t  nf[TG_NROLES];
} tg_resolved;
void tg_prefetch_keys(const sr_tagger *m, const tg_wordkeys *wk);
void tg_resolve(const sr_tagger *m, const tg_wordkeys *wk, tg_resolved *rs);
void tg_sum_resolved(const sr_tagger *m, const tg_resolved *rs, int8_t (*v)[TG_NTP]);
/* Ask for the lexicon slots tg_lex_bits(form) will read. */
void tg_lex_prefetch(const tg_lex *lx, const char *form, size_t n);
/* Add the weights of keys[0..n) to acc. */
void tg_sum_keys(const sr_tagger *m, const uint64_t *keys, size_t n, int16_t *acc);

static inline int8_t tg_sat8(int32_t v)
{
    return (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* acc[0..64) += row[0..64) (int8, sign-extended); acc 16-byte aligned. */
static inline void tg_add8(int16_t *restrict acc, const int8_t *restrict row)
{
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)row + k);
        __m128i lo = _mm_srai_epi16(_mm_unpacklo_epi8(x, x), 8);
        __m128i hi = _mm_srai_epi16(_mm_unpackhi_epi8(x, x), 8);
        __m128i *a = (__m128i *)acc + 2 * k;
        _mm_store_si128(a, _mm_add_epi16(_mm_load_si128(a), lo));
        _mm_store_si128(a + 1, _mm_add_epi16(_mm_load_si128(a + 1), hi));
    }
}
/* acc[0..64) += v[0..64) (int16, both 16-byte aligned). */
static inline void tg_add16(int16_t *restrict acc, const int16_t *restrict v)
{
    for (int k = 0; k < 8; k++) {
        __m128i *a = (__m128i *)acc + k;
        _mm_store_si128(a, _mm_add_epi16(_mm_load_si128(a), _mm_load_si128((const __m128i *)v + k)));
    }
}
/* dst[0..64) = src[0..64) saturated to int8 (-128 is never written). */
static inline void tg_store8(int8_t *restrict dst, const int16_t *restrict src)
{
    const __m128i lim = _mm_set1_epi16(-127);
    for (int k = 0; k < 4; k++) {
        __m128i lo = _mm_max_epi16(_mm_load_si128((const __m128i *)src + 2 * k), lim);
        __m128i hi = _mm_max_epi16(_mm_load_si128((const __m128i *)src + 2 * k + 1), lim);
        _mm_storeu_si128((__m128i *)dst + k, _mm_packs_epi16(lo, hi));
    }
}
#else
static inline void tg_add8(int16_t *restrict acc, const int8_t *restrict row)
{
    for (int l = 0; l < TG_NTP; l++)
        acc[l] = (int16_t)(acc[l] + row[l]);
}
static inline void tg_store8(int8_t *restrict dst, const int16_t *restrict src)
{
    for (int l = 0; l < TG_NTP; l++)
        dst[l] = tg_sat8(src[l]);
}
static inline void tg_add16(int16_t *restrict acc, const int16_t *restrict v)
{
    for (int l = 0; l < TG_NTP; l++)
        acc[l] = (int16_t)(acc[l] + v[l]);
}
#endif
/* What a forbidden tag's score is lowered by: more than any sum of weights
 * (at most 8 rows of |w| <= 127) can make up. */
#define TG_FORBID (-4096)

/* Model file writing (the training tool).  Sparse features in; the tables
 * and lexicon are written as given. */
typedef struct tg_model_out {
    const uint64_t *keys;     /* nfeat keys */
    const uint32_t *first;    /* nfeat+1 offsets into tags/weights */
    size_t          nfeat;
    const uint8_t  *tags;
    const int8_t   *weights;
    const tg_lex   *lex;
    const char     *source;
} tg_model_out;
sr_err tg_model_write(const char *path, const tg_model_out *mo);

#endif
