/*
 * cmd_code.c - `sitrep code`: text in, CAMEO/PLOVER event mentions out, no
 * store.  Inputs are read with sr_ingest_path (any format ingestion knows);
 * each document is analysed and coded with the shipped dictionaries or the
 * ones named by --dicts (repeatable: later sets extend earlier ones).
 *
 * Formats: text (one readable line per event), jsonl (one object per event,
 * offsets in bytes of the document text), tsv ("SRC TGT CAMEO modality", the
 * compact form golden cases use).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/code_common.h"

typedef struct code_run {
    code_env env;
    int format;
    const char *date;
    sr_buf line;
    sr_buf trace;             /* --explain */
    bool explain;
    bool failed;
} code_run;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep code [--dicts DIR|FILE]... [--date YYYY-MM-DD] [--explain]\n"
        "                   [--format text|jsonl|tsv] FILE...|-\n"
        "\n"
        "Code CAMEO events (with root, QuadClass, Goldstein, PLOVER event and mode,\n"
        "modality and issues) from news text, without a store.\n"
        "\n"
        "  --dicts PATH   dictionary folder or file (repeatable; later ones extend\n"
        "                 earlier ones); default: the shipped dictionaries\n"
        "  --date DATE    document date for date-restricted actor codes (default:\n"
        "                 each document's published date)\n"
        "  --format F     text (default), jsonl (one event per line) or tsv\n"
        "                 (SRC TGT CAMEO modality, for golden tests)\n"
        "  --explain      before each document's events, how the coder read each\n"
        "                 sentence: its actors, verbs, clauses and the events chosen\n");
}

static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static void put_span(sr_buf *b, const char *text, uint32_t s, uint32_t e)
{
    sr_buf_json_str(b, text + s, e - s);
    sr_buf_printf(b, ",\"start\":%u,\"end\":%u", s, e);
}

static void print_jsonl(code_run *r, const sr_doc *doc, const sr_mention *m)
{
    sr_buf *b = &r->line;
    const char *t = doc->text;
    sr_buf_reset(b);
    sr_buf_puts(b, "{\"doc\":");
    if (doc->record) {
        char id[4096];
        snprintf(id, sizeof id, "%s:%s", doc->path, doc->record);
        sr_buf_json_str(b, id, strlen(id));
    } else {
        sr_buf_json_str(b, doc->path, strlen(doc->path));
    }
    sr_buf_printf(b, ",\"sentence\":%u,\"text\":", m->sentence);
    sr_buf tx = SR_BUF_INIT(1 << 16);
    sr_sentence_text(&r->env.td, m->sentence, &tx);
    sr_buf_json_str(b, tx.p ? tx.p : "", tx.len);
    sr_buf_free(&tx);
    sr_buf_puts(b, ",\"source\":{\"code\":");
    sr_buf_json_str(b, m->source.code, strlen(m->source.code));
    sr_buf_puts(b, ",\"text\":");
    put_span(b, t, m->source.start, m->source.end);
    sr_buf_printf(b, ",\"known\":%s}", m->source.known ? "true" : "false");
    if (m->has_target) {
        sr_buf_puts(b, ",\"target\":{\"code\":");
        sr_buf_json_str(b, m->target.code, strlen(m->target.code));
        sr_buf_puts(b, ",\"text\":");
        put_span(b, t, m->target.start, m->target.end);
        sr_buf_printf(b, ",\"known\":%s}", m->target.known ? "true" : "false");
    } else {
        sr_buf_puts(b, ",\"target\":null");
    }
    sr_buf_puts(b, ",\"cameo\":");
    sr_buf_json_str(b, m->cameo, strlen(m->cameo));
    sr_buf_puts(b, ",\"root\":");
    sr_buf_json_str(b, m->root, strlen(m->root));
    sr_buf_printf(b, ",\"quad\":%d,\"goldstein\":%.1f,\"plover\":{\"event\":", m->quad,
                  m->goldstein);
    if (m->plover_event)
        sr_buf_json_str(b, m->plover_event, strlen(m->plover_event));
    else
        sr_buf_puts(b, "null");
    sr_buf_puts(b, ",\"mode\":");
    if (m->plover_mode)
        sr_buf_json_str(b, m->plover_mode, strlen(m->plover_mode));
    else
        sr_buf_puts(b, "null");
    sr_buf_printf(b, "},\"modality\":\"%s\",\"issues\":[", sr_modality_name(m->modality));
    const char *is = m->issues;
    bool first = true;
    while (*is) {
        const char *comma = strchr(is, ',');
        size_t n = comma ? (size_t)(comma - is) : strlen(is);
        if (!first)
            sr_buf_putc(b, ',');
        sr_buf_json_str(b, is, n);
        first = false;
        is += n + (comma ? 1 : 0);
    }
    sr_buf_puts(b, "],\"verb\":{\"text\":");
    put_span(b, t, m->verb_start, m->verb_end);
    sr_buf_puts(b, "}}\n");
    fwrite(b->p, 1, b->len, stdout);
}

