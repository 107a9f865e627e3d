/*
 * coder_test.c - the event coder on small dictionaries written by the test
 * (invented places, so no shipped entry can help): source and target
 * assignment, compounds, agents composed with countries, titled unknown
 * persons (reported through the callback), modality (asserted, reported,
 * hedged, future, negated), refusals, passive voice, pronouns, discards,
 * date-restricted codes, and byte offsets into the original text.
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
#include "sitrep/dict.h"
#include "sitrep/text.h"

typedef struct fixture {
    char dir[64];
    sr_lexicon *lex;
    sr_dictset *ds;
    sr_coder *coder;
    sr_textdoc td;
    sr_mentions ms;
    char unknown[8][64];
    size_t nunknown;
} fixture;

static const char *files[][2] = {
    {"x.actors.txt",
     "VALDORIA [VAL]\n+VALDORIAN\n"
     "KESTRIA [KES]\n+KESTRIAN\n"
     "MARTEK [MRT]\n"
     "ORVANE_TUSK [VALMIL 200101-251231] [VALELI >260101]\n"},
    {"x.agents.txt",
     "ARMY_CHIEF [~MIL]\nGENERAL [~MIL]\nMINISTER [~GOV]\nSOLDIER [~MIL]\nANALYST [~EDU]\n"},
    {"x.verbpatterns.txt",
     "--- MEET [040] ---\nMEET {MEETS MET MEETING}\n"
     "--- VISIT [042:043] ---\nVISIT\n"
     "--- ATTACK [190] ---\nATTACK\n"
     "--- AGREE [030] ---\nAGREE\n"
     "--- SAY [010] ---\nSAY {SAYS SAID SAYING}\n"},
    {"x.discards.txt", "FOOTBALL MATCH\n"},
};

static void on_unknown(const sr_unknown_actor *u, void *ctx)
{
    fixture *f = ctx;
    if (f->nunknown < 8)
        snprintf(f->unknown[f->nunknown++], 64, "%.*s=%s", (int)(u->end - u->start),
                 f->td.orig + u->start, u->code);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sitrep-coder-test-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    f->lex = sr_lexicon_new();
    f->ds = sr_dictset_new(f->lex);
    sr_set_quiet(1);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", f->dir, files[i][0]);
        FILE *fp = fopen(path, "w");
        if (!fp)
            return -1;
        fputs(files[i][1], fp);
        fclose(fp);
        if (sr_dictset_load_file(f->ds, path, SR_DICT_AUTO) != SR_OK)
            return -1;
        unlink(path);
    }
    rmdir(f->dir);
    if (sr_dictset_freeze(f->ds) != SR_OK)
        return -1;
    f->coder = sr_coder_new(f->ds);
    if (!f->coder)
        return -1;
    sr_coder_on_unknown(f->coder, on_unknown, f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sr_mentions_free(&f->ms);
    sr_textdoc_free(&f->td);
    sr_coder_free(f->coder);
    sr_dictset_free(f->ds);
    sr_lexicon_free(f->lex);
    free(f);
    return 0;
}

/* Code text; the events as "SRC TGT CODE modality" lines in out. */
static void code(fixture *f, const char *text, const char *date, char *out, size_t cap)
{
    sr_text_opts o = { .lex = f->lex };
    sr_textdoc_clear(&f->td);
    f->ms.n = 0;
    f->nunknown = 0;
    assert_int_equal(sr_text_analyze(&f->td, text, strlen(text), &o), SR_OK);
    assert_int_equal(sr_code_doc(f->coder, &f->td, date, &f->ms), SR_OK);
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->ms.n && w < cap; i++) {
        const sr_mention *m = &f->ms.v[i];
        /* every span lies inside the input */
        assert_true(m->source.start < m->source.end && m->source.end <= strlen(text));
        assert_true(m->verb_start < m->verb_end && m->verb_end <= strlen(text));
        int k = snprintf(out + w, cap - w, "%s%s %s %s %s", w ? "; " : "", m->source.code,
                         m->has_target ? m->target.code : "-", m->cameo,
                         sr_modality_name(m->modality));
        if (k > 0)
            w += (size_t)k;
    }
}

