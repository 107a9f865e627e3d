/*
 * parse.c - the geoparser: place mentions found in analysed sentences,
 * each resolved to one gazetteer entry with a confidence, and event
 * mentions given their ActionGeo / Actor1Geo / Actor2Geo (see sitrep/geo.h
 * for the rules in words).
 *
 * Cost: only a capitalized word can start a place, so most tokens cost a
 * flag test; a capitalized one costs one probe of the word table, and a
 * phrase walk on the trie only when the word begins some name.  Resolving
 * scores the few entries of each found name twice: once alone, to learn
 * which countries and divisions the document is surely about, then with
 * that context.
 *
 * Scores are in log space: prominence (population, feature class, our
 * curated lists), plus context (countries of the document's actors and of
 * its sure places; sub-national places count more than countries named,
 * since "Georgia" is the US state only when the text is about places in
 * the US, not merely when the US is an actor), plus the qualifier after a
 * comma.  The confidence is the chosen entry's softmax share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/match.h"
#include "geo/internal.h"
#include "sitrep/dict.h"

#define NO_ENTRY UINT32_MAX
#define MAX_NAME_ENTRIES 64     /* entries scored per name (most populous kept) */

typedef struct cand {
    uint32_t sentence, tok_first, tok_count;
    uint32_t head;              /* first geo_name of the matched phrase */
    uint32_t qual_head;         /* the qualifier's names, or SR_NONE */
    uint8_t  role;
    bool     locative;          /* after in/at/near/... */
    bool     sent_start;        /* first word of its sentence or heading */
    bool     speaker;           /* followed by said/told/... */
    bool     demonym;
    bool     region_word;       /* followed by "province", "state", ... */
    uint32_t entry;             /* chosen */
    float    conf;
    float    country_conf;      /* share of the chosen entry's country */
    float    lent_nat, lent_sub;/* what it lent to context in pass 1 (taken
                                   back while it is resolved itself) */
    int      lent_country;
    bool     drop;
} cand;

struct sr_geoparser {
    const sr_geo *g;
    const sr_dictset *ds;
    cand *c;
    size_t nc, capc;
    sr_place_mention *pm;
    size_t npm, cappm;
    float *ctx_actor, *ctx_nat, *ctx_sub;   /* per country */
    uint32_t *ctx_region;                    /* sure divisions, up to 64 */
    uint32_t ctx_region_from[64];            /* the candidate that lent each */
    size_t nregion;
    uint32_t persons[64];                    /* words seen ending a longer
                                                proper name ("Ramon Cruz"):
                                                alone later, still the person */
    size_t npersons;
    sr_buf tmp;
    uint32_t *wcache;      /* [text lexicon id]: geo word id + 1, 0 = not yet
                              looked up (only with dicts: the document's
                              tokens are interned in dicts' lexicon, as the
                              coder needs them to be) */
    size_t wcache_n;
    /* word ids of the few function words the rules look at */
};

sr_geoparser *sr_geoparser_new(const sr_geo *g, const sr_dictset *dicts)
{
    sr_geoparser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->g = g;
    p->ds = dicts;
    size_t n = g->ncty ? g->ncty : 1;
    p->ctx_actor = calloc(n, sizeof *p->ctx_actor);
    p->ctx_nat = calloc(n, sizeof *p->ctx_nat);
    p->ctx_sub = calloc(n, sizeof *p->ctx_sub);
    p->ctx_region = calloc(64, sizeof *p->ctx_region);
    sr_buf_init(&p->tmp, 4096);
    if (dicts && dicts->lex && sr_lexicon_is_frozen(dicts->lex)) {
        p->wcache_n = sr_lexicon_size(dicts->lex) + 1;
        p->wcache = calloc(p->wcache_n, sizeof *p->wcache);
        if (!p->wcache)
            p->wcache_n = 0;
    }
    if (!p->ctx_actor || !p->ctx_nat || !p->ctx_sub || !p->ctx_region) {
        sr_geoparser_free(p);
        return NULL;
    }
    return p;
}

void sr_geoparser_free(sr_geoparser *p)
{
    if (!p)
        return;
    free(p->c);
    free(p->pm);
    free(p->ctx_actor);
    free(p->ctx_nat);
    free(p->ctx_sub);
    free(p->ctx_region);
    free(p->wcache);
    sr_buf_free(&p->tmp);
    free(p);
}

const sr_place_mention *sr_geoparser_places(const sr_geoparser *p, size_t *n)
{
    *n = p->npm;
    return p->pm;
}

/* ---- token tests ------------------------------------------------------------ */

static bool fold_is(const sr_textdoc *d, size_t t, const char *w)
{
    size_t n;
    const char *f = sr_token_fold(d, &d->toks[t], &n);
    return n == strlen(w) && memcmp(f, w, n) == 0;
}

