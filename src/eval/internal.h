/*
 * internal.h - what the evaluation readers (suite.c, plover.c) share with the
 * runner (run.c): one run's dictionaries and coder, coding a record, and the
 * per-category counts the suites report.
 */
#ifndef SITREP_EVAL_INTERNAL_H
#define SITREP_EVAL_INTERNAL_H

#include "sitrep/code.h"
#include "sitrep/codebook.h"
#include "sitrep/dict.h"
#include "sitrep/syntax.h"
#include "sitrep/geo.h"
#include "sitrep/eval.h"
#include "sitrep/text.h"

#define EVAL_MAX_EXPECT 32
#define EVAL_MAX_GOT    64
#define EVAL_MAX_RECORD_TEXT ((size_t)1 << 16)

typedef enum vgroup { VG_STANDARD = 0, VG_DEBUG, VG_OPTION, VG_DISABLED, VG_OTHER, VG_N } vgroup;

typedef struct vcount {
    char name[32];
    vgroup group;
    size_t records, expected, correct, uncoded, extra;
    sr_eval_levels lv;
    sr_buf fails;             /* this category's failed records, one a line */
} vcount;

typedef struct eval_run {
    const sr_eval_config *cfg;
    FILE *out;
    sr_eval_result *res;
    sr_lexicon *lex;
    sr_dictset *ds;
    sr_codebook *cb;
    sr_coder *coder;
    sr_tagger *tagger;
    sr_geo *geo;              /* the gazetteer, when places are used */
    sr_geoparser *gp;
    sr_event_geo *geos;
    size_t capgeos;
    sr_textdoc td;
    sr_mentions ms;
    vcount *cats;
    size_t ncats, catcap;
    vcount groups[VG_N];
    size_t option_records;
    char last_story[64];      /* story id of the previous record ("FRWD-003") */
} eval_run;

/* Set res->error and return e. */
sr_err eval_fail(eval_run *r, sr_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Load the codebook from cfg->dict_dir, freeze the dictionaries, make the
 * coder.  Readers call it once their dictionaries are loaded. */
sr_err eval_finish_dicts(eval_run *r);

/* Analyse text and code it into r->ms (cleared first).  one_sentence: code
 * the record as one sentence, as TABARI and PETRARCH do. */
sr_err eval_code_text(eval_run *r, const char *text, size_t len, bool one_sentence,
                      const char *date);

/* The coder's mentions as scorer items (negated ones left out, duplicates
 * dropped); returns how many were written to out[0..cap). */
size_t eval_items_from_mentions(const eval_run *r, sr_eval_item *out, size_t cap);

vcount *eval_category(eval_run *r, const char *name, vgroup g);

sr_err eval_run_tabari(eval_run *r, const char *file);
sr_err eval_run_petrarch(eval_run *r, const char *file);
sr_err eval_run_plover(eval_run *r, const char *file);

/* Report writers. */
void eval_report_suite(eval_run *r);
void eval_print_levels(FILE *out, const char *label, const sr_eval_levels *lv);

#endif
