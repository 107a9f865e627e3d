/*
 * codebook.c - loading the CAMEO codebook (sitrep/codebook.h) and answering
 * code -> facts lookups.
 *
 * The coder asks once per event, so a lookup must cost next to nothing: a
 * CAMEO code is two to four decimal digits, which maps one-to-one onto a
 * slot of a flat 11,100-entry index (100 two-digit + 1,000 three-digit +
 * 10,000 four-digit codes, 22 KB).  A lookup is a digit check and an array
 * read; no hashing, no string compares.
 *
 * The file is read whole and kept: fields are cut in place with NULs and
 * the entries point into that buffer, so the strings cost no copies.
 */
#include "sitrep/codebook.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSLOTS (100 + 1000 + 10000)
#define NCOLS  8

struct sr_codebook {
    char *buf;                 /* the file, fields NUL-terminated in place */
    size_t buf_len;
    sr_cameo_entry *entries;   /* in file order */
    size_t n, cap;
    uint16_t slot[NSLOTS];     /* index + 1 into entries; 0 = no row */
};

static const char *const columns[NCOLS] = {
    "code", "root", "quad", "goldstein", "plover_event", "plover_mode",
    "plover_context", "name",
};

/* Slot of a code of 2-4 digits, or -1. */
static int code_slot(const char *s, size_t n)
{
    if (n < 2 || n > 4)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    static const int base[5] = { 0, 0, 0, 100, 1100 };
    return base[n] + v;
}

/* Split line at tabs into at most max fields; returns the count. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static bool parse_quad(const char *s, int *q)
{
    if (!*s) {
        *q = 0;
        return true;
    }
    if (s[0] < '1' || s[0] > '4' || s[1])
        return false;
    *q = s[0] - '0';
    return true;
}

static bool parse_goldstein(const char *s, bool *has, double *g)
{
    *has = false;
    *g = 0;
    if (!*s)
        return true;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < -10.0 || v > 10.0)
        return false;
    *has = true;
    *g = v;
    return true;
}

static const char *nonempty(const char *s)
{
    return *s ? s : NULL;
}

/* Check the header row names the columns this reader expects. */
static bool header_ok(char **f, size_t nf)
{
    if (nf < NCOLS)
        return false;
    for (size_t i = 0; i < NCOLS; i++)
        if (strcmp(f[i], columns[i]) != 0)
            return false;
    return true;
}

/* One data row; false (after reporting) if it is malformed. */
static bool add_row(sr_codebook *cb, const char *path, const char *rec, char **f, size_t nf,
                    sr_err *err)
{
    if (nf < NCOLS) {
        sr_skip(path, rec, "codebook row has %zu fields, expected %d", nf, NCOLS);
        return false;
    }
    size_t cl = strlen(f[0]);
    int slot = code_slot(f[0], cl);
    if (slot < 0) {
        sr_skip(path, rec, "bad CAMEO code '%.8s' (expected 2-4 digits)", f[0]);
        return false;
    }
    if (strlen(f[1]) != 2 || strncmp(f[1], f[0], 2) != 0) {
        sr_skip(path, rec, "root '%.8s' is not the first two digits of '%s'", f[1], f[0]);
        return false;
    }
    if (cb->slot[slot]) {
        sr_skip(path, rec, "code '%s' listed twice", f[0]);
        return false;
    }
    sr_cameo_entry e = {0};
    if (!parse_quad(f[2], &e.quad)) {
        sr_skip(path, rec, "bad QuadClass '%.8s' (expected 1-4)", f[2]);
        return false;
    }
    if (!parse_goldstein(f[3], &e.has_goldstein, &e.goldstein)) {
        sr_skip(path, rec, "bad Goldstein value '%.16s' (expected -10..10)", f[3]);
        return false;
    }
    e.code = f[0];
    memcpy(e.root, f[0], 2);
    e.root[2] = '\0';
    e.plover_event = nonempty(f[4]);
    e.plover_mode = nonempty(f[5]);
    e.plover_context = nonempty(f[6]);
    e.name = f[7];
    if (cb->n >= UINT16_MAX - 1) {
        sr_skip(path, rec, "too many codebook rows");
        return false;
    }
    if (sr_grow((void **)&cb->entries, &cb->cap, cb->n + 1, sizeof *cb->entries) != SR_OK) {
        *err = SR_ENOMEM;
        return false;
    }
    cb->entries[cb->n++] = e;
    cb->slot[slot] = (uint16_t)cb->n;
    return true;
}

/* The row of the nearest proper ancestor of code, or NULL. */
static const sr_cameo_entry *parent_row(const sr_codebook *cb, const char *code)
{
    size_t n = strlen(code);
    while (--n >= 2) {
        int s = code_slot(code, n);
        if (s >= 0 && cb->slot[s])
            return &cb->entries[cb->slot[s] - 1];
    }
    return NULL;
}

/* Fill blank Goldstein / QuadClass / PLOVER event from the parent row.
 * Shorter codes first, so a parent is complete before its children read it. */
