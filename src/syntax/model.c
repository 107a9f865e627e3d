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
 *   44  u32 word classes, 48 u32 lexicon-class entries, 52 u32 bytes of source
 *   56  tag names, NUL-terminated each, in sr_pos order
 *       source text (what the model was trained on)
 *       features: (u64 key, u32 pair count) each, keys ascending
 *       pairs: (u8 tag, i16 weight) each, in feature order
 *       lexicon: (u64 form hash, u16 classes, u16 word class) each
 *       lexicon classes: (u16 class bits, u16 word class) each
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "syntax/internal.h"

#define HDR 56

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
    free(t->t1);
    free(t->t2);
    free(t->tc);
    tg_lex_free(&t->lex);
    free(t);
}

static const tg_feat *feat_find(const sr_tagger *m, uint64_t key)
{
    for (size_t i = key & m->fmask;; i = (i + 1) & m->fmask) {
        const tg_feat *f = &m->feat[i];
        if (f->key == key)
            return f;
        if (f->key == 0)
            return NULL;
    }
}

void tg_sum_keys(const sr_tagger *m, const uint64_t *keys, size_t n, int16_t *acc)
{
    for (size_t k = 0; k < n; k++) {
        const tg_feat *f = feat_find(m, keys[k]);
        if (!f)
            continue;
        for (uint32_t j = f->first; j < f->first + f->count; j++)
            acc[m->ptag[j]] = tg_sat16((int32_t)acc[m->ptag[j]] + m->pw[j]);
    }
}

