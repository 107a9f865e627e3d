/*
 * dictset_impl.h - the inside of an sr_dictset, shared by the readers in
 * src/dict/ and the matcher in src/code/.  Not a public API: the layout may
 * change with the coder.
 *
 * Everything the coder matches is a phrase of token keys walked through a
 * token-id trie (trie.c).  A key is a lexicon id (exact word) or, with
 * SR_KEY_STEM set, the id of a stem that matches any token beginning with it.
 * Strings (codes, names) live in one pool and are referred to by offset.
 */
#ifndef SITREP_DICT_DICTSET_IMPL_H
#define SITREP_DICT_DICTSET_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/dict.h"
#include "sitrep/text.h"

#define SR_KEY_STEM  0x80000000u  /* key is a stem id (prefix match) */
#define SR_KEY_SYN   0x40000000u  /* first key of a synset phrase */
#define SR_KEY_GAP   0x3FFFFFFFu  /* TABARI "A B" phrase: up to SR_GAP_MAX
                                     words may stand between A and B */
#define SR_GAP_MAX   4
#define SR_NONE      UINT32_MAX

/* ---- token-id trie -------------------------------------------------------
 * Node 0 is the root.  Edges live in one open-addressing table keyed by
 * (parent, key); each node carries one uint32 value (SR_NONE = no phrase
 * ends here) and a flag byte saying whether any edge, or a gap edge, leaves
 * it, so a walk reaching a leaf stops without probing the table. */
typedef struct sr_trie_edge {
    uint32_t node, key;
    uint32_t child;     /* 0 = empty slot (the root is never a child) */
} sr_trie_edge;

#define SR_TRIE_KIDS 1u  /* nflag: some edge leaves the node */
#define SR_TRIE_GAP  2u  /* nflag: an SR_KEY_GAP edge leaves the node */
#define SR_TRIE_STEMS 4u /* rec meta: some edge leaving the node is a stem key */

/* The frozen layout (sr_trie_freeze): one 16-byte record per node, in
 * breadth-first order, so a node's children are contiguous and sorted by
 * key, and the children of record i end where those of record i + 1 begin.
 * Why: the hash layout cost a walk a cache miss for the edge, one for the
 * node's value and one for its flags, then one per key tried at the next
 * node (its word and each stem) - and almost every such try fails.  Here
 * reaching a node brings its value, its flags and a small Bloom filter of
 * its children's keys in one line; most failing tries stop at the filter,
 * and a passing one searches a short contiguous run. */
typedef struct sr_trie_rec {
    uint32_t key;       /* the key of the edge from the parent (root: 0) */
    uint32_t val;       /* SR_NONE = no phrase ends here */
    uint32_t kids;      /* index of the first child in rec[] */
    uint32_t meta;      /* SR_TRIE_KIDS | SR_TRIE_GAP | SR_TRIE_STEMS, and
                           above them (SR_TRIE_BLOOM_SHIFT) the children's keys */
} sr_trie_rec;

#define SR_TRIE_BLOOM_SHIFT 3u
#define SR_TRIE_BLOOM_BITS  29u

/* The bit of key in a record's filter of child keys. */
static inline uint32_t sr_trie_bloom_bit(uint32_t key)
{
    uint32_t h = key * 0x9E3779B1u;
    return 1u << (SR_TRIE_BLOOM_SHIFT + (uint32_t)(((uint64_t)h * SR_TRIE_BLOOM_BITS) >> 32));
}

