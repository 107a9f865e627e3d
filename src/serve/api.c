/*
 * api.c - the JSON API's routes: each checks its parameters strictly (a
 * parameter it does not know, or one malformed, is a 400 that names it),
 * reads the store through bound queries, and writes JSON.
 *
 * Lists page by key with an opaque cursor and `limit` <= 1000, fetching one
 * row more than asked to know whether a next page exists.  Event exports in
 * jsonl, csv or gdelt are streams (api_stream): a chunk of events at a time,
 * resumed after the last one sent, so an export of any size holds one chunk
 * in memory.
 *
 * The brief route renders with the same code as `sitrep brief --format
 * json`, so the two are equal byte for byte.
 */
#include "serve/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BODY ((size_t)256 << 20)
#define MAX_NETWORK_EDGES 500
#define MAX_SEARCH_DEPTH 10000        /* offset + limit of a search page */
#define MAX_QUOTE_DOCS 500            /* documents searched for a brief's quotes */

void api_resp_init(api_resp *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->content_type = "application/json";
    sr_buf_init(&r->body, MAX_BODY);
}

void api_resp_free(api_resp *r)
{
    sr_buf_free(&r->body);
    free(r->stream);
    r->stream = NULL;
}

void api_error(api_resp *r, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->status = status;
    r->cacheable = false;
    r->content_type = "application/json";
    free(r->stream);
    r->stream = NULL;
    sr_buf_reset(&r->body);
    sr_buf_puts(&r->body, "{\"error\":");
    sr_buf_json_str(&r->body, msg, strlen(msg));
    sr_buf_puts(&r->body, "}\n");
}

/* A store failure: busy is 503 (try again), anything else is ours (500). */
static void store_error(sr_store *st, api_resp *r, sr_err e)
{
    if (e == SR_ENOMEM) {
        api_error(r, 503, "out of memory");
        r->retry_after = 1;
    } else if (sr_store_busy(st)) {
        api_error(r, 503, "the store is busy; try again");
        r->retry_after = 1;
    } else {
        api_error(r, 500, "store error: %s", sr_store_errmsg(st));
    }
}

/* ---- routes -------------------------------------------------------------------------- */

static const char *const route_names[ROUTE_COUNT] = {
    "not_found", "asset", "health", "stories", "story", "brief", "events", "dyad_timeline",
    "network", "search", "metrics",
};

const char *api_route_name(api_route r)
{
    return (unsigned)r < ROUTE_COUNT ? route_names[r] : "not_found";
}

bool api_route_private(api_route r)
{
    return r != ROUTE_ASSET && r != ROUTE_NOT_FOUND;
}

api_route api_match(const api_target *t)
{
    const char *const *s = t->segs;
    size_t n = t->nsegs;
    if (n == 0 || (n >= 1 && strcmp(s[0], "assets") == 0))
        return ROUTE_ASSET;
    if (n == 1 && strcmp(s[0], "metrics") == 0)
        return ROUTE_METRICS;
    if (n < 2 || strcmp(s[0], "api") != 0)
        return ROUTE_NOT_FOUND;
    if (n == 2) {
        if (strcmp(s[1], "health") == 0) return ROUTE_HEALTH;
        if (strcmp(s[1], "stories") == 0) return ROUTE_STORIES;
        if (strcmp(s[1], "events") == 0) return ROUTE_EVENTS;
        if (strcmp(s[1], "network") == 0) return ROUTE_NETWORK;
        if (strcmp(s[1], "search") == 0) return ROUTE_SEARCH;
        return ROUTE_NOT_FOUND;
    }
    if (strcmp(s[1], "stories") == 0) {
        if (n == 3)
            return ROUTE_STORY;
        if (n == 4 && strcmp(s[3], "brief") == 0)
            return ROUTE_BRIEF;
    }
    if (n == 5 && strcmp(s[1], "dyads") == 0 && strcmp(s[4], "timeline") == 0)
        return ROUTE_DYAD;
    return ROUTE_NOT_FOUND;
}

/* ---- parameters ---------------------------------------------------------------------- */

typedef struct params {
    api_target *t;
    api_resp *r;
    bool bad;                      /* an error is set in r */
} params;

