/*
 * plover.c - the PLOVER gold standard, read for sitrep/eval.h.
 *
 * The file is one JSON array (the OEDA release); each record with a "text"
 * and an "event" other than "DOCUMENT" (the release's own documentation
 * records) is coded as a news report - all its sentences, with the story
 * starting afresh - and scored.  "source" and "target" are lists of actors
 * whose "code" starts with the country or organisation root; anything else
 * in those fields (a missing list, a stray string) means the side is not
 * named.  The record's "date" is a placeholder, so no date is given to the
 * coder: today's codes apply.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "eval/internal.h"

#define PLOVER_MAX_FILE ((size_t)64 << 20)

typedef struct pcat {
    const char *name;         /* the gold category, as the file has it */
    size_t records;
    sr_eval_levels lv;
} pcat;

/* aliased counts gold codes the scorer reads under another country root
 * (sr_eval_country_alias) */
static void actors_of(json_t *list, char out[][32], size_t *n, size_t cap, size_t *aliased)
{
    *n = 0;
    if (!json_is_array(list))
        return;
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a) {
        const char *code = json_string_value(json_object_get(a, "code"));
        if (!code || !*code || *n >= cap)
            continue;
        *aliased += strlen(code) >= 3 && sr_eval_country_alias(code) != NULL;
        snprintf(out[(*n)++], 32, "%s", code);
    }
}

static void fmt_items(sr_buf *b, const sr_eval_item *v, size_t n, const bool *extra)
{
    if (n == 0)
        sr_buf_puts(b, "(none)");
    for (size_t i = 0; i < n; i++) {
        sr_buf_printf(b, "%s%s %s>%s", i ? ", " : "", v[i].category ? v[i].category : "-",
                      v[i].src[0] ? v[i].src : "?", v[i].tgt[0] ? v[i].tgt : "-");
        if (v[i].cameo[0])
            sr_buf_printf(b, " %s", v[i].cameo);
        if (extra && extra[i])
            sr_buf_puts(b, " (extra)");
    }
}