static void inherit(sr_codebook *cb)
{
    for (size_t len = 3; len <= 4; len++) {
        for (size_t i = 0; i < cb->n; i++) {
            sr_cameo_entry *e = &cb->entries[i];
            if (strlen(e->code) != len)
                continue;
            const sr_cameo_entry *p = parent_row(cb, e->code);
            if (!p)
                continue;
            if (!e->has_goldstein && p->has_goldstein) {
                e->has_goldstein = true;
                e->goldstein = p->goldstein;
                e->inherited |= SR_CB_INH_GOLDSTEIN;
            }
            if (!e->quad && p->quad) {
                e->quad = p->quad;
                e->inherited |= SR_CB_INH_QUAD;
            }
            if (!e->plover_event && p->plover_event) {
                e->plover_event = p->plover_event;
                e->inherited |= SR_CB_INH_PLOVER;
            }
        }
    }
}

sr_codebook *sr_codebook_load(const char *path, sr_err *err)
{
    sr_err dummy;
    if (!err)
        err = &dummy;
    *err = SR_OK;
    sr_codebook *cb = calloc(1, sizeof *cb);
    if (!cb) {
        *err = SR_ENOMEM;
        return NULL;
    }
    *err = sr_read_file(path, SR_CODEBOOK_MAX_FILE, &cb->buf, &cb->buf_len);
    if (*err != SR_OK)
        goto fail;
    char *cur = cb->buf, *end = cb->buf + cb->buf_len;
    size_t lineno = 0;
    bool header = false;
    char rec[24];
    while (cur < end) {
        char *line = cur;
        char *nl = memchr(cur, '\n', (size_t)(end - cur));
        char *le = nl ? nl : end;
        cur = nl ? nl + 1 : end;
        if (le > line && le[-1] == '\r')
            le--;
        *le = '\0';
        lineno++;
        if (!*line || *line == '#')
            continue;
        if (memchr(line, '\0', (size_t)(le - line)) != NULL) {
            snprintf(rec, sizeof rec, "%zu", lineno);
            sr_skip(path, rec, "NUL byte in codebook row");
            continue;
        }
        char *f[NCOLS + 1];
        size_t nf = split_tabs(line, f, NCOLS);
        snprintf(rec, sizeof rec, "%zu", lineno);
        if (!header) {
            if (!header_ok(f, nf)) {
                sr_skip(path, rec, "not a sitrep codebook: expected the header "
                        "'code root quad goldstein plover_event plover_mode plover_context name'");
                *err = SR_EFORMAT;
                goto fail;
            }
            header = true;
            continue;
        }
        add_row(cb, path, rec, f, nf, err);
        if (*err != SR_OK)
            goto fail;
    }
    if (cb->n == 0) {
        *err = SR_EFORMAT;
        goto fail;
    }
    inherit(cb);
    return cb;
fail:
    sr_codebook_free(cb);
    return NULL;
}

void sr_codebook_free(sr_codebook *cb)
{
    if (!cb)
        return;
    free(cb->buf);
    free(cb->entries);
    free(cb);
}

const sr_cameo_entry *sr_codebook_find(const sr_codebook *cb, const char *code, size_t len)
{
    if (!cb || !code)
        return NULL;
    if (len == 0)
        len = strnlen(code, 5);
    int s = code_slot(code, len);
    if (s < 0 || !cb->slot[s])
        return NULL;
    return &cb->entries[cb->slot[s] - 1];
}

const sr_cameo_entry *sr_codebook_lookup(const sr_codebook *cb, const char *code, bool *exact)
{
    if (exact)
        *exact = false;
    if (!cb || !code)
        return NULL;
    size_t n = strnlen(code, 6), whole = n;
    /* TABARI's local variants ("174K", "075A") are their code plus a letter */
    if (n >= 3 && ((code[n - 1] >= 'A' && code[n - 1] <= 'Z') ||
                   (code[n - 1] >= 'a' && code[n - 1] <= 'z')))
        n--;
    if (code_slot(code, n) < 0)
        return NULL;
    for (size_t len = n; len >= 2; len--) {
        int s = code_slot(code, len);
        if (cb->slot[s]) {
            if (exact)
                *exact = len == whole;
            return &cb->entries[cb->slot[s] - 1];
        }
    }
    return NULL;
}

size_t sr_codebook_size(const sr_codebook *cb)
{
    return cb ? cb->n : 0;
}

const sr_cameo_entry *sr_codebook_at(const sr_codebook *cb, size_t i)
{
    return cb && i < cb->n ? &cb->entries[i] : NULL;
}

size_t sr_codebook_bytes(const sr_codebook *cb)
{
    if (!cb)
        return 0;
    return sizeof *cb + cb->buf_len + 1 + cb->cap * sizeof *cb->entries;
}

bool sr_cameo_is_mutual(const char *code)
{
    static const char *const mutual[] = {
        "030", "031", "032", "036", "037", "040", "041", "044", "046", "057",
        "060", "061", "062", "063", "0871", "190", "193", "194",
    };
    if (!code || strlen(code) < 3)
        return false;
    for (size_t i = 0; i < sizeof mutual / sizeof mutual[0]; i++)
        if (strncmp(code, mutual[i], strlen(mutual[i])) == 0)
            return true;
    return false;
}
