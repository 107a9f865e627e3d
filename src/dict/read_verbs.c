/*
 * read_verbs.c - verb-pattern dictionaries: TABARI .verbs and PETRARCH-1 /
 * Phoenix CAMEO.verbpatterns.
 *
 * Both dialects share the pattern language:
 *     - SAID WOULD * NOW  [101]      words before '*' precede the verb,
 *                                    words after it follow
 *     - $ * + IN_^ TALKS [036:036]   $ source, + target, % compound actor,
 *                                    ^ skip a noun phrase, &SET a synonym set,
 *                                    A_B adjacent words; [a:b] a paired event
 *                                    (a from source to target, b back)
 * and differ in how verbs are grouped:
 *   TABARI     a verb line "ABANDON  [345]" starts its own block of patterns;
 *              "{ ACTING_ ACTXD_ }" lists extra forms of the verb before it;
 *              a verb word without '_' is a stem (ABANDON matches ABANDONED).
 *   PETRARCH   "--- GROUP [code] ---" starts a block; the verb lines under it
 *              ("SAY {SAYS SAID SAYING}", "+MEET_WITH {+MET_WITH ...}",
 *              "EXPRESS [0110]") share its patterns; '+' marks which word of a
 *              multi-word verb inflects; regular forms (-S, -ED, -ING) are
 *              generated unless irregular ones are listed in braces.
 * Synonym sets: "&NAME" followed by "+member" lines (TABARI wraps them in
 * <SYNSETS>).  TABARI's <NOUN>, <ADJECTIVE> and <TIME> sections are skipped:
 * sitrep tells nouns from verbs by context, not by word lists.
 *
 * Pattern words of four letters or more without '_' are stems, as in TABARI
 * ("WRANGL OVER"); shorter ones match exactly, because a stem "IN" would
 * match "international" and turn every "* IN +" pattern into noise.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/dictset_impl.h"
#include "dict/read_common.h"

typedef struct vstate {
    sr_dictset *ds;
    sr_linectx c;
    uint32_t group;          /* current group, SR_NONE before the first */
    uint32_t group_code;     /* its default code */
    uint32_t group_code2;
    uint32_t last_verb;      /* for TABARI "{ forms }" lines */
    uint32_t synset;         /* current synset while reading '+' members */
    bool in_synset;
    int skip_section;        /* inside <NOUN> etc. */
    /* synonym-set members as written, so a set used inside another set
     * ("+&TIETYPES_MEMOS") can be expanded */
    struct { uint32_t set; char *text; } *members;
    size_t nmembers, members_cap;
} vstate;

static bool valid_code(const char *s, size_t n)
{
    /* "---" no event, "###" discard, "+++" too complex to code */
    if (n == 3 && (strncmp(s, "---", 3) == 0 || strncmp(s, "###", 3) == 0 ||
                   strncmp(s, "+++", 3) == 0))
        return true;
    /* two to four digits, then at most one letter (TABARI's "174K",
     * "075A": local variants of a CAMEO code) */
    size_t d = 0;
    while (d < n && isdigit((unsigned char)s[d]))
        d++;
    if (d < 2 || d > 4)
        return false;
    return n == d || (n == d + 1 && isalpha((unsigned char)s[d]));
}

/* Parse "[a]" or "[a:b]" found in s; returns false if malformed. */
static bool parse_code(vstate *v, const char *open, uint32_t *code, uint32_t *code2)
{
    const char *close = strchr(open, ']');
    if (!close)
        return false;
    const char *p = open + 1;
    while (p < close && sr_rd_blank(*p))
        p++;
    const char *e = close;
    while (e > p && sr_rd_blank(e[-1]))
        e--;
    const char *colon = memchr(p, ':', (size_t)(e - p));
    const char *ae = colon ? colon : e;
    if (!valid_code(p, (size_t)(ae - p)))
        return false;
    if (sr_ds_str(v->ds, p, (size_t)(ae - p), code) != SR_OK)
        return false;
    *code2 = SR_NONE;
    if (colon) {
        if (!valid_code(colon + 1, (size_t)(e - colon - 1)))
            return false;
        if (sr_ds_str(v->ds, colon + 1, (size_t)(e - colon - 1), code2) != SR_OK)
            return false;
    }
    return true;
}

