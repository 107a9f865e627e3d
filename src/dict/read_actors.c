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

const char *sr_rd_rec(sr_linectx *c)
{
    snprintf(c->rec, sizeof c->rec, "%zu", c->lineno);
    return c->rec;
}

size_t sr_rd_clean(sr_linectx *c, char *line, size_t n)
{
    size_t w = 0;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->in_xml_comment) {
            if (i + 3 <= n && strncmp(line + i, "-->", 3) == 0) {
                c->in_xml_comment = false;
                i += 2;
            }
            continue;
        }
        if (i + 4 <= n && strncmp(line + i, "<!--", 4) == 0) {
            c->in_xml_comment = true;
            i += 3;
            continue;
        }
        char ch = line[i];
        if (ch == '[')
            depth++;
        else if (ch == ']' && depth > 0)
            depth--;
        if (depth == 0 && (ch == '#' || (c->tabari && ch == ';')))
            break;
        line[w++] = ch;
    }
    while (w > 0 && (sr_rd_blank(line[w - 1]) || line[w - 1] == '\r'))
        w--;
    line[w] = '\0';
    return w;
}

/* ---- actors --------------------------------------------------------------- */

typedef struct actor_entry {
    uint32_t nodes[512];     /* trie end nodes of its phrases */
    size_t nnodes;
    size_t first_code;       /* index in ds->codes where its codes start */
    uint32_t name;
    size_t line;
    bool open;
    bool overflow;
} actor_entry;

static sr_err close_entry(sr_dictset *ds, sr_linectx *c, actor_entry *e)
{
    if (!e->open)
        return SR_OK;
    e->open = false;
    size_t ncodes = ds->ncodes - e->first_code;
    if (ncodes == 0) {
        char rec[24];
        snprintf(rec, sizeof rec, "%zu", e->line);
        sr_skip(c->path, rec, "actor '%s' has no code", sr_ds_pool(ds, e->name));
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
    if (cl == 0 || cl > SR_DICT_MAX_CODE) {
        sr_skip(c->path, sr_rd_rec(c), "bad actor code '[%.*s]'", (int)n, s);
        return SR_OK;
    }
    for (size_t i = 0; i < cl; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!isalnum(ch) && ch != '-' && ch != '#' && ch != '~' && ch != '_' && ch != '/' &&
            ch != '+') {
            sr_skip(c->path, sr_rd_rec(c), "bad actor code '[%.*s]'", (int)n, s);
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
            }
        }
        if (from < 0 || to < 0) {
            sr_skip(c->path, sr_rd_rec(c), "bad date restriction in '[%.*s]'", (int)n, s);
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
            sr_skip(c->path, sr_rd_rec(c), "unclosed '['");
            return SR_OK;
        }
        sr_err e = add_code(ds, c, open + 1, (size_t)(close - open - 1));
        if (e)
            return e;
        s = close + 1;
    }
    return SR_OK;
}

