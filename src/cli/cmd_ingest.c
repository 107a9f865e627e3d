/*
 * cmd_ingest.c - `sitrep ingest`: read any input, code it, assign stories,
 * and store everything (see sitrep/store.h for what is kept and how a
 * killed run is recovered).
 *
 * Idempotent: a document whose normalized body is already stored is
 * recognized by its hash before it is even coded, so re-ingesting the same
 * inputs costs a read and a lookup per document and changes nothing.
 *
 * Outlets: a document's outlet comes from the input (page metadata, feed
 * title, JSONL "outlet", the URL's host).  Plain text carries none, so it
 * is --outlet NAME if given, else the file's name without its extension
 * (harbour-post.txt -> "harbour-post"): two files from two outlets stay
 * two outlets, which is what someone ingesting a folder of saved reports
 * expects, and --outlet or a JSONL wrapper says better when known.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "cli/cli.h"
#include "cli/code_common.h"
#include "cli/ingest_sink.h"
#include "cli/coder_stamp.h"
#include "cli/store_common.h"
#include "sitrep/ingest.h"

typedef struct ingest_run {
    code_env env;
    sr_store *st;
    ingest_sink sink;         /* codes and stores each document */
    const char *outlet;       /* --outlet */
    const char *date;
    bool failed;              /* fatal: stop */
    int fatal_status;
    bool no_geo;              /* --no-places */
    /* counts (the rest are the sink's) */
    size_t read;
    /* progress */
    bool tty;
    double t0, last_shown;
    size_t files_total, files_done;
    char last_path[4096];
} ingest_run;

/* Ctrl-C or a TERM: stop after the current document, commit what is done,
 * print the summary (a second signal kills as usual; nothing committed is
 * lost either way). */
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
        "usage: sitrep ingest [--db PATH] [--outlet NAME] [--dicts DIR|FILE]...\n"
        "                     [--no-shipped-dicts] [--date YYYY-MM-DD] [--max-size MIB]\n"
        "                     [-q] FILE...|-\n"
        "\n"
        "Read documents from any input (text, HTML, RSS/Atom, WARC, JSONL, gzipped,\n"
        "directories), code their events, group them into stories and store\n"
        "everything in an SQLite database.  Re-ingesting the same documents is a\n"
        "no-op; a run that is killed loses only its last uncommitted batch, and\n"
        "running it again finishes the work.\n"
        "\n"
        "  --db PATH      the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --outlet NAME  outlet of documents that do not name one (default: the\n"
        "                 file name without extension, for plain text)\n"
        "  --dicts PATH   a dictionary folder or file that extends the shipped\n"
        "                 dictionaries (repeatable)\n"
        "  --no-shipped-dicts  use only the --dicts given, not the shipped set\n"
        "  --date DATE    published date for documents that carry none\n"
        "  --no-places    do not place events (no gazetteer is loaded)\n"
        "  --max-size MIB cap on one page/record, inflated (default 100)\n"
        "  -q, --quiet    no warnings and no progress line\n"
        "  -h, --help     this help\n"
        "\n"
        "A progress line is shown on a terminal; a summary goes to stderr at the end.\n"
        "Ctrl-C (or TERM) stops after the current document and commits it.\n"
        "exit status: 0 ok, 1 some input skipped or interrupted, 2 usage error,\n"
        "3 fatal (store)\n");
}

static void show_progress(ingest_run *r, bool force)
{
    if (!r->tty)
        return;
    double t = now_s();
    if (!force && t - r->last_shown < 0.25)
        return;
    r->last_shown = t;
    double el = t - r->t0;
    fprintf(stderr, "\ringest: %zu docs (%.0f/s), %zu added, %zu mentions, %zu skipped",
            r->read, el > 0 ? r->read / el : 0.0, r->sink.added, r->sink.mentions, sr_skip_count());
    /* the total is known when every file is one document (a folder of pages
     * or reports); a feed or an archive holds an unknown number */
    if (r->files_total > 1 && r->files_done > 0 && r->files_done < r->files_total &&
        r->read == r->files_done) {
        double eta = el * (double)(r->files_total - r->files_done) / (double)r->files_done;
        fprintf(stderr, ", ETA %.0fs ", eta);
    }
    fputs("   ", stderr);
}

static int on_doc(const sr_doc *doc, void *ctx)
{
    ingest_run *r = ctx;
    if (stop_requested)
        return 1;
    r->read++;
    if (strcmp(r->last_path, doc->path) != 0) {
        snprintf(r->last_path, sizeof r->last_path, "%s", doc->path);
        r->files_done++;
    }
    show_progress(r, false);
    ingest_outcome outcome;
    sr_err e = ingest_sink_add(&r->sink, doc, &outcome, NULL);
    if (e) {
        r->failed = true;
        r->fatal_status = e == SR_ENOMEM ? cli_fatal("out of memory")
                                         : cli_fatal("%s", sr_store_errmsg(r->st));
        return 1;
    }
    return 0;
}

/* Regular files under path (for the ETA), counting at most `cap`.  Linked
 * directories are not followed (lstat): a symlink loop with no files in it
 * would otherwise cost 2^depth calls before the depth cap; an estimate
 * does not need them. */