static sr_err new_group(vstate *v)
{
    sr_dictset *ds = v->ds;
    if (sr_grow((void **)&ds->groups, &ds->groups_cap, ds->ngroups + 1, sizeof *ds->groups))
        return SR_ENOMEM;
    memset(&ds->groups[ds->ngroups], 0, sizeof ds->groups[0]);
    v->group = (uint32_t)ds->ngroups++;
    return SR_OK;
}

static sr_err insert_form(vstate *v, const uint32_t *keys, const uint8_t *adj, int k,
                          int head_word, uint32_t verb);

static sr_err add_form(vstate *v, const char *s, size_t n, uint32_t verb, bool stems)
{
    sr_dictset *ds = v->ds;
    uint32_t keys[SR_DICT_MAX_WORDS];
    /* find the '+'-marked word: the verb proper */
    char tmp[256];
    size_t w = 0;
    int head_word = -1, word = 0;
    bool inword = false;
    for (size_t i = 0; i < n && w + 1 < sizeof tmp; i++) {
        char ch = s[i];
        if (ch == '_' || sr_rd_blank(ch)) {
            if (inword)
                word++;
            inword = false;
            tmp[w++] = ch;
            continue;
        }
        if (ch == '+') {
            head_word = word;
            continue;
        }
        inword = true;
        tmp[w++] = ch;
    }
    uint8_t adj[SR_DICT_MAX_WORDS];
    int k = sr_ds_phrase(ds, tmp, w, stems, keys, adj, SR_DICT_MAX_WORDS);
    if (k <= 0) {
        if (k < 0)
            sr_skip(v->c.path, sr_rd_rec(&v->c), "verb phrase too long or unreadable");
        return SR_OK;
    }
    if (head_word < 0 || head_word >= k)
        head_word = 0;
    sr_err e = insert_form(v, keys, adj, k, head_word, verb);
    if (e)
        return e;
    /* TABARI: "DEPART_" also matches departs, departed, departing ... */
    size_t hl = 0;
    while (hl < w && tmp[hl] != '_' && !sr_rd_blank(tmp[hl]))
        hl++;
    if (v->c.tabari && head_word == 0 && hl < w && tmp[hl] == '_' &&
        !(keys[0] & SR_KEY_STEM)) {
        uint32_t var[8], first = keys[0];
        int nv = sr_ds_endings(ds, first, true, var, 8);
        if (nv < 0)
            return SR_ENOMEM;
        for (int i = 0; i < nv && !e; i++) {
            keys[0] = var[i];
            e = insert_form(v, keys, adj, k, head_word, verb);
        }
        keys[0] = first;
    }
    return e;
}

static sr_err insert_form(vstate *v, const uint32_t *keys, const uint8_t *adj, int k,
                          int head_word, uint32_t verb)
{
    sr_dictset *ds = v->ds;
    uint32_t node, path[SR_DICT_MAX_WORDS * 2];
    size_t np = 0;
    /* TABARI: "DEATH TOLL RISEN" also matches "death toll has risen" */
    for (int i = 0; i < k; i++) {
        if (v->c.tabari && i > 0 && !adj[i])
            path[np++] = SR_KEY_GAP;
        path[np++] = keys[i];
    }
    if (sr_trie_add(&ds->verbs, path, np, &node) != SR_OK)
        return SR_ENOMEM;
    if (sr_grow((void **)&ds->forms, &ds->forms_cap, ds->nforms + 1, sizeof *ds->forms))
        return SR_ENOMEM;
    uint32_t old = ds->verbs.val[node];
    if (old != SR_NONE && ds->forms[old].verb != verb && ds->verb[verb].prev == SR_NONE &&
        ds->forms[old].verb < verb)
        ds->verb[verb].prev = ds->forms[old].verb;
    sr_verb_form *f = &ds->forms[ds->nforms];
    f->verb = verb;
    f->head = (uint8_t)head_word;
    f->len = (uint8_t)k;
    ds->verbs.val[node] = (uint32_t)ds->nforms++;
    return SR_OK;
}