static bool fold_in(const sr_textdoc *d, size_t t, const char *const *list)
{
    size_t n;
    const char *f = sr_token_fold(d, &d->toks[t], &n);
    if (n > 1 && f[n - 1] == '.')
        n--;   /* "Gen." is "gen" */
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(f, *list, n) == 0)
            return true;
    return false;
}

static const char *const locatives[] = {
    "in", "at", "near", "outside", "inside", "to", "into", "from", "across", "around",
    "toward", "towards", "within", "throughout", "over", "via", "between", "visiting",
    "visited", "visit", "reached", "entered", "left", "leaving", "off", "outskirts",
    "hit", "struck", "attacked", "shelled", "bombed", "seized", "captured", "stormed",
    "besieged", "retook", "raided", "targeted", NULL,
};
static const char *const speech[] = {
    "said", "says", "say", "told", "tells", "added", "warned", "stated", "announced",
    "insisted", "argued", "noted", "wrote", "tweeted", "claimed", "replied", NULL,
};
/* Capitalized words that may stand before a place without making it part
 * of a longer name ("northern Syria", "Greater Tripoli"), and sentence
 * openers. */
static const char *const before_ok[] = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "northeast", "northwest", "southeast", "southwest", "northeastern",
    "northwestern", "southeastern", "southwestern", "greater", "upper", "lower",
    "in", "at", "from", "to", "near", "outside", "inside", "across", "and", "or",
    "but", "for", "with", "the", "on", "after", "before", "as", "while", "when", "since",
    "like", "unlike", "both", "between", "during", "meanwhile", "also", "about",
    "against", "by", "over", "within", "of", "rural", "downtown", "occupied",
    "war-torn", "oil-rich", "neighbouring", "neighboring", "coastal", "landlocked",
    "mainland", "metropolitan", "suburban", "besieged", NULL,
};
/* Words after a place that keep it a place ("Idlib Province"). */
static const char *const after_ok[] = {
    "province", "governorate", "region", "state", "city", "district", "county", "oblast",
    "prefecture", "airport", "port", "harbour", "harbor", "border", "municipality",
    "valley", "basin", "coast", NULL,
};
/* Country names that are also first names ("Jordan Peterson"). */
static const char *const region_words[] = {
    "province", "governorate", "region", "state", "oblast", "district", "county",
    "prefecture", "provinces", "regions", NULL,
};
static const char *const given_names[] = {
    "jordan", "chad", "georgia", "israel", "india", "kenya", "china", NULL,
};
static const char *const titles[] = {
    "president", "mr", "mrs", "ms", "dr", "gen", "general", "minister", "king", "prince",
    "sheikh", "senator", "sen", "gov", "governor", "judge", "colonel", "col", "captain",
    "capt", "pope", "lord", "rep", "sir", "lt", "maj", "marshal", "secretary", NULL,
};
static const char *const based_sfx[] = { "-based", "-headquartered", NULL };

static bool cap_word(const sr_token *t)
{
    return t->kind == SR_TOK_WORD && (t->flags & (SR_TOKF_CAP | SR_TOKF_ALLCAPS));
}

/* Is the sentence written in capitals or Title Case (a headline), where
 * capitals say nothing about names? */
static bool shouting(const sr_textdoc *d, const sr_sentence *s)
{
    size_t words = 0, caps = 0;
    for (uint32_t i = 0; i < s->tok_count; i++) {
        const sr_token *t = &d->toks[s->tok_first + i];
        if (t->kind != SR_TOK_WORD || t->end - t->start < 4)
            continue;
        words++;
        caps += (t->flags & (SR_TOKF_CAP | SR_TOKF_ALLCAPS)) != 0;
    }
    return words >= 3 && caps * 10 >= words * 8;
}

/* ---- matching ---------------------------------------------------------------- */

/* The geo word id of token t (0: none).  A token's answer is remembered by
 * its lexicon id: most capitalised words of news are no place, and every
 * one of them was hashed and compared again in every sentence. */
static uint32_t tok_word(sr_geoparser *p, const sr_textdoc *d, size_t t)
{
    uint32_t id = d->toks[t].id;
    if (id && id < p->wcache_n && p->wcache[id])
        return p->wcache[id] - 1;
    size_t n;
    const char *f = sr_token_fold(d, &d->toks[t], &n);
    uint32_t w = geo_word_find(p->g, f, n);
    if (id && id < p->wcache_n)
        p->wcache[id] = w + 1;
    return w;
}

/* Longest name starting at token i (within [i, end)): its head in names[]
 * and length, or SR_NONE.  *based: the last token was "X-based". */
