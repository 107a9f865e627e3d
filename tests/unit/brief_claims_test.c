/* brief_claims_test.c - briefs from documents and mentions given directly:
 * event claims grouped by dyad and kind of action with each outlet's
 * strongest modality, titles and amounts read from the text, near-copies
 * counted once, contradictions only between outlets, and the three
 * renderings (JSON parsed back with jansson). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/story.h"

#define DOC(i, copy, outlet, text) { i, copy, outlet, NULL, NULL, text, sizeof text - 1 }

static const char a_text[] =
    "Turkey's Chief of General Staff, General Kemal Arslan, met Admiral Rudi Santoso in Jakarta. "
    "Officials said the vehicle project is worth $1.2 billion.";
static const char b_text[] =
    "Lieutenant General Kemal Arslan held talks with Admiral Rudi Santoso. "
    "The deal could reportedly be worth about $900 million.";
static const char c_text[] =
    "General Kemal Arslan visited Jakarta. A co-production deal, worth $1.2 billion, is near.";

static const sr_brief_claim *find(const sr_brief *b, sr_claim_kind k, const char *value)
{
    for (size_t i = 0; i < b->nclaims; i++)
        if (b->claims[i].kind == k && strcmp(b->claims[i].value, value) == 0)
            return &b->claims[i];
    return NULL;
}

static void brief_reads_titles_amounts_and_events(void **state)
{
    (void)state;
    const sr_brief_doc docs[] = {
        DOC(1, 0, "Harbour Post", a_text),
        DOC(2, 0, "Straits Observer", b_text),
        DOC(3, 0, "Capital Review", c_text),
    };
    const sr_brief_mention ms[] = {
        {1, "TURMIL", "IDNMIL", "040", SR_MOD_ASSERTED, "met"},
        {2, "TURMIL", "IDNMIL", "040", SR_MOD_REPORTED, "held talks"},
        {2, "IDNMIL", "TURMIL", "042", SR_MOD_ASSERTED, "visited"},
        {3, "TURMIL", "IDN", "042", SR_MOD_ASSERTED, "visited Jakarta"},
        {1, "TUR", "IDN", "036", SR_MOD_FUTURE, "will cooperate"},
    };
    sr_brief b;
    assert_int_equal(sr_brief_build(&b, 7, "Arslan in Jakarta", docs, 3, ms, 5), SR_OK);
    assert_int_equal(b.story, 7);
    assert_int_equal(b.noutlets, 3);
    assert_int_equal(b.independent, 3);

    /* meet/visit: one claim, symmetric dyad, three outlets, each with its
     * strongest modality (Straits Observer asserted via its visit mention) */
    const sr_brief_claim *meet = find(&b, SR_CLAIM_EVENT, "meet or consult");
    assert_non_null(meet);
    assert_int_equal(meet->noutlets, 3);
    assert_int_equal(meet->modality, SR_MOD_ASSERTED);
    assert_string_equal(meet->subject, "TUR - IDN");
    assert_string_equal(meet->event_code, "040");
    const sr_brief_claim *coop = find(&b, SR_CLAIM_EVENT, "cooperate");
    assert_non_null(coop);
    assert_int_equal(coop->noutlets, 1);
    assert_int_equal(coop->modality, SR_MOD_FUTURE);

    /* corroborated claims come first */
    assert_true(b.claims[0].noutlets >= b.claims[b.nclaims - 1].noutlets);

    const sr_brief_claim *gen = find(&b, SR_CLAIM_TITLE, "General");
    const sr_brief_claim *ltg = find(&b, SR_CLAIM_TITLE, "Lieutenant General");
    assert_non_null(gen);
    assert_non_null(ltg);
    assert_string_equal(gen->subject, "Kemal Arslan");
    assert_int_equal(gen->noutlets, 2);
    assert_int_equal(ltg->noutlets, 1);
    const sr_brief_claim *adm = find(&b, SR_CLAIM_TITLE, "Admiral");
    assert_non_null(adm);
    assert_int_equal(adm->noutlets, 2);

    const sr_brief_claim *big = find(&b, SR_CLAIM_AMOUNT, "$1.2 billion");
    const sr_brief_claim *small = find(&b, SR_CLAIM_AMOUNT, "$900 million");
    assert_non_null(big);
    assert_non_null(small);
    assert_string_equal(big->subject, "deal");
    assert_int_equal(big->noutlets, 2);
    assert_int_equal(big->modality, SR_MOD_ASSERTED);
    assert_int_equal(small->modality, SR_MOD_REPORTED);   /* reported beats hedged */

    /* two contradictions: Arslan's title and the deal's amount; Santoso's
     * title is agreed */
    assert_int_equal(b.ncontradictions, 2);
    bool title = false, amount = false;
    for (size_t i = 0; i < b.ncontradictions; i++) {
        const sr_brief_contradiction *c = &b.contradictions[i];
        assert_int_equal(c->nvalues, 2);
        if (strcmp(c->subject, "title of Kemal Arslan") == 0)
            title = true;
        if (strcmp(c->subject, "amount of deal") == 0)
            amount = true;
    }
    assert_true(title && amount);

    /* JSON: parses, with the documented keys */
    sr_buf out = SR_BUF_INIT(0);
    assert_int_equal(sr_brief_render(&b, SR_BRIEF_JSON, &out), SR_OK);
    json_error_t err;
    json_t *j = json_loads(out.p, 0, &err);
    assert_non_null(j);
    assert_non_null(json_object_get(j, "story"));
    assert_int_equal(json_array_size(json_object_get(j, "outlets")), 3);
    json_t *claims = json_object_get(j, "claims");
    assert_int_equal(json_array_size(claims), b.nclaims);
    for (size_t i = 0; i < json_array_size(claims); i++) {
        json_t *c = json_array_get(claims, i);
        const char *kind = json_string_value(json_object_get(c, "kind"));
        assert_non_null(kind);
        assert_non_null(json_object_get(c, "text"));
        assert_non_null(json_object_get(c, "modality"));
        assert_true(json_is_array(json_object_get(c, "outlets")));
        assert_true(strcmp(kind, "event") == 0 ? json_is_object(json_object_get(c, "event"))
                                               : json_is_null(json_object_get(c, "event")));
    }
    json_t *con = json_array_get(json_object_get(j, "contradictions"), 0);
    assert_non_null(json_object_get(con, "subject"));
    json_t *v = json_array_get(json_object_get(con, "values"), 0);
    assert_non_null(json_object_get(v, "value"));
    assert_true(json_is_array(json_object_get(v, "outlets")));
    json_decref(j);

    sr_buf_reset(&out);
    assert_int_equal(sr_brief_render(&b, SR_BRIEF_TEXT, &out), SR_OK);
    assert_non_null(strstr(out.p, "Contradictions:"));
    assert_non_null(strstr(out.p, "[single source]"));
    sr_buf_reset(&out);
    assert_int_equal(sr_brief_render(&b, SR_BRIEF_MARKDOWN, &out), SR_OK);
    assert_non_null(strstr(out.p, "## Claims"));
    sr_buf_free(&out);
    sr_brief_free(&b);
}

