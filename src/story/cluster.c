/*
 * cluster.c - incremental story clustering (single pass with merging).
 *
 * Each document is a TF-IDF vector over its terms (terms.c), IDF from the
 * document frequencies seen so far (smoothed: log((N+1)/(df+1)) + 1, so the
 * first documents are not all alike).  A story keeps the sum of its
 * documents' unit vectors as its centroid; when compared it is weighted by
 * the current IDF once more and normalized, which favours the rare words
 * a story is about over the common ones it happens to use.  A document
 * joins the story with the highest cosine if that is at least assign_min,
 * (weighted up a little for big stories: see size_prior) else opens a
 * story; then the story it joined is compared with the other
 * active stories and any at merge_min or above is merged into it (a story
 * that started as two threads, e.g. "hackers hit Mt. Gox CEO's blog" and
 * "Mt. Gox files for bankruptcy", becomes one when a document bridges them).
 *
 * Why not something cleverer: on the UCI headline set (bench/cluster.c) a
 * Dirichlet-multinomial stream model (MStream) and nearest-neighbour
 * linking scored no better than this and cost more; the merge step was
 * what helped.
 *
 * Memory is bounded: centroids keep their max_terms heaviest terms, and
 * stories idle for longer than the window, or beyond max_active, leave the
 * active set once flushed (the store keeps them).  The DF table grows with
 * the vocabulary up to SR_CLUSTER_MAX_DF_TERMS, then sheds its rarest
 * stored terms (df_prune).
 */
#include "sitrep/story.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- open-addressing maps keyed by term hash (0 is remapped to 1) -------- */

typedef struct tmap {
    uint64_t *key;
    float    *val;
    size_t    n, cap;       /* cap is 0 or a power of two */
} tmap;

static inline uint64_t fixkey(uint64_t k) { return k ? k : 1; }

