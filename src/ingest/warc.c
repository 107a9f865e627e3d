/*
 * warc.c - WARC 0.18/1.0/1.1 archives as documents, streaming.
 *
 * The iterator holds one record at a time: header lines (capped) and the
 * block (capped at the per-record cap; the rest of an oversized block is
 * read and thrown away, never stored).  Under it, sr_in undoes gzip, so a
 * CC-NEWS file (one gzip member per record), a whole-file .warc.gz and a
 * plain .warc are the same stream.
 *
 * Archives in the wild are damaged in known ways, each handled by
 * resynchronising on the next "WARC/" version line and reporting the lost
 * record: a file cut mid-record (truncated downloads), a Content-Length
 * that is too short (the record end marker is not where it should be) or
 * too long (the block runs into the next record: the bytes from that
 * record's version line on are pushed back and read again, and a block
 * over the cap is scanned for a record start as it is passed, so a length
 * of INT64_MAX loses one record, not the archive), a corrupt gzip member
 * or junk between members (sr_in_resume() restarts at the next member).
 *
 * Which records are documents: response records with an HTML (or plain
 * text) HTTP payload, resource records holding HTML, or plain text fetched
 * from an http(s) URI, and conversion records (Common Crawl's WET text);
 * resource records of JSON Lines documents (application/x-ndjson, as
 * `sitrep watch --warc` writes a feed entry's text it stored for lack of
 * the page).  A crawler's log stored as a resource (wget's
 * metadata://.../wget.log) is text/plain but no article, and a response
 * whose target is a /robots.txt is passed over although it is text.  The
 * rest (warcinfo,
 * request, metadata, revisit, non-HTML payloads, redirects and errors) are
 * counted as passed over: they are not damaged, they just are not news.
 */
#include "internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LINE_MAX_BYTES   ((size_t)64 << 10)   /* one header line */
#define HEADER_MAX_LINES 512                 /* header lines per record */
#define BLOCK_CHUNK      ((size_t)256 << 10)  /* a block is read this much at a time */

struct sr_warc {
    sr_in *in;
    const char *path;
    size_t max_record;
    sr_ingest_stats *stats;
    size_t number;           /* records begun */
    sr_buf line;
    sr_buf header;           /* field values, NUL-separated */
    char *block;             /* the record's block, NUL-terminated; read in
                                place, never through a bounce buffer */
    size_t block_len, block_cap;   /* block_cap <= max_record + 1 */
    size_t v_type, v_uri, v_date, v_id, v_ctype, v_len, v_outlet;   /* offsets + 1, 0 = absent */
    /* Bytes taken from `in` that belong to later records: the tail of a
     * block whose Content-Length ran into the next record.  Read before
     * `in` by the w_* helpers below. */
    char *pend;
    size_t pend_len, pend_pos;
    unsigned char peekbuf[64];
};

sr_warc *sr_warc_new(sr_in *in, const char *path, size_t max_record,
                     sr_ingest_stats *stats)
{
    sr_warc *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->in = in;
    w->path = path;
    w->max_record = max_record ? max_record : SR_INGEST_MAX_FILE;
    w->stats = stats;
    sr_buf_init(&w->line, LINE_MAX_BYTES + 1);
    sr_buf_init(&w->header, (size_t)1 << 20);
    return w;
}

void sr_warc_free(sr_warc *w)
{
    if (!w)
        return;
    sr_buf_free(&w->line);
    sr_buf_free(&w->header);
    free(w->block);
    free(w->pend);
    free(w);
}

/* Room for a block of n bytes and its NUL (n <= max_record, checked by the
 * caller).  Grows by doubling, never past the cap, so a run of slightly
 * larger records does not reallocate every time. */
static sr_err block_room(sr_warc *w, size_t n)
{
    if (n < w->block_cap)
        return SR_OK;
    if (n == SIZE_MAX)
        return SR_ENOMEM;
    size_t cap = w->block_cap < SIZE_MAX / 2 ? w->block_cap * 2 : n + 1;
    if (cap < n + 1)
        cap = n + 1;
    if (cap < 4096)
        cap = 4096;
    if (w->max_record < SIZE_MAX && cap > w->max_record + 1)
        cap = w->max_record + 1 > n + 1 ? w->max_record + 1 : n + 1;
    /* the old bytes are not wanted: free + malloc spares realloc's copy */
    free(w->block);
    w->block_cap = 0;
    w->block = malloc(cap);
    if (!w->block)
        return SR_ENOMEM;
    w->block_cap = cap;
    return SR_OK;
}


