/*
 * dict_test.c - the dictionary readers' conventions, on small dictionaries
 * written by the test: TABARI stems and regular endings, date-restricted
 * codes, '/' compound codes, gapped phrases, agents and substitution sets,
 * verb forms, pattern alternatives and nested synonym sets, and the
 * "FILE:LINE: reason" report for a malformed entry.
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

#include "sitrep/dict.h"
#include "sitrep/text.h"
#include "dict/dictset_impl.h"
#include "dict/match.h"

typedef struct fixture {
    char dir[64];
    sr_lexicon *lex;
    sr_dictset *ds;
} fixture;

static char diag[4096];
static void capture(const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(diag);
    snprintf(diag + n, sizeof diag - n, "%s\n", line);
}

static void write_file(fixture *f, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sitrep-dict-test-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    /* TABARI dialect (.actors/.agents/.verbs) */
    write_file(f, "t.actors",
               "<NOUN>\nGOATS\n</NOUN>\n"
               "ARNOR_  [ARN]\n"
               "ARGENTIN  [ARG]\n"
               "GOLLUM\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 950601 - 990815]\n\t[HOBREB > 990816]\n"
               "THE_SHIRE  [FRO/BIL/SAM]\n"
               "PRINCE DOL_AMROTH  [DOL]\n"
               "BROKEN  [ARN 991399]\n");
    write_file(f, "t.agents", "PRIME_MINISTER_  [~GOV]\nHUMAN_RIGHTS_ACTIVISTS_ [NGM~]\n");
    write_file(f, "t.verbs",
               "&CURRENCY\n+DOLLAR\n+AUSTRIAN FLORIN\n&PHRASE\n+&CURRENCY_NOTES\n"
               "DEPART_ [032]\n"
               "MOUSE= [191]\n"
               "URGE  [102]\n- HAS { NOT | DECLINED } *  [121]\n"
               "GIVE [070]\n- * &PHRASE [903]\n");
    /* PETRARCH dialect */
    write_file(f, "p.agents.txt", "!PERSON! = MAN, MEN\nCONGRESS!PERSON! [~LEG]\nSOLDIER [~MIL]\n");
    write_file(f, "p.verbpatterns.txt", "--- MEET [040] ---\n+MEET_WITH {+MET_WITH}\nTALK\n");
    f->lex = sr_lexicon_new();
    f->ds = sr_dictset_new(f->lex);
    sr_set_diag_sink(capture, NULL);
    diag[0] = '\0';
    const char *names[] = {"t.actors", "t.agents", "t.verbs", "p.agents.txt", "p.verbpatterns.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        if (sr_dictset_load_file(f->ds, path, SR_DICT_AUTO) != SR_OK)
            return -1;
    }
    if (sr_dictset_freeze(f->ds) != SR_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sr_dictset_free(f->ds);
    sr_lexicon_free(f->lex);
    const char *names[] = {"t.actors", "t.agents", "t.verbs", "p.agents.txt", "p.verbpatterns.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        unlink(path);
    }
    rmdir(f->dir);
    free(f);
    sr_set_diag_sink(NULL, NULL);
    return 0;
}

static void check_actor(fixture *f, const char *phrase, const char *date, const char *want)
{
    char code[SR_DICT_MAX_CODE + 1];
    bool ok = sr_dictset_actor_code(f->ds, phrase, date, code);
    if (!want) {
        assert_false(ok);
        return;
    }
    assert_true(ok);
    assert_string_equal(code, want);
}

static void actors_tabari_conventions(void **state)
{
    fixture *f = *state;
    check_actor(f, "Arnor", NULL, "ARN");
    check_actor(f, "Arnors", NULL, "ARN");        /* WORD_: regular noun endings */
    check_actor(f, "Arnorian", NULL, NULL);       /* ... but not a stem */
    check_actor(f, "Argentina", NULL, "ARG");     /* WORD: a stem */
    check_actor(f, "goats", NULL, NULL);          /* <NOUN> lists are not actors */
    check_actor(f, "the Prince of Dol Amroth", NULL, NULL);  /* starts at "the" */
    check_actor(f, "Prince of Dol Amroth", NULL, "DOL");     /* "A B" allows gaps */
    check_actor(f, "The Shire", NULL, "FRO/BIL/SAM");
}

static void actors_date_restrictions(void **state)
{
    fixture *f = *state;
    check_actor(f, "Gollum", "1995-01-01", "HOB");
    check_actor(f, "Smeagol", "1997-06-30", "HOBGOV");
    check_actor(f, "Gollum", "2001-01-01", "HOBREB");
}

static void malformed_entry_reported_with_line(void **state)
{
    fixture *f = *state;
    /* "[ARN 991399]" has no valid date: FILE:LINE, skipped, loading went on */
    assert_non_null(strstr(diag, "t.actors:13: bad date restriction"));
    check_actor(f, "Arnor", NULL, "ARN");
}

