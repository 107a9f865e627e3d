/*
 * run.c - one evaluation run (sitrep/eval.h): which reader, the dictionaries
 * and coder it codes with, and the lines every report shares.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "eval/internal.h"

sr_err eval_fail(eval_run *r, sr_err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->res->error, sizeof r->res->error, fmt, ap);
    va_end(ap);
    return e;
}

sr_err eval_finish_dicts(eval_run *r)
{
    if (r->cfg->dict_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/cameo/codebook.tsv", r->cfg->dict_dir);
        sr_err ce = SR_OK;
        r->cb = sr_codebook_load(path, &ce);
        if (r->cb)
            sr_dictset_set_codebook(r->ds, r->cb);
    }
    if (sr_dictset_freeze(r->ds) != SR_OK)
        return eval_fail(r, SR_ENOMEM, "out of memory");
    r->coder = sr_coder_new(r->ds);
    if (!r->coder)
        return eval_fail(r, SR_ENOMEM, "out of memory");
    return SR_OK;
}

sr_err eval_code_text(eval_run *r, const char *text, size_t len, bool one_sentence,
                      const char *date)
{
    sr_text_opts o = { .lex = r->lex };
    sr_textdoc_clear(&r->td);
    r->ms.n = 0;
    sr_err e = sr_text_analyze(&r->td, text, len, &o);
    if (e != SR_OK)
        return e;
    if (one_sentence && r->td.nsents > 1) {
        sr_sentence *s = &r->td.sents[0];
        s->tok_count = (uint32_t)r->td.ntoks - s->tok_first;
        s->end = r->td.sents[r->td.nsents - 1].end;
        r->td.nsents = 1;
    }
    e = sr_code_doc(r->coder, &r->td, date, &r->ms);
    if (e != SR_OK || !r->gp || !r->ms.n)
        return e;
    if (sr_grow((void **)&r->geos, &r->capgeos, r->ms.n, sizeof *r->geos))
        return SR_ENOMEM;
    return sr_geo_place_mentions(r->gp, &r->td, r->ms.v, r->ms.n, r->geos);
}

size_t eval_items_from_mentions(const eval_run *r, sr_eval_item *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ms.n && n < cap; i++) {
        const sr_mention *m = &r->ms.v[i];
        if (m->modality == SR_MOD_NEGATED)
            continue;   /* a negated event is not the event */
        sr_eval_item it;
        memset(&it, 0, sizeof it);
        snprintf(it.src, sizeof it.src, "%s", m->source.code);
        snprintf(it.tgt, sizeof it.tgt, "%s", m->has_target ? m->target.code : "");
        snprintf(it.cameo, sizeof it.cameo, "%.7s", m->cameo);
        it.category = m->plover_event;
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(out[k].src, it.src) == 0 && strcmp(out[k].tgt, it.tgt) == 0 &&
                  strcmp(out[k].cameo, it.cameo) == 0;
        if (!dup)
            out[n++] = it;
    }
    return n;
}

