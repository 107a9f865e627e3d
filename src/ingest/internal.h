/*
 * internal.h - what the readers in src/ingest/ share and nobody else needs:
 * skip reporting that also counts, handing a finished document to the
 * caller with the fallbacks applied, and charset repair.
 */
#ifndef SITREP_INGEST_INTERNAL_H
#define SITREP_INGEST_INTERNAL_H

#include "sitrep/ingest.h"

/* The counts of the current sr_ingest_path_counted() call, or NULL. */
sr_ingest_stats *ing_stats(void);

/* The cap on one page or record, opts->max_file or SR_INGEST_MAX_FILE. */
size_t ing_max(const sr_ingest_opts *opts);

/* sr_skip() and count it in ing_stats(). */
void ing_skip(const sr_ingest_opts *opts, const char *path, const char *record,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Give d to the callback after applying fallbacks (opts->date for a missing
 * published date, the URL's host for a missing outlet) and counting it.
 * Returns the callback's value. */
int ing_emit(const sr_ingest_opts *opts, sr_doc *d, sr_doc_fn fn, void *ctx);

/* Host of an http(s) URL into buf ("www." kept: outlets are told apart by
 * host, and stripping it is the story stage's choice).  NULL if none. */
const char *ing_url_host(const char *url, char *buf, size_t n);

/* memmem()/strcasestr() are GNU extensions; these are the portable ones. */
const char *ing_memmem(const void *hay, size_t n, const void *needle, size_t k);
const char *ing_strcasestr(const char *hay, const char *needle);

/* 1 if s[0..n) is valid UTF-8. */
int ing_utf8_valid(const char *s, size_t n);
/* s[0..n) read as windows-1252 (the usual truth behind a "latin-1" label
 * and behind undeclared 8-bit text), as UTF-8; caller frees. */
sr_err ing_cp1252_to_utf8(const char *s, size_t n, size_t max, char **out,
                          size_t *out_len);

/*
 * An HTML page as a document.  base carries path, record, format and the
 * fallbacks the container knows (url, outlet, published, meta_json);
 * base_wins says whether the container's url/title/published override the
 * page's own (JSONL: yes, the producer said so; WARC: no, the page's
 * canonical URL and date are better than the crawl's).
 */
int ing_html_doc(const char *html, size_t len, const char *charset,
                 const sr_doc *base, int base_wins,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);

/* The same, for a page from a crawl: crawl_date (may be NULL) becomes the
 * published date when neither base nor page has one, and meta_json gets
 * "published_from":"crawl date" so the substitution is never silent. */
int ing_html_doc_dated(const char *html, size_t len, const char *charset,
                       const sr_doc *base, int base_wins, const char *crawl_date,
                       const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);

/* A plain-text document (charset repaired, headline taken as title when the
 * first line looks like one and base has no title). */
int ing_text_doc(const char *text, size_t len, const sr_doc *base,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);

/* JSON Feed (jsonfeed.c).  A parsed JSON document is a JSON Feed when its
 * "version" names jsonfeed.org (or it has a version and an "items" array). */
struct json_t;
int ing_is_jsonfeed(struct json_t *doc);
/* One document per item; keep_linked: items with a link but no text are
 * passed with text "" (for a fetcher that follows links) instead of being
 * skipped. */
int ing_jsonfeed_doc(struct json_t *feed, const char *path, const sr_ingest_opts *opts,
                     int keep_linked, sr_doc_fn fn, void *ctx);
/* sr_feed_read() that passes entries with a link but no text (text ""). */
int ing_feed_read_linked(const char *xml, size_t len, const char *path,
                         const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);

#endif
