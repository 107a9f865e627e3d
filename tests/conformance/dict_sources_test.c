/*
 * dict_sources_test.c - the field's own dictionaries in ../shared load
 * completely: for every TABARI, PETRARCH-1, PETRARCH-2 and Phoenix file,
 * each line with content is loaded, loaded with a repair that a warning
 * states, or skipped with a "FILE:LINE: reason" report - and the skipped
 * lines are exactly the ones listed below, each with the reason checked
 * (what TABARI/PETRARCH themselves could not use either, or what a linear
 * matcher cannot represent).  Then TABARI's production set - the CAMEO
 * master verbs, its .options, and the Phoenix actors converted to TABARI
 * syntax by scripts/phoenix-actors-to-tabari - loads with the counts below.
 *
 * Skipped (exit 77) without ../shared; the converted-actors case is skipped
 * alone without python3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/dict.h"
#include "sitrep/text.h"

static const char *shared;
static char *diag;
static size_t diag_len, diag_cap;

static void capture(const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(line);
    if (diag_len + n + 2 > diag_cap) {
        diag_cap = (diag_len + n + 2) * 2;
        diag = realloc(diag, diag_cap);
        if (!diag)
            abort();
    }
    memcpy(diag + diag_len, line, n);
    diag[diag_len + n] = '\n';
    diag_len += n + 1;
    diag[diag_len] = '\0';
}

typedef struct skip_exp {
    int line;
    const char *reason;      /* a part of the report */
} skip_exp;

typedef struct source {
    const char *path;        /* under ../shared/data */
    int warnings;            /* lines loaded with a stated repair */
    int unused;              /* lines of sections read by design as nothing
                                (TABARI <TIME>, <NOUN>, <ADJECTIVE>), each
                                section reported once */
    skip_exp skips[16];      /* every skipped line; line 0 ends the list */
} source;

static const source sources[] = {
    {"validation/tabari/CAMEO.091003.master.verbs", 19, 0, {
        {7712, "bad verb code '[JPNJUD]' (an actor code"},
        {14203, "pattern code '[X]' is not a CAMEO event code"},
        {14679, "pattern code '[X]' is not a CAMEO event code"},
        {15517, "bad verb code '[GBRGOV]' (an actor code"},
    }},
    {"validation/tabari/CAMEO.09b5.options", 0, 0, {{0, NULL}}},
    {"validation/tabari/Validate.options", 0, 0, {{0, NULL}}},
    {"validation/tabari/TABARI.Demo.options", 0, 0, {{0, NULL}}},
    /* the suite's own deliberately broken codes ([sdf] ...); <TIME> */
    {"validation/tabari/TABARI.Demo.verbs", 0, 14, {
        {60, "'[sdf]' is not a CAMEO event code"},
        {95, "'[def]' is not a CAMEO event code"},
        {96, "'[abc]' is not a CAMEO event code"},
        {507, "'[xxy]' is not a CAMEO event code"},
    }},
    {"validation/tabari/TABARI.Demo.actors", 0, 17, {{0, NULL}}},
    {"validation/tabari/Validate.agents", 0, 0, {{0, NULL}}},
    {"dicts/phoenix/CAMEO.2.0.txt", 2, 0, {
        {8443, "unknown synonym set '&WEATHER'"},
        {8444, "unknown synonym set '&DEMONSTRATION'"},
        {9178, "PETRARCH-2 verb transformation not applied"},
        {9179, "PETRARCH-2 verb transformation not applied"},
        {9180, "PETRARCH-2 verb transformation not applied"},
        {9181, "PETRARCH-2 verb transformation not applied"},
        {9183, "PETRARCH-2 verb transformation not applied"},
        {9184, "PETRARCH-2 verb transformation not applied"},
        {9185, "PETRARCH-2 verb transformation not applied"},
        {9186, "PETRARCH-2 verb transformation not applied"},
    }},
    {"dicts/phoenix/CAMEO.verbpatterns.150430.txt", 10, 0, {{0, NULL}}},
    {"dicts/phoenix/Phoenix.Countries.actors.txt", 0, 0, {
        {2039, "bad date restriction in '[ARMUNR 9008223-911221]'"},
        {18010, "bad date restriction in '[GBRGOV >201005011]'"},
        {22508, "bad date restriction in '[IRQOCC 1920030320-20060520]'"},
        {22519, "bad date restriction in '[IRQOCC 1920030320-20060520]'"},
        {31715, "bad date restriction in '[MNEGOV 20121204]'"},
        {43613, "bad date restriction in '[SDNSSDAUT 1920050709-20110709]'"},
        {51384, "bad date restriction in '[USAGOV 19820101]'"},
    }},
    {"dicts/phoenix/Phoenix.International.actors.txt", 0, 0, {
        {40, "bad date restriction in '[KORGOVBUS 2004017-20061201]'"},
    }},
    {"dicts/phoenix/Phoenix.MilNonState.actors.txt", 0, 0, {{0, NULL}}},
    {"dicts/phoenix/Phoenix.agents.txt", 1, 0, {
        {1927, "agent 'ISLAMIC_EXTREMIST' has no [~CODE]"},
    }},
    {"dicts/phoenix/Phoenix.discards.txt", 0, 0, {{0, NULL}}},
    {"dicts/phoenix/Phoenix.IssueCoding.txt", 0, 0, {{0, NULL}}},
    {"dicts/phoenix/Phoenix.prepositions.txt", 0, 0, {{0, NULL}}},
    {"validation/petrarch/PETR.Validate.actors.txt", 0, 0, {{0, NULL}}},
    {"validation/petrarch/PETR.Validate.agents.txt", 0, 0, {{0, NULL}}},
    {"validation/petrarch/PETR.Validate.discards.txt", 0, 0, {{0, NULL}}},
    {"validation/petrarch/PETR.Validate.verbs.txt", 0, 0, {
        {155, "'[def]' is not a CAMEO event code"},
        {156, "'[abc]' is not a CAMEO event code"},
        {993, "'[xxy]' is not a CAMEO event code"},
    }},
};

