/*
 * model.c - the tagger's model file: reading (checked, every size against a
 * cap and against the file's length before anything is allocated from it),
 * expanding into the dense tables the tagger adds per token, and writing
 * (for tools/train_tagger.c).
 *
 * Why a format of our own and not a generic container: the model is a few
 * flat arrays (sparse feature weights, a hashed lexicon); a fixed header,
 * little-endian arrays and a CRC-32 read in a few milliseconds, need no
 * library, and let a damaged file be named precisely.
 *
 * Layout (all integers little-endian):
 *    0  magic "SRTAGGER"
 *    8  u32 version (TG_MODEL_VERSION)
 *   12  u32 ntags, 16 u32 bytes of tag names
 *   20  u32 CRC-32 (zlib's) of bytes 24..end
 *   24  u64 file size
 *   32  u32 features, 36 u32 weight pairs, 40 u32 lexicon entries,
 *   44  u32 bytes of source
 *   48  tag names, NUL-terminated each, in sr_pos order
 *       source text (what the model was trained on)
 *       features: (u64 key, u32 pair count) each, keys ascending
 *       pairs: (u8 tag, i8 weight -127..127) each, in feature order
 *       lexicon: (u64 form hash, u16 classes, u16 closed-class tags) each
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "syntax/internal.h"

#define HDR 48

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static sr_err fail(sr_tagger_err *msg, const char *name, sr_err e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static sr_err fail(sr_tagger_err *msg, const char *name, sr_err e, const char *fmt, ...)
{
    if (msg) {
        int k = snprintf(msg->msg, sizeof msg->msg, "%s: ", name);
        if (k < 0 || (size_t)k >= sizeof msg->msg)
            k = 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg->msg + k, sizeof msg->msg - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return e;
}

void sr_tagger_free(sr_tagger *t)
{
    if (!t)
        return;
    free(t->feat);
    free(t->ptag);
    free(t->pw);
    free(t->dense);
    free(t->t1);
    free(t->t2);
    tg_lex_free(&t->lex);
    free(t);
}

static inline const tg_feat *feat_find(const sr_tagger *m, uint64_t key)
{
    uint32_t fp = tg_fp(key);
    for (size_t i = key & m->fmask;; i = (i + 1) & m->fmask) {
        const tg_feat *f = &m->feat[i];
        if (f->fp == fp)
            return f;
        if (f->fp == 0)
            return NULL;
    }
}

/* acc += a feature's weights: a dense row, or its sparse pairs. */
static inline void add_feature(const sr_tagger *m, uint32_t fc, int16_t *acc)
{
    if ((fc & 63) == TG_FEAT_DENSE) {
        tg_add8(acc, m->dense + (size_t)(fc >> 6) * TG_NTP);
        return;
    }
    uint32_t j = fc >> 6, end = j + (fc & 63);
    for (; j < end; j++)
        acc[m->ptag[j]] = (int16_t)(acc[m->ptag[j]] + m->pw[j]);
}

static inline void prefetch_feature(const sr_tagger *m, uint32_t fc)
{
    if ((fc & 63) == TG_FEAT_DENSE) {
        __builtin_prefetch(m->dense + (size_t)(fc >> 6) * TG_NTP);
    } else {
        __builtin_prefetch(m->ptag + (fc >> 6));
        __builtin_prefetch(m->pw + (fc >> 6));
    }
}

void tg_sum_keys(const sr_tagger *m, const uint64_t *keys, size_t n, int16_t *acc)
{
    for (size_t k = 0; k < n; k++) {
        const tg_feat *f = feat_find(m, keys[k]);
        if (f)
            add_feature(m, f->fc, acc);
    }
}

void tg_prefetch_keys(const sr_tagger *m, const tg_wordkeys *wk)
{
    for (int r = 0; r < TG_NROLES; r++)
        for (int k = 0; k < wk->n[r]; k++)
            __builtin_prefetch(&m->feat[wk->key[r][k] & m->fmask]);
}

void tg_resolve(const sr_tagger *m, const tg_wordkeys *wk, tg_resolved *rs)
{
    for (int r = 0; r < TG_NROLES; r++) {
        rs->nf[r] = 0;
        for (int k = 0; k < wk->n[r]; k++) {
            const tg_feat *f = feat_find(m, wk->key[r][k]);
            if (!f)
                continue;
            rs->fc[r][rs->nf[r]++] = f->fc;
            prefetch_feature(m, f->fc);
        }
    }
}

