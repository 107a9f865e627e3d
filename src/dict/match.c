/*
 * match.c - longest-phrase matching on token ids with TABARI stems.
 *
 * Stems are found by probing the lexicon with the token's own prefixes
 * (longest first, at UTF-8 boundaries, no shorter than the shortest stem in
 * the dictionaries): a token of n bytes costs at most n - stem_min hash
 * probes, computed once per token and cached in its sr_tokview.  This keeps
 * stem matching off the path of every trie step.
 */
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
        const uint32_t *sc = ds->stem_cache[v->id];
        while (v->nstems < 3 && sc[v->nstems])
            v->stems[v->nstems] = sc[v->nstems], v->nstems++;
        return;
    }
    const unsigned char *f = (const unsigned char *)v->fold;
    uint32_t lens2 = ds->stem_lens && v->fold_len > 1 ? ds->stem_lens[f[0] << 8 | f[1]] : ~0u;
    uint32_t lens1 = ds->stem_lens && v->fold_len > 0 ? ds->stem_lens[f[0] << 8] : ~0u;
    for (uint32_t k = v->fold_len; k >= ds->stem_min && k > 0; k--) {
        if (k < v->fold_len && ((unsigned char)v->fold[k] & 0xC0) == 0x80)
            continue;  /* not a character boundary */
        if (!((k == 1 ? lens1 : lens2) & (1u << (k >= 31 ? 31 : k))))
            continue;  /* no stem of this length starts like this token */
        uint32_t id = sr_lexicon_find(ds->lex, v->fold, k);
        if (id && id < ds->is_stem_n && ds->is_stem[id]) {
            v->stems[v->nstems++] = id | SR_KEY_STEM;
            if (v->nstems == sizeof v->stems / sizeof v->stems[0])
                break;
        }
    }
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

/* Depth-first search; depth bounded by SR_DICT_MAX_WORDS. */
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

static void walk(const sr_dictset *ds, const sr_trie *t, sr_tokview *v, size_t n,
                 size_t start, size_t pos, uint32_t node, size_t depth, uint32_t *best,
                 size_t *best_len)
{
    if (t->val[node] != SR_NONE && pos - start > *best_len) {
        *best = t->val[node];
        *best_len = pos - start;
    }
    if (pos >= n || depth >= SR_DICT_MAX_WORDS || !(t->nflag[node] & SR_TRIE_KIDS))
        return;
    if (depth > 0 && t->nflag[node] & SR_TRIE_GAP) {
        uint32_t g = sr_trie_child(t, node, SR_KEY_GAP);
        for (size_t skip = 0; g && skip <= SR_GAP_MAX && pos + skip < n; skip++) {
            if (skip > 0 && !gap_word(&v[pos + skip - 1]))
                break;
            walk(ds, t, v, n, start, pos + skip, g, depth + 1, best, best_len);
        }
    }
    sr_tokview *tv = &v[pos];
    bool root = node == 0;
    if (tv->id && (!root || sr_trie_maybe_root(t, tv->id))) {
        uint32_t c = sr_trie_child(t, node, tv->id);
        if (c)
            walk(ds, t, v, n, start, pos + 1, c, depth + 1, best, best_len);
    }
    sr_ds_token_stems(ds, tv);
    for (uint8_t i = 0; i < tv->nstems; i++) {
        if (root && !sr_trie_maybe_root(t, tv->stems[i]))
            continue;
        uint32_t c = sr_trie_child(t, node, tv->stems[i]);
        if (c)
            walk(ds, t, v, n, start, pos + 1, c, depth + 1, best, best_len);
    }
}

/* The root's child along key in the frozen layout, or 0: the root sets say
 * whether it exists and, counted, where its record is. */
static inline uint32_t root_child(const sr_trie *t, uint32_t key)
{
    bool stem = key & SR_KEY_STEM;
    uint32_t id = key & ~SR_KEY_STEM;
    if (id >= (stem ? t->root_stem_n : t->root_word_n))
        return t->root_wild ? sr_trie_rec_find(t, 0, key) : 0;
    uint64_t w = (stem ? t->root_stem : t->root_word)[id >> 6];
    if (!(w >> (id & 63) & 1))
        return 0;
    uint32_t below = (uint32_t)__builtin_popcountll(w & ((1ull << (id & 63)) - 1));
    return stem ? t->root_stem_first + t->root_stem_rank[id >> 6] + below
                : 1 + t->root_word_rank[id >> 6] + below;
}

/* walk() over the frozen layout (sr_trie_freeze): the same branches in the
 * same order - gap, exact word, stems longest first - so the same phrase
 * wins.  A key is looked for only if the record's filter of its children's
 * keys has it: at most nodes every key of the next token is turned away
 * there, without touching another cache line. */
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
        uint32_t c = root ? root_child(t, tv->id) : sr_trie_rec_find(t, r, tv->id);
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
        uint32_t c = root ? root_child(t, k) : sr_trie_rec_find(t, r, k);
        if (c)
            walk_rec(ds, t, v, n, start, pos + 1, c, depth + 1, best, best_len);
    }
}

uint32_t sr_ds_longest(const sr_dictset *ds, const sr_trie *t, sr_tokview *v,
                       size_t n, size_t start, size_t *len)
{
    uint32_t best = SR_NONE;
    size_t best_len = 0;
    if (t->rec)
        walk_rec(ds, t, v, n, start, start, 0, 0, &best, &best_len);
    else
        walk(ds, t, v, n, start, start, 0, 0, &best, &best_len);
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
    else
        walk(ds, &ds->synsets, v, n, start, start, root, 0, &best, &best_len);
    *len = best_len;
    return best != SR_NONE && best_len > 0;
}
