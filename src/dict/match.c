/*
 * match.c - longest-phrase matching on token ids with TABARI stems.
 *
 * A token's stems are the dictionary stems its folded form begins with (at
 * a UTF-8 boundary).  A word the dictionaries know has them cached by
 * lexicon id at freeze; any other word walks the stem byte trie down its
 * bytes once (the first time a walk or the pattern matcher asks), and the
 * result is kept in its sr_tokview.  This keeps stem matching off the path
 * of every trie step.
 */
#include <stdlib.h>
#include <string.h>

#include "dict/match.h"

void sr_ds_token_stems(const sr_dictset *ds, sr_tokview *v)
{
    if (v->stems_done)
        return;
    v->stems_done = 1;
    v->nstems = 0;
    if (!ds->is_stem || !v->fold)
        return;
    if (v->id && v->id < ds->stem_cache_n) {
        /* a dictionary word: its stems were found once, at freeze */
        uint64_t w = ds->stem_any[v->id >> 6];
        if (!(w >> (v->id & 63) & 1))
            return;
        const uint32_t *sc =
            ds->stem_cache[ds->stem_rank[v->id >> 6] + sr_popcount64(w & ((1ull << (v->id & 63)) - 1))];
        while (v->nstems < 3 && sc[v->nstems])
            v->stems[v->nstems] = sc[v->nstems], v->nstems++;
        return;
    }
    /* the stems along the token's bytes, shortest first; the three longest
     * are kept (a ring of the last three), longest first, as before */
    const unsigned char *f = (const unsigned char *)v->fold;
    const uint8_t *label = ds->stem_label;
    uint32_t ring[3], nfound = 0;
    uint32_t node = v->fold_len ? ds->stem_root[f[0]] : 0;
    for (uint32_t k = 1; node; k++) {   /* node: the prefix of k bytes */
        uint64_t link = ds->stem_link[node];
        if (link & 1 && (k == v->fold_len || (f[k] & 0xC0) != 0x80))
            ring[nfound++ % 3] = ds->stem_key[node];
        if (k == v->fold_len)
            break;
        uint32_t c = (uint32_t)(link >> 32), end = c + (uint32_t)(link >> 1 & 0xFFFF);
        while (c < end && label[c] < f[k])
            c++;
        node = c < end && label[c] == f[k] ? c : 0;
    }
    for (uint32_t i = 0; i < 3 && i < nfound; i++)
        v->stems[v->nstems++] = ring[(nfound - 1 - i) % 3];
}

/* ---- building the stem byte trie (freeze) -------------------------------- */

typedef struct stem_build {
    uint32_t *first, *next, *key;   /* first child, next sibling (by label) */
    uint8_t  *label;
    size_t    n, cap;
} stem_build;

static uint32_t build_node(stem_build *b, uint8_t label)
{
    if (b->n >= UINT32_MAX)
        return 0;
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1024;
        uint32_t *f = realloc(b->first, nc * sizeof *f);
        if (f)
            b->first = f;
        uint32_t *x = realloc(b->next, nc * sizeof *x);
        if (x)
            b->next = x;
        uint32_t *k = realloc(b->key, nc * sizeof *k);
        if (k)
            b->key = k;
        uint8_t *l = realloc(b->label, nc);
        if (l)
            b->label = l;
        if (!f || !x || !k || !l)
            return 0;
        b->cap = nc;
    }
    b->first[b->n] = b->next[b->n] = b->key[b->n] = 0;
    b->label[b->n] = label;
    return (uint32_t)b->n++;
}

sr_err sr_ds_index_stems(sr_dictset *ds, const uint32_t *stems, size_t n)
{
    stem_build b = {0};
    sr_err e = SR_ENOMEM;
    uint32_t *queue = NULL, *key = NULL;
    uint8_t *label = NULL;
    uint64_t *link = NULL;
    if (build_node(&b, 0) != 0)   /* the root */
        goto out;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const unsigned char *w = (const unsigned char *)sr_lexicon_str(ds->lex, stems[i], &len);
        uint32_t node = 0;
        for (size_t k = 0; k < len; k++) {
            /* the children are kept sorted by label in their sibling list */
            uint32_t *at = &b.first[node];
            while (*at && b.label[*at] < w[k])
                at = &b.next[*at];
            if (!*at || b.label[*at] != w[k]) {
                uint32_t c = build_node(&b, w[k]);
                if (!c)
                    goto out;
                at = &b.first[node];   /* the arrays may have moved */
                while (*at && b.label[*at] < w[k])
                    at = &b.next[*at];
                b.next[c] = *at;
                *at = c;
            }
            node = *at;
        }
        if (len > 0)
            b.key[node] = stems[i] | SR_KEY_STEM;
    }
    /* breadth first, so each node's children are contiguous and sorted */
    queue = malloc(b.n * sizeof *queue);
    label = malloc(b.n);
    link = malloc(b.n * sizeof *link);
    key = malloc(b.n * sizeof *key);
    if (!queue || !label || !link || !key)
        goto out;
    size_t head = 0, tail = 1;
    queue[0] = 0;
    while (head < tail) {
        size_t i = head++;
        uint32_t old = queue[i];
        uint64_t nkids = 0;
        label[i] = b.label[old];
        key[i] = b.key[old];
        link[i] = (uint64_t)tail << 32 | (b.key[old] ? 1 : 0);
        for (uint32_t c = b.first[old]; c; c = b.next[c]) {
            queue[tail++] = c;
            nkids++;
        }
        link[i] |= nkids << 1;   /* at most 256 */
    }
    memset(ds->stem_root, 0, sizeof ds->stem_root);
    for (uint32_t c = (uint32_t)(link[0] >> 32); c < (link[0] >> 32) + (link[0] >> 1 & 0xFFFF); c++)
        ds->stem_root[label[c]] = c;
    free(ds->stem_label);
    free(ds->stem_link);
    free(ds->stem_key);
    ds->stem_label = label;
    ds->stem_link = link;
    ds->stem_key = key;
    ds->nstem_node = b.n;
    label = NULL;
    link = NULL;
    key = NULL;
    e = SR_OK;
