/*
 * bench/cluster_eval.h - story clustering scored against a news aggregator's
 * story ids, shared by bench/cluster.c (figures and speed) and the
 * conformance test tests/conformance/story_clustering_test.c (the bar).
 *
 * Reads a UCI News Aggregator CSV (ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,
 * HOSTNAME,TIMESTAMP), clusters the titles in timestamp order with the
 * store's clusterer (headline text only) and scores the result: pairwise
 * precision/recall/F1 over all pairs of headlines, and B-cubed.  The
 * timestamps order the stream but are NOT given to the clusterer: in this
 * file they are the aggregator's crawl times, one burst per story, so a
 * time window would read the answer off the clock.
 */
#ifndef SITREP_BENCH_CLUSTER_EVAL_H
#define SITREP_BENCH_CLUSTER_EVAL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitrep/story.h"

typedef struct cluster_scores {
    size_t headlines, gold_stories, stories;
    double p, r, f1;          /* pairwise */
    double bp, br, bf1;       /* B-cubed */
    double cpu_cluster, cpu_terms;   /* seconds */
} cluster_scores;

typedef struct row {
    char *title, *story;
    long long ts;
    int64_t got;
} row;

/* One CSV field starting at *p (RFC 4180 quoting); returns malloc'd text. */
static char *field(const char **p)
{
    const char *s = *p;
    size_t cap = 64, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    if (*s == '"') {
        s++;
        while (*s) {
            if (*s == '"' && s[1] == '"') {
                s += 2;
                out[n++] = '"';
            } else if (*s == '"') {
                s++;
                break;
            } else {
                out[n++] = *s++;
            }
            if (n + 1 >= cap) {
                char *g = realloc(out, cap *= 2);
                if (!g) { free(out); return NULL; }
                out = g;
            }
        }
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r') {
        out[n++] = *s++;
        if (n + 1 >= cap) {
            char *g = realloc(out, cap *= 2);
            if (!g) { free(out); return NULL; }
            out = g;
        }
    }
    out[n] = '\0';
    if (*s == ',')
        s++;
    *p = s;
    return out;
}

