/*
 * sitrep/watch.h - following outlets live: `sitrep watch` polls feeds and
 * sitemaps over HTTP, fetches each new entry's article page, and hands the
 * page to the same reader, coder and store as `sitrep ingest`.
 *
 * Pieces, one file each under src/watch/ (and src/store/watch_state.c):
 *   sources.c   the SOURCES file: one source a line
 *   url.c       URL normalisation (so a report is fetched and stored once)
 *   addr.c      which addresses are never connected to (loopback, private,
 *               link-local, cloud metadata...) unless allowed
 *   robots.c    robots.txt (RFC 9309) rules for our product token
 *   sitemap.c   sitemaps, sitemap indexes and news sitemaps
 *   fetch.c     libcurl's multi interface with per-host politeness
 *   warc_write.c WARC/1.1 records, one gzip member each, rotated files
 *   export.c    per-cycle GDELT 2.0 + JSONL files and lastupdate.txt
 *   watch.c     the poll cycle that ties them together
 *
 * Never losing or repeating a report: every URL an entry names is recorded
 * in the store as pending in the same transaction as the feed's new
 * validators; a page's document and the URL's "done" mark are written in
 * the same store batch.  A killed watch loses only uncommitted work and
 * re-fetches those pages on its next run; documents are keyed by their
 * body's hash, so a page fetched twice is stored once.
 *
 * Ownership: everything returned as char * is the caller's to free();
 * rows and entries passed to callbacks are valid only during the call.
 *
 * Errors: sr_err values as in base.h; bad input lines and bad responses
 * are reported with sr_skip() (one line, the run goes on).
 */
#ifndef SITREP_WATCH_H
#define SITREP_WATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sitrep/base.h"
#include "sitrep/doc.h"
#include "sitrep/store.h"

/* ---- the SOURCES file ---------------------------------------------------- */

#define SR_WATCH_DEFAULT_INTERVAL 900      /* seconds between polls: 15 min */
#define SR_WATCH_MAX_LINE         8192     /* bytes in one SOURCES line */

/*
 * One line: URL [NAME...] [INTERVAL]
 *   URL       an absolute http(s) URL of an RSS/Atom/JSON feed or a sitemap
 *   NAME      the outlet's name (the rest of the line; "double quotes" keep
 *             a name that would otherwise end in something like an interval)
 *   INTERVAL  digits and a unit: 90s, 15m, 2h, 1d (default 15m)
 * '#' starts a comment (at the start of a line or after white space);
 * blank lines are allowed.
 */
typedef struct sr_watch_source_line {
    size_t line;          /* 1-based line number */
    const char *url;      /* normalised (see sr_url_normalize) */
    const char *name;     /* NULL if none */
    long interval;        /* seconds */
} sr_watch_source_line;

typedef int (*sr_watch_source_fn)(const sr_watch_source_line *s, void *ctx);

/* Parse text[0..len); each good line goes to fn, each bad one is reported
 * as "sitrep: PATH:LINE: reason" (sr_skip) and skipped, as is a second
 * line with the same (normalised) URL.  Returns fn's nonzero value, SR_OK,
 * or SR_ENOMEM. */
int sr_watch_sources_parse(const char *text, size_t len, const char *path,
                           sr_watch_source_fn fn, void *ctx);
/* "90s", "15m", "2h", "1d" -> seconds; -1 if not such a token. */
long sr_watch_duration(const char *s, size_t n);

/* ---- URLs --------------------------------------------------------------- */

/*
 * The absolute, normalised form of url, resolved against base when it is
 * relative (base may be NULL): scheme and host lower-case, default port
 * dropped, dot segments resolved, empty path made "/", fragment dropped,
 * percent-escapes' hex upper-case, tracking parameters (utm_*, fbclid,
 * gclid, ...) removed.  SR_EINVAL if the scheme is not http or https,
 * SR_EPARSE if it is not a URL.  *out is the caller's.
 */
sr_err sr_url_normalize(const char *url, const char *base, char **out);
/* Host of an absolute URL, lower-case, into buf (NULL if none or too long). */
const char *sr_url_host(const char *url, char *buf, size_t n);
/* "scheme://host[:port]" of an absolute URL into buf: robots.txt's scope. */
const char *sr_url_origin(const char *url, char *buf, size_t n);
/* Path and query of an absolute URL ("/" at least). */
const char *sr_url_path(const char *url);

/* ---- addresses never connected to --------------------------------------- */

#define SR_ADDR_MAX_ALLOW 16

