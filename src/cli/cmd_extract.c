/*
 * cmd_extract.c - `sitrep extract`: what ingestion sees in any input.
 *
 * The command is the ingestion stage with a printer: every document found
 * in FILE... (pages, feed entries, WARC records, JSONL lines) is printed as
 * one JSON object per line (--format jsonl) or as a readable block (text).
 * It is the way to check what the coder will be given before coding it,
 * and the end-of-run summary on stderr says how much was read and skipped.
 *
 * Text format (chosen so documents with blank lines inside stay readable
 * and splittable): each document starts with a header line
 *   ==> FILE[:RECORD] <==
 * then "Title: ", "Published: ", "URL: ", "Outlet: ", "Author: ",
 * "Language: " lines for the fields that are known, a blank line, the
 * text, and a blank line.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/doc.h"
#include "sitrep/ingest.h"

typedef struct extract_out {
    sr_out_format format;
    sr_buf line;
    int write_failed;
} extract_out;

static void json_kv(sr_buf *b, const char *key, const char *val, sr_err *e)
{
    if (!*e)
        *e = sr_buf_json_kv(b, key, val);
}

static int print_doc(const sr_doc *d, void *ctx)
{
    extract_out *o = ctx;
    sr_buf *b = &o->line;
    sr_err e = SR_OK;
    sr_buf_reset(b);
    if (o->format == SR_OUT_JSONL) {
        e = sr_buf_puts(b, "{\"path\":");
        if (!e) e = sr_buf_json_str(b, d->path, strlen(d->path));
        json_kv(b, "record", d->record, &e);
        json_kv(b, "url", d->url, &e);
        json_kv(b, "outlet", d->outlet, &e);
        json_kv(b, "published", d->published, &e);
        json_kv(b, "title", d->title, &e);
        json_kv(b, "author", d->author, &e);
        json_kv(b, "lang", d->lang, &e);
        if (!e) e = sr_buf_puts(b, ",\"text\":");
        if (!e) e = sr_buf_json_str(b, d->text, d->text_len);
        if (!e && d->meta_json) {
            /* meta_json is JSON already (written by the readers) */
            e = sr_buf_puts(b, ",\"meta\":");
            if (!e) e = sr_buf_puts(b, d->meta_json);
        }
        if (!e) e = sr_buf_puts(b, "}\n");
    } else {
        e = sr_buf_printf(b, "==> %s%s%s <==\n", d->path, d->record ? ":" : "",
                          d->record ? d->record : "");
        static const char *labels[] = {"Title", "Published", "URL", "Outlet",
                                       "Author", "Language"};
        const char *vals[] = {d->title, d->published, d->url, d->outlet, d->author, d->lang};
        for (size_t i = 0; i < 6 && !e; i++)
            if (vals[i])
                e = sr_buf_printf(b, "%s: %s\n", labels[i], vals[i]);
        if (!e) e = sr_buf_putc(b, '\n');
        if (!e) e = sr_buf_append(b, d->text, d->text_len);
        if (!e) e = sr_buf_puts(b, "\n\n");
    }
    if (e) {
        sr_skip(d->path, d->record, "cannot format the document: %s", sr_strerror(e));
        return e == SR_ENOMEM ? SR_ENOMEM : 0;
    }
    if (fwrite(b->p, 1, b->len, stdout) != b->len) {
        o->write_failed = 1;
        return -1;      /* stop: nobody is reading (or the disk is full) */
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep extract [--format text|jsonl] [--date DATE] [--max-size MIB] FILE...\n"
        "\n"
        "Print the documents found in each FILE: an HTML page (article text and\n"
        "metadata), each entry of an RSS/Atom feed, each HTML record of a WARC\n"
        "archive, each line of a JSON Lines file, or a plain-text report.  Gzip is\n"
        "undone wherever found; directories are walked in sorted order; '-' or no\n"
        "FILE reads standard input.\n"
        "\n"
        "  --format text|jsonl  text (default): a '==> FILE[:RECORD] <==' header,\n"
        "                       field lines, a blank line, the text.  jsonl: one\n"
        "                       object per document with path, record, url, outlet,\n"
        "                       published, title, author, lang, text (null if\n"
        "                       unknown) and meta (other metadata) when present.\n"
        "  --date DATE          published date for documents that carry none\n"
        "  --max-size MIB       cap on one page/record, inflated (default 100)\n"
        "  -q, --quiet          no warnings (skips are still reported)\n"
        "  -h, --help           this help\n"
        "\n"
        "A summary line goes to stderr at the end:\n"
        "  extract: N documents from F files, S records skipped\n"
        "exit status: 0 ok, 1 something was skipped (see stderr), 2 usage, 3 fatal\n");
}

int cmd_extract(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"date", required_argument, NULL, 'd'},
        {"max-size", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    extract_out out = {SR_OUT_TEXT, SR_BUF_INIT(0), 0};
    sr_ingest_stats stats = {0};
    sr_ingest_opts opts = {0};
    char date[21];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:d:m:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': {
            int f = cli_parse_format("extract", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (f < 0)
                return SR_EXIT_USAGE;
            out.format = (sr_out_format)f;
            break;
        }
        case 'd':
            if (!sr_ingest_date(optarg, date))
                return cli_usage_error("extract", "--date '%s' is not a date (use YYYY-MM-DD)", optarg);
            opts.date = date;
            break;
        case 'm': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 1 || v > 4096)
                return cli_usage_error("extract", "--max-size must be 1..4096 (MiB)");
            opts.max_file = (size_t)v << 20;
            break;
        }
        case 'q':
            sr_set_quiet(1);
            break;
        case 'h':
            usage(stdout);
            return SR_EXIT_OK;
        default:
            return cli_usage_error("extract", "unknown option");
        }
    }
    int rc = 0;
    if (optind >= argc) {
        rc = sr_ingest_path_counted("-", &opts, &stats, print_doc, &out);
    } else {
        for (int i = optind; i < argc && rc == 0; i++)
            rc = sr_ingest_path_counted(argv[i], &opts, &stats, print_doc, &out);
    }
    sr_buf_free(&out.line);
    fprintf(stderr, "extract: %zu documents from %zu files, %zu records skipped",
            stats.documents, stats.files, stats.skipped);
    if (stats.warc_records)
        fprintf(stderr, "; %zu WARC records, %zu without a document by design "
                "(warcinfo, request, metadata, revisit, non-HTML, redirects)",
                stats.warc_records, stats.passed_over);
    fputc('\n', stderr);
    if (out.write_failed)   /* a reader that went away (| head) is not a failure */
        return errno == EPIPE ? cli_status() : cli_fatal("writing output: %s", strerror(errno));
    if (rc == SR_ENOMEM)
        return cli_fatal("out of memory");
    return cli_finish_output(cli_status());
}
