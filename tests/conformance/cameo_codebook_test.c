/*
 * cameo_codebook_test.c - every row of the source codebook
 * (../shared/data/cameo/cameo_event_codes_merged.tsv) against what sitrep
 * answers from the shipped dict/cameo/codebook.tsv: same root, QuadClass,
 * Goldstein, PLOVER event, mode and context, and name.  Catches a shipped
 * file that drifted from its source, or a loader that misreads a column.
 * Needs ../shared ($SITREP_SHARED); without it: skipped (exit 77).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/codebook.h"

static int failures;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static bool same_opt(const char *want, const char *got)
{
    if (!*want)
        return got == NULL;
    return got && strcmp(want, got) == 0;
}

int main(void)
{
    const char *shared = getenv("SITREP_SHARED");
    const char *dict = getenv("SITREP_DICT");
    char src[4096], shipped[4096];
    snprintf(src, sizeof src, "%s/data/cameo/cameo_event_codes_merged.tsv",
             shared ? shared : "../shared");
    snprintf(shipped, sizeof shipped, "%s/cameo/codebook.tsv", dict ? dict : "dict");
    char *buf = NULL;
    size_t len = 0;
    if (sr_read_file(src, (size_t)1 << 20, &buf, &len) != SR_OK) {
        printf("skipped: %s not found (../shared)\n", src);
        return 77;
    }
    sr_err e;
    sr_codebook *cb = sr_codebook_load(shipped, &e);
    if (!cb) {
        fprintf(stderr, "cannot load %s: %s\n", shipped, sr_strerror(e));
        free(buf);
        return 1;
    }
    size_t rows = 0;
    char *cur = buf, *end = buf + len;
    bool header = true;
    while (cur < end) {
        char *line = cur;
        char *nl = memchr(cur, '\n', (size_t)(end - cur));
        char *le = nl ? nl : end;
        cur = nl ? nl + 1 : end;
        if (le > line && le[-1] == '\r')
            le--;
        *le = '\0';
        if (!*line)
            continue;
        if (header) {
            header = false;
            continue;
        }
        /* code root quad goldstein name_cameo name_gdelt event mode context */
        char *f[9];
        size_t nf = 0;
        for (char *p = line; nf < 9; nf++) {
            f[nf] = p;
            char *t = strchr(p, '\t');
            if (!t) {
                nf++;
                break;
            }
            *t = '\0';
            p = t + 1;
        }
        CHECK(nf == 9, "%s: row '%s' has %zu fields", src, f[0], nf);
        if (nf != 9)
            continue;
        rows++;
        bool exact = false;
        const sr_cameo_entry *en = sr_codebook_lookup(cb, f[0], &exact);
        CHECK(en && exact, "%s: no row", f[0]);
        if (!en || !exact)
            continue;
        CHECK(strcmp(en->root, f[1]) == 0, "%s: root %s, want %s", f[0], en->root, f[1]);
        if (*f[2])
            CHECK(en->quad == (int)strtol(f[2], NULL, 10), "%s: quad %d, want %s", f[0], en->quad, f[2]);
        if (*f[3]) {
            double g = strtod(f[3], NULL);
            CHECK(en->has_goldstein && fabs(en->goldstein - g) < 1e-9,
                  "%s: Goldstein %g, want %s", f[0], en->goldstein, f[3]);
            CHECK(!(en->inherited & SR_CB_INH_GOLDSTEIN), "%s: Goldstein marked inherited", f[0]);
        } else {
            CHECK(!en->has_goldstein || (en->inherited & SR_CB_INH_GOLDSTEIN),
                  "%s: Goldstein %g not in the source and not marked inherited", f[0], en->goldstein);
        }
        if (*f[6])
            CHECK(same_opt(f[6], en->plover_event), "%s: PLOVER event %s, want %s", f[0],
                  en->plover_event ? en->plover_event : "(none)", f[6]);
        else
            CHECK(!en->plover_event || (en->inherited & SR_CB_INH_PLOVER),
                  "%s: PLOVER event %s not in the source and not marked inherited", f[0],
                  en->plover_event);
        CHECK(same_opt(f[7], en->plover_mode), "%s: PLOVER mode %s, want '%s'", f[0],
              en->plover_mode ? en->plover_mode : "(none)", f[7]);
        CHECK(same_opt(f[8], en->plover_context), "%s: PLOVER context %s, want '%s'", f[0],
              en->plover_context ? en->plover_context : "(none)", f[8]);
        const char *want_name = *f[4] ? f[4] : f[5];
        CHECK(strcmp(en->name, want_name) == 0, "%s: name '%s', want '%s'", f[0], en->name,
              want_name);
    }
    CHECK(rows > 300, "%s: only %zu rows", src, rows);
    printf("codebook: %zu source rows checked, %d mismatches\n", rows, failures);
    sr_codebook_free(cb);
    free(buf);
    return failures ? 1 : 0;
}
