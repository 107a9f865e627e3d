/*
 * fetch.c - HTTP for the watch: libcurl's multi interface (one thread,
 * many transfers; HTTP/1.1 and HTTP/2 with multiplexing over TLS, the
 * system's CA store, gzip/deflate/br/zstd undone by libcurl) under a
 * scheduler of our own that owns politeness.
 *
 * Why our own scheduler and not only CURLMOPT_MAX_HOST_CONNECTIONS: over
 * HTTP/2 one connection carries many requests, so a connection limit is
 * not a request limit; and the delay between requests, holds after a
 * Retry-After and robots.txt's Crawl-delay are not libcurl's business.
 * Each host has a FIFO of requests; one starts when the host has fewer
 * than per_host in flight, its delay since the last start has passed and
 * no hold is on.
 *
 * Safety, on every transfer: only http and https; no redirects followed
 * here (the caller sees each 3xx and decides, so robots.txt and the
 * address checks apply to every hop); environment proxies ignored (the
 * address check must see the real peer); every address checked in the
 * open-socket hook, after DNS, so a name resolving to a private address
 * is refused before a packet is sent; caps on header bytes and on decoded
 * body bytes (a decompression bomb is stopped at the cap and named as one
 * when the wire bytes were far fewer).
 */
#include "watch/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "sitrep/ingest.h"

struct wf_host {
    char name[256];
    int inflight;
    double next_start;       /* no start before (monotonic seconds) */
    double delay;
    wf_req *head, *tail;     /* queued */
    struct wf_host *next;
};

struct wf_fetch {
    CURLM *multi;
    wf_opts o;
    wf_done_fn done;
    void *ctx;
    wf_host *hosts;
    size_t queued, running, started;
    int max_per_host;
    wf_req **run;            /* in flight */
    size_t caprun;
    CURL **pool;             /* idle easy handles */
    size_t npool, cappool;
};

double wf_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

void watch_iso_now(char out[24])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void watch_sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    static const char hex[] = "0123456789abcdef";
    if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) || len != 32)
        memset(md, 0, sizeof md);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

static int curl_ready;

wf_fetch *wf_new(const wf_opts *o, wf_done_fn done, void *ctx)
{
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        curl_ready = 1;
    }
    wf_fetch *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->o = *o;
    f->done = done;
    f->ctx = ctx;
    if (!(f->multi = curl_multi_init())) {
        free(f);
        return NULL;
    }
    curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->per_host);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o->max_total);
    return f;
}

static void host_free_all(wf_fetch *f)
{
    wf_host *h = f->hosts;
    while (h) {
        wf_host *nx = h->next;
        for (wf_req *r = h->head; r;) {
            wf_req *rn = r->next;
            r->next = NULL;
            r->host = NULL;
            r = rn;
        }
        free(h);
        h = nx;
    }
    f->hosts = NULL;
}

void wf_free(wf_fetch *f)
{
    if (!f)
        return;
    /* transfers still running are abandoned: their requests stay the
     * caller's (it frees what it submitted) */
    for (size_t i = 0; i < f->running; i++) {
        wf_req *r = f->run[i];
        curl_multi_remove_handle(f->multi, r->easy);
        curl_easy_cleanup(r->easy);
        r->easy = NULL;
        curl_slist_free_all(r->headers);
        r->headers = NULL;
    }
    free(f->run);
    for (size_t i = 0; i < f->npool; i++)
        curl_easy_cleanup(f->pool[i]);
    free(f->pool);
    host_free_all(f);
    curl_multi_cleanup(f->multi);
    free(f);
}

wf_req *wf_req_new(const char *url, int kind, void *user)
{
    wf_req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (!(r->url = strdup(url))) {
        free(r);
        return NULL;
    }
    r->kind = kind;
    r->user = user;
    r->retry_after = -1;
    sr_buf_init(&r->head, 0);
    sr_buf_init(&r->body, 0);
    sr_buf_init(&r->req_head, (size_t)64 << 10);
    return r;
}

