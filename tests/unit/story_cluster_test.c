/* story_cluster_test.c - near-copy fingerprints, the body hash, term bags and
 * the incremental clusterer: assignment, time (decay and window), undated
 * documents kept to their batch, merging, splitting, a state flushed and
 * restored (also from the version-1 format) giving the same decisions, and
 * stories that left memory brought back for a late document exactly as they
 * were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/story.h"

static const char wire[] =
    "The navies of Egypt and France began a joint exercise off Alexandria on Friday, "
    "the Egyptian military spokesman said. French and Egyptian frigates will practise "
    "air defence and search-and-rescue operations during the four-day drill.";

static void simhash_finds_near_copies(void **state)
{
    (void)state;
    char copy[512], dateline[512];
    snprintf(copy, sizeof copy, "%s (Nile Wire)", wire);
    snprintf(dateline, sizeof dateline, "CAIRO - %s", wire);
    uint64_t a = sr_simhash(wire, strlen(wire)), b = sr_simhash(copy, strlen(copy));
    assert_true(sr_simhash_distance(a, b) <= SR_NEAR_COPY_BITS);
    b = sr_simhash(dateline, strlen(dateline));
    assert_true(sr_simhash_distance(a, b) <= SR_NEAR_COPY_BITS);
    /* within the threshold, some band is equal (the store's lookup) */
    int same = 0;
    for (int k = 0; k < SR_SIMHASH_BANDS; k++)
        same += sr_simhash_band(a, k) == sr_simhash_band(b, k);
    assert_true(same >= 1);
    assert_true(sr_shingle_containment(wire, strlen(wire), copy, strlen(copy)) >= SR_NEAR_COPY_CONTAINMENT);
    /* the same template with other names is not a copy */
    const char t1[] = "The defence minister of Libya visited the army chief of Pakistan on 2025-01-02. "
                      "Officials said the talks covered training and joint exercises (ref 1-486904).";
    const char t2[] = "The defence minister of Japan visited the army chief of Egypt on 2025-03-09. "
                      "Officials said the talks covered training and joint exercises (ref 77-12904).";
    assert_true(sr_shingle_containment(t1, strlen(t1), t2, strlen(t2)) < SR_NEAR_COPY_CONTAINMENT);
    const char other[] = "Japan's defence minister met the Philippine defense secretary in Manila "
                         "and pledged coastal surveillance radars to the Philippine navy.";
    uint64_t c = sr_simhash(other, strlen(other));
    assert_true(sr_simhash_distance(a, c) > 10);
    assert_int_equal(sr_simhash_distance(a, a), 0);
}

static void body_hash_ignores_case_and_spacing(void **state)
{
    (void)state;
    const char *x = "Talks resumed in Geneva.\n\nDelegates met again.";
    const char *y = "  talks RESUMED in   Geneva. Delegates\tmet again.  ";
    const char *z = "Talks resumed in Geneva. Delegates met once more.";
    assert_true(sr_body_hash(x, strlen(x)) == sr_body_hash(y, strlen(y)));
    assert_true(sr_body_hash(x, strlen(x)) != sr_body_hash(z, strlen(z)));
}

static bool shares(const sr_story_terms *a, const sr_story_terms *b, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            k += a->term[i] == b->term[j];
    if (n)
        *n = k;
    return k > 0;
}

/* the index of term `label` in t, or -1 (t built with keep_labels) */
static long find_label(const sr_story_terms *t, const char *label)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(sr_story_terms_label(t, i), label) == 0)
            return (long)i;
    return -1;
}

