/*
 * termmap.h - the two hash tables the clusterer is built on (private to
 * src/story/): a term -> weight map (a story's profile) and the document
 * frequency table with its unflushed changes.
 *
 * Both are open-addressing tables keyed by 64-bit term hashes (0 is
 * remapped to 1, so 0 can mark an empty slot), sized to powers of two and
 * at most half full.  Why not a library table: the keys are already good
 * hashes, the tables hold millions of entries, and the DF table needs its
 * own pruning policy (termmap.c).
 */
#ifndef SITREP_STORY_TERMMAP_H
#define SITREP_STORY_TERMMAP_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"

static inline uint64_t tm_fixkey(uint64_t k) { return k ? k : 1; }
static inline size_t tm_slot0(uint64_t k, size_t mask)
{
    return (size_t)(k * 0x9E3779B97F4A7C15ull >> 17) & mask;
}

typedef struct tmap {
    uint64_t *key;
    float    *val;
    size_t    n, cap;       /* cap is 0 or a power of two */
} tmap;

static inline const float *tmap_find(const tmap *m, uint64_t k)
{
    if (!m->cap)
        return NULL;
    k = tm_fixkey(k);
    size_t mask = m->cap - 1, i = tm_slot0(k, mask);
    while (m->key[i]) {
        if (m->key[i] == k)
            return &m->val[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

static inline float *tmap_find_mut(tmap *m, uint64_t k)
{
    return (float *)tmap_find(m, k);
}

sr_err tmap_reserve(tmap *m, size_t n);          /* room for n entries */
/* An empty map of exactly cap slots (a power of two): a saved profile put
 * back slot by slot (tmap_first_free) comes back in the same layout, so it
 * is walked - and its sums added up - in the same order as before. */
sr_err tmap_init_cap(tmap *m, size_t cap);
/* The first empty slot (cap if none): walking the slots from just after it,
 * around, meets every run of linear probing from its start. */
size_t tmap_first_free(const tmap *m);
sr_err tmap_add(tmap *m, uint64_t k, float w);   /* value += w (inserting 0) */
void   tmap_clear(tmap *m);                      /* empty, memory kept */
void   tmap_free(tmap *m);

/* Document frequencies: df per term and the change since the last flush. */
typedef struct dfmap {
    uint64_t *key;
    uint32_t *df;
    int32_t  *delta;
    size_t    n, cap;
} dfmap;

uint32_t dfmap_get(const dfmap *m, uint64_t k);
/* inc != 0: df += inc and delta += inc; inc == 0: df = set (a restore). */
sr_err   dfmap_add(dfmap *m, uint64_t k, uint32_t set, int32_t inc);
void     dfmap_free(dfmap *m);

#endif