/* ---- reading through the pushed-back bytes --------------------------- */

static size_t pend_left(const sr_warc *w)
{
    return w->pend_len - w->pend_pos;
}

static void pend_drop_if_done(sr_warc *w)
{
    if (w->pend && w->pend_pos >= w->pend_len) {
        free(w->pend);
        w->pend = NULL;
        w->pend_len = w->pend_pos = 0;
    }
}

/* Push back b[0..n): they are read again before the rest of `in`. */
static sr_err w_unread(sr_warc *w, const char *b, size_t n)
{
    size_t left = pend_left(w);
    char *p = malloc(n + left + 1);
    if (!p)
        return SR_ENOMEM;
    memcpy(p, b, n);
    if (left)
        memcpy(p + n, w->pend + w->pend_pos, left);
    free(w->pend);
    w->pend = p;
    w->pend_len = n + left;
    w->pend_pos = 0;
    return SR_OK;
}

static int w_getline(sr_warc *w, sr_buf *line, size_t max, int *cut)
{
    if (!pend_left(w))
        return sr_in_getline(w->in, line, max, cut);
    sr_buf_reset(line);
    *cut = 0;
    const char *s = w->pend + w->pend_pos;
    size_t avail = pend_left(w);
    const char *nl = memchr(s, '\n', avail);
    size_t take = nl ? (size_t)(nl - s) + 1 : avail;
    size_t k = take < max ? take : max;
    if (sr_buf_append(line, s, k) != SR_OK || k < take)
        *cut = 1;
    w->pend_pos += take;
    pend_drop_if_done(w);
    if (nl || *cut)
        return 1;
    /* the line goes on in the stream */
    sr_buf rest = SR_BUF_INIT(max + 1);
    int rcut = 0;
    if (sr_in_getline(w->in, &rest, max, &rcut)) {
        size_t room = max > line->len ? max - line->len : 0;
        size_t k2 = rest.len < room ? rest.len : room;
        if (sr_buf_append(line, rest.p, k2) != SR_OK || k2 < rest.len || rcut)
            *cut = 1;
    }
    sr_buf_free(&rest);
    return 1;
}

static size_t w_read(sr_warc *w, void *buf, size_t n)
{
    size_t got = 0;
    if (pend_left(w)) {
        got = pend_left(w) < n ? pend_left(w) : n;
        memcpy(buf, w->pend + w->pend_pos, got);
        w->pend_pos += got;
        pend_drop_if_done(w);
    }
    while (got < n) {
        size_t r = sr_in_read(w->in, (char *)buf + got, n - got);
        if (r == 0)
            break;
        got += r;
    }
    return got;
}

static size_t w_skip(sr_warc *w, size_t n)
{
    size_t got = 0;
    if (pend_left(w)) {
        got = pend_left(w) < n ? pend_left(w) : n;
        w->pend_pos += got;
        pend_drop_if_done(w);
    }
    return got + (got < n ? sr_in_skip(w->in, n - got) : 0);
}

/* Up to n bytes ahead without consuming them.  Within the pushed-back
 * bytes the answer may be shorter than what the stream holds (a scan
 * goes on after skipping them); a short look (n <= 64) is always whole. */
static size_t w_peek(sr_warc *w, size_t n, const unsigned char **p)
{
    size_t left = pend_left(w);
    if (!left)
        return sr_in_peek(w->in, n, p);
    if (left >= n || n > sizeof w->peekbuf) {
        *p = (const unsigned char *)w->pend + w->pend_pos;
        return left < n ? left : n;
    }
    memcpy(w->peekbuf, w->pend + w->pend_pos, left);
    const unsigned char *q;
    size_t k = sr_in_peek(w->in, n - left, &q);
    memcpy(w->peekbuf + left, q, k);
    *p = w->peekbuf;
    return left + k;
}

