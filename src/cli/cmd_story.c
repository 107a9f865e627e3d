/*
 * cmd_story.c - `sitrep story ID` (also `sitrep stories --docs ID`): a
 * story's documents - outlet, time, title, near-copy-of - and with
 * --explain why each one is there: how it joined (the score and its parts),
 * the earlier document it was nearest to, the words and actors they share
 * and how far apart in time; and what happened to the story (merges,
 * splits).  So a user can check a story rather than trust it.
 *
 * The shared words are recomputed here from the two documents' texts with
 * the clusterer's own term bags (sr_story_terms, labels kept), not stored:
 * they cost nothing at ingest and always match the texts shown.
 */
#define _GNU_SOURCE   /* timegm */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/store_common.h"
#include "cli/story_docs.h"

#define SHARED_MAX 10   /* shared words shown per document */

typedef struct docs_out {
    int format;
    bool explain;
    int64_t story;
    sr_buf line;
    sr_story_terms a, b;
    size_t n;
    int err;              /* errno of a failed write */
} docs_out;

/* Seconds since the epoch of an ISO date ("2025-03-03" or with a time), or
 * -1. */
static long long iso_seconds(const char *s)
{
    if (!s || strlen(s) < 10)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3)
        return -1;
    if (strlen(s) >= 19 && (s[10] == 'T' || s[10] == ' '))
        if (sscanf(s + 11, "%2d:%2d:%2d", &h, &mi, &se) != 3)
            h = mi = se = 0;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return (long long)timegm(&tm);
}

/* "2025-03-03 14:45" from an ISO date, or "undated". */
static void short_time(const char *iso, char out[20])
{
    if (!iso || strlen(iso) < 10) {
        snprintf(out, 20, "undated");
        return;
    }
    if (strlen(iso) >= 16 && iso[10] == 'T')
        snprintf(out, 20, "%.10s %.5s", iso, iso + 11);
    else
        snprintf(out, 20, "%.10s", iso);
}

static bool in_list(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, code, n) == 0)
            return true;
        p += k + (p[k] == ',');
    }
    return false;
}

/* The words (not joined pairs, not event codes) both documents' term bags
 * hold, in the order of the first; appended as a JSON array or a
 * comma-separated list. */
static sr_err shared_words(docs_out *o, const sr_story_doc_row *d, sr_buf *b, bool json)
{
    sr_err e = sr_story_terms_build(&o->a, d->title, d->text, d->text_len, NULL, 0);
    if (!e)
        e = sr_story_terms_build(&o->b, d->nearest_title, d->nearest_text ? d->nearest_text : "",
                                 d->nearest_len, NULL, 0);
    if (e)
        return e;
    size_t shown = 0;
    if (json)
        e = sr_buf_putc(b, '[');
    for (size_t i = 0; !e && i < o->a.n && shown < SHARED_MAX; i++) {
        if (o->a.flags[i] & SR_TERM_PAIR)
            continue;
        bool both = false;
        for (size_t j = 0; j < o->b.n && !both; j++)
            both = o->b.term[j] == o->a.term[i];
        if (!both)
            continue;
        const char *w = sr_story_terms_label(&o->a, i);
        if (shown)
            e = sr_buf_puts(b, json ? "," : ", ");
        if (!e)
            e = json ? sr_buf_json_str(b, w, strlen(w)) : sr_buf_puts(b, w);
        shown++;
    }
    if (!e && json)
        e = sr_buf_putc(b, ']');
    else if (!e && !shown)
        e = sr_buf_puts(b, "no words");
    return e;
}

/* The actor countries both documents' events name. */
static sr_err shared_actors(const sr_story_doc_row *d, sr_buf *b, bool json)
{
    sr_err e = json ? sr_buf_putc(b, '[') : SR_OK;
    size_t shown = 0;
    for (const char *p = d->actors; !e && *p;) {
        size_t k = strcspn(p, ",");
        char code[16];
        snprintf(code, sizeof code, "%.*s", (int)(k < 15 ? k : 15), p);
        if (in_list(d->nearest_actors, code)) {
            if (shown++)
                e = sr_buf_puts(b, json ? "," : ", ");
            if (!e)
                e = json ? sr_buf_json_str(b, code, strlen(code)) : sr_buf_puts(b, code);
        }
        p += k + (p[k] == ',');
    }
    if (!e && json)
        e = sr_buf_putc(b, ']');
    else if (!e && !shown)
        e = sr_buf_puts(b, "none");
    return e;
}

/* Hours from the nearest document to this one (NaN-free: false if either
 * is undated). */
static bool hours_apart(const sr_story_doc_row *d, double *h)
{
    long long a = iso_seconds(d->published), b = iso_seconds(d->nearest_published);
    if (a < 0 || b < 0)
        return false;
    *h = (double)(a - b) / 3600.0;
    return true;
}