static const char *raw(params *p, const char *key, size_t *len)
{
    for (size_t i = 0; i < p->t->nparams; i++)
        if (strcmp(p->t->params[i].key, key) == 0) {
            p->t->params[i].used = true;
            if (len)
                *len = p->t->params[i].value_len;
            return p->t->params[i].value;
        }
    return NULL;
}

static void bad(params *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(params *p, const char *fmt, ...)
{
    if (p->bad)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    api_error(p->r, 400, "%s", msg);
    p->bad = true;
}

/* A decimal integer in [min, max]: digits only, no sign, at most 18. */
static bool parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    int64_t v = 0;
    size_t n = strlen(s);
    if (n == 0 || n > 18)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

static int64_t p_int(params *p, const char *key, int64_t min, int64_t max, int64_t def)
{
    const char *v = raw(p, key, NULL);
    int64_t x = def;
    if (v && !parse_int(v, min, max, &x))
        bad(p, "%s: wants an integer from %lld to %lld", key, (long long)min, (long long)max);
    return x;
}

static const char *p_date(params *p, const char *key)
{
    const char *v = raw(p, key, NULL);
    if (v && !api_valid_date(v)) {
        bad(p, "%s: wants a date YYYY-MM-DD", key);
        return NULL;
    }
    return v;
}

/* An actor code: 1..32 letters and digits, upper-cased into out[40]. */
static bool actor_code(const char *v, char out[40])
{
    size_t n = strlen(v);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
        out[i] = c;
    }
    out[n] = '\0';
    return true;
}

static const char *p_actor(params *p, const char *key, char out[40])
{
    const char *v = raw(p, key, NULL);
    if (!v)
        return NULL;
    if (!actor_code(v, out)) {
        bad(p, "%s: wants an actor code (1 to 32 letters and digits, e.g. TUR or IDNMIL)", key);
        return NULL;
    }
    return out;
}

static const char *p_text(params *p, const char *key, size_t max)
{
    size_t len = 0;
    const char *v = raw(p, key, &len);
    if (!v)
        return NULL;
    if (len == 0 || len > max || !api_clean_text(v, len)) {
        bad(p, "%s: wants 1 to %zu bytes of UTF-8 text without control characters", key, max);
        return NULL;
    }
    return v;
}