sr_err wf_req_reset(wf_req *r, const char *url)
{
    if (url) {
        char *u = strdup(url);
        if (!u)
            return SR_ENOMEM;
        free(r->url);
        r->url = u;
    }
    r->status = 0;
    r->curl_code = 0;
    r->error[0] = '\0';
    r->transient = r->too_large = r->bomb = r->refused = r->header_overflow = false;
    sr_buf_reset(&r->head);
    sr_buf_free(&r->body);
    sr_buf_reset(&r->req_head);
    r->mime[0] = r->content_encoding[0] = r->etag[0] = r->last_modified[0] = '\0';
    free(r->location);
    r->location = NULL;
    r->retry_after = -1;
    r->not_before = 0;
    r->fetched[0] = '\0';
    r->seconds = 0;
    r->raw_bytes = 0;
    return SR_OK;
}

void wf_req_free(wf_req *r)
{
    if (!r)
        return;
    free(r->url);
    free(r->if_none_match);
    free(r->if_modified_since);
    free(r->location);
    sr_buf_free(&r->head);
    sr_buf_free(&r->body);
    sr_buf_free(&r->req_head);
    curl_slist_free_all(r->headers);
    free(r);
}

static wf_host *host_of(wf_fetch *f, const char *url, bool create)
{
    char name[256];
    if (!sr_url_host(url, name, sizeof name))
        snprintf(name, sizeof name, "?");
    for (wf_host *h = f->hosts; h; h = h->next)
        if (strcmp(h->name, name) == 0)
            return h;
    if (!create)
        return NULL;
    wf_host *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    snprintf(h->name, sizeof h->name, "%s", name);
    h->delay = f->o.delay;
    h->next = f->hosts;
    f->hosts = h;
    return h;
}

sr_err wf_submit(wf_fetch *f, wf_req *r)
{
    wf_host *h = host_of(f, r->url, true);
    if (!h)
        return SR_ENOMEM;
    r->host = h;
    r->next = NULL;
    if (h->tail)
        h->tail->next = r;
    else
        h->head = r;
    h->tail = r;
    f->queued++;
    return SR_OK;
}

void wf_hold_host(wf_fetch *f, const char *url, double until)
{
    wf_host *h = host_of(f, url, true);
    if (h && until > h->next_start)
        h->next_start = until;
}

void wf_host_delay(wf_fetch *f, const char *url, double delay)
{
    wf_host *h = host_of(f, url, true);
    if (h && delay > h->delay)
        h->delay = delay;
}

size_t wf_pending(const wf_fetch *f)
{
    return f->queued + f->running;
}

int wf_max_per_host(const wf_fetch *f)
{
    return f->max_per_host;
}

size_t wf_started(const wf_fetch *f)
{
    return f->started;
}

/* ---- libcurl callbacks ---------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    wf_req *r = ud;
    size_t len = size * n;
    if (r->body.len + len > r->body.max) {
        r->too_large = true;
        return 0;     /* abort: CURLE_WRITE_ERROR */
    }
    if (sr_buf_append(&r->body, p, len) != SR_OK) {
        r->too_large = true;
        return 0;
    }
    return len;
}

