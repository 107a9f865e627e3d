/*
 * text_test.c - the text pipeline: decoding repairs, offsets back into the
 * original, layout repair, sentence kinds, tokens, folding, the lexicon and
 * stream blocks.  The hostile inputs of issue 2 (invalid UTF-8, a 10 MB
 * line, only punctuation, only newlines, NULs) each have a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sitrep/text.h"

static sr_textdoc td;

static void analyze(const char *s, size_t n, sr_lexicon *lex)
{
    sr_text_opts o = { lex, false, false };
    assert_int_equal(sr_text_analyze(&td, s, n, &o), SR_OK);
}

static char *sent(size_t i)
{
    static sr_buf b = SR_BUF_INIT(0);
    sr_buf_reset(&b);
    assert_int_equal(sr_sentence_text(&td, i, &b), SR_OK);
    return b.p ? b.p : (char *)"";
}

static void tok_is(size_t i, const char *surface, const char *fold, int kind)
{
    assert_true(i < td.ntoks);
    const sr_token *t = &td.toks[i];
    size_t n;
    const char *f = sr_token_fold(&td, t, &n);
    assert_int_equal(t->end - t->start, strlen(surface));
    assert_memory_equal(td.orig + t->start, surface, strlen(surface));
    assert_int_equal(n, strlen(fold));
    assert_memory_equal(f, fold, n);
    assert_int_equal(t->kind, kind);
}

static void test_invalid_utf8_counted(void **st)
{
    (void)st;
    const char in[] = "Bad \xff\xfe bytes here. And \xc3 more.";
    analyze(in, sizeof in - 1, NULL);
    assert_int_equal(td.n_invalid, 3);
    assert_int_equal(td.nsents, 2);
    assert_string_equal(sent(0), "Bad \xEF\xBF\xBD\xEF\xBF\xBD bytes here.");
    /* offsets still point into the original bytes */
    assert_memory_equal(in + td.sents[1].start, "And", 3);
    assert_int_equal(td.sents[1].end, sizeof in - 1);
    const sr_token *last = &td.toks[td.ntoks - 2];   /* "more" */
    assert_memory_equal(in + last->start, "more", 4);
}

static void test_bom_nul_controls(void **st)
{
    (void)st;
    const char in[] = "\xEF\xBB\xBFThe army\0chief\x01 met\x7f them.";
    analyze(in, sizeof in - 1, NULL);
    assert_int_equal(td.nsents, 1);
    assert_string_equal(sent(0), "The army chief met them.");
    assert_int_equal(td.sents[0].start, 3);           /* after the BOM */
    tok_is(2, "chief", "chief", SR_TOK_WORD);
}

static void test_odd_spaces_and_soft_hyphen(void **st)
{
    (void)st;
    const char in[] = "inter\xC2\xADnational\xC2\xA0" "talks\xE2\x80\x89" "began.";
    analyze(in, sizeof in - 1, NULL);
    assert_int_equal(td.ntoks, 4);
    size_t n;
    const char *f = sr_token_fold(&td, &td.toks[0], &n);
    assert_int_equal(n, 13);
    assert_memory_equal(f, "international", 13);
    tok_is(1, "talks", "talks", SR_TOK_WORD);
    tok_is(2, "began", "began", SR_TOK_WORD);
}

static void test_hard_wrap_and_heading(void **st)
{
    (void)st;
    const char *in =
        "The two armies agreed to expand\n"
        "joint training and to hold\n"
        "counter-\n"
        "terrorism drills, Gen.\n"
        "Asim Munir said.\n"
        "Background of\n"
        "the Naval Talks\n"
        "Talks began in 2019 and\n"
        "stalled in 2021.\n";
    analyze(in, strlen(in), NULL);
    assert_int_equal(td.nsents, 3);
    assert_string_equal(sent(0), "The two armies agreed to expand joint training and to hold "
                                 "counter-terrorism drills, Gen. Asim Munir said.");
    assert_int_equal(td.sents[0].kind, SR_UNIT_SENTENCE);
    assert_string_equal(sent(1), "Background of the Naval Talks");
    assert_int_equal(td.sents[1].kind, SR_UNIT_HEADING);
    assert_string_equal(sent(2), "Talks began in 2019 and stalled in 2021.");
}

