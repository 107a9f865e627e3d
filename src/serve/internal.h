/*
 * internal.h - the pieces of `sitrep serve` and how they fit:
 *
 *   server.c   libmicrohttpd glue: connections, limits (time, size, rate,
 *              token), the per-thread store, caching, gzip, streaming
 *   target.c   parsing a request target strictly: path segments and query
 *              parameters, percent-decoding that refuses %00 and bad escapes
 *   api.c      the routes: parameters checked, store read, JSON written
 *   cache.c    answers by URL for one store generation
 *   metrics.c  request counters, latency histogram, Prometheus text
 *
 * api.c knows nothing of HTTP libraries: it takes a parsed target and a
 * store and fills an api_resp, so the unit tests drive it directly.
 */
#ifndef SITREP_SERVE_INTERNAL_H
#define SITREP_SERVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sitrep/analytics.h"
#include "sitrep/serve.h"
#include "sitrep/store.h"

/* ---- request targets (target.c) ------------------------------------------------ */

#define API_MAX_SEGS 8

typedef struct api_param {
    const char *key, *value;       /* decoded, NUL-terminated, into api_target.buf */
    size_t value_len;
    bool used;                     /* a route read it (others are unknown: 400) */
} api_param;

typedef struct api_target {
    /* the decoded path, its copy split into segments, and the decoded
     * parameters: at most 2 * length + 2 + 1 per parameter bytes */
    char  buf[2 * SR_SERVE_MAX_URL + SR_SERVE_MAX_PARAMS + 8];
    const char *path;              /* decoded path, "/..." */
    const char *segs[API_MAX_SEGS];        /* path segments after the first '/' */
    size_t nsegs;
    api_param params[SR_SERVE_MAX_PARAMS];
    size_t nparams;
} api_target;

/* Parse "/path?query" (len bytes, not NUL-terminated).  Returns 0, or an
 * HTTP status (400, 414) with *why saying what is wrong. */
int api_parse_target(const char *raw, size_t len, api_target *t, const char **why);
/* Percent-decode s[0..*len) in place, '+' as space when plus is set.  False
 * on a broken escape ("%zz", "%4") or a decoded NUL. */
bool api_unescape(char *s, size_t *len, bool plus);
/* Is s[0..len) valid UTF-8 without control characters? */
bool api_clean_text(const char *s, size_t len);
/* A real calendar day written YYYY-MM-DD. */
bool api_valid_date(const char *s);

/* Cursors are opaque to clients: base64url of "KIND:FIELD:FIELD". */
sr_err api_cursor_encode(char kind, int64_t num, const char *key, sr_buf *out);
/* Decode a cursor of this kind: *num and key (NUL-terminated, keylen bytes
 * at most); false if it is not one of ours. */
bool api_cursor_decode(const char *cursor, char kind, int64_t *num, char *key, size_t keylen);

/* ---- routes (api.c) ------------------------------------------------------------ */

typedef enum api_route {
    ROUTE_NOT_FOUND = 0, ROUTE_ASSET, ROUTE_HEALTH, ROUTE_STORIES, ROUTE_STORY, ROUTE_BRIEF,
    ROUTE_EVENTS, ROUTE_DYAD, ROUTE_NETWORK, ROUTE_SEARCH, ROUTE_METRICS, ROUTE_COUNT
} api_route;
const char *api_route_name(api_route r);       /* a metrics label: "stories" */
api_route api_match(const api_target *t);
/* Does this route read the store (and so need a token when one is set)? */
bool api_route_private(api_route r);

/* The events a jsonl/csv/gdelt export streams, a chunk at a time (keyset
 * paging inside: a full export never sits in memory). */
typedef struct api_stream {
    sr_event_filter f;
    char actor[40], dyad_a[40], dyad_b[40], root[4], code[8], since[11], until[11], modality[12];
    sr_event_format format;
    bool header_done, done;
    uint64_t rows;
} api_stream;
#define API_STREAM_ROWS 512        /* events per chunk */
/* Append the next chunk to out; sets s->done after the last. */
sr_err api_stream_next(sr_store *st, api_stream *s, sr_buf *out);

typedef struct api_resp {
    int status;
    const char *content_type;
    sr_buf body;
    bool cacheable;                /* 200 whose body depends only on URL + generation */
    api_stream *stream;            /* set (and owned by the caller) for a stream */
    int retry_after;               /* seconds, for 429 and 503; 0: none */
} api_resp;

void api_resp_init(api_resp *r);
void api_resp_free(api_resp *r);
/* Set an error: {"error": "..."} with this status. */
void api_error(api_resp *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Answer a store route.  st is open and in a read transaction. */
void api_handle(sr_store *st, api_route route, api_target *t, api_resp *r);

/* ---- cache.c ------------------------------------------------------------------- */

typedef struct api_cache api_cache;
struct MHD_Response;
api_cache *api_cache_new(size_t max_bytes);
void       api_cache_free(api_cache *c);
struct MHD_Connection;
/* If key is cached for this generation: 304 when if_none_match names its
 * ETag (the caller answers), else queue the cached response (gzip if asked
 * and there is one) on conn and return 200; -1 if queuing failed; 0 on a
 * miss.  etag gets the entry's ETag on a hit. */
int  api_cache_queue(api_cache *c, struct MHD_Connection *conn, const char *key, size_t keylen,
                     int64_t gen, bool gzip, const char *if_none_match, char etag[24]);
/* Does an If-None-Match header value name this ETag (or "*")? */
bool api_etag_matches(const char *if_none_match, const char *etag);
/* Keep a plain and (optionally) a gzip response for key: the cache takes
 * over the caller's creation reference of each (and drops them itself if it
 * does not keep them). */
void api_cache_put(api_cache *c, const char *key, size_t keylen, int64_t gen,
                   struct MHD_Response *plain, struct MHD_Response *gz, const char *etag,
                   size_t bytes);
void api_cache_stats(api_cache *c, uint64_t *entries, uint64_t *bytes, uint64_t *hits,
                     uint64_t *misses);

/* ---- metrics.c ----------------------------------------------------------------- */

void metrics_observe(api_route route, int status, double seconds);
void metrics_connection(int delta);            /* open connections +1 / -1 */
void metrics_cut(void);                        /* a connection cut for slowness */
/* Prometheus text exposition of the counters, plus the store's counts and
 * the cache's figures (cache may be NULL). */
sr_err metrics_render(sr_store *st, api_cache *cache, sr_buf *out);

#endif