static void agents_and_substitutions(void **state)
{
    fixture *f = *state;
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_agent_code(f->ds, "prime minister", code));
    assert_string_equal(code, "~GOV");
    assert_true(sr_dictset_agent_code(f->ds, "congressmen", code));   /* !PERSON! set */
    assert_string_equal(code, "~LEG");
    assert_true(sr_dictset_agent_code(f->ds, "soldiers", code));      /* generated plural */
    assert_string_equal(code, "~MIL");
    assert_true(sr_dictset_agent_code(f->ds, "human rights activists", code));
    assert_string_equal(code, "NGM~");
    assert_false(sr_dictset_agent_code(f->ds, "minister", code));
}

/* Is phrase a verb form of the dictionary (the whole phrase)? */
static bool is_verb_form(fixture *f, const char *phrase)
{
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_text_opts o = { .lex = f->lex, .no_layout = true };
    bool found = false;
    if (sr_text_analyze(&td, phrase, strlen(phrase), &o) == SR_OK && td.ntoks <= 16) {
        sr_tokview v[16];
        memset(v, 0, sizeof v);
        for (size_t i = 0; i < td.ntoks; i++) {
            size_t fl;
            v[i].id = td.toks[i].id;
            v[i].fold = sr_token_fold(&td, &td.toks[i], &fl);
            v[i].fold_len = (uint32_t)fl;
        }
        size_t len;
        found = sr_ds_longest(f->ds, &f->ds->verbs, v, td.ntoks, 0, &len) != SR_NONE &&
                len == td.ntoks;
    }
    sr_textdoc_free(&td);
    return found;
}

static void verb_forms(void **state)
{
    fixture *f = *state;
    assert_true(is_verb_form(f, "departed"));     /* DEPART_: regular verb endings */
    assert_true(is_verb_form(f, "departing"));
    assert_false(is_verb_form(f, "departx"));
    assert_true(is_verb_form(f, "mouse"));        /* MOUSE=: exact, no endings */
    assert_false(is_verb_form(f, "mouses"));
    assert_true(is_verb_form(f, "met with"));     /* PETRARCH irregular forms */
    assert_true(is_verb_form(f, "talks"));        /* PETRARCH regular forms */
    assert_true(is_verb_form(f, "talked"));
}

static void patterns_alternatives_and_nested_sets(void **state)
{
    fixture *f = *state;
    sr_dict_stats st;
    sr_dictset_stats(f->ds, &st);
    /* URGE's "{ NOT | DECLINED }" gives two patterns, GIVE's one */
    assert_int_equal(st.verb_patterns, 3);
    assert_int_equal(st.synsets, 2);
    /* &PHRASE holds "&CURRENCY_NOTES": dollar notes, austrian florin notes */
    uint32_t phrase = SR_NONE;
    for (size_t i = 0; i < f->ds->nsynsets; i++)
        if (strcmp(sr_ds_pool(f->ds, f->ds->synset_name[i]), "&PHRASE") == 0)
            phrase = (uint32_t)i;
    assert_int_not_equal(phrase, SR_NONE);
    const char *text = "dollar notes";
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_text_opts o = { .lex = f->lex, .no_layout = true };
    assert_int_equal(sr_text_analyze(&td, text, strlen(text), &o), SR_OK);
    sr_tokview v[4];
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < td.ntoks && i < 4; i++) {
        size_t fl;
        v[i].id = td.toks[i].id;
        v[i].fold = sr_token_fold(&td, &td.toks[i], &fl);
        v[i].fold_len = (uint32_t)fl;
    }
    size_t len;
    assert_true(sr_ds_synset_at(f->ds, phrase, v, td.ntoks, 0, &len));
    assert_int_equal(len, 2);
    sr_textdoc_free(&td);
}

/* sr_trie_freeze keeps every phrase and its value: a wide root (found by
 * counting the root sets), wide inner nodes (binary search), stems, gaps
 * and large keys (searched) - each path walked before and after. */
