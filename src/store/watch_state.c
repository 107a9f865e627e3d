/*
 * watch_state.c - what `sitrep watch` keeps in the store (schema 4; the API
 * is in sitrep/watch.h): sources with their validators, poll times and
 * failures; every URL an entry named, pending until its page is settled;
 * robots.txt per origin.
 *
 * Why in the store and not a file beside it: a URL's "done" mark must
 * commit in the same transaction as the document its page gave, or a kill
 * between the two would either lose the page (marked done, document lost)
 * or fetch it again.  So every write here joins the store's open batch,
 * starting one if none is open, and commits with sr_store_commit().
 *
 * Statements are prepared per call: a watch makes a handful per page, and
 * preparing costs microseconds against the milliseconds a page costs.
 */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitrep/watch.h"

static sr_err in_batch(sr_store *st)
{
    if (st->readonly)
        return SR_EINVAL;
    if (st->in_batch)
        return SR_OK;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return st_fail(st, "begin");
    st->in_batch = true;
    st->batch_docs = 0;
    return SR_OK;
}

static sr_err prep(sr_store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return st_fail(st, "watch state");
    return SR_OK;
}

/* Step a write statement to the end and finalize it. */
static sr_err run(sr_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return st_fail(st, what);
    return SR_OK;
}

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

sr_err sr_watch_state_sync(sr_store *st, const sr_watch_source_line *lines, size_t n)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e && !(e = prep(st, &s, "UPDATE watch_sources SET active=0")))
        e = run(st, s, "sources");
    for (size_t i = 0; i < n && !e; i++) {
        /* a shorter interval takes effect now, not after the old one */
        if ((e = prep(st, &s,
                "INSERT INTO watch_sources(url,name,poll_interval,active,ord) VALUES(?1,?2,?3,1,?4) "
                "ON CONFLICT(url) DO UPDATE SET name=excluded.name, active=1, ord=excluded.ord,"
                " poll_interval=excluded.poll_interval,"
                " next_poll=CASE WHEN failures=0 AND last_fetch>0"
                "  THEN min(next_poll, last_fetch+excluded.poll_interval) ELSE next_poll END")))
            break;
        sqlite3_bind_text(s, 1, lines[i].url, -1, SQLITE_STATIC);
        bind_text_or_null(s, 2, lines[i].name);
        sqlite3_bind_int64(s, 3, lines[i].interval);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)i);
        e = run(st, s, "sources");
    }
    return e;
}

sr_err sr_watch_state_sources(sr_store *st, sr_watch_source_row_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    sr_err e = prep(st, &s,
        "SELECT id,url,name,poll_interval,active,kind,etag,last_modified,last_fetch,last_status,"
        "last_new,docs,polls,not_modified,failures,last_error,last_error_at,next_poll "
        "FROM watch_sources ORDER BY active DESC, ord, id");
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_watch_source_row r;
        memset(&r, 0, sizeof r);
        r.id = sqlite3_column_int64(s, 0);
        r.url = (const char *)sqlite3_column_text(s, 1);
        r.name = (const char *)sqlite3_column_text(s, 2);
        r.interval = (long)sqlite3_column_int64(s, 3);
        r.active = sqlite3_column_int(s, 4) != 0;
        r.kind = (const char *)sqlite3_column_text(s, 5);
        r.etag = (const char *)sqlite3_column_text(s, 6);
        r.last_modified = (const char *)sqlite3_column_text(s, 7);
        r.last_fetch = sqlite3_column_int64(s, 8);
        r.last_status = sqlite3_column_int(s, 9);
        r.last_new = sqlite3_column_int64(s, 10);
        r.docs = sqlite3_column_int64(s, 11);
        r.polls = sqlite3_column_int64(s, 12);
        r.not_modified = sqlite3_column_int64(s, 13);
        r.failures = sqlite3_column_int(s, 14);
        r.last_error = (const char *)sqlite3_column_text(s, 15);
        r.last_error_at = sqlite3_column_int64(s, 16);
        r.next_poll = sqlite3_column_int64(s, 17);
        if (fn(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "sources");
    sqlite3_finalize(s);
    return e;
}

sr_err sr_watch_state_polled(sr_store *st, int64_t source, const sr_watch_poll *p)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (e)
        return e;
    if (!p->error) {
        e = prep(st, &s,
            "UPDATE watch_sources SET last_fetch=?2, last_status=?3, kind=coalesce(?4,kind),"
            " etag=CASE WHEN ?5 IS NULL THEN etag WHEN ?5='' THEN NULL ELSE ?5 END,"
            " last_modified=CASE WHEN ?6 IS NULL THEN last_modified WHEN ?6='' THEN NULL ELSE ?6 END,"
            " polls=polls+1, not_modified=not_modified+(?3=304),"
            " failures=0, next_poll=?8 WHERE id=?1");
    } else {
        e = prep(st, &s,
            "UPDATE watch_sources SET last_fetch=?2, last_status=?3, kind=coalesce(?4,kind),"
            " polls=polls+1, failures=failures+1, last_error=?9,"
            " last_error_at=?2, next_poll=?8 WHERE id=?1");
    }
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, source);
    sqlite3_bind_int64(s, 2, p->fetched);
    sqlite3_bind_int(s, 3, p->status);
    bind_text_or_null(s, 4, p->kind);
    bind_text_or_null(s, 5, p->etag);
    bind_text_or_null(s, 6, p->last_modified);
    sqlite3_bind_int64(s, 8, p->next_poll);
    if (p->error)
        sqlite3_bind_text(s, 9, p->error, -1, SQLITE_TRANSIENT);
    return run(st, s, "source poll");
}

