/*
 * html_doc.c - HTML as documents: whole pages through the article
 * extractor (src/html/), fragments (feed descriptions) through a plain
 * tag stripper here.
 *
 * Why two paths: a page carries navigation, comments and footers that the
 * extractor's content scoring removes; a feed entry's HTML is already just
 * the article (or its summary), and scoring a three-line summary as if it
 * were a page can throw it all away as "boilerplate".
 *
 * The fragment walker is iterative (parent/next pointers), so depth costs
 * nothing; libxml2's HTML parser runs with network access off and without
 * entity substitution beyond the HTML built-ins.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "sitrep/html.h"

/* Append ,"key":"value" to a JSON object text (or make one). */
static char *meta_add(const char *meta, const char *key, const char *value)
{
    sr_buf b = SR_BUF_INIT(0);
    sr_err e = SR_OK;
    if (meta && meta[0] == '{') {
        size_t n = strlen(meta);
        while (n > 0 && meta[n - 1] != '}')
            n--;
        if (n > 0)
            n--;    /* drop the closing brace */
        e = sr_buf_append(&b, meta, n);
        if (!e && n > 1)
            e = sr_buf_putc(&b, ',');
    } else {
        e = sr_buf_putc(&b, '{');
    }
    if (!e) e = sr_buf_json_str(&b, key, strlen(key));
    if (!e) e = sr_buf_putc(&b, ':');
    if (!e) e = sr_buf_json_str(&b, value, strlen(value));
    if (!e) e = sr_buf_putc(&b, '}');
    if (e) {
        sr_buf_free(&b);
        return NULL;
    }
    return sr_buf_detach(&b, NULL);
}

static const char *pick(int base_wins, const char *from_base, const char *from_page)
{
    if (base_wins)
        return from_base && *from_base ? from_base : from_page;
    return from_page && *from_page ? from_page : from_base;
}

int ing_html_doc_dated(const char *html, size_t len, const char *charset,
                       const sr_doc *base, int base_wins, const char *crawl_date,
                       const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    sr_article art;
    memset(&art, 0, sizeof art);
    char *meta = NULL;
    int rc = 0;
    sr_err e = sr_html_extract_max(html, len, charset, base->url, ing_max(opts), &art);
    if (e == SR_ENOMEM) {
        rc = SR_ENOMEM;
        goto out;
    }
    if (e == SR_ETOOBIG) {
        ing_skip(opts, base->path, base->record,
                 "page of %zu MiB (after decoding) is over the %zu MiB --max-size cap; skipped",
                 len >> 20, ing_max(opts) >> 20);
        goto out;
    }
    if (e == SR_EFORMAT) {
        ing_skip(opts, base->path, base->record, "not HTML (binary or undecodable bytes)");
        goto out;
    }
    if (e) {
        ing_skip(opts, base->path, base->record, "HTML: %s", sr_strerror(e));
        goto out;
    }
    if (art.text_len == 0 || !art.text) {
        ing_skip(opts, base->path, base->record, "no article text found in the page");
        goto out;
    }
    if (art.truncated)
        sr_warn(base->path, base->record,
                "page has more elements than the tree cap; its end was dropped");
    if (art.flattened)
        sr_warn(base->path, base->record,
                "elements nested deeper than %d levels were flattened", SR_HTML_MAX_DEPTH);
    if (art.ignored_charset[0])
        sr_warn(base->path, base->record,
                "declared charset '%s' cannot be decoded safely; ignored, read as %s",
                art.ignored_charset, "UTF-8 (windows-1252 where the bytes are not UTF-8)");
    if (art.relabelled)
        sr_warn(base->path, base->record,
                "declared charset does not fit the bytes (UTF-8 vs windows-1252); read as the bytes say");
    sr_doc d = *base;
    char date[21];
    const char *page_date = art.published;
    if (page_date && sr_ingest_date(page_date, date))
        page_date = date;
    d.url = pick(base_wins, base->url, art.url);
    d.title = pick(base_wins, base->title, art.title);
    d.published = pick(base_wins, base->published, page_date);
    d.outlet = pick(base_wins, base->outlet, art.site_name);
    d.author = pick(base_wins, base->author, art.author);
    d.lang = pick(base_wins, base->lang, art.lang);
    if (!d.published && crawl_date) {
        /* the crawl's date stands in, and the metadata says so */
        d.published = crawl_date;
        if (!(meta = meta_add(base->meta_json, "published_from", "crawl date"))) {
            rc = SR_ENOMEM;
            goto out;
        }
        d.meta_json = meta;
    }
    d.text = art.text;
    d.text_len = art.text_len;
    rc = ing_emit(opts, &d, fn, ctx);
out:
    free(meta);
    sr_article_free(&art);
    return rc;
}