static unsigned long long w_tell(const sr_warc *w)
{
    unsigned long long t = sr_in_tell(w->in);
    return t >= pend_left(w) ? t - pend_left(w) : 0;
}

static void skip_record(sr_warc *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void skip_record(sr_warc *w, const char *fmt, ...)
{
    char rec[32], msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(rec, sizeof rec, "%zu", w->number);
    sr_skip(w->path, rec, "record %zu: %s", w->number, msg);
    if (w->stats)
        w->stats->skipped++;
}

static int is_version_line(const char *s, size_t n)
{
    return n >= 5 && memcmp(s, "WARC/", 5) == 0;
}

static size_t trim_eol(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return n;
}

/* Store a header value; returns its offset + 1 (0 on failure). */
static size_t keep_value(sr_warc *w, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    size_t off = w->header.len;
    if (sr_buf_append(&w->header, v, n) || sr_buf_putc(&w->header, '\0'))
        return 0;
    return off + 1;
}

/* After a block: the record end marker, then the next version line or the
 * end.  Returns 1 when the framing holds. */
static int framing_ok(sr_warc *w)
{
    const unsigned char *p;
    size_t n = w_peek(w, 32, &p);
    size_t i = 0;
    /* the marker is CRLF CRLF; writers that miscount by a newline or two
     * are common (warcio's wrong-chunks sample), so a little slack */
    while (i < n && i < 24 && (p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i == n)
        return 1;               /* end of data */
    if (n - i >= 5 && memcmp(p + i, "WARC/", 5) == 0) {
        w_skip(w, i);
        return 1;
    }
    return 0;
}

/* Where a block holds the start of another record (a Content-Length that
 * is too long): the offset of its "WARC/1." version line, or -1.  Looked
 * for only after a record end marker, version line then a WARC field, so
 * prose that mentions WARC is not taken for a record. */
static long long swallowed_at(const char *b, size_t n)
{
    static const char pat[] = "\r\n\r\nWARC/1.";
    const char *p = b, *end = b + n;
    while ((p = ing_memmem(p, (size_t)(end - p), pat, sizeof pat - 1)) != NULL) {
        const char *q = p + sizeof pat - 1;
        const char *nl = memchr(q, '\n', (size_t)(end - q) < 64 ? (size_t)(end - q) : 64);
        if (nl && end - nl > 6 && memcmp(nl + 1, "WARC-", 5) == 0)
            return (long long)(p + 4 - b);
        p += 4;
    }
    return -1;
}

/* Pass over a block of clen bytes that is not kept (over the record cap),
 * looking for a record start in it as it goes (a Content-Length of 1 GiB
 * or INT64_MAX must not eat the archive).  Returns 1 when the block was
 * passed whole, 2 when a record start was found inside it (the stream is
 * then at that record), 0 when the data ended first. */
static int pass_block(sr_warc *w, unsigned long long clen, unsigned long long *passed)
{
    const size_t overlap = 80;   /* a marker and version line cut by a chunk end */
    *passed = 0;
    while (*passed < clen) {
        const unsigned char *p;
        size_t n = w_peek(w, (size_t)64 << 10, &p);
        if (n == 0)
            return 0;
        if (n > clen - *passed)
            n = (size_t)(clen - *passed);
        long long at = swallowed_at((const char *)p, n);
        if (at >= 0) {
            w_skip(w, (size_t)at);
            *passed += (unsigned long long)at;
            return 2;
        }
        size_t step = n > overlap && *passed + n < clen ? n - overlap : n;
        *passed += w_skip(w, step);
    }
    return 1;
}

int sr_warc_next(sr_warc *w, sr_warc_record *rec)
{
    int cut;
    int resyncing = 0;
    for (;;) {
        /* 1. the version line (skipping blank lines, or junk after damage) */
        int found = 0;
        unsigned long long rec_begin = w_tell(w);
        while (w_getline(w, &w->line, LINE_MAX_BYTES, &cut)) {
            size_t n = trim_eol(w->line.p, w->line.len);
            if (n == 0)
                continue;
            if (is_version_line(w->line.p, n)) {
                found = 1;
                break;
            }
            if (!resyncing) {
                w->number++;
                if (w->stats)
                    w->stats->warc_records++;
                skip_record(w, "no WARC header where a record should start; "
                               "skipping to the next record");
                resyncing = 1;
            }
        }
        if (!found) {
            const char *why = sr_in_error(w->in);
            unsigned long long fs, fe;
            if (why && sr_in_crc_failed(w->in, &fs, &fe) && fs < sr_in_tell(w->in)) {
                /* the last record's member failed its trailer check only
                 * now: that record was handed out, with damaged bytes */
                skip_record(w, "its gzip member fails its CRC check, found after the "
                               "record was read: its text may be damaged");
            } else if (why && !strcmp(why, "data after the end of the gzip stream")) {
                /* junk where a member should begin: nothing of a record is
                 * known to be lost unless no member follows */
                unsigned long long at = sr_in_tell(w->in);
                int more = sr_in_resume(w->in);
                sr_skip(w->path, NULL, "bytes that are not gzip data after decoded byte %llu%s",
                        at, more ? "; skipped to the next gzip member" : " (at the end); ignored");
                if (w->stats)
                    w->stats->skipped++;
                if (more)
                    continue;
                return 0;
            } else if (why && !resyncing) {
                /* the member that should hold the next record is unreadable */
                w->number++;
                if (w->stats)
                    w->stats->warc_records++;
                skip_record(w, "%s; skipping to the next gzip member", why);
            }
            if (why && sr_in_resume(w->in)) {
                resyncing = 1;
                continue;
            }
            return 0;
        }
        resyncing = 0;
        w->number++;
        if (w->stats)
            w->stats->warc_records++;

        /* 2. header fields up to the blank line */
        sr_buf_reset(&w->header);
        w->v_type = w->v_uri = w->v_date = w->v_id = w->v_ctype = w->v_len = w->v_outlet = 0;
        int lines = 0, ended = 0, bad = 0;
        while (w_getline(w, &w->line, LINE_MAX_BYTES, &cut)) {
            size_t n = trim_eol(w->line.p, w->line.len);
            if (n == 0) {
                ended = 1;
                break;
            }
            if (cut || ++lines > HEADER_MAX_LINES) {
                bad = 1;
                break;
            }
            const char *s = w->line.p;
            const char *colon = memchr(s, ':', n);
            if (!colon)
                continue;   /* tolerated: some writers fold long values */
            size_t kn = (size_t)(colon - s), vn = n - kn - 1;
            size_t *slot = NULL;
#define IS(name) (kn == sizeof(name) - 1 && strncasecmp(s, name, kn) == 0)
            if (IS("WARC-Type")) slot = &w->v_type;
            else if (IS("WARC-Target-URI")) slot = &w->v_uri;
            else if (IS("WARC-Date")) slot = &w->v_date;
            else if (IS("WARC-Record-ID")) slot = &w->v_id;
            else if (IS("Content-Type")) slot = &w->v_ctype;
            else if (IS("Content-Length")) slot = &w->v_len;
            else if (IS("WARC-Sitrep-Outlet")) slot = &w->v_outlet;
#undef IS
            if (slot && !*slot && !(*slot = keep_value(w, colon + 1, vn)))
                bad = 1;
        }
        if (bad) {
            skip_record(w, "header too long or malformed; skipping to the next record");
            resyncing = 1;
            continue;
        }
        if (!ended) {
            skip_record(w, "truncated in its header%s%s", sr_in_error(w->in) ? ": " : "",
                        sr_in_error(w->in) ? sr_in_error(w->in) : "");
            if (sr_in_error(w->in) && sr_in_resume(w->in))
                continue;
            return 0;
        }
        const char *lenv = w->v_len ? w->header.p + w->v_len - 1 : NULL;
        char *endp = NULL;
        errno = 0;
        unsigned long long clen = lenv ? strtoull(lenv, &endp, 10) : 0;
        if (!lenv || endp == lenv || *endp != '\0' || errno || lenv[0] == '-') {
            skip_record(w, "no valid Content-Length; skipping to the next record");
            resyncing = 1;
            continue;
        }

        /* 3. the block */
        w->block_len = 0;
        if (clen > w->max_record) {
            unsigned long long passed;
            int how = pass_block(w, clen, &passed);
            if (how == 2) {
                skip_record(w, "Content-Length %llu runs into the next record after %llu "
                               "bytes; skipped, reading on from that record", clen, passed);
                continue;
            }
            skip_record(w, "block of %llu bytes is over the %zu-byte (--max-size) record cap; skipped",
                        clen, w->max_record);
            if (how == 0) {
                if (sr_in_error(w->in) && sr_in_resume(w->in)) {
                    resyncing = 1;
                    continue;
                }
                return 0;
            }
            if (!framing_ok(w))
                resyncing = 1;
            continue;
        }
        if (block_room(w, (size_t)clen) != SR_OK)
            return -1;
        /* read in chunks, looking for a record start in each as it comes:
         * a length that runs into the next record is found after at most a
         * chunk more, and only that much is pushed back (reading the whole
         * lying length and pushing its rest back, record after record,
         * would copy the archive once per record) */
        size_t want = (size_t)clen, got = 0;
        long long at = -1;
        while (got < want) {
            size_t chunk = want - got < BLOCK_CHUNK ? want - got : BLOCK_CHUNK;
            size_t r = w_read(w, w->block + got, chunk);
            if (r == 0)
                break;
            size_t from = got > 80 ? got - 80 : 0;   /* a marker cut by the chunk end */
            got += r;
            long long a = swallowed_at(w->block + from, got - from);
            if (a >= 0) {
                at = (long long)from + a;
                break;
            }
        }
        w->block[got] = '\0';
        w->block_len = got;
        if (at >= 0) {
            /* the next record is inside this block: read on from it */
            if (w_unread(w, w->block + at, w->block_len - (size_t)at) != SR_OK)
                return -1;
            skip_record(w, "Content-Length %llu runs into the next record after %lld "
                           "bytes; skipped, reading on from that record", clen, at);
            continue;
        }
        if (got < want) {
            const char *why = sr_in_error(w->in);
            skip_record(w, "truncated: %zu of %llu bytes%s%s", got, clen,
                        why ? "; " : "", why ? why : "");
            if (why && sr_in_resume(w->in)) {
                resyncing = 1;
                continue;
            }
            return 0;
        }
        if (!framing_ok(w)) {
            skip_record(w, "Content-Length does not match the data (no record end where "
                           "it says); skipping to the next record");
            resyncing = 1;
            continue;
        }
        unsigned long long fs, fe;
        if (sr_in_crc_failed(w->in, &fs, &fe) && fs < w_tell(w) && fe > rec_begin) {
            /* the whole block came out, then its member's CRC-32 or length
             * did not match: some of these bytes are wrong */
            skip_record(w, "its gzip member fails its CRC check: the record is damaged");
            if (sr_in_resume(w->in)) {
                resyncing = 1;
                continue;
            }
            return 0;
        }
        memset(rec, 0, sizeof *rec);
        rec->number = w->number;
        rec->type = w->v_type ? w->header.p + w->v_type - 1 : "";
        if (w->v_uri) {
            char *u = w->header.p + w->v_uri - 1;
            size_t n = strlen(u);
            if (n >= 2 && u[0] == '<' && u[n - 1] == '>') {   /* WARC 0.x style */
                u[n - 1] = '\0';
                u++;
            }
            rec->target_uri = *u ? u : NULL;
        }
        rec->date = w->v_date ? w->header.p + w->v_date - 1 : NULL;
        rec->record_id = w->v_id ? w->header.p + w->v_id - 1 : NULL;
        rec->content_type = w->v_ctype ? w->header.p + w->v_ctype - 1 : NULL;
        rec->outlet = w->v_outlet ? w->header.p + w->v_outlet - 1 : NULL;
        rec->block = w->block;
        rec->block_len = w->block_len;
        return 1;
    }
}

/* ---- records to documents ---------------------------------------------- */

static int is_html_mime(const char *m)
{
    return !strcmp(m, "text/html") || !strcmp(m, "application/xhtml+xml");
}

static int is_web_uri(const char *u)
{
    return u && (strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0);
}

static void mime_of(const char *ctype, char *out, size_t n)
{
    size_t k = 0;
    if (ctype) {
        while (ctype[k] && ctype[k] != ';' && ctype[k] != ' ' && k + 1 < n) {
            char c = ctype[k];
            out[k] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
            k++;
        }
    }
    out[k] = '\0';
}

static sr_err meta_json(sr_buf *m, const sr_warc_record *r, const sr_http *h)
{
    sr_err e = sr_buf_printf(m, "{\"warc_type\":");
    if (!e) e = sr_buf_json_str(m, r->type, strlen(r->type));
    if (!e && r->record_id) {
        e = sr_buf_puts(m, ",\"warc_record_id\":");
        if (!e) e = sr_buf_json_str(m, r->record_id, strlen(r->record_id));
    }
    if (!e && r->date) {
        e = sr_buf_puts(m, ",\"warc_date\":");
        if (!e) e = sr_buf_json_str(m, r->date, strlen(r->date));
    }
    if (!e && h && h->status)
        e = sr_buf_printf(m, ",\"http_status\":%d", h->status);
    if (!e && h && h->last_modified[0]) {
        e = sr_buf_puts(m, ",\"http_last_modified\":");
        if (!e) e = sr_buf_json_str(m, h->last_modified, strlen(h->last_modified));
    }
    if (!e)
        e = sr_buf_putc(m, '}');
    return e;
}

static void passed_over(const sr_ingest_opts *opts)
{
    (void)opts;
    if (ing_stats())
        ing_stats()->passed_over++;
}

static int record_doc(const sr_warc_record *r, const char *path, sr_buf *body,
                      const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    char rec[32], crawl[21], mime[64];
    sr_buf meta = SR_BUF_INIT(1 << 16);
    sr_http h;
    int rc = 0, have_http = 0;
    const char *payload = NULL, *charset = NULL;
    size_t plen = 0;
    snprintf(rec, sizeof rec, "%zu", r->number);
    mime_of(r->content_type, mime, sizeof mime);

    if (!strcmp(r->type, "response")) {
        sr_err e = sr_http_parse(r->block, r->block_len, &h);
        if (e) {
            /* some writers store the bare payload; take it if it is HTML */
            if (!strcmp(mime, "text/html")) {
                payload = r->block;
                plen = r->block_len;
                goto have_payload;
            }
            passed_over(opts);
            goto out;
        }
        have_http = 1;
        const char *rpath = r->target_uri ? strstr(r->target_uri, "://") : NULL;
        rpath = rpath ? rpath + 3 + strcspn(rpath + 3, "/?#") : NULL;
        if (h.status >= 300 || (rpath && strncmp(rpath, "/robots.txt", 11) == 0 &&
                                (rpath[11] == '\0' || rpath[11] == '?'))) {
            /* redirects and errors hold no article; nor does a crawler's
             * robots.txt, though it is text/plain */
            passed_over(opts);
            goto out;
        }
        snprintf(mime, sizeof mime, "%s", h.mime);
        if (mime[0] && !is_html_mime(mime) && strcmp(mime, "text/plain")) {
            passed_over(opts);
            goto out;
        }
        e = sr_http_payload(&h, ing_max(opts), body, &payload, &plen);
        if (e == SR_ENOMEM) {
            rc = SR_ENOMEM;
            goto out;
        }
        if (e == SR_ETOOBIG) {
            ing_skip(opts, path, rec, "record %zu: HTTP payload inflates past the %zu MiB --max-size cap",
                     r->number, ing_max(opts) >> 20);
            goto out;
        }
        if (e == SR_EFORMAT) {
            ing_skip(opts, path, rec, "record %zu: Content-Encoding '%s' is not supported",
                     r->number, h.content_encoding);
            goto out;
        }
        if (e) {
            ing_skip(opts, path, rec, "record %zu: corrupt %s data in the HTTP payload",
                     r->number, h.content_encoding);
            goto out;
        }
        charset = h.charset[0] ? h.charset : NULL;
        if (!mime[0]) {
            const unsigned char *u = (const unsigned char *)payload;
            sr_ingest_kind k = sr_ingest_detect(u, plen < 4096 ? plen : 4096, NULL);
            if (k != SR_KIND_HTML) {
                passed_over(opts);
                goto out;
            }
            snprintf(mime, sizeof mime, "text/html");
        }
    } else if (!strcmp(r->type, "resource") &&
               (!strcmp(mime, "application/x-ndjson") || !strcmp(mime, "application/jsonl"))) {
        /* documents as JSON Lines: what `sitrep watch` stored from a feed
         * entry's own text when the page could not be had */
        sr_in *in = NULL;
        if (sr_in_open_mem(r->block, r->block_len, &in) != SR_OK) {
            rc = SR_ENOMEM;
            goto out;
        }
        rc = sr_jsonl_read(in, path, opts, fn, ctx);
        sr_in_close(in);
        goto out;
    } else if (!strcmp(r->type, "resource") || !strcmp(r->type, "conversion")) {
        /* plain text is an article only when it came from the web (WET's
         * conversion records); a crawler's own log (wget's resource
         * record at metadata://..., a crawl.log) is text/plain too */
        if (!is_html_mime(mime) && (strcmp(mime, "text/plain") || !is_web_uri(r->target_uri))) {
            passed_over(opts);
            goto out;
        }
        payload = r->block;
        plen = r->block_len;
        const char *cs = r->content_type ? ing_strcasestr(r->content_type, "charset=") : NULL;
        if (cs) {
            snprintf(h.charset, sizeof h.charset, "%.*s", (int)strcspn(cs + 8, "; \"'"), cs + 8);
            charset = h.charset;
        }
    } else {
        passed_over(opts);
        goto out;
    }
have_payload:
    if (plen == 0) {
        ing_skip(opts, path, rec, "record %zu: empty payload", r->number);
        goto out;
    }
    if (meta_json(&meta, r, have_http ? &h : NULL) == SR_ENOMEM) {
        rc = SR_ENOMEM;
        goto out;
    }
    sr_doc base = {0};
    base.path = path;
    base.record = rec;
    base.format = SR_FMT_WARC;
    base.url = r->target_uri;
    base.outlet = r->outlet;    /* for a page that names no site (watch's SOURCES name) */
    base.meta_json = meta.p;
    if (have_http && h.content_language[0] && !strchr(h.content_language, ','))
        base.lang = h.content_language;
    const char *crawl_date = NULL;
    if (r->date && sr_ingest_date(r->date, crawl))
        crawl_date = crawl;
    else if (have_http && sr_ingest_date(h.date, crawl))
        crawl_date = crawl;
    if (is_html_mime(mime)) {
        rc = ing_html_doc_dated(payload, plen, charset, &base, 0, crawl_date, opts, fn, ctx);
    } else {
        /* text: the crawl date stands in for the publication date, said so */
        sr_buf m2 = SR_BUF_INIT(1 << 16);
        if (crawl_date) {
            base.published = crawl_date;
            if (sr_buf_append(&m2, meta.p, meta.len - 1) ||
                sr_buf_puts(&m2, ",\"published_from\":\"crawl date\"}")) {
                sr_buf_free(&m2);
                rc = SR_ENOMEM;
                goto out;
            }
            base.meta_json = m2.p;
        }
        rc = ing_text_doc(payload, plen, &base, opts, fn, ctx);
        sr_buf_free(&m2);
    }
out:
    sr_buf_free(&meta);
    return rc;
}

int sr_warc_record_docs(const sr_warc_record *r, const char *path,
                        const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    sr_buf body = SR_BUF_INIT(ing_max(opts));
    int rc = record_doc(r, path, &body, opts, fn, ctx);
    sr_buf_free(&body);
    return rc;
}

int sr_warc_read(sr_in *in, const char *path, const sr_ingest_opts *opts,
                 sr_doc_fn fn, void *ctx)
{
    sr_warc *w = sr_warc_new(in, path, ing_max(opts), ing_stats());
    sr_buf body = SR_BUF_INIT(ing_max(opts));
    sr_warc_record r;
    int rc = 0, got;
    if (!w)
        return SR_ENOMEM;
    while (rc == 0 && (got = sr_warc_next(w, &r)) == 1) {
        rc = record_doc(&r, path, &body, opts, fn, ctx);
        /* a big payload's buffer is not kept for the next small one */
        if (body.cap > ((size_t)4 << 20))
            sr_buf_free(&body);
    }
    if (rc == 0 && got < 0)
        rc = SR_ENOMEM;
    sr_buf_free(&body);
    sr_warc_free(w);
    return rc;
}
