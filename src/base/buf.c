/*
 * buf.c - growable byte buffer with a hard cap (see sitrep/base.h).
 *
 * Why a cap on every buffer: sitrep reads pages, feeds and archives written by
 * strangers.  Growing without limit on a hostile input is a denial of service,
 * so the cap is part of the type, not something each caller must remember.
 */
#include "sitrep/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sr_strerror(sr_err e)
{
    switch (e) {
    case SR_OK:      return "success";
    case SR_ENOMEM:  return "out of memory";
    case SR_ETOOBIG: return "input exceeds a size cap";
    case SR_EPARSE:  return "malformed input";
    case SR_EIO:     return "input/output error";
    case SR_EINVAL:  return "invalid argument";
    case SR_EFORMAT: return "unrecognised format";
    }
    return "unknown error";
}

void sr_buf_init(sr_buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

static size_t buf_max(const sr_buf *b)
{
    return b->max ? b->max : SR_BUF_DEFAULT_MAX;
}

sr_err sr_buf_reserve(sr_buf *b, size_t extra)
{
    size_t max = buf_max(b);
    if (extra > max || b->len > max - extra)
        return SR_ETOOBIG;
    size_t need = b->len + extra + 1; /* + NUL */
    if (need <= b->cap)
        return SR_OK;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (ncap > max + 1)
        ncap = max + 1;
    char *np = realloc(b->p, ncap);
    if (!np)
        return SR_ENOMEM;
    b->p = np;
    b->cap = ncap;
    return SR_OK;
}

sr_err sr_buf_append(sr_buf *b, const void *p, size_t n)
{
    sr_err e = sr_buf_reserve(b, n);
    if (e)
        return e;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return SR_OK;
}

sr_err sr_buf_puts(sr_buf *b, const char *s)
{
    return sr_buf_append(b, s, strlen(s));
}

sr_err sr_buf_putc(sr_buf *b, char c)
{
    return sr_buf_append(b, &c, 1);
}

sr_err sr_buf_vprintf(sr_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return SR_EINVAL;
    sr_err e = sr_buf_reserve(b, (size_t)n);
    if (e)
        return e;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return SR_OK;
}

sr_err sr_buf_printf(sr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sr_err e = sr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return e;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
    else return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

sr_err sr_buf_json_str(sr_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    sr_err e = sr_buf_putc(b, '"');
    size_t i = 0;
    while (!e && i < n) {
        size_t run = i;
        /* copy plain runs in one go: this is the hot path of every writer */
        while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            e = sr_buf_append(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned c = u[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            e = sr_buf_append(b, esc, 2);
            i++;
        } else if (c < 0x20) {
            char esc[6];
            const char *short_esc = NULL;
            switch (c) {
            case '\n': short_esc = "\\n"; break;
            case '\r': short_esc = "\\r"; break;
            case '\t': short_esc = "\\t"; break;
            case '\b': short_esc = "\\b"; break;
            case '\f': short_esc = "\\f"; break;
            }
            if (short_esc) {
                e = sr_buf_append(b, short_esc, 2);
            } else {
                esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
                esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
                e = sr_buf_append(b, esc, 6);
            }
            i++;
        } else {
            size_t l = utf8_valid_len(u + i, n - i);
            if (l) {
                e = sr_buf_append(b, s + i, l);
                i += l;
            } else {
                e = sr_buf_append(b, "\xEF\xBF\xBD", 3);
                i++;
            }
        }
    }
    if (!e)
        e = sr_buf_putc(b, '"');
    return e;
}

void sr_buf_reset(sr_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void sr_buf_free(sr_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *sr_buf_detach(sr_buf *b, size_t *len)
{
    char *p = b->p;
    if (len)
        *len = b->len;
    if (!p) {
        p = malloc(1);
        if (p)
            p[0] = '\0';
    }
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

sr_err sr_read_file(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return SR_EIO;
    sr_buf b = SR_BUF_INIT(max);
    char chunk[65536];
    sr_err e = SR_OK;
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if ((e = sr_buf_append(&b, chunk, n)))
            break;
    }
    if (!e && ferror(f))
        e = SR_EIO;
    if (f != stdin)
        fclose(f);
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    *out = sr_buf_detach(&b, len);
    return *out ? SR_OK : SR_ENOMEM;
}

void *sr_malloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return malloc(n && size ? n * size : 1);
}

void *sr_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n && size ? n * size : 1);
}

sr_err sr_grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return SR_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return SR_ENOMEM;
        ncap *= 2;
    }
    void *np = sr_realloc_array(*arr, ncap, size);
    if (!np)
        return SR_ENOMEM;
    *arr = np;
    *cap = ncap;
    return SR_OK;
}

sr_err sr_buf_json_kv(sr_buf *b, const char *key, const char *value)
{
    sr_err e = sr_buf_printf(b, ",\"%s\":", key);
    if (e != SR_OK)
        return e;
    return value ? sr_buf_json_str(b, value, strlen(value)) : sr_buf_puts(b, "null");
}
