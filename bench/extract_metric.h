/*
 * bench/extract_metric.h - the scrapinghub article-extraction-benchmark
 * metric, shared by bench/extract.c (which prints it) and
 * tests/conformance/html_extraction_test.c (which asserts the bar).
 *
 * Text is tokenised as Python's \w+ (Unicode letters, numbers,
 * underscore), every run of 4 tokens is a shingle (a text of fewer tokens
 * is one shingle), and tp/fp/fn are counted over the two shingle multisets
 * and normalised by their sum.  Precision is averaged over pages with
 * tp+fp > 0, recall over pages with tp+fn > 0, and F1 is the harmonic mean
 * of the two averages.  Shingles are compared by 64-bit hash.
 *
 * Header-only (static functions) because it is two programs' private
 * helper, not a library API.
 */
#ifndef SITREP_BENCH_EXTRACT_METRIC_H
#define SITREP_BENCH_EXTRACT_METRIC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "sitrep/ingest.h"

typedef struct shingle_score {
    double p, r, f1;
    int has_p, has_r;
} shingle_score;

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

static void shingle_compare(const char *truth, const char *pred, shingle_score *pg)
{
    uint64_t *a, *b;
    size_t na = shingles(truth, &a), nb = shingles(pred, &b);
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

/* A benchmark page (.html.gz) as bytes, through the project's own reader
 * (gzip undone, capped at max); NULL if it cannot be read.  Caller frees. */
static char *metric_read_page(const char *path, size_t max, size_t *len)
{
    sr_in *in = NULL;
    char *b = NULL;
    if (sr_in_open(path, &in) != SR_OK)
        return NULL;
    if (sr_in_slurp(in, max, &b, len) != SR_OK || sr_in_error(in)) {
        free(b);
        b = NULL;
    }
    sr_in_close(in);
    return b;
}

#endif
