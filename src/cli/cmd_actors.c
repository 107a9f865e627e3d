/*
 * cmd_actors.c - `sitrep actors --unknown FILE...`: the people the coder met
 * that no dictionary knows but that were introduced with a title and a
 * country ("Libya's commander, Field Marshal Khalifa Haftar"), so the
 * dictionaries can be grown.  For each name: how often it was seen, the code
 * the coder gave it (country + title's agent), the title it came with, and a
 * suggested entry in PETRARCH-1 actor syntax, dated from the first document
 * that named it:
 *     KHALIFA_HAFTAR [LBYMIL >251220]  # 3 mentions, "Field Marshal"
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/code_common.h"

#define MAX_NAME 128

typedef struct unknown_row {
    char name[MAX_NAME];      /* as written, single-spaced */
    char title[MAX_NAME];
    char code[32];
    char first_date[11];
    size_t count;
    size_t merged_into;       /* index of the row this longer name joined, or
                                 SIZE_MAX: "Syed Asim Munir" joins "Asim Munir" */
    bool printed;
} unknown_row;

typedef struct actors_run {
    code_env env;
    const char *date;
    const sr_doc *doc;        /* the document being coded */
    unknown_row *rows;
    size_t n, cap;
    bool failed;
} actors_run;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep actors --unknown [--dicts DIR|FILE]... [--no-shipped-dicts]\n"
        "                     [--date YYYY-MM-DD] FILE...|-\n"
        "\n"
        "List people no dictionary knows who were introduced with a title and a\n"
        "country, with how often they were seen, the code they were given and a\n"
        "suggested actor entry in dictionary syntax.\n"
        "\n"
        "  --unknown      list the actors no dictionary knows (the one listing\n"
        "                 there is; required)\n"
        "  --dicts PATH   a dictionary folder or file that extends the shipped\n"
        "                 dictionaries (repeatable)\n"
        "  --no-shipped-dicts  use only the --dicts given, not the shipped set\n"
        "  --date DATE    date for date-restricted actor codes (default: each\n"
        "                 document's published date)\n"
        "  -h, --help     this help\n");
}

/* Copy text[s,e) collapsing white space. */
static void span_copy(char *out, size_t cap, const char *text, uint32_t s, uint32_t e)
{
    size_t w = 0;
    bool space = false;
    for (uint32_t i = s; i < e && w + 1 < cap; i++) {
        if (isspace((unsigned char)text[i])) {
            space = w > 0;
            continue;
        }
        if (space && w + 2 < cap)
            out[w++] = ' ';
        space = false;
        out[w++] = text[i];
    }
    out[w] = '\0';
}

static void on_unknown(const sr_unknown_actor *u, void *ctx)
{
    actors_run *r = ctx;
    const char *text = r->doc->text;
    if (u->end <= u->start || u->end > r->doc->text_len)
        return;
    char name[MAX_NAME];
    span_copy(name, sizeof name, text, u->start, u->end);
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].name, name) == 0 && strcmp(r->rows[i].code, u->code) == 0) {
            r->rows[i].count++;
            return;
        }
    if (sr_grow((void **)&r->rows, &r->cap, r->n + 1, sizeof *r->rows)) {
        r->failed = true;
        return;
    }
    unknown_row *row = &r->rows[r->n++];
    memset(row, 0, sizeof *row);
    snprintf(row->name, sizeof row->name, "%s", name);
    if (u->title_end > u->title_start && u->title_end <= r->doc->text_len)
        span_copy(row->title, sizeof row->title, text, u->title_start, u->title_end);
    snprintf(row->code, sizeof row->code, "%s", u->code);
    const char *d = r->date ? r->date : r->doc->published;
    if (d && strlen(d) >= 10)
        snprintf(row->first_date, sizeof row->first_date, "%.10s", d);
    row->count = 1;
    row->merged_into = SIZE_MAX;
}

static int on_doc(const sr_doc *doc, void *ctx)
{
    actors_run *r = ctx;
    r->doc = doc;
    sr_err e = code_env_doc(&r->env, doc, r->date);
    if (e == SR_ENOMEM || r->failed) {
        r->failed = true;
        return 1;
    }
    if (e != SR_OK)
        sr_skip(doc->path, doc->record, "cannot analyse: %s",
                e == SR_ETOOBIG ? "its text is over the text stage's caps (64 MiB, "
                                  "4 Mi tokens in one block)" : sr_strerror(e));
    return 0;
}

