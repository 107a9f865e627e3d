/*
 * cmd_sources.c - `sitrep sources`: what `sitrep watch` follows and how
 * each source is doing: last fetch, HTTP status, documents it gave, pages
 * still pending, errors (why, and how many polls in a row), next poll.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/store_common.h"
#include "sitrep/watch.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep sources [--db PATH] [--format text|jsonl]\n"
        "\n"
        "The sources `sitrep watch` follows, with each one's last fetch (UTC), HTTP\n"
        "status, documents from its last poll and in all, pages still pending,\n"
        "failed polls in a row with the last error, and the next poll.\n"
        "Sources no longer in the SOURCES file are listed last, as inactive.\n"
        "\n"
        "  --db PATH      the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --format F     text (default) or jsonl\n"
        "  -h, --help     this help\n");
}

static void iso(int64_t t, char out[24])
{
    if (t <= 0) {
        snprintf(out, 24, "never");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

typedef struct list_ctx {
    sr_store *st;
    int format;
    sr_buf out;
    size_t n;
    sr_err e;
} list_ctx;

static int on_source(const sr_watch_source_row *r, void *ctx)
{
    list_ctx *lc = ctx;
    int64_t pages[4];
    char last[24], next[24], err_at[24];
    sr_buf *b = &lc->out;
    sr_err e = sr_watch_state_url_counts(lc->st, r->id, pages);
    iso(r->last_fetch, last);
    iso(r->next_poll, next);
    iso(r->last_error_at, err_at);
    lc->n++;
    if (!e && lc->format == SR_OUT_JSONL) {
        e = sr_buf_printf(b, "{\"id\":%lld", (long long)r->id);
        if (!e) e = sr_buf_json_kv(b, "url", r->url);
        if (!e) e = sr_buf_json_kv(b, "name", r->name);
        if (!e) e = sr_buf_printf(b, ",\"active\":%s,\"interval\":%ld", r->active ? "true" : "false",
                                  r->interval);
        if (!e) e = sr_buf_json_kv(b, "kind", r->kind);
        if (!e) e = sr_buf_json_kv(b, "last_fetch", r->last_fetch ? last : NULL);
        if (!e) e = sr_buf_printf(b, ",\"status\":%d,\"new\":%lld,\"documents\":%lld,"
                                     "\"polls\":%lld,\"not_modified\":%lld,\"failures\":%d",
                                  r->last_status, (long long)r->last_new, (long long)r->docs,
                                  (long long)r->polls, (long long)r->not_modified, r->failures);
        if (!e) e = sr_buf_json_kv(b, "last_error", r->last_error);
        if (!e) e = sr_buf_json_kv(b, "last_error_at", r->last_error ? err_at : NULL);
        if (!e) e = sr_buf_json_kv(b, "next_poll", r->next_poll ? next : NULL);
        if (!e) e = sr_buf_printf(b, ",\"pages\":{\"pending\":%lld,\"stored\":%lld,"
                                     "\"feed_text\":%lld,\"failed\":%lld}",
                                  (long long)pages[SR_URL_PENDING], (long long)pages[SR_URL_DONE],
                                  (long long)pages[SR_URL_FEED_TEXT], (long long)pages[SR_URL_FAILED]);
        if (!e) e = sr_buf_json_kv(b, "etag", r->etag);
        if (!e) e = sr_buf_json_kv(b, "last_modified", r->last_modified);
        if (!e) e = sr_buf_puts(b, "}\n");
    } else if (!e) {
        char status[16];
        if (r->last_status)
            snprintf(status, sizeof status, "%d", r->last_status);
        else
            snprintf(status, sizeof status, "%s", r->last_fetch ? "error" : "-");
        e = sr_buf_printf(b, "%s%s%s%s\n", r->name ? r->name : r->url, r->name ? "  " : "",
                          r->name ? r->url : "", r->active ? "" : "  (inactive: not in SOURCES)");
        if (!e) e = sr_buf_printf(b, "  last fetch %-20s  status %-5s  new %-4lld  documents %-6lld"
                                     "  pages pending %lld, feed text %lld, failed %lld\n",
                                  last, status, (long long)r->last_new, (long long)r->docs,
                                  (long long)pages[SR_URL_PENDING],
                                  (long long)pages[SR_URL_FEED_TEXT],
                                  (long long)pages[SR_URL_FAILED]);
        if (!e) e = sr_buf_printf(b, "  next poll  %-20s  every %lds; %lld polls, %lld not modified; "
                                     "errors in a row: %d\n",
                                  r->active ? next : "-", r->interval, (long long)r->polls,
                                  (long long)r->not_modified, r->failures);
        if (!e && r->last_error)
            e = sr_buf_printf(b, "  last error %s: %s\n", err_at, r->last_error);
    }
    lc->e = e;
    if (!e && fwrite(b->p, 1, b->len, stdout) != b->len)
        lc->e = SR_EIO;
    sr_buf_reset(b);
    return lc->e != SR_OK;
}

int cmd_sources(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int format = SR_OUT_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'f':
            format = cli_parse_format("sources", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("sources", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("sources", "no arguments expected, got '%s'", argv[optind]);
    sr_store *st = NULL;
    int status = store_open_read(store_path(db), &st);
    if (status)
        return status;
    list_ctx lc = { st, format, SR_BUF_INIT(1 << 20), 0, SR_OK };
    sr_err e = sr_watch_state_sources(st, on_source, &lc);
    if (e == SR_OK)
        e = lc.e;
    sr_buf_free(&lc.out);
    if (e == SR_EIO && !sr_store_errmsg(st)[0])
        status = cli_finish_output(SR_EXIT_OK);
    else if (e)
        status = cli_fatal("%s", e == SR_EIO ? sr_store_errmsg(st) : sr_strerror(e));
    else if (lc.n == 0 && format == SR_OUT_TEXT)
        fprintf(stderr, "sources: none yet (sitrep watch SOURCES adds them)\n");
    sr_store_close(st);
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
