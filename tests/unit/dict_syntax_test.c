/*
 * dict_syntax_test.c - the dictionary syntax the field's files use beyond
 * the basics (dict_test.c), each on a small dictionary written by the test:
 * TABARI code marks ('!' dominant, '?' fallback), PETRARCH-2 "[:b]" codes and
 * phrase groups, the repairs the readers make and report (']' closing '{',
 * a stray '}', a glued or stray '*', no '*', no code, letter O for zero),
 * what is skipped and reported (actor codes in a verbs file, and the
 * patterns of a verb that was not loaded), TABARI sections and end marks,
 * PETRARCH synonym plurals and code-less actor primaries, actor entries with
 * more than 512 phrases, issue "v:" forms and multi-'+' words, word lists,
 * every .options command, and the line ledger that makes "loaded or
 * reported" checkable.
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

static char dir[64];
static char diag[16384];
static size_t ndiag;

static void capture(const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(diag);
    snprintf(diag + n, sizeof diag - n, "%s\n", line);
    ndiag++;
}

typedef struct loaded {
    sr_lexicon *lex;
    sr_dictset *ds;
    sr_dict_stats st;
    size_t skips;
} loaded;

/* Write text to dir/name and load it alone (options files through
 * sr_dictset_load_options); diagnostics go to diag. */
static void load(loaded *l, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    diag[0] = '\0';
    ndiag = 0;
    sr_skip_count_reset();
    l->lex = sr_lexicon_new();
    l->ds = sr_dictset_new(l->lex);
    assert_non_null(l->ds);
    if (sr_dict_kind_from_name(path) == SR_DICT_OPTIONS)
        assert_int_equal(sr_dictset_load_options(l->ds, path), SR_OK);
    else
        assert_int_equal(sr_dictset_load_file(l->ds, path, SR_DICT_AUTO), SR_OK);
    assert_int_equal(sr_dictset_freeze(l->ds), SR_OK);
    sr_dictset_stats(l->ds, &l->st);
    l->skips = sr_skip_count();
    unlink(path);
    /* whatever else a test checks: nothing was dropped without a report */
    assert_int_equal(l->st.lines_unread, 0);
    assert_int_equal(l->st.lines_content,
                     l->st.lines_used + l->st.lines_skipped + l->st.lines_warned);
}

static void unload(loaded *l)
{
    sr_dictset_free(l->ds);
    sr_lexicon_free(l->lex);
}

static bool said(const char *s) { return strstr(diag, s) != NULL; }

static const char *pool(const loaded *l, uint32_t off)
{
    return off == SR_NONE ? "(none)" : sr_ds_pool(l->ds, off);
}

static const sr_verb *verb_named(const loaded *l, const char *name)
{
    for (size_t i = 0; i < l->ds->nverb; i++)
        if (strcmp(sr_ds_pool(l->ds, l->ds->verb[i].name), name) == 0)
            return &l->ds->verb[i];
    return NULL;
}

/* The patterns of the verb's group. */
static size_t npatterns_of(const loaded *l, const char *name)
{
    const sr_verb *v = verb_named(l, name);
    assert_non_null(v);
    return l->ds->groups[v->group].npats;
}

static const sr_pattern *pattern_of(const loaded *l, const char *name, size_t i)
{
    const sr_verb *v = verb_named(l, name);
    assert_non_null(v);
    assert_true(i < l->ds->groups[v->group].npats);
    return &l->ds->patterns[l->ds->groups[v->group].pats[i]];
}

