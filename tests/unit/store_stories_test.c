/* store_stories_test.c - stories in the store: every document's join is
 * recorded (how, score, nearest document); a story that becomes two is
 * split in the documents table and the split recorded, so the old id keeps
 * its documents and the new one gets the rest; merges are recorded and old
 * ids lead to the merged story; the clusterer's state (recent documents
 * with their ids) survives a close and reopen; an undated document joins
 * nothing of an earlier batch; the story list filters as `sitrep stories`
 * promises; a document's story query lists near-copies with their
 * original. */
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
    snprintf(dir, sizeof dir, "/tmp/sitrep-stories-test-XXXXXX");
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
    assert_false(r.duplicate);
    return r;
}

static int64_t q1(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static const char *const early[] = {
    "Tokyo court hears Mt. Gox bankruptcy filing",
    "Mt. Gox bankruptcy filing heard in Tokyo court",
    "Gox bankruptcy hearing opens in Tokyo court",
    "Tokyo bankruptcy court takes Mt. Gox case",
    "Mt. Gox case before Tokyo bankruptcy court",
};
static const char *const late[] = {
    /* two words of the early story, as a report needs more than one to
     * bring a second happening into a story (cluster.c) */
    "Tokyo police question Gox founder Karpeles over missing coins",
    "Police question Karpeles over missing bitcoins at Gox",
    "Karpeles questioned over missing coins, Gox says",
    "Missing bitcoins: police question Gox founder Karpeles",
    "Gox founder Karpeles faces police questions on missing coins",
    "Police again question Karpeles on missing Gox coins",
    "Karpeles quizzed by police about missing bitcoins",
    "Missing Gox coins: Karpeles questioned by police",
};

typedef struct docs_seen {
    int64_t ids[32];
    const char *how[32];
    int64_t nearest[32];
    size_t n;
} docs_seen;

static int on_doc(const sr_story_doc_row *d, void *ctx)
{
    docs_seen *s = ctx;
    assert_true(s->n < 32);
    s->ids[s->n] = d->id;
    s->how[s->n] = d->how && !strcmp(d->how, "opened") ? "opened"
                 : d->how && !strcmp(d->how, "joined") ? "joined"
                 : d->how && !strcmp(d->how, "near-copy") ? "near-copy" : "?";
    s->nearest[s->n] = d->nearest;
    s->n++;
    return 0;
}

static void joins_are_recorded_and_splits_move_documents(void **state)
{
    (void)state;
    sr_store *st;
    assert_int_equal(sr_store_open(path, &st), SR_OK);
    /* join anything, so the story has to become two */
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.assign_min = 1e-9;   /* two days on counts 2^-16 of a score */
    o.size_prior = 0;
    assert_int_equal(sr_store_set_cluster_opts(st, &o), SR_OK);
    sr_store_added r;
    int64_t story = 0;
    char when[32];
    for (int i = 0; i < 5; i++) {
        snprintf(when, sizeof when, "2025-03-10T0%d:00:00Z", i);
        r = add(st, "Wire", early[i], early[i], when, NULL);
        if (i == 0)
            story = r.story;
        assert_int_equal(r.story, story);
    }
    /* two days on, reports of something else join it, and it splits */
    int64_t into = 0;
    for (int i = 0; i < 8; i++) {
        snprintf(when, sizeof when, "2025-03-12T0%d:00:00Z", i);
        r = add(st, i % 2 ? "Post" : "Herald", late[i], late[i], when, NULL);
        if (r.story != story)
            into = r.story;
    }
    assert_int_equal(sr_store_commit(st), SR_OK);
    assert_true(into > 0);
    /* the old id keeps the early reports, the new one has the late ones */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM documents WHERE story_id=%lld", (long long)story);
    assert_int_equal(q1(sql), 5);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM documents WHERE story_id=%lld", (long long)into);
    assert_int_equal(q1(sql), 8);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM story_changes WHERE kind='split' AND "
             "from_story=%lld AND into_story=%lld", (long long)story, (long long)into);
    assert_int_equal(q1(sql), 1);
    snprintf(sql, sizeof sql, "SELECT title IS NOT NULL FROM stories WHERE id=%lld", (long long)into);
    assert_int_equal(q1(sql), 1);
    assert_int_equal(q1("SELECT count(*) FROM story_joins"), 13);
    /* why each document is there */
    docs_seen seen = {0};
    assert_int_equal(sr_store_story_docs(st, story, on_doc, &seen), SR_OK);
    assert_int_equal(seen.n, 5);
    assert_string_equal(seen.how[0], "opened");
    for (size_t i = 1; i < seen.n; i++) {
        assert_string_equal(seen.how[i], "joined");
        assert_true(seen.nearest[i] >= seen.ids[0] && seen.nearest[i] < seen.ids[i]);
    }
    assert_int_equal(sr_store_story_current(st, story), story);
    assert_int_equal(sr_store_story_current(st, 9999), 0);
    assert_int_equal(sr_store_close(st), SR_OK);

    /* reopened: the clusterer remembers both halves and their documents */
    assert_int_equal(sr_store_open(path, &st), SR_OK);
    assert_int_equal(sr_store_set_cluster_opts(st, &o), SR_OK);
    r = add(st, "Wire", "Police question Karpeles again over missing Gox bitcoins", "Police "
            "questioned Karpeles again over the missing Gox bitcoins.", "2025-03-12T10:00:00Z", NULL);
    assert_int_equal(r.story, into);
    r = add(st, "Wire", "Tokyo court to rule on Mt. Gox bankruptcy case", "The Tokyo court will "
            "rule on the Mt. Gox bankruptcy case.", "2025-03-10T05:00:00Z", NULL);
    assert_int_equal(r.story, story);
    assert_int_equal(sr_store_close(st), SR_OK);
}

