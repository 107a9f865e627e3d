/*
 * watch.c - the poll cycle of `sitrep watch` (see sitrep/watch.h).
 *
 * A cycle: the sources that are due are polled (conditional GET: a 304
 * costs a status line); each new entry's URL is normalised and, unless the
 * store has seen it, recorded as pending together with the feed's new
 * validators (one commit, so a kill can neither lose an entry nor make a
 * 304 hide one); then every pending URL (this cycle's and those an earlier
 * run left) is fetched and its page goes through the WARC reader, the
 * extractor, the coder and the store, exactly as `sitrep ingest` reads a
 * WARC record.  That is deliberate: the record handed to the reader
 * (sr_warc_record_docs) has the fields and the block --warc writes, so a
 * capture replayed with `sitrep ingest` gives the same documents.
 *
 * Politeness and failure, per request: robots.txt first (per origin,
 * cached in the store for a day; a 4xx robots.txt allows everything, one
 * that cannot be had defers the origin to the next cycle); redirects are
 * followed here, at most 5 hops, each through the same robots and address
 * checks; 429, 5xx, timeouts and resets are retried up to 3 times in the
 * cycle after an exponential wait with jitter, or after Retry-After when it
 * fits in a minute (a longer one defers the host to a later cycle).  A
 * source whose poll still fails is polled again after its interval times
 * 2^failures (at most a day), and its row says why: slowed, never dropped.
 * A page that cannot be had for good (404, not HTML, too large, a
 * decompression bomb, disallowed, redirected to a private address, or
 * still failing after 3 cycles) is replaced by the feed entry's own text
 * when the entry had some, marked "text_from":"feed" in its metadata.
 */
#include "watch/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "sitrep/ingest.h"

#define MAX_HOPS      5
#define MAX_TRIES     3        /* attempts of one request within a cycle */
#define MAX_WAIT      60.0     /* longest wait for a retry within a cycle (s) */
#define PAGE_CYCLES   3        /* cycles a failing page is retried */
#define ROBOTS_MAX_AGE 86400
#define ROBOTS_MAX_DELAY 30.0  /* Crawl-delay honoured up to this */
#define MAX_CHILDREN  50       /* child sitemaps of an index, per poll */
#define COMMIT_DOCS   64
#define COMMIT_SECS   2.0
#define AGENT         "sitrep"

enum { JOB_ROBOTS = 1, JOB_FEED, JOB_CHILD, JOB_PAGE };

typedef struct src {
    int64_t id;
    char *url, *name, *etag, *last_modified;
    long interval;
    int failures;
    int64_t next_poll;
    bool active;
    bool polled;             /* polled in this cycle */
    int children;            /* child sitemaps started this poll */
} src;

typedef struct job {
    int kind;
    src *source;             /* NULL for a page whose source left SOURCES */
    int64_t source_id;
    char *key;               /* page: the entry's normalised URL */
    char *entry;             /* page: the entry as JSON (the fallback) */
    char *outlet;            /* page: outlet for pages that name none */
    char *visited[MAX_HOPS + 1];
    int nvisited;
    int tries;
    int prior;               /* page: attempts in earlier cycles */
    struct origin *robots_for;   /* robots: whose */
    wf_req *req;
} job;

typedef struct origin {
    char name[320];
    int state;               /* 0 unknown, 1 fetching, 2 ready */
    sr_robots *rules;
    double ready_at;         /* wf_now() when rules were set */
    double deferred_until;   /* a Retry-After past the cycle */
    job **parked;
    size_t nparked, capparked;
    struct origin *next;
} origin;

typedef struct watcher {
    sr_store *st;
    const sr_watch_opts *o;
    sr_watch_store_fn fn;
    void *fnctx;
    sr_watch_stats *stats;
    wf_fetch *f;
    sr_warc_writer *warc;
    src *srcs;
    size_t nsrcs;
    origin *origins;
    int fatal;
    char *err;
    size_t errlen;
    bool stopping;
    sr_buf rec, blk, line;
    size_t since_commit;
    double last_commit;
    char last_diag[512];
    bool tty_dirty;
    double last_status;
    size_t polls_due, polls_done, pages_queued;
    char resp_id[48];        /* the last response record's id */
    char user_agent[128];
} watcher;

/* Skip and warning lines: clear the status line first, and remember the
 * last one (a poll that fails to parse says why in the sources table). */
static void on_diag(const char *line, void *ctx)
{
    watcher *w = ctx;
    if (w->tty_dirty) {
        fputs("\r\033[K", stderr);
        w->tty_dirty = false;
    }
    fprintf(stderr, "%s\n", line);
    const char *reason = line;
    /* "sitrep: FILE[:RECORD]: reason" -> reason (URLs hold colons too) */
    const char *p = strstr(line, ": ");
    while (p && strstr(p + 2, ": "))
        p = strstr(p + 2, ": ");
    if (p)
        reason = p + 2;
    snprintf(w->last_diag, sizeof w->last_diag, "%s", reason);
}

static int64_t now_unix(void)
{
    return (int64_t)time(NULL);
}

static double jitter(void)
{
    return 0.5 + (double)random() / (double)RAND_MAX;   /* 0.5 .. 1.5 */
}

static void fail(watcher *w, sr_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(watcher *w, sr_err e, const char *fmt, ...)
{
    if (w->fatal)
        return;
    w->fatal = e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
}

/* ---- jobs ------------------------------------------------------------------ */

static job *job_new(watcher *w, int kind, const char *url, src *s)
{
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->req = wf_req_new(url, kind, j))) {
        free(j);
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return NULL;
    }
    j->kind = kind;
    j->source = s;
    j->source_id = s ? s->id : 0;
    j->req->want_request_head = w->warc != NULL;
    j->req->max_body = kind == JOB_ROBOTS ? SR_ROBOTS_MAX_BYTES : 0;
    return j;
}

static void job_free(job *j)
{
    if (!j)
        return;
    wf_req_free(j->req);
    free(j->key);
    free(j->entry);
    free(j->outlet);
    for (int i = 0; i < j->nvisited; i++)
        free(j->visited[i]);
    free(j);
}

