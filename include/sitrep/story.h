/*
 * sitrep/story.h - from many outlets' documents to stories: near-copies,
 * incremental story clustering, and briefs (claims, their support, and the
 * contradictions between outlets).
 *
 * Near-copies.  A wire story republished by ten sites is one report, not
 * ten.  sr_simhash() fingerprints a body from its words and word 3-shingles
 * (Charikar's SimHash); two bodies whose fingerprints differ in at most
 * SR_NEAR_COPY_BITS bits are near-copies (a credit line added to a short
 * wire item moves about 4 bits; unrelated texts differ in about 32).  The
 * store finds candidates by six bands of the fingerprint: two within 5
 * bits share at least one band whole.
 *
 * Stories.  Each document becomes a bag of terms (sr_story_terms_build and
 * sr_story_terms_add_events: the headline's words and word pairs, the
 * lead's words and names, the coded events' actors and dyads), weighted by
 * TF-IDF with document frequencies counted as documents arrive, names
 * weighted up.  A single pass scores each document against the stories
 * active near it in time - what each is about now (a decaying profile and
 * its recent documents) and how near in time those are - and joins the
 * best or opens a story (also when it shares only one word with a story
 * whose reports hang together far better than it does with them, or when
 * two stories claim it on different words); stories it shows to be one
 * merge, a story that has become two splits (cluster.c says why each part
 * is there).  Stories idle
 * longer than the window leave memory.  Everything the clusterer learns can
 * be flushed and restored, so the store keeps it in the same transaction
 * as the documents that taught it, and brings back a stored story a late
 * document needs (sr_clusterer_missing): how documents are split into
 * batches and processes does not change which story a dated one joins.
 *
 * Briefs.  sr_brief_build() reads one story's documents and event mentions
 * and lists claims: events (grouped by dyad and kind of action) and
 * attributes found in the text (a person's title, an amount), each with the
 * outlets that assert, report or hedge it; near-copies count once.  Where
 * outlets give different values for one subject (General vs Field Marshal
 * for the same man) it is a contradiction.
 *
 * Ownership: the clusterer owns its state; sr_story_terms and sr_brief are
 * owned by the caller and freed with their _free function.  Strings given to
 * sr_brief_build are copied.
 *
 * Errors: SR_ENOMEM; SR_EINVAL for a malformed restored state blob.
 */
#ifndef SITREP_STORY_H
#define SITREP_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/code.h"

/* ---- near-copies ---------------------------------------------------------- */

#define SR_NEAR_COPY_BITS 5
#define SR_SIMHASH_BANDS  6
/* SimHash of a body's words and word 3-shingles (case-folded ASCII). */
uint64_t sr_simhash(const char *text, size_t len);
int      sr_simhash_distance(uint64_t a, uint64_t b);
/* Share of the smaller text's word 3-shingles found in the other (0..1),
 * over the first few hundred words: the check behind a SimHash match, since
 * short templated texts can hash close without being copies. */
double   sr_shingle_containment(const char *a, size_t na, const char *b, size_t nb);
#define SR_NEAR_COPY_CONTAINMENT 0.8
/* The same, with one side's shingles computed once: a new document is
 * checked against several candidates.  The set lives wherever the caller
 * puts it (about 5 KB). */
#define SR_SHINGLE_MAX 600
typedef struct sr_shingle_set {
    uint64_t h[SR_SHINGLE_MAX];   /* sorted, distinct */
    size_t n;
} sr_shingle_set;
void     sr_shingle_set_build(sr_shingle_set *s, const char *text, size_t len);
double   sr_shingle_set_containment(const sr_shingle_set *a, const sr_shingle_set *b);
/* Band b (0..5) of a fingerprint: bits [11b, 11b+11), the last one 9 bits. */
static inline uint32_t sr_simhash_band(uint64_t h, int b)
{
    return (uint32_t)((h >> (11 * b)) & 0x7FF);
}
/* Hash of the normalized body (case folded, whitespace collapsed): the
 * document id, so the same text re-ingested is recognized. */
uint64_t sr_body_hash(const char *text, size_t len);

/* ---- terms ------------------------------------------------------------------ */

