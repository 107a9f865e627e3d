/*
 * bench/text.c - sentence-splitting throughput, next to ICU's sentence
 * BreakIterator timed in the same run over the same bytes, and both
 * splitters' accuracy on the golden rules.
 *
 *   bench_text GROUND_TRUTH_JSON MIN_MB [SBD_DIR]
 *
 * The corpus is the article bodies of the scrapinghub extraction benchmark
 * (real news pages), repeated until it is at least MIN_MB.  sitrep runs as
 * `sitrep sentences` does: 1 MiB blocks cut at paragraph ends, layout
 * repair and splitting, no tokens.  ICU gets the same blocks converted to
 * UTF-16 (its native form; the conversion is timed with it, since a caller
 * holding UTF-8 has to pay it).  A third line times the full pipeline with
 * tokens, folding and lexicon lookups, as the coder uses it.  Each figure
 * is the best of 3 runs (the machine is shared and noisy); the ratio is
 * what to compare across machines.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "../tests/conformance/sbd_rules.h"
#include "sitrep/text.h"

#define BLOCK ((size_t)1 << 20)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sr_err load_corpus(const char *path, size_t min_bytes, sr_buf *out, size_t *ndocs)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root || !json_is_object(root)) {
        fprintf(stderr, "bench_text: %s: %s\n", path, root ? "not an object" : jerr.text);
        json_decref(root);
        return SR_EPARSE;
    }
    sr_buf one = SR_BUF_INIT(0);
    const char *key;
    json_t *v;
    *ndocs = 0;
    json_object_foreach(root, key, v) {
        const char *body = json_string_value(json_object_get(v, "articleBody"));
        if (!body || !*body)
            continue;
        sr_buf_puts(&one, body);
        sr_buf_puts(&one, "\n\n");
        (*ndocs)++;
    }
    json_decref(root);
    while (out->len < min_bytes && one.len)
        if (sr_buf_append(out, one.p, one.len) != SR_OK)
            break;
    sr_buf_free(&one);
    return out->len ? SR_OK : SR_EFORMAT;
}

/* Feed the corpus in stream blocks to fn; returns the count fn sums. */
typedef size_t (*block_fn)(const char *p, size_t n, void *ctx);
static size_t over_blocks(const sr_buf *c, block_fn fn, void *ctx)
{
    size_t off = 0, count = 0;
    while (off < c->len) {
        size_t have = c->len - off < BLOCK ? c->len - off : BLOCK;
        size_t cut = sr_text_next_block(c->p + off, c->len - off < BLOCK + 1 ? have : have + 1,
                                        BLOCK, c->len - off <= BLOCK);
        if (cut == 0)
            cut = have;
        count += fn(c->p + off, cut, ctx);
        off += cut;
    }
    return count;
}

typedef struct sx { sr_textdoc td; sr_text_opts o; size_t toks; } sx;

static size_t sitrep_block(const char *p, size_t n, void *ctx)
{
    sx *s = ctx;
    if (sr_text_analyze(&s->td, p, n, &s->o) != SR_OK)
        return 0;
    s->toks += s->td.ntoks;
    return s->td.nsents;
}

typedef struct ix { UBreakIterator *bi; UChar *u; size_t ucap; } ix;

static size_t icu_block(const char *p, size_t n, void *ctx)
{
    ix *s = ctx;
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = 0;
    if (n + 1 > s->ucap) {
        free(s->u);
        s->ucap = n + 1;
        s->u = malloc(s->ucap * sizeof *s->u);
    }
    u_strFromUTF8WithSub(s->u, (int32_t)s->ucap, &len, p, (int32_t)n, 0xFFFD, NULL, &err);
    if (U_FAILURE(err))
        return 0;
    ubrk_setText(s->bi, s->u, len, &err);
    size_t count = 0;
    for (int32_t b = ubrk_first(s->bi); b != UBRK_DONE; b = ubrk_next(s->bi))
        count++;
    return count ? count - 1 : 0;
}