static void tabari_code_marks(void **state)
{
    (void)state;
    loaded l;
    load(&l, "m.verbs",
         "ATTEND  [031!] ;dominant\n- * MEETING  [036!]\n"
         "SAID  [023?]\n- * WAS UNSATISFACTORY  [131]\n"
         "QUOT  [010?]\n");
    assert_int_equal(l.skips, 0);
    assert_int_equal(ndiag, 0);
    const sr_verb *v = verb_named(&l, "ATTEND");
    assert_non_null(v);
    assert_string_equal(pool(&l, v->code), "031");
    assert_true(v->flags & SR_CODE_DOMINANT);
    assert_int_equal(v->query_code, SR_NONE);
    assert_string_equal(pool(&l, pattern_of(&l, "ATTEND", 0)->code), "036");
    assert_true(pattern_of(&l, "ATTEND", 0)->flags & SR_CODE_DOMINANT);
    /* '?': TABARI codes it only when nothing else in the sentence codes;
     * the entry codes nothing itself and keeps the code aside */
    v = verb_named(&l, "SAID");
    assert_string_equal(pool(&l, v->code), "---");
    assert_string_equal(pool(&l, v->query_code), "023");
    assert_true(v->flags & SR_CODE_QUERY);
    /* SAID's pattern is SAID's, not ATTEND's */
    assert_int_equal(npatterns_of(&l, "SAID"), 1);
    assert_int_equal(npatterns_of(&l, "ATTEND"), 1);
    unload(&l);
}

static void rejected_verb_takes_its_patterns_along(void **state)
{
    (void)state;
    loaded l;
    load(&l, "r.verbs",
         "ABIDE  [---]\n- FAIL *  [120]\n"
         "JAPAN'S_HIGH_COURT  [JPNJUD] ;an actor in a verbs file\n- * RULED  [173]\n"
         "{ COURTS_ }\n"
         "JEER  [---]\n- $ * +  [111]\n- * ASSURE +  [X]\n");
    assert_true(said("r.verbs:3: bad verb code '[JPNJUD]' (an actor code"));
    assert_true(said("r.verbs:4: pattern of the verb at line 3, which was not loaded"));
    assert_true(said("r.verbs:5: forms of the verb at line 3"));
    assert_true(said("r.verbs:8: pattern code '[X]' is not a CAMEO event code"));
    assert_int_equal(l.skips, 4);
    assert_int_equal(l.st.lines_skipped, 4);
    assert_int_equal(npatterns_of(&l, "ABIDE"), 1);   /* not given "* RULED" */
    assert_int_equal(npatterns_of(&l, "JEER"), 1);
    unload(&l);
}

static void repairs_are_loaded_and_reported(void **state)
{
    (void)state;
    loaded l;
    load(&l, "x.verbs",
         "PROVID  [---]\n"
         "- * COMMIT * AID  [033]\n"                       /* 2: stray first '*' */
         "- + { WAS | WERE ] * BY_ $ AIRSTRIKE  [195]\n"   /* 3: ']' closes '{' */
         "- * FIRE TO_HIMSELF IN_ PROTEST }  [145]\n"      /* 4: stray '}' */
         "- *TO_BEAT  [---]\n"                             /* 5: glued '*' */
         "- * CALL EAS SANCTIONS AGAINST +  [O254]\n"      /* 6: O for zero */
         "- *~_CLOSELY DEVELOPMENT  [014]\n"               /* 7: TABARI '~' on '*' */
         "- SAID * AN OFFER + FOR TALKS\n"                 /* 8: no code */
         "- TIVILIAN  [202]\n"                             /* 9: no '*' */
         "- SAID * WILL * AID  [033]\n");                  /* 10: two '*', ambiguous */
    assert_true(said("x.verbs:2: two '*'"));
    assert_true(said("x.verbs:3: '{ ... | ... ]' closed by ']'"));
    assert_true(said("x.verbs:4: a '}' that no '{' opens"));
    assert_true(said("x.verbs:5: '*' glued to a word in '*TO'"));
    assert_true(said("x.verbs:6: letter O in the code read as zero"));
    assert_false(said("x.verbs:7:"));
    assert_true(said("x.verbs:8: no [code]: read as [---]"));
    assert_true(said("x.verbs:9: no '*'"));
    assert_true(said("x.verbs:10: pattern with two '*': the verb's place is ambiguous"));
    assert_int_equal(l.skips, 1);
    assert_int_equal(l.st.lines_warned, 7);
    /* 1 + 2 (WAS, WERE) + 1 + 1 + 1 + 1 + 1 + 1 */
    assert_int_equal(npatterns_of(&l, "PROVID"), 9);
    const sr_pattern *p = pattern_of(&l, "PROVID", 0);   /* COMMIT * AID */
    assert_int_equal(p->npre, 1);
    assert_int_equal(p->npost, 1);
    assert_string_equal(pool(&l, pattern_of(&l, "PROVID", 5)->code), "0254");
    p = pattern_of(&l, "PROVID", 6);                       /* *~_CLOSELY DEVELOPMENT */
    assert_int_equal(p->npost, 2);
    assert_true(l.ds->pelems[p->elem].adjacent);
    assert_string_equal(pool(&l, pattern_of(&l, "PROVID", 7)->code), "---");
    p = pattern_of(&l, "PROVID", 8);                       /* TIVILIAN * */
    assert_int_equal(p->npre, 1);
    assert_int_equal(p->npost, 0);
    unload(&l);
}

