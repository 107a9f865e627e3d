/*
 * server.c - `sitrep serve` on libmicrohttpd: a pool of worker threads on
 * epoll, each with its own read-only store connection; per-request read
 * transactions; the answer cache, ETags and gzip; streamed exports; and
 * the limits a server facing hostile clients needs.
 *
 * Limits, and who enforces them:
 *   connections        MHD_OPTION_CONNECTION_LIMIT (more are closed at accept)
 *   header block       MHD_OPTION_CONNECTION_MEMORY_LIMIT (MHD answers 414/431)
 *   request target     SR_SERVE_MAX_URL, checked here (414, JSON body)
 *   request time       a reaper thread: a connection whose next request has
 *                      not fully arrived `timeout` seconds after the last one
 *                      ended (or it opened) is shut down.  MHD's own timeout
 *                      is for inactivity, which a client sending one byte a
 *                      second never shows.
 *   idle sending       MHD_OPTION_CONNECTION_TIMEOUT (a reader that stops)
 *   request bodies     none are accepted (413)
 *   rate               a token bucket per client address (429), when asked
 *
 * The reaper shuts a socket down (never closes it): MHD then sees the end
 * of the stream and cleans up as for any client that hung up.  It works
 * under the connection list's lock, and MHD tells us a connection is
 * closed (NOTIFY_CLOSED, which unlinks it under that lock) before it closes
 * the descriptor, so a descriptor the reaper touches is always still that
 * connection's.
 */
#include "serve/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "serve/assets.h"

#define RATE_SLOTS 1024
#define GZIP_MIN 256                  /* smaller answers are sent as they are */
#define STREAM_BLOCK (64 << 10)

/* An open connection, for the reaper. */
typedef struct conn_ctx {
    struct conn_ctx *prev, *next;
    int fd;
    double since;                     /* opened, or its last request ended */
    bool busy;                        /* a request is being answered */
    bool cut;
} conn_ctx;

/* One request, from its request line to its completion. */
typedef struct req_ctx {
    double t0;
    api_route route;
    int status;
    bool started;                     /* the access handler has seen it */
    bool answered;                    /* a response is queued */
    size_t urilen;
    char *uri;                        /* raw target; NULL if over SR_SERVE_MAX_URL */
} req_ctx;

typedef struct rate_slot {
    unsigned char addr[16];
    double tokens, last;
    bool used;
} rate_slot;

typedef struct asset_resp {
    struct MHD_Response *plain, *gz;
    char etag[24];
} asset_resp;

struct sr_server {
    sr_serve_opts o;
    char *db, *token;
    size_t token_len;
    struct MHD_Daemon *d;
    unsigned port;
    api_cache *cache;
    pthread_mutex_t conns_lock;
    conn_ctx *conns;
    pthread_t reaper;
    bool reaper_started;
    atomic_bool stopping;
    pthread_mutex_t stores_lock;
    sr_store **stores;
    size_t nstores, capstores;
    pthread_mutex_t rate_lock;
    rate_slot *rate;
    asset_resp *assets;
    struct MHD_Response *no_dashboard;
};

static _Thread_local sr_store *tls_store;
static _Thread_local const sr_server *tls_owner;

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool sr_serve_dashboard(const char **why)
{
    if (why)
        *why = sr_web_missing;
    return sr_web_missing == NULL && sr_web_nassets > 0;
}

bool sr_serve_is_loopback(const char *address)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, address, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, address, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return false;
}

/* ---- the store of this worker thread ------------------------------------------------ */

static sr_store *thread_store(sr_server *s)
{
    if (tls_store && tls_owner == s)
        return tls_store;
    sr_store *st = NULL;
    if (sr_store_open_readonly(s->db, &st) != SR_OK) {
        sr_store_close(st);
        return NULL;
    }
    /* a reader waits a little for a checkpoint, then answers 503 */
    sr_store_set_busy_timeout(st, 2000);
    sr_store_tune_reader(st);
    pthread_mutex_lock(&s->stores_lock);
    if (sr_grow((void **)&s->stores, &s->capstores, s->nstores + 1, sizeof *s->stores)) {
        pthread_mutex_unlock(&s->stores_lock);
        sr_store_close(st);
        return NULL;
    }
    s->stores[s->nstores++] = st;
    pthread_mutex_unlock(&s->stores_lock);
    tls_store = st;
    tls_owner = s;
    return st;
}