static size_t icu_rules(const char *text, size_t n, sr_buf *out, void *ctx)
{
    ix *s = ctx;
    UErrorCode err = U_ZERO_ERROR;
    UChar u[4096];
    int32_t len = 0;
    u_strFromUTF8WithSub(u, 4096, &len, text, (int32_t)n, 0xFFFD, NULL, &err);
    ubrk_setText(s->bi, u, len, &err);
    size_t count = 0;
    int32_t prev = ubrk_first(s->bi);
    for (int32_t b = ubrk_next(s->bi); b != UBRK_DONE; prev = b, b = ubrk_next(s->bi)) {
        char tmp[8192];
        int32_t tn = 0;
        UErrorCode e2 = U_ZERO_ERROR;
        u_strToUTF8(tmp, sizeof tmp, &tn, u + prev, b - prev, &e2);
        /* ICU leaves the trailing white space on each sentence */
        while (tn > 0 && (tmp[tn - 1] == ' ' || tmp[tn - 1] == '\n'))
            tn--;
        if (tn == 0)
            continue;
        if (count++)
            sr_buf_putc(out, '\x1e');
        sr_buf_append(out, tmp, (size_t)tn);
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_text GROUND_TRUTH_JSON MIN_MB [SBD_DIR]\n");
        return 2;
    }
    size_t min = (size_t)strtoul(argv[2], NULL, 10) << 20;
    sr_buf corpus = SR_BUF_INIT((size_t)1 << 31);
    size_t ndocs;
    if (load_corpus(argv[1], min, &corpus, &ndocs) != SR_OK)
        return 1;
    double mb = (double)corpus.len / (1 << 20);
    printf("corpus: %zu article bodies repeated to %.1f MB\n", ndocs, mb);

    UErrorCode err = U_ZERO_ERROR;
    ix icu = { ubrk_open(UBRK_SENTENCE, "en_US", NULL, 0, &err), NULL, 0 };
    if (U_FAILURE(err)) {
        fprintf(stderr, "bench_text: ICU: %s\n", u_errorName(err));
        return 1;
    }
    sx split = { {0}, { NULL, false, true }, 0 };
    sr_lexicon *lex = sr_lexicon_new();
    sx full = { {0}, { lex, false, false }, 0 };
    double best_s = 1e9, best_i = 1e9, best_f = 1e9;
    size_t ns = 0, ni = 0, nf = 0;
    for (int run = 0; run < 3; run++) {
        double t0 = now();
        ns = over_blocks(&corpus, sitrep_block, &split);
        double t1 = now();
        ni = over_blocks(&corpus, icu_block, &icu);
        double t2 = now();
        full.toks = 0;
        nf = over_blocks(&corpus, sitrep_block, &full);
        double t3 = now();
        if (t1 - t0 < best_s) best_s = t1 - t0;
        if (t2 - t1 < best_i) best_i = t2 - t1;
        if (t3 - t2 < best_f) best_f = t3 - t2;
    }
    printf("sitrep sentences:        %8.1f MB/s  %zu sentences\n", mb / best_s, ns);
    printf("ICU BreakIterator:       %8.1f MB/s  %zu sentences (UTF-8 -> UTF-16 included)\n",
           mb / best_i, ni);
    printf("ratio sitrep/ICU:        %8.2f\n", best_i / best_s);
    printf("sitrep sentences+tokens: %8.1f MB/s  %zu sentences, %zu tokens, %.0f sentences/s\n",
           mb / best_f, nf, full.toks, (double)nf / best_f);

    if (argc > 3) {
        char p1[4096], p2[4096];
        snprintf(p1, sizeof p1, "%s/pysbd_golden_rules_en.json", argv[3]);
        snprintf(p2, sizeof p2, "%s/pragmatic_segmenter_golden_rules_en.json", argv[3]);
        int a, at, b, bt, c, ct, d, dt;
        sr_textdoc td = {0};
        if (sbd_run(p1, sbd_sitrep_split, &td, false, &a, &at) == 0 &&
            sbd_run(p2, sbd_sitrep_split, &td, false, &b, &bt) == 0 &&
            sbd_run(p1, icu_rules, &icu, false, &c, &ct) == 0 &&
            sbd_run(p2, icu_rules, &icu, false, &d, &dt) == 0) {
            printf("golden rules, sitrep:    pySBD %d/%d, pragmatic %d/%d\n", a, at, b, bt);
            printf("golden rules, ICU:       pySBD %d/%d, pragmatic %d/%d\n", c, ct, d, dt);
        }
        sr_textdoc_free(&td);
    }
    ubrk_close(icu.bi);
    free(icu.u);
    sr_textdoc_free(&split.td);
    sr_textdoc_free(&full.td);
    sr_lexicon_free(lex);
    sr_buf_free(&corpus);
    return 0;
}