out:
    free(b.first);
    free(b.next);
    free(b.key);
    free(b.label);
    free(queue);
    free(label);
    free(link);
    free(key);
    return e;
}

bool sr_ds_key_match(const sr_dictset *ds, sr_tokview *v, uint32_t k)
{
    if (!(k & SR_KEY_STEM))
        return v->id == k;
    sr_ds_token_stems(ds, v);
    for (uint8_t i = 0; i < v->nstems; i++)
        if (v->stems[i] == k)
            return true;
    return false;
}

/* Can a word stand inside a TABARI gap ("Prince of Dol Amroth")?  Words
 * and numbers can; punctuation cannot. */
static bool gap_word(const sr_tokview *tv)
{
    if (!tv->fold || tv->fold_len == 0)
        return false;
    unsigned char ch = (unsigned char)tv->fold[0];
    return ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '\'' ||
           ch == '"';   /* Al "The Weasel" Gore */
}

/* Depth-first over the frozen layout (sr_trie_freeze), at most
 * SR_DICT_MAX_WORDS deep: gap, exact word, stems longest first - so the
 * longest phrase wins, the first found among equals.  A key is looked for only if the record's filter of its
 * children's keys has it: at most nodes every key of the next token is
 * turned away there, without touching another cache line. */
static void walk_rec(const sr_dictset *ds, const sr_trie *t, sr_tokview *v, size_t n,
                     size_t start, size_t pos, uint32_t r, size_t depth, uint32_t *best,
                     size_t *best_len)
{
    const sr_trie_rec *rec = &t->rec[r];
    uint32_t meta = rec->meta;
    if (rec->val != SR_NONE && pos - start > *best_len) {
        *best = rec->val;
        *best_len = pos - start;
    }
    if (pos >= n || depth >= SR_DICT_MAX_WORDS || !(meta & SR_TRIE_KIDS))
        return;
    if (depth > 0 && meta & SR_TRIE_GAP) {
        uint32_t g = sr_trie_rec_find(t, r, SR_KEY_GAP);
        for (size_t skip = 0; g && skip <= SR_GAP_MAX && pos + skip < n; skip++) {
            if (skip > 0 && !gap_word(&v[pos + skip - 1]))
                break;
            walk_rec(ds, t, v, n, start, pos + skip, g, depth + 1, best, best_len);
        }
    }
    sr_tokview *tv = &v[pos];
    bool root = r == 0;
    if (tv->id && (root || meta & sr_trie_bloom_bit(tv->id))) {
        uint32_t c = root ? sr_trie_root_child(t, tv->id) : sr_trie_rec_find(t, r, tv->id);
        if (c)
            walk_rec(ds, t, v, n, start, pos + 1, c, depth + 1, best, best_len);
    }
    /* a node with no stem key below it needs no stems (a later trie or
     * the verb patterns compute them when they do) */
    if (!(meta & SR_TRIE_STEMS))
        return;
    sr_ds_token_stems(ds, tv);
    for (uint8_t i = 0; i < tv->nstems; i++) {
        uint32_t k = tv->stems[i];
        if (!root && !(meta & sr_trie_bloom_bit(k)))
            continue;
        uint32_t c = root ? sr_trie_root_child(t, k) : sr_trie_rec_find(t, r, k);
        if (c)
            walk_rec(ds, t, v, n, start, pos + 1, c, depth + 1, best, best_len);
    }
}

uint32_t sr_ds_longest_walk(const sr_dictset *ds, const sr_trie *t, sr_tokview *v, size_t n,
                            size_t start, uint32_t c, size_t *len)
{
    uint32_t best = SR_NONE;
    size_t best_len = 0;
    if (!t->rec) {   /* not frozen: matches nothing (match.h) */
        *len = 0;
        return SR_NONE;
    }
    /* the rest of the root step begun in sr_ds_longest() (match.h): the
     * same branches in the same order as walk_rec() takes them - the
     * root's own value is zero words long and never a phrase, the root has
     * no gap step - so the same phrase wins */
    sr_tokview *tv = &v[start];
    if (c)
        walk_rec(ds, t, v, n, start, start + 1, c, 1, &best, &best_len);
    if (t->rec[0].meta & SR_TRIE_STEMS) {
        sr_ds_token_stems(ds, tv);
        for (uint8_t i = 0; i < tv->nstems; i++)
            if ((c = sr_trie_root_child(t, tv->stems[i])) != 0)
                walk_rec(ds, t, v, n, start, start + 1, c, 1, &best, &best_len);
    }
    *len = best_len;
    return best;
}

bool sr_ds_synset_at(const sr_dictset *ds, uint32_t syn, sr_tokview *v, size_t n,
                     size_t start, size_t *len)
{
    uint32_t root = ds->synset_root && syn < ds->nsynsets
                        ? ds->synset_root[syn]
                        : sr_trie_child(&ds->synsets, 0, SR_KEY_SYN | syn);
    if (!root)
        return false;
    uint32_t best = SR_NONE;
    size_t best_len = 0;
    if (ds->synsets.rec)
        walk_rec(ds, &ds->synsets, v, n, start, start, root, 0, &best, &best_len);
    *len = best_len;
    return best != SR_NONE && best_len > 0;
}
