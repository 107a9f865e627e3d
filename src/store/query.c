/*
 * query.c - reading the store: events with filters, stories, briefs and
 * full-text search.  Every query is bound with parameters (no user text is
 * ever pasted into SQL).
 */
#include "store/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

sr_err sr_store_get_counts(sr_store *st, sr_store_counts *c)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM documents", "SELECT count(*) FROM mentions",
        "SELECT count(*) FROM events",
        "SELECT count(*) FROM stories WHERE merged_into IS NULL AND id IN (SELECT story_id FROM documents)",
        "SELECT count(*) FROM outlets",
    };
    int64_t *out[] = { &c->documents, &c->mentions, &c->events, &c->stories, &c->outlets };
    for (size_t i = 0; i < 5; i++) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) != SQLITE_OK)
            return st_fail(st, "counting");
        *out[i] = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        sqlite3_finalize(s);
    }
    return SR_OK;
}

#define GEO_COLS(t) " " t ".type, " t ".name, " t ".country, " t ".iso2, " t ".fips, " \
    t ".adm1, " t ".lat, " t ".lon, " t ".feature_id, " t ".confidence"

static void copy_col(sqlite3_stmt *s, int i, char *dst, size_t n)
{
    const char *v = col_text(s, i);
    snprintf(dst, n, "%s", v ? v : "");
}

/* A place from GEO_COLS at column i (type 0 when the join found none). */
static void read_place(sqlite3_stmt *s, int i, sr_place *p)
{
    memset(p, 0, sizeof *p);
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return;
    p->type = (uint8_t)sqlite3_column_int(s, i);
    copy_col(s, i + 1, p->name, sizeof p->name);
    copy_col(s, i + 2, p->iso3, sizeof p->iso3);
    copy_col(s, i + 3, p->iso2, sizeof p->iso2);
    copy_col(s, i + 4, p->fips, sizeof p->fips);
    copy_col(s, i + 5, p->adm1, sizeof p->adm1);
    p->lat = sqlite3_column_double(s, i + 6);
    p->lon = sqlite3_column_double(s, i + 7);
    copy_col(s, i + 8, p->feature_id, sizeof p->feature_id);
    p->confidence = (float)sqlite3_column_double(s, i + 9);
}

sr_err sr_store_places(sr_store *st, const char *country, sr_place_fn fn, void *ctx)
{
    const char *sql =
        "SELECT count(DISTINCT m.event_id), g.type, g.name, g.country, g.adm1, g.feature_id,"
        " avg(g.lat), avg(g.lon) FROM mention_geo g JOIN mentions m ON m.id = g.mention_id"
        " WHERE g.role = 0 AND (?1 IS NULL OR g.country = ?1 OR g.iso2 = ?1)"
        " GROUP BY g.name, g.feature_id ORDER BY 1 DESC, g.name";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "places query");
    if (country)
        sqlite3_bind_text(s, 1, country, -1, SQLITE_STATIC);
    int rc;
    sr_err e = SR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_store_place p;
        p.events = sqlite3_column_int64(s, 0);
        p.type = sqlite3_column_int(s, 1);
        p.name = col_text(s, 2) ? col_text(s, 2) : "";
        p.country = col_text(s, 3) ? col_text(s, 3) : "";
        p.adm1 = col_text(s, 4) ? col_text(s, 4) : "";
        p.feature_id = col_text(s, 5) ? col_text(s, 5) : "";
        p.lat = sqlite3_column_double(s, 6);
        p.lon = sqlite3_column_double(s, 7);
        if (fn(&p, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "places query");
    sqlite3_finalize(s);
    return e;
}

static int date_int(const char *d)
{
    /* "YYYY-MM-DD" -> YYYYMMDD; the CLI validated the form */
    if (!d || strlen(d) < 10)
        return 0;
    return ((d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0')) * 10000 +
           ((d[5] - '0') * 10 + (d[6] - '0')) * 100 + (d[8] - '0') * 10 + (d[9] - '0');
}

/* Bind text for "LIKE ?n || '%' ESCAPE '\\'": %, _ and \\ escaped. */
static void bind_prefix(sqlite3_stmt *s, int n, const char *v)
{
    size_t len = strlen(v);
    char *esc = malloc(2 * len + 1);
    if (!esc) {
        sqlite3_bind_text(s, n, "\x01no match", -1, SQLITE_STATIC);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] == '%' || v[i] == '_' || v[i] == '\\')
            esc[k++] = '\\';
        esc[k++] = v[i];
    }
    esc[k] = '\0';
    sqlite3_bind_text(s, n, esc, (int)k, free);
}