static float *tmap_find(const tmap *m, uint64_t k)
{
    if (!m->cap)
        return NULL;
    k = fixkey(k);
    size_t mask = m->cap - 1, i = (size_t)(k * 0x9E3779B97F4A7C15ull >> 17) & mask;
    while (m->key[i]) {
        if (m->key[i] == k)
            return &m->val[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

static sr_err tmap_grow(tmap *m, size_t need)
{
    size_t nc = m->cap ? m->cap : 16;
    while (nc < need * 2)
        nc *= 2;
    if (nc == m->cap)
        return SR_OK;
    uint64_t *nk = calloc(nc, sizeof *nk);
    float *nv = calloc(nc, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return SR_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i])
            continue;
        size_t j = (size_t)(m->key[i] * 0x9E3779B97F4A7C15ull >> 17) & (nc - 1);
        while (nk[j])
            j = (j + 1) & (nc - 1);
        nk[j] = m->key[i];
        nv[j] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = nk;
    m->val = nv;
    m->cap = nc;
    return SR_OK;
}

/* Add w to key k's value (inserting it at 0). */
static sr_err tmap_add(tmap *m, uint64_t k, float w)
{
    float *v = tmap_find(m, k);
    if (v) {
        *v += w;
        return SR_OK;
    }
    if ((m->n + 1) * 2 > m->cap && tmap_grow(m, m->n + 1) != SR_OK)
        return SR_ENOMEM;
    k = fixkey(k);
    size_t mask = m->cap - 1, i = (size_t)(k * 0x9E3779B97F4A7C15ull >> 17) & mask;
    while (m->key[i])
        i = (i + 1) & mask;
    m->key[i] = k;
    m->val[i] = w;
    m->n++;
    return SR_OK;
}

static void tmap_free(tmap *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* DF entries: count and the change since the last flush, packed as two
 * floats would lose precision, so DF has its own map of uint32 pairs. */
typedef struct dfmap {
    uint64_t *key;
    uint32_t *df;
    int32_t  *delta;
    size_t    n, cap;
} dfmap;

static size_t df_slot(const dfmap *m, uint64_t k)
{
    size_t mask = m->cap - 1, i = (size_t)(k * 0x9E3779B97F4A7C15ull >> 17) & mask;
    while (m->key[i] && m->key[i] != k)
        i = (i + 1) & mask;
    return i;
}

static uint32_t df_get(const dfmap *m, uint64_t k)
{
    if (!m->cap)
        return 0;
    size_t i = df_slot(m, fixkey(k));
    return m->key[i] ? m->df[i] : 0;
}

/* The DF table grows with the vocabulary, and a corpus of hostile or
 * endless text has no end of distinct "words".  Past SR_CLUSTER_MAX_DF_TERMS
 * the rarest terms whose counts are already in the store (no pending delta)
 * are dropped from memory: their IDF then reads as that of an unseen term,
 * which for a term seen once or twice is almost what it was. */
static void df_prune(dfmap *m)
{
    for (uint32_t limit = 1; m->n > SR_CLUSTER_MAX_DF_TERMS / 4 * 3 && limit < UINT32_MAX / 2;
         limit *= 2) {
        dfmap g = { calloc(m->cap, 8), calloc(m->cap, 4), calloc(m->cap, 4), 0, m->cap };
        if (!g.key || !g.df || !g.delta) {
            free(g.key);
            free(g.df);
            free(g.delta);
            return;          /* no memory to prune with: the table stays */
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->key[i] || (m->delta[i] == 0 && m->df[i] <= limit))
                continue;
            size_t j = df_slot(&g, m->key[i]);
            g.key[j] = m->key[i];
            g.df[j] = m->df[i];
            g.delta[j] = m->delta[i];
            g.n++;
        }
        free(m->key);
        free(m->df);
        free(m->delta);
        *m = g;
    }
}

static sr_err df_add(dfmap *m, uint64_t k, uint32_t set, int32_t inc)
{
    k = fixkey(k);
    if (m->n + 1 > SR_CLUSTER_MAX_DF_TERMS)
        df_prune(m);
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        dfmap g = { calloc(nc, 8), calloc(nc, 4), calloc(nc, 4), 0, nc };
        if (!g.key || !g.df || !g.delta) {
            free(g.key);
            free(g.df);
            free(g.delta);
            return SR_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->key[i])
                continue;
            size_t j = df_slot(&g, m->key[i]);
            g.key[j] = m->key[i];
            g.df[j] = m->df[i];
            g.delta[j] = m->delta[i];
        }
        g.n = m->n;
        free(m->key);
        free(m->df);
        free(m->delta);
        *m = g;
    }
    size_t i = df_slot(m, k);
    if (!m->key[i]) {
        m->key[i] = k;
        m->df[i] = 0;
        m->delta[i] = 0;
        m->n++;
    }
    if (inc) {
        m->df[i] += (uint32_t)inc;
        m->delta[i] += inc;
    } else {
        m->df[i] = set;
    }
    return SR_OK;
}

/* ---- stories ----------------------------------------------------------------- */

#define TOP_TERMS 16   /* a document's heaviest terms, for finding candidate stories */

typedef struct story {
    int64_t  id;
    int64_t  first, last;   /* seconds, SR_TIME_UNKNOWN if no document had one */
    uint32_t ndocs;
    tmap     c;             /* centroid: sum of member unit vectors */
    double   norm;          /* |c * idf| when computed at norm_at documents */
    uint64_t norm_at;
    uint64_t touched;       /* sequence number of the last change */
    bool     dirty;         /* changed since the last flush */
    bool     stale;         /* changed since the norm was computed */
    bool     retired;       /* no longer a candidate; freed at the next flush */
} story;

struct sr_clusterer {
    sr_cluster_opts o;
    dfmap    df;
    uint64_t ndocs;
    int64_t  next_id;
    int64_t  tmax;          /* newest document time seen */
    uint64_t seq;
    story  **act;
    size_t   nact, capact;
    size_t   nretired;      /* of act[], retired ones awaiting the flush */
    /* stories merged away but not yet flushed: their final state is
     * "merged", which the caller learns from sr_cluster_result */
    float   *vbuf;          /* the current document's unit vector */
    float   *ibuf;          /* the IDF of each of its terms */
    size_t   vcap, icap;
};

