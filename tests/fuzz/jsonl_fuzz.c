/*
 * jsonl_fuzz - libFuzzer target for the JSON Lines reader: any bytes
 * through sr_jsonl_read() from a memory stream (gzip undone as in a file).
 * Covers the line splitter and its cap, the \u0000 / lone-surrogate repair
 * done in place before jansson parses a line, the first-line fallback that
 * tries the file as one JSON document (JSON Feed), and "html" fields that
 * go through the article extractor.  Every document must be NUL-free up to
 * text_len and valid UTF-8 where jansson produced it.
 */
#include <stddef.h>
#include <stdint.h>
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
    const char *s[] = {d->url, d->outlet, d->published, d->title, d->author, d->lang, d->meta_json};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (s[i])
            *n += strlen(s[i]);
    if (strlen(d->text) != d->text_len)
        __builtin_trap();
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
    /* a small cap so long lines and the whole-document fallback hit it */
    sr_ingest_opts opts = {(size_t)1 << 16, NULL};
    sr_jsonl_read(in, "fuzz.jsonl", &opts, touch, &n);
    sr_in_close(in);
    return 0;
}
