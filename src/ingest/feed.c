/*
 * feed.c - RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 feeds, one document per entry.
 *
 * libxml2's streaming reader (xmlTextReader) walks the feed once; an entry
 * is collected from its direct children and handed on when its end tag is
 * read, so a feed of thousands of entries holds one entry at a time.
 *
 * Broken XML (a bare '&', a mismatched tag) is common in real feeds, so the
 * parser recovers (XML_PARSE_RECOVER) and the feed gets one warning.
 *
 * Safety: the parser runs with XML_PARSE_NONET and without NOENT, DTDLOAD or
 * DTDATTR, so no entity is ever substituted and nothing is ever fetched.
 * Before it, feed_rewrite() blanks the DOCTYPE (internal subset and all),
 * maps HTML's named entities to characters and turns every other
 * reference into text, so a declared entity ("billion laughs", an external
 * entity pointing at a local file) never reaches libxml2 at all; if
 * libxml2 still reports an entity declaration or reference, the feed is
 * refused.
 *
 * Field choice follows what readers of feeds expect: the body is the full
 * content (content:encoded, atom:content) else the summary (description,
 * atom:summary); the date is the publication date (pubDate, dc:date,
 * published, issued) else the update date, else the feed's own date (an
 * entry is no newer than the feed that lists it; meta_json says so); the
 * feed's title is the outlet.
 * Bodies are often HTML; they go through sr_html_fragment_text(), not the
 * page extractor (see html_doc.c for why).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>   /* htmlEntityLookup: the HTML named entities */
#include <libxml/hash.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#define NS_ATOM10  "http://www.w3.org/2005/Atom"
#define NS_ATOM03  "http://purl.org/atom/ns#"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_RSS10   "http://purl.org/rss/1.0/"
#define NS_RSS09   "http://my.netscape.com/rdf/simple/0.9/"
#define NS_ITUNES_URI "http://www.itunes.com/dtds/podcast-1.0.dtd"

#define FIELD_MAX  ((size_t)16 << 20)   /* one field of one entry */
#define STACK      64                   /* element names remembered */

enum { NS_NONE, NS_ATOM, NS_RSS, NS_OTHER_CONTENT, NS_OTHER_DC, NS_ITUNES, NS_OTHER };

typedef struct entry {
    char *title, *link, *content, *summary, *published, *updated, *author, *guid;
    char *alt_title, *alt_summary;    /* dc:title; dc:description, itunes:summary */
    int content_html, summary_html;   /* body is (escaped or inline) HTML */
} entry;

typedef struct feed {
    const char *path;
    const sr_ingest_opts *opts;
    sr_doc_fn fn;
    void *ctx;
    char *title;           /* the feed's title: the outlet */
    char *lang;
    char *date;            /* the feed's own date (pubDate, lastBuildDate,
                              dc:date, updated): entries without one take it */
    int is_atom;
    size_t entries;
    char first_error[256];
    int error_line;
    int keep_linked;       /* pass entries with a link and no text (watch) */
} feed;

static void entry_clear(entry *e)
{
    free(e->title); free(e->link); free(e->content); free(e->summary);
    free(e->published); free(e->updated); free(e->author); free(e->guid);
    free(e->alt_title); free(e->alt_summary);
    memset(e, 0, sizeof *e);
}

static int ns_class(const xmlChar *uri)
{
    if (!uri)
        return NS_NONE;
    const char *u = (const char *)uri;
    if (!strcmp(u, NS_ATOM10) || !strcmp(u, NS_ATOM03))
        return NS_ATOM;
    if (!strcmp(u, NS_RSS10) || !strcmp(u, NS_RSS09))
        return NS_RSS;
    if (!strcmp(u, NS_CONTENT))
        return NS_OTHER_CONTENT;
    if (!strcmp(u, NS_DC))
        return NS_OTHER_DC;
    if (!strcasecmp(u, NS_ITUNES_URI))   /* Apple's own feeds vary the case */
        return NS_ITUNES;
    return NS_OTHER;
}

