/*
 * actors.c - actors: dictionary look-ups remembered per token, actor noun phrases
 * (country + agent, titles, names, appositives, acronyms), compounds and
 * pronouns, giving the sentence's entities.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/internal.h"

/* ---- codes ------------------------------------------------------------------ */

bool coder_code_is_null(const char *code)
{
    return !code || !*code || strcmp(code, "---") == 0 || strcmp(code, "###") == 0;
}

/* country + agent, following the agent's ~ position */
static void compose(char out[32], const char *actor, const sr_dictset *ds, uint32_t agent)
{
    const sr_agent *ag = &ds->agent[agent];
    const char *acode = sr_ds_pool(ds, ag->code);
    if (!actor || !*actor) {
        out[0] = '\0';
        return;
    }
    /* a named person or office (PAKGOV, USAGOVPRS) already says more than
     * a title can add; a country or organisation root takes the agent */
    if (strlen(actor) > 3 && !(strlen(actor) == 6 && strncmp(actor, "IGO", 3) == 0)) {
        snprintf(out, 32, "%s", actor);
        return;
    }
    if (strstr(actor, acode)) {
        snprintf(out, 32, "%s", actor);
        return;
    }
    if (ag->prefix)
        snprintf(out, 32, "%s%s", acode, actor);
    else
        snprintf(out, 32, "%s%s", actor, acode);
}

/* ---- actors ----------------------------------------------------------------- */

/* The single-token actor of the form s[0..n), if any. */
static uint32_t actor_of_form(sr_coder *c, const sr_tokview *like, const char *s, size_t n)
{
    uint32_t id = sr_lexicon_find(c->ds->lex, s, n);
    if (!id)
        return SR_NONE;
    sr_tokview one = *like;
    one.id = id;
    one.fold = s;
    one.fold_len = (uint32_t)n;
    one.nstems = 0;
    one.stems_done = 0;
    size_t l = 0;
    uint32_t a = sr_ds_longest(c->ds, &c->ds->actors, &one, 1, 0, &l);
    return a != SR_NONE && l == 1 ? a : SR_NONE;
}

/* News: "Vietnamese-led forces", "Kenya-based rebels": the forces are the
 * one that leads them, the rebels of the place they are based in.  (The
 * other hyphened relations - "Syrian-ruled Lebanon", "Iran-backed
 * militias" - name the other party, and stay no actor.) */
static uint32_t led_by_actor(sr_coder *c, size_t i, size_t *len)
{
    const sr_tokview *v = &c->v[i];
    if (c->tk[i].kind != SR_TOK_WORD || !(c->tk[i].flags & SR_TOKF_HYPHEN) || v->fold_len < 6)
        return SR_NONE;
    const char *dash = NULL;
    for (size_t k = v->fold_len; k-- > 1;)
        if (v->fold[k] == '-') {
            dash = v->fold + k;
            break;
        }
    if (!dash)
        return SR_NONE;
    size_t pre = (size_t)(dash - v->fold), suf = v->fold_len - pre - 1;
    if (!((suf == 3 && memcmp(dash + 1, "led", 3) == 0) ||
          (suf == 5 && memcmp(dash + 1, "based", 5) == 0)))
        return SR_NONE;
    uint32_t a = actor_of_form(c, v, v->fold, pre);
    if (a != SR_NONE)
        *len = 1;
    return a;
}

/* News: "Algerians", "Iraqis", "Ukrainians" - the people of a country, a
 * plural the dictionaries list only in the singular ("ALGERIAN" [DZA]).  A
 * capitalised word ending in "s" whose singular is, alone, an actor. */
static uint32_t plural_demonym(sr_coder *c, size_t i, size_t *len)
{
    const sr_tokview *v = &c->v[i];
    if (c->tk[i].kind != SR_TOK_WORD || !(c->tk[i].flags & SR_TOKF_CAP) ||
        (c->tk[i].flags & SR_TOKF_ALLCAPS) || v->fold_len < 5 || v->fold[v->fold_len - 1] != 's')
        return SR_NONE;
    uint32_t id = sr_lexicon_find(c->ds->lex, v->fold, v->fold_len - 1);
    if (!id)
        return SR_NONE;
    sr_tokview one = *v;
    one.id = id;
    one.fold_len = v->fold_len - 1;
    one.nstems = 0;
    one.stems_done = 0;
    size_t l = 0;
    uint32_t a = sr_ds_longest(c->ds, &c->ds->actors, &one, 1, 0, &l);
    if (a == SR_NONE || l != 1)
        return SR_NONE;
    *len = 1;
    return a;
}

/* Longest phrase of trie k (MEMO_ACTOR, MEMO_AGENT, MEMO_VERB) at token i,
 * remembered for the sentence: the noun-phrase parser and the verb finder
 * ask the same questions about the same tokens many times. */
