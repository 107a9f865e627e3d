/*
 * sitrep/syntax.h - syntax over the text pipeline's tokens: part-of-speech
 * tags now; phrase chunks and clauses (for the event coder) will join this
 * module in their own sections below, built on the tags.
 *
 * Part-of-speech tagging
 * ----------------------
 * Every token of a sentence (sitrep's own tokens, sitrep/text.h: possessive
 * 's and n't split off, hyphenated compounds whole) gets one Penn Treebank
 * tag as the Universal Dependencies English Web Treebank writes them in its
 * XPOS column (sr_pos below).  The tagger is a greedy left-to-right averaged
 * perceptron (src/syntax/tagger.c says why and how it is made fast): per
 * word type features (form, suffixes, shape, the classes an English
 * lexicon allows) and the words around it, plus the two tags before it.
 * The shipped model, dict/pos/en-ewt.model, is made by scripts/train-tagger
 * from UD EWT (CC BY-SA 4.0) and the WordNet 3.0 lexicon; dict/pos/NOTICE
 * carries their attribution.  Its accuracy, measured by the training tool,
 * is in dict/pos/README.md.
 *
 * Ownership and threads: an sr_tagger is the loaded model; it is read-only
 * once loaded, so any number of threads may share it.  Each thread tags
 * with its own sr_tagstate (caches of per-word scores; a few MB at most,
 * bounded whatever the input).  A tagstate belongs to the tagger it was
 * made from and must be freed before it.  The caller owns the tags array.
 *
 * Errors: sr_tagger_load reports a missing, unreadable or damaged model
 * with SR_EIO / SR_EFORMAT / SR_ETOOBIG / SR_ENOMEM and, when given an
 * sr_tagger_err, one line naming the file and what is wrong with it (for
 * "sitrep: FILE: reason").  Tagging itself cannot fail except SR_EINVAL
 * for a sentence index out of range.
 */
#ifndef SITREP_SYNTAX_H
#define SITREP_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/text.h"

/* ---- the tag set ----------------------------------------------------------
 * Penn Treebank tags as UD EWT's XPOS column has them.  The values are
 * stable (a model file names its tags and is checked against them at load);
 * new tags go at the end, before SR_POS_COUNT. */
typedef enum sr_pos {
    SR_POS_NN = 0,   /* noun, singular or mass: attack, ministry */
    SR_POS_NNS,      /* noun, plural: troops */
    SR_POS_NNP,      /* proper noun, singular: Russia, Putin */
    SR_POS_NNPS,     /* proper noun, plural: Americans, Nations */
    SR_POS_VB,       /* verb, base form: (to) withdraw, (must) leave */
    SR_POS_VBD,      /* verb, past tense: attacked, said */
    SR_POS_VBG,      /* verb, gerund or present participle: fighting */
    SR_POS_VBN,      /* verb, past participle: (was) attacked, (has) said */
    SR_POS_VBP,      /* verb, present, not 3rd person singular: (they) say */
    SR_POS_VBZ,      /* verb, present, 3rd person singular: says */
    SR_POS_MD,       /* modal: will, must, could */
    SR_POS_JJ,       /* adjective: military */
    SR_POS_JJR,      /* adjective, comparative: larger */
    SR_POS_JJS,      /* adjective, superlative: largest */
    SR_POS_RB,       /* adverb: not, reportedly */
    SR_POS_RBR,      /* adverb, comparative: more */
    SR_POS_RBS,      /* adverb, superlative: most */
    SR_POS_DT,       /* determiner: the, a, this, no */
    SR_POS_PDT,      /* predeterminer: all (the), both (the) */
    SR_POS_IN,       /* preposition or subordinating conjunction: by, that */
    SR_POS_TO,       /* to */
    SR_POS_CC,       /* coordinating conjunction: and, but */
    SR_POS_CD,       /* cardinal number: 12, two, 1990 */
    SR_POS_PRP,      /* personal pronoun: it, they */
    SR_POS_PRPS,     /* possessive pronoun, PRP$: its, their */
    SR_POS_WDT,      /* wh-determiner: which, that (relative) */
    SR_POS_WP,       /* wh-pronoun: who, what */
    SR_POS_WPS,      /* possessive wh-pronoun, WP$: whose */
    SR_POS_WRB,      /* wh-adverb: when, where, why */
    SR_POS_POS,      /* possessive ending: 's */
    SR_POS_RP,       /* particle: (pull) back, (broke) down */
    SR_POS_EX,       /* existential there */
    SR_POS_UH,       /* interjection */
    SR_POS_FW,       /* foreign word */
    SR_POS_SYM,      /* symbol */
    SR_POS_LS,       /* list item marker */
    SR_POS_COMMA,    /* , */
    SR_POS_PERIOD,   /* . ! ?  (sentence-final punctuation) */
    SR_POS_COLON,    /* : ; ... - */
    SR_POS_LQUOTE,   /* `` opening quote */
    SR_POS_RQUOTE,   /* '' closing quote */
    SR_POS_LRB,      /* -LRB- ( [ { */
    SR_POS_RRB,      /* -RRB- ) ] } */
    SR_POS_HYPH,     /* hyphen between word parts */
    SR_POS_NFP,      /* superfluous punctuation: *** ==> */
    SR_POS_DOLLAR,   /* $ and other currency signs */
    SR_POS_HASH,     /* # */
    SR_POS_ADD,      /* e-mail or web address (UPOS PROPN, as EWT has it) */
    SR_POS_GW,       /* "goes with": a piece of a word split in the text */
    SR_POS_XX,       /* unknown, typo */
    SR_POS_AFX,      /* affix written apart: pre (and post-war) */
    SR_POS_COUNT
} sr_pos;

