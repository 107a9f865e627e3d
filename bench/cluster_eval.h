/*
 * bench/cluster_eval.h - story clustering scored against a news aggregator's
 * story ids, shared by bench/cluster.c (figures, cross-validation, speed)
 * and the conformance test tests/conformance/story_clustering_test.c (the
 * bars).
 *
 * Reads a UCI News Aggregator CSV (ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,
 * HOSTNAME,TIMESTAMP), clusters the titles in timestamp order with the
 * store's clusterer and scores the result: pairwise precision/recall/F1
 * over all pairs of headlines, B-cubed, and the purity of the largest
 * stories found.  The timestamps (the aggregator's crawl times) are given
 * to the clusterer as `sitrep ingest` would give a document's date; its
 * time scale is a news cycle, fixed in advance, never tuned here: in this
 * file each story is one burst of crawling, and a time scale of minutes
 * would read the answer off the clock.  cluster_eval_opts.no_time runs
 * without times, to show the figures do not rest on them.
 *
 * Cross-validation: the gold stories are split in two halves by story id
 * (sorted ids, alternately), the settings are chosen by a grid search on
 * one half and scored on the other, both ways (cluster_cv).  Nothing is
 * chosen by looking at the half being scored.
 */
#ifndef SITREP_BENCH_CLUSTER_EVAL_H
#define SITREP_BENCH_CLUSTER_EVAL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitrep/story.h"

typedef struct cluster_big {
    int64_t story;
    size_t  size;
    double  purity;       /* share of its largest gold story */
    size_t  golds;        /* gold stories in it */
    char    title[96];    /* its first headline */
} cluster_big;

typedef struct cluster_scores {
    size_t headlines, gold_stories, stories;
    double p, r, f1;          /* pairwise */
    double bp, br, bf1;       /* B-cubed */
    size_t impure;            /* stories holding > 1 gold story at purity < 0.8 */
    size_t impure_size[8];    /* the first 8 of them: size and purity */
    double impure_purity[8];
    size_t max_split;         /* most stories one gold story is cut into */
    cluster_big big[8];       /* the largest stories found */
    size_t nbig;
    double cpu_cluster, cpu_terms;   /* seconds */
    size_t max_active;        /* most stories the clusterer held at once */
    size_t merges, splits;    /* the clusterer's own merges and splits */
} cluster_scores;

typedef struct crow {
    char *title, *story;
    long long ts;             /* milliseconds */
    int gold;                 /* index of the gold story (sorted ids) */
    int64_t got;
} crow;

typedef struct cluster_data {
    crow *rows;               /* in timestamp order */
    size_t n;
    char **golds;             /* distinct gold ids, sorted */
    size_t ngolds;
} cluster_data;

/* One CSV field starting at *p (RFC 4180 quoting); returns malloc'd text. */
static inline char *ce_field(const char **p)
{
    const char *s = *p;
    size_t cap = 64, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    bool quoted = *s == '"';
    if (quoted)
        s++;
    while (*s) {
        if (quoted) {
            if (*s == '"' && s[1] == '"') {
                s++;
            } else if (*s == '"') {
                s++;
                quoted = false;
                continue;
            }
        } else if (*s == ',' || *s == '\n' || *s == '\r') {
            break;
        }
        out[n++] = *s++;
        if (n + 1 >= cap) {
            char *g = realloc(out, cap *= 2);
            if (!g) {
                free(out);
                return NULL;
            }
            out = g;
        }
    }
    out[n] = '\0';
    if (*s == ',')
        s++;
    *p = s;
    return out;
}

static inline int ce_cmp_ts(const void *a, const void *b)
{
    const crow *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static inline int ce_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static inline double ce_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static inline void cluster_data_free(cluster_data *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->rows[i].title);
        free(d->rows[i].story);
    }
    free(d->rows);
    free(d->golds);
    memset(d, 0, sizeof *d);
}

