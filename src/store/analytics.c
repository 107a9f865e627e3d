/*
 * analytics.c - the store's analytical reads (sitrep/analytics.h): stories
 * by page and filter, a story's documents, a dyad's timeline by bucket, the
 * actor network, and the read-transaction plumbing a server needs.
 *
 * Why a file of its own: query.c answers the CLI's one-shot questions; these
 * answer a dashboard's, which pages, filters and aggregates the same tables
 * and runs for hours beside a writer.  Aggregation happens in SQLite (one
 * pass over events or mentions, grouped), never by pulling rows into C.
 * Every value is bound; actor prefixes use substr() so no input character
 * is a LIKE wildcard.
 */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/analytics.h"

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* "YYYY-MM-DD" -> YYYYMMDD (the caller checked the form). */
static int day_of(const char *d)
{
    int v = 0;
    for (int i = 0; i < 10 && d[i]; i++)
        if (d[i] >= '0' && d[i] <= '9')
            v = v * 10 + (d[i] - '0');
    return v;
}

/* ---- reading beside a writer ------------------------------------------------ */

sr_err sr_store_read_begin(sr_store *st)
{
    if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return st_fail(st, "begin");
    return SR_OK;
}

void sr_store_read_end(sr_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

bool sr_store_busy(const sr_store *st)
{
    int rc = sqlite3_errcode(st->db) & 0xff;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

void sr_store_set_busy_timeout(sr_store *st, int ms)
{
    sqlite3_busy_timeout(st->db, ms);
}

void sr_store_tune_reader(sr_store *st)
{
    /* reads by memory map (no read() per page, and the pages are the OS
     * cache's, shared by every worker) and a page cache four times the
     * default for the index pages a reader walks again and again */
    sqlite3_exec(st->db, "PRAGMA mmap_size=268435456; PRAGMA cache_size=-8192", NULL, NULL, NULL);
}

static sr_err one_row(sr_store *st, const char *sql, sqlite3_stmt **out)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
        return st_fail(st, "query");
    int rc = sqlite3_step(*out);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sr_err e = st_fail(st, "query");
        sqlite3_finalize(*out);
        *out = NULL;
        return e;
    }
    return SR_OK;
}

sr_err sr_store_generation(sr_store *st, int64_t *gen)
{
    sqlite3_stmt *s = NULL;
    *gen = 0;
    sr_err e = one_row(st, "SELECT coalesce(max(id), 0) FROM documents", &s);
    if (e)
        return e;
    *gen = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return SR_OK;
}

