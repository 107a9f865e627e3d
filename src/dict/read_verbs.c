/*
 * read_verbs.c - verb-pattern dictionaries: TABARI .verbs, PETRARCH-1 /
 * Phoenix CAMEO.verbpatterns and PETRARCH-2 CAMEO.2.0.
 *
 * All three share the pattern language:
 *     - SAID WOULD * NOW  [101]      words before '*' precede the verb,
 *                                    words after it follow
 *     - $ * + IN_^ TALKS [036:036]   $ source, + target, % compound actor,
 *                                    ^ skip a noun phrase, &SET a synonym set,
 *                                    A_B adjacent words; [a:b] a paired event
 *                                    (a from source to target, b back)
 *     - HAS { NOT | DECLINED } * [121]   one pattern per alternative
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
 * <SYNSETS>).  PETRARCH also matches a member's plural unless the set's name
 * or the member ends in '_'.
 *
 * Codes.  Two to four digits and an optional letter ("0874", "075A"), or
 * "---" (no event), "###" (discard), "+++" (too complex).  TABARI may mark a
 * code "031!" (dominant event) or "023?" (for review): the mark is kept in
 * the entry's flags (SR_CODE_*), the code without it.  PETRARCH-2 writes
 * "[:173]" for a pattern whose only meaning is passive (the subject is the
 * target): read as "[---:173]", no event from the subject and event 173
 * from the other party to it.  A header or pattern without a code gets
 * "---", as PETRARCH stores it (an empty code codes nothing).
 *
 * PETRARCH-2 patterns are written for parse trees: "(BEFORE COURT)" is a
 * prepositional phrase, "{ARMS SHIPMENT}" a noun phrase with its head last.
 * A linear matcher reads their words in order (gaps allowed between them,
 * as between any two pattern words written apart); that the words form one
 * phrase of the tree is not represented, and the reader says so once per
 * file.  Rewrites of one event inside another ("~ a (a b ATTACK) SAY = a b
 * 015") need the tree and are reported, line by line.
 *
 * Repairs.  A few lines of the field's dictionaries are written against
 * their own syntax; each is loaded with the reading below and reported as
 * a warning naming it (never silently): '{ A | B ]' closes with ']'; a
 * '*' glued to a word ("*SCEPTICAL", "*TO_BEAT"); a stray first '*' before
 * the verb's own ("* COMMIT * AID"); no '*' at all (PETRARCH reads every
 * word as preceding the verb); a letter O for a zero in a code ("[O254]").
 * Anything else malformed is reported and skipped, and so are the patterns
 * of a verb or group that could not be loaded (they are never attached to
 * the verb before it).
 *
 * Caps (each reported with FILE:LINE when hit, never cut silently): a phrase
 * or pattern of SR_DICT_MAX_WORDS words; SR_VERB_MAX_ALTS patterns from one
 * line's alternatives; synonym sets nested SR_VERB_MAX_NEST deep; a line of
 * SR_VERB_MAX_LINE bytes once expanded.  None is reached by the TABARI,
 * Phoenix or PETRARCH-2 files (the largest expansion is 16 patterns).
 *
 * TABARI's <NOUN> and <ADJECTIVE> word lists are not used (sitrep tells
 * nouns from verbs by context) and its <TIME> shifts are not applied; each
 * such section is reported once.  "~~~~~" ends a TABARI file.
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

#define SR_VERB_MAX_ALTS 1024
#define SR_VERB_MAX_NEST 8
#define SR_VERB_MAX_EXPANSION 4096   /* phrases one synonym line may become */
#define SR_VERB_MAX_LINE 4096

/* Repairs noted on the current line, reported once each at its end. */
enum {
    NOTE_NOCODE = 1, NOTE_BRACKET = 2, NOTE_GLUED = 4, NOTE_TWOSTAR = 8,
    NOTE_NOSTAR = 16, NOTE_OZERO = 32, NOTE_STRAY = 64, NOTE_DUP = 128,
};

