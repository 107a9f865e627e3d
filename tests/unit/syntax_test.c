/*
 * syntax_test.c - the part-of-speech tagger: tags of news sentences the
 * coder depends on (passive VBN, modal + VB, TO + VB, possessive pronouns),
 * the tag set and its UPOS map, the caps (a 256-token sentence, a sentence
 * index out of range), tags not depending on which lexicon a document was
 * analysed with, two tagstates agreeing, and every way a model file can be
 * damaged giving a clear reason.  The shipped model is read from
 * $SITREP_DICT/pos/en-ewt.model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "sitrep/syntax.h"
#include "sitrep/text.h"
#include "syntax/internal.h"

static sr_tagger *tagger;
static sr_tagstate *state;
static char model_path[4096];

static int setup(void **st)
{
    (void)st;
    const char *dict = getenv("SITREP_DICT");
    snprintf(model_path, sizeof model_path, "%s/%s", dict ? dict : "dict", SR_TAGGER_MODEL_FILE);
    sr_err e;
    sr_tagger_err msg;
    tagger = sr_tagger_load_ex(model_path, &e, &msg);
    if (!tagger) {
        fprintf(stderr, "%s\n", msg.msg);
        return -1;
    }
    state = sr_tagstate_new(tagger);
    return state ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    sr_tagstate_free(state);
    sr_tagger_free(tagger);
    return 0;
}

/* "word/TAG word/TAG ..." of the first sentence of text. */
static const char *tagged(const char *text, sr_lexicon *lex)
{
    static char out[8192];
    sr_textdoc d;
    memset(&d, 0, sizeof d);
    sr_text_opts o = { lex, false, false };
    assert_int_equal(sr_text_analyze(&d, text, strlen(text), &o), SR_OK);
    assert_true(d.nsents >= 1);
    uint8_t tags[SR_TEXT_MAX_TOKENS];
    assert_int_equal(sr_tag_sentence(tagger, state, &d, 0, tags), SR_OK);
    size_t k = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < d.sents[0].tok_count; i++) {
        const sr_token *t = &d.toks[d.sents[0].tok_first + i];
        int w = snprintf(out + k, sizeof out - k, "%s%.*s/%s", i ? " " : "", (int)(t->end - t->start),
                         text + t->start, sr_pos_name((sr_pos)tags[i]));
        assert_true(w > 0 && (size_t)w < sizeof out - k);
        k += (size_t)w;
    }
    sr_textdoc_free(&d);
    return out;
}

static void test_news_sentences(void **st)
{
    (void)st;
    assert_string_equal(tagged("The embassy was attacked by Iranian protesters.", NULL),
                        "The/DT embassy/NN was/VBD attacked/VBN by/IN Iranian/JJ protesters/NNS ./.");
    assert_string_equal(tagged("Russia said Ukraine must withdraw its troops.", NULL),
                        "Russia/NNP said/VBD Ukraine/NNP must/MD withdraw/VB its/PRP$ troops/NNS ./.");
    assert_string_equal(tagged("The United Nations has condemned the attack, which killed 12 people.", NULL),
                        "The/DT United/NNP Nations/NNPS has/VBZ condemned/VBN the/DT attack/NN ,/, "
                        "which/WDT killed/VBD 12/CD people/NNS ./.");
    assert_string_equal(tagged("He didn't say whether the talks would resume.", NULL),
                        "He/PRP did/VBD n't/RB say/VB whether/IN the/DT talks/NNS would/MD resume/VB ./.");
}

/* The distinctions the coder asks for, one at a time. */
static void test_verb_forms(void **st)
{
    (void)st;
    /* passive: VBN after a form of be; active past: VBD */
    assert_non_null(strstr(tagged("Two soldiers were killed in the attack.", NULL), "killed/VBN"));
    assert_non_null(strstr(tagged("Gunmen killed two soldiers on Monday.", NULL), "killed/VBD"));
    /* perfect: VBN after have */
    assert_non_null(strstr(tagged("The government has rejected the offer.", NULL), "rejected/VBN"));
    /* to + base form */
    assert_non_null(strstr(tagged("Iran agreed to resume talks.", NULL), "to/TO resume/VB"));
    /* modal + base form */
    assert_non_null(strstr(tagged("The army will withdraw its troops.", NULL), "will/MD withdraw/VB"));
    /* 3rd person singular present */
    assert_non_null(strstr(tagged("The minister says the talks failed.", NULL), "says/VBZ"));
    /* possessive 's */
    assert_non_null(strstr(tagged("Pakistan's army chief visited Libya.", NULL), "'s/POS"));
}

