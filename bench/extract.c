/*
 * bench/extract.c - article extraction quality and speed on the scrapinghub
 * article-extraction-benchmark (181 real pages + ground truth).
 *
 * Quality is the benchmark's own metric, re-implemented: text is tokenised
 * as Python's \w+ (Unicode letters, numbers, underscore), every run of 4
 * tokens is a shingle, and per page tp/fp/fn are counted over shingle
 * multisets and normalised by their sum; precision is averaged over pages
 * with tp+fp > 0, recall over pages with tp+fn > 0, and F1 is the harmonic
 * mean of those two averages.  Shingles are compared by 64-bit hash (a
 * collision would need two distinct 4-grams on one page to share a hash).
 *
 * Speed is CPU time per page on one core, next to a reference timed in the
 * same run on the same pages: libxml2's bare HTML parse (htmlReadMemory +
 * xmlFreeDoc), which any libxml2-based extractor must pay.  The machine is
 * shared and noisy, so the ratio is the figure to compare across runs.
 *
 * usage: bench_extract DIR [--passes N] [--worst K] [--dump ID]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <zlib.h>

#include "sitrep/html.h"

typedef struct page {
    char *id;
    char *html;
    size_t len;
    char *truth;
    double p, r, f1;
    int has_p, has_r;
} page;

static char *read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    for (;;) {
        if (!b)
            break;
        if (n == cap) {
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        int r = gzread(f, b + n, (unsigned)(cap - n));
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    gzclose(f);
    if (b) {
        b[n] = '\0';
        *len = n;
    }
    return b;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Token hashes of text under Python's \w+ (Unicode). */