static void terms_fold_and_drop_stop_words(void **state)
{
    (void)state;
    sr_story_terms a = {0}, b = {0};
    assert_int_equal(sr_story_terms_build(&a, "The Chinese exports fell", NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_story_terms_build(&b, "china export falls", NULL, 0, NULL, 0), SR_OK);
    /* "the" is dropped; chinese -> china; exports/export share a stem */
    size_t shared;
    shares(&a, &b, &shared);
    assert_true(shared >= 2);
    const char *actors[] = {"PAKMIL", "LBYGOV"};
    assert_int_equal(sr_story_terms_build(&a, NULL, "", 0, actors, 2), SR_OK);
    assert_int_equal(a.n, 2);     /* one term per actor country */
    /* dates and small numbers say when, not what; amounts stay */
    assert_int_equal(sr_story_terms_build(&a, "Tuesday March 11 2014", NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(a.n, 0);
    assert_int_equal(sr_story_terms_build(&a, "Chrysler recalls 37,000 vehicles", NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_story_terms_build(&b, "37000 Chrysler cars recalled", NULL, 0, NULL, 0), SR_OK);
    shares(&a, &b, &shared);
    assert_true(shared >= 3);     /* chrysler, recall, 37000 */
    /* a body that only repeats the headline adds nothing (a feed's bare
     * entry gets the same terms as the headline alone) */
    const char *h = "Edward Snowden speaks at SXSW";
    assert_int_equal(sr_story_terms_build(&a, h, NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_story_terms_build(&b, h, h, strlen(h), NULL, 0), SR_OK);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_true(a.term[i] == b.term[i] && a.weight[i] == b.weight[i]);
        assert_int_equal(a.flags[i], b.flags[i]);
    }
    sr_story_terms_free(&a);
    sr_story_terms_free(&b);
}

static void terms_record_case_and_labels(void **state)
{
    (void)state;
    sr_story_terms t = {0};
    t.keep_labels = true;
    /* a sentence-case headline: case means something after the first word */
    assert_int_equal(sr_story_terms_build(&t, "Pizza chain Sbarro files for bankruptcy again",
                                          NULL, 0, NULL, 0), SR_OK);
    long sb = find_label(&t, "sbarro"), bk = find_label(&t, "bankruptcy");
    long pz = find_label(&t, "pizza"), pair = find_label(&t, "sbarrofile");
    assert_true(sb >= 0 && bk >= 0 && pz >= 0 && pair >= 0);
    assert_int_equal(t.flags[sb], SR_TERM_CASED | SR_TERM_CAPITAL);
    assert_true(t.flags[pair] & SR_TERM_PAIR);
    assert_int_equal(t.flags[bk], SR_TERM_CASED);
    assert_int_equal(t.flags[pz], 0);          /* the first word says nothing */
    /* Title Case says nothing about any word */
    assert_int_equal(sr_story_terms_build(&t, "Pizza Chain Sbarro Files For Bankruptcy Again",
                                          NULL, 0, NULL, 0), SR_OK);
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(t.flags[i] & (SR_TERM_CASED | SR_TERM_CAPITAL), 0);
    /* a lead: names inside sentences are joined, sentence starts say nothing */
    const char *lead = "Officials met in Jakarta. General Kemal Arslan praised Indonesia's role.";
    assert_int_equal(sr_story_terms_build(&t, NULL, lead, strlen(lead), NULL, 0), SR_OK);
    assert_true(find_label(&t, "kemalarslan") >= 0);
    assert_true(t.flags[find_label(&t, "kemalarslan")] & SR_TERM_PAIR);
    assert_int_equal(t.flags[find_label(&t, "jakarta")], SR_TERM_CASED | SR_TERM_CAPITAL);
    assert_int_equal(t.flags[find_label(&t, "general")], 0);
    /* UTF-8 dashes, quotes and spaces separate words; they are no words */
    const char *typo = "“Meth – we’re on it” · South Dakota\xC2\xA0" "campaign…";
    assert_int_equal(sr_story_terms_build(&t, typo, NULL, 0, NULL, 0), SR_OK);
    for (size_t i = 0; i < t.n; i++) {
        const char *l = sr_story_terms_label(&t, i);
        for (const char *p = l; *p; p++)
            assert_true((unsigned char)*p < 0x80);   /* this text's words are ASCII */
    }
    assert_true(find_label(&t, "meth") >= 0 && find_label(&t, "we're") >= 0 &&
                find_label(&t, "dakota") >= 0 && find_label(&t, "campaign") >= 0);
    sr_story_terms_free(&t);
    assert_true(t.keep_labels);
}

static void terms_from_events(void **state)
{
    (void)state;
    sr_mention m;
    memset(&m, 0, sizeof m);
    snprintf(m.source.code, sizeof m.source.code, "PAKMIL");
    snprintf(m.target.code, sizeof m.target.code, "LBYGOV");
    m.has_target = true;
    snprintf(m.cameo, sizeof m.cameo, "042");
    snprintf(m.root, sizeof m.root, "04");
    sr_story_terms t = {0};
    t.keep_labels = true;
    assert_int_equal(sr_story_terms_build(&t, NULL, NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_story_terms_add_events(&t, &m, 1), SR_OK);
    const char *want[] = { "actor:PAK", "agent:PAKMIL", "actor:LBY", "agent:LBYGOV",
                           "event:PAK>LBY:04" };
    assert_int_equal(t.n, 5);
    for (size_t i = 0; i < 5; i++)
        assert_true(find_label(&t, want[i]) >= 0);
    assert_int_equal(sr_story_terms_add_place(&t, "88319"), SR_OK);
    assert_int_equal(sr_story_terms_add_place(&t, ""), SR_OK);
    assert_int_equal(t.n, 6);
    assert_true(find_label(&t, "place:88319") >= 0);
    sr_story_terms_free(&t);
}

static int64_t add_doc(sr_clusterer *c, const char *title, int64_t t, int64_t doc,
                       sr_cluster_result *r)
{
    sr_story_terms terms = {0};
    assert_int_equal(sr_story_terms_build(&terms, title, NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_clusterer_add(c, &terms, t, doc, 0, r), SR_OK);
    sr_story_terms_free(&terms);
    return r->story;
}

static int64_t add(sr_clusterer *c, const char *title, int64_t t, sr_cluster_result *r)
{
    return add_doc(c, title, t, 0, r);
}

static const char *const gox[] = {
    "Mt. Gox files for US bankruptcy protection",
    "Bitcoin exchange Mt. Gox seeks US bankruptcy relief",
    "MtGox bankruptcy filing in Texas court",
};
static const char *const bossy[] = {
    "Beyonce joins campaign to ban the word bossy",
    "Sheryl Sandberg wants to ban bossy for girls",
    "Ban bossy campaign backed by Beyonce and Sandberg",
};

#define DAY 86400
#define T0 ((int64_t)16000 * DAY)

static void clusterer_groups_and_separates(void **state)
{
    (void)state;
    sr_clusterer *c = sr_clusterer_new(NULL);
    assert_non_null(c);
    sr_cluster_result r;
    int64_t g = add(c, gox[0], T0, &r);
    assert_true(r.is_new);
    int64_t b = add(c, bossy[0], T0 + 60, &r);
    assert_true(r.is_new);
    assert_true(b != g);
    for (int i = 1; i < 3; i++) {
        assert_int_equal(add(c, gox[i], T0 + 600 * i, &r), g);
        assert_true(r.score >= 0.10 && r.time_factor > 0.99 && r.nearest == 0);
        assert_int_equal(add(c, bossy[i], T0 + 600 * i + 60, &r), b);
    }
    sr_clusterer_free(c);
}

static void clusterer_time_decays_and_windows(void **state)
{
    (void)state;
    sr_cluster_result r;
    /* a few hours on, a report joins; three days on, the same words are
     * another happening (the score has decayed, no cut-off needed) */
    sr_clusterer *c = sr_clusterer_new(NULL);
    int64_t first = add_doc(c, gox[0], T0, 11, &r);
    assert_int_equal(add_doc(c, gox[1], T0 + 3 * 3600, 12, &r), first);
    assert_true(r.time_factor > 0.9 && r.nearest == 11);
    int64_t later = add_doc(c, gox[2], T0 + 3 * DAY, 13, &r);
    assert_true(r.is_new && later != first);
    sr_clusterer_free(c);

    /* beyond the window a story is not even compared */
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.window = DAY;
    o.time_scale = 0;     /* no decay: only the window separates */
    c = sr_clusterer_new(&o);
    first = add(c, gox[0], 100 * DAY, &r);
    assert_int_equal(add(c, gox[1], 100 * DAY + 3600, &r), first);
    later = add(c, gox[1], 110 * DAY, &r);
    assert_true(r.is_new && later != first);
    /* a near-copy forced into a story goes there whatever it says */
    sr_story_terms t = {0};
    sr_story_terms_build(&t, bossy[0], NULL, 0, NULL, 0);
    assert_int_equal(sr_clusterer_add(c, &t, 110 * DAY, 0, first, &r), SR_OK);
    assert_int_equal(r.story, first);
    sr_story_terms_free(&t);
    sr_clusterer_free(c);
}

/* The closeness falls away past the time scale: the same headline a day
 * and a half later is the next issue of a daily column, not the same
 * story, while a follow-up the next morning is measured against the
 * evening's report, the nearest in time, not the bulk of the day before. */
static void clusterer_time_has_a_short_tail(void **state)
{
    (void)state;
    sr_cluster_result r;
    sr_clusterer *c = sr_clusterer_new(NULL);
    int64_t col = add_doc(c, "Harbour Freight Digest: cranes idle at the east quay", T0, 1, &r);
    assert_int_equal(add_doc(c, "Harbour Freight Digest: cranes idle at east quay",
                             T0 + 1800, 2, &r), col);
    int64_t next = add_doc(c, "Harbour Freight Digest: cranes idle at the east quay",
                           T0 + DAY + DAY / 2, 3, &r);
    assert_true(r.is_new && next != col);
    sr_clusterer_free(c);

    c = sr_clusterer_new(NULL);
    int64_t s = add_doc(c, "Vantorian frigate Kestrel docks at Marlow for navy talks", T0, 11, &r);
    assert_int_equal(add_doc(c, "Kestrel frigate visit opens Vantorian navy talks in Marlow",
                             T0 + 600, 12, &r), s);
    assert_int_equal(add_doc(c, "Marlow navy talks with Vantorian frigate Kestrel run late",
                             T0 + 14 * 3600, 13, &r), s);
    /* nine hours after the evening report, 23 after the first two */
    assert_int_equal(add_doc(c, "Vantorian frigate Kestrel leaves Marlow after navy talks",
                             T0 + 23 * 3600, 14, &r), s);
    assert_true(r.time_factor > 0.6 && r.time_factor < 0.7);
    sr_clusterer_free(c);
}

/* Once a story has said what it is about, a report sharing only a word
 * one of its reports happened to use is not part of it, however short
 * (and so close to that one report) it is. */
static void clusterer_join_needs_a_word_the_story_is_about(void **state)
{
    (void)state;
    sr_cluster_result r;
    sr_clusterer *c = sr_clusterer_new(NULL);
    const char *const fund[] = {
        "Pelham Ridge fund posts 9% gain through February",
        "Pelham Ridge fund issues statement on Corvane",
        "Corvane disputes Pelham Ridge claims in newspaper report",
        "Pelham Ridge to present case against Corvane's illegal business practices",
    };
    int64_t s = 0;
    for (int i = 0; i < 4; i++) {
        int64_t got = add_doc(c, fund[i], T0 + 300 * i, 20 + i, &r);
        if (i == 0)
            s = got;
        assert_int_equal(got, s);
    }
    int64_t col = add_doc(c, "Business Practices Roundup", T0 + 1500, 30, &r);
    assert_true(r.is_new && col != s);
    /* a report that shares the fund's name joins */
    assert_int_equal(add_doc(c, "Pelham Ridge answers Corvane", T0 + 1800, 31, &r), s);
    sr_clusterer_free(c);
}

static int ignore_story(int64_t id, int64_t first, int64_t last, uint32_t ndocs,
                        const void *blob, size_t len, void *ctx)
{
    (void)id; (void)first; (void)last; (void)ndocs; (void)blob; (void)len; (void)ctx;
    return 0;
}

/* Issue 14, item 14: an undated document joined stories across years (and
 * merged them: "seen 2007-02-03 .. 2026-02-03").  It may only join what its
 * own batch touched. */
static void clusterer_undated_stays_in_its_batch(void **state)
{
    (void)state;
    sr_cluster_result r;
    sr_clusterer *c = sr_clusterer_new(NULL);
    int64_t y2007 = 13545 * (int64_t)DAY, y2026 = 20487 * (int64_t)DAY;
    int64_t old = add(c, gox[0], y2007, &r);
    add(c, gox[1], y2007 + 60, &r);
    int64_t recent = add(c, gox[0], y2026, &r);
    assert_true(recent != old);
    assert_int_equal(add(c, gox[0], y2026 + 60, &r), recent);
    assert_int_equal(sr_clusterer_flush_stories(c, ignore_story, NULL), 0);   /* the batch ends */
    int64_t undated = add(c, gox[2], SR_TIME_UNKNOWN, &r);
    assert_true(r.is_new);
    assert_int_equal(r.nmerged, 0);
    assert_true(undated != old && undated != recent);
    /* within its batch an undated document joins as any other */
    assert_int_equal(add(c, gox[2], SR_TIME_UNKNOWN, &r), undated);
    int64_t dated = add(c, gox[0], y2026 + 120, &r);
    assert_int_equal(r.nmerged, 0);
    (void)dated;
    /* and once the batch is over, nothing joins the undated story */
    assert_int_equal(sr_clusterer_flush_stories(c, ignore_story, NULL), 0);
    assert_true(add(c, gox[2], SR_TIME_UNKNOWN, &r) != undated && r.is_new);
    sr_clusterer_free(c);
}

typedef struct saved {
    uint64_t term[4096];
    int32_t delta[4096];
    size_t nterms;
    int64_t id[64], first[64], last[64];
    uint32_t ndocs[64];
    unsigned char *blob[64];
    size_t len[64], nstories;
} saved;

static int save_df(uint64_t term, int32_t delta, void *ctx)
{
    saved *s = ctx;
    assert_true(s->nterms < 4096);
    s->term[s->nterms] = term;
    s->delta[s->nterms++] = delta;
    return 0;
}

static int save_story(int64_t id, int64_t first, int64_t last, uint32_t ndocs,
                      const void *blob, size_t len, void *ctx)
{
    saved *s = ctx;
    size_t i = s->nstories++;
    assert_true(i < 64);
    s->id[i] = id;
    s->first[i] = first;
    s->last[i] = last;
    s->ndocs[i] = ndocs;
    s->blob[i] = malloc(len + 1);
    memcpy(s->blob[i], blob, len);
    s->len[i] = len;
    return 0;
}

static void clusterer_state_survives_a_restart(void **state)
{
    (void)state;
    sr_clusterer *a = sr_clusterer_new(NULL);
    sr_cluster_result r;
    int64_t g = add_doc(a, gox[0], T0, 1, &r);
    int64_t b = add_doc(a, bossy[0], T0 + 10, 2, &r);
    saved *s = calloc(1, sizeof *s);
    assert_int_equal(sr_clusterer_flush_df(a, save_df, s), 0);
    assert_int_equal(sr_clusterer_flush_stories(a, save_story, s), 0);
    assert_int_equal(s->nstories, 2);
    /* a second flush has nothing new to say */
    size_t before = s->nterms;
    assert_int_equal(sr_clusterer_flush_df(a, save_df, s), 0);
    assert_int_equal(s->nterms, before);

    sr_clusterer *c = sr_clusterer_new(NULL);
    sr_clusterer_restore_counts(c, sr_clusterer_ndocs(a), sr_clusterer_next_id(a));
    for (size_t i = 0; i < s->nterms; i++)
        assert_int_equal(sr_clusterer_restore_df(c, s->term[i], (uint32_t)s->delta[i]), SR_OK);
    for (size_t i = 0; i < s->nstories; i++)
        assert_int_equal(sr_clusterer_restore_story(c, s->id[i], s->first[i], s->last[i],
                                                    s->ndocs[i], s->blob[i], s->len[i]), SR_OK);
    assert_int_equal(sr_clusterer_restore_story(c, 99, 0, 0, 1, "abc", 3), SR_EINVAL);
    /* a truncated state is refused, never read past its end */
    for (size_t cut = 8; cut < s->len[0]; cut += 7)
        assert_int_equal(sr_clusterer_restore_story(c, 98, 0, 0, 1, s->blob[0], cut), SR_EINVAL);
    /* the restored clusterer decides as the original would, and says which
     * remembered document was nearest */
    sr_cluster_result r2;
    assert_int_equal(add_doc(c, gox[1], T0 + 60, 3, &r), g);
    assert_int_equal(add_doc(a, gox[1], T0 + 60, 3, &r2), g);
    assert_true(fabs(r.score - r2.score) < 1e-6);
    assert_int_equal(r.nearest, 1);
    assert_int_equal(add_doc(c, bossy[1], T0 + 70, 4, &r), b);
    int64_t fresh = add(c, "Volcano erupts in Iceland grounding flights", T0 + 80, &r);
    assert_true(r.is_new && fresh > b && fresh != 99 && fresh != 98);
    for (size_t i = 0; i < s->nstories; i++)
        free(s->blob[i]);
    free(s);
    sr_clusterer_free(a);
    sr_clusterer_free(c);
}

/* A store's stories table in miniature: the latest state of each story. */
typedef struct shelf {
    int64_t id[16], first[16], last[16];
    uint32_t ndocs[16];
    unsigned char *blob[16];
    size_t len[16], n;
} shelf;

static int shelve(int64_t id, int64_t first, int64_t last, uint32_t ndocs,
                  const void *blob, size_t len, void *ctx)
{
    shelf *s = ctx;
    size_t i = 0;
    while (i < s->n && s->id[i] != id)
        i++;
    assert_true(i < 16);
    if (i == s->n)
        s->n++;
    else
        free(s->blob[i]);
    s->id[i] = id;
    s->first[i] = first;
    s->last[i] = last;
    s->ndocs[i] = ndocs;
    s->blob[i] = malloc(len + 1);
    memcpy(s->blob[i], blob, len);
    s->len[i] = len;
    return 0;
}

static int ignore_df(uint64_t term, int32_t delta, void *ctx)
{
    (void)term; (void)delta; (void)ctx;
    return 0;
}

/* What the store does before each document (bring_back in store.c), then
 * the document, then the end of a batch. */
static int64_t add_flushed(sr_clusterer *c, shelf *sh, const char *title, int64_t t,
                           int64_t doc, bool *brought, sr_cluster_result *r)
{
    int64_t from, to, first_to;
    *brought = sr_clusterer_missing(c, t, &from, &to, &first_to);
    for (size_t i = 0; *brought && i < sh->n; i++)
        if (sh->last[i] >= from && sh->last[i] < to && sh->first[i] <= first_to &&
            !sr_clusterer_has_story(c, sh->id[i]))
            assert_int_equal(sr_clusterer_restore_story(c, sh->id[i], sh->first[i], sh->last[i],
                                                        sh->ndocs[i], sh->blob[i], sh->len[i]),
                             SR_OK);
    int64_t story = add_doc(c, title, t, doc, r);
    assert_int_equal(sr_clusterer_flush_df(c, ignore_df, NULL), 0);
    assert_int_equal(sr_clusterer_flush_stories(c, shelve, sh), 0);
    return story;
}

/* The stories a batch's end took out of memory come back, as they were,
 * when a late document needs them: a clusterer flushed after every document
 * decides exactly as one never flushed (the watch_replay failure: a late
 * report opened a story of its own after a restart). */
static void clusterer_brings_back_what_left_memory(void **state)
{
    (void)state;
    const struct { const char *title; int64_t t; } docs[] = {
        { gox[0], T0 }, { bossy[0], T0 + 600 }, { gox[1], T0 + 3600 },
        { bossy[1], T0 + 30 * DAY }, { "Ban bossy campaign grows", T0 + 30 * DAY + 60 },
        { gox[2], T0 + 7200 },                       /* late: its story left memory */
        { bossy[2], T0 + 30 * DAY + 600 },
        { "Mt. Gox creditors wait as bankruptcy drags on", T0 + 9000 },
    };
    sr_clusterer *a = sr_clusterer_new(NULL), *b = sr_clusterer_new(NULL);
    shelf *sh = calloc(1, sizeof *sh);
    size_t nbrought = 0;
    int64_t story[8];
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        sr_cluster_result ra, rb;
        bool brought;
        int64_t sa = add_doc(a, docs[i].title, docs[i].t, (int64_t)i + 1, &ra);
        int64_t sb = add_flushed(b, sh, docs[i].title, docs[i].t, (int64_t)i + 1, &brought, &rb);
        nbrought += brought;
        assert_int_equal(sa, sb);
        story[i] = sb;
        assert_true(ra.score == rb.score && ra.is_new == rb.is_new && ra.nearest == rb.nearest);
    }
    /* the late reports did join the story that had left, and only they
     * needed the store; memory held less */
    assert_int_equal(story[5], story[0]);
    assert_int_equal(story[7], story[0]);
    assert_true(story[3] != story[0]);
    assert_int_equal(nbrought, 2);
    assert_true(sr_clusterer_active(b) < sr_clusterer_active(a));
    for (size_t i = 0; i < sh->n; i++)
        free(sh->blob[i]);
    free(sh);
    sr_clusterer_free(a);
    sr_clusterer_free(b);
}

/* A store written by sitrep before this clusterer holds centroids: 12-byte
 * (term, weight) entries.  They still restore, as a story's profile. */
static void clusterer_reads_version_1_state(void **state)
{
    (void)state;
    sr_story_terms t = {0};
    assert_int_equal(sr_story_terms_build(&t, gox[0], NULL, 0, NULL, 0), SR_OK);
    unsigned char *blob = malloc(t.n * 12);
    for (size_t i = 0; i < t.n; i++) {
        float w = 0.3f;
        memcpy(blob + 12 * i, &t.term[i], 8);
        memcpy(blob + 12 * i + 8, &w, 4);
    }
    sr_clusterer *c = sr_clusterer_new(NULL);
    sr_clusterer_restore_counts(c, 50, 8);
    assert_int_equal(sr_clusterer_restore_story(c, 7, T0, T0, 4, blob, t.n * 12), SR_OK);
    sr_cluster_result r;
    assert_int_equal(add(c, gox[1], T0 + 3600, &r), 7);
    assert_true(add(c, bossy[0], T0 + 3600, &r) >= 8);
    free(blob);
    sr_story_terms_free(&t);
    sr_clusterer_free(c);
}

static int count_df(uint64_t term, int32_t delta, void *ctx)
{
    (void)term;
    *(size_t *)ctx += delta > 0;
    return 0;
}

/* A vocabulary without end (hostile or endless text) costs bounded memory:
 * past the cap the rarest stored terms go, never a count not yet stored. */
static void clusterer_df_table_is_capped(void **state)
{
    (void)state;
    sr_clusterer *c = sr_clusterer_new(NULL);
    sr_cluster_result r;
    add(c, gox[0], T0, &r);           /* pending deltas */
    size_t pending = 0;
    for (uint64_t k = 1; k <= SR_CLUSTER_MAX_DF_TERMS + 100000; k++) {
        assert_int_equal(sr_clusterer_restore_df(c, k * 0x9E3779B97F4A7C15ull, k % 97 == 0 ? 40 : 1), SR_OK);
        assert_true(sr_clusterer_df_terms(c) <= SR_CLUSTER_MAX_DF_TERMS);
    }
    /* what went is the terms seen once: every frequent one (df 40) stayed */
    assert_true(sr_clusterer_df_terms(c) >= (SR_CLUSTER_MAX_DF_TERMS + 100000) / 97);
    assert_true(sr_clusterer_df_terms(c) < SR_CLUSTER_MAX_DF_TERMS / 2);
    assert_int_equal(sr_clusterer_flush_df(c, count_df, &pending), 0);
    sr_story_terms t = {0};
    assert_int_equal(sr_story_terms_build(&t, gox[0], NULL, 0, NULL, 0), SR_OK);
    /* every unflushed count kept: the terms and their case counts */
    size_t want = t.n;
    for (size_t i = 0; i < t.n; i++)
        want += !!(t.flags[i] & SR_TERM_CASED) + !!(t.flags[i] & SR_TERM_CAPITAL);
    assert_int_equal(pending, want);
    sr_story_terms_free(&t);
    sr_clusterer_free(c);
}

static void clusterer_merges_bridged_stories(void **state)
{
    (void)state;
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.assign_min = 0.5;   /* strict joining, so the two threads start apart */
    o.merge_min = 0.1;
    sr_clusterer *c = sr_clusterer_new(&o);
    sr_cluster_result r;
    int64_t s1 = add(c, "hackers hit gox ceo blog", T0, &r);
    int64_t s2 = add(c, "gox ceo karpeles blog bankruptcy", T0 + 60, &r);
    size_t merged = r.nmerged;
    int64_t into = 0;
    for (int i = 0; i < 4 && !merged; i++) {
        add(c, "hackers gox ceo karpeles blog bankruptcy", T0 + 120 + i, &r);
        merged += r.nmerged;
        into = r.story;
    }
    assert_true(s1 != s2);
    assert_true(merged >= 1);
    assert_int_equal(into, s1 < s2 ? s1 : s2);   /* the older id survives */
    sr_clusterer_free(c);
}

/* Two stories a day apart with the same words are not merged however alike
 * their words: a merge needs one news cycle. */
static void clusterer_does_not_merge_across_days(void **state)
{
    (void)state;
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.merge_min = 0.01;
    sr_clusterer *c = sr_clusterer_new(&o);
    sr_cluster_result r;
    int64_t a = add(c, gox[0], T0, &r);
    add(c, gox[1], T0 + 60, &r);
    int64_t b = add(c, gox[2], T0 + 3 * DAY, &r);
    assert_true(b != a);
    for (int i = 0; i < 3; i++) {
        assert_true(add(c, gox[i], T0 + 3 * DAY + 60 + i, &r) != a);
        for (size_t k = 0; k < r.nmerged; k++)
            assert_true(r.merged[k] != a);
    }
    sr_clusterer_free(c);
}

/* A document that shares one word with a story whose reports hang together
 * far better than it does with them is not part of it (the aggregator's
 * "Death Stars" in Orion took a recall "linked to 13 deaths", and the
 * recall's next reports followed it there).  One word is enough where it
 * is what a loose story is about. */
static void clusterer_refuses_a_join_on_one_word(void **state)
{
    (void)state;
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.assign_min = 0.01;   /* low: the score alone would take both */
    sr_clusterer *c = sr_clusterer_new(&o);
    sr_cluster_result r;
    const char *const stars[] = {
        "Death stars in Orion blast planets before they form",
        "Orion death stars destroy planets before they form",
        "Death stars in Orion destroy young planets before they form",
        "Orion death stars blast planets to dust before they form",
    };
    int64_t s = add(c, stars[0], T0, &r);
    for (int i = 1; i < 4; i++)
        assert_int_equal(add(c, stars[i], T0 + 60 * i, &r), s);
    int64_t g = add(c, "Regulators ignored complaints about defect linked to 13 deaths",
                    T0 + 600, &r);
    assert_true(r.is_new && g != s);
    /* more than one word: a report of the story */
    assert_int_equal(add(c, "Astronomers find death stars over Orion", T0 + 700, &r), s);
    sr_clusterer_free(c);

    c = sr_clusterer_new(&o);
    const char *const coin[] = {
        "Bitcoin price falls again",
        "Bitcoin price slides in Tokyo",
        "Bitcoin exchange in Tokyo shuts",
        "Bitcoin exchange shuts its doors",
    };
    s = add(c, coin[0], T0, &r);
    for (int i = 1; i < 4; i++)
        assert_int_equal(add(c, coin[i], T0 + 60 * i, &r), s);
    assert_int_equal(add(c, "Bitcoin enthusiasm weathers chaotic week", T0 + 600, &r), s);
    sr_clusterer_free(c);
}

/* A report two stories claim on different words, each holding a part of
 * it the other lacks, opens a story of its own: joining either would mix
 * it (the aggregator has Bieber, Mindy Kaling and Neil Young's player at
 * South by Southwest as stories of their own, apart from the festival's). */
static void clusterer_leaves_a_report_two_stories_claim(void **state)
{
    (void)state;
    sr_clusterer *c = sr_clusterer_new(NULL);
    sr_cluster_result r;
    const char *const festival[] = {
        "South by Southwest bromance may be over",
        "Geeky women break up the bromance at South by Southwest",
        "Women breaking up the bromance at South by Southwest",
        "South by Southwest bromance culture is over, geeky women say",
    };
    const char *const singer[] = {
        "Justin Bieber deposition video leaked",
        "Bieber deposition video leaked",
        "Leaked Bieber deposition video",
        "Justin Bieber in deposition video",
    };
    int64_t f = 0, b = 0;
    for (int i = 0; i < 4; i++) {
        int64_t got = add(c, festival[i], T0 + 10 * i, &r);
        f = i ? f : got;
        assert_int_equal(got, f);
        got = add(c, singer[i], T0 + 10 * i + 5, &r);
        b = i ? b : got;
        assert_int_equal(got, b);
    }
    assert_true(f != b);
    int64_t both = add(c, "Bieber springs surprise at South by Southwest", T0 + 600, &r);
    assert_true(r.is_new && both != f && both != b);
    /* what only one of them holds joins it */
    assert_int_equal(add(c, "Geeky women and the South by Southwest bromance", T0 + 700, &r), f);
    assert_int_equal(add(c, "Bieber sulks in deposition video", T0 + 800, &r), b);
    sr_clusterer_free(c);
}

/* A story that has become two is split; the documents that left are
 * named. */
static void clusterer_splits_a_story_that_became_two(void **state)
{
    (void)state;
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.assign_min = 1e-9;  /* join anything (two days on counts 2^-16): the story has to become two */
    o.size_prior = 0;
    sr_clusterer *c = sr_clusterer_new(&o);
    sr_cluster_result r;
    int64_t s = 0, into = 0;
    const char *const early[] = {
        "Tokyo court hears Mt. Gox bankruptcy filing",
        "Mt. Gox bankruptcy filing heard in Tokyo court",
        "Gox bankruptcy hearing opens in Tokyo court",
        "Tokyo bankruptcy court takes Mt. Gox case",
        "Mt. Gox case before Tokyo bankruptcy court",
    };
    const char *const late[] = {
        /* two words of the story, not one: a report may bring a second
         * happening in only through more than a word (see above) */
        "Tokyo police question Gox founder Karpeles over missing coins",
        "Police question Karpeles over missing bitcoins at Gox",
        "Karpeles questioned over missing coins, Gox says",
        "Missing bitcoins: police question Gox founder Karpeles",
        "Gox founder Karpeles faces police questions on missing coins",
        "Police again question Karpeles on missing Gox coins",
        "Karpeles quizzed by police about missing bitcoins",
        "Missing Gox coins: Karpeles questioned by police",
    };
    for (int i = 0; i < 5; i++) {
        int64_t got = add_doc(c, early[i], T0 + i, 100 + i, &r);
        if (i == 0)
            s = got;
        assert_int_equal(got, s);
    }
    bool split = false;
    for (int i = 0; i < 8 && !split; i++) {
        add_doc(c, late[i], T0 + 2 * DAY + i, 200 + i, &r);
        if (r.split_into) {
            split = true;
            into = r.split_into;
            assert_int_equal(r.split_from, s);
            assert_int_equal(r.story, into);     /* the new report went with its half */
            assert_true(r.nmoved >= 4);
            for (size_t k = 0; k < r.nmoved; k++)
                assert_true(r.moved[k] >= 200);  /* only the late reports moved */
        }
    }
    assert_true(split);
    /* later reports of each half go to their own story */
    assert_int_equal(add(c, late[0], T0 + 2 * DAY + 100, &r), into);
    assert_int_equal(add(c, early[0], T0 + 1000, &r), s);
    sr_clusterer_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simhash_finds_near_copies),
        cmocka_unit_test(body_hash_ignores_case_and_spacing),
        cmocka_unit_test(terms_fold_and_drop_stop_words),
        cmocka_unit_test(terms_record_case_and_labels),
        cmocka_unit_test(terms_from_events),
        cmocka_unit_test(clusterer_groups_and_separates),
        cmocka_unit_test(clusterer_time_decays_and_windows),
        cmocka_unit_test(clusterer_time_has_a_short_tail),
        cmocka_unit_test(clusterer_join_needs_a_word_the_story_is_about),
        cmocka_unit_test(clusterer_undated_stays_in_its_batch),
        cmocka_unit_test(clusterer_state_survives_a_restart),
        cmocka_unit_test(clusterer_reads_version_1_state),
        cmocka_unit_test(clusterer_brings_back_what_left_memory),
        cmocka_unit_test(clusterer_merges_bridged_stories),
        cmocka_unit_test(clusterer_does_not_merge_across_days),
        cmocka_unit_test(clusterer_refuses_a_join_on_one_word),
        cmocka_unit_test(clusterer_leaves_a_report_two_stories_claim),
        cmocka_unit_test(clusterer_splits_a_story_that_became_two),
        cmocka_unit_test(clusterer_df_table_is_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
