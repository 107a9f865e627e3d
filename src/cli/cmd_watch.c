/*
 * cmd_watch.c - `sitrep watch SOURCES`: follow outlets live (the work is in
 * src/watch/, see sitrep/watch.h); each page is coded and stored through
 * the same ingest_sink as `sitrep ingest`.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/code_common.h"
#include "cli/ingest_sink.h"
#include "cli/store_common.h"
#include "sitrep/watch.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    stop_requested = 1;
    signal(sig, SIG_DFL);    /* a second one kills as usual */
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep watch [--db PATH] [--once] [--warc DIR] [--export DIR]\n"
        "                    [--allow-private[=RANGES]] [options] SOURCES\n"
        "\n"
        "Follow outlets live: poll each feed (RSS, Atom, JSON Feed) or sitemap in\n"
        "SOURCES, fetch every new entry's article page, and code and store it as\n"
        "`sitrep ingest` would.  Runs until stopped (Ctrl-C or TERM finish the\n"
        "current document, commit and exit); a restart resumes where it stopped.\n"
        "\n"
        "SOURCES has one source a line:  URL [NAME...] [INTERVAL]\n"
        "  NAME is the outlet for pages that do not name their site; INTERVAL is\n"
        "  90s, 15m, 2h or 1d (default 15m); '#' starts a comment.\n"
        "\n"
        "  --db PATH           the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --once              one cycle (the sources that are due), then exit: for cron\n"
        "  --warc DIR          also write every response as WARC/1.1 into DIR\n"
        "                      (`sitrep ingest DIR` replays the watch)\n"
        "  --warc-size SIZE    start a new WARC file past SIZE (default 1G)\n"
        "  --export DIR        after each cycle, the events it first saw as GDELT 2.0\n"
        "                      columns and JSONL, listed in DIR/lastupdate.txt\n"
        "  --allow-private[=RANGES]\n"
        "                      fetch from loopback, private and link-local addresses\n"
        "                      (all, or only RANGES: 127.0.0.0/8,::1); refused otherwise\n"
        "  --per-host N        requests in flight per host (default 2)\n"
        "  --delay SECS        between requests to one host (default 1; robots.txt\n"
        "                      Crawl-delay raises it, up to 30)\n"
        "  --timeout SECS      per request (default 60; a transfer slower than 64 B/s\n"
        "                      for a third of it is dropped too)\n"
        "  --max-page SIZE     largest response kept, decoded (default 16M)\n"
        "  --retry-wait SECS   first retry of a 429, 5xx, timeout or reset after SECS,\n"
        "                      then twice that, with jitter; 3 tries a cycle (default 1)\n"
        "  --max-new N         new entries taken per source per poll (default 1000)\n"
        "  --dicts PATH        dictionaries (repeatable); default: the shipped ones\n"
        "  --no-places         do not place events (as `sitrep ingest --no-places`)\n"
        "  -q, --quiet         no warnings, no status line, no summary\n"
        "  -h, --help          this help\n"
        "\n"
        "`sitrep sources` shows each source's last fetch, status, errors and next poll.\n"
        "exit status: 0 ok, 1 something was skipped or it was interrupted, 2 usage\n"
        "error, 3 fatal (store, --warc or --export could not be written)\n");
}

typedef struct watch_cli {
    ingest_sink sink;
    int fatal_status;
} watch_cli;

static int store_doc(const sr_doc *doc, sr_watch_doc_result *res, void *ctx)
{
    watch_cli *wc = ctx;
    ingest_outcome outcome;
    int64_t id = 0;
    sr_err e = ingest_sink_add(&wc->sink, doc, &outcome, &id);
    if (e) {
        wc->fatal_status = e == SR_ENOMEM ? cli_fatal("out of memory")
                                          : cli_fatal("store: %s", sr_store_errmsg(wc->sink.st));
        return 1;
    }
    res->stored = outcome == INGEST_ADDED;
    res->duplicate = outcome == INGEST_DUPLICATE;
    res->doc_id = id;
    return 0;
}

/* "16M", "512K", "1G", "4096" -> bytes; 0 if not a size. */
static size_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return 0;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10, end++;
    else if (*end == 'M' || *end == 'm') shift = 20, end++;
    else if (*end == 'G' || *end == 'g') shift = 30, end++;
    if (*end || v > (1ULL << 40) >> shift)
        return 0;
    return (size_t)(v << shift);
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