static double idf(const sr_clusterer *c, uint64_t term)
{
    return log((double)(c->ndocs + 1) / (double)(df_get(&c->df, term) + 1)) + 1.0;
}

static double story_norm(sr_clusterer *c, story *s)
{
    /* IDF drifts slowly: recompute the weighted norm when the story changed
     * or the collection grew by 5% since */
    if (!s->stale && s->norm > 0 && c->ndocs < s->norm_at + s->norm_at / 20 + 1)
        return s->norm;
    double sum = 0;
    for (size_t i = 0; i < s->c.cap; i++) {
        if (!s->c.key[i])
            continue;
        double x = s->c.val[i] * idf(c, s->c.key[i]);
        sum += x * x;
    }
    s->norm = sqrt(sum);
    s->norm_at = c->ndocs;
    s->stale = false;
    return s->norm;
}

sr_clusterer *sr_clusterer_new(const sr_cluster_opts *opts)
{
    sr_clusterer *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    sr_cluster_opts d = SR_CLUSTER_DEFAULTS;
    c->o = opts ? *opts : d;
    if (c->o.max_terms < 16)
        c->o.max_terms = 16;
    if (c->o.max_active < 1)
        c->o.max_active = 1;
    c->next_id = 1;
    c->tmax = SR_TIME_UNKNOWN;
    return c;
}

static void story_free(story *s)
{
    if (s) {
        tmap_free(&s->c);
        free(s);
    }
}

void sr_clusterer_free(sr_clusterer *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nact; i++)
        story_free(c->act[i]);
    free(c->act);
    free(c->df.key);
    free(c->df.df);
    free(c->df.delta);
    free(c->vbuf);
    free(c->ibuf);
    free(c);
}

static story *story_new(sr_clusterer *c, int64_t id)
{
    if (sr_grow((void **)&c->act, &c->capact, c->nact + 1, sizeof *c->act) != SR_OK)
        return NULL;
    story *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->id = id;
    s->first = s->last = SR_TIME_UNKNOWN;
    c->act[c->nact++] = s;
    return s;
}

static story *find_story(sr_clusterer *c, int64_t id)
{
    for (size_t i = 0; i < c->nact; i++)
        if (c->act[i]->id == id) {
            story *s = c->act[i];
            if (s->retired) {
                /* as if it had left and come back empty, which it would
                 * have had a flush come between */
                tmap_free(&s->c);
                memset(&s->c, 0, sizeof s->c);
                s->ndocs = 0;
                s->first = s->last = SR_TIME_UNKNOWN;
                s->norm = 0;
                s->retired = false;
                c->nretired--;
            }
            return s;
        }
    return NULL;
}

/*
 * Stories idle for longer than the window before the newest document, then
 * beyond max_active the oldest, stop being candidates at the document that
 * made them so, not at the next flush: what a document joins then never
 * depends on where batches were committed or a run was restarted (the
 * store reloads exactly the stories this leaves: those within the window
 * of the newest, the newest max_active of them).  They are written and
 * freed at the next flush.
 */
static void retire(sr_clusterer *c)
{
    size_t live = 0;
    for (size_t k = 0; k < c->nact; k++) {
        story *s = c->act[k];
        if (s->retired)
            continue;
        if (c->tmax != SR_TIME_UNKNOWN && s->last != SR_TIME_UNKNOWN &&
            s->last < c->tmax - c->o.window) {
            s->retired = true;
            c->nretired++;
        } else {
            live++;
        }
    }
    while (live > c->o.max_active) {
        story *oldest = NULL;
        for (size_t k = 0; k < c->nact; k++)
            if (!c->act[k]->retired && (!oldest || c->act[k]->id < oldest->id))
                oldest = c->act[k];
        oldest->retired = true;
        c->nretired++;
        live--;
    }
}

typedef struct kv { uint64_t k; float v; } kv;