sr_err sr_store_last_ingest(sr_store *st, char *out, size_t outlen)
{
    sqlite3_stmt *s = NULL;
    out[0] = '\0';
    sr_err e = one_row(st, "SELECT added FROM documents ORDER BY id DESC LIMIT 1", &s);
    if (e)
        return e;
    const char *a = sqlite3_column_type(s, 0) == SQLITE_TEXT ? col_text(s, 0) : NULL;
    /* stored as YYYYMMDDHHMMSS (UTC) */
    if (a && strlen(a) == 14 && outlen >= 21)
        snprintf(out, outlen, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", a, a + 4, a + 6, a + 8, a + 10, a + 12);
    sqlite3_finalize(s);
    return SR_OK;
}

/* ---- stories ---------------------------------------------------------------- */

sr_err sr_story_json(const sr_story_row *s, sr_buf *b)
{
    sr_err e = sr_buf_printf(b, "{\"id\":%lld", (long long)s->id);
    if (!e) e = sr_buf_json_kv(b, "title", s->title);
    if (!e) e = sr_buf_json_kv(b, "first_seen", s->first_seen);
    if (!e) e = sr_buf_json_kv(b, "last_seen", s->last_seen);
    if (!e) e = sr_buf_printf(b, ",\"documents\":%lld,\"outlets\":%lld,\"events\":%lld",
                              (long long)s->documents, (long long)s->outlets, (long long)s->events);
    if (!e) e = sr_buf_json_kv(b, "outlet_names", s->outlet_names);
    if (!e) e = sr_buf_json_kv(b, "top_actors", s->top_actors);
    if (!e) e = sr_buf_putc(b, '}');
    return e;
}

sr_err sr_store_stories_query(sr_store *st, const sr_story_query *q, sr_story_fn fn, void *ctx)
{
    /* The page is chosen on the cheap aggregates first; the costlier
     * per-story columns (events, top actors, outlet names) are computed for
     * the rows of the page only. */
    static const char *sql =
        "WITH page AS ("
        " SELECT s.id AS id, s.title AS title, min(d.published) AS first, max(d.published) AS last,"
        "  count(d.id) AS docs, count(DISTINCT d.outlet_id) AS outlets"
        " FROM stories s JOIN documents d ON d.story_id = s.id"
        " WHERE s.merged_into IS NULL"
        "  AND (?1 IS NULL OR s.id = ?1)"
        "  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM documents da JOIN mentions m ON m.doc_id = da.id"
        "       WHERE da.story_id = s.id AND (substr(m.source, 1, length(?2)) = ?2"
        "                                     OR substr(m.target, 1, length(?2)) = ?2)))"
        "  AND (?3 IS NULL OR s.id IN (SELECT df.story_id FROM documents df WHERE df.id IN"
        "       (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?3)))"
        " GROUP BY s.id"
        " HAVING (?4 IS NULL OR coalesce(max(d.published), '9999') >= ?4)"
        "  AND (?5 IS NULL OR coalesce(substr(min(d.published), 1, 10), '0000') <= ?5)"
        "  AND (?6 IS NULL OR (coalesce(max(d.published), ''), s.id) < (?6, ?7))"
        " ORDER BY coalesce(max(d.published), '') DESC, s.id DESC LIMIT ?8)"
        "SELECT id, title, first, last, docs, outlets,"
        " (SELECT count(DISTINCT m.event_id) FROM mentions m JOIN documents d2 ON d2.id = m.doc_id"
        "   WHERE d2.story_id = page.id),"
        " (SELECT group_concat(c, ',') FROM (SELECT substr(m.source, 1, 3) AS c, count(*) AS n"
        "   FROM mentions m JOIN documents d3 ON d3.id = m.doc_id WHERE d3.story_id = page.id"
        "   GROUP BY c ORDER BY n DESC, c LIMIT 3)),"
        " (SELECT group_concat(name, ', ') FROM (SELECT DISTINCT o.name FROM documents d4"
        "   JOIN outlets o ON o.id = d4.outlet_id WHERE d4.story_id = page.id ORDER BY o.name))"
        " FROM page ORDER BY coalesce(last, '') DESC, id DESC";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "stories query");
    if (q->id > 0) sqlite3_bind_int64(s, 1, q->id);
    if (q->actor) sqlite3_bind_text(s, 2, q->actor, -1, SQLITE_STATIC);
    if (q->fts) sqlite3_bind_text(s, 3, q->fts, -1, SQLITE_STATIC);
    if (q->since) sqlite3_bind_text(s, 4, q->since, -1, SQLITE_STATIC);
    if (q->until) sqlite3_bind_text(s, 5, q->until, -1, SQLITE_STATIC);
    if (q->after) {
        sqlite3_bind_text(s, 6, q->after_last ? q->after_last : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, q->after_id);
    }
    sqlite3_bind_int(s, 8, q->limit > 0 ? q->limit : -1);
    int rc;
    sr_err e = SR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_story_row r;
        r.id = sqlite3_column_int64(s, 0);
        r.title = col_text(s, 1);
        r.first_seen = col_text(s, 2);
        r.last_seen = col_text(s, 3);
        r.documents = sqlite3_column_int64(s, 4);
        r.outlets = sqlite3_column_int64(s, 5);
        r.events = sqlite3_column_int64(s, 6);
        r.top_actors = col_text(s, 7) ? col_text(s, 7) : "";
        r.outlet_names = col_text(s, 8) ? col_text(s, 8) : "";
        if (fn(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        /* a MATCH that does not parse fails at the first step with a
         * plain SQLITE_ERROR ("fts5: syntax error", "unterminated string",
         * "no such column"); locks and I/O fail otherwise */
        e = st_fail(st, "stories query");
        if (q->fts && (rc & 0xff) == SQLITE_ERROR)
            e = SR_EPARSE;
    }
    sqlite3_finalize(s);
    return e;
}

int64_t sr_store_story_resolve(sr_store *st, int64_t id)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT merged_into FROM stories WHERE id = ?", -1, &s, NULL) != SQLITE_OK)
        return 0;
    /* a merge chain is short; the cap only guards against a damaged store */
    int64_t found = 0;
    for (int hops = 0; hops < 64 && id > 0; hops++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) != SQLITE_ROW)
            break;
        if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
            found = id;
            break;
        }
        id = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return found;
}