sr_err eval_run_plover(eval_run *r, const char *file)
{
    struct stat st;
    if (stat(file, &st) != 0)
        return eval_fail(r, SR_EIO, "cannot read '%s'", file);
    if ((size_t)st.st_size > PLOVER_MAX_FILE)
        return eval_fail(r, SR_ETOOBIG, "'%s' is larger than the %zu MiB a gold file may be",
                         file, PLOVER_MAX_FILE >> 20);
    json_error_t jerr;
    json_t *root = json_load_file(file, 0, &jerr);
    if (!root)
        return eval_fail(r, SR_EFORMAT, "%s:%d: not JSON: %s", file, jerr.line, jerr.text);
    sr_err e = SR_OK;
    pcat *cats = NULL;
    size_t ncats = 0, catcap = 0, aliased = 0;
    sr_buf fails = SR_BUF_INIT((size_t)16 << 20);
    sr_eval_levels total;
    memset(&total, 0, sizeof total);
    if (!json_is_array(root)) {
        e = eval_fail(r, SR_EFORMAT, "'%s' is not a PLOVER gold file (a JSON array of records)",
                      file);
        goto out;
    }
    size_t idx;
    json_t *rec;
    json_array_foreach(root, idx, rec) {
        const char *text = json_string_value(json_object_get(rec, "text"));
        const char *event = json_string_value(json_object_get(rec, "event"));
        const char *id = json_string_value(json_object_get(rec, "id"));
        char recname[32];
        snprintf(recname, sizeof recname, "%zu", idx + 1);
        if (!event || strcmp(event, "DOCUMENT") == 0)
            continue;
        if (!text) {
            sr_skip(file, id ? id : recname, "record has no text");
            continue;
        }
        char src[16][32], tgt[16][32];
        size_t ns, nt;
        actors_of(json_object_get(rec, "source"), src, &ns, 16, &aliased);
        actors_of(json_object_get(rec, "target"), tgt, &nt, 16, &aliased);
        sr_eval_item gold[256];
        size_t ng = 0;
        const char *cat = sr_eval_plover_category(event);
        for (size_t i = 0; i < (ns ? ns : 1); i++)
            for (size_t j = 0; j < (nt ? nt : 1); j++) {
                sr_eval_item *g = &gold[ng++];
                memset(g, 0, sizeof *g);
                snprintf(g->src, sizeof g->src, "%s", ns ? src[i] : "");
                snprintf(g->tgt, sizeof g->tgt, "%s", nt ? tgt[j] : "");
                g->category = cat;
            }
        e = eval_code_text(r, text, strlen(text), false, NULL);
        if (e == SR_ENOMEM) {
            eval_fail(r, e, "out of memory");
            goto out;
        }
        if (e != SR_OK) {
            sr_skip(file, id ? id : recname, "cannot code record: %s", sr_strerror(e));
            e = SR_OK;
            continue;
        }
        sr_eval_item sys[EVAL_MAX_GOT];
        bool extra[EVAL_MAX_GOT];
        size_t nsys = eval_items_from_mentions(r, sys, EVAL_MAX_GOT);
        sr_eval_levels one;
        memset(&one, 0, sizeof one);
        sr_eval_score(&one, gold, ng, sys, nsys, extra);
        sr_eval_score(&total, gold, ng, sys, nsys, NULL);
        pcat *pc = NULL;
        for (size_t i = 0; i < ncats && !pc; i++)
            if (strcmp(cats[i].name, event) == 0)
                pc = &cats[i];
        if (!pc) {
            if (sr_grow((void **)&cats, &catcap, ncats + 1, sizeof *cats)) {
                e = eval_fail(r, SR_ENOMEM, "out of memory");
                goto out;
            }
            pc = &cats[ncats++];
            memset(pc, 0, sizeof *pc);
            pc->name = event;
        }
        pc->records++;
        sr_eval_score(&pc->lv, gold, ng, sys, nsys, NULL);
        if (!r->cfg->quiet && (one.event.fn || one.event.fp)) {
            sr_buf_printf(&fails, "%s %s: gold ", one.event.fn ? "MISS" : "EXTRA",
                          id ? id : recname);
            fmt_items(&fails, gold, ng, NULL);
            sr_buf_puts(&fails, "; got ");
            fmt_items(&fails, sys, nsys, extra);
            sr_buf_putc(&fails, '\n');
            if (r->cfg->verbose) {
                sr_buf_puts(&fails, "    ");
                for (const char *p = text; *p; p++)
                    sr_buf_putc(&fails, *p == '\n' || *p == '\r' ? ' ' : *p);
                sr_buf_putc(&fails, '\n');
            }
        }
    }
    FILE *out = r->out;
    fprintf(out, "== PLOVER gold by category (category + actor roots)\n");
    fprintf(out, "  %-12s %7s %9s %6s %6s %6s\n", "category", "records", "precision", "recall",
            "F1", "extra");
    for (size_t i = 0; i < ncats; i++)
        fprintf(out, "  %-12s %7zu %9.3f %6.3f %6.3f %6zu\n", cats[i].name, cats[i].records,
                sr_prf_precision(&cats[i].lv.event), sr_prf_recall(&cats[i].lv.event),
                sr_prf_f1(&cats[i].lv.event), cats[i].lv.extras);
    if (fails.len) {
        fprintf(out, "== records not coded as the gold has them\n");
        fputs(fails.p, out);
    }
    eval_print_levels(out, "total", &total);
    if (aliased)
        fprintf(out, "  gold roots ITL, JAP, VTN read as ITA, JPN, VNM: %zu (and the dictionaries'"
                     " TMP, East Timor, as its ISO code TLS)\n",
                aliased);
    r->res->lv = total;
out:
    sr_buf_free(&fails);
    free(cats);
    json_decref(root);
    return e;
}