static sr_err add_actor_phrase(sr_dictset *ds, sr_linectx *c, actor_entry *e,
                               const char *s, size_t n)
{
    uint32_t words[SR_DICT_MAX_WORDS], keys[SR_DICT_MAX_WORDS * 2];
    uint8_t adj[SR_DICT_MAX_WORDS];
    int nw = sr_ds_phrase(ds, s, n, c->tabari, words, adj, SR_DICT_MAX_WORDS);
    if (nw < 0) {
        sr_skip(c->path, sr_rd_rec(c), "actor phrase too long or unreadable");
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
    if (e->nnodes >= sizeof e->nodes / sizeof e->nodes[0]) {
        if (!e->overflow)
            sr_skip(c->path, sr_rd_rec(c), "too many synonyms in one entry");
        e->overflow = true;
        return SR_OK;
    }
    uint32_t node;
    if (sr_trie_add(&ds->actors, keys, (size_t)k, &node) != SR_OK)
        return SR_ENOMEM;
    e->nodes[e->nnodes++] = node;
    /* TABARI: "AL_GORE" is also written "Al-Gore", one token */
    if (c->tabari && nw == 2 && adj[1] && !(words[0] & SR_KEY_STEM) &&
        e->nnodes < sizeof e->nodes / sizeof e->nodes[0]) {
        size_t l0, l1;
        const char *w0 = sr_lexicon_str(ds->lex, words[0], &l0);
        const char *w1 = sr_lexicon_str(ds->lex, words[1] & ~SR_KEY_STEM, &l1);
        char joined[128];
        int jl = snprintf(joined, sizeof joined, "%.*s-%.*s", (int)l0, w0, (int)l1, w1);
        if (jl > 0 && (size_t)jl < sizeof joined) {
            uint32_t id = sr_lexicon_intern(ds->lex, joined, (size_t)jl);
            if (!id)
                return SR_ENOMEM;
            uint32_t one = id;
            if (sr_trie_add(&ds->actors, &one, 1, &node) != SR_OK)
                return SR_ENOMEM;
            e->nodes[e->nnodes++] = node;
        }
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
        for (int i = 0; i < nv && e->nnodes < sizeof e->nodes / sizeof e->nodes[0]; i++) {
            keys[k - 1] = var[i];
            if (sr_trie_add(&ds->actors, keys, (size_t)k, &node) != SR_OK)
                return SR_ENOMEM;
            e->nodes[e->nnodes++] = node;
        }
        keys[k - 1] = last;
    }
    return SR_OK;
}

sr_err sr_read_actors(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .path = path, .tabari = sr_ds_tabari_style(path) };
    actor_entry *e = calloc(1, sizeof *e);
    bool in_words = false;
    sr_err err = SR_OK;
    char *cur = buf, *line;
    size_t n;
    if (!e)
        return SR_ENOMEM;
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        bool indented = n > 0 && sr_rd_blank(line[0]);
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (*s == '<') {
            /* TABARI's <NOUN> and <ADJECTIVE> word lists are not actors */
            if (!strncasecmp(s, "<NOUN>", 6) || !strncasecmp(s, "<ADJECTIVE>", 11))
                in_words = true;
            else if (s[1] == '/')
                in_words = false;
            continue;
        }
        if (!*s || *s == '~' || in_words)
            continue;  /* blank, TABARI's ~~~~~ end mark, word lists */
        if (*s == '[') {
            if (!e->open) {
                if (!indented)
                    sr_skip(path, sr_rd_rec(&c), "code with no actor before it");
                continue;
            }
            if ((err = add_codes(ds, &c, s)) != SR_OK)
                goto out;
            continue;
        }
        char *br = strchr(s, '[');
        size_t pn = br ? (size_t)(br - s) : strlen(s);
        if (*s == '+') {
            if (!e->open) {
                sr_skip(path, sr_rd_rec(&c), "synonym with no actor before it");
                continue;
            }
            if ((err = add_actor_phrase(ds, &c, e, s + 1, pn - 1)) != SR_OK)
                goto out;
        } else {
            if ((err = close_entry(ds, &c, e)) != SR_OK)
                goto out;
            memset(e, 0, sizeof *e);
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
    err = close_entry(ds, &c, e);
out:
    free(e);
    return err;
}

/* ---- agents --------------------------------------------------------------- */

typedef struct subst_set {
    char name[32];
    char *alts;              /* comma-separated alternatives, owned */
} subst_set;

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
                               size_t n, uint32_t agent)
{
    uint32_t keys[SR_DICT_MAX_WORDS];
    int k = sr_ds_phrase(ds, s, n, c->tabari, keys, NULL, SR_DICT_MAX_WORDS);
    if (k < 0) {
        sr_skip(c->path, sr_rd_rec(c), "agent phrase too long or unreadable");
        return SR_OK;
    }
    if (k == 0)
        return SR_OK;
    uint32_t node;
    if (sr_trie_add(&ds->agents, keys, (size_t)k, &node) != SR_OK)
        return SR_ENOMEM;
    ds->agents.val[node] = agent;
    ds->agent_phrases++;
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
                           uint32_t agent, int depth)
{
    const char *bang = memchr(s, '!', n);
    if (bang && depth < 3) {
        const char *end = memchr(bang + 1, '!', n - (size_t)(bang + 1 - s));
        if (!end) {
            sr_skip(c->path, sr_rd_rec(c), "unclosed '!' substitution");
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
                char tmp[512];
                const char *ab = a;
                while (an && sr_rd_blank(*ab)) { ab++; an--; }
                while (an && sr_rd_blank(ab[an - 1])) an--;
                int w = snprintf(tmp, sizeof tmp, "%.*s%.*s%.*s", (int)(bang - s), s,
                                 (int)an, ab, (int)(n - (size_t)(end + 1 - s)), end + 1);
                if (w > 0 && (size_t)w < sizeof tmp) {
                    /* the set lists plural forms itself */
                    sr_err e = expand_agent(ds, c, sets, nsets, tmp, (size_t)w, false,
                                            agent, depth + 1);
                    if (e)
                        return e;
                }
                if (!comma)
                    break;
                a = comma + 1;
            }
            return SR_OK;
        }
        sr_skip(c->path, sr_rd_rec(c), "unknown substitution set '%.*s'", (int)nl, bang);
        return SR_OK;
    }
    sr_err e = add_agent_phrase(ds, c, s, n, agent);
    if (e || !gen_plural)
        return e;
    char pl[512];
    size_t trail = n;
    while (trail && (s[trail - 1] == '_' || sr_rd_blank(s[trail - 1])))
        trail--;
    size_t pn = plural(s, trail, pl, sizeof pl);
    if (pn)
        e = add_agent_phrase(ds, c, pl, pn, agent);
    return e;
}

