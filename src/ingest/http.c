/*
 * http.c - the HTTP response stored in a WARC response record.
 *
 * Crawlers store the bytes as they came off the wire, so the payload may
 * still be chunked and gzip- or deflate-encoded, and headers may lie (a
 * "chunked" body whose chunk sizes are wrong, a "gzip" body a proxy already
 * decoded).  The rule here is the browsers' rule: decode what parses and
 * fall back to the raw bytes when the framing is wrong, but never pass on
 * bytes that failed to inflate, because those are not text.
 */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* Copy value (trimmed, at most cap-1 bytes) into dst. */
static void copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static void content_type(sr_http *h, const char *v, size_t n)
{
    char buf[256];
    copy_value(buf, sizeof buf, v, n);
    char *semi = strchr(buf, ';');
    if (semi)
        *semi = '\0';
    copy_value(h->mime, sizeof h->mime, buf, strlen(buf));
    lower(h->mime);
    if (!semi)
        return;
    const char *cs = ing_strcasestr(semi + 1, "charset=");
    if (!cs)
        return;
    cs += 8;
    while (*cs == '"' || *cs == '\'' || *cs == ' ')
        cs++;
    size_t k = strcspn(cs, "\"'; ");
    copy_value(h->charset, sizeof h->charset, cs, k);
    lower(h->charset);
}

sr_err sr_http_parse(const char *block, size_t len, sr_http *h)
{
    memset(h, 0, sizeof *h);
    if (len < 5 || strncmp(block, "HTTP/", 5) != 0)
        return SR_EFORMAT;
    const char *end = block + len;
    const char *eol = memchr(block, '\n', len);
    if (!eol)
        eol = end;
    const char *sp = memchr(block, ' ', (size_t)(eol - block));
    if (sp && eol - sp > 3 && isdigit((unsigned char)sp[1]) &&
        isdigit((unsigned char)sp[2]) && isdigit((unsigned char)sp[3]))
        h->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
    const char *p = eol < end ? eol + 1 : end;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n == 0) {               /* blank line: the body follows */
            p = nl ? nl + 1 : end;
            break;
        }
        const char *colon = memchr(p, ':', n);
        if (colon) {
            size_t kn = (size_t)(colon - p);
            const char *v = colon + 1;
            size_t vn = n - kn - 1;
#define IS(name) (kn == sizeof(name) - 1 && strncasecmp(p, name, kn) == 0)
            if (IS("Content-Type")) {
                content_type(h, v, vn);
            } else if (IS("Date")) {
                copy_value(h->date, sizeof h->date, v, vn);
            } else if (IS("Last-Modified")) {
                copy_value(h->last_modified, sizeof h->last_modified, v, vn);
            } else if (IS("Content-Language")) {
                copy_value(h->content_language, sizeof h->content_language, v, vn);
            } else if (IS("Transfer-Encoding")) {
                char te[64];
                copy_value(te, sizeof te, v, vn);
                h->chunked = ing_strcasestr(te, "chunked") != NULL;
            } else if (IS("Content-Encoding")) {
                copy_value(h->content_encoding, sizeof h->content_encoding, v, vn);
                lower(h->content_encoding);
            }
#undef IS
        }
        p = nl ? nl + 1 : end;
    }
    h->body = p;
    h->body_len = (size_t)(end - p);
    return SR_OK;
}

/* Undo chunked framing into out (at most max bytes: SR_ETOOBIG); SR_EPARSE
 * if the framing does not hold. */
static sr_err dechunk(const char *p, size_t n, size_t max, sr_buf *out)
{
    const char *end = p + n;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return out->len ? SR_OK : SR_EPARSE;   /* cut after a chunk: keep it */
        size_t size = 0;
        const char *q = p;
        int digits = 0;
        while (q < nl && isxdigit((unsigned char)*q)) {
            if (size > (SIZE_MAX >> 4))
                return SR_EPARSE;
            int c = tolower((unsigned char)*q);
            size = size * 16 + (size_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
            q++;
            digits++;
        }
        if (!digits || (q < nl && *q != ';' && *q != '\r' && *q != ' '))
            return SR_EPARSE;
        p = nl + 1;
        if (size == 0)
            return SR_OK;
        if (size > (size_t)(end - p))
            return SR_EPARSE;
        if (size > max - out->len)
            return SR_ETOOBIG;
        sr_err e = sr_buf_append(out, p, size);
        if (e)
            return e;
        p += size;
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        else if (p < end)
            return SR_EPARSE;
        if (p >= end)
            return SR_OK;
    }
}