sr_err sr_store_story_documents(sr_store *st, int64_t story, bool with_body,
                               sr_story_document_fn fn, void *ctx)
{
    const char *sql = with_body
        ? "SELECT d.id, coalesce(d.copy_of, 0), o.name, d.published, d.title, coalesce(d.url, d.path), d.body"
          " FROM documents d JOIN outlets o ON o.id = d.outlet_id WHERE d.story_id = ? ORDER BY d.id"
        : "SELECT d.id, coalesce(d.copy_of, 0), o.name, d.published, d.title, coalesce(d.url, d.path)"
          " FROM documents d JOIN outlets o ON o.id = d.outlet_id WHERE d.story_id = ? ORDER BY d.id";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "story documents");
    sqlite3_bind_int64(s, 1, story);
    int rc;
    sr_err e = SR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_story_doc d;
        d.id = sqlite3_column_int64(s, 0);
        d.copy_of = sqlite3_column_int64(s, 1);
        d.outlet = col_text(s, 2) ? col_text(s, 2) : "";
        d.published = col_text(s, 3);
        d.title = col_text(s, 4);
        d.url = col_text(s, 5);
        d.body = with_body ? col_text(s, 6) : NULL;
        d.body_len = with_body ? (size_t)sqlite3_column_bytes(s, 6) : 0;
        if (fn(&d, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "story documents");
    sqlite3_finalize(s);
    return e;
}

/* ---- dyad timeline ---------------------------------------------------------- */

const char *sr_bucket_name(sr_bucket b)
{
    return b == SR_BUCKET_WEEK ? "week" : b == SR_BUCKET_MONTH ? "month" : "day";
}

/* The events of the dyad in either direction with their bucket (?5: 0 day,
 * 1 week starting Monday, 2 month) and direction (0: A -> B). */
#define DYAD_EVENTS \
    "WITH ev AS (SELECT e.id AS id, e.quad AS quad, e.goldstein AS goldstein," \
    "  CASE WHEN substr(e.source, 1, length(?1)) = ?1 AND substr(e.target, 1, length(?2)) = ?2" \
    "       THEN 0 ELSE 1 END AS dir," \
    "  CASE ?5 WHEN 0 THEN printf('%04d-%02d-%02d', e.day / 10000, e.day / 100 % 100, e.day % 100)" \
    "          WHEN 1 THEN coalesce(date(printf('%04d-%02d-%02d', e.day / 10000, e.day / 100 % 100," \
    "                                           e.day % 100), '-6 days', 'weekday 1'), '')" \
    "          ELSE printf('%04d-%02d-01', e.day / 10000, e.day / 100 % 100) END AS bucket" \
    " FROM events e WHERE e.num_mentions > 0 AND e.day > 0" \
    "  AND ((substr(e.source, 1, length(?1)) = ?1 AND substr(e.target, 1, length(?2)) = ?2)" \
    "    OR (substr(e.source, 1, length(?2)) = ?2 AND substr(e.target, 1, length(?1)) = ?1))" \
    "  AND (?3 IS NULL OR e.day >= ?3) AND (?4 IS NULL OR e.day <= ?4)) "

static sr_err dyad_prepare(sr_store *st, const char *sql, const char *a, const char *b,
                           sr_bucket bucket, const char *since, const char *until,
                           sqlite3_stmt **s)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return st_fail(st, "dyad timeline");
    sqlite3_bind_text(*s, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(*s, 2, b, -1, SQLITE_STATIC);
    if (since) sqlite3_bind_int(*s, 3, day_of(since));
    if (until) sqlite3_bind_int(*s, 4, day_of(until));
    sqlite3_bind_int(*s, 5, (int)bucket);
    return SR_OK;
}