static void print_text(code_run *r, const sr_doc *doc, const sr_mention *m)
{
    const char *t = doc->text;
    printf("%s:%u  %s -> %s  %s (root %s, quad %d, goldstein %+.1f%s%s)  %s  [%.*s / %.*s / %.*s]\n",
           doc->path, m->sentence + 1, m->source.code, m->has_target ? m->target.code : "-",
           m->cameo, m->root, m->quad, m->goldstein,
           m->plover_event ? ", " : "", m->plover_event ? m->plover_event : "",
           sr_modality_name(m->modality),
           (int)(m->source.end - m->source.start), t + m->source.start,
           (int)(m->verb_end - m->verb_start), t + m->verb_start,
           m->has_target ? (int)(m->target.end - m->target.start) : 0,
           m->has_target ? t + m->target.start : "");
    (void)r;
}

static int on_doc(const sr_doc *doc, void *ctx)
{
    code_run *r = ctx;
    if (r->explain) {
        sr_buf_reset(&r->trace);
        sr_coder_trace(r->env.coder, &r->trace);
    }
    sr_err e = code_env_doc(&r->env, doc, r->date);
    if (r->explain && r->trace.len)
        fwrite(r->trace.p, 1, r->trace.len, stdout);
    if (e == SR_ENOMEM) {
        r->failed = true;
        return 1;
    }
    if (e != SR_OK) {
        sr_skip(doc->path, doc->record, "cannot analyse: %s", sr_strerror(e));
        return 0;
    }
    for (size_t i = 0; i < r->env.ms.n; i++) {
        const sr_mention *m = &r->env.ms.v[i];
        if (r->format == SR_OUT_JSONL)
            print_jsonl(r, doc, m);
        else if (r->format == SR_OUT_TSV)
            printf("%s\t%s\t%s\t%s\n", m->source.code, m->has_target ? m->target.code : "-",
                   m->cameo, sr_modality_name(m->modality));
        else
            print_text(r, doc, m);
    }
    return 0;
}

int cmd_code(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dicts", required_argument, NULL, 'd'},
        {"date", required_argument, NULL, 'D'},
        {"format", required_argument, NULL, 'f'},
        {"explain", no_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    code_run r;
    memset(&r, 0, sizeof r);
    char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    int status = SR_EXIT_OK, c;
    if (!dicts)
        return cli_fatal("out of memory");
    r.format = SR_OUT_TEXT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:D:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dicts[ndicts++] = optarg;
            break;
        case 'D':
            if (!valid_date(optarg)) {
                status = cli_usage_error("code", "--date wants YYYY-MM-DD, not '%s'", optarg);
                goto out;
            }
            r.date = optarg;
            break;
        case 'f':
            r.format = cli_parse_format("code", optarg,
                (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL) | (1u << SR_OUT_TSV));
            if (r.format < 0) {
                status = SR_EXIT_USAGE;
                goto out;
            }
            break;
        case 'x':
            r.explain = true;
            break;
        case 'h':
            usage(stdout);
            goto out;
        default:
            status = cli_usage_error("code", "unknown option");
            goto out;
        }
    }
    status = code_env_open(&r.env, "code", dicts, ndicts);
    if (status)
        goto out;
    sr_buf_init(&r.line, (size_t)1 << 24);
    sr_buf_init(&r.trace, (size_t)1 << 24);
    sr_ingest_opts io = { 0, r.date };
    if (optind >= argc) {
        sr_ingest_path("-", &io, on_doc, &r);
    } else {
        for (int i = optind; i < argc && !r.failed; i++)
            sr_ingest_path(argv[i], &io, on_doc, &r);
    }
    if (r.failed)
        status = cli_fatal("out of memory");
    else
        status = cli_finish_output(cli_status());
out:
    sr_buf_free(&r.line);
    sr_buf_free(&r.trace);
    code_env_close(&r.env);
    free(dicts);
    return status;
}