/* Regular inflections of the marked word of a PETRARCH verb phrase. */
static sr_err add_regular_forms(vstate *v, const char *s, size_t n, uint32_t verb)
{
    const char *plus = memchr(s, '+', n);
    const char *w = plus ? plus + 1 : s;
    const char *we = w;
    while (we < s + n && *we != '_' && !sr_rd_blank(*we))
        we++;
    size_t wl = (size_t)(we - w);
    if (wl < 2 || wl > 60)
        return SR_OK;
    char last = (char)toupper((unsigned char)w[wl - 1]);
    char prev = (char)toupper((unsigned char)w[wl - 2]);
    char forms[4][72];
    int nf = 0;
    const char *stem_end = w + wl;
    if (last == 'E') {
        snprintf(forms[nf++], sizeof forms[0], "%.*sS", (int)wl, w);
        snprintf(forms[nf++], sizeof forms[0], "%.*sD", (int)wl, w);
        if (prev == 'E')
            snprintf(forms[nf++], sizeof forms[0], "%.*sING", (int)wl, w);
        else
            snprintf(forms[nf++], sizeof forms[0], "%.*sING", (int)wl - 1, w);
    } else if (last == 'Y' && !strchr("AEIOU", prev)) {
        snprintf(forms[nf++], sizeof forms[0], "%.*sIES", (int)wl - 1, w);
        snprintf(forms[nf++], sizeof forms[0], "%.*sIED", (int)wl - 1, w);
        snprintf(forms[nf++], sizeof forms[0], "%.*sING", (int)wl, w);
    } else {
        bool es = last == 'S' || last == 'X' || last == 'Z' || (last == 'H' && (prev == 'C' || prev == 'S'));
        snprintf(forms[nf++], sizeof forms[0], "%.*s%s", (int)wl, w, es ? "ES" : "S");
        snprintf(forms[nf++], sizeof forms[0], "%.*sED", (int)wl, w);
        snprintf(forms[nf++], sizeof forms[0], "%.*sING", (int)wl, w);
    }
    for (int i = 0; i < nf; i++) {
        char phrase[256];
        int pl = snprintf(phrase, sizeof phrase, "%.*s+%s%.*s", (int)(w - s - (plus ? 1 : 0)), s,
                          forms[i], (int)(s + n - stem_end), stem_end);
        if (pl <= 0 || (size_t)pl >= sizeof phrase)
            continue;
        sr_err e = add_form(v, phrase, (size_t)pl, verb, false);
        if (e)
            return e;
    }
    return SR_OK;
}

static sr_err add_verb_line(vstate *v, char *s)
{
    sr_dictset *ds = v->ds;
    bool tabari = v->c.tabari;
    uint32_t code = v->group_code, code2 = v->group_code2;
    char *br = strchr(s, '[');
    if (br && !parse_code(v, br, &code, &code2)) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "bad verb code '%s'", br);
        return SR_OK;
    }
    if (tabari || v->group == SR_NONE) {
        sr_err e = new_group(v);
        if (e)
            return e;
        if (tabari) {
            v->group_code = code;
            v->group_code2 = code2;
        }
    }
    if (code == 0) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "verb without a code");
        return SR_OK;
    }
    char *brace = strchr(s, '{');
    char *end = brace ? brace : br ? br : s + strlen(s);
    while (end > s && sr_rd_blank(end[-1]))
        end--;
    if (end == s)
        return SR_OK;
    if (sr_grow((void **)&ds->verb, &ds->verb_cap, ds->nverb + 1, sizeof *ds->verb))
        return SR_ENOMEM;
    sr_verb *vb = &ds->verb[ds->nverb];
    if (sr_ds_str(ds, s, (size_t)(end - s), &vb->name) != SR_OK)
        return SR_ENOMEM;
    vb->code = code;
    vb->code2 = code2;
    vb->group = v->group;
    vb->prev = SR_NONE;
    uint32_t verb = (uint32_t)ds->nverb++;
    v->last_verb = verb;
    sr_err e = add_form(v, s, (size_t)(end - s), verb, tabari);
    if (e)
        return e;
    if (brace) {
        char *bend = strchr(brace, '}');
        if (!bend) {
            sr_skip(v->c.path, sr_rd_rec(&v->c), "unclosed '{'");
            return SR_OK;
        }
        for (char *p = brace + 1; p < bend;) {
            while (p < bend && sr_rd_blank(*p))
                p++;
            char *q = p;
            while (q < bend && !sr_rd_blank(*q))
                q++;
            if (q > p && (e = add_form(v, p, (size_t)(q - p), verb, tabari)))
                return e;
            p = q;
        }
    } else if (!tabari) {
        e = add_regular_forms(v, s, (size_t)(end - s), verb);
    }
    return e;
}