sr_err sr_watch_state_source_error(sr_store *st, int64_t source, const char *why)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e)
        e = prep(st, &s, "UPDATE watch_sources SET last_error=?2, last_error_at=?3 WHERE id=?1");
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, source);
    sqlite3_bind_text(s, 2, why, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
    return run(st, s, "source error");
}

sr_err sr_watch_state_poll_begin(sr_store *st, int64_t source)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e)
        e = prep(st, &s, "UPDATE watch_sources SET last_new=0 WHERE id=?");
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, source);
    return run(st, s, "source poll");
}

sr_err sr_watch_state_add_docs(sr_store *st, int64_t source, int64_t n)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e)
        e = prep(st, &s, "UPDATE watch_sources SET docs=docs+?2, last_new=last_new+?2 WHERE id=?1");
    if (e)
        return e;
    sqlite3_bind_int64(s, 1, source);
    sqlite3_bind_int64(s, 2, n);
    return run(st, s, "source documents");
}

bool sr_watch_state_url_known(sr_store *st, const char *url, int *state)
{
    sqlite3_stmt *s = NULL;
    if (prep(st, &s, "SELECT state FROM watch_urls WHERE url=?"))
        return false;
    sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
    bool found = sqlite3_step(s) == SQLITE_ROW;
    if (found && state)
        *state = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return found;
}

sr_err sr_watch_state_url_add(sr_store *st, const char *url, int64_t source,
                              const char *entry_json)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e)
        e = prep(st, &s, "INSERT OR IGNORE INTO watch_urls(url,source_id,state,first_seen,entry) "
                         "VALUES(?,?,0,?,?)");
    if (e)
        return e;
    sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
    if (source)
        sqlite3_bind_int64(s, 2, source);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
    bind_text_or_null(s, 4, entry_json);
    return run(st, s, "url");
}

sr_err sr_watch_state_url_set(sr_store *st, const char *url, int state, int64_t doc_id,
                              const char *note)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    /* a URL not seen before (a redirect's target) is added settled, so a
     * feed that links to it directly does not fetch it again */
    if (!e)
        e = prep(st, &s,
            "INSERT INTO watch_urls(url,state,first_seen,settled,doc_id,note) VALUES(?1,?2,?3,?3,?4,?5) "
            "ON CONFLICT(url) DO UPDATE SET state=excluded.state, settled=excluded.settled,"
            " doc_id=excluded.doc_id, note=excluded.note, entry=NULL");
    if (e)
        return e;
    sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, state);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
    if (doc_id)
        sqlite3_bind_int64(s, 4, doc_id);
    bind_text_or_null(s, 5, note);
    return run(st, s, "url");
}

