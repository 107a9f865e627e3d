/*
 * ingest.c - sr_ingest_path(): from a path to documents.
 *
 * A path is a file, a directory (walked recursively in sorted order, hidden
 * entries skipped, so two runs over one folder give the same order and ids)
 * or "-" for stdin; a walk reads each directory once (symlink loops end)
 * and regular files only (a FIFO would block it).  Each file is opened as an sr_in (gzip undone by magic),
 * its first 4 KiB classified by sr_ingest_detect(), and handed to one
 * reader.  WARC and JSONL stream from the sr_in; the rest are whole-file
 * formats, read with the per-file cap (which is also the gzip-bomb cap,
 * since the cap counts inflated bytes).
 *
 * Skips are reported here with the file's path, inside readers with the
 * record; every one is counted for the end-of-run summary.
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <unicode/ucnv.h>

/* Where the calling thread's counts go (see sr_ingest_path_counted()).
 * Thread-local rather than a field of sr_ingest_opts so that the options
 * struct every caller fills stays as doc.h published it. */
static _Thread_local sr_ingest_stats *tl_stats;
/* The date of the file being read (its modification time, ISO 8601), or
 * "": the last fallback for a document without a date of its own. */
static _Thread_local char tl_file_date[21];

sr_ingest_stats *ing_stats(void)
{
    return tl_stats;
}

size_t ing_max(const sr_ingest_opts *opts)
{
    return opts && opts->max_file ? opts->max_file : SR_INGEST_MAX_FILE;
}

void ing_skip(const sr_ingest_opts *opts, const char *path, const char *record,
              const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_skip(path, record, "%s", msg);
    if (tl_stats)
        tl_stats->skipped++;
}

const char *ing_url_host(const char *url, char *buf, size_t n)
{
    if (!url)
        return NULL;
    const char *p = strstr(url, "://");
    if (!p)
        return NULL;
    p += 3;
    const char *at = NULL;
    size_t len = strcspn(p, "/?#");
    for (size_t i = 0; i < len; i++)
        if (p[i] == '@')
            at = p + i;
    if (at) {
        len -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    size_t colon = 0;
    while (colon < len && p[colon] != ':')
        colon++;
    len = colon;
    if (len == 0 || len >= n)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    buf[len] = '\0';
    return buf;
}

int ing_emit(const sr_ingest_opts *opts, sr_doc *d, sr_doc_fn fn, void *ctx)
{
    char host[256];
    sr_buf meta = SR_BUF_INIT(1 << 20);
    if (!d->published && opts)
        d->published = opts->date;
    if (!d->published && tl_file_date[0]) {
        /* a document without any date takes its file's: a story clock
         * needs one, and an undated page would otherwise join stories
         * years apart.  meta_json says where it came from. */
        const char *m = d->meta_json;
        size_t n = m ? strlen(m) : 0;
        while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\n'))
            n--;
        if (n > 0 && m[n - 1] == '}')
            n--;     /* the object's closing brace: the key goes before it */
        int empty = n == 0 || (n == 1 && m[0] == '{');
        sr_err e = sr_buf_append(&meta, empty ? "{" : m, empty ? 1 : n);
        if (!e)
            e = sr_buf_puts(&meta, empty ? "\"published_from\":\"file date\"}"
                                         : ",\"published_from\":\"file date\"}");
        if (e) {
            sr_buf_free(&meta);
            return SR_ENOMEM;
        }
        d->published = tl_file_date;
        d->meta_json = meta.p;
    }
    if (!d->outlet)
        d->outlet = ing_url_host(d->url, host, sizeof host);
    if (tl_stats)
        tl_stats->documents++;
    int rc = fn(d, ctx);
    sr_buf_free(&meta);
    return rc;
}

const char *ing_memmem(const void *hay, size_t n, const void *needle, size_t k)
{
    const char *h = hay;
    if (k == 0)
        return h;
    while (n >= k) {
        const char *p = memchr(h, *(const char *)needle, n - k + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, k) == 0)
            return p;
        n -= (size_t)(p + 1 - h);
        h = p + 1;
    }
    return NULL;
}

