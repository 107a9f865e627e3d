/*
 * feed_fuzz - libFuzzer target for the RSS/Atom (and JSON Feed) reader:
 * any bytes through sr_feed_read(), every document's strings touched.
 * Entity declarations must be refused, never expanded or fetched.
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
    size_t n = 0;
    sr_ingest_opts opts = {0};
    sr_feed_read((const char *)data, size, "fuzz.xml", &opts, touch, &n);
    return 0;
}
