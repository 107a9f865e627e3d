/*
 * sitrep/ingest.h - the readers under sr_ingest_path(), for callers that
 * need one of them alone (tests, fuzzers, a future network fetcher):
 *
 *   sr_in      a byte stream over a file, stdin or memory that undoes gzip
 *              wherever it is found (single or multi-member, as Common
 *              Crawl writes WARC.gz), with a clear error on corrupt or
 *              truncated data;
 *   sr_warc    a streaming WARC record iterator (constant memory: one
 *              record, capped, is held at a time);
 *   sr_http_*  the HTTP response inside a WARC response record: status,
 *              charset, dates, chunked transfer and gzip/deflate content
 *              encoding undone;
 *   sr_feed_read, sr_jsonl_read, sr_text_read, sr_html_read: one format
 *              each, documents passed to an sr_doc_fn as in sitrep/doc.h;
 *   sr_ingest_detect: which reader a byte prefix belongs to;
 *   sr_ingest_date: RFC 822 / HTTP / ISO 8601 dates to ISO 8601 UTC.
 *
 * Ownership: sr_in and sr_warc objects are owned by the caller and freed
 * with their _close/_free function.  A record returned by sr_warc_next()
 * points into the iterator and is valid until the next call.  Documents
 * passed to a callback are valid only during the call (as in doc.h).
 *
 * Errors: the readers report bad records themselves with sr_skip() (and
 * count them, see sr_ingest_path_counted()); they return SR_OK, the callback's nonzero stop value, or
 * SR_ENOMEM.  sr_in reports stream damage through sr_in_error().
 */
#ifndef SITREP_INGEST_H
#define SITREP_INGEST_H

#include <stddef.h>
#include <stdio.h>

#include "sitrep/base.h"
#include "sitrep/doc.h"

/* ---- byte stream with transparent gzip ------------------------------- */

typedef struct sr_in sr_in;

/* Open a file ("-" = stdin).  SR_EIO with errno set if it cannot be opened. */
sr_err sr_in_open(const char *path, sr_in **out);
/* A stream over memory the caller keeps alive until sr_in_close(). */
sr_err sr_in_open_mem(const void *p, size_t n, sr_in **out);
void   sr_in_close(sr_in *in);

/* Up to n bytes; returns how many (0 = end of data or a stream error). */
size_t sr_in_read(sr_in *in, void *buf, size_t n);
/* Make up to n (<= 64 KiB) bytes available without consuming them; *p
 * points at them.  Returns how many are available (fewer at the end). */
size_t sr_in_peek(sr_in *in, size_t n, const unsigned char **p);
/* Discard n bytes; returns how many were discarded. */
size_t sr_in_skip(sr_in *in, size_t n);
/*
 * One line, '\n' included, appended to `line` (which is reset first).  A
 * line longer than max is cut: the rest up to '\n' is discarded and
 * *cut is set.  Returns 0 at the end of data, 1 otherwise.
 */
int    sr_in_getline(sr_in *in, sr_buf *line, size_t max, int *cut);
/* Slurp everything left, at most max bytes: SR_ETOOBIG past the cap. */
sr_err sr_in_slurp(sr_in *in, size_t max, char **out, size_t *len);

/* NULL after a clean end; else why the data stopped ("corrupt gzip data",
 * "gzip member fails its CRC check", "gzip data truncated", a read
 * error). */
const char *sr_in_error(const sr_in *in);
/* Decoded bytes handed out so far (read, skipped or peeked past). */
unsigned long long sr_in_tell(const sr_in *in);
/* Was the error a member whose data all came out and then failed its
 * trailer's CRC-32 or length check?  Then 1, with the decoded byte range
 * [start, end) of that member's data, so a reader can tell whether what it
 * already read is damaged.  Damaged bytes not yet read are never handed
 * out: to a reader that had not reached the member, it is simply lost. */
int    sr_in_crc_failed(const sr_in *in, unsigned long long *start, unsigned long long *end);
/* After "corrupt gzip data", a failed CRC check, or "data after the end of
 * the gzip stream" (junk where a member should begin): skip to the next gzip
 * member and go on (1), or 0 if there is none.  Used by the WARC reader,
 * whose records are one member each, to lose one record instead of the
 * rest of the file. */
int    sr_in_resume(sr_in *in);
int    sr_in_is_gzip(const sr_in *in);
/* Size of the underlying regular file, or -1 (stdin, pipes, memory). */
long long sr_in_file_size(const sr_in *in);

/* ---- counts for the end-of-run summary ------------------------------- */

typedef struct sr_ingest_stats {
    size_t files;          /* inputs opened (directories not counted) */
    size_t documents;      /* documents passed to the callback */
    size_t skipped;        /* files/records skipped for a problem; each one
                              was reported with sr_skip() */
    size_t warc_records;   /* WARC records seen */
    size_t passed_over;    /* WARC records that hold no document by design
                              (warcinfo, request, metadata, revisit, a non-
                              HTML payload, an HTTP redirect): not errors */
} sr_ingest_stats;

/* sr_ingest_path() that also adds its counts to *stats (the readers count
 * into it, for the calling thread, for the duration of the call). */
int sr_ingest_path_counted(const char *path, const sr_ingest_opts *opts,
                           sr_ingest_stats *stats, sr_doc_fn fn, void *ctx);

/* ---- format detection ------------------------------------------------- */

typedef enum sr_ingest_kind {
    SR_KIND_TEXT = 0, SR_KIND_HTML, SR_KIND_JSONL, SR_KIND_FEED, SR_KIND_WARC,
    SR_KIND_ARC, SR_KIND_BINARY, SR_KIND_XML_OTHER, SR_KIND_EMPTY,
} sr_ingest_kind;