/* Ranges let through although they are not public (--allow-private). */
typedef struct sr_addr_allow {
    bool all;                              /* every non-public address */
    size_t n;
    struct { int family; unsigned char addr[16]; int prefix; } range[SR_ADDR_MAX_ALLOW];
} sr_addr_allow;

/* Why an address is not public ("loopback", "private (RFC 1918)", "link-
 * local", "cloud metadata", ...), or NULL when it is a public unicast one.
 * IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 inside. */
const char *sr_addr_private_reason(const struct sockaddr *sa);
/* Is sa allowed: public, or inside allow? *why gets the reason if not. */
bool sr_addr_allowed(const struct sockaddr *sa, const sr_addr_allow *allow, const char **why);
/* Same for a literal address in text ("10.0.0.1", "[::1]"): 1 allowed,
 * 0 refused (with *why), -1 not a literal address (a name to resolve). */
int sr_addr_literal_allowed(const char *host, const sr_addr_allow *allow, const char **why);
/* "127.0.0.0/8,::1" (a bare address is a /32 or /128) into allow->range;
 * SR_EPARSE on a bad range, SR_ETOOBIG past SR_ADDR_MAX_ALLOW. */
sr_err sr_addr_allow_parse(const char *list, sr_addr_allow *allow);

/* ---- robots.txt (RFC 9309) ---------------------------------------------- */

#define SR_ROBOTS_MAX_BYTES ((size_t)512 << 10)   /* parsed; the rest ignored */

typedef struct sr_robots sr_robots;

/* The rules of txt[0..len) for product token `agent` ("sitrep"): the
 * groups naming it (case-insensitive), else the "*" groups.  NULL only when
 * memory runs out.  Anything that is not a rule is ignored, as the RFC
 * asks, so every input gives a rule set. */
sr_robots *sr_robots_parse(const char *txt, size_t len, const char *agent);
/* A rule set that allows (1) or disallows (0) everything: a 4xx
 * robots.txt, or one that could not be had (5xx, unreachable). */
sr_robots *sr_robots_uniform(int allow);
/* May path (path and query, as in the URL) be fetched?  The longest
 * matching rule wins, Allow on a tie; "/robots.txt" is always allowed. */
bool   sr_robots_allowed(const sr_robots *r, const char *path);
/* Crawl-delay of the chosen group in seconds (0 if none). */
double sr_robots_crawl_delay(const sr_robots *r);
void   sr_robots_free(sr_robots *r);

/* ---- sitemaps ----------------------------------------------------------- */

#define SR_SITEMAP_MAX_URLS 50000   /* the protocol's own limit per file */

typedef struct sr_sitemap_entry {
    const char *loc;          /* the page (or child sitemap) URL */
    bool is_sitemap;          /* an entry of a sitemap index */
    const char *lastmod;      /* as written, or NULL */
    const char *title;        /* news:title, or NULL */
    const char *published;    /* news:publication_date, or NULL */
    const char *outlet;       /* news:publication/news:name, or NULL */
} sr_sitemap_entry;
typedef int (*sr_sitemap_fn)(const sr_sitemap_entry *e, void *ctx);

/* Is xml[0..n) (a prefix is enough) a sitemap (<urlset>) or sitemap index
 * (<sitemapindex>)? */
bool sr_sitemap_detect(const char *xml, size_t n);
/* Entries of a sitemap or sitemap index; entities are refused as in feeds,
 * entries past SR_SITEMAP_MAX_URLS are dropped with one warning. */
int sr_sitemap_read(const char *xml, size_t len, const char *path,
                    sr_sitemap_fn fn, void *ctx);

/* ---- WARC/1.1 writer ---------------------------------------------------- */

typedef struct sr_warc_out {
    const char *type;             /* "response", "request", "resource", ... */
    const char *target_uri;
    const char *date;             /* WARC-Date, "YYYY-MM-DDTHH:MM:SSZ" */
    const char *record_id;        /* "<urn:uuid:...>"; NULL: made here */
    const char *concurrent_to;    /* WARC-Concurrent-To, or NULL */
    const char *content_type;     /* of the block */
    const char *outlet;           /* WARC-Sitrep-Outlet, or NULL */
    const char *block;
    size_t block_len;
    size_t payload_offset;        /* where the payload starts in the block
                                     (after HTTP headers), for its digest */
    bool no_digests;              /* leave out the digests: a record only
                                     read back in memory, never archived */
} sr_warc_out;

/* A fresh "<urn:uuid:...>" (random, version 4) into out (48 bytes). */
void   sr_warc_new_id(char out[48]);
/* The record's bytes (header, block, CRLF CRLF) appended to out, with
 * WARC-Block-Digest and WARC-Payload-Digest (sha256, base32). */