static int p_enum(params *p, const char *key, const char *const *names, int n, int def)
{
    const char *v = raw(p, key, NULL);
    if (!v)
        return def;
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    char list[200] = "";
    size_t at = 0;
    for (int i = 0; i < n && at < sizeof list; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", names[i]);
    bad(p, "%s: is one of %s", key, list);
    return def;
}

/* Every parameter given must have been read: a typo is an error, not a
 * silently ignored filter. */
static bool p_done(params *p)
{
    if (p->bad)
        return false;
    for (size_t i = 0; i < p->t->nparams; i++)
        if (!p->t->params[i].used) {
            char k[64];
            snprintf(k, sizeof k, "%s", p->t->params[i].key);
            bool clean = api_clean_text(k, strlen(k));
            bad(p, "unknown parameter '%s' for this route", clean ? k : "?");
            return false;
        }
    return true;
}

static bool date_order(params *p, const char *since, const char *until)
{
    if (since && until && strcmp(since, until) > 0) {
        bad(p, "since is after until");
        return false;
    }
    return true;
}

/* A story id in the path: 1 .. 2^53. */
static bool path_id(const char *s, int64_t *id)
{
    return parse_int(s, 1, (int64_t)1 << 53, id);
}

/* ---- /api/health ----------------------------------------------------------------- */

static void route_health(sr_store *st, params *p)
{
    if (!p_done(p))
        return;
    sr_store_counts c;
    int64_t gen = 0;
    char last[32];
    sr_err e = sr_store_get_counts(st, &c);
    if (!e) e = sr_store_generation(st, &gen);
    if (!e) e = sr_store_last_ingest(st, last, sizeof last);
    if (e) {
        store_error(st, p->r, e);
        return;
    }
    const char *why = NULL;
    bool dash = sr_serve_dashboard(&why);
    sr_buf *b = &p->r->body;
    sr_buf_printf(b, "{\"documents\":%lld,\"events\":%lld,\"stories\":%lld,\"outlets\":%lld,"
                     "\"mentions\":%lld,\"generation\":%lld",
                  (long long)c.documents, (long long)c.events, (long long)c.stories,
                  (long long)c.outlets, (long long)c.mentions, (long long)gen);
    sr_buf_json_kv(b, "last_ingest", *last ? last : NULL);
    sr_buf_json_kv(b, "version", SITREP_VERSION);
    sr_buf_printf(b, ",\"dashboard\":%s}\n", dash ? "true" : "false");
    p->r->cacheable = true;
}

/* ---- /api/stories ------------------------------------------------------------------ */

typedef struct story_page {
    sr_buf *b;
    int limit, n;
    bool more;
    char last[128];
    int64_t last_id;
    sr_err err;
} story_page;

static int on_story(const sr_story_row *s, void *ctx)
{
    story_page *pg = ctx;
    if (pg->n == pg->limit) {
        pg->more = true;
        return 1;
    }
    if (pg->n++)
        sr_buf_putc(pg->b, ',');
    pg->err = sr_story_json(s, pg->b);
    snprintf(pg->last, sizeof pg->last, "%s", s->last_seen ? s->last_seen : "");
    pg->last_id = s->id;
    return pg->err != SR_OK;
}

static void route_stories(sr_store *st, params *p)
{
    char actor[40];
    char cursor_key[128];
    sr_story_query q;
    memset(&q, 0, sizeof q);
    q.since = p_date(p, "since");
    q.until = p_date(p, "until");
    q.actor = p_actor(p, "actor", actor);
    q.fts = p_text(p, "q", 512);
    int limit = (int)p_int(p, "limit", 1, SR_SERVE_MAX_LIMIT, 50);
    const char *cursor = raw(p, "cursor", NULL);
    if (cursor && !p->bad) {
        int64_t id;
        if (!api_cursor_decode(cursor, 's', &id, cursor_key, sizeof cursor_key) || id <= 0) {
            bad(p, "cursor: not a cursor this route gave out");
            return;
        }
        q.after = true;
        q.after_id = id;
        q.after_last = cursor_key;
    }
    if (!p_done(p) || !date_order(p, q.since, q.until))
        return;
    q.limit = limit + 1;
    sr_buf *b = &p->r->body;
    story_page pg = { b, limit, 0, false, "", 0, SR_OK };
    sr_buf_puts(b, "{\"items\":[");
    sr_err e = sr_store_stories_query(st, &q, on_story, &pg);
    if (e == SR_EPARSE) {
        api_error(p->r, 400, "q: not a full-text query (SQLite FTS5 syntax: words, \"a phrase\", AND/OR/NOT, prefix*)");
        return;
    }
    if (e || pg.err) {
        store_error(st, p->r, e ? e : pg.err);
        return;
    }
    sr_buf_puts(b, "],\"next_cursor\":");
    if (pg.more) {
        sr_buf_putc(b, '"');
        api_cursor_encode('s', pg.last_id, pg.last, b);
        sr_buf_putc(b, '"');
    } else {
        sr_buf_puts(b, "null");
    }
    sr_buf_puts(b, "}\n");
    p->r->cacheable = true;
}

/* ---- /api/stories/{id} ------------------------------------------------------------- */

typedef struct story_docs {
    sr_buf *b;
    size_t n;
    /* whitespace-collapsed bodies, to find which document a quote is from */
    char **bodies;
    int64_t *ids;
    size_t nbodies, cap;
    sr_err err;
} story_docs;

/* Collapse runs of whitespace to one space, so a sentence the text stage
 * put on one line is found in a body that wraps it. */
static char *collapse_ws(const char *s, size_t n)
{
    char *out = malloc(n + 1), *w = out;
    if (!out)
        return NULL;
    bool space = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = (char)c;
            space = false;
        }
    }
    if (w > out && w[-1] == ' ')
        w--;
    *w = '\0';
    return out;
}