/* Issue 14, item 14, in the store: an undated document in a later batch
 * opens its own story rather than joining (and merging) dated ones. */
static void undated_documents_stay_in_their_batch(void **state)
{
    (void)state;
    sr_store *st;
    assert_int_equal(sr_store_open(path, &st), SR_OK);
    sr_store_added a = add(st, "A", "Dock workers strike at Port Kelang",
                           "Dock workers at Port Kelang walked out over pay.", "2007-02-03", NULL);
    sr_store_added b = add(st, "B", "Port Kelang dock workers strike over pay",
                           "Dock workers at Port Kelang are on strike over pay.", "2026-02-03", NULL);
    assert_true(a.story != b.story);
    assert_int_equal(sr_store_commit(st), SR_OK);
    sr_store_added u = add(st, "C", "Strike at Port Kelang docks over pay",
                           "Dock workers at Port Kelang strike over pay, stopping traffic.", NULL, NULL);
    assert_true(u.new_story);
    /* in its own batch an undated document is joined as any other */
    sr_store_added v = add(st, "D", "Strike at Port Kelang docks over pay, workers say",
                           "Dock workers at Port Kelang strike over pay, they say.", NULL, NULL);
    assert_int_equal(v.story, u.story);
    assert_int_equal(sr_store_close(st), SR_OK);
    assert_int_equal(q1("SELECT count(*) FROM story_changes"), 0);
    assert_int_equal(q1("SELECT count(DISTINCT story_id) FROM documents"), 3);
}

typedef struct listed {
    int64_t ids[16];
    size_t n;
} listed;

static int on_story(const sr_story_row *s, void *ctx)
{
    listed *l = ctx;
    assert_true(l->n < 16);
    l->ids[l->n++] = s->id;
    return 0;
}

static void the_story_list_filters(void **state)
{
    (void)state;
    sr_store *st;
    assert_int_equal(sr_store_open(path, &st), SR_OK);
    sr_mention m = mention("PAKMIL", "LBYMIL", "042");
    sr_store_added evt = add(st, "A", "Pakistan army chief visits Libya",
                             "Pakistan's army chief met Libyan commanders in Benghazi.", "2025-03-01", &m);
    sr_store_added two = add(st, "A", "Drought hits wheat crop in Kansas",
                             "Drought has cut the Kansas wheat crop by a third.", "2025-03-05", NULL);
    add(st, "B", "Kansas wheat crop hit by drought",
        "The Kansas wheat crop is down a third after the drought.", "2025-03-05", NULL);
    sr_store_added solo = add(st, "C", "Bakery wins bread prize in old town",
                              "A bakery in the old town won a regional bread prize.", "2025-03-09", NULL);
    assert_int_equal(sr_store_commit(st), SR_OK);
    assert_true(evt.story != two.story && solo.story != two.story);

    listed l = {0};
    int64_t hidden = -1;
    sr_story_filter f = {0};
    assert_int_equal(sr_store_stories_filtered(st, &f, on_story, &l, &hidden), SR_OK);
    /* by last activity; the single page with no event stays out */
    assert_int_equal(l.n, 2);
    assert_int_equal(l.ids[0], two.story);
    assert_int_equal(l.ids[1], evt.story);
    assert_int_equal(hidden, 1);

    memset(&l, 0, sizeof l);
    f.all = true;
    assert_int_equal(sr_store_stories_filtered(st, &f, on_story, &l, NULL), SR_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.ids[0], solo.story);

    sr_story_filter g = {0};
    g.explicit_min = true;
    g.min_outlets = 2;
    memset(&l, 0, sizeof l);
    assert_int_equal(sr_store_stories_filtered(st, &g, on_story, &l, NULL), SR_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], two.story);

    sr_story_filter h = {0};
    h.actor = "PAK";
    memset(&l, 0, sizeof l);
    assert_int_equal(sr_store_stories_filtered(st, &h, on_story, &l, NULL), SR_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], evt.story);
    h.actor = "PAKNAV";   /* a prefix, not a substring */
    memset(&l, 0, sizeof l);
    assert_int_equal(sr_store_stories_filtered(st, &h, on_story, &l, NULL), SR_OK);
    assert_int_equal(l.n, 0);

    sr_story_filter u = {0};
    u.all = true;
    u.until = "2025-03-02";
    memset(&l, 0, sizeof l);
    assert_int_equal(sr_store_stories_filtered(st, &u, on_story, &l, NULL), SR_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], evt.story);
    u.until = NULL;
    u.since = "2025-03-04";
    u.limit = 1;
    memset(&l, 0, sizeof l);
    assert_int_equal(sr_store_stories_filtered(st, &u, on_story, &l, NULL), SR_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.ids[0], solo.story);
    assert_int_equal(sr_store_close(st), SR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(joins_are_recorded_and_splits_move_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(undated_documents_stay_in_their_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(the_story_list_filters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
