/*
 * cmd_places.c - `sitrep places`: the places a store's events happened at,
 * with event counts (a quick check of the geo stage's output), or with
 * --find the place mentions the geoparser finds in documents, no store
 * (what tests/golden/geo scores).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/code_common.h"
#include "cli/store_common.h"
#include "sitrep/store.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep places [--db PATH] [--country ISO] [--format text|tsv|jsonl]\n"
        "       sitrep places --find [--dicts DIR|FILE]... [--geo DIR]\n"
        "                     [--format text|tsv|jsonl] FILE...|-\n"
        "\n"
        "Without --find: the places the store's events happened at (ActionGeo),\n"
        "most events first, with their GDELT type, country and point.\n"
        "With --find: every place mention the geoparser finds in the documents\n"
        "(after coding them, whose actors' countries are context), resolved to a\n"
        "gazetteer entry with a confidence.\n"
        "\n"
        "  --db PATH      the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --country ISO  only places in this country (ISO alpha-3 or alpha-2)\n"
        "  --find         find places in FILEs instead of reading a store\n"
        "  --dicts PATH   dictionaries for coding (repeatable); default: shipped\n"
        "  --geo DIR      gazetteer folder (default: the shipped dict/geo)\n"
        "  --format F     text (default), tsv or jsonl\n");
}

typedef struct find_run {
    code_env env;
    int format;
    bool failed;
    sr_buf line;
} find_run;

static int on_doc(const sr_doc *doc, void *ctx)
{
    find_run *r = ctx;
    sr_err e = code_env_doc(&r->env, doc, NULL);
    if (e == SR_ENOMEM) {
        r->failed = true;
        return 1;
    }
    if (e != SR_OK) {
        sr_skip(doc->path, doc->record, "cannot analyse: %s", sr_strerror(e));
        return 0;
    }
    size_t n;
    const sr_place_mention *pm = sr_geoparser_places(r->env.gp, &n);
    const char *rec = doc->record ? doc->record : "-";
    for (size_t i = 0; i < n; i++) {
        const sr_place_mention *x = &pm[i];
        const sr_place *pl = &x->place;
        int sl = (int)(x->end - x->start);
        const char *surf = doc->text + x->start;
        sr_buf *b = &r->line;
        sr_buf_reset(b);
        if (r->format == SR_OUT_TSV) {
            sr_buf_printf(b, "%s\t%u\t%.*s\t%s\t%d\t%s\t%s\t%.2f\n", rec, x->sentence + 1, sl, surf,
                          sr_place_role_name(x->role), pl->type, pl->iso3, pl->name,
                          pl->confidence);
        } else if (r->format == SR_OUT_JSONL) {
            sr_buf_printf(b, "{\"doc\":");
            sr_buf_json_str(b, doc->path, strlen(doc->path));
            sr_buf_printf(b, ",\"record\":");
            sr_buf_json_str(b, rec, strlen(rec));
            sr_buf_printf(b, ",\"sentence\":%u,\"text\":", x->sentence + 1);
            sr_buf_json_str(b, surf, (size_t)sl);
            sr_buf_printf(b, ",\"start\":%u,\"end\":%u,\"role\":\"%s\",\"type\":%d", x->start,
                          x->end, sr_place_role_name(x->role), pl->type);
            sr_buf_json_kv(b, "name", pl->name);
            sr_buf_json_kv(b, "country", pl->iso3);
            sr_buf_json_kv(b, "fips", pl->fips);
            sr_buf_json_kv(b, "adm1", pl->adm1);
            sr_buf_printf(b, ",\"lat\":%.4f,\"lon\":%.4f", pl->lat, pl->lon);
            sr_buf_json_kv(b, "feature_id", pl->feature_id);
            sr_buf_printf(b, ",\"confidence\":%.2f}\n", pl->confidence);
        } else {
            sr_buf_printf(b, "%s:%s:%u  %.*s  %s  %s (%s, type %d, %.4f %.4f, id %s)  %.2f\n",
                          doc->path, rec, x->sentence + 1, sl, surf, sr_place_role_name(x->role),
                          pl->name, pl->iso3, pl->type, pl->lat, pl->lon, pl->feature_id,
                          pl->confidence);
        }
        fwrite(b->p, 1, b->len, stdout);
    }
    return 0;
}

typedef struct list_run {
    int format;
    sr_buf line;
} list_run;

static int on_place(const sr_store_place *p, void *ctx)
{
    list_run *r = ctx;
    sr_buf *b = &r->line;
    sr_buf_reset(b);
    if (r->format == SR_OUT_TSV) {
        sr_buf_printf(b, "%lld\t%d\t%s\t%s\t%s\t%.4f\t%.4f\t%s\n", (long long)p->events, p->type,
                      p->country, p->adm1, p->name, p->lat, p->lon, p->feature_id);
    } else if (r->format == SR_OUT_JSONL) {
        sr_buf_printf(b, "{\"events\":%lld,\"type\":%d", (long long)p->events, p->type);
        sr_buf_json_kv(b, "name", p->name);
        sr_buf_json_kv(b, "country", p->country);
        sr_buf_json_kv(b, "adm1", p->adm1);
        sr_buf_printf(b, ",\"lat\":%.4f,\"lon\":%.4f", p->lat, p->lon);
        sr_buf_json_kv(b, "feature_id", p->feature_id);
        sr_buf_puts(b, "}\n");
    } else {
        sr_buf_printf(b, "%6lld  %-50s  %s  type %d  %.4f %.4f\n", (long long)p->events, p->name,
                      p->country, p->type, p->lat, p->lon);
    }
    fwrite(b->p, 1, b->len, stdout);
    return 0;
}

int cmd_places(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"country", required_argument, NULL, 'c'},
        {"find", no_argument, NULL, 'f'},
        {"dicts", required_argument, NULL, 'd'},
        {"geo", required_argument, NULL, 'g'},
        {"format", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *country = NULL, *geo = NULL;
    bool find = false;
    int format = SR_OUT_TEXT, c, status = SR_EXIT_OK;
    char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    if (!dicts)
        return cli_fatal("out of memory");
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:c:fd:g:F:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'c': country = optarg; break;
        case 'f': find = true; break;
        case 'd': dicts[ndicts++] = optarg; break;
        case 'g': geo = optarg; break;
        case 'F':
            format = cli_parse_format("places", optarg,
                                      1u << SR_OUT_TEXT | 1u << SR_OUT_TSV | 1u << SR_OUT_JSONL);
            if (format < 0) {
                free(dicts);
                return SR_EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); free(dicts); return SR_EXIT_OK;
        default: free(dicts); return cli_usage_error("places", "unknown option");
        }
    }
    if (!find) {
        free(dicts);
        if (optind < argc)
            return cli_usage_error("places", "FILE arguments need --find");
        sr_store *st = NULL;
        const char *path = store_path(db);
        sr_err e = sr_store_open_readonly(path, &st);
        if (e) {
            status = cli_fatal("%s: %s", path, st ? sr_store_errmsg(st) : sr_strerror(e));
            sr_store_close(st);
            return status;
        }
        list_run r = { format, SR_BUF_INIT(1 << 16) };
        e = sr_store_places(st, country, on_place, &r);
        if (e)
            status = cli_fatal("%s", sr_store_errmsg(st));
        sr_buf_free(&r.line);
        sr_store_close(st);
        return cli_finish_output(status ? status : cli_status());
    }
    find_run r;
    memset(&r, 0, sizeof r);
    r.format = format;
    sr_buf_init(&r.line, 1 << 16);
    status = code_env_open(&r.env, "places", dicts, ndicts);
    if (!status)
        status = code_env_open_geo(&r.env, geo);
    if (!status) {
        if (optind >= argc) {
            sr_ingest_path("-", NULL, on_doc, &r);
        } else {
            for (int i = optind; i < argc && !r.failed; i++)
                sr_ingest_path(argv[i], NULL, on_doc, &r);
        }
        status = r.failed ? cli_fatal("out of memory") : cli_status();
    }
    code_env_close(&r.env);
    sr_buf_free(&r.line);
    free(dicts);
    return cli_finish_output(status);
}
