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
 * reported with its number and the next one is read.  jansson parses each
 * line (its error messages name the column, which makes a bad line
 * findable).
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
 * The first line is not a JSON object on its own: the file may be one
 * pretty-printed JSON document.  A JSON Feed is read as a feed (jsonfeed.c); anything
 * else is reported once, not once per line.
 */
static int whole_document(sr_buf *first, sr_in *in, const char *path,
                          const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    char *rest = NULL;
    size_t rest_len = 0;
    json_error_t jerr;
    json_t *doc = NULL;
    int rc = 0;
    sr_err e = sr_in_slurp(in, ing_max(opts), &rest, &rest_len);
    if (!e)
        e = sr_buf_append(first, rest, rest_len);
    if (e == SR_ENOMEM) {
        rc = SR_ENOMEM;
        goto out;
    }
    if (e) {
        ing_skip(opts, path, NULL, "JSON document larger than the %zu MiB cap", ing_max(opts) >> 20);
        goto out;
    }
    doc = json_loadb(first->p, first->len, 0, &jerr);
    if (!doc) {
        ing_skip(opts, path, NULL, "not valid JSON Lines or JSON: line %d: %s",
                 jerr.line, jerr.text);
        goto out;
    }
    if (ing_is_jsonfeed(doc)) {
        rc = ing_jsonfeed_doc(doc, path, opts, 0, fn, ctx);
        goto out;
    }
    ing_skip(opts, path, NULL, "a JSON document, not JSON Lines (one document object per line)");
out:
    json_decref(doc);
    free(rest);
    return rc;
}

int sr_jsonl_read(sr_in *in, const char *path, const sr_ingest_opts *opts,
                  sr_doc_fn fn, void *ctx)
{
    size_t max = ing_max(opts);
    sr_buf line = SR_BUF_INIT(max + 1);
    size_t lineno = 0;
    int rc = 0, cut, seen_object = 0;
    while (rc == 0 && sr_in_getline(in, &line, max, &cut)) {
        lineno++;
        if (cut) {
            char rec[32];
            snprintf(rec, sizeof rec, "%zu", lineno);
            ing_skip(opts, path, rec, "line %zu is longer than the %zu MiB cap; skipped",
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
        json_error_t jerr;
        json_t *o = json_loadb(line.p + s, n - s, 0, &jerr);
        if (!o && !seen_object) {
            rc = whole_document(&line, in, path, opts, fn, ctx);
            break;
        }
        if (!o) {
            char rec[32];
            snprintf(rec, sizeof rec, "%zu", lineno);
            ing_skip(opts, path, rec, "line %zu is not valid JSON: %s (column %d)",
                     lineno, jerr.text, jerr.column);
            continue;
        }
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
    return rc;
}
