/*
 * sitrep/doc.h - a document as ingestion hands it to the rest of the
 * pipeline, and the entry point that finds documents in any input.
 *
 * Readers (src/ingest/): plain text, HTML (.html, .html.gz; article text
 * extracted by src/html/), JSON Lines, RSS/Atom feeds (one document per
 * entry), WARC/WARC.gz (one per response/resource/conversion record).
 * Format is detected from content, not only from the file name; gzip is
 * undone wherever it appears; directories are walked in sorted order; "-" is
 * standard input.
 *
 * Ownership: sr_ingest_path() owns every sr_doc it passes to the callback;
 * the doc and all its strings are valid only during the call.  A callback
 * that keeps anything copies it.
 *
 * Dates: published comes from the document itself (page metadata, feed
 * entry, JSONL field); a WARC record without one gets the crawl date
 * (WARC-Date) and its meta_json says so ("published_from":"crawl date"),
 * a feed entry without one the feed's own date ("feed date"); then
 * opts->date; then the file's modification time ("file date": a story's
 * clock needs some date, and an undated page would otherwise join stories
 * years apart).  Standard input has no file date: its undated documents stay
 * undated.  Nothing else is ever guessed.
 *
 * Lower-level readers, format detection and counts: sitrep/ingest.h.
 *
 * Errors: an unreadable file or a bad record is reported with sr_skip()
 * ("sitrep: FILE[:RECORD]: reason") and reading goes on with the next one;
 * sr_ingest_path() returns SR_OK unless the callback asked to stop (its
 * nonzero return is passed back) or memory ran out.
 */
#ifndef SITREP_DOC_H
#define SITREP_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"

typedef enum sr_doc_format {
    SR_FMT_TEXT = 0, SR_FMT_HTML, SR_FMT_JSONL, SR_FMT_FEED, SR_FMT_WARC,
} sr_doc_format;

typedef struct sr_doc {
    const char *path;       /* the input file ("-" for stdin) */
    const char *record;     /* record within it: "12" (JSONL line, feed entry
                               or WARC record number) or NULL for whole files */
    sr_doc_format format;
    const char *url;        /* canonical URL if known, else NULL */
    const char *outlet;     /* source name (site name, feed title, JSONL
                               "outlet", or the URL's host), else NULL */
    const char *published;  /* ISO 8601 (YYYY-MM-DD or with time, UTC), NULL
                               if unknown: never invented */
    const char *title;
    const char *author;
    const char *lang;       /* BCP 47 tag if the page declares one */
    const char *text;       /* the article body, UTF-8, NUL-terminated */
    size_t      text_len;
    const char *meta_json;  /* other metadata as a JSON object, or NULL */
} sr_doc;

/* Return 0 to go on, nonzero to stop reading (that value is returned). */
typedef int (*sr_doc_fn)(const sr_doc *doc, void *ctx);

typedef struct sr_ingest_opts {
    size_t max_file;        /* cap on a file's (inflated) size; 0 = default */
    const char *date;       /* fallback published date (--date), or NULL */
} sr_ingest_opts;

#define SR_INGEST_MAX_FILE ((size_t)100 << 20) /* 100 MiB per page/record */

int sr_ingest_path(const char *path, const sr_ingest_opts *opts,
                   sr_doc_fn fn, void *ctx);

#endif