sr_err sr_store_events(sr_store *st, const sr_event_filter *f, sr_event_fn fn, void *ctx)
{
    sr_buf sql = SR_BUF_INIT(1 << 16);
    sr_err e = sr_buf_puts(&sql,
        "SELECT e.id, e.day, e.source, e.target, e.cameo, e.root, e.quad, e.goldstein,"
        " e.plover_event, e.plover_mode, e.num_mentions, e.num_articles, e.num_sources,"
        " m.source_text, m.target_text, m.modality, m.sentence_text, d.url, o.name, e.added,"
        " d.story_id, d.path, m.sentence,"
        /* 23-27: GDELT names, inferred countries, lead */
        " m.source_name, m.target_name, m.source_inferred, m.target_inferred,"
        " EXISTS (SELECT 1 FROM mentions ml WHERE ml.event_id = e.id AND"
        "   (ml.lead = 1 OR (ml.lead IS NULL AND ml.sentence = 0))),"
        /* 28-: the first mention's three places, 10 columns each */
        GEO_COLS("ga") "," GEO_COLS("g1") "," GEO_COLS("g2")
        " FROM events e"
        " JOIN mentions m ON m.id = (SELECT min(id) FROM mentions WHERE event_id = e.id)"
        " JOIN documents d ON d.id = m.doc_id JOIN outlets o ON o.id = d.outlet_id"
        " LEFT JOIN mention_geo ga ON ga.mention_id = m.id AND ga.role = 0"
        " LEFT JOIN mention_geo g1 ON g1.mention_id = m.id AND g1.role = 1"
        " LEFT JOIN mention_geo g2 ON g2.mention_id = m.id AND g2.role = 2"
        " WHERE e.num_mentions > 0");
    /* each filter adds a clause with numbered parameters */
    if (!e && f->actor)
        e = sr_buf_puts(&sql, " AND (e.source LIKE ?1 || '%' ESCAPE '\\' OR"
                              " e.target LIKE ?1 || '%' ESCAPE '\\')");
    if (!e && f->dyad_a)
        e = sr_buf_puts(&sql, " AND e.source LIKE ?2 || '%' ESCAPE '\\' AND"
                              " e.target LIKE ?3 || '%' ESCAPE '\\'");
    if (!e && f->root)
        e = sr_buf_puts(&sql, " AND e.root = ?4");
    if (!e && f->code)
        e = sr_buf_puts(&sql, " AND e.cameo LIKE ?5 || '%' ESCAPE '\\'");
    if (!e && f->since)
        e = sr_buf_puts(&sql, " AND e.day >= ?6");
    if (!e && f->until)
        e = sr_buf_puts(&sql, " AND e.day <= ?7 AND e.day > 0");
    if (!e && f->story)
        e = sr_buf_puts(&sql, " AND EXISTS (SELECT 1 FROM mentions m2 JOIN documents d2 ON"
                              " d2.id = m2.doc_id WHERE m2.event_id = e.id AND d2.story_id = ?8)");
    if (!e && f->modality)
        e = sr_buf_puts(&sql, " AND EXISTS (SELECT 1 FROM mentions m3 WHERE m3.event_id = e.id"
                              " AND m3.modality = ?9)");
    if (!e && f->country)
        e = sr_buf_puts(&sql, " AND (ga.country = ?10 OR ga.iso2 = ?10)");
    if (!e && f->near)
        e = sr_buf_puts(&sql, " AND ga.lat BETWEEN ?11 AND ?12 AND (?15 OR ga.lon BETWEEN ?13 AND ?14)");
    if (!e && f->after_id)
        e = sr_buf_puts(&sql, " AND e.id > ?16");
    if (!e && f->upto_id)
        e = sr_buf_puts(&sql, " AND e.id <= ?17");
    if (!e && f->page)
        e = sr_buf_puts(&sql, " AND (e.day, e.id) > (?18, ?19)");
    if (!e)
        e = sr_buf_puts(&sql, " ORDER BY e.day, e.id");
    if (e) {
        sr_buf_free(&sql);
        return e;
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL) != SQLITE_OK) {
        sr_buf_free(&sql);
        return st_fail(st, "events query");
    }
    sr_buf_free(&sql);
    /* prefixes are matched with LIKE: a '%' or '_' in a code is that
     * character, not a wildcard (--actor % matched every event) */
    if (f->actor) bind_prefix(s, 1, f->actor);
    if (f->dyad_a) {
        bind_prefix(s, 2, f->dyad_a);
        bind_prefix(s, 3, f->dyad_b ? f->dyad_b : "");
    }
    if (f->root) sqlite3_bind_text(s, 4, f->root, -1, SQLITE_STATIC);
    if (f->code) bind_prefix(s, 5, f->code);
    if (f->since) sqlite3_bind_int(s, 6, date_int(f->since));
    if (f->until) sqlite3_bind_int(s, 7, date_int(f->until));
    if (f->story) sqlite3_bind_int64(s, 8, f->story);
    if (f->modality) sqlite3_bind_text(s, 9, f->modality, -1, SQLITE_STATIC);
    if (f->country) sqlite3_bind_text(s, 10, f->country, -1, SQLITE_STATIC);
    if (f->near) {
        /* a box around the circle for the index; the distance is exact below */
        double dlat = f->near_km / 111.0;
        double c = cos(f->near_lat * M_PI / 180.0);
        double dlon = c > 0.01 ? f->near_km / (111.32 * c) : 360.0;
        sqlite3_bind_double(s, 11, f->near_lat - dlat);
        sqlite3_bind_double(s, 12, f->near_lat + dlat);
        sqlite3_bind_double(s, 13, f->near_lon - dlon);
        sqlite3_bind_double(s, 14, f->near_lon + dlon);
        /* a box across the antimeridian: longitude decided by distance alone */
        sqlite3_bind_int(s, 15, dlon >= 180.0 || f->near_lon - dlon < -180.0 ||
                                f->near_lon + dlon > 180.0);
    }
    if (f->after_id) sqlite3_bind_int64(s, 16, f->after_id);
    if (f->upto_id) sqlite3_bind_int64(s, 17, f->upto_id);
    if (f->page) {
        sqlite3_bind_int(s, 18, f->page_day);
        sqlite3_bind_int64(s, 19, f->page_id);
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_event_row r;
        memset(&r, 0, sizeof r);
        r.id = sqlite3_column_int64(s, 0);
        r.day = sqlite3_column_int(s, 1);
        r.source = col_text(s, 2);
        r.target = col_text(s, 3);
        r.cameo = col_text(s, 4);
        r.root = col_text(s, 5);
        r.quad = sqlite3_column_int(s, 6);
        r.goldstein = sqlite3_column_double(s, 7);
        r.plover_event = col_text(s, 8);
        r.plover_mode = col_text(s, 9);
        r.num_mentions = sqlite3_column_int64(s, 10);
        r.num_articles = sqlite3_column_int64(s, 11);
        r.num_sources = sqlite3_column_int64(s, 12);
        r.source_text = col_text(s, 13);
        r.target_text = col_text(s, 14);
        r.modality = col_text(s, 15);
        r.sentence = col_text(s, 16);
        r.url = col_text(s, 17) ? col_text(s, 17) : col_text(s, 21);
        r.outlet = col_text(s, 18);
        r.added = col_text(s, 19);
        r.story = sqlite3_column_int64(s, 20);
        r.path = col_text(s, 21);
        r.source_name = col_text(s, 23);
        r.target_name = col_text(s, 24);
        r.source_inferred = sqlite3_column_int(s, 25) != 0;
        r.target_inferred = sqlite3_column_int(s, 26) != 0;
        r.is_root = sqlite3_column_int(s, 27) != 0;
        read_place(s, 28, &r.action_geo);
        read_place(s, 38, &r.actor1_geo);
        read_place(s, 48, &r.actor2_geo);
        if (f->near && (r.action_geo.type == SR_GEO_NONE ||
                        sr_geo_distance_km(f->near_lat, f->near_lon, r.action_geo.lat,
                                           r.action_geo.lon) > f->near_km))
            continue;
        if (fn(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "events query");
    sqlite3_finalize(s);
    return e;
}

static sr_err run_stories(sr_store *st, const sr_story_filter *f, sr_story_fn fn, void *ctx,
                          int64_t *hidden)
{
    const char *sql =
        "SELECT s.id, s.title, min(d.published), max(d.published), count(d.id),"
        " (SELECT count(*) FROM (SELECT d5.outlet_id FROM documents d5 WHERE d5.story_id = s.id"
        "   UNION SELECT x.outlet_id FROM doc_outlets x JOIN documents d6 ON d6.id = x.doc_id"
        "   WHERE d6.story_id = s.id)),"
        " (SELECT count(DISTINCT m.event_id) FROM mentions m JOIN documents d2 ON d2.id = m.doc_id"
        "   WHERE d2.story_id = s.id),"
        " (SELECT group_concat(c, ',') FROM (SELECT substr(m.source, 1, 3) AS c, count(*) AS n"
        "   FROM mentions m JOIN documents d3 ON d3.id = m.doc_id WHERE d3.story_id = s.id"
        "   GROUP BY c ORDER BY n DESC, c LIMIT 3)),"
        " (SELECT group_concat(name, ', ') FROM (SELECT o.name FROM outlets o WHERE o.id IN"
        "   (SELECT d4.outlet_id FROM documents d4 WHERE d4.story_id = s.id UNION SELECT"
        "    x.outlet_id FROM doc_outlets x JOIN documents d7 ON d7.id = x.doc_id"
        "    WHERE d7.story_id = s.id) ORDER BY o.name))"
        " FROM stories s JOIN documents d ON d.story_id = s.id"
        " WHERE s.merged_into IS NULL"
        "  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM mentions m5 JOIN documents d5 ON d5.id = m5.doc_id"
        "   WHERE d5.story_id = s.id AND (substr(m5.source, 1, length(?3)) = ?3"
        "   OR substr(m5.target, 1, length(?3)) = ?3)))"
        " GROUP BY s.id HAVING (?1 IS NULL OR coalesce(max(d.published), '9999') >= ?1)"
        "  AND (?2 IS NULL OR coalesce(substr(min(d.published), 1, 10), '0000') <= ?2)"
        " ORDER BY coalesce(max(d.published), '') DESC, max(d.id) DESC";
    sqlite3_stmt *s = NULL;
    if (hidden)
        *hidden = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "stories query");
    if (f->since)
        sqlite3_bind_text(s, 1, f->since, -1, SQLITE_STATIC);
    if (f->until)
        sqlite3_bind_text(s, 2, f->until, -1, SQLITE_STATIC);
    if (f->actor && *f->actor)
        sqlite3_bind_text(s, 3, f->actor, -1, SQLITE_STATIC);
    int rc;
    int64_t listed = 0;
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
        if (!f->all) {
            bool keep = f->explicit_min
                ? r.outlets >= f->min_outlets && r.events >= f->min_events
                : r.events > 0 || r.outlets >= 2;
            if (!keep) {
                if (hidden && !f->explicit_min)
                    ++*hidden;
                continue;
            }
        }
        if (f->limit > 0 && listed >= f->limit)
            continue;   /* go on: the hidden count covers every story */
        listed++;
        if (fn(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "stories query");
    sqlite3_finalize(s);
    return e;
}

sr_err sr_store_stories(sr_store *st, const char *since, sr_story_fn fn, void *ctx)
{
    sr_story_filter f = { since, NULL, NULL, 0, 0, false, true, 0 };
    return run_stories(st, &f, fn, ctx, NULL);
}

sr_err sr_store_stories_filtered(sr_store *st, const sr_story_filter *f, sr_story_fn fn,
                                 void *ctx, int64_t *hidden)
{
    return run_stories(st, f, fn, ctx, hidden);
}

/* The story id a merged story now lives in. */
static int64_t follow_merges(sr_store *st, int64_t id)
{
    for (int hops = 0; hops < 64; hops++) {
        sqlite3_stmt *s = NULL;
        int64_t next = 0;
        if (sqlite3_prepare_v2(st->db, "SELECT merged_into FROM stories WHERE id=?", -1, &s, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(s, 1, id);
            if (sqlite3_step(s) == SQLITE_ROW)
                next = sqlite3_column_int64(s, 0);
        }
        sqlite3_finalize(s);
        if (!next)
            break;
        id = next;
    }
    return id;
}

int64_t sr_store_story_current(sr_store *st, int64_t story)
{
    if (story <= 0)
        return 0;
    story = follow_merges(st, story);
    sqlite3_stmt *s = NULL;
    int64_t found = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM stories WHERE id=?", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, story);
        if (sqlite3_step(s) == SQLITE_ROW)
            found = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return found;
}

/* A document's actor countries, "PAK,LBY" (as a column of the query). */
#define DOC_ACTORS(alias) \
    "(SELECT group_concat(c, ',') FROM (SELECT DISTINCT substr(x, 1, 3) AS c FROM" \
    " (SELECT source AS x FROM mentions WHERE doc_id = " alias ".id UNION ALL" \
    "  SELECT target FROM mentions WHERE doc_id = " alias ".id AND target <> '')" \
    " WHERE length(x) >= 3 AND substr(x, 1, 1) BETWEEN 'A' AND 'Z' ORDER BY c))"

sr_err sr_store_story_docs(sr_store *st, int64_t story, sr_story_doc_fn fn, void *ctx)
{
    const char *sql =
        "SELECT d.id, coalesce(d.copy_of, 0), o.name, d.published, d.title, d.url, d.body, "
        DOC_ACTORS("d") ", j.how, coalesce(j.story_id, 0), coalesce(j.score, 0),"
        " coalesce(j.profile, 0), coalesce(j.link, 0), coalesce(j.time_factor, 0),"
        " coalesce(j.nearest_doc, 0), n.title, n.published, n.body, " DOC_ACTORS("n")
        " FROM documents d JOIN outlets o ON o.id = d.outlet_id"
        " LEFT JOIN story_joins j ON j.doc_id = d.id LEFT JOIN documents n ON n.id = j.nearest_doc"
        " WHERE d.story_id = ? ORDER BY d.id";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "story documents");
    sqlite3_bind_int64(s, 1, story);
    int rc;
    sr_err e = SR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_story_doc_row r;
        memset(&r, 0, sizeof r);
        r.id = sqlite3_column_int64(s, 0);
        r.copy_of = sqlite3_column_int64(s, 1);
        r.outlet = col_text(s, 2) ? col_text(s, 2) : "";
        r.published = col_text(s, 3);
        r.title = col_text(s, 4);
        r.url = col_text(s, 5);
        r.text = col_text(s, 6) ? col_text(s, 6) : "";
        r.text_len = (size_t)sqlite3_column_bytes(s, 6);
        r.actors = col_text(s, 7) ? col_text(s, 7) : "";
        r.how = col_text(s, 8);
        r.joined_story = sqlite3_column_int64(s, 9);
        r.score = sqlite3_column_double(s, 10);
        r.profile = sqlite3_column_double(s, 11);
        r.link = sqlite3_column_double(s, 12);
        r.time_factor = sqlite3_column_double(s, 13);
        r.nearest = sqlite3_column_int64(s, 14);
        r.nearest_title = col_text(s, 15);
        r.nearest_published = col_text(s, 16);
        r.nearest_text = col_text(s, 17);
        r.nearest_len = (size_t)sqlite3_column_bytes(s, 17);
        r.nearest_actors = col_text(s, 18) ? col_text(s, 18) : "";
        if (fn(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "story documents");
    sqlite3_finalize(s);
    return e;
}

sr_err sr_store_story_changes(sr_store *st, int64_t story, sr_story_change_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
            "SELECT kind, from_story, into_story, coalesce(doc_id, 0), coalesce(documents, 0), at"
            " FROM story_changes WHERE from_story = ?1 OR into_story = ?1 ORDER BY id",
            -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "story changes");
    sqlite3_bind_int64(s, 1, story);
    int rc;
    sr_err e = SR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_story_change_row r;
        r.kind = col_text(s, 0) ? col_text(s, 0) : "";
        r.from = sqlite3_column_int64(s, 1);
        r.into = sqlite3_column_int64(s, 2);
        r.doc_id = sqlite3_column_int64(s, 3);
        r.documents = sqlite3_column_int64(s, 4);
        r.at = col_text(s, 5) ? col_text(s, 5) : "";
        if (fn(&r, ctx))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = st_fail(st, "story changes");
    sqlite3_finalize(s);
    return e;
}

sr_err sr_store_brief(sr_store *st, int64_t story, sr_brief *out)
{
    sqlite3_stmt *s = NULL;
    sr_err e = SR_OK;
    sr_brief_doc *docs = NULL;
    sr_brief_mention *ms = NULL;
    size_t nd = 0, capd = 0, nm = 0, capm = 0, nreal = 0, capof = 0;
    int64_t *virt_of = NULL;      /* the document each copy from another outlet repeats */
    char *title = NULL;
    memset(out, 0, sizeof *out);
    if (story <= 0) {
        /* the latest: the story of the most recently added document */
        if (sqlite3_prepare_v2(st->db, "SELECT story_id FROM documents ORDER BY id DESC LIMIT 1",
                               -1, &s, NULL) != SQLITE_OK)
            return st_fail(st, "brief");
        story = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        sqlite3_finalize(s);
        s = NULL;
        if (!story) {
            snprintf(st->errmsg, sizeof st->errmsg, "the store has no stories yet");
            return SR_EINVAL;
        }
    }
    story = follow_merges(st, story);
    if (sqlite3_prepare_v2(st->db, "SELECT title FROM stories WHERE id=?", -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "brief");
    sqlite3_bind_int64(s, 1, story);
    if (sqlite3_step(s) == SQLITE_ROW)
        title = strdup(col_text(s, 0) ? col_text(s, 0) : "");
    sqlite3_finalize(s);
    s = NULL;
    if (!title) {
        snprintf(st->errmsg, sizeof st->errmsg, "no story %lld", (long long)story);
        return SR_EINVAL;
    }
    /* strings are copied: statement memory does not outlive a step */
    if (sqlite3_prepare_v2(st->db,
            "SELECT d.id, coalesce(d.copy_of, 0), o.name, d.title, d.published, d.body"
            " FROM documents d JOIN outlets o ON o.id = d.outlet_id WHERE d.story_id = ? ORDER BY d.id",
            -1, &s, NULL) != SQLITE_OK) {
        e = st_fail(st, "brief");
        goto out;
    }
    sqlite3_bind_int64(s, 1, story);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (sr_grow((void **)&docs, &capd, nd + 1, sizeof *docs)) {
            e = SR_ENOMEM;
            goto out;
        }
        sr_brief_doc *d = &docs[nd];
        memset(d, 0, sizeof *d);
        nd++;
        d->id = sqlite3_column_int64(s, 0);
        d->copy_of = sqlite3_column_int64(s, 1);
        d->outlet = strdup(col_text(s, 2) ? col_text(s, 2) : "");
        d->title = col_text(s, 3) ? strdup(col_text(s, 3)) : NULL;
        d->published = col_text(s, 4) ? strdup(col_text(s, 4)) : NULL;
        d->text_len = (size_t)sqlite3_column_bytes(s, 5);
        char *t = malloc(d->text_len + 1);
        if (t) {
            memcpy(t, sqlite3_column_blob(s, 5), d->text_len);
            t[d->text_len] = '\0';
        }
        d->text = t;
        if (!d->outlet || !d->text) {
            e = SR_ENOMEM;
            goto out;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    /* an exact copy from another outlet: the same document again under that
     * outlet, as a copy of it (one report, one more outlet), with its
     * mentions repeated below; ids -1, -2, ... never clash with a row's */
    nreal = nd;
    if (sqlite3_prepare_v2(st->db,
            "SELECT x.doc_id, o.name FROM doc_outlets x JOIN documents d ON d.id = x.doc_id"
            " JOIN outlets o ON o.id = x.outlet_id WHERE d.story_id = ? ORDER BY x.doc_id, o.name",
            -1, &s, NULL) != SQLITE_OK) {
        e = st_fail(st, "brief");
        goto out;
    }
    sqlite3_bind_int64(s, 1, story);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t of = sqlite3_column_int64(s, 0);
        const sr_brief_doc *orig = NULL;
        for (size_t i = 0; i < nreal && !orig; i++)
            if (docs[i].id == of)
                orig = &docs[i];
        if (!orig)
            continue;
        if (sr_grow((void **)&docs, &capd, nd + 1, sizeof *docs) ||
            sr_grow((void **)&virt_of, &capof, nd - nreal + 1, sizeof *virt_of)) {
            e = SR_ENOMEM;
            goto out;
        }
        virt_of[nd - nreal] = of;
        orig = NULL;   /* docs may have moved */
        for (size_t i = 0; i < nreal && !orig; i++)
            if (docs[i].id == of)
                orig = &docs[i];
        sr_brief_doc *d = &docs[nd];
        memset(d, 0, sizeof *d);
        nd++;
        d->id = -(int64_t)(nd - nreal);
        d->copy_of = orig->copy_of ? orig->copy_of : orig->id;
        d->outlet = strdup(col_text(s, 1) ? col_text(s, 1) : "");
        d->title = orig->title ? strdup(orig->title) : NULL;
        d->published = orig->published ? strdup(orig->published) : NULL;
        d->text_len = orig->text_len;
        d->text = malloc(orig->text_len + 1);
        if (d->text)
            memcpy((char *)d->text, orig->text, orig->text_len + 1);
        if (!d->outlet || !d->text) {
            e = SR_ENOMEM;
            goto out;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_prepare_v2(st->db,
            "SELECT m.doc_id, m.source, m.target, m.cameo, m.modality, m.sentence_text"
            " FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE d.story_id = ? ORDER BY m.id",
            -1, &s, NULL) != SQLITE_OK) {
        e = st_fail(st, "brief");
        goto out;
    }
    sqlite3_bind_int64(s, 1, story);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (sr_grow((void **)&ms, &capm, nm + 1, sizeof *ms)) {
            e = SR_ENOMEM;
            goto out;
        }
        sr_brief_mention *m = &ms[nm];
        memset(m, 0, sizeof *m);
        nm++;
        m->doc = sqlite3_column_int64(s, 0);
        m->source = strdup(col_text(s, 1) ? col_text(s, 1) : "");
        m->target = strdup(col_text(s, 2) ? col_text(s, 2) : "");
        m->cameo = strdup(col_text(s, 3) ? col_text(s, 3) : "");
        const char *mod = col_text(s, 4) ? col_text(s, 4) : "asserted";
        m->modality = SR_MOD_ASSERTED;
        for (int k = SR_MOD_ASSERTED; k <= SR_MOD_FUTURE; k++)
            if (strcmp(mod, sr_modality_name((sr_modality)k)) == 0)
                m->modality = (sr_modality)k;
        m->sentence = strdup(col_text(s, 5) ? col_text(s, 5) : "");
        if (!m->source || !m->target || !m->cameo || !m->sentence) {
            e = SR_ENOMEM;
            goto out;
        }
    }
    /* the copies' mentions: their originals', under the copy's id */
    for (size_t i = 0, nms0 = nm; i < nms0 && !e; i++)
        for (size_t v = 0; v < nd - nreal && !e; v++) {
            if (virt_of[v] != ms[i].doc)
                continue;
            if (sr_grow((void **)&ms, &capm, nm + 1, sizeof *ms)) {
                e = SR_ENOMEM;
                break;
            }
            sr_brief_mention *m = &ms[nm];
            *m = ms[i];
            m->doc = docs[nreal + v].id;
            m->source = strdup(ms[i].source);
            m->target = strdup(ms[i].target);
            m->cameo = strdup(ms[i].cameo);
            m->sentence = strdup(ms[i].sentence);
            nm++;
            if (!m->source || !m->target || !m->cameo || !m->sentence)
                e = SR_ENOMEM;
        }
    if (!e)
        e = sr_brief_build(out, story, title, docs, nd, ms, nm);
    if (!e)
        out->documents = nreal;   /* a copy from another outlet is no new document */
out:
    sqlite3_finalize(s);
    for (size_t i = 0; i < nd; i++) {
        free((char *)docs[i].outlet);
        free((char *)docs[i].title);
        free((char *)docs[i].published);
        free((char *)docs[i].text);
    }
    for (size_t i = 0; i < nm; i++) {
        free((char *)ms[i].source);
        free((char *)ms[i].target);
        free((char *)ms[i].cameo);
        free((char *)ms[i].sentence);
    }
    free(docs);
    free(ms);
    free(virt_of);
    free(title);
    return e;
}

/* ---- search ---------------------------------------------------------------- */

typedef struct lexeme {
    const char *p;
    size_t n;
    int kind;       /* 'w' word, '"' phrase, 'o' operator/keyword, 'p' punctuation */
} lexeme;

/* Next FTS5 lexeme at *s: a "phrase" (with "" inside), a bareword, or one
 * punctuation character.  0 at the end. */
static int next_lexeme(const char **s, lexeme *lx)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!*p)
        return 0;
    lx->p = p;
    if (*p == '"') {
        p++;
        for (;;) {
            if (!*p)
                break;
            if (*p == '"') {
                if (p[1] == '"') {
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            p++;
        }
        lx->kind = '"';
    } else if (strchr("()*:^+,{}-", *p)) {
        p++;
        lx->kind = 'p';
    } else {
        while (*p && !strchr(" \t\n\r\"()*:^+,{}", *p))
            p++;
        lx->kind = 'w';
        size_t n = (size_t)(p - lx->p);
        if ((n == 3 && !strncmp(lx->p, "AND", 3)) || (n == 2 && !strncmp(lx->p, "OR", 2)) ||
            (n == 3 && !strncmp(lx->p, "NOT", 3)) || (n == 4 && !strncmp(lx->p, "NEAR", 4)))
            lx->kind = 'o';
    }
    lx->n = (size_t)(p - lx->p);
    *s = p;
    return 1;
}

static int same_ci(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

sr_err sr_search_normalize(const char *query, sr_buf *out, size_t *terms)
{
    lexeme lx;
    const char *s = query;
    int plain = 1;
    size_t n = 0;
    sr_buf_reset(out);
    *terms = 0;
    /* plain: words and phrases only, an implicit AND of them all */
    while (next_lexeme(&s, &lx)) {
        if (lx.kind == 'o' || lx.kind == 'p')
            plain = 0;
        if (lx.kind == 'w' || lx.kind == '"')
            n++;
    }
    sr_err e = SR_OK;
    if (!plain) {
        *terms = n;
        return sr_buf_puts(out, query);
    }
    /* keep the first of each distinct term: AND-ing a term twice changes
     * nothing but the cost (3,000 copies of one word took minutes) */
    lexeme *kept = NULL;
    size_t nkept = 0, cap = 0;
    s = query;
    while (!e && next_lexeme(&s, &lx)) {
        size_t i;
        for (i = 0; i < nkept && !same_ci(kept[i].p, kept[i].n, lx.p, lx.n); i++)
            ;
        if (i < nkept)
            continue;
        if (nkept >= SR_SEARCH_MAX_TERMS) {
            /* one more distinct term than the cap: the caller refuses, and
             * nothing past here is kept or compared (fuzzing found the
             * comparison reading past what was kept) */
            free(kept);
            *terms = nkept + 1;
            return e;
        }
        if (sr_grow((void **)&kept, &cap, nkept + 1, sizeof *kept)) {
            e = SR_ENOMEM;
            break;
        }
        kept[nkept++] = lx;
        if (out->len)
            e = sr_buf_putc(out, ' ');
        if (!e)
            e = sr_buf_append(out, lx.p, lx.n);
    }
    free(kept);
    *terms = nkept;
    return e;
}

/* The search's clock: past the deadline, SQLite is told to stop. */
static int over_budget(void *arg)
{
    const struct timespec *deadline = arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec > deadline->tv_nsec);
}

static sr_err run_search(sr_store *st, const char *query, int limit, sr_search_fn fn,
                         void *ctx, bool *parse_error)
{
    /* the best `limit` hits first, by rank alone; then their snippets,
     * events and outlets, so the costly snippet() runs `limit` times and
     * not once per document that matched.  The snippet comes from the
     * column that shows the match best (-1): a hit on the title alone
     * used to show a body snippet with nothing marked */
    const char *sql =
        "WITH top AS (SELECT rowid AS id, rank AS r FROM doc_fts WHERE doc_fts MATCH ?1"
        "  ORDER BY rank LIMIT ?2)"
        "SELECT d.id, d.story_id, d.title, o.name, d.published, d.url,"
        " snippet(doc_fts, -1, '[', ']', '...', 12),"
        " (SELECT count(DISTINCT event_id) FROM mentions WHERE doc_id = d.id),"
        " (SELECT group_concat(x, ', ') FROM (SELECT DISTINCT source || '>' || target || ' ' || cameo AS x"
        "   FROM mentions WHERE doc_id = d.id LIMIT 5))"
        " FROM top JOIN doc_fts ON doc_fts.rowid = top.id JOIN documents d ON d.id = top.id"
        " JOIN outlets o ON o.id = d.outlet_id"
        " WHERE doc_fts MATCH ?1 ORDER BY top.r, top.id";
    sqlite3_stmt *s = NULL;
    *parse_error = false;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return st_fail(st, "search");
    sqlite3_bind_text(s, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit);
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += SR_SEARCH_BUDGET_MS / 1000;
    deadline.tv_nsec += (long)(SR_SEARCH_BUDGET_MS % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    sqlite3_progress_handler(st->db, 10000, over_budget, &deadline);
    int rc;
    sr_err e = SR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sr_search_hit h;
        h.doc_id = sqlite3_column_int64(s, 0);
        h.story = sqlite3_column_int64(s, 1);
        h.title = col_text(s, 2);
        h.outlet = col_text(s, 3);
        h.published = col_text(s, 4);
        h.url = col_text(s, 5);
        h.snippet = col_text(s, 6);
        h.events = sqlite3_column_int64(s, 7);
        h.event_codes = col_text(s, 8) ? col_text(s, 8) : "";
        if (fn(&h, ctx))
            break;
    }
    sqlite3_progress_handler(st->db, 0, NULL, NULL);
    if (rc == SQLITE_INTERRUPT) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "the search went over its %d s time budget; make the query narrower",
                 SR_SEARCH_BUDGET_MS / 1000);
        e = SR_EINVAL;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *parse_error = rc == SQLITE_ERROR;
        e = st_fail(st, "search");
    }
    sqlite3_finalize(s);
    return e;
}