vcount *eval_category(eval_run *r, const char *name, vgroup g)
{
    for (size_t i = 0; i < r->ncats; i++)
        if (r->cats[i].group == g && strcmp(r->cats[i].name, name) == 0)
            return &r->cats[i];
    if (sr_grow((void **)&r->cats, &r->catcap, r->ncats + 1, sizeof *r->cats))
        return NULL;
    vcount *c = &r->cats[r->ncats++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->group = g;
    sr_buf_init(&c->fails, (size_t)16 << 20);
    return c;
}

void eval_print_levels(FILE *out, const char *label, const sr_eval_levels *lv)
{
    const struct { const char *name; const sr_prf *p; } rows[] = {
        {"sentence has an event", &lv->sentence},
        {"category + actor roots", &lv->event},
        {"category only", &lv->category},
        {"actor roots only", &lv->pair},
    };
    fprintf(out, "%s: records=%zu\n", label, lv->records);
    fprintf(out, "  %-24s %9s %6s %6s %6s %6s %6s\n", "level", "precision", "recall", "F1",
            "tp", "fp", "fn");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fprintf(out, "  %-24s %9.3f %6.3f %6.3f %6zu %6zu %6zu\n", rows[i].name,
                sr_prf_precision(rows[i].p), sr_prf_recall(rows[i].p), sr_prf_f1(rows[i].p),
                rows[i].p->tp, rows[i].p->fp, rows[i].p->fn);
    fprintf(out, "  extras per record: %.3f (%zu coded events matching no gold event)\n",
            lv->records ? (double)lv->extras / (double)lv->records : 0.0, lv->extras);
    fprintf(out, "  mutual pairs on directional codes: %zu\n", lv->mutual);
}

static sr_eval_kind sniff(const char *path)
{
    size_t n = strlen(path);
    if (n >= 5 && strcasecmp(path + n - 5, ".json") == 0)
        return SR_EVAL_PLOVER;
    FILE *f = fopen(path, "rb");
    if (!f)
        return SR_EVAL_TABARI;
    char head[4096];
    size_t k = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[k] = '\0';
    size_t i = 0;
    while (i < k && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        i++;
    if (head[i] == '[' || head[i] == '{')
        return SR_EVAL_PLOVER;
    if (strstr(head, "<Validation") || strstr(head, "<?xml"))
        return SR_EVAL_PETRARCH;
    return SR_EVAL_TABARI;
}

static sr_err load_path(sr_dictset *ds, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return SR_EIO;
    if (S_ISDIR(st.st_mode))
        return sr_dictset_load_dir(ds, path);
    return sr_dictset_load_file(ds, path, SR_DICT_AUTO);
}

sr_err sr_eval_run(const char *path, sr_eval_kind kind, const sr_eval_config *cfg,
                   sr_eval_result *res)
{
    eval_run r;
    memset(&r, 0, sizeof r);
    memset(res, 0, sizeof *res);
    r.cfg = cfg;
    r.res = res;
    r.out = cfg->out ? cfg->out : stdout;
    sr_err e = SR_OK;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        e = eval_fail(&r, SR_EIO, "cannot read '%s'", path);
        goto out;
    }
    if (kind == SR_EVAL_AUTO)
        kind = sniff(path);
    res->kind = kind;
    r.lex = sr_lexicon_new();
    r.ds = r.lex ? sr_dictset_new(r.lex) : NULL;
    if (!r.ds) {
        e = eval_fail(&r, SR_ENOMEM, "out of memory");
        goto out;
    }
    switch (kind) {
    case SR_EVAL_PLOVER:
        if (cfg->dict_dir && (e = load_path(r.ds, cfg->dict_dir)) != SR_OK) {
            eval_fail(&r, e, "cannot load the dictionaries '%s': %s", cfg->dict_dir,
                      sr_strerror(e));
            goto out;
        }
        for (size_t i = 0; i < cfg->nextra; i++)
            if ((e = load_path(r.ds, cfg->extra_dicts[i])) != SR_OK) {
                eval_fail(&r, e, "cannot load the dictionaries '%s': %s", cfg->extra_dicts[i],
                          sr_strerror(e));
                goto out;
            }
        if ((e = eval_finish_dicts(&r)) != SR_OK)
            goto out;
        if (cfg->dict_dir && !cfg->no_tags) {
            char mpath[4096];
            snprintf(mpath, sizeof mpath, "%s/%s", cfg->dict_dir, SR_TAGGER_MODEL_FILE);
            sr_err te = SR_OK;
            r.tagger = sr_tagger_load(mpath, &te);
            if (r.tagger && sr_coder_set_tagger(r.coder, r.tagger) != SR_OK) {
                e = eval_fail(&r, SR_ENOMEM, "out of memory");
                goto out;
            }
        }
        if (cfg->dict_dir && !cfg->no_places) {
            /* the geo stage, as ingest runs it after coding; without a
             * gazetteer the coder's own output is scored */
            char gdir[4096];
            snprintf(gdir, sizeof gdir, "%s/geo", cfg->dict_dir);
            if (sr_geo_load_dir(gdir, &r.geo) == SR_OK && r.geo)
                r.gp = sr_geoparser_new(r.geo, r.ds);
        }
        e = eval_run_plover(&r, path);
        break;
    case SR_EVAL_PETRARCH:
        e = eval_run_petrarch(&r, path);
        if (!e)
            eval_report_suite(&r);
        break;
    default:
        e = eval_run_tabari(&r, path);
        if (!e)
            eval_report_suite(&r);
        break;
    }
out:
    sr_mentions_free(&r.ms);
    sr_textdoc_free(&r.td);
    sr_coder_free(r.coder);
    sr_tagger_free(r.tagger);
    sr_geoparser_free(r.gp);
    sr_geo_free(r.geo);
    free(r.geos);
    sr_dictset_free(r.ds);
    sr_codebook_free(r.cb);
    sr_lexicon_free(r.lex);
    for (size_t i = 0; i < r.ncats; i++)
        sr_buf_free(&r.cats[i].fails);
    free(r.cats);
    return e;
}