typedef struct sr_trie {
    /* building layout (until sr_trie_freeze; freed by it) */
    sr_trie_edge *edge; /* key and child side by side: one cache line per probe */
    size_t    ecap, nedges;
    uint32_t *val;      /* per node */
    uint8_t  *nflag;    /* per node: SR_TRIE_KIDS | SR_TRIE_GAP */
    size_t    nnodes, ncap, fcap;
    /* frozen layout: nnodes + 1 records (the last one a sentinel holding
     * the end of the last node's children); NULL until frozen.  Once
     * frozen, node numbers (sr_trie_child, synset roots) index rec[]. */
    sr_trie_rec *rec;
    uint32_t *root_word_rank, *root_stem_rank;  /* set bits of the root sets
                                   before each 64-bit word: a root key's
                                   record is found by counting, not probing */
    uint32_t  root_stem_first;  /* rec[] index of the root's first stem child */
    /* Exact sets of the root's word and stem keys, indexed by lexicon id
     * (built at freeze): most tokens start no phrase and are turned away
     * by one bit test instead of a hash probe. */
    uint64_t *root_word, *root_stem;
    uint32_t  root_word_n, root_stem_n;   /* bits in each set */
    bool      root_wild;  /* a root key too large for the sets (synset,
                             gap): keys beyond them must be probed */
} sr_trie;

#define SR_TRIE_ROOTSET_MAX (1u << 24)   /* ids indexed by the root sets */

/* Could key start a phrase of t?  False only when it certainly cannot. */
static inline bool sr_trie_maybe_root(const sr_trie *t, uint32_t key)
{
    const uint64_t *set = key & SR_KEY_STEM ? t->root_stem : t->root_word;
    uint32_t n = key & SR_KEY_STEM ? t->root_stem_n : t->root_word_n;
    uint32_t id = key & ~SR_KEY_STEM;
    if (!t->root_word)
        return true;   /* not indexed yet */
    if (id >= n)
        return t->root_wild;
    return set[id >> 6] >> (id & 63) & 1;
}

sr_err   sr_trie_init(sr_trie *t);
void     sr_trie_free(sr_trie *t);
/* Child of node along key, or 0 (the root is never a child). */
uint32_t sr_trie_child(const sr_trie *t, uint32_t node, uint32_t key);
/* Walk/create the path keys[0..n) and return its end node in *node.
 * SR_EINVAL once frozen. */
sr_err   sr_trie_add(sr_trie *t, const uint32_t *keys, size_t n, uint32_t *node);
size_t   sr_trie_bytes(const sr_trie *t);
/* Build the root key sets (after the last sr_trie_add). */
sr_err   sr_trie_index_root(sr_trie *t);
/* After the last sr_trie_add: index the root and move to the frozen layout
 * (renumbering the nodes).  On failure the trie stays as it was, usable. */
sr_err   sr_trie_freeze(sr_trie *t);

/* Frozen layout: the record of key's child under record r, or 0. */
static inline uint32_t sr_trie_rec_find(const sr_trie *t, uint32_t r, uint32_t key)
{
    uint32_t lo = t->rec[r].kids, hi = t->rec[r + 1].kids;
    /* the root and a few wide nodes: halve while the run is long; keys
     * before lo are smaller, keys from mid on are not */
    while (hi - lo > 8) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->rec[mid].key < key)
            lo = mid + 1;
        else
            hi = mid + 1;
    }
    for (; lo < hi; lo++)
        if (t->rec[lo].key >= key)
            return t->rec[lo].key == key ? lo : 0;
    return 0;
}

/* Bits set in x.  Not __builtin_popcountll: without -mpopcnt (the build
 * targets any x86-64) it is a call into libgcc on the root walk's path. */
static inline uint32_t sr_popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

/* The root's child along key in the frozen layout, or 0: the root sets say
 * whether it exists and, counted, where its record is. */
static inline uint32_t sr_trie_root_child(const sr_trie *t, uint32_t key)
{
    bool stem = key & SR_KEY_STEM;
    uint32_t id = key & ~SR_KEY_STEM;
    if (id >= (stem ? t->root_stem_n : t->root_word_n))
        return t->root_wild ? sr_trie_rec_find(t, 0, key) : 0;
    uint64_t w = (stem ? t->root_stem : t->root_word)[id >> 6];
    if (!(w >> (id & 63) & 1))
        return 0;
    uint32_t below = sr_popcount64(w & ((1ull << (id & 63)) - 1));
    return stem ? t->root_stem_first + t->root_stem_rank[id >> 6] + below
                : 1 + t->root_word_rank[id >> 6] + below;
}