static uint32_t memo_longest(sr_coder *c, int k, size_t i, size_t *len)
{
    if (i >= c->n) {
        *len = 0;
        return SR_NONE;
    }
    if (!(c->memo_done[i] & (1u << k))) {
        const sr_trie *t = k == MEMO_ACTOR ? &c->ds->actors :
                           k == MEMO_AGENT ? &c->ds->agents : &c->ds->verbs;
        size_t l = 0;
        c->memo_val[k][i] = sr_ds_longest(c->ds, t, c->v, c->n, i, &l);
        if (k == MEMO_ACTOR && c->memo_val[k][i] == SR_NONE && coder_news(c))
            c->memo_val[k][i] = plural_demonym(c, i, &l);
        if (k == MEMO_ACTOR && c->memo_val[k][i] == SR_NONE && coder_news(c))
            c->memo_val[k][i] = led_by_actor(c, i, &l);
        c->memo_len[k][i] = (uint16_t)l;
        c->memo_done[i] |= (uint8_t)(1u << k);
    }
    *len = c->memo_len[k][i];
    return c->memo_val[k][i];
}

uint32_t coder_actor_at(sr_coder *c, size_t i, size_t *len, const char **code)
{
    uint32_t a = memo_longest(c, MEMO_ACTOR, i, len);
    *code = NULL;
    if (a != SR_NONE)
        *code = sr_ds_actor_pick(c->ds, a, c->date);
    return a;
}

uint32_t coder_agent_at(sr_coder *c, size_t i, size_t *len)
{
    return memo_longest(c, MEMO_AGENT, i, len);
}

uint32_t coder_verb_at(sr_coder *c, size_t i, size_t *len)
{
    return memo_longest(c, MEMO_VERB, i, len);
}

static void remember_name(sr_coder *c, size_t last_tok, const char *code)
{
    if (!code || !*code)
        return;
    uint64_t id = sr_hash64(c->v[last_tok].fold, c->v[last_tok].fold_len, 1);
    for (size_t i = 0; i < c->nnames; i++)
        if (c->names[i].last_id == id) {
            snprintf(c->names[i].code, 32, "%s", code);
            return;
        }
    if (c->nnames < MAX_NAMES) {
        c->names[c->nnames].last_id = id;
        snprintf(c->names[c->nnames].code, 32, "%s", code);
        c->nnames++;
    }
}

static const char *recall_name(const sr_coder *c, size_t last_tok)
{
    uint64_t id = sr_hash64(c->v[last_tok].fold, c->v[last_tok].fold_len, 1);
    for (size_t i = 0; i < c->nnames; i++)
        if (c->names[i].last_id == id)
            return c->names[i].code;
    return NULL;
}

/* A run of capitalized words (a personal name) at i; returns its length.
 * Stops at a dictionary actor, agent or verb. */
static size_t name_at(sr_coder *c, size_t i)
{
    size_t k = 0, len;
    while (i + k < c->n && k < 5 && is_cap_word(c, i + k)) {
        /* a name does not run across a line break (headings, lists) */
        if (k > 0) {
            const char *o = c->doc_text;
            for (uint32_t b = c->tk[i + k - 1].end; o && b < c->tk[i + k].start; b++)
                if (o[b] == '\n')
                    return k;
        }
        const char *code;
        if (coder_actor_at(c, i + k, &len, &code) != SR_NONE && len > 0)
            break;
        if (coder_agent_at(c, i + k, &len) != SR_NONE && len > 0)
            break;
        k++;
    }
    return k;
}

typedef struct np_state {
    const char *actor;        /* dictionary code of the actor part */
    uint32_t agent;           /* SR_NONE: none */
    size_t title_start, title_end;
    size_t name_start, name_end;
    bool actor_known;
    bool agent_first;         /* "Lawmakers in Fornost": the agent came first
                                 and governs a following actor list */
    size_t and_agent;         /* "media and government": where the second
                                 body's title starts (0: none) */
    uint32_t agent2;          /* a title right after the first, or SR_NONE */
} np_state;

/* Parse one actor noun phrase starting at i (which holds an actor or an
 * agent).  Returns its end. */
