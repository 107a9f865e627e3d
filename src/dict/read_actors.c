/*
 * read_actors.c - TABARI .actors and PETRARCH/Phoenix *.actors.txt files,
 * and the agent files of both.
 *
 * Actors.  An entry is a primary phrase, optional '+' synonyms on the lines
 * after it, and one or more codes, either on the phrase's line or on
 * indented lines of their own:
 *       PAKISTAN_  [PAK]
 *       +PAKISTANI_
 *       HAMID_KARZAI_  # CountryInfo.txt
 *       +KARZAI_
 *           [AFGELI 750101-000101]
 *           [AFGGOV >011222]
 * A code may carry a date restriction: "A-B" (inclusive), ">A" (from A on),
 * "<B" (until B).  The entry is closed when the next primary phrase starts,
 * so its codes may follow its synonyms.  An entry without any code is
 * reported and skipped.
 *
 * Agents.  "PHRASE [~CODE]" (added after a country: PAK + ~MIL = PAKMIL) or
 * "PHRASE [CODE~]" (put before it).  PETRARCH writes plurals in braces
 * ("ATTORNEY_GENERAL {ATTORNEYS_GENERAL}", "{}" for none) and generates the
 * regular plural otherwise; "!PERSON! = MAN, MEN, ..." defines a substitution
 * set so "CONGRESS!PERSON!" stands for CONGRESSMAN, CONGRESSMEN, ...
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/dictset_impl.h"
#include "dict/read_common.h"

/* ---- actors --------------------------------------------------------------- */

typedef struct actor_entry {
    uint32_t *nodes;         /* trie end nodes of its phrases (grown) */
    size_t nnodes, nodes_cap;
    uint32_t *lines;         /* its lines, marked used or skipped on close */
    size_t nlines, lines_cap;
    size_t first_code;       /* index in ds->codes where its codes start */
    uint32_t name;
    size_t line;
    bool open;
    bool overflow;
} actor_entry;

static sr_err entry_line(actor_entry *e, size_t line)
{
    if (e->nlines && e->lines[e->nlines - 1] == line)
        return SR_OK;
    if (sr_grow((void **)&e->lines, &e->lines_cap, e->nlines + 1, sizeof *e->lines))
        return SR_ENOMEM;
    e->lines[e->nlines++] = (uint32_t)line;
    return SR_OK;
}

static sr_err close_entry(sr_dictset *ds, sr_linectx *c, actor_entry *e)
{
    if (!e->open)
        return SR_OK;
    e->open = false;
    size_t ncodes = ds->ncodes - e->first_code;
    if (ncodes == 0) {
        size_t last = e->nlines ? e->lines[e->nlines - 1] : e->line;
        if (last > e->line)
            sr_rd_skip(c, e->line, "actor '%s' (lines %zu-%zu) has no code",
                       sr_ds_pool(ds, e->name), e->line, last);
        else
            sr_rd_skip(c, e->line, "actor '%s' has no code", sr_ds_pool(ds, e->name));
        for (size_t i = 0; i < e->nlines; i++)
            if (c->mark && e->lines[i] < c->nmark)
                c->mark[e->lines[i]] |= SR_LN_SKIP;
        return SR_OK;
    }
    if (sr_grow((void **)&ds->actor, &ds->actor_cap, ds->nactor + 1, sizeof *ds->actor))
        return SR_ENOMEM;
    sr_actor *a = &ds->actor[ds->nactor];
    a->name = e->name;
    a->first = (uint32_t)e->first_code;
    a->n = (uint32_t)ncodes;
    for (size_t i = 0; i < e->nnodes; i++)
        ds->actors.val[e->nodes[i]] = (uint32_t)ds->nactor;
    ds->actor_phrases += e->nnodes;
    ds->nactor++;
    for (size_t i = 0; i < e->nlines; i++)
        sr_rd_used_at(c, e->lines[i]);
    return SR_OK;
}