static void test_orphan_bullets(void **st)
{
    (void)st;
    const char *in =
        "The sides agreed on three points:\n"
        "\xC2\xB7\n"
        "Training of\n"
        "officers.\n"
        "\xE2\x80\xA2 Joint patrols.\n";
    analyze(in, strlen(in), NULL);
    assert_int_equal(td.nsents, 3);
    assert_string_equal(sent(1), "Training of officers.");
    assert_int_equal(td.sents[1].kind, SR_UNIT_LIST_ITEM);
    assert_string_equal(sent(2), "Joint patrols.");
    assert_int_equal(td.sents[2].kind, SR_UNIT_LIST_ITEM);
    for (size_t i = 0; i < td.nsents; i++)
        assert_null(strstr(sent(i), "\xE2\x80\xA2"));
}

static void test_dateline(void **st)
{
    (void)st;
    const char *in = "ISLAMABAD, Dec 5 (Reuters) - Pakistan's army chief visited Libya.";
    analyze(in, strlen(in), NULL);
    assert_int_equal(td.nsents, 2);
    assert_string_equal(sent(0), "ISLAMABAD, Dec 5 (Reuters) -");
    assert_int_equal(td.sents[0].kind, SR_UNIT_HEADING);
    assert_string_equal(sent(1), "Pakistan's army chief visited Libya.");
}

static void test_tokens(void **st)
{
    (void)st;
    sr_lexicon *lex = sr_lexicon_new();
    const char *in = "Pakistan\xE2\x80\x99s U.S.-backed army didn\xE2\x80\x99t sign the $2.5bn deal, "
                     "the officials' statement said on Feb. 5.";
    analyze(in, strlen(in), lex);
    tok_is(0, "Pakistan", "pakistan", SR_TOK_WORD);
    assert_true(td.toks[0].flags & SR_TOKF_CAP);
    assert_true(td.toks[0].flags & SR_TOKF_SENT_START);
    tok_is(1, "\xE2\x80\x99s", "'s", SR_TOK_POSSESSIVE);
    tok_is(2, "U.S.", "u.s.", SR_TOK_WORD);
    assert_true(td.toks[2].flags & SR_TOKF_ALLCAPS);
    tok_is(3, "-", "-", SR_TOK_PUNCT);          /* U.S. stays an actor's token */
    tok_is(4, "backed", "backed", SR_TOK_WORD);
    tok_is(6, "did", "did", SR_TOK_WORD);
    tok_is(7, "n\xE2\x80\x99t", "n't", SR_TOK_WORD);
    tok_is(10, "$", "$", SR_TOK_SYMBOL);
    tok_is(11, "2.5bn", "2.5bn", SR_TOK_NUMBER);
    tok_is(15, "officials", "officials", SR_TOK_WORD);
    tok_is(16, "'", "'", SR_TOK_POSSESSIVE);
    tok_is(20, "Feb.", "feb.", SR_TOK_WORD);
    assert_true(td.toks[20].flags & SR_TOKF_ABBREV);
    /* ids: the same folded form, the same id */
    assert_int_not_equal(td.toks[0].id, 0);
    assert_int_equal(td.toks[1].id, sr_lexicon_find(lex, "'s", 2));
    sr_textdoc_free(&td);
    sr_lexicon_free(lex);
}

static void test_hyphen_compound(void **st)
{
    (void)st;
    const char *in = "A military-to-military accord.";
    analyze(in, strlen(in), NULL);
    tok_is(1, "military-to-military", "military-to-military", SR_TOK_WORD);
    assert_true(td.toks[1].flags & SR_TOKF_HYPHEN);
}

static void test_fold_nfkc(void **st)
{
    (void)st;
    sr_buf b = SR_BUF_INIT(0);
    /* fullwidth letters, the fi ligature, a curly apostrophe, an en dash */
    assert_int_equal(sr_text_fold("\xEF\xBC\xB0\xEF\xBD\x81k \xEF\xAC\x81le \xE2\x80\x99 \xE2\x80\x93 STRASSE", 29, &b), SR_OK);
    assert_string_equal(b.p, "pak file ' - strasse");
    sr_buf_reset(&b);
    assert_int_equal(sr_text_fold("Stra\xC3\x9F" "e", 7, &b), SR_OK);
    assert_string_equal(b.p, "strasse");
    sr_buf_free(&b);
}

