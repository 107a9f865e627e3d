/*
 * syntax/internal.h - what the tagger's files share inside src/syntax/, and
 * what the training tool (tools/train_tagger.c) reuses so that it computes
 * exactly the features the runtime computes.
 *
 * The model in memory (tg_model):
 *   - features: 64-bit keys (a template id hashed with a word form, suffix,
 *     shape or lexicon class), each with a sparse list of (tag, weight);
 *   - dense tables expanded from those features at load: T1[prev tag],
 *     T2[tag before that][prev tag], TC[prev tag][class of this word];
 *   - the lexicon: folded word form -> the classes WordNet (and the
 *     irregular-form lists) allow it, looked up by hash, plus the frequent
 *     words that get a class of their own in TC.
 * Weights are int16 scores (the averaged perceptron's float weights times a
 * scale); a tag's score for a token is a saturating sum of ~30 of them.
 */
#ifndef SITREP_SYNTAX_INTERNAL_H
#define SITREP_SYNTAX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/syntax.h"

/* Score vectors are padded to a multiple of 8 lanes (one SSE register of
 * int16): lanes past SR_POS_COUNT never win (see tg_model.t1). */
#define TG_NT     SR_POS_COUNT
#define TG_NTP    56
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
};
#define TG_LX_BITS 15

/* ---- the lexicon as the model holds it ----------------------------------- */
typedef struct tg_lexent {
    uint64_t key;     /* sr_hash64 of the folded form; 0 = empty slot */
    uint16_t bits;    /* TG_LX_* */
    uint16_t wclass;  /* its own TC class when a frequent word, else 0 */
} tg_lexent;

typedef struct tg_lex {
    tg_lexent *slot;          /* open addressing, power-of-two size */
    size_t     mask;          /* nslots - 1 */
    size_t     n;             /* entries */
    uint16_t   lexclass[1 << TG_LX_BITS]; /* bits -> TC class (non-frequent words) */
    uint32_t   nwclass;       /* TC classes in all */
} tg_lex;

/* Form hash used by the lexicon (and nothing else). */
uint64_t tg_form_hash(const char *s, size_t n);
/* Entry for a form hash, or NULL. */
const tg_lexent *tg_lex_find(const tg_lex *lx, uint64_t key);
/* Add or OR into an entry (the trainer builds the lexicon with this). */
sr_err tg_lex_put(tg_lex *lx, uint64_t key, uint16_t bits, uint16_t wclass);
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
    uint16_t wclass;          /* class for TC */
    uint16_t lexbits;
} tg_wordkeys;

/* Feature keys of one token (form = folded form) in every role. */
void tg_word_keys(const tg_lex *lx, const char *form, size_t n, uint8_t flags, uint8_t kind,
                  uint8_t ctx, tg_wordkeys *out);
/* The pseudo-words before the start and after the end of a sentence. */
void tg_edge_keys(bool end, tg_wordkeys *out);
/* Keys of the tag-history features (their weights expand to dense tables). */
uint64_t tg_key_t1(unsigned t1);
uint64_t tg_key_t2(unsigned t2, unsigned t1);
uint64_t tg_key_tc(unsigned t1, unsigned wclass);
/* Sentence-level context: title case / all capitals (headlines). */
bool tg_sentence_is_title(const sr_token *toks, size_t n, const char *fold);
/* Index of the first word of a sentence (after opening quotes, brackets,
 * dashes): the token that has TG_CTX_START. */
size_t tg_first_word(const sr_token *toks, size_t n);

/* ---- the model ------------------------------------------------------------ */
typedef struct tg_feat {
    uint64_t key;             /* 0 = empty slot */
    uint32_t first, count;    /* its (tag, weight) pairs in tg_model.ptag/pw */
} tg_feat;

struct sr_tagger {
    tg_feat  *feat;           /* open addressing, power-of-two size */
    size_t    fmask;
    size_t    nfeat;
    uint8_t  *ptag;           /* pair tags */
    int16_t  *pw;             /* pair weights */
    size_t    npairs;
    int16_t  *t1;             /* [TG_NT+1][TG_NTP] */
    int16_t  *t2;             /* [(TG_NT+1)*(TG_NT+1)][TG_NTP] */
    int16_t  *tc;             /* [(TG_NT+1)][nwclass][TG_NTP] */
    int16_t   edge[TG_NROLES][TG_NTP];   /* start/end pseudo-words' role sums */
    tg_lex    lex;
    uint32_t  version;
    size_t    bytes;
    char      source[128];
};

/* Sum the weights of keys[0..n) into acc (dense, saturating). */
void tg_sum_keys(const sr_tagger *m, const uint64_t *keys, size_t n, int16_t *acc);

/* Saturating int16 add of TG_NTP lanes. */
static inline int16_t tg_sat16(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* Model file writing (the training tool).  Sparse features in; the tables
 * and lexicon are written as given. */
typedef struct tg_model_out {
    const uint64_t *keys;     /* nfeat keys */
    const uint32_t *first;    /* nfeat+1 offsets into tags/weights */
    size_t          nfeat;
    const uint8_t  *tags;
    const int16_t  *weights;
    const tg_lex   *lex;
    const char     *source;
} tg_model_out;
sr_err tg_model_write(const char *path, const tg_model_out *mo);

#endif