sr_err sr_store_dyad_timeline(sr_store *st, const char *a, const char *b, sr_bucket bucket,
                              const char *since, const char *until,
                              sr_dyad_fn fn, void *ctx)
{
    static const char *q_events = DYAD_EVENTS
        "SELECT bucket, dir, count(*), sum(goldstein), sum(quad = 1), sum(quad = 2),"
        " sum(quad = 3), sum(quad = 4) FROM ev WHERE bucket != '' GROUP BY bucket, dir ORDER BY bucket, dir";
    /* CROSS JOIN keeps the dyad's events as the outer loop, each finding
     * its mentions by index; left to itself the planner scanned every
     * mention (sentences and all) to join them to events (3 ms vs 300 ms
     * on a store of 10,000 documents) */
    static const char *q_mentions = DYAD_EVENTS
        "SELECT ev.bucket, ev.dir, count(*), count(DISTINCT m.outlet_id),"
        " sum(m.modality = 'asserted'), sum(m.modality = 'reported'), sum(m.modality = 'hedged'),"
        " sum(m.modality = 'negated'), sum(m.modality = 'future')"
        " FROM ev CROSS JOIN mentions m ON m.event_id = ev.id WHERE ev.bucket != ''"
        " GROUP BY ev.bucket, ev.dir ORDER BY ev.bucket, ev.dir";
    sr_dyad_bucket *bk = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    int rc;
    sr_err e = dyad_prepare(st, q_events, a, b, bucket, since, until, &s);
    if (e)
        return e;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *start = col_text(s, 0);
        if (!start)
            continue;
        if (n == 0 || strcmp(bk[n - 1].start, start) != 0) {
            if (sr_grow((void **)&bk, &cap, n + 1, sizeof *bk)) {
                e = SR_ENOMEM;
                goto out;
            }
            memset(&bk[n], 0, sizeof bk[n]);
            snprintf(bk[n].start, sizeof bk[n].start, "%s", start);
            n++;
        }
        sr_dyad_flow *f = sqlite3_column_int(s, 1) == 0 ? &bk[n - 1].ab : &bk[n - 1].ba;
        f->events = sqlite3_column_int64(s, 2);
        f->goldstein_sum = sqlite3_column_double(s, 3);
        f->goldstein_mean = f->events ? f->goldstein_sum / (double)f->events : 0.0;
        for (int q = 0; q < 4; q++)
            f->quad[q] = sqlite3_column_int64(s, 4 + q);
    }
    if (rc != SQLITE_DONE) {
        e = st_fail(st, "dyad timeline");
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((e = dyad_prepare(st, q_mentions, a, b, bucket, since, until, &s)) != SR_OK)
        goto out;
    /* both queries are in (bucket, dir) order: one merge pass */
    size_t i = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *start = col_text(s, 0);
        if (!start)
            continue;
        while (i < n && strcmp(bk[i].start, start) < 0)
            i++;
        if (i == n || strcmp(bk[i].start, start) != 0)
            continue;   /* cannot happen within one snapshot */
        sr_dyad_flow *f = sqlite3_column_int(s, 1) == 0 ? &bk[i].ab : &bk[i].ba;
        f->mentions = sqlite3_column_int64(s, 2);
        f->outlets = sqlite3_column_int64(s, 3);
        for (int k = 0; k < 5; k++)
            f->modality[k] = sqlite3_column_int64(s, 4 + k);
    }
    if (rc != SQLITE_DONE) {
        e = st_fail(st, "dyad timeline");
        goto out;
    }
    for (size_t k = 0; k < n; k++)
        if (fn(&bk[k], ctx))
            break;
out:
    sqlite3_finalize(s);
    free(bk);
    return e;
}

static sr_err flow_json(const sr_dyad_flow *f, sr_buf *b)
{
    sr_err e = sr_buf_printf(b, "{\"events\":%lld,\"mentions\":%lld,\"outlets\":%lld,"
                                "\"goldstein_mean\":%.4g,\"goldstein_sum\":%.4g,"
                                "\"quad\":[%lld,%lld,%lld,%lld],\"modality\":{",
                             (long long)f->events, (long long)f->mentions, (long long)f->outlets,
                             f->goldstein_mean, f->goldstein_sum,
                             (long long)f->quad[0], (long long)f->quad[1],
                             (long long)f->quad[2], (long long)f->quad[3]);
    for (int k = 0; k < 5 && !e; k++)
        e = sr_buf_printf(b, "%s\"%s\":%lld", k ? "," : "", sr_modality_name((sr_modality)k),
                          (long long)f->modality[k]);
    return e ? e : sr_buf_puts(b, "}}");
}

sr_err sr_dyad_bucket_json(const sr_dyad_bucket *bk, sr_buf *b)
{
    sr_err e = sr_buf_printf(b, "{\"start\":\"%s\",\"a_to_b\":", bk->start);
    if (!e) e = flow_json(&bk->ab, b);
    if (!e) e = sr_buf_puts(b, ",\"b_to_a\":");
    if (!e) e = flow_json(&bk->ba, b);
    return e ? e : sr_buf_putc(b, '}');
}

/* ---- network ---------------------------------------------------------------- */

void sr_network_free(sr_network *n)
{
    free(n->nodes);
    free(n->edges);
    memset(n, 0, sizeof *n);
}

static int edge_cmp(const void *x, const void *y)
{
    const sr_network_edge *a = x, *b = y;
    if (a->events != b->events)
        return a->events > b->events ? -1 : 1;
    int c = strcmp(a->source, b->source);
    return c ? c : strcmp(a->target, b->target);
}

