/*
 * main.c - `sitrep COMMAND ...`: finds the command and runs it.
 *
 * Each command lives in its own cmd_<name>.c and parses its own options with
 * getopt_long, so a command's --help is next to the code it describes.
 */
#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/base.h"

static const sr_command commands[] = {
    {"sentences", cmd_sentences, "split text into sentences (one per line)"},
    {"tokens",    cmd_tokens,    "show tokens with their byte spans"},
    {"tag",       cmd_tag,       "part-of-speech tags of every token (word/TAG)"},
    {"extract",   cmd_extract,   "extract article text and metadata from any input"},
    {"code",      cmd_code,      "code CAMEO/PLOVER events from text (no store)"},
    {"evaluate",  cmd_evaluate,  "score the coder on PLOVER gold, TABARI or PETRARCH suites"},
    {"validate",  cmd_validate,  "the same as evaluate (its earlier name)"},
    {"actors",    cmd_actors,    "list actors, e.g. --unknown ones with suggested codes"},
    {"ingest",    cmd_ingest,    "read, code and store documents; assign stories"},
    {"recode",    cmd_recode,    "re-code stored documents with the current dictionaries and coder"},
    {"events",    cmd_events,    "query stored events (text, jsonl, csv, gdelt)"},
    {"stories",   cmd_stories,   "list stories (--min-outlets, --actor, --docs ID, ...)"},
    {"story",     cmd_story,     "a story's documents and, with --explain, why each joined"},
    {"brief",     cmd_brief,     "a story's claims, their support, and contradictions"},
    {"search",    cmd_search,    "full-text search over stored documents"},
    {"places",    cmd_places,    "places events happened at; --find: place mentions in text"},
    {"watch",     cmd_watch,     "follow feeds and sitemaps live over HTTP; store new reports"},
    {"sources",   cmd_sources,   "what watch follows: last fetch, status, errors, next poll"},
    {"dyad",      cmd_dyad,      "a dyad over time: events, Goldstein, QuadClass by week"},
    {"serve",     cmd_serve,     "serve the store over HTTP: JSON API and dashboard"},
};

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep [--version] [--help] COMMAND [options] [FILE...]\n"
        "\n"
        "Reads news reports (text, HTML, feeds, WARC, JSONL) and turns them into\n"
        "coded events, cross-outlet stories and briefs.\n"
        "\n"
        "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
        "\n"
        "FILE '-' or none reads standard input.  `sitrep COMMAND --help` for options.\n"
        "exit status: 0 ok, 1 some input skipped (see stderr), 2 usage error, 3 fatal\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sitrep %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'sitrep %s --help')\n", cmd);
    return SR_EXIT_USAGE;
}

int cli_fatal(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sitrep: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return SR_EXIT_FATAL;
}

int cli_status(void)
{
    return sr_skip_count() ? SR_EXIT_SKIPPED : SR_EXIT_OK;
}

int cli_finish_output(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE)
            return status;  /* reader went away (| head): not our failure */
        return cli_fatal("writing output: %s", strerror(errno));
    }
    return status;
}

int cli_parse_format(const char *cmd, const char *value, unsigned allowed)
{
    static const char *names[] = {"text", "jsonl", "json", "csv", "tsv",
                                  "gdelt", "markdown"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(value, names[i]) == 0 && (allowed & (1u << i)))
            return i;
    cli_usage_error(cmd, "unknown --format '%s'", value);
    return -1;
}

const char *cli_default_dict_dir(void)
{
    static char path[PATH_MAX];
    const char *env = getenv("SITREP_DICT");
    if (env && *env)
        return env;
    /* next to the binary: <prefix>/bin/sitrep -> <prefix>/share/sitrep/dict,
     * or a build tree <src>/build/sitrep -> <src>/dict */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *tries[] = {"/../dict", "/../share/sitrep/dict", "/../../dict"};
            for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
                snprintf(path, sizeof path, "%s%s", exe, tries[i]);
                if (access(path, R_OK) == 0)
                    return path;
            }
        }
    }
    return SITREP_DICT_INSTALL_DIR;
}

int cli_valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

int main(int argc, char **argv)
{
    /* a closed pipe (sitrep ... | head) shows as EPIPE on write, not a kill */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return SR_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return SR_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("sitrep %s\n", SITREP_VERSION);
        return SR_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sitrep: '%s' is not a command (see 'sitrep --help')\n", name);
    return SR_EXIT_USAGE;
}