/* Parse one "[CODE dates]" block body (without brackets). */
static sr_err add_code(sr_dictset *ds, sr_linectx *c, char *s, size_t n)
{
    while (n && sr_rd_blank(*s)) { s++; n--; }
    while (n && sr_rd_blank(s[n - 1])) n--;
    size_t cl = 0;
    while (cl < n && !sr_rd_blank(s[cl]))
        cl++;
    if (cl == 0) {
        sr_rd_skip(c, 0, "empty actor code '[%.*s]'", (int)n, s);
        return SR_OK;
    }
    if (cl > SR_DICT_MAX_CODE) {
        sr_rd_skip(c, 0, "actor code '[%.*s]' longer than %d bytes", (int)n, s, SR_DICT_MAX_CODE);
        return SR_OK;
    }
    for (size_t i = 0; i < cl; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!isalnum(ch) && ch != '-' && ch != '#' && ch != '~' && ch != '_' && ch != '/' &&
            ch != '+') {
            sr_rd_skip(c, 0, "bad actor code '[%.*s]': '%c' is not a code character", (int)n, s,
                       ch);
            return SR_OK;
        }
    }
    int32_t from = 0, to = 99999999;
    char *d = s + cl;
    size_t dn = n - cl;
    while (dn && sr_rd_blank(*d)) { d++; dn--; }
    if (dn) {
        /* blanks are allowed around '<', '>' and '-': "[HOB < 950601]" */
        char dd[40];
        size_t w = 0;
        for (size_t i = 0; i < dn && w + 1 < sizeof dd; i++)
            if (!sr_rd_blank(d[i]))
                dd[w++] = d[i];
        dd[w] = '\0';
        const char *why = "a date is YYMMDD or YYYYMMDD";
        if (dd[0] == '>') {
            from = sr_ds_date(dd + 1, w - 1);
        } else if (dd[0] == '<') {
            to = sr_ds_date(dd + 1, w - 1);
        } else {
            char *dash = memchr(dd, '-', w);
            if (dash) {
                from = sr_ds_date(dd, (size_t)(dash - dd));
                to = sr_ds_date(dash + 1, w - (size_t)(dash - dd) - 1);
            } else {
                from = -1;
                why = "a restriction is '>DATE', '<DATE' or 'DATE-DATE'";
            }
        }
        if (from < 0 || to < 0) {
            sr_rd_skip(c, 0, "bad date restriction in '[%.*s]' (%s); this code is not loaded",
                       (int)n, s, why);
            return SR_OK;
        }
    }
    if (sr_grow((void **)&ds->codes, &ds->codes_cap, ds->ncodes + 1, sizeof *ds->codes))
        return SR_ENOMEM;
    sr_actor_code *ac = &ds->codes[ds->ncodes];
    if (sr_ds_str(ds, s, cl, &ac->code) != SR_OK)
        return SR_ENOMEM;
    ac->from = from;
    ac->to = to;
    ds->ncodes++;
    return SR_OK;
}

/* Codes in "[...] [...]" starting at s; returns SR_OK or ENOMEM. */
static sr_err add_codes(sr_dictset *ds, sr_linectx *c, char *s)
{
    while (*s) {
        char *open = strchr(s, '[');
        if (!open)
            break;
        char *close = strchr(open, ']');
        if (!close) {
            sr_rd_skip(c, 0, "unclosed '[' in '%s'", open);
            return SR_OK;
        }
        sr_err e = add_code(ds, c, open + 1, (size_t)(close - open - 1));
        if (e)
            return e;
        s = close + 1;
    }
    return SR_OK;
}

static sr_err entry_node(sr_linectx *c, actor_entry *e, uint32_t node)
{
    if (e->nnodes >= SR_DICT_MAX_PHRASES) {
        if (!e->overflow)
            sr_rd_skip(c, 0, "actor '%s' has more than %d phrases (with their regular "
                       "endings); the rest of its phrases are not loaded",
                       sr_ds_pool(c->ds, e->name), SR_DICT_MAX_PHRASES);
        e->overflow = true;
        return SR_OK;
    }
    if (sr_grow((void **)&e->nodes, &e->nodes_cap, e->nnodes + 1, sizeof *e->nodes))
        return SR_ENOMEM;
    e->nodes[e->nnodes++] = node;
    return SR_OK;
}

