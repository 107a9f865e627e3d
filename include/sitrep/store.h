/*
 * sitrep/store.h - sitrep's memory: an embedded SQLite database of
 * documents, event mentions, merged events, stories, actors and issues,
 * with full-text search, and the exports read from it.
 *
 * Layout (schema version SR_STORE_SCHEMA, migrated forward on open; the
 * version is PRAGMA user_version):
 *   documents  one row per distinct body: id, hash (of the normalized
 *              body: re-ingesting the same text is a no-op), outlet, url,
 *              published, day, title, body, simhash + 6 bands (each a
 *              covering index, so the near-copy lookup never reads a
 *              body-sized row), copy_of (the earlier document it is a
 *              near-copy of), story
 *   mentions   every coded event in every sentence of every document, with
 *              its document's outlet (sources are recounted from mentions)
 *   events     mentions merged on (day, source, target, CAMEO code), with
 *              num_mentions / num_articles / num_sources recounted from the
 *              mentions whenever a batch touches them (kept current, unlike
 *              GDELT's first-15-minutes counts)
 *   stories    id, title, first/last seen, documents, and the clusterer's
 *              centroid; merged_into when a later document joined two
 *   mention_geo  each mention's places (role 0 ActionGeo, 1 Actor1Geo,
 *              2 Actor2Geo): GDELT type, full name, ISO alpha-3 / alpha-2
 *              and FIPS country, ADM1, lat/lon, feature id (GeoNames id),
 *              confidence (sitrep/geo.h); mentions also keep the actors'
 *              GDELT names, whether a country was inferred from the place,
 *              and whether the mention is in the document's lead
 *   actors     every actor seen (code, the text it came from, known or not)
 *   issues     issue codes per document
 *   term_df    the clusterer's document frequencies; meta: counters
 *   doc_fts    FTS5 index over title and body
 *
 * Durability: WAL journal; documents are added inside one transaction per
 * batch (SR_STORE_BATCH documents, or fewer at sr_store_commit()), which
 * also holds the clusterer state they changed.  A process killed at any
 * moment loses only the open batch; the next run re-reads those documents
 * (their hashes are not in the store) and finishes the work, so nothing is
 * duplicated.
 *
 * Ownership: the store owns its connection and clusterer.  Rows passed to
 * callbacks are valid only during the call.  One sr_store per thread.
 *
 * Errors: SR_EIO when SQLite fails (sr_store_errmsg() says why); SR_EFORMAT
 * when the file is not a sitrep store or is newer than this program;
 * SR_ENOMEM.
 */
#ifndef SITREP_STORE_H
#define SITREP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/code.h"
#include "sitrep/doc.h"
#include "sitrep/geo.h"
#include "sitrep/story.h"

#define SR_STORE_SCHEMA 3
#define SR_STORE_BATCH  256

typedef struct sr_store sr_store;

/* Open (creating and migrating as needed). */
sr_err sr_store_open(const char *path, sr_store **out);
/* Open an existing store read-only, for queries; SR_EIO if it is missing.
 * A store an older sitrep wrote is first migrated forward if the file is
 * writable (else SR_EFORMAT, and sr_store_errmsg says so). */
sr_err sr_store_open_readonly(const char *path, sr_store **out);
/* Commits the open batch, then closes. */
sr_err sr_store_close(sr_store *st);
/* The last SQLite error message ("" if none). */
const char *sr_store_errmsg(const sr_store *st);

/* ---- adding documents ------------------------------------------------------ */

/* One coded event with the texts it came from (spans already cut). */
typedef struct sr_store_mention {
    const sr_mention *m;
    const char *sentence;          /* the sentence as one line */
    const char *source_text, *target_text, *verb_text;
    const char *source_name, *target_name;   /* GDELT Actor1Name/Actor2Name
                                                ("LIBYA", "UNITED NATIONS"), or NULL */
    const sr_event_geo *geo;       /* its places, or NULL when not placed */
} sr_store_mention;

typedef struct sr_store_input {
    const sr_doc *doc;
    const char *outlet;            /* resolved outlet name (never NULL) */
    const sr_store_mention *ms;
    size_t nms;
    uint64_t body_hash;            /* sr_body_hash of doc->text if the caller
                                      has it, else 0 (computed here) */
} sr_store_input;

typedef struct sr_store_added {
    bool    duplicate;             /* the body was already stored: nothing done */
    int64_t doc_id;
    int64_t story;
    int64_t copy_of;               /* near-copy of this document, or 0 */
    bool    new_story;
} sr_store_added;

/* Is a body with this hash (sr_body_hash) already stored or in the open
 * batch?  Lets a caller skip coding documents it already has. */
bool   sr_store_has_body(sr_store *st, uint64_t hash);
sr_err sr_store_add(sr_store *st, const sr_store_input *in, sr_store_added *res);
/* Commit the open batch now (also done every SR_STORE_BATCH documents). */
sr_err sr_store_commit(sr_store *st);
/* Drop the open batch (after a failed add); the store must then be closed,
 * since the clusterer's memory no longer matches it. */