static void test_lexicon(void **st)
{
    (void)st;
    sr_lexicon *lex = sr_lexicon_new();
    char w[16];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(w, sizeof w, "w%d", i);
        assert_int_equal(sr_lexicon_intern(lex, w, (size_t)n), (uint32_t)i + 1);
    }
    assert_int_equal(sr_lexicon_size(lex), 5000);
    assert_int_equal(sr_lexicon_find(lex, "w4999", 5), 5000);
    assert_int_equal(sr_lexicon_find(lex, "w5000", 5), 0);
    size_t n;
    assert_string_equal(sr_lexicon_str(lex, 42, &n), "w41");
    /* frozen: analysis looks up, never adds */
    sr_lexicon_freeze(lex);
    analyze("w7 unknownword", 14, lex);
    assert_int_equal(td.toks[0].id, 8);
    assert_int_equal(td.toks[1].id, 0);
    assert_int_equal(sr_lexicon_size(lex), 5000);
    sr_textdoc_free(&td);
    sr_lexicon_free(lex);
}

/* Token ids come from a cache of recent forms when the lexicon is frozen:
 * over far more distinct forms than the cache has slots, short and long,
 * known and unknown, repeated, every token's id must still be the
 * lexicon's own answer; and a lexicon that grows between documents must not
 * be answered from the old one's ids. */
static void test_token_ids_match_lexicon(void **st)
{
    (void)st;
    sr_lexicon *lex = sr_lexicon_new();
    char w[32];
    for (int i = 0; i < 30000; i += 3) {
        int n = snprintf(w, sizeof w, i % 2 ? "k%d" : "knownlongerform%d", i);
        assert_true(sr_lexicon_intern(lex, w, (size_t)n) > 0);
    }
    sr_lexicon_freeze(lex);
    sr_buf text = SR_BUF_INIT(0);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 30000; i++)
            assert_int_equal(sr_buf_printf(&text, i % 2 ? "k%d " : "knownlongerform%d ", i), SR_OK);
    analyze(text.p, text.len, lex);
    assert_int_equal(td.ntoks, 60000);
    size_t known = 0;
    for (size_t i = 0; i < td.ntoks; i++) {
        size_t n;
        const char *f = sr_token_fold(&td, &td.toks[i], &n);
        assert_int_equal(td.toks[i].id, sr_lexicon_find(lex, f, n));
        known += td.toks[i].id != 0;
    }
    assert_int_equal(known, 20000);
    sr_lexicon_free(lex);
    /* another lexicon of the same size, likely at the same address: its
     * own ids, not the cached ones */
    lex = sr_lexicon_new();
    for (int i = 29999; i >= 0; i -= 3) {
        int n = snprintf(w, sizeof w, i % 2 ? "k%d" : "knownlongerform%d", i);
        assert_true(sr_lexicon_intern(lex, w, (size_t)n) > 0);
    }
    sr_lexicon_freeze(lex);
    analyze(text.p, text.len, lex);
    for (size_t i = 0; i < td.ntoks; i++) {
        size_t n;
        const char *f = sr_token_fold(&td, &td.toks[i], &n);
        assert_int_equal(td.toks[i].id, sr_lexicon_find(lex, f, n));
    }
    /* a lexicon that grows between documents (not frozen: interning) */
    uint64_t s0 = sr_lexicon_stamp(lex);
    assert_true(sr_lexicon_intern(lex, "k1", 2) > 0);
    assert_true(sr_lexicon_stamp(lex) != s0);
    sr_buf_free(&text);
    sr_textdoc_free(&td);
    sr_lexicon_free(lex);
}