static size_t parse_np(sr_coder *c, size_t i, np_state *st)
{
    size_t len;
    const char *code;
    size_t p = i;
    st->actor = NULL;
    st->agent = SR_NONE;
    st->name_start = st->name_end = 0;
    st->title_start = st->title_end = 0;
    st->actor_known = false;
    st->agent_first = false;
    st->and_agent = 0;
    st->agent2 = SR_NONE;
    int steps = 0;
    while (p < c->n && steps++ < 12) {
        uint32_t a = coder_actor_at(c, p, &len, &code);
        size_t glen;
        uint32_t g = coder_agent_at(c, p, &glen);
        if (a != SR_NONE && len >= glen && !st->actor) {
            st->actor = code ? code : "";
            st->actor_known = true;
            p += len;
            /* Pakistan's ... */
            if (tok_is(c, p, c->id_s))
                p++;
            continue;
        }
        if (g != SR_NONE && glen > 0 && st->agent == SR_NONE) {
            st->agent = g;
            st->title_start = p;
            st->title_end = p + glen;
            p += glen;
            /* "Chief of Army Staff of Pakistan", "soldiers from Gondor",
             * "lawmakers in Fornost" */
            /* news: "withdrawn its troops from Eritrea": after a possessive
             * the owner is named already, and "from X" says where from */
            bool owned = coder_news(c) && st->title_start > 0 &&
                         (wclass(c, st->title_start - 1u) & WC_PRON) &&
                         (wclass(c, st->title_start - 1u) & WC_DET);
            if (!st->actor && !owned &&
                (tok_is(c, p, c->id_of) || tok_is(c, p, c->id_from) || tok_is(c, p, c->id_in))) {
                size_t q = p + 1;
                if (q < c->n && (wclass(c, q) & WC_DET))
                    q++;
                if (coder_actor_at(c, q, &len, &code) != SR_NONE && len > 0) {
                    st->actor = code ? code : "";
                    st->actor_known = true;
                    st->agent_first = true;
                    p = q + len;
                }
            }
            /* "Field Marshal Asim Munir": a name after a title */
            size_t nl = name_at(c, p);
            if (nl > 0 && st->name_end == 0) {
                st->name_start = p;
                st->name_end = p + nl;
                p += nl;
            } else if (nl == 0 && st->actor && is_cap_word(c, p) &&
                       coder_actor_at(c, p, &len, &code) != SR_NONE && len > 0) {
                /* "Bree Prime Minister Romendacil": the person the title
                 * names is the same actor, coded with the title's agent */
                p += len;
            }
            continue;
        }
        if (g != SR_NONE && glen > 0 && st->agent != SR_NONE) {
            /* a second title: "Chief of Defence Forces and Chief of Army
             * Staff"; right after the first ("Islamist media") it qualifies
             * it further (DNK + MUS + MED, outside TABARI) */
            if (st->title_end == p && st->agent2 == SR_NONE)
                st->agent2 = g;
            p += glen;
            size_t nl = name_at(c, p);
            if (nl > 0 && st->name_end == 0) {
                st->name_start = p;
                st->name_end = p + nl;
                p += nl;
            }
            continue;
        }
        /* connectors inside a noun phrase */
        if (tok_is(c, p, c->id_lparen)) {
            size_t q = p + 1;
            while (q < c->n && q < p + 5 && !tok_is(c, q, c->id_rparen))
                q++;
            if (tok_is(c, q, c->id_rparen) && (st->actor || st->agent != SR_NONE)) {
                p = q + 1;
                continue;
            }
            break;
        }
        if (tok_is(c, p, c->id_comma) && (st->actor || st->agent != SR_NONE)) {
            /* appositive: ", General Asim Munir," or ", Field Marshal ..." */
            size_t q = p + 1;
            uint32_t g2 = coder_agent_at(c, q, &glen);
            if (g2 != SR_NONE && glen > 0) {
                size_t nl = name_at(c, q + glen);
                /* news: "... to Ukraine, Chancellor Olaf Scholz said": a
                 * titled name that goes on to speak is the speaker, not an
                 * appositive of the actor before the comma */
                if (nl > 0 && coder_news(c) && q + glen + nl < c->n &&
                    (wclass(c, q + glen + nl) & WC_SAY))
                    break;
                if (nl > 0) {
                    if (st->agent == SR_NONE) {
                        st->agent = g2;
                        st->title_start = q;
                        st->title_end = q + glen;
                    }
                    if (st->name_end == 0) {
                        st->name_start = q + glen;
                        st->name_end = q + glen + nl;
                    }
                    p = q + glen + nl;
                    if (tok_is(c, p, c->id_comma) && p + 1 < c->n &&
                        !(wclass(c, p + 1) & WC_AND))
                        p++;
                    continue;
                }
                /* ", Field Marshal Asim Munir," naming a person the
                 * dictionaries know: the same actor, already coded */
                size_t al;
                const char *acode;
                if (st->actor && is_cap_word(c, q + glen) &&
                    coder_actor_at(c, q + glen, &al, &acode) != SR_NONE && al > 0) {
                    /* "... in Bosnia, Defense Secretary William Perry said":
                     * the speaker again, not the same actor */
                    if (coder_news(c) && q + glen + al < c->n && (wclass(c, q + glen + al) & WC_SAY))
                        break;
                    p = q + glen + al;
                    if (tok_is(c, p, c->id_comma) && p + 1 < c->n &&
                        !(wclass(c, p + 1) & WC_AND))
                        p++;
                    continue;
                }
            }
            break;
        }
        if (tok_is(c, p, c->id_and) && st->agent != SR_NONE) {
            /* "Chief of Defense Forces and Chief of Army Staff" */
            uint32_t g2 = coder_agent_at(c, p + 1, &glen);
            const char *code2;
            size_t al;
            if (g2 != SR_NONE && glen > 0 &&
                !(coder_actor_at(c, p + 1, &al, &code2) != SR_NONE && al >= glen)) {
                /* two titles of one person ("..., Field Marshal Asim Munir")
                 * or two bodies of one country ("Danish media and
                 * government": DNKMED and DNKGOV) */
                size_t after = p + 1 + glen;
                bool person = st->name_end > 0 || name_at(c, after) > 0 ||
                              tok_is(c, after, c->id_comma) ||
                              (is_cap_word(c, after) && coder_actor_at(c, after, &al, &code2) != SR_NONE);
                if (!person && st->actor && !c->ds->opts.first_verb_only) {
                    st->and_agent = p + 1;
                    break;
                }
                p++;
                continue;
            }
            break;
        }
        /* adjectives between a country and its agent: "Libyan senior
         * military leaders" - at most two lower-case words */
        if (st->actor && st->agent == SR_NONE && c->tk[p].kind == SR_TOK_WORD &&
            !(c->tk[p].flags & SR_TOKF_CAP) && !(wclass(c, p) & ~WC_DET) &&
            !c->ds->opts.first_verb_only) {
            size_t q = p;
            int adj = 0;
            /* news and PETRARCH also read "awful and evil minister" so;
             * TABARI does not join adjectives across "and" */
            bool and_ok = !c->ds->opts.first_verb_only;
            while (q < c->n && adj < 3 && c->tk[q].kind == SR_TOK_WORD &&
                   (!(wclass(c, q) & (WC_PREP | WC_BE | WC_AND | WC_NEG | WC_FUTURE |
                                      WC_HEDGE | WC_REPORT | WC_DET | WC_HAVE | WC_CONJ)) ||
                    (and_ok && adj > 0 && tok_is(c, q, c->id_and) && q + 1 < c->n &&
                     !(c->tk[q + 1].flags & SR_TOKF_CAP))) &&
                   coder_verb_at(c, q, &len) == SR_NONE) {
                if (coder_agent_at(c, q, &glen) != SR_NONE && glen > 0)
                    break;
                q++;
                adj++;
            }
            if (q < c->n && q > p && coder_agent_at(c, q, &glen) != SR_NONE && glen > 0) {
                p = q;
                continue;
            }
        }
        break;
    }
    return p;
}