static void load_into(sr_dictset *ds, const char *path)
{
    size_t l = strlen(path);
    if (l > 8 && strcmp(path + l - 8, ".options") == 0)
        assert_int_equal(sr_dictset_load_options(ds, path), SR_OK);
    else
        assert_int_equal(sr_dictset_load_file(ds, path, SR_DICT_AUTO), SR_OK);
}

static void every_line_loaded_or_reported(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        const source *s = &sources[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/data/%s", shared, s->path);
        diag_len = 0;
        if (diag)
            diag[0] = '\0';
        sr_skip_count_reset();
        sr_lexicon *lex = sr_lexicon_new();
        sr_dictset *ds = sr_dictset_new(lex);
        assert_non_null(ds);
        load_into(ds, path);
        sr_dict_stats st;
        sr_dictset_stats(ds, &st);
        fprintf(stderr, "%s: %zu lines, %zu with content: %zu loaded, %zu with a stated "
                "repair, %zu skipped\n", s->path, st.lines, st.lines_content, st.lines_used,
                st.lines_warned, st.lines_skipped);
        /* nothing dropped silently */
        assert_int_equal(st.lines_unread, 0);
        assert_int_equal(st.lines_content, st.lines_used + st.lines_warned + st.lines_skipped);
        assert_int_equal(st.lines_warned, (size_t)s->warnings);
        /* the skipped lines are exactly the expected ones, for their reasons */
        size_t nexp = 0;
        for (; nexp < 16 && s->skips[nexp].line; nexp++) {
            char want[1200];
            snprintf(want, sizeof want, "%s:%d: ", path, s->skips[nexp].line);
            const char *at = diag ? strstr(diag, want) : NULL;
            if (!at)
                fail_msg("%s: no report for line %d", s->path, s->skips[nexp].line);
            const char *eol = strchr(at, '\n');
            const char *why = strstr(at, s->skips[nexp].reason);
            if (!why || why > eol)
                fail_msg("%s:%d: reported for another reason than '%s'", s->path,
                         s->skips[nexp].line, s->skips[nexp].reason);
        }
        assert_int_equal(sr_skip_count(), nexp);
        assert_int_equal(st.lines_skipped, nexp + (size_t)s->unused);
        sr_dictset_free(ds);
        sr_lexicon_free(lex);
    }
}