static uint32_t longest(sr_geoparser *p, const sr_textdoc *d, size_t i, size_t end, size_t *len,
                        bool *based)
{
    const sr_geo *g = p->g;
    uint32_t node = 0, best = SR_NONE;
    *len = 0;
    *based = false;
    for (size_t j = i; j < end && j - i < SR_DICT_MAX_WORDS; j++) {
        uint32_t w = tok_word(p, d, j);
        uint32_t child = w ? sr_trie_child(&g->trie, node, w) : 0;
        if (!child) {
            /* "Benghazi-based", "New York-based": the part before the suffix */
            size_t n;
            const char *f = sr_token_fold(d, &d->toks[j], &n);
            const char *dash = memchr(f, '-', n);
            if (!dash || !(d->toks[j].flags & SR_TOKF_HYPHEN))
                break;
            size_t pre = (size_t)(dash - f);
            bool sfx = false;
            for (const char *const *s = based_sfx; *s; s++)
                if (n - pre == strlen(*s) && memcmp(dash, *s, n - pre) == 0)
                    sfx = true;
            if (!sfx)
                break;
            uint32_t pw = geo_word_find(g, f, pre);
            uint32_t pc = pw ? sr_trie_child(&g->trie, node, pw) : 0;
            if (pc && g->trie.val[pc] != SR_NONE) {
                best = g->trie.val[pc];
                *len = j - i + 1;
                *based = true;
            }
            break;
        }
        node = child;
        if (g->trie.val[node] != SR_NONE) {
            best = g->trie.val[node];
            *len = j - i + 1;
        }
        if (!(g->trie.nflag[node] & SR_TRIE_KIDS))
            break;
    }
    return best;
}

static bool chain_has_kind(const sr_geo *g, uint32_t head, int kind)
{
    for (uint32_t k = head; k != SR_NONE; k = g->names[k].next)
        if (g->ent[g->names[k].entry].kind == kind)
            return true;
    return false;
}

static bool chain_curated(const sr_geo *g, uint32_t head)
{
    for (uint32_t k = head; k != SR_NONE; k = g->names[k].next)
        if (g->ent[g->names[k].entry].flags & GEO_EF_CURATED || g->names[k].flags & GEO_NF_CURATED)
            return true;
    return false;
}

/* Is there a city of country ci in the chain? */
static bool chain_city_in(const sr_geo *g, uint32_t head, uint16_t ci)
{
    for (uint32_t k = head; k != SR_NONE; k = g->names[k].next) {
        const geo_entry *en = &g->ent[g->names[k].entry];
        if (en->kind == GEO_K_CITY && en->country == ci && en->rank >= GEO_R_PPLA2)
            return true;
    }
    return false;
}

static bool chain_demonym(const sr_geo *g, uint32_t head)
{
    for (uint32_t k = head; k != SR_NONE; k = g->names[k].next)
        if (g->names[k].flags & GEO_NF_DEMONYM)
            return true;
    return false;
}

/* Is the phrase a person or organization in the actor dictionary (an actor
 * whose code is more than a country: "Clinton" -> USAELI)? */
static bool dict_person(sr_geoparser *p, const sr_textdoc *d, size_t first, size_t count)
{
    /* the dictionary's own matcher on the sentence's tokens (their ids come
     * from the dictset's lexicon): no re-analysis of the words */
    if (!p->ds || count == 0 || count > 8)
        return false;
    sr_tokview v[8];
    memset(v, 0, sizeof v);
    for (size_t i = 0; i < count; i++) {
        const sr_token *t = &d->toks[first + i];
        size_t n;
        v[i].id = t->id;
        v[i].fold = sr_token_fold(d, t, &n);
        v[i].fold_len = (uint32_t)n;
    }
    size_t len = 0;
    uint32_t val = sr_ds_longest(p->ds, &p->ds->actors, v, count, 0, &len);
    if (val == SR_NONE || len != count)
        return false;
    const char *code = sr_ds_actor_pick(p->ds, val, 0);
    return code && (strlen(code) > 3 || strcmp(code, "---") == 0);
}

static sr_err push_cand(sr_geoparser *p, const cand *c)
{
    if (p->nc >= SR_GEO_MAX_PLACES * 4)
        return SR_OK;   /* a document of nothing but names: keep the first */
    if (sr_grow((void **)&p->c, &p->capc, p->nc + 1, sizeof *p->c) != SR_OK)
        return SR_ENOMEM;
    p->c[p->nc++] = *c;
    return SR_OK;
}

