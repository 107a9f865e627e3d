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
 * step in the common case, and makes the whole trie a few flat allocations.
 * The table is kept at most half full.  Key and child share a slot because
 * the coder's time goes to cache misses on this table, one per probe.
 * Most probes miss; the per-node flags and the root key sets answer those
 * before the table is touched.
 */
#include <stdlib.h>
#include <string.h>

#include "dict/dictset_impl.h"

static inline size_t edge_slot(uint32_t node, uint32_t key, size_t cap)
{
    uint64_t h = (((uint64_t)node << 32) | key) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return (size_t)(h & (cap - 1));
}

sr_err sr_trie_init(sr_trie *t)
{
    memset(t, 0, sizeof *t);
    t->ecap = 1024;
    t->edge = calloc(t->ecap, sizeof *t->edge);
    t->ncap = t->fcap = 512;
    t->val = malloc(t->ncap * sizeof *t->val);
    t->nflag = calloc(t->fcap, sizeof *t->nflag);
    if (!t->edge || !t->val || !t->nflag) {
        sr_trie_free(t);
        return SR_ENOMEM;
    }
    t->val[0] = SR_NONE;
    t->nnodes = 1;
    return SR_OK;
}

/* Mark key in a bit set sized to hold it (grown by doubling). */
static sr_err set_bit(uint64_t **set, uint32_t *nbits, uint32_t id)
{
    if (id >= *nbits) {
        uint32_t n = *nbits ? *nbits : 4096;
        while (n <= id)
            n *= 2;
        uint64_t *ns = calloc(n / 64, sizeof *ns);
        if (!ns)
            return SR_ENOMEM;
        if (*set)
            memcpy(ns, *set, *nbits / 64 * sizeof *ns);
        free(*set);
        *set = ns;
        *nbits = n;
    }
    (*set)[id >> 6] |= 1ull << (id & 63);
    return SR_OK;
}

sr_err sr_trie_index_root(sr_trie *t)
{
    free(t->root_word);
    free(t->root_stem);
    t->root_word = t->root_stem = NULL;
    t->root_word_n = t->root_stem_n = 0;
    t->root_wild = false;
    sr_err e = set_bit(&t->root_word, &t->root_word_n, 0);
    if (!e)
        e = set_bit(&t->root_stem, &t->root_stem_n, 0);
    for (size_t i = 0; i < t->ecap && !e; i++) {
        const sr_trie_edge *ed = &t->edge[i];
        if (!ed->child || ed->node != 0)
            continue;
        uint32_t id = ed->key & ~SR_KEY_STEM;
        if (id >= SR_TRIE_ROOTSET_MAX)
            t->root_wild = true;
        else if (ed->key & SR_KEY_STEM)
            e = set_bit(&t->root_stem, &t->root_stem_n, id);
        else
            e = set_bit(&t->root_word, &t->root_word_n, id);
    }
    if (e) {   /* unindexed: every key is probed, still correct */
        free(t->root_word);
        free(t->root_stem);
        t->root_word = t->root_stem = NULL;
        t->root_word_n = t->root_stem_n = 0;
    }
    return e;
}

void sr_trie_free(sr_trie *t)
{
    free(t->root_word);
    free(t->root_stem);
    free(t->edge);
    free(t->val);
    free(t->nflag);
    memset(t, 0, sizeof *t);
}

uint32_t sr_trie_child(const sr_trie *t, uint32_t node, uint32_t key)
{
    if (!t->ecap)
        return 0;
    size_t mask = t->ecap - 1;
    for (size_t i = edge_slot(node, key, t->ecap);; i = (i + 1) & mask) {
        const sr_trie_edge *ed = &t->edge[i];
        if (!ed->child)
            return 0;
        if (ed->node == node && ed->key == key)
            return ed->child;
    }
}

static sr_err grow_edges(sr_trie *t)
{
    size_t ncap = t->ecap * 2;
    sr_trie_edge *ne = calloc(ncap, sizeof *ne);
    if (!ne)
        return SR_ENOMEM;
    for (size_t i = 0; i < t->ecap; i++) {
        const sr_trie_edge *ed = &t->edge[i];
        if (!ed->child)
            continue;
        size_t j = edge_slot(ed->node, ed->key, ncap);
        while (ne[j].child)
            j = (j + 1) & (ncap - 1);
        ne[j] = *ed;
    }
    free(t->edge);
    t->edge = ne;
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
            size_t ofcap = t->fcap;
            if (sr_grow((void **)&t->nflag, &t->fcap, t->nnodes + 1, sizeof *t->nflag) != SR_OK)
                return SR_ENOMEM;
            memset(t->nflag + ofcap, 0, t->fcap - ofcap);
            child = (uint32_t)t->nnodes++;
            t->val[child] = SR_NONE;
            size_t i = edge_slot(node, keys[w], t->ecap);
            while (t->edge[i].child)
                i = (i + 1) & (t->ecap - 1);
            t->edge[i] = (sr_trie_edge){ node, keys[w], child };
            t->nedges++;
            t->nflag[node] |= SR_TRIE_KIDS | (keys[w] == SR_KEY_GAP ? SR_TRIE_GAP : 0);
        }
        node = child;
    }
    *out = node;
    return SR_OK;
}

size_t sr_trie_bytes(const sr_trie *t)
{
    return t->ecap * sizeof *t->edge + t->ncap * sizeof *t->val + t->fcap * sizeof *t->nflag;
}