static int cmp_kv_desc(const void *a, const void *b)
{
    float x = ((const kv *)a)->v, y = ((const kv *)b)->v;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Keep the heaviest max_terms terms once a centroid has twice as many. */
static sr_err prune(sr_clusterer *c, story *s)
{
    if (s->c.n <= 2 * c->o.max_terms)
        return SR_OK;
    kv *all = sr_malloc_array(s->c.n, sizeof *all);
    if (!all)
        return SR_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < s->c.cap; i++)
        if (s->c.key[i])
            all[n++] = (kv){ s->c.key[i], s->c.val[i] };
    qsort(all, n, sizeof *all, cmp_kv_desc);
    tmap fresh = {0};
    sr_err e = tmap_grow(&fresh, c->o.max_terms);
    for (size_t i = 0; !e && i < c->o.max_terms && i < n; i++)
        e = tmap_add(&fresh, all[i].k, all[i].v);
    free(all);
    if (e) {
        tmap_free(&fresh);
        return e;
    }
    tmap_free(&s->c);
    s->c = fresh;
    return SR_OK;
}

static void touch(sr_clusterer *c, story *s, int64_t time)
{
    s->dirty = true;
    s->stale = true;
    s->touched = ++c->seq;
    if (time != SR_TIME_UNKNOWN) {
        if (s->first == SR_TIME_UNKNOWN || time < s->first)
            s->first = time;
        if (s->last == SR_TIME_UNKNOWN || time > s->last)
            s->last = time;
    }
}

static bool in_window(const sr_clusterer *c, const story *s, int64_t time)
{
    if (time == SR_TIME_UNKNOWN || s->last == SR_TIME_UNKNOWN)
        return true;
    int64_t d = time > s->last ? time - s->last : s->first - time;
    return d <= c->o.window;
}

/* Cosine between story a (weighted, normalized) and story b. */
static double story_cos(sr_clusterer *c, story *a, story *b)
{
    double na = story_norm(c, a), nb = story_norm(c, b);
    if (na <= 0 || nb <= 0)
        return 0;
    const story *small = a->c.n <= b->c.n ? a : b, *big = small == a ? b : a;
    double dot = 0;
    for (size_t i = 0; i < small->c.cap; i++) {
        if (!small->c.key[i])
            continue;
        const float *w = tmap_find(&big->c, small->c.key[i]);
        if (w) {
            double x = idf(c, small->c.key[i]);
            dot += (double)small->c.val[i] * *w * x * x;
        }
    }
    return dot / (na * nb);
}