static int on_story_doc(const sr_story_doc *d, void *ctx)
{
    story_docs *sd = ctx;
    sr_buf *b = sd->b;
    if (sd->n++)
        sr_buf_putc(b, ',');
    sr_buf_printf(b, "{\"id\":%lld", (long long)d->id);
    sr_buf_json_kv(b, "outlet", d->outlet);
    sr_buf_json_kv(b, "published", d->published);
    sr_buf_json_kv(b, "title", d->title);
    sr_buf_json_kv(b, "url", d->url);
    if (d->copy_of)
        sr_buf_printf(b, ",\"copy_of\":%lld}", (long long)d->copy_of);
    else
        sr_buf_puts(b, ",\"copy_of\":null}");
    if (d->body && sd->nbodies < MAX_QUOTE_DOCS) {
        if (sr_grow((void **)&sd->bodies, &sd->cap, sd->nbodies + 1, sizeof *sd->bodies) ||
            !(sd->ids = sr_realloc_array(sd->ids, sd->cap, sizeof *sd->ids))) {
            sd->err = SR_ENOMEM;
            return 1;
        }
        char *c = collapse_ws(d->body, d->body_len);
        if (!c) {
            sd->err = SR_ENOMEM;
            return 1;
        }
        sd->ids[sd->nbodies] = d->id;
        sd->bodies[sd->nbodies++] = c;
    }
    return 0;
}

static void route_story(sr_store *st, params *p, const char *seg)
{
    int64_t id;
    if (!path_id(seg, &id)) {
        api_error(p->r, 404, "no story '%s' (a story id is a positive integer)", seg);
        return;
    }
    if (!p_done(p))
        return;
    int64_t live = sr_store_story_resolve(st, id);
    if (!live) {
        api_error(p->r, 404, "no story %lld", (long long)id);
        return;
    }
    sr_buf *b = &p->r->body;
    sr_story_query q;
    memset(&q, 0, sizeof q);
    q.id = live;
    q.limit = 1;
    story_page pg = { b, 1, 0, false, "", 0, SR_OK };
    sr_buf_puts(b, "{\"story\":");
    sr_err e = sr_store_stories_query(st, &q, on_story, &pg);
    if (!e && pg.n == 0) {
        api_error(p->r, 404, "no story %lld", (long long)id);
        return;
    }
    story_docs sd;
    memset(&sd, 0, sizeof sd);
    sd.b = b;
    sr_brief brief;
    memset(&brief, 0, sizeof brief);
    if (!e) {
        sr_buf_puts(b, ",\"documents\":[");
        e = sr_store_story_documents(st, live, true, on_story_doc, &sd);
        if (!e)
            e = sd.err;
    }
    if (!e)
        e = sr_store_brief(st, live, &brief);
    if (!e) {
        /* each distinct example sentence of the brief, with the first
         * document (originals come before their copies) that holds it */
        sr_buf_puts(b, "],\"quotes\":[");
        size_t nq = 0;
        for (size_t i = 0; i < brief.nclaims && !e; i++) {
            const char *ex = brief.claims[i].example;
            if (!ex || !*ex)
                continue;
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = brief.claims[j].example && strcmp(brief.claims[j].example, ex) == 0;
            if (seen)
                continue;
            char *norm = collapse_ws(ex, strlen(ex));
            if (!norm) {
                e = SR_ENOMEM;
                break;
            }
            int64_t doc = 0;
            for (size_t k = 0; k < sd.nbodies && !doc; k++)
                if (*norm && strstr(sd.bodies[k], norm))
                    doc = sd.ids[k];
            free(norm);
            if (nq++)
                sr_buf_putc(b, ',');
            sr_buf_puts(b, "{\"text\":");
            sr_buf_json_str(b, ex, strlen(ex));
            if (doc)
                sr_buf_printf(b, ",\"document\":%lld}", (long long)doc);
            else
                sr_buf_puts(b, ",\"document\":null}");
        }
        if (!e)
            e = sr_buf_puts(b, "]}\n");
    }
    for (size_t k = 0; k < sd.nbodies; k++)
        free(sd.bodies[k]);
    free(sd.bodies);
    free(sd.ids);
    sr_brief_free(&brief);
    if (e) {
        store_error(st, p->r, e);
        return;
    }
    p->r->cacheable = true;
}

/* ---- /api/stories/{id}/brief ------------------------------------------------------- */

