/*
 * codebook_test.c - the CAMEO codebook: the shipped dict/cameo/codebook.tsv
 * loads without a skip and answers with the values of the source table
 * (../shared/data/cameo/cameo_event_codes_merged.tsv, looked up there by
 * hand for the spot checks below); ancestors stand in for missing codes;
 * malformed rows are reported as FILE:LINE and skipped; a mention gets its
 * root, QuadClass, Goldstein and PLOVER fields through the dictset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/code.h"
#include "sitrep/codebook.h"
#include "sitrep/dict.h"

static char shipped[4096];

static size_t diag_lines;
static char diag_last[512];
static void capture(const char *line, void *ctx)
{
    (void)ctx;
    diag_lines++;
    snprintf(diag_last, sizeof diag_last, "%s", line);
}

static int load_shipped(void **state)
{
    sr_set_diag_sink(capture, NULL);
    diag_lines = 0;
    sr_skip_count_reset();
    sr_err e = SR_OK;
    sr_codebook *cb = sr_codebook_load(shipped, &e);
    if (!cb) {
        fprintf(stderr, "cannot load %s: %s\n", shipped, sr_strerror(e));
        return -1;
    }
    *state = cb;
    return 0;
}

static int free_shipped(void **state)
{
    sr_codebook_free(*state);
    sr_set_diag_sink(NULL, NULL);
    return 0;
}

static void shipped_loads_cleanly(void **state)
{
    const sr_codebook *cb = *state;
    assert_int_equal(sr_skip_count(), 0);
    assert_int_equal(diag_lines, 0);
    /* 316 rows in the merged table plus 1213 and 1214 from CAMEO2PLOVER */
    assert_int_equal(sr_codebook_size(cb), 318);
    assert_true(sr_codebook_bytes(cb) > 20000);
}

static void spot_values(void **state)
{
    const sr_codebook *cb = *state;
    bool exact = false;
    const sr_cameo_entry *e = sr_codebook_lookup(cb, "042", &exact);
    assert_non_null(e);
    assert_true(exact);
    assert_string_equal(e->code, "042");
    assert_string_equal(e->root, "04");
    assert_int_equal(e->quad, 1);
    assert_true(e->has_goldstein);
    assert_float_equal(e->goldstein, 1.9, 1e-9);
    assert_string_equal(e->plover_event, "CONSULT");
    assert_string_equal(e->plover_mode, "visit");
    assert_null(e->plover_context);
    assert_string_equal(e->name, "Make a visit");
    assert_int_equal(e->inherited, 0);

    e = sr_codebook_lookup(cb, "0312", NULL);
    assert_non_null(e);
    assert_float_equal(e->goldstein, 5.2, 1e-9);
    assert_string_equal(e->plover_event, "AGREE");
    assert_null(e->plover_mode);
    assert_string_equal(e->plover_context, "military");

    e = sr_codebook_find(cb, "190", 0);
    assert_non_null(e);
    assert_int_equal(e->quad, 4);
    assert_float_equal(e->goldstein, -10.0, 1e-9);
    assert_string_equal(e->plover_event, "ASSAULT");

    e = sr_codebook_find(cb, "1823", 0);   /* mode blank in the table: no mode */
    assert_non_null(e);
    assert_float_equal(e->goldstein, -10.0, 1e-9);
    assert_string_equal(e->plover_event, "ASSAULT");
    assert_null(e->plover_mode);

    e = sr_codebook_find(cb, "163", 0);    /* PLOVER moves 163 to COERCE */
    assert_non_null(e);
    assert_int_equal(e->quad, 4);
    assert_float_equal(e->goldstein, -8.0, 1e-9);
    assert_string_equal(e->plover_event, "COERCE");
    assert_string_equal(e->plover_mode, "restrict");

    e = sr_codebook_find(cb, "01", 0);     /* statements: no PLOVER event */
    assert_non_null(e);
    assert_int_equal(e->quad, 1);
    assert_float_equal(e->goldstein, 0.0, 1e-9);
    assert_null(e->plover_event);
    assert_string_equal(e->name, "MAKE PUBLIC STATEMENT");

    /* find() takes a length: "0421" cut to 3 is 042 */
    e = sr_codebook_find(cb, "0421", 3);
    assert_non_null(e);
    assert_string_equal(e->code, "042");
}