/* ---- entries --------------------------------------------------------------- */

typedef struct sr_actor_code {
    uint32_t code;          /* pool offset: "PAKGOV", "---", "###" */
    int32_t  from, to;      /* yyyymmdd inclusive; 0 / 99999999 = open */
} sr_actor_code;

typedef struct sr_actor {
    uint32_t name;          /* pool offset of the primary phrase as written */
    uint32_t first, n;      /* range in codes[] */
} sr_actor;

typedef struct sr_agent {
    uint32_t code;          /* pool offset of the agent part: "MIL", "GOVFRM" */
    bool     prefix;        /* written "XXX~": goes before the country */
} sr_agent;

enum sr_pat_kind {
    SR_PE_WORD = 0,   /* key = token key */
    SR_PE_SYNSET,     /* key = synset id */
    SR_PE_SOURCE,     /* $ */
    SR_PE_TARGET,     /* + */
    SR_PE_COMPOUND,   /* % */
    SR_PE_SKIP,       /* ^ : skip a noun phrase */
};

typedef struct sr_pat_elem {
    uint32_t key;
    uint8_t  kind;
    uint8_t  adjacent;      /* must touch the previous element (written _) */
} sr_pat_elem;

/* Code marks TABARI writes after a code ("[031!]", "[023?]"); the code
 * itself is stored without them. */
#define SR_CODE_DOMINANT 1u  /* '!': TABARI's dominant event - with SET: CODE
                                ALL and CHECK DOMINANT it is the only event
                                coded from its sentence */
#define SR_CODE_QUERY    2u  /* '?': a fallback code - TABARI codes it only
                                when nothing else in the sentence is coded
                                ("SAID [023?]"); the entry's code is then
                                "---" and the marked code is in query_code */

typedef struct sr_pattern {
    uint32_t elem;          /* first element in pelems[]: pre (nearest the verb
                               first), then post (in order) */
    uint8_t  npre, npost;
    uint8_t  weight;        /* number of literal words: more = more specific */
    uint8_t  flags;         /* SR_CODE_* of code */
    uint32_t code, code2;   /* pool offsets; code2 SR_NONE unless [a:b] */
    uint32_t line;          /* source line, for explanations */
    uint32_t query_code;    /* SR_CODE_QUERY: the code written with '?' (pool),
                               else SR_NONE */
    uint64_t need[4];       /* its literal words as a 256-bit signature
                               (sr_key_sig_bit), set at freeze: a sentence
                               lacking one of them is seen in four ANDs */
} sr_pattern;

/* Bit of a token key in a 256-bit word signature. */
static inline uint32_t sr_key_sig_bit(uint32_t key)
{
    return (key * 0x9E3779B1u) >> 24;
}

/* Bit of a token key in the coder's 4096-bit set of a sentence's words and
 * stems (the same hash, finer: a sentence's ~50 keys fill ~1% of it). */
#define SR_KEY_SET_BITS 4096u
static inline uint32_t sr_key_set_bit(uint32_t key)
{
    return (key * 0x9E3779B1u) >> 20;
}

/* sr_verb_group.heavy_pick of a pattern with no literal word: twice a bit
 * past the hashed ones that the coder's set always has (so the test of a
 * pattern's pick needs no branch for it) */
#define SR_KEY_SET_ALWAYS SR_KEY_SET_BITS
#define SR_PICK_ANY (SR_KEY_SET_ALWAYS << 16 | SR_KEY_SET_ALWAYS)

typedef struct sr_verb {
    uint32_t name;          /* pool offset: the verb as written */
    uint32_t code;          /* default code (pool), "---" = none */
    uint32_t code2;
    uint32_t group;         /* index in groups[] of the patterns it shares */
    uint32_t prev;          /* the verb this one extends (same form loaded
                               from an earlier file), or SR_NONE: its
                               patterns are tried after ours */
    uint8_t  flags;         /* SR_CODE_* of code */
    uint32_t query_code;    /* as in sr_pattern */
} sr_verb;