const char *ing_strcasestr(const char *hay, const char *needle)
{
    size_t k = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, k) == 0)
            return hay;
    return NULL;
}

int ing_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned cp, min;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; cp = c & 0x07; }
        else return 0;
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

sr_err ing_cp1252_to_utf8(const char *s, size_t n, size_t max, char **out,
                          size_t *out_len)
{
    /* 0x80-0x9F in windows-1252; 0 marks the five unassigned bytes */
    static const unsigned short c1[32] = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    };
    sr_buf b = SR_BUF_INIT(max);
    sr_err e = SR_OK;
    for (size_t i = 0; i < n && !e; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x80) {
            e = sr_buf_putc(&b, (char)c);
            continue;
        }
        unsigned cp = c >= 0xA0 ? c : c1[c - 0x80];
        if (cp == 0)
            cp = 0xFFFD;
        char u[3];
        size_t k;
        if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            k = 2;
        } else {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            k = 3;
        }
        e = sr_buf_append(&b, u, k);
    }
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    *out = sr_buf_detach(&b, out_len);
    return *out ? SR_OK : SR_ENOMEM;
}

static const char *kind_name(sr_ingest_kind k)
{
    switch (k) {
    case SR_KIND_BINARY:    return "binary data, not a document (text, HTML, feed, JSONL or WARC)";
    case SR_KIND_ARC:       return "ARC format not supported (convert to WARC, e.g. with warcio)";
    case SR_KIND_XML_OTHER: return "XML but not an RSS/Atom feed or XHTML page";
    case SR_KIND_EMPTY:     return "empty file";
    default:                return "unreadable";
    }
}

/* UTF-16 with its BOM (dropped) to UTF-8 through ICU; unpaired
 * surrogates become U+FFFD.  *out is the caller's (free()). */
static sr_err utf16_to_utf8(const char *s, size_t n, size_t max, char **out, size_t *out_len)
{
    const char *cs = (unsigned char)s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    if (n - 2 > (size_t)INT32_MAX / 2 || (n - 2) / 2 * 3 + 4 > max)
        return SR_ETOOBIG;
    int32_t cap = (int32_t)((n - 2) / 2 * 3 + 4);
    char *dst = malloc((size_t)cap);
    if (!dst)
        return SR_ENOMEM;
    UErrorCode st = U_ZERO_ERROR;
    int32_t k = ucnv_convert("UTF-8", cs, dst, cap, s + 2, (int32_t)(n - 2), &st);
    if (U_FAILURE(st) || k < 0) {
        free(dst);
        return SR_EFORMAT;
    }
    *out = dst;
    *out_len = (size_t)k;
    return SR_OK;
}

static int whole_file(sr_in *in, sr_ingest_kind kind, const char *path,
                      const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    size_t max = ing_max(opts);
    char *data = NULL;
    const char *charset = NULL;
    size_t len = 0;
    int rc = 0;
    sr_err e = sr_in_slurp(in, max, &data, &len);
    if (e == SR_ETOOBIG) {
        ing_skip(opts, path, NULL, "%s larger than the %zu MiB --max-size cap%s; skipped",
                 sr_in_is_gzip(in) ? "inflated size" : "file", max >> 20,
                 sr_in_is_gzip(in) ? " (gzip bomb?)" : "");
        goto out;
    }
    if (e) {
        rc = e == SR_ENOMEM ? SR_ENOMEM : 0;
        if (!rc)
            ing_skip(opts, path, NULL, "%s", sr_strerror(e));
        goto out;
    }
    if (sr_in_error(in)) {
        /* damaged gzip: what was inflated may be a usable prefix, but a
         * cut page or feed is not what the author wrote; say so, skip */
        ing_skip(opts, path, NULL, "%s after %zu bytes; skipped", sr_in_error(in), len);
        goto out;
    }
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
        /* UTF-16 (byte-order mark first, as WHATWG reads it): every reader
         * below takes UTF-8, so convert once here */
        char *u8 = NULL;
        size_t u8len = 0;
        sr_err ce = utf16_to_utf8(data, len, max * 2, &u8, &u8len);
        if (ce == SR_ENOMEM) {
            rc = SR_ENOMEM;
            goto out;
        }
        if (ce) {
            ing_skip(opts, path, NULL, "UTF-16 text that does not decode; skipped");
            goto out;
        }
        free(data);
        data = u8;
        len = u8len;
        charset = "utf-8";
    }
    sr_doc base = {0};
    base.path = path;
    switch (kind) {
    case SR_KIND_FEED:
        rc = sr_feed_read(data, len, path, opts, fn, ctx);
        break;
    case SR_KIND_HTML:
        base.format = SR_FMT_HTML;
        rc = ing_html_doc(data, len, charset, &base, 0, opts, fn, ctx);
        break;
    default:
        base.format = SR_FMT_TEXT;
        rc = ing_text_doc(data, len, &base, opts, fn, ctx);
        break;
    }