static void ancestors_stand_in(void **state)
{
    const sr_codebook *cb = *state;
    bool exact = true;
    /* 0110 appears in the Phoenix verb patterns but not in the codebook */
    assert_null(sr_codebook_find(cb, "0110", 0));
    const sr_cameo_entry *e = sr_codebook_lookup(cb, "0110", &exact);
    assert_non_null(e);
    assert_false(exact);
    assert_string_equal(e->code, "011");
    assert_float_equal(e->goldstein, -0.1, 1e-9);

    e = sr_codebook_lookup(cb, "109", &exact);   /* 109 -> root 10 */
    assert_non_null(e);
    assert_false(exact);
    assert_string_equal(e->code, "10");
    assert_int_equal(e->quad, 3);
    assert_float_equal(e->goldstein, -5.0, 1e-9);
    assert_string_equal(e->plover_event, "REQUEST");

    /* TABARI local variants: the code's row, not exact */
    e = sr_codebook_lookup(cb, "174K", &exact);
    assert_non_null(e);
    assert_false(exact);
    assert_string_equal(e->code, "174");
    assert_float_equal(e->goldstein, -5.0, 1e-9);
    assert_string_equal(e->plover_mode, "deport");
    e = sr_codebook_lookup(cb, "075A", &exact);
    assert_non_null(e);
    assert_string_equal(e->code, "075");
    assert_null(sr_codebook_lookup(cb, "04KK", NULL));
    assert_null(sr_codebook_lookup(cb, "4K", NULL));

    /* not codes: none */
    assert_null(sr_codebook_lookup(cb, "---", NULL));
    assert_null(sr_codebook_lookup(cb, "###", NULL));
    assert_null(sr_codebook_lookup(cb, "99", NULL));
    assert_null(sr_codebook_lookup(cb, "0", NULL));
    assert_null(sr_codebook_lookup(cb, "04211", NULL));
    assert_null(sr_codebook_lookup(cb, "", NULL));
    assert_null(sr_codebook_lookup(cb, "4a", NULL));
    assert_null(sr_codebook_lookup(NULL, "042", NULL));
}

static void blanks_inherit_from_parent(void **state)
{
    const sr_codebook *cb = *state;
    /* 1951 has no Goldstein or PLOVER event in the table; 195 has -10.0,
     * ASSAULT.  Its QuadClass (4) is its own. */
    const sr_cameo_entry *e = sr_codebook_find(cb, "1951", 0);
    assert_non_null(e);
    assert_int_equal(e->quad, 4);
    assert_true(e->has_goldstein);
    assert_float_equal(e->goldstein, -10.0, 1e-9);
    assert_string_equal(e->plover_event, "ASSAULT");
    assert_int_equal(e->inherited, SR_CB_INH_GOLDSTEIN | SR_CB_INH_PLOVER);
    assert_null(e->plover_mode);

    /* 155 -> 15: -7.2, MOBILIZE */
    e = sr_codebook_find(cb, "155", 0);
    assert_non_null(e);
    assert_float_equal(e->goldstein, -7.2, 1e-9);
    assert_string_equal(e->plover_event, "MOBILIZE");

    /* 1213 comes from CAMEO2PLOVER only: QuadClass and Goldstein of 121 */
    e = sr_codebook_find(cb, "1213", 0);
    assert_non_null(e);
    assert_int_equal(e->quad, 3);
    assert_float_equal(e->goldstein, -4.0, 1e-9);
    assert_int_equal(e->inherited, SR_CB_INH_GOLDSTEIN | SR_CB_INH_QUAD);
    assert_string_equal(e->plover_event, "REJECT");
    assert_string_equal(e->plover_mode, "assist");
    assert_string_equal(e->plover_context, "legal");
}

/* ---- malformed input -------------------------------------------------------- */

static char tmp_path[64];