static src *src_by_id(watcher *w, int64_t id)
{
    for (size_t i = 0; i < w->nsrcs; i++)
        if (w->srcs[i].id == id)
            return &w->srcs[i];
    return NULL;
}

/* ---- commits ----------------------------------------------------------------- */

static void commit(watcher *w)
{
    if (w->fatal)
        return;
    if (sr_store_commit(w->st) != SR_OK)
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    w->since_commit = 0;
    w->last_commit = wf_now();
}

static void maybe_commit(watcher *w)
{
    if (w->since_commit >= COMMIT_DOCS || wf_now() - w->last_commit > COMMIT_SECS)
        commit(w);
}

/* ---- WARC -------------------------------------------------------------------- */

static void warc_write(watcher *w, const char *bytes, size_t len)
{
    if (!w->warc || w->fatal)
        return;
    if (sr_warc_writer_add_built(w->warc, bytes, len) != SR_OK)
        fail(w, SR_EIO, "--warc: %s", sr_warc_writer_error(w->warc));
}

/* The request record (if kept) and the response record of a finished
 * request; the response record is left in w->rec for the reader. */
/* The response's HTTP block in w->blk and, with --warc, its whole record
 * in w->rec; resp_id gets the record's id. */
static sr_err build_response(watcher *w, const wf_req *r, const char *outlet, char *resp_id)
{
    size_t off = 0;
    sr_buf_reset(&w->blk);
    sr_buf_reset(&w->rec);
    sr_err e = watch_http_block(&w->blk, r->head.p ? r->head.p : "", r->head.len,
                                r->body.p ? r->body.p : "", r->body.len, &off);
    if (e)
        return e;
    sr_warc_new_id(resp_id);
    if (!w->warc)
        return SR_OK;
    sr_warc_out o = { "response", r->url, r->fetched, resp_id, NULL,
                      "application/http;msgtype=response", outlet, w->blk.p, w->blk.len, off,
                      false };
    return sr_warc_record_build(&w->rec, &o);
}

/* Write the request and response records of r (--warc); with keep_block,
 * leave the response's block in w->blk for the reader even without. */
static void archive(watcher *w, const wf_req *r, const char *outlet, bool keep_block)
{
    char *id = w->resp_id;
    if (!w->warc && !keep_block)
        return;
    if (build_response(w, r, outlet, id) != SR_OK) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return;
    }
    if (!w->warc)
        return;
    if (r->req_head.len > 0) {
        sr_buf req = SR_BUF_INIT(0);
        char rid[48];
        sr_warc_new_id(rid);
        sr_warc_out o = { "request", r->url, r->fetched, rid, id,
                          "application/http;msgtype=request", NULL, r->req_head.p,
                          r->req_head.len, 0, false };
        if (sr_warc_record_build(&req, &o) == SR_OK)
            warc_write(w, req.p, req.len);
        sr_buf_free(&req);
    }
    warc_write(w, w->rec.p, w->rec.len);
}

/* ---- documents --------------------------------------------------------------- */

typedef struct page_ctx {
    watcher *w;
    const char *path;
    size_t docs, stored, duplicates;
    int64_t doc_id;
} page_ctx;

static int on_doc(const sr_doc *doc, void *ctx)
{
    page_ctx *pc = ctx;
    watcher *w = pc->w;
    sr_doc d = *doc;
    d.path = pc->path;
    d.record = NULL;
    sr_watch_doc_result res = {0};
    int rc = w->fn(&d, &res, w->fnctx);
    if (rc) {
        if (!w->fatal) {
            w->fatal = rc;
            snprintf(w->err, w->errlen, "storing %s failed", pc->path);
        }
        return rc;
    }
    pc->docs++;
    pc->stored += res.stored;
    pc->duplicates += res.duplicate;
    if (res.doc_id && !pc->doc_id)
        pc->doc_id = res.doc_id;
    w->since_commit++;
    return 0;
}

static void count_docs(watcher *w, job *j, const page_ctx *pc, bool feed_text)
{
    w->stats->stored += pc->stored;
    w->stats->duplicates += pc->duplicates;
    if (feed_text)
        w->stats->feed_text += pc->docs > 0;
    if (pc->stored && j->source_id && sr_watch_state_add_docs(w->st, j->source_id,
                                                              (int64_t)pc->stored))
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
}