void   sr_store_rollback(sr_store *st);

/* ---- queries ------------------------------------------------------------------- */

typedef struct sr_store_counts {
    int64_t documents, mentions, events, stories, outlets;
} sr_store_counts;
sr_err sr_store_get_counts(sr_store *st, sr_store_counts *c);

typedef struct sr_event_filter {
    const char *actor;             /* source or target starts with it */
    const char *dyad_a, *dyad_b;   /* source starts with a, target with b */
    const char *root;              /* "04" */
    const char *code;              /* "042" (prefix) */
    const char *since, *until;     /* YYYY-MM-DD inclusive */
    int64_t     story;             /* 0: any */
    const char *modality;          /* events with a mention of this modality */
    const char *country;           /* ActionGeo in this country (ISO alpha-3
                                      or alpha-2) */
    bool        near;              /* ActionGeo within near_km of near_lat/lon */
    double      near_lat, near_lon, near_km;
    bool        after;             /* keyset paging: only events after */
    int         after_day;         /*   (after_day, after_id) in (day, id) order */
    int64_t     after_id;
} sr_event_filter;

typedef struct sr_event_row {
    int64_t id;
    int     day;                   /* YYYYMMDD, 0 if unknown */
    const char *source, *target, *cameo, *root;
    int     quad;
    double  goldstein;
    const char *plover_event, *plover_mode;
    int64_t num_mentions, num_articles, num_sources;
    const char *source_text, *target_text;
    const char *modality;          /* of the first mention */
    const char *sentence;          /* of the first mention */
    const char *url;               /* first document's URL, or NULL */
    const char *outlet;            /* first document's outlet */
    const char *added;             /* YYYYMMDDHHMMSS (UTC) */
    int64_t story;                 /* first document's story */
    bool    is_root;               /* a mention is in its document's lead
                                      paragraph (GDELT's IsRootEvent) */
    const char *source_name, *target_name;   /* GDELT actor names, or NULL */
    bool    source_inferred, target_inferred;
    const char *path;              /* first document's file (absolute when
                                      it was local), for SOURCEURL */
    sr_place action_geo, actor1_geo, actor2_geo;   /* of the first mention
                                      (type SR_GEO_NONE: none) */
} sr_event_row;

typedef int (*sr_event_fn)(const sr_event_row *e, void *ctx);
sr_err sr_store_events(sr_store *st, const sr_event_filter *f, sr_event_fn fn, void *ctx);

/* Places events happened at (ActionGeo), most events first.  country: ISO
 * alpha-3 or alpha-2, or NULL for all. */
typedef struct sr_store_place {
    int64_t events;
    int type;
    const char *name, *country, *adm1, *feature_id;
    double lat, lon;
} sr_store_place;
typedef int (*sr_place_fn)(const sr_store_place *p, void *ctx);
sr_err sr_store_places(sr_store *st, const char *country, sr_place_fn fn, void *ctx);

typedef struct sr_story_row {
    int64_t id;
    const char *title;
    const char *first_seen, *last_seen;    /* ISO dates or NULL */
    int64_t documents, outlets, events;
    const char *top_actors;                /* "PAK,LBY" (most mentioned) */
    const char *outlet_names;              /* "Outlet A, Outlet B" */
} sr_story_row;
typedef int (*sr_story_fn)(const sr_story_row *s, void *ctx);
/* Stories (not merged away), newest first; since: YYYY-MM-DD or NULL. */
sr_err sr_store_stories(sr_store *st, const char *since, sr_story_fn fn, void *ctx);

/* The brief of a story (story 0: the story most recently added to). */
sr_err sr_store_brief(sr_store *st, int64_t story, sr_brief *out);

typedef struct sr_search_hit {
    int64_t doc_id, story;
    const char *title, *outlet, *published, *url, *snippet;
    int64_t events;
    const char *event_codes;               /* "PAKMIL>LBYMIL 042, ..." */
} sr_search_hit;
typedef int (*sr_search_fn)(const sr_search_hit *h, void *ctx);
/* FTS5 query syntax; a query that does not parse is retried as a phrase
 * of its words.  SR_EPARSE if it still does not parse. */
sr_err sr_store_search(sr_store *st, const char *query, int limit,
                       sr_search_fn fn, void *ctx);

/* ---- exports ---------------------------------------------------------------------- */

typedef enum sr_event_format {
    SR_EVENTS_TEXT = 0, SR_EVENTS_JSONL, SR_EVENTS_CSV, SR_EVENTS_GDELT,
} sr_event_format;
/* The header line for csv (appended to out); nothing for other formats. */
sr_err sr_event_header(sr_event_format f, sr_buf *out);
/* One event as one line (appended to out).  gdelt: the 61 tab-separated
 * GDELT 2.0 event columns, empty where sitrep has no value. */
sr_err sr_event_write(const sr_event_row *e, sr_event_format f, sr_buf *out);

#endif
