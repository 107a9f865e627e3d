/*
 * sitrep/serve.h - `sitrep serve`: the store as an HTTP JSON API and the
 * analyst's dashboard, read-only, beside a running `sitrep ingest`.
 *
 * The server is libmicrohttpd (the C HTTP server Debian's own services use)
 * with a pool of worker threads on epoll.  Each worker opens its own
 * read-only connection to the store, and each request runs in one read
 * transaction, so a request sees one committed state while ingest goes on
 * writing (WAL), and new documents show on the next request.
 *
 * Routes (all GET or HEAD; docs/serve.md has the fields):
 *   /api/health                        counts, last ingest time, version
 *   /api/stories                       stories, paged (limit, cursor), filtered
 *   /api/stories/{id}                  one story with its documents
 *   /api/stories/{id}/brief            exactly `sitrep brief --format json`
 *   /api/events                        events: json pages, or jsonl/csv/gdelt streams
 *   /api/dyads/{A}/{B}/timeline        a dyad by day, week or month
 *   /api/network                       actors and dyads for a period
 *   /api/search                        full-text hits with story and events
 *   /metrics                           Prometheus text
 *   /, /assets/...                     the dashboard, embedded at build time
 *
 * Safety: nothing writes to the store; every query is bound; each
 * parameter is parsed strictly (unknown, repeated or malformed parameters
 * are a 400 naming the parameter); static files come only from the
 * embedded table (a path is looked up, never opened); connections, header
 * size, URL length and the time a request may take to arrive are capped;
 * with a token, every /api and /metrics request needs
 * `Authorization: Bearer TOKEN` (the dashboard's own files do not, so it
 * can ask for the token).  Listening beyond loopback requires a token.
 *
 * Answers are cached per URL for as long as the store's generation (its
 * newest document) is unchanged; ETag + If-None-Match give 304s, and gzip
 * is used when the client accepts it.
 *
 * Ownership: sr_server owns its threads, connections and cache; the
 * options' strings must outlive it.
 *
 * Errors from sr_serve_start: SR_EINVAL (bad option: no token beyond
 * loopback, threads 0, ...), SR_EIO (the store cannot be opened or the
 * address cannot be bound; errbuf says which), SR_ENOMEM.
 */
#ifndef SITREP_SERVE_H
#define SITREP_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "sitrep/base.h"

typedef struct sr_serve_opts {
    const char *db;                /* the store; it must exist */
    const char *address;           /* numeric IPv4 or IPv6 ("127.0.0.1", "::1") */
    unsigned    port;              /* 0: any free port (sr_serve_port tells) */
    const char *token;             /* bearer token or NULL (loopback only) */
    unsigned    threads;           /* workers, 1..64 */
    unsigned    max_connections;   /* open connections at most (more are refused) */
    unsigned    timeout;           /* seconds a request may take to arrive, and an
                                      idle connection may stay open */
    unsigned    rate;              /* requests per second per client address
                                      (bursts of twice that); 0: no limit */
    size_t      cache_bytes;       /* response cache size; 0: no cache */
} sr_serve_opts;

#define SR_SERVE_DEFAULTS { NULL, "127.0.0.1", 8080, NULL, 4, 512, 10, 0, (size_t)64 << 20 }

/* Caps on what a client may send (a larger request line or header block is
 * refused by libmicrohttpd itself with 414 or 431). */
#define SR_SERVE_MAX_URL     8192          /* bytes of request target: else 414 */
#define SR_SERVE_MAX_PARAMS  16            /* query parameters: else 414 */
#define SR_SERVE_CONN_MEMORY (32u << 10)   /* per-connection buffer, headers included */
#define SR_SERVE_MAX_LIMIT   1000          /* `limit` of a list */

typedef struct sr_server sr_server;

/* Is this numeric address in 127.0.0.0/8 or ::1? */
bool   sr_serve_is_loopback(const char *address);
/* Open the store, bind, start the workers.  errbuf gets a reason on error. */
sr_err sr_serve_start(const sr_serve_opts *o, sr_server **out, char *errbuf, size_t errlen);
/* The port it listens on (the real one when asked for port 0). */
unsigned sr_serve_port(const sr_server *s);
/* Whether the dashboard is built in; if not, *why says why. */
bool   sr_serve_dashboard(const char **why);
/* Stop accepting, finish or cut open requests, close everything. */
void   sr_serve_stop(sr_server *s);

#endif