static void test_tagset(void **st)
{
    (void)st;
    for (int p = 0; p < SR_POS_COUNT; p++) {
        const char *nm = sr_pos_name((sr_pos)p);
        assert_int_equal(sr_pos_from_name(nm, strlen(nm)), p);
        assert_true(sr_pos_upos((sr_pos)p) < SR_UPOS_COUNT);
    }
    assert_int_equal(sr_pos_from_name("PRP$", 4), SR_POS_PRPS);
    assert_int_equal(sr_pos_from_name("-LRB-", 5), SR_POS_LRB);
    assert_int_equal(sr_pos_from_name("NNX", 3), SR_POS_COUNT);
    assert_string_equal(sr_pos_name(SR_POS_COUNT), "?");
    assert_string_equal(sr_upos_name(sr_pos_upos(SR_POS_NNP)), "PROPN");
    assert_string_equal(sr_upos_name(sr_pos_upos(SR_POS_MD)), "AUX");
    assert_string_equal(sr_upos_name(sr_pos_upos(SR_POS_HYPH)), "PUNCT");
    int verbs = 0, nouns = 0;
    for (int p = 0; p < SR_POS_COUNT; p++) {
        verbs += sr_pos_is_verb((uint8_t)p);
        nouns += sr_pos_is_noun((uint8_t)p);
        if (sr_pos_is_verb((uint8_t)p) && p != SR_POS_MD)
            assert_int_equal(sr_pos_upos((sr_pos)p), SR_UPOS_VERB);
        if (sr_pos_is_noun((uint8_t)p))
            assert_true(sr_pos_upos((sr_pos)p) == SR_UPOS_NOUN || sr_pos_upos((sr_pos)p) == SR_UPOS_PROPN);
    }
    assert_int_equal(verbs, 7);
    assert_int_equal(nouns, 4);
    assert_true(sr_pos_is_finite_verb(SR_POS_VBD) && !sr_pos_is_finite_verb(SR_POS_VBN));
    assert_false(sr_pos_is_verb(200));
}

/* The same text analysed against a lexicon, frozen or not, or none, tags
 * the same: the tagger reads forms, not ids. */
static void test_lexicon_independent(void **st)
{
    (void)st;
    const char *s = "Turkey says it is ready to pull its troops back from the border.";
    char a[8192];
    snprintf(a, sizeof a, "%s", tagged(s, NULL));
    sr_lexicon *lex = sr_lexicon_new();
    assert_string_equal(tagged(s, lex), a);
    sr_lexicon_freeze(lex);
    assert_string_equal(tagged(s, lex), a);
    sr_lexicon_free(lex);
}

/* A second tagstate, cold, agrees with the warm one. */
static void test_two_states(void **st)
{
    (void)st;
    const char *s = "Talks between the two sides broke down after Hamas rejected the truce.";
    char a[8192];
    snprintf(a, sizeof a, "%s", tagged(s, NULL));
    sr_tagstate *keep = state;
    state = sr_tagstate_new(tagger);
    assert_non_null(state);
    assert_string_equal(tagged(s, NULL), a);
    sr_tagstate_free(state);
    state = keep;
}

static void test_caps(void **st)
{
    (void)st;
    /* a sentence of the most tokens a sentence can have */
    sr_buf b = SR_BUF_INIT(0);
    for (int i = 0; i < 300; i++)
        assert_int_equal(sr_buf_puts(&b, i % 2 ? "troops " : "fired "), SR_OK);
    sr_textdoc d;
    memset(&d, 0, sizeof d);
    sr_text_opts o = { NULL, false, false };
    assert_int_equal(sr_text_analyze(&d, b.p, b.len, &o), SR_OK);
    assert_int_equal(d.sents[0].tok_count, SR_TEXT_MAX_TOKENS);
    uint8_t tags[SR_TEXT_MAX_TOKENS + 1];
    memset(tags, 0xEE, sizeof tags);
    assert_int_equal(sr_tag_sentence(tagger, state, &d, 0, tags), SR_OK);
    for (int i = 0; i < SR_TEXT_MAX_TOKENS; i++)
        assert_true(tags[i] < SR_POS_COUNT);
    assert_int_equal(tags[SR_TEXT_MAX_TOKENS], 0xEE);      /* nothing written past */
    assert_int_equal(sr_tag_sentence(tagger, state, &d, d.nsents, tags), SR_EINVAL);
    sr_token many[SR_TEXT_MAX_TOKENS + 1];
    memset(many, 0, sizeof many);
    assert_int_equal(sr_tag_tokens(tagger, state, many, SR_TEXT_MAX_TOKENS + 1, "", tags), SR_EINVAL);
    assert_int_equal(sr_tag_tokens(tagger, state, many, 0, "", tags), SR_OK);
    sr_textdoc_free(&d);
    sr_buf_free(&b);
}

/* ---- damaged models --------------------------------------------------------- */

static unsigned char *model_bytes(size_t *n)
{
    char *p = NULL;
    assert_int_equal(sr_read_file(model_path, SR_TAGGER_MAX_FILE, &p, n), SR_OK);
    return (unsigned char *)p;
}

static void fix_crc(unsigned char *p, size_t n)
{
    uint32_t crc = (uint32_t)crc32(0L, p + 24, (uInt)(n - 24));
    for (int i = 0; i < 4; i++)
        p[20 + i] = (unsigned char)(crc >> (8 * i));
}