static sr_err find_in_sentence(sr_geoparser *p, const sr_textdoc *d, uint32_t si)
{
    const sr_geo *g = p->g;
    const sr_sentence *s = &d->sents[si];
    size_t first = s->tok_first, end = (size_t)s->tok_first + s->tok_count;
    bool loud = s->kind == SR_UNIT_HEADING || shouting(d, s);
    for (size_t i = first; i < end;) {
        const sr_token *t = &d->toks[i];
        if (!cap_word(t)) {
            i++;
            continue;
        }
        size_t len;
        bool based;
        uint32_t head = longest(p, d, i, end, &len, &based);
        if (head == SR_NONE) {
            i++;
            continue;
        }
        if (g->names[head].flags & GEO_NF_BLOCK) {
            i += len;   /* "South Asia": no place, and neither is "South" in it */
            continue;
        }
        cand c;
        memset(&c, 0, sizeof c);
        c.sentence = si;
        c.tok_first = (uint32_t)i;
        c.tok_count = (uint32_t)len;
        c.head = head;
        c.qual_head = SR_NONE;
        c.entry = NO_ENTRY;
        c.lent_country = -1;
        c.role = based ? SR_PLACE_BASED : SR_PLACE_NAME;
        c.demonym = !based && chain_demonym(g, head);
        if (c.demonym)
            c.role = SR_PLACE_DEMONYM;
        c.sent_start = i == first || (i == first + 1 && d->toks[first].kind == SR_TOK_PUNCT);
        c.locative = i > first && fold_in(d, i - 1, locatives);
        size_t after = i + len;
        /* part of a longer proper name ("Hillary Clinton", "Camp David")?  A
         * capitalized word before, unless it is a direction ("northern
         * Syria"), or the sentence's capitalized first word; a title
         * ("President Obama") counts even there */
        if (!loud && i > first && !c.demonym) {
            bool title = fold_in(d, i - 1, titles);
            bool prev_cap = cap_word(&d->toks[i - 1]) && !fold_in(d, i - 1, before_ok);
            bool opener = i - 1 == first && !title;
            bool country = chain_has_kind(g, head, GEO_K_COUNTRY) &&
                           !(len == 1 && fold_in(d, i, given_names));
            if ((title || (prev_cap && !opener)) && !country) {
                if (len == 1 && p->npersons < 64)
                    p->persons[p->npersons++] = tok_word(p, d, i);
                i += len;
                continue;
            }
        }
        if (len == 1 && !c.demonym) {
            uint32_t w = tok_word(p, d, i);
            bool person = false;
            for (size_t k = 0; k < p->npersons && !person; k++)
                person = p->persons[k] == w;
            if (person) {
                i += len;
                continue;
            }
        }
        if (!loud && !based && after < end && cap_word(&d->toks[after]) &&
            !fold_in(d, after, after_ok) && !c.demonym) {
            bool country = chain_has_kind(g, head, GEO_K_COUNTRY);
            bool keep = country && !(len == 1 && fold_in(d, i, given_names));
            /* the next word is a country: a list, not a name */
            size_t l2;
            bool b2;
            uint32_t h2 = keep ? SR_NONE : longest(p, d, after, end, &l2, &b2);
            if (h2 != SR_NONE && chain_has_kind(g, h2, GEO_K_COUNTRY))
                keep = true;
            if (!keep) {
                i = after;
                continue;
            }
        }
        /* a qualifier: "Springfield, Illinois", "Paris, Texas", "TRIPOLI, Libya" */
        if (!c.demonym && after + 1 < end && fold_is(d, after, ",") && cap_word(&d->toks[after + 1])) {
            size_t ql;
            bool qb;
            uint32_t qh = longest(p, d, after + 1, end, &ql, &qb);
            bool poss = after + 1 + ql < end && d->toks[after + 1 + ql].kind == SR_TOK_POSSESSIVE;
            if (qh != SR_NONE && !qb && !poss && !chain_demonym(g, qh) &&
                (chain_has_kind(g, qh, GEO_K_COUNTRY) || chain_has_kind(g, qh, GEO_K_REGION))) {
                c.qual_head = qh;
                c.tok_count = (uint32_t)(len + 1 + ql);
                after = after + 1 + ql;
            }
        }
        /* a dateline: "TRIPOLI, Libya (Reuters) -", "BENGHAZI -" */
        if (i == first && (t->flags & SR_TOKF_ALLCAPS) && after < end &&
            (fold_is(d, after, "(") || fold_is(d, after, "-") || fold_is(d, after, "--") ||
             fold_is(d, after, ":")))
            c.role = SR_PLACE_DATELINE;
        /* "Clinton said" (not "officials in Perth said") */
        if (!c.locative && after < end && fold_in(d, after, speech))
            c.speaker = true;
        c.region_word = after < end && fold_in(d, after, region_words);
        /* a name the actor dictionary gives a person or organization */
        if (c.role == SR_PLACE_NAME && !chain_curated(g, head) && dict_person(p, d, i, len)) {
            i += len;
            continue;
        }
        if (loud)
            c.sent_start = true;   /* capitals prove nothing here */
        sr_err e = push_cand(p, &c);
        if (e)
            return e;
        i = after;
    }
    return SR_OK;
}

/* ---- resolving -------------------------------------------------------------------- */

static const float rank_bonus[] = {
    [GEO_R_OTHER] = -1.0f, [GEO_R_PPL] = 0.0f, [GEO_R_PPLA4] = 0.3f, [GEO_R_PPLA2] = 0.8f,
    [GEO_R_PPLA] = 1.5f, [GEO_R_REGION] = 2.0f, [GEO_R_PPLC] = 3.5f, [GEO_R_COUNTRY] = 6.0f,
};

