/*
 * recode.c - which coder coded each stored document, and re-coding stored
 * documents in place (`sitrep recode`, sitrep/store.h).
 *
 * Why in place: the dictionaries and the coder improve faster than a store
 * is rebuilt, and a store's documents may no longer exist anywhere else
 * (pages change, feeds roll over).  So a document keeps its row, its id,
 * its story and its search entry; only what coding made of it - mentions,
 * their places, issues, actor sightings - is replaced, and the aggregates
 * built on those are brought back in line:
 *   events       recounted from their mentions (st_recount_events, the
 *                same recount ingest's commit runs); an event left with no
 *                mention is deleted, as a fresh ingest would never have
 *                made it; an event a new mention names takes the current
 *                codebook's root, QuadClass, Goldstein and PLOVER fields
 *   actors       each removed mention takes its sighting back (a row left
 *                at zero goes), each new one adds it (st_add_mention); at
 *                the end of a run one pass over the mentions recomputes
 *                every row's count and first document exactly
 *   issues       a document's rows are dropped and rebuilt from its mentions
 *   mention_geo  dropped with the mentions, rebuilt from the new ones
 * Stories, documents, doc_fts, term_df and the story centroids are not
 * derived from events alone and stay as ingest made them (a story's event
 * count is computed when asked, from the mentions).
 *
 * Resuming: each batch is one transaction that also records the last
 * document it handled in recode_state together with the coder and the
 * options; a later run with the same ones starts after it.  Re-coded
 * documents are also stamped with the coder (doc_coder), so a run without
 * --all skips them anyway; the recorded place is what makes --all
 * resumable, and saves rescanning.
 */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Statements of one run, made on first use and finalized at its end. */
typedef struct recode_run {
    sr_store *st;
    const sr_recode_opts *o;
    sr_recode_stats *stats;
    int64_t coder_id;
    int since;                     /* YYYYMMDD, 0 for all */
    size_t batch;
    char added[16];                /* events a re-coded mention creates */
    int64_t *ids;                  /* the batch's documents */
    size_t nids, capids;
    int64_t *emptied;              /* events that lost mentions */
    size_t nemptied, capemptied;
    /* batch-local counts, added to stats at commit */
    int64_t b_recoded, b_skipped, b_removed, b_added;
    sqlite3_stmt *q_state_get, *q_state_set, *q_count, *q_current, *q_select,
                 *q_doc, *q_old, *q_actor_dec, *q_actor_del, *q_del_geo, *q_del_mentions,
                 *q_del_issues, *q_refresh, *q_drop;
} recode_run;

static sr_err run_sql(sr_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(st->errmsg, sizeof st->errmsg, "recode: %s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return SR_EIO;
    }
    return SR_OK;
}

static void now_stamp(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

/* ---- the coder of a document ---------------------------------------------------- */

sr_err sr_store_set_coder(sr_store *st, const char *stamp)
{
    if (st->readonly || !stamp || !*stamp || strlen(stamp) > 255)
        return SR_EINVAL;
    char now[16];
    now_stamp(now);
    sqlite3_stmt *s = NULL;
    sr_err e = SR_OK;
    if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO coders(stamp, first_used) VALUES(?,?)",
                           -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "coder");
    sqlite3_bind_text(s, 1, stamp, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        e = st_fail(st, "coder");
    sqlite3_finalize(s);
    s = NULL;
    if (e)
        return e;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM coders WHERE stamp=?", -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "coder");
    sqlite3_bind_text(s, 1, stamp, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        st->coder_id = sqlite3_column_int64(s, 0);
    else
        e = st_fail(st, "coder");
    sqlite3_finalize(s);
    return e;
}

sr_err st_stamp_doc(sr_store *st, int64_t doc_id)
{
    sr_err e = st_prepare(st, &st->q_stamp,
                          "INSERT OR REPLACE INTO doc_coder(doc_id, coder_id) VALUES(?,?)");
    if (e)
        return e;
    sqlite3_bind_int64(st->q_stamp, 1, doc_id);
    sqlite3_bind_int64(st->q_stamp, 2, st->coder_id);
    if (sqlite3_step(st->q_stamp) != SQLITE_DONE)
        return st_fail(st, "document's coder");
    return SR_OK;
}

/* ---- re-coding ------------------------------------------------------------------ */

/* Prepare *s once for this run, or reset it for reuse. */
static sr_err rprep(recode_run *r, sqlite3_stmt **s, const char *sql)
{
    if (*s) {
        sqlite3_reset(*s);
        sqlite3_clear_bindings(*s);
        return SR_OK;
    }
    if (sqlite3_prepare_v2(r->st->db, sql, -1, s, NULL) != SQLITE_OK)
        return st_fail(r->st, "recode: prepare");
    return SR_OK;
}

/* Before a rollback: no statement of the run may be left mid-step. */
static void run_reset(recode_run *r)
{
    sqlite3_stmt *all[] = {
        r->q_state_get, r->q_state_set, r->q_count, r->q_current,
        r->q_select, r->q_doc, r->q_old, r->q_actor_dec, r->q_actor_del, r->q_del_geo,
        r->q_del_mentions, r->q_del_issues, r->q_refresh, r->q_drop,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i])
            sqlite3_reset(all[i]);
    r->nemptied = 0;
    r->b_recoded = r->b_skipped = r->b_removed = r->b_added = 0;
}

static void run_free(recode_run *r)
{
    sqlite3_stmt **all[] = {
        &r->q_state_get, &r->q_state_set, &r->q_count, &r->q_current,
        &r->q_select, &r->q_doc, &r->q_old, &r->q_actor_dec, &r->q_actor_del, &r->q_del_geo,
        &r->q_del_mentions, &r->q_del_issues, &r->q_refresh, &r->q_drop,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(*all[i]);
        *all[i] = NULL;
    }
    free(r->ids);
    free(r->emptied);
}

/* "YYYY-MM-DD" -> YYYYMMDD, or -1 if it is not of that form. */
static int since_day(const char *d)
{
    if (!d)
        return 0;
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return -1;
    int v = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (d[i] < '0' || d[i] > '9')
            return -1;
        v = v * 10 + (d[i] - '0');
    }
    return v;
}