static void test_ten_mb_line(void **st)
{
    (void)st;
    size_t n = (size_t)10 << 20;
    char *in = malloc(n);
    assert_non_null(in);
    for (size_t i = 0; i < n; i++)
        in[i] = (i % 7 == 6) ? ' ' : 'a';
    analyze(in, n, NULL);
    assert_true(td.nsents > 2000);
    size_t total = 0;
    for (size_t i = 0; i < td.nsents; i++) {
        assert_true(td.sents[i].end - td.sents[i].start <= SR_TEXT_MAX_SENTENCE);
        assert_true(td.sents[i].tok_count <= SR_TEXT_MAX_TOKENS);
        total += td.sents[i].tok_count;
    }
    assert_int_equal(total, td.ntoks);
    assert_int_equal(td.ntoks, (n + 6) / 7);
    free(in);
}

static void test_only_punct_and_newlines(void **st)
{
    (void)st;
    const char *p = "...!!!???,,,;;;---\"\"\"'''()[]";
    analyze(p, strlen(p), NULL);
    assert_true(td.nsents <= 3);
    for (size_t i = 0; i < td.ntoks; i++)
        assert_true(td.toks[i].kind == SR_TOK_PUNCT || td.toks[i].kind == SR_TOK_SYMBOL ||
                    td.toks[i].kind == SR_TOK_POSSESSIVE);
    char nl[5000];
    memset(nl, '\n', sizeof nl);
    analyze(nl, sizeof nl, NULL);
    assert_int_equal(td.nsents, 0);
    assert_int_equal(td.ntoks, 0);
    analyze("", 0, NULL);
    assert_int_equal(td.nsents, 0);
}

/* A hyphen or apostrophe after a multi-byte letter: the word ends where it
 * ends ("逘-K" is 5 bytes, not 7 running into the next word), and every
 * token lies inside its sentence (text_fuzz found both). */
static void test_hyphen_after_multibyte_letter(void **st)
{
    (void)st;
    const char *p = "ab\xe2\xe9\x80\x98-K cd.";
    analyze(p, strlen(p), NULL);
    assert_int_equal(td.ntoks, 5);
    assert_int_equal(td.toks[2].start, 3);
    assert_int_equal(td.toks[2].end, 8);
    assert_int_equal(td.toks[3].start, 9);
    const char *q = "\xe2\xe9\x80\x98-K";
    analyze(q, strlen(q), NULL);
    assert_int_equal(td.nsents, 1);
    assert_int_equal(td.sents[0].tok_count, td.ntoks);
    assert_true(td.sents[0].end <= strlen(q));
    for (size_t i = 0; i < td.ntoks; i++)
        assert_true(td.toks[i].end <= td.sents[0].end);
}

static void test_too_big(void **st)
{
    (void)st;
    sr_text_opts o = { NULL, false, false };
    assert_int_equal(sr_text_analyze(&td, "x", SR_TEXT_MAX_INPUT + 1, &o), SR_ETOOBIG);
    assert_int_equal(td.nsents, 0);
}

static void test_next_block(void **st)
{
    (void)st;
    const char *s = "para one line\nstill one\n\npara two\nmore";
    size_t n = strlen(s);
    assert_int_equal(sr_text_next_block(s, n, 1000, true), n);
    assert_int_equal(sr_text_next_block(s, n, 1000, false), 0);
    assert_int_equal(sr_text_next_block(s, n, 30, false), 25);   /* after the blank line */
    assert_int_equal(sr_text_next_block(s, n, 20, false), 14);   /* a line end */
    assert_int_equal(sr_text_next_block("abc def", 7, 5, false), 4);
    assert_int_equal(sr_text_next_block("abcdefgh", 8, 5, false), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_utf8_counted),
        cmocka_unit_test(test_bom_nul_controls),
        cmocka_unit_test(test_odd_spaces_and_soft_hyphen),
        cmocka_unit_test(test_hard_wrap_and_heading),
        cmocka_unit_test(test_orphan_bullets),
        cmocka_unit_test(test_dateline),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_hyphen_compound),
        cmocka_unit_test(test_fold_nfkc),
        cmocka_unit_test(test_lexicon),
        cmocka_unit_test(test_token_ids_match_lexicon),
        cmocka_unit_test(test_ten_mb_line),
        cmocka_unit_test(test_only_punct_and_newlines),
        cmocka_unit_test(test_hyphen_after_multibyte_letter),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_next_block),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sr_textdoc_free(&td);
    return rc;
}