static const char *json_str(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

/* The page cannot be had: store the feed entry's text instead, marked so,
 * or settle the URL as failed.  why is said once on stderr. */
static void page_fallback(watcher *w, job *j, const char *why, bool say)
{
    json_t *e = j->entry ? json_loads(j->entry, 0, NULL) : NULL;
    const char *text = e ? json_str(e, "text") : NULL;
    page_ctx pc = { w, j->key, 0, 0, 0, 0 };
    if (text) {
        json_t *o = json_object();
        char *line = NULL;
        if (o) {
            json_object_set_new(o, "url", json_string(j->key));
            const char *keys[] = {"outlet", "published", "title", "author"};
            for (size_t i = 0; i < 4; i++)
                if (json_str(e, keys[i]))
                    json_object_set(o, keys[i], json_object_get(e, keys[i]));
            json_object_set_new(o, "text", json_string(text));
            json_object_set_new(o, "text_from", json_string("feed"));
            json_object_set_new(o, "page_error", json_string(why));
            line = json_dumps(o, JSON_COMPACT);
            json_decref(o);
        }
        if (!line) {
            json_decref(e);
            fail(w, SR_ENOMEM, "%s", "out of memory");
            return;
        }
        size_t n = strlen(line);
        if (w->warc) {
            /* a resource record, so `sitrep ingest` replays this document */
            char iso[24];
            watch_iso_now(iso);
            sr_buf_reset(&w->rec);
            sr_warc_out ro = { "resource", j->key, iso, NULL, NULL, "application/x-ndjson",
                               NULL, line, n, 0, false };
            if (sr_warc_record_build(&w->rec, &ro) == SR_OK)
                warc_write(w, w->rec.p, w->rec.len);
        }
        sr_in *in = NULL;
        if (sr_in_open_mem(line, n, &in) == SR_OK) {
            sr_ingest_opts io = {0, NULL};
            sr_jsonl_read(in, j->key, &io, on_doc, &pc);
            sr_in_close(in);
        }
        free(line);
    }
    json_decref(e);
    if (w->fatal)
        return;
    if (pc.docs > 0) {
        if (say)
            sr_skip(j->key, NULL, "%s; stored the feed entry's text instead", why);
        count_docs(w, j, &pc, true);
        if (sr_watch_state_url_set(w->st, j->key, SR_URL_FEED_TEXT, pc.doc_id, why))
            fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    } else {
        if (say)
            sr_skip(j->key, NULL, "%s; skipped%s", why,
                    text ? "" : " (the feed entry has no text to use instead)");
        w->stats->page_errors++;
        if (sr_watch_state_url_set(w->st, j->key, SR_URL_FAILED, 0, why))
            fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    }
    maybe_commit(w);
}

static bool is_html_mime(const char *m)
{
    return !strcmp(m, "text/html") || !strcmp(m, "application/xhtml+xml");
}

static void page_response(watcher *w, job *j)
{
    wf_req *r = j->req;
    char why[320];
    const char *mime = r->mime;
    if (!mime[0]) {
        size_t n = r->body.len < 4096 ? r->body.len : 4096;
        if (sr_ingest_detect((const unsigned char *)(r->body.p ? r->body.p : ""), n, NULL) ==
            SR_KIND_HTML)
            mime = "text/html";
    }
    archive(w, r, j->outlet, true);
    if (w->fatal)
        return;
    if (!is_html_mime(mime)) {
        snprintf(why, sizeof why, "not an HTML page (Content-Type %s)", mime[0] ? mime : "unknown");
        page_fallback(w, j, why, true);
        return;
    }
    if (r->body.len == 0) {
        page_fallback(w, j, "empty page", true);
        return;
    }
    /* the record --warc wrote (its fields and block: w->blk), to the
     * reader `sitrep ingest` gives every record of a WARC */
    page_ctx pc = { w, r->url, 0, 0, 0, 0 };
    sr_warc_record rec;
    memset(&rec, 0, sizeof rec);
    rec.number = 1;
    rec.type = "response";
    rec.target_uri = r->url;
    rec.date = r->fetched;
    rec.record_id = w->resp_id;
    rec.content_type = "application/http;msgtype=response";
    rec.block = w->blk.p;
    rec.block_len = w->blk.len;
    rec.outlet = j->outlet;
    sr_ingest_opts io = {0, NULL};
    int rc = sr_warc_record_docs(&rec, r->url, &io, on_doc, &pc);
    if (rc == SR_ENOMEM)
        fail(w, SR_ENOMEM, "%s", "out of memory");
    if (w->fatal)
        return;
    if (pc.docs == 0) {
        /* the reader said why on stderr already */
        page_fallback(w, j, w->last_diag[0] ? w->last_diag : "no article text in the page", false);
        return;
    }
    count_docs(w, j, &pc, false);
    sr_err e = sr_watch_state_url_set(w->st, j->key, SR_URL_DONE, pc.doc_id, NULL);
    if (!e && strcmp(r->url, j->key) != 0)
        e = sr_watch_state_url_set(w->st, r->url, SR_URL_DONE, pc.doc_id, "redirect target");
    if (e)
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    maybe_commit(w);
}

/* ---- submitting, with robots.txt and the address check -------------------------- */

static origin *origin_of(watcher *w, const char *url)
{
    char name[320];
    if (!sr_url_origin(url, name, sizeof name))
        return NULL;
    for (origin *o = w->origins; o; o = o->next)
        if (!strcmp(o->name, name))
            return o;
    origin *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    snprintf(o->name, sizeof o->name, "%s", name);
    o->next = w->origins;
    w->origins = o;
    return o;
}

static void settle_failure(watcher *w, job *j, const char *why, bool transient, bool deferred);
static void submit(watcher *w, job *j);

static void set_rules(watcher *w, origin *og, sr_robots *rules)
{
    sr_robots_free(og->rules);
    og->rules = rules;
    og->state = 2;
    og->ready_at = wf_now();
    double cd = sr_robots_crawl_delay(rules);
    if (cd > 0) {
        char url[340];
        snprintf(url, sizeof url, "%s/", og->name);
        wf_host_delay(w->f, url, cd < ROBOTS_MAX_DELAY ? cd : ROBOTS_MAX_DELAY);
    }
}

static void release_parked(watcher *w, origin *og)
{
    /* detached first: submit may park again (never while state == 2) */
    job **p = og->parked;
    size_t n = og->nparked;
    og->parked = NULL;
    og->nparked = og->capparked = 0;
    for (size_t i = 0; i < n; i++)
        submit(w, p[i]);
    free(p);
}

static void robots_start(watcher *w, origin *og)
{
    char *body = NULL;
    size_t len = 0;
    int status = 0;
    if (sr_watch_state_robots_get(w->st, og->name, now_unix(), ROBOTS_MAX_AGE, &status, &body,
                                  &len)) {
        sr_robots *rules = status >= 200 && status < 300 ? sr_robots_parse(body, len, AGENT)
                                                          : sr_robots_uniform(1);
        free(body);
        if (!rules) {
            fail(w, SR_ENOMEM, "%s", "out of memory");
            return;
        }
        set_rules(w, og, rules);
        release_parked(w, og);
        return;
    }
    char url[340];
    snprintf(url, sizeof url, "%s/robots.txt", og->name);
    job *j = job_new(w, JOB_ROBOTS, url, NULL);
    if (!j)
        return;
    j->robots_for = og;
    og->state = 1;
    submit(w, j);
}

static void submit(watcher *w, job *j)
{
    if (w->stopping || w->fatal) {
        job_free(j);
        return;
    }
    const char *url = j->req->url;
    char host[256];
    const char *why = NULL;
    if (sr_url_host(url, host, sizeof host) &&
        sr_addr_literal_allowed(host, &w->o->allow, &why) == 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "refused: %s is a %s address (only public addresses are "
                                  "fetched; see --allow-private)", host, why);
        settle_failure(w, j, msg, false, false);
        return;
    }
    if (j->kind == JOB_ROBOTS) {
        if (wf_submit(w->f, j->req) != SR_OK)
            fail(w, SR_ENOMEM, "%s", "out of memory");
        return;
    }
    origin *og = origin_of(w, url);
    if (!og) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        job_free(j);
        return;
    }
    if (og->deferred_until > wf_now()) {
        settle_failure(w, j, "the host asked us to wait (Retry-After) past this cycle", true, true);
        return;
    }
    if (og->state == 2 && wf_now() - og->ready_at > ROBOTS_MAX_AGE)
        og->state = 0;    /* a day-old robots.txt is fetched again */
    if (og->state == 2) {
        if (!sr_robots_allowed(og->rules, sr_url_path(url))) {
            w->stats->robots_refused++;
            settle_failure(w, j, "disallowed by robots.txt", false, false);
            return;
        }
        if (wf_submit(w->f, j->req) != SR_OK)
            fail(w, SR_ENOMEM, "%s", "out of memory");
        return;
    }
    if (sr_grow((void **)&og->parked, &og->capparked, og->nparked + 1, sizeof *og->parked)) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        job_free(j);
        return;
    }
    og->parked[og->nparked++] = j;
    if (og->state == 0)
        robots_start(w, og);
}

