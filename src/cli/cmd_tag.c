/*
 * cmd_tag.c - `sitrep tag`: part-of-speech tags of every token, the view the
 * coder's syntax sees (sitrep/syntax.h).  Its text output, one sentence a
 * line of word/TAG, is what tests/golden/pos/ cases are written in.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/text_input.h"
#include "sitrep/syntax.h"
#include "sitrep/text.h"

enum { TAG_TEXT = 0, TAG_JSONL = 1, TAG_CONLLU = 2 };

typedef struct tag_run {
    int format;
    sr_tagger *tagger;
    sr_tagstate *state;
    sr_textdoc td;
    sr_buf line;
    size_t sentence;
    int failed;
} tag_run;

/* The token's surface text with line breaks and tabs as spaces. */
static sr_err put_surface(sr_buf *b, const char *text, const sr_token *t, bool json)
{
    if (json)
        return sr_buf_json_str(b, text + t->start, t->end - t->start);
    sr_err e = SR_OK;
    for (uint32_t q = t->start; q < t->end && e == SR_OK; q++) {
        char ch = text[q];
        e = sr_buf_putc(b, (ch == '\n' || ch == '\t' || ch == '\r' || ch == ' ') ? '_' : ch);
    }
    return e;
}

static sr_err format_sentence(tag_run *r, const char *doc, const char *text, size_t base,
                              const sr_sentence *s, const uint8_t *tags)
{
    sr_buf *b = &r->line;
    sr_err e = SR_OK;
    if (r->format == TAG_CONLLU)
        e = sr_buf_printf(b, "# sent_id = %zu\n", r->sentence + 1);
    for (uint32_t k = 0; k < s->tok_count && e == SR_OK; k++) {
        const sr_token *t = &r->td.toks[s->tok_first + k];
        const char *tag = sr_pos_name((sr_pos)tags[k]);
        switch (r->format) {
        case TAG_TEXT:
            if (k > 0)
                e = sr_buf_putc(b, ' ');
            if (e == SR_OK) e = put_surface(b, text, t, false);
            if (e == SR_OK) e = sr_buf_printf(b, "/%s", tag);
            break;
        case TAG_CONLLU:
            e = sr_buf_printf(b, "%u\t", k + 1);
            if (e == SR_OK) e = put_surface(b, text, t, false);
            if (e == SR_OK)
                e = sr_buf_printf(b, "\t_\t%s\t%s\t_\t_\t_\t_\t_\n",
                                  sr_upos_name(sr_pos_upos((sr_pos)tags[k])), tag);
            break;
        default:
            e = sr_buf_puts(b, "{\"doc\":");
            if (e == SR_OK) e = sr_buf_json_str(b, doc, strlen(doc));
            if (e == SR_OK)
                e = sr_buf_printf(b, ",\"sentence\":%zu,\"start\":%zu,\"end\":%zu,\"text\":",
                                  r->sentence, base + t->start, base + t->end);
            if (e == SR_OK) e = put_surface(b, text, t, true);
            if (e == SR_OK)
                e = sr_buf_printf(b, ",\"pos\":\"%s\",\"upos\":\"%s\"}\n", tag,
                                  sr_upos_name(sr_pos_upos((sr_pos)tags[k])));
            break;
        }
    }
    if (e == SR_OK && r->format != TAG_JSONL)
        e = sr_buf_putc(b, '\n');
    return e;
}

static int on_text(const char *doc, const char *text, size_t len, size_t base, int first, void *ctx)
{
    tag_run *r = ctx;
    if (first)
        r->sentence = 0;
    sr_text_opts o = { NULL, false, false };
    sr_err e = sr_text_analyze(&r->td, text, len, &o);
    if (e != SR_OK) {
        sr_skip(doc, NULL, "%s", sr_strerror(e));
        return 0;
    }
    uint8_t tags[SR_TEXT_MAX_TOKENS];
    for (size_t si = 0; si < r->td.nsents; si++, r->sentence++) {
        const sr_sentence *s = &r->td.sents[si];
        e = sr_tag_sentence(r->tagger, r->state, &r->td, si, tags);
        sr_buf_reset(&r->line);
        if (e == SR_OK)
            e = format_sentence(r, doc, text, base, s, tags);
        if (e != SR_OK) {
            sr_skip(doc, NULL, "sentence %zu not tagged: %s", r->sentence, sr_strerror(e));
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
        "usage: sitrep tag [--format text|jsonl|conllu] [--model FILE] [--info] [FILE...]\n"
        "\n"
        "Tag every token with its part of speech (Penn Treebank tags as in the\n"
        "UD English Web Treebank: NN VBD VBN IN ...), one sentence at a time.\n"
        "\n"
        "  --format text    (default) one sentence a line: word/TAG word/TAG ...\n"
        "                   (spaces inside a token are written _)\n"
        "           jsonl   {\"doc\",\"sentence\",\"start\",\"end\",\"text\",\"pos\",\"upos\"}\n"
        "           conllu  CoNLL-U lines: ID FORM _ UPOS XPOS _ _ _ _ _\n"
        "  --model FILE     the model (default: DICT/" SR_TAGGER_MODEL_FILE ", DICT being\n"
        "                   $SITREP_DICT or the shipped dictionaries)\n"
        "  --info           print what the model holds and exit\n"
        "  -h, --help       this help\n");
}

int cmd_tag(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"model", required_argument, NULL, 'm'},
        {"info", no_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    tag_run r;
    memset(&r, 0, sizeof r);
    const char *model = NULL;
    bool info = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:m:ih", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "text") == 0)
                r.format = TAG_TEXT;
            else if (strcmp(optarg, "jsonl") == 0)
                r.format = TAG_JSONL;
            else if (strcmp(optarg, "conllu") == 0)
                r.format = TAG_CONLLU;
            else
                return cli_usage_error("tag", "unknown --format '%s'", optarg);
            break;
        case 'm':
            model = optarg;
            break;
        case 'i':
            info = true;
            break;
        case 'h':
            usage(stdout);
            return SR_EXIT_OK;
        default:
            return cli_usage_error("tag", "unknown option");
        }
    }
    char path[4096];
    if (!model) {
        snprintf(path, sizeof path, "%s/%s", cli_default_dict_dir(), SR_TAGGER_MODEL_FILE);
        model = path;
    }
    sr_err e;
    sr_tagger_err msg;
    r.tagger = sr_tagger_load_ex(model, &e, &msg);
    if (!r.tagger)
        return cli_fatal("%s", msg.msg);
    if (info) {
        sr_tagger_info in;
        sr_tagger_get_info(r.tagger, &in);
        printf("model: %s\nversion: %u\ntags: %u\nfeatures: %zu\nlexicon forms: %zu\n"
               "memory: %.1f MB\ntrained on: %s\n", model, in.version, in.ntags, in.features,
               in.lexicon_words, (double)in.bytes / 1e6, in.source);
        sr_tagger_free(r.tagger);
        return cli_finish_output(SR_EXIT_OK);
    }
    r.state = sr_tagstate_new(r.tagger);
    sr_buf_init(&r.line, (size_t)1 << 20);
    int rc = r.state ? cli_each_text_arg(argc, argv, optind, on_text, &r) : -1;
    sr_textdoc_free(&r.td);
    sr_buf_free(&r.line);
    sr_tagstate_free(r.state);
    sr_tagger_free(r.tagger);
    if (rc < 0)
        return cli_fatal("out of memory");
    return cli_finish_output(cli_status());
}
