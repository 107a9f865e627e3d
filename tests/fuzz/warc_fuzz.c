/*
 * warc_fuzz - libFuzzer target for the WARC reader: any bytes as a WARC
 * (or WARC.gz: sr_in undoes gzip it finds) through sr_warc_read(), which
 * parses record headers, HTTP responses (chunked, gzip/deflate bodies)
 * and extracts the HTML payloads.  Lengths that lie, truncated members
 * and damaged gzip must be reported and passed, never trusted.  Then the
 * same bytes through sr_in alone, in reads of mixed sizes (big ones are
 * inflated straight into the caller's buffer, small ones through the
 * window), resuming after each corrupt member as the WARC reader does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/base.h"
#include "sitrep/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_diag(const char *line, void *ctx)
{
    (void)line;
    (void)ctx;
}

static int touch(const sr_doc *d, void *ctx)
{
    size_t *n = ctx;
    if (strlen(d->text) != d->text_len)
        __builtin_trap();
    *n += d->text_len + (d->url ? strlen(d->url) : 0) + (d->published ? strlen(d->published) : 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        sr_set_quiet(1);
        sr_set_diag_sink(no_diag, NULL);   /* skips too: a fuzzer prints nothing per input */
        init = 1;
    }
    sr_in *in = NULL;
    if (sr_in_open_mem(data, size, &in) != SR_OK)
        return 0;
    size_t n = 0;
    /* A small cap so the fuzzer reaches the over-the-cap paths. */
    sr_ingest_opts opts = {(size_t)1 << 20, NULL};
    sr_warc_read(in, "fuzz.warc", &opts, touch, &n);
    sr_in_close(in);

    static const size_t sizes[] = {1, 70000, 100, 4096, 200000, 32768};
    unsigned char *buf = malloc(200000);
    if (!buf || sr_in_open_mem(data, size, &in) != SR_OK) {
        free(buf);
        return 0;
    }
    size_t total = 0;
    for (size_t i = 0;; i++) {
        size_t k = sr_in_read(in, buf, sizes[i % 6]);
        if (k > sizes[i % 6])
            __builtin_trap();
        total += k;
        if (k == 0 && !(sr_in_error(in) && sr_in_resume(in)))
            break;
    }
    /* once the stream has ended, it stays ended */
    if (sr_in_read(in, buf, 1) != 0)
        __builtin_trap();
    (void)total;
    sr_in_close(in);
    free(buf);
    return 0;
}
