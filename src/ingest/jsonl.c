/*
 * jsonl.c - JSON Lines documents: one object per line,
 *   {"url","outlet","published","title","author","lang","text"}
 * or "html" in place of "text" (then the page goes through the article
 * extractor, and the line's own fields win over what the page says: the
 * producer of the file knew better).  Any other field is kept, untouched,
 * in sr_doc.meta_json.
 *
 * Lines are read from the stream one at a time with a cap (the per-file
 * cap), so a multi-gigabyte dump costs one line of memory; a bad line is
 * reported with its number and the next one is read, the first line too
 * (whether a file is JSON Lines does not hang on its first line: see
 * whole_document()).  jansson parses each line (its error messages name
 * the column, which makes a bad line findable); \u0000 and unpaired
 * surrogates become U+FFFD rather than losing the line.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char *const known[] = {"url", "outlet", "published", "title", "author",
                                    "lang", "text", "html", NULL};

/* A string field, or NULL (a non-string value is reported and ignored). */
static const char *str_field(json_t *o, const char *key, const char *path,
                             const char *rec)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        sr_warn(path, rec, "\"%s\" is not a string; ignored", key);
        return NULL;
    }
    const char *s = json_string_value(v);
    return s && *s ? s : NULL;
}

static int one_object(json_t *o, size_t lineno, const char *path,
                      const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    char rec[32], date[21];
    json_t *rest = NULL;
    char *meta = NULL;
    int rc = 0;
    snprintf(rec, sizeof rec, "%zu", lineno);
    if (!json_is_object(o)) {
        ing_skip(opts, path, rec, "line %zu is not a JSON object", lineno);
        goto out;
    }
    sr_doc d = {0};
    d.path = path;
    d.record = rec;
    d.format = SR_FMT_JSONL;
    d.url = str_field(o, "url", path, rec);
    d.outlet = str_field(o, "outlet", path, rec);
    d.title = str_field(o, "title", path, rec);
    d.author = str_field(o, "author", path, rec);
    d.lang = str_field(o, "lang", path, rec);
    const char *published = str_field(o, "published", path, rec);
    if (published) {
        if (sr_ingest_date(published, date))
            d.published = date;
        else
            sr_warn(path, rec, "\"published\" is not a date we can read (%.40s); left unset",
                    published);
    }
    const char *text = str_field(o, "text", path, rec);
    const char *html = text ? NULL : str_field(o, "html", path, rec);
    if (!text && !html) {
        ing_skip(opts, path, rec, "line %zu has no \"text\" or \"html\"", lineno);
        goto out;
    }
    rest = json_copy(o);
    if (!rest) {
        rc = SR_ENOMEM;
        goto out;
    }
    for (const char *const *k = known; *k; k++)
        json_object_del(rest, *k);
    if (json_object_size(rest) > 0) {
        meta = json_dumps(rest, JSON_COMPACT);
        if (!meta) {
            rc = SR_ENOMEM;
            goto out;
        }
        d.meta_json = meta;
    }
    if (html) {
        rc = ing_html_doc(html, strlen(html), "utf-8", &d, 1, opts, fn, ctx);
        goto out;
    }
    d.text = text;
    d.text_len = strlen(text);
    rc = ing_emit(opts, &d, fn, ctx);
out:
    free(meta);
    json_decref(rest);
    return rc;
}

/*
 * \u0000 and unpaired UTF-16 surrogate escapes (\uD800 alone, a low half
 * first) are legal JSON text that jansson refuses, and a crawler's dump
 * has them; each becomes \uFFFD in place (same length), so the line is
 * read with U+FFFD where the bad character was, as for any undecodable
 * byte.  A backslash always starts an escape (JSON has no other use for
 * it), so no string tracking is needed.  Returns how many were replaced.
 */
static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static long u_escape(const char *p, size_t left)
{
    if (left < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t fix_escapes(char *s, size_t n)
{
    size_t fixed = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '\\')
            continue;
        long v = u_escape(s + i, n - i);
        if (v < 0) {
            i++;            /* a two-character escape (or a bad one) */
            continue;
        }
        int bad = v == 0 || (v >= 0xDC00 && v <= 0xDFFF);
        if (v >= 0xD800 && v <= 0xDBFF) {
            long lo = u_escape(s + i + 6, n - i - 6);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                i += 11;    /* a proper pair */
                continue;
            }
            bad = 1;
        }
        if (bad) {
            memcpy(s + i + 2, "FFFD", 4);
            fixed++;
        }
        i += 5;
    }
    return fixed;
}

/* jansson's message, without its API's flag names (a user cannot set
 * them, and "without JSON_ALLOW_NUL" tells them nothing). */
static const char *json_reason(const json_error_t *e)
{
    if (strstr(e->text, "JSON_"))
        return "a value this reader does not accept";
    return e->text;
}

/*
 * A first line that is not a JSON object may mean the file is one
 * pretty-printed JSON document (a JSON Feed), or just a bad first line of
 * JSON Lines.  The rest (up to the cap) is read and the whole tried as one
 * document; when it is not one, the file is JSON Lines after all and the
 * lines already read are handed back (held) to be read as lines.
 */