static void copy_field(char *dst, size_t cap, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* Retry-After: delta-seconds or an HTTP date. */
static long parse_retry_after(const char *v)
{
    char *end;
    long s = strtol(v, &end, 10);
    if (end != v && *end == '\0')
        return s < 0 ? 0 : s;
    char iso[21];
    if (!sr_ingest_date(v, iso) || strlen(iso) < 20)
        return -1;
    struct tm tm = {0};
    if (sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t when = timegm(&tm);
    long d = (long)(when - time(NULL));
    return d < 0 ? 0 : d;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    wf_req *r = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* a new response (after a 1xx): its headers replace the last */
        sr_buf_reset(&r->head);
        r->mime[0] = r->content_encoding[0] = r->etag[0] = r->last_modified[0] = '\0';
        r->retry_after = -1;
    }
    if (sr_buf_append(&r->head, p, len) != SR_OK) {
        r->header_overflow = true;
        return 0;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon)
        return len;
    size_t kn = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vn = len - kn - 1;
#define IS(name) (kn == sizeof(name) - 1 && strncasecmp(p, name, kn) == 0)
    if (IS("Content-Type")) {
        char buf[256];
        copy_field(buf, sizeof buf, v, vn);
        buf[strcspn(buf, "; ")] = '\0';
        for (char *c = buf; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        snprintf(r->mime, sizeof r->mime, "%.127s", buf);
    } else if (IS("Content-Encoding")) {
        copy_field(r->content_encoding, sizeof r->content_encoding, v, vn);
    } else if (IS("ETag")) {
        copy_field(r->etag, sizeof r->etag, v, vn);
    } else if (IS("Last-Modified")) {
        copy_field(r->last_modified, sizeof r->last_modified, v, vn);
    } else if (IS("Content-Length")) {
        /* room for the body at once, not by doubling (capped) */
        char buf[32];
        copy_field(buf, sizeof buf, v, vn);
        char *end;
        unsigned long long cl = strtoull(buf, &end, 10);
        if (end != buf && cl > 0 && cl <= r->body.max && r->body.len == 0)
            sr_buf_reserve(&r->body, (size_t)cl);
    } else if (IS("Retry-After")) {
        char buf[128];
        copy_field(buf, sizeof buf, v, vn);
        r->retry_after = parse_retry_after(buf);
    }
#undef IS
    return len;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
    (void)h;
    wf_req *r = ud;
    if (type == CURLINFO_HEADER_OUT && r->want_request_head) {
        sr_buf_reset(&r->req_head);    /* the last request sent is the one */
        sr_buf_append(&r->req_head, data, size);
    }
    return 0;
}

/* Every address a connection is about to be made to, after DNS, for
 * every hop: refuse what is not public unless allowed. */
static curl_socket_t on_open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    wf_req *r = ud;
    const char *why = NULL;
    (void)purpose;
    if (!sr_addr_allowed(&a->addr, r->allow, &why)) {
        r->refused = true;
        snprintf(r->error, sizeof r->error,
                 "refused to connect: the host resolves to a %s address "
                 "(only public addresses are fetched; see --allow-private)", why);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

/* ---- starting and finishing transfers ------------------------------------- */

static CURL *easy_get(wf_fetch *f)
{
    if (f->npool > 0) {
        CURL *h = f->pool[--f->npool];
        curl_easy_reset(h);
        return h;
    }
    return curl_easy_init();
}

static void easy_put(wf_fetch *f, CURL *h)
{
    if (f->npool < 64 && !sr_grow((void **)&f->pool, &f->cappool, f->npool + 1, sizeof *f->pool))
        f->pool[f->npool++] = h;
    else
        curl_easy_cleanup(h);
}

static sr_err start(wf_fetch *f, wf_req *r)
{
    CURL *h = easy_get(f);
    if (!h)
        return SR_ENOMEM;
    r->easy = h;
    r->allow = f->o.allow;
    r->started_at = wf_now();
    r->body.max = r->max_body ? r->max_body : f->o.max_body;
    r->head.max = f->o.max_header;
    struct curl_slist *hd = NULL, *t;
    char line[512];
    hd = curl_slist_append(hd, "Accept: text/html,application/xhtml+xml,application/rss+xml,"
                               "application/atom+xml,application/feed+json,application/xml;q=0.9,"
                               "*/*;q=0.8");
    if (hd && r->if_none_match) {
        snprintf(line, sizeof line, "If-None-Match: %s", r->if_none_match);
        hd = (t = curl_slist_append(hd, line)) ? t : hd;
    }
    if (hd && r->if_modified_since) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", r->if_modified_since);
        hd = (t = curl_slist_append(hd, line)) ? t : hd;
    }
    r->headers = hd;
    curl_easy_setopt(h, CURLOPT_URL, r->url);
    curl_easy_setopt(h, CURLOPT_PRIVATE, (char *)r);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    /* no CURLOPT_PIPEWAIT: over HTTP/1.1 it made the second request to a
     * host wait for the first to end (one at a time); over HTTP/2 our own
     * per-host limit already keeps the streams few */
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");     /* all libcurl decodes */
    curl_easy_setopt(h, CURLOPT_USERAGENT, f->o.user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(f->o.connect_timeout * 1000));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(f->o.timeout * 1000));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, f->o.low_speed_bytes);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, f->o.low_speed_time);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->body.max);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, r);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    /* pages are tens to hundreds of KiB: fewer, larger reads */
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 128L << 10);
    if (r->want_request_head) {
        /* the debug hook (which sees the request headers sent, for the
         * WARC request record) runs only in verbose mode */
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, r);
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    }
    r->errbuf[0] = '\0';
    if (curl_multi_add_handle(f->multi, h) != CURLM_OK) {
        curl_slist_free_all(hd);
        r->headers = NULL;
        curl_easy_cleanup(h);
        r->easy = NULL;
        return SR_ENOMEM;
    }
    return SR_OK;
}

