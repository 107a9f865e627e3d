/*
 * cmd_sentences.c - `sitrep sentences`: one sentence per line, or JSONL
 * with byte offsets into the original input.
 *
 * The text pipeline runs without tokens (no lexicon, no folding): this is
 * the command to check splitting and layout repair on a report before
 * coding it, and the one the sentence-splitting golden cases drive.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/text_input.h"
#include "sitrep/text.h"

typedef struct sent_run {
    int format;
    bool kinds;
    sr_textdoc td;
    sr_buf line, text;
    size_t index;        /* sentence number within the document */
    int failed;
} sent_run;

static const char *kind_name(uint8_t k)
{
    return k == SR_UNIT_HEADING ? "heading" : k == SR_UNIT_LIST_ITEM ? "item" : "sentence";
}

static int on_text(const char *doc, const char *text, size_t len, size_t base, int first, void *ctx)
{
    sent_run *r = ctx;
    if (first)
        r->index = 0;
    sr_text_opts o = { NULL, false, true };
    sr_err e = sr_text_analyze(&r->td, text, len, &o);
    if (e != SR_OK) {
        sr_skip(doc, NULL, "%s", sr_strerror(e));
        return 0;
    }
    if (r->td.n_invalid)
        sr_warn(doc, NULL, "%zu invalid UTF-8 sequences replaced with U+FFFD", r->td.n_invalid);
    for (size_t i = 0; i < r->td.nsents; i++) {
        const sr_sentence *s = &r->td.sents[i];
        sr_buf_reset(&r->text);
        sr_buf_reset(&r->line);
        e = sr_sentence_text(&r->td, i, &r->text);
        if (e == SR_OK && r->format == SR_OUT_JSONL) {
            e = sr_buf_puts(&r->line, "{\"doc\":");
            if (e == SR_OK) e = sr_buf_json_str(&r->line, doc, strlen(doc));
            if (e == SR_OK)
                e = sr_buf_printf(&r->line, ",\"index\":%zu,\"start\":%zu,\"end\":%zu,\"kind\":\"%s\",\"para\":%u,\"text\":",
                                  r->index, base + s->start, base + s->end, kind_name(s->kind), s->para);
            if (e == SR_OK) e = sr_buf_json_str(&r->line, r->text.p ? r->text.p : "", r->text.len);
            if (e == SR_OK) e = sr_buf_puts(&r->line, "}\n");
        } else if (e == SR_OK) {
            if (r->kinds && s->kind != SR_UNIT_SENTENCE)
                e = sr_buf_printf(&r->line, "[%s] ", kind_name(s->kind));
            if (e == SR_OK) e = sr_buf_append(&r->line, r->text.p ? r->text.p : "", r->text.len);
            if (e == SR_OK) e = sr_buf_putc(&r->line, '\n');
        }
        r->index++;
        if (e != SR_OK) {
            char rec[32];
            snprintf(rec, sizeof rec, "%zu", r->index);
            sr_skip(doc, rec, "sentence not printed: %s", sr_strerror(e));
            continue;
        }
        if (fwrite(r->line.p, 1, r->line.len, stdout) != r->line.len) {
            r->failed = 1;
            return 1;
        }
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep sentences [--format text|jsonl] [--kinds] [FILE...]\n"
        "\n"
        "Split reports into sentences: one per line (line breaks inside a sentence\n"
        "become spaces), after repairing hard-wrapped lines, bullets and headings.\n"
        "Plain text is streamed (any size); HTML, feeds, WARC and JSONL inputs are\n"
        "read as documents first.  '-' or no FILE reads standard input.\n"
        "\n"
        "  --format text|jsonl  jsonl: {\"doc\",\"index\",\"start\",\"end\",\"kind\",\"para\",\n"
        "                       \"text\"}, start/end byte offsets into the input\n"
        "  --kinds              text: mark headings and list items ([heading] ...)\n"
        "  -h, --help           this help\n");
}

int cmd_sentences(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"kinds", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sent_run r;
    memset(&r, 0, sizeof r);
    sr_buf_init(&r.line, (size_t)1 << 20);
    sr_buf_init(&r.text, (size_t)1 << 20);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:kh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            r.format = cli_parse_format("sentences", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (r.format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'k':
            r.kinds = true;
            break;
        case 'h':
            usage(stdout);
            return SR_EXIT_OK;
        default:
            return cli_usage_error("sentences", "unknown option");
        }
    }
    int rc = cli_each_text_arg(argc, argv, optind, on_text, &r);
    sr_textdoc_free(&r.td);
    sr_buf_free(&r.line);
    sr_buf_free(&r.text);
    if (rc < 0)
        return cli_fatal("out of memory");
    return cli_finish_output(cli_status());
}
