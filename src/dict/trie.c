/*
 * trie.c - the token-id trie every dictionary phrase is stored in.
 *
 * Why a trie over interned token ids and not Aho-Corasick over bytes: the
 * text pipeline already hands us tokens with case-folded interned ids, and
 * dictionary matching in TABARI's sense is per token (longest phrase starting
 * at a token, stems matching token prefixes, patterns with gaps), so walking
 * ids needs no byte-level automaton and no re-scanning of the text.
 *
 * Two layouts.  While dictionaries load, edges live in one open-addressing
 * hash table keyed by (parent, key): phrases arrive in any order, and a
 * table kept at most half full takes them with one probe per step.  At
 * freeze (sr_trie_freeze) the trie is rewritten breadth first into 16-byte
 * records, each node's children contiguous and sorted (dictset_impl.h says
 * why: the coder's time went to cache misses in the table, three or more
 * per node reached, where a record costs one).  The root's children are
 * found by counting bits of the root key sets (a rank), not by searching
 * its tens of thousands of children.  The gazetteer never freezes its trie
 * and keeps the hash layout.
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
    free(t->rec);
    free(t->root_word_rank);
    free(t->root_stem_rank);
    free(t->root_word);
    free(t->root_stem);
    free(t->edge);
    free(t->val);
    free(t->nflag);
    memset(t, 0, sizeof *t);
}

uint32_t sr_trie_child(const sr_trie *t, uint32_t node, uint32_t key)
{
    if (t->rec)
        return node < t->nnodes ? sr_trie_rec_find(t, node, key) : 0;
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
    if (t->rec)
        return SR_EINVAL;   /* frozen: the hash layout is gone */
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
    size_t b = t->ecap * sizeof *t->edge + t->ncap * sizeof *t->val + t->fcap * sizeof *t->nflag;
    if (t->rec)
        b += (t->nnodes + 1) * sizeof *t->rec +
             ((size_t)t->root_word_n + t->root_stem_n) / 64 * sizeof(uint32_t);
    return b + ((size_t)t->root_word_n + t->root_stem_n) / 8;
}

/* ---- the frozen layout ---------------------------------------------------- */

typedef struct kid { uint32_t key, child; } kid;

static int cmp_kid(const void *a, const void *b)
{
    uint32_t x = ((const kid *)a)->key, y = ((const kid *)b)->key;
    return (x > y) - (x < y);
}

/* Counts of set bits before each 64-bit word of a root set. */
static uint32_t *rank_of(const uint64_t *set, uint32_t nbits)
{
    uint32_t nw = nbits / 64, sum = 0;
    uint32_t *r = malloc((nw ? nw : 1) * sizeof *r);
    if (!r)
        return NULL;
    for (uint32_t w = 0; w < nw; w++) {
        r[w] = sum;
        sum += (uint32_t)__builtin_popcountll(set[w]);
    }
    return r;
}

sr_err sr_trie_freeze(sr_trie *t)
{
    if (t->rec)
        return SR_OK;
    sr_err e = sr_trie_index_root(t);
    if (e)
        return e;
    size_t nn = t->nnodes;
    if (nn >= UINT32_MAX - 1)
        return SR_ETOOBIG;
    /* every node's children, grouped by parent (a counting sort) and
     * sorted by key within each group */
    uint32_t *first = calloc(nn + 1, sizeof *first);
    uint32_t *order = malloc(nn * sizeof *order);   /* old node of each record */
    kid *kids = malloc((t->nedges ? t->nedges : 1) * sizeof *kids);
    sr_trie_rec *rec = calloc(nn + 1, sizeof *rec);
    /* the root sets count into the root's children: words below
     * SR_TRIE_ROOTSET_MAX sort first, then larger words, synsets and gaps,
     * then stems; key 0 is never a child (sr_trie_index_root marks it only
     * to size the sets) */
    t->root_word[0] &= ~1ull;
    t->root_stem[0] &= ~1ull;
    uint32_t *wr = rank_of(t->root_word, t->root_word_n);
    uint32_t *sr = rank_of(t->root_stem, t->root_stem_n);
    if (!first || !order || !kids || !rec || !wr || !sr) {
        e = SR_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < t->ecap; i++)
        if (t->edge[i].child)
            first[t->edge[i].node + 1]++;
    for (size_t v = 0; v < nn; v++)
        first[v + 1] += first[v];
    for (size_t i = 0; i < t->ecap; i++) {
        const sr_trie_edge *ed = &t->edge[i];
        if (ed->child)
            kids[first[ed->node]++] = (kid){ ed->key, ed->child };
    }
    for (size_t v = nn; v > 0; v--)   /* first[] was advanced to each end */
        first[v] = first[v - 1];
    first[0] = 0;
    for (size_t v = 0; v < nn; v++)
        if (first[v + 1] - first[v] > 1)
            qsort(kids + first[v], first[v + 1] - first[v], sizeof *kids, cmp_kid);
    /* breadth first: record i's children are appended as it is reached,
     * so they follow those of record i - 1 */
    size_t tail = 1;
    order[0] = 0;
    rec[0].key = 0;
    for (size_t i = 0; i < nn; i++) {
        uint32_t v = order[i];
        rec[i].val = t->val[v];
        rec[i].kids = (uint32_t)tail;
        uint32_t meta = 0;
        for (uint32_t k = first[v]; k < first[v + 1]; k++) {
            if (tail >= nn) {   /* not a tree: cannot happen */
                e = SR_EFORMAT;
                goto out;
            }
            rec[tail].key = kids[k].key;
            order[tail++] = kids[k].child;
            meta |= SR_TRIE_KIDS | sr_trie_bloom_bit(kids[k].key) |
                    (kids[k].key == SR_KEY_GAP ? SR_TRIE_GAP : 0) |
                    (kids[k].key & SR_KEY_STEM ? SR_TRIE_STEMS : 0);
        }
        rec[i].meta = meta;
    }
    if (tail != nn) {
        e = SR_EFORMAT;
        goto out;
    }
    rec[nn].kids = (uint32_t)nn;   /* sentinel: the end of the last children */
    rec[nn].val = SR_NONE;
    uint32_t sf = rec[0].kids;
    while (sf < rec[1].kids && !(rec[sf].key & SR_KEY_STEM))
        sf++;
    t->root_stem_first = sf;
    t->rec = rec;
    t->root_word_rank = wr;
    t->root_stem_rank = sr;
    rec = NULL;
    wr = sr = NULL;
    free(t->edge);
    free(t->val);
    free(t->nflag);
    t->edge = NULL;
    t->val = NULL;
    t->nflag = NULL;
    t->ecap = t->ncap = t->fcap = 0;
out:
    free(first);
    free(order);
    free(kids);
    free(rec);
    free(wr);
    free(sr);
    return e;
}
