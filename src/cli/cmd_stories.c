/*
 * cmd_stories.c - `sitrep stories`: the stories in the store, latest
 * activity first: id, title, first/last seen, documents, outlets, top
 * actors, events.  By default a story needs an event or a second outlet to
 * be listed (on mixed real data most stories are one page with no event);
 * --all lists every one, --min-outlets/--min-events say what is wanted
 * instead.  --docs ID lists one story's documents (see cmd_story.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_common.h"
#include "cli/story_docs.h"
#include "sitrep/analytics.h"

typedef struct stories_out {
    int format;
    sr_buf line;
    int err;                  /* errno of a failed write, else 0 */
} stories_out;

static int on_story(const sr_story_row *s, void *ctx)
{
    stories_out *o = ctx;
    sr_buf *b = &o->line;
    sr_buf_reset(b);
    if (o->format == SR_OUT_JSONL) {
        /* the same object as sitrep serve's /api/stories items */
        sr_story_json(s, b);
        sr_buf_putc(b, '\n');
    } else {
        sr_buf_printf(b, "%lld  %s\n      seen %s .. %s; %lld documents, %lld outlets (%s); "
                         "%lld events; actors %s\n",
                      (long long)s->id, s->title ? s->title : "",
                      s->first_seen ? s->first_seen : "?", s->last_seen ? s->last_seen : "?",
                      (long long)s->documents, (long long)s->outlets, s->outlet_names,
                      (long long)s->events, *s->top_actors ? s->top_actors : "-");
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
        "usage: sitrep stories [--db PATH] [--since D] [--until D] [--min-outlets N]\n"
        "                      [--min-events N] [--actor CODE] [--limit N] [--all]\n"
        "                      [--format text|jsonl]\n"
        "       sitrep stories --docs STORY_ID [--explain] [--db PATH] [--format text|jsonl]\n"
        "\n"
        "The stories in the store, latest activity first (the latest published\n"
        "date, then the latest added document): id, title, first and last seen,\n"
        "documents, outlets, events and the most mentioned actors.  Listed by\n"
        "default: stories with at least one event or a second outlet; a count of\n"
        "the others goes to stderr.\n"
        "\n"
        "  --db PATH          the store (default $SITREP_DB or ./sitrep.db)\n"
        "  --since D          last seen on or after D (YYYY-MM-DD)\n"
        "  --until D          first seen on or before D (YYYY-MM-DD)\n"
        "  --min-outlets N    at least N outlets\n"
        "  --min-events N     at least N events (either option replaces the default\n"
        "                     \"an event or a second outlet\")\n"
        "  --actor CODE       an event of the story has an actor whose CAMEO code\n"
        "                     starts with CODE (PAK, PAKMIL)\n"
        "  --limit N          at most N stories\n"
        "  --all              every story, also single pages with no event\n"
        "  --docs STORY_ID    that story's documents (outlet, time, title, near-copy\n"
        "                     of); --explain says why each joined.  Same as\n"
        "                     `sitrep story STORY_ID`\n"
        "  --explain          with --docs: why each document joined its story (the\n"
        "                     score and its parts, the nearest earlier document, the\n"
        "                     words and actors they share, the hours between)\n"
        "  --format F         text (default) or jsonl\n"
        "  -h, --help         this help\n");
}

/* A count option: a non-negative integer. */
static int count_arg(const char *opt, const char *v, int64_t *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < 0)
        return cli_usage_error("stories", "%s wants a number >= 0, not '%s'", opt, v);
    *out = x;
    return 0;
}

int cmd_stories(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"min-outlets", required_argument, NULL, 'O'},
        {"min-events", required_argument, NULL, 'E'},
        {"actor", required_argument, NULL, 'a'},
        {"limit", required_argument, NULL, 'n'},
        {"all", no_argument, NULL, 'A'},
        {"docs", required_argument, NULL, 'd'},
        {"explain", no_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    sr_story_filter flt = { NULL, NULL, NULL, 0, 0, false, false, 0 };
    int64_t docs = 0;
    bool explain = false;
    stories_out o = { SR_OUT_TEXT, SR_BUF_INIT(1 << 20), 0 };
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:s:u:O:E:a:n:Ad:ef:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 's':
        case 'u':
            if (!store_valid_date(optarg))
                return cli_usage_error("stories", "--%s wants a date YYYY-MM-DD, not '%s'",
                                       c == 's' ? "since" : "until", optarg);
            if (c == 's')
                flt.since = optarg;
            else
                flt.until = optarg;
            break;
        case 'O':
            if ((rc = count_arg("--min-outlets", optarg, &flt.min_outlets)))
                return rc;
            flt.explicit_min = true;
            break;
        case 'E':
            if ((rc = count_arg("--min-events", optarg, &flt.min_events)))
                return rc;
            flt.explicit_min = true;
            break;
        case 'a': {
            size_t n = strlen(optarg);
            if (n == 0 || n > 31 || strspn(optarg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n)
                return cli_usage_error("stories", "--actor wants a CAMEO code (letters and "
                                       "digits, e.g. PAK or PAKMIL), not '%s'", optarg);
            flt.actor = optarg;
            break;
        }
        case 'n':
            if ((rc = count_arg("--limit", optarg, &flt.limit)))
                return rc;
            if (flt.limit == 0)
                return cli_usage_error("stories", "--limit wants a number > 0");
            break;
        case 'A': flt.all = true; break;
        case 'd': {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (errno || end == optarg || *end || v <= 0)
                return cli_usage_error("stories", "--docs wants a story id, not '%s'", optarg);
            docs = v;
            break;
        }
        case 'e': explain = true; break;
        case 'f':
            o.format = cli_parse_format("stories", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (o.format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("stories", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("stories", "unexpected argument '%s'", argv[optind]);
    if (explain && !docs)
        return cli_usage_error("stories", "--explain goes with --docs STORY_ID");
    if (docs)
        return story_docs_run(db, docs, explain, o.format);
    if (flt.since && flt.until && strcmp(flt.since, flt.until) > 0)
        return cli_usage_error("stories", "--since %s is after --until %s", flt.since, flt.until);
    sr_store *st;
    int status = store_open_read(store_path(db), &st);
    if (status)
        return status;
    int64_t hidden = 0;
    if (sr_store_stories_filtered(st, &flt, on_story, &o, &hidden) != SR_OK && !o.err)
        status = cli_fatal("stories: %s", sr_store_errmsg(st));
    sr_buf_free(&o.line);
    sr_store_close(st);
    if (o.err)   /* a reader that went away (| head) is not a failure */
        return o.err == EPIPE ? SR_EXIT_OK : cli_fatal("writing output: %s", strerror(o.err));
    if (!status && hidden > 0)
        fprintf(stderr, "stories: %lld more with no event and one outlet (--all lists them)\n",
                (long long)hidden);
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