/* What a word's capitalization said where case carries meaning (a
 * sentence-case headline or body text, not a sentence's first word). */
#define SR_TERM_CASED   1u   /* seen where case means something */
#define SR_TERM_CAPITAL 2u   /* and capitalized there */
#define SR_TERM_PAIR    4u   /* two words joined ("mtgox"), not a word */

typedef struct sr_story_terms {
    uint64_t *term;        /* term hashes, distinct */
    float    *weight;      /* raw weight (before IDF) */
    uint8_t  *flags;       /* SR_TERM_* per term */
    size_t    n, cap;
    bool      keep_labels; /* set before building to keep each term's text */
    sr_buf    labels;      /* the texts, NUL-separated (see _label) */
    uint32_t *label_at;
} sr_story_terms;

/* Build the terms of one document (bag.c says which and why): title (may
 * be NULL), text[0..len) (only its first SR_STORY_LEDE_WORDS words are
 * used), actor codes (may be 0; their countries count).  Replaces t's
 * contents.  Zero-initialize t before the first use. */
#define SR_STORY_LEDE_WORDS 120
sr_err sr_story_terms_build(sr_story_terms *t, const char *title,
                            const char *text, size_t len,
                            const char *const *actors, size_t nactors);
/* Add a document's coded events: actor countries, full actor codes, and
 * the dyad with the CAMEO root ("event:PAK>LBY:04"). */
sr_err sr_story_terms_add_events(sr_story_terms *t, const sr_mention *ms, size_t n);
/* Add a place an event happened at ("place:88319", a city's gazetteer id):
 * two reports placing their events in one town are likelier one story. */
sr_err sr_story_terms_add_place(sr_story_terms *t, const char *place);
/* The text of term i ("gox", "mtgox", "actor:PAK"), or NULL unless
 * keep_labels was set when it was built. */
const char *sr_story_terms_label(const sr_story_terms *t, size_t i);
void   sr_story_terms_free(sr_story_terms *t);   /* keeps keep_labels */

/* ---- clustering --------------------------------------------------------------- */

/* Terms whose document frequency the clusterer keeps in memory; past it the
 * rarest already-stored ones are dropped (memory stays bounded on any
 * corpus). */
#define SR_CLUSTER_MAX_DF_TERMS ((size_t)1 << 21)

typedef struct sr_cluster_opts {
    double   assign_min;   /* score to join a story (see cluster.c) */
    double   merge_min;    /* score between two stories to merge them */
    double   split_max;    /* similarity between a story's two halves below
                              which it splits (0: never) */
    double   link_weight;  /* share of the score from the nearest recent
                              documents; the rest from the story's profile */
    unsigned link_k;       /* nearest recent documents averaged */
    double   size_prior;   /* score x (1 + size_prior * ln(documents)) */
    double   ent_weight;   /* a term that looks like a name weighs up to
                              1 + ent_weight times more */
    double   profile_decay;/* a story's profile x this per later document */
    int64_t  time_scale;   /* seconds apart at which a score counts half */
    int64_t  window;       /* seconds: stories farther away are not compared,
                              and idle ones leave memory */
    size_t   max_active;   /* cap on stories held in memory */
    unsigned members;      /* recent documents a story remembers (<= 64) */
    unsigned member_terms; /* terms kept per remembered document */
    size_t   max_terms;    /* profile terms kept (up to twice as many held) */
} sr_cluster_opts;

/* assign_min, merge_min and link_weight are what the cross-validation rule
 * (the grid setting whose neighbourhood does best by F1 and by mixed
 * stories; bench/cluster_eval.h) picks on the whole of
 * ../shared/data/clustering/uci_headlines_dev.csv (`bench_cluster
 * --tune`); the folds themselves choose on their other half only.  The time scale (half a day), window (a week), split level,
 * decays and memory sizes were set in advance, not tuned on it. */
#define SR_CLUSTER_DEFAULTS { 0.09, 0.10, 0.05, 0.5, 3, 0.1, 2.0, 0.97, 12 * 3600, \
                              7 * 86400, 4096, 16, 48, 400 }
