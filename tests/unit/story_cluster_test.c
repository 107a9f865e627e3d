/* story_cluster_test.c - near-copy fingerprints, the body hash, term bags and
 * the incremental clusterer (assignment, time window, merging, and a state
 * flushed and restored giving the same decisions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

static void terms_fold_and_drop_stop_words(void **state)
{
    (void)state;
    sr_story_terms a = {0}, b = {0};
    assert_int_equal(sr_story_terms_build(&a, "The Chinese exports fell", NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_story_terms_build(&b, "china export falls", NULL, 0, NULL, 0), SR_OK);
    /* "the" is dropped; chinese -> china; exports/export and fell/falls
     * share stems or not, but china and export must be shared */
    size_t shared = 0;
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++)
            shared += a.term[i] == b.term[j];
    assert_true(shared >= 2);
    const char *actors[] = {"PAKMIL", "LBYGOV"};
    assert_int_equal(sr_story_terms_build(&a, NULL, "", 0, actors, 2), SR_OK);
    assert_int_equal(a.n, 2);     /* one term per actor country */
    sr_story_terms_free(&a);
    sr_story_terms_free(&b);
}

static int64_t add(sr_clusterer *c, const char *title, int64_t t, sr_cluster_result *r)
{
    sr_story_terms terms = {0};
    assert_int_equal(sr_story_terms_build(&terms, title, NULL, 0, NULL, 0), SR_OK);
    assert_int_equal(sr_clusterer_add(c, &terms, t, 0, r), SR_OK);
    sr_story_terms_free(&terms);
    return r->story;
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

static void clusterer_groups_and_separates(void **state)
{
    (void)state;
    sr_clusterer *c = sr_clusterer_new(NULL);
    assert_non_null(c);
    sr_cluster_result r;
    int64_t g = add(c, gox[0], SR_TIME_UNKNOWN, &r);
    assert_true(r.is_new);
    int64_t b = add(c, bossy[0], SR_TIME_UNKNOWN, &r);
    assert_true(r.is_new);
    assert_true(b != g);
    for (int i = 1; i < 3; i++) {
        assert_int_equal(add(c, gox[i], SR_TIME_UNKNOWN, &r), g);
        assert_int_equal(add(c, bossy[i], SR_TIME_UNKNOWN, &r), b);
    }
    sr_clusterer_free(c);
}

static void clusterer_window_keeps_old_stories_apart(void **state)
{
    (void)state;
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.window = 86400;
    sr_clusterer *c = sr_clusterer_new(&o);
    sr_cluster_result r;
    int64_t day = 86400;
    int64_t first = add(c, gox[0], 100 * day, &r);
    /* the same words ten days later are another story */
    int64_t later = add(c, gox[1], 110 * day, &r);
    assert_true(r.is_new);
    assert_true(later != first);
    /* a near-copy forced into a story goes there whatever it says */
    sr_story_terms t = {0};
    sr_story_terms_build(&t, bossy[0], NULL, 0, NULL, 0);
    assert_int_equal(sr_clusterer_add(c, &t, 110 * day, first, &r), SR_OK);
    assert_int_equal(r.story, first);
    sr_story_terms_free(&t);
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
    int64_t g = add(a, gox[0], SR_TIME_UNKNOWN, &r);
    int64_t b = add(a, bossy[0], SR_TIME_UNKNOWN, &r);
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
    /* the restored clusterer decides as the original would */
    assert_int_equal(add(c, gox[1], SR_TIME_UNKNOWN, &r), g);
    assert_int_equal(add(a, gox[1], SR_TIME_UNKNOWN, &r), g);
    assert_int_equal(add(c, bossy[1], SR_TIME_UNKNOWN, &r), b);
    int64_t fresh = add(c, "Volcano erupts in Iceland grounding flights", SR_TIME_UNKNOWN, &r);
    assert_true(r.is_new && fresh > b && fresh != 99);
    for (size_t i = 0; i < s->nstories; i++)
        free(s->blob[i]);
    free(s);
    sr_clusterer_free(a);
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
    add(c, gox[0], SR_TIME_UNKNOWN, &r);           /* pending deltas */
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
    assert_int_equal(pending, t.n);                 /* every unflushed term kept */
    sr_story_terms_free(&t);
    sr_clusterer_free(c);
}

static void clusterer_merges_bridged_stories(void **state)
{
    (void)state;
    sr_cluster_opts o = SR_CLUSTER_DEFAULTS;
    o.assign_min = 0.5;   /* strict joining, so the two threads start apart */
    o.merge_min = 0.3;
    sr_clusterer *c = sr_clusterer_new(&o);
    sr_cluster_result r;
    int64_t s1 = add(c, "hackers hit gox ceo blog", SR_TIME_UNKNOWN, &r);
    int64_t s2 = add(c, "gox ceo karpeles blog bankruptcy", SR_TIME_UNKNOWN, &r);
    size_t merged = r.nmerged;
    for (int i = 0; i < 4 && !merged; i++) {
        add(c, "hackers gox ceo karpeles blog bankruptcy", SR_TIME_UNKNOWN, &r);
        merged += r.nmerged;
    }
    assert_true(merged >= 1 || s1 == s2);
    sr_clusterer_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simhash_finds_near_copies),
        cmocka_unit_test(body_hash_ignores_case_and_spacing),
        cmocka_unit_test(terms_fold_and_drop_stop_words),
        cmocka_unit_test(clusterer_groups_and_separates),
        cmocka_unit_test(clusterer_window_keeps_old_stories_apart),
        cmocka_unit_test(clusterer_state_survives_a_restart),
        cmocka_unit_test(clusterer_merges_bridged_stories),
        cmocka_unit_test(clusterer_df_table_is_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