/* Is token i the capitalised head of a body of water ("Sea", "Gulf")? */
static bool water_word(const sr_coder *c, size_t i)
{
    static const char *const w[] = {"sea", "ocean", "gulf", "strait", "straits", "bay", "channel"};
    if (i >= c->n || c->tk[i].kind != SR_TOK_WORD || !(c->tk[i].flags & SR_TOKF_CAP))
        return false;
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (c->v[i].fold_len == strlen(w[k]) && memcmp(c->v[i].fold, w[k], c->v[i].fold_len) == 0)
            return true;
    return false;
}

/* News: "the South China Sea", "the Sea of Japan", "the Gulf of Guinea"
 * name a place, not the country: patrols there are not China's. */
static bool in_water_name(const sr_coder *c, size_t s, size_t e)
{
    if (!coder_news(c))
        return false;
    return water_word(c, e) || (s >= 2 && tok_is(c, s - 1, c->id_of) && water_word(c, s - 2));
}

static void add_entity(sr_coder *c, size_t s, size_t e, const char *code, bool known)
{
    if (c->ne >= MAX_ENT || e <= s || in_water_name(c, s, e))
        return;
    ent *x = &c->e[c->ne];
    memset(x, 0, sizeof *x);
    x->start = (uint16_t)s;
    x->end = (uint16_t)e;
    coder_copy(x->code, sizeof x->code, code ? code : "");
    x->known = known;
    x->ref = -1;
    x->group = (uint8_t)c->ne;
    /* governed by a preposition? look back over determiners/adjectives */
    size_t b = s;
    int back = 0;
    while (b > 0 && back < 3) {
        uint32_t w = wclass(c, b - 1);
        if (w & WC_PREP) {
            /* "a group of Moroccan diplomats", "thousands of students": the
             * actor heads the phrase; "of" is no preposition of its own */
            x->prep = !(coder_news(c) && tok_is(c, b - 1, c->id_of) && b >= 2 &&
                        (wclass(c, b - 2) & WC_QUANT));
            break;
        }
        if (!(w & WC_DET) && (c->tk[b - 1].kind != SR_TOK_WORD ||
                              (c->tk[b - 1].flags & SR_TOKF_CAP)))
            break;
        if (!(w & WC_DET) && coder_verb_at(c, b - 1, &(size_t){0}) != SR_NONE)
            break;
        b--;
        back++;
    }
    for (size_t i = s; i < e && i < c->n; i++)
        c->ent_at[i] = (int16_t)c->ne;
    c->ne++;
}

/* Is this code's root a country (not an organisation, "---" or a kind of
 * actor such as UAF, unidentified armed forces)? */
static bool country_root(const char *code)
{
    static const char *const not_country[] = {"IGO", "NGO", "IMG", "MNC", "UAF", "INT", "---"};
    if (strlen(code) < 3)
        return false;
    for (size_t i = 0; i < sizeof not_country / sizeof not_country[0]; i++)
        if (strncmp(code, not_country[i], 3) == 0)
            return false;
    return isupper((unsigned char)code[0]) && isupper((unsigned char)code[1]) &&
           isupper((unsigned char)code[2]);
}

/* "in western Cambodia", "in northern Mali": a compass word before a
 * country still places things in it */