static bool region_in_ctx(const sr_geoparser *p, uint32_t region, const cand *self)
{
    for (size_t i = 0; i < p->nregion; i++)
        if (p->ctx_region[i] == region && &p->c[p->ctx_region_from[i]] != self)
            return true;
    return false;
}

/* Does entry e lie in the qualifier's division or country? */
static bool qualified(const sr_geo *g, uint32_t e, uint32_t qual_head)
{
    const geo_entry *en = &g->ent[e];
    for (uint32_t k = qual_head; k != SR_NONE; k = g->names[k].next) {
        uint32_t q = g->names[k].entry;
        const geo_entry *qe = &g->ent[q];
        if (q == e)
            continue;
        if (qe->kind == GEO_K_COUNTRY && qe->country == en->country)
            return true;
        if (qe->kind == GEO_K_REGION && (en->region == q ||
            (qe->country == en->country && en->kind == GEO_K_CITY &&
             strcmp(g->text.p + qe->adm1, g->text.p + en->adm1) == 0 && *(g->text.p + qe->adm1))))
            return true;
    }
    return false;
}

static float entry_score(const sr_geoparser *p, const cand *c, uint32_t e, uint8_t nflags,
                         bool with_ctx, bool chain_has_country)
{
    const sr_geo *g = p->g;
    const geo_entry *en = &g->ent[e];
    float s = 0.6f * log10f((float)en->pop + 10.0f) + rank_bonus[en->rank];
    if (en->flags & GEO_EF_CURATED)
        s += 0.5f;
    if (nflags & GEO_NF_CURATED)
        s += 1.5f;
    if (!(nflags & GEO_NF_ALIAS))
        s += 0.2f;
    if (c->qual_head != SR_NONE)
        s += qualified(g, e, c->qual_head) ? 8.0f : -8.0f;
    /* "Aleppo" is the city, "Aleppo province" the division */
    if (en->kind == GEO_K_REGION)
        s += c->region_word ? 3.0f
           : !(nflags & GEO_NF_CURATED) && chain_city_in(g, c->head, en->country) ? -2.5f : 0.0f;
    if (with_ctx) {
        uint16_t ci = en->country;
        if (p->ctx_sub[ci] > 0)
            s += 3.5f + 0.5f * fminf(p->ctx_sub[ci] - 1, 3);
        if (!chain_has_country || en->kind == GEO_K_COUNTRY) {
            if (p->ctx_nat[ci] > 0)
                s += 2.5f + 0.5f * fminf(p->ctx_nat[ci] - 1, 3);
            if (p->ctx_actor[ci] > 0)
                s += 1.5f;
        }
        if (en->kind == GEO_K_CITY && en->region != NO_ENTRY && region_in_ctx(p, en->region, c))
            s += 3.0f;
        if (en->kind == GEO_K_REGION && region_in_ctx(p, e, c))
            s += 3.0f;   /* "Georgia" after Atlanta and Savannah */
    }
    return s;
}

/* Choose c's entry; returns whether any context supported it. */
static bool resolve(sr_geoparser *p, cand *c, bool with_ctx)
{
    const sr_geo *g = p->g;
    bool has_country = chain_has_kind(g, c->head, GEO_K_COUNTRY);
    float best = -1e30f, sum = 0;
    uint32_t be = NO_ENTRY;
    float sc[MAX_NAME_ENTRIES];
    size_t n = 0;
    for (uint32_t k = c->head; k != SR_NONE && n < MAX_NAME_ENTRIES; k = g->names[k].next) {
        uint32_t e = g->names[k].entry;
        if (c->demonym && !(g->names[k].flags & GEO_NF_DEMONYM))
            continue;
        float s = entry_score(p, c, e, g->names[k].flags, with_ctx, has_country);
        sc[n++] = s;
        if (s > best) {
            best = s;
            be = e;
        }
    }
    float same = 0;
    size_t j = 0;
    for (uint32_t k = c->head; k != SR_NONE && j < n; k = g->names[k].next) {
        if (c->demonym && !(g->names[k].flags & GEO_NF_DEMONYM))
            continue;
        float w = expf(sc[j++] - best);
        sum += w;
        if (be != NO_ENTRY && g->ent[g->names[k].entry].country == g->ent[be].country)
            same += w;
    }
    c->entry = be;
    c->conf = be == NO_ENTRY ? 0 : 1.0f / sum;
    c->country_conf = be == NO_ENTRY ? 0 : same / sum;
    if (be == NO_ENTRY)
        return false;
    uint16_t ci = g->ent[be].country;
    return p->ctx_sub[ci] > 0 || p->ctx_nat[ci] > 0 || p->ctx_actor[ci] > 0 ||
           (c->qual_head != SR_NONE && qualified(g, be, c->qual_head));
}