static void write_tmp(const char *text)
{
    snprintf(tmp_path, sizeof tmp_path, "/tmp/sitrep_cbtest_XXXXXX");
    int fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

#define HEADER "code\troot\tquad\tgoldstein\tplover_event\tplover_mode\tplover_context\tname\n"

static void bad_rows_are_skipped(void **state)
{
    (void)state;
    sr_set_diag_sink(capture, NULL);
    sr_skip_count_reset();
    diag_lines = 0;
    write_tmp("# a comment\n"
              HEADER
              "04\t04\t1\t1.0\tCONSULT\t\t\tCONSULT\n"       /* 3: good */
              "042\t04\t1\t1.9\tCONSULT\tvisit\t\tvisit\n"   /* 4: good */
              "043\t05\t1\t2.8\t\t\t\tbad root\n"            /* 5 */
              "0x4\t04\t1\t2.8\t\t\t\tbad code\n"            /* 6 */
              "044\t04\t7\t2.5\t\t\t\tbad quad\n"            /* 7 */
              "045\t04\t1\t11\t\t\t\tbad goldstein\n"        /* 8 */
              "046\t04\t1\tnan\t\t\t\tbad goldstein\n"       /* 9 */
              "047\t04\t1\n"                                 /* 10: short */
              "042\t04\t1\t1.9\t\t\t\ttwice\n"               /* 11 */
              "0421\t04\t\t\t\t\t\tblank\r\n");              /* 12: good, CRLF */
    sr_err e = SR_OK;
    sr_codebook *cb = sr_codebook_load(tmp_path, &e);
    assert_non_null(cb);
    assert_int_equal(e, SR_OK);
    assert_int_equal(sr_codebook_size(cb), 3);
    assert_int_equal(sr_skip_count(), 7);
    assert_int_equal(diag_lines, 7);
    char want[128];
    snprintf(want, sizeof want, "sitrep: %s:11: ", tmp_path);
    assert_memory_equal(diag_last, want, strlen(want));
    const sr_cameo_entry *c = sr_codebook_find(cb, "0421", 0);
    assert_non_null(c);
    assert_string_equal(c->name, "blank");
    assert_int_equal(c->quad, 1);                 /* from 042 */
    assert_float_equal(c->goldstein, 1.9, 1e-9);
    assert_string_equal(c->plover_event, "CONSULT");
    assert_null(c->plover_mode);                  /* a blank mode is a fact */
    assert_int_equal(c->inherited, SR_CB_INH_GOLDSTEIN | SR_CB_INH_QUAD | SR_CB_INH_PLOVER);
    assert_null(sr_codebook_find(cb, "043", 0));
    sr_codebook_free(cb);
    unlink(tmp_path);
    sr_set_diag_sink(NULL, NULL);
}

static void not_a_codebook(void **state)
{
    (void)state;
    sr_set_diag_sink(capture, NULL);
    sr_err e = SR_OK;
    write_tmp("CAMEOEVENTCODE\tGOLDSTEINSCALE\n042\t1.9\n");
    assert_null(sr_codebook_load(tmp_path, &e));
    assert_int_equal(e, SR_EFORMAT);
    unlink(tmp_path);
    write_tmp(HEADER);                             /* header, no rows */
    assert_null(sr_codebook_load(tmp_path, &e));
    assert_int_equal(e, SR_EFORMAT);
    unlink(tmp_path);
    write_tmp("");
    assert_null(sr_codebook_load(tmp_path, &e));
    assert_int_equal(e, SR_EFORMAT);
    unlink(tmp_path);
    assert_null(sr_codebook_load("/nonexistent/codebook.tsv", &e));
    assert_int_equal(e, SR_EIO);
    sr_set_diag_sink(NULL, NULL);
}

/* ---- mentions ---------------------------------------------------------------- */

/* Mutual by nature: meetings, agreements, joint action, a truce and
 * fighting between two sides; a prefix match never makes a whole family
 * mutual (0871 is, 087 and 0874 are not). */
static void mutual_codes(void **state)
{
    (void)state;
    const char *mutual[] = {"040", "041", "046", "057", "062", "0871", "190", "193", "036"};
    const char *directional[] = {"042", "043", "087", "0874", "112", "141", "1056", "195", "020", ""};
    for (size_t i = 0; i < sizeof mutual / sizeof mutual[0]; i++)
        assert_true(sr_cameo_is_mutual(mutual[i]));
    for (size_t i = 0; i < sizeof directional / sizeof directional[0]; i++)
        assert_false(sr_cameo_is_mutual(directional[i]));
    assert_false(sr_cameo_is_mutual(NULL));
}

static void mention_gets_codebook_fields(void **state)
{
    const sr_codebook *cb = *state;
    sr_lexicon *lex = sr_lexicon_new();
    assert_non_null(lex);
    sr_dictset *ds = sr_dictset_new(lex);
    assert_non_null(ds);

    sr_mention m;
    memset(&m, 0, sizeof m);
    snprintf(m.cameo, sizeof m.cameo, "043");
    sr_mention_fill_codebook(ds, &m);          /* no codebook: root only */
    assert_string_equal(m.root, "04");
    assert_int_equal(m.quad, 0);
    assert_null(m.plover_event);

    sr_dictset_set_codebook(ds, cb);
    sr_mention_fill_codebook(ds, &m);
    assert_string_equal(m.root, "04");
    assert_int_equal(m.quad, 1);
    assert_float_equal(m.goldstein, 2.8, 1e-9);
    assert_string_equal(m.plover_event, "CONSULT");
    assert_string_equal(m.plover_mode, "visit");

    snprintf(m.cameo, sizeof m.cameo, "0330");  /* not listed: 033's facts */
    sr_mention_fill_codebook(ds, &m);
    assert_string_equal(m.root, "03");
    assert_float_equal(m.goldstein, 5.2, 1e-9);
    assert_string_equal(m.plover_event, "AGREE");
    assert_null(m.plover_mode);

    snprintf(m.cameo, sizeof m.cameo, "---");   /* no code: nothing filled */
    sr_mention_fill_codebook(ds, &m);
    assert_int_equal(m.quad, 0);
    assert_float_equal(m.goldstein, 0, 0);
    assert_null(m.plover_event);
    assert_null(m.plover_mode);

    sr_dictset_free(ds);
    sr_lexicon_free(lex);
}

int main(void)
{
    const char *dict = getenv("SITREP_DICT");
    snprintf(shipped, sizeof shipped, "%s/cameo/codebook.tsv", dict ? dict : "dict");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(shipped_loads_cleanly, load_shipped, free_shipped),
        cmocka_unit_test_setup_teardown(spot_values, load_shipped, free_shipped),
        cmocka_unit_test_setup_teardown(ancestors_stand_in, load_shipped, free_shipped),
        cmocka_unit_test_setup_teardown(blanks_inherit_from_parent, load_shipped, free_shipped),
        cmocka_unit_test(bad_rows_are_skipped),
        cmocka_unit_test(not_a_codebook),
        cmocka_unit_test(mutual_codes),
        cmocka_unit_test_setup_teardown(mention_gets_codebook_fields, load_shipped, free_shipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