/* Sums are exact in int16 (at most 24 features of |w| <= 127 a role). */
void tg_sum_resolved(const sr_tagger *m, const tg_resolved *rs, int8_t (*v)[TG_NTP])
{
    int16_t acc[TG_NTP] __attribute__((aligned(16)));
    for (int r = 0; r < TG_NROLES; r++) {
        memset(acc, 0, sizeof acc);
        for (size_t k = 0; k < rs->nf[r]; k++)
            add_feature(m, rs->fc[r][k], acc);
        tg_store8(v[r], acc);
    }
}

void tg_sum_roles(const sr_tagger *m, const tg_wordkeys *wk, int8_t (*v)[TG_NTP])
{
    tg_resolved rs;
    tg_prefetch_keys(m, wk);
    tg_resolve(m, wk, &rs);
    tg_sum_resolved(m, &rs, v);
}

/* One dense int8 row of tables from a key's weights. */
static void table_row(const sr_tagger *m, uint64_t key, int8_t *row)
{
    int16_t acc[TG_NTP] __attribute__((aligned(16)));
    memset(acc, 0, sizeof acc);
    tg_sum_keys(m, &key, 1, acc);
    tg_store8(row, acc);
}

static void edge_row(const sr_tagger *m, const tg_wordkeys *wk, int role, int8_t *row)
{
    int16_t acc[TG_NTP] __attribute__((aligned(16)));
    memset(acc, 0, sizeof acc);
    tg_sum_keys(m, wk->key[role], wk->n[role], acc);
    tg_store8(row, acc);
}

/* The dense tables, from the features that hold them. */
static sr_err expand(sr_tagger *m)
{
    size_t nt = TG_NT + 1;
    m->t1 = aligned_alloc(64, nt * TG_NTP);
    m->t2 = aligned_alloc(64, nt * nt * TG_NTP);
    if (!m->t1 || !m->t2)
        return SR_ENOMEM;
    for (unsigned a = 0; a < nt; a++) {
        table_row(m, tg_key_t1(a), m->t1 + a * TG_NTP);
        for (unsigned b = 0; b < nt; b++)
            table_row(m, tg_key_t2(b, a), m->t2 + ((size_t)b * nt + a) * TG_NTP);
    }
    for (unsigned h = 0; h < TG_NHIST; h++)
        table_row(m, tg_key_hist(h), m->hist[h]);
    for (int j = 0; j < TG_NCLOSED; j++)
        m->open_only[tg_closed_tags[j]] = TG_FORBID;
    tg_wordkeys wk;
    tg_edge_keys(false, &wk);
    edge_row(m, &wk, TG_P1, m->edge[TG_P1]);
    edge_row(m, &wk, TG_P2, m->edge[TG_P2]);
    tg_edge_keys(true, &wk);
    edge_row(m, &wk, TG_N1, m->edge[TG_N1]);
    edge_row(m, &wk, TG_N2, m->edge[TG_N2]);
    m->bytes = sizeof *m + (m->fmask + 1) * sizeof *m->feat + m->npairs * 2 +
               m->ndense * TG_NTP + (m->lex.mask + 1) * sizeof *m->lex.slot +
               (nt + nt * nt) * TG_NTP;
    return SR_OK;
}