static void petrarch2_codes_and_phrase_groups(void **state)
{
    (void)state;
    loaded l;
    load(&l, "CAMEO.2.0.txt",
         "--- APPEAR [---] ---\n"
         "APPEAR\n"
         "- * (BEFORE COURT)  [:173]  # APPEAR\n"
         "- * {ARMS SHIPMENT} (FROM) +  [:072]\n"
         "- * SUPPORT [050:051]\n"
         "--- OFFEND  [:110]  ---\n"
         "OFFEND\n"
         "######## TRANSFORMATIONS ##########\n"
         "~ a (a b ATTACK) SAY = a b 015\n");
    assert_true(said("CAMEO.2.0.txt:9: PETRARCH-2 verb transformation not applied"));
    assert_true(said("CAMEO.2.0.txt:3: 2 patterns (the first here) use PETRARCH-2 phrase groups"));
    assert_int_equal(l.skips, 1);
    const sr_pattern *p = pattern_of(&l, "APPEAR", 0);
    /* "[:173]": no event from the subject, 173 from the other party to it */
    assert_string_equal(pool(&l, p->code), "---");
    assert_string_equal(pool(&l, p->code2), "173");
    assert_int_equal(p->npost, 2);                 /* BEFORE COURT */
    assert_false(l.ds->pelems[p->elem + 1].adjacent);
    p = pattern_of(&l, "APPEAR", 1);
    assert_int_equal(p->npost, 4);                 /* ARMS SHIPMENT FROM + */
    assert_int_equal(l.ds->pelems[p->elem + 3].kind, SR_PE_TARGET);
    p = pattern_of(&l, "APPEAR", 2);
    assert_string_equal(pool(&l, p->code), "050");
    assert_string_equal(pool(&l, p->code2), "051");
    const sr_verb *v = verb_named(&l, "OFFEND");
    assert_string_equal(pool(&l, v->code), "---");
    assert_string_equal(pool(&l, v->code2), "110");
    unload(&l);
}

static void petrarch_groups(void **state)
{
    (void)state;
    loaded l;
    load(&l, "g.verbpatterns.txt",
         "--- REPORT  [025?] ---\nREPORT\n- * THE FULL  [xxy]\n- * TALKS  [040]\n"
         "--- BROKEN  [12xy] ---\nBREAK\n- * TIES  [160]\n"
         "--- DEFEND   ###\nDEFEND\n");
    assert_true(said("g.verbpatterns.txt:3: pattern code '[xxy]'"));
    assert_true(said("g.verbpatterns.txt:5: verb group code '[12xy] ---' is not a CAMEO event code"));
    assert_true(said("g.verbpatterns.txt:6: verb of the group at line 5"));
    assert_true(said("g.verbpatterns.txt:7: pattern of the group at line 5"));
    assert_true(said("g.verbpatterns.txt:8: no [code]: read as [---]"));
    const sr_verb *v = verb_named(&l, "REPORT");
    assert_string_equal(pool(&l, v->code), "---");
    assert_string_equal(pool(&l, v->query_code), "025");
    assert_int_equal(npatterns_of(&l, "REPORT"), 1);
    assert_null(verb_named(&l, "BREAK"));
    assert_string_equal(pool(&l, verb_named(&l, "DEFEND")->code), "---");
    unload(&l);
}