static void route_brief(sr_store *st, params *p, const char *seg)
{
    int64_t id;
    if (!path_id(seg, &id)) {
        api_error(p->r, 404, "no story '%s' (a story id is a positive integer)", seg);
        return;
    }
    if (!p_done(p))
        return;
    sr_brief brief;
    sr_err e = sr_store_brief(st, id, &brief);
    if (e == SR_EINVAL) {
        api_error(p->r, 404, "%s", sr_store_errmsg(st));
        return;
    }
    if (e) {
        store_error(st, p->r, e);
        return;
    }
    /* as cmd_brief does, so the bytes are the CLI's */
    sr_brief_keep_kinds(&brief, ~0u);
    e = sr_brief_render(&brief, SR_BRIEF_JSON, &p->r->body);
    sr_brief_free(&brief);
    if (e) {
        store_error(st, p->r, e);
        return;
    }
    p->r->cacheable = true;
}

/* ---- /api/events --------------------------------------------------------------------- */

static bool digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

typedef struct event_page {
    sr_buf *b, line;
    int limit, n;
    bool more;
    int last_day;
    int64_t last_id;
    sr_err err;
} event_page;

static int on_event(const sr_event_row *e, void *ctx)
{
    event_page *pg = ctx;
    if (pg->n == pg->limit) {
        pg->more = true;
        return 1;
    }
    sr_buf_reset(&pg->line);
    pg->err = sr_event_write(e, SR_EVENTS_JSONL, &pg->line);
    if (pg->err)
        return 1;
    if (pg->line.len && pg->line.p[pg->line.len - 1] == '\n')
        pg->line.len--;
    if (pg->n++)
        sr_buf_putc(pg->b, ',');
    pg->err = sr_buf_append(pg->b, pg->line.p, pg->line.len);
    pg->last_day = e->day;
    pg->last_id = e->id;
    return pg->err != SR_OK;
}