static size_t tokenize(const char *s, uint64_t **out)
{
    size_t cap = 256, n = 0;
    uint64_t *t = malloc(cap * sizeof *t);
    int32_t i = 0, len = (int32_t)strlen(s);
    uint64_t h = 0;
    int in_tok = 0;
    while (t && i <= len) {
        UChar32 c = 0;
        int word = 0;
        if (i < len) {
            U8_NEXT(s, i, len, c);
            if (c == '_')
                word = 1;
            else if (c >= 0)
                word = (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
        } else {
            i++;
        }
        if (word) {
            h = (h ^ (uint64_t)c) * 0x100000001b3ULL;
            if (!in_tok)
                h = mix(h + 0x9e3779b97f4a7c15ULL);
            in_tok = 1;
        } else if (in_tok) {
            if (n == cap) {
                uint64_t *nt = realloc(t, cap * 2 * sizeof *t);
                if (!nt) {
                    free(t);
                    t = NULL;
                    break;
                }
                t = nt;
                cap *= 2;
            }
            t[n++] = mix(h);
            h = 0;
            in_tok = 0;
        }
    }
    *out = t;
    return t ? n : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t shingles(const char *text, uint64_t **out)
{
    uint64_t *tok;
    size_t nt = tokenize(text, &tok);
    *out = NULL;
    if (!tok || nt == 0) {
        free(tok);
        return 0;
    }
    size_t ns = nt >= 4 ? nt - 3 : 1;
    uint64_t *s = malloc(ns * sizeof *s);
    for (size_t i = 0; s && i < ns; i++) {
        uint64_t h = 0x12345;
        for (size_t j = i; j < i + 4 && j < nt; j++)
            h = mix(h ^ tok[j]) + j - i;
        s[i] = h;
    }
    free(tok);
    if (s)
        qsort(s, ns, sizeof *s, cmp_u64);
    *out = s;
    return s ? ns : 0;
}

static void score_page(page *pg, const char *pred)
{
    uint64_t *a, *b;
    size_t na = shingles(pg->truth, &a), nb = shingles(pred, &b);
    double tp = 0, fp = 0, fn = 0;
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (j >= nb || (i < na && a[i] < b[j])) { fn++; i++; }
        else if (i >= na || b[j] < a[i]) { fp++; j++; }
        else { tp++; i++; j++; }
    }
    free(a);
    free(b);
    double s = tp + fp + fn;
    if (s > 0) { tp /= s; fp /= s; fn /= s; }
    pg->has_p = tp + fp > 0;
    pg->has_r = tp + fn > 0;
    if (fp == 0 && fn == 0) { pg->p = pg->r = 1; }
    else {
        pg->p = tp + fp > 0 ? tp / (tp + fp) : 0;
        pg->r = tp + fn > 0 ? tp / (tp + fn) : 0;
    }
    pg->f1 = pg->p + pg->r > 0 ? 2 * pg->p * pg->r / (pg->p + pg->r) : 0;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_f1(const void *a, const void *b)
{
    const page *x = a, *y = b;
    return x->f1 < y->f1 ? -1 : x->f1 > y->f1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [--passes N] [--worst K] [--dump ID]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1], *dump = NULL;
    long passes = 3, worst = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--passes")) passes = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--worst")) worst = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--dump")) dump = argv[i + 1];
    }
    if (passes < 1)
        passes = 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/ground-truth.json", dir);
    json_error_t jerr;
    json_t *gt = json_load_file(path, 0, &jerr);
    if (!gt) {
        printf("skipped: %s not found\n", path);
        return 77;
    }
    size_t np = json_object_size(gt), k = 0;
    page *pages = calloc(np, sizeof *pages);
    const char *key;
    json_t *val;
    size_t bytes = 0;
    json_object_foreach(gt, key, val) {
        page *p = &pages[k];
        snprintf(path, sizeof path, "%s/html/%s.html.gz", dir, key);
        p->html = read_gz(path, &p->len);
        if (!p->html) {
            fprintf(stderr, "bench_extract: cannot read %s\n", path);
            continue;
        }
        p->id = strdup(key);
        const char *t = json_string_value(json_object_get(val, "articleBody"));
        p->truth = strdup(t ? t : "");
        bytes += p->len;
        k++;
    }
    np = k;

    if (dump) {
        for (size_t i = 0; i < np; i++) {
            if (strncmp(pages[i].id, dump, strlen(dump)))
                continue;
            sr_article a;
            sr_err e = sr_html_extract(pages[i].html, pages[i].len, NULL, NULL, &a);
            printf("err=%d\ntitle=%s\nauthor=%s\npublished=%s\nsite=%s\nurl=%s\nlang=%s\n----\n%s\n",
                   (int)e, a.title, a.author, a.published, a.site_name, a.url, a.lang,
                   a.text ? a.text : "");
            sr_article_free(&a);
        }
        return 0;
    }

    /* Quality. */
    size_t errors = 0;
    for (size_t i = 0; i < np; i++) {
        sr_article a;
        sr_err e = sr_html_extract(pages[i].html, pages[i].len, NULL, NULL, &a);
        if (e)
            errors++;
        score_page(&pages[i], e ? "" : a.text);
        sr_article_free(&a);
    }
    double sp = 0, sr = 0;
    size_t cp = 0, cr = 0, exact = 0, good90 = 0;
    for (size_t i = 0; i < np; i++) {
        if (pages[i].has_p) { sp += pages[i].p; cp++; }
        if (pages[i].has_r) { sr += pages[i].r; cr++; }
        exact += pages[i].f1 >= 0.9999;
        good90 += pages[i].f1 >= 0.9;
    }
    double P = cp ? sp / cp : 0, R = cr ? sr / cr : 0;
    double F1 = P + R > 0 ? 2 * P * R / (P + R) : 0;
    printf("extract quality: pages=%zu errors=%zu precision=%.3f recall=%.3f F1=%.3f "
           "exact=%.3f f1>=0.9=%.3f\n", np, errors, P, R, F1,
           np ? (double)exact / np : 0, np ? (double)good90 / np : 0);

    /* Speed: reference parse, then full extraction, same pages, same run. */
    double t0 = cpu_now();
    for (long p = 0; p < passes; p++)
        for (size_t i = 0; i < np; i++) {
            htmlDocPtr d = htmlReadMemory(pages[i].html, (int)pages[i].len, NULL, "UTF-8",
                                          HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                          HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                          HTML_PARSE_COMPACT);
            xmlFreeDoc(d);
        }
    double t1 = cpu_now();
    for (long p = 0; p < passes; p++)
        for (size_t i = 0; i < np; i++) {
            sr_article a;
            if (sr_html_extract(pages[i].html, pages[i].len, NULL, NULL, &a) == SR_OK)
                sr_article_free(&a);
        }
    double t2 = cpu_now();
    double n = (double)np * (double)passes;
    double ref = n / (t1 - t0), ours = n / (t2 - t1);
    printf("extract speed: %.0f pages/s per core (%.1f MB/s); libxml2 bare parse %.0f pages/s; "
           "ratio %.2f of bare parse (avg page %.0f KB)\n",
           ours, (double)bytes * passes / (t2 - t1) / 1e6, ref, ours / ref,
           np ? (double)bytes / np / 1024 : 0);

    if (worst > 0) {
        qsort(pages, np, sizeof *pages, cmp_f1);
        for (size_t i = 0; i < np && (long)i < worst; i++)
            printf("  %.3f P=%.3f R=%.3f %s\n", pages[i].f1, pages[i].p, pages[i].r, pages[i].id);
    }
    for (size_t i = 0; i < np; i++) {
        free(pages[i].id);
        free(pages[i].html);
        free(pages[i].truth);
    }
    free(pages);
    json_decref(gt);
    return 0;
}