static int cmp_rows(const void *a, const void *b)
{
    const unknown_row *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* "Khalifa Belqasim Haftar" -> "KHALIFA_BELQASIM_HAFTAR" */
static void entry_phrase(char *out, size_t cap, const char *name)
{
    size_t w = 0;
    for (const char *p = name; *p && w + 1 < cap; p++)
        out[w++] = *p == ' ' ? '_' : (char)toupper((unsigned char)*p);
    out[w] = '\0';
}

int cmd_actors(int argc, char **argv)
{
    static const struct option opts[] = {
        {"unknown", no_argument, NULL, 'u'},
        {"dicts", required_argument, NULL, 'd'},
        {"no-shipped-dicts", no_argument, NULL, 'N'},
        {"date", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    actors_run r;
    memset(&r, 0, sizeof r);
    char **dicts = calloc((size_t)argc + 1, sizeof *dicts);
    size_t ndicts = 0;
    bool unknown = false;
    int status = SR_EXIT_OK, c, no_shipped = 0;
    if (!dicts)
        return cli_fatal("out of memory");
    optind = 1;
    while ((c = getopt_long(argc, argv, "ud:D:Nh", opts, NULL)) != -1) {
        switch (c) {
        case 'u': unknown = true; break;
        case 'd': dicts[ndicts++] = optarg; break;
        case 'N': no_shipped = 1; break;
        case 'D':
            if (!cli_valid_date(optarg)) {
                status = cli_usage_error("actors", "--date wants a date YYYY-MM-DD, not '%s'", optarg);
                goto out;
            }
            r.date = optarg;
            break;
        case 'h': usage(stdout); goto out;
        default: status = cli_usage_error("actors", "unknown option"); goto out;
        }
    }
    if (!unknown) {
        status = cli_usage_error("actors", "only --unknown is supported: list unknown actors");
        goto out;
    }
    status = code_env_open(&r.env, "actors", dicts, ndicts, no_shipped);
    if (status)
        goto out;
    sr_coder_on_unknown(r.env.coder, on_unknown, &r);
    sr_ingest_opts io = { 0, r.date };
    if (optind >= argc)
        sr_ingest_path("-", &io, on_doc, &r);
    for (int i = optind; i < argc && !r.failed; i++)
        sr_ingest_path(argv[i], &io, on_doc, &r);
    if (r.failed) {
        status = cli_fatal("out of memory");
        goto out;
    }
    qsort(r.rows, r.n, sizeof *r.rows, cmp_rows);
    /* a longer name ending in a shorter one with the same code is the same
     * person ("Syed Asim Munir", "Asim Munir"): one entry, with synonyms */
    for (size_t i = 0; i < r.n; i++)
        for (size_t j = 0; j < r.n; j++) {
            size_t li = strlen(r.rows[i].name), lj = strlen(r.rows[j].name);
            if (i == j || lj >= li || strcmp(r.rows[i].code, r.rows[j].code) != 0 ||
                r.rows[j].merged_into != SIZE_MAX || r.rows[i].merged_into != SIZE_MAX)
                continue;
            if (r.rows[i].name[li - lj - 1] == ' ' &&
                strcmp(r.rows[i].name + li - lj, r.rows[j].name) == 0) {
                r.rows[i].merged_into = j;
                r.rows[j].count += r.rows[i].count;
            }
        }
    size_t shown = 0;
    for (size_t i = 0; i < r.n; i++)
        shown += r.rows[i].merged_into == SIZE_MAX;
    printf("# unknown actors: %zu (count, name, title, code; then a suggested entry)\n", shown);
    /* most mentioned first, after merging */
    for (size_t done = 0; done < shown; done++) {
        size_t i = SIZE_MAX;
        for (size_t k = 0; k < r.n; k++)
            if (r.rows[k].merged_into == SIZE_MAX && !r.rows[k].printed &&
                (i == SIZE_MAX || cmp_rows(&r.rows[k], &r.rows[i]) < 0))
                i = k;
        unknown_row *u = &r.rows[i];
        u->printed = true;
        char phrase[MAX_NAME];
        entry_phrase(phrase, sizeof phrase, u->name);
        char since[16] = "";
        if (u->first_date[0])
            snprintf(since, sizeof since, " >%.2s%.2s%.2s", u->first_date + 2, u->first_date + 5,
                     u->first_date + 8);
        printf("%zu\t%s\t%s\t%s\n%s [%s%s]  # %zu mention%s%s%s%s\n", u->count, u->name,
               u->title[0] ? u->title : "-", u->code, phrase, u->code, since, u->count,
               u->count == 1 ? "" : "s", u->title[0] ? ", \"" : "", u->title,
               u->title[0] ? "\"" : "");
        for (size_t j = 0; j < r.n; j++)
            if (r.rows[j].merged_into == i) {
                entry_phrase(phrase, sizeof phrase, r.rows[j].name);
                printf("+%s\n", phrase);
            }
    }
    status = cli_finish_output(cli_status());
out:
    free(r.rows);
    code_env_close(&r.env);
    free(dicts);
    return status;
}
