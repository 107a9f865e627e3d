/*
 * bench/dict.c - how long loading the shipped dictionaries takes, and what
 * they cost in memory.
 *
 *     bench_dict [DICT_DIR] [ROUNDS]      (default: $SITREP_DICT or dict, 5)
 *
 * Each round loads every dictionary of DICT_DIR into a fresh lexicon and
 * dictset (sr_dictset_load_dir + sr_dictset_freeze) plus the codebook
 * (DICT_DIR/cameo/codebook.tsv), as `sitrep code` does at start-up.  The
 * reference, timed in the same run, is the least any loader must do with
 * the same files: read their bytes and split them into words (hashing each,
 * so the pass cannot be optimised away).  The ratio load/reference says how
 * much of the load is dictionary work rather than I/O and scanning; it is
 * the figure to compare between machines.  The best round of each is
 * reported, as the least disturbed by the other processes of a shared box.
 *
 * Memory: sr_dictset_stats().bytes (what the dictset holds), the codebook's
 * bytes, and the growth of the process's peak RSS across the first load
 * (which also covers the lexicon and allocator overhead).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sitrep/codebook.h"
#include "sitrep/dict.h"
#include "sitrep/text.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

typedef struct files {
    char **path;
    size_t n;
} files;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files sr_dictset_load_dir would read: those its name rule classifies. */
static int list_dicts(const char *dir, files *f)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *de;
    size_t cap = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || sr_dict_kind_from_name(de->d_name) == SR_DICT_AUTO)
            continue;
        if (sr_grow((void **)&f->path, &cap, f->n + 1, sizeof *f->path) != SR_OK)
            break;
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        f->path[f->n] = malloc(len);
        if (!f->path[f->n])
            break;
        snprintf(f->path[f->n], len, "%s/%s", dir, de->d_name);
        f->n++;
    }
    closedir(d);
    qsort(f->path, f->n, sizeof *f->path, cmp_str);
    return 0;
}

/* Reference: read each file and hash each word (split like dictionary
 * phrases: blanks, '_' and line ends). */
static uint64_t reference(const files *f, const char *codebook, size_t *bytes, size_t *words)
{
    uint64_t h = 0;
    *bytes = *words = 0;
    for (size_t i = 0; i <= f->n; i++) {
        const char *path = i < f->n ? f->path[i] : codebook;
        char *buf = NULL;
        size_t len = 0;
        if (sr_read_file(path, SR_DICT_MAX_FILE, &buf, &len) != SR_OK)
            continue;
        *bytes += len;
        size_t j = 0;
        while (j < len) {
            while (j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '_' ||
                               buf[j] == '\n' || buf[j] == '\r'))
                j++;
            size_t b = j;
            while (j < len && buf[j] != ' ' && buf[j] != '\t' && buf[j] != '_' &&
                   buf[j] != '\n' && buf[j] != '\r')
                j++;
            if (j > b) {
                h ^= sr_hash64(buf + b, j - b, h);
                (*words)++;
            }
        }
        free(buf);
    }
    return h;
}

/* Diagnostics are printed for the first round only (later rounds repeat
 * them word for word). */
static int print_diag = 1;
static size_t diag_lines;
static void diag(const char *line, void *ctx)
{
    (void)ctx;
    if (print_diag) {
        fprintf(stderr, "%s\n", line);
        diag_lines++;
    }
}

typedef struct loaded {
    sr_lexicon *lex;
    sr_dictset *ds;
    sr_codebook *cb;
} loaded;

static int load_all(const char *dir, const char *codebook, loaded *l)
{
    sr_err e = SR_OK;
    l->lex = sr_lexicon_new();
    l->ds = l->lex ? sr_dictset_new(l->lex) : NULL;
    if (!l->ds)
        return -1;
    if (sr_dictset_load_dir(l->ds, dir) != SR_OK)
        return -1;
    l->cb = sr_codebook_load(codebook, &e);
    if (!l->cb)
        return -1;
    sr_dictset_set_codebook(l->ds, l->cb);
    return sr_dictset_freeze(l->ds) == SR_OK ? 0 : -1;
}

static void unload(loaded *l)
{
    sr_dictset_free(l->ds);
    sr_codebook_free(l->cb);
    sr_lexicon_free(l->lex);
    memset(l, 0, sizeof *l);
}

int main(int argc, char **argv)
{
    const char *env = getenv("SITREP_DICT");
    const char *dir = argc > 1 ? argv[1] : env ? env : "dict";
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    if (rounds < 1 || rounds > 1000)
        rounds = 5;
    char codebook[4096];
    snprintf(codebook, sizeof codebook, "%s/cameo/codebook.tsv", dir);
    files f = {0};
    if (list_dicts(dir, &f) != 0 || f.n == 0) {
        fprintf(stderr, "bench_dict: no dictionaries in %s\n", dir);
        return 1;
    }

    sr_set_diag_sink(diag, NULL);
    double best_load = 1e9, best_ref = 1e9;
    size_t bytes = 0, words = 0, skips = 0;
    uint64_t sink = 0;
    long rss0 = peak_rss_kib(), rss1 = 0;
    sr_dict_stats st = {0};
    size_t lex_forms = 0, cb_bytes = 0, cb_rows = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        sink ^= reference(&f, codebook, &bytes, &words);
        double t1 = now();
        if (t1 - t0 < best_ref)
            best_ref = t1 - t0;

        loaded l = {0};
        sr_skip_count_reset();
        double t2 = now();
        int rc = load_all(dir, codebook, &l);
        double t3 = now();
        if (rc != 0) {
            fprintf(stderr, "bench_dict: loading %s failed\n", dir);
            unload(&l);
            return 1;
        }
        if (t3 - t2 < best_load)
            best_load = t3 - t2;
        if (r == 0) {
            rss1 = peak_rss_kib();
            skips = sr_skip_count();
            sr_dictset_stats(l.ds, &st);
            lex_forms = sr_lexicon_size(l.lex);
            cb_bytes = sr_codebook_bytes(l.cb);
            cb_rows = sr_codebook_size(l.cb);
            print_diag = 0;
        }
        unload(&l);
    }

    printf("dict: %zu files + codebook, %.2f MB, %zu words, %d rounds (best of each)\n",
           f.n, (double)bytes / 1e6, words, rounds);
    printf("dict: actors %zu phrases / %zu entries, agents %zu, verb forms %zu, "
           "patterns %zu, synsets %zu, discards %zu, issues %zu, codebook %zu codes, "
           "lexicon %zu forms\n",
           st.actor_phrases, st.actor_entries, st.agent_phrases, st.verb_forms,
           st.verb_patterns, st.synsets, st.discards, st.issues, cb_rows, lex_forms);
    printf("dict: skipped entries: %zu, other warnings: %zu\n", skips,
           diag_lines >= skips ? diag_lines - skips : 0);
    printf("dict: load %.1f ms; reference (read + split + hash the same bytes) %.1f ms; "
           "ratio %.1f\n", best_load * 1e3, best_ref * 1e3, best_load / best_ref);
    printf("dict: memory: dictset %.1f MiB, codebook %.1f KiB, peak RSS +%.1f MiB "
           "over the first load (%.1f MiB total)\n",
           (double)st.bytes / 1048576.0, (double)cb_bytes / 1024.0,
           (double)(rss1 - rss0) / 1024.0, (double)rss1 / 1024.0);
    for (size_t i = 0; i < f.n; i++)
        free(f.path[i]);
    free(f.path);
    return sink == 42 ? 2 : 0;   /* keeps the reference's work observable */
}