/* ---- responses ----------------------------------------------------------------------- */

static bool accepts_gzip(struct MHD_Connection *c)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (!ae)
        return false;
    const char *p = ae;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t n = (size_t)(p - tok);
        bool gz = (n == 4 && strncasecmp(tok, "gzip", 4) == 0) || (n == 1 && *tok == '*');
        while (*p == ' ')
            p++;
        bool zero = false;
        if (*p == ';') {
            const char *q = strstr(p, "q=");
            const char *comma = strchr(p, ',');
            if (q && (!comma || q < comma)) {
                q += 2;
                zero = q[0] == '0' && (q[1] == '\0' || q[1] == ',' || q[1] == ' ' ||
                                       (q[1] == '.' && strspn(q + 2, "0") == strcspn(q + 2, ", ")));
            }
        }
        if (gz && !zero)
            return true;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

/* gzip of a whole buffer; NULL if it does not help or fails. */
static char *gzip_buf(const char *in, size_t n, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)n);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || *outlen >= n) {
        free(out);
        return NULL;
    }
    return out;
}

static void common_headers(struct MHD_Response *r, const char *ctype)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static struct MHD_Response *buffer_response(const char *body, size_t len, const char *ctype,
                                            const char *etag, bool gz, bool varies)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r)
        return NULL;
    common_headers(r, ctype);
    if (etag) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    } else {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    if (varies)
        MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (gz)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    return r;
}

