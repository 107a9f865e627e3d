/*
 * sources.c - the SOURCES file `sitrep watch` follows: one source a line,
 *   URL [NAME...] [INTERVAL]
 * (see sitrep/watch.h).  Hand-written rather than a config library: the
 * format is one line of three fields, and every bad line must be reported
 * with its number and skipped, which a general parser would not do.
 *
 * Tokens are split on white space; "double quotes" group words (a name
 * ending in "4h" would otherwise be read as an interval), \" and \\ escape
 * inside them.  A line is capped at SR_WATCH_MAX_LINE bytes.
 */
#include "watch/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 64

long sr_watch_duration(const char *s, size_t n)
{
    if (n < 2 || n > 12)
        return -1;
    long v = 0;
    size_t i = 0;
    while (i < n - 1) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
        i++;
    }
    long unit;
    switch (s[n - 1]) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return -1;
    }
    if (v > 365L * 86400 / unit)
        return -1;
    return v * unit;
}

typedef struct token {
    char *s;          /* unquoted copy */
    bool quoted;
} token;

/* Split line[0..n) into tokens (copies in *arena); returns the count, or
 * -1 with *why set. */
static int tokenize(const char *line, size_t n, token *tok, char *arena, const char **why)
{
    int nt = 0;
    size_t i = 0, k = 0;
    while (i < n) {
        while (i < n && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i >= n || line[i] == '#')
            break;
        if (nt == MAX_TOKENS) {
            *why = "too many words";
            return -1;
        }
        tok[nt].s = arena + k;
        tok[nt].quoted = line[i] == '"';
        if (tok[nt].quoted) {
            i++;
            bool closed = false;
            while (i < n) {
                char c = line[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < n && (line[i] == '"' || line[i] == '\\'))
                    c = line[i++];
                arena[k++] = c;
            }
            if (!closed) {
                *why = "unbalanced double quote";
                return -1;
            }
            if (i < n && line[i] != ' ' && line[i] != '\t') {
                *why = "text right after a closing quote";
                return -1;
            }
        } else {
            while (i < n && line[i] != ' ' && line[i] != '\t')
                arena[k++] = line[i++];
        }
        arena[k++] = '\0';
        nt++;
    }
    return nt;
}

typedef struct seen_urls {
    char **v;
    size_t n, cap;
} seen_urls;

static bool seen_has(const seen_urls *s, const char *u)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], u) == 0)
            return true;
    return false;
}

int sr_watch_sources_parse(const char *text, size_t len, const char *path,
                           sr_watch_source_fn fn, void *ctx)
{
    seen_urls seen = {0};
    char *arena = malloc(SR_WATCH_MAX_LINE + MAX_TOKENS + 1);
    char *name = malloc(SR_WATCH_MAX_LINE + 1);
    token tok[MAX_TOKENS];
    int rc = 0;
    size_t lineno = 0, pos = 0;
    if (!arena || !name) {
        rc = SR_ENOMEM;
        goto out;
    }
    while (pos < len && rc == 0) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        lineno++;
        char rec[32];
        snprintf(rec, sizeof rec, "%zu", lineno);
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (lineno == 1 && n >= 3 && (unsigned char)line[0] == 0xEF &&
            (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF) {
            line += 3;
            n -= 3;
        }
        if (n > SR_WATCH_MAX_LINE) {
            sr_skip(path, rec, "line longer than %d bytes; skipped", SR_WATCH_MAX_LINE);
            continue;
        }
        if (memchr(line, '\0', n)) {
            sr_skip(path, rec, "NUL byte in the line; skipped");
            continue;
        }
        const char *why = NULL;
        int nt = tokenize(line, n, tok, arena, &why);
        if (nt < 0) {
            sr_skip(path, rec, "%s; skipped", why);
            continue;
        }
        if (nt == 0)
            continue;    /* blank or comment */
        long interval = SR_WATCH_DEFAULT_INTERVAL;
        int last = nt - 1;
        if (nt > 1 && !tok[last].quoted) {
            long d = sr_watch_duration(tok[last].s, strlen(tok[last].s));
            if (d == 0) {
                sr_skip(path, rec, "poll interval '%s' is zero; skipped", tok[last].s);
                continue;
            }
            if (d > 0) {
                interval = d;
                last--;
            } else if (nt == 2 && isdigit((unsigned char)tok[last].s[0]) &&
                       strspn(tok[last].s, "0123456789") == strlen(tok[last].s)) {
                sr_skip(path, rec, "poll interval '%s' needs a unit (s, m, h or d); skipped",
                        tok[last].s);
                continue;
            }
        }
        char *url = NULL;
        sr_err e = sr_url_normalize(tok[0].s, NULL, &url);
        if (e == SR_ENOMEM) {
            rc = SR_ENOMEM;
            break;
        }
        if (e == SR_EINVAL) {
            sr_skip(path, rec, "'%.200s' is not an http or https URL; skipped", tok[0].s);
            continue;
        }
        if (e || !strstr(tok[0].s, "://")) {
            free(url);
            sr_skip(path, rec, "'%.200s' is not an absolute URL; skipped", tok[0].s);
            continue;
        }
        if (seen_has(&seen, url)) {
            sr_skip(path, rec, "%s is listed on an earlier line; skipped", url);
            free(url);
            continue;
        }
        if (sr_grow((void **)&seen.v, &seen.cap, seen.n + 1, sizeof *seen.v)) {
            free(url);
            rc = SR_ENOMEM;
            break;
        }
        seen.v[seen.n++] = url;
        size_t k = 0;
        for (int i = 1; i <= last; i++) {
            size_t tl = strlen(tok[i].s);
            if (k)
                name[k++] = ' ';
            memcpy(name + k, tok[i].s, tl);
            k += tl;
        }
        name[k] = '\0';
        sr_watch_source_line sl = { lineno, url, k ? name : NULL, interval };
        rc = fn(&sl, ctx);
    }
out:
    for (size_t i = 0; i < seen.n; i++)
        free(seen.v[i]);
    free(seen.v);
    free(arena);
    free(name);
    return rc;
}