int sr_watch_state_url_attempt(sr_store *st, const char *url, const char *note)
{
    sqlite3_stmt *s = NULL;
    if (in_batch(st) || prep(st, &s, "UPDATE watch_urls SET attempts=attempts+1, note=? WHERE url=?"))
        return 0;
    bind_text_or_null(s, 1, note);
    sqlite3_bind_text(s, 2, url, -1, SQLITE_STATIC);
    if (run(st, s, "url"))
        return 0;
    if (prep(st, &s, "SELECT attempts FROM watch_urls WHERE url=?"))
        return 0;
    sqlite3_bind_text(s, 1, url, -1, SQLITE_STATIC);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return n;
}

sr_err sr_watch_state_pending(sr_store *st, sr_watch_url_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    sr_err e = prep(st, &s, "SELECT url, source_id, entry, attempts FROM watch_urls "
                            "WHERE state=0 ORDER BY id");
    if (e)
        return e;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (fn((const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1),
               (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 3), ctx))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "pending urls");
    sqlite3_finalize(s);
    return e;
}

sr_err sr_watch_state_url_counts(sr_store *st, int64_t source, int64_t counts[4])
{
    sqlite3_stmt *s = NULL;
    memset(counts, 0, 4 * sizeof *counts);
    sr_err e = prep(st, &s, source ? "SELECT state, count(*) FROM watch_urls WHERE source_id=? "
                                     "GROUP BY state"
                                   : "SELECT state, count(*) FROM watch_urls GROUP BY state");
    if (e)
        return e;
    if (source)
        sqlite3_bind_int64(s, 1, source);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int k = sqlite3_column_int(s, 0);
        if (k >= 0 && k < 4)
            counts[k] = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    return SR_OK;
}

sr_err sr_watch_state_robots_put(sr_store *st, const char *origin, int64_t fetched,
                                 int status, const char *body, size_t len)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e)
        e = prep(st, &s, "INSERT INTO watch_robots(origin,fetched,status,body) VALUES(?,?,?,?) "
                         "ON CONFLICT(origin) DO UPDATE SET fetched=excluded.fetched,"
                         " status=excluded.status, body=excluded.body");
    if (e)
        return e;
    sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, fetched);
    sqlite3_bind_int(s, 3, status);
    sqlite3_bind_blob(s, 4, body ? body : "", (int)len, SQLITE_STATIC);
    return run(st, s, "robots.txt");
}

int sr_watch_state_robots_get(sr_store *st, const char *origin, int64_t now, int64_t max_age,
                              int *status, char **body, size_t *len)
{
    sqlite3_stmt *s = NULL;
    *body = NULL;
    *len = 0;
    if (prep(st, &s, "SELECT fetched, status, body FROM watch_robots WHERE origin=?"))
        return 0;
    sqlite3_bind_text(s, 1, origin, -1, SQLITE_STATIC);
    int found = 0;
    if (sqlite3_step(s) == SQLITE_ROW && now - sqlite3_column_int64(s, 0) <= max_age) {
        *status = sqlite3_column_int(s, 1);
        size_t n = (size_t)sqlite3_column_bytes(s, 2);
        const void *p = sqlite3_column_blob(s, 2);
        if ((*body = malloc(n + 1)) != NULL) {
            if (n)
                memcpy(*body, p, n);
            (*body)[n] = '\0';
            *len = n;
            found = 1;
        }
    }
    sqlite3_finalize(s);
    return found;
}

int64_t sr_watch_state_meta_get(sr_store *st, const char *key)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (prep(st, &s, "SELECT value FROM meta WHERE key=?"))
        return 0;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

sr_err sr_watch_state_meta_set(sr_store *st, const char *key, int64_t v)
{
    sqlite3_stmt *s = NULL;
    sr_err e = in_batch(st);
    if (!e)
        e = prep(st, &s, "INSERT INTO meta(key,value) VALUES(?,?) "
                         "ON CONFLICT(key) DO UPDATE SET value=excluded.value");
    if (e)
        return e;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, v);
    return run(st, s, "meta");
}

int64_t sr_watch_state_max_event(sr_store *st)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (prep(st, &s, "SELECT coalesce(max(id), 0) FROM events"))
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int64_t sr_watch_state_doc_by_hash(sr_store *st, uint64_t hash)
{
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    if (prep(st, &s, "SELECT id FROM documents WHERE hash=?"))
        return 0;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)hash);
    if (sqlite3_step(s) == SQLITE_ROW)
        id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return id;
}