int ing_html_doc(const char *html, size_t len, const char *charset,
                 const sr_doc *base, int base_wins,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    return ing_html_doc_dated(html, len, charset, base, base_wins, NULL, opts, fn, ctx);
}

int sr_html_read(const char *html, size_t len, const char *charset,
                 const char *path, const sr_ingest_opts *opts,
                 sr_doc_fn fn, void *ctx)
{
    sr_doc base = {0};
    base.path = path;
    base.format = SR_FMT_HTML;
    return ing_html_doc(html, len, charset, &base, 0, opts, fn, ctx);
}

/* ---- fragments --------------------------------------------------------- */

typedef struct frag {
    sr_buf out;
    int breaks;     /* line breaks owed before the next text (0-2) */
    int space;      /* a space owed before the next text */
    sr_err err;
} frag;

static int is_name(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (xmlStrcasecmp(n->name, (const xmlChar *)*names) == 0)
            return 1;
    return 0;
}

static const char *const dropped[] = {"script", "style", "noscript", "template",
                                      "iframe", "object", "svg", "head", NULL};
static const char *const paragraphs[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6",
                                         "blockquote", "pre", "table", "ul", "ol",
                                         "figure", "hr", NULL};
static const char *const lines[] = {"br", "div", "li", "tr", "dd", "dt", "section",
                                    "article", "header", "footer", "figcaption",
                                    "address", "td", "th", NULL};

static void owe_break(frag *f, int n)
{
    if (f->out.len > 0 && f->breaks < n)
        f->breaks = n;
}

static void put_text(frag *f, const xmlChar *s)
{
    for (; *s && !f->err; s++) {
        unsigned char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (f->out.len > 0)
                f->space = 1;
            continue;
        }
        if (c == 0xC2 && s[1] == 0xA0) {   /* no-break space: just a space */
            s++;
            if (f->out.len > 0)
                f->space = 1;
            continue;
        }
        if (f->breaks) {
            f->err = sr_buf_append(&f->out, "\n\n", (size_t)f->breaks);
            f->breaks = 0;
            f->space = 0;
        } else if (f->space) {
            f->err = sr_buf_putc(&f->out, ' ');
            f->space = 0;
        }
        if (!f->err)
            f->err = sr_buf_putc(&f->out, (char)c);
    }
}

sr_err sr_html_fragment_text(const char *html, size_t len, size_t max,
                             char **out, size_t *out_len)
{
    frag f = {SR_BUF_INIT(max), 0, 0, SR_OK};
    sr_err e = SR_OK;
    if (len > INT32_MAX)
        return SR_ETOOBIG;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                    HTML_PARSE_NOIMPLIED);
    if (!doc) {
        e = len == 0 ? SR_OK : SR_EPARSE;
        goto done;
    }
    xmlNode *n = doc->children;
    while (n && !f.err) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put_text(&f, n->content);
        } else if (n->type == XML_ELEMENT_NODE && !is_name(n, dropped)) {
            if (is_name(n, paragraphs))
                owe_break(&f, 2);
            else if (is_name(n, lines))
                owe_break(&f, 1);
            descend = n->children != NULL;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* climb until a next sibling, closing blocks on the way up */
        while (n && !n->next) {
            n = n->parent;
            if (!n || n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) {
                n = NULL;
                break;
            }
            if (n->type == XML_ELEMENT_NODE) {
                if (is_name(n, paragraphs))
                    owe_break(&f, 2);
                else if (is_name(n, lines))
                    owe_break(&f, 1);
            }
        }
        if (n) {
            if (n->type == XML_ELEMENT_NODE) {
                if (is_name(n, paragraphs))
                    owe_break(&f, 2);
                else if (is_name(n, lines))
                    owe_break(&f, 1);
            }
            n = n->next;
        }
    }
    xmlFreeDoc(doc);
    e = f.err;
done:
    if (e) {
        sr_buf_free(&f.out);
        return e;
    }
    *out = sr_buf_detach(&f.out, out_len);
    return *out ? SR_OK : SR_ENOMEM;
}