static void source_verb_target(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Valdoria attacked Kestria on Monday.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 190 asserted");
    const sr_mention *m = &f->ms.v[0];
    assert_int_equal(m->source.start, 0);
    assert_int_equal(m->source.end, 8);
    assert_memory_equal("attacked", f->td.orig + m->verb_start, 8);
    assert_memory_equal("Kestria", f->td.orig + m->target.start, 7);
}

static void paired_codes_and_compounds(void **state)
{
    fixture *f = *state;
    char out[512];
    /* a stated future visit is an intent to meet (036), and the host's side
     * is the same event, not a second one */
    code(f, "Valdoria will visit Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 036 future");
    code(f, "Valdoria and Martek attacked Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 190 asserted; MRT KES 190 asserted");
}

static void agents_compose_with_countries(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Valdoria's army chief met Kestrian soldiers.", NULL, out, sizeof out);
    assert_string_equal(out, "VALMIL KESMIL 040 asserted");
}

static void titled_unknown_person(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Kestria's minister, General Ilya Marrow, met Valdoria.", NULL, out, sizeof out);
    assert_string_equal(out, "KESGOV VAL 040 asserted");
    assert_int_equal(f->nunknown, 1);
    assert_string_equal(f->unknown[0], "Ilya Marrow=KESGOV");
    assert_false(f->ms.v[0].source.known);
}

static void modality(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Valdoria reportedly attacked Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 190 reported");
    code(f, "Valdoria may attack Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 190 hedged");
    /* a plan to attack is a threat of force (138), not the attack */
    code(f, "Valdoria plans to attack Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 138 future");
    /* a denied event is kept but never asserted */
    code(f, "Valdoria did not attack Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 190 negated");
    /* refusing is a rejection (CAMEO 12x), not the act refused: refusing
     * to meet is 125, rejecting a proposal to meet */
    code(f, "Valdoria refused to meet Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 125 asserted");
}

static void passive_voice(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Kestria was attacked by Valdoria.", NULL, out, sizeof out);
    assert_string_equal(out, "VAL KES 190 asserted");
}

static void analysts_are_never_actors(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Analysts said Kestria attacked Valdoria.", NULL, out, sizeof out);
    assert_null(strstr(out, "EDU"));
    assert_non_null(strstr(out, "KES VAL 190"));
}

static void discards_and_dates(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Valdoria attacked Kestria in the football match.", NULL, out, sizeof out);
    assert_string_equal(out, "");
    code(f, "Orvane Tusk met Kestria.", "2024-05-01", out, sizeof out);
    assert_string_equal(out, "VALMIL KES 040 asserted");
    code(f, "Orvane Tusk met Kestria.", "2026-05-01", out, sizeof out);
    assert_string_equal(out, "VALELI KES 040 asserted");
}

static void pronouns_follow_the_subject(void **state)
{
    fixture *f = *state;
    char out[512];
    code(f, "Valdoria's army chief arrived on Monday. He met Kestria.", NULL, out, sizeof out);
    assert_string_equal(out, "VALMIL KES 040 asserted");
}

static void hostile_input_is_bounded(void **state)
{
    fixture *f = *state;
    char out[512];
    /* far more tokens than a sentence may hold, actors everywhere */
    size_t n = 20000;
    char *text = malloc(n * 9 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 9, "Valdoria ", 9);
    text[n * 9] = '\0';
    code(f, text, NULL, out, sizeof out);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(source_verb_target),
        cmocka_unit_test(paired_codes_and_compounds),
        cmocka_unit_test(agents_compose_with_countries),
        cmocka_unit_test(titled_unknown_person),
        cmocka_unit_test(modality),
        cmocka_unit_test(passive_voice),
        cmocka_unit_test(analysts_are_never_actors),
        cmocka_unit_test(discards_and_dates),
        cmocka_unit_test(pronouns_follow_the_subject),
        cmocka_unit_test(hostile_input_is_bounded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