static sr_err add_actor_phrase(sr_dictset *ds, sr_linectx *c, actor_entry *e,
                               const char *s, size_t n)
{
    uint32_t words[SR_DICT_MAX_WORDS], keys[SR_DICT_MAX_WORDS * 2];
    uint8_t adj[SR_DICT_MAX_WORDS];
    sr_err err = entry_line(e, c->lineno);
    if (err)
        return err;
    int nw = sr_ds_phrase(ds, s, n, c->tabari, words, adj, SR_DICT_MAX_WORDS);
    if (nw < 0) {
        sr_rd_skip(c, 0, "actor phrase '%.*s' has more than %d words or is unreadable", (int)n, s,
                   SR_DICT_MAX_WORDS);
        return SR_OK;
    }
    if (nw == 0)
        return SR_OK;
    /* TABARI: words written apart ("PRINCE DOL_AMROTH") may have a few
     * words between them ("the Prince of Dol Amroth"); '_' joins tightly */
    int k = 0;
    for (int i = 0; i < nw; i++) {
        if (c->tabari && i > 0 && !adj[i])
            keys[k++] = SR_KEY_GAP;
        keys[k++] = words[i];
    }
    uint32_t node;
    if (sr_trie_add(&ds->actors, keys, (size_t)k, &node) != SR_OK)
        return SR_ENOMEM;
    if ((err = entry_node(c, e, node)) != SR_OK)
        return err;
    /* TABARI: "AL_GORE" is also written "Al-Gore", one token */
    if (c->tabari && nw == 2 && adj[1] && !(words[0] & SR_KEY_STEM)) {
        size_t l0, l1;
        const char *w0 = sr_lexicon_str(ds->lex, words[0], &l0);
        const char *w1 = sr_lexicon_str(ds->lex, words[1] & ~SR_KEY_STEM, &l1);
        sr_buf joined = SR_BUF_INIT(4096);
        if (sr_buf_printf(&joined, "%.*s-%.*s", (int)l0, w0, (int)l1, w1) != SR_OK) {
            sr_buf_free(&joined);
            return SR_ENOMEM;
        }
        uint32_t id = sr_lexicon_intern(ds->lex, joined.p, joined.len);
        sr_buf_free(&joined);
        if (!id)
            return SR_ENOMEM;
        if (sr_trie_add(&ds->actors, &id, 1, &node) != SR_OK)
            return SR_ENOMEM;
        if ((err = entry_node(c, e, node)) != SR_OK)
            return err;
    }
    /* TABARI: "LIBYA_" also matches Libyas (regular noun endings) */
    size_t t = n;
    while (t && sr_rd_blank(s[t - 1]))
        t--;
    if (c->tabari && t && s[t - 1] == '_') {
        uint32_t var[8];
        int nv = sr_ds_endings(ds, keys[k - 1], false, var, 8);
        if (nv < 0)
            return SR_ENOMEM;
        uint32_t last = keys[k - 1];
        for (int i = 0; i < nv; i++) {
            keys[k - 1] = var[i];
            if (sr_trie_add(&ds->actors, keys, (size_t)k, &node) != SR_OK)
                return SR_ENOMEM;
            if ((err = entry_node(c, e, node)) != SR_OK)
                return err;
        }
        keys[k - 1] = last;
    }
    return SR_OK;
}