typedef struct sr_verb_group {
    uint32_t *pats;  size_t npats, cap;   /* indexes into patterns[], file order */
    uint32_t *heavy;                      /* the same, heaviest first (file order
                                             among equal weights), made at
                                             freeze: the coder stops at the
                                             first match */
    uint32_t *heavy_pick;                 /* heavy[i]'s pattern's two rarest
                                             literal words (fewest patterns
                                             name them) as sr_key_set_bit()s,
                                             hi << 16 | lo, or SR_PICK_ANY:
                                             side by side, so the hundreds of
                                             patterns of a common verb whose
                                             words the sentence lacks are
                                             passed over in 4 bytes each,
                                             without their pattern being read */
} sr_verb_group;

typedef struct sr_verb_form {
    uint32_t verb;          /* index in verbs[] */
    uint8_t  head;          /* which word of the phrase is the verb itself */
    uint8_t  len;           /* words in the phrase */
} sr_verb_form;

typedef struct sr_issue {
    uint32_t code;          /* pool offset */
    bool     negative;      /* ~phrase: suppresses the issue it overlaps */
} sr_issue;

/* Line ledger of the files loaded so far (read_common.h): every line with
 * content is used, skipped (reported, not loaded) or warned (reported,
 * loaded with a repair); unread counts lines a reader dropped silently. */
typedef struct sr_dict_lines {
    size_t lines, content, used, skipped, warned, unread;
} sr_dict_lines;

/* A TABARI .options LABEL: line: code -> name.  Owned strings, not pool
 * offsets: options may be read after freezing, when the pool must not move. */
typedef struct sr_label {
    char *code, *text;
} sr_label;

struct sr_dictset {
    sr_lexicon *lex;
    bool frozen;
    sr_dict_options opts;
    const sr_codebook *codebook;

    sr_buf pool;            /* NUL-separated strings */

    sr_trie actors;         /* value: index in actors[] */
    sr_actor *actor; size_t nactor, actor_cap;
    sr_actor_code *codes; size_t ncodes, codes_cap;
    size_t actor_phrases;

    sr_trie agents;         /* value: index in agent[] */
    sr_agent *agent; size_t nagent, agent_cap;
    size_t agent_phrases;

    sr_trie verbs;          /* value: index in forms[] */
    sr_verb_form *forms; size_t nforms, forms_cap;
    sr_verb *verb; size_t nverb, verb_cap;
    sr_verb_group *groups; size_t ngroups, groups_cap;
    sr_pattern *patterns; size_t npatterns, patterns_cap;
    sr_pat_elem *pelems; size_t npelems, pelems_cap;

    sr_trie synsets;        /* phrases under key SR_KEY_SYN|id; value 1 */
    uint32_t *synset_name; size_t nsynsets, synsets_cap;  /* pool offsets */
    uint32_t *synset_root;  /* [synset id]: its node under the synsets root,
                               0 = none (freeze); saves a probe per test */
    uint64_t (*synset_first)[4]; /* [synset id]: the first words of its members
                               as a 256-bit signature (sr_key_sig_bit): a
                               sentence holding none of them cannot match a
                               pattern naming the set */
    size_t synset_first_cap;

    sr_trie discards;       /* value: 1 sentence, 2 story */
    size_t ndiscards;

    sr_trie issues;         /* value: index in issue[] */
    sr_issue *issue; size_t nissue, issue_cap;