/* The documents a run selects, after document `after`: the WHERE clause
 * shared by the count and the batch query (?1 after, ?2 since, ?3 all,
 * ?4 coder). */
#define SELECTED \
    " FROM documents d LEFT JOIN doc_coder c ON c.doc_id = d.id" \
    " WHERE d.id > ?1 AND d.day >= ?2 AND (?3 OR c.coder_id IS NOT ?4)"

static void bind_selected(recode_run *r, sqlite3_stmt *s, int64_t after)
{
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, r->since);
    sqlite3_bind_int(s, 3, r->o->all);
    sqlite3_bind_int64(s, 4, r->coder_id);
}

static sr_err count_selected(recode_run *r, int64_t after)
{
    sr_err e = rprep(r, &r->q_count, "SELECT count(*)" SELECTED);
    if (e)
        return e;
    bind_selected(r, r->q_count, after);
    if (sqlite3_step(r->q_count) != SQLITE_ROW)
        return st_fail(r->st, "recode: counting documents");
    r->stats->selected = sqlite3_column_int64(r->q_count, 0);
    sqlite3_reset(r->q_count);
    if (r->o->all)
        return SR_OK;
    if ((e = rprep(r, &r->q_current,
            "SELECT count(*) FROM documents d JOIN doc_coder c ON c.doc_id = d.id"
            " WHERE d.day >= ?1 AND c.coder_id = ?2")))
        return e;
    sqlite3_bind_int(r->q_current, 1, r->since);
    sqlite3_bind_int64(r->q_current, 2, r->coder_id);
    if (sqlite3_step(r->q_current) != SQLITE_ROW)
        return st_fail(r->st, "recode: counting documents");
    r->stats->current = sqlite3_column_int64(r->q_current, 0);
    sqlite3_reset(r->q_current);
    return SR_OK;
}

/* An interrupted run with this coder and these options: where it was.
 * *any: some run (any options) left its place. */
static sr_err read_state(recode_run *r, int64_t *after, bool *any)
{
    *after = 0;
    *any = false;
    sr_err e = rprep(r, &r->q_state_get,
                     "SELECT coder_id, since, all_docs, last_doc FROM recode_state WHERE id = 1");
    if (e)
        return e;
    int rc = sqlite3_step(r->q_state_get);
    if (rc == SQLITE_ROW) {
        *any = true;
        if (sqlite3_column_int64(r->q_state_get, 0) == r->coder_id &&
            sqlite3_column_int(r->q_state_get, 1) == r->since &&
            (sqlite3_column_int(r->q_state_get, 2) != 0) == r->o->all)
            *after = sqlite3_column_int64(r->q_state_get, 3);
    } else if (rc != SQLITE_DONE) {
        return st_fail(r->st, "recode: reading its state");
    }
    sqlite3_reset(r->q_state_get);
    return SR_OK;
}