out:
    free(data);
    return rc;
}

static int ingest_file(const char *path, const sr_ingest_opts *opts,
                       sr_doc_fn fn, void *ctx)
{
    sr_in *in = NULL;
    int rc = 0;
    sr_err e = sr_in_open(path, &in);
    if (e) {
        if (e == SR_ENOMEM)
            return SR_ENOMEM;
        ing_skip(opts, path, NULL, "%s", strerror(errno));
        return 0;
    }
    if (tl_stats)
        tl_stats->files++;
    struct stat fst;
    tl_file_date[0] = '\0';
    if (strcmp(path, "-") != 0 && stat(path, &fst) == 0 && S_ISREG(fst.st_mode) &&
        fst.st_mtime > 0) {
        time_t mt = fst.st_mtime;
        struct tm tm;
        if (gmtime_r(&mt, &tm))
            strftime(tl_file_date, sizeof tl_file_date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    const unsigned char *head;
    size_t n = sr_in_peek(in, 4096, &head);
    sr_ingest_kind kind = sr_ingest_detect(head, n, path);
    long long size = sr_in_file_size(in);
    if (kind == SR_KIND_EMPTY && sr_in_error(in)) {
        ing_skip(opts, path, NULL, "%s", sr_in_error(in));
        goto out;
    }
    switch (kind) {
    case SR_KIND_WARC:
        rc = sr_warc_read(in, path, opts, fn, ctx);
        break;
    case SR_KIND_JSONL:
        if (n >= 2 && (head[0] == 0xFF || head[0] == 0xFE)) {
            ing_skip(opts, path, NULL, "JSON Lines in UTF-16 are not read (convert to UTF-8)");
            break;
        }
        rc = sr_jsonl_read(in, path, opts, fn, ctx);
        break;
    case SR_KIND_FEED:
    case SR_KIND_HTML:
    case SR_KIND_TEXT:
        /* an uncompressed file over the cap is refused before reading it */
        if (!sr_in_is_gzip(in) && size >= 0 && (unsigned long long)size > ing_max(opts)) {
            ing_skip(opts, path, NULL, "file is %lld MiB, over the %zu MiB --max-size cap; skipped",
                     size >> 20, ing_max(opts) >> 20);
            break;
        }
        rc = whole_file(in, kind, path, opts, fn, ctx);
        break;
    default:
        ing_skip(opts, path, NULL, "%s", kind_name(kind));
        break;
    }
out:
    tl_file_date[0] = '\0';
    sr_in_close(in);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

#define MAX_WALK_DEPTH 64   /* absurd trees end here */

/* A walk remembers every directory it has entered, by (st_dev, st_ino), so
 * a symlink loop ("sub/up -> ..", "self -> .") or two links to one folder
 * read it once: without this, two looping links made the walk print the
 * same file hundreds of thousands of times before the depth cap. */
typedef struct walk {
    struct { dev_t dev; ino_t ino; } *seen;
    size_t nseen, capseen;
} walk;

static int ingest_any(walk *w, const char *path, const sr_ingest_opts *opts,
                      sr_doc_fn fn, void *ctx, int depth);

static int ingest_dir(walk *w, const char *path, const sr_ingest_opts *opts,
                      sr_doc_fn fn, void *ctx, int depth)
{
    char **names = NULL;
    size_t nnames = 0, cap = 0;
    int rc = 0;
    DIR *d = opendir(path);
    if (!d) {
        ing_skip(opts, path, NULL, "%s", strerror(errno));
        return 0;
    }
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        if (sr_grow((void **)&names, &cap, nnames + 1, sizeof *names) ||
            !(names[nnames] = strdup(ent->d_name))) {
            rc = SR_ENOMEM;
            goto out;
        }
        nnames++;
    }
    if (nnames)
        qsort(names, nnames, sizeof *names, name_cmp);
    for (size_t i = 0; i < nnames && !rc; i++) {
        sr_buf child = SR_BUF_INIT(4096);
        size_t plen = strlen(path);
        if (sr_buf_printf(&child, "%s%s%s", path,
                          plen && path[plen - 1] == '/' ? "" : "/", names[i])) {
            ing_skip(opts, path, names[i], "path too long");
            sr_buf_free(&child);
            continue;
        }
        rc = ingest_any(w, child.p, opts, fn, ctx, depth + 1);
        sr_buf_free(&child);
    }
out:
    closedir(d);
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    return rc;
}

static const char *file_kind(mode_t m)
{
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISCHR(m))  return "a character device";
    if (S_ISBLK(m))  return "a block device";
    return "not a file";
}

static int ingest_any(walk *w, const char *path, const sr_ingest_opts *opts,
                      sr_doc_fn fn, void *ctx, int depth)
{
    struct stat st;
    if (strcmp(path, "-") == 0)
        return ingest_file(path, opts, fn, ctx);
    if (stat(path, &st) != 0) {
        if (depth == 0)
            return ingest_file(path, opts, fn, ctx);   /* reports the error */
        ing_skip(opts, path, NULL, "%s", strerror(errno));   /* e.g. a dangling link */
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        if (depth >= MAX_WALK_DEPTH) {
            ing_skip(opts, path, NULL, "directory nested over %d deep; skipped", MAX_WALK_DEPTH);
            return 0;
        }
        for (size_t i = 0; i < w->nseen; i++)
            if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino) {
                sr_warn(path, NULL, "directory already read (a symbolic link loop or a "
                                    "second link to it); not read again");
                return 0;
            }
        if (sr_grow((void **)&w->seen, &w->capseen, w->nseen + 1, sizeof *w->seen))
            return SR_ENOMEM;
        w->seen[w->nseen].dev = st.st_dev;
        w->seen[w->nseen].ino = st.st_ino;
        w->nseen++;
        return ingest_dir(w, path, opts, fn, ctx, depth);
    }
    /* Inside a walk only regular files are read: opening a FIFO blocks
     * until a writer comes, a device may never end.  A FIFO named on the
     * command line (sitrep extract <(zcat x.gz)) is what the user asked
     * for, and is read. */
    if (depth > 0 && !S_ISREG(st.st_mode)) {
        ing_skip(opts, path, NULL, "%s, not a regular file; skipped", file_kind(st.st_mode));
        return 0;
    }
    return ingest_file(path, opts, fn, ctx);
}

static int walk_path(const char *path, const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    walk w = {0};
    int rc = ingest_any(&w, path, opts, fn, ctx, 0);
    free(w.seen);
    return rc;
}

int sr_ingest_path(const char *path, const sr_ingest_opts *opts,
                   sr_doc_fn fn, void *ctx)
{
    return walk_path(path, opts, fn, ctx);
}

int sr_ingest_path_counted(const char *path, const sr_ingest_opts *opts,
                           sr_ingest_stats *stats, sr_doc_fn fn, void *ctx)
{
    sr_ingest_stats *saved = tl_stats;
    tl_stats = stats;
    int rc = walk_path(path, opts, fn, ctx);
    tl_stats = saved;
    return rc;
}
