/*
 * dict_load_test.c - the shipped dictionaries (dict/, $SITREP_DICT) load
 * completely: every file is read, no entry is skipped and no warning is
 * printed, and real entries of each kind answer as the Phoenix files say
 * (values looked up in dict/Phoenix.*.txt by hand).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/codebook.h"
#include "sitrep/dict.h"
#include "sitrep/text.h"

static const char *dict_dir;
static size_t diag_lines;

static void capture(const char *line, void *ctx)
{
    (void)ctx;
    /* printed, so a failure shows which entry the readers refused */
    fprintf(stderr, "%s\n", line);
    diag_lines++;
}

typedef struct loaded {
    sr_lexicon *lex;
    sr_dictset *ds;
    sr_codebook *cb;
    size_t skips, diags;
} loaded;

static int load(void **state)
{
    loaded *l = calloc(1, sizeof *l);
    if (!l)
        return -1;
    sr_set_diag_sink(capture, NULL);
    sr_skip_count_reset();
    diag_lines = 0;
    l->lex = sr_lexicon_new();
    l->ds = l->lex ? sr_dictset_new(l->lex) : NULL;
    if (!l->ds || sr_dictset_load_dir(l->ds, dict_dir) != SR_OK)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/cameo/codebook.tsv", dict_dir);
    sr_err e;
    l->cb = sr_codebook_load(path, &e);
    if (!l->cb)
        return -1;
    sr_dictset_set_codebook(l->ds, l->cb);
    if (sr_dictset_freeze(l->ds) != SR_OK)
        return -1;
    l->skips = sr_skip_count();
    l->diags = diag_lines;
    *state = l;
    return 0;
}

static int unload(void **state)
{
    loaded *l = *state;
    sr_dictset_free(l->ds);
    sr_codebook_free(l->cb);
    sr_lexicon_free(l->lex);
    free(l);
    sr_set_diag_sink(NULL, NULL);
    return 0;
}

static void nothing_skipped(void **state)
{
    loaded *l = *state;
    assert_int_equal(l->skips, 0);
    assert_int_equal(l->diags, 0);
}

static void every_kind_loaded(void **state)
{
    loaded *l = *state;
    sr_dict_stats st;
    sr_dictset_stats(l->ds, &st);
    /* Orders of magnitude of the Phoenix set, so a file that silently stops
     * loading (renamed, misclassified) fails here. */
    assert_true(st.actor_entries > 10000);
    assert_true(st.actor_phrases > st.actor_entries);
    assert_true(st.agent_phrases > 1000);
    assert_true(st.verb_forms > 1000);
    assert_true(st.verb_patterns > 5000);
    assert_true(st.synsets > 30);
    assert_true(st.discards > 100);
    assert_true(st.issues > 500);
    assert_true(st.bytes > 0);
}

static void actor_lookups(void **state)
{
    loaded *l = *state;
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_actor_code(l->ds, "Pakistan", NULL, code));
    assert_string_equal(code, "PAK");
    assert_true(sr_dictset_actor_code(l->ds, "Pakistani", NULL, code));   /* synonym */
    assert_string_equal(code, "PAK");
    assert_true(sr_dictset_actor_code(l->ds, "Libya", NULL, code));
    assert_string_equal(code, "LBY");
    assert_true(sr_dictset_actor_code(l->ds, "the United Nations", NULL, code));
    assert_string_equal(code, "IGOUNO");
    /* Phoenix.MilNonState.actors.txt */
    assert_true(sr_dictset_actor_code(l->ds, "Abu Nidal Organization", NULL, code));
    assert_string_equal(code, "IMGMUSALQ");
    /* date restrictions: NAWAZ_SHARIF [PAKGOV 901106-930418] ... [PAKGOV >20130605] [PAKELI] */
    assert_true(sr_dictset_actor_code(l->ds, "Nawaz Sharif", "1992-01-01", code));
    assert_string_equal(code, "PAKGOV");
    assert_true(sr_dictset_actor_code(l->ds, "Nawaz Sharif", "1995-01-01", code));
    assert_string_equal(code, "PAKELI");
    assert_true(sr_dictset_actor_code(l->ds, "Nawaz Sharif", "2015-06-01", code));
    assert_string_equal(code, "PAKGOV");
    assert_false(sr_dictset_actor_code(l->ds, "Gondor", NULL, code));
}

static void agent_lookups(void **state)
{
    loaded *l = *state;
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_agent_code(l->ds, "army", code));
    assert_string_equal(code, "~MIL");
    assert_true(sr_dictset_agent_code(l->ds, "army chief of staff", code));
    assert_string_equal(code, "~MILGOV");
    assert_true(sr_dictset_agent_code(l->ds, "prime minister", code));
    assert_string_equal(code, "~GOV");
    assert_false(sr_dictset_agent_code(l->ds, "teaspoon", code));
}

static void codebook_beside_dicts(void **state)
{
    loaded *l = *state;
    assert_ptr_equal(sr_dictset_codebook(l->ds), l->cb);
    const sr_cameo_entry *e = sr_codebook_lookup(l->cb, "057", NULL);
    assert_non_null(e);
    assert_float_equal(e->goldstein, 8.0, 1e-9);   /* sign formal agreement */
}

int main(void)
{
    dict_dir = getenv("SITREP_DICT");
    if (!dict_dir)
        dict_dir = "dict";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_skipped),
        cmocka_unit_test(every_kind_loaded),
        cmocka_unit_test(actor_lookups),
        cmocka_unit_test(agent_lookups),
        cmocka_unit_test(codebook_beside_dicts),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