/* Set *slot to s (taking ownership) unless it is already set. */
static void keep_first(char **slot, xmlChar *s)
{
    if (!s)
        return;
    if (*slot || strlen((char *)s) > FIELD_MAX) {
        xmlFree(s);
        return;
    }
    *slot = strdup((char *)s);
    xmlFree(s);
}

/* A copy with whitespace trimmed and no-break spaces (&nbsp; in a title)
 * read as spaces. */
static char *trimmed_dup(const char *s)
{
    if (!s)
        return NULL;
    if (strstr(s, "\xC2\xA0")) {
        char *t = strdup(s);
        if (!t)
            return NULL;
        size_t k = 0;
        for (size_t i = 0; t[i]; i++) {
            if ((unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xA0) {
                t[k++] = ' ';
                i++;
            } else {
                t[k++] = t[i];
            }
        }
        t[k] = '\0';
        char *r = trimmed_dup(t);
        free(t);
        return r;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return n ? strndup(s, n) : NULL;
}

/* Text of a field: HTML stripped when it is HTML, whitespace trimmed. */
static sr_err field_text(const char *s, int html, size_t max, char **out)
{
    *out = NULL;
    if (!s)
        return SR_OK;
    if (html || strchr(s, '<')) {
        size_t n;
        sr_err e = sr_html_fragment_text(s, strlen(s), max, out, &n);
        if (e)
            return e;
        if (n == 0) {
            free(*out);
            *out = NULL;
        }
        return SR_OK;
    }
    *out = trimmed_dup(s);
    return SR_OK;
}

static int is_html_type(xmlTextReaderPtr r, int atom)
{
    xmlChar *type = xmlTextReaderGetAttribute(r, (const xmlChar *)"type");
    int html;
    if (!type)
        html = !atom;   /* RSS bodies are HTML by custom; Atom's default is text */
    else
        html = strstr((char *)type, "html") != NULL;
    xmlFree(type);
    return html;
}

static int base64_mode(xmlTextReaderPtr r)
{
    xmlChar *mode = xmlTextReaderGetAttribute(r, (const xmlChar *)"mode");
    int b64 = mode && !strcmp((char *)mode, "base64");
    xmlFree(mode);
    return b64;
}

static void json_field(sr_buf *b, const char *key, const char *val, sr_err *e)
{
    if (*e || !val)
        return;
    *e = sr_buf_putc(b, b->len ? ',' : '{');
    if (!*e) *e = sr_buf_json_str(b, key, strlen(key));
    if (!*e) *e = sr_buf_putc(b, ':');
    if (!*e) *e = sr_buf_json_str(b, val, strlen(val));
}

static int entry_finish(feed *f, entry *e)
{
    char rec[32], date[21], *text = NULL, *title = NULL;
    sr_buf meta = SR_BUF_INIT(1 << 20);
    int rc = 0;
    f->entries++;
    snprintf(rec, sizeof rec, "%zu", f->entries);
    size_t max = ing_max(f->opts);
    sr_err err = field_text(e->content, e->content_html, max, &text);
    if (!err && !text)
        err = field_text(e->summary, e->summary_html, max, &text);
    if (!err && !text)
        err = field_text(e->alt_summary, 1, max, &text);
    if (!err)
        err = field_text(e->title ? e->title : e->alt_title, 0, 1 << 16, &title);
    if (err) {
        if (err == SR_ENOMEM)
            rc = SR_ENOMEM;
        else
            ing_skip(f->opts, f->path, rec, "entry %zu: %s", f->entries,
                     err == SR_ETOOBIG ? "its text is over the --max-size cap" : sr_strerror(err));
        goto out;
    }
    char *link = trimmed_dup(e->link);
    if (!text && link && f->keep_linked && !(text = strdup(""))) {
        free(link);
        rc = SR_ENOMEM;
        goto out;
    }
    if (!text) {
        if (link)
            ing_skip(f->opts, f->path, rec,
                     "entry %zu has no text, only a link (%s); nothing is fetched",
                     f->entries, link);
        else
            ing_skip(f->opts, f->path, rec, "entry %zu has no text", f->entries);
        free(link);
        goto out;
    }
    sr_doc d = {0};
    d.path = f->path;
    d.record = rec;
    d.format = SR_FMT_FEED;
    d.url = link;
    d.outlet = f->title;
    d.title = title;
    d.author = e->author;
    d.lang = f->lang;
    d.text = text;
    d.text_len = strlen(text);
    const char *raw_date = e->published ? e->published : e->updated;
    sr_err me = SR_OK;
    if (raw_date) {
        if (sr_ingest_date(raw_date, date))
            d.published = date;
        else
            json_field(&meta, "date_unparsed", raw_date, &me);
    } else if (f->date && sr_ingest_date(f->date, date)) {
        /* an undated entry is no newer than its feed: said so */
        d.published = date;
        json_field(&meta, "published_from", "feed date", &me);
    }
    json_field(&meta, "guid", e->guid, &me);
    if (!me && meta.len)
        me = sr_buf_putc(&meta, '}');
    d.meta_json = !me && meta.len ? meta.p : NULL;
    rc = ing_emit(f->opts, &d, f->fn, f->ctx);
    free(link);
out:
    sr_buf_free(&meta);
    free(text);
    free(title);
    entry_clear(e);
    return rc;
}

static void on_error(void *arg, xmlErrorPtr err)
{
    feed *f = arg;
    if (f->first_error[0] || !err || err->level < XML_ERR_ERROR)
        return;
    const char *msg = err->message ? err->message : "XML error";
    /* libxml2 names its API flags ("use XML_PARSE_HUGE option"), which no
     * user of sitrep can set: say what the limit is instead */
    if (strstr(msg, "XML_PARSE_HUGE") || strstr(msg, "Huge input lookup") ||
        strstr(msg, "huge text node"))
        msg = "a text or name longer than the XML parser's 10 MB limit";
    snprintf(f->first_error, sizeof f->first_error, "%s", msg);
    size_t n = strlen(f->first_error);
    while (n > 0 && (f->first_error[n - 1] == '\n' || f->first_error[n - 1] == ' '))
        f->first_error[--n] = '\0';
    f->error_line = err->line;
}

/*
 * Feeds as feed readers take them.  Real feeds use HTML's named entities
 * (&nbsp; &eacute; &mdash;) that XML does not define, carry the RSS 0.91
 * DOCTYPE (whose DTD defines them, and which nothing should fetch), or
 * declare a harmless internal entity.  libxml2 either stops at the first
 * undefined entity (losing every entry) or, to define them, would need the
 * DTD loaded and entities substituted, which is exactly what must never
 * happen (billion laughs, external entities reading local files).
 *
 * So the bytes are rewritten before libxml2 sees them: the DOCTYPE, with
 * any internal subset, is blanked (newlines kept, so error line numbers
 * still point at the feed); a reference to an HTML named entity becomes
 * its character (libxml2's own HTML entity table, htmlEntityLookup); any
 * other non-XML reference (one the feed declared, or a name nobody
 * defines) becomes literal text (&amp;name;).  Nothing is ever expanded
 * from a declaration and nothing is fetched; CDATA sections and comments
 * are left alone.  *out is NULL when nothing needed changing.
 */
static int name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == ':';
}

static size_t put_utf8(char *d, unsigned cp)
{
    if (cp < 0x80) { d[0] = (char)cp; return 1; }
    if (cp < 0x800) { d[0] = (char)(0xC0 | cp >> 6); d[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | cp >> 12); d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    d[0] = (char)(0xF0 | cp >> 18); d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); d[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

/* End of a DOCTYPE at dt (just past its '>'), its internal subset and the
 * quoted strings in it skipped; *declares set when it has <!ENTITY. */
static const char *doctype_end(const char *dt, const char *end, int *declares)
{
    const char *p = dt + 9;
    int depth = 0;
    while (p < end) {
        char c = *p;
        if (c == '"' || c == '\'') {
            const char *q = memchr(p + 1, c, (size_t)(end - p - 1));
            p = q ? q + 1 : end;
            continue;
        }
        if (c == '[')
            depth++;
        else if (c == ']' && depth > 0)
            depth--;
        else if (c == '>' && depth == 0)
            return p + 1;
        else if (depth > 0 && c == '<' && end - p >= 8 && memcmp(p, "<!ENTITY", 8) == 0)
            *declares = 1;
        p++;
    }
    return end;
}

static sr_err feed_rewrite(const char *xml, size_t len, char **out, size_t *out_len,
                           int *declares)
{
    sr_buf b = SR_BUF_INIT(len * 5 + 16);   /* "&" -> "&amp;" at most */
    const char *p = xml, *end = xml + len, *copied = xml;
    int root_seen = 0, changed = 0;
    sr_err e = SR_OK;
    *out = NULL;
    *declares = 0;
#define FLUSH(upto) do { if (!e) e = sr_buf_append(&b, copied, (size_t)((upto) - copied)); } while (0)
    const char *lt = NULL;   /* the next '<' at or after p, found once per stretch */
    int lt_known = 0;
    while (p < end && !e) {
        if (!lt_known || (lt && lt < p)) {
            lt = memchr(p, '<', (size_t)(end - p));
            lt_known = 1;
        }
        const char *amp = memchr(p, '&', (size_t)((lt ? lt : end) - p));
        if (amp) {
            /* a reference in text or an attribute value */
            const char *q = amp + 1;
            while (q < end && name_char((unsigned char)*q) && q - amp < 40)
                q++;
            size_t n = (size_t)(q - amp - 1);
            if (q < end && *q == ';' && n > 0 && amp[1] != '#' &&
                !((n == 3 && !memcmp(amp + 1, "amp", 3)) || (n == 2 && !memcmp(amp + 1, "lt", 2)) ||
                  (n == 2 && !memcmp(amp + 1, "gt", 2)) || (n == 4 && !memcmp(amp + 1, "quot", 4)) ||
                  (n == 4 && !memcmp(amp + 1, "apos", 4)))) {
                char name[41];
                memcpy(name, amp + 1, n);
                name[n] = '\0';
                const htmlEntityDesc *ent = htmlEntityLookup((const xmlChar *)name);
                FLUSH(amp);
                if (ent && ent->value != '<' && ent->value != '&') {
                    char u[4];
                    if (!e) e = sr_buf_append(&b, u, put_utf8(u, ent->value));
                    copied = q + 1;
                } else {
                    if (!e) e = sr_buf_puts(&b, "&amp;");
                    copied = amp + 1;
                }
                changed = 1;
                p = q + 1;
                continue;
            }
            if ((amp + 1 == end || amp[1] != '#') && !(q < end && *q == ';' && n > 0)) {
                /* a bare '&' ("AT&T", "Q&A"): text, as feed readers take it;
                 * left to libxml2 it is one recovered error each, and each
                 * error costs it the length of the line (8 MB of '&' on one
                 * line took minutes) */
                FLUSH(amp);
                if (!e) e = sr_buf_puts(&b, "&amp;");
                copied = amp + 1;
                changed = 1;
            }
            p = amp + 1;
            continue;
        }
        if (!lt)
            break;
        size_t left = (size_t)(end - lt);
        if (left >= 9 && memcmp(lt, "<![CDATA[", 9) == 0) {
            const char *c = ing_memmem(lt + 9, left - 9, "]]>", 3);
            p = c ? c + 3 : end;
            continue;
        }
        if (left >= 4 && memcmp(lt, "<!--", 4) == 0) {
            const char *c = ing_memmem(lt + 4, left - 4, "-->", 3);
            p = c ? c + 3 : end;
            continue;
        }
        if (!root_seen && left >= 9 && strncasecmp(lt, "<!DOCTYPE", 9) == 0) {
            const char *de = doctype_end(lt, end, declares);
            FLUSH(lt);
            for (const char *x = lt; x < de && !e; x++)
                e = sr_buf_putc(&b, *x == '\n' ? '\n' : ' ');
            copied = p = de;
            changed = 1;
            continue;
        }
        if (left >= 2 && lt[1] != '?' && lt[1] != '!')
            root_seen = 1;
        /* a tag: its attribute values may hold references, so go on
         * scanning inside it; quoted '>' does not matter for that */
        p = lt + 1;
    }
    if (!e && changed) {
        FLUSH(end);
        if (!e) {
            *out = sr_buf_detach(&b, out_len);
            return *out ? SR_OK : SR_ENOMEM;
        }
    }
#undef FLUSH
    sr_buf_free(&b);
    return e;
}

static int doc_has_entities(xmlTextReaderPtr r)
{
    /* via the current node: xmlTextReaderCurrentDoc() would hand the
     * document over to us and leak it */
    xmlNodePtr node = xmlTextReaderCurrentNode(r);
    if (!node || !node->doc || !node->doc->intSubset)
        return 0;
    xmlDtdPtr dtd = node->doc->intSubset;
    return (dtd->entities && xmlHashSize(dtd->entities) > 0) ||
           (dtd->pentities && xmlHashSize(dtd->pentities) > 0);
}

static int feed_read(const char *xml, size_t len, const char *path,
                     const sr_ingest_opts *opts, int keep_linked, sr_doc_fn fn, void *ctx)
{
    feed f = {0};
    f.keep_linked = keep_linked;
    entry e = {0};
    char stack[STACK][16];
    int rc = 0, root_seen = 0, in_item = 0, item_depth = 0, container = -1, ret = 0;
    const char *encoding = NULL;
    f.path = path;
    f.opts = opts;
    f.fn = fn;
    f.ctx = ctx;
    memset(stack, 0, sizeof stack);

    if (len > INT32_MAX) {
        ing_skip(opts, path, NULL, "feed too large");
        return 0;
    }
    char *rewritten = NULL;
    size_t rewritten_len = 0;
    int declares = 0;
    sr_err re = feed_rewrite(xml, len, &rewritten, &rewritten_len, &declares);
    if (re == SR_ENOMEM)
        return SR_ENOMEM;
    if (re) {
        ing_skip(opts, path, NULL, "feed too large to read safely");
        return 0;
    }
    if (declares)
        sr_warn(path, NULL, "feed declares XML entities (<!ENTITY>): never expanded or fetched; "
                            "references to them are kept as text");
    if (rewritten) {
        if (rewritten_len > INT32_MAX) {
            free(rewritten);
            ing_skip(opts, path, NULL, "feed too large");
            return 0;
        }
        xml = rewritten;
        len = rewritten_len;
    }
    if (!ing_utf8_valid(xml, len)) {
        /* a declared 8-bit encoding is honoured by libxml2; undeclared or
         * "utf-8" that is not UTF-8 is almost always windows-1252 */
        const char *decl = ing_memmem(xml, len < 200 ? len : 200, "encoding=", 9);
        /* the label sits after `encoding="`; the input is not NUL-terminated */
        if (!decl || (xml + len - decl >= 15 && strncasecmp(decl + 10, "utf-8", 5) == 0)) {
            encoding = "windows-1252";
            sr_warn(path, NULL, "not valid UTF-8 as declared; read as windows-1252");
        }
    }
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)len, NULL, encoding,
                                            XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                                            XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!r) {
        free(rewritten);
        return SR_ENOMEM;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_error, &f);

    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
            ing_skip(opts, path, NULL, "feed uses XML entity references: refused");
            goto out;
        }
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (in_item && depth == item_depth) {
                in_item = 0;
                rc = entry_finish(&f, &e);
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *local = (const char *)xmlTextReaderConstLocalName(r);
        int ns = ns_class(xmlTextReaderConstNamespaceUri(r));
        if (!local)
            continue;
        if (depth < STACK)
            snprintf(stack[depth], sizeof stack[depth], "%s", local);
        const char *parent = depth > 0 && depth - 1 < STACK ? stack[depth - 1] : "";
        int empty = xmlTextReaderIsEmptyElement(r);

        if (!root_seen) {
            root_seen = 1;
            if (doc_has_entities(r)) {
                ing_skip(opts, path, NULL, "feed declares XML entities: refused");
                goto out;
            }
            if (!strcmp(local, "feed")) {
                f.is_atom = 1;
                container = 0;
            } else if (strcmp(local, "rss") && strcmp(local, "RDF") && strcmp(local, "channel")) {
                ing_skip(opts, path, NULL, "XML root <%s> is not an RSS or Atom feed", local);
                goto out;
            }
            if (!strcmp(local, "channel"))
                container = 0;
            xmlChar *lang = xmlTextReaderXmlLang(r);
            if (lang) {
                f.lang = strdup((char *)lang);
                xmlFree(lang);
            }
            continue;
        }
        if (!in_item) {
            int atom_entry = !strcmp(local, "entry") && (ns == NS_ATOM || f.is_atom);
            int rss_item = !strcmp(local, "item") && (ns == NS_NONE || ns == NS_RSS);
            if (atom_entry || rss_item) {
                if (empty) {
                    rc = entry_finish(&f, &e);
                    continue;
                }
                in_item = 1;
                item_depth = depth;
                continue;
            }
            if (container < 0 && depth == 1 && !strcmp(local, "channel"))
                container = 1;
            if (depth == container + 1 && !empty) {
                if (!strcmp(local, "title") && ns != NS_OTHER_DC && !f.title) {
                    xmlChar *t = xmlTextReaderReadString(r);
                    f.title = trimmed_dup((char *)t);
                    xmlFree(t);
                } else if (!strcmp(local, "language") && !f.lang) {
                    xmlChar *t = xmlTextReaderReadString(r);
                    f.lang = trimmed_dup((char *)t);
                    xmlFree(t);
                } else if (!f.date && ns != NS_OTHER &&
                           (!strcmp(local, "pubDate") || !strcmp(local, "lastBuildDate") ||
                            !strcmp(local, "updated") || (!strcmp(local, "date") &&
                                                          ns == NS_OTHER_DC))) {
                    xmlChar *t = xmlTextReaderReadString(r);
                    f.date = trimmed_dup((char *)t);
                    xmlFree(t);
                }
            }
            continue;
        }
        /* inside an entry */
        if (depth == item_depth + 2 && !strcmp(parent, "author") && !strcmp(local, "name")) {
            keep_first(&e.author, xmlTextReaderReadString(r));
            continue;
        }
        if (depth != item_depth + 1 || empty) {
            if (depth == item_depth + 1 && !strcmp(local, "link") && (ns == NS_ATOM || f.is_atom)) {
                xmlChar *rel = xmlTextReaderGetAttribute(r, (const xmlChar *)"rel");
                if (!rel || !strcmp((char *)rel, "alternate"))
                    keep_first(&e.link, xmlTextReaderGetAttribute(r, (const xmlChar *)"href"));
                xmlFree(rel);
            }
            continue;
        }
        int atomish = ns == NS_ATOM || (f.is_atom && ns == NS_NONE);
        if (!strcmp(local, "title") && ns == NS_OTHER_DC) {
            keep_first(&e.alt_title, xmlTextReaderReadString(r));
        } else if ((!strcmp(local, "description") && ns == NS_OTHER_DC) ||
                   (!strcmp(local, "summary") && ns == NS_ITUNES)) {
            keep_first(&e.alt_summary, xmlTextReaderReadString(r));
        } else if (!strcmp(local, "title") && ns != NS_OTHER) {
            keep_first(&e.title, xmlTextReaderReadString(r));
        } else if (!strcmp(local, "link") && atomish) {
            xmlChar *rel = xmlTextReaderGetAttribute(r, (const xmlChar *)"rel");
            if (!rel || !strcmp((char *)rel, "alternate"))
                keep_first(&e.link, xmlTextReaderGetAttribute(r, (const xmlChar *)"href"));
            xmlFree(rel);
        } else if (!strcmp(local, "link") && (ns == NS_NONE || ns == NS_RSS)) {
            keep_first(&e.link, xmlTextReaderReadString(r));
        } else if (!strcmp(local, "encoded") && ns == NS_OTHER_CONTENT) {
            e.content_html = 1;
            keep_first(&e.content, xmlTextReaderReadString(r));
        } else if (!strcmp(local, "content") && atomish && !base64_mode(r)) {
            xmlChar *ctype = xmlTextReaderGetAttribute(r, (const xmlChar *)"type");
            int xhtml = ctype && !strcmp((char *)ctype, "xhtml");
            xmlFree(ctype);
            e.content_html = xhtml || is_html_type(r, 1);
            keep_first(&e.content, xhtml ? xmlTextReaderReadInnerXml(r)
                                         : xmlTextReaderReadString(r));
        } else if ((!strcmp(local, "description") && ns != NS_OTHER && ns != NS_ITUNES) ||
                   (!strcmp(local, "summary") && atomish)) {
            xmlChar *ctype = xmlTextReaderGetAttribute(r, (const xmlChar *)"type");
            int xhtml = ctype && !strcmp((char *)ctype, "xhtml");
            xmlFree(ctype);
            e.summary_html = xhtml || is_html_type(r, atomish);
            keep_first(&e.summary, xhtml ? xmlTextReaderReadInnerXml(r)
                                         : xmlTextReaderReadString(r));
        } else if ((!strcmp(local, "pubDate") && ns != NS_OTHER) ||
                   (!strcmp(local, "date") && ns == NS_OTHER_DC) ||
                   ((!strcmp(local, "published") || !strcmp(local, "issued") ||
                     !strcmp(local, "created")) && ns != NS_OTHER)) {
            keep_first(&e.published, xmlTextReaderReadString(r));
        } else if ((!strcmp(local, "updated") || !strcmp(local, "modified")) && ns != NS_OTHER) {
            keep_first(&e.updated, xmlTextReaderReadString(r));
        } else if ((!strcmp(local, "author") && (ns == NS_NONE || ns == NS_RSS)) ||
                   (!strcmp(local, "creator") && ns == NS_OTHER_DC)) {
            keep_first(&e.author, xmlTextReaderReadString(r));
        } else if ((!strcmp(local, "guid") && !atomish) || (!strcmp(local, "id") && atomish)) {
            keep_first(&e.guid, xmlTextReaderReadString(r));
        }
    }
    if (rc == 0 && ret < 0) {
        ing_skip(opts, path, NULL, "XML error at line %d after %zu entries: %s; rest of feed skipped",
                 f.error_line, f.entries, f.first_error[0] ? f.first_error : "malformed XML");
    } else if (rc == 0 && f.first_error[0]) {
        /* recovered: bare '&', mismatched tags... common in real feeds */
        sr_warn(path, NULL, "XML error at line %d (%s); read as well as it could be",
                f.error_line, f.first_error);
    }
    if (rc == 0 && ret >= 0 && !root_seen) {
        ing_skip(opts, path, NULL, "no XML elements: not a feed");
    }
out:
    entry_clear(&e);
    xmlFreeTextReader(r);
    free(f.title);
    free(f.lang);
    free(rewritten);
    free(f.date);
    return rc;
}

int sr_feed_read(const char *xml, size_t len, const char *path,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    return feed_read(xml, len, path, opts, 0, fn, ctx);
}

int ing_feed_read_linked(const char *xml, size_t len, const char *path,
                         const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    return feed_read(xml, len, path, opts, 1, fn, ctx);
}