static sr_err write_state(recode_run *r, int64_t last)
{
    sr_err e = rprep(r, &r->q_state_set,
        "INSERT OR REPLACE INTO recode_state(id, coder_id, since, all_docs, last_doc, started)"
        " VALUES(1, ?, ?, ?, ?, ?)");
    if (e)
        return e;
    sqlite3_bind_int64(r->q_state_set, 1, r->coder_id);
    sqlite3_bind_int(r->q_state_set, 2, r->since);
    sqlite3_bind_int(r->q_state_set, 3, r->o->all);
    sqlite3_bind_int64(r->q_state_set, 4, last);
    sqlite3_bind_text(r->q_state_set, 5, r->added, -1, SQLITE_STATIC);
    if (sqlite3_step(r->q_state_set) != SQLITE_DONE)
        return st_fail(r->st, "recode: recording its place");
    return SR_OK;
}

/* The next batch of selected documents after `after`. */
static sr_err select_batch(recode_run *r, int64_t after)
{
    r->nids = 0;
    sr_err e = rprep(r, &r->q_select, "SELECT d.id" SELECTED " ORDER BY d.id LIMIT ?5");
    if (e)
        return e;
    bind_selected(r, r->q_select, after);
    sqlite3_bind_int64(r->q_select, 5, (sqlite3_int64)r->batch);
    int rc;
    while ((rc = sqlite3_step(r->q_select)) == SQLITE_ROW) {
        if (sr_grow((void **)&r->ids, &r->capids, r->nids + 1, sizeof *r->ids))
            return SR_ENOMEM;
        r->ids[r->nids++] = sqlite3_column_int64(r->q_select, 0);
    }
    if (rc != SQLITE_DONE)
        return st_fail(r->st, "recode: selecting documents");
    sqlite3_reset(r->q_select);
    return SR_OK;
}