/* The dense tables, from the features that hold them. */
static sr_err expand(sr_tagger *m)
{
    size_t nt = TG_NT + 1, nw = m->lex.nwclass;
    m->t1 = calloc(nt * TG_NTP, sizeof *m->t1);
    m->t2 = calloc(nt * nt * TG_NTP, sizeof *m->t2);
    m->tc = calloc(nt * nw * TG_NTP, sizeof *m->tc);
    if (!m->t1 || !m->t2 || !m->tc)
        return SR_ENOMEM;
    for (unsigned a = 0; a < nt; a++) {
        uint64_t k = tg_key_t1(a);
        int16_t *row = m->t1 + a * TG_NTP;
        tg_sum_keys(m, &k, 1, row);
        /* padding lanes: far below any tag, so they never win */
        for (unsigned l = TG_NT; l < TG_NTP; l++)
            row[l] = -16384;
        for (unsigned b = 0; b < nt; b++) {
            k = tg_key_t2(b, a);
            tg_sum_keys(m, &k, 1, m->t2 + ((size_t)b * nt + a) * TG_NTP);
        }
        for (unsigned c = 0; c < nw; c++) {
            k = tg_key_tc(a, c);
            tg_sum_keys(m, &k, 1, m->tc + ((size_t)a * nw + c) * TG_NTP);
        }
    }
    tg_wordkeys wk;
    tg_edge_keys(false, &wk);
    tg_sum_keys(m, wk.key[TG_P1], wk.n[TG_P1], m->edge[TG_P1]);
    tg_sum_keys(m, wk.key[TG_P2], wk.n[TG_P2], m->edge[TG_P2]);
    tg_edge_keys(true, &wk);
    tg_sum_keys(m, wk.key[TG_N1], wk.n[TG_N1], m->edge[TG_N1]);
    tg_sum_keys(m, wk.key[TG_N2], wk.n[TG_N2], m->edge[TG_N2]);
    m->bytes = sizeof *m + (m->fmask + 1) * sizeof *m->feat + m->npairs * 3 +
               (m->lex.mask + 1) * sizeof *m->lex.slot +
               (nt + nt * nt + nt * nw) * TG_NTP * sizeof(int16_t);
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
    uint32_t nwclass = rd32(p + 44), nlexcls = rd32(p + 48), srclen = rd32(p + 52);
    if (ntags != TG_NT)
        return fail(msg, name, SR_EFORMAT, "model has %u tags, this sitrep knows %d", ntags, TG_NT);
    if (nfeat > SR_TAGGER_MAX_FEATURES || npairs > (uint64_t)nfeat * TG_NT ||
        nlex > SR_TAGGER_MAX_FEATURES || nwclass == 0 || nwclass > 4096 ||
        nlexcls > (1u << TG_LX_BITS) || names_len > 4096 || srclen > 4096)
        return fail(msg, name, SR_ETOOBIG, "a count in the header is past its cap");
    uint64_t need = (uint64_t)HDR + names_len + srclen + (uint64_t)nfeat * 12 +
                    (uint64_t)npairs * 3 + (uint64_t)nlex * 12 + (uint64_t)nlexcls * 4;
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
    m->pw = malloc((npairs ? npairs : 1) * sizeof *m->pw);
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
        size_t s = key & m->fmask;
        while (m->feat[s].key && m->feat[s].key != key)
            s = (s + 1) & m->fmask;
        if (m->feat[s].key)
            return fail(msg, name, SR_EFORMAT, "feature %u is a duplicate", i);
        m->feat[s] = (tg_feat){ key, (uint32_t)first, cnt };
        first += cnt;
    }
    if (first != npairs)
        return fail(msg, name, SR_EFORMAT, "features hold %llu weights, header says %u",
                    (unsigned long long)first, npairs);
    for (uint32_t j = 0; j < npairs; j++, q += 3) {
        if (q[0] >= TG_NT)
            return fail(msg, name, SR_EFORMAT, "weight %u names tag %u", j, q[0]);
        m->ptag[j] = q[0];
        m->pw[j] = (int16_t)rd16(q + 1);
    }
    /* lexicon */
    m->lex.nwclass = nwclass;
    for (uint32_t i = 0; i < nlex; i++, q += 12) {
        uint64_t key = rd64(q);
        uint16_t bits = rd16(q + 8), wc = rd16(q + 10);
        if (key == 0 || wc >= nwclass || bits >> TG_LX_BITS)
            return fail(msg, name, SR_EFORMAT, "lexicon entry %u is malformed", i);
        if (tg_lex_put(&m->lex, key, bits, wc) != SR_OK)
            return fail(msg, name, SR_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; i < nlexcls; i++, q += 4) {
        uint16_t bits = rd16(q), wc = rd16(q + 2);
        if (bits >> TG_LX_BITS || wc >= nwclass)
            return fail(msg, name, SR_EFORMAT, "lexicon class %u is malformed", i);
        m->lex.lexclass[bits] = wc;
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

static int cmp_lexent(const void *a, const void *b)
{
    uint64_t x = ((const tg_lexent *)a)->key, y = ((const tg_lexent *)b)->key;
    return x < y ? -1 : x > y;
}

sr_err tg_model_write(const char *path, const tg_model_out *mo)
{
    sr_buf b = SR_BUF_INIT(SR_TAGGER_MAX_FILE);
    sr_err e = SR_OK;
    const tg_lex *lx = mo->lex;
    tg_lexent *ents = malloc((lx->n ? lx->n : 1) * sizeof *ents);
    if (!ents)
        return SR_ENOMEM;
    size_t ne = 0;
    for (size_t i = 0; lx->slot && i <= lx->mask; i++)
        if (lx->slot[i].key)
            ents[ne++] = lx->slot[i];
    qsort(ents, ne, sizeof *ents, cmp_lexent);
    uint32_t nlexcls = 0;
    for (size_t i = 0; i < (1u << TG_LX_BITS); i++)
        nlexcls += lx->lexclass[i] != 0;
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
    put32(&b, lx->nwclass, &e);
    put32(&b, nlexcls, &e);
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
        put16(&b, (uint16_t)mo->weights[j], &e);
    }
    for (size_t i = 0; i < ne; i++) {
        put64(&b, ents[i].key, &e);
        put16(&b, ents[i].bits, &e);
        put16(&b, ents[i].wclass, &e);
    }
    for (uint32_t i = 0; i < (1u << TG_LX_BITS); i++)
        if (lx->lexclass[i]) {
            put16(&b, (uint16_t)i, &e);
            put16(&b, lx->lexclass[i], &e);
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