static void near_copies_count_once_and_one_outlet_is_no_dispute(void **state)
{
    (void)state;
    static const char wire[] = "Field Marshal Asim Munir visited Libya. A reportedly "
                               "multi-billion-dollar defence deal was discussed.";
    static const char self[] = "General Omar Tariq met Lt. Gen. Omar Tariq's staff.";
    const sr_brief_doc docs[] = {
        DOC(1, 0, "Wire", wire),
        DOC(2, 1, "Reprint", wire),
        DOC(3, 0, "Wire", self),
    };
    sr_brief b;
    assert_int_equal(sr_brief_build(&b, 1, NULL, docs, 3, NULL, 0), SR_OK);
    assert_int_equal(b.documents, 3);
    assert_int_equal(b.independent, 2);
    assert_int_equal(b.noutlets, 2);
    const sr_brief_claim *deal = find(&b, SR_CLAIM_AMOUNT, "multi-billion-dollar");
    assert_non_null(deal);
    assert_int_equal(deal->noutlets, 2);       /* both outlets carried it */
    assert_int_equal(deal->reports, 1);        /* but it is one report */
    assert_int_equal(deal->modality, SR_MOD_REPORTED);
    assert_non_null(strstr(deal->text, "deal"));
    /* one outlet giving two titles is shorthand, not a contradiction */
    for (size_t i = 0; i < b.ncontradictions; i++)
        assert_null(strstr(b.contradictions[i].subject, "Tariq"));
    assert_string_equal(b.title, "");
    sr_brief_free(&b);
}

static void empty_story_renders(void **state)
{
    (void)state;
    sr_brief b;
    assert_int_equal(sr_brief_build(&b, 3, "Nothing", NULL, 0, NULL, 0), SR_OK);
    sr_buf out = SR_BUF_INIT(0);
    assert_int_equal(sr_brief_render(&b, SR_BRIEF_TEXT, &out), SR_OK);
    assert_non_null(strstr(out.p, "(none found)"));
    sr_buf_free(&out);
    sr_brief_free(&b);
    assert_string_equal(sr_cameo_root_name("04"), "consult");
    assert_string_equal(sr_cameo_root_name("21"), "");
    assert_string_equal(sr_cameo_root_name("x"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brief_reads_titles_amounts_and_events),
        cmocka_unit_test(near_copies_count_once_and_one_outlet_is_no_dispute),
        cmocka_unit_test(empty_story_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
