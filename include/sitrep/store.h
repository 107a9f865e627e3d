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
 *              state (profile and recent documents, all it holds of the
 *              story: one read back decides as if never written); merged_into
 *              when a later document joined two; live ones indexed by last
 *              seen, so a late document's stories are read back
 *   mention_geo  each mention's places (role 0 ActionGeo, 1 Actor1Geo,
 *              2 Actor2Geo): GDELT type, full name, ISO alpha-3 / alpha-2
 *              and FIPS country, ADM1, lat/lon, feature id (GeoNames id),
 *              confidence (sitrep/geo.h); mentions also keep the actors'
 *              GDELT names, whether a country was inferred from the place,
 *              and whether the mention is in the document's lead
 *   story_joins   per document: how it came into its story (opened,
 *              joined, near-copy), the score and its parts, the nearest
 *              earlier document (what `sitrep story --explain` shows)
 *   story_changes merges and splits: kind, from, into, the document that
 *              caused it, documents moved, when
 *   actors     every actor seen (code, the text it came from, known or not)
 *   issues     issue codes per document
 *   term_df    the clusterer's document frequencies; meta: counters
 *   doc_fts    FTS5 index over title and body
 *   doc_outlets the other outlets of a document: an exact copy of a stored
 *              body from another outlet (a verbatim wire copy) is not a
 *              second document, but its outlet, url and path are kept here,
 *              and stories and briefs list it
 *   watch_sources, watch_urls, watch_robots   what `sitrep watch` follows
 *              and has fetched (see sitrep/watch.h)
 *   coders     each coder that coded documents: its stamp (sitrep's build
 *              and a hash of the dictionaries, sr_store_set_coder)
 *   doc_coder  which coder coded each document (none: stored before
 *              schema 7, or by a caller that named no coder)
 *   recode_state  where a recode in progress is (sr_store_recode)
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

#define SR_STORE_SCHEMA 8
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
    bool    duplicate;             /* the body was already stored: nothing
                                      stored but, from another outlet, that
                                      outlet (see new_outlet) */
    bool    new_outlet;            /* duplicate, from an outlet not yet
                                      recorded for that document */
    int64_t doc_id;
    int64_t story;
    int64_t copy_of;               /* near-copy of this document, or 0 */
    bool    new_story;
} sr_store_added;

/* Cluster with these settings instead of SR_CLUSTER_DEFAULTS (tools and
 * tests); before the first add of a batch, else SR_EINVAL. */
sr_err sr_store_set_cluster_opts(sr_store *st, const sr_cluster_opts *opts);

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
    int64_t     after_id, upto_id; /* ids in (after_id, upto_id] (0: no bound);
                                      the events a watch cycle first saw */
    bool        page;              /* keyset paging: only events after */
    int         page_day;          /*   (page_day, page_id) in (day, id) order */
    int64_t     page_id;
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

/* Which stories sr_store_stories_filtered lists.  A zeroed filter lists the
 * stories an analyst looks at first: those with an event or a second
 * outlet (on mixed real data most stories are one page with no event). */
typedef struct sr_story_filter {
    const char *since, *until;     /* YYYY-MM-DD: last seen >= since, first
                                      seen <= until (undated stories pass) */
    const char *actor;             /* a mention's source or target starts with it */
    int64_t     min_outlets;       /* at least this many outlets */
    int64_t     min_events;        /* at least this many events */
    bool        explicit_min;      /* the min_* were given: they replace the
                                      default "an event or two outlets" */
    bool        all;               /* no default filter at all */
    int64_t     limit;             /* at most this many (0: no limit) */
} sr_story_filter;
/* Stories matching f, by last activity (latest published date, then the
 * latest added document) first.  *hidden (may be NULL): how many the
 * default filter left out. */
sr_err sr_store_stories_filtered(sr_store *st, const sr_story_filter *f, sr_story_fn fn,
                                 void *ctx, int64_t *hidden);

/* The story a story id now lives in (following merges); 0 if there is no
 * such story. */
int64_t sr_store_story_current(sr_store *st, int64_t story);

/* A story's documents with why each is there. */
typedef struct sr_story_doc_row {
    int64_t     id, copy_of;       /* copy_of: the original, or 0 */
    const char *outlet, *published, *title, *url;   /* published/title/url may be NULL */
    const char *text;              /* the body */
    size_t      text_len;
    const char *actors;            /* its mentions' actor countries, "PAK,LBY" */
    /* how it joined (NULL how: stored before sitrep recorded it) */
    const char *how;               /* "opened", "joined", "near-copy" */
    int64_t     joined_story;      /* the story it joined then */
    double      score, profile, link, time_factor;
    int64_t     nearest;           /* the most similar earlier document, or 0 */
    const char *nearest_title, *nearest_published, *nearest_text, *nearest_actors;
    size_t      nearest_len;
} sr_story_doc_row;
typedef int (*sr_story_doc_fn)(const sr_story_doc_row *d, void *ctx);
/* Documents of `story` (after following merges) in the order they came. */
sr_err sr_store_story_docs(sr_store *st, int64_t story, sr_story_doc_fn fn, void *ctx);

/* What happened to a story: merges into it or of it, splits from it or
 * into it. */