/* 0 on success, -1 if the file cannot be read, -2 out of memory. */
static inline int cluster_data_load(const char *path, cluster_data *d)
{
    char *data = NULL;
    size_t len = 0;
    memset(d, 0, sizeof *d);
    if (sr_read_file(path, (size_t)64 << 20, &data, &len) != SR_OK)
        return -1;
    size_t cap = 0;
    const char *p = strchr(data, '\n');
    p = p ? p + 1 : data + len;
    while (*p) {
        char *f[8] = {0};
        for (int k = 0; k < 8; k++)
            f[k] = ce_field(&p);
        while (*p == '\r' || *p == '\n')
            p++;
        if (f[1] && f[5] && *f[5]) {
            if (sr_grow((void **)&d->rows, &cap, d->n + 1, sizeof *d->rows) != SR_OK) {
                free(data);
                return -2;
            }
            crow *r = &d->rows[d->n++];
            r->title = f[1];
            r->story = f[5];
            r->ts = f[7] ? strtoll(f[7], NULL, 10) : 0;
            r->got = 0;
            f[1] = f[5] = NULL;
        }
        for (int k = 0; k < 8; k++)
            free(f[k]);
    }
    free(data);
    qsort(d->rows, d->n, sizeof *d->rows, ce_cmp_ts);
    d->golds = malloc((d->n + 1) * sizeof *d->golds);
    if (!d->golds)
        return -2;
    for (size_t i = 0; i < d->n; i++)
        d->golds[i] = d->rows[i].story;
    qsort(d->golds, d->n, sizeof *d->golds, ce_cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        if (k == 0 || strcmp(d->golds[k - 1], d->golds[i]) != 0)
            d->golds[k++] = d->golds[i];
    d->ngolds = k;
    for (size_t i = 0; i < d->n; i++) {
        const char *key = d->rows[i].story;
        char **hit = bsearch(&key, d->golds, d->ngolds, sizeof *d->golds, ce_cmp_str);
        d->rows[i].gold = (int)(hit - d->golds);
    }
    return 0;
}

typedef struct cluster_eval_opts {
    bool no_time;            /* cluster without the timestamps */
    int  fold;               /* -1: every row; 0 or 1: the gold stories of that half */
    bool dump;               /* story, gold, headline to stderr */
} cluster_eval_opts;

/* fold 0 or 1: the gold stories of even or odd rank; fold >= 2: a
 * pseudo-random half of them, drawn by the fold number (resampling). */
static inline bool ce_in_fold(const cluster_data *d, const crow *r, int fold)
{
    (void)d;
    if (fold < 2)
        return fold < 0 || r->gold % 2 == fold;
    uint64_t h = (uint64_t)r->gold * 0x9E3779B97F4A7C15ull ^ (uint64_t)(fold >> 1) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return (int)(h & 1) == (fold & 1);
}

typedef struct ce_count {
    int64_t key;
    size_t n;
} ce_count;

static inline int ce_cmp_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] != y[1] ? (x[1] < y[1] ? -1 : 1) : 0;
}