static int node_cmp(const void *x, const void *y)
{
    const sr_network_node *a = x, *b = y;
    if (a->events != b->events)
        return a->events > b->events ? -1 : 1;
    return strcmp(a->actor, b->actor);
}

static sr_network_node *node_of(sr_network_node **nodes, size_t *n, size_t *cap, const char *actor)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*nodes)[i].actor, actor) == 0)
            return &(*nodes)[i];
    if (sr_grow((void **)nodes, cap, *n + 1, sizeof **nodes))
        return NULL;
    sr_network_node *x = &(*nodes)[(*n)++];
    memset(x, 0, sizeof *x);
    snprintf(x->actor, sizeof x->actor, "%s", actor);
    return x;
}

sr_err sr_store_network(sr_store *st, const char *since, const char *until,
                        int64_t min_events, size_t max_edges, sr_network *out)
{
    static const char *sql =
        "SELECT substr(source, 1, 3), substr(target, 1, 3), count(*), sum(num_mentions), sum(goldstein)"
        " FROM events WHERE num_mentions > 0 AND (?1 IS NULL OR day >= ?1)"
        " AND (?2 IS NULL OR (day <= ?2 AND day > 0)) GROUP BY 1, 2";
    memset(out, 0, sizeof *out);
    sr_network_node *all = NULL;       /* every actor, for its event count */
    size_t nall = 0, capall = 0, capedges = 0;
    sqlite3_stmt *s = NULL;
    sr_err e = SR_OK;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "network");
    if (since) sqlite3_bind_int(s, 1, day_of(since));
    if (until) sqlite3_bind_int(s, 2, day_of(until));
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *src = col_text(s, 0) ? col_text(s, 0) : "";
        const char *tgt = col_text(s, 1) ? col_text(s, 1) : "";
        int64_t events = sqlite3_column_int64(s, 2);
        sr_network_node *x = *src ? node_of(&all, &nall, &capall, src) : NULL;
        if (*src && !x) { e = SR_ENOMEM; goto out; }
        if (x) x->events += events;
        if (*tgt && strcmp(tgt, src) != 0) {
            sr_network_node *y = node_of(&all, &nall, &capall, tgt);
            if (!y) { e = SR_ENOMEM; goto out; }
            y->events += events;
        }
        if (!*src || !*tgt || strcmp(src, tgt) == 0 || events < min_events)
            continue;
        if (sr_grow((void **)&out->edges, &capedges, out->nedges + 1, sizeof *out->edges)) {
            e = SR_ENOMEM;
            goto out;
        }
        sr_network_edge *ed = &out->edges[out->nedges++];
        memset(ed, 0, sizeof *ed);
        snprintf(ed->source, sizeof ed->source, "%s", src);
        snprintf(ed->target, sizeof ed->target, "%s", tgt);
        ed->events = events;
        ed->mentions = sqlite3_column_int64(s, 3);
        ed->goldstein_mean = sqlite3_column_double(s, 4) / (double)events;
    }
    if (rc != SQLITE_DONE) {
        e = st_fail(st, "network");
        goto out;
    }
    if (out->nedges)
        qsort(out->edges, out->nedges, sizeof *out->edges, edge_cmp);
    if (out->nedges > max_edges) {
        out->nedges = max_edges;
        out->truncated = true;
    }
    /* nodes: the ends of the kept edges, with their counts over all events */
    size_t capnodes = 0;
    for (size_t i = 0; i < out->nedges; i++) {
        const char *ends[2] = { out->edges[i].source, out->edges[i].target };
        for (int k = 0; k < 2; k++) {
            bool have = false;
            for (size_t j = 0; j < out->nnodes && !have; j++)
                have = strcmp(out->nodes[j].actor, ends[k]) == 0;
            if (have)
                continue;
            if (sr_grow((void **)&out->nodes, &capnodes, out->nnodes + 1, sizeof *out->nodes)) {
                e = SR_ENOMEM;
                goto out;
            }
            sr_network_node *x = node_of(&all, &nall, &capall, ends[k]);
            if (!x) { e = SR_ENOMEM; goto out; }
            out->nodes[out->nnodes++] = *x;
        }
    }
    if (out->nnodes)
        qsort(out->nodes, out->nnodes, sizeof *out->nodes, node_cmp);
out:
    sqlite3_finalize(s);
    free(all);
    if (e)
        sr_network_free(out);
    return e;
}
