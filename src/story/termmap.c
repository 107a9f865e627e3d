/*
 * termmap.c - term -> weight maps and the document frequency table (see
 * termmap.h).
 *
 * The DF table grows with the vocabulary, and a corpus of hostile or
 * endless text has no end of distinct "words".  Past SR_CLUSTER_MAX_DF_TERMS
 * the rarest terms whose counts are already in the store (no pending delta)
 * are dropped from memory: their IDF then reads as that of an unseen term,
 * which for a term seen once or twice is almost what it was.
 */
#include "story/termmap.h"

#include <stdlib.h>
#include <string.h>

#include "sitrep/story.h"

static sr_err tmap_rehash(tmap *m, size_t nc)
{
    uint64_t *nk = calloc(nc, sizeof *nk);
    float *nv = calloc(nc, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return SR_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i])
            continue;
        size_t j = tm_slot0(m->key[i], nc - 1);
        while (nk[j])
            j = (j + 1) & (nc - 1);
        nk[j] = m->key[i];
        nv[j] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = nk;
    m->val = nv;
    m->cap = nc;
    return SR_OK;
}

sr_err tmap_reserve(tmap *m, size_t n)
{
    size_t nc = m->cap ? m->cap : 16;
    while (nc < n * 2)
        nc *= 2;
    return nc == m->cap ? SR_OK : tmap_rehash(m, nc);
}

sr_err tmap_init_cap(tmap *m, size_t cap)
{
    tmap_free(m);
    return tmap_rehash(m, cap);
}

size_t tmap_first_free(const tmap *m)
{
    size_t i = 0;
    while (i < m->cap && m->key[i])
        i++;
    return i;
}

sr_err tmap_add(tmap *m, uint64_t k, float w)
{
    k = tm_fixkey(k);
    if ((m->n + 1) * 2 > m->cap && tmap_reserve(m, m->n + 1) != SR_OK)
        return SR_ENOMEM;
    size_t mask = m->cap - 1, i = tm_slot0(k, mask);
    while (m->key[i]) {
        if (m->key[i] == k) {
            m->val[i] += w;
            return SR_OK;
        }
        i = (i + 1) & mask;
    }
    m->key[i] = k;
    m->val[i] = w;
    m->n++;
    return SR_OK;
}

void tmap_clear(tmap *m)
{
    if (m->cap)
        memset(m->key, 0, m->cap * sizeof *m->key);
    m->n = 0;
}

void tmap_free(tmap *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

/* ---- document frequencies ------------------------------------------------ */

static size_t df_slot(const dfmap *m, uint64_t k)
{
    size_t mask = m->cap - 1, i = tm_slot0(k, mask);
    while (m->key[i] && m->key[i] != k)
        i = (i + 1) & mask;
    return i;
}

uint32_t dfmap_get(const dfmap *m, uint64_t k)
{
    if (!m->cap)
        return 0;
    size_t i = df_slot(m, tm_fixkey(k));
    return m->key[i] ? m->df[i] : 0;
}

/* A table of cap nc holding m's entries that pass keep (all if limit 0). */
static sr_err df_copy(dfmap *m, size_t nc, uint32_t limit)
{
    dfmap g = { calloc(nc, 8), calloc(nc, 4), calloc(nc, 4), 0, nc };
    if (!g.key || !g.df || !g.delta) {
        free(g.key);
        free(g.df);
        free(g.delta);
        return SR_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i] || (limit && m->delta[i] == 0 && m->df[i] <= limit))
            continue;
        size_t j = df_slot(&g, m->key[i]);
        g.key[j] = m->key[i];
        g.df[j] = m->df[i];
        g.delta[j] = m->delta[i];
        g.n++;
    }
    free(m->key);
    free(m->df);
    free(m->delta);
    *m = g;
    return SR_OK;
}

static void df_prune(dfmap *m)
{
    for (uint32_t limit = 1; m->n > SR_CLUSTER_MAX_DF_TERMS / 4 * 3 && limit < UINT32_MAX / 2;
         limit *= 2)
        if (df_copy(m, m->cap, limit) != SR_OK)
            return;          /* no memory to prune with: the table stays */
}

sr_err dfmap_add(dfmap *m, uint64_t k, uint32_t set, int32_t inc)
{
    k = tm_fixkey(k);
    if (m->n + 1 > SR_CLUSTER_MAX_DF_TERMS)
        df_prune(m);
    if ((m->n + 1) * 2 > m->cap && df_copy(m, m->cap ? m->cap * 2 : 1024, 0) != SR_OK)
        return SR_ENOMEM;
    size_t i = df_slot(m, k);
    if (!m->key[i]) {
        m->key[i] = k;
        m->df[i] = 0;
        m->delta[i] = 0;
        m->n++;
    }
    if (inc) {
        m->df[i] += (uint32_t)inc;
        m->delta[i] += inc;
    } else {
        m->df[i] = set;
    }
    return SR_OK;
}

void dfmap_free(dfmap *m)
{
    free(m->key);
    free(m->df);
    free(m->delta);
    memset(m, 0, sizeof *m);
}