sr_err sr_clusterer_add(sr_clusterer *c, const sr_story_terms *t, int64_t time,
                        int64_t force_story, sr_cluster_result *out)
{
    memset(out, 0, sizeof *out);
    c->ndocs++;
    for (size_t i = 0; i < t->n; i++)
        if (df_add(&c->df, t->term[i], 0, 1) != SR_OK)
            return SR_ENOMEM;
    if (time != SR_TIME_UNKNOWN && (c->tmax == SR_TIME_UNKNOWN || time > c->tmax)) {
        c->tmax = time;
        retire(c);
    }
    if (sr_grow((void **)&c->vbuf, &c->vcap, t->n + 1, sizeof *c->vbuf) != SR_OK ||
        sr_grow((void **)&c->ibuf, &c->icap, t->n + 1, sizeof *c->ibuf) != SR_OK)
        return SR_ENOMEM;
    double norm = 0;
    for (size_t i = 0; i < t->n; i++) {
        c->ibuf[i] = (float)idf(c, t->term[i]);
        c->vbuf[i] = (float)(t->weight[i] * c->ibuf[i]);
        norm += (double)c->vbuf[i] * c->vbuf[i];
    }
    norm = sqrt(norm);
    for (size_t i = 0; i < t->n && norm > 0; i++)
        c->vbuf[i] = (float)(c->vbuf[i] / norm);

    story *best = NULL;
    if (force_story > 0) {
        best = find_story(c, force_story);
        if (!best) {
            /* the original's story is no longer active: bring it back
             * empty; it grows again from this copy */
            best = story_new(c, force_story);
            if (!best)
                return SR_ENOMEM;
            if (force_story >= c->next_id)
                c->next_id = force_story + 1;
        }
    } else if (t->n > 0) {
        double bs = 0;
        /* a story that has none of the document's heaviest terms cannot be
         * close to it: look those up first, and score only the stories that
         * have one (a full article has a hundred terms, a window of
         * stories a thousand) */
        size_t top[TOP_TERMS], ntop = 0;
        for (size_t i = 0; i < t->n; i++) {
            size_t at = ntop < TOP_TERMS ? ntop++ : TOP_TERMS;
            while (at > 0 && c->vbuf[top[at - 1]] < c->vbuf[i]) {
                if (at < TOP_TERMS)
                    top[at] = top[at - 1];
                at--;
            }
            if (at < TOP_TERMS)
                top[at] = i;
        }
        for (size_t k = 0; k < c->nact; k++) {
            story *s = c->act[k];
            if (s->retired || !in_window(c, s, time))
                continue;
            /* short texts, and few stories: score them all (in a small
             * collection IDF is weak, and a document's heaviest terms are
             * the ones no story has yet) */
            bool shares = t->n <= 2 * TOP_TERMS || c->nact - c->nretired <= 64;
            for (size_t j = 0; j < ntop && !shares; j++)
                shares = tmap_find(&s->c, t->term[top[j]]) != NULL;
            if (!shares)
                continue;
            double sn = story_norm(c, s);
            if (sn <= 0)
                continue;
            double dot = 0;
            for (size_t i = 0; i < t->n; i++) {
                const float *w = tmap_find(&s->c, t->term[i]);
                if (w)
                    dot += (double)c->vbuf[i] * *w * c->ibuf[i];
            }
            /* a size prior, as in Chinese-restaurant-process stream models:
             * a story many outlets are covering is the likelier home for
             * one more report that matches it only loosely */
            dot = dot / sn * (1.0 + c->o.size_prior * log((double)(s->ndocs ? s->ndocs : 1)));
            if (dot > bs) {
                bs = dot;
                best = s;
            }
        }
        if (best && bs >= c->o.assign_min)
            out->similarity = bs;
        else
            best = NULL;
    }
    if (!best) {
        best = story_new(c, c->next_id++);
        if (!best)
            return SR_ENOMEM;
        out->is_new = true;
        retire(c);    /* one more live story may pass max_active */
    }
    for (size_t i = 0; i < t->n; i++)
        if (tmap_add(&best->c, t->term[i], c->vbuf[i]) != SR_OK)
            return SR_ENOMEM;
    best->ndocs++;
    touch(c, best, time);
    if (prune(c, best) != SR_OK)
        return SR_ENOMEM;
    out->story = best->id;

    /* merging: the story that grew may now be as close to another as a
     * story is to itself */
    /* (a story just opened matched nothing well enough to join: it will not
     * be close enough to merge either) */
    for (size_t k = 0; k < c->nact && out->nmerged < 8 && t->n > 0 && !out->is_new; k++) {
        story *s = c->act[k];
        if (s == best || s->retired || !in_window(c, s, time))
            continue;
        if (story_cos(c, best, s) < c->o.merge_min)
            continue;
        for (size_t i = 0; i < s->c.cap; i++)
            if (s->c.key[i] && tmap_add(&best->c, s->c.key[i], s->c.val[i]) != SR_OK)
                return SR_ENOMEM;
        best->ndocs += s->ndocs;
        if (s->first != SR_TIME_UNKNOWN)
            touch(c, best, s->first);
        if (s->last != SR_TIME_UNKNOWN)
            touch(c, best, s->last);
        touch(c, best, SR_TIME_UNKNOWN);
        if (prune(c, best) != SR_OK)
            return SR_ENOMEM;
        out->merged[out->nmerged++] = s->id;
        story_free(s);
        /* order kept: which story a tie goes to must not depend on what
         * else sits in the array (retired stories until the flush) */
        memmove(&c->act[k], &c->act[k + 1], (c->nact - k - 1) * sizeof *c->act);
        c->nact--;
        k = (size_t)-1;  /* the list changed: look again from the start */
    }
    return SR_OK;
}