/* Cluster the selected rows with co and score them.  0, or -2 (memory). */
static inline int cluster_run(cluster_data *d, const sr_cluster_opts *co,
                       const cluster_eval_opts *eo, cluster_scores *sc)
{
    memset(sc, 0, sizeof *sc);
    size_t *idx = malloc((d->n + 1) * sizeof *idx), n = 0;
    int64_t *docrow = NULL;
    if (!idx)
        return -2;
    for (size_t i = 0; i < d->n; i++)
        if (ce_in_fold(d, &d->rows[i], eo->fold))
            idx[n++] = i;
    sr_story_terms t = {0};
    double t0 = ce_now();
    for (size_t i = 0; i < n; i++)
        sr_story_terms_build(&t, d->rows[idx[i]].title, NULL, 0, NULL, 0);
    sc->cpu_terms = ce_now() - t0;

    sr_clusterer *cl = sr_clusterer_new(co);
    if (!cl) {
        free(idx);
        return -2;
    }
    t0 = ce_now();
    for (size_t i = 0; i < n; i++) {
        crow *r = &d->rows[idx[i]];
        sr_cluster_result res;
        sr_story_terms_build(&t, r->title, NULL, 0, NULL, 0);
        int64_t when = eo->no_time ? SR_TIME_UNKNOWN : r->ts / 1000;
        if (sr_clusterer_add(cl, &t, when, (int64_t)i + 1, 0, &res) != SR_OK) {
            sr_clusterer_free(cl);
            free(idx);
            return -2;
        }
        r->got = res.story;
        if (eo->dump && getenv("SITREP_CLUSTER_TRACE")) {
            fprintf(stderr, "T %zu -> %lld%s score %.3f near %lld", i + 1, (long long)res.story,
                    res.is_new ? " new" : "", res.score, (long long)res.nearest);
            for (size_t m = 0; m < res.nmerged; m++)
                fprintf(stderr, " merged %lld", (long long)res.merged[m]);
            if (res.split_into)
                fprintf(stderr, " split %lld->%lld (%zu)", (long long)res.split_from,
                        (long long)res.split_into, res.nmoved);
            fprintf(stderr, " | %s\n", r->title);
        }
        sc->merges += res.nmerged;
        sc->splits += res.split_into != 0;
        /* stories merged away: their headlines now belong to res.story */
        for (size_t m = 0; m < res.nmerged; m++)
            for (size_t j = 0; j < i; j++)
                if (d->rows[idx[j]].got == res.merged[m])
                    d->rows[idx[j]].got = res.story;
        /* a split moved these headlines (keys are positions + 1) */
        for (size_t m = 0; m < res.nmoved; m++) {
            size_t j = (size_t)(res.moved[m] - 1);
            if (j <= i)
                d->rows[idx[j]].got = res.split_into;
        }
        if (sr_clusterer_active(cl) > sc->max_active)
            sc->max_active = sr_clusterer_active(cl);
    }
    sc->cpu_cluster = ce_now() - t0;
    sr_clusterer_free(cl);
    sr_story_terms_free(&t);
    if (eo->dump)
        fprintf(stderr, "#run\n");
    if (eo->dump)
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%lld\t%s\t%s\n", (long long)d->rows[idx[i]].got,
                    d->rows[idx[i]].story, d->rows[idx[i]].title);

    /* (found, gold) pairs sorted: contingency counts */
    int64_t *pr = malloc((2 * n + 2) * sizeof *pr);
    size_t *gsize = calloc(d->ngolds + 1, sizeof *gsize);
    if (!pr || !gsize) {
        free(pr);
        free(gsize);
        free(idx);
        return -2;
    }
    for (size_t i = 0; i < n; i++) {
        pr[2 * i] = d->rows[idx[i]].got;
        pr[2 * i + 1] = d->rows[idx[i]].gold;
        gsize[d->rows[idx[i]].gold]++;
    }
    qsort(pr, n, 2 * sizeof *pr, ce_cmp_pair);
    double tp = 0, pa = 0, pg = 0, bp = 0, br = 0;
    size_t ngold = 0;
    for (size_t g = 0; g < d->ngolds; g++) {
        pg += (double)gsize[g] * (gsize[g] - 1) / 2;
        ngold += gsize[g] > 0;
    }
    /* walk clusters; within a cluster, runs of one gold story */
    size_t *splits = calloc(d->ngolds + 1, sizeof *splits);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pr[2 * j] == pr[2 * i])
            j++;
        size_t csize = j - i, golds = 0, maxrun = 0;
        for (size_t k = i; k < j;) {
            size_t l = k;
            while (l < j && pr[2 * l + 1] == pr[2 * k + 1])
                l++;
            size_t run = l - k;
            tp += (double)run * (run - 1) / 2;
            /* B-cubed: each of the run's items has precision run/csize and
             * recall run/|gold| */
            bp += (double)run * run / csize;
            br += (double)run * run / gsize[pr[2 * k + 1]];
            golds++;
            if (splits)
                splits[pr[2 * k + 1]]++;
            if (run > maxrun)
                maxrun = run;
            k = l;
        }
        pa += (double)csize * (csize - 1) / 2;
        sc->stories++;
        double purity = (double)maxrun / csize;
        if (golds > 1 && purity < 0.8) {
            if (sc->impure < 8) {
                sc->impure_size[sc->impure] = csize;
                sc->impure_purity[sc->impure] = purity;
            }
            sc->impure++;
        }
        /* keep the largest */
        cluster_big b = { pr[2 * i], csize, purity, golds, "" };
        size_t at = sc->nbig < 8 ? sc->nbig++ : 8;
        while (at > 0 && sc->big[at - 1].size < csize) {
            if (at < 8)
                sc->big[at] = sc->big[at - 1];
            at--;
        }
        if (at < 8)
            sc->big[at] = b;
        i = j;
    }
    for (size_t g = 0; splits && g < d->ngolds; g++)
        if (splits[g] > sc->max_split)
            sc->max_split = splits[g];
    for (size_t k = 0; k < sc->nbig; k++)
        for (size_t i = 0; i < n; i++)
            if (d->rows[idx[i]].got == sc->big[k].story) {
                snprintf(sc->big[k].title, sizeof sc->big[k].title, "%s", d->rows[idx[i]].title);
                break;
            }
    sc->headlines = n;
    sc->gold_stories = ngold;
    sc->p = pa ? tp / pa : 0;
    sc->r = pg ? tp / pg : 0;
    sc->f1 = sc->p + sc->r ? 2 * sc->p * sc->r / (sc->p + sc->r) : 0;
    sc->bp = n ? bp / n : 0;
    sc->br = n ? br / n : 0;
    sc->bf1 = sc->bp + sc->br ? 2 * sc->bp * sc->br / (sc->bp + sc->br) : 0;
    free(splits);
    free(pr);
    free(gsize);
    free(idx);
    free(docrow);
    return 0;
}

