/*
 * sitrep/html.h - article extraction: an HTML page in, the article's text and
 * metadata out, with navigation, ads, comments, share bars, related-article
 * lists, cookie notices and footers dropped.
 *
 * The page is converted to UTF-8 (BOM, caller's charset, <meta charset>,
 * each checked against the bytes), then parsed by src/html/dom.c, a small
 * HTML5-style tree builder written for this (libxml2's htmlReadMemory alone
 * runs at a fifth of the speed extraction needs): nothing is fetched, no
 * entity can be declared, nesting is capped at SR_HTML_MAX_DEPTH and the
 * tree at a node cap, so memory follows the capped input.  Main-content
 * detection (src/html/content.c: prose versus noise per element, link
 * density, boilerplate class names, the page's own article markup) picks
 * the article container; the headline, byline, captions, share bars and
 * trailing headings inside it are dropped.  The method and its score on
 * the scrapinghub benchmark: bench/extract.c, bench/run_html.sh.
 *
 * Ownership: sr_html_extract() fills an sr_article whose strings it owns;
 * release with sr_article_free().  Inputs are borrowed.
 *
 * Errors: SR_ETOOBIG (page over SR_HTML_MAX_PAGE, or the caller's cap),
 * SR_EFORMAT (not HTML, e.g. binary bytes), SR_ENOMEM.  A page with no article text is not an error: it
 * returns SR_OK with text_len 0 and the caller decides.
 */
#ifndef SITREP_HTML_H
#define SITREP_HTML_H

#include <stddef.h>

#include "sitrep/base.h"

/* Bytes of HTML: the same default as a document's cap (SR_INGEST_MAX_FILE,
 * `--max-size`), so one cap is documented and one cap applies; a caller
 * with its own cap passes it to sr_html_extract_max(). */
#define SR_HTML_MAX_PAGE  ((size_t)100 << 20)
#define SR_HTML_MAX_DEPTH 256                  /* element nesting kept */

typedef struct sr_article {
    char *title;        /* article headline (og:title, h1, <title> cleaned) */
    char *author;
    char *published;    /* ISO 8601 from meta tags, JSON-LD or <time> */
    char *site_name;    /* og:site_name, JSON-LD publisher, or NULL */
    char *url;          /* canonical URL (link rel=canonical, og:url) */
    char *lang;         /* <html lang> or content-language */
    char *text;         /* article body: paragraphs separated by blank lines,
                           headings and list items on their own lines */
    size_t text_len;
    int relabelled;     /* 1: the declared charset did not fit the bytes
                           (a UTF-8 label on windows-1252 bytes, or the
                           reverse) and the other reading was used */
    int truncated;      /* 1: the page had more elements than the tree cap
                           (about a million) and its end was dropped */
    int flattened;      /* 1: elements nested deeper than SR_HTML_MAX_DEPTH
                           were dropped (their text kept) */
    char ignored_charset[40]; /* a declared charset this reader cannot or
                           will not decode (utf-7, an unknown name): it was
                           ignored and the bytes read as UTF-8, or
                           windows-1252 when they are not UTF-8; "" if none */
} sr_article;

/* html[0..len) in the given charset ("utf-8", "windows-1252", ...; NULL to
 * detect from BOM and <meta charset>, defaulting to UTF-8 with repair).
 * base_url (may be NULL) resolves a relative canonical URL. */
sr_err sr_html_extract(const char *html, size_t len, const char *charset,
                       const char *base_url, sr_article *out);
/* The same with a cap on the page's bytes (0 = SR_HTML_MAX_PAGE). */
sr_err sr_html_extract_max(const char *html, size_t len, const char *charset,
                           const char *base_url, size_t max, sr_article *out);
void   sr_article_free(sr_article *a);

#endif
