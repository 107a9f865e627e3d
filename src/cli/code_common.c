/*
 * code_common.c - dictionary loading and per-document coding shared by the
 * `code` and `actors` commands.
 */
#include "cli/code_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#if __has_include("sitrep/codebook.h")
#include "sitrep/codebook.h"
#define HAVE_CODEBOOK 1
#endif

static sr_err load_one(sr_dictset *ds, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return SR_EIO;
    if (S_ISDIR(st.st_mode))
        return sr_dictset_load_dir(ds, path);
    return sr_dictset_load_file(ds, path, SR_DICT_AUTO);
}

int code_env_open(code_env *env, const char *cmd, char **dicts, size_t n)
{
    memset(env, 0, sizeof *env);
    env->lex = sr_lexicon_new();
    env->ds = env->lex ? sr_dictset_new(env->lex) : NULL;
    if (!env->ds)
        return cli_fatal("out of memory");
    const char *def = cli_default_dict_dir();
    size_t count = n ? n : 1;
    for (size_t i = 0; i < count; i++) {
        const char *p = n ? dicts[i] : def;
        sr_err e = load_one(env->ds, p);
        if (e == SR_EIO)
            return n ? cli_usage_error(cmd, "cannot read dictionaries '%s'", p)
                     : cli_fatal("cannot read the shipped dictionaries '%s' (set SITREP_DICT)", p);
        if (e != SR_OK)
            return cli_fatal("%s: %s", p, sr_strerror(e));
    }
#ifdef HAVE_CODEBOOK
    {
        /* the codebook ships beside the default dictionaries */
        char path[4096];
        snprintf(path, sizeof path, "%s/cameo/codebook.tsv", def);
        sr_err ce = SR_OK;
        sr_codebook *cb = sr_codebook_load(path, &ce);
        if (cb) {
            env->codebook = cb;
            sr_dictset_set_codebook(env->ds, cb);
        }
    }
#endif
    if (sr_dictset_freeze(env->ds) != SR_OK)
        return cli_fatal("out of memory");
    env->coder = sr_coder_new(env->ds);
    if (!env->coder)
        return cli_fatal("out of memory");
    {
        /* the part-of-speech model ships beside the default dictionaries */
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", def, SR_TAGGER_MODEL_FILE);
        sr_err te = SR_OK;
        sr_tagger_err tmsg = {{0}};
        env->tagger = sr_tagger_load_ex(path, &te, &tmsg);
        if (!env->tagger && te != SR_EIO)
            sr_warn(path, NULL, "part-of-speech model not used: %s", tmsg.msg);
        if (env->tagger && sr_coder_set_tagger(env->coder, env->tagger) != SR_OK)
            return cli_fatal("out of memory");
    }
    return 0;
}

int code_env_open_geo(code_env *env, const char *dir)
{
    char path[4096];
    if (!dir) {
        snprintf(path, sizeof path, "%s/geo", cli_default_dict_dir());
        dir = path;
    }
    sr_err e = sr_geo_load_dir(dir, &env->geo);
    if (e == SR_ENOMEM)
        return cli_fatal("out of memory");
    if (e != SR_OK)
        return cli_fatal("cannot load the gazetteer in '%s': %s", dir, sr_strerror(e));
    env->gp = sr_geoparser_new(env->geo, env->ds);
    return env->gp ? 0 : cli_fatal("out of memory");
}

void code_env_close(code_env *env)
{
    sr_geoparser_free(env->gp);
    sr_geo_free(env->geo);
    free(env->geos);
    sr_mentions_free(&env->ms);
    sr_textdoc_free(&env->td);
    sr_coder_free(env->coder);
    sr_tagger_free(env->tagger);
    sr_dictset_free(env->ds);
#ifdef HAVE_CODEBOOK
    sr_codebook_free(env->codebook);
#endif
    sr_lexicon_free(env->lex);
    memset(env, 0, sizeof *env);
}

sr_err code_env_doc(code_env *env, const sr_doc *doc, const char *date)
{
    sr_text_opts o = { .lex = env->lex };
    env->ms.n = 0;
    sr_textdoc_clear(&env->td);
    sr_err e = sr_text_analyze(&env->td, doc->text, doc->text_len, &o);
    if (e != SR_OK)
        return e;
    e = sr_code_doc(env->coder, &env->td, date ? date : doc->published, &env->ms);
    if (e != SR_OK || !env->gp)
        return e;
    /* places go on after coding, as a step of their own */
    if (sr_grow((void **)&env->geos, &env->capgeos, env->ms.n + 1, sizeof *env->geos) != SR_OK)
        return SR_ENOMEM;
    return sr_geo_place_mentions(env->gp, &env->td, env->ms.v, env->ms.n, env->geos);
}