static int cmp_ts(const void *a, const void *b)
{
    const row *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* pairs within groups of a labelling given as keys (sorted copies) */
static double pairs_of(const char **keys, size_t n)
{
    double p = 0;
    size_t run = 1;
    for (size_t i = 1; i <= n; i++) {
        if (i < n && strcmp(keys[i], keys[i - 1]) == 0) {
            run++;
        } else {
            p += (double)run * (run - 1) / 2;
            run = 1;
        }
    }
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}


/* 0 on success, -1 if the file cannot be read, -2 out of memory. */
static int cluster_eval(const char *path, const sr_cluster_opts *co, bool dump,
                        cluster_scores *sc)
{
    char *data = NULL;
    size_t len = 0;
    memset(sc, 0, sizeof *sc);
    if (sr_read_file(path, (size_t)64 << 20, &data, &len) != SR_OK)
        return -1;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    const char *p = strchr(data, '\n');
    p = p ? p + 1 : data + len;
    while (*p) {
        char *f[8] = {0};
        for (int k = 0; k < 8; k++)
            f[k] = field(&p);
        while (*p == '\r' || *p == '\n')
            p++;
        if (f[1] && f[5] && *f[5]) {
            if (sr_grow((void **)&rows, &cap, n + 1, sizeof *rows) != SR_OK)
                return -2;
            rows[n].title = f[1];
            rows[n].story = f[5];
            rows[n].ts = f[7] ? strtoll(f[7], NULL, 10) : 0;
            f[1] = f[5] = NULL;
            n++;
        }
        for (int k = 0; k < 8; k++)
            free(f[k]);
    }
    free(data);
    qsort(rows, n, sizeof *rows, cmp_ts);

    sr_story_terms t = {0};
    double t0 = now();
    size_t nterms = 0;
    for (size_t i = 0; i < n; i++) {
        sr_story_terms_build(&t, rows[i].title, NULL, 0, NULL, 0);
        nterms += t.n;
    }
    double t_terms = now() - t0;

    sr_clusterer *cl = sr_clusterer_new(co);
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        sr_cluster_result r;
        sr_story_terms_build(&t, rows[i].title, NULL, 0, NULL, 0);
        if (sr_clusterer_add(cl, &t, SR_TIME_UNKNOWN, 0, &r) != SR_OK)
            return -2;
        rows[i].got = r.story;
        /* stories merged away: their headlines now belong to r.story */
        for (size_t m = 0; m < r.nmerged; m++)
            for (size_t j = 0; j < i; j++)
                if (rows[j].got == r.merged[m])
                    rows[j].got = r.story;
    }
    double t_cluster = now() - t0;
    if (dump)   /* story, gold, headline: for error analysis */
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%lld\t%s\t%s\n", (long long)rows[i].got, rows[i].story, rows[i].title);

    /* scores */
    char **gold = malloc(n * sizeof *gold), **got = malloc(n * sizeof *got),
         **both = malloc(n * sizeof *both);
    for (size_t i = 0; i < n; i++) {
        char b[32];
        snprintf(b, sizeof b, "%020lld", (long long)rows[i].got);
        got[i] = strdup(b);
        size_t l = strlen(rows[i].story) + 32;
        both[i] = malloc(l);
        snprintf(both[i], l, "%s|%s", rows[i].story, b);
        gold[i] = rows[i].story;
    }
    const char **sg = malloc(n * sizeof *sg), **sa = malloc(n * sizeof *sa),
               **sb = malloc(n * sizeof *sb);
    memcpy(sg, gold, n * sizeof *sg);
    memcpy(sa, got, n * sizeof *sa);
    memcpy(sb, both, n * sizeof *sb);
    qsort(sg, n, sizeof *sg, cmp_str);
    qsort(sa, n, sizeof *sa, cmp_str);
    qsort(sb, n, sizeof *sb, cmp_str);
    double tp = pairs_of(sb, n), pg = pairs_of(sg, n), pa = pairs_of(sa, n);
    double P = pa ? tp / pa : 0, R = pg ? tp / pg : 0, F = P + R ? 2 * P * R / (P + R) : 0;
    /* B-cubed: per item, |gold ∩ cluster| / |cluster| and / |gold| */
    double bp = 0, br = 0;
    size_t nstories = 0, nclusters = 0;
    for (size_t i = 0; i < n; i++) {
        size_t ng = 0, na = 0, nb = 0;
        for (size_t j = 0; j < n; j++) {
            bool g = strcmp(gold[i], gold[j]) == 0, a = rows[i].got == rows[j].got;
            ng += g;
            na += a;
            nb += g && a;
        }
        bp += (double)nb / na;
        br += (double)nb / ng;
    }
    for (size_t i = 0; i < n; i++) {
        nstories += i == 0 || strcmp(sg[i], sg[i - 1]) != 0;
        nclusters += i == 0 || strcmp(sa[i], sa[i - 1]) != 0;
    }
    bp /= n;
    br /= n;
    double bf = bp + br ? 2 * bp * br / (bp + br) : 0;
    sc->headlines = n;
    sc->gold_stories = nstories;
    sc->stories = nclusters;
    sc->p = P; sc->r = R; sc->f1 = F;
    sc->bp = bp; sc->br = br; sc->bf1 = bf;
    sc->cpu_cluster = t_cluster;
    sc->cpu_terms = t_terms;
    (void)nterms;
    for (size_t i = 0; i < n; i++) {
        free(rows[i].title);
        free(rows[i].story);
        free(got[i]);
        free(both[i]);
    }
    free(rows); free(gold); free(got); free(both); free(sg); free(sa); free(sb);
    sr_story_terms_free(&t);
    sr_clusterer_free(cl);
    return 0;
}

#endif