/* TABARI "{ FORM FORM }" line: more forms of the last verb. */
static sr_err add_forms_line(vstate *v, char *s)
{
    if (v->last_verb == SR_NONE) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "verb forms with no verb before them");
        return SR_OK;
    }
    char *bend = strchr(s, '}');
    if (!bend)
        bend = s + strlen(s);
    for (char *p = s + 1; p < bend;) {
        while (p < bend && sr_rd_blank(*p))
            p++;
        char *q = p;
        while (q < bend && !sr_rd_blank(*q))
            q++;
        sr_err e;
        if (q > p && (e = add_form(v, p, (size_t)(q - p), v->last_verb, v->c.tabari)))
            return e;
        p = q;
    }
    return SR_OK;
}

static uint32_t find_synset(const sr_dictset *ds, const char *name, size_t n)
{
    for (size_t i = 0; i < ds->nsynsets; i++) {
        const char *s = sr_ds_pool(ds, ds->synset_name[i]);
        if (strlen(s) == n && strncasecmp(s, name, n) == 0)
            return (uint32_t)i;
    }
    return SR_NONE;
}

static size_t synset_name_len(const char *s)
{
    size_t n = 0;
    while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '&'))
        n++;
    while (n > 1 && s[n - 1] == '_')
        n--;   /* "&AUXVERB1_" and "&AUXVERB1" name one set */
    return n;
}

static sr_err add_synset_member(vstate *v, char *s);

/* A member naming another set: one member per member of that set. */
static sr_err add_nested_member(vstate *v, char *s, char *amp, int depth)
{
    /* "&TIETYPES_MEMOS": the longest known set name, then the words */
    size_t nl = synset_name_len(amp);
    uint32_t inner = find_synset(v->ds, amp, nl);
    while (inner == SR_NONE && nl > 2) {
        nl--;
        while (nl > 1 && amp[nl] != '_')
            nl--;
        if (nl > 1)
            inner = find_synset(v->ds, amp, nl);
    }
    if (inner == SR_NONE || depth > 3) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "unknown synonym set '%.*s'", (int)nl, amp);
        return SR_OK;
    }
    size_t n = v->nmembers;   /* members added now are not re-expanded */
    for (size_t i = 0; i < n; i++) {
        if (v->members[i].set != inner)
            continue;
        char tmp[512];
        int w = snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(amp - s), s, v->members[i].text,
                         amp + nl);
        if (w <= 0 || (size_t)w >= sizeof tmp)
            continue;
        sr_err e = add_synset_member(v, tmp);
        if (e)
            return e;
    }
    return SR_OK;
}

