/*
 * internal.h - what the files of src/watch/ share: the fetcher, a thin
 * layer over libcurl's multi interface that owns politeness (requests per
 * host, the delay between them, holds after Retry-After or failures) and
 * the caps every response is held to.
 *
 * Ownership: a wf_req is the caller's; it is lent to the fetcher from
 * wf_submit() until the done callback, which gets it back (to free with
 * wf_req_free() or to submit again after wf_req_reset()).
 */
#ifndef SITREP_WATCH_INTERNAL_H
#define SITREP_WATCH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sitrep/watch.h"

typedef struct wf_host wf_host;
typedef struct wf_fetch wf_fetch;

typedef struct wf_req {
    /* set by the caller */
    char *url;                    /* absolute; owned */
    char *if_none_match;          /* ETag to send, or NULL; owned */
    char *if_modified_since;      /* Last-Modified to send, or NULL; owned */
    size_t max_body;              /* decoded bytes kept (0: the fetcher's) */
    bool want_request_head;       /* keep the request header block (WARC) */
    double not_before;            /* wf_now() time before which it waits (a
                                     retry's backoff; others to the host go on) */
    int kind;                     /* the caller's */
    void *user;                   /* the caller's */
    /* the result, filled before the done callback */
    int status;                   /* HTTP status, 0 if no response */
    int curl_code;                /* CURLcode, 0 on a complete transfer */
    char error[256];              /* why it failed, "" if a response came */
    bool transient;               /* worth retrying: timeout, reset, 5xx, 429 */
    bool too_large, bomb, refused, header_overflow;
    sr_buf head;                  /* the response's status line and headers */
    sr_buf body;                  /* the payload, content-encoding undone */
    sr_buf req_head;              /* the request as sent (want_request_head) */
    char mime[128];               /* Content-Type's media type, lower-case */
    char content_encoding[64];
    char etag[256], last_modified[128];
    char *location;               /* absolute redirect target, or NULL; owned */
    long retry_after;             /* seconds, -1 if none */
    char fetched[24];             /* when it ended, ISO 8601 UTC */
    double seconds;               /* how long it took */
    unsigned long long raw_bytes; /* bytes on the wire (before decoding) */
    /* the fetcher's */
    void *easy;
    wf_host *host;
    struct wf_req *next;
    void *headers;                /* struct curl_slist * */
    char errbuf[256];
    const sr_addr_allow *allow;
    double started_at;
} wf_req;

typedef struct wf_opts {
    const char *user_agent;
    double connect_timeout, timeout;   /* seconds */
    long low_speed_bytes, low_speed_time;
    size_t max_body;              /* decoded bytes per response */
    size_t max_header;            /* bytes of response headers */
    int per_host;                 /* requests in flight per host */
    int max_total;                /* requests in flight in all */
    double delay;                 /* seconds between request starts per host */
    const sr_addr_allow *allow;
} wf_opts;

typedef void (*wf_done_fn)(wf_req *req, void *ctx);

/* NULL when libcurl cannot be set up. */
wf_fetch *wf_new(const wf_opts *o, wf_done_fn done, void *ctx);
void      wf_free(wf_fetch *f);
/* A request for url (copied); NULL when memory runs out. */
wf_req   *wf_req_new(const char *url, int kind, void *user);
/* Clear results (and set a new url when not NULL) for another submit. */
sr_err    wf_req_reset(wf_req *r, const char *url);
void      wf_req_free(wf_req *r);
/* Queue r behind the other requests to its host. */
sr_err    wf_submit(wf_fetch *f, wf_req *r);
/* Start what politeness allows, wait up to timeout_ms for activity, and
 * hand finished requests to the done callback.  Returns the number of
 * requests queued or in flight afterwards. */
size_t    wf_run(wf_fetch *f, int timeout_ms);
/* No request to host (the URL's host) starts before `until` (a
 * wf_now() time); a later hold wins over an earlier one. */
void      wf_hold_host(wf_fetch *f, const char *url, double until);
/* Raise the delay between requests to host (a robots.txt Crawl-delay). */
void      wf_host_delay(wf_fetch *f, const char *url, double delay);
/* Hand every queued or running request to the done callback unfinished
 * (curl_code -1): for a watch that is stopping. */
void      wf_abort_all(wf_fetch *f);
/* Hand the requests queued for url's host to the done callback unstarted
 * (curl_code -2): the host asked for a wait longer than the cycle. */
void      wf_cancel_host(wf_fetch *f, const char *url);
/* Requests queued or in flight. */
size_t    wf_pending(const wf_fetch *f);
/* The most requests ever in flight to one host, and requests started. */
int       wf_max_per_host(const wf_fetch *f);
size_t    wf_started(const wf_fetch *f);
/* Monotonic seconds. */
double    wf_now(void);

/* The HTTP block of a WARC response record (warc_write.c): head's status
 * line and headers with Content-Encoding, Transfer-Encoding and Content-
 * Length renamed X-Archive-Orig-*, a Content-Length of the stored body,
 * and the body; *payload_off is where the body starts. */
sr_err    watch_http_block(sr_buf *out, const char *head, size_t hlen, const char *body,
                           size_t blen, size_t *payload_off);

/* Whole-file helpers of the watch. */
void      watch_iso_now(char out[24]);      /* "YYYY-MM-DDTHH:MM:SSZ" */
/* SHA-256 of p[0..n) as 64 lower-case hex digits + NUL. */
void      watch_sha256_hex(const void *p, size_t n, char out[65]);

#endif