static sr_err parse(sr_tagger *m, const unsigned char *p, size_t n, const char *name,
                    sr_tagger_err *msg)
{
    if (n < HDR || memcmp(p, TG_MAGIC, 8) != 0)
        return fail(msg, name, SR_EFORMAT, "not a sitrep tagger model (no SRTAGGER magic)");
    m->version = rd32(p + 8);
    if (m->version != TG_MODEL_VERSION)
        return fail(msg, name, SR_EFORMAT, "model version %u, this sitrep reads version %u",
                    m->version, TG_MODEL_VERSION);
    uint32_t ntags = rd32(p + 12), names_len = rd32(p + 16);
    uint64_t size = rd64(p + 24);
    if (size != n)
        return fail(msg, name, SR_EFORMAT, "truncated or padded: header says %llu bytes, file has %zu",
                    (unsigned long long)size, n);
    if ((uint32_t)crc32(0L, p + 24, (uInt)(n - 24)) != rd32(p + 20))
        return fail(msg, name, SR_EFORMAT, "checksum mismatch (the file is damaged)");
    uint32_t nfeat = rd32(p + 32), npairs = rd32(p + 36), nlex = rd32(p + 40);
    uint32_t srclen = rd32(p + 44);
    if (ntags != TG_NT)
        return fail(msg, name, SR_EFORMAT, "model has %u tags, this sitrep knows %d", ntags, TG_NT);
    if (nfeat > SR_TAGGER_MAX_FEATURES || npairs > (uint64_t)nfeat * TG_NT ||
        npairs > TG_FEAT_MAX_PAIRS ||
        nlex > SR_TAGGER_MAX_FEATURES || names_len > 4096 || srclen > 4096)
        return fail(msg, name, SR_ETOOBIG, "a count in the header is past its cap");
    uint64_t need = (uint64_t)HDR + names_len + srclen + (uint64_t)nfeat * 12 +
                    (uint64_t)npairs * 2 + (uint64_t)nlex * 12;
    if (need != n)
        return fail(msg, name, SR_EFORMAT, "sections add up to %llu bytes, file has %zu",
                    (unsigned long long)need, n);
    /* tag names, in our order */
    const unsigned char *q = p + HDR, *end = q + names_len;
    for (int t = 0; t < TG_NT; t++) {
        const unsigned char *z = memchr(q, 0, (size_t)(end - q));
        if (!z)
            return fail(msg, name, SR_EFORMAT, "tag names are cut short");
        const char *want = sr_pos_name((sr_pos)t);
        if ((size_t)(z - q) != strlen(want) || memcmp(q, want, (size_t)(z - q)) != 0)
            return fail(msg, name, SR_EFORMAT, "tag %d is '%.*s', expected '%s'", t,
                        (int)(z - q), (const char *)q, want);
        q = z + 1;
    }
    if (q != end)
        return fail(msg, name, SR_EFORMAT, "tag names section has trailing bytes");
    size_t sl = srclen < sizeof m->source ? srclen : sizeof m->source - 1;
    memcpy(m->source, q, sl);
    m->source[sl] = '\0';
    for (size_t i = 0; i < sl; i++)
        if ((unsigned char)m->source[i] < 0x20)
            m->source[i] = ' ';
    q += srclen;

    /* features */
    size_t cap = 16;
    while (cap < (size_t)nfeat * 2)
        cap *= 2;
    m->feat = calloc(cap, sizeof *m->feat);
    m->ptag = malloc(npairs ? npairs : 1);
    m->pw = malloc(npairs ? npairs : 1);
    if (!m->feat || !m->ptag || !m->pw)
        return fail(msg, name, SR_ENOMEM, "out of memory");
    m->fmask = cap - 1;
    m->nfeat = nfeat;
    m->npairs = npairs;
    uint64_t first = 0;
    for (uint32_t i = 0; i < nfeat; i++, q += 12) {
        uint64_t key = rd64(q);
        uint32_t cnt = rd32(q + 8);
        if (key == 0 || cnt > TG_NT || first + cnt > npairs)
            return fail(msg, name, SR_EFORMAT, "feature %u is malformed", i);
        uint32_t fp = tg_fp(key);
        size_t s = key & m->fmask;
        while (m->feat[s].fp && m->feat[s].fp != fp)
            s = (s + 1) & m->fmask;
        if (m->feat[s].fp)
            return fail(msg, name, SR_EFORMAT, "feature %u is a duplicate", i);
        m->feat[s] = (tg_feat){ fp, (uint32_t)first << 6 | cnt };
        first += cnt;
    }
    if (first != npairs)
        return fail(msg, name, SR_EFORMAT, "features hold %llu weights, header says %u",
                    (unsigned long long)first, npairs);
    for (uint32_t j = 0; j < npairs; j++, q += 2) {
        if (q[0] >= TG_NT)
            return fail(msg, name, SR_EFORMAT, "weight %u names tag %u", j, q[0]);
        if (q[1] == 0x80)
            return fail(msg, name, SR_EFORMAT, "weight %u is -128 (weights are -127..127)", j);
        m->ptag[j] = q[0];
        m->pw[j] = (int8_t)q[1];
    }
    /* features with many weights become dense rows */
    size_t nd = 0;
    for (size_t i = 0; i <= m->fmask; i++)
        nd += m->feat[i].fp && (m->feat[i].fc & 63) >= TG_DENSE_MIN;
    size_t dbytes = (nd ? nd : 1) * TG_NTP;
    m->dense = aligned_alloc(64, dbytes);
    if (!m->dense)
        return fail(msg, name, SR_ENOMEM, "out of memory");
    memset(m->dense, 0, dbytes);
    for (size_t i = 0; i <= m->fmask; i++) {
        tg_feat *f = &m->feat[i];
        if (!f->fp || (f->fc & 63) < TG_DENSE_MIN)
            continue;
        int8_t *row = m->dense + m->ndense * TG_NTP;
        for (uint32_t j = f->fc >> 6; j < (f->fc >> 6) + (f->fc & 63); j++)
            row[m->ptag[j]] = m->pw[j];
        f->fc = (uint32_t)m->ndense++ << 6 | TG_FEAT_DENSE;
    }
    /* lexicon */
    if (tg_lex_init(&m->lex, nlex, false) != SR_OK)
        return fail(msg, name, SR_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < nlex; i++, q += 12) {
        uint64_t key = rd64(q);
        uint16_t closed = rd16(q + 10);
        if (key == 0 || closed >> TG_NCLOSED)
            return fail(msg, name, SR_EFORMAT, "lexicon entry %u is malformed", i);
        if (tg_lex_put(&m->lex, key, rd16(q + 8), closed) != SR_OK)
            return fail(msg, name, SR_ETOOBIG, "lexicon has more entries than its header says");
    }
    if (expand(m) != SR_OK)
        return fail(msg, name, SR_ENOMEM, "out of memory");
    return SR_OK;
}