    uint8_t *is_stem;       /* by lexicon id, built by freeze */
    size_t   is_stem_n;
    uint32_t stem_min;      /* shortest stem, in bytes */
    /* The stems of every dictionary word, found once by freeze so known
     * words never walk: stem_any has a bit per lexicon id (< stem_cache_n)
     * whose word has any (one in seven does), and only those have an entry
     * in stem_cache (its stem keys, 0-terminated), at the count of bits
     * before theirs (stem_rank per 64 ids, plus those in the same word).
     * Why so compact: a cache by id took 560 KB, a cache miss a token. */
    uint32_t (*stem_cache)[3];
    uint64_t *stem_any;
    uint32_t *stem_rank;
    size_t    stem_cache_n;
    /* Every stem's bytes in one byte trie (built by freeze), for the words
     * the lexicon does not know: one walk down the token's bytes finds all
     * the stems it begins with, where probing the lexicon with each prefix
     * cost a hash and a cache miss per length. */
    /* By node ([0] the root; a node's children are contiguous, sorted by
     * label): the byte leading to it, its first child << 32 | its number
     * of children << 1 | 1 if a stem ends there, and that stem's key.
     * Labels apart, so looking for a byte among the children reads one
     * line. */
    uint8_t  *stem_label;
    uint64_t *stem_link;
    uint32_t *stem_key;
    size_t    nstem_node;
    uint32_t stem_root[256];  /* the root's child by first byte, 0 = none */

    sr_dict_lines lines;    /* ledger of every file loaded */
    sr_label *label; size_t nlabel, label_cap;   /* .options LABEL: lines */
    size_t option_lines;    /* .options lines applied */
    uint8_t *is_prep;       /* by lexicon id (< is_prep_n): a word of a
                               prepositions list (Phoenix.prepositions.txt) */
    size_t is_prep_n, nprep;
};

/* Pool helpers. */
sr_err      sr_ds_str(sr_dictset *ds, const char *s, size_t n, uint32_t *off);
static inline const char *sr_ds_pool(const sr_dictset *ds, uint32_t off)
{
    return ds->pool.p + off;
}

/* Build the stem byte trie from the n stem ids (repeats allowed) - freeze. */
sr_err sr_ds_index_stems(sr_dictset *ds, const uint32_t *stems, size_t n);

/* Split a dictionary phrase (TABARI/PETRARCH spelling: words joined by '_'
 * or spaces) into keys.  `stems`: a word not followed by '_' is a stem.
 * adj[i] says word i was joined to word i-1 by '_'.  Returns the number of
 * words, 0 if the phrase is empty, or -1 (too long / out of memory). */
int sr_ds_phrase(sr_dictset *ds, const char *s, size_t n, bool stems,
                 uint32_t *keys, uint8_t *adj, int max);
/* TABARI's regular endings of an exact word written "WORD_": nouns take
 * -S/-ES, verbs -S/-ES/-ED/-D/-EN/-ING (a final E is dropped before a vowel).
 * Fills out[] with the endings' ids; returns their number, or -1 (memory). */
int sr_ds_endings(sr_dictset *ds, uint32_t key, bool verb, uint32_t *out, int max);
/* Intern one folded word (no stem). 0 on failure. */
uint32_t sr_ds_word(sr_dictset *ds, const char *s, size_t n);

/* Dates: "YYMMDD" or "YYYYMMDD" -> yyyymmdd; -1 if malformed. */
int32_t sr_ds_date(const char *s, size_t n);

/* Readers (read_*.c).  buf is the whole file, NUL-terminated. */
sr_err sr_read_actors(sr_dictset *ds, const char *path, char *buf, size_t len);
sr_err sr_read_agents(sr_dictset *ds, const char *path, char *buf, size_t len);
sr_err sr_read_verbs(sr_dictset *ds, const char *path, char *buf, size_t len);
sr_err sr_read_discards(sr_dictset *ds, const char *path, char *buf, size_t len);
sr_err sr_read_issues(sr_dictset *ds, const char *path, char *buf, size_t len);
sr_err sr_read_words(sr_dictset *ds, const char *path, char *buf, size_t len);
sr_err sr_read_options(sr_dictset *ds, const char *path, char *buf, size_t len);

/* Line iteration shared by the readers: next line (without \r\n) of buf, NUL
 * terminated in place; returns NULL at end. */
char *sr_ds_next_line(char **cursor, char *end, size_t *len);

/* Is the path a TABARI-style file (stems, ';' comments) rather than
 * PETRARCH-style (exact words, '#' comments)? */
bool sr_ds_tabari_style(const char *path);

#endif
