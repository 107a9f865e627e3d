/*
 * target.c - a request target ("/api/stories?since=2025-03-01&limit=20")
 * parsed strictly into path segments and query parameters.
 *
 * Written by hand rather than taken from libmicrohttpd's argument parser
 * because that one decodes leniently: "%zz" passes through, "%00" becomes a
 * NUL that silently cuts a value short, and a parameter given twice is
 * hidden.  Here each of those is a 400 the client can read, and the parser
 * is a pure function over a bounded buffer that tests/fuzz drives directly.
 * Base64url (cursors) is also here: the alphabet is small and SQLite's and
 * zlib's have none for it.
 */
#include "serve/internal.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool api_unescape(char *s, size_t *len, bool plus)
{
    size_t r = 0, w = 0, n = *len;
    while (r < n) {
        char c = s[r];
        if (c == '%') {
            if (r + 2 >= n)
                return false;
            int hi = hexval(s[r + 1]), lo = hexval(s[r + 2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            if (c == '\0')
                return false;
            r += 3;
        } else {
            if (c == '\0')
                return false;
            if (plus && c == '+')
                c = ' ';
            r++;
        }
        s[w++] = c;
    }
    s[w] = '\0';
    *len = w;
    return true;
}

bool api_clean_text(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return false;
            p++;
            continue;
        }
        size_t n;
        unsigned cp;
        if ((c & 0xe0) == 0xc0) { n = 2; cp = c & 0x1f; }
        else if ((c & 0xf0) == 0xe0) { n = 3; cp = c & 0x0f; }
        else if ((c & 0xf8) == 0xf0) { n = 4; cp = c & 0x07; }
        else return false;
        if ((size_t)(end - p) < n)
            return false;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        /* overlong forms, surrogates, beyond U+10FFFF, C1 controls */
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp < 0xa0))
            return false;
        p += n;
    }
    return true;
}

bool api_valid_date(const char *s)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return false;
    return true;
}

int api_parse_target(const char *raw, size_t len, api_target *t, const char **why)
{
    /* the 16 KiB buffer is written before it is read: no need to clear it */
    t->path = NULL;
    t->nsegs = 0;
    t->nparams = 0;
    *why = NULL;
    if (len > SR_SERVE_MAX_URL) {
        *why = "the request target is longer than 8192 bytes";
        return 414;
    }
    if (len == 0 || raw[0] != '/') {
        *why = "the request target must start with '/'";
        return 400;
    }
    size_t qpos = len;
    for (size_t i = 0; i < len; i++)
        if (raw[i] == '?' || raw[i] == '#') {
            qpos = i;
            break;
        }
    /* the path, decoded (an encoded '/' becomes one: it is a separator) */
    char *w = t->buf;
    memcpy(w, raw, qpos);
    size_t plen = qpos;
    if (!api_unescape(w, &plen, false)) {
        *why = "bad percent-encoding in the path (a broken %XX or %00)";
        return 400;
    }
    if (!api_clean_text(w, plen)) {
        *why = "the path is not clean UTF-8";
        return 400;
    }
    t->path = w;
    char *segs = w + plen + 1;          /* a copy split on '/' */
    memcpy(segs, w, plen + 1);
    char *p = segs + 1;
    if (*p) {
        for (;;) {
            if (t->nsegs == API_MAX_SEGS) {
                *why = "the path has too many segments";
                return 404;
            }
            t->segs[t->nsegs++] = p;
            char *slash = strchr(p, '/');
            if (!slash)
                break;
            *slash = '\0';
            p = slash + 1;
        }
    }
    char *q = segs + plen + 1;
    if (qpos < len && raw[qpos] == '?') {
        const char *r = raw + qpos + 1, *end = raw + len;
        while (r < end) {
            const char *amp = memchr(r, '&', (size_t)(end - r));
            const char *stop = amp ? amp : end;
            const char *hash = memchr(r, '#', (size_t)(stop - r));
            if (hash)
                stop = hash;
            if (stop > r) {
                if (t->nparams == SR_SERVE_MAX_PARAMS) {
                    *why = "more than 16 query parameters";
                    return 414;
                }
                const char *eq = memchr(r, '=', (size_t)(stop - r));
                size_t klen = (size_t)((eq ? eq : stop) - r);
                size_t vlen = eq ? (size_t)(stop - eq - 1) : 0;
                char *k = q;
                memcpy(k, r, klen);
                char *v = k + klen + 1;
                if (eq)
                    memcpy(v, eq + 1, vlen);
                if (!api_unescape(k, &klen, true) || !api_unescape(v, &vlen, true)) {
                    *why = "bad percent-encoding in the query (a broken %XX or %00)";
                    return 400;
                }
                if (klen == 0) {
                    *why = "a query parameter without a name";
                    return 400;
                }
                for (size_t i = 0; i < t->nparams; i++)
                    if (strcmp(t->params[i].key, k) == 0) {
                        *why = "a query parameter is given twice";
                        return 400;
                    }
                t->params[t->nparams].used = false;
                t->params[t->nparams].key = k;
                t->params[t->nparams].value = v;
                t->params[t->nparams].value_len = vlen;
                t->nparams++;
                q = v + vlen + 1;
            }
            if (hash || !amp)
                break;
            r = amp + 1;
        }
    }
    return 0;
}

/* ---- cursors: base64url, no padding ------------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

sr_err api_cursor_encode(char kind, int64_t num, const char *key, sr_buf *out)
{
    char plain[320];
    int n = snprintf(plain, sizeof plain, "%c:%lld:%s", kind, (long long)num, key ? key : "");
    if (n < 0 || (size_t)n >= sizeof plain)
        return SR_ETOOBIG;
    const unsigned char *p = (const unsigned char *)plain;
    sr_err e = SR_OK;
    for (int i = 0; i < n && !e; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        char o[4] = { b64[(v >> 18) & 63], b64[(v >> 12) & 63], b64[(v >> 6) & 63], b64[v & 63] };
        e = sr_buf_append(out, o, i + 2 < n ? 4 : i + 1 < n ? 3 : 2);
    }
    return e;
}

bool api_cursor_decode(const char *cursor, char kind, int64_t *num, char *key, size_t keylen)
{
    size_t n = strlen(cursor);
    if (n < 4 || n > 420 || n % 4 == 1)
        return false;
    char plain[320];
    size_t m = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *at = memchr(b64, cursor[i], 64);
        if (!at || !cursor[i])
            return false;
        acc = (acc << 6) | (unsigned)(at - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (m + 1 >= sizeof plain)
                return false;
            plain[m++] = (char)((acc >> bits) & 0xff);
        }
    }
    plain[m] = '\0';
    if (memchr(plain, '\0', m) || m < 4 || plain[0] != kind || plain[1] != ':')
        return false;
    const char *p = plain + 2;
    int64_t v = 0;
    bool neg = *p == '-';
    if (neg)
        p++;
    if (*p < '0' || *p > '9')
        return false;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (++digits > 18)
            return false;
        v = v * 10 + (*p++ - '0');
    }
    if (*p != ':' || neg)
        return false;
    p++;
    size_t kl = strlen(p);
    if (kl + 1 > keylen)
        return false;
    memcpy(key, p, kl + 1);
    *num = v;
    return true;
}