/* Take back one actor sighting of a removed mention. */
static sr_err actor_unsee(recode_run *r, sqlite3_stmt *old, int code_col, int text_col)
{
    const char *code = (const char *)sqlite3_column_text(old, code_col);
    const char *text = (const char *)sqlite3_column_text(old, text_col);
    if (!code || !*code)
        return SR_OK;   /* st_add_mention records no actor without a code */
    sqlite3_stmt **qs[2] = { &r->q_actor_dec, &r->q_actor_del };
    static const char *const sql[2] = {
        "UPDATE actors SET mentions = mentions - 1 WHERE code = ?1 AND text = ?2",
        "DELETE FROM actors WHERE code = ?1 AND text = ?2 AND mentions <= 0",
    };
    for (int k = 0; k < 2; k++) {
        sr_err e = rprep(r, qs[k], sql[k]);
        if (e)
            return e;
        sqlite3_bind_text(*qs[k], 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(*qs[k], 2, text ? text : "", -1, SQLITE_TRANSIENT);
        if (sqlite3_step(*qs[k]) != SQLITE_DONE)
            return st_fail(r->st, "recode: actors");
    }
    return SR_OK;
}

/* Remove what coding made of document id. */
static sr_err remove_coding(recode_run *r, int64_t id)
{
    sr_store *st = r->st;
    sr_err e = rprep(r, &r->q_old,
        "SELECT event_id, source, source_text, target, target_text FROM mentions WHERE doc_id = ?");
    if (e)
        return e;
    sqlite3_bind_int64(r->q_old, 1, id);
    int rc;
    while ((rc = sqlite3_step(r->q_old)) == SQLITE_ROW) {
        int64_t ev = sqlite3_column_int64(r->q_old, 0);
        if ((e = st_touch_event(st, ev)))
            return e;
        if (sr_grow((void **)&r->emptied, &r->capemptied, r->nemptied + 1, sizeof *r->emptied))
            return SR_ENOMEM;
        r->emptied[r->nemptied++] = ev;
        if ((e = actor_unsee(r, r->q_old, 1, 2)) || (e = actor_unsee(r, r->q_old, 3, 4)))
            return e;
        r->b_removed++;
    }
    if (rc != SQLITE_DONE)
        return st_fail(st, "recode: reading mentions");
    sqlite3_reset(r->q_old);
    sqlite3_stmt **qs[3] = { &r->q_del_geo, &r->q_del_mentions, &r->q_del_issues };
    static const char *const sql[3] = {
        "DELETE FROM mention_geo WHERE mention_id IN (SELECT id FROM mentions WHERE doc_id = ?1)",
        "DELETE FROM mentions WHERE doc_id = ?1",
        "DELETE FROM issues WHERE doc_id = ?1",
    };
    for (int k = 0; k < 3; k++) {
        if ((e = rprep(r, qs[k], sql[k])))
            return e;
        sqlite3_bind_int64(*qs[k], 1, id);
        if (sqlite3_step(*qs[k]) != SQLITE_DONE)
            return st_fail(st, "recode: removing mentions");
    }
    return SR_OK;
}

/* The event of a new mention takes the codebook's current fields (an
 * event first stored by an older coder keeps them otherwise). */
static sr_err refresh_event(recode_run *r, int day, const sr_mention *m)
{
    sr_err e = rprep(r, &r->q_refresh,
        "UPDATE events SET root = ?5, quad = ?6, goldstein = ?7, plover_event = ?8,"
        " plover_mode = ?9 WHERE day = ?1 AND source = ?2 AND target = ?3 AND cameo = ?4"
        " AND (root IS NOT ?5 OR quad IS NOT ?6 OR goldstein IS NOT ?7"
        "      OR plover_event IS NOT ?8 OR plover_mode IS NOT ?9)");
    if (e)
        return e;
    sqlite3_stmt *s = r->q_refresh;
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, m->source.code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, m->has_target ? m->target.code : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, m->cameo, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, m->root, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 6, m->quad);
    sqlite3_bind_double(s, 7, m->goldstein);
    if (m->plover_event)
        sqlite3_bind_text(s, 8, m->plover_event, -1, SQLITE_STATIC);
    if (m->plover_mode)
        sqlite3_bind_text(s, 9, m->plover_mode, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return st_fail(r->st, "recode: event fields");
    return SR_OK;
}

/* Hand document id to the callback and store what it made.  *stop: the
 * callback asked to stop before it. */
static sr_err recode_one(recode_run *r, int64_t id, sr_recode_fn fn, void *ctx, bool *stop)
{
    sr_store *st = r->st;
    sr_err e = rprep(r, &r->q_doc,
        "SELECT d.body, d.published, d.title, d.url, d.path, d.record, o.name, d.outlet_id, d.day"
        " FROM documents d JOIN outlets o ON o.id = d.outlet_id WHERE d.id = ?");
    if (e)
        return e;
    sqlite3_stmt *q = r->q_doc;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE)
        return SR_OK;   /* gone since it was selected: nothing to re-code */
    if (rc != SQLITE_ROW)
        return st_fail(st, "recode: reading a document");
    sr_store_doc d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.doc.format = SR_FMT_TEXT;
    d.doc.text = (const char *)sqlite3_column_text(q, 0);
    d.doc.text_len = (size_t)sqlite3_column_bytes(q, 0);
    if (!d.doc.text)
        d.doc.text = "";
    d.doc.published = (const char *)sqlite3_column_text(q, 1);
    d.doc.title = (const char *)sqlite3_column_text(q, 2);
    d.doc.url = (const char *)sqlite3_column_text(q, 3);
    d.doc.path = (const char *)sqlite3_column_text(q, 4);
    d.doc.record = (const char *)sqlite3_column_text(q, 5);
    d.doc.outlet = (const char *)sqlite3_column_text(q, 6);
    int64_t outlet = sqlite3_column_int64(q, 7);
    int day = sqlite3_column_int(q, 8);
    if (!d.doc.path)
        d.doc.path = "-";
    sr_recoded out;
    memset(&out, 0, sizeof out);
    /* the row's texts stay valid until the reset below */
    if ((e = fn(&d, &out, ctx)) != SR_OK)
        goto out;
    if (out.stop) {
        *stop = true;
    } else if (out.skip) {
        r->b_skipped++;
    } else {
        if ((e = remove_coding(r, id)))
            goto out;
        for (size_t i = 0; i < out.nms && !e; i++) {
            if (!(e = st_add_mention(st, id, outlet, day, r->added, &out.ms[i])))
                e = refresh_event(r, day, out.ms[i].m);
        }
        if (!e)
            e = st_stamp_doc(st, id);
        if (!e) {
            r->b_added += (int64_t)out.nms;
            r->b_recoded++;
        }
    }
out:
    sqlite3_reset(q);
    return e;
}

/* Close the batch: recount, drop events left without mentions, record
 * the place, commit. */
static sr_err commit_batch(recode_run *r, int64_t last)
{
    sr_store *st = r->st;
    sr_err e = st_recount_events(st);
    for (size_t i = 0; i < r->nemptied && !e; i++) {
        if ((e = rprep(r, &r->q_drop, "DELETE FROM events WHERE id = ? AND num_mentions = 0")))
            break;
        sqlite3_bind_int64(r->q_drop, 1, r->emptied[i]);
        if (sqlite3_step(r->q_drop) != SQLITE_DONE)
            e = st_fail(st, "recode: dropping events");
    }
    if (!e)
        e = write_state(r, last);
    if (e) {
        run_reset(r);
        sr_store_rollback(st);
        return e;
    }
    if ((e = sr_store_commit(st))) {   /* it rolls back itself */
        run_reset(r);
        return e;
    }
    r->nemptied = 0;
    r->stats->recoded += r->b_recoded;
    r->stats->skipped += r->b_skipped;
    r->stats->mentions_removed += r->b_removed;
    r->stats->mentions_added += r->b_added;
    r->b_recoded = r->b_skipped = r->b_removed = r->b_added = 0;
    return SR_OK;
}