void sr_clusterer_restore_counts(sr_clusterer *c, uint64_t ndocs, int64_t next_id)
{
    c->ndocs = ndocs;
    if (next_id > c->next_id)
        c->next_id = next_id;
}

sr_err sr_clusterer_restore_df(sr_clusterer *c, uint64_t term, uint32_t df)
{
    return df_add(&c->df, term, df, 0);
}

#define BLOB_ENTRY 12   /* 8-byte term + 4-byte float, host byte order */

sr_err sr_clusterer_restore_story(sr_clusterer *c, int64_t id, int64_t first,
                                  int64_t last, uint32_t ndocs,
                                  const void *blob, size_t len)
{
    if (len % BLOB_ENTRY)
        return SR_EINVAL;
    story *s = find_story(c, id);
    if (!s) {
        s = story_new(c, id);
        if (!s)
            return SR_ENOMEM;
    }
    s->first = first;
    s->last = last;
    s->ndocs = ndocs;
    s->stale = true;
    s->touched = ++c->seq;
    if (tmap_grow(&s->c, len / BLOB_ENTRY + 1) != SR_OK)
        return SR_ENOMEM;
    const unsigned char *p = blob;
    for (size_t off = 0; off < len; off += BLOB_ENTRY) {
        uint64_t k;
        float w;
        memcpy(&k, p + off, 8);
        memcpy(&w, p + off + 8, 4);
        if (tmap_add(&s->c, k, w) != SR_OK)
            return SR_ENOMEM;
    }
    if (id >= c->next_id)
        c->next_id = id + 1;
    if (last != SR_TIME_UNKNOWN && (c->tmax == SR_TIME_UNKNOWN || last > c->tmax))
        c->tmax = last;
    return SR_OK;
}

uint64_t sr_clusterer_ndocs(const sr_clusterer *c) { return c->ndocs; }
int64_t  sr_clusterer_next_id(const sr_clusterer *c) { return c->next_id; }

size_t sr_clusterer_df_terms(const sr_clusterer *c) { return c->df.n; }

int sr_clusterer_flush_df(sr_clusterer *c, sr_df_fn fn, void *ctx)
{
    for (size_t i = 0; i < c->df.cap; i++) {
        if (!c->df.key[i] || !c->df.delta[i])
            continue;
        int rc = fn(c->df.key[i], c->df.delta[i], ctx);
        if (rc)
            return rc;
        c->df.delta[i] = 0;
    }
    return 0;
}

int sr_clusterer_flush_stories(sr_clusterer *c, sr_story_state_fn fn, void *ctx)
{
    unsigned char *blob = NULL;
    size_t bcap = 0;
    int rc = 0;
    for (size_t k = 0; k < c->nact; k++) {
        story *s = c->act[k];
        if (!s->dirty)
            continue;
        if (sr_grow((void **)&blob, &bcap, s->c.n * BLOB_ENTRY + 1, 1) != SR_OK) {
            rc = SR_ENOMEM;
            goto out;
        }
        size_t len = 0;
        for (size_t i = 0; i < s->c.cap; i++) {
            if (!s->c.key[i])
                continue;
            memcpy(blob + len, &s->c.key[i], 8);
            memcpy(blob + len + 8, &s->c.val[i], 4);
            len += BLOB_ENTRY;
        }
        rc = fn(s->id, s->first, s->last, s->ndocs, blob, len, ctx);
        if (rc)
            goto out;
        s->dirty = false;
    }
    /* the stories retire() took out of the running leave, now written */
    size_t kept = 0;
    for (size_t k = 0; k < c->nact; k++) {
        if (c->act[k]->retired)
            story_free(c->act[k]);
        else
            c->act[kept++] = c->act[k];
    }
    c->nact = kept;
    c->nretired = 0;
out:
    free(blob);
    return rc;
}