#define SR_TIME_UNKNOWN INT64_MIN

typedef struct sr_clusterer sr_clusterer;

typedef struct sr_cluster_result {
    int64_t story;         /* the story the document is in now */
    bool    is_new;        /* it opened a new story */
    /* why it joined (all 0 if it opened a story or was a near-copy) */
    double  score;         /* the score that won */
    double  link;          /* mean cosine to the story's nearest documents */
    double  profile;       /* cosine to the story's recent profile */
    double  time_factor;   /* 1 in the story's time span, less farther off */
    int64_t nearest;       /* the most similar remembered document (its key) */
    /* stories merged into `story` because of this document */
    int64_t merged[8];
    size_t  nmerged;
    /* a split: the remembered documents moved[] left split_from for the new
     * story split_into (the array is the clusterer's, valid until the next
     * call); 0 and none if nothing split */
    int64_t split_from, split_into;
    const int64_t *moved;
    size_t  nmoved;
} sr_cluster_result;

sr_clusterer *sr_clusterer_new(const sr_cluster_opts *opts);  /* NULL: defaults */
void          sr_clusterer_free(sr_clusterer *c);

/* Count a document's terms in the document frequencies and assign it.
 * time is seconds since the epoch or SR_TIME_UNKNOWN: an undated document
 * only joins stories touched since the last flush (its batch).  doc is the
 * caller's key for the document (reported in nearest and moved; 0 if
 * none).  force_story > 0 puts it in that story without comparing (a
 * near-copy goes where its original is); its terms still count. */
sr_err sr_clusterer_add(sr_clusterer *c, const sr_story_terms *t, int64_t time,
                        int64_t doc, int64_t force_story, sr_cluster_result *out);

/* Persistence.  Restore: set what a store saved, before the first add. */
void   sr_clusterer_restore_counts(sr_clusterer *c, uint64_t ndocs, int64_t next_id);
/* The arrival counter (sr_clusterer_seq() when saved): what came after the
 * restart must number after everything saved, as it would have. */
void   sr_clusterer_restore_seq(sr_clusterer *c, uint64_t seq);
sr_err sr_clusterer_restore_df(sr_clusterer *c, uint64_t term, uint32_t df);
/* blob: what flush gave (version 3, or an older sitrep's version 2 or
 * version-1 centroid); SR_EINVAL if malformed.  A story already in memory
 * is replaced. */
sr_err sr_clusterer_restore_story(sr_clusterer *c, int64_t id, int64_t first,
                                  int64_t last, uint32_t ndocs,
                                  const void *blob, size_t len);
/* After restoring at open: every stored story (not merged away) whose last
 * time is >= from has been restored.  Without it a clusterer assumes
 * nothing stored is missing from memory. */
void   sr_clusterer_restore_resident(sr_clusterer *c, int64_t from);
/* Memory holds only the stories near the newest document; a document
 * dated further back may belong to one that left.  Before adding a document
 * at `time`: true if stored stories it could be compared with may be
 * missing from memory - those not merged away with last time in
 * [*last_from, *last_to) and first time <= *first_to; restore each that
 * sr_clusterer_has_story() does not know (the one in memory is newer than
 * the stored one).  So is a near-copy's story, if not in memory, before it
 * is forced there.  Then the result is the same whether or not the story
 * ever left memory (batches, restarts). */
bool   sr_clusterer_missing(const sr_clusterer *c, int64_t time, int64_t *last_from,
                            int64_t *last_to, int64_t *first_to);
bool   sr_clusterer_has_story(const sr_clusterer *c, int64_t id);
const sr_cluster_opts *sr_clusterer_opts(const sr_clusterer *c);
uint64_t sr_clusterer_ndocs(const sr_clusterer *c);
int64_t  sr_clusterer_next_id(const sr_clusterer *c);
uint64_t sr_clusterer_seq(const sr_clusterer *c);
/* Terms whose document frequency is held in memory (<= SR_CLUSTER_MAX_DF_TERMS). */
size_t   sr_clusterer_df_terms(const sr_clusterer *c);
/* Stories held in memory (<= max_active after a flush). */
size_t   sr_clusterer_active(const sr_clusterer *c);