static sr_err begin_batch(sr_store *st)
{
    sr_err e = run_sql(st, "BEGIN IMMEDIATE");
    if (!e) {
        st->in_batch = true;
        st->batch_docs = 0;
        st->ntouched = 0;
    }
    return e;
}

/* The end of a run: every actor row's count and first document exactly
 * from the mentions (one pass), and the run's place cleared. */
static sr_err finish_run(sr_store *st)
{
    sr_err e = begin_batch(st);
    if (e)
        return e;
    e = run_sql(st,
        "CREATE TEMP TABLE recode_actors(code TEXT NOT NULL, text TEXT NOT NULL,"
        "  n INTEGER NOT NULL, first_doc INTEGER, PRIMARY KEY(code, text)) WITHOUT ROWID;"
        "INSERT INTO temp.recode_actors SELECT code, text, count(*), min(doc_id) FROM ("
        "  SELECT source AS code, coalesce(source_text, '') AS text, doc_id FROM mentions"
        "    WHERE source <> ''"
        "  UNION ALL SELECT target, coalesce(target_text, ''), doc_id FROM mentions"
        "    WHERE target <> '') GROUP BY code, text;"
        "DELETE FROM actors WHERE NOT EXISTS (SELECT 1 FROM temp.recode_actors x"
        "  WHERE x.code = actors.code AND x.text = actors.text);"
        "UPDATE actors SET mentions = x.n, first_doc = x.first_doc FROM temp.recode_actors x"
        "  WHERE x.code = actors.code AND x.text = actors.text"
        "  AND (actors.mentions IS NOT x.n OR actors.first_doc IS NOT x.first_doc);"
        "DROP TABLE temp.recode_actors;"
        "DELETE FROM recode_state;");
    if (e) {
        sr_store_rollback(st);
        run_sql(st, "DROP TABLE IF EXISTS temp.recode_actors");
        return e;
    }
    return sr_store_commit(st);
}

sr_err sr_store_recode(sr_store *st, const sr_recode_opts *opts, sr_recode_fn fn, void *ctx,
                       sr_recode_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    if (st->readonly || !st->coder_id) {
        snprintf(st->errmsg, sizeof st->errmsg, "recode: %s",
                 st->readonly ? "the store is open read-only" : "no coder was named");
        return SR_EINVAL;
    }
    recode_run r;
    memset(&r, 0, sizeof r);
    r.st = st;
    r.o = opts;
    r.stats = stats;
    r.coder_id = st->coder_id;
    r.batch = opts->batch ? opts->batch : SR_RECODE_BATCH;
    r.since = since_day(opts->since);
    now_stamp(r.added);
    if (r.since < 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "recode: since wants YYYY-MM-DD");
        return SR_EINVAL;
    }
    sr_err e = sr_store_commit(st);   /* whatever the caller had open */
    int64_t after = 0;
    bool had_state = false;
    if (!e)
        e = sr_store_get_counts(st, &stats->before);
    if (!e)
        e = read_state(&r, &after, &had_state);
    if (!e) {
        stats->resumed_after = after;
        e = count_selected(&r, after);
    }
    bool stop = false;
    while (!e && !stop) {
        if ((e = begin_batch(st)))
            break;
        if ((e = select_batch(&r, after))) {
            run_reset(&r);
            sr_store_rollback(st);
            break;
        }
        if (r.nids == 0) {
            sr_store_rollback(st);
            break;
        }
        int64_t last = after;
        for (size_t i = 0; i < r.nids && !e && !stop; i++) {
            if (!(e = recode_one(&r, r.ids[i], fn, ctx, &stop)) && !stop)
                last = r.ids[i];
        }
        if (e) {
            run_reset(&r);
            sr_store_rollback(st);
            break;
        }
        e = commit_batch(&r, last);
        after = last;
    }
    if (!e && stop)
        stats->stopped = true;
    if (!e && !stop) {
        stats->finished = true;
        if (stats->recoded > 0 || had_state)
            e = finish_run(st);
    }
    if (!e)
        e = sr_store_get_counts(st, &stats->after);
    run_free(&r);
    return e;
}
