/*
 * cmd_recode.c - `sitrep recode`: code the stored documents again with the
 * current dictionaries and coder, so a store built by an older sitrep (or
 * with other dictionaries) is brought up to date without the original
 * inputs.  The store does the replacing, batching and resuming
 * (sr_store_recode, sitrep/store.h); this file loads the coder the way
 * ingest does and codes each document the way ingest does: the stored
 * body through text analysis, the coder (with the stored published date,
 * for date-restricted actor codes) and the places.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/code_common.h"
#include "cli/coder_stamp.h"
#include "cli/store_common.h"
#include "cli/store_mentions.h"

typedef struct recode_cli {
    code_env env;
    store_mentions sm;
    const char *db;
    const sr_recode_stats *stats;
    int fatal_status;           /* set when the callback failed */
    /* progress */
    bool tty;
    size_t handled;             /* documents handed to us in this run */
    double t0, last_shown;
} recode_cli;

/* Ctrl-C or TERM: stop after the current document and commit (a second
 * signal kills as usual; a killed run resumes where its last batch ended). */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    stop_requested = 1;
    signal(sig, SIG_DFL);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep recode [--db PATH] [--since YYYY-MM-DD] [--all] [--dicts DIR|FILE]...\n"
        "                     [--no-places] [-q]\n"
        "\n"
        "Code the stored documents again with the current dictionaries and coder,\n"
        "replacing their event mentions (and the events, actor and issue rows and\n"
        "places made from them).  Documents, their stories and the search index are\n"
        "kept; event counts are recounted and events left with no mention go.\n"
        "Each document is coded from its stored text as ingest codes it, with its\n"
        "stored date for date-restricted actor codes.\n"
        "\n"
        "The store records which coder (sitrep's build and a hash of the\n"
        "dictionaries) coded each document; documents the current one coded are\n"
        "left out unless --all.  Work is committed every %d documents: a killed or\n"
        "interrupted run loses only its open batch, and running the same command\n"
        "again goes on from there.\n"
        "\n"
        "  --db PATH      the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --since DATE   only documents published on or after DATE (YYYY-MM-DD);\n"
        "                 documents with no date are left out\n"
        "  --all          also documents the current coder already coded\n"
        "  --dicts PATH   dictionaries (repeatable); default: the shipped ones\n"
        "  --no-places    do not place events (no gazetteer is loaded)\n"
        "  -q, --quiet    no warnings and no progress line\n"
        "  -h, --help     this help\n"
        "\n"
        "A progress line is shown on a terminal; a summary goes to stderr at the end.\n"
        "Ctrl-C (or TERM) stops after the current document and commits.\n"
        "exit status: 0 ok, 1 some document skipped or interrupted, 2 usage error,\n"
        "3 fatal (no store, store error, out of memory)\n",
        SR_RECODE_BATCH);
}

