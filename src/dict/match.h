/*
 * match.h - walking dictionary tries over a sentence's tokens (shared by the
 * dictionary lookups and the coder).
 *
 * A token may follow more than one edge out of a node: its exact id, and
 * every stem that is a prefix of its folded form (ARGENTIN and ARGENT both
 * match "argentina").  sr_ds_longest() explores those branches depth-first
 * and returns the longest phrase that ends on a node with a value.
 *
 * Only frozen tries are walked (sr_dictset_freeze, which loading ends
 * with): before that every lookup here finds nothing.  The build-time
 * layout is for inserting, and one walker means one order of branches to
 * keep equal to what the suites were validated with.
 */
#ifndef SITREP_DICT_MATCH_H
#define SITREP_DICT_MATCH_H

#include "dict/dictset_impl.h"

typedef struct sr_tokview {
    uint32_t id;            /* lexicon id of the folded form (0 unknown) */
    uint32_t fold_len;
    const char *fold;       /* folded form, not NUL-terminated */
    uint32_t stems[3];      /* stem keys (with SR_KEY_STEM) it matches */
    uint8_t  nstems;
    uint8_t  stems_done;    /* stems[] computed */
} sr_tokview;

/* Fill v->stems (idempotent). */
void sr_ds_token_stems(const sr_dictset *ds, sr_tokview *v);

/* Does token v match key k (exact id or one of its stems)? */
bool sr_ds_key_match(const sr_dictset *ds, sr_tokview *v, uint32_t k);

/* The walk behind sr_ds_longest(), given c, the root's child along the
 * start token's word (0: none). */
uint32_t sr_ds_longest_walk(const sr_dictset *ds, const sr_trie *t, sr_tokview *v, size_t n,
                            size_t start, uint32_t c, size_t *len);

/* Longest phrase of trie t starting at token `start`; its value, or SR_NONE.
 * *len receives its length in tokens.  Inline because the coder asks ~70
 * times a sentence and most tokens start no phrase: they are turned away
 * here by a bit test, without a call. */
static inline uint32_t sr_ds_longest(const sr_dictset *ds, const sr_trie *t, sr_tokview *v,
                                     size_t n, size_t start, size_t *len)
{
    uint32_t c = 0;
    if (t->rec) {
        uint32_t meta = t->rec[0].meta;
        if (start < n && meta & SR_TRIE_KIDS && v[start].id)
            c = sr_trie_root_child(t, v[start].id);
        if (!c && (start >= n || !(meta & SR_TRIE_STEMS))) {
            *len = 0;
            return SR_NONE;
        }
    }
    return sr_ds_longest_walk(ds, t, v, n, start, c, len);
}

/* Is any phrase of synset `syn` present at token start?  *len = its length. */
bool sr_ds_synset_at(const sr_dictset *ds, uint32_t syn, sr_tokview *v, size_t n,
                     size_t start, size_t *len);

/* yyyymmdd of "YYYY-MM-DD..." or 0. */
int32_t sr_ds_parse_doc_date(const char *date);
/* The actor's code on date (yyyymmdd, 0 = unknown); NULL if none applies. */
const char *sr_ds_actor_pick(const sr_dictset *ds, uint32_t actor, int32_t date);

#endif
