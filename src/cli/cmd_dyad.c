/*
 * cmd_dyad.c - `sitrep dyad A B`: how a bilateral relationship moved, by
 * day, week or month: events, mentions, outlets, mean and summed Goldstein,
 * QuadClass and modality counts, each direction on its own.  The jsonl
 * lines are the buckets of `sitrep serve`'s /api/dyads/A/B/timeline.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_common.h"
#include "sitrep/analytics.h"

typedef struct dyad_out {
    int format;
    const char *a, *b;
    sr_buf line;
    size_t n;
    int err;                  /* errno of a failed write, else 0 */
} dyad_out;

static void flow_csv(sr_buf *l, const char *start, const char *from, const char *to,
                     const sr_dyad_flow *f)
{
    sr_buf_printf(l, "%s,%s>%s,%lld,%lld,%lld,%.4g,%.4g", start, from, to, (long long)f->events,
                  (long long)f->mentions, (long long)f->outlets, f->goldstein_mean, f->goldstein_sum);
    for (int q = 0; q < 4; q++)
        sr_buf_printf(l, ",%lld", (long long)f->quad[q]);
    for (int m = 0; m < 5; m++)
        sr_buf_printf(l, ",%lld", (long long)f->modality[m]);
    sr_buf_putc(l, '\n');
}

static void flow_text(sr_buf *l, const char *start, const char *from, const char *to,
                      const sr_dyad_flow *f)
{
    char dir[80];
    snprintf(dir, sizeof dir, "%s>%s", from, to);
    sr_buf_printf(l, "%-10s  %-15s %6lld %8lld %7lld %9.2f   %4lld %4lld %4lld %4lld   "
                     "%lld/%lld/%lld/%lld/%lld\n",
                  start, dir, (long long)f->events, (long long)f->mentions, (long long)f->outlets,
                  f->goldstein_mean, (long long)f->quad[0], (long long)f->quad[1],
                  (long long)f->quad[2], (long long)f->quad[3], (long long)f->modality[0],
                  (long long)f->modality[1], (long long)f->modality[2], (long long)f->modality[3],
                  (long long)f->modality[4]);
}

static int on_bucket(const sr_dyad_bucket *bk, void *ctx)
{
    dyad_out *o = ctx;
    sr_buf *l = &o->line;
    sr_buf_reset(l);
    o->n++;
    if (o->format == SR_OUT_JSONL) {
        sr_dyad_bucket_json(bk, l);
        sr_buf_putc(l, '\n');
    } else if (o->format == SR_OUT_CSV) {
        flow_csv(l, bk->start, o->a, o->b, &bk->ab);
        flow_csv(l, bk->start, o->b, o->a, &bk->ba);
    } else {
        if (bk->ab.events)
            flow_text(l, bk->start, o->a, o->b, &bk->ab);
        if (bk->ba.events)
            flow_text(l, bk->start, o->b, o->a, &bk->ba);
    }
    if (fwrite(l->p, 1, l->len, stdout) != l->len) {
        o->err = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep dyad [--db PATH] [--bucket day|week|month] [--since DATE] [--until DATE]\n"
        "                   [--format text|jsonl|csv] A B\n"
        "\n"
        "A dyad over time: for each day, week (starting Monday) or month with events\n"
        "between A and B, each direction apart: events, mentions, distinct outlets,\n"
        "mean and summed Goldstein score, events per QuadClass (1 verbal cooperation,\n"
        "2 material cooperation, 3 verbal conflict, 4 material conflict) and mentions\n"
        "per modality (asserted/reported/hedged/negated/future).  A and B are actor\n"
        "codes matched as prefixes (TUR covers TURMIL and TURGOV).\n"
        "\n"
        "  --bucket B     day, week (default) or month\n"
        "  --format F     text (default), jsonl (one bucket a line, as the /api/dyads\n"
        "                 route of sitrep serve) or csv (a line per bucket and direction)\n");
}

/* An actor code: 1..32 letters and digits, upper-cased into out. */
static bool actor_code(const char *s, char out[40])
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

int cmd_dyad(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"bucket", required_argument, NULL, 'k'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *since = NULL, *until = NULL;
    sr_bucket bucket = SR_BUCKET_WEEK;
    dyad_out o = { SR_OUT_TEXT, NULL, NULL, SR_BUF_INIT(1 << 16), 0, 0 };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:k:s:u:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'k':
            if (strcmp(optarg, "day") == 0) bucket = SR_BUCKET_DAY;
            else if (strcmp(optarg, "week") == 0) bucket = SR_BUCKET_WEEK;
            else if (strcmp(optarg, "month") == 0) bucket = SR_BUCKET_MONTH;
            else return cli_usage_error("dyad", "--bucket is day, week or month");
            break;
        case 's':
        case 'u':
            if (!store_valid_date(optarg))
                return cli_usage_error("dyad", "--%s wants YYYY-MM-DD", c == 's' ? "since" : "until");
            *(c == 's' ? &since : &until) = optarg;
            break;
        case 'f':
            o.format = cli_parse_format("dyad", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL) |
                                        (1u << SR_OUT_CSV));
            if (o.format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("dyad", "unknown option");
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("dyad", "give two actor codes: sitrep dyad TUR IDN");
    char a[40], b[40];
    if (!actor_code(argv[optind], a) || !actor_code(argv[optind + 1], b))
        return cli_usage_error("dyad", "an actor code is 1 to 32 letters and digits (TUR, IDNMIL)");
    o.a = a;
    o.b = b;
    sr_store *st;
    int status = store_open_read(store_path(db), &st);
    if (status)
        return status;
    if (o.format == SR_OUT_CSV)
        fputs("start,direction,events,mentions,outlets,goldstein_mean,goldstein_sum,quad1,quad2,"
              "quad3,quad4,asserted,reported,hedged,negated,future\n", stdout);
    else if (o.format == SR_OUT_TEXT)
        printf("%s - %s by %s\n%-10s  %-15s %6s %8s %7s %9s   %4s %4s %4s %4s   %s\n",
               o.a, o.b, sr_bucket_name(bucket), "start", "direction", "events", "mentions",
               "outlets", "goldstein", "q1", "q2", "q3", "q4", "asserted/reported/hedged/negated/future");
    sr_err e = sr_store_dyad_timeline(st, o.a, o.b, bucket, since, until, on_bucket, &o);
    if (e)
        status = cli_fatal("dyad: %s", sr_store_errmsg(st));
    else if (o.format == SR_OUT_TEXT && o.n == 0)
        printf("(no events between %s and %s%s)\n", o.a, o.b, since || until ? " in that period" : "");
    sr_buf_free(&o.line);
    sr_store_close(st);
    if (o.err)
        return o.err == EPIPE ? SR_EXIT_OK : cli_fatal("writing output: %s", strerror(o.err));
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