/* Start every queued request politeness allows now. */
/* The first queued request of h that may start at `now` (a request
 * waiting out its own retry backoff lets the ones behind it go), unlinked;
 * NULL if none. */
static wf_req *take_ready(wf_fetch *f, wf_host *h, double now)
{
    wf_req *prev = NULL;
    for (wf_req *r = h->head; r; prev = r, r = r->next) {
        if (r->not_before > now)
            continue;
        if (prev)
            prev->next = r->next;
        else
            h->head = r->next;
        if (h->tail == r)
            h->tail = prev;
        r->next = NULL;
        f->queued--;
        return r;
    }
    return NULL;
}

static void start_ready(wf_fetch *f)
{
    double now = wf_now();
    for (wf_host *h = f->hosts; h; h = h->next) {
        wf_req *r;
        while (h->head && h->inflight < f->o.per_host && now >= h->next_start &&
               (int)f->running < f->o.max_total && (r = take_ready(f, h, now)) != NULL) {
            if (sr_grow((void **)&f->run, &f->caprun, f->running + 1, sizeof *f->run) ||
                start(f, r) != SR_OK) {
                snprintf(r->error, sizeof r->error, "out of memory starting the request");
                f->done(r, f->ctx);
                continue;
            }
            h->inflight++;
            if (h->inflight > f->max_per_host)
                f->max_per_host = h->inflight;
            f->run[f->running++] = r;
            f->started++;
            h->next_start = now + h->delay;
        }
    }
}

/* The soonest a queued request may start, as a poll timeout in ms. */
static int next_start_ms(const wf_fetch *f, int cap)
{
    double now = wf_now(), best = -1;
    for (const wf_host *h = f->hosts; h; h = h->next) {
        if (!h->head || h->inflight >= f->o.per_host)
            continue;
        double soonest = -1;
        for (const wf_req *r = h->head; r; r = r->next)
            if (soonest < 0 || r->not_before < soonest)
                soonest = r->not_before;
        double at = soonest > h->next_start ? soonest : h->next_start;
        if (best < 0 || at < best)
            best = at;
    }
    if (best < 0)
        return cap;
    double ms = (best - now) * 1000.0;
    if (ms < 0)
        return 0;
    return ms < cap ? (int)ms + 1 : cap;
}