/* A real calendar date YYYY-MM-DD (not only its shape). */
static bool valid_date(const char *s)
{
    if (!store_valid_date(s))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static void show_progress(recode_cli *c, bool force)
{
    if (!c->tty)
        return;
    double t = now_s();
    if (!force && t - c->last_shown < 0.25)
        return;
    c->last_shown = t;
    double el = t - c->t0;
    int64_t total = c->stats->selected;
    fprintf(stderr, "\rrecode: %zu/%lld documents (%.0f/s), %lld mentions",
            c->handled, (long long)total, el > 0 ? c->handled / el : 0.0,
            (long long)(c->stats->mentions_added));
    if (c->handled > 0 && (int64_t)c->handled < total)
        fprintf(stderr, ", ETA %.0fs", el * (double)(total - (int64_t)c->handled) / (double)c->handled);
    fputs("   ", stderr);
}

static sr_err recode_doc(const sr_store_doc *d, sr_recoded *out, void *ctx)
{
    recode_cli *c = ctx;
    if (stop_requested) {
        out->stop = true;
        return SR_OK;
    }
    c->handled++;
    show_progress(c, false);
    char record[32];
    snprintf(record, sizeof record, "%lld", (long long)d->id);
    /* as ingest: no fallback date, the coder takes the document's own */
    sr_err e = code_env_doc(&c->env, &d->doc, NULL);
    if (e == SR_ENOMEM) {
        c->fatal_status = cli_fatal("out of memory");
        return e;
    }
    if (e != SR_OK) {
        sr_skip(c->db, record, "cannot analyse document: %s; left as it was", sr_strerror(e));
        out->skip = true;
        return SR_OK;
    }
    if ((e = store_mentions_build(&c->sm, &c->env, &d->doc)) == SR_ETOOBIG) {
        sr_skip(c->db, record, "its events' sentences exceed the %zu MiB cap; left as it was",
                c->sm.arena.max >> 20);
        out->skip = true;
        return SR_OK;
    } else if (e != SR_OK) {
        c->fatal_status = cli_fatal("out of memory");
        return e;
    }
    out->ms = c->sm.v;
    out->nms = c->sm.n;
    return SR_OK;
}

int cmd_recode(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"since", required_argument, NULL, 's'},
        {"all", no_argument, NULL, 'a'},
        {"dicts", required_argument, NULL, 'd'},
        {"no-places", no_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    recode_cli c;
    memset(&c, 0, sizeof c);
    store_mentions_init(&c.sm, (size_t)64 << 20);
    sr_recode_opts ro;
    memset(&ro, 0, sizeof ro);
    sr_recode_stats stats;
    memset(&stats, 0, sizeof stats);
    c.stats = &stats;
    const char *db = NULL;
    bool quiet = false, no_geo = false;
    sr_store *st = NULL;
    char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    int status = SR_EXIT_OK, ch;
    if (!dicts)
        return cli_fatal("out of memory");
    optind = 1;
    while ((ch = getopt_long(argc, argv, "b:s:ad:Pqh", opts, NULL)) != -1) {
        switch (ch) {
        case 'b': db = optarg; break;
        case 's':
            if (!valid_date(optarg)) {
                status = cli_usage_error("recode", "--since wants a date YYYY-MM-DD, not '%s'",
                                         optarg);
                goto out;
            }
            ro.since = optarg;
            break;
        case 'a': ro.all = true; break;
        case 'd': dicts[ndicts++] = optarg; break;
        case 'P': no_geo = true; break;
        case 'q': quiet = true; sr_set_quiet(1); break;
        case 'h': usage(stdout); goto out;
        default: status = cli_usage_error("recode", "unknown option"); goto out;
        }
    }
    if (optind < argc) {
        status = cli_usage_error("recode", "takes no FILE ('%s'): it re-codes the store's "
                                 "documents", argv[optind]);
        goto out;
    }
    const char *path = store_path(db);
    c.db = path;
    /* recode never makes a store: a missing one is a mistake in --db */
    if (access(path, F_OK) != 0) {
        status = cli_fatal("no store at '%s' (run 'sitrep ingest' first, or give --db)", path);
        goto out;
    }
    status = code_env_open(&c.env, "recode", dicts, ndicts, 0);
    if (!status && !no_geo)
        status = code_env_open_geo(&c.env, NULL);
    if (status)
        goto out;
    sr_err e = sr_store_open(path, &st);
    if (e) {
        status = cli_fatal("%s", st ? sr_store_errmsg(st) : sr_strerror(e));
        goto out;
    }
    char stamp[256];
    coder_stamp(stamp, sizeof stamp, dicts, ndicts, !no_geo);
    if ((e = sr_store_set_coder(st, stamp)) != SR_OK) {
        status = cli_fatal("store: %s", sr_store_errmsg(st));
        goto out;
    }
    c.tty = !quiet && isatty(STDERR_FILENO);
    c.t0 = now_s();
    signal(SIGINT, on_stop_signal);
    signal(SIGTERM, on_stop_signal);
    e = sr_store_recode(st, &ro, recode_doc, &c, &stats);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (c.tty) {
        show_progress(&c, true);
        fputc('\n', stderr);
    }
    if (e) {
        status = c.fatal_status ? c.fatal_status
               : e == SR_ENOMEM ? cli_fatal("out of memory")
                                : cli_fatal("store: %s", sr_store_errmsg(st));
        goto out;
    }
    if (stats.resumed_after && !quiet)
        fprintf(stderr, "recode: went on from an interrupted run, after document %lld\n",
                (long long)stats.resumed_after);
    fprintf(stderr,
            "recode: %lld documents re-coded, %lld skipped, %lld already coded by this coder; "
            "mentions %lld -> %lld, events %lld -> %lld (this run removed %lld mentions, "
            "added %lld) in %.1fs\n",
            (long long)stats.recoded, (long long)stats.skipped, (long long)stats.current,
            (long long)stats.before.mentions, (long long)stats.after.mentions,
            (long long)stats.before.events, (long long)stats.after.events,
            (long long)stats.mentions_removed, (long long)stats.mentions_added,
            now_s() - c.t0);
    if (stats.stopped) {
        fprintf(stderr, "recode: interrupted; what was re-coded is stored, run it again to finish\n");
        status = SR_EXIT_SKIPPED;
    } else {
        status = cli_status();
    }
out:
    if (st && sr_store_close(st) != SR_OK && status == SR_EXIT_OK)
        status = cli_fatal("store: closing failed");
    code_env_close(&c.env);
    store_mentions_free(&c.sm);
    free(dicts);
    return status;
}