static bool synset_matches(const loaded *l, const char *set, const char *text)
{
    uint32_t id = SR_NONE;
    for (size_t i = 0; i < l->ds->nsynsets; i++)
        if (strcmp(sr_ds_pool(l->ds, l->ds->synset_name[i]), set) == 0)
            id = (uint32_t)i;
    assert_int_not_equal(id, SR_NONE);
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_text_opts o = { .lex = l->lex, .no_layout = true };
    assert_int_equal(sr_text_analyze(&td, text, strlen(text), &o), SR_OK);
    sr_tokview v[8];
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < td.ntoks && i < 8; i++) {
        size_t fl;
        v[i].id = td.toks[i].id;
        v[i].fold = sr_token_fold(&td, &td.toks[i], &fl);
        v[i].fold_len = (uint32_t)fl;
    }
    size_t len;
    bool ok = sr_ds_synset_at(l->ds, id, v, td.ntoks, 0, &len) && len == td.ntoks;
    sr_textdoc_free(&td);
    return ok;
}

static void petrarch_synonym_plurals(void **state)
{
    (void)state;
    loaded l;
    load(&l, "s.verbpatterns.txt",
         "&CURRENCY\n+DOLLAR\n+PESO_\n+ARMY\n&AUXVERB1_\n+WAS\n"
         "--- GRANT [070] ---\nGRANT\n- * &CURRENCY [071]\n");
    assert_int_equal(l.skips, 0);
    assert_true(synset_matches(&l, "&CURRENCY", "dollars"));
    assert_true(synset_matches(&l, "&CURRENCY", "armies"));
    assert_false(synset_matches(&l, "&CURRENCY", "pesos"));   /* member ends in '_' */
    assert_false(synset_matches(&l, "&AUXVERB1", "wases"));   /* set name ends in '_' */
    unload(&l);
}

static void tabari_sections_and_end_mark(void **state)
{
    (void)state;
    loaded l;
    load(&l, "t.verbs",
         "<TIME>\nTOMORROW [+1]\n- * AND A WEEK [+8]\n</TIME>\n"
         "<NOUN>\nGOATS\n</NOUN>\n"
         "GRANT  [070]\n"
         "~~~~~~\n~~FINISH 15:23 CST Tue 30 Dec 2008\nNOT READ  [010]\n");
    assert_true(said("t.verbs:1: <TIME> section (lines 1-4) not read"));
    assert_true(said("t.verbs:5: <NOUN> section (lines 5-7) not used"));
    assert_true(said("t.verbs:10: lines 10-11 follow the end mark at line 9"));
    assert_int_equal(l.skips, 0);     /* warnings: nothing here is malformed */
    assert_int_equal(l.st.lines_skipped, 9);   /* 4 + 3 + 2 */
    assert_non_null(verb_named(&l, "GRANT"));
    assert_null(verb_named(&l, "NOT READ"));
    unload(&l);
}

static void large_actor_entry(void **state)
{
    (void)state;
    /* 700 synonyms, each with TABARI's endings: far over the old cap of 512
     * phrases an entry could hold */
    size_t cap = 64 * 1024;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = (size_t)snprintf(text, cap, "UNITED_STATES_OF_AMERICA_  [USA]\n");
    for (int i = 0; i < 700; i++)
        n += (size_t)snprintf(text + n, cap - n, "+PLACE%03d_HILLS_\n", i);
    loaded l;
    load(&l, "big.actors", text);
    free(text);
    assert_int_equal(l.skips, 0);
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_actor_code(l.ds, "place699 hills", NULL, code));
    assert_string_equal(code, "USA");
    assert_true(l.st.actor_phrases > 1400);
    unload(&l);
}

