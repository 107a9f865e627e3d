/*
 * cmd_brief.c - `sitrep brief STORY_ID|--latest`: one story's claims, the
 * outlets behind each and how firmly they said it, and the contradictions
 * between outlets (built by src/story/brief.c from the stored documents).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_common.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep brief [--db PATH] [--format text|markdown|json] [--kinds LIST]\n"
        "                    STORY_ID|--latest\n"
        "\n"
        "A story's brief: its title, time span and outlets; each claim (an event,\n"
        "a person's title, an amount) with the outlets that assert, report or\n"
        "hedge it, corroborated claims first and single-source claims marked;\n"
        "and the contradictions between outlets with who said which value.\n"
        "\n"
        "  --db PATH     the store (default: $SITREP_DB, else ./sitrep.db)\n"
        "  --latest      the story the most recent document joined\n"
        "  --kinds LIST  only these kinds of claims: event,title,amount\n"
        "  --format F    text (default), markdown or json (keys: story, outlets,\n"
        "                claims [kind, text, event, outlets, modality, ...],\n"
        "                contradictions [subject, values [{value, outlets}]])\n");
}

int cmd_brief(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},
        {"latest", no_argument, NULL, 'l'},
        {"kinds", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int format = SR_OUT_TEXT, c;
    bool latest = false;
    unsigned kinds = ~0u;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:f:lk:h", opts, NULL)) != -1) {
        switch (c) {
        case 'k': {
            kinds = 0;
            const char *p = optarg;
            while (*p) {
                size_t n = strcspn(p, ",");
                bool ok = false;
                for (int k = SR_CLAIM_EVENT; k <= SR_CLAIM_AMOUNT; k++)
                    if (strlen(sr_claim_kind_name((sr_claim_kind)k)) == n &&
                        strncmp(p, sr_claim_kind_name((sr_claim_kind)k), n) == 0) {
                        kinds |= 1u << k;
                        ok = true;
                    }
                if (!ok)
                    return cli_usage_error("brief", "--kinds takes event, title, amount");
                p += n + (p[n] == ',');
            }
            break;
        }
        case 'b': db = optarg; break;
        case 'f':
            format = cli_parse_format("brief", optarg, (1u << SR_OUT_TEXT) |
                                      (1u << SR_OUT_MARKDOWN) | (1u << SR_OUT_JSON));
            if (format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'l': latest = true; break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("brief", "unknown option");
        }
    }
    int64_t story = 0;
    if (optind < argc) {
        if (latest)
            return cli_usage_error("brief", "give a story id or --latest, not both");
        char *end;
        errno = 0;
        long long v = strtoll(argv[optind], &end, 10);
        if (errno || end == argv[optind] || *end || v <= 0)
            return cli_usage_error("brief", "'%s' is not a story id", argv[optind]);
        story = v;
        if (optind + 1 < argc)
            return cli_usage_error("brief", "one story at a time");
    } else if (!latest) {
        return cli_usage_error("brief", "which story? give STORY_ID or --latest");
    }
    sr_store *st;
    int status = store_open_read(store_path(db), &st);
    if (status)
        return status;
    sr_brief b;
    sr_err e = sr_store_brief(st, story, &b);
    if (e == SR_EINVAL) {
        status = cli_fatal("%s", sr_store_errmsg(st));
        sr_store_close(st);
        return status;
    }
    if (e) {
        status = cli_fatal("brief: %s", e == SR_ENOMEM ? "out of memory" : sr_store_errmsg(st));
        sr_store_close(st);
        return status;
    }
    sr_brief_keep_kinds(&b, kinds);
    sr_buf out = SR_BUF_INIT(0);
    sr_brief_format bf = format == SR_OUT_JSON ? SR_BRIEF_JSON
                       : format == SR_OUT_MARKDOWN ? SR_BRIEF_MARKDOWN : SR_BRIEF_TEXT;
    e = sr_brief_render(&b, bf, &out);
    if (e)
        status = cli_fatal("out of memory");
    else if (out.len)
        fwrite(out.p, 1, out.len, stdout);
    sr_buf_free(&out);
    sr_brief_free(&b);
    sr_store_close(st);
    return status ? status : cli_finish_output(SR_EXIT_OK);
}