/* Flush: the DF changes since the last flush (one call per changed term)
 * and every story changed since the last flush (its state as a blob valid
 * during the call).  A nonzero return from fn stops and is returned.
 * Flushing stories ends a batch: idle stories, and stories without any
 * dated document, leave memory. */
typedef int (*sr_df_fn)(uint64_t term, int32_t delta, void *ctx);
typedef int (*sr_story_state_fn)(int64_t id, int64_t first, int64_t last,
                                 uint32_t ndocs, const void *blob, size_t len,
                                 void *ctx);
int sr_clusterer_flush_df(sr_clusterer *c, sr_df_fn fn, void *ctx);
int sr_clusterer_flush_stories(sr_clusterer *c, sr_story_state_fn fn, void *ctx);

/* ---- briefs ------------------------------------------------------------------- */

typedef struct sr_brief_doc {
    int64_t     id;
    int64_t     copy_of;     /* the original's id if a near-copy, else 0 */
    const char *outlet;
    const char *title;
    const char *published;   /* may be NULL */
    const char *text;
    size_t      text_len;
} sr_brief_doc;

typedef struct sr_brief_mention {
    int64_t     doc;
    const char *source, *target;   /* CAMEO actor codes; target may be "" */
    const char *cameo;             /* "042" */
    sr_modality modality;
    const char *sentence;          /* the sentence it was coded from */
} sr_brief_mention;

typedef struct sr_brief_support {
    char       *outlet;
    sr_modality modality;          /* the strongest way this outlet said it */
} sr_brief_support;

typedef enum sr_claim_kind {
    SR_CLAIM_EVENT = 0, SR_CLAIM_TITLE, SR_CLAIM_AMOUNT,
} sr_claim_kind;

const char *sr_claim_kind_name(sr_claim_kind k);   /* "event", "title", "amount" */

typedef struct sr_brief_claim {
    sr_claim_kind kind;
    char        *text;             /* "PAK -> LBY: consult (042 make a visit)" */
    char        *subject;          /* "Asim Munir", "deal"; for events the dyad */
    char        *value;            /* "Field Marshal", "$1.2 billion"; events: root name */
    char        *example;          /* one sentence that says it */
    char         event_code[8];    /* events: the most frequent CAMEO code */
    char         event_source[32], event_target[32];
    sr_modality  modality;         /* the strongest across outlets */
    sr_brief_support *outlets;
    size_t       noutlets;
    size_t       reports;          /* independent documents (near-copies once) */
} sr_brief_claim;

typedef struct sr_brief_value {
    char  *value;
    char **outlets;
    size_t noutlets;
} sr_brief_value;

typedef struct sr_brief_contradiction {
    char           *subject;       /* "title of Asim Munir" */
    sr_brief_value *values;
    size_t          nvalues;
} sr_brief_contradiction;

typedef struct sr_brief {
    int64_t story;
    char   *title;
    char   *first_seen, *last_seen;   /* may be NULL */
    char  **outlets;  size_t noutlets;
    size_t  documents, independent;
    sr_brief_claim *claims;  size_t nclaims;
    sr_brief_contradiction *contradictions;  size_t ncontradictions;
} sr_brief;

/* Keep only claims whose kind is in mask (bits 1 << SR_CLAIM_*). */
void   sr_brief_keep_kinds(sr_brief *b, unsigned mask);

/* Build a brief from a story's documents and mentions.  *b must be zeroed. */
sr_err sr_brief_build(sr_brief *b, int64_t story, const char *title,
                      const sr_brief_doc *docs, size_t ndocs,
                      const sr_brief_mention *ms, size_t nms);
void   sr_brief_free(sr_brief *b);

typedef enum sr_brief_format { SR_BRIEF_TEXT = 0, SR_BRIEF_MARKDOWN, SR_BRIEF_JSON } sr_brief_format;
/* Render (appended to out). */
sr_err sr_brief_render(const sr_brief *b, sr_brief_format f, sr_buf *out);

/* The name of a CAMEO root ("04" -> "consult"), "" if unknown. */
const char *sr_cameo_root_name(const char *root);

#endif
