/*
 * geo_test.c - the geo stage: the shipped gazetteer loads whole, bad lines
 * are reported and skipped, place mentions are found and resolved, and
 * coded mentions get their places (datelines kept apart, "X-based"
 * actors, PETRARCH's unknown-country actors filled from the place).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "sitrep/geo.h"

static sr_geo *shipped;

static int load_shipped(void **state)
{
    (void)state;
    const char *dict = getenv("SITREP_DICT");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/geo", dict ? dict : "dict");
    return sr_geo_load_dir(dir, &shipped) == SR_OK ? 0 : -1;
}

static int free_shipped(void **state)
{
    (void)state;
    sr_geo_free(shipped);
    return 0;
}

static void test_shipped_loads_whole(void **state)
{
    (void)state;
    sr_geo_stats st;
    sr_geo_stats_get(shipped, &st);
    assert_true(st.places > 100000);
    assert_true(st.regions > 3000);
    assert_true(st.countries >= 240);
    assert_int_equal(st.bad_lines, 0);
    assert_true(st.bytes < (size_t)60 << 20);
    char iso3[4], iso2[3], fips[3];
    const char *name;
    assert_true(sr_geo_country(shipped, "LBY", iso3, iso2, fips, &name));
    assert_string_equal(iso2, "LY");
    assert_string_equal(fips, "LY");
    assert_string_equal(name, "Libya");
    assert_true(sr_geo_country(shipped, "DE", iso3, iso2, fips, NULL));
    assert_string_equal(iso3, "DEU");
    assert_string_equal(fips, "GM");
    assert_false(sr_geo_country(shipped, "XYZ", iso3, iso2, fips, NULL));
}

/* Analyse text (no lexicon: the geoparser reads folded forms). */
static void analyse(sr_textdoc *d, const char *text)
{
    memset(d, 0, sizeof *d);
    sr_text_opts o = { 0 };
    assert_int_equal(sr_text_analyze(d, text, strlen(text), &o), SR_OK);
}

static const sr_place_mention *find_one(const sr_place_mention *pm, size_t n, const char *text,
                                        const char *surface)
{
    for (size_t i = 0; i < n; i++)
        if (pm[i].end - pm[i].start == strlen(surface) &&
            memcmp(text + pm[i].start, surface, strlen(surface)) == 0)
            return &pm[i];
    return NULL;
}

static void test_find_and_resolve(void **state)
{
    (void)state;
    sr_geoparser *p = sr_geoparser_new(shipped, NULL);
    assert_non_null(p);
    const char *text = "CAIRO, Egypt (Reuters) - Lebanese troops deployed in Tripoli and "
                       "Beirut, while the Doha-based mediators stayed home. Officials said "
                       "nothing.";
    sr_textdoc d;
    analyse(&d, text);
    const sr_place_mention *pm;
    size_t n;
    assert_int_equal(sr_geo_find(p, &d, NULL, 0, &pm, &n), SR_OK);
    const sr_place_mention *dl = find_one(pm, n, text, "CAIRO, Egypt");
    assert_non_null(dl);
    assert_int_equal(dl->role, SR_PLACE_DATELINE);
    assert_string_equal(dl->place.iso3, "EGY");
    const sr_place_mention *tr = find_one(pm, n, text, "Tripoli");
    assert_non_null(tr);
    assert_string_equal(tr->place.iso3, "LBN");   /* Lebanese, Beirut: context */
    assert_int_equal(tr->place.type, SR_GEO_WORLDCITY);
    const sr_place_mention *ms = find_one(pm, n, text, "Doha-based");
    assert_non_null(ms);
    assert_int_equal(ms->role, SR_PLACE_BASED);
    assert_string_equal(ms->place.iso3, "QAT");
    const sr_place_mention *dem = find_one(pm, n, text, "Lebanese");
    assert_non_null(dem);
    assert_int_equal(dem->role, SR_PLACE_DEMONYM);
    assert_int_equal(dem->place.type, SR_GEO_COUNTRY);
    assert_string_equal(dem->place.fips, "LE");
    assert_null(find_one(pm, n, text, "Officials"));
    assert_true(tr->place.confidence > 0.5f && tr->place.confidence <= 1.0f);
    sr_textdoc_free(&d);
    sr_geoparser_free(p);
}