static void route_events(sr_store *st, params *p)
{
    static const char *const formats[] = {"json", "jsonl", "csv", "gdelt"};
    static const char *const modalities[] = {"asserted", "reported", "hedged", "negated", "future"};
    api_stream *s = calloc(1, sizeof *s);
    if (!s) {
        api_error(p->r, 503, "out of memory");
        return;
    }
    sr_event_filter *f = &s->f;
    f->actor = p_actor(p, "actor", s->actor);
    const char *dyad = raw(p, "dyad", NULL);
    if (dyad) {
        const char *comma = strchr(dyad, ',');
        char a[64], b[64];
        size_t al = comma ? (size_t)(comma - dyad) : 0;
        if (!comma || al >= sizeof a || strlen(comma + 1) >= sizeof b) {
            bad(p, "dyad: wants A,B (two actor codes, e.g. TUR,IDN)");
        } else {
            memcpy(a, dyad, al);
            a[al] = '\0';
            snprintf(b, sizeof b, "%s", comma + 1);
            if (!actor_code(a, s->dyad_a) || !actor_code(b, s->dyad_b))
                bad(p, "dyad: wants A,B (two actor codes, e.g. TUR,IDN)");
            f->dyad_a = s->dyad_a;
            f->dyad_b = s->dyad_b;
        }
    }
    const char *v;
    if ((v = raw(p, "root", NULL))) {
        if (!digits(v, 2, 2))
            bad(p, "root: wants a CAMEO root, two digits (04)");
        snprintf(s->root, sizeof s->root, "%s", v);
        f->root = s->root;
    }
    if ((v = raw(p, "code", NULL))) {
        if (!digits(v, 2, 4))
            bad(p, "code: wants a CAMEO code or prefix, 2 to 4 digits (042)");
        snprintf(s->code, sizeof s->code, "%s", v);
        f->code = s->code;
    }
    if (f->root && f->code)
        bad(p, "root or code, not both");
    if ((v = p_date(p, "since"))) {
        snprintf(s->since, sizeof s->since, "%s", v);
        f->since = s->since;
    }
    if ((v = p_date(p, "until"))) {
        snprintf(s->until, sizeof s->until, "%s", v);
        f->until = s->until;
    }
    f->story = p_int(p, "story", 1, (int64_t)1 << 53, 0);
    if (raw(p, "modality", NULL)) {
        int m = p_enum(p, "modality", modalities, 5, 0);
        snprintf(s->modality, sizeof s->modality, "%s", modalities[m]);
        f->modality = s->modality;
    }
    int format = p_enum(p, "format", formats, 4, 0);
    const char *limit_s = raw(p, "limit", NULL), *cursor = raw(p, "cursor", NULL);
    int limit = 100;
    if (format != 0 && (limit_s || cursor)) {
        bad(p, "limit and cursor page format=json; jsonl, csv and gdelt stream every event");
    } else if (limit_s) {
        int64_t x;
        if (!parse_int(limit_s, 1, SR_SERVE_MAX_LIMIT, &x))
            bad(p, "limit: wants an integer from 1 to %d", SR_SERVE_MAX_LIMIT);
        else
            limit = (int)x;
    }
    if (cursor && !p->bad) {
        int64_t id;
        char key[32];
        int64_t day;
        if (!api_cursor_decode(cursor, 'e', &id, key, sizeof key) || !parse_int(key, 0, 99999999, &day)) {
            bad(p, "cursor: not a cursor this route gave out");
        } else {
            f->page = true;
            f->page_id = id;
            f->page_day = (int)day;
        }
    }
    if (!p_done(p) || !date_order(p, f->since, f->until)) {
        free(s);
        return;
    }
    if (format != 0) {
        s->format = format == 1 ? SR_EVENTS_JSONL : format == 2 ? SR_EVENTS_CSV : SR_EVENTS_GDELT;
        p->r->content_type = format == 1 ? "application/x-ndjson"
                           : format == 2 ? "text/csv; charset=utf-8"
                                         : "text/tab-separated-values; charset=utf-8";
        p->r->stream = s;
        return;
    }
    sr_buf *b = &p->r->body;
    event_page pg = { b, SR_BUF_INIT(1 << 20), limit, 0, false, 0, 0, SR_OK };
    sr_buf_puts(b, "{\"items\":[");
    sr_err e = sr_store_events(st, f, on_event, &pg);
    sr_buf_free(&pg.line);
    free(s);
    if (e || pg.err) {
        store_error(st, p->r, e ? e : pg.err);
        return;
    }
    sr_buf_puts(b, "],\"next_cursor\":");
    if (pg.more) {
        char key[16];
        snprintf(key, sizeof key, "%d", pg.last_day);
        sr_buf_putc(b, '"');
        api_cursor_encode('e', pg.last_id, key, b);
        sr_buf_putc(b, '"');
    } else {
        sr_buf_puts(b, "null");
    }
    sr_buf_puts(b, "}\n");
    p->r->cacheable = true;
}

typedef struct stream_chunk {
    api_stream *s;
    sr_buf *out, line;
    int n;
    sr_err err;
} stream_chunk;

static int on_stream_event(const sr_event_row *e, void *ctx)
{
    stream_chunk *c = ctx;
    sr_buf_reset(&c->line);
    c->err = sr_event_write(e, c->s->format, &c->line);
    if (!c->err)
        c->err = sr_buf_append(c->out, c->line.p, c->line.len);
    c->s->f.page_day = e->day;
    c->s->f.page_id = e->id;
    c->s->rows++;
    return c->err != SR_OK || ++c->n == API_STREAM_ROWS;
}

sr_err api_stream_next(sr_store *st, api_stream *s, sr_buf *out)
{
    if (s->done)
        return SR_OK;
    if (!s->header_done) {
        s->header_done = true;
        sr_err e = sr_event_header(s->format, out);
        if (e)
            return e;
    }
    stream_chunk c = { s, out, SR_BUF_INIT(1 << 20), 0, SR_OK };
    sr_err e = sr_store_events(st, &s->f, on_stream_event, &c);
    sr_buf_free(&c.line);
    if (e || c.err)
        return e ? e : c.err;
    /* resume after the last event sent: rows stored meanwhile neither
     * repeat nor shift the ones already out */
    s->f.page = true;
    if (c.n < API_STREAM_ROWS)
        s->done = true;
    return SR_OK;
}

/* ---- /api/dyads/{A}/{B}/timeline ------------------------------------------------------ */

