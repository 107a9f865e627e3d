/*
 * sitrep/eval.h - scoring the coder against events coded by people.
 *
 * Three kinds of gold are read, each coded by the same sr_code_doc() that
 * ingest uses, and scored by one scorer:
 *
 *   PLOVER    a JSON array of records (the OEDA PLOVER gold standard): "text",
 *             "event" (PLOVER category), "source" and "target" (lists of
 *             {"code", "sector", "actorText"}).  Coded with the dictionaries
 *             the caller loaded (the shipped set), no date restriction.
 *   TABARI    Validate.text: "DATE ID" + text + a comment holding the
 *             expected events "{ SRC / TGT / CODE }"; dictionaries from the
 *             .project file beside it.
 *   PETRARCH  PETR.UnitTest.records.xml: <Sentence> with <EventCoding>
 *             expectations; dictionaries from its <Environment>.
 *
 * Levels (precision, recall, F1 over the records scored):
 *   sentence  the record has an event (gold) / the coder found one
 *   event     PLOVER category + source root + target root, the roots being
 *             the first three letters of each actor code; every gold
 *             source x target pair is one item.  A gold record with no
 *             target (or no source) matches on the side it names.
 *   category  PLOVER category alone (a set per record)
 *   pair      source root + target root alone
 *   extras    coder items matching no gold item at the event level, per record
 *   mutual    A->B and B->A with the same CAMEO code, where the code is not
 *             mutual by nature (sr_cameo_is_mutual)
 * The suites are also scored as TABARI and PETRARCH score them: an expected
 * event is "correct" when the coder produced exactly that SOURCE/TARGET/CODE
 * (a multiset match per record); the rest are "uncoded"; produced events
 * nobody expected are "extra".
 *
 * CAMEO codes become PLOVER categories through the codebook the dictionaries
 * carry (CAMEO2PLOVER 2021, PLOVER 0.8).  The PLOVER gold standard is older
 * (0.5b1): the categories 0.8 merged are compared as merged, DEMAND as
 * REQUEST, DISAPPROVE and INVESTIGATE as ACCUSE, FIGHT as ASSAULT.  A mention
 * marked negated is not its event and is never counted; CAMEO 01 and 02
 * (statements, appeals) have no PLOVER category and are not events here.
 *
 * Ownership: sr_eval_run() owns everything it loads and frees it before
 * returning; the result is plain counts.  The report goes to cfg->out.
 *
 * Errors: SR_EIO (the gold file or a dictionary it names cannot be read),
 * SR_EFORMAT (not a gold file of the kind asked for), SR_ENOMEM.  On error
 * res->error holds one line saying what went wrong.  A record that cannot be
 * coded is reported with sr_skip() and the run goes on.
 */
#ifndef SITREP_EVAL_H
#define SITREP_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sitrep/base.h"

typedef struct sr_dictset sr_dictset;
typedef struct sr_lexicon sr_lexicon;

typedef enum sr_eval_kind {
    SR_EVAL_AUTO = 0,      /* from the file: .json PLOVER, XML PETRARCH, else TABARI */
    SR_EVAL_PLOVER,
    SR_EVAL_TABARI,
    SR_EVAL_PETRARCH,
} sr_eval_kind;

typedef struct sr_prf {
    size_t tp, fp, fn;
} sr_prf;

double sr_prf_precision(const sr_prf *p);
double sr_prf_recall(const sr_prf *p);
double sr_prf_f1(const sr_prf *p);

typedef struct sr_eval_levels {
    size_t records;
    sr_prf sentence, event, category, pair;
    size_t extras;        /* event-level coder items matching no gold item */
    size_t mutual;        /* A->B + B->A pairs on a directional code */
} sr_eval_levels;

/* One coded or expected event as the scorer sees it.  category is a PLOVER
 * category (static or codebook string) or NULL when the code has none. */
typedef struct sr_eval_item {
    char src[32], tgt[32];    /* actor codes; "" when the side is not named */
    char cameo[8];            /* "" for PLOVER gold */
    const char *category;
} sr_eval_item;

/* Score one record: gold[0..ng) against sys[0..ns) (coder items, negated ones
 * already left out).  Adds to lv.  sys_extra, when not NULL, gets for each
 * coder item whether it matched no gold item at the event level. */
void sr_eval_score(sr_eval_levels *lv, const sr_eval_item *gold, size_t ng,
                   const sr_eval_item *sys, size_t ns, bool *sys_extra);

/* The category the scorer compares for a gold PLOVER category (the 0.5 to
 * 0.8 merges above); any other string is returned as it is. */
const char *sr_eval_plover_category(const char *gold);

/* The root the scorer compares for a country root written another way:
 * the PLOVER gold writes Italy ITL, Japan JAP and Vietnam VTN, and East
 * Timor by its ISO code TLS where the CAMEO dictionaries keep the old TMP.
 * Returns the ISO root for those ("ITA", "JPN", "VNM", "TLS"), else NULL. */
const char *sr_eval_country_alias(const char *root3);

typedef struct sr_eval_config {
    const char *dict_dir;     /* the shipped dictionaries (cameo/codebook.tsv
                                 inside); PLOVER codes with these */
    char **extra_dicts;       /* PLOVER: more files or folders to load */
    size_t nextra;
    bool quiet;               /* counts only, no per-record failures */
    bool verbose;             /* failures with their text */
    bool no_tags;             /* PLOVER: code without the part-of-speech model */
    bool no_places;           /* PLOVER: without the geo stage, which gives an
                                 actor with no country ("---REB") the country
                                 of the place the sentence names, as ingest does */
    FILE *out;                /* the report; NULL: stdout */
} sr_eval_config;

typedef struct sr_eval_result {
    sr_eval_kind kind;
    sr_eval_levels lv;
    /* TABARI/PETRARCH exact counts over the standard records */
    size_t records, expected, correct, uncoded, extra;
    char error[256];
} sr_eval_result;

sr_err sr_eval_run(const char *path, sr_eval_kind kind, const sr_eval_config *cfg,
                   sr_eval_result *res);

#endif