static inline int ce_no_story(int64_t id, int64_t first, int64_t last, uint32_t ndocs,
                               const void *blob, size_t len, void *ctx)
{
    (void)id; (void)first; (void)last; (void)ndocs; (void)blob; (void)len; (void)ctx;
    return 0;
}

/* Memory: the file replayed `passes` times, each pass `shift` seconds
 * later, flushed every 256 documents as the store does; held[k] is the
 * most stories the clusterer held after any flush of pass k (at most 16
 * passes).  What it holds depends on the window, not on how many documents
 * went by.  0, or -2 (memory). */
static inline int cluster_stream(cluster_data *d, const sr_cluster_opts *co, int passes,
                                 int64_t shift, size_t *held, double *cpu)
{
    sr_clusterer *cl = sr_clusterer_new(co);
    sr_story_terms t = {0};
    if (!cl)
        return -2;
    double t0 = ce_now();
    size_t k = 0;
    for (int p = 0; p < passes && p < 16; p++) {
        held[p] = 0;
        for (size_t i = 0; i < d->n; i++, k++) {
            sr_cluster_result r;
            sr_story_terms_build(&t, d->rows[i].title, NULL, 0, NULL, 0);
            if (sr_clusterer_add(cl, &t, d->rows[i].ts / 1000 + p * shift, (int64_t)k + 1, 0, &r)) {
                sr_clusterer_free(cl);
                sr_story_terms_free(&t);
                return -2;
            }
            if ((k + 1) % 256 == 0 || i + 1 == d->n) {
                sr_clusterer_flush_stories(cl, ce_no_story, NULL);
                if (sr_clusterer_active(cl) > held[p])
                    held[p] = sr_clusterer_active(cl);
            }
        }
    }
    *cpu = ce_now() - t0;
    sr_clusterer_free(cl);
    sr_story_terms_free(&t);
    return 0;
}

/* The settings grid searched on a training half: the thresholds and the
 * mix of nearest documents and profile.  Time scale, window, memory sizes
 * and the size prior stay as the defaults have them. */
static const double ce_assign[] = { 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.12, 0.14 };
static const double ce_merge[]  = { 0.10, 0.15, 0.20, 0.25, 0.30, 0.35 };
static const double ce_link[]   = { 0.0, 0.3, 0.5 };

/* What a training half is judged by: the bars.  Both F1s count, and each
 * story mixing gold stories at purity < 0.8 costs a point of F1: judged by
 * F1 alone the grid drifts to its lowest join threshold, where the stories
 * are a little fuller and more of them are mixed, which the bar forbids. */
#define CE_MIXED_COST 0.01
static inline double ce_objective(const cluster_scores *s)
{
    return (s->f1 + s->bf1) / 2 - CE_MIXED_COST * (double)s->impure;
}

/* The grid over the rows of `fold` (-1: all), best first in out[0..k). */
typedef struct cluster_setting {
    sr_cluster_opts o;
    cluster_scores  s;
} cluster_setting;

static inline int cluster_grid(cluster_data *d, const sr_cluster_opts *base, int fold,
                        cluster_setting *out, size_t k)
{
    size_t have = 0;
    cluster_eval_opts eo = { false, fold, false };
    for (size_t a = 0; a < sizeof ce_assign / sizeof ce_assign[0]; a++)
        for (size_t m = 0; m < sizeof ce_merge / sizeof ce_merge[0]; m++)
            for (size_t l = 0; l < sizeof ce_link / sizeof ce_link[0]; l++) {
                cluster_setting x = { *base, {0} };
                x.o.assign_min = ce_assign[a];
                x.o.merge_min = ce_merge[m];
                x.o.link_weight = ce_link[l];
                if (cluster_run(d, &x.o, &eo, &x.s))
                    return -2;
                size_t at = have < k ? have++ : k;
                while (at > 0 && ce_objective(&out[at - 1].s) < ce_objective(&x.s)) {
                    if (at < k)
                        out[at] = out[at - 1];
                    at--;
                }
                if (at < k)
                    out[at] = x;
            }
    return (int)have;
}