static void expect_error(const unsigned char *p, size_t n, sr_err want, const char *reason)
{
    sr_err e = SR_OK;
    sr_tagger_err msg;
    sr_tagger *t = sr_tagger_load_mem(p, n, "test.model", &e, &msg);
    assert_null(t);
    assert_int_equal(e, want);
    if (!strstr(msg.msg, reason) || strncmp(msg.msg, "test.model: ", 12) != 0)
        fail_msg("message '%s' does not say '%s'", msg.msg, reason);
}

static void test_model_errors(void **st)
{
    (void)st;
    sr_err e = SR_OK;
    sr_tagger_err msg;
    assert_null(sr_tagger_load_ex("/nonexistent/en.model", &e, &msg));
    assert_int_equal(e, SR_EIO);
    assert_non_null(strstr(msg.msg, "/nonexistent/en.model: cannot read"));

    size_t n;
    unsigned char *p = model_bytes(&n);
    sr_tagger *ok = sr_tagger_load_mem(p, n, "test.model", &e, &msg);
    assert_non_null(ok);
    sr_tagger_info info;
    sr_tagger_get_info(ok, &info);
    assert_int_equal(info.ntags, SR_POS_COUNT);
    assert_true(info.features > 1000 && info.lexicon_words > 50000);
    assert_non_null(strstr(info.source, "Web Treebank"));
    sr_tagger_free(ok);

    expect_error(p, 10, SR_EFORMAT, "no SRTAGGER magic");
    expect_error(p, n - 1, SR_EFORMAT, "truncated");
    unsigned char *q = malloc(n);
    memcpy(q, p, n);
    q[n / 2] ^= 0x40;
    expect_error(q, n, SR_EFORMAT, "checksum mismatch");
    memcpy(q, p, n);
    q[0] = 'X';
    expect_error(q, n, SR_EFORMAT, "no SRTAGGER magic");
    memcpy(q, p, n);
    q[8] = 99;                                  /* version */
    expect_error(q, n, SR_EFORMAT, "model version 99");
    memcpy(q, p, n);
    q[12] = 40;                                 /* tag count */
    expect_error(q, n, SR_EFORMAT, "40 tags");
    memcpy(q, p, n);
    q[35] = 0x7f;                               /* features: past the cap */
    fix_crc(q, n);
    expect_error(q, n, SR_ETOOBIG, "past its cap");
    memcpy(q, p, n);
    q[32] ^= 1;                                 /* features: sizes no longer add up */
    fix_crc(q, n);
    expect_error(q, n, SR_EFORMAT, "sections add up");
    memcpy(q, p, n);
    memcpy(q + 48, "XX\0", 3);                  /* first tag name */
    fix_crc(q, n);
    expect_error(q, n, SR_EFORMAT, "expected 'NN'");
    free(q);
    free(p);
    expect_error((const unsigned char *)"", 0, SR_EFORMAT, "no SRTAGGER magic");
}

/* A model the writer makes is read back as it was written. */
static void test_model_roundtrip(void **st)
{
    (void)st;
    tg_lex lx;
    assert_int_equal(tg_lex_init(&lx, 4, true), SR_OK);
    assert_int_equal(tg_lex_put(&lx, tg_form_hash("attack", 6), TG_LX_NN | TG_LX_VB, 0), SR_OK);
    uint64_t keys[2] = { tg_key_t1(TG_START), tg_key_t2(TG_START, TG_START) };
    if (keys[0] > keys[1]) {
        uint64_t x = keys[0];
        keys[0] = keys[1];
        keys[1] = x;
    }
    uint32_t first[3] = { 0, 1, 3 };
    uint8_t tags[3] = { SR_POS_NN, SR_POS_DT, SR_POS_NNP };
    int8_t w[3] = { 5, -7, 127 };
    tg_model_out mo = { keys, first, 2, tags, w, &lx, "unit test" };
    char path[] = "/tmp/syntax_test.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tg_model_write(path, &mo), SR_OK);
    sr_err e;
    sr_tagger *t = sr_tagger_load(path, &e);
    assert_non_null(t);
    sr_tagger_info info;
    sr_tagger_get_info(t, &info);
    assert_int_equal(info.features, 2);
    assert_int_equal(info.lexicon_words, 1);
    assert_string_equal(info.source, "unit test");
    assert_int_equal(tg_lex_bits(&t->lex, "attacks", 7), TG_LX_NNS | TG_LX_VBZ);
    assert_int_equal(tg_lex_bits(&t->lex, "attacked", 8), TG_LX_VPAST);
    assert_int_equal(tg_lex_bits(&t->lex, "attacking", 9), TG_LX_VBG);
    assert_int_equal(tg_lex_bits(&t->lex, "attack", 6), TG_LX_NN | TG_LX_VB);
    assert_int_equal(tg_lex_bits(&t->lex, "defend", 6), 0);
    sr_tagger_free(t);
    remove(path);
    tg_lex_free(&lx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_news_sentences),
        cmocka_unit_test(test_verb_forms),
        cmocka_unit_test(test_tagset),
        cmocka_unit_test(test_lexicon_independent),
        cmocka_unit_test(test_two_states),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_model_errors),
        cmocka_unit_test(test_model_roundtrip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