/* Should a resolved candidate be dropped as no place at all? */
static bool implausible(const sr_geoparser *p, const cand *c, bool supported)
{
    const geo_entry *en = &p->g->ent[c->entry];
    bool prominent = en->kind == GEO_K_COUNTRY || en->rank >= GEO_R_PPLC ||
                     (en->flags & GEO_EF_CURATED);
    if (c->speaker && !prominent)
        return true;   /* "Clinton said" */
    if (c->role == SR_PLACE_DATELINE || c->role == SR_PLACE_BASED || c->demonym)
        return false;
    if (en->flags & GEO_EF_COMMON && !prominent) {
        /* "Split", "Police", "Reading": at a sentence's start or in a
         * headline the capital proves nothing */
        if (c->sent_start && c->qual_head == SR_NONE && en->pop < 1000000)
            return true;
        if (!supported && c->qual_head == SR_NONE && !(c->locative && en->pop >= 100000))
            return true;
    }
    if (!prominent && en->kind == GEO_K_CITY && en->pop < 1000000 && !supported &&
        !c->locative && c->qual_head == SR_NONE)
        return true;   /* "Lincoln and Franklin": a town named like a person */
    return false;
}

static void fill_place(const sr_geo *g, uint32_t e, float conf, sr_place *pl)
{
    memset(pl, 0, sizeof *pl);
    const geo_entry *en = &g->ent[e];
    const geo_country *c = &g->cty[en->country];
    bool us = strcmp(c->iso2, "US") == 0;
    const char *cname = g->text.p + c->name;
    const char *name = g->text.p + en->name;
    pl->type = en->kind == GEO_K_COUNTRY ? SR_GEO_COUNTRY
             : en->kind == GEO_K_REGION ? (us ? SR_GEO_USSTATE : SR_GEO_WORLDSTATE)
             : (us ? SR_GEO_USCITY : SR_GEO_WORLDCITY);
    memcpy(pl->iso3, c->iso3, 4);
    memcpy(pl->iso2, c->iso2, 3);
    memcpy(pl->fips, c->fips, 3);
    /* the Gaza Strip is its own FIPS "country" in GDELT */
    if (strcmp(c->iso2, "PS") == 0 && en->lon < 34.6f && en->lat < 31.65f)
        memcpy(pl->fips, "GZ", 3);
    const char *adm1 = g->text.p + en->adm1;
    if (en->kind != GEO_K_COUNTRY && *adm1)
        snprintf(pl->adm1, sizeof pl->adm1, "%s%.5s", pl->fips[0] ? pl->fips : c->iso2, adm1);
    pl->lat = en->lat;
    pl->lon = en->lon;
    pl->confidence = conf;
    if (en->kind == GEO_K_COUNTRY) {
        snprintf(pl->name, sizeof pl->name, "%s", cname);
        snprintf(pl->feature_id, sizeof pl->feature_id, "%s", pl->fips[0] ? pl->fips : c->iso2);
    } else if (en->kind == GEO_K_REGION) {
        snprintf(pl->name, sizeof pl->name, "%s, %s", name, cname);
        snprintf(pl->feature_id, sizeof pl->feature_id, "%s", pl->adm1);
    } else {
        if (en->region != NO_ENTRY)
            snprintf(pl->name, sizeof pl->name, "%s, %s, %s", name,
                     g->text.p + g->ent[en->region].name, cname);
        else
            snprintf(pl->name, sizeof pl->name, "%s, %s", name, cname);
        if (en->geonameid)
            snprintf(pl->feature_id, sizeof pl->feature_id, "%u", en->geonameid);
        else
            snprintf(pl->feature_id, sizeof pl->feature_id, "%s", pl->adm1);
    }
}

static int iso3_index(const sr_geo *g, const char *code)
{
    if (strlen(code) < 3)
        return -1;
    int k = 0;
    for (int i = 0; i < 3; i++) {
        if (code[i] < 'A' || code[i] > 'Z')
            return -1;
        k = k * 26 + (code[i] - 'A');
    }
    return (int)g->iso3_idx[k] - 1;
}

