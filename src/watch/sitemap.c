/*
 * sitemap.c - sitemaps (sitemaps.org 0.9), sitemap indexes and Google
 * News sitemaps, for sources that publish no feed.
 *
 * Same reader and the same safety as feeds (src/ingest/feed.c): libxml2's
 * streaming reader with network access off and no entity substitution; a
 * document whose DOCTYPE declares entities is refused before parsing.  Each
 * <url> or <sitemap> is collected from its children and handed on at its
 * end tag, so a 50,000-entry sitemap holds one entry at a time.
 *
 * Elements are matched by local name: real sitemaps use the 0.9 namespace,
 * none at all, or a misspelt one, and the names are unambiguous.
 */
#include "watch/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#define FIELD_MAX 4096

bool sr_sitemap_detect(const char *xml, size_t n)
{
    size_t scan = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 1 < scan; i++) {
        if (xml[i] != '<')
            continue;
        char c = xml[i + 1];
        if (c == '?' || c == '!')
            continue;
        /* the first element: take its local name */
        size_t j = i + 1, start = j;
        while (j < scan && xml[j] != '>' && xml[j] != ' ' && xml[j] != '\t' &&
               xml[j] != '\n' && xml[j] != '\r' && xml[j] != '/') {
            if (xml[j] == ':')
                start = j + 1;
            j++;
        }
        size_t len = j - start;
        return (len == 6 && strncasecmp(xml + start, "urlset", 6) == 0) ||
               (len == 12 && strncasecmp(xml + start, "sitemapindex", 12) == 0);
    }
    return false;
}

typedef struct entry {
    char *loc, *lastmod, *title, *published, *outlet;
} entry;

static void entry_clear(entry *e)
{
    free(e->loc); free(e->lastmod); free(e->title); free(e->published); free(e->outlet);
    memset(e, 0, sizeof *e);
}

static void keep(char **slot, xmlChar *s)
{
    if (!s)
        return;
    if (*slot || strlen((char *)s) > FIELD_MAX) {
        xmlFree(s);
        return;
    }
    /* trimmed copy */
    const char *p = (const char *)s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
        n--;
    if (n)
        *slot = strndup(p, n);
    xmlFree(s);
}

static bool declares_entities(const char *xml, size_t len)
{
    size_t scan = len < 65536 ? len : 65536;
    for (size_t i = 0; i + 9 <= scan; i++)
        if (memcmp(xml + i, "<!DOCTYPE", 9) == 0 || memcmp(xml + i, "<!ENTITY", 8) == 0) {
            for (size_t k = i; k + 8 <= len; k++)
                if (memcmp(xml + k, "<!ENTITY", 8) == 0)
                    return true;
            return false;
        }
    return false;
}

int sr_sitemap_read(const char *xml, size_t len, const char *path,
                    sr_sitemap_fn fn, void *ctx)
{
    entry e = {0};
    int rc = 0, ret = 0, root = 0, in_entry = 0, entry_depth = 0;
    bool index = false;
    size_t count = 0;
    if (len > INT32_MAX) {
        sr_skip(path, NULL, "sitemap too large");
        return 0;
    }
    if (declares_entities(xml, len)) {
        sr_skip(path, NULL, "sitemap declares XML entities (<!ENTITY>): refused");
        return 0;
    }
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, NULL,
                                            XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                                            XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!r)
        return SR_ENOMEM;
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            sr_skip(path, NULL, "sitemap uses XML entity references: refused");
            break;
        }
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (in_entry && depth == entry_depth) {
                in_entry = 0;
                if (e.loc && count < SR_SITEMAP_MAX_URLS) {
                    sr_sitemap_entry se = { e.loc, index, e.lastmod, e.title, e.published, e.outlet };
                    rc = fn(&se, ctx);
                }
                if (e.loc && ++count == SR_SITEMAP_MAX_URLS + 1)
                    sr_warn(path, NULL, "more than %d entries; the rest are ignored",
                            SR_SITEMAP_MAX_URLS);
                entry_clear(&e);
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *local = (const char *)xmlTextReaderConstLocalName(r);
        if (!local)
            continue;
        if (!root) {
            root = 1;
            if (!strcmp(local, "sitemapindex"))
                index = true;
            else if (strcmp(local, "urlset") != 0) {
                sr_skip(path, NULL, "XML root <%s> is not a sitemap", local);
                break;
            }
            continue;
        }
        if (!in_entry) {
            if (depth == 1 && (!strcmp(local, index ? "sitemap" : "url")) &&
                !xmlTextReaderIsEmptyElement(r)) {
                in_entry = 1;
                entry_depth = depth;
            }
            continue;
        }
        if (!strcmp(local, "loc") && depth == entry_depth + 1)
            keep(&e.loc, xmlTextReaderReadString(r));
        else if (!strcmp(local, "lastmod") && depth == entry_depth + 1)
            keep(&e.lastmod, xmlTextReaderReadString(r));
        else if (!strcmp(local, "title"))
            keep(&e.title, xmlTextReaderReadString(r));
        else if (!strcmp(local, "publication_date"))
            keep(&e.published, xmlTextReaderReadString(r));
        else if (!strcmp(local, "name"))
            keep(&e.outlet, xmlTextReaderReadString(r));
    }
    if (rc == 0 && ret < 0 && root)
        sr_skip(path, NULL, "XML error after %zu entries; rest of sitemap skipped", count);
    if (rc == 0 && !root)
        sr_skip(path, NULL, "no XML elements: not a sitemap");
    entry_clear(&e);
    xmlFreeTextReader(r);
    return rc;
}
