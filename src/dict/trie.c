/*
 * trie.c - the token-id trie every dictionary phrase is stored in.
 *
 * Why a trie over interned token ids and not Aho-Corasick over bytes: the
 * text pipeline already hands us tokens with case-folded interned ids, and
 * dictionary matching in TABARI's sense is per token (longest phrase starting
 * at a token, stems matching token prefixes, patterns with gaps), so walking
 * ids needs no byte-level automaton and no re-scanning of the text.
 *
 * Why one hash table of edges and not a child array per node: the Phoenix
 * actors give ~100k nodes, most with one child; a single open-addressing
 * table keyed by (parent, key) costs 12 bytes per edge, needs one probe per
 * step in the common case, and makes the whole trie two flat allocations.
 * The table is kept at most half full.
 */
#include <stdlib.h>
#include <string.h>

#include "dict/dictset_impl.h"

static inline uint64_t edge_key(uint32_t node, uint32_t key)
{
    return ((uint64_t)node << 32) | key;
}

static inline size_t edge_slot(uint64_t k, size_t cap)
{
    uint64_t h = k * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return (size_t)(h & (cap - 1));
}

sr_err sr_trie_init(sr_trie *t)
{
    memset(t, 0, sizeof *t);
    t->ecap = 1024;
    t->ekey = calloc(t->ecap, sizeof *t->ekey);
    t->echild = calloc(t->ecap, sizeof *t->echild);
    t->ncap = 512;
    t->val = malloc(t->ncap * sizeof *t->val);
    if (!t->ekey || !t->echild || !t->val) {
        sr_trie_free(t);
        return SR_ENOMEM;
    }
    t->val[0] = SR_NONE;
    t->nnodes = 1;
    return SR_OK;
}

sr_err sr_trie_index_root(sr_trie *t)
{
    free(t->rootset);
    t->rootset = calloc(64, sizeof *t->rootset);
    if (!t->rootset)
        return SR_ENOMEM;
    for (size_t i = 0; i < t->ecap; i++)
        if (t->ekey[i] && (t->ekey[i] >> 32) == 0) {
            uint32_t b = sr_trie_rootbit((uint32_t)t->ekey[i]);
            t->rootset[b >> 6] |= 1ull << (b & 63);
        }
    return SR_OK;
}

void sr_trie_free(sr_trie *t)
{
    free(t->rootset);
    free(t->ekey);
    free(t->echild);
    free(t->val);
    memset(t, 0, sizeof *t);
}

uint32_t sr_trie_child(const sr_trie *t, uint32_t node, uint32_t key)
{
    if (!t->ecap)
        return 0;
    uint64_t k = edge_key(node, key);
    size_t mask = t->ecap - 1;
    for (size_t i = edge_slot(k, t->ecap);; i = (i + 1) & mask) {
        if (t->ekey[i] == k)
            return t->echild[i];
        if (t->ekey[i] == 0)
            return 0;
    }
}

static sr_err grow_edges(sr_trie *t)
{
    size_t ncap = t->ecap * 2;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *nc = calloc(ncap, sizeof *nc);
    if (!nk || !nc) {
        free(nk);
        free(nc);
        return SR_ENOMEM;
    }
    for (size_t i = 0; i < t->ecap; i++) {
        if (!t->ekey[i])
            continue;
        size_t j = edge_slot(t->ekey[i], ncap);
        while (nk[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = t->ekey[i];
        nc[j] = t->echild[i];
    }
    free(t->ekey);
    free(t->echild);
    t->ekey = nk;
    t->echild = nc;
    t->ecap = ncap;
    return SR_OK;
}

sr_err sr_trie_add(sr_trie *t, const uint32_t *keys, size_t n, uint32_t *out)
{
    uint32_t node = 0;
    for (size_t w = 0; w < n; w++) {
        uint32_t child = sr_trie_child(t, node, keys[w]);
        if (!child) {
            if ((t->nedges + 1) * 2 > t->ecap && grow_edges(t) != SR_OK)
                return SR_ENOMEM;
            if (t->nnodes >= UINT32_MAX - 1)
                return SR_ETOOBIG;
            if (sr_grow((void **)&t->val, &t->ncap, t->nnodes + 1, sizeof *t->val) != SR_OK)
                return SR_ENOMEM;
            child = (uint32_t)t->nnodes++;
            t->val[child] = SR_NONE;
            uint64_t k = edge_key(node, keys[w]);
            size_t i = edge_slot(k, t->ecap);
            while (t->ekey[i])
                i = (i + 1) & (t->ecap - 1);
            t->ekey[i] = k;
            t->echild[i] = child;
            t->nedges++;
        }
        node = child;
    }
    *out = node;
    return SR_OK;
}

size_t sr_trie_bytes(const sr_trie *t)
{
    return t->ecap * (sizeof *t->ekey + sizeof *t->echild) + t->ncap * sizeof *t->val;
}