int cmd_watch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"once", no_argument, NULL, '1'},
        {"warc", required_argument, NULL, 'w'},
        {"warc-size", required_argument, NULL, 'W'},
        {"export", required_argument, NULL, 'e'},
        {"allow-private", optional_argument, NULL, 'p'},
        {"per-host", required_argument, NULL, 'n'},
        {"delay", required_argument, NULL, 'D'},
        {"timeout", required_argument, NULL, 't'},
        {"max-page", required_argument, NULL, 'P'},
        {"retry-wait", required_argument, NULL, 'R'},
        {"max-new", required_argument, NULL, 'N'},
        {"dicts", required_argument, NULL, 'd'},
        {"no-places", no_argument, NULL, 'G'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sr_watch_opts o = SR_WATCH_OPTS_DEFAULT;
    watch_cli wc;
    code_env env;
    sr_store *st = NULL;
    memset(&wc, 0, sizeof wc);
    memset(&env, 0, sizeof env);
    const char *db = NULL;
    bool quiet = false, no_geo = false;
    char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    int status = SR_EXIT_OK, c;
    double d;
    if (!dicts)
        return cli_fatal("out of memory");
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case '1': o.once = true; break;
        case 'w': o.warc_dir = optarg; break;
        case 'W':
            if (!(o.warc_max = parse_size(optarg)) || o.warc_max < (1u << 16)) {
                status = cli_usage_error("watch", "--warc-size wants a size of 64K or more, not '%s'",
                                         optarg);
                goto out;
            }
            break;
        case 'e': o.export_dir = optarg; break;
        case 'p':
            if (!optarg) {
                o.allow.all = true;
            } else if (sr_addr_allow_parse(optarg, &o.allow) != SR_OK) {
                status = cli_usage_error("watch", "--allow-private wants address ranges like "
                                         "127.0.0.0/8,::1, not '%s'", optarg);
                goto out;
            }
            break;
        case 'n':
            if (!parse_double(optarg, 1, 64, &d) || d != (int)d) {
                status = cli_usage_error("watch", "--per-host wants 1 to 64, not '%s'", optarg);
                goto out;
            }
            o.per_host = (int)d;
            break;
        case 'D':
            if (!parse_double(optarg, 0, 3600, &o.delay)) {
                status = cli_usage_error("watch", "--delay wants seconds (0 to 3600), not '%s'", optarg);
                goto out;
            }
            break;
        case 't':
            if (!parse_double(optarg, 1, 3600, &o.timeout)) {
                status = cli_usage_error("watch", "--timeout wants seconds (1 to 3600), not '%s'",
                                         optarg);
                goto out;
            }
            break;
        case 'R':
            if (!parse_double(optarg, 0.01, 60, &o.retry_wait)) {
                status = cli_usage_error("watch", "--retry-wait wants seconds (0.01 to 60), not '%s'",
                                         optarg);
                goto out;
            }
            break;
        case 'P':
            if (!(o.max_page = parse_size(optarg)) || o.max_page < 1024) {
                status = cli_usage_error("watch", "--max-page wants a size of 1K or more, not '%s'",
                                         optarg);
                goto out;
            }
            break;
        case 'N':
            if (!parse_double(optarg, 1, 1000000, &d) || d != (int)d) {
                status = cli_usage_error("watch", "--max-new wants a count, not '%s'", optarg);
                goto out;
            }
            o.max_new = (int)d;
            break;
        case 'd': dicts[ndicts++] = optarg; break;
        case 'G': no_geo = true; break;
        case 'q': quiet = true; sr_set_quiet(1); break;
        case 'h': usage(stdout); goto out;
        default: status = cli_usage_error("watch", "unknown option"); goto out;
        }
    }
    if (optind != argc - 1) {
        status = cli_usage_error("watch", optind >= argc ? "a SOURCES file is needed"
                                                         : "one SOURCES file, not several");
        goto out;
    }
    if (access(argv[optind], R_OK) != 0) {
        status = cli_usage_error("watch", "cannot read SOURCES '%s': %s", argv[optind],
                                 strerror(errno));
        goto out;
    }
    o.sources_path = argv[optind];
    const char *path = store_path(db);
    /* places as ingest finds them, so a replayed capture gives the same */
    status = code_env_open(&env, "watch", dicts, ndicts, 0);
    if (!status && !no_geo)
        status = code_env_open_geo(&env, NULL);
    if (status)
        goto out;
    sr_err e = sr_store_open(path, &st);
    if (e) {
        status = cli_fatal("%s", st ? sr_store_errmsg(st) : sr_strerror(e));
        goto out;
    }
    ingest_sink_init(&wc.sink, &env, st, NULL);
    o.tty = !quiet && isatty(STDERR_FILENO);
    o.stop = &stop_requested;
    signal(SIGINT, on_stop_signal);
    signal(SIGTERM, on_stop_signal);
    sr_watch_stats stats;
    char err[1024];
    int rc = sr_watch_run(st, &o, store_doc, &wc, &stats, err, sizeof err);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (rc) {
        if (wc.fatal_status)
            status = wc.fatal_status;
        else if (rc == SR_EINVAL)
            status = cli_usage_error("watch", "%s", err);
        else
            status = cli_fatal("%s", err[0] ? err : sr_strerror((sr_err)rc));
        goto out;
    }
    if (sr_store_commit(st) != SR_OK) {
        status = cli_fatal("store: %s", sr_store_errmsg(st));
        goto out;
    }
    if (!quiet && (o.once || stop_requested))
        fprintf(stderr,
                "watch: %zu cycle%s: %zu polls (%zu not modified, %zu failed); %zu pages: "
                "%zu stored, %zu already stored, %zu from feed text, %zu not had; "
                "%zu requests, at most %d at once to one host\n",
                stats.cycles, stats.cycles == 1 ? "" : "s", stats.polls + stats.poll_errors,
                stats.not_modified, stats.poll_errors, stats.pages, stats.stored,
                stats.duplicates, stats.feed_text, stats.page_errors, stats.requests,
                stats.max_per_host);
    if (stop_requested) {
        if (!quiet)
            fprintf(stderr, "watch: stopped; everything fetched so far is stored, "
                            "run again to go on\n");
        status = SR_EXIT_SKIPPED;
    } else {
        status = cli_status();
    }
out:
    if (st) {
        if (status == SR_EXIT_FATAL)
            sr_store_rollback(st);
        if (sr_store_close(st) != SR_OK && status == SR_EXIT_OK)
            status = cli_fatal("store: closing failed");
    }
    ingest_sink_free(&wc.sink);
    code_env_close(&env);
    free(dicts);
    return status;
}