sr_err sr_read_agents(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .path = path, .tabari = sr_ds_tabari_style(path) };
    subst_set sets[32];
    size_t nsets = 0;
    sr_err err = SR_OK;
    char *cur = buf, *line;
    size_t n;
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s || *s == '~' || *s == '<')
            continue;
        if (*s == '!' && strchr(s, '=')) {
            char *eq = strchr(s, '=');
            char *ne = eq;
            while (ne > s && sr_rd_blank(ne[-1]))
                ne--;
            if (nsets >= sizeof sets / sizeof sets[0] || (size_t)(ne - s) >= sizeof sets[0].name) {
                sr_skip(path, sr_rd_rec(&c), "too many or too long substitution sets");
                continue;
            }
            memcpy(sets[nsets].name, s, (size_t)(ne - s));
            sets[nsets].name[ne - s] = '\0';
            sets[nsets].alts = strdup(eq + 1);
            if (!sets[nsets].alts) {
                err = SR_ENOMEM;
                goto out;
            }
            nsets++;
            continue;
        }
        char *br = strchr(s, '[');
        char *cl = br ? strchr(br, ']') : NULL;
        if (!br || !cl) {
            sr_skip(path, sr_rd_rec(&c), "agent without a [~CODE]");
            continue;
        }
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
            sr_skip(path, sr_rd_rec(&c), "agent code '%.*s' has no '~'", (int)cn, code);
            continue;
        }
        if (cn > SR_DICT_MAX_CODE) {
            sr_skip(path, sr_rd_rec(&c), "agent code too long");
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
        if ((err = expand_agent(ds, &c, sets, nsets, s, (size_t)(pend - s), gen, agent, 0)))
            goto out;
        if (brace) {
            char *bend = memchr(brace, '}', (size_t)(br - brace));
            if (!bend) {
                sr_skip(path, sr_rd_rec(&c), "unclosed '{'");
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
                                                 false, agent, 0)))
                    goto out;
                p = q;
            }
        }
    }
out:
    for (size_t i = 0; i < nsets; i++)
        free(sets[i].alts);
    return err;
}
