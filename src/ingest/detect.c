/*
 * detect.c - which reader an input belongs to, from its first bytes.
 *
 * Content decides, the file name only breaks ties: crawls save feeds as
 * .html, pages as .txt and everything as .gz.  The checks run from the most
 * specific signature (WARC/ARC version lines) to the least (plain text), on
 * the first 4 KiB after gzip is undone.  Binary data is recognised by NUL
 * and control bytes, so an image renamed .html is reported, not "extracted".
 */
#include "sitrep/ingest.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int starts_ci(const unsigned char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && strncasecmp((const char *)p, lit, k) == 0;
}

static int find_ci(const unsigned char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp((const char *)p + i, lit, k) == 0)
            return 1;
    return 0;
}

static int looks_binary(const unsigned char *p, size_t n)
{
    size_t ctl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == 0)
            return 1;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
            ctl++;
    }
    return n > 0 && ctl * 10 > n;
}

/* Skip the XML/HTML prolog (declarations, comments, doctype, whitespace)
 * and classify by the first element's name. */
static sr_ingest_kind markup_kind(const unsigned char *p, size_t n, int *saw_xml)
{
    size_t i = 0;
    *saw_xml = 0;
    while (i < n) {
        while (i < n && isspace(p[i]))
            i++;
        if (i >= n || p[i] != '<')
            return SR_KIND_HTML;
        const unsigned char *s = p + i;
        size_t left = n - i;
        if (starts_ci(s, left, "<?xml"))
            *saw_xml = 1;
        if (starts_ci(s, left, "<!--")) {
            const unsigned char *e = NULL;
            for (size_t j = 4; j + 2 < left; j++)
                if (s[j] == '-' && s[j + 1] == '-' && s[j + 2] == '>') {
                    e = s + j + 3;
                    break;
                }
            if (!e)
                return *saw_xml ? SR_KIND_XML_OTHER : SR_KIND_HTML;
            i = (size_t)(e - p);
            continue;
        }
        if (starts_ci(s, left, "<!doctype")) {
            size_t j = 9;
            while (j < left && isspace(s[j]))
                j++;
            if (starts_ci(s + j, left - j, "html"))
                return SR_KIND_HTML;
        }
        if (starts_ci(s, left, "<!doctype")) {
            /* An internal subset ("<!DOCTYPE rss [ <!ENTITY ...> ]>") holds
             * '>' of its own: skip to the "]" that closes it.  Entity
             * declarations go to the feed reader, which refuses them with
             * a clear message, even when the root is past our 4 KiB. */
            const unsigned char *gt = memchr(s, '>', left);
            const unsigned char *br = memchr(s, '[', left);
            if (br && (!gt || br < gt)) {
                const unsigned char *e = memchr(br, ']', left - (size_t)(br - s));
                const unsigned char *e2 = e ? memchr(e, '>', left - (size_t)(e - s)) : NULL;
                if (!e2)
                    return find_ci(s, left, "<!entity") ? SR_KIND_FEED : SR_KIND_XML_OTHER;
                i = (size_t)(e2 - p) + 1;
                continue;
            }
        }
        if (s[1] == '?' || s[1] == '!') {
            const unsigned char *e = memchr(s, '>', left);
            if (!e)
                return SR_KIND_XML_OTHER;
            i = (size_t)(e - p) + 1;
            continue;
        }
        /* first element: take its local name (after any prefix) */
        size_t j = 1, start = 1;
        while (j < left && !isspace(s[j]) && s[j] != '>' && s[j] != '/') {
            if (s[j] == ':')
                start = j + 1;
            j++;
        }
        const unsigned char *name = s + start;
        size_t len = j - start;
        static const char *feeds[] = {"rss", "RDF", "feed", "channel"};
        for (size_t k = 0; k < sizeof feeds / sizeof feeds[0]; k++)
            if (len == strlen(feeds[k]) && strncasecmp((const char *)name, feeds[k], len) == 0)
                return SR_KIND_FEED;
        if (len == 4 && strncasecmp((const char *)name, "html", 4) == 0)
            return SR_KIND_HTML;
        return *saw_xml ? SR_KIND_XML_OTHER : SR_KIND_HTML;
    }
    return SR_KIND_HTML;
}

sr_ingest_kind sr_ingest_detect(const unsigned char *p, size_t n, const char *name)
{
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        p += 3;
        n -= 3;
    }
    size_t i = 0;
    while (i < n && isspace(p[i]))
        i++;
    if (i == n)
        return SR_KIND_EMPTY;
    if (starts_ci(p, n, "WARC/"))
        return SR_KIND_WARC;
    if (starts_ci(p, n, "filedesc://"))
        return SR_KIND_ARC;
    if (looks_binary(p, n))
        return SR_KIND_BINARY;
    p += i;
    n -= i;
    if (p[0] == '<') {
        int saw_xml;
        sr_ingest_kind k = markup_kind(p, n, &saw_xml);
        if (k == SR_KIND_XML_OTHER && find_ci(p, n, "<html"))
            return SR_KIND_HTML;
        return k;
    }
    if (p[0] == '{')
        return SR_KIND_JSONL;
    if (find_ci(p, n, "<html") || find_ci(p, n, "<!doctype html") ||
        find_ci(p, n, "<body"))
        return SR_KIND_HTML;
    if (name) {
        const char *dot = strrchr(name, '.');
        if (dot && strcasecmp(dot, ".gz") == 0) {
            /* look at the extension under .gz */
            const char *d2 = dot;
            while (d2 > name && d2[-1] != '.' && d2[-1] != '/')
                d2--;
            dot = d2 > name && d2[-1] == '.' ? d2 - 1 : NULL;
        }
        if (dot && (strncasecmp(dot, ".htm", 4) == 0) && memchr(p, '<', n))
            return SR_KIND_HTML;
    }
    return SR_KIND_TEXT;
}