static void petrarch_codeless_primaries_share_codes(void **state)
{
    (void)state;
    loaded l;
    load(&l, "p.actors.txt",
         "KIM_JONG_UN\nKIM_JONG-UN\n+KIM_CHONG_UN\n\t[PRKGOV >20111217]\n"
         "NOCODE_AT_END\n");
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_actor_code(l.ds, "Kim Jong Un", "2015-01-01", code));
    assert_string_equal(code, "PRKGOV");
    assert_true(sr_dictset_actor_code(l.ds, "Kim Chong Un", "2015-01-01", code));
    assert_true(said("p.actors.txt:5: actor 'NOCODE_AT_END' has no code"));
    assert_int_equal(l.skips, 1);
    unload(&l);
}

static void agents_repairs(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a.agents.txt", "DEPARMENT_OF_ENVIRONMENT [~ENV}\nISLAMIC_EXTREMIST\n");
    assert_true(said("a.agents.txt:1: agent code '[~ENV}' closed by '}'"));
    assert_true(said("a.agents.txt:2: agent 'ISLAMIC_EXTREMIST' has no [~CODE]"));
    char code[SR_DICT_MAX_CODE + 1];
    assert_true(sr_dictset_agent_code(l.ds, "deparment of environment", code));
    assert_string_equal(code, "~ENV");
    unload(&l);
}

static bool issue_matches(const loaded *l, const char *text)
{
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_text_opts o = { .lex = l->lex, .no_layout = true };
    assert_int_equal(sr_text_analyze(&td, text, strlen(text), &o), SR_OK);
    sr_tokview v[8];
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < td.ntoks && i < 8; i++) {
        size_t fl;
        v[i].id = td.toks[i].id;
        v[i].fold = sr_token_fold(&td, &td.toks[i], &fl);
        v[i].fold_len = (uint32_t)fl;
    }
    size_t len;
    bool ok = sr_ds_longest(l->ds, &l->ds->issues, v, td.ntoks, 0, &len) != SR_NONE &&
              len == td.ntoks;
    sr_textdoc_free(&td);
    return ok;
}

static void issue_forms(void **state)
{
    (void)state;
    loaded l;
    load(&l, "IssueCoding.txt",
         "<ISSUE CATEGORY=\"FOOD\">\nv:farm [AGRICULTURE]\nn:famine\n"
         "denial+of+service [CYBER]\nsolar+v:power [ENERGY]\n</ISSUE>\n");
    assert_int_equal(l.skips, 0);
    assert_true(issue_matches(&l, "farmed"));
    assert_true(issue_matches(&l, "farming"));
    assert_true(issue_matches(&l, "famines"));
    assert_true(issue_matches(&l, "denial-of-service"));
    assert_true(issue_matches(&l, "denial of service"));
    assert_true(issue_matches(&l, "solar powered"));
    assert_true(issue_matches(&l, "solar-power"));
    assert_false(issue_matches(&l, "v:farm"));
    unload(&l);
}

static void word_list(void **state)
{
    (void)state;
    loaded l;
    load(&l, "Phoenix.prepositions.txt", "about\nabove\napropos \nnot two\n");
    assert_int_equal(l.st.words, 3);
    assert_true(said("Phoenix.prepositions.txt:4: a word list holds one word a line"));
    unload(&l);
}

