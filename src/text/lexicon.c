/*
 * lexicon.c - interned token forms.
 *
 * Dictionary phrases and sentence tokens meet as integer ids, so the coder's
 * inner loop compares integers, never strings.  The table is open addressing
 * with linear probing; a slot holds an id and 32 bits of its form's hash, so
 * a probe passes over other forms without touching their entries (a lookup
 * per token made this the text pipeline's hottest cache miss).  Each form lives in
 * one growing arena (NUL-terminated, so sr_lexicon_str can hand out a C
 * string) and its hash is kept beside it so growing the table never rehashes
 * a string.  Load factor stays under 1/2: probes are short and a miss (the
 * common case for text tokens once the lexicon is frozen) ends at the first
 * empty slot.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "text/internal.h"

typedef struct lex_entry {
    uint32_t off;      /* into arena */
    uint32_t len;
    uint64_t hash;
} lex_entry;

typedef struct lex_slot {
    uint32_t id;           /* 0 = empty */
    uint32_t h32;          /* high half of the form's hash */
} lex_slot;

struct sr_lexicon {
    lex_slot  *slots;
    size_t     nslots;     /* power of two */
    lex_entry *ents;       /* ents[id], ents[0] unused */
    size_t     nents, entcap;
    char      *arena;
    size_t     alen, acap;
    bool       frozen;
    uint64_t   stamp;      /* see sr_lexicon_stamp() */
};

static atomic_uint_fast64_t next_stamp = 1;

static void restamp(sr_lexicon *lex)
{
    lex->stamp = (uint64_t)atomic_fetch_add(&next_stamp, 1);
}

#define LEX_SEED 0x5172657045ull

sr_lexicon *sr_lexicon_new(void)
{
    sr_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex)
        return NULL;
    lex->nslots = 1024;
    lex->slots = calloc(lex->nslots, sizeof *lex->slots);
    lex->nents = 1;  /* id 0 is "none" */
    if (!lex->slots || sr_grow((void **)&lex->ents, &lex->entcap, 256, sizeof *lex->ents) != SR_OK) {
        sr_lexicon_free(lex);
        return NULL;
    }
    memset(&lex->ents[0], 0, sizeof lex->ents[0]);
    restamp(lex);
    return lex;
}

void sr_lexicon_free(sr_lexicon *lex)
{
    if (!lex)
        return;
    free(lex->slots);
    free(lex->ents);
    free(lex->arena);
    free(lex);
}

void sr_lexicon_freeze(sr_lexicon *lex) { lex->frozen = true; }
bool sr_lexicon_is_frozen(const sr_lexicon *lex) { return lex->frozen; }
uint64_t sr_lexicon_stamp(const sr_lexicon *lex) { return lex->stamp; }

size_t sr_lexicon_size(const sr_lexicon *lex) { return lex->nents - 1; }

static size_t probe(const sr_lexicon *lex, const char *s, size_t n, uint64_t h, uint32_t *found)
{
    size_t mask = lex->nslots - 1;
    size_t i = (size_t)h & mask;
    uint32_t h32 = (uint32_t)(h >> 32);
    for (;;) {
        uint32_t id = lex->slots[i].id;
        if (id == 0) {
            *found = 0;
            return i;
        }
        const lex_entry *e;
        if (lex->slots[i].h32 == h32 && (e = &lex->ents[id])->hash == h && e->len == n &&
            memcmp(lex->arena + e->off, s, n) == 0) {
            *found = id;
            return i;
        }
        i = (i + 1) & mask;
    }
}

uint32_t sr_lexicon_find(const sr_lexicon *lex, const char *s, size_t n)
{
    uint32_t id;
    probe(lex, s, n, sr_hash64(s, n, LEX_SEED), &id);
    return id;
}

static sr_err rehash(sr_lexicon *lex)
{
    size_t ns = lex->nslots * 2;
    lex_slot *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return SR_ENOMEM;
    for (size_t id = 1; id < lex->nents; id++) {
        uint64_t h = lex->ents[id].hash;
        size_t i = (size_t)h & (ns - 1);
        while (slots[i].id)
            i = (i + 1) & (ns - 1);
        slots[i] = (lex_slot){ (uint32_t)id, (uint32_t)(h >> 32) };
    }
    free(lex->slots);
    lex->slots = slots;
    lex->nslots = ns;
    return SR_OK;
}

uint32_t sr_lexicon_intern(sr_lexicon *lex, const char *s, size_t n)
{
    uint64_t h = sr_hash64(s, n, LEX_SEED);
    uint32_t id;
    size_t slot = probe(lex, s, n, h, &id);
    if (id)
        return id;
    if (lex->nents > SR_LEXICON_MAX_FORMS || n > UINT32_MAX / 2 ||
        lex->alen + n + 1 > UINT32_MAX)
        return 0;
    if ((lex->nents + 1) * 2 > lex->nslots) {
        /* a failed grow leaves a fuller table, still correct while some
         * slots are empty; past 3/4 full refuse rather than probe forever */
        if (rehash(lex) != SR_OK && (lex->nents + 1) * 4 > lex->nslots * 3)
            return 0;
        slot = probe(lex, s, n, h, &id);
    }
    if (sr_grow((void **)&lex->ents, &lex->entcap, lex->nents + 1, sizeof *lex->ents) != SR_OK ||
        sr_grow((void **)&lex->arena, &lex->acap, lex->alen + n + 1, 1) != SR_OK)
        return 0;
    id = (uint32_t)lex->nents++;
    lex->ents[id] = (lex_entry){ (uint32_t)lex->alen, (uint32_t)n, h };
    memcpy(lex->arena + lex->alen, s, n);
    lex->arena[lex->alen + n] = '\0';
    lex->alen += n + 1;
    lex->slots[slot] = (lex_slot){ id, (uint32_t)(h >> 32) };
    restamp(lex);
    return id;
}

const char *sr_lexicon_str(const sr_lexicon *lex, uint32_t id, size_t *n)
{
    if (id == 0 || id >= lex->nents) {
        if (n)
            *n = 0;
        return "";
    }
    if (n)
        *n = lex->ents[id].len;
    return lex->arena + lex->ents[id].off;
}