sr_tagger *sr_tagger_load_mem(const void *p, size_t n, const char *name, sr_err *err,
                              sr_tagger_err *msg)
{
    sr_err dummy;
    if (!err)
        err = &dummy;
    if (msg)
        msg->msg[0] = '\0';
    if (n > SR_TAGGER_MAX_FILE) {
        *err = fail(msg, name, SR_ETOOBIG, "larger than the %zu MB cap on a model",
                    SR_TAGGER_MAX_FILE >> 20);
        return NULL;
    }
    sr_tagger *m = calloc(1, sizeof *m);
    if (!m) {
        *err = fail(msg, name, SR_ENOMEM, "out of memory");
        return NULL;
    }
    *err = parse(m, p, n, name, msg);
    if (*err != SR_OK) {
        sr_tagger_free(m);
        return NULL;
    }
    return m;
}

sr_tagger *sr_tagger_load_ex(const char *path, sr_err *err, sr_tagger_err *msg)
{
    sr_err dummy;
    if (!err)
        err = &dummy;
    char *buf = NULL;
    size_t len = 0;
    *err = sr_read_file(path, SR_TAGGER_MAX_FILE, &buf, &len);
    if (*err != SR_OK) {
        if (*err == SR_ETOOBIG)
            fail(msg, path, *err, "larger than the %zu MB cap on a model", SR_TAGGER_MAX_FILE >> 20);
        else
            fail(msg, path, *err, "cannot read: %s", *err == SR_EIO ? strerror(errno) : sr_strerror(*err));
        return NULL;
    }
    sr_tagger *m = sr_tagger_load_mem(buf, len, path, err, msg);
    free(buf);
    return m;
}

sr_tagger *sr_tagger_load(const char *path, sr_err *err)
{
    return sr_tagger_load_ex(path, err, NULL);
}

void sr_tagger_get_info(const sr_tagger *t, sr_tagger_info *info)
{
    memset(info, 0, sizeof *info);
    info->version = t->version;
    info->ntags = TG_NT;
    info->features = t->nfeat;
    info->lexicon_words = t->lex.n;
    info->bytes = t->bytes;
    memcpy(info->source, t->source, sizeof info->source);
}

/* ---- writing ---------------------------------------------------------------- */