static sr_err inflate_all(const char *p, size_t n, int window, size_t max, sr_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, window) != Z_OK)
        return SR_ENOMEM;
    sr_err e = SR_OK;
    unsigned char chunk[16384];
    zs.next_in = (unsigned char *)(uintptr_t)p;
    zs.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
    int rc;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof chunk;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            e = rc == Z_MEM_ERROR ? SR_ENOMEM : SR_EPARSE;
            break;
        }
        size_t got = sizeof chunk - zs.avail_out;
        if (out->len + got > max) {
            e = SR_ETOOBIG;
            break;
        }
        if ((e = sr_buf_append(out, chunk, got)))
            break;
        if (rc == Z_OK && got == 0 && zs.avail_in == 0) {
            e = SR_EPARSE;     /* input ended inside the stream */
            break;
        }
    } while (rc != Z_STREAM_END);
    inflateEnd(&zs);
    return e;
}

/* Exchange the bytes (not the caps) of two buffers. */
static void swap_bytes(sr_buf *a, sr_buf *b)
{
    sr_buf t = *a;
    a->p = b->p;
    a->len = b->len;
    a->cap = b->cap;
    b->p = t.p;
    b->len = t.len;
    b->cap = t.cap;
}

sr_err sr_http_payload(const sr_http *h, size_t max, sr_buf *scratch,
                       const char **payload, size_t *payload_len)
{
    sr_buf plain = SR_BUF_INIT(max);
    const char *body = h->body;
    size_t len = h->body_len;
    sr_err e = SR_OK;
    sr_buf_reset(scratch);
    *payload = "";
    *payload_len = 0;
    if (h->chunked) {
        /* into scratch: a chunked body with no content encoding (the usual
         * case) is then the answer as it stands */
        e = dechunk(body, len, max, scratch);
        if (e == SR_OK) {
            body = scratch->p ? scratch->p : "";
            len = scratch->len;
        } else if (e != SR_ENOMEM && e != SR_ETOOBIG) {
            sr_buf_reset(scratch);
            e = SR_OK;   /* framing lies: the raw body is the best guess */
        } else {
            goto out;
        }
    }
    const char *ce = h->content_encoding;
    int gz = !strcmp(ce, "gzip") || !strcmp(ce, "x-gzip");
    int deflate = !strcmp(ce, "deflate");
    const unsigned char *u = (const unsigned char *)body;
    if (gz && !(len >= 2 && u[0] == 0x1f && u[1] == 0x8b))
        gz = 0;     /* already decoded by whoever stored it */
    if ((gz || deflate) && scratch->len > 0) {
        /* the dechunked bytes are the input: move them aside */
        swap_bytes(&plain, scratch);
        body = plain.p;
    }
    if (gz) {
        e = inflate_all(body, len, 16 + MAX_WBITS, max, scratch);
    } else if (deflate) {
        e = inflate_all(body, len, MAX_WBITS, max, scratch);
        if (e == SR_EPARSE) {   /* servers send raw deflate as often as zlib */
            sr_buf_reset(scratch);
            e = inflate_all(body, len, -MAX_WBITS, max, scratch);
        }
    } else if (ce[0] && strcmp(ce, "identity") && strcmp(ce, "none") &&
               !(len >= 1 && (u[0] == '<' || isspace(u[0])))) {
        e = SR_EFORMAT;     /* br, compress, ...: not decoded here */
    } else {
        /* nothing to undo: the bytes where they are (the block, or the
         * dechunked copy in scratch), not a copy of them */
        if (len > max)
            e = SR_ETOOBIG;
        else {
            *payload = body;
            *payload_len = len;
        }
        goto out;
    }
    if (e == SR_OK) {
        *payload = scratch->p ? scratch->p : "";
        *payload_len = scratch->len;
    }
out:
    sr_buf_free(&plain);
    return e;
}

sr_err sr_http_body(const sr_http *h, size_t max, sr_buf *out)
{
    const char *p;
    size_t n;
    sr_err e = sr_http_payload(h, max, out, &p, &n);
    if (e == SR_OK && p != out->p)
        e = sr_buf_append(out, p, n);   /* bytes still in the block */
    return e;
}
