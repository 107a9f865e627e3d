/*
 * robots_fuzz - libFuzzer target for the robots.txt parser and matcher:
 * the input's first line is a path to match, the rest a robots.txt.
 * /robots.txt must always be allowed, and matching must stay fast.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    size_t plen = nl ? (size_t)(nl - p) : 0;
    char *path = malloc(plen + 2);
    if (!path)
        return 0;
    path[0] = '/';
    memcpy(path + 1, p, plen);
    path[plen + 1] = '\0';
    for (size_t i = 0; i < plen + 1; i++)
        if (path[i] == '\0')
            path[i] = '_';
    const char *txt = nl ? nl + 1 : p;
    size_t tlen = nl ? size - plen - 1 : size;
    sr_robots *r = sr_robots_parse(txt, tlen, "sitrep");
    if (r) {
        (void)sr_robots_allowed(r, path);
        if (!sr_robots_allowed(r, "/robots.txt"))
            __builtin_trap();
        if (sr_robots_crawl_delay(r) < 0)
            __builtin_trap();
        sr_robots_free(r);
    }
    free(path);
    return 0;
}