sr_err sr_geo_find(sr_geoparser *p, const sr_textdoc *d, const sr_mention *ms, size_t nms,
                   const sr_place_mention **out, size_t *n)
{
    const sr_geo *g = p->g;
    p->nc = p->npm = 0;
    p->nregion = p->npersons = 0;
    memset(p->ctx_actor, 0, g->ncty * sizeof *p->ctx_actor);
    memset(p->ctx_nat, 0, g->ncty * sizeof *p->ctx_nat);
    memset(p->ctx_sub, 0, g->ncty * sizeof *p->ctx_sub);
    sr_err e = SR_OK;
    for (size_t si = 0; si < d->nsents && !e; si++)
        e = find_in_sentence(p, d, (uint32_t)si);
    if (e)
        return e;
    /* the actors' countries, unless they came from the place names
     * themselves: an actor that is a place name ("Tripoli" -> LBY by the
     * dictionary) or whose country the coder inferred from the sentence's
     * places ("the army ... near Tripoli" -> LBYMIL) is no evidence */
    for (size_t i = 0; i < nms; i++) {
        const sr_actor_ref *r[2] = { &ms[i].source, ms[i].has_target ? &ms[i].target : NULL };
        for (int k = 0; k < 2; k++) {
            if (!r[k] || r[k]->inferred)
                continue;
            int ci = iso3_index(g, r[k]->code);
            bool named = false;
            for (size_t j = 0; j < p->nc && !named && ci >= 0; j++) {
                uint32_t a = d->toks[p->c[j].tok_first].start;
                uint32_t b = d->toks[p->c[j].tok_first + p->c[j].tok_count - 1].end;
                named = a < r[k]->end && b > r[k]->start && !p->c[j].demonym;
            }
            if (ci >= 0 && !named)
                p->ctx_actor[ci] += 1;
        }
    }
    /* pass 1: what the document is surely about */
    for (size_t i = 0; i < p->nc; i++) {
        cand *c = &p->c[i];
        resolve(p, c, false);
        if (c->entry == NO_ENTRY || c->country_conf < 0.8f)
            continue;
        const geo_entry *en = &g->ent[c->entry];
        /* only what is a place without context may lend it ("Lincoln and
         * Franklin" must not vouch for each other) */
        bool sure = en->kind == GEO_K_COUNTRY || (en->flags & GEO_EF_CURATED) || c->locative ||
                    c->qual_head != SR_NONE || c->role == SR_PLACE_DATELINE ||
                    c->role == SR_PLACE_BASED || c->demonym || en->pop >= 1000000;
        if (!sure)
            continue;
        c->lent_country = en->country;
        if (en->kind == GEO_K_COUNTRY) {
            c->lent_nat = 1;
        } else if (!(en->flags & GEO_EF_COMMON) || !c->sent_start) {
            c->lent_sub = 1;
            uint32_t r = en->kind == GEO_K_REGION ? c->entry : en->region;
            if (r != NO_ENTRY && p->nregion < 64) {
                p->ctx_region_from[p->nregion] = (uint32_t)i;
                p->ctx_region[p->nregion++] = r;
            }
        }
        if (c->qual_head != SR_NONE)
            c->lent_sub += 1;
        p->ctx_nat[en->country] += c->lent_nat;
        p->ctx_sub[en->country] += c->lent_sub;
    }
    /* pass 2: with context */
    for (size_t i = 0; i < p->nc; i++) {
        cand *c = &p->c[i];
        /* a place does not vouch for itself */
        if (c->lent_country >= 0) {
            p->ctx_nat[c->lent_country] -= c->lent_nat;
            p->ctx_sub[c->lent_country] -= c->lent_sub;
        }
        bool supported = resolve(p, c, true);
        if (c->lent_country >= 0) {
            p->ctx_nat[c->lent_country] += c->lent_nat;
            p->ctx_sub[c->lent_country] += c->lent_sub;
        }
        c->drop = c->entry == NO_ENTRY || implausible(p, c, supported);
        if (c->drop)
            continue;
        if (p->npm >= SR_GEO_MAX_PLACES)
            break;
        if (sr_grow((void **)&p->pm, &p->cappm, p->npm + 1, sizeof *p->pm) != SR_OK)
            return SR_ENOMEM;
        sr_place_mention *pm = &p->pm[p->npm++];
        memset(pm, 0, sizeof *pm);
        pm->sentence = c->sentence;
        pm->tok_first = c->tok_first;
        pm->tok_count = c->tok_count;
        pm->start = d->toks[c->tok_first].start;
        pm->end = d->toks[c->tok_first + c->tok_count - 1].end;
        pm->role = c->role;
        fill_place(g, c->entry, c->conf, &pm->place);
    }
    *out = p->pm;
    *n = p->npm;
    return SR_OK;
}

/* ---- placing events ------------------------------------------------------------------ */

static bool inside(const sr_place_mention *pm, uint32_t a, uint32_t b)
{
    return b > a && pm->start >= a && pm->end <= b;
}

static bool says_here(const sr_textdoc *d, uint32_t si)
{
    const sr_sentence *s = &d->sents[si];
    for (uint32_t i = 0; i < s->tok_count; i++)
        if (fold_is(d, s->tok_first + i, "here"))
            return true;
    return false;
}