static void put16(sr_buf *b, uint16_t v, sr_err *e)
{
    unsigned char x[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
    if (*e == SR_OK)
        *e = sr_buf_append(b, x, 2);
}
static void put32(sr_buf *b, uint32_t v, sr_err *e)
{
    put16(b, (uint16_t)v, e);
    put16(b, (uint16_t)(v >> 16), e);
}
static void put64(sr_buf *b, uint64_t v, sr_err *e)
{
    put32(b, (uint32_t)v, e);
    put32(b, (uint32_t)(v >> 32), e);
}

typedef struct lexout { uint64_t key; uint16_t bits, closed; } lexout;

static int cmp_lexent(const void *a, const void *b)
{
    uint64_t x = ((const lexout *)a)->key, y = ((const lexout *)b)->key;
    return x < y ? -1 : x > y;
}

sr_err tg_model_write(const char *path, const tg_model_out *mo)
{
    sr_buf b = SR_BUF_INIT(SR_TAGGER_MAX_FILE);
    sr_err e = SR_OK;
    const tg_lex *lx = mo->lex;
    if (!lx->full)
        return SR_EINVAL;
    lexout *ents = malloc((lx->n ? lx->n : 1) * sizeof *ents);
    if (!ents)
        return SR_ENOMEM;
    size_t ne = 0;
    for (size_t i = 0; lx->slot && i <= lx->mask; i++)
        if (lx->slot[i].fp)
            ents[ne++] = (lexout){ lx->full[i], lx->slot[i].bits, lx->slot[i].closed };
    qsort(ents, ne, sizeof *ents, cmp_lexent);
    uint32_t names_len = 0;
    for (int t = 0; t < TG_NT; t++)
        names_len += (uint32_t)strlen(sr_pos_name((sr_pos)t)) + 1;
    size_t srclen = strlen(mo->source);

    e = sr_buf_append(&b, TG_MAGIC, 8);
    put32(&b, TG_MODEL_VERSION, &e);
    put32(&b, TG_NT, &e);
    put32(&b, names_len, &e);
    put32(&b, 0, &e);             /* CRC, filled in below */
    put64(&b, 0, &e);             /* size, filled in below */
    put32(&b, (uint32_t)mo->nfeat, &e);
    put32(&b, mo->first[mo->nfeat], &e);
    put32(&b, (uint32_t)ne, &e);
    put32(&b, (uint32_t)srclen, &e);
    for (int t = 0; t < TG_NT && e == SR_OK; t++) {
        const char *nm = sr_pos_name((sr_pos)t);
        e = sr_buf_append(&b, nm, strlen(nm) + 1);
    }
    if (e == SR_OK)
        e = sr_buf_append(&b, mo->source, srclen);
    for (size_t i = 0; i < mo->nfeat; i++) {
        put64(&b, mo->keys[i], &e);
        put32(&b, mo->first[i + 1] - mo->first[i], &e);
    }
    for (uint32_t j = 0; j < mo->first[mo->nfeat]; j++) {
        if (e == SR_OK)
            e = sr_buf_putc(&b, (char)mo->tags[j]);
        if (e == SR_OK)
            e = sr_buf_putc(&b, (char)mo->weights[j]);
    }
    for (size_t i = 0; i < ne; i++) {
        put64(&b, ents[i].key, &e);
        put16(&b, ents[i].bits, &e);
        put16(&b, ents[i].closed, &e);
    }
    free(ents);
    if (e == SR_OK) {
        unsigned char *p = (unsigned char *)b.p;
        uint64_t size = b.len;
        for (int i = 0; i < 8; i++)
            p[24 + i] = (unsigned char)(size >> (8 * i));
        uint32_t crc = (uint32_t)crc32(0L, p + 24, (uInt)(b.len - 24));
        for (int i = 0; i < 4; i++)
            p[20 + i] = (unsigned char)(crc >> (8 * i));
        FILE *f = fopen(path, "wb");
        if (!f) {
            e = SR_EIO;
        } else {
            if (fwrite(b.p, 1, b.len, f) != b.len)
                e = SR_EIO;
            if (fclose(f) != 0)
                e = SR_EIO;
        }
    }
    sr_buf_free(&b);
    return e;
}