static bool is_direction(const sr_coder *c, size_t i)
{
    static const char *const dirs[] = {"northern", "southern", "eastern", "western",
                                       "central", "northeastern", "northwestern",
                                       "southeastern", "southwestern", "north", "south",
                                       "east", "west"};
    const sr_tokview *v = &c->v[i];
    for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++)
        if (v->fold_len == strlen(dirs[k]) && memcmp(v->fold, dirs[k], v->fold_len) == 0)
            return true;
    return false;
}

/* News: an agent with no country of its own ("---REB") takes the country
 * the sentence is about: the one country it names ("Egyptian police fired
 * on demonstrators"), or where it places things ("rioted in Serbia"), or
 * else, with no country named at all, the story's main actor.  With
 * several countries and no place it stays "---REB", an explicit unknown:
 * "Britain and France said they would strike the militants" says nothing
 * of where the militants are from.  The entity is marked inferred. */
static void infer_countries(sr_coder *c)
{
    const char *country = NULL, *place = NULL;
    int ncountries = 0;
    bool any_unknown = false;
    for (size_t k = 0; k < c->ne; k++) {
        const ent *x = &c->e[k];
        any_unknown |= x->nocountry;
        if (x->nocountry || x->pronoun || !country_root(x->code))
            continue;
        if (!country || strncmp(country, x->code, 3) != 0) {
            if (!country || ncountries < 2)
                ncountries++;
            if (!country)
                country = x->code;
        }
        if (!place && x->start > 0 && strlen(x->code) == 3 &&
            (tok_is(c, x->start - 1u, c->id_in) ||
             (x->start > 1 && tok_is(c, x->start - 2u, c->id_in) &&
              (is_article(c, x->start - 1u) || is_direction(c, x->start - 1u)))))
            place = x->code;
    }
    if (!any_unknown)
        return;
    const char *pick = place ? place : ncountries == 1 ? country : NULL;
    if (!pick && ncountries == 0 && country_root(c->dyad[0]))
        pick = c->dyad[0];
    /* "its troops", "their forces": the owner is the sentence's subject */
    const char *owner = NULL;
    for (size_t k = 0; k < c->ne && !owner; k++)
        if (!c->e[k].prep && !c->e[k].nocountry && country_root(c->e[k].code))
            owner = c->e[k].code;
    for (size_t k = 0; k < c->ne; k++) {
        ent *x = &c->e[k];
        if (!x->nocountry || strncmp(x->code, "---", 3) != 0)
            continue;
        /* an embassy or consulate is a foreign country's, not the one the
         * sentence is in */
        if (x->end > x->start && c->v[x->end - 1].fold_len >= 7 &&
            (strncmp(c->v[x->end - 1].fold, "embass", 6) == 0 ||
             strncmp(c->v[x->end - 1].fold, "consul", 6) == 0))
            continue;
        const char *from = pick;
        if (owner && x->start > 0 && (wclass(c, x->start - 1u) & WC_PRON) &&
            (wclass(c, x->start - 1u) & WC_DET))
            from = owner;
        /* "Colombia's government and the ELN rebels": a party named beside
         * a country's own actor in one subject is of that country, not of
         * the place the sentence is set in (Havana) */
        for (size_t j = 0; j < c->ne; j++)
            if (j != k && c->e[j].group == x->group && !c->e[j].nocountry &&
                !c->e[j].pronoun && country_root(c->e[j].code)) {
                from = c->e[j].code;
                break;
            }
        /* a subject ("Islamic fundamentalists continued ...") belongs to
         * the country the sentence is about, its first */
        if (!from && !x->prep && k == 0 && country)
            from = country;
        if (!from)
            continue;
        char code[32];
        snprintf(code, sizeof code, "%.3s%.28s", from, x->code + 3);
        memcpy(x->code, code, sizeof x->code);
        x->inferred = 1;
    }
}

