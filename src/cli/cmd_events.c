/*
 * cmd_events.c - `sitrep events`: the stored events (mentions merged on day,
 * source, target and CAMEO code, with their counts kept current), filtered,
 * as text, JSON Lines, CSV or the 61 GDELT 2.0 event columns.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_common.h"

typedef struct events_out {
    sr_event_format f;
    sr_buf line;
    size_t n;
    bool failed;
    int err;                  /* errno of the failed write */
} events_out;

static int on_event(const sr_event_row *e, void *ctx)
{
    events_out *o = ctx;
    sr_buf_reset(&o->line);
    if (sr_event_write(e, o->f, &o->line) != SR_OK) {
        o->failed = true;
        o->err = ENOMEM;
        return 1;
    }
    if (fwrite(o->line.p, 1, o->line.len, stdout) != o->line.len) {
        o->failed = true;
        o->err = errno;
        return 1;
    }
    o->n++;
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep events [--db PATH] [--actor CODE] [--dyad A,B] [--root NN|--code NNN]\n"
        "                     [--since DATE] [--until DATE] [--story ID] [--modality M]\n"
        "                     [--country ISO] [--near LAT,LON,KM]\n"
        "                     [--format text|jsonl|csv|gdelt]\n"
        "\n"
        "Stored events: mentions merged on day + source + target + CAMEO code, with\n"
        "the number of mentions, articles and distinct outlets, kept current as\n"
        "documents arrive.\n"
        "\n"
        "  --actor CODE   source or target code starts with CODE (PAK, PAKMIL)\n"
        "  --dyad A,B     source starts with A and target with B\n"
        "  --root NN      CAMEO root (04 = consult)\n"
        "  --code NNN     CAMEO code or prefix (042)\n"
        "  --since/--until YYYY-MM-DD   event day range (inclusive)\n"
        "  --story ID     events mentioned in that story's documents\n"
        "  --modality M   asserted, reported, hedged, negated or future\n"
        "  --country ISO  events placed in that country (ActionGeo; ISO alpha-3 or\n"
        "                 alpha-2: LBY or LY)\n"
        "  --near LAT,LON,KM  events placed within KM km of the point\n"
        "  --format F     text (default), jsonl, csv (with a header) or gdelt (61\n"
        "                 tab-separated GDELT 2.0 columns, empty where unknown)\n");
}

static bool valid_code(const char *s, size_t minlen, size_t maxlen)
{
    size_t n = strlen(s);
    if (n < minlen || n > maxlen)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int cmd_events(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"actor", required_argument, NULL, 'a'},
        {"dyad", required_argument, NULL, 'y'},
        {"root", required_argument, NULL, 'r'},
        {"code", required_argument, NULL, 'c'},
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"story", required_argument, NULL, 'S'},
        {"modality", required_argument, NULL, 'm'},
        {"country", required_argument, NULL, 'C'},
        {"near", required_argument, NULL, 'N'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sr_event_filter f;
    memset(&f, 0, sizeof f);
    const char *db = NULL;
    char dyad[128];
    int format = SR_OUT_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:a:y:r:c:s:u:S:m:C:N:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'a': f.actor = optarg; break;
        case 'y': {
            const char *comma = strchr(optarg, ',');
            if (!comma || comma == optarg || !comma[1] || strlen(optarg) >= sizeof dyad)
                return cli_usage_error("events", "--dyad wants A,B (e.g. PAK,LBY)");
            snprintf(dyad, sizeof dyad, "%s", optarg);
            dyad[comma - optarg] = '\0';
            f.dyad_a = dyad;
            f.dyad_b = dyad + (comma - optarg) + 1;
            break;
        }
        case 'r':
            if (!valid_code(optarg, 2, 2))
                return cli_usage_error("events", "--root wants two digits (04)");
            f.root = optarg;
            break;
        case 'c':
            if (!valid_code(optarg, 2, 4))
                return cli_usage_error("events", "--code wants a CAMEO code (042)");
            f.code = optarg;
            break;
        case 's':
        case 'u':
            if (!store_valid_date(optarg))
                return cli_usage_error("events", "--%s wants YYYY-MM-DD", c == 's' ? "since" : "until");
            *(c == 's' ? &f.since : &f.until) = optarg;
            break;
        case 'S': {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (errno || end == optarg || *end || v <= 0)
                return cli_usage_error("events", "--story wants a story id");
            f.story = v;
            break;
        }
        case 'm': {
            bool ok = false;
            for (int k = SR_MOD_ASSERTED; k <= SR_MOD_FUTURE; k++)
                ok |= strcmp(optarg, sr_modality_name((sr_modality)k)) == 0;
            if (!ok)
                return cli_usage_error("events", "--modality is asserted, reported, hedged, negated or future");
            f.modality = optarg;
            break;
        }
        case 'C': {
            size_t n = strlen(optarg);
            bool ok = n == 2 || n == 3;
            for (size_t i = 0; i < n && ok; i++)
                ok = optarg[i] >= 'A' && optarg[i] <= 'Z';
            if (!ok)
                return cli_usage_error("events", "--country wants an ISO code in capitals (LBY or LY), not '%s'", optarg);
            f.country = optarg;
            break;
        }
        case 'N': {
            char *end;
            double v[3];
            const char *p = optarg;
            bool ok = true;
            for (int k = 0; k < 3 && ok; k++) {
                v[k] = strtod(p, &end);
                ok = end != p && (k < 2 ? *end == ',' : *end == '\0');
                p = end + 1;
            }
            if (!ok || v[0] < -90 || v[0] > 90 || v[1] < -180 || v[1] > 180 || !(v[2] > 0) ||
                v[2] > 20100)
                return cli_usage_error("events", "--near wants LAT,LON,KM (e.g. 32.11,20.07,50), not '%s'", optarg);
            f.near = true;
            f.near_lat = v[0];
            f.near_lon = v[1];
            f.near_km = v[2];
            break;
        }
        case 'f':
            format = cli_parse_format("events", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL) |
                                      (1u << SR_OUT_CSV) | (1u << SR_OUT_GDELT));
            if (format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("events", "unknown option");
        }
    }
    if (f.root && f.code)
        return cli_usage_error("events", "--root or --code, not both");
    if (optind < argc)
        return cli_usage_error("events", "unexpected argument '%s'", argv[optind]);
    sr_store *st;
    int status = store_open_read(store_path(db), &st);
    if (status)
        return status;
    events_out o = { SR_EVENTS_TEXT, SR_BUF_INIT(1 << 20), 0, false, 0 };
    o.f = format == SR_OUT_JSONL ? SR_EVENTS_JSONL : format == SR_OUT_CSV ? SR_EVENTS_CSV
        : format == SR_OUT_GDELT ? SR_EVENTS_GDELT : SR_EVENTS_TEXT;
    sr_event_header(o.f, &o.line);
    if (o.line.len)
        fwrite(o.line.p, 1, o.line.len, stdout);
    sr_err e = sr_store_events(st, &f, on_event, &o);
    if (e)
        status = cli_fatal("events: %s", sr_store_errmsg(st));
    sr_buf_free(&o.line);
    sr_store_close(st);
    if (o.failed)   /* a reader that went away (| head) is not a failure */
        return o.err == EPIPE ? SR_EXIT_OK : cli_fatal("writing output: %s", strerror(o.err));
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