static void finish(wf_fetch *f, CURL *h, CURLcode code)
{
    wf_req *r = NULL;
    curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&r);
    curl_multi_remove_handle(f->multi, h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_off_t raw = 0;
    curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &raw);
    char *loc = NULL;
    if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc)
        r->location = strdup(loc);
    r->status = (int)status;
    r->curl_code = (int)code;
    r->raw_bytes = (unsigned long long)raw;
    r->seconds = wf_now() - r->started_at;
    watch_iso_now(r->fetched);
    curl_slist_free_all(r->headers);
    r->headers = NULL;
    r->easy = NULL;
    easy_put(f, h);
    if (code != CURLE_OK) {
        r->status = code == CURLE_WRITE_ERROR || code == CURLE_FILESIZE_EXCEEDED ? r->status : 0;
        if (r->refused) {
            /* error already says which address */
        } else if (r->too_large || code == CURLE_FILESIZE_EXCEEDED) {
            r->too_large = true;
            /* decoded bytes far past the wire bytes: a decompression bomb */
            r->bomb = r->content_encoding[0] && r->raw_bytes * 20 < r->body.len;
            if (r->bomb)
                snprintf(r->error, sizeof r->error,
                         "decompression bomb: %llu KiB of %s inflate past the %zu KiB cap",
                         r->raw_bytes >> 10, r->content_encoding, r->body.max >> 10);
            else
                snprintf(r->error, sizeof r->error, "response larger than the %zu KiB cap",
                         r->body.max >> 10);
        } else if (r->header_overflow) {
            snprintf(r->error, sizeof r->error, "response headers over the %zu KiB cap",
                     r->head.max >> 10);
        } else if (code == CURLE_OPERATION_TIMEDOUT) {
            r->transient = true;
            snprintf(r->error, sizeof r->error, "timed out after %.1fs (%.200s)", r->seconds,
                     r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
        } else {
            r->transient = code == CURLE_COULDNT_CONNECT || code == CURLE_RECV_ERROR ||
                           code == CURLE_SEND_ERROR || code == CURLE_PARTIAL_FILE ||
                           code == CURLE_GOT_NOTHING || code == CURLE_COULDNT_RESOLVE_HOST ||
                           code == CURLE_HTTP2 || code == CURLE_HTTP2_STREAM ||
                           code == CURLE_BAD_CONTENT_ENCODING;
            snprintf(r->error, sizeof r->error, "%.250s",
                     r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
            size_t n = strlen(r->error);
            while (n > 0 && (r->error[n - 1] == '\n' || r->error[n - 1] == ' '))
                r->error[--n] = '\0';
        }
    } else if (r->status == 429 || r->status >= 500) {
        r->transient = true;
    }
    r->host->inflight--;
    for (size_t i = 0; i < f->running; i++)
        if (f->run[i] == r) {
            f->run[i] = f->run[--f->running];
            break;
        }
    f->done(r, f->ctx);
}

/* Hand finished transfers to the done callback, start what may start
 * and get it going; how many finished. */
static size_t settle(wf_fetch *f)
{
    size_t n = 0;
    int running = 0;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(f->multi, &left)) != NULL)
        if (m->msg == CURLMSG_DONE) {
            finish(f, m->easy_handle, m->data.result);
            n++;
        }
    size_t before = f->started;
    start_ready(f);
    if (f->started != before)
        curl_multi_perform(f->multi, &running);   /* send what just started */
    return n;
}

size_t wf_run(wf_fetch *f, int timeout_ms)
{
    int running = 0;
    start_ready(f);
    curl_multi_perform(f->multi, &running);
    /* transfers that ended in that perform are handed over now: polling
     * first would wait out the timeout with nothing left to wait for */
    if (settle(f) > 0)
        return wf_pending(f);
    int wait = next_start_ms(f, timeout_ms);
    /* libcurl's own timers (a handle just added, a connect in progress) */
    long ct = -1;
    if (curl_multi_timeout(f->multi, &ct) == CURLM_OK && ct >= 0 && ct < wait)
        wait = (int)ct;
    if (f->running > 0 || wait > 0)
        curl_multi_poll(f->multi, NULL, 0, wait, NULL);
    curl_multi_perform(f->multi, &running);
    settle(f);
    return wf_pending(f);
}

void wf_abort_all(wf_fetch *f)
{
    /* the done callback may submit again; it is told the fetch is over by
     * curl_code -1, and a bounded number of rounds ends it regardless */
    for (int round = 0; round < 8 && wf_pending(f) > 0; round++) {
        while (f->running > 0) {
            wf_req *r = f->run[--f->running];
            curl_multi_remove_handle(f->multi, r->easy);
            easy_put(f, r->easy);
            r->easy = NULL;
            curl_slist_free_all(r->headers);
            r->headers = NULL;
            r->host->inflight--;
            r->curl_code = -1;
            snprintf(r->error, sizeof r->error, "stopped before it finished");
            f->done(r, f->ctx);
        }
        for (wf_host *h = f->hosts; h; h = h->next)
            while (h->head) {
                wf_req *r = h->head;
                h->head = r->next;
                if (!h->head)
                    h->tail = NULL;
                r->next = NULL;
                f->queued--;
                r->curl_code = -1;
                snprintf(r->error, sizeof r->error, "stopped before it started");
                f->done(r, f->ctx);
            }
    }
}

void wf_cancel_host(wf_fetch *f, const char *url)
{
    wf_host *h = host_of(f, url, false);
    if (!h)
        return;
    /* detach the queue first: the callback may submit to this host again */
    wf_req *r = h->head;
    h->head = h->tail = NULL;
    while (r) {
        wf_req *next = r->next;
        r->next = NULL;
        f->queued--;
        r->curl_code = -2;
        snprintf(r->error, sizeof r->error, "not started: the host asked us to wait");
        f->done(r, f->ctx);
        r = next;
    }
}
