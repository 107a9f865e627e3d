/*
 * sbd_rules.h - running the English sentence-splitting golden rules
 * (../shared/data/sbd) through any splitter, so the conformance test
 * (sitrep's splitter) and the benchmark (ICU's BreakIterator, for
 * comparison) score with one comparison.
 *
 * A splitter appends each sentence it finds to `out`, separated by '\x1e',
 * and returns how many it found.  Comparison folds runs of white space to
 * one space and drops list bullets (U+2022, U+2043) on both sides: sitrep
 * prints a sentence on one line and keeps bullets as layout (the unit
 * kind), not as text.  The pragmatic segmenter's rules were written in Ruby,
 * where "\n" in a string is a line break; in the JSON some arrive as a
 * backslash and 'n' (and \" as backslash-quote), and are turned back into
 * what the rule's author typed.
 */
#ifndef SITREP_TESTS_SBD_RULES_H
#define SITREP_TESTS_SBD_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sitrep/base.h"
#include "sitrep/text.h"

typedef size_t (*sbd_split_fn)(const char *text, size_t n, sr_buf *out, void *ctx);

static void sbd_unescape(const char *s, sr_buf *out)
{
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && (s[i + 1] == 'n' || s[i + 1] == '"')) {
            sr_buf_putc(out, s[i + 1] == 'n' ? '\n' : '"');
            i++;
        } else {
            sr_buf_putc(out, s[i]);
        }
    }
}

static void sbd_normalize(const char *s, size_t n, sr_buf *out)
{
    bool space = false;
    sr_buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xE2 && i + 2 < n &&
            (((unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xA2) ||
             ((unsigned char)s[i + 1] == 0x81 && (unsigned char)s[i + 2] == 0x83))) {
            i += 2;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = out->len > 0;
            continue;
        }
        if (space)
            sr_buf_putc(out, ' ');
        space = false;
        sr_buf_putc(out, (char)c);
    }
}

/* Run every rule of the JSON file at path; print failures when verbose.
 * Returns 0, or -1 when the file cannot be read. */
static int sbd_run(const char *path, sbd_split_fn fn, void *ctx, bool verbose,
                   int *passed, int *total)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root || !json_is_array(root)) {
        fprintf(stderr, "%s: %s\n", path, root ? "not an array" : jerr.text);
        json_decref(root);
        return -1;
    }
    sr_buf in = SR_BUF_INIT(0), got = SR_BUF_INIT(0), a = SR_BUF_INIT(0), b = SR_BUF_INIT(0);
    size_t i;
    json_t *rule;
    *passed = *total = 0;
    json_array_foreach(root, i, rule) {
        const char *text = json_string_value(json_object_get(rule, "text"));
        json_t *exp = json_object_get(rule, "expected");
        if (!text || !json_is_array(exp))
            continue;
        (*total)++;
        sr_buf_reset(&in);
        sr_buf_reset(&got);
        sbd_unescape(text, &in);
        size_t n = fn(in.p ? in.p : "", in.len, &got, ctx);
        bool ok = n == json_array_size(exp);
        const char *g = got.p ? got.p : "";
        for (size_t k = 0; ok && k < n; k++) {
            const char *sep = strchr(g, '\x1e');
            size_t len = sep ? (size_t)(sep - g) : strlen(g);
            const char *e = json_string_value(json_array_get(exp, k));
            sbd_normalize(g, len, &a);
            sbd_normalize(e ? e : "", e ? strlen(e) : 0, &b);
            ok = a.len == b.len && memcmp(a.p ? a.p : "", b.p ? b.p : "", a.len) == 0;
            g = sep ? sep + 1 : g + len;
        }
        if (ok) {
            (*passed)++;
        } else if (verbose) {
            printf("  rule %d (%s) FAILED:\n", (int)json_integer_value(json_object_get(rule, "id")),
                   json_string_value(json_object_get(rule, "name")));
            for (const char *p = got.p ? got.p : ""; *p;) {
                const char *sep = strchr(p, '\x1e');
                size_t len = sep ? (size_t)(sep - p) : strlen(p);
                printf("      got [%.*s]\n", (int)len, p);
                p = sep ? sep + 1 : p + len;
            }
            for (size_t k = 0; k < json_array_size(exp); k++)
                printf("      want[%s]\n", json_string_value(json_array_get(exp, k)));
        }
    }
    sr_buf_free(&in);
    sr_buf_free(&got);
    sr_buf_free(&a);
    sr_buf_free(&b);
    json_decref(root);
    return 0;
}

/* sitrep's splitter as `sitrep sentences` runs it; ctx is an sr_textdoc. */
static size_t sbd_sitrep_split(const char *text, size_t n, sr_buf *out, void *ctx)
{
    sr_textdoc *td = ctx;
    sr_text_opts o = { NULL, false, true };
    if (sr_text_analyze(td, text, n, &o) != SR_OK)
        return 0;
    for (size_t k = 0; k < td->nsents; k++) {
        if (k)
            sr_buf_putc(out, '\x1e');
        sr_sentence_text(td, k, out);
    }
    return td->nsents;
}

#endif