static int whole_document(sr_buf *first, sr_in *in, const char *path,
                          const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx,
                          sr_buf *held, int *is_lines)
{
    json_error_t jerr;
    json_t *doc = NULL;
    int rc = 0;
    *is_lines = 0;
    size_t first_len = first->len, max = ing_max(opts);
    sr_err e = SR_OK;
    /* the rest, up to the cap; what was read is kept either way, so a file
     * too big to be one document is still read as lines */
    int over = 0;
    for (;;) {
        if ((e = sr_buf_reserve(first, 65536)) != SR_OK) {
            if (e != SR_ETOOBIG)
                break;
            e = SR_OK;
            over = 1;
            break;
        }
        size_t r = sr_in_read(in, first->p + first->len, 65536);
        if (r == 0)
            break;
        first->len += r;
        first->p[first->len] = '\0';
        if (first->len - first_len > max) {
            over = 1;
            break;
        }
    }
    if (e == SR_ENOMEM) {
        rc = SR_ENOMEM;
        goto out;
    }
    doc = over ? NULL : json_loadb(first->p, first->len, 0, &jerr);
    if (!doc) {
        /* not one document: JSON Lines whose first line is bad */
        if (sr_buf_append(held, first->p + first_len, first->len - first_len) != SR_OK) {
            rc = SR_ENOMEM;
            goto out;
        }
        *is_lines = 1;
        goto out;
    }
    if (ing_is_jsonfeed(doc)) {
        rc = ing_jsonfeed_doc(doc, path, opts, 0, fn, ctx);
        goto out;
    }
    ing_skip(opts, path, NULL, "a JSON document, not JSON Lines (one document object per line)");
out:
    json_decref(doc);
    return rc;
}

/* The next line: from the held bytes first, then from the stream. */
static int next_line(sr_in *in, sr_buf *held, size_t *held_pos, sr_buf *line,
                     size_t max, int *cut)
{
    if (*held_pos >= held->len)
        return sr_in_getline(in, line, max, cut);
    sr_buf_reset(line);
    *cut = 0;
    const char *s = held->p + *held_pos;
    size_t avail = held->len - *held_pos;
    const char *nl = memchr(s, '\n', avail);
    size_t take = nl ? (size_t)(nl - s) + 1 : avail;
    size_t k = take < max ? take : max;
    if (sr_buf_append(line, s, k) != SR_OK || k < take)
        *cut = 1;
    *held_pos += take;
    return 1;
}

int sr_jsonl_read(sr_in *in, const char *path, const sr_ingest_opts *opts,
                  sr_doc_fn fn, void *ctx)
{
    size_t max = ing_max(opts);
    sr_buf line = SR_BUF_INIT(max + 1);
    sr_buf held = SR_BUF_INIT(max + 1);
    size_t lineno = 0, held_pos = 0;
    int rc = 0, cut, first_seen = 0, seen_object = 0;
    while (rc == 0 && next_line(in, &held, &held_pos, &line, max, &cut)) {
        char rec[32];
        lineno++;
        snprintf(rec, sizeof rec, "%zu", lineno);
        if (cut) {
            ing_skip(opts, path, rec, "line %zu is longer than the %zu MiB --max-size cap; skipped",
                     lineno, max >> 20);
            continue;
        }
        size_t n = line.len;
        while (n > 0 && (line.p[n - 1] == '\n' || line.p[n - 1] == '\r' ||
                         line.p[n - 1] == ' ' || line.p[n - 1] == '\t'))
            n--;
        size_t s = 0;
        while (s < n && (line.p[s] == ' ' || line.p[s] == '\t'))
            s++;
        if (s == n)
            continue;   /* blank lines separate nothing; they are allowed */
        size_t fixed = fix_escapes(line.p + s, n - s);
        json_error_t jerr;
        json_t *o = json_loadb(line.p + s, n - s, 0, &jerr);
        if (!o && !first_seen) {
            first_seen = 1;
            int is_lines = 0;
            sr_buf first = SR_BUF_INIT(2 * max + 65536 + 2);
            if (sr_buf_append(&first, line.p, line.len) != SR_OK) {
                sr_buf_free(&first);
                rc = SR_ENOMEM;
                break;
            }
            rc = whole_document(&first, in, path, opts, fn, ctx, &held, &is_lines);
            sr_buf_free(&first);
            if (rc || !is_lines)
                break;
        }
        first_seen = 1;
        if (!o) {
            ing_skip(opts, path, rec, "line %zu is not valid JSON: %s (column %d)",
                     lineno, json_reason(&jerr), jerr.column);
            continue;
        }
        if (fixed)
            sr_warn(path, rec, "line %zu: %zu \\u0000 or unpaired surrogate escape%s replaced by U+FFFD",
                    lineno, fixed, fixed == 1 ? "" : "s");
        if (!seen_object && ing_is_jsonfeed(o)) {
            /* a JSON Feed written on one line: a feed, not a document */
            rc = ing_jsonfeed_doc(o, path, opts, 0, fn, ctx);
            json_decref(o);
            break;
        }
        seen_object = 1;
        rc = one_object(o, lineno, path, opts, fn, ctx);
        json_decref(o);
    }
    if (rc == 0 && sr_in_error(in))
        ing_skip(opts, path, NULL, "%s after line %zu; rest of file lost", sr_in_error(in), lineno);
    sr_buf_free(&line);
    sr_buf_free(&held);
    return rc;
}