typedef struct cluster_fold {
    sr_cluster_opts chosen;       /* by the grid on the other half */
    cluster_scores  train, test;
} cluster_fold;

/* Two-fold cross-validation.  coarse: a smaller grid (for slow builds). */
#define CE_NA (sizeof ce_assign / sizeof ce_assign[0])
#define CE_NM (sizeof ce_merge / sizeof ce_merge[0])
#define CE_NL (sizeof ce_link / sizeof ce_link[0])

/* The objective of every setting of the grid (step 2: every other
 * threshold) over the rows of `fold`, in obj[a][m][l] (-1 where skipped). */
static inline int ce_grid_scores(cluster_data *d, const sr_cluster_opts *base,
                                 const cluster_eval_opts *eo, size_t step,
                                 double obj[CE_NA][CE_NM][CE_NL])
{
    for (size_t a = 0; a < CE_NA; a++)
        for (size_t m = 0; m < CE_NM; m++)
            for (size_t l = 0; l < CE_NL; l++) {
                obj[a][m][l] = -1;
                if (a % step || m % step)
                    continue;
                sr_cluster_opts o = *base;
                o.assign_min = ce_assign[a];
                o.merge_min = ce_merge[m];
                o.link_weight = ce_link[l];
                cluster_scores s;
                if (cluster_run(d, &o, eo, &s))
                    return -2;
                obj[a][m][l] = ce_objective(&s);
            }
    return 0;
}

/* The setting whose neighbourhood does best: each point's objective
 * averaged with its neighbours' (next threshold up and down, both
 * thresholds), so a lone peak the other half may not share is not chosen
 * over a broad plateau. */
static inline void ce_pick(double obj[CE_NA][CE_NM][CE_NL], size_t step,
                           const sr_cluster_opts *base, sr_cluster_opts *out, double *smoothed)
{
    double best = -1;
    *out = *base;
    for (size_t a = 0; a < CE_NA; a += step)
        for (size_t m = 0; m < CE_NM; m += step)
            for (size_t l = 0; l < CE_NL; l++) {
                double sum = 0;
                int n = 0;
                for (int da = -1; da <= 1; da++)
                    for (int dm = -1; dm <= 1; dm++) {
                        long x = (long)a + da * (long)step, y = (long)m + dm * (long)step;
                        if (x < 0 || y < 0 || x >= (long)CE_NA || y >= (long)CE_NM ||
                            obj[x][y][l] < 0)
                            continue;
                        sum += obj[x][y][l];
                        n++;
                    }
                if (n && sum / n > best) {
                    best = sum / n;
                    out->assign_min = ce_assign[a];
                    out->merge_min = ce_merge[m];
                    out->link_weight = ce_link[l];
                }
            }
    if (smoothed)
        *smoothed = best;
}

/* Two-fold cross-validation.  coarse: every other threshold (for slow
 * builds). */
static inline int cluster_cv_on(cluster_data *d, const sr_cluster_opts *base, bool no_time,
                                bool coarse, int fold0, cluster_fold folds[2])
{
    static double obj[CE_NA][CE_NM][CE_NL];
    size_t step = coarse ? 2 : 1;
    for (int test = 0; test < 2; test++) {
        cluster_fold *f = &folds[test];
        cluster_eval_opts tr = { no_time, fold0 + 1 - test, false }, te = { no_time, fold0 + test, false };
        if (ce_grid_scores(d, base, &tr, step, obj))
            return -2;
        ce_pick(obj, step, base, &f->chosen, NULL);
        if (cluster_run(d, &f->chosen, &tr, &f->train) ||
            cluster_run(d, &f->chosen, &te, &f->test))
            return -2;
    }
    return 0;
}

/* The two folds of the file: gold stories of even and odd rank. */
static inline int cluster_cv(cluster_data *d, const sr_cluster_opts *base, bool no_time,
                             bool coarse, cluster_fold folds[2])
{
    return cluster_cv_on(d, base, no_time, coarse, 0, folds);
}

#endif