/* ---- failures and retries ---------------------------------------------------------- */

static int64_t backoff_next(const src *s, long retry_after)
{
    int f = s->failures + 1;
    double d = (double)s->interval * pow(2.0, f > 10 ? 10 : f - 1);
    if (d > 86400)
        d = s->interval > 86400 ? (double)s->interval : 86400;
    d *= 0.9 + 0.2 * (double)random() / (double)RAND_MAX;
    if (retry_after > d)
        d = (double)retry_after;
    return now_unix() + (int64_t)d;
}

static void poll_failed(watcher *w, job *j, const char *why)
{
    src *s = j->source;
    w->stats->poll_errors++;
    w->polls_done++;
    if (!s)
        return;
    sr_watch_poll p = {0};
    p.status = j->req->status;
    p.fetched = now_unix();
    p.next_poll = backoff_next(s, j->req->retry_after);
    p.error = why;
    s->failures++;
    if (sr_watch_state_polled(w->st, s->id, &p) != SR_OK)
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    sr_skip(s->url, NULL, "poll failed: %s; next poll in %llds (failure %d)", why,
            (long long)(p.next_poll - p.fetched), s->failures);
    commit(w);
}

/* A request that will not give what was asked: retry it in this cycle
 * when that makes sense, else settle it for its kind. */
static void settle_failure(watcher *w, job *j, const char *why, bool transient, bool deferred)
{
    wf_req *r = j->req;
    bool host_wide = r->retry_after >= 0 || r->status == 429 || r->status == 503;
    if (transient && !deferred && !w->stopping && j->tries + 1 < MAX_TRIES) {
        double wait = r->retry_after >= 0 ? (double)r->retry_after
                                          : w->o->retry_wait * pow(2.0, j->tries) * jitter();
        if (wait <= MAX_WAIT) {
            if (j->kind == JOB_FEED && j->source) {
                /* the source's row keeps it even if the retry works */
                char note[400];
                snprintf(note, sizeof note, "%s (retried in the same cycle)", why);
                if (sr_watch_state_source_error(w->st, j->source_id, note))
                    fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
            }
            j->tries++;
            char *url = strdup(r->url);
            if (!url || wf_req_reset(r, url) != SR_OK) {
                free(url);
                fail(w, SR_ENOMEM, "%s", "out of memory");
                job_free(j);
                return;
            }
            free(url);
            /* the server said slow down (429, 503, Retry-After): the whole
             * host waits; a timeout or a reset delays this request only */
            if (host_wide)
                wf_hold_host(w->f, r->url, wf_now() + wait);
            else
                r->not_before = wf_now() + wait;
            submit(w, j);
            return;
        }
        /* a wait past the cycle: this host is left alone until then */
        origin *og = origin_of(w, r->url);
        if (og)
            og->deferred_until = wf_now() + wait;
        wf_cancel_host(w->f, r->url);
        deferred = true;
    }
    switch (j->kind) {
    case JOB_ROBOTS: {
        /* robots.txt could not be had: the origin waits for a later cycle
         * (RFC 9309 says treat as disallowed; we do not guess either way) */
        origin *og = j->robots_for;
        og->state = 0;
        og->deferred_until = wf_now() + 1e9;
        char msg[400];
        snprintf(msg, sizeof msg, "robots.txt could not be fetched (%s)", why);
        job **p = og->parked;
        size_t n = og->nparked;
        og->parked = NULL;
        og->nparked = og->capparked = 0;
        for (size_t i = 0; i < n; i++)
            settle_failure(w, p[i], msg, true, true);
        free(p);
        break;
    }
    case JOB_FEED:
        poll_failed(w, j, why);
        break;
    case JOB_CHILD:
        sr_skip(r->url, NULL, "child sitemap: %s", why);
        break;
    case JOB_PAGE:
        if (transient) {
            /* left pending for a later cycle; after PAGE_CYCLES the feed's
             * text stands in */
            int n = deferred ? j->prior : sr_watch_state_url_attempt(w->st, j->key, why);
            if (!deferred && n >= PAGE_CYCLES) {
                char msg[400];
                snprintf(msg, sizeof msg, "%s (%d cycles)", why, n);
                page_fallback(w, j, msg, true);
            } else {
                sr_warn(j->key, NULL, "%s; will try again next cycle", why);
                w->stats->page_errors++;
            }
        } else {
            page_fallback(w, j, why, true);
        }
        break;
    }
    job_free(j);
}

/* ---- responses ------------------------------------------------------------------------ */