sr_err sr_warc_record_build(sr_buf *out, const sr_warc_out *rec);

typedef struct sr_warc_writer sr_warc_writer;
/* Write into dir (created if missing): files sitrep-STAMP-NNNNN.warc.gz,
 * a new one when the current would pass max_bytes (0: 1 GiB), each opened
 * with a warcinfo record.  A new run always starts a new file, so a file
 * a killed run left with a cut last member is never appended to. */
sr_err sr_warc_writer_open(const char *dir, size_t max_bytes, sr_warc_writer **out);
/* Append records as gzip members (one each), in one write per member. */
sr_err sr_warc_writer_add(sr_warc_writer *w, const sr_warc_out *rec);
/* A record already built with sr_warc_record_build(), as one member. */
sr_err sr_warc_writer_add_built(sr_warc_writer *w, const char *record, size_t len);
/* Why the last call failed ("" if none). */
const char *sr_warc_writer_error(const sr_warc_writer *w);
sr_err sr_warc_writer_close(sr_warc_writer *w);

/* ---- state in the store (src/store/watch_state.c) ------------------------ *
 * Tables watch_sources, watch_urls and watch_robots (schema 4; see
 * docs/store.md).  Writes join the store's open batch (starting one if
 * none is open), so they commit with the documents they belong to, at
 * sr_store_commit(). */

typedef struct sr_watch_source_row {
    int64_t id;
    const char *url, *name;
    long interval;
    bool active;                  /* in the SOURCES file of the last run */
    const char *kind;             /* "feed", "sitemap", "sitemapindex" or NULL */
    const char *etag, *last_modified;   /* validators of the last 200 */
    int64_t last_fetch;           /* unix time of the last poll, 0 never */
    int last_status;              /* HTTP status of the last poll, 0 none */
    int64_t last_new;             /* documents the last poll added */
    int64_t docs;                 /* documents added from this source */
    int64_t polls, not_modified;  /* polls, and how many were 304s */
    int failures;                 /* consecutive failed polls */
    const char *last_error;       /* why the last failure, or NULL */
    int64_t last_error_at;
    int64_t next_poll;            /* unix time */
} sr_watch_source_row;
typedef int (*sr_watch_source_row_fn)(const sr_watch_source_row *r, void *ctx);

/* Make the SOURCES lines the active sources (insert or update name and
 * interval); sources not among them are marked inactive, not deleted. */
sr_err sr_watch_state_sync(sr_store *st, const sr_watch_source_line *lines, size_t n);
/* Every source, active first, in SOURCES-file order of first appearance. */
sr_err sr_watch_state_sources(sr_store *st, sr_watch_source_row_fn fn, void *ctx);
/* The outcome of one poll.  error NULL means success (failures reset). */
typedef struct sr_watch_poll {
    int status;
    const char *kind;
    const char *etag, *last_modified;   /* new validators (NULL: keep) */
    int64_t fetched, next_poll;
    const char *error;
} sr_watch_poll;
sr_err sr_watch_state_polled(sr_store *st, int64_t source, const sr_watch_poll *p);
/* A failure that was retried (failures are not counted; the row says it). */
sr_err sr_watch_state_source_error(sr_store *st, int64_t source, const char *why);
/* A poll's answer came: its new documents start from 0. */
sr_err sr_watch_state_poll_begin(sr_store *st, int64_t source);
/* Documents added through a source (as its pages are stored). */
sr_err sr_watch_state_add_docs(sr_store *st, int64_t source, int64_t n);

/* URL states: */
enum { SR_URL_PENDING = 0, SR_URL_DONE = 1, SR_URL_FEED_TEXT = 2, SR_URL_FAILED = 3 };
/* Is this (normalised) URL known?  *state set when it is. */
bool   sr_watch_state_url_known(sr_store *st, const char *url, int *state);
/* Record a new URL as pending, with the feed entry (JSON) to fall back
 * on; an already known URL is left as it is. */
sr_err sr_watch_state_url_add(sr_store *st, const char *url, int64_t source,
                              const char *entry_json);
/* Settle a URL: state, the document it gave (0 none), why (or NULL). */
sr_err sr_watch_state_url_set(sr_store *st, const char *url, int state, int64_t doc_id,
                              const char *note);
/* A transient failure: one more attempt counted; returns the count. */
int    sr_watch_state_url_attempt(sr_store *st, const char *url, const char *note);
typedef int (*sr_watch_url_fn)(const char *url, int64_t source, const char *entry_json,
                               int attempts, void *ctx);
