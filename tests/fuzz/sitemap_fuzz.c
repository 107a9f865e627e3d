/*
 * sitemap_fuzz - libFuzzer target for the sitemap reader: any bytes through
 * sr_sitemap_detect() and sr_sitemap_read(); every entry has a location,
 * and entity declarations are refused, never expanded.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sitrep/base.h"
#include "sitrep/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(const sr_sitemap_entry *e, void *ctx)
{
    size_t *n = ctx;
    if (!e->loc || !*e->loc)
        __builtin_trap();
    *n += strlen(e->loc) + (e->title ? strlen(e->title) : 0) + (e->outlet ? strlen(e->outlet) : 0);
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
    (void)sr_sitemap_detect((const char *)data, size);
    sr_sitemap_read((const char *)data, size, "fuzz.xml", touch, &n);
    return 0;
}