static void follow(watcher *w, job *j)
{
    wf_req *r = j->req;
    char *next = NULL;
    char why[300];
    sr_err e = r->location ? sr_url_normalize(r->location, r->url, &next) : SR_EPARSE;
    if (e == SR_ENOMEM) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        job_free(j);
        return;
    }
    if (e) {
        snprintf(why, sizeof why, "HTTP %d redirect to %s", r->status,
                 e == SR_EINVAL ? "a scheme other than http or https" : "no usable URL");
        free(next);
        settle_failure(w, j, why, false, false);
        return;
    }
    bool loop = strcmp(next, r->url) == 0;
    for (int i = 0; i < j->nvisited && !loop; i++)
        loop = strcmp(j->visited[i], next) == 0;
    if (loop || j->nvisited >= MAX_HOPS) {
        snprintf(why, sizeof why, loop ? "redirect loop (back to %s)"
                                       : "more than 5 redirects (last to %s)", next);
        free(next);
        settle_failure(w, j, why, false, false);
        return;
    }
    char *prev = strdup(r->url);
    if (!prev || wf_req_reset(r, next) != SR_OK) {
        free(prev);
        free(next);
        fail(w, SR_ENOMEM, "%s", "out of memory");
        job_free(j);
        return;
    }
    free(next);
    j->visited[j->nvisited++] = prev;
    j->tries = 0;
    if (j->kind == JOB_PAGE) {
        int state;
        if (sr_watch_state_url_known(w->st, r->url, &state) && state != SR_URL_PENDING &&
            strcmp(r->url, j->key) != 0) {
            /* it redirects to a page already settled: nothing to fetch */
            if (sr_watch_state_url_set(w->st, j->key, state, 0, "redirects to a page already seen"))
                fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
            w->stats->duplicates++;
            job_free(j);
            return;
        }
    }
    submit(w, j);
}

/* Entries of a feed or sitemap, as they are read. */
typedef struct poll_ctx {
    watcher *w;
    job *feed;
    size_t entries, fresh, over;
    const char *outlet;      /* for the pages: SOURCES name, else the feed's */
} poll_ctx;

static void new_page(poll_ctx *pc, const char *key, json_t *entry, const char *outlet)
{
    watcher *w = pc->w;
    char *js = json_dumps(entry, JSON_COMPACT);
    if (!js) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return;
    }
    if (sr_watch_state_url_add(w->st, key, pc->feed->source_id, js) != SR_OK) {
        free(js);
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
        return;
    }
    job *j = job_new(w, JOB_PAGE, key, pc->feed->source);
    if (!j) {
        free(js);
        return;
    }
    j->key = strdup(key);
    j->entry = js;
    j->outlet = outlet ? strdup(outlet) : NULL;
    if (!j->key) {
        job_free(j);
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return;
    }
    pc->fresh++;
    w->stats->pages++;
    w->pages_queued++;
    submit(w, j);
}

/* A new URL?  Normalised into *key (caller frees); false when seen,
 * unusable, or over the per-poll cap. */
static bool take_url(poll_ctx *pc, const char *link, char **key)
{
    watcher *w = pc->w;
    *key = NULL;
    sr_err e = sr_url_normalize(link, pc->feed->req->url, key);
    if (e == SR_ENOMEM) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return false;
    }
    if (e) {
        sr_warn(pc->feed->req->url, NULL, "entry link '%.200s' is not an http(s) URL; ignored", link);
        return false;
    }
    if (sr_watch_state_url_known(w->st, *key, NULL)) {
        free(*key);
        *key = NULL;
        return false;
    }
    if ((int)pc->fresh >= w->o->max_new) {
        pc->over++;       /* not recorded: the next poll sees it as new */
        free(*key);
        *key = NULL;
        return false;
    }
    return true;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v && *v)
        json_object_set_new(o, k, json_string(v));
}

static int on_entry(const sr_doc *d, void *ctx)
{
    poll_ctx *pc = ctx;
    watcher *w = pc->w;
    pc->entries++;
    if (w->fatal)
        return 1;
    const char *outlet = pc->outlet ? pc->outlet : d->outlet;
    if (!d->url) {
        if (d->text_len == 0)
            return 0;
        /* no page to fetch: the entry is the document (dedup by its text) */
        page_ctx dc = { w, pc->feed->req->url, 0, 0, 0, 0 };
        sr_doc doc = *d;
        doc.outlet = outlet;
        on_doc(&doc, &dc);
        job tmp = {0};
        tmp.source_id = pc->feed->source_id;
        count_docs(w, &tmp, &dc, true);
        return w->fatal;
    }
    char *key;
    if (!take_url(pc, d->url, &key))
        return w->fatal;
    json_t *o = json_object();
    if (!o) {
        free(key);
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return 1;
    }
    set_str(o, "title", d->title);
    set_str(o, "published", d->published);
    set_str(o, "outlet", outlet);
    set_str(o, "author", d->author);
    if (d->text_len > 0)
        json_object_set_new(o, "text", json_stringn(d->text, d->text_len));
    new_page(pc, key, o, outlet);
    json_decref(o);
    free(key);
    return w->fatal;
}

static int on_sitemap_entry(const sr_sitemap_entry *e, void *ctx)
{
    poll_ctx *pc = ctx;
    watcher *w = pc->w;
    pc->entries++;
    if (w->fatal)
        return 1;
    if (e->is_sitemap) {
        src *s = pc->feed->source;
        if (pc->feed->kind != JOB_FEED || !s || s->children >= MAX_CHILDREN)
            return 0;    /* indexes are followed one level deep, 50 children */
        char *url = NULL;
        if (sr_url_normalize(e->loc, pc->feed->req->url, &url) != SR_OK) {
            free(url);
            return 0;
        }
        job *j = job_new(w, JOB_CHILD, url, s);
        free(url);
        if (!j)
            return 1;
        s->children++;
        submit(w, j);
        return w->fatal;
    }
    char *key;
    if (!take_url(pc, e->loc, &key))
        return w->fatal;
    json_t *o = json_object();
    if (!o) {
        free(key);
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return 1;
    }
    char date[21];
    set_str(o, "title", e->title);
    if (e->published && sr_ingest_date(e->published, date))
        set_str(o, "published", date);
    const char *outlet = pc->outlet ? pc->outlet : e->outlet;
    set_str(o, "outlet", outlet);
    new_page(pc, key, o, outlet);
    json_decref(o);
    free(key);
    return w->fatal;
}

