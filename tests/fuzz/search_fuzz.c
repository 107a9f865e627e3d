/*
 * search_fuzz - libFuzzer target for full-text search queries: any bytes
 * (cut at the first NUL) as a `sitrep search` query, first through
 * sr_search_normalize() (the lexer that drops repeated terms and counts
 * them), then through sr_store_search() against a small store made once
 * in a temporary folder.  Every query must end within the search budget
 * with a hit list or a clean error (parse error, too many terms), never a
 * crash, and the normalized query is at most a space per term longer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/base.h"
#include "sitrep/doc.h"
#include "sitrep/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_diag(const char *line, void *ctx)
{
    (void)line;
    (void)ctx;
}

static sr_store *st;
static char dir[] = "/tmp/sitrep-search-fuzz-XXXXXX";

/* The store's folder goes when the fuzzer ends. */
static void remove_store(void)
{
    static const char *const files[] = {"s.db", "s.db-wal", "s.db-shm"};
    char path[96];
    sr_store_close(st);
    st = NULL;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void make_store(void)
{
    if (!mkdtemp(dir))
        abort();
    atexit(remove_store);
    char path[64];
    snprintf(path, sizeof path, "%s/s.db", dir);
    if (sr_store_open(path, &st) != SR_OK)
        abort();
    static const char *const texts[] = {
        "Delegates met in Geneva on Monday to discuss the ceasefire and the talks went on.",
        "Troops withdrew from the border town on Tuesday, officials said after the talks.",
        "The minister visited Jakarta and signed a defence agreement with Indonesia.",
        "Protesters gathered outside the parliament in Ankara demanding new elections.",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        sr_doc d = {0};
        d.path = "fuzz";
        d.title = "Report";
        d.published = "2024-05-01";
        d.text = texts[i];
        d.text_len = strlen(texts[i]);
        sr_store_input in = {&d, i % 2 ? "Wire" : "Post", NULL, 0, 0};
        sr_store_added res;
        if (sr_store_add(st, &in, &res) != SR_OK)
            abort();
    }
    if (sr_store_commit(st) != SR_OK)
        abort();
}

static int on_hit(const sr_search_hit *h, void *ctx)
{
    size_t *n = ctx;
    *n += h->snippet ? strlen(h->snippet) : 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st) {
        sr_set_quiet(1);
        sr_set_diag_sink(no_diag, NULL);   /* skips too: a fuzzer prints nothing per input */
        make_store();
    }
    char *q = malloc(size + 1);
    if (!q)
        return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    sr_buf norm = SR_BUF_INIT(1 << 20);
    size_t terms;
    if (sr_search_normalize(q, &norm, &terms) == SR_OK && norm.len > 2 * strlen(q))
        __builtin_trap();
    sr_buf_free(&norm);
    size_t n = 0;
    sr_store_search(st, q, 5, on_hit, &n);
    free(q);
    return 0;
}