typedef struct vstate {
    sr_dictset *ds;
    sr_linectx c;
    uint32_t group;          /* current group, SR_NONE before the first */
    uint32_t group_code;     /* its default code */
    uint32_t group_code2;
    uint8_t  group_flags;
    uint32_t group_query;
    size_t   dead;           /* line of the verb or group whose patterns are
                                being skipped (it was not loaded), or 0 */
    uint32_t last_verb;      /* for TABARI "{ forms }" lines */
    uint32_t synset;         /* current synset while reading '+' members */
    bool in_synset;
    bool synset_noplural;    /* PETRARCH "&NAME_": members take no plural */
    size_t section;          /* line of an open <NOUN>/<ADJECTIVE>/<TIME>, or 0 */
    char section_tag[16];
    size_t first_verb;       /* ds->nverb when this file started */
    unsigned notes;          /* NOTE_* on this line */
    char glued[48];          /* the glued '*' word, for its note */
    uint32_t dup_of;         /* the earlier verb of a NOTE_DUP */
    size_t grouped, grouped_first;   /* PETRARCH-2 phrase-group patterns */
    /* synonym-set members as written, so a set used inside another set
     * ("+&TIETYPES_MEMOS") can be expanded */
    struct { uint32_t set; char *text; } *members;
    size_t nmembers, members_cap;
    size_t line_members;     /* members one '+' line has expanded to */
    bool line_capped;        /* ... and whether it was stopped at the cap */
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

/* One side of a code ("031!", "O254", ""): stored in *off.  Returns false
 * with *why set when it is not a code. */
static bool code_part(vstate *v, const char *p, size_t n, uint32_t *off, uint8_t *flags,
                      const char **why)
{
    while (n && sr_rd_blank(*p)) { p++; n--; }
    while (n && sr_rd_blank(p[n - 1])) n--;
    if (n && (p[n - 1] == '!' || p[n - 1] == '?')) {
        *flags |= p[n - 1] == '!' ? SR_CODE_DOMINANT : SR_CODE_QUERY;
        n--;
    }
    char buf[8];
    if (!valid_code(p, n) && n >= 2 && n < sizeof buf) {
        /* "O254": the letter O typed for a zero */
        bool only = true, any = false;
        for (size_t i = 0; i < n; i++) {
            buf[i] = p[i] == 'O' || p[i] == 'o' ? (any = true, '0') : p[i];
            only = only && isdigit((unsigned char)buf[i]);
        }
        if (any && only && valid_code(buf, n)) {
            v->notes |= NOTE_OZERO;
            p = buf;
        }
    }
    if (!valid_code(p, n)) {
        bool letters = n >= 3;
        for (size_t i = 0; i < n; i++)
            letters = letters && isupper((unsigned char)p[i]);
        *why = letters ? "an actor code, not an event code" : "not a CAMEO event code";
        return false;
    }
    return sr_ds_str(v->ds, p, n, off) == SR_OK;
}

/* Parse "[a]", "[a:b]" or "[:b]" at open.  Returns false (with *why) if it
 * is not a code.  A code marked '?' moves to *query and *code becomes "---"
 * (see SR_CODE_QUERY). */
static bool parse_code_raw(vstate *v, const char *open, uint32_t *code, uint32_t *code2,
                           uint8_t *flags, const char **why);
static bool parse_code(vstate *v, const char *open, uint32_t *code, uint32_t *code2,
                       uint8_t *flags, uint32_t *query, const char **why)
{
    *query = SR_NONE;
    if (!parse_code_raw(v, open, code, code2, flags, why))
        return false;
    if (*flags & SR_CODE_QUERY) {
        *query = *code;
        if (sr_ds_str(v->ds, "---", 3, code) != SR_OK)
            return false;
    }
    return true;
}

static bool parse_code_raw(vstate *v, const char *open, uint32_t *code, uint32_t *code2,
                           uint8_t *flags, const char **why)
{
    const char *close = strchr(open, ']');
    *why = "no closing ']'";
    if (!close)
        return false;
    const char *p = open + 1, *e = close;
    const char *colon = memchr(p, ':', (size_t)(e - p));
    const char *ae = colon ? colon : e;
    uint8_t f = 0, f2 = 0;
    const char *q = p;
    while (q < ae && sr_rd_blank(*q))
        q++;
    if (q == ae && colon) {
        if (sr_ds_str(v->ds, "---", 3, code) != SR_OK)   /* PETRARCH-2 "[:b]" */
            return false;
    } else if (!code_part(v, p, (size_t)(ae - p), code, &f, why)) {
        return false;
    }
    *code2 = SR_NONE;
    if (colon) {
        const char *r = colon + 1;
        while (r < e && sr_rd_blank(*r))
            r++;
        if (r < e && !code_part(v, colon + 1, (size_t)(e - colon - 1), code2, &f2, why))
            return false;
        if (*code2 == SR_NONE && q == ae) {
            *why = "empty code";
            return false;
        }
    }
    *flags = f;
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
    char tmp[SR_VERB_MAX_LINE];
    size_t w = 0;
    int head_word = -1, word = 0;
    bool inword = false;
    if (n >= sizeof tmp) {
        sr_rd_skip(&v->c, 0, "verb phrase longer than %d bytes", SR_VERB_MAX_LINE);
        return SR_OK;
    }
    for (size_t i = 0; i < n; i++) {
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
            sr_rd_skip(&v->c, 0, "verb phrase '%.*s' has more than %d words or is unreadable",
                       (int)n, s, SR_DICT_MAX_WORDS);
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
    if (v->c.tabari && old != SR_NONE && ds->forms[old].verb >= v->first_verb &&
        ds->forms[old].verb != verb &&
        ds->verb[ds->forms[old].verb].group != ds->verb[verb].group) {
        /* the same form twice in one file: both verbs' patterns are tried,
         * this one's first (the chain above) */
        v->notes |= NOTE_DUP;
        v->dup_of = ds->forms[old].verb;
    }
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
    if (wl < 2)
        return SR_OK;   /* one letter: no regular forms */
    if (wl > 60) {
        sr_rd_skip(&v->c, 0, "verb '%.*s' longer than 60 bytes: its regular forms are not "
                   "made", (int)wl, w);
        return SR_OK;
    }
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
        char phrase[SR_VERB_MAX_LINE];
        int pl = snprintf(phrase, sizeof phrase, "%.*s+%s%.*s", (int)(w - s - (plus ? 1 : 0)), s,
                          forms[i], (int)(s + n - stem_end), stem_end);
        if (pl <= 0 || (size_t)pl >= sizeof phrase) {
            sr_rd_skip(&v->c, 0, "verb phrase longer than %d bytes", SR_VERB_MAX_LINE);
            return SR_OK;
        }
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
    uint8_t flags = v->group_flags;
    uint32_t query = v->group_query;
    const char *why;
    char *br = strchr(s, '[');
    if (tabari)
        v->dead = 0;   /* a TABARI verb line starts a new block */
    if (!tabari && v->dead) {
        sr_rd_skip(&v->c, 0, "verb of the group at line %zu, which was not loaded", v->dead);
        return SR_OK;
    }
    if (br && !parse_code(v, br, &code, &code2, &flags, &query, &why)) {
        sr_rd_skip(&v->c, 0, "bad verb code '%s' (%s)%s", br, why,
                   tabari ? "; the verb and its patterns are not loaded" : "");
        if (tabari)
            v->dead = v->c.lineno;
        return SR_OK;
    }
    if (tabari || v->group == SR_NONE) {
        if (!br && tabari) {
            if (sr_ds_str(ds, "---", 3, &code) != SR_OK)
                return SR_ENOMEM;
            code2 = query = SR_NONE;
            flags = 0;
            v->notes |= NOTE_NOCODE;
        } else if (!br) {
            sr_rd_skip(&v->c, 0, "verb before any '--- GROUP [code] ---' line has no code");
            return SR_OK;
        }
        sr_err e = new_group(v);
        if (e)
            return e;
        v->group_code = code;
        v->group_code2 = code2;
        v->group_flags = flags;
        v->group_query = query;
    }
    char *brace = strchr(s, '{');
    char *end = brace ? brace : br ? br : s + strlen(s);
    while (end > s && sr_rd_blank(end[-1]))
        end--;
    if (end == s) {
        sr_rd_skip(&v->c, 0, "verb line without a verb");
        return SR_OK;
    }
    if (sr_grow((void **)&ds->verb, &ds->verb_cap, ds->nverb + 1, sizeof *ds->verb))
        return SR_ENOMEM;
    sr_verb *vb = &ds->verb[ds->nverb];
    memset(vb, 0, sizeof *vb);
    if (sr_ds_str(ds, s, (size_t)(end - s), &vb->name) != SR_OK)
        return SR_ENOMEM;
    vb->code = code;
    vb->code2 = code2;
    vb->flags = flags;
    vb->query_code = query;
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
            sr_rd_skip(&v->c, 0, "unclosed '{' in verb forms");
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
    if (!e)
        sr_rd_used(&v->c);
    return e;
}

/* TABARI "{ FORM FORM }" line: more forms of the last verb. */
static sr_err add_forms_line(vstate *v, char *s)
{
    if (v->dead) {
        sr_rd_skip(&v->c, 0, "forms of the verb at line %zu, which was not loaded", v->dead);
        return SR_OK;
    }
    if (v->last_verb == SR_NONE) {
        sr_rd_skip(&v->c, 0, "verb forms with no verb before them");
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
    sr_rd_used(&v->c);
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

static sr_err add_synset_member(vstate *v, char *s, int depth, bool *added);

/* A member naming another set: one member per member of that set. */
static sr_err add_nested_member(vstate *v, char *s, char *amp, int depth, bool *added)
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
    if (inner == SR_NONE) {
        sr_rd_skip(&v->c, 0, "unknown synonym set '%.*s'", (int)synset_name_len(amp), amp);
        return SR_OK;
    }
    if (depth >= SR_VERB_MAX_NEST) {
        sr_rd_skip(&v->c, 0, "synonym sets nested more than %d deep", SR_VERB_MAX_NEST);
        return SR_OK;
    }
    if (inner == v->synset) {
        /* its members so far, again and again: a set cannot hold itself */
        sr_rd_skip(&v->c, 0, "synonym set '%.*s' names itself", (int)nl, amp);
        return SR_OK;
    }
    size_t n = v->nmembers;   /* members added now are not re-expanded */
    for (size_t i = 0; i < n; i++) {
        if (v->members[i].set != inner)
            continue;
        char tmp[SR_VERB_MAX_LINE];
        int w = snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(amp - s), s, v->members[i].text,
                         amp + nl);
        if (w <= 0 || (size_t)w >= sizeof tmp) {
            sr_rd_skip(&v->c, 0, "synonym longer than %d bytes once '%.*s' is expanded",
                       SR_VERB_MAX_LINE, (int)nl, amp);
            return SR_OK;
        }
        sr_err e = add_synset_member(v, tmp, depth + 1, added);
        if (e)
            return e;
    }
    return SR_OK;
}

static sr_err add_member_phrase(vstate *v, const char *s, size_t len, bool *added)
{
    sr_dictset *ds = v->ds;
    uint32_t keys[SR_DICT_MAX_WORDS * 2 + 1];
    uint32_t words[SR_DICT_MAX_WORDS];
    uint8_t adj[SR_DICT_MAX_WORDS];
    keys[0] = SR_KEY_SYN | v->synset;
    int nw = sr_ds_phrase(ds, s, len, v->c.tabari, words, adj, SR_DICT_MAX_WORDS);
    if (nw <= 0) {
        if (nw < 0)
            sr_rd_skip(&v->c, 0, "synonym '%.*s' has more than %d words or is unreadable",
                       (int)len, s, SR_DICT_MAX_WORDS);
        return SR_OK;
    }
    /* TABARI: "+AUSTRIAN FLORIN" also matches "austrian gold florin" */
    int k = 0;
    for (int i = 0; i < nw; i++) {
        if (v->c.tabari && i > 0 && !adj[i])
            keys[1 + k++] = SR_KEY_GAP;
        keys[1 + k++] = words[i];
    }
    uint32_t node;
    if (sr_trie_add(&ds->synsets, keys, (size_t)k + 1, &node) != SR_OK)
        return SR_ENOMEM;
    ds->synsets.val[node] = 1;
    size_t have = ds->synset_first_cap;
    if (sr_grow((void **)&ds->synset_first, &ds->synset_first_cap, (size_t)v->synset + 1,
                sizeof *ds->synset_first))
        return SR_ENOMEM;
    if (ds->synset_first_cap > have)
        memset(ds->synset_first + have, 0, (ds->synset_first_cap - have) * sizeof *ds->synset_first);
    uint32_t b = sr_key_sig_bit(words[0]);
    ds->synset_first[v->synset][b >> 6] |= 1ull << (b & 63);
    *added = true;
    return SR_OK;
}

static sr_err add_synset_member(vstate *v, char *s, int depth, bool *added)
{
    /* sets that name sets multiply: one line may expand to at most
     * SR_VERB_MAX_EXPANSION members (real dictionaries stay far below) */
    if (v->line_capped)
        return SR_OK;
    if (++v->line_members > SR_VERB_MAX_EXPANSION) {
        v->line_capped = true;
        sr_rd_skip(&v->c, 0, "synonym expands to more than %d phrases; the rest is not read",
                   SR_VERB_MAX_EXPANSION);
        return SR_OK;
    }
    char *amp = strchr(s, '&');
    if (amp)
        return add_nested_member(v, s, amp, depth, added);
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
    sr_err e = add_member_phrase(v, s, tl, added);
    /* PETRARCH: "+PESO" also matches "pesos" unless the set's name or the
     * member ends in '_' */
    if (!e && !v->c.tabari && !v->synset_noplural && tl > 1 && s[tl - 1] != '_' &&
        isalpha((unsigned char)s[tl - 1])) {
        char pl[SR_VERB_MAX_LINE];
        char last = (char)toupper((unsigned char)s[tl - 1]);
        char prev = (char)toupper((unsigned char)s[tl - 2]);
        int m;
        if (last == 'Y' && !strchr("AEIOU", prev))
            m = snprintf(pl, sizeof pl, "%.*sIES", (int)tl - 1, s);
        else if (last == 'S' || last == 'X' || last == 'Z' ||
                 (last == 'H' && (prev == 'C' || prev == 'S')))
            m = snprintf(pl, sizeof pl, "%.*sES", (int)tl, s);
        else
            m = snprintf(pl, sizeof pl, "%.*sS", (int)tl, s);
        if (m > 0 && (size_t)m < sizeof pl)
            e = add_member_phrase(v, pl, (size_t)m, added);
    }
    return e;
}

static sr_err start_synset(vstate *v, char *s)
{
    sr_dictset *ds = v->ds;
    size_t n = synset_name_len(s);
    size_t written = 0;
    while (s[written] && !sr_rd_blank(s[written]))
        written++;
    uint32_t id = find_synset(ds, s, n);
    if (id == SR_NONE) {
        if (ds->nsynsets >= 0xFFFFFF) {
            sr_rd_skip(&v->c, 0, "more than %d synonym sets", 0xFFFFFF);
            v->in_synset = false;
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
    v->synset_noplural = written > 1 && s[written - 1] == '_';
    sr_rd_used(&v->c);
    return SR_OK;
}

/* Split one expanded pattern into elements and store it.  Returns SR_OK
 * (after reporting) if the pattern is malformed. */
static sr_err add_pattern(vstate *v, char *s, uint32_t code, uint32_t code2, uint8_t flags,
                          uint32_t query, bool *added)
{
    sr_dictset *ds = v->ds;
    sr_pat_elem el[SR_DICT_MAX_WORDS * 2];
    uint8_t sep_before[SR_DICT_MAX_WORDS * 2];   /* 1: joined by '_' */
    int n = 0, star = -1, star2 = -1;
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
        size_t tl = (size_t)(q - p);
        /* "*~_CLOSELY": TABARI's stem mark on the verb, which is one anyway */
        if (tl == 2 && p[0] == '*' && p[1] == '~')
            tl = 1;
        /* a '*' glued to a word ("*SCEPTICAL", "WORD*"): a token of its own */
        if (tl > 1 && (p[0] == '*' || p[tl - 1] == '*')) {
            v->notes |= NOTE_GLUED;
            snprintf(v->glued, sizeof v->glued, "%.*s", (int)tl, p);
            if (p[0] == '*')
                q = p + 1;
            else
                q = p + tl - 1;
            tl = (size_t)(q - p);
        }
        if (n >= (int)(sizeof el / sizeof el[0])) {
            sr_rd_skip(&v->c, 0, "pattern has more than %zu elements",
                       sizeof el / sizeof el[0]);
            return SR_OK;
        }
        bool exact = *q == '_';
        sep_before[n] = joined;
        sr_pat_elem *e = &el[n];
        e->adjacent = 0;
        e->key = 0;
        if (tl == 1 && *p == '*') {
            if (star >= 0 && star2 >= 0) {
                sr_rd_skip(&v->c, 0, "pattern with three '*'");
                return SR_OK;
            }
            if (star >= 0)
                star2 = n;
            else
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
                sr_rd_skip(&v->c, 0, "unknown synonym set '%.*s'", (int)tl, p);
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
                sr_rd_skip(&v->c, 0, "unreadable pattern word '%.*s'", (int)tl, p);
                return SR_OK;
            }
            /* a word the tokenizer splits ("RE-TRIAL" stays one, "N'T" may
             * not): its pieces become adjacent elements */
            for (int j = 0; j < k; j++) {
                if (j > 0) {
                    if (n + 1 >= (int)(sizeof el / sizeof el[0])) {
                        sr_rd_skip(&v->c, 0, "pattern has more than %zu elements",
                                   sizeof el / sizeof el[0]);
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
    if (star2 >= 0) {
        /* "* COMMIT * AID": a stray '*' first, the verb's own later */
        if (star != 0) {
            sr_rd_skip(&v->c, 0, "pattern with two '*': the verb's place is ambiguous");
            return SR_OK;
        }
        v->notes |= NOTE_TWOSTAR;
        memmove(el, el + 1, (size_t)(n - 1) * sizeof el[0]);
        memmove(sep_before, sep_before + 1, (size_t)(n - 1));
        sep_before[0] = 0;
        n--;
        star = star2 - 1;
    }
    if (star < 0) {
        /* PETRARCH reads every word as preceding the verb */
        v->notes |= NOTE_NOSTAR;
        star = n;
        el[n].kind = 255;
        sep_before[n] = 0;
        n++;
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
    memset(pt, 0, sizeof *pt);
    pt->elem = (uint32_t)ds->npelems;
    pt->npre = (uint8_t)npre;
    pt->npost = (uint8_t)npost;
    pt->weight = weight;
    pt->flags = flags;
    pt->query_code = query;
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
    *added = true;
    return SR_OK;
}

/* "- HAS { NOT | REFXSED_TO | DECLINED } * [121]": one pattern per
 * alternative (the first {...|...} group is expanded, then the rest).
 * *count counts the patterns made, against SR_VERB_MAX_ALTS. */
static sr_err add_pattern_alts(vstate *v, char *s, uint32_t code, uint32_t code2,
                               uint8_t flags, uint32_t query, size_t *count, bool *added)
{
    char *open = strchr(s, '{');
    char *close = open ? strchr(open, '}') : NULL;
    if (!open || !close) {
        if (open || strchr(s, '}') || strchr(s, '|')) {
            sr_rd_skip(&v->c, 0, "unbalanced '{ | }' alternatives in pattern");
            return SR_OK;
        }
        if (++*count > SR_VERB_MAX_ALTS) {
            if (*count == SR_VERB_MAX_ALTS + 1)
                sr_rd_skip(&v->c, 0, "alternatives give more than %d patterns; the rest "
                           "are not loaded", SR_VERB_MAX_ALTS);
            return SR_OK;
        }
        return add_pattern(v, s, code, code2, flags, query, added);
    }
    size_t pre = (size_t)(open - s);
    const char *rest = close + 1;
    const char *a = open + 1, *end = close;
    sr_err e = SR_OK;
    while (a <= end && !e) {
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
        char tmp[SR_VERB_MAX_LINE];
        int w = snprintf(tmp, sizeof tmp, "%.*s%s%.*s%s%s", (int)pre, s, sep1, (int)(ae - ab), ab,
                         sep2, rest);
        if (w <= 0 || (size_t)w >= sizeof tmp) {
            sr_rd_skip(&v->c, 0, "pattern longer than %d bytes once its alternatives are "
                       "written out", SR_VERB_MAX_LINE);
            return SR_OK;
        }
        e = add_pattern_alts(v, tmp, code, code2, flags, query, count, added);
        if (!bar)
            break;
        a = bar + 1;
    }
    return e;
}

/* PETRARCH-2 phrase groups and TABARI slips in a pattern's text, before the
 * alternatives are expanded: '{ A | B ]' is closed with '}'; a brace or
 * parenthesis group without '|' ("(BEFORE COURT)", "{ARMS SHIPMENT}") gives
 * its words.  Returns whether a phrase group was read as words. */
static bool normalize_pattern(vstate *v, char *s)
{
    bool grouped = false;
    for (char *p = s; *p; p++) {
        if (*p == '(' || *p == ')') {
            *p = ' ';
            grouped = true;
            continue;
        }
        if (*p != '{')
            continue;
        char *q = p + 1;
        bool bar = false;
        while (*q && *q != '}' && *q != '{' && *q != ']' && *q != '[') {
            bar = bar || *q == '|';
            q++;
        }
        if (*q == ']' && bar) {
            *q = '}';
            v->notes |= NOTE_BRACKET;
        }
        if (!bar && *q == '}') {
            *p = ' ';
            *q = ' ';
            grouped = true;
        }
        if (*q == '}' || *q == ']')
            p = q;
    }
    /* a '}' no '{' opened ("- * FIRE TO_HIMSELF IN_ PROTEST }") */
    for (char *p = s; *p; p++) {
        if (*p == '{') {
            char *q = strchr(p, '}');
            if (!q)
                break;
            p = q;
        } else if (*p == '}') {
            *p = ' ';
            v->notes |= NOTE_STRAY;
        }
    }
    return grouped;
}

static sr_err add_pattern_line(vstate *v, char *s)
{
    sr_dictset *ds = v->ds;
    if (v->dead) {
        sr_rd_skip(&v->c, 0, "pattern of the %s at line %zu, which was not loaded",
                   v->c.tabari ? "verb" : "group", v->dead);
        return SR_OK;
    }
    if (v->group == SR_NONE) {
        sr_rd_skip(&v->c, 0, "pattern with no verb before it");
        return SR_OK;
    }
    /* the code: the last "[...]" that ends the line */
    uint32_t code, code2 = SR_NONE, query = SR_NONE;
    uint8_t flags = 0;
    char *br = strrchr(s, '[');
    char *tail = br ? strchr(br, ']') : NULL;
    bool coded = br && tail;
    if (coded) {
        for (char *t = tail + 1; *t; t++)
            if (!sr_rd_blank(*t))
                coded = false;
    }
    if (coded) {
        const char *why;
        if (!parse_code(v, br, &code, &code2, &flags, &query, &why)) {
            sr_rd_skip(&v->c, 0, "pattern code '%s' is %s", br, why);
            return SR_OK;
        }
        *br = '\0';
    } else {
        if (sr_ds_str(ds, "---", 3, &code) != SR_OK)
            return SR_ENOMEM;
        v->notes |= NOTE_NOCODE;
    }
    if (normalize_pattern(v, s)) {
        if (!v->grouped_first)
            v->grouped_first = v->c.lineno;
        v->grouped++;
    }
    size_t count = 0;
    bool added = false;
    sr_err e = add_pattern_alts(v, s, code, code2, flags, query, &count, &added);
    if (!e && added && !sr_rd_skipped(&v->c))
        sr_rd_used(&v->c);
    return e;
}

/* Report the repairs made on the current line, one warning. */
static void report_notes(vstate *v)
{
    if (!v->notes)
        return;
    char msg[512];
    size_t n = 0;
    msg[0] = '\0';
#define NOTE(bit, text)                                                              \
    if (v->notes & (bit))                                                           \
        n += (size_t)snprintf(msg + n, n < sizeof msg ? sizeof msg - n : 0, "%s%s", \
                              n ? "; " : "", text)
    NOTE(NOTE_NOCODE, "no [code]: read as [---], which codes nothing (as PETRARCH reads it)");
    NOTE(NOTE_BRACKET, "'{ ... | ... ]' closed by ']': read as '}'");
    NOTE(NOTE_TWOSTAR, "two '*': the first, a stray before the verb's place, is dropped");
    NOTE(NOTE_NOSTAR, "no '*': every word read as preceding the verb (as PETRARCH reads it)");
    NOTE(NOTE_OZERO, "letter O in the code read as zero");
    NOTE(NOTE_STRAY, "a '}' that no '{' opens is ignored");
#undef NOTE
    if (v->notes & NOTE_GLUED)
        n += (size_t)snprintf(msg + n, n < sizeof msg ? sizeof msg - n : 0,
                              "%s'*' glued to a word in '%s': read as a '*' of its own",
                              n ? "; " : "", v->glued);
    if (v->notes & NOTE_DUP)
        n += (size_t)snprintf(msg + n, n < sizeof msg ? sizeof msg - n : 0,
                              "%sa form of this verb is also a form of '%s' earlier in the "
                              "file: the patterns of both are tried, this verb's first",
                              n ? "; " : "", sr_ds_pool(v->ds, v->ds->verb[v->dup_of].name));
    sr_rd_warn(&v->c, 0, "%s", msg);
    v->notes = 0;
}

static void end_section(vstate *v, size_t last)
{
    if (!v->section)
        return;
    const char *why = strcasecmp(v->section_tag, "<TIME>") == 0
                          ? "not read: sitrep does not shift event dates"
                          : "not used: sitrep tells nouns from verbs by their place in the "
                            "sentence";
    sr_rd_warn(&v->c, v->section, "%s section (lines %zu-%zu) %s", v->section_tag, v->section,
               last, why);
    for (size_t i = v->section; i <= last && v->c.mark && i < v->c.nmark; i++)
        v->c.mark[i] |= SR_LN_SKIP;
    v->section = 0;
}

sr_err sr_read_verbs(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    vstate v = { .ds = ds, .group = SR_NONE, .last_verb = SR_NONE };
    v.c.tabari = sr_ds_tabari_style(path);
    v.first_verb = ds->nverb;
    size_t ended = 0, after_end = 0;
    sr_err err = SR_OK;
    char *cur = buf, *line;
    size_t n;
    sr_rd_begin(&v.c, ds, path, buf, len);
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL && err == SR_OK) {
        v.c.lineno++;
        n = sr_rd_clean(&v.c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (ended) {
            if (!after_end)
                after_end = v.c.lineno;
            if (v.c.mark && v.c.lineno < v.c.nmark)
                v.c.mark[v.c.lineno] |= SR_LN_SKIP;
            continue;
        }
        if (*s == '<') {
            if (!strncasecmp(s, "<NOUN>", 6) || !strncasecmp(s, "<ADJECTIVE>", 11) ||
                !strncasecmp(s, "<TIME>", 6)) {
                end_section(&v, v.c.lineno - 1);   /* one left open */
                v.section = v.c.lineno;
                snprintf(v.section_tag, sizeof v.section_tag, "%.*s", (int)strcspn(s, ">") + 1, s);
            } else if (s[1] == '/') {
                end_section(&v, v.c.lineno);
            }
            v.in_synset = false;
            sr_rd_used(&v.c);
            continue;
        }
        if (v.section)
            continue;   /* marked by end_section */
        if (*s == '~') {
            if (v.c.tabari || s[1] == '~') {
                /* TABARI's "~~~~~" ends the dictionary; notes may follow */
                ended = v.c.lineno;
                sr_rd_used(&v.c);
            } else {
                sr_rd_skip(&v.c, 0, "PETRARCH-2 verb transformation not applied: rewriting "
                           "one event inside another needs the parse tree");
            }
            continue;
        }
        if (*s == '&') {
            err = start_synset(&v, s);
            continue;
        }
        if (*s == '+' && v.in_synset) {
            bool added = false;
            v.line_members = 0;
            v.line_capped = false;
            err = add_synset_member(&v, s + 1, 0, &added);
            if (!err && added && !sr_rd_skipped(&v.c))
                sr_rd_used(&v.c);
            else if (!err && !added && !sr_rd_skipped(&v.c))
                sr_rd_skip(&v.c, 0, "synonym line holds no word");
            continue;
        }
        v.in_synset = false;
        if (strncmp(s, "---", 3) == 0 && s[3] != ']') {
            /* --- GROUP [code] --- */
            char *br = strchr(s, '[');
            uint32_t code = 0, code2 = SR_NONE, query = SR_NONE;
            uint8_t flags = 0;
            const char *why;
            v.dead = 0;
            if (!br) {
                /* PETRARCH: a header without a code has the null code */
                if (sr_ds_str(ds, "---", 3, &code) != SR_OK) {
                    err = SR_ENOMEM;
                    continue;
                }
                v.notes |= NOTE_NOCODE;
            } else if (!parse_code(&v, br, &code, &code2, &flags, &query, &why)) {
                sr_rd_skip(&v.c, 0, "verb group code '%s' is %s; its verbs and patterns are "
                           "not loaded", br, why);
                v.group = SR_NONE;
                v.dead = v.c.lineno;
                continue;
            }
            err = new_group(&v);
            v.group_code = code;
            v.group_code2 = code2;
            v.group_flags = flags;
            v.group_query = query;
            sr_rd_used(&v.c);
            report_notes(&v);
            continue;
        }
        if (*s == '-') {
            err = add_pattern_line(&v, s + 1);
            report_notes(&v);
            continue;
        }
        if (*s == '{') {
            err = add_forms_line(&v, s);
            continue;
        }
        err = add_verb_line(&v, s);
        report_notes(&v);
    }
    if (v.section)
        end_section(&v, v.c.lineno);
    if (after_end)
        sr_rd_warn(&v.c, after_end, "lines %zu-%zu follow the end mark at line %zu and are not "
                   "read (TABARI stops there)", after_end, v.c.lineno, ended);
    if (v.grouped)
        sr_rd_warn(&v.c, v.grouped_first, "%zu patterns (the first here) use PETRARCH-2 phrase "
                   "groups '( )' or '{ }': read as their words in order; that the words form "
                   "one phrase of the parse tree is not represented", v.grouped);
    sr_rd_end(&v.c);
    for (size_t i = 0; i < v.nmembers; i++)
        free(v.members[i].text);
    free(v.members);
    return err;
}