static void feed_response(watcher *w, job *j)
{
    wf_req *r = j->req;
    src *s = j->source;
    archive(w, r, NULL, false);
    if (w->fatal)
        return;
    sr_watch_poll p = {0};
    p.status = r->status;
    p.fetched = now_unix();
    p.next_poll = p.fetched + (s ? s->interval : SR_WATCH_DEFAULT_INTERVAL);
    if (j->kind == JOB_FEED && sr_watch_state_poll_begin(w->st, s->id))
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    if (r->status == 304) {
        if (j->kind == JOB_FEED) {
            w->stats->polls++;
            w->stats->not_modified++;
            w->polls_done++;
            s->failures = 0;
            if (sr_watch_state_polled(w->st, s->id, &p))
                fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
            commit(w);
        }
        return;
    }
    poll_ctx pc = { w, j, 0, 0, 0, NULL };
    pc.outlet = s && s->name ? s->name : NULL;
    const char *body = r->body.p ? r->body.p : "";
    size_t skips = sr_skip_count();
    w->last_diag[0] = '\0';
    const char *kind;
    if (sr_sitemap_detect(body, r->body.len)) {
        kind = strstr(body, "sitemapindex") ? "sitemapindex" : "sitemap";
        if (sr_sitemap_read(body, r->body.len, r->url, on_sitemap_entry, &pc) == SR_ENOMEM)
            fail(w, SR_ENOMEM, "%s", "out of memory");
    } else {
        kind = "feed";
        sr_ingest_opts io = {0, NULL};
        if (sr_feed_entries(body, r->body.len, r->url, &io, on_entry, &pc) == SR_ENOMEM)
            fail(w, SR_ENOMEM, "%s", "out of memory");
    }
    if (w->fatal)
        return;
    if (pc.over)
        sr_warn(r->url, NULL, "%zu more new entries than --max-new %d; they wait for the next poll",
                pc.over, w->o->max_new);
    if (j->kind == JOB_CHILD)
        return;
    if (pc.entries == 0 && sr_skip_count() > skips) {
        char why[600];
        snprintf(why, sizeof why, "unreadable %s: %s", kind,
                 w->last_diag[0] ? w->last_diag : "see the message above");
        poll_failed(w, j, why);
        return;
    }
    p.kind = kind;
    p.etag = r->etag;                 /* "" clears an old one */
    p.last_modified = r->last_modified;
    w->stats->polls++;
    w->polls_done++;
    s->failures = 0;
    /* the new validators and the pending entries commit together */
    if (sr_watch_state_polled(w->st, s->id, &p))
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    commit(w);
}

static void robots_response(watcher *w, job *j)
{
    wf_req *r = j->req;
    origin *og = j->robots_for;
    archive(w, r, NULL, false);
    sr_robots *rules;
    if (r->status >= 200 && r->status < 300)
        rules = sr_robots_parse(r->body.p ? r->body.p : "", r->body.len, AGENT);
    else
        rules = sr_robots_uniform(1);    /* 4xx: no rules, everything allowed */
    if (!rules) {
        fail(w, SR_ENOMEM, "%s", "out of memory");
        return;
    }
    if (sr_watch_state_robots_put(w->st, og->name, now_unix(), r->status,
                                  r->body.p, r->status < 300 ? r->body.len : 0))
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    set_rules(w, og, rules);
    release_parked(w, og);
}

static void on_done(wf_req *r, void *ctx)
{
    watcher *w = ctx;
    job *j = r->user;
    w->stats->requests += r->curl_code >= 0;
    if (w->fatal || r->curl_code == -1) {
        if (j->kind == JOB_ROBOTS) {
            /* its parked jobs go with it */
            origin *og = j->robots_for;
            for (size_t i = 0; i < og->nparked; i++)
                job_free(og->parked[i]);
            og->nparked = 0;
            og->state = 0;
        }
        job_free(j);
        return;
    }
    if (r->curl_code == -2) {
        settle_failure(w, j, r->error, true, true);
        return;
    }
    if (r->curl_code != 0 || r->status == 0) {
        settle_failure(w, j, r->error[0] ? r->error : "no response", r->transient, false);
        return;
    }
    int st = r->status;
    if (st >= 300 && st < 400 && st != 304) {
        archive(w, r, NULL, false);
        if (r->location) {
            follow(w, j);
            return;
        }
    }
    char why[300];
    if (st == 304 && j->kind == JOB_FEED) {
        feed_response(w, j);
    } else if (st >= 200 && st < 300) {
        if (j->kind == JOB_PAGE)
            page_response(w, j);
        else if (j->kind == JOB_ROBOTS)
            robots_response(w, j);
        else
            feed_response(w, j);
    } else if (j->kind == JOB_ROBOTS && st >= 400 && st < 500) {
        robots_response(w, j);
    } else {
        archive(w, r, NULL, false);
        if (st == 429 || st >= 500) {
            if (r->retry_after >= 0)
                snprintf(why, sizeof why, "HTTP %d (Retry-After %lds)", st, r->retry_after);
            else
                snprintf(why, sizeof why, "HTTP %d", st);
        } else {
            snprintf(why, sizeof why, "HTTP %d", st);
        }
        settle_failure(w, j, why, r->transient, false);
        return;
    }
    job_free(j);
}

/* ---- cycles --------------------------------------------------------------------------- */

static void free_sources(watcher *w)
{
    for (size_t i = 0; i < w->nsrcs; i++) {
        free(w->srcs[i].url);
        free(w->srcs[i].name);
        free(w->srcs[i].etag);
        free(w->srcs[i].last_modified);
    }
    free(w->srcs);
    w->srcs = NULL;
    w->nsrcs = 0;
}

typedef struct load_ctx {
    watcher *w;
    size_t cap;
} load_ctx;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int on_source_row(const sr_watch_source_row *r, void *ctx)
{
    load_ctx *lc = ctx;
    watcher *w = lc->w;
    if (sr_grow((void **)&w->srcs, &lc->cap, w->nsrcs + 1, sizeof *w->srcs))
        return 1;
    src *s = &w->srcs[w->nsrcs];
    memset(s, 0, sizeof *s);
    s->id = r->id;
    s->url = strdup(r->url);
    s->name = dup_or_null(r->name);
    s->etag = dup_or_null(r->etag);
    s->last_modified = dup_or_null(r->last_modified);
    s->interval = r->interval > 0 ? r->interval : SR_WATCH_DEFAULT_INTERVAL;
    s->failures = r->failures;
    s->next_poll = r->next_poll;
    s->active = r->active;
    w->nsrcs++;
    return s->url ? 0 : 1;
}

typedef struct pend {
    char *url, *entry;
    int64_t source;
    int attempts;
} pend;

typedef struct pend_list {
    pend *v;
    size_t n, cap;
} pend_list;

