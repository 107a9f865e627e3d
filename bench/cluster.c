/*
 * bench/cluster.c - story clustering quality and speed on real headlines.
 *
 * Reads a UCI News Aggregator CSV (ID,TITLE,URL,PUBLISHER,CATEGORY,STORY,
 * HOSTNAME,TIMESTAMP), clusters the titles in timestamp order with the
 * store's clusterer (headline text only), and scores the result against the
 * aggregator's story ids: pairwise precision/recall/F1 (over all pairs of
 * headlines) and B-cubed F1.  The timestamps are NOT given to the
 * clusterer: in this file they are the aggregator's crawl times, one burst
 * per story, so a time window would read the answer off the clock.
 *
 * Reference timed in the same run: building the term bags alone, so the
 * ratio says what the clustering itself costs.
 *
 * usage: bench_cluster [--min-f1 F] FILE.csv   (exit 1 if pairwise F1 < F)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitrep/story.h"

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

int main(int argc, char **argv)
{
    double min_f1 = 0;
    int ai = 1;
    if (argc > 2 && strcmp(argv[1], "--min-f1") == 0) {
        min_f1 = strtod(argv[2], NULL);
        ai = 3;
    }
    if (ai >= argc) {
        fprintf(stderr, "usage: bench_cluster [--min-f1 F] FILE.csv\n");
        return 2;
    }
    char *data = NULL;
    size_t len = 0;
    if (sr_read_file(argv[ai], (size_t)64 << 20, &data, &len) != SR_OK) {
        fprintf(stderr, "bench_cluster: cannot read %s\n", argv[ai]);
        return 2;
    }
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
                return 3;
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

    sr_clusterer *cl = sr_clusterer_new(NULL);
    t0 = now();
    for (size_t i = 0; i < n; i++) {
        sr_cluster_result r;
        sr_story_terms_build(&t, rows[i].title, NULL, 0, NULL, 0);
        if (sr_clusterer_add(cl, &t, SR_TIME_UNKNOWN, 0, &r) != SR_OK)
            return 3;
        rows[i].got = r.story;
        /* stories merged away: their headlines now belong to r.story */
        for (size_t m = 0; m < r.nmerged; m++)
            for (size_t j = 0; j < i; j++)
                if (rows[j].got == r.merged[m])
                    rows[j].got = r.story;
    }
    double t_cluster = now() - t0;

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
    printf("cluster: %zu headlines, %zu gold stories, %zu stories found\n", n, nstories, nclusters);
    printf("cluster: pairwise P %.3f R %.3f F1 %.3f\n", P, R, F);
    printf("cluster: B-cubed P %.3f R %.3f F1 %.3f\n", bp, br, bf);
    printf("cluster: %.0f headlines/s clustering (CPU); terms alone %.0f/s; ratio %.2f (clustering+terms / terms)\n",
           n / (t_cluster > 0 ? t_cluster : 1e-9), n / (t_terms > 0 ? t_terms : 1e-9),
           t_terms > 0 ? t_cluster / t_terms : 0);
    (void)nterms;
    int rc = F >= min_f1 ? 0 : 1;
    if (min_f1 > 0)
        printf("cluster: pairwise F1 %.3f %s the bar %.2f\n", F, rc ? "is BELOW" : "meets", min_f1);
    for (size_t i = 0; i < n; i++) {
        free(rows[i].title);
        free(rows[i].story);
        free(got[i]);
        free(both[i]);
    }
    free(rows); free(gold); free(got); free(both); free(sg); free(sa); free(sb);
    sr_story_terms_free(&t);
    sr_clusterer_free(cl);
    return rc;
}