static sr_err add_synset_member(vstate *v, char *s)
{
    sr_dictset *ds = v->ds;
    uint32_t keys[SR_DICT_MAX_WORDS + 1];
    keys[0] = SR_KEY_SYN | v->synset;
    char *amp = strchr(s, '&');
    if (amp)
        return add_nested_member(v, s, amp, 0);
    if (sr_grow((void **)&v->members, &v->members_cap, v->nmembers + 1, sizeof *v->members))
        return SR_ENOMEM;
    size_t tl = strlen(s);
    while (tl && sr_rd_blank(s[tl - 1]))
        tl--;
    v->members[v->nmembers].set = v->synset;
    v->members[v->nmembers].text = strndup(s, tl);
    if (!v->members[v->nmembers].text)
        return SR_ENOMEM;
    v->nmembers++;
    uint32_t words[SR_DICT_MAX_WORDS];
    uint8_t adj[SR_DICT_MAX_WORDS];
    int nw = sr_ds_phrase(ds, s, strlen(s), v->c.tabari, words, adj, SR_DICT_MAX_WORDS);
    if (nw <= 0) {
        if (nw < 0)
            sr_skip(v->c.path, sr_rd_rec(&v->c), "synonym too long or unreadable");
        return SR_OK;
    }
    /* TABARI: "+AUSTRIAN FLORIN" also matches "austrian gold florin" */
    int k = 0;
    for (int i = 0; i < nw && k < SR_DICT_MAX_WORDS; i++) {
        if (v->c.tabari && i > 0 && !adj[i] && k + 1 < SR_DICT_MAX_WORDS)
            keys[1 + k++] = SR_KEY_GAP;
        keys[1 + k++] = words[i];
    }
    uint32_t node;
    if (sr_trie_add(&ds->synsets, keys, (size_t)k + 1, &node) != SR_OK)
        return SR_ENOMEM;
    ds->synsets.val[node] = 1;
    return SR_OK;
}

static sr_err start_synset(vstate *v, char *s)
{
    sr_dictset *ds = v->ds;
    size_t n = synset_name_len(s);
    uint32_t id = find_synset(ds, s, n);
    if (id == SR_NONE) {
        if (ds->nsynsets >= 0xFFFFFF) {
            sr_skip(v->c.path, sr_rd_rec(&v->c), "too many synonym sets");
            return SR_OK;
        }
        if (sr_grow((void **)&ds->synset_name, &ds->synsets_cap, ds->nsynsets + 1,
                    sizeof *ds->synset_name))
            return SR_ENOMEM;
        if (sr_ds_str(ds, s, n, &ds->synset_name[ds->nsynsets]) != SR_OK)
            return SR_ENOMEM;
        id = (uint32_t)ds->nsynsets++;
    }
    v->synset = id;
    v->in_synset = true;
    return SR_OK;
}