static sr_err explain_text(docs_out *o, const sr_story_doc_row *d, sr_buf *b)
{
    sr_err e = sr_buf_puts(b, "      why: ");
    if (e)
        return e;
    if (!d->how)
        return sr_buf_puts(b, "not recorded (stored before sitrep kept the reason)\n");
    if (strcmp(d->how, "opened") == 0)
        e = sr_buf_puts(b, "opened the story");
    else if (strcmp(d->how, "near-copy") == 0)
        e = sr_buf_printf(b, "near-copy of #%lld, so it goes where that went",
                          (long long)d->nearest);
    else {
        e = sr_buf_printf(b, "joined at score %.3f (profile %.3f, nearest documents %.3f, "
                             "time %.2f)", d->score, d->profile, d->link, d->time_factor);
        if (!e && d->nearest) {
            double h;
            e = sr_buf_printf(b, "; nearest #%lld", (long long)d->nearest);
            if (!e && hours_apart(d, &h))
                e = sr_buf_printf(b, ", %.1f h %s", h < 0 ? -h : h, h < 0 ? "later" : "earlier");
            if (!e)
                e = sr_buf_puts(b, "; shares ");
            if (!e)
                e = shared_words(o, d, b, false);
            if (!e)
                e = sr_buf_puts(b, "; actors in common: ");
            if (!e)
                e = shared_actors(d, b, false);
        }
    }
    if (!e && d->joined_story && d->joined_story != o->story)
        e = sr_buf_printf(b, "; it joined story %lld, which is now part of this one or "
                             "split into it", (long long)d->joined_story);
    return e ? e : sr_buf_putc(b, '\n');
}

static sr_err explain_json(docs_out *o, const sr_story_doc_row *d, sr_buf *b)
{
    sr_err e = sr_buf_json_kv(b, "how", d->how);
    if (!e)
        e = sr_buf_printf(b, ",\"joined_story\":%lld", (long long)d->joined_story);
    if (!e && d->how && strcmp(d->how, "joined") == 0)
        e = sr_buf_printf(b, ",\"score\":%.4f,\"profile\":%.4f,\"link\":%.4f,\"time_factor\":%.4f",
                          d->score, d->profile, d->link, d->time_factor);
    if (!e && d->nearest) {
        double h;
        e = sr_buf_printf(b, ",\"nearest\":%lld", (long long)d->nearest);
        if (!e && hours_apart(d, &h))
            e = sr_buf_printf(b, ",\"hours_after_nearest\":%.2f", h);
        if (!e)
            e = sr_buf_puts(b, ",\"shared_words\":");
        if (!e)
            e = shared_words(o, d, b, true);
        if (!e)
            e = sr_buf_puts(b, ",\"shared_actors\":");
        if (!e)
            e = shared_actors(d, b, true);
    }
    return e;
}

