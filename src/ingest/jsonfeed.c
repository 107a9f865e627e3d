/*
 * jsonfeed.c - JSON Feed 1.0 and 1.1 (jsonfeed.org), the JSON cousin of
 * RSS: one document per item, read wherever feeds are read (files, stdin,
 * JSON Lines inputs whose first line is a whole feed, `sitrep watch`).
 *
 * A JSON Feed is one JSON document, pretty-printed or on one line.  The
 * JSON Lines reader hands it here either way: a one-line feed parses as a
 * first "line object" and is recognised by its version URL; a pretty-
 * printed one fails as a line and is read whole (see jsonl.c).
 *
 * Fields: the body is content_html (through the fragment reader, as an RSS
 * description is), else content_text, else summary; the date is
 * date_published else date_modified; 1.1's "authors" array wins over 1.0's
 * "author" object; the feed's title is the outlet and its "language" (1.1)
 * the fallback language.  external_url is kept in meta_json beside the id.
 *
 * jansson parses (the whole feed is in memory anyway, capped by the per-
 * file cap the caller applied).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char *str_field(json_t *o, const char *key, const char *path, const char *rec)
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

int ing_is_jsonfeed(struct json_t *doc)
{
    if (!json_is_object(doc))
        return 0;
    json_t *v = json_object_get(doc, "version");
    const char *version = json_is_string(v) ? json_string_value(v) : NULL;
    /* test writers and some producers shorten the version URL to "1.1" */
    return version && (ing_strcasestr(version, "jsonfeed.org") ||
                       json_is_array(json_object_get(doc, "items")));
}

static sr_err meta_of(json_t *it, const char *path, const char *rec, char **out)
{
    *out = NULL;
    json_t *m = json_object();
    if (!m)
        return SR_ENOMEM;
    json_t *id = json_object_get(it, "id");
    /* 1.0 allowed a number as id; keep it as the string it stands for */
    if (json_is_string(id) && json_string_length(id) > 0)
        json_object_set(m, "guid", id);
    else if (json_is_integer(id))
        json_object_set_new(m, "guid", json_sprintf("%lld", (long long)json_integer_value(id)));
    const char *ext = str_field(it, "external_url", path, rec);
    if (ext)
        json_object_set_new(m, "external_url", json_string(ext));
    sr_err e = SR_OK;
    if (json_object_size(m) > 0 && !(*out = json_dumps(m, JSON_COMPACT)))
        e = SR_ENOMEM;
    json_decref(m);
    return e;
}

int ing_jsonfeed_doc(struct json_t *feed, const char *path, const sr_ingest_opts *opts,
                     int keep_linked, sr_doc_fn fn, void *ctx)
{
    json_t *items = json_object_get(feed, "items");
    const char *outlet = str_field(feed, "title", path, NULL);
    const char *lang = str_field(feed, "language", path, NULL);
    size_t i;
    json_t *it;
    int rc = 0;
    if (!json_is_array(items)) {
        ing_skip(opts, path, NULL, "JSON Feed without an \"items\" array");
        return 0;
    }
    json_array_foreach(items, i, it) {
        char rec[32], date[21], *text = NULL, *meta = NULL;
        snprintf(rec, sizeof rec, "%zu", i + 1);
        if (!json_is_object(it)) {
            ing_skip(opts, path, rec, "item %zu is not an object", i + 1);
            continue;
        }
        const char *html = str_field(it, "content_html", path, rec);
        const char *plain = str_field(it, "content_text", path, rec);
        const char *summary = str_field(it, "summary", path, rec);
        const char *url = str_field(it, "url", path, rec);
        if (!url)
            url = str_field(it, "external_url", path, rec);
        sr_err e = SR_OK;
        if (html) {
            size_t n;
            e = sr_html_fragment_text(html, strlen(html), ing_max(opts), &text, &n);
            if (!e && n == 0) {
                free(text);
                text = NULL;
            }
        }
        if (!e && !text && (plain || summary) && !(text = strdup(plain ? plain : summary)))
            e = SR_ENOMEM;
        if (!e && !text && url && keep_linked && !(text = strdup("")))
            e = SR_ENOMEM;
        if (!e)
            e = meta_of(it, path, rec, &meta);
        if (e == SR_ENOMEM) {
            free(text);
            return SR_ENOMEM;
        }
        if (!text) {
            if (e)
                ing_skip(opts, path, rec, "item %zu: %s", i + 1,
                         e == SR_ETOOBIG ? "its text is over the --max-size cap" : sr_strerror(e));
            else if (url)
                ing_skip(opts, path, rec, "item %zu has no text, only a link (%s); nothing is fetched",
                         i + 1, url);
            else
                ing_skip(opts, path, rec, "item %zu has no text", i + 1);
            free(meta);
            continue;
        }
        sr_doc d = {0};
        d.path = path;
        d.record = rec;
        d.format = SR_FMT_FEED;
        d.url = url;
        d.outlet = outlet;
        d.title = str_field(it, "title", path, rec);
        d.lang = str_field(it, "language", path, rec);
        if (!d.lang)
            d.lang = lang;
        const char *when = str_field(it, "date_published", path, rec);
        if (!when)
            when = str_field(it, "date_modified", path, rec);
        if (when && sr_ingest_date(when, date))
            d.published = date;
        json_t *authors = json_object_get(it, "authors");
        json_t *author = json_is_array(authors) ? json_array_get(authors, 0)
                                                : json_object_get(it, "author");
        if (json_is_object(author))
            d.author = str_field(author, "name", path, rec);
        d.meta_json = meta;
        d.text = text;
        d.text_len = strlen(text);
        rc = ing_emit(opts, &d, fn, ctx);
        free(text);
        free(meta);
        if (rc)
            break;
    }
    return rc;
}

static int jsonfeed_read(const char *json, size_t len, const char *path,
                         const sr_ingest_opts *opts, int keep_linked, sr_doc_fn fn, void *ctx)
{
    json_error_t jerr;
    if (len > ing_max(opts)) {
        ing_skip(opts, path, NULL, "JSON Feed larger than the %zu MiB cap", ing_max(opts) >> 20);
        return 0;
    }
    json_t *doc = json_loadb(json, len, 0, &jerr);
    int rc = 0;
    if (!doc)
        ing_skip(opts, path, NULL, "not valid JSON: line %d: %s", jerr.line, jerr.text);
    else if (!ing_is_jsonfeed(doc))
        ing_skip(opts, path, NULL, "JSON but not a JSON Feed (no jsonfeed.org version)");
    else
        rc = ing_jsonfeed_doc(doc, path, opts, keep_linked, fn, ctx);
    json_decref(doc);
    return rc;
}

int sr_jsonfeed_read(const char *json, size_t len, const char *path,
                     const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    return jsonfeed_read(json, len, path, opts, 0, fn, ctx);
}

int sr_feed_entries(const char *data, size_t len, const char *path,
                    const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    if (i < len && data[i] == '{')
        return jsonfeed_read(data + i, len - i, path, opts, 1, fn, ctx);
    return ing_feed_read_linked(data, len, path, opts, fn, ctx);
}