typedef struct dyad_out {
    sr_buf *b;
    size_t n;
    sr_err err;
} dyad_out;

static int on_bucket(const sr_dyad_bucket *bk, void *ctx)
{
    dyad_out *o = ctx;
    if (o->n++)
        sr_buf_putc(o->b, ',');
    o->err = sr_dyad_bucket_json(bk, o->b);
    return o->err != SR_OK;
}

static void route_dyad(sr_store *st, params *p, const char *a_seg, const char *b_seg)
{
    static const char *const buckets[] = {"day", "week", "month"};
    char a[40], b[40];
    if (!actor_code(a_seg, a) || !actor_code(b_seg, b)) {
        api_error(p->r, 400, "a dyad is two actor codes: /api/dyads/TUR/IDN/timeline");
        return;
    }
    int bucket = p_enum(p, "bucket", buckets, 3, SR_BUCKET_WEEK);
    const char *since = p_date(p, "since"), *until = p_date(p, "until");
    if (!p_done(p) || !date_order(p, since, until))
        return;
    sr_buf *out = &p->r->body;
    sr_buf_printf(out, "{\"a\":\"%s\",\"b\":\"%s\",\"bucket\":\"%s\"", a, b, buckets[bucket]);
    sr_buf_json_kv(out, "since", since);
    sr_buf_json_kv(out, "until", until);
    sr_buf_puts(out, ",\"buckets\":[");
    dyad_out o = { out, 0, SR_OK };
    sr_err e = sr_store_dyad_timeline(st, a, b, (sr_bucket)bucket, since, until, on_bucket, &o);
    if (e || o.err) {
        store_error(st, p->r, e ? e : o.err);
        return;
    }
    sr_buf_puts(out, "]}\n");
    p->r->cacheable = true;
}

/* ---- /api/network ---------------------------------------------------------------------- */

static void route_network(sr_store *st, params *p)
{
    const char *since = p_date(p, "since"), *until = p_date(p, "until");
    int64_t min = p_int(p, "min", 1, 1000000000, 1);
    if (!p_done(p) || !date_order(p, since, until))
        return;
    sr_network net;
    sr_err e = sr_store_network(st, since, until, min, MAX_NETWORK_EDGES, &net);
    if (e) {
        store_error(st, p->r, e);
        return;
    }
    sr_buf *b = &p->r->body;
    sr_buf_puts(b, "{");
    sr_buf_printf(b, "\"min\":%lld", (long long)min);
    sr_buf_json_kv(b, "since", since);
    sr_buf_json_kv(b, "until", until);
    sr_buf_puts(b, ",\"nodes\":[");
    for (size_t i = 0; i < net.nnodes; i++) {
        sr_buf_printf(b, "%s{\"id\":", i ? "," : "");
        sr_buf_json_str(b, net.nodes[i].actor, strlen(net.nodes[i].actor));
        sr_buf_printf(b, ",\"events\":%lld}", (long long)net.nodes[i].events);
    }
    sr_buf_puts(b, "],\"edges\":[");
    for (size_t i = 0; i < net.nedges; i++) {
        const sr_network_edge *ed = &net.edges[i];
        sr_buf_printf(b, "%s{\"source\":", i ? "," : "");
        sr_buf_json_str(b, ed->source, strlen(ed->source));
        sr_buf_puts(b, ",\"target\":");
        sr_buf_json_str(b, ed->target, strlen(ed->target));
        sr_buf_printf(b, ",\"events\":%lld,\"mentions\":%lld,\"goldstein_mean\":%.4g}",
                      (long long)ed->events, (long long)ed->mentions, ed->goldstein_mean);
    }
    e = sr_buf_printf(b, "],\"truncated\":%s}\n", net.truncated ? "true" : "false");
    sr_network_free(&net);
    if (e) {
        store_error(st, p->r, e);
        return;
    }
    p->r->cacheable = true;
}

/* ---- /api/search ----------------------------------------------------------------------- */

typedef struct search_page {
    sr_buf *b;
    int64_t skip;
    int limit, n;
    bool more;
    sr_err err;
} search_page;

