/* store_roundtrip_test.c - the SQLite store: schema and WAL on creation,
 * idempotent adds, events merged and recounted across documents and
 * outlets, near-copies linked into their original's story, the clusterer's
 * state surviving a close and reopen, queries with filters, search, briefs,
 * and refusing files that are not sitrep stores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sitrep-store-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[160];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/other.db", dir);
    unlink(p);
    rmdir(dir);
    return 0;
}

static sr_mention mention(const char *src, const char *tgt, const char *cameo)
{
    sr_mention m;
    memset(&m, 0, sizeof m);
    snprintf(m.source.code, sizeof m.source.code, "%s", src);
    snprintf(m.target.code, sizeof m.target.code, "%s", tgt);
    m.source.known = m.target.known = true;
    m.has_target = true;
    snprintf(m.cameo, sizeof m.cameo, "%s", cameo);
    snprintf(m.root, sizeof m.root, "%.2s", cameo);
    m.quad = 1;
    m.goldstein = 1.0;
    m.modality = SR_MOD_ASSERTED;
    return m;
}

static sr_store_added add(sr_store *st, const char *outlet, const char *title,
                          const char *text, const char *published, const sr_mention *m)
{
    sr_doc d;
    memset(&d, 0, sizeof d);
    d.path = "test";
    d.outlet = outlet;
    d.title = title;
    d.text = text;
    d.text_len = strlen(text);
    d.published = published;
    sr_store_mention sm = { .m = m, .sentence = text, .source_text = "source text",
                            .target_text = "target text", .verb_text = "met" };
    sr_store_input in = { &d, outlet, &sm, m ? 1 : 0, 0 };
    sr_store_added r;
    assert_int_equal(sr_store_add(st, &in, &r), SR_OK);
    return r;
}

static int64_t q1(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

typedef struct seen { size_t n; int64_t mentions, articles, sources; char last_source[32]; } seen;

static int on_event(const sr_event_row *e, void *ctx)
{
    seen *s = ctx;
    s->n++;
    s->mentions += e->num_mentions;
    s->articles += e->num_articles;
    s->sources += e->num_sources;
    snprintf(s->last_source, sizeof s->last_source, "%s", e->source);
    return 0;
}

static int on_story(const sr_story_row *r, void *ctx)
{
    (void)r;
    (*(size_t *)ctx)++;
    return 0;
}

static int on_hit(const sr_search_hit *h, void *ctx)
{
    *(int64_t *)ctx = h->story;
    return 0;
}

static const char rep_a[] =
    "Pakistan's army chief met Libyan military leaders in Benghazi on Monday to expand "
    "defence cooperation and military training between the two countries.";
static const char rep_b[] =
    "Libyan commanders welcomed Pakistan's army chief in Benghazi, where the two sides "
    "discussed defence cooperation, training and a possible arms deal.";
static const char other[] =
    "Japan pledged coastal radars to the Philippine navy as defence ministers met in Manila.";

static void store_adds_merges_and_recounts(void **state)
{
    (void)state;
    sr_store *st;
    assert_int_equal(sr_store_open(path, &st), SR_OK);
    sr_mention m1 = mention("PAKMIL", "LBYMIL", "040");
    sr_store_added a = add(st, "Outlet A", "Pakistan army chief in Libya", rep_a, "2025-12-01", &m1);
    assert_false(a.duplicate);
    assert_true(a.new_story);
    sr_store_added b = add(st, "Outlet B", "Libya hosts Pakistani army chief", rep_b, "2025-12-01T10:00:00Z", &m1);
    assert_false(b.duplicate);
    assert_int_equal(b.story, a.story);
    /* the same body again (other spacing and case): nothing happens */
    char again[sizeof rep_a + 8];
    snprintf(again, sizeof again, "  %s", rep_a);
    again[3] = 'A';
    assert_true(add(st, "Outlet C", NULL, again, NULL, &m1).duplicate);
    /* a near-copy (a credit line added) from a third outlet */
    char copy[sizeof rep_a + 32];
    snprintf(copy, sizeof copy, "%s (Wire)", rep_a);
    sr_store_added c = add(st, "Outlet C", "Pakistan army chief in Libya", copy, "2025-12-02", &m1);
    assert_int_equal(c.copy_of, a.doc_id);
    assert_int_equal(c.story, a.story);
    sr_mention m2 = mention("JPN", "PHL", "057");
    sr_store_added d = add(st, "Outlet D", "Japan gives radars", other, "2025-12-02", &m2);
    assert_true(d.story != a.story);
    assert_int_equal(sr_store_close(st), SR_OK);

    {
        sqlite3 *db;
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
    assert_int_equal(q1("PRAGMA user_version"), SR_STORE_SCHEMA);
    assert_int_equal(q1("SELECT count(*) FROM documents"), 4);
    /* 040 on 2025-12-01 twice (two outlets), on 2025-12-02 once */
    assert_int_equal(q1("SELECT num_mentions FROM events WHERE day=20251201 AND cameo='040'"), 2);
    assert_int_equal(q1("SELECT num_sources FROM events WHERE day=20251201 AND cameo='040'"), 2);
    assert_int_equal(q1("SELECT num_articles FROM events WHERE day=20251202 AND cameo='040'"), 1);
    assert_int_equal(q1("SELECT count(*) FROM actors"), 4);

    /* reopen: the clusterer remembers; a related report joins story a */
    assert_int_equal(sr_store_open(path, &st), SR_OK);
    static const char rep_e[] =
        "Pakistan and Libya agreed in Benghazi to expand military training and defence cooperation.";
    sr_store_added e = add(st, "Outlet E", "Pakistan, Libya expand defence cooperation", rep_e, "2025-12-02", &m1);
    assert_int_equal(e.story, a.story);
    assert_int_equal(sr_store_commit(st), SR_OK);
    assert_int_equal(sr_store_close(st), SR_OK);
    assert_int_equal(q1("SELECT num_mentions FROM events WHERE day=20251202 AND cameo='040'"), 2);
    assert_int_equal(q1("SELECT num_sources FROM events WHERE day=20251202 AND cameo='040'"), 2);

    /* queries */
    assert_int_equal(sr_store_open_readonly(path, &st), SR_OK);
    seen s = {0};
    sr_event_filter f;
    memset(&f, 0, sizeof f);
    assert_int_equal(sr_store_events(st, &f, on_event, &s), SR_OK);
    assert_int_equal(s.n, 3);
    memset(&s, 0, sizeof s);
    f.actor = "JPN";
    assert_int_equal(sr_store_events(st, &f, on_event, &s), SR_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.last_source, "JPN");
    memset(&s, 0, sizeof s);
    memset(&f, 0, sizeof f);
    f.dyad_a = "PAK";
    f.dyad_b = "LBY";
    f.since = "2025-12-02";
    assert_int_equal(sr_store_events(st, &f, on_event, &s), SR_OK);
    assert_int_equal(s.n, 1);
    memset(&s, 0, sizeof s);
    memset(&f, 0, sizeof f);
    f.story = d.story;
    assert_int_equal(sr_store_events(st, &f, on_event, &s), SR_OK);
    assert_int_equal(s.n, 1);
    size_t stories = 0;
    assert_int_equal(sr_store_stories(st, NULL, on_story, &stories), SR_OK);
    assert_int_equal(stories, 2);
    int64_t hit = 0;
    assert_int_equal(sr_store_search(st, "radars", 5, on_hit, &hit), SR_OK);
    assert_int_equal(hit, d.story);
    hit = 0;
    assert_int_equal(sr_store_search(st, "\"unbalanced", 5, on_hit, &hit), SR_OK);
    sr_brief br;
    assert_int_equal(sr_store_brief(st, a.story, &br), SR_OK);
    assert_int_equal(br.documents, 4);
    assert_int_equal(br.independent, 3);
    assert_int_equal(br.noutlets, 4);
    sr_brief_free(&br);
    assert_int_equal(sr_store_brief(st, 12345, &br), SR_EINVAL);
    assert_int_equal(sr_store_close(st), SR_OK);
}

static void store_refuses_other_files(void **state)
{
    (void)state;
    char other_db[160];
    snprintf(other_db, sizeof other_db, "%s/other.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(other_db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE mine(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sr_store *st = NULL;
    assert_int_equal(sr_store_open(other_db, &st), SR_EFORMAT);
    assert_non_null(strstr(sr_store_errmsg(st), "not a sitrep store"));
    sr_store_close(st);
    assert_int_equal(sr_store_open_readonly(other_db, &st), SR_EFORMAT);
    sr_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(store_adds_merges_and_recounts, setup, teardown),
        cmocka_unit_test_setup_teardown(store_refuses_other_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