/* A mention as the coder would make it: spans found by their words. */
static sr_mention mention(const char *text, const char *src, const char *src_words,
                          const char *tgt, const char *tgt_words, const char *verb)
{
    sr_mention m;
    memset(&m, 0, sizeof m);
    snprintf(m.source.code, sizeof m.source.code, "%s", src);
    const char *s = strstr(text, src_words);
    m.source.start = (uint32_t)(s - text);
    m.source.end = m.source.start + (uint32_t)strlen(src_words);
    if (tgt) {
        m.has_target = true;
        snprintf(m.target.code, sizeof m.target.code, "%s", tgt);
        const char *t = strstr(text, tgt_words);
        m.target.start = (uint32_t)(t - text);
        m.target.end = m.target.start + (uint32_t)strlen(tgt_words);
    }
    const char *v = strstr(text, verb);
    m.verb_start = (uint32_t)(v - text);
    m.verb_end = m.verb_start + (uint32_t)strlen(verb);
    snprintf(m.cameo, sizeof m.cameo, "190");
    return m;
}

/* The coder's sentence index of each mention, from its source span. */
static void set_sentences(const sr_textdoc *d, sr_mention *m, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < d->nsents; i++)
            if (d->sents[i].start <= m[k].source.start && m[k].source.start < d->sents[i].end)
                m[k].sentence = (uint32_t)i;
}

static void test_unknown_actor_takes_the_place(void **state)
{
    (void)state;
    sr_geoparser *p = sr_geoparser_new(shipped, NULL);
    const char *text = "Gunmen attacked protesters near Sirte on Friday.";
    sr_textdoc d;
    analyse(&d, text);
    sr_mention m = mention(text, "---REB", "Gunmen", "---CVL", "protesters", "attacked");
    sr_event_geo g;
    assert_int_equal(sr_geo_place_mentions(p, &d, &m, 1, &g), SR_OK);
    assert_string_equal(g.action.iso3, "LBY");
    assert_int_equal(strncmp(g.action.name, "Sirte", 5), 0);
    assert_string_equal(m.source.code, "LBYREB");
    assert_string_equal(m.target.code, "LBYCVL");
    assert_true(g.source_inferred);
    assert_true(g.target_inferred);
    assert_true(g.in_lead);
    /* a known country is never overwritten, and a bare "---" stays */
    sr_mention k = mention(text, "PAKMIL", "Gunmen", "---", "protesters", "attacked");
    assert_int_equal(sr_geo_place_mentions(p, &d, &k, 1, &g), SR_OK);
    assert_string_equal(k.source.code, "PAKMIL");
    assert_string_equal(k.target.code, "---");
    assert_false(g.source_inferred);
    assert_false(g.target_inferred);
    sr_textdoc_free(&d);
    /* no place in the sentence: nothing is inferred */
    const char *none = "Gunmen attacked protesters on Friday.";
    analyse(&d, none);
    sr_mention u = mention(none, "---REB", "Gunmen", NULL, NULL, "attacked");
    assert_int_equal(sr_geo_place_mentions(p, &d, &u, 1, &g), SR_OK);
    assert_int_equal(g.action.type, SR_GEO_NONE);
    assert_string_equal(u.source.code, "---REB");
    assert_false(g.source_inferred);
    sr_textdoc_free(&d);
    sr_geoparser_free(p);
}