static int on_doc(const sr_story_doc_row *d, void *ctx)
{
    docs_out *o = ctx;
    sr_buf *b = &o->line;
    sr_err e;
    sr_buf_reset(b);
    o->n++;
    if (o->format == SR_OUT_JSONL) {
        e = sr_buf_printf(b, "{\"story\":%lld,\"id\":%lld", (long long)o->story, (long long)d->id);
        if (!e) e = sr_buf_json_kv(b, "outlet", d->outlet);
        if (!e) e = sr_buf_json_kv(b, "published", d->published);
        if (!e) e = sr_buf_json_kv(b, "title", d->title);
        if (!e) e = sr_buf_json_kv(b, "url", d->url);
        if (!e) e = d->copy_of ? sr_buf_printf(b, ",\"copy_of\":%lld", (long long)d->copy_of)
                               : sr_buf_puts(b, ",\"copy_of\":null");
        if (!e && o->explain)
            e = explain_json(o, d, b);
        if (!e) e = sr_buf_puts(b, "}\n");
    } else {
        char when[20], title[160];
        short_time(d->published, when);
        if (d->title && *d->title) {
            snprintf(title, sizeof title, "%s", d->title);
        } else {   /* the start of the text, on one line */
            size_t n = d->text_len < sizeof title - 1 ? d->text_len : sizeof title - 1;
            while (n > 0 && n < d->text_len && (d->text[n] & 0xC0) == 0x80)
                n--;
            memcpy(title, d->text, n);
            title[n] = '\0';
            for (char *p = title; *p; p++)
                if (*p == '\n' || *p == '\r' || *p == '\t')
                    *p = ' ';
        }
        e = sr_buf_printf(b, "  #%-6lld %-16s  %-24s  %s", (long long)d->id, when, d->outlet, title);
        if (!e && d->copy_of)
            e = sr_buf_printf(b, "  [near-copy of #%lld]", (long long)d->copy_of);
        if (!e)
            e = sr_buf_putc(b, '\n');
        if (!e && o->explain)
            e = explain_text(o, d, b);
    }
    if (e) {
        o->err = ENOMEM;
        return 1;
    }
    if (fwrite(b->p, 1, b->len, stdout) != b->len) {
        o->err = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

static int on_change(const sr_story_change_row *c, void *ctx)
{
    docs_out *o = ctx;
    if (o->format == SR_OUT_JSONL)
        return 0;
    if (strcmp(c->kind, "merge") == 0 && c->into == o->story)
        printf("  merged into it: story %lld (document #%lld bridged them)\n",
               (long long)c->from, (long long)c->doc_id);
    else if (strcmp(c->kind, "split") == 0 && c->from == o->story)
        printf("  split: %lld documents left for story %lld\n", (long long)c->documents,
               (long long)c->into);
    else if (strcmp(c->kind, "split") == 0 && c->into == o->story)
        printf("  split off story %lld (%lld documents)\n", (long long)c->from,
               (long long)c->documents);
    return 0;
}

int story_docs_run(const char *db_path, int64_t id, bool explain, int format)
{
    sr_store *st;
    int status = store_open_read(store_path(db_path), &st);
    if (status)
        return status;
    docs_out o = { format, explain, 0, SR_BUF_INIT(1 << 20), {0}, {0}, 0, 0 };
    o.a.keep_labels = o.b.keep_labels = true;
    o.story = sr_store_story_current(st, id);
    if (!o.story) {
        sr_store_close(st);
        return cli_fatal("no story %lld", (long long)id);
    }
    if (format == SR_OUT_TEXT) {
        if (o.story != id)
            printf("story %lld was merged into story %lld\n", (long long)id, (long long)o.story);
        printf("story %lld\n", (long long)o.story);
        if (sr_store_story_changes(st, o.story, on_change, &o) != SR_OK)
            status = cli_fatal("story: %s", sr_store_errmsg(st));
    }
    if (!status && sr_store_story_docs(st, o.story, on_doc, &o) != SR_OK && !o.err)
        status = cli_fatal("story: %s", sr_store_errmsg(st));
    if (!status && !o.err && o.n == 0 && format == SR_OUT_TEXT)
        printf("  (no documents: they all moved to other stories)\n");
    sr_story_terms_free(&o.a);
    sr_story_terms_free(&o.b);
    sr_buf_free(&o.line);
    sr_store_close(st);
    if (o.err == ENOMEM)
        return cli_fatal("out of memory");
    if (o.err)
        return o.err == EPIPE ? SR_EXIT_OK : cli_fatal("writing output: %s", strerror(o.err));
    return status ? status : cli_finish_output(SR_EXIT_OK);
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sitrep story [--db PATH] [--explain] [--format text|jsonl] STORY_ID\n"
        "\n"
        "A story's documents in the order they came: id, time, outlet, title, and\n"
        "which document a near-copy repeats.  A story merged into another leads\n"
        "to that one.  Same as `sitrep stories --docs STORY_ID`.\n"
        "\n"
        "  --db PATH        the store (default $SITREP_DB or ./sitrep.db)\n"
        "  --explain        say why each document is in the story: opened it, or\n"
        "                   joined at what score (profile, nearest documents, time),\n"
        "                   the earlier document it was nearest to, the words and\n"
        "                   actors they share and how many hours apart; or a\n"
        "                   near-copy of which document; and merges and splits\n"
        "  --format F       text (default) or jsonl (one document per line; with\n"
        "                   --explain: how, score, profile, link, time_factor,\n"
        "                   nearest, hours_after_nearest, shared_words, shared_actors)\n");
}

int cmd_story(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'b'},
        {"explain", no_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    bool explain = false;
    int format = SR_OUT_TEXT, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:ef:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'e': explain = true; break;
        case 'f':
            format = cli_parse_format("story", optarg, (1u << SR_OUT_TEXT) | (1u << SR_OUT_JSONL));
            if (format < 0)
                return SR_EXIT_USAGE;
            break;
        case 'h': usage(stdout); return SR_EXIT_OK;
        default: return cli_usage_error("story", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("story", "which story? give STORY_ID");
    if (optind + 1 < argc)
        return cli_usage_error("story", "one story at a time");
    char *end;
    errno = 0;
    long long v = strtoll(argv[optind], &end, 10);
    if (errno || end == argv[optind] || *end || v <= 0)
        return cli_usage_error("story", "'%s' is not a story id", argv[optind]);
    return story_docs_run(db, v, explain, format);
}
