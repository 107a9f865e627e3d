/*
 * cmd_tokens.c - `sitrep tokens`: every token with its span, kind, folded
 * form and lexicon id; the view the coder matches dictionaries against.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/text_input.h"
#include "sitrep/text.h"

typedef struct tok_run {
    int format;
    sr_lexicon *lex;
    sr_textdoc td;
    sr_buf line;
    size_t sentence;
    int failed;
} tok_run;

static const char *tok_kind(uint8_t k)
{
    static const char *const names[] = { "word", "number", "punct", "possessive", "symbol" };
    return k < 5 ? names[k] : "?";
}

static sr_err flags_str(uint8_t f, sr_buf *b)
{
    static const char *const names[] = { "cap", "allcaps", "hyphen", "abbrev", "start" };
    bool any = false;
    for (int i = 0; i < 5; i++)
        if (f & (1 << i)) {
            sr_err e = sr_buf_printf(b, "%s%s", any ? "," : "", names[i]);
            if (e != SR_OK)
                return e;
            any = true;
        }
    return any ? SR_OK : sr_buf_putc(b, '-');
}

static int on_text(const char *doc, const char *text, size_t len, size_t base, int first, void *ctx)
{
    tok_run *r = ctx;
    if (first)
        r->sentence = 0;
    sr_text_opts o = { r->lex, false, false };
    sr_err e = sr_text_analyze(&r->td, text, len, &o);
    if (e != SR_OK) {
        sr_skip(doc, NULL, "%s", sr_strerror(e));
        return 0;
    }
    for (size_t si = 0; si < r->td.nsents; si++, r->sentence++) {
        const sr_sentence *s = &r->td.sents[si];
        for (uint32_t k = 0; k < s->tok_count; k++) {
            const sr_token *t = &r->td.toks[s->tok_first + k];
            size_t fn;
            const char *f = sr_token_fold(&r->td, t, &fn);
            sr_buf_reset(&r->line);
            if (r->format == SR_OUT_JSONL) {
                e = sr_buf_puts(&r->line, "{\"doc\":");
                if (e == SR_OK) e = sr_buf_json_str(&r->line, doc, strlen(doc));
                if (e == SR_OK)
                    e = sr_buf_printf(&r->line, ",\"sentence\":%zu,\"start\":%zu,\"end\":%zu,\"kind\":\"%s\",\"text\":",
                                      r->sentence, base + t->start, base + t->end, tok_kind(t->kind));
                if (e == SR_OK) e = sr_buf_json_str(&r->line, text + t->start, t->end - t->start);
                if (e == SR_OK) e = sr_buf_puts(&r->line, ",\"fold\":");
                if (e == SR_OK) e = sr_buf_json_str(&r->line, f, fn);
                if (e == SR_OK) e = sr_buf_printf(&r->line, ",\"id\":%u,\"flags\":\"", t->id);
                if (e == SR_OK) e = flags_str(t->flags, &r->line);
                if (e == SR_OK) e = sr_buf_puts(&r->line, "\"}\n");
            } else {
                /* sentence, span, kind, surface, folded form, flags */
                e = sr_buf_printf(&r->line, "%zu\t%zu-%zu\t%s\t", r->sentence,
                                  base + t->start, base + t->end, tok_kind(t->kind));
                for (uint32_t q = t->start; q < t->end && e == SR_OK; q++) {
                    char ch = text[q];
                    e = sr_buf_putc(&r->line, (ch == '\n' || ch == '\t' || ch == '\r') ? ' ' : ch);
                }
                if (e == SR_OK) e = sr_buf_putc(&r->line, '\t');
                if (e == SR_OK) e = sr_buf_append(&r->line, f, fn);
                if (e == SR_OK) e = sr_buf_putc(&r->line, '\t');
                if (e == SR_OK) e = flags_str(t->flags, &r->line);
                if (e == SR_OK) e = sr_buf_putc(&r->line, '\n');
            }
            if (e != SR_OK) {
                sr_skip(doc, NULL, "token not printed: %s", sr_strerror(e));
                continue;
            }
            if (fwrite(r->line.p, 1, r->line.len, stdout) != r->line.len) {
                r->failed = 1;
                return 1;
            }
        }
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep tokens [--format text|jsonl] [FILE...]\n"
        "\n"
        "Show the tokens the coder sees: words, numbers, punctuation, possessive\n"
        "'s and symbols, each with its byte span in the input, its folded\n"
        "(matching) form and flags (cap, allcaps, hyphen, abbrev, start).\n"
        "\n"
        "  --format text|jsonl  text (default): SENTENCE START-END KIND SURFACE FOLD FLAGS\n"
        "                       jsonl: {\"doc\",\"sentence\",\"start\",\"end\",\"kind\",\n"
        "                       \"text\",\"fold\",\"id\",\"flags\"}\n"
        "  -h, --help           this help\n");
}

int cmd_tokens(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tok_run r;
    memset(&r, 0, sizeof r);
    sr_buf_init(&r.line, (size_t)1 << 20);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            r.format = cli_parse_format("tokens", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (r.format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h':
            usage(stdout);
            return SR_EXIT_OK;
        default:
            return cli_usage_error("tokens", "unknown option");
        }
    }
    r.lex = sr_lexicon_new();
    if (!r.lex)
        return cli_fatal("out of memory");
    int rc = cli_each_text_arg(argc, argv, optind, on_text, &r);
    sr_textdoc_free(&r.td);
    sr_buf_free(&r.line);
    sr_lexicon_free(r.lex);
    if (rc < 0)
        return cli_fatal("out of memory");
    return cli_finish_output(cli_status());
}
