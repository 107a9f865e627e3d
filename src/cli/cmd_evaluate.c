/*
 * cmd_evaluate.c - `sitrep evaluate`: score the coder against events coded by
 * people (sitrep/eval.h): the PLOVER gold standard, TABARI's Validate.text
 * and PETRARCH's unit-test records.  `sitrep validate FILE` is the same
 * command under the name earlier releases gave it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sitrep/eval.h"

static void usage(FILE *f, const char *name)
{
    fprintf(f,
        "usage: sitrep %s [--quiet|--verbose] [--dicts PATH]... [--plover|--tabari|--petrarch] FILE\n"
        "\n"
        "Code each record of a gold file and score the events against what people\n"
        "coded.  The kind of file is found from its content unless named:\n"
        "  --plover     a PLOVER gold-standard JSON array (coded with the shipped\n"
        "               dictionaries, no date restriction)\n"
        "  --tabari     a TABARI Validate.text suite (dictionaries from the .project\n"
        "               file beside it)\n"
        "  --petrarch   a PETRARCH PETR.UnitTest.records.xml suite (dictionaries from\n"
        "               its <Environment>)\n"
        "\n"
        "Prints precision, recall and F1 at four levels (sentence has an event;\n"
        "PLOVER category + source and target roots; category only; roots only),\n"
        "coded events matching no gold event per record, and A>B + B>A pairs on\n"
        "directional codes.  Suites also print TABARI's counts, ending with\n"
        "    total: records=R expected=E correct=C uncoded=U extra=X\n"
        "\n"
        "  --quiet      counts only, not each record coded differently from the gold\n"
        "  --verbose    each such record with its text\n"
        "  --dicts PATH PLOVER: load these dictionaries too (file or folder; repeat)\n"
        "  --no-tags    PLOVER: code without part-of-speech tags (to see what they add)\n"
        "  --no-places  PLOVER: without the geo stage ingest runs after coding (which\n"
        "               gives an actor with no country the country of the place named)\n",
        name);
}

int cmd_evaluate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"dicts", required_argument, NULL, 'd'},
        {"plover", no_argument, NULL, 'P'},
        {"no-tags", no_argument, NULL, 'N'},
        {"no-places", no_argument, NULL, 'G'},
        {"tabari", no_argument, NULL, 'T'},
        {"petrarch", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *name = argv[0];
    sr_eval_config cfg;
    memset(&cfg, 0, sizeof cfg);
    sr_eval_kind kind = SR_EVAL_AUTO;
    char *extra[16];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvd:h", opts, NULL)) != -1) {
        switch (c) {
        case 'q': cfg.quiet = true; break;
        case 'v': cfg.verbose = true; break;
        case 'd':
            if (cfg.nextra >= sizeof extra / sizeof extra[0])
                return cli_usage_error(name, "at most %zu --dicts", sizeof extra / sizeof extra[0]);
            extra[cfg.nextra++] = optarg;
            break;
        case 'P': kind = SR_EVAL_PLOVER; break;
        case 'N': cfg.no_tags = true; break;
        case 'G': cfg.no_places = true; break;
        case 'T': kind = SR_EVAL_TABARI; break;
        case 'R': kind = SR_EVAL_PETRARCH; break;
        case 'h': usage(stdout, name); return SR_EXIT_OK;
        default: return cli_usage_error(name, "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(name, "wants exactly one gold FILE");
    cfg.extra_dicts = extra;
    cfg.dict_dir = cli_default_dict_dir();
    cfg.out = stdout;
    sr_eval_result res;
    sr_err e = sr_eval_run(argv[optind], kind, &cfg, &res);
    if (e == SR_EIO || e == SR_EFORMAT)
        return cli_usage_error(name, "%s", res.error);
    if (e != SR_OK)
        return cli_fatal("%s", res.error[0] ? res.error : sr_strerror(e));
    return cli_finish_output(cli_status());
}

int cmd_validate(int argc, char **argv)
{
    return cmd_evaluate(argc, argv);
}
