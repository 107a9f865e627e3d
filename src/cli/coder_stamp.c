/*
 * coder_stamp.c - naming the coder that codes a run's documents (see
 * coder_stamp.h).
 *
 * What may change what a document is coded into: the dictionaries and the
 * data beside them, and the code of the text pipeline, tagger, coder and
 * gazetteer.  The files are hashed as they are on disk.  For the code the
 * stamp hashes the running executable rather than trusting the version
 * number, which does not move with every change to the coder: a rebuild
 * that changed nothing in coding then costs one needless re-code, but two
 * different coders are never taken for the same one, which would leave
 * documents coded by the older one for good.  If the executable cannot be
 * read, the stamp is made unique to the run (time and process), so nothing
 * is taken as current.
 *
 * The hash is sr_hash64 chained over fixed-size chunks, so memory stays
 * one chunk whatever the files' sizes.
 */
#include "cli/coder_stamp.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sitrep/base.h"

#define CHUNK ((size_t)1 << 16)
#define MAX_DEPTH 16

/* Chain the contents of one file into *h; false if it cannot be read. */
static bool hash_file(const char *path, uint64_t *h, char *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t got;
    while ((got = fread(buf, 1, CHUNK, f)) > 0)
        *h = sr_hash64(buf, got, *h);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under path (sorted, dot-files left out as the
 * dictionary reader leaves them), names relative to the top and contents. */
static void hash_tree(const char *path, const char *rel, uint64_t *h, char *buf, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        *h = sr_hash64("?", 1, *h);
        return;
    }
    *h = sr_hash64(rel, strlen(rel) + 1, *h);
    if (!S_ISDIR(sb.st_mode)) {
        if (!hash_file(path, h, buf))
            *h = sr_hash64("?", 1, *h);
        return;
    }
    if (depth >= MAX_DEPTH)
        return;
    DIR *d = opendir(path);
    if (!d)
        return;
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *copy = strdup(de->d_name);
        if (!copy || sr_grow((void **)&names, &cap, nn + 1, sizeof *names)) {
            free(copy);
            *h = sr_hash64("!", 1, *h);   /* out of memory: a stamp no one shares */
            break;
        }
        names[nn++] = copy;
    }
    closedir(d);
    if (nn)
        qsort(names, nn, sizeof *names, cmp_names);
    for (size_t i = 0; i < nn; i++) {
        char sub[4096], subrel[4096];
        int a = snprintf(sub, sizeof sub, "%s/%s", path, names[i]);
        int b = snprintf(subrel, sizeof subrel, "%s/%s", rel, names[i]);
        if (a > 0 && (size_t)a < sizeof sub && b > 0 && (size_t)b < sizeof subrel)
            hash_tree(sub, subrel, h, buf, depth + 1);
        free(names[i]);
    }
    free(names);
}

void coder_stamp(char *out, size_t n, char **dicts, size_t ndicts, bool places)
{
    char *buf = malloc(CHUNK);
    uint64_t exe = 0x5175e7, dh = 0xd1c75;
    bool exe_ok = buf && hash_file("/proc/self/exe", &exe, buf);
    if (!exe_ok) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        int64_t v[3] = { (int64_t)t.tv_sec, (int64_t)t.tv_nsec, (int64_t)getpid() };
        exe = sr_hash64(v, sizeof v, exe);
    }
    if (buf) {
        hash_tree(cli_default_dict_dir(), "shipped", &dh, buf, 0);
        for (size_t i = 0; i < ndicts; i++)
            hash_tree(dicts[i], "dicts", &dh, buf, 0);
    }
    free(buf);
    snprintf(out, n, "sitrep %s exe=%016llx dicts=%016llx %s", SITREP_VERSION,
             (unsigned long long)exe, (unsigned long long)dh, places ? "places" : "no-places");
}