/* Pending URLs, oldest first. */
sr_err sr_watch_state_pending(sr_store *st, sr_watch_url_fn fn, void *ctx);
/* Counts of URLs per state for a source (0: all). */
sr_err sr_watch_state_url_counts(sr_store *st, int64_t source, int64_t counts[4]);

/* robots.txt as last fetched for an origin: status (0 unreachable), body. */
sr_err sr_watch_state_robots_put(sr_store *st, const char *origin, int64_t fetched,
                                 int status, const char *body, size_t len);
/* 1 found (*body malloc'd), 0 not stored or older than max_age seconds. */
int    sr_watch_state_robots_get(sr_store *st, const char *origin, int64_t now, int64_t max_age,
                                 int *status, char **body, size_t *len);

/* Integer settings kept in the store's meta table ("watch_..." keys). */
int64_t sr_watch_state_meta_get(sr_store *st, const char *key);
sr_err  sr_watch_state_meta_set(sr_store *st, const char *key, int64_t v);
/* The document with this body hash (sr_body_hash), or 0. */
int64_t sr_watch_state_doc_by_hash(sr_store *st, uint64_t hash);
/* The largest event id (0 if none). */
int64_t sr_watch_state_max_event(sr_store *st);

/* ---- per-cycle export (--export DIR) ------------------------------------- */

/* Write the events with ids in (after, upto] as DIR/STAMP.export.CSV (the
 * 61 GDELT 2.0 columns, tab-separated) and DIR/STAMP.events.jsonl, then
 * DIR/lastupdate.txt listing both as "SIZE SHA256 NAME"; every file is
 * written to a temporary name, synced and renamed.  stamp is
 * YYYYMMDDHHMMSS.  *nevents gets the count. */
sr_err sr_watch_export(sr_store *st, const char *dir, int64_t after, int64_t upto,
                       const char *stamp, size_t *nevents, char *err, size_t errlen);

/* ---- the watcher ---------------------------------------------------------- */

typedef struct sr_watch_doc_result {
    bool stored;            /* a new document */
    bool duplicate;         /* its body was already stored */
    int64_t doc_id;         /* the stored or earlier document, 0 if none */
} sr_watch_doc_result;
/* Code and store one document (the CLI's ingest path).  Return 0 to go on,
 * nonzero for a fatal error (the watch stops). */
typedef int (*sr_watch_store_fn)(const sr_doc *doc, sr_watch_doc_result *res, void *ctx);

typedef struct sr_watch_opts {
    const char *sources_path;     /* the SOURCES file */
    bool once;                    /* one cycle, then return */
    const char *warc_dir;         /* --warc, or NULL */
    size_t warc_max;              /* bytes per WARC file (0: 1 GiB) */
    const char *export_dir;       /* --export, or NULL */
    sr_addr_allow allow;          /* --allow-private */
    int per_host;                 /* concurrent requests per host (2) */
    double delay;                 /* seconds between requests to a host (1) */
    double timeout;               /* seconds per request, total (60) */
    double retry_wait;            /* first in-cycle retry after this many
                                     seconds, doubling, with jitter (1) */
    size_t max_page;              /* bytes of a decoded response (16 MiB) */
    int max_new;                  /* new entries taken per source per poll (1000) */
    bool tty;                     /* show a status line on stderr */
    volatile sig_atomic_t *stop;  /* set by a signal: finish, commit, return */
} sr_watch_opts;

#define SR_WATCH_OPTS_DEFAULT { NULL, false, NULL, 0, NULL, {false, 0, {{0, {0}, 0}}}, \
                                2, 1.0, 60.0, 1.0, (size_t)16 << 20, 1000, false, NULL }

typedef struct sr_watch_stats {
    size_t cycles, polls, not_modified, poll_errors;
    size_t pages, stored, duplicates, feed_text, page_errors, robots_refused;
    size_t requests;              /* HTTP requests made */
    int max_per_host;             /* most requests ever in flight to one host */
} sr_watch_stats;

/*
 * Run the watch: read SOURCES, sync it into the store, then poll cycles
 * (one with opts->once) until *opts->stop.  Documents go to fn.  Returns
 * SR_OK, SR_EIO (store or WARC/export write failed: *err says why),
 * SR_EINVAL (SOURCES unreadable or empty), SR_ENOMEM, or fn's nonzero
 * value.
 */
int sr_watch_run(sr_store *st, const sr_watch_opts *opts, sr_watch_store_fn fn, void *ctx,
                 sr_watch_stats *stats, char *err, size_t errlen);

#endif