/* Classify from the first bytes (already un-gzipped); name is a hint only
 * (used when content is ambiguous, e.g. a fragment of HTML). */
sr_ingest_kind sr_ingest_detect(const unsigned char *p, size_t n, const char *name);

/* ---- dates -------------------------------------------------------------- */

/* Parse RFC 822/1123/850, asctime, ISO 8601 / W3C-DTF into
 * "YYYY-MM-DDTHH:MM:SSZ" (UTC) or "YYYY-MM-DD" (date only).  out needs 21
 * bytes.  Returns 1 on success, 0 if the text is not a date we trust. */
int sr_ingest_date(const char *s, char out[21]);

/* ---- WARC ---------------------------------------------------------------- */

typedef struct sr_warc sr_warc;

typedef struct sr_warc_record {
    size_t number;            /* 1-based position in the file */
    const char *type;         /* WARC-Type ("response", ...) or "" */
    const char *target_uri;   /* WARC-Target-URI without <>, or NULL */
    const char *date;         /* WARC-Date as written, or NULL */
    const char *record_id;    /* WARC-Record-ID, or NULL */
    const char *content_type; /* Content-Type of the block, or NULL */
    const char *block;        /* the record's block (NUL-terminated) */
    size_t block_len;
    const char *outlet;       /* WARC-Sitrep-Outlet (sitrep watch's name for
                                 the source: the outlet of a page that names
                                 none), or NULL */
} sr_warc_record;

/* An iterator over `in` (borrowed).  Records over max_record bytes, and
 * truncated or damaged ones, are reported with sr_skip() and passed. */
sr_warc *sr_warc_new(sr_in *in, const char *path, size_t max_record,
                     sr_ingest_stats *stats);
/* 1 = *rec filled, 0 = no more records, -1 = out of memory. */
int      sr_warc_next(sr_warc *w, sr_warc_record *rec);
void     sr_warc_free(sr_warc *w);

/* ---- HTTP response (inside a WARC record) ----------------------------- */

typedef struct sr_http {
    int status;               /* 200, 404, ...; 0 if no status line */
    char mime[64];            /* lower-case media type, "" if none */
    char charset[40];         /* from Content-Type, "" if none */
    char date[64];            /* Date header as written, "" if none */
    char last_modified[64];
    char content_language[40];
    int chunked;              /* Transfer-Encoding: chunked */
    char content_encoding[24];/* "gzip", "deflate", "" ... lower-case */
    const char *body;         /* into the parsed block */
    size_t body_len;
} sr_http;

/* SR_EFORMAT if the block does not start with an HTTP status line. */
sr_err sr_http_parse(const char *block, size_t len, sr_http *h);
/* The payload with chunking and gzip/deflate undone, at most max bytes
 * (SR_ETOOBIG).  Chunking that does not parse is taken as a plain body,
 * as browsers do; SR_EPARSE if the content encoding is corrupt, SR_EFORMAT
 * if it is one we do not decode (e.g. br). */
sr_err sr_http_body(const sr_http *h, size_t max, sr_buf *out);
/* The same payload without copying it when nothing needs undoing:
 * *payload then points into the parsed block (h->body); otherwise it points
 * at the decoded bytes in scratch (which is reset first and owned by the
 * caller).  Valid while both the block and scratch are; NUL-terminated when
 * the block is (WARC blocks from sr_warc_next() are). */
sr_err sr_http_payload(const sr_http *h, size_t max, sr_buf *scratch,
                       const char **payload, size_t *payload_len);

/* ---- readers of one format --------------------------------------------- */

/* Feed entries (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) from xml[0..len). */
int sr_feed_read(const char *xml, size_t len, const char *path,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);
/* JSON Feed 1.0/1.1 (jsonfeed.org) from json[0..len), one document per
 * item.  (sr_ingest_path() and the JSON Lines reader recognise a JSON Feed
 * by its version URL, on one line or pretty-printed.) */
int sr_jsonfeed_read(const char *json, size_t len, const char *path,
                     const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);
/* Every entry of an RSS/Atom feed or JSON Feed (told apart by the first
 * byte), including entries that have a link but no text: those are passed
 * with text "" (text_len 0), for a fetcher that follows links.  The entry's
 * id (guid, Atom id, JSON Feed id) is in meta_json as "guid". */
int sr_feed_entries(const char *data, size_t len, const char *path,
                    const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);
/* JSON Lines documents read from `in`, one per line. */
int sr_jsonl_read(sr_in *in, const char *path, const sr_ingest_opts *opts,
                  sr_doc_fn fn, void *ctx);
/* WARC records read from `in`. */
int sr_warc_read(sr_in *in, const char *path, const sr_ingest_opts *opts,
                 sr_doc_fn fn, void *ctx);
/* The documents of one record, as sr_warc_read() finds them (a fetcher
 * that holds a response in memory hands it over without writing and
 * re-reading a WARC: `sitrep watch`); record numbers are r->number. */
int sr_warc_record_docs(const sr_warc_record *r, const char *path,
                        const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);
/* A plain-text report (any charset: non-UTF-8 is read as windows-1252). */
int sr_text_read(const char *text, size_t len, const char *path,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx);
/* An HTML page; charset may be NULL (detected from BOM / <meta>). */
int sr_html_read(const char *html, size_t len, const char *charset,
                 const char *path, const sr_ingest_opts *opts,
                 sr_doc_fn fn, void *ctx);

/*
 * Text of an HTML fragment (a feed's description, a JSONL "html" field too
 * short to be a page): tags dropped, block elements end lines, entities
 * decoded, whitespace collapsed.  No boilerplate removal: a fragment is
 * all content.  *out is owned by the caller (free()).
 */
sr_err sr_html_fragment_text(const char *html, size_t len, size_t max,
                             char **out, size_t *out_len);

#endif
