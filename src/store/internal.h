/*
 * internal.h - the store's private state, shared by store.c (writing) and
 * query.c (reading).
 */
#ifndef SITREP_STORE_INTERNAL_H
#define SITREP_STORE_INTERNAL_H

#include <sqlite3.h>

#include "sitrep/store.h"

struct sr_store {
    sqlite3 *db;
    bool readonly;
    bool old_schema;              /* read-only open found an older version */
    char errmsg[512];
    char *path;                   /* the store's file, for messages */
    sr_clusterer *cl;
    sr_story_terms terms;
    sr_shingle_set *shingles;     /* [0] the new document's, [1] a candidate's */
    const char **actors;          /* the current document's actor codes */
    size_t nactors, capactors;
    bool in_batch;
    size_t batch_docs;
    int64_t *touched;             /* events the open batch added mentions to */
    size_t ntouched, captouched;
    int64_t last_story;
    int64_t next_doc;             /* the next document's id; 0: read it */
    /* prepared statements, made on first use (st_prepare) */
    sqlite3_stmt *q_has, *q_outlet_ins, *q_outlet_get, *q_body, *q_doc_ins, *q_fts_ins,
                 *q_event_ins, *q_event_get, *q_mention_ins, *q_actor_ins, *q_issue_ins,
                 *q_story_ins, *q_story_state, *q_story_merge, *q_doc_restory, *q_df,
                 *q_event_count, *q_meta_set, *q_geo_ins, *q_story_change, *q_story_join,
                 *q_doc_move, *q_story_range, *q_story_one;
    int64_t coder_id;             /* coders.id of sr_store_set_coder(), or 0 */
    sqlite3_stmt *q_stamp;        /* doc_coder row of a stored document */
    sqlite3_stmt *q_near[SR_SIMHASH_BANDS];   /* one per fingerprint band */
};

/* Prepare *s once (persistent), or reset and clear it for reuse. */
sr_err st_prepare(sr_store *st, sqlite3_stmt **s, const char *sql);
/* Record "'PATH': what: sqlite message" in errmsg (a full disk is said
 * so, with the store named); returns SR_EIO. */
sr_err st_fail(sr_store *st, const char *what);

/* Store one coded event of document doc_id (its event, places, actors and
 * issues); the event is remembered for the recount at commit. */
sr_err st_add_mention(sr_store *st, int64_t doc_id, int64_t outlet, int day,
                      const char *added, const sr_store_mention *sm);
/* Remember an event whose counts the open batch changed. */
sr_err st_touch_event(sr_store *st, int64_t id);
/* Recount num_mentions/articles/sources of the remembered events from
 * their mentions, and forget them. */
sr_err st_recount_events(sr_store *st);
/* Record that st->coder_id coded document doc_id (recode.c). */
sr_err st_stamp_doc(sr_store *st, int64_t doc_id);

#endif
