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
 * usage: bench_extract DIR [--passes N] [--worst K] [--dump ID] [--out FILE.json]
 *   --out writes every prediction in the benchmark's output format, so the
 *   figures can be checked with its own evaluate.py
 *        bench_extract DIR --score PRED.json
 *   scores another extractor's predictions (same format) with the same
 *   metric, e.g. Readability.js's from bench/readability_bench.cjs
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>

#include "sitrep/html.h"
#include "extract_metric.h"

typedef struct page {
    char *id;
    char *html;
    size_t len;
    char *truth;
    shingle_score s;
} page;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_f1(const void *a, const void *b)
{
    const page *x = a, *y = b;
    return x->s.f1 < y->s.f1 ? -1 : x->s.f1 > y->s.f1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [--passes N] [--worst K] [--dump ID] [--out FILE]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1], *dump = NULL, *outfile = NULL, *scorefile = NULL;
    long passes = 3, worst = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--passes")) passes = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--worst")) worst = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--dump")) dump = argv[i + 1];
        else if (!strcmp(argv[i], "--out")) outfile = argv[i + 1];
        else if (!strcmp(argv[i], "--score")) scorefile = argv[i + 1];
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
        p->html = metric_read_page(path, (size_t)64 << 20, &p->len);
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

    if (scorefile) {
        json_t *pred = json_load_file(scorefile, 0, &jerr);
        if (!pred) {
            fprintf(stderr, "bench_extract: cannot read %s: %s\n", scorefile, jerr.text);
            return 1;
        }
        double sp = 0, sr = 0;
        size_t cp = 0, cr = 0;
        for (size_t i = 0; i < np; i++) {
            json_t *o = json_object_get(pred, pages[i].id);
            const char *t = json_string_value(json_object_get(o, "articleBody"));
            shingle_compare(pages[i].truth, t ? t : "", &pages[i].s);
            if (pages[i].s.has_p) { sp += pages[i].s.p; cp++; }
            if (pages[i].s.has_r) { sr += pages[i].s.r; cr++; }
        }
        double P = cp ? sp / cp : 0, R = cr ? sr / cr : 0;
        printf("%s quality: pages=%zu precision=%.3f recall=%.3f F1=%.3f\n", scorefile, np, P, R,
               P + R > 0 ? 2 * P * R / (P + R) : 0);
        json_decref(pred);
        return 0;
    }
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
    json_t *outj = outfile ? json_object() : NULL;
    for (size_t i = 0; i < np; i++) {
        sr_article a;
        sr_err e = sr_html_extract(pages[i].html, pages[i].len, NULL, NULL, &a);
        if (e)
            errors++;
        shingle_compare(pages[i].truth, e ? "" : a.text, &pages[i].s);
        if (outj)
            json_object_set_new(outj, pages[i].id,
                                json_pack("{s:s}", "articleBody", e ? "" : a.text));
        sr_article_free(&a);
    }
    double sp = 0, sr = 0;
    size_t cp = 0, cr = 0, exact = 0, good90 = 0;
    for (size_t i = 0; i < np; i++) {
        if (pages[i].s.has_p) { sp += pages[i].s.p; cp++; }
        if (pages[i].s.has_r) { sr += pages[i].s.r; cr++; }
        exact += pages[i].s.f1 >= 0.9999;
        good90 += pages[i].s.f1 >= 0.9;
    }
    if (outj) {
        if (json_dump_file(outj, outfile, JSON_INDENT(1)))
            fprintf(stderr, "bench_extract: cannot write %s\n", outfile);
        json_decref(outj);
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
            printf("  %.3f P=%.3f R=%.3f %s\n", pages[i].s.f1, pages[i].s.p, pages[i].s.r,
                   pages[i].id);
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