static size_t count_files(const char *path, size_t cap, int depth)
{
    struct stat sb;
    if ((depth ? lstat(path, &sb) : stat(path, &sb)) != 0)
        return 0;
    if (!S_ISDIR(sb.st_mode))
        return 1;
    if (depth > 32)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *de;
    char sub[4096];
    while (n < cap && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        n += count_files(sub, cap - n, depth + 1);
    }
    closedir(d);
    return n;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"outlet", required_argument, NULL, 'o'},
        {"dicts", required_argument, NULL, 'd'},
        {"no-shipped-dicts", no_argument, NULL, 'N'},
        {"date", required_argument, NULL, 'D'},
        {"max-size", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"no-places", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ingest_run r;
    memset(&r, 0, sizeof r);
    const char *db = NULL;
    bool quiet = false;
    char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0, max_file = 0;
    int status = SR_EXIT_OK, c, no_shipped = 0;
    if (!dicts)
        return cli_fatal("out of memory");
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:o:d:D:m:Nqh", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'o':
            if (!*optarg) {
                status = cli_usage_error("ingest", "--outlet needs a name");
                goto out;
            }
            r.outlet = optarg;
            break;
        case 'd': dicts[ndicts++] = optarg; break;
        case 'N': no_shipped = 1; break;
        case 'D':
            if (!store_valid_date(optarg)) {
                status = cli_usage_error("ingest", "--date wants a date YYYY-MM-DD, not '%s'", optarg);
                goto out;
            }
            r.date = optarg;
            break;
        case 'm': {
            char *end;
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 1 || v > 4096) {
                status = cli_usage_error("ingest", "--max-size must be 1..4096 (MiB)");
                goto out;
            }
            max_file = (size_t)v << 20;
            break;
        }
        case 'q': quiet = true; sr_set_quiet(1); break;
        case 'P': r.no_geo = true; break;
        case 'h': usage(stdout); goto out;
        default: status = cli_usage_error("ingest", "unknown option"); goto out;
        }
    }
    const char *path = store_path(db);
    status = code_env_open(&r.env, "ingest", dicts, ndicts, no_shipped);
    if (!status && !r.no_geo)
        status = code_env_open_geo(&r.env, NULL);
    if (status)
        goto out;
    sr_err e = sr_store_open(path, &r.st);
    if (e) {
        status = cli_fatal("%s", r.st ? sr_store_errmsg(r.st) : sr_strerror(e));
        goto out;
    }
    ingest_sink_init(&r.sink, &r.env, r.st, r.outlet);
    {
        /* which coder codes this run's documents (sitrep recode reads it) */
        char stamp[256];
        coder_stamp(stamp, sizeof stamp, dicts, ndicts, !r.no_geo);
        if (sr_store_set_coder(r.st, stamp) != SR_OK) {
            status = cli_fatal("store: %s", sr_store_errmsg(r.st));
            goto out;
        }
    }
    r.tty = !quiet && isatty(STDERR_FILENO);
    r.t0 = now_s();
    signal(SIGINT, on_stop_signal);
    signal(SIGTERM, on_stop_signal);
    if (r.tty)
        for (int i = optind; i < argc; i++)
            r.files_total += count_files(argv[i], 1000000, 0);
    /* --date is a fallback for documents without one (ingestion fills
     * published with it); the coder then uses each document's own date */
    sr_ingest_opts io = { max_file, r.date };
    if (optind >= argc) {
        sr_ingest_path("-", &io, on_doc, &r);
    } else {
        for (int i = optind; i < argc && !r.failed && !stop_requested; i++)
            sr_ingest_path(argv[i], &io, on_doc, &r);
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (r.failed) {
        status = r.fatal_status;
        goto out;
    }
    if ((e = sr_store_commit(r.st)) != SR_OK) {
        status = cli_fatal("%s", sr_store_errmsg(r.st));
        goto out;
    }
    show_progress(&r, true);
    if (r.tty)
        fputc('\n', stderr);
    sr_store_counts cnt = {0};
    sr_store_get_counts(r.st, &cnt);
    double el = now_s() - r.t0;
    fprintf(stderr,
            "ingest: %zu documents read, %zu added (%zu near-copies), %zu already stored, "
            "%zu skipped; %zu mentions, %zu new stories in %.1fs\n"
            "ingest: store %s now holds %lld documents, %lld mentions, %lld events, "
            "%lld stories, %lld outlets\n",
            r.read, r.sink.added, r.sink.copies, r.sink.duplicates, sr_skip_count(),
            r.sink.mentions, r.sink.new_stories, el, path, (long long)cnt.documents, (long long)cnt.mentions,
            (long long)cnt.events, (long long)cnt.stories, (long long)cnt.outlets);
    if (stop_requested) {
        fprintf(stderr, "ingest: interrupted; everything read so far is stored, run again to finish\n");
        status = SR_EXIT_SKIPPED;
    } else {
        status = cli_status();
    }
out:
    if (r.st) {
        /* a fatal error may leave a document half added: drop the batch */
        if (status == SR_EXIT_FATAL)
            sr_store_rollback(r.st);
        if (sr_store_close(r.st) != SR_OK && status == SR_EXIT_OK)
            status = cli_fatal("store: closing failed");
    }
    ingest_sink_free(&r.sink);
    code_env_close(&r.env);
    free(dicts);
    return status;
}
