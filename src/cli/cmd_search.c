/*
 * cmd_search.c - `sitrep search QUERY`: full-text search (SQLite FTS5) over
 * the stored documents, each hit with its story and events.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_common.h"

typedef struct search_out {
    int format;
    sr_buf line;
    size_t n;
    int err;                  /* errno of a failed write, else 0 */
} search_out;

static int on_hit(const sr_search_hit *h, void *ctx)
{
    search_out *o = ctx;
    sr_buf *b = &o->line;
    sr_buf_reset(b);
    o->n++;
    if (o->format == SR_OUT_JSONL) {
        sr_buf_printf(b, "{\"document\":%lld,\"story\":%lld", (long long)h->doc_id, (long long)h->story);
        sr_buf_json_kv(b, "title", h->title);
        sr_buf_json_kv(b, "outlet", h->outlet);
        sr_buf_json_kv(b, "published", h->published);
        sr_buf_json_kv(b, "url", h->url);
        sr_buf_json_kv(b, "snippet", h->snippet);
        sr_buf_printf(b, ",\"events\":%lld", (long long)h->events);
        sr_buf_json_kv(b, "event_codes", h->event_codes);
        sr_buf_puts(b, "}\n");
    } else {
        /* a snippet is one line here */
        char snip[1024];
        snprintf(snip, sizeof snip, "%s", h->snippet ? h->snippet : "");
        for (char *p = snip; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        sr_buf_printf(b, "doc %lld  story %lld  %s  [%s%s%s]\n    %s\n    events: %lld%s%s\n",
                      (long long)h->doc_id, (long long)h->story, h->title ? h->title : "(no title)",
                      h->outlet ? h->outlet : "", h->published ? ", " : "",
                      h->published ? h->published : "", snip,
                      (long long)h->events, *h->event_codes ? "  " : "", h->event_codes);
    }
    if (fwrite(b->p, 1, b->len, stdout) != b->len) {
        o->err = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep search [--db PATH] [--limit N] [--format text|jsonl] QUERY...\n"
        "\n"
        "Full-text search over stored documents (SQLite FTS5 syntax: words, \"a\n"
        "phrase\", AND/OR/NOT, NEAR(...), prefix*).  Each hit shows its story and\n"
        "events.  The work is bounded: repeated words count once, a query may have\n"
        "at most 64 terms, and a search stops after 5 seconds.\n"
        "\n"
        "  --db PATH      the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --limit N      at most N hits, best first (default 20, 1..100000)\n"
        "  --format F     text (default) or jsonl (one hit per line: document,\n"
        "                 story, title, outlet, published, url, snippet, events,\n"
        "                 event_codes)\n"
        "  -h, --help     this help\n");
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"limit", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    search_out o = { SR_OUT_TEXT, SR_BUF_INIT(1 << 20), 0, 0 };
    int limit = 20, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:n:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'n': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 1 || v > 100000)
                return cli_usage_error("search", "--limit must be 1..100000");
            limit = (int)v;
            break;
        }
        case 'f':
            o.format = cli_parse_format("search", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (o.format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("search", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("search", "what to search for? give QUERY");
    sr_buf q = SR_BUF_INIT(1 << 16);
    for (int i = optind; i < argc; i++) {
        if (q.len)
            sr_buf_putc(&q, ' ');
        if (sr_buf_puts(&q, argv[i]) != SR_OK) {
            sr_buf_free(&q);
            return cli_usage_error("search", "query too long");
        }
    }
    sr_store *st;
    int status = store_open_read(store_path(db), &st);
    if (status) {
        sr_buf_free(&q);
        return status;
    }
    sr_err e = sr_store_search(st, q.p, limit, on_hit, &o);
    if (e == SR_EPARSE)
        status = cli_usage_error("search", "cannot parse the query '%.200s%s'", q.p,
                                 q.len > 200 ? "..." : "");
    else if (e == SR_ETOOBIG)
        status = cli_usage_error("search", "%s", sr_store_errmsg(st));
    else if (e == SR_EINVAL)
        status = cli_fatal("search: %s", sr_store_errmsg(st));
    else if (e)
        status = cli_fatal("search: %s", sr_store_errmsg(st));
    else if (o.format == SR_OUT_TEXT)
        fprintf(stderr, "search: %zu hits\n", o.n);
    sr_buf_free(&q);
    sr_buf_free(&o.line);
    sr_store_close(st);
    if (o.err)   /* a reader that went away (| head) is not a failure */
        return o.err == EPIPE ? SR_EXIT_OK : cli_fatal("writing output: %s", strerror(o.err));
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
