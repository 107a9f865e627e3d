/*
 * detect.c - which reader an input belongs to, from its first bytes.
 *
 * Content decides, the file name only breaks ties: crawls save feeds as
 * .html, pages as .txt and everything as .gz.  The checks run from the most
 * specific signature (WARC/ARC version lines) to the least (plain text), on
 * the first 4 KiB after gzip is undone.  Binary data is recognised by its
 * signature and by NUL and control bytes beyond what text has, so an image
 * renamed .html is reported, not "extracted", while a page with a stray NUL
 * is read.  UTF-16 with a byte-order mark is classified by its text.
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

/* Binary: a known file signature, or more NUL or control bytes than text
 * ever has.  A stray NUL is not enough (crawled pages have them, and HTML
 * parsers read them as U+FFFD); random bytes are about 10% control. */
static int looks_binary(const unsigned char *p, size_t n)
{
    static const struct { const char *magic; size_t n; } magics[] = {
        { "\x1f\x8b", 2 }, { "%PDF-", 5 }, { "PK\x03\x04", 4 },
        { "\x89PNG", 4 }, { "\xff\xd8\xff", 3 }, { "GIF8", 4 },
        { "\x7f" "ELF", 4 }, { "BZh", 3 }, { "\xfd" "7zXZ", 5 },
    };
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (n >= magics[i].n && memcmp(p, magics[i].magic, magics[i].n) == 0)
            return 1;
    size_t ctl = 0, nul = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        nul += c == 0;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
            ctl++;
    }
    return n > 0 && (nul * 64 > n || ctl * 16 > n);
}

/* The first bytes of UTF-16 text (after its BOM) as ASCII, for
 * classifying: code units above 0x7F become '?'. */
static size_t utf16_ascii(const unsigned char *p, size_t n, int le, unsigned char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 2; i + 1 < n && k < cap; i += 2) {
        unsigned u = le ? (unsigned)p[i] | (unsigned)p[i + 1] << 8
                        : (unsigned)p[i] << 8 | (unsigned)p[i + 1];
        out[k++] = (unsigned char)(u < 0x80 ? u : '?');
    }
    return k;
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
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        /* UTF-16 with a byte-order mark: classify its text (WHATWG reads
         * the BOM first, before any label) */
        unsigned char ascii[2048];
        size_t k = utf16_ascii(p, n, p[0] == 0xFF, ascii, sizeof ascii);
        if (k == 0)
            return SR_KIND_EMPTY;
        sr_ingest_kind kind = sr_ingest_detect(ascii, k, name);
        return kind == SR_KIND_WARC || kind == SR_KIND_ARC ? SR_KIND_BINARY : kind;
    }
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