static void test_dateline_is_not_the_event(void **state)
{
    (void)state;
    sr_geoparser *p = sr_geoparser_new(shipped, NULL);
    const char *text = "ISLAMABAD (Reuters) - The army chief met Libyan commanders in Benghazi.\n\n"
                       "Officials met here on Friday.";
    sr_textdoc d;
    analyse(&d, text);
    sr_mention m[2];
    m[0] = mention(text, "PAKMIL", "The army chief", "LBYMIL", "Libyan commanders", "met");
    m[1] = mention(text, "PAKGOV", "Officials", NULL, NULL, "met here");
    set_sentences(&d, m, 2);
    sr_event_geo g[2];
    assert_int_equal(sr_geo_place_mentions(p, &d, m, 2, g), SR_OK);
    /* the talks were in Benghazi, not where the story was filed */
    assert_int_equal(strncmp(g[0].action.name, "Benghazi", 8), 0);
    assert_string_equal(g[0].action.fips, "LY");
    assert_int_equal(g[0].action.type, SR_GEO_WORLDCITY);
    assert_string_equal(g[0].action.feature_id, "88319");   /* GeoNames id */
    /* "Libyan commanders in Benghazi": where the target is */
    assert_int_equal(strncmp(g[0].actor2.name, "Benghazi", 8), 0);
    /* "The army chief": no place of its own */
    assert_int_equal(g[0].actor1.type, SR_GEO_NONE);
    sr_textdoc_free(&d);
    /* "here" in the dateline's own sentence: the dateline is the place */
    const char *here = "BENGHAZI, Libya - Protesters gathered here on Friday.";
    analyse(&d, here);
    sr_mention h = mention(here, "---CVL", "Protesters", NULL, NULL, "gathered");
    set_sentences(&d, &h, 1);
    assert_int_equal(sr_geo_place_mentions(p, &d, &h, 1, &g[0]), SR_OK);
    assert_int_equal(strncmp(g[0].action.name, "Benghazi", 8), 0);
    assert_string_equal(h.source.code, "LBYCVL");
    sr_textdoc_free(&d);
    sr_geoparser_free(p);
}

static void test_based_actor(void **state)
{
    (void)state;
    sr_geoparser *p = sr_geoparser_new(shipped, NULL);
    const char *text = "The Benghazi-based army attacked Tripoli.";
    sr_textdoc d;
    analyse(&d, text);
    sr_mention m = mention(text, "LBYMIL", "army", "LBY", "Tripoli", "attacked");
    sr_event_geo g;
    assert_int_equal(sr_geo_place_mentions(p, &d, &m, 1, &g), SR_OK);
    assert_int_equal(strncmp(g.actor1.name, "Benghazi", 8), 0);
    assert_int_equal(strncmp(g.action.name, "Tripoli", 7), 0);
    assert_string_equal(g.action.iso3, "LBY");
    sr_textdoc_free(&d);
    sr_geoparser_free(p);
}

static void test_actor_names(void **state)
{
    (void)state;
    char name[64];
    assert_true(sr_geo_actor_name(shipped, NULL, "LBYMIL", name, sizeof name));
    assert_string_equal(name, "LIBYA");
    assert_true(sr_geo_actor_name(shipped, NULL, "---REB", name, sizeof name));
    assert_string_equal(name, "REBEL");
    assert_true(sr_geo_actor_name(shipped, NULL, "USA", name, sizeof name));
    assert_string_equal(name, "UNITED STATES");
    assert_false(sr_geo_actor_name(shipped, NULL, "", name, sizeof name));
    assert_string_equal(name, "");
    assert_false(sr_geo_actor_name(shipped, NULL, "ZZZZZZ", name, sizeof name));
}

static void test_distance(void **state)
{
    (void)state;
    double km = sr_geo_distance_km(32.1149, 20.0686, 32.8874, 13.1873);   /* Benghazi-Tripoli */
    assert_true(km > 640 && km < 660);
    assert_true(sr_geo_distance_km(10, 179.9, 10, -179.9) < 25);
}

/* ---- bad data files ------------------------------------------------------ */