sr_err sr_read_actors(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .tabari = sr_ds_tabari_style(path) };
    actor_entry *e = calloc(1, sizeof *e);
    size_t words_from = 0;   /* line of an open <NOUN>/<ADJECTIVE> list */
    char words_tag[16] = "";
    bool ended = false;
    sr_err err = SR_OK;
    char *cur = buf, *line;
    size_t n;
    if (!e)
        return SR_ENOMEM;
    sr_rd_begin(&c, ds, path, buf, len);
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        bool indented = n > 0 && sr_rd_blank(line[0]);
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (ended) {
            sr_rd_used(&c);   /* after TABARI's end mark: not dictionary */
            continue;
        }
        if (*s == '<') {
            /* TABARI's <NOUN> and <ADJECTIVE> word lists are not actors */
            if (!strncasecmp(s, "<NOUN>", 6) || !strncasecmp(s, "<ADJECTIVE>", 11)) {
                if (words_from) {   /* one left open */
                    sr_rd_warn(&c, words_from, "%s list (lines %zu-%zu) not used and not "
                               "closed", words_tag, words_from, c.lineno - 1);
                    for (size_t i = words_from; i < c.lineno && c.mark && i < c.nmark; i++)
                        c.mark[i] |= SR_LN_SKIP;
                }
                words_from = c.lineno;
                snprintf(words_tag, sizeof words_tag, "%.*s", (int)strcspn(s, ">") + 1, s);
            } else if (s[1] == '/' && words_from) {
                sr_rd_warn(&c, words_from, "%s list (lines %zu-%zu) not used: sitrep tells "
                           "nouns and adjectives by their place in the sentence",
                           words_tag, words_from, c.lineno);
                for (size_t i = words_from; i <= c.lineno && c.mark && i < c.nmark; i++)
                    c.mark[i] |= SR_LN_SKIP;   /* reported, not loaded */
                words_from = 0;
            }
            sr_rd_used(&c);
            continue;
        }
        if (words_from) {
            sr_rd_used(&c);
            continue;
        }
        if (*s == '~') {
            /* TABARI's "~~~~~" ends the dictionary; what follows is notes */
            if ((err = close_entry(ds, &c, e)) != SR_OK)
                goto out;
            ended = true;
            sr_rd_used(&c);
            continue;
        }
        if (*s == '[') {
            if (!e->open) {
                sr_rd_skip(&c, 0, indented ? "code after an actor that was not loaded"
                                           : "code with no actor before it");
                continue;
            }
            if ((err = entry_line(e, c.lineno)) != SR_OK ||
                (err = add_codes(ds, &c, s)) != SR_OK)
                goto out;
            continue;
        }
        char *br = strchr(s, '[');
        size_t pn = br ? (size_t)(br - s) : strlen(s);
        if (*s == '+') {
            if (!e->open) {
                sr_rd_skip(&c, 0, "synonym with no actor before it");
                continue;
            }
            if ((err = add_actor_phrase(ds, &c, e, s + 1, pn - 1)) != SR_OK)
                goto out;
        } else if (e->open && !c.tabari && ds->ncodes == e->first_code) {
            /* PETRARCH: a primary phrase with no code yet takes the codes of
             * the entry after it (its reader starts a new entry only once
             * the current one has a code): the phrases are synonyms */
            if ((err = add_actor_phrase(ds, &c, e, s, pn)) != SR_OK)
                goto out;
        } else {
            if ((err = close_entry(ds, &c, e)) != SR_OK)
                goto out;
            e->nnodes = e->nlines = 0;
            e->overflow = false;
            e->open = true;
            e->line = c.lineno;
            e->first_code = ds->ncodes;
            size_t nn = pn;
            while (nn && sr_rd_blank(s[nn - 1]))
                nn--;
            if ((err = sr_ds_str(ds, s, nn, &e->name)) != SR_OK)
                goto out;
            if ((err = add_actor_phrase(ds, &c, e, s, pn)) != SR_OK)
                goto out;
        }
        if (br && (err = add_codes(ds, &c, br)) != SR_OK)
            goto out;
    }
    if (words_from) {
        sr_rd_warn(&c, words_from, "word list not closed: lines %zu-%zu are not read as actors",
                   words_from, c.lineno);
        for (size_t i = words_from; i <= c.lineno && c.mark && i < c.nmark; i++)
            c.mark[i] |= SR_LN_SKIP;
    }
    err = close_entry(ds, &c, e);
out:
    sr_rd_end(&c);
    free(e->nodes);
    free(e->lines);
    free(e);
    return err;
}

/* ---- agents --------------------------------------------------------------- */

/* Caps on one agent line's expansion: a phrase is at most SR_AGENT_MAX_LEN
 * bytes once its !SET! substitutions are made, and sets nest at most
 * SR_AGENT_MAX_DEPTH deep.  Both are far above the Phoenix file (sets do not
 * nest there; the longest phrase is under 60 bytes); a line over either is
 * reported, not cut. */
#define SR_AGENT_MAX_LEN   1024
#define SR_AGENT_MAX_DEPTH 8

typedef struct subst_set {
    char *name;              /* "!PERSON!", owned */
    char *alts;              /* comma-separated alternatives, owned */
} subst_set;

/* Regular English plural of w[0..n) into out (cap bytes); 0 if it does not fit. */
static size_t plural(const char *w, size_t n, char *out, size_t cap)
{
    if (n == 0 || n + 3 >= cap)
        return 0;
    memcpy(out, w, n);
    char last = (char)toupper((unsigned char)w[n - 1]);
    char prev = n > 1 ? (char)toupper((unsigned char)w[n - 2]) : 0;
    if (last == 'Y' && prev && !strchr("AEIOU", prev)) {
        memcpy(out + n - 1, "IES", 3);
        return n + 2;
    }
    if (last == 'S' || last == 'X' || last == 'Z' ||
        ((last == 'H') && (prev == 'C' || prev == 'S'))) {
        memcpy(out + n, "ES", 2);
        return n + 2;
    }
    if (n >= 3 && strncasecmp(w + n - 3, "MAN", 3) == 0) {
        memcpy(out + n - 3, "MEN", 3);
        return n;
    }
    out[n] = 'S';
    return n + 1;
}

