/*
 * sources_fuzz - libFuzzer target for the SOURCES file parser (and, through
 * it, URL normalisation): any bytes through sr_watch_sources_parse(); every
 * accepted line must carry an http(s) URL and a positive interval.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/base.h"
#include "sitrep/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(const sr_watch_source_line *l, void *ctx)
{
    (void)ctx;
    if (strncmp(l->url, "http://", 7) != 0 && strncmp(l->url, "https://", 8) != 0)
        __builtin_trap();
    if (l->interval <= 0 || (l->name && !*l->name))
        __builtin_trap();
    char *again = NULL;
    /* normalising a normalised URL changes nothing */
    if (sr_url_normalize(l->url, NULL, &again) != SR_OK || strcmp(again, l->url) != 0)
        __builtin_trap();
    free(again);
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
    sr_watch_sources_parse((const char *)data, size, "fuzz", check, NULL);
    return 0;
}