/* Split a pattern into elements.  Returns false (after reporting) if bad. */
static sr_err add_pattern(vstate *v, char *s)
{
    sr_dictset *ds = v->ds;
    if (v->group == SR_NONE) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "pattern with no verb before it");
        return SR_OK;
    }
    char *br = strrchr(s, '[');
    uint32_t code, code2;
    if (!br || !parse_code(v, br, &code, &code2)) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "pattern without a valid [code]");
        return SR_OK;
    }
    *br = '\0';
    if (strchr(s, '{') || strchr(s, '|')) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "unbalanced '{ | }' alternatives in pattern");
        return SR_OK;
    }
    sr_pat_elem el[SR_DICT_MAX_WORDS * 2];
    uint8_t sep_before[SR_DICT_MAX_WORDS * 2];   /* 1: joined by '_' */
    int n = 0, star = -1;
    uint8_t weight = 0;
    char *p = s;
    bool joined = false;
    while (*p) {
        while (*p && (sr_rd_blank(*p) || *p == '_')) {
            joined = *p == '_';
            p++;
        }
        if (!*p)
            break;
        char *q = p;
        while (*q && !sr_rd_blank(*q) && *q != '_')
            q++;
        /* '*' may be glued to a word: "IN_*", "*_BY" are split by '_' above;
         * "TO_*" too.  A lone token now. */
        if (n >= (int)(sizeof el / sizeof el[0])) {
            sr_skip(v->c.path, sr_rd_rec(&v->c), "pattern too long");
            return SR_OK;
        }
        size_t tl = (size_t)(q - p);
        bool exact = *q == '_';
        sep_before[n] = joined;
        sr_pat_elem *e = &el[n];
        e->adjacent = 0;
        if (tl == 1 && *p == '*') {
            if (star >= 0) {
                sr_skip(v->c.path, sr_rd_rec(&v->c), "pattern with two '*'");
                return SR_OK;
            }
            star = n;
            e->kind = 255;
        } else if (tl == 1 && *p == '$') {
            e->kind = SR_PE_SOURCE;
        } else if (tl == 1 && *p == '+') {
            e->kind = SR_PE_TARGET;
        } else if (tl == 1 && *p == '%') {
            e->kind = SR_PE_COMPOUND;
        } else if (tl == 1 && *p == '^') {
            e->kind = SR_PE_SKIP;
        } else if (*p == '&') {
            char save = *q;
            *q = '\0';
            size_t nl = synset_name_len(p);
            uint32_t id = find_synset(ds, p, nl);
            *q = save;
            if (id == SR_NONE) {
                sr_skip(v->c.path, sr_rd_rec(&v->c), "unknown synonym set '%.*s'", (int)tl, p);
                return SR_OK;
            }
            e->kind = SR_PE_SYNSET;
            e->key = id;
            weight++;   /* a set counts half a literal word (see below) */
        } else {
            uint32_t keys[8];
            bool stem = !exact && tl >= 4;
            if (tl > 1 && p[tl - 1] == '~') {
                /* TABARI "REAL~_PLEASANT": the word is a stem (real,
                 * really) even when short or joined by '_' */
                tl--;
                stem = true;
            }
            int k = sr_ds_phrase(ds, p, tl, stem, keys, NULL, 8);
            if (k <= 0) {
                sr_skip(v->c.path, sr_rd_rec(&v->c), "unreadable pattern word '%.*s'", (int)tl, p);
                return SR_OK;
            }
            /* a word the tokenizer splits ("RE-TRIAL" stays one, "N'T" may
             * not): its pieces become adjacent elements */
            for (int j = 0; j < k; j++) {
                if (j > 0) {
                    if (n + 1 >= (int)(sizeof el / sizeof el[0])) {
                        sr_skip(v->c.path, sr_rd_rec(&v->c), "pattern too long");
                        return SR_OK;
                    }
                    n++;
                    sep_before[n] = 1;
                    e = &el[n];
                }
                e->kind = SR_PE_WORD;
                e->key = keys[j];
                e->adjacent = 0;
                /* a literal word says more than a set member: "* DOLLAR"
                 * beats "* &CURRENCY" on "dollars" (TABARI SYNSET-07) */
                weight = (uint8_t)(weight + 2);
            }
        }
        n++;
        joined = false;
        p = q;
    }
    if (star < 0) {
        sr_skip(v->c.path, sr_rd_rec(&v->c), "pattern without '*'");
        return SR_OK;
    }
    /* adjacency toward the verb: pre element i touches i+1; post touches i-1 */
    for (int i = 0; i < star; i++)
        el[i].adjacent = sep_before[i + 1];
    for (int i = star + 1; i < n; i++)
        el[i].adjacent = sep_before[i];
    int npre = star, npost = n - star - 1;
    if (sr_grow((void **)&ds->pelems, &ds->pelems_cap, ds->npelems + (size_t)n, sizeof *ds->pelems))
        return SR_ENOMEM;
    if (sr_grow((void **)&ds->patterns, &ds->patterns_cap, ds->npatterns + 1, sizeof *ds->patterns))
        return SR_ENOMEM;
    sr_pattern *pt = &ds->patterns[ds->npatterns];
    pt->elem = (uint32_t)ds->npelems;
    pt->npre = (uint8_t)npre;
    pt->npost = (uint8_t)npost;
    pt->weight = weight;
    pt->code = code;
    pt->code2 = code2;
    pt->line = (uint32_t)v->c.lineno;
    for (int i = star - 1; i >= 0; i--)
        ds->pelems[ds->npelems++] = el[i];
    for (int i = star + 1; i < n; i++)
        ds->pelems[ds->npelems++] = el[i];
    sr_verb_group *g = &ds->groups[v->group];
    if (sr_grow((void **)&g->pats, &g->cap, g->npats + 1, sizeof *g->pats))
        return SR_ENOMEM;
    g->pats[g->npats++] = (uint32_t)ds->npatterns++;
    return SR_OK;
}

