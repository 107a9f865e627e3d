/*
 * sitrep/analytics.h - the store's analytical reads: stories by page and
 * filter, one story's documents, a dyad's timeline, the actor network, and
 * the small things a long-running reader needs (read transactions, the
 * store's generation, telling "busy" from other failures).  Part of the
 * store stage (src/store/analytics.c); `sitrep serve` and `sitrep dyad`
 * use it.
 *
 * Paging is by key (the last row's sort key), never by offset: a page costs
 * the same wherever it starts, and rows added between two pages neither
 * shift nor repeat the rows already handed out.
 *
 * Actor codes are matched as prefixes with substr(), not LIKE: an actor
 * "IDN" covers IDNMIL and IDNGOV, and no character in a code is a wildcard.
 * Dates are "YYYY-MM-DD" (the caller checks the form; a malformed one
 * matches nothing sensible but cannot break a query: every value is bound).
 *
 * Ownership: rows handed to callbacks are valid only during the call.
 * sr_network owns its arrays (sr_network_free).  One sr_store per thread,
 * as everywhere.
 *
 * Errors: SR_EIO when SQLite fails (sr_store_errmsg says why, and
 * sr_store_busy tells whether it was a lock held too long); SR_EPARSE when
 * a full-text query does not parse; SR_ENOMEM.
 */
#ifndef SITREP_ANALYTICS_H
#define SITREP_ANALYTICS_H

#include <stdbool.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/store.h"

/* ---- reading a store that another process is writing ---------------------- */

/* A read transaction: every query until sr_store_read_end sees one
 * snapshot (WAL), however many batches ingest commits meanwhile. */
sr_err sr_store_read_begin(sr_store *st);
void   sr_store_read_end(sr_store *st);
/* Did the last failure come from a lock (SQLITE_BUSY / SQLITE_LOCKED)? */
bool   sr_store_busy(const sr_store *st);
/* How long a query waits for a lock before failing busy (ms). */
void   sr_store_set_busy_timeout(sr_store *st, int ms);
/* Settings for a long-lived reader: reads through a memory map (256 MiB at
 * most) and an 8 MiB page cache. */
void   sr_store_tune_reader(sr_store *st);
/* A number that grows whenever ingest commits documents (the newest
 * document's id; 0 for an empty store).  Equal generations, equal answers. */
sr_err sr_store_generation(sr_store *st, int64_t *gen);
/* When the newest document was stored, "YYYY-MM-DDTHH:MM:SSZ" ("" if the
 * store is empty).  out holds at least 21 bytes. */
sr_err sr_store_last_ingest(sr_store *st, char *out, size_t outlen);

/* ---- stories --------------------------------------------------------------- */

typedef struct sr_story_query {
    int64_t     id;                /* only this story (0: any); merges are not followed */
    const char *since, *until;     /* seen on or after / on or before (YYYY-MM-DD) */
    const char *actor;             /* a mention's source or target starts with it */
    const char *fts;               /* FTS5 query one of its documents matches */
    bool        after;             /* resume after (after_last, after_id) */
    const char *after_last;        /*   the previous page's last row: last_seen ("" if none) */
    int64_t     after_id;          /*   and id */
    int         limit;             /* rows at most; 0: all */
} sr_story_query;

/* Stories not merged away, newest first (last_seen, then id, descending),
 * the same rows and fields as sr_store_stories. */
sr_err sr_store_stories_query(sr_store *st, const sr_story_query *q, sr_story_fn fn, void *ctx);
/* The live story a (possibly merged) story id now belongs to; 0 if none. */
int64_t sr_store_story_resolve(sr_store *st, int64_t id);
/* A story as the JSON object `sitrep stories --format jsonl` prints
 * (appended, no newline). */
sr_err sr_story_json(const sr_story_row *s, sr_buf *out);

typedef struct sr_story_doc {
    int64_t id, copy_of;           /* copy_of: the earlier document it repeats, or 0 */
    const char *outlet, *published, *title, *url;   /* published/title/url may be NULL */
    const char *body;              /* only when asked for, else NULL */
    size_t body_len;
} sr_story_doc;
typedef int (*sr_story_document_fn)(const sr_story_doc *d, void *ctx);
/* A story's documents in the order they were stored. */
sr_err sr_store_story_documents(sr_store *st, int64_t story, bool with_body,
                               sr_story_document_fn fn, void *ctx);

/* ---- a dyad over time ------------------------------------------------------ */

typedef enum sr_bucket { SR_BUCKET_DAY = 0, SR_BUCKET_WEEK, SR_BUCKET_MONTH } sr_bucket;
const char *sr_bucket_name(sr_bucket b);            /* "day", "week", "month" */

/* One direction of a dyad in one bucket.  Event counts are over merged
 * events (day + source + target + CAMEO code); mentions, outlets and
 * modalities are over the mentions behind them. */
typedef struct sr_dyad_flow {
    int64_t events, mentions, outlets;
    double  goldstein_sum, goldstein_mean;          /* over events; mean 0 if none */
    int64_t quad[4];                                /* QuadClass 1..4 */
    int64_t modality[5];                            /* by sr_modality */
} sr_dyad_flow;

typedef struct sr_dyad_bucket {
    char start[11];                /* first day of the bucket: the day, the
                                      Monday of the ISO week, the 1st of the month */
    sr_dyad_flow ab, ba;           /* A -> B and B -> A */
} sr_dyad_bucket;
typedef int (*sr_dyad_fn)(const sr_dyad_bucket *b, void *ctx);

/* Buckets in time order; a bucket without events either way is left out.
 * Events of unknown day are not in any bucket.  An event whose source and
 * target match both directions (A and B overlap) counts as A -> B. */
sr_err sr_store_dyad_timeline(sr_store *st, const char *a, const char *b, sr_bucket bucket,
                              const char *since, const char *until,
                              sr_dyad_fn fn, void *ctx);
/* {"start":..,"a_to_b":{..},"b_to_a":{..}}, appended, no newline. */
sr_err sr_dyad_bucket_json(const sr_dyad_bucket *b, sr_buf *out);

/* ---- the actor network ----------------------------------------------------- */

/* Nodes are actors at country level: the first three letters of a code
 * (the CAMEO country or group: TUR, IDN, IGO...). */
typedef struct sr_network_node {
    char    actor[4];
    int64_t events;                /* events it is source or target of */
} sr_network_node;
typedef struct sr_network_edge {
    char    source[4], target[4];
    int64_t events, mentions;
    double  goldstein_mean;
} sr_network_edge;
typedef struct sr_network {
    sr_network_node *nodes;  size_t nnodes;         /* most events first */
    sr_network_edge *edges;  size_t nedges;         /* most events first */
    bool truncated;                                 /* more edges than max_edges */
} sr_network;

/* Directed edges with at least min_events events between two different
 * actors in [since, until], the max_edges heaviest; nodes are their ends. */
sr_err sr_store_network(sr_store *st, const char *since, const char *until,
                        int64_t min_events, size_t max_edges, sr_network *out);
void   sr_network_free(sr_network *n);

#endif