static void trie_freeze_keeps_paths(void **state)
{
    (void)state;
    enum { N = 3000 };
    static uint32_t keys[N][3], val[N];
    sr_trie t;
    assert_int_equal(sr_trie_init(&t), SR_OK);
    uint32_t seed = 12345;
    for (size_t i = 0; i < N; i++) {
        uint32_t a = 1 + (i % 700);   /* 700 root words, ~4 children each */
        seed = seed * 1103515245u + 12345u;
        uint32_t b = 1 + (seed >> 16) % 5000;
        if (i % 7 == 0)
            a |= SR_KEY_STEM;
        if (i % 11 == 0)
            b = SR_KEY_GAP;
        if (i % 13 == 0)
            a = SR_KEY_SYN | (uint32_t)i;
        if (i % 17 == 0)
            a = SR_TRIE_ROOTSET_MAX + (uint32_t)i;
        keys[i][0] = a;
        keys[i][1] = b;
        keys[i][2] = 1 + (uint32_t)(i % 3);
        size_t n = 1 + i % 3;
        uint32_t node;
        assert_int_equal(sr_trie_add(&t, keys[i], n, &node), SR_OK);
        t.val[node] = (uint32_t)i;
        val[i] = node;
    }
    /* what each path reaches before: the value at the path's end */
    for (size_t i = 0; i < N; i++) {
        uint32_t node = 0;
        for (size_t w = 0; w < 1 + i % 3; w++)
            node = sr_trie_child(&t, node, keys[i][w]);
        assert_int_equal(node, val[i]);
        val[i] = t.val[node];
    }
    assert_int_equal(sr_trie_freeze(&t), SR_OK);
    assert_non_null(t.rec);
    uint32_t node;
    assert_int_equal(sr_trie_add(&t, keys[0], 1, &node), SR_EINVAL);
    for (size_t i = 0; i < N; i++) {
        node = 0;
        for (size_t w = 0; w < 1 + i % 3; w++) {
            node = sr_trie_child(&t, node, keys[i][w]);
            assert_int_not_equal(node, 0);
        }
        assert_int_equal(t.rec[node].val, val[i]);
    }
    assert_int_equal(sr_trie_child(&t, 0, 5001), 0);
    assert_int_equal(sr_trie_child(&t, 0, SR_KEY_STEM | 5001), 0);
    sr_trie_free(&t);
}

/* A token's stems (the stem byte trie, or the cache of a dictionary word)
 * are the dictionary stems it begins with, the three longest, longest
 * first - as probing the lexicon with each of its prefixes finds them. */
static void token_stems_are_its_prefixes(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/s.actors", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("ARG  [A1]\nARGE  [A2]\nARGENT  [A3]\nARGENTIN  [A4]\nCAF  [C1]\n"
          "CAF\xc3\xa9S  [C2]\nZZZ_  [Z1]\n", fp);
    fclose(fp);
    sr_lexicon *lex = sr_lexicon_new();
    sr_dictset *ds = sr_dictset_new(lex);
    assert_int_equal(sr_dictset_load_file(ds, path, SR_DICT_ACTORS), SR_OK);
    assert_int_equal(sr_dictset_freeze(ds), SR_OK);
    unlink(path);
    const char *toks[] = {"argentinas", "argentin", "argent", "arge", "ar", "a", "",
                          "caf\xc3\xa9s", "caf\xc3\xa9", "cafe", "zzz", "zzzz", "xargentin"};
    for (size_t t = 0; t < sizeof toks / sizeof toks[0]; t++) {
        sr_tokview v;
        memset(&v, 0, sizeof v);
        v.fold = toks[t];
        v.fold_len = (uint32_t)strlen(toks[t]);
        v.id = sr_lexicon_find(lex, v.fold, v.fold_len);
        sr_ds_token_stems(ds, &v);
        uint32_t want[3];
        uint8_t nwant = 0;
        for (uint32_t k = v.fold_len; k > 0 && nwant < 3; k--) {
            if (k < v.fold_len && ((unsigned char)v.fold[k] & 0xC0) == 0x80)
                continue;
            uint32_t id = sr_lexicon_find(lex, v.fold, k);
            if (id && id < ds->is_stem_n && ds->is_stem[id])
                want[nwant++] = id | SR_KEY_STEM;
        }
        assert_int_equal(v.nstems, nwant);
        for (uint8_t i = 0; i < nwant; i++)
            assert_int_equal(v.stems[i], want[i]);
    }
    sr_tokview v;
    memset(&v, 0, sizeof v);
    v.fold = "argentinas";
    v.fold_len = 10;
    sr_ds_token_stems(ds, &v);
    assert_int_equal(v.nstems, 3);   /* ARGENTIN, ARGENT, ARGE; not ARG */
    assert_int_equal(v.stems[0], sr_lexicon_find(lex, "argentin", 8) | SR_KEY_STEM);
    assert_int_equal(v.stems[2], sr_lexicon_find(lex, "arge", 4) | SR_KEY_STEM);
    sr_dictset_free(ds);
    sr_lexicon_free(lex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(actors_tabari_conventions),
        cmocka_unit_test(actors_date_restrictions),
        cmocka_unit_test(malformed_entry_reported_with_line),
        cmocka_unit_test(agents_and_substitutions),
        cmocka_unit_test(verb_forms),
        cmocka_unit_test(patterns_alternatives_and_nested_sets),
        cmocka_unit_test(trie_freeze_keeps_paths),
        cmocka_unit_test(token_stems_are_its_prefixes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