/* Universal Dependencies UPOS: the coarse classes. */
typedef enum sr_upos {
    SR_UPOS_ADJ = 0, SR_UPOS_ADP, SR_UPOS_ADV, SR_UPOS_AUX, SR_UPOS_CCONJ,
    SR_UPOS_DET, SR_UPOS_INTJ, SR_UPOS_NOUN, SR_UPOS_NUM, SR_UPOS_PART,
    SR_UPOS_PRON, SR_UPOS_PROPN, SR_UPOS_PUNCT, SR_UPOS_SCONJ, SR_UPOS_SYM,
    SR_UPOS_VERB, SR_UPOS_X,
    SR_UPOS_COUNT
} sr_upos;

/* "NN", "PRP$", "-LRB-", ","; "?" for a value out of range. */
const char *sr_pos_name(sr_pos p);
/* The tag named s[0..n), or SR_POS_COUNT if none is. */
sr_pos      sr_pos_from_name(const char *s, size_t n);
/* "NOUN", "VERB", ...; "?" out of range. */
const char *sr_upos_name(sr_upos u);
/* The UPOS a tag usually has in UD EWT.  A tag alone cannot say everything
 * UPOS says: a VB* tag maps to VERB even for an auxiliary "was" (UD: AUX),
 * IN to ADP even for "that"/"if" (UD: SCONJ), WDT to PRON; MD is AUX. */
sr_upos     sr_pos_upos(sr_pos p);

