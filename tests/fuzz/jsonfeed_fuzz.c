/*
 * jsonfeed_fuzz - libFuzzer target for the JSON Feed reader, through
 * sr_jsonfeed_read() and through sr_feed_entries() (which also passes
 * entries that have only a link): every document's strings touched.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sitrep/base.h"
#include "sitrep/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
        sr_set_diag_sink(NULL, NULL);
        init = 1;
    }
    size_t n = 0;
    sr_ingest_opts opts = {0, NULL};
    sr_jsonfeed_read((const char *)data, size, "fuzz.json", &opts, touch, &n);
    sr_feed_entries((const char *)data, size, "fuzz.json", &opts, touch, &n);
    return 0;
}