typedef struct sr_story_change_row {
    const char *kind;              /* "merge" or "split" */
    int64_t     from, into, doc_id, documents;
    const char *at;                /* YYYYMMDDHHMMSS (UTC) */
} sr_story_change_row;
typedef int (*sr_story_change_fn)(const sr_story_change_row *c, void *ctx);
sr_err sr_store_story_changes(sr_store *st, int64_t story, sr_story_change_fn fn, void *ctx);

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
 * of its words.  SR_EPARSE if it still does not parse.
 *
 * The work is bounded whatever the query: a query of plain words and
 * phrases (no operators) searches each distinct one once; more than
 * SR_SEARCH_MAX_TERMS terms is SR_ETOOBIG; snippets are made for the
 * `limit` best hits only; and a search still running after
 * SR_SEARCH_BUDGET_MS stops with SR_EINVAL ("over its time budget").  The
 * reason is in sr_store_errmsg(). */
#define SR_SEARCH_MAX_TERMS 64
#define SR_SEARCH_BUDGET_MS 5000
sr_err sr_store_search(sr_store *st, const char *query, int limit,
                       sr_search_fn fn, void *ctx);
/* The query sr_store_search() runs: duplicates of a plain word or phrase
 * dropped (they cannot change an implicit AND), into out (reset first).
 * *terms gets the number of terms left, or SR_SEARCH_MAX_TERMS + 1 when
 * there are more (the caller refuses such a query).  Exposed for tests and
 * fuzzing. */
sr_err sr_search_normalize(const char *query, sr_buf *out, size_t *terms);

/* ---- which coder coded what, and re-coding ------------------------------------- */

/* The coder that codes the documents this store is given from now on:
 * stamp (at most 255 bytes) names it - the caller's choice, e.g. sitrep's
 * build and a hash of its dictionaries; equal stamps must mean equal
 * coding.  Every document sr_store_add() stores, and every document
 * sr_store_recode() re-codes, is then recorded as coded by it.  Call before
 * adding anything.  SR_EINVAL on a read-only store or a bad stamp. */
sr_err sr_store_set_coder(sr_store *st, const char *stamp);

/* A stored document handed to the re-coding callback.  doc.text is the
 * stored body (what was coded at ingest), doc.published the stored date
 * (the one the coder used for date-restricted actor codes); doc.format is
 * SR_FMT_TEXT.  Valid only during the call. */
typedef struct sr_store_doc {
    int64_t id;
    sr_doc  doc;
} sr_store_doc;

/* What the callback made of one document. */
typedef struct sr_recoded {
    const sr_store_mention *ms;    /* its mentions now (the caller's memory,
                                      read before the callback runs again) */
    size_t nms;
    bool   skip;                   /* leave the document as it is (the
                                      callback reported why): it is tried
                                      again by the next run */
    bool   stop;                   /* stop before this document: what is
                                      done is committed */
} sr_recoded;

/* Code d; fill *out (zeroed before the call).  Anything but SR_OK is fatal:
 * the open batch is rolled back and sr_store_recode returns it. */
typedef sr_err (*sr_recode_fn)(const sr_store_doc *d, sr_recoded *out, void *ctx);

#define SR_RECODE_BATCH 200        /* documents per transaction */

typedef struct sr_recode_opts {
    const char *since;             /* "YYYY-MM-DD": only documents dated on
                                      or after it (undated ones are left
                                      out); NULL: all */
    bool   all;                    /* also documents the current coder
                                      already coded */
    size_t batch;                  /* documents per transaction; 0 is
                                      SR_RECODE_BATCH */
} sr_recode_opts;

typedef struct sr_recode_stats {
    int64_t selected;              /* documents to re-code, counted at the
                                      start (after any resumed part) */
    int64_t current;               /* documents left out because the current
                                      coder coded them already (not --all) */
    int64_t resumed_after;         /* an interrupted run with the same coder
                                      and options went up to this document
                                      id; this run went on from there (0:
                                      none) */
    int64_t recoded;               /* documents re-coded and committed */
    int64_t skipped;               /* left as they were (sr_recoded.skip) */
    int64_t mentions_removed, mentions_added;   /* of the re-coded documents */
    sr_store_counts before, after; /* the whole store, at start and end */
    bool    stopped;               /* the callback stopped the run */
    bool    finished;              /* every selected document was handled */
} sr_recode_stats;

/*
 * Re-code stored documents with the coder named by sr_store_set_coder()
 * (SR_EINVAL if none was): each selected document (opts: date, coder), in
 * id order, is handed to fn, and its mentions, their places, its issues
 * and its actor sightings are replaced by what fn returns.  Documents,
 * stories, the search index and the clusterer's state are kept as they
 * are (a story stays as ingest assigned it).  Events are recounted from
 * their mentions; an event left with none is deleted, and an event a
 * re-coded mention names takes the codebook's current root, QuadClass,
 * Goldstein and PLOVER fields.
 *
 * One transaction per batch of opts->batch documents holds their new
 * mentions, the recounts, the documents' doc_coder rows and the run's
 * place (recode_state), so a run killed at any moment loses only its open
 * batch, and the next run with the same coder and options goes on after
 * the last committed document: nothing is lost or coded twice.  (Without
 * --all the coder stamps alone would already make a re-run skip what is
 * done.)  When the run finishes, actors' first_doc is recomputed (one pass
 * over the mentions) and recode_state is cleared.
 *
 * stats (the caller's) is filled as the run goes, so fn may show progress
 * from it.
 */
sr_err sr_store_recode(sr_store *st, const sr_recode_opts *opts, sr_recode_fn fn, void *ctx,
                       sr_recode_stats *stats);

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