static bool run_converter(const char *out)
{
    const char *src = getenv("SITREP_SRC");
    char cmd[2048];
    if (!src || system("command -v python3 >/dev/null 2>&1") != 0)
        return false;
    snprintf(cmd, sizeof cmd, "python3 '%s/scripts/phoenix-actors-to-tabari' --in '%s/dict' "
             "--out '%s' >/dev/null", src, src, out);
    return system(cmd) == 0;
}

static void tabari_master_set_with_phoenix_actors(void **state)
{
    (void)state;
    char out[] = "/tmp/sitrep-tabari-actors-XXXXXX";
    assert_non_null(mkdtemp(out));
    if (!run_converter(out)) {
        rmdir(out);
        skip();   /* no python3 or no SITREP_SRC */
    }
    diag_len = 0;
    sr_skip_count_reset();
    sr_lexicon *lex = sr_lexicon_new();
    sr_dictset *ds = sr_dictset_new(lex);
    char path[1024];
    snprintf(path, sizeof path, "%s/data/validation/tabari/CAMEO.091003.master.verbs", shared);
    load_into(ds, path);
    snprintf(path, sizeof path, "%s/data/validation/tabari/CAMEO.09b5.options", shared);
    load_into(ds, path);
    static const char *const actors[] = {
        "Phoenix.Countries.actors", "Phoenix.International.actors",
        "Phoenix.MilNonState.actors",
    };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", out, actors[i]);
        load_into(ds, path);
        unlink(path);
    }
    rmdir(out);
    assert_int_equal(sr_dictset_freeze(ds), SR_OK);
    sr_dict_stats st;
    sr_dictset_stats(ds, &st);
    fprintf(stderr, "TABARI master set: %zu actors (%zu phrases), %zu verb forms, %zu patterns, "
            "%zu options lines (%zu labels)\n", st.actor_entries, st.actor_phrases,
            st.verb_forms, st.verb_patterns, st.option_lines, st.labels);
    assert_int_equal(st.actor_entries, 18353 + 7838 + 1021);
    assert_int_equal(st.actor_phrases, 122238);
    assert_int_equal(st.verb_forms, 1799);
    assert_int_equal(st.verb_patterns, 16587);
    assert_int_equal(st.option_lines, 296);
    assert_int_equal(st.labels, 293);
    assert_string_equal(sr_dictset_label(ds, "0874"), "Retreat or surrender militarily");
    const sr_dict_options *o = sr_dictset_options(ds);
    assert_int_equal(o->complex_verbs, 6);
    assert_int_equal(o->complex_actors, 6);
    assert_true(o->complex_explain);
    /* only the four verbs-file lines above; the converted actors load whole */
    assert_int_equal(st.lines_unread, 0);
    assert_int_equal(st.lines_skipped, 4);
    assert_int_equal(sr_skip_count(), 4);
    /* USA has 221 phrases, each with TABARI's endings: once cut at 512 */
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_actor_code(ds, "Rocky Mountains", NULL, code));
    assert_string_equal(code, "USA");
    assert_true(sr_dictset_actor_code(ds, "Grand Canyon", NULL, code));
    assert_string_equal(code, "USA");
    assert_true(sr_dictset_actor_code(ds, "Pakistan", NULL, code));
    assert_string_equal(code, "PAK");
    sr_dictset_free(ds);
    sr_lexicon_free(lex);
}

int main(void)
{
    shared = getenv("SITREP_SHARED");
    if (!shared)
        shared = "../shared";
    char probe[1024];
    struct stat sb;
    snprintf(probe, sizeof probe, "%s/data/validation/tabari/CAMEO.091003.master.verbs", shared);
    if (stat(probe, &sb) != 0) {
        printf("skipped: ../shared not found (%s)\n", probe);
        return 77;
    }
    sr_set_diag_sink(capture, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_line_loaded_or_reported),
        cmocka_unit_test(tabari_master_set_with_phoenix_actors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sr_set_diag_sink(NULL, NULL);
    free(diag);
    return rc;
}