static sr_err add_agent_phrase(sr_dictset *ds, sr_linectx *c, const char *s,
                               size_t n, uint32_t agent, bool *added)
{
    uint32_t keys[SR_DICT_MAX_WORDS];
    int k = sr_ds_phrase(ds, s, n, c->tabari, keys, NULL, SR_DICT_MAX_WORDS);
    if (k < 0) {
        sr_rd_skip(c, 0, "agent phrase '%.*s' has more than %d words or is unreadable", (int)n, s,
                   SR_DICT_MAX_WORDS);
        return SR_OK;
    }
    if (k == 0)
        return SR_OK;
    uint32_t node;
    if (sr_trie_add(&ds->agents, keys, (size_t)k, &node) != SR_OK)
        return SR_ENOMEM;
    ds->agents.val[node] = agent;
    ds->agent_phrases++;
    *added = true;
    /* TABARI: "AMBASSADOR_" also matches ambassadors */
    size_t t = n;
    while (t && sr_rd_blank(s[t - 1]))
        t--;
    if (c->tabari && t && s[t - 1] == '_' && !(keys[k - 1] & SR_KEY_STEM)) {
        uint32_t var[8];
        int nv = sr_ds_endings(ds, keys[k - 1], false, var, 8);
        if (nv < 0)
            return SR_ENOMEM;
        for (int i = 0; i < nv; i++) {
            keys[k - 1] = var[i];
            if (sr_trie_add(&ds->agents, keys, (size_t)k, &node) != SR_OK)
                return SR_ENOMEM;
            if (ds->agents.val[node] == SR_NONE)
                ds->agents.val[node] = agent;
        }
    }
    return SR_OK;
}

/* Expand the first !SET! in phrase and add each result (recursively for
 * more sets), or add the phrase and its plural(s). */
static sr_err expand_agent(sr_dictset *ds, sr_linectx *c, subst_set *sets,
                           size_t nsets, const char *s, size_t n, bool gen_plural,
                           uint32_t agent, int depth, bool *added)
{
    const char *bang = memchr(s, '!', n);
    if (bang) {
        const char *end = memchr(bang + 1, '!', n - (size_t)(bang + 1 - s));
        if (!end) {
            sr_rd_skip(c, 0, "unclosed '!' substitution in '%.*s'", (int)n, s);
            return SR_OK;
        }
        if (depth >= SR_AGENT_MAX_DEPTH) {
            sr_rd_skip(c, 0, "substitution sets nested more than %d deep in '%.*s'",
                       SR_AGENT_MAX_DEPTH, (int)n, s);
            return SR_OK;
        }
        size_t nl = (size_t)(end - bang + 1);
        for (size_t i = 0; i < nsets; i++) {
            if (strlen(sets[i].name) != nl || strncmp(sets[i].name, bang, nl) != 0)
                continue;
            const char *a = sets[i].alts;
            while (*a) {
                const char *comma = strchr(a, ',');
                size_t an = comma ? (size_t)(comma - a) : strlen(a);
                char tmp[SR_AGENT_MAX_LEN];
                const char *ab = a;
                while (an && sr_rd_blank(*ab)) { ab++; an--; }
                while (an && sr_rd_blank(ab[an - 1])) an--;
                int w = snprintf(tmp, sizeof tmp, "%.*s%.*s%.*s", (int)(bang - s), s,
                                 (int)an, ab, (int)(n - (size_t)(end + 1 - s)), end + 1);
                if (w < 0 || (size_t)w >= sizeof tmp) {
                    sr_rd_skip(c, 0, "agent phrase longer than %d bytes once %.*s is "
                               "substituted", SR_AGENT_MAX_LEN, (int)nl, bang);
                    return SR_OK;
                }
                /* the set lists plural forms itself */
                sr_err e = expand_agent(ds, c, sets, nsets, tmp, (size_t)w, false, agent,
                                        depth + 1, added);
                if (e)
                    return e;
                if (!comma)
                    break;
                a = comma + 1;
            }
            return SR_OK;
        }
        sr_rd_skip(c, 0, "unknown substitution set '%.*s'", (int)nl, bang);
        return SR_OK;
    }
    sr_err e = add_agent_phrase(ds, c, s, n, agent, added);
    if (e || !gen_plural)
        return e;
    char pl[SR_AGENT_MAX_LEN];
    size_t trail = n;
    while (trail && (s[trail - 1] == '_' || sr_rd_blank(s[trail - 1])))
        trail--;
    size_t pn = plural(s, trail, pl, sizeof pl);
    if (pn)
        e = add_agent_phrase(ds, c, pl, pn, agent, added);
    return e;
}