/* Cheap predicates the coder asks per token (a bit test each). */
static inline bool sr_pos_is_verb(uint8_t p)    /* VB VBD VBG VBN VBP VBZ MD */
{ return p < 64 && ((0x7F0ull >> p) & 1); }
static inline bool sr_pos_is_finite_verb(uint8_t p)  /* VBD VBP VBZ MD */
{ return p == SR_POS_VBD || p == SR_POS_VBP || p == SR_POS_VBZ || p == SR_POS_MD; }
static inline bool sr_pos_is_noun(uint8_t p)    /* NN NNS NNP NNPS */
{ return p <= SR_POS_NNPS; }
static inline bool sr_pos_is_proper(uint8_t p)  /* NNP NNPS */
{ return p == SR_POS_NNP || p == SR_POS_NNPS; }
static inline bool sr_pos_is_adj(uint8_t p)     /* JJ JJR JJS */
{ return p >= SR_POS_JJ && p <= SR_POS_JJS; }
static inline bool sr_pos_is_adverb(uint8_t p)  /* RB RBR RBS WRB */
{ return (p >= SR_POS_RB && p <= SR_POS_RBS) || p == SR_POS_WRB; }
static inline bool sr_pos_is_pronoun(uint8_t p) /* PRP PRP$ WP WP$ */
{ return p == SR_POS_PRP || p == SR_POS_PRPS || p == SR_POS_WP || p == SR_POS_WPS; }
static inline bool sr_pos_is_wh(uint8_t p)      /* WDT WP WP$ WRB */
{ return p >= SR_POS_WDT && p <= SR_POS_WRB; }
static inline bool sr_pos_is_punct(uint8_t p)   /* , . : `` '' ( ) HYPH NFP */
{ return p >= SR_POS_COMMA && p <= SR_POS_NFP; }

/* ---- the tagger ----------------------------------------------------------- */

typedef struct sr_tagger sr_tagger;
typedef struct sr_tagstate sr_tagstate;

/* Where a load failed, for a one-line diagnostic "FILE: reason". */
typedef struct sr_tagger_err {
    char msg[256];
} sr_tagger_err;

/* Caps a model file must respect (a damaged or hostile file is refused
 * before anything is allocated from its sizes). */
#define SR_TAGGER_MAX_FILE     ((size_t)32 << 20)
#define SR_TAGGER_MAX_FEATURES ((size_t)1 << 22)

/* The shipped model's file name inside the dictionary folder. */
#define SR_TAGGER_MODEL_FILE   "pos/en-ewt.model"

/* Load a model file.  NULL on failure, with *err set to the reason and,
 * if msg is not NULL, msg->msg to "PATH: what is wrong". */
sr_tagger *sr_tagger_load_ex(const char *path, sr_err *err, sr_tagger_err *msg);
sr_tagger *sr_tagger_load(const char *path, sr_err *err);
/* Load from bytes in memory (copied); what the fuzz target drives. name is
 * used in messages. */
sr_tagger *sr_tagger_load_mem(const void *p, size_t n, const char *name, sr_err *err,
                              sr_tagger_err *msg);
void       sr_tagger_free(sr_tagger *t);

/* Per-thread working state: NULL on allocation failure. */
sr_tagstate *sr_tagstate_new(const sr_tagger *t);
void         sr_tagstate_free(sr_tagstate *s);

/* Tag sentence `sent` of d: tags[k] (an sr_pos) for its k-th token, k <
 * d->sents[sent].tok_count (at most SR_TEXT_MAX_TOKENS).  The token forms
 * are read from d (folded forms, flags, kinds); lexicon ids are not needed,
 * so documents analysed against any lexicon, or none, tag the same. */
sr_err sr_tag_sentence(const sr_tagger *t, sr_tagstate *s, const sr_textdoc *d,
                       size_t sent, uint8_t *tags);

/* Tag tokens toks[0..n) (one sentence, n <= SR_TEXT_MAX_TOKENS) whose folded
 * forms are in fold: what sr_tag_sentence does, for callers that hold
 * tokens outside an sr_textdoc (the training tool). */
sr_err sr_tag_tokens(const sr_tagger *t, sr_tagstate *s, const sr_token *toks, size_t n,
                     const char *fold, uint8_t *tags);

/* What a model file holds, for `sitrep tag --info` and tests. */
typedef struct sr_tagger_info {
    uint32_t version;
    uint32_t ntags;          /* tags the model can assign */
    size_t   features;       /* weighted features */
    size_t   lexicon_words;  /* word forms in its lexicon */
    size_t   bytes;          /* memory the loaded model holds */
    char     source[128];    /* what it was trained on (from the file) */
} sr_tagger_info;
void sr_tagger_get_info(const sr_tagger *t, sr_tagger_info *info);

#endif