static int on_pending(const char *url, int64_t source, const char *entry, int attempts, void *ctx)
{
    pend_list *pl = ctx;
    if (sr_grow((void **)&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v))
        return 1;
    pend *p = &pl->v[pl->n++];
    p->url = strdup(url);
    p->entry = dup_or_null(entry);
    p->source = source;
    p->attempts = attempts;
    return p->url ? 0 : 1;
}

static bool due(const src *s, int64_t now)
{
    /* a little early is on time: cron runs a --once watch every interval,
     * and the poll it made last time finished a few seconds after it began */
    int64_t slack = s->interval / 10 < 60 ? s->interval / 10 : 60;
    return s->active && s->next_poll <= now + slack;
}

static void status_line(watcher *w, bool force)
{
    if (!w->o->tty)
        return;
    double t = wf_now();
    if (!force && t - w->last_status < 0.25)
        return;
    w->last_status = t;
    fprintf(stderr, "\rwatch: cycle %zu: %zu/%zu polls, %zu pages, %zu stored, %zu already stored, "
                    "%zu from feed text, %zu failed\033[K",
            w->stats->cycles, w->polls_done, w->polls_due, w->pages_queued, w->stats->stored,
            w->stats->duplicates, w->stats->feed_text, w->stats->page_errors);
    w->tty_dirty = true;
}

static void export_cycle(watcher *w)
{
    if (!w->o->export_dir || w->fatal)
        return;
    /* a batch a killed run named but may not have finished is written again
     * under the same name first, then the new one */
    for (int pass = 0; pass < 2 && !w->fatal; pass++) {
        int64_t from = sr_watch_state_meta_get(w->st, "watch_export_from");
        int64_t to = sr_watch_state_meta_get(w->st, "watch_export_to");
        int64_t stamp = sr_watch_state_meta_get(w->st, "watch_export_stamp");
        if (to == 0) {
            if (pass == 1)
                break;
            from = sr_watch_state_meta_get(w->st, "watch_exported_upto");
            to = sr_watch_state_max_event(w->st);
            if (to <= from)
                break;
            char buf[16];
            /* names never repeat: two cycles in one second get two */
            time_t t = time(NULL);
            int64_t last = sr_watch_state_meta_get(w->st, "watch_export_time");
            if ((int64_t)t <= last)
                t = (time_t)(last + 1);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
            stamp = strtoll(buf, NULL, 10);
            if (sr_watch_state_meta_set(w->st, "watch_export_time", (int64_t)t) ||
                sr_watch_state_meta_set(w->st, "watch_export_from", from) ||
                sr_watch_state_meta_set(w->st, "watch_export_to", to) ||
                sr_watch_state_meta_set(w->st, "watch_export_stamp", stamp)) {
                fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
                return;
            }
            commit(w);
            pass = 1;
        }
        char name[24];
        snprintf(name, sizeof name, "%lld", (long long)stamp);
        size_t n = 0;
        char err[600];
        if (sr_watch_export(w->st, w->o->export_dir, from, to, name, &n, err, sizeof err)) {
            fail(w, SR_EIO, "--export: %s", err);
            return;
        }
        if (sr_watch_state_meta_set(w->st, "watch_exported_upto", to) ||
            sr_watch_state_meta_set(w->st, "watch_export_to", 0)) {
            fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
            return;
        }
        commit(w);
    }
}

static void run_cycle(watcher *w)
{
    load_ctx lc = { w, 0 };
    pend_list pl = {0};
    free_sources(w);
    w->stats->cycles++;
    w->polls_due = w->polls_done = w->pages_queued = 0;
    if (sr_watch_state_sources(w->st, on_source_row, &lc) != SR_OK) {
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
        return;
    }
    /* pages an earlier cycle or run left pending, then the due polls */
    if (sr_watch_state_pending(w->st, on_pending, &pl) != SR_OK)
        fail(w, SR_EIO, "store: %s", sr_store_errmsg(w->st));
    for (size_t i = 0; i < pl.n && !w->fatal; i++) {
        src *s = src_by_id(w, pl.v[i].source);
        job *j = job_new(w, JOB_PAGE, pl.v[i].url, s);
        if (!j)
            break;
        j->source_id = pl.v[i].source;
        j->key = pl.v[i].url;
        j->entry = pl.v[i].entry;
        pl.v[i].url = pl.v[i].entry = NULL;
        j->prior = pl.v[i].attempts;
        if (j->entry) {
            json_t *e = json_loads(j->entry, 0, NULL);
            const char *o = e ? json_str(e, "outlet") : NULL;
            j->outlet = o ? strdup(o) : NULL;
            json_decref(e);
        }
        w->pages_queued++;
        w->stats->pages++;
        submit(w, j);
    }
    for (size_t i = 0; i < pl.n; i++) {
        free(pl.v[i].url);
        free(pl.v[i].entry);
    }
    free(pl.v);
    int64_t now = now_unix();
    for (size_t i = 0; i < w->nsrcs && !w->fatal; i++) {
        src *s = &w->srcs[i];
        if (!due(s, now))
            continue;
        job *j = job_new(w, JOB_FEED, s->url, s);
        if (!j)
            break;
        /* validators only when a 200 gave them: a 304 then means the
         * entries we already recorded are all there is */
        j->req->if_none_match = dup_or_null(s->etag);
        j->req->if_modified_since = dup_or_null(s->last_modified);
        s->polled = true;
        w->polls_due++;
        submit(w, j);
    }
    while (!w->fatal && wf_pending(w->f) > 0) {
        if (*w->o->stop) {
            w->stopping = true;
            wf_abort_all(w->f);
            break;
        }
        wf_run(w->f, 200);
        status_line(w, false);
        if (w->since_commit > 0)
            maybe_commit(w);
    }
    commit(w);
    if (!w->stopping)
        export_cycle(w);
    status_line(w, true);
}

typedef struct lines_acc {
    sr_watch_source_line *v;
    size_t n, cap;
} lines_acc;

