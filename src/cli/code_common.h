/*
 * code_common.h - what `sitrep code` and `sitrep actors` share: loading the
 * dictionaries named on the command line (or the shipped ones) and running
 * text analysis + coding over every document of the inputs.
 */
#ifndef SITREP_CLI_CODE_COMMON_H
#define SITREP_CLI_CODE_COMMON_H

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "sitrep/syntax.h"
#include "sitrep/doc.h"
#include "sitrep/geo.h"
#include "sitrep/text.h"

typedef struct code_env {
    sr_lexicon *lex;
    sr_dictset *ds;
    void *codebook;          /* sr_codebook *, when one was found */
    sr_coder *coder;
    sr_tagger *tagger;       /* the shipped part-of-speech model, if found */
    sr_textdoc td;
    sr_mentions ms;
    /* places (code_env_open_geo): env->geos[i] are env->ms.v[i]'s places */
    sr_geo *geo;
    sr_geoparser *gp;
    sr_event_geo *geos;
    size_t capgeos;
} code_env;

/* Load each of dicts[0..n) (a folder or a single file), or the default
 * folder when n == 0; freeze.  Returns a CLI exit code (0 on success). */
int  code_env_open(code_env *env, const char *cmd, char **dicts, size_t n);
void code_env_close(code_env *env);

/* Load the gazetteer (dir, or NULL for the shipped dict/geo) so that
 * code_env_doc also places every mention (sitrep/geo.h).  Returns a CLI
 * exit code. */
int  code_env_open_geo(code_env *env, const char *dir);

/* Analyse and code one document; env->td and env->ms hold the result
 * (and env->geos the mentions' places, when the gazetteer is loaded). */
sr_err code_env_doc(code_env *env, const sr_doc *doc, const char *date);

#endif