/* "- HAS { NOT | REFXSED_TO | DECLINED } * [121]": one pattern per
 * alternative (the first {...|...} group is expanded, then the rest). */
static sr_err add_pattern_alts(vstate *v, char *s, int depth)
{
    char *open = strchr(s, '{');
    char *close = open ? strchr(open, '}') : NULL;
    if (!open || !close || depth > 3)
        return add_pattern(v, s);
    size_t pre = (size_t)(open - s), body = (size_t)(close - open - 1);
    const char *rest = close + 1;
    const char *a = open + 1, *end = open + 1 + body;
    sr_err e = SR_OK;
    int nalt = 0;
    while (a <= end && !e && nalt++ < 16) {
        const char *bar = memchr(a, '|', (size_t)(end - a));
        const char *ae = bar ? bar : end;
        const char *ab = a;
        while (ab < ae && sr_rd_blank(*ab))
            ab++;
        while (ae > ab && sr_rd_blank(ae[-1]))
            ae--;
        /* "APPLY_{ GENEVA | INTERNATIONAL }_CONVENTIONS": a '_' next to the
         * braces joins the alternative to its neighbour */
        const char *sep1 = pre > 0 && s[pre - 1] == '_' ? "" : " ";
        const char *sep2 = *rest == '_' || (ae > ab && ae[-1] == '_') ? "" : " ";
        char tmp[1024];
        int w = snprintf(tmp, sizeof tmp, "%.*s%s%.*s%s%s", (int)pre, s, sep1, (int)(ae - ab), ab,
                         sep2, rest);
        if (w > 0 && (size_t)w < sizeof tmp)
            e = add_pattern_alts(v, tmp, depth + 1);
        if (!bar)
            break;
        a = bar + 1;
    }
    return e;
}

sr_err sr_read_verbs(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    vstate v = { .ds = ds, .group = SR_NONE, .last_verb = SR_NONE };
    v.c.path = path;
    v.c.tabari = sr_ds_tabari_style(path);
    sr_err err = SR_OK;
    char *cur = buf, *line;
    size_t n;
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL && err == SR_OK) {
        v.c.lineno++;
        n = sr_rd_clean(&v.c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (*s == '<') {
            if (!strncasecmp(s, "<NOUN>", 6) || !strncasecmp(s, "<ADJECTIVE>", 11) ||
                !strncasecmp(s, "<TIME>", 6))
                v.skip_section = 1;
            else if (s[1] == '/')
                v.skip_section = 0;
            v.in_synset = false;
            continue;
        }
        if (v.skip_section || *s == '~')
            continue;
        if (*s == '&') {
            err = start_synset(&v, s);
            continue;
        }
        if (*s == '+' && v.in_synset) {
            err = add_synset_member(&v, s + 1);
            continue;
        }
        v.in_synset = false;
        if (strncmp(s, "---", 3) == 0 && s[3] != ']') {
            /* --- GROUP [code] --- */
            char *br = strchr(s, '[');
            uint32_t code = 0, code2 = SR_NONE;
            if (!br || !parse_code(&v, br, &code, &code2)) {
                sr_skip(path, sr_rd_rec(&v.c), "verb group without a valid [code]");
                v.group = SR_NONE;
                continue;
            }
            err = new_group(&v);
            v.group_code = code;
            v.group_code2 = code2;
            continue;
        }
        if (*s == '-' && (s[1] == ' ' || s[1] == '\t')) {
            err = add_pattern_alts(&v, s + 1, 0);
            continue;
        }
        if (*s == '{') {
            err = add_forms_line(&v, s);
            continue;
        }
        err = add_verb_line(&v, s);
    }
    for (size_t i = 0; i < v.nmembers; i++)
        free(v.members[i].text);
    free(v.members);
    return err;
}