/* Where an actor spanning [a, b) is based, when the text says; NULL if not. */
static const sr_place_mention *actor_place(const sr_textdoc *d, const sr_place_mention *pm,
                                           size_t n, uint32_t si, uint32_t a, uint32_t b)
{
    const sr_place_mention *inner = NULL, *dem = NULL;
    if (b <= a)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const sr_place_mention *x = &pm[i];
        if (x->sentence != si || x->role == SR_PLACE_DATELINE)
            continue;
        if (x->role == SR_PLACE_BASED && (inside(x, a, b) || x->end <= a + 2 || x->start >= b))
            if (inside(x, a, b) || (x->end <= a && a - x->end <= 2))
                return x;   /* "the Benghazi-based LNA" */
        if (inside(x, a, b)) {
            if (x->role == SR_PLACE_DEMONYM) {
                if (!dem) dem = x;
            } else if (!inner) {
                inner = x;
            }
        }
        /* "officials in Benghazi", "commanders from Misrata" */
        if (x->start >= b && x->tok_first >= 1) {
            uint32_t prev = x->tok_first - 1;
            if (d->toks[prev].start >= b && (fold_is(d, prev, "in") || fold_is(d, prev, "from")) &&
                (prev == 0 || d->toks[prev - 1].end <= b + 1))
                if (!inner) inner = x;
        }
    }
    if (inner && inner->place.type != SR_GEO_COUNTRY)
        return inner;
    return inner ? inner : dem;
}

static void fill_unknown(sr_actor_ref *a, const sr_place *pl, bool *flag)
{
    if (strncmp(a->code, "---", 3) != 0 || strlen(a->code) <= 3 || !pl->iso3[0])
        return;
    memcpy(a->code, pl->iso3, 3);
    a->inferred = true;   /* the coder's own mark for a country not in the phrase */
    *flag = true;
}

sr_err sr_geo_place_mentions(sr_geoparser *p, const sr_textdoc *d, sr_mention *ms, size_t nms,
                             sr_event_geo *geo)
{
    const sr_place_mention *pm;
    size_t n;
    sr_err e = sr_geo_find(p, d, ms, nms, &pm, &n);
    if (e)
        return e;
    /* the lead: the first paragraph with running text */
    uint32_t lead = UINT32_MAX;
    for (size_t i = 0; i < d->nsents && lead == UINT32_MAX; i++)
        if (d->sents[i].kind == SR_UNIT_SENTENCE)
            lead = d->sents[i].para;
    uint32_t here_si = UINT32_MAX;
    bool here_said = false;
    for (size_t k = 0; k < nms; k++) {
        sr_mention *m = &ms[k];
        sr_event_geo *eg = &geo[k];
        memset(eg, 0, sizeof *eg);
        uint32_t si = m->sentence;
        /* the sentence's places: pm is in text order, so a range of it */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (pm[mid].sentence < si)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t first = lo;
        hi = first;
        while (hi < n && pm[hi].sentence == si)
            hi++;
        if (si != here_si) {
            here_si = si;
            here_said = si < d->nsents && says_here(d, si);
        }
        if (si < d->nsents)
            eg->in_lead = d->sents[si].para <= lead;
        uint32_t sa = m->source.start, sb = m->source.end;
        uint32_t ta = m->has_target ? m->target.start : 0, tb = m->has_target ? m->target.end : 0;
        const sr_place_mention *best = NULL;
        int best_rank = 99;
        uint32_t best_dist = UINT32_MAX;
        for (size_t i = first; i < hi; i++) {
            const sr_place_mention *x = &pm[i];
            int rank;
            bool in_actor = inside(x, sa, sb) || inside(x, ta, tb);
            if (x->role == SR_PLACE_DATELINE) {
                if (!here_said)
                    continue;
                rank = 5;
            } else if (x->role == SR_PLACE_DEMONYM) {
                rank = 4;
            } else if (x->role == SR_PLACE_BASED) {
                rank = 3;
            } else if (in_actor) {
                rank = 2;
            } else {
                bool loc = x->tok_first > d->sents[si].tok_first &&
                           fold_in(d, x->tok_first - 1, locatives);
                rank = loc ? 0 : 1;
            }
            uint32_t dist = x->start > m->verb_end ? x->start - m->verb_end
                          : m->verb_start > x->end ? m->verb_start - x->end : 0;
            if (rank < best_rank || (rank == best_rank && dist < best_dist)) {
                best = x;
                best_rank = rank;
                best_dist = dist;
            }
        }
        /* "here": the place the story was filed from (the splitter often
         * makes the dateline a sentence of its own) */
        if (here_said)
            for (size_t i = 0; i < n; i++)
                if (pm[i].role == SR_PLACE_DATELINE && pm[i].sentence <= si) {
                    best = &pm[i];
                    break;
                }
        if (best)
            eg->action = best->place;
        const sr_place_mention *a1 = actor_place(d, pm + first, hi - first, si, sa, sb);
        const sr_place_mention *a2 =
            m->has_target ? actor_place(d, pm + first, hi - first, si, ta, tb) : NULL;
        if (a1)
            eg->actor1 = a1->place;
        if (a2)
            eg->actor2 = a2->place;
        if (best) {
            fill_unknown(&m->source, &eg->action, &eg->source_inferred);
            if (m->has_target)
                fill_unknown(&m->target, &eg->action, &eg->target_inferred);
        }
    }
    return SR_OK;
}
