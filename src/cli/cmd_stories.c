/*
 * cmd_stories.c - `sitrep stories`: the stories in the store, newest first:
 * id, title, first/last seen, documents, outlets, top actors, events.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_common.h"
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
        "usage: sitrep stories [--db PATH] [--since YYYY-MM-DD] [--format text|jsonl]\n"
        "\n"
        "The stories in the store, most recent first: id, title, first and last\n"
        "seen, documents, outlets, event count and the most mentioned actors.\n");
}

int cmd_stories(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"since", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *since = NULL;
    stories_out o = { SR_OUT_TEXT, SR_BUF_INIT(1 << 20), 0 };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:s:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 's':
            if (!store_valid_date(optarg))
                return cli_usage_error("stories", "--since wants YYYY-MM-DD");
            since = optarg;
            break;
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
    sr_store *st;
    int status = store_open_read(store_path(db), &st);
    if (status)
        return status;
    if (sr_store_stories(st, since, on_story, &o) != SR_OK)
        status = cli_fatal("stories: %s", sr_store_errmsg(st));
    sr_buf_free(&o.line);
    sr_store_close(st);
    if (o.err)   /* a reader that went away (| head) is not a failure */
        return o.err == EPIPE ? SR_EXIT_OK : cli_fatal("writing output: %s", strerror(o.err));
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