sr_err sr_read_agents(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .tabari = sr_ds_tabari_style(path) };
    subst_set *sets = NULL;
    size_t nsets = 0, sets_cap = 0;
    bool ended = false;
    sr_err err = SR_OK;
    char *cur = buf, *line;
    size_t n;
    sr_rd_begin(&c, ds, path, buf, len);
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (ended || *s == '~' || *s == '<') {
            /* TABARI's "~~~~~" ends the file; "<...>" section marks */
            ended = ended || *s == '~';
            sr_rd_used(&c);
            continue;
        }
        if (*s == '!' && strchr(s, '=')) {
            char *eq = strchr(s, '=');
            char *ne = eq;
            while (ne > s && sr_rd_blank(ne[-1]))
                ne--;
            if (sr_grow((void **)&sets, &sets_cap, nsets + 1, sizeof *sets)) {
                err = SR_ENOMEM;
                goto out;
            }
            sets[nsets].name = strndup(s, (size_t)(ne - s));
            sets[nsets].alts = strdup(eq + 1);
            if (!sets[nsets].name || !sets[nsets].alts) {
                free(sets[nsets].name);
                free(sets[nsets].alts);
                err = SR_ENOMEM;
                goto out;
            }
            nsets++;
            sr_rd_used(&c);
            continue;
        }
        char *br = strchr(s, '[');
        char *cl = br ? strpbrk(br, "]}") : NULL;
        if (!br) {
            sr_rd_skip(&c, 0, "agent '%s' has no [~CODE]", s);
            continue;
        }
        if (!cl) {
            sr_rd_skip(&c, 0, "unclosed '[' in agent '%s'", s);
            continue;
        }
        if (*cl == '}')
            sr_rd_warn(&c, 0, "agent code '%.*s' closed by '}': read as ']'",
                       (int)(cl - br + 1), br);
        char *code = br + 1;
        size_t cn = (size_t)(cl - code);
        while (cn && sr_rd_blank(*code)) { code++; cn--; }
        while (cn && sr_rd_blank(code[cn - 1])) cn--;
        bool prefix;
        if (cn >= 2 && code[0] == '~') {
            prefix = false;
            code++;
            cn--;
        } else if (cn >= 2 && code[cn - 1] == '~') {
            prefix = true;
            cn--;
        } else {
            sr_rd_skip(&c, 0, "agent code '%.*s' has no '~'", (int)cn, code);
            continue;
        }
        if (cn > SR_DICT_MAX_CODE) {
            sr_rd_skip(&c, 0, "agent code '%.*s' longer than %d bytes", (int)cn, code,
                       SR_DICT_MAX_CODE);
            continue;
        }
        if (sr_grow((void **)&ds->agent, &ds->agent_cap, ds->nagent + 1, sizeof *ds->agent)) {
            err = SR_ENOMEM;
            goto out;
        }
        sr_agent *a = &ds->agent[ds->nagent];
        if ((err = sr_ds_str(ds, code, cn, &a->code)) != SR_OK)
            goto out;
        a->prefix = prefix;
        uint32_t agent = (uint32_t)ds->nagent++;
        /* phrase, then optional {plurals} */
        char *brace = memchr(s, '{', (size_t)(br - s));
        char *pend = brace ? brace : br;
        while (pend > s && sr_rd_blank(pend[-1]))
            pend--;
        bool gen = !c.tabari && !brace;
        bool added = false;
        if ((err = expand_agent(ds, &c, sets, nsets, s, (size_t)(pend - s), gen, agent, 0,
                                &added)))
            goto out;
        if (brace) {
            char *bend = memchr(brace, '}', (size_t)(br - brace));
            if (!bend) {
                sr_rd_skip(&c, 0, "unclosed '{' in agent '%s'", s);
                continue;
            }
            char *p = brace + 1;
            while (p < bend) {
                while (p < bend && sr_rd_blank(*p))
                    p++;
                char *q = p;
                while (q < bend && !sr_rd_blank(*q))
                    q++;
                if (q > p && (err = expand_agent(ds, &c, sets, nsets, p, (size_t)(q - p),
                                                 false, agent, 0, &added)))
                    goto out;
                p = q;
            }
        }
        if (added)
            sr_rd_used(&c);
        else if (!sr_rd_skipped(&c))
            sr_rd_skip(&c, 0, "agent line gives no phrase");
    }
out:
    sr_rd_end(&c);
    for (size_t i = 0; i < nsets; i++) {
        free(sets[i].name);
        free(sets[i].alts);
    }
    free(sets);
    return err;
}