static int on_line(const sr_watch_source_line *l, void *ctx)
{
    lines_acc *a = ctx;
    if (sr_grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v))
        return SR_ENOMEM;
    sr_watch_source_line *c = &a->v[a->n];
    *c = *l;
    c->url = strdup(l->url);
    c->name = l->name ? strdup(l->name) : NULL;
    if (!c->url || (l->name && !c->name)) {
        free((char *)c->url);
        free((char *)c->name);
        return SR_ENOMEM;
    }
    a->n++;
    return 0;
}

/* Read SOURCES and make its lines the active sources. */
static int load_sources(watcher *w)
{
    char *text = NULL;
    size_t len = 0;
    lines_acc a = {0};
    sr_err e = sr_read_file(w->o->sources_path, (size_t)16 << 20, &text, &len);
    if (e) {
        snprintf(w->err, w->errlen, "%s: %s", w->o->sources_path,
                 e == SR_EIO ? "cannot be read" : sr_strerror(e));
        return e == SR_ENOMEM ? SR_ENOMEM : SR_EINVAL;
    }
    int rc = sr_watch_sources_parse(text, len, w->o->sources_path, on_line, &a);
    free(text);
    if (rc == 0 && a.n == 0) {
        snprintf(w->err, w->errlen, "%s: no sources in it", w->o->sources_path);
        rc = SR_EINVAL;
    }
    if (rc == 0 && (sr_watch_state_sync(w->st, a.v, a.n) != SR_OK ||
                    sr_store_commit(w->st) != SR_OK)) {
        snprintf(w->err, w->errlen, "store: %s", sr_store_errmsg(w->st));
        rc = SR_EIO;
    } else if (rc == SR_ENOMEM) {
        snprintf(w->err, w->errlen, "out of memory");
    }
    for (size_t i = 0; i < a.n; i++) {
        free((char *)a.v[i].url);
        free((char *)a.v[i].name);
    }
    free(a.v);
    return rc;
}

/* Seconds until the next source is due (at most cap). */
static double until_next_due(watcher *w, double cap)
{
    load_ctx lc = { w, 0 };
    free_sources(w);
    if (sr_watch_state_sources(w->st, on_source_row, &lc) != SR_OK)
        return cap;
    int64_t now = now_unix();
    double best = cap;
    for (size_t i = 0; i < w->nsrcs; i++) {
        if (!w->srcs[i].active)
            continue;
        if (due(&w->srcs[i], now))
            return 0;
        double d = (double)(w->srcs[i].next_poll - now);
        if (d < best)
            best = d;
    }
    return best;
}

int sr_watch_run(sr_store *st, const sr_watch_opts *opts, sr_watch_store_fn fn, void *ctx,
                 sr_watch_stats *stats, char *err, size_t errlen)
{
    watcher w;
    sr_watch_opts o = *opts;
    if (o.retry_wait <= 0)
        o.retry_wait = 1.0;
    if (o.max_new <= 0)
        o.max_new = 1000;
    opts = &o;
    memset(&w, 0, sizeof w);
    memset(stats, 0, sizeof *stats);
    w.st = st;
    w.o = opts;
    w.fn = fn;
    w.fnctx = ctx;
    w.stats = stats;
    w.err = err;
    w.errlen = errlen;
    err[0] = '\0';
    sr_buf_init(&w.rec, 0);
    sr_buf_init(&w.blk, 0);
    sr_buf_init(&w.line, 0);
    w.last_commit = wf_now();
    srandom((unsigned)time(NULL) ^ (unsigned)getpid());
    snprintf(w.user_agent, sizeof w.user_agent,
             "sitrep/%s (news event coder; follows robots.txt)", SITREP_VERSION);
    int rc = load_sources(&w);
    if (rc)
        goto out;
    if (opts->warc_dir && sr_warc_writer_open(opts->warc_dir, opts->warc_max, &w.warc) != SR_OK) {
        snprintf(err, errlen, "--warc %s: %s", opts->warc_dir,
                 w.warc ? sr_warc_writer_error(w.warc) : "cannot create the folder");
        rc = SR_EIO;
        goto out;
    }
    double timeout = opts->timeout > 0 ? opts->timeout : 60;
    wf_opts fo = {
        w.user_agent,
        timeout < 10 ? timeout : 10,       /* connect */
        timeout,
        /* slower than 64 bytes/s for a third of the timeout (at most 20 s):
         * a trickle that would hold a slot until the total timeout */
        64, (long)(timeout / 3 < 20 ? (timeout / 3 < 1 ? 1 : timeout / 3) : 20),
        opts->max_page ? opts->max_page : (size_t)16 << 20,
        (size_t)64 << 10,
        opts->per_host > 0 ? opts->per_host : 2,
        64,
        opts->delay >= 0 ? opts->delay : 1.0,
        &opts->allow,
    };
    if (!(w.f = wf_new(&fo, on_done, &w))) {
        snprintf(err, errlen, "libcurl could not be set up");
        rc = SR_ENOMEM;
        goto out;
    }
    sr_set_diag_sink(on_diag, &w);
    for (;;) {
        run_cycle(&w);
        if (w.fatal || *opts->stop || opts->once)
            break;
        /* sleep until a source is due, waking to notice a signal */
        double wait = until_next_due(&w, 3600);
        double until = wf_now() + wait;
        while (!*opts->stop && wf_now() < until) {
            double left = until - wf_now();
            usleep((useconds_t)((left < 0.2 ? left : 0.2) * 1e6));
        }
        if (*opts->stop)
            break;
    }
    if (w.tty_dirty)
        fputc('\n', stderr);
    sr_set_diag_sink(NULL, NULL);
    stats->max_per_host = wf_max_per_host(w.f);
    rc = w.fatal;
out:
    if (w.f)
        wf_abort_all(w.f);
    wf_free(w.f);
    for (origin *og = w.origins; og;) {
        origin *n = og->next;
        for (size_t i = 0; i < og->nparked; i++)
            job_free(og->parked[i]);
        free(og->parked);
        sr_robots_free(og->rules);
        free(og);
        og = n;
    }
    if (w.warc && sr_warc_writer_close(w.warc) != SR_OK && !rc) {
        snprintf(err, errlen, "--warc: closing the WARC file failed");
        rc = SR_EIO;
    }
    free_sources(&w);
    sr_buf_free(&w.rec);
    sr_buf_free(&w.blk);
    sr_buf_free(&w.line);
    return rc;
}