static int on_hit(const sr_search_hit *h, void *ctx)
{
    search_page *pg = ctx;
    if (pg->skip > 0) {
        pg->skip--;
        return 0;
    }
    if (pg->n == pg->limit) {
        pg->more = true;
        return 1;
    }
    sr_buf *b = pg->b;
    if (pg->n++)
        sr_buf_putc(b, ',');
    sr_buf_printf(b, "{\"document\":%lld,\"story\":%lld", (long long)h->doc_id, (long long)h->story);
    sr_buf_json_kv(b, "title", h->title);
    sr_buf_json_kv(b, "outlet", h->outlet);
    sr_buf_json_kv(b, "published", h->published);
    sr_buf_json_kv(b, "url", h->url);
    sr_buf_json_kv(b, "snippet", h->snippet);
    sr_buf_printf(b, ",\"events\":%lld", (long long)h->events);
    sr_buf_json_kv(b, "event_codes", h->event_codes);
    pg->err = sr_buf_putc(b, '}');
    return pg->err != SR_OK;
}

static void route_search(sr_store *st, params *p)
{
    const char *q = p_text(p, "q", 512);
    if (!q && !p->bad && !raw(p, "q", NULL))
        bad(p, "q: wants the words to search for");
    int limit = (int)p_int(p, "limit", 1, SR_SERVE_MAX_LIMIT, 20);
    const char *cursor = raw(p, "cursor", NULL);
    int64_t offset = 0;
    if (cursor && !p->bad) {
        char key[8];
        if (!api_cursor_decode(cursor, 'q', &offset, key, sizeof key) || *key ||
            offset < 0 || offset + limit > MAX_SEARCH_DEPTH) {
            bad(p, "cursor: not a cursor this route gave out");
        }
    }
    if (!p_done(p))
        return;
    if (offset + limit > MAX_SEARCH_DEPTH) {
        api_error(p->r, 400, "search pages reach %d hits deep at most", MAX_SEARCH_DEPTH);
        return;
    }
    sr_buf *b = &p->r->body;
    sr_buf_puts(b, "{\"query\":");
    sr_buf_json_str(b, q, strlen(q));
    sr_buf_puts(b, ",\"items\":[");
    search_page pg = { b, offset, limit, 0, false, SR_OK };
    sr_err e = sr_store_search(st, q, (int)(offset + limit + 1), on_hit, &pg);
    if (e == SR_EPARSE) {
        api_error(p->r, 400, "q: not a full-text query (SQLite FTS5 syntax: words, \"a phrase\", AND/OR/NOT, prefix*)");
        return;
    }
    if (e || pg.err) {
        store_error(st, p->r, e ? e : pg.err);
        return;
    }
    sr_buf_puts(b, "],\"next_cursor\":");
    if (pg.more) {
        sr_buf_putc(b, '"');
        api_cursor_encode('q', offset + limit, "", b);
        sr_buf_putc(b, '"');
    } else {
        sr_buf_puts(b, "null");
    }
    sr_buf_puts(b, "}\n");
    p->r->cacheable = true;
}

/* ---- dispatch ---------------------------------------------------------------------- */

void api_handle(sr_store *st, api_route route, api_target *t, api_resp *r)
{
    params p = { t, r, false };
    switch (route) {
    case ROUTE_HEALTH: route_health(st, &p); break;
    case ROUTE_STORIES: route_stories(st, &p); break;
    case ROUTE_STORY: route_story(st, &p, t->segs[2]); break;
    case ROUTE_BRIEF: route_brief(st, &p, t->segs[2]); break;
    case ROUTE_EVENTS: route_events(st, &p); break;
    case ROUTE_DYAD: route_dyad(st, &p, t->segs[2], t->segs[3]); break;
    case ROUTE_NETWORK: route_network(st, &p); break;
    case ROUTE_SEARCH: route_search(st, &p); break;
    default: api_error(r, 404, "no such route: %s", "see /api/health and docs/serve.md"); break;
    }
    /* a body that hit its cap is an error of ours, never a truncated 200
     * (every single append is far below 1 MiB, so a refused one leaves the
     * body within 1 MiB of the cap) */
    if (r->status == 200 && !r->stream && r->body.len + (1u << 20) >= MAX_BODY)
        api_error(r, 500, "the answer is larger than %zu MiB", MAX_BODY >> 20);
}