static char diag[8192];
static void capture(const char *line, void *ctx)
{
    (void)ctx;
    strncat(diag, line, sizeof diag - strlen(diag) - 2);
    strcat(diag, "\n");
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_bad_lines_reported_and_skipped(void **state)
{
    (void)state;
    char dir[] = "/tmp/sitrep-geo-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "countries.tsv",
               "iso3\tiso2\tfips\tname\tcapital\tdemonyms\taliases\n"
               "LBY\tLY\tLY\tLibya\tTripoli\tLibyan\t\n"
               "bad line\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/places.tsv.gz", dir);
    gzFile z = gzopen(path, "wb");
    assert_non_null(z);
    gzputs(z, "# comment\n"
              "0\tPCLI\tLY\t\t100\t29.6\t17.3\tLibya\t\t\n"
              "88319\tPPLA\tLY\t69\t650629\t32.1149\t20.0686\tBenghazi\t\t\n"
              "1\tPPL\tLY\t69\tmany\t32.1\t20.0\tNowhere\t\t\n"       /* population */
              "2\tPPL\tLY\t69\t5\t95.0\t20.0\tPole\t\t\n"             /* latitude */
              "3\tPPL\tZZ\t01\t5\t1.0\t2.0\tElsewhere\t\t\n"          /* country */
              "4\tPPL\tLY\n"                                          /* fields */
              "2210247\tPPLC\tLY\t77\t1150989\t32.8874\t13.1873\tTripoli\t\t\n");
    gzclose(z);
    write_file(dir, "exonyms.tsv",
               "Bengasi\tLY\tcity\tBenghazi\n"
               "Atlantis\tLY\tcity\tAtlantis\n"                        /* no target */
               "Cyrenaica\tLY\tregion\t-\t31\t22\n"
               "Nowhere\tLY\tcity\t-\n");                              /* no point */
    diag[0] = '\0';
    sr_set_diag_sink(capture, NULL);
    sr_geo *g = NULL;
    assert_int_equal(sr_geo_load_dir(dir, &g), SR_OK);
    sr_set_diag_sink(NULL, NULL);
    sr_geo_stats st;
    sr_geo_stats_get(g, &st);
    assert_int_equal(st.bad_lines, 7);
    assert_int_equal(st.places, 2);
    assert_non_null(strstr(diag, "countries.tsv:3: "));
    assert_non_null(strstr(diag, "places.tsv.gz:4: "));
    assert_non_null(strstr(diag, "places.tsv.gz:5: "));
    assert_non_null(strstr(diag, "places.tsv.gz:6: country code not in countries.tsv"));
    assert_non_null(strstr(diag, "places.tsv.gz:7: "));
    assert_non_null(strstr(diag, "exonyms.tsv:2: target not in the gazetteer"));
    assert_non_null(strstr(diag, "exonyms.tsv:4: "));
    /* what did load works */
    sr_geoparser *p = sr_geoparser_new(g, NULL);
    const char *text = "Fighting spread from Bengasi across Cyrenaica.";
    sr_textdoc d;
    analyse(&d, text);
    const sr_place_mention *pm;
    size_t n;
    assert_int_equal(sr_geo_find(p, &d, NULL, 0, &pm, &n), SR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(pm[0].place.feature_id, "88319");
    assert_int_equal(pm[1].place.type, SR_GEO_WORLDSTATE);
    sr_textdoc_free(&d);
    sr_geoparser_free(p);
    sr_geo_free(g);
    /* no places file at all is an error, not an empty gazetteer */
    unlink(path);
    assert_int_equal(sr_geo_load_dir(dir, &g), SR_EIO);
    assert_null(g);
    snprintf(path, sizeof path, "%s/countries.tsv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/exonyms.tsv", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_loads_whole),
        cmocka_unit_test(test_find_and_resolve),
        cmocka_unit_test(test_unknown_actor_takes_the_place),
        cmocka_unit_test(test_dateline_is_not_the_event),
        cmocka_unit_test(test_based_actor),
        cmocka_unit_test(test_actor_names),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_bad_lines_reported_and_skipped),
    };
    return cmocka_run_group_tests(tests, load_shipped, free_shipped);
}