static int queue(struct MHD_Connection *c, req_ctx *rq, int status, struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    rq->status = status;
    int ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

/* An error with its JSON body ({"error": "..."}). */
static int queue_error_body(struct MHD_Connection *c, req_ctx *rq, int status, int retry_after,
                            const char *body, size_t len)
{
    struct MHD_Response *r = buffer_response(body, len, "application/json", NULL, false, false);
    if (r && status == 405)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (r && status == 401)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"sitrep\"");
    if (r && retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    return queue(c, rq, status, r);
}

static int queue_error(struct MHD_Connection *c, req_ctx *rq, int status, int retry_after,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int queue_error(struct MHD_Connection *c, req_ctx *rq, int status, int retry_after,
                       const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_buf b = SR_BUF_INIT(4096);
    sr_buf_puts(&b, "{\"error\":");
    sr_buf_json_str(&b, msg, strlen(msg));
    sr_buf_puts(&b, "}\n");
    int ret = queue_error_body(c, rq, status, retry_after, b.p, b.len);
    sr_buf_free(&b);
    return ret;
}

static int queue_304(struct MHD_Connection *c, req_ctx *rq, const char *etag)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    return queue(c, rq, 304, r);
}

static void etag_of(const char *body, size_t len, char out[24])
{
    snprintf(out, 24, "\"%016llx\"", (unsigned long long)sr_hash64(body, len, 0xe7a9));
}

/* ---- streamed exports ------------------------------------------------------------------ */

typedef struct stream_ctx {
    sr_server *srv;
    api_stream *s;
    sr_buf raw, out;                  /* a chunk of events; what is left to send */
    size_t off;
    bool gz, zinit, finished;
    z_stream z;
} stream_ctx;

static sr_err stream_fill(stream_ctx *x)
{
    sr_buf_reset(&x->out);
    x->off = 0;
    sr_buf_reset(&x->raw);
    if (!x->s->done) {
        sr_store *st = thread_store(x->srv);
        if (!st)
            return SR_EIO;
        sr_err e = api_stream_next(st, x->s, x->gz ? &x->raw : &x->out);
        if (e)
            return e;
    }
    if (!x->gz) {
        x->finished = x->s->done;
        return SR_OK;
    }
    x->z.next_in = (Bytef *)x->raw.p;
    x->z.avail_in = (uInt)x->raw.len;
    int flush = x->s->done ? Z_FINISH : Z_NO_FLUSH;
    for (;;) {
        sr_err e = sr_buf_reserve(&x->out, STREAM_BLOCK);
        if (e)
            return e;
        x->z.next_out = (Bytef *)x->out.p + x->out.len;
        x->z.avail_out = STREAM_BLOCK;
        int rc = deflate(&x->z, flush);
        if (rc == Z_STREAM_ERROR)
            return SR_EIO;
        x->out.len += STREAM_BLOCK - x->z.avail_out;
        x->out.p[x->out.len] = '\0';
        if (rc == Z_STREAM_END) {
            x->finished = true;
            break;
        }
        if (x->z.avail_out != 0 && x->z.avail_in == 0)
            break;
    }
    return SR_OK;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream_ctx *x = cls;
    (void)pos;
    while (x->off == x->out.len) {
        if (x->finished)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (stream_fill(x) != SR_OK)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = x->out.len - x->off;
    if (n > max)
        n = max;
    memcpy(buf, x->out.p + x->off, n);
    x->off += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream_ctx *x = cls;
    if (x->zinit)
        deflateEnd(&x->z);
    sr_buf_free(&x->raw);
    sr_buf_free(&x->out);
    free(x->s);
    free(x);
}

static int queue_stream(struct MHD_Connection *c, req_ctx *rq, sr_server *s, api_resp *ar, bool gz)
{
    stream_ctx *x = calloc(1, sizeof *x);
    if (!x)
        return queue_error(c, rq, 503, 1, "out of memory");
    x->srv = s;
    x->s = ar->stream;
    ar->stream = NULL;
    sr_buf_init(&x->raw, 64u << 20);
    sr_buf_init(&x->out, 64u << 20);
    if (gz) {
        if (deflateInit2(&x->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            stream_free(x);
            return queue_error(c, rq, 503, 1, "out of memory");
        }
        x->zinit = x->gz = true;
    }
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
                                                                stream_read, x, stream_free);
    if (!r) {
        stream_free(x);
        return MHD_NO;
    }
    common_headers(r, ar->content_type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (gz)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    return queue(c, rq, 200, r);
}

/* ---- the dashboard's files -------------------------------------------------------------- */

static const char no_dashboard_page[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sitrep</title>"
    "<link rel=\"icon\" href=\"data:,\"></head><body><h1>sitrep serve</h1>"
    "<p>The dashboard is not built into this sitrep (%s).  Rebuild with npm installed "
    "to get it; the JSON API works the same either way: "
    "<a href=\"/api/health\">/api/health</a>, <a href=\"/api/stories\">/api/stories</a>.</p>"
    "</body></html>\n";

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

static sr_err prepare_assets(sr_server *s)
{
    const char *why = NULL;
    if (!sr_serve_dashboard(&why)) {
        char page[sizeof no_dashboard_page + 200];
        snprintf(page, sizeof page, no_dashboard_page, why ? why : "not built");
        s->no_dashboard = buffer_response(page, strlen(page), "text/html; charset=utf-8",
                                          NULL, false, false);
        return s->no_dashboard ? SR_OK : SR_ENOMEM;
    }
    s->assets = calloc(sr_web_nassets, sizeof *s->assets);
    if (!s->assets)
        return SR_ENOMEM;
    for (size_t i = 0; i < sr_web_nassets; i++) {
        const sr_asset *a = &sr_web_assets[i];
        size_t n = (size_t)(a->end - a->start);
        asset_resp *ar = &s->assets[i];
        etag_of(a->start, n, ar->etag);
        /* the bytes live in the binary: no copy */
        ar->plain = MHD_create_response_from_buffer(n, (void *)(uintptr_t)a->start,
                                                    MHD_RESPMEM_PERSISTENT);
        if (!ar->plain)
            return SR_ENOMEM;
        size_t zn = 0;
        char *z = n >= GZIP_MIN ? gzip_buf(a->start, n, &zn) : NULL;
        if (z) {
            ar->gz = MHD_create_response_from_buffer(zn, z, MHD_RESPMEM_MUST_FREE);
            if (!ar->gz) {
                free(z);
                return SR_ENOMEM;
            }
        }
        struct MHD_Response *both[2] = { ar->plain, ar->gz };
        for (int k = 0; k < 2; k++) {
            if (!both[k])
                continue;
            common_headers(both[k], a->mime);
            MHD_add_response_header(both[k], MHD_HTTP_HEADER_ETAG, ar->etag);
            MHD_add_response_header(both[k], MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
            MHD_add_response_header(both[k], MHD_HTTP_HEADER_VARY, "Accept-Encoding");
            if (strncmp(a->mime, "text/html", 9) == 0) {
                MHD_add_response_header(both[k], "Content-Security-Policy", csp);
                MHD_add_response_header(both[k], "X-Frame-Options", "DENY");
            }
            if (k == 1)
                MHD_add_response_header(both[k], MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        }
    }
    return SR_OK;
}

static int serve_asset(sr_server *s, struct MHD_Connection *c, req_ctx *rq, const char *path)
{
    if (!s->assets) {
        if (strcmp(path, "/") == 0) {
            rq->status = 200;
            return MHD_queue_response(c, MHD_HTTP_OK, s->no_dashboard);
        }
        return queue_error(c, rq, 404, 0, "no such file: the dashboard is not built");
    }
    /* a lookup in the table of embedded files: no path ever reaches open() */
    for (size_t i = 0; i < sr_web_nassets; i++) {
        if (strcmp(sr_web_assets[i].url, path) != 0)
            continue;
        asset_resp *ar = &s->assets[i];
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
        if (api_etag_matches(inm, ar->etag))
            return queue_304(c, rq, ar->etag);
        rq->status = 200;
        return MHD_queue_response(c, MHD_HTTP_OK, ar->gz && accepts_gzip(c) ? ar->gz : ar->plain);
    }
    return queue_error(c, rq, 404, 0, "no such file");
}

/* ---- admission: rate and token ---------------------------------------------------------- */

static bool rate_allow(sr_server *s, struct MHD_Connection *c, int *retry_after)
{
    if (!s->o.rate || !s->rate)
        return true;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    unsigned char key[16] = {0};
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            memcpy(key, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        else if (sa->sa_family == AF_INET6)
            memcpy(key, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    }
    double rate = s->o.rate, burst = 2.0 * rate, now = now_mono();
    bool ok;
    pthread_mutex_lock(&s->rate_lock);
    rate_slot *r = &s->rate[sr_hash64(key, sizeof key, 0x4a7e) % RATE_SLOTS];
    if (!r->used || memcmp(r->addr, key, sizeof key) != 0) {
        /* a new client (or a collision: the slot is taken over) */
        memcpy(r->addr, key, sizeof key);
        r->tokens = burst;
        r->last = now;
        r->used = true;
    }
    r->tokens += (now - r->last) * rate;
    if (r->tokens > burst)
        r->tokens = burst;
    r->last = now;
    ok = r->tokens >= 1.0;
    if (ok)
        r->tokens -= 1.0;
    else
        *retry_after = (int)ceil((1.0 - r->tokens) / rate);
    pthread_mutex_unlock(&s->rate_lock);
    if (*retry_after < 1)
        *retry_after = 1;
    return ok;
}

static bool authorized(sr_server *s, struct MHD_Connection *c)
{
    if (!s->token)
        return true;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return false;
    h += 7;
    size_t n = strlen(h);
    /* compare in time independent of where they differ */
    unsigned char diff = n != s->token_len;
    for (size_t i = 0; i < s->token_len; i++)
        diff |= (unsigned char)(s->token[i] ^ (i < n ? h[i] : 0));
    return diff == 0;
}

/* ---- MHD callbacks ------------------------------------------------------------------------ */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    req_ctx *rq = calloc(1, sizeof *rq);
    if (!rq)
        return NULL;
    rq->t0 = now_mono();
    rq->route = ROUTE_NOT_FOUND;
    size_t n = strlen(uri);
    rq->urilen = n;
    if (n <= SR_SERVE_MAX_URL && (rq->uri = malloc(n + 1)))
        memcpy(rq->uri, uri, n + 1);
    return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    sr_server *s = cls;
    req_ctx *rq = *con_cls;
    (void)toe;
    if (rq) {
        if (rq->answered)
            metrics_observe(rq->route, rq->status, now_mono() - rq->t0);
        free(rq->uri);
        free(rq);
        *con_cls = NULL;
    }
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn_ctx *cc = ci ? ci->socket_context : NULL;
    if (cc) {
        pthread_mutex_lock(&s->conns_lock);
        cc->busy = false;
        cc->since = now_mono();
        pthread_mutex_unlock(&s->conns_lock);
    }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    sr_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_ctx *cc = calloc(1, sizeof *cc);
        *socket_context = cc;
        if (!cc)
            return;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        cc->fd = ci ? ci->connect_fd : -1;
        cc->since = now_mono();
        pthread_mutex_lock(&s->conns_lock);
        cc->next = s->conns;
        if (s->conns)
            s->conns->prev = cc;
        s->conns = cc;
        pthread_mutex_unlock(&s->conns_lock);
        metrics_connection(+1);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        conn_ctx *cc = *socket_context;
        if (!cc)
            return;
        pthread_mutex_lock(&s->conns_lock);
        if (cc->prev)
            cc->prev->next = cc->next;
        else
            s->conns = cc->next;
        if (cc->next)
            cc->next->prev = cc->prev;
        pthread_mutex_unlock(&s->conns_lock);
        free(cc);
        *socket_context = NULL;
        metrics_connection(-1);
    }
}

static void *reaper_main(void *arg)
{
    sr_server *s = arg;
    const struct timespec tick = { 0, 200 * 1000 * 1000 };
    while (!atomic_load(&s->stopping)) {
        nanosleep(&tick, NULL);
        double now = now_mono();
        pthread_mutex_lock(&s->conns_lock);
        for (conn_ctx *cc = s->conns; cc; cc = cc->next)
            if (!cc->busy && !cc->cut && cc->fd >= 0 && now - cc->since > (double)s->o.timeout) {
                shutdown(cc->fd, SHUT_RDWR);
                cc->cut = true;
                metrics_cut();
            }
        pthread_mutex_unlock(&s->conns_lock);
    }
    return NULL;
}

/* A store route: one read transaction, the cache first. */
/* The store's generation as this worker last read it: read again when it
 * is older than GEN_TTL, so a request answered from the cache touches no
 * SQLite lock at all (that was a quarter of the cost of a cached answer).
 * An answer can so lag a commit by GEN_TTL at most; one computed afresh
 * always reads the generation inside its own transaction. */
#define GEN_TTL 0.020
static _Thread_local int64_t tls_gen = -1;
static _Thread_local double tls_gen_at;

static sr_err read_generation(sr_store *st, int64_t *gen)
{
    sr_err e = sr_store_generation(st, gen);
    if (!e) {
        tls_gen = *gen;
        tls_gen_at = now_mono();
    }
    return e;
}

/* A store route: the cache first, else one read transaction. */
static int serve_store_route(sr_server *s, struct MHD_Connection *c, req_ctx *rq, api_target *t)
{
    sr_store *st = thread_store(s);
    if (!st)
        return queue_error(c, rq, 503, 1, "the store cannot be opened now");
    bool gz = accepts_gzip(c);
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    int64_t gen = tls_gen;
    int ret;
    char etag[24];
    if (gen < 0 || now_mono() - tls_gen_at > GEN_TTL) {
        if (read_generation(st, &gen) != SR_OK) {
            bool busy = sr_store_busy(st);
            return queue_error(c, rq, 503, 1, busy ? "the store is busy; try again" : "the store cannot be read now");
        }
    }
    int hit = api_cache_queue(s->cache, c, rq->uri, rq->urilen, gen, gz, inm, etag);
    if (hit) {
        if (hit == 304)
            return queue_304(c, rq, etag);
        rq->status = 200;
        return hit == 200 ? MHD_YES : MHD_NO;
    }
    /* a miss: answer from one snapshot, filed under its own generation */
    if (sr_store_read_begin(st) != SR_OK || read_generation(st, &gen) != SR_OK) {
        bool busy = sr_store_busy(st);
        sr_store_read_end(st);
        return queue_error(c, rq, 503, 1, busy ? "the store is busy; try again" : "the store cannot be read now");
    }
    api_resp ar;
    api_resp_init(&ar);
    api_handle(st, rq->route, t, &ar);
    sr_store_read_end(st);
    if (ar.stream) {
        ret = queue_stream(c, rq, s, &ar, gz);
        api_resp_free(&ar);
        return ret;
    }
    if (ar.status != 200) {
        ret = queue_error_body(c, rq, ar.status, ar.retry_after, ar.body.p, ar.body.len);
        api_resp_free(&ar);
        return ret;
    }
    etag_of(ar.body.p, ar.body.len, etag);
    struct MHD_Response *plain = buffer_response(ar.body.p, ar.body.len, ar.content_type, etag, false, true);
    struct MHD_Response *zr = NULL;
    size_t zn = 0;
    char *z = ar.body.len >= GZIP_MIN ? gzip_buf(ar.body.p, ar.body.len, &zn) : NULL;
    if (z) {
        zr = buffer_response(z, zn, ar.content_type, etag, true, true);
        free(z);
    }
    size_t bytes = ar.body.len + zn;
    api_resp_free(&ar);
    if (!plain) {
        if (zr)
            MHD_destroy_response(zr);
        return MHD_NO;
    }
    if (api_etag_matches(inm, etag)) {
        ret = queue_304(c, rq, etag);
    } else {
        rq->status = 200;
        ret = MHD_queue_response(c, MHD_HTTP_OK, gz && zr ? zr : plain);
    }
    /* the cache takes over both creation references */
    api_cache_put(s->cache, rq->uri, rq->urilen, gen, plain, zr, etag, bytes);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    sr_server *s = cls;
    (void)url;
    (void)version;
    (void)upload_data;
    req_ctx *rq = *con_cls;
    if (!rq)
        return MHD_NO;                 /* out of memory at the request line */
    if (!rq->started) {
        /* the first call comes with the headers.  Refusals that concern
         * the body are queued now, which makes MHD close the connection
         * instead of reading it; everything else waits for the second call,
         * so the connection can be kept alive. */
        rq->started = true;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        conn_ctx *cc = ci ? ci->socket_context : NULL;
        if (cc) {
            pthread_mutex_lock(&s->conns_lock);
            cc->busy = true;
            pthread_mutex_unlock(&s->conns_lock);
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        bool body = te || (cl && strspn(cl, "0") != strlen(cl));
        if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
            rq->answered = true;
            return queue_error(c, rq, 405, 0, "sitrep serve is read-only: GET or HEAD only") == MHD_YES
                   ? MHD_YES : MHD_NO;
        }
        if (body) {
            rq->answered = true;
            return queue_error(c, rq, 413, 0, "a request body is not accepted") == MHD_YES ? MHD_YES : MHD_NO;
        }
        return MHD_YES;
    }
    if (*upload_data_size || rq->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    rq->answered = true;
    if (!rq->uri)
        return queue_error(c, rq, 414, 0, "the request target is longer than %d bytes", SR_SERVE_MAX_URL);
    /* one per worker: a request is handled start to end on one thread */
    static _Thread_local api_target target;
    api_target *t = &target;
    const char *why = NULL;
    int bad = api_parse_target(rq->uri, rq->urilen, t, &why);
    int ret;
    if (bad) {
        ret = queue_error(c, rq, bad, 0, "%s", why);
        goto out;
    }
    rq->route = api_match(t);
    int retry = 0;
    if (!rate_allow(s, c, &retry)) {
        ret = queue_error(c, rq, 429, retry, "too many requests: at most %u a second", s->o.rate);
        goto out;
    }
    if (rq->route == ROUTE_ASSET) {
        ret = t->nparams ? queue_error(c, rq, 400, 0, "the dashboard's files take no parameters")
                         : serve_asset(s, c, rq, t->path);
        goto out;
    }
    if (rq->route == ROUTE_NOT_FOUND) {
        ret = queue_error(c, rq, 404, 0, "no such route (see docs/serve.md)");
        goto out;
    }
    if (api_route_private(rq->route) && !authorized(s, c)) {
        ret = queue_error(c, rq, 401, 0, "a bearer token is required (Authorization: Bearer TOKEN)");
        goto out;
    }
    if (rq->route == ROUTE_METRICS) {
        if (t->nparams) {
            ret = queue_error(c, rq, 400, 0, "/metrics takes no parameters");
            goto out;
        }
        sr_buf b = SR_BUF_INIT(8u << 20);
        sr_store *st = thread_store(s);
        if (metrics_render(st, s->cache, &b) != SR_OK) {
            sr_buf_free(&b);
            ret = queue_error(c, rq, 503, 1, "out of memory");
            goto out;
        }
        struct MHD_Response *r = buffer_response(b.p, b.len, "text/plain; version=0.0.4; charset=utf-8",
                                                 NULL, false, false);
        sr_buf_free(&b);
        ret = queue(c, rq, 200, r);
        goto out;
    }
    ret = serve_store_route(s, c, rq, t);
out:
    return ret == MHD_YES ? MHD_YES : MHD_NO;
}

/* ---- start and stop ------------------------------------------------------------------------ */

sr_err sr_serve_start(const sr_serve_opts *o, sr_server **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    errbuf[0] = '\0';
    if (!o->db || !o->address || o->threads < 1 || o->threads > 64 || o->timeout < 1 ||
        o->max_connections < 1) {
        snprintf(errbuf, errlen, "bad options (threads 1..64, timeout >= 1, connections >= 1)");
        return SR_EINVAL;
    }
    if (!o->token && !sr_serve_is_loopback(o->address)) {
        snprintf(errbuf, errlen, "listening on %s (beyond loopback) needs --token FILE", o->address);
        return SR_EINVAL;
    }
    sr_server *s = calloc(1, sizeof *s);
    if (!s)
        return SR_ENOMEM;
    s->o = *o;
    pthread_mutex_init(&s->conns_lock, NULL);
    pthread_mutex_init(&s->stores_lock, NULL);
    pthread_mutex_init(&s->rate_lock, NULL);
    sr_err e = SR_ENOMEM;
    if (!(s->db = strdup(o->db)))
        goto fail;
    if (o->token) {
        if (!(s->token = strdup(o->token)))
            goto fail;
        s->token_len = strlen(s->token);
    }
    if (o->rate && !(s->rate = calloc(RATE_SLOTS, sizeof *s->rate)))
        goto fail;
    if (o->cache_bytes && !(s->cache = api_cache_new(o->cache_bytes)))
        goto fail;
    if ((e = prepare_assets(s)) != SR_OK)
        goto fail;
    /* the store must open now, so a wrong --db fails at once */
    sr_store *probe = NULL;
    if (sr_store_open_readonly(o->db, &probe) != SR_OK) {
        snprintf(errbuf, errlen, "%s", probe ? sr_store_errmsg(probe) : "cannot open the store");
        sr_store_close(probe);
        e = SR_EIO;
        goto fail;
    }
    sr_store_close(probe);

    /* many connections need many descriptors: raise the soft limit */
    struct rlimit rl;
    unsigned max_conn = o->max_connections;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)max_conn + 64)
            max_conn = rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
    }

    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    socklen_t sl;
    struct sockaddr_in *a4 = (struct sockaddr_in *)(void *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)(void *)&ss;
    if (inet_pton(AF_INET, o->address, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)o->port);
        sl = sizeof *a4;
    } else if (inet_pton(AF_INET6, o->address, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)o->port);
        sl = sizeof *a6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(errbuf, errlen, "'%s' is not a numeric IPv4 or IPv6 address", o->address);
        e = SR_EINVAL;
        goto fail;
    }
    (void)sl;
    s->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
                            MHD_OPTION_CONNECTION_LIMIT, max_conn,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SR_SERVE_CONN_MEMORY,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                            MHD_OPTION_END);
    if (!s->d) {
        snprintf(errbuf, errlen, "cannot listen on %s port %u: %s", o->address, o->port,
                 errno ? strerror(errno) : "libmicrohttpd refused the options");
        e = SR_EIO;
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : o->port;
    if (pthread_create(&s->reaper, NULL, reaper_main, s) != 0) {
        snprintf(errbuf, errlen, "cannot start a thread");
        e = SR_ENOMEM;
        goto fail;
    }
    s->reaper_started = true;
    *out = s;
    return SR_OK;
fail:
    sr_serve_stop(s);
    return e;
}

unsigned sr_serve_port(const sr_server *s)
{
    return s->port;
}

void sr_serve_stop(sr_server *s)
{
    if (!s)
        return;
    atomic_store(&s->stopping, true);
    if (s->reaper_started)
        pthread_join(s->reaper, NULL);
    if (s->d)
        MHD_stop_daemon(s->d);
    for (size_t i = 0; i < s->nstores; i++)
        sr_store_close(s->stores[i]);
    free(s->stores);
    if (s->assets) {
        for (size_t i = 0; i < sr_web_nassets; i++) {
            if (s->assets[i].plain) MHD_destroy_response(s->assets[i].plain);
            if (s->assets[i].gz) MHD_destroy_response(s->assets[i].gz);
        }
        free(s->assets);
    }
    if (s->no_dashboard)
        MHD_destroy_response(s->no_dashboard);
    api_cache_free(s->cache);
    free(s->rate);
    free(s->db);
    if (s->token) {
        /* do not leave the secret in freed memory */
        volatile char *p = s->token;
        for (size_t i = 0; i < s->token_len; i++)
            p[i] = 0;
        free(s->token);
    }
    pthread_mutex_destroy(&s->conns_lock);
    pthread_mutex_destroy(&s->stores_lock);
    pthread_mutex_destroy(&s->rate_lock);
    free(s);
}
