/*
 * cli.h - what every `sitrep COMMAND` shares: exit codes, the command table,
 * output formats, and small helpers for the FILE... convention.
 *
 * Conventions (docs/cli.md):
 *   sitrep COMMAND [options] [FILE...]   FILE "-" or none means stdin
 *   results on stdout, diagnostics on stderr, one line each:
 *       sitrep: FILE[:RECORD]: reason
 *   exit 0 all good; 1 done but some input was skipped; 2 usage error;
 *   3 fatal error.
 */
#ifndef SITREP_CLI_H
#define SITREP_CLI_H

#include <stdio.h>

enum {
    SR_EXIT_OK = 0,
    SR_EXIT_SKIPPED = 1,
    SR_EXIT_USAGE = 2,
    SR_EXIT_FATAL = 3,
};

typedef struct sr_command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
    const char *summary;                 /* one line for `sitrep --help` */
} sr_command;

/* One entry per command, each in its own cmd_<name>.c. */
int cmd_sentences(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_tag(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_code(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_evaluate(int argc, char **argv);
int cmd_actors(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_recode(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_stories(int argc, char **argv);
int cmd_story(int argc, char **argv);
int cmd_brief(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_sources(int argc, char **argv);
int cmd_dyad(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Output formats named by --format. */
typedef enum sr_out_format {
    SR_OUT_TEXT = 0, SR_OUT_JSONL, SR_OUT_JSON, SR_OUT_CSV, SR_OUT_TSV,
    SR_OUT_GDELT, SR_OUT_MARKDOWN,
} sr_out_format;

/* Parse a --format value; `allowed` is a bit set of (1 << SR_OUT_*).
 * Returns -1 (and prints a usage error) when it is not allowed. */
int cli_parse_format(const char *cmd, const char *value, unsigned allowed);

/* Print "sitrep COMMAND: message" and return SR_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print "sitrep: message" and return SR_EXIT_FATAL. */
int cli_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The status a command returns after processing its inputs: SR_EXIT_SKIPPED
 * if anything was skipped (sr_skip_count() > 0), else SR_EXIT_OK. */
int cli_status(void);

/* Where the shipped dictionaries are: $SITREP_DICT, else the dict/ folder
 * next to the binary's source tree or install prefix. Never NULL. */
const char *cli_default_dict_dir(void);

/* A calendar date "YYYY-MM-DD" (month 1-12, a day the month has, leap
 * years counted)?  Options that take a date check with this, so
 * "2019-13-45" is a usage error rather than a filter that matches
 * nothing or everything. */
int cli_valid_date(const char *s);

/* Flush stdout; report a write error (e.g. a closed pipe) as fatal. */
int cli_finish_output(int status);

#endif