sr_err sr_store_search(sr_store *st, const char *query, int limit, sr_search_fn fn, void *ctx)
{
    bool perr;
    size_t terms;
    sr_buf norm = SR_BUF_INIT(1 << 20);
    sr_err e = sr_search_normalize(query, &norm, &terms);
    if (e) {
        sr_buf_free(&norm);
        return e;
    }
    if (terms > SR_SEARCH_MAX_TERMS) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "the query has more than %d distinct terms; at most %d are searched for",
                 SR_SEARCH_MAX_TERMS, SR_SEARCH_MAX_TERMS);
        sr_buf_free(&norm);
        return SR_ETOOBIG;
    }
    if (terms == 0 || !norm.p) {
        sr_buf_free(&norm);
        return SR_EPARSE;
    }
    query = norm.p;
    e = run_search(st, query, limit, fn, ctx, &perr);
    if (e && perr) {
        /* not FTS5 syntax: search for the words as written, each quoted */
        sr_buf q = SR_BUF_INIT(1 << 20);
        const char *p = query;
        while (*p) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            const char *w = p;
            while (*p && *p != ' ')
                p++;
            sr_buf_puts(&q, q.len ? " \"" : "\"");
            for (const char *x = w; x < p; x++) {
                if (*x == '"')
                    sr_buf_putc(&q, '"');
                sr_buf_putc(&q, *x);
            }
            sr_buf_putc(&q, '"');
        }
        e = q.len ? run_search(st, q.p, limit, fn, ctx, &perr) : SR_EPARSE;
        if (e && perr)
            e = SR_EPARSE;
        sr_buf_free(&q);
    }
    sr_buf_free(&norm);
    return e;
}