void coder_find_entities(sr_coder *c, uint32_t sentence, size_t sent_start_byte)
{
    (void)sent_start_byte;
    c->ne = 0;
    c->guessed_modifier = false;
    for (size_t i = 0; i < c->n; i++)
        c->ent_at[i] = -1;
    size_t i = 0;
    while (i < c->n) {
        size_t len, glen;
        const char *code;
        uint32_t a = coder_actor_at(c, i, &len, &code);
        uint32_t g = coder_agent_at(c, i, &glen);
        uint32_t w = wclass(c, i);
        if ((a != SR_NONE && len > 0) || (g != SR_NONE && glen > 0)) {
            np_state st;
            size_t end = parse_np(c, i, &st);
            if (end <= i)
                end = i + 1;
            char out[32] = "";
            bool known = st.actor_known;
            if (st.actor && st.agent != SR_NONE) {
                compose(out, st.actor, c->ds, st.agent);
                if (st.agent2 != SR_NONE && !c->ds->opts.first_verb_only && strlen(out) <= 6) {
                    char more[32];
                    memcpy(more, out, sizeof more);
                    compose(out, more, c->ds, st.agent2);
                    if (strlen(out) == strlen(more)) {
                        /* compose keeps codes longer than a root as they are */
                        const sr_agent *a2 = &c->ds->agent[st.agent2];
                        const char *c2 = sr_ds_pool(c->ds, a2->code);
                        if (!a2->prefix && !strstr(more, c2))
                            snprintf(out, sizeof out, "%.12s%.12s", more, c2);
                    }
                }
            }
            else if (st.actor)
                coder_copy(out, sizeof out, st.actor);
            else if (st.agent != SR_NONE && st.name_end > st.name_start) {
                /* a title and a name with no country: a person seen earlier */
                const char *mem = recall_name(c, st.name_end - 1);
                if (mem)
                    coder_copy(out, sizeof out, mem);
            }
            bool nocountry = false;
            /* "military cooperation", "police station": an agent word before
             * a noun it qualifies names no actor */
            bool before_word = end == i + 1 && end < c->n && c->tk[end].kind == SR_TOK_WORD &&
                               !(c->tk[end].flags & SR_TOKF_CAP) && !wclass(c, end);
            bool modifier = before_word &&
                            (c->have_pos ? c->pos[end] == SR_POS_NN || c->pos[end] == SR_POS_NNS
                                         : coder_verb_at(c, end, &(size_t){0}) == SR_NONE);
            if (before_word && !c->have_pos && !out[0] && st.agent != SR_NONE && !st.actor)
                c->guessed_modifier = true;   /* tags, once there, may say otherwise */
            if (!out[0] && st.agent != SR_NONE && !st.actor && coder_news(c) && modifier) {
                i = end;
                continue;
            }
            if (!out[0] && st.agent != SR_NONE && !st.actor && coder_news(c) &&
                !c->ds->agent[st.agent].prefix) {
                /* news: "protesters", "rebels", "a senior official" take the
                 * country the sentence or story is about (below), else
                 * stay "---REB" as PETRARCH writes them */
                snprintf(out, sizeof out, "---%.24s",
                         sr_ds_pool(c->ds, c->ds->agent[st.agent].code));
                nocountry = true;
            }
            if (!out[0] && st.agent != SR_NONE && !st.actor &&
                c->ds->opts.petrarch_actors) {
                /* PETRARCH: "a senior official" is ---GOV */
                const sr_agent *ag = &c->ds->agent[st.agent];
                const char *acode = sr_ds_pool(c->ds, ag->code);
                snprintf(out, sizeof out, ag->prefix ? "%.24s---" : "---%.24s", acode);
            }
            if (!c->ds->opts.petrarch_actors) {
                if (strcmp(out, "###") == 0)
                    c->discard = true;
                else if (strcmp(out, "+++") == 0)
                    c->complex = true;
            }
            /* a news agency with no country ("(Reuters) -", "AFP
             * reported") reports events, it does not take part in them */
            if (coder_code_is_null(out) || strcmp(out, "+++") == 0 ||
                (!c->ds->opts.petrarch_actors && strcmp(out, "MED") == 0))
                out[0] = '\0';
            char *slash = strchr(out, '/');
            if (slash) {
                /* TABARI "[FRO/BIL/SAM]": one phrase, several actors */
                size_t first = c->ne;
                char *part = out;
                while (part) {
                    char *next = strchr(part, '/');
                    if (next)
                        *next++ = '\0';
                    add_entity(c, i, end, part, known);
                    if (c->ne > first + 1)
                        c->e[c->ne - 1].group = c->e[first].group;
                    part = next;
                }
                for (size_t t = i; t < end && t < c->n && first < c->ne; t++)
                    c->ent_at[t] = (int16_t)first;
                i = end;
                continue;
            }
            /* "according to officials": who reports an event is not
             * a party to it */
            if (coder_news(c) && i >= 2 && tok_is(c, i - 1, c->id_to) &&
                tok_is(c, i - 2, c->id_according))
                out[0] = '\0';
            add_entity(c, i, end, out, known);
            if (c->ne > 0 && c->e[c->ne - 1].start == i) {
                ent *x = &c->e[c->ne - 1];
                x->has_agent = st.agent != SR_NONE;
                x->nocountry = nocountry;
                if (st.name_end > st.name_start) {
                    x->name_start = (uint16_t)st.name_start;
                    x->name_end = (uint16_t)st.name_end;
                    x->title_start = (uint16_t)st.title_start;
                    x->title_end = (uint16_t)st.title_end;
                    if (*out) {
                        remember_name(c, st.name_end - 1, out);
                        /* capitals prove nothing in a heading: "Pakistan
                         * Libya Military Relations" names no person */
                        if (st.actor && c->unknown_fn && !c->heading) {
                            sr_unknown_actor u = {0};
                            u.sentence = sentence;
                            u.start = c->tk[st.name_start].start;
                            u.end = c->tk[st.name_end - 1].end;
                            u.title_start = c->tk[st.title_start].start;
                            u.title_end = c->tk[st.title_end - 1].end;
                            snprintf(u.code, sizeof u.code, "%s", out);
                            c->unknown_fn(&u, c->unknown_ctx);
                        }
                        x->known = false;
                    }
                }
            }
            if (st.and_agent && c->ne < MAX_ENT && st.actor) {
                size_t q = st.and_agent, gl;
                uint32_t g2 = coder_agent_at(c, q, &gl);
                if (g2 != SR_NONE && gl > 0) {
                    char more[32];
                    compose(more, st.actor, c->ds, g2);
                    size_t owner = c->ne - 1;
                    add_entity(c, q, q + gl, coder_code_is_null(more) ? "" : more, true);
                    c->e[c->ne - 1].group = c->e[owner].group;
                    c->e[c->ne - 1].has_agent = 1;
                    end = q + gl;
                }
            }
            /* "Lawmakers in Fornost and Gondor": the title applies to
             * every actor of the list */
            while (st.agent_first && c->ne < MAX_ENT && end + 1 < c->n &&
                   (tok_is(c, end, c->id_and) || tok_is(c, end, c->id_comma))) {
                size_t q = end + 1, al;
                const char *acode;
                if (tok_is(c, q, c->id_and))
                    q++;
                if (q < c->n && (wclass(c, q) & WC_DET))
                    q++;
                if (coder_actor_at(c, q, &al, &acode) == SR_NONE || al == 0 || !acode)
                    break;
                char more[32];
                /* TABARI does not carry the title over the list ("the
                 * ambassadors of Arnor, Osgiliath and Gondor": ARNGOV, OSG,
                 * GON); PETRARCH and news coding do */
                if (c->ds->opts.first_verb_only)
                    snprintf(more, sizeof more, "%s", acode);
                else
                    compose(more, acode, c->ds, st.agent);
                size_t owner = c->ne - 1;
                add_entity(c, q, q + al, coder_code_is_null(more) ? "" : more, true);
                c->e[c->ne - 1].group = c->e[owner].group;
                c->e[c->ne - 1].has_agent = 1;
                end = q + al;
            }
            i = end;
            continue;
        }
        /* news: "Cruz thanked Japan": a person named earlier in the report
         * with a title ("Defense Secretary Ramon Cruz") is the same actor
         * when named again by surname */
        if (coder_news(c) && c->nnames > 0 && is_cap_word(c, i) && !w) {
            size_t nl = name_at(c, i);
            const char *mem = nl > 0 ? recall_name(c, i + nl - 1) : NULL;
            /* a remembered title with no country ("---MIL") says too
             * little: the sentence's other actors would lend it theirs */
            if (mem && strncmp(mem, "---", 3) != 0 &&
                !(i + nl < c->n && c->tk[i + nl].kind == SR_TOK_POSSESSIVE)) {
                add_entity(c, i, i + nl, mem, true);
                i += nl;
                continue;
            }
        }
        if (w & WC_GENERIC) {
            /* "some 800,000 Iraqi Kurds": a number or an actor after "some"
             * makes it a quantity, not a generic subject */
            size_t l2;
            const char *c2;
            if (coder_news(c) && i + 1 < c->n &&
                (c->tk[i + 1].kind == SR_TOK_NUMBER ||
                 coder_actor_at(c, i + 1, &l2, &c2) != SR_NONE ||
                 coder_agent_at(c, i + 1, &l2) != SR_NONE)) {
                i++;
                continue;
            }
            add_entity(c, i, i + 1, "", false);
            i++;
            continue;
        }
        if ((w & WC_PRON) && !(w & WC_DET && i + 1 < c->n && c->tk[i + 1].kind == SR_TOK_WORD &&
                               !(wclass(c, i + 1) & (WC_BE | WC_FUTURE | WC_HEDGE | WC_PREP |
                                                     WC_CONJ | WC_ADV)))) {
            /* he / she / they / it (and "its", "their" as possessors only
             * when nothing is possessed) */
            /* TABARI: a pronoun stands for the sentence's first actor (its
             * subject); "he"/"she" prefer the first titled person */
            const char *ref = NULL;
            bool person = w & WC_PERSON_PRON;
            for (size_t k = 0; k < c->ne && person; k++)
                if (!c->e[k].prep && !c->e[k].pronoun && c->e[k].code[0] &&
                    (c->e[k].has_agent || c->e[k].name_end)) {
                    ref = c->e[k].code;
                    break;
                }
            for (size_t k = 0; k < c->ne && !ref; k++)
                if (!c->e[k].prep && !c->e[k].pronoun && c->e[k].code[0]) {
                    ref = c->e[k].code;
                    break;
                }
            if (!ref && c->last_src[0])
                ref = c->last_src;
            /* "they" after "Elrond and Gondor ...": the whole compound */
            int refent = -1;
            for (size_t k = 0; ref && k < c->ne; k++)
                if (c->e[k].code == ref || (strcmp(c->e[k].code, ref) == 0 && !c->e[k].pronoun)) {
                    refent = (int)k;
                    break;
                }
            size_t first = c->ne;
            add_entity(c, i, i + 1, ref ? ref : "", false);
            if (c->ne > first) {
                c->e[first].pronoun = 1;
                /* "they"/"them" stand for a whole compound: joined to the
                 * referent's group once compounds are known (below) */
                if (tok_is(c, i, c->id_they) || tok_is(c, i, c->id_them))
                    c->e[first].ref = (int16_t)refent;
            }
            i++;
            continue;
        }
        if ((tok_is(c, i, c->id_both) ||
             (c->v[i].fold_len == 3 && memcmp(c->v[i].fold, "two", 3) == 0)) &&
            i + 1 < c->n && c->tk[i + 1].kind == SR_TOK_WORD &&
            (strncmp(c->v[i + 1].fold, "sides", 5) == 0 ||
             strncmp(c->v[i + 1].fold, "countries", 9) == 0 ||
             strncmp(c->v[i + 1].fold, "parties", 7) == 0 ||
             strncmp(c->v[i + 1].fold, "ministers", 9) == 0 ||
             strncmp(c->v[i + 1].fold, "leaders", 7) == 0 ||
             strncmp(c->v[i + 1].fold, "governments", 11) == 0 ||
             strncmp(c->v[i + 1].fold, "delegations", 11) == 0) &&
            c->dyad[0][0] && c->dyad[1][0]) {
            add_entity(c, i, i + 2, c->dyad[0], false);
            add_entity(c, i, i + 2, c->dyad[1], false);
            if (c->ne >= 2)
                c->e[c->ne - 1].group = c->e[c->ne - 2].group;
            i += 2;
            continue;
        }
        i++;
    }
    /* compounds: "Pakistan and Libya", "Arnor, Osgiliath and Gondor" */
    for (size_t k = 1; k < c->ne; k++) {
        ent *a = &c->e[k - 1], *b = &c->e[k];
        size_t gap = b->start - a->end;
        bool joined = false;
        if (gap == 1 && (tok_is(c, a->end, c->id_and) || tok_is(c, a->end, c->id_comma) ||
                         tok_is(c, a->end, c->id_nor)))
            joined = true;   /* "neither Galadriel nor Gollum" */
        if (gap == 2 && tok_is(c, a->end, c->id_comma) && tok_is(c, a->end + 1, c->id_and))
            joined = true;
        /* "Fornost and the evil awful Gondor": determiners and adjectives
         * after the joiner */
        if (!joined && gap >= 2 && gap <= 5 &&
            (tok_is(c, a->end, c->id_and) || tok_is(c, a->end, c->id_comma))) {
            size_t q = a->end + 1;
            if (tok_is(c, a->end, c->id_comma) && tok_is(c, q, c->id_and))
                q++;
            bool ok = true;
            for (; q < b->start && ok; q++) {
                uint32_t wq = wclass(c, q);
                size_t vl;
                /* "in Jordan, where three migrants died": a relative
                 * pronoun opens a clause, it joins no list */
                ok = c->tk[q].kind == SR_TOK_WORD && (!wq || wq == WC_DET) &&
                     coder_verb_at(c, q, &vl) == SR_NONE && !tok_is(c, q, c->id_where) &&
                     !tok_is(c, q, c->id_which) && !tok_is(c, q, c->id_who);
            }
            joined = ok;
            /* news: "Pakistan, a key U.S. ally, ...": a comma and "a" open an
             * appositive about the actor before, not the next of a list */
            if (joined && coder_news(c) && tok_is(c, a->end, c->id_comma) &&
                (tok_is(c, a->end + 1u, c->id_a) || tok_is(c, a->end + 1u, c->id_an)))
                joined = false;
        }
        /* "... at northern Israel, the Israeli military said", "... with
         * Bulgaria, Macedonian officials said": the speaker after the comma
         * ends the list; it is not a target */
        if (joined && coder_news(c) && tok_is(c, a->end, c->id_comma) &&
            b->end < c->n && (wclass(c, b->end) & WC_SAY))
            joined = false;
        /* "Indian and Japanese warships": two demonyms share the head
         * noun, so the first takes the second's agent (INDMIL, JPNMIL) */
        if (joined && coder_news(c) && gap == 1 && tok_is(c, a->end, c->id_and) &&
            a->end - a->start == 1 && strlen(a->code) == 3 && strlen(b->code) > 3 &&
            b->end - b->start >= 2 && !a->pronoun && !b->pronoun &&
            strncmp(b->code, "---", 3) != 0 && country_root(a->code) && country_root(b->code)) {
            char code[32];
            snprintf(code, sizeof code, "%.3s%.28s", a->code, b->code + 3);
            memcpy(a->code, code, sizeof a->code);
        }
        if (joined && a->code[0] && b->code[0] && !a->pronoun && !b->pronoun) {
            /* b may lead several actors of its own ("the Shire" is
             * FRO/BIL/SAM): all of them join a's group */
            uint8_t old = b->group;
            for (size_t q = 0; q < c->ne; q++)
                if (c->e[q].group == old) {
                    c->e[q].group = a->group;
                    c->e[q].prep = a->prep;
                }
        }
    }
    for (size_t k = 0; k < c->ne; k++)
        if (c->e[k].ref >= 0 && c->e[k].ref < (int)k)
            c->e[k].group = c->e[c->e[k].ref].group;
    infer_countries(c);
}