static void options_every_command(void **state)
{
    (void)state;
    loaded l;
    load(&l, "o.options",
         "COMPLEX: VERBS[6] ACTORS[7] CONJ[4] NOACTPRIOR EXPLAIN\n"
         "FORWARD: ^********^*** OFF\nOUTPUT: ID STORY SENT\n"
         "// comment\n"
         "SET: CODE BY SENTENCE\nSET: MINIMUM WORDS = 8\nSET: CHECK DOMINANT=FALSE\n"
         "SET: VERB USAGE = TRUE\nSET: CONVERT AGENT = TRUE\n"
         "DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER\n"
         "COMMA: MIN = 2 MAX = 10 EMIN = 3 EMAX = 6 BMIN = 255 BMAX = 0\n"
         "LABEL: 010= Make statement\nLABEL: 044= Meet at a third location\n"
         "SET: NO SUCH THING = TRUE\nISSUES: econ.issues\nCOMPLEX: VERBS[x]\n"
         "~~~~~\nLABEL: 999=after the end\n");
    const sr_dict_options *o = sr_dictset_options(l.ds);
    assert_int_equal(o->complex_verbs, 6);
    assert_int_equal(o->complex_actors, 7);
    assert_int_equal(o->complex_conj, 4);
    assert_true(o->complex_noactprior && o->complex_explain);
    assert_true(o->code_by_sentence);
    assert_int_equal(o->minimum_words, 8);
    assert_false(o->check_dominant);
    assert_true(o->convert_agent);
    assert_string_equal(o->default_source, "DEFSRC");
    assert_string_equal(o->default_target, "DEFTAR");
    assert_true(o->default_source_prior && o->default_target_after);
    assert_true(o->comma_on);
    assert_int_equal(o->comma_emax, 6);
    assert_int_equal(o->comma_bmin, 255);
    assert_true(o->first_verb_only);
    assert_string_equal(sr_dictset_label(l.ds, "010"), "Make statement");
    assert_null(sr_dictset_label(l.ds, "999"));
    assert_int_equal(l.st.labels, 2);
    assert_int_equal(l.st.option_lines, 12);
    assert_true(said("o.options:14: unknown SET: option 'NO SUCH THING'"));
    assert_true(said("o.options:15: unknown .options command 'ISSUES:'"));
    assert_true(said("o.options:16: COMPLEX: 'VERBS[x]' needs a number"));
    assert_int_equal(l.skips, 3);
    /* one line at a time, as a suite's "{ OPTION: ... }" record gives it */
    assert_int_equal(sr_dictset_option_line(l.ds, "COMPLEX: VERBS[5] CONJ[4] EXPLAIN", "v", 3),
                     SR_OK);
    assert_false(o->complex_noactprior);
    assert_int_equal(o->complex_actors, 0);
    assert_int_equal(sr_dictset_option_line(l.ds, "DEFAULT: OFF", "v", 4), SR_OK);
    assert_string_equal(o->default_source, "");
    assert_int_equal(sr_dictset_option_line(l.ds, "SET: CODE ALL", "v", 5), SR_OK);
    assert_true(o->code_all && !o->code_by_sentence);
    assert_int_equal(sr_dictset_option_line(l.ds, "COMMA: OFF", "v", 6), SR_OK);
    assert_false(o->comma_on);
    assert_int_equal(sr_dictset_option_line(l.ds, "FROB: 1", "v", 7), SR_EFORMAT);
    assert_true(said("v:7: unknown .options command 'FROB:'"));
    unload(&l);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sitrep-dict-syntax-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    sr_set_diag_sink(capture, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sr_set_diag_sink(NULL, NULL);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tabari_code_marks),
        cmocka_unit_test(rejected_verb_takes_its_patterns_along),
        cmocka_unit_test(repairs_are_loaded_and_reported),
        cmocka_unit_test(petrarch2_codes_and_phrase_groups),
        cmocka_unit_test(petrarch_groups),
        cmocka_unit_test(petrarch_synonym_plurals),
        cmocka_unit_test(tabari_sections_and_end_mark),
        cmocka_unit_test(large_actor_entry),
        cmocka_unit_test(petrarch_codeless_primaries_share_codes),
        cmocka_unit_test(agents_repairs),
        cmocka_unit_test(issue_forms),
        cmocka_unit_test(word_list),
        cmocka_unit_test(options_every_command),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
