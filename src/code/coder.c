/*
 * coder.c - TABARI-style shallow event coding from raw text.
 *
 * PETRARCH coded from a constituency parse; TABARI coded from the word
 * sequence with dictionary patterns and a handful of syntactic heuristics.
 * sitrep follows TABARI because it must code ~100k sentences/s per core and
 * cannot afford a parser.  Per sentence:
 *
 *   1. discards: a sentence (or story) discard phrase drops it; a TABARI
 *      actor coded "###" discards it too, "+++" (or too many verbs or
 *      conjunctions, TABARI's COMPLEX option) leaves it uncoded;
 *   2. actors: longest dictionary matches (remembered per token), composed
 *      into noun phrases: country + agent ("Pakistani army chief",
 *      "Pakistan's Chief of Army Staff", "lawmakers in Fornost and Gondor"),
 *      appositive titles and names ("..., Field Marshal Asim Munir,"),
 *      parenthetical acronyms, compound lists ("Pakistan and Libya",
 *      "neither X nor Y"), pronouns (the sentence's subject; "they" the whole
 *      compound), and generic subjects ("analysts", "experts") that occupy
 *      the subject slot but never become an actor.  A titled person no
 *      dictionary knows is coded from country and title and reported;
 *   3. verbs: longest verb-form match at each token outside an actor; after
 *      an article ("the restore", "a brief visit") or in capitals outside a
 *      title-case line it is a noun; "expected to"/"plans to" only mark the
 *      next verb;
 *   4. clauses: conjunctions followed by a verb, ", X said" attributions and
 *      the clause after a verb of saying start new clauses; each clause is
 *      coded once, by its first verb that yields an event (TABARI: its first
 *      coded verb, even without actors);
 *   5. patterns: the verb's patterns (and those of the verbs it extends) are
 *      tried after a word-set filter drops those naming absent words; the
 *      heaviest match wins (literal words weigh more than set members);
 *      $ + % assign source and target; otherwise the source is the clause's
 *      first actor and the target the first actor after the verb in its
 *      clause, not past a comma ("by" + actor after a passive verb is the
 *      source); a story's main actors stand in for the missing side of an
 *      event noun ("a defence deal");
 *   6. modality: a negated verb yields a mention marked negated (never the
 *      event itself), "refused to X" is a rejection (12x), then future,
 *      hedged, reported, asserted - from words before the verb and
 *      attribution anywhere in the sentence.  A pattern that spells the
 *      negation out codes the negative event and is not negated.
 *
 * Memory: everything per sentence lives in fixed arrays inside sr_coder
 * (tokens are capped by SR_TEXT_MAX_TOKENS), so coding allocates only when
 * the output array of mentions grows.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "dict/dictset_impl.h"
#include "dict/match.h"

#define MAX_TOK   SR_TEXT_MAX_TOKENS
#define MAX_ENT   64
#define MAX_VERB  32
#define MAX_NAMES 128

enum { MEMO_ACTOR = 0, MEMO_AGENT = 1, MEMO_VERB = 2 };

/* Word classes, by lexicon id. */
enum {
    WC_DET = 1 << 0,      /* the, a, an, this, its ... (before a noun) */
    WC_PREP = 1 << 1,     /* of, in, with ... */
    WC_PRON = 1 << 2,     /* he, she, they, it, his ... */
    WC_BE = 1 << 3,       /* is, was, were, been, being, be, are */
    WC_NEG = 1 << 4,      /* not, n't, never, no */
    WC_REFUSE = 1 << 5,   /* refused, declined, rejected, failed */
    WC_FUTURE = 1 << 6,   /* will, shall, plans, expected, set, scheduled */
    WC_HEDGE = 1 << 7,    /* may, might, could, possibly, likely ... */
    WC_REPORT = 1 << 8,   /* reportedly, according, said, says, claimed */
    WC_GENERIC = 1 << 9,  /* analysts, experts, observers: not actors */
    WC_AND = 1 << 10,     /* and, as well as (compound joiner) */
    WC_PERSON_PRON = 1 << 11, /* he, she, his, her */
    WC_SAY = 1 << 12,     /* said, says, told: attribution verbs */
    WC_CONJ = 1 << 13,    /* and, but, or, while: may start a new clause */
    WC_ADV = 1 << 14,     /* then, also, later: between a conjunction and its verb */
    WC_HAVE = 1 << 15,    /* have, has, had: perfect auxiliaries */
};
/* Articles make a following verb form a noun ("the restore", "a visit");
 * kept apart from the word classes because it needs a 17th bit. */

typedef struct ent {
    uint16_t start, end;          /* tokens [start, end) */
    uint16_t name_start, name_end;/* unknown person's name tokens, if any */
    uint16_t title_start, title_end;
    char code[32];                /* "" = unresolved (generic subject...) */
    uint8_t group;                /* compound group id */
    uint8_t prep;                 /* preceded by a preposition */
    uint8_t pronoun;
    uint8_t known;
    uint8_t has_agent;
    int16_t ref;                  /* "they": the entity it stands for, or -1 */
} ent;

typedef struct verb_occ {
    uint16_t start, len, head;
    uint32_t verb;
    uint8_t noun_use;
    uint8_t of_actor;             /* event noun + "of" + its actor */
} verb_occ;

typedef struct name_mem {
    uint64_t last_id;             /* hash of the name's last word (folded):
                                     names are mostly not in the lexicon */
    char code[32];
} name_mem;

struct sr_coder {
    const sr_dictset *ds;
    uint16_t *wc;                 /* word classes by lexicon id */
    size_t nwc;
    uint32_t id_s, id_of, id_and, id_by, id_to, id_comma, id_lparen, id_rparen,
             id_both, id_with, id_according, id_said_is, id_that, id_from, id_in,
             id_the, id_a, id_an, id_nor, id_they, id_them, id_which, id_who;
    sr_tokview v[MAX_TOK];
    uint32_t memo_val[3][MAX_TOK];   /* memo_longest() results */
    uint16_t memo_len[3][MAX_TOK];
    uint8_t memo_done[MAX_TOK];
    uint64_t keyset[16];          /* build_keyset(): words present */
    uint8_t relative[MAX_TOK];    /* clause starts with ", which"/", who" */
    const sr_token *tk;           /* the sentence's tokens (in tkbuf) */
    sr_token tkbuf[MAX_TOK];
    const char *doc_text;         /* the document's original text */
    size_t n;
    uint8_t used[MAX_TOK];        /* token consumed by an actor */
    int16_t ent_at[MAX_TOK];      /* entity index covering the token, -1 */
    ent e[MAX_ENT];
    size_t ne;
    verb_occ vo[MAX_VERB];
    size_t nvo;
    name_mem names[MAX_NAMES];
    size_t nnames;
    char last_src[32];            /* previous sentence's source, for pronouns */
    char dyad[2][32];             /* the document's two main actors */
    uint32_t dyad_n[2];
    int32_t date;
    bool discard;                 /* sentence holds a "###" actor (TABARI) */
    bool keep_story;              /* next sr_code_doc continues this story */
    bool heading;                 /* the sentence is a heading line */
    bool complex;                 /* sentence too complex to code (TABARI) */
    sr_unknown_fn unknown_fn;
    void *unknown_ctx;
};

const char *sr_modality_name(sr_modality m)
{
    static const char *names[] = {"asserted", "reported", "hedged", "negated", "future"};
    return (unsigned)m < 5 ? names[m] : "asserted";
}

void sr_mentions_free(sr_mentions *m)
{
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}

void sr_coder_continue_story(sr_coder *c)
{
    c->keep_story = true;
}

void sr_coder_on_unknown(sr_coder *c, sr_unknown_fn fn, void *ctx)
{
    c->unknown_fn = fn;
    c->unknown_ctx = ctx;
}

static const struct { const char *w; uint16_t cls; } word_classes[] = {
    {"the", WC_DET}, {"a", WC_DET}, {"an", WC_DET}, {"this", WC_DET}, {"that", WC_DET},
    {"these", WC_DET}, {"those", WC_DET}, {"its", WC_DET | WC_PRON}, {"their", WC_DET | WC_PRON},
    {"his", WC_DET | WC_PRON | WC_PERSON_PRON}, {"her", WC_DET | WC_PRON | WC_PERSON_PRON},
    {"our", WC_DET}, {"any", WC_DET}, {"each", WC_DET}, {"every", WC_DET}, {"no", WC_DET},
    {"such", WC_DET}, {"another", WC_DET}, {"new", WC_DET}, {"further", WC_DET},
    {"of", WC_PREP}, {"in", WC_PREP}, {"with", WC_PREP}, {"to", WC_PREP}, {"for", WC_PREP},
    {"from", WC_PREP}, {"at", WC_PREP}, {"by", WC_PREP}, {"on", WC_PREP}, {"about", WC_PREP},
    {"against", WC_PREP}, {"between", WC_PREP}, {"among", WC_PREP}, {"toward", WC_PREP},
    {"towards", WC_PREP}, {"into", WC_PREP}, {"across", WC_PREP}, {"beyond", WC_PREP},
    {"including", WC_PREP}, {"over", WC_PREP}, {"under", WC_PREP}, {"through", WC_PREP},
    {"near", WC_PREP}, {"after", WC_PREP}, {"before", WC_PREP}, {"during", WC_PREP},
    {"like", WC_PREP}, {"than", WC_PREP}, {"via", WC_PREP}, {"within", WC_PREP},
    {"he", WC_PRON | WC_PERSON_PRON}, {"she", WC_PRON | WC_PERSON_PRON},
    {"him", WC_PRON | WC_PERSON_PRON}, {"them", WC_PRON},
    {"they", WC_PRON}, {"it", WC_PRON}, {"we", 0},
    {"is", WC_BE}, {"was", WC_BE}, {"were", WC_BE}, {"been", WC_BE}, {"being", WC_BE},
    {"be", WC_BE}, {"are", WC_BE},
    {"not", WC_NEG}, {"n't", WC_NEG}, {"never", WC_NEG}, {"cannot", WC_NEG},
    {"refused", WC_REFUSE}, {"refuses", WC_REFUSE}, {"refuse", WC_REFUSE},
    {"declined", WC_REFUSE}, {"declines", WC_REFUSE}, {"rejected", WC_REFUSE},
    {"failed", WC_REFUSE}, {"fails", WC_REFUSE},
    {"will", WC_FUTURE}, {"shall", WC_FUTURE}, {"plans", WC_FUTURE}, {"plan", WC_FUTURE},
    {"planned", WC_FUTURE}, {"planning", WC_FUTURE}, {"expected", WC_FUTURE},
    {"scheduled", WC_FUTURE}, {"intends", WC_FUTURE}, {"aims", WC_FUTURE},
    {"set", WC_FUTURE}, {"going", WC_FUTURE}, {"would", WC_HEDGE},
    {"may", WC_HEDGE}, {"might", WC_HEDGE}, {"could", WC_HEDGE}, {"can", WC_HEDGE},
    {"possible", WC_HEDGE}, {"possibly", WC_HEDGE}, {"likely", WC_HEDGE},
    {"perhaps", WC_HEDGE}, {"potential", WC_HEDGE}, {"potentially", WC_HEDGE},
    {"should", WC_HEDGE}, {"if", WC_HEDGE},
    {"reportedly", WC_REPORT}, {"according", WC_REPORT}, {"allegedly", WC_REPORT},
    {"said", WC_REPORT | WC_SAY}, {"says", WC_REPORT | WC_SAY}, {"say", WC_REPORT | WC_SAY},
    {"told", WC_REPORT | WC_SAY}, {"claimed", WC_REPORT | WC_SAY}, {"claim", WC_REPORT | WC_SAY},
    {"claims", WC_REPORT | WC_SAY}, {"reported", WC_REPORT | WC_SAY},
    {"stated", WC_REPORT | WC_SAY}, {"alleged", WC_REPORT}, {"purportedly", WC_REPORT},
    {"supposedly", WC_REPORT}, {"believed", WC_REPORT}, {"note", WC_REPORT},
    {"analysts", WC_GENERIC}, {"analyst", WC_GENERIC}, {"experts", WC_GENERIC},
    {"expert", WC_GENERIC}, {"observers", WC_GENERIC}, {"observer", WC_GENERIC},
    {"critics", WC_GENERIC}, {"proponents", WC_GENERIC}, {"commentators", WC_GENERIC},
    {"sources", WC_GENERIC}, {"source", WC_GENERIC}, {"people", WC_GENERIC},
    {"some", WC_GENERIC}, {"many", WC_GENERIC}, {"others", WC_GENERIC},
    {"and", WC_AND | WC_CONJ}, {"but", WC_CONJ}, {"or", WC_CONJ}, {"while", WC_CONJ},
    {"whereas", WC_CONJ}, {";", WC_CONJ}, {"nor", WC_CONJ},
    {"then", WC_ADV}, {"also", WC_ADV}, {"later", WC_ADV}, {"again", WC_ADV},
    {"subsequently", WC_ADV}, {"have", WC_HAVE}, {"has", WC_HAVE}, {"had", WC_HAVE},
};

sr_coder *sr_coder_new(const sr_dictset *ds)
{
    sr_coder *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->ds = ds;
    sr_lexicon *lex = ds->lex;
    size_t nw = sizeof word_classes / sizeof word_classes[0];
    uint32_t ids[sizeof word_classes / sizeof word_classes[0]];
    uint32_t maxid = 0;
    for (size_t i = 0; i < nw; i++) {
        ids[i] = sr_lexicon_intern(lex, word_classes[i].w, strlen(word_classes[i].w));
        if (ids[i] > maxid)
            maxid = ids[i];
    }
    c->id_s = sr_lexicon_intern(lex, "'s", 2);
    c->id_of = sr_lexicon_intern(lex, "of", 2);
    c->id_and = sr_lexicon_intern(lex, "and", 3);
    c->id_by = sr_lexicon_intern(lex, "by", 2);
    c->id_to = sr_lexicon_intern(lex, "to", 2);
    c->id_comma = sr_lexicon_intern(lex, ",", 1);
    c->id_lparen = sr_lexicon_intern(lex, "(", 1);
    c->id_rparen = sr_lexicon_intern(lex, ")", 1);
    c->id_both = sr_lexicon_intern(lex, "both", 4);
    c->id_with = sr_lexicon_intern(lex, "with", 4);
    c->id_according = sr_lexicon_intern(lex, "according", 9);
    c->id_that = sr_lexicon_intern(lex, "that", 4);
    c->id_from = sr_lexicon_intern(lex, "from", 4);
    c->id_in = sr_lexicon_intern(lex, "in", 2);
    c->id_the = sr_lexicon_intern(lex, "the", 3);
    c->id_a = sr_lexicon_intern(lex, "a", 1);
    c->id_an = sr_lexicon_intern(lex, "an", 2);
    c->id_nor = sr_lexicon_intern(lex, "nor", 3);
    c->id_they = sr_lexicon_intern(lex, "they", 4);
    c->id_them = sr_lexicon_intern(lex, "them", 4);
    c->id_which = sr_lexicon_intern(lex, "which", 5);
    c->id_who = sr_lexicon_intern(lex, "who", 3);
    c->nwc = (size_t)maxid + 1;
    c->wc = calloc(c->nwc, sizeof *c->wc);
    if (!c->wc) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < nw; i++)
        if (ids[i])
            c->wc[ids[i]] |= word_classes[i].cls;
    return c;
}

void sr_coder_free(sr_coder *c)
{
    if (!c)
        return;
    free(c->wc);
    free(c);
}

static inline uint16_t wclass(const sr_coder *c, size_t i)
{
    uint32_t id = c->v[i].id;
    return id < c->nwc ? c->wc[id] : 0;
}

static inline bool tok_is(const sr_coder *c, size_t i, uint32_t id)
{
    return i < c->n && c->v[i].id == id && id != 0;
}

static inline bool is_article(const sr_coder *c, size_t i)
{
    return i < c->n && c->v[i].id &&
           (c->v[i].id == c->id_the || c->v[i].id == c->id_a || c->v[i].id == c->id_an);
}

static inline bool is_cap_word(const sr_coder *c, size_t i)
{
    return i < c->n && c->tk[i].kind == SR_TOK_WORD && (c->tk[i].flags & SR_TOKF_CAP);
}

/* ---- codes ------------------------------------------------------------------ */

static bool code_is_null(const char *code)
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
        c->memo_len[k][i] = (uint16_t)l;
        c->memo_done[i] |= (uint8_t)(1u << k);
    }
    *len = c->memo_len[k][i];
    return c->memo_val[k][i];
}

static uint32_t actor_at(sr_coder *c, size_t i, size_t *len, const char **code)
{
    uint32_t a = memo_longest(c, MEMO_ACTOR, i, len);
    *code = NULL;
    if (a != SR_NONE)
        *code = sr_ds_actor_pick(c->ds, a, c->date);
    return a;
}

static uint32_t agent_at(sr_coder *c, size_t i, size_t *len)
{
    return memo_longest(c, MEMO_AGENT, i, len);
}

static uint32_t verb_at(sr_coder *c, size_t i, size_t *len)
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
        if (actor_at(c, i + k, &len, &code) != SR_NONE && len > 0)
            break;
        if (agent_at(c, i + k, &len) != SR_NONE && len > 0)
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
        uint32_t a = actor_at(c, p, &len, &code);
        size_t glen;
        uint32_t g = agent_at(c, p, &glen);
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
            if (!st->actor && (tok_is(c, p, c->id_of) || tok_is(c, p, c->id_from) ||
                               tok_is(c, p, c->id_in))) {
                size_t q = p + 1;
                if (q < c->n && (wclass(c, q) & WC_DET))
                    q++;
                if (actor_at(c, q, &len, &code) != SR_NONE && len > 0) {
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
                       actor_at(c, p, &len, &code) != SR_NONE && len > 0) {
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
            uint32_t g2 = agent_at(c, q, &glen);
            if (g2 != SR_NONE && glen > 0) {
                size_t nl = name_at(c, q + glen);
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
                    actor_at(c, q + glen, &al, &acode) != SR_NONE && al > 0) {
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
            uint32_t g2 = agent_at(c, p + 1, &glen);
            const char *code2;
            size_t al;
            if (g2 != SR_NONE && glen > 0 &&
                !(actor_at(c, p + 1, &al, &code2) != SR_NONE && al >= glen)) {
                /* two titles of one person ("..., Field Marshal Asim Munir")
                 * or two bodies of one country ("Danish media and
                 * government": DNKMED and DNKGOV) */
                size_t after = p + 1 + glen;
                bool person = st->name_end > 0 || name_at(c, after) > 0 ||
                              tok_is(c, after, c->id_comma) ||
                              (is_cap_word(c, after) && actor_at(c, after, &al, &code2) != SR_NONE);
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
                   verb_at(c, q, &len) == SR_NONE) {
                if (agent_at(c, q, &glen) != SR_NONE && glen > 0)
                    break;
                q++;
                adj++;
            }
            if (q < c->n && q > p && agent_at(c, q, &glen) != SR_NONE && glen > 0) {
                p = q;
                continue;
            }
        }
        break;
    }
    return p;
}

static void add_entity(sr_coder *c, size_t s, size_t e, const char *code, bool known)
{
    if (c->ne >= MAX_ENT || e <= s)
        return;
    ent *x = &c->e[c->ne];
    memset(x, 0, sizeof *x);
    x->start = (uint16_t)s;
    x->end = (uint16_t)e;
    snprintf(x->code, sizeof x->code, "%s", code ? code : "");
    x->known = known;
    x->ref = -1;
    x->group = (uint8_t)c->ne;
    /* governed by a preposition? look back over determiners/adjectives */
    size_t b = s;
    int back = 0;
    while (b > 0 && back < 3) {
        uint16_t w = wclass(c, b - 1);
        if (w & WC_PREP) {
            x->prep = 1;
            break;
        }
        if (!(w & WC_DET) && (c->tk[b - 1].kind != SR_TOK_WORD ||
                              (c->tk[b - 1].flags & SR_TOKF_CAP)))
            break;
        if (!(w & WC_DET) && verb_at(c, b - 1, &(size_t){0}) != SR_NONE)
            break;
        b--;
        back++;
    }
    for (size_t i = s; i < e && i < c->n; i++)
        c->ent_at[i] = (int16_t)c->ne;
    c->ne++;
}

static void find_entities(sr_coder *c, uint32_t sentence, size_t sent_start_byte)
{
    (void)sent_start_byte;
    c->ne = 0;
    for (size_t i = 0; i < c->n; i++)
        c->ent_at[i] = -1;
    size_t i = 0;
    while (i < c->n) {
        size_t len, glen;
        const char *code;
        uint32_t a = actor_at(c, i, &len, &code);
        uint32_t g = agent_at(c, i, &glen);
        uint16_t w = wclass(c, i);
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
                snprintf(out, sizeof out, "%s", st.actor);
            else if (st.agent != SR_NONE && st.name_end > st.name_start) {
                /* a title and a name with no country: a person seen earlier */
                const char *mem = recall_name(c, st.name_end - 1);
                if (mem)
                    snprintf(out, sizeof out, "%s", mem);
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
            if (code_is_null(out) || strcmp(out, "+++") == 0 ||
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
            add_entity(c, i, end, out, known);
            if (c->ne > 0 && c->e[c->ne - 1].start == i) {
                ent *x = &c->e[c->ne - 1];
                x->has_agent = st.agent != SR_NONE;
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
                uint32_t g2 = agent_at(c, q, &gl);
                if (g2 != SR_NONE && gl > 0) {
                    char more[32];
                    compose(more, st.actor, c->ds, g2);
                    size_t owner = c->ne - 1;
                    add_entity(c, q, q + gl, code_is_null(more) ? "" : more, true);
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
                if (actor_at(c, q, &al, &acode) == SR_NONE || al == 0 || !acode)
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
                add_entity(c, q, q + al, code_is_null(more) ? "" : more, true);
                c->e[c->ne - 1].group = c->e[owner].group;
                c->e[c->ne - 1].has_agent = 1;
                end = q + al;
            }
            i = end;
            continue;
        }
        if (w & WC_GENERIC) {
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
        if (tok_is(c, i, c->id_both) && i + 1 < c->n && c->tk[i + 1].kind == SR_TOK_WORD &&
            (strncmp(c->v[i + 1].fold, "sides", 5) == 0 ||
             strncmp(c->v[i + 1].fold, "countries", 9) == 0 ||
             strncmp(c->v[i + 1].fold, "parties", 7) == 0) &&
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
                uint16_t wq = wclass(c, q);
                size_t vl;
                ok = c->tk[q].kind == SR_TOK_WORD && (!wq || wq == WC_DET) &&
                     verb_at(c, q, &vl) == SR_NONE;
            }
            joined = ok;
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
}

/* ---- verbs and patterns ------------------------------------------------------ */

static void find_verbs(sr_coder *c)
{
    c->nvo = 0;
    /* in a title-case line ("Pakistan Signs Defence Deal") capitals say
     * nothing about nouns */
    size_t words = 0, caps = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->tk[i].kind == SR_TOK_WORD) {
            words++;
            caps += (c->tk[i].flags & SR_TOKF_CAP) != 0;
        }
    bool title_case = words >= 3 && caps * 10 >= words * 6;
    for (size_t i = 0; i < c->n && c->nvo < MAX_VERB; i++) {
        if (c->ent_at[i] >= 0 || c->tk[i].kind != SR_TOK_WORD)
            continue;
        size_t len;
        uint32_t f = verb_at(c, i, &len);
        if (f == SR_NONE || len == 0)
            continue;
        const sr_verb_form *vf = &c->ds->forms[f];
        bool noun = i > 0 && is_article(c, i - 1);
        if (i > 0 && tok_is(c, i - 1, c->id_s))
            noun = true;   /* "Pakistan's visit" */
        /* "a brief private visit": a determiner, then adjectives */
        for (size_t b = i, back = 0; !noun && b > 0 && back < 3; b--, back++) {
            size_t q = b - 1;
            uint16_t wq = wclass(c, q);
            if (is_article(c, q) && back > 0) {
                noun = true;
                break;
            }
            if (c->tk[q].kind != SR_TOK_WORD || wq || c->ent_at[q] >= 0 ||
                (c->tk[q].flags & SR_TOKF_CAP))
                break;
            size_t vl;
            if (verb_at(c, q, &vl) != SR_NONE)
                break;
        }
        /* "the visit of Pakistan's army chief to Libya": an event noun
         * whose actors follow it is coded like its verb (outside TABARI,
         * which codes verbs only) */
        bool of_actor = noun && !c->ds->opts.first_verb_only && tok_is(c, i + len, c->id_of) &&
                        i + len + 1 < c->n && c->ent_at[i + len + 1] >= 0;
        /* "donate's cash": a possessive is a noun */
        if (i + len < c->n && c->tk[i + len].kind == SR_TOK_POSSESSIVE)
            noun = true;
        if (noun && vf->len < 2 && !of_actor) {
            i += len - 1;
            continue;
        }
        /* "To Restore" in running text: a title or name, not a verb */
        if ((c->tk[i].flags & SR_TOKF_CAP) && !(c->tk[i].flags & SR_TOKF_SENT_START) &&
            !(c->tk[i].flags & SR_TOKF_ALLCAPS) && i > 0 && !title_case) {
            i += len - 1;
            continue;
        }
        /* "is expected to visit", "plans to sign": the modal verb only
         * marks the next one as future or hedged */
        if (vf->len < 2 && (wclass(c, i) & (WC_FUTURE | WC_HEDGE)) && tok_is(c, i + 1, c->id_to))
            continue;
        /* "is said to have signed": attribution, not a statement */
        if (vf->len < 2 && (wclass(c, i) & WC_SAY) && i > 0 && (wclass(c, i - 1) & WC_BE) &&
            tok_is(c, i + 1, c->id_to))
            continue;
        verb_occ *o = &c->vo[c->nvo++];
        o->of_actor = of_actor;
        o->start = (uint16_t)i;
        o->len = (uint16_t)len;
        o->head = (uint16_t)(i + vf->head);
        o->verb = vf->verb;
        o->noun_use = noun;
        i += len - 1;
    }
}

typedef struct pat_result {
    int src, tgt;           /* entity indexes or -1 */
    bool compound;
    int lo, hi;             /* token extent of the matched pattern */
} pat_result;

/* Nearest entity whose end is <= pos (scanning left), or -1. */
static int ent_before(const sr_coder *c, int pos)
{
    for (int k = (int)c->ne - 1; k >= 0; k--)
        if (c->e[k].end <= pos)
            return k;
    return -1;
}

static int ent_after(const sr_coder *c, int pos)
{
    for (size_t k = 0; k < c->ne; k++)
        if (c->e[k].start >= pos)
            return (int)k;
    return -1;
}

/* Try one pattern element list in one direction.  pos is the first token to
 * look at (dir +1) or the token just left of where to look (dir -1).
 * Returns false if some element is not found. */
static bool match_side(sr_coder *c, const sr_pat_elem *el, int nel, int pos, int dir,
                       pat_result *r, int *extent)
{
    int p = pos;              /* next token to examine */
    for (int k = 0; k < nel; k++) {
        const sr_pat_elem *e = &el[k];
        bool adj = e->adjacent || k == 0 ? e->adjacent : false;
        int limit = adj ? 1 : 12;   /* how far a word may be from the last */
        bool found = false;
        if (e->kind == SR_PE_SKIP) {
            /* "^": skip one noun phrase - an actor, or words up to the
             * next preposition, punctuation or actor */
            if (dir > 0) {
                int q = p;
                /* "with the leaders of Gondor": a preposition, determiners,
                 * the head and its "of" complement */
                if (q < (int)c->n && (wclass(c, (size_t)q) & WC_PREP) && c->ent_at[q] < 0)
                    q++;
                while (q < (int)c->n && (wclass(c, (size_t)q) & WC_DET))
                    q++;
                if (q < (int)c->n && c->ent_at[q] >= 0) {
                    p = c->e[c->ent_at[q]].end;
                } else {
                    int stop = q;
                    while (stop < (int)c->n && stop < q + 6 && c->ent_at[stop] < 0 &&
                           c->tk[stop].kind == SR_TOK_WORD && !(wclass(c, (size_t)stop) & WC_PREP))
                        stop++;
                    if (stop == q)
                        return false;
                    p = stop;
                    if (tok_is(c, (size_t)p, c->id_of) && p + 1 < (int)c->n && c->ent_at[p + 1] >= 0)
                        p = c->e[c->ent_at[p + 1]].end;
                }
            } else {
                int q = p;
                /* "hosting Osgiliath to celebrate": the nearest actor
                 * within a few words */
                for (int back = 0; back < 2 && q - back >= 0 && c->ent_at[q] < 0; back++)
                    if (c->ent_at[q - back] >= 0 && c->tk[q].kind == SR_TOK_WORD) {
                        q -= back;
                        break;
                    }
                if (q >= 0 && c->ent_at[q] >= 0) {
                    p = c->e[c->ent_at[q]].start - 1;
                } else {
                    int stop = q;
                    while (stop >= 0 && stop > q - 6 && c->ent_at[stop] < 0 &&
                           c->tk[stop].kind == SR_TOK_WORD && !(wclass(c, (size_t)stop) & WC_PREP))
                        stop--;
                    if (stop == q)
                        return false;
                    p = stop;
                }
            }
            continue;
        }
        if (e->kind == SR_PE_SOURCE || e->kind == SR_PE_TARGET || e->kind == SR_PE_COMPOUND) {
            int x = dir > 0 ? ent_after(c, p) : ent_before(c, p + 1);
            /* an uncoded noun phrase ("state media") is not an actor; but
             * as a source it still blocks ("Analysts say ...") */
            while (e->kind == SR_PE_TARGET && x >= 0 && !c->e[x].code[0])
                x = dir > 0 ? (x + 1 < (int)c->ne ? x + 1 : -1) : x - 1;
            if (x < 0)
                return false;
            int dist = dir > 0 ? c->e[x].start - p : p + 1 - c->e[x].end;
            if (dist > (adj ? 1 : 12))
                return false;
            if (e->kind == SR_PE_SOURCE)
                r->src = x;
            else if (e->kind == SR_PE_TARGET)
                r->tgt = x;
            else {
                r->src = x;
                r->compound = true;
            }
            p = dir > 0 ? c->e[x].end : c->e[x].start - 1;
            continue;
        }
        for (int step = 0; step < limit; step++) {
            int q = p + dir * step;
            if (q < 0 || q >= (int)c->n)
                break;
            if (e->kind == SR_PE_WORD) {
                if (sr_ds_key_match(c->ds, &c->v[q], e->key)) {
                    found = true;
                    p = q + dir;
                    break;
                }
            } else if (e->kind == SR_PE_SYNSET) {
                size_t len;
                if (dir > 0 && sr_ds_synset_at(c->ds, e->key, c->v, c->n, (size_t)q, &len)) {
                    found = true;
                    p = q + (int)len;
                    break;
                }
                if (dir < 0) {
                    /* a synset phrase ending at q: try starts q-3..q */
                    for (int s = q; s >= 0 && s > q - 4; s--)
                        if (sr_ds_synset_at(c->ds, e->key, c->v, c->n, (size_t)s, &len) &&
                            s + (int)len - 1 == q) {
                            found = true;
                            p = s - 1;
                            break;
                        }
                    if (found)
                        break;
                }
            }
        }
        if (!found)
            return false;
    }
    *extent = p;
    return true;
}

/* The sentence's words and stems as a 1024-bit set, so a pattern naming a
 * word the sentence lacks is dropped without being matched (most of the
 * hundreds of patterns a common verb has). */
static inline uint32_t key_bit(uint32_t k)
{
    return (k * 0x9E3779B1u) >> 22;
}

static void build_keyset(sr_coder *c)
{
    memset(c->keyset, 0, sizeof c->keyset);
    for (size_t i = 0; i < c->n; i++) {
        sr_tokview *v = &c->v[i];
        if (v->id) {
            uint32_t b = key_bit(v->id);
            c->keyset[b >> 6] |= 1ull << (b & 63);
        }
        sr_ds_token_stems(c->ds, v);
        for (uint8_t k = 0; k < v->nstems; k++) {
            uint32_t b = key_bit(v->stems[k]);
            c->keyset[b >> 6] |= 1ull << (b & 63);
        }
    }
}

static bool pattern_possible(const sr_coder *c, const sr_pattern *pt)
{
    const sr_pat_elem *el = &c->ds->pelems[pt->elem];
    for (int k = 0; k < pt->npre + pt->npost; k++) {
        if (el[k].kind != SR_PE_WORD)
            continue;
        uint32_t b = key_bit(el[k].key);
        if (!(c->keyset[b >> 6] & (1ull << (b & 63))))
            return false;
    }
    return true;
}

static bool try_pattern(sr_coder *c, const sr_pattern *pt, const verb_occ *o, pat_result *r)
{
    const sr_pat_elem *el = &c->ds->pelems[pt->elem];
    r->src = r->tgt = -1;
    if (!pattern_possible(c, pt))
        return false;
    r->compound = false;
    int lo = o->start, hi = o->start + o->len;
    if (pt->npre && !match_side(c, el, pt->npre, o->start - 1, -1, r, &lo))
        return false;
    if (pt->npost && !match_side(c, el + pt->npre, pt->npost, o->start + o->len, +1, r, &hi))
        return false;
    r->lo = lo;
    r->hi = hi;
    return true;
}

/* ---- modality ------------------------------------------------------------------ */

typedef enum { NEG_NONE, NEG_PLAIN, NEG_REFUSE } neg_kind;

static sr_modality modality_for(sr_coder *c, const verb_occ *o, neg_kind *neg,
                                bool reported_sentence, int lo)
{
    *neg = NEG_NONE;
    int negpos = -1;
    bool fut = false, hedge = false;
    /* the verb's auxiliaries: up to 4 tokens back, stopping at an actor or
     * punctuation */
    for (int k = (int)o->start - 1, steps = 0; k >= 0 && steps < 5; k--, steps++) {
        if (c->ent_at[k] >= 0 || c->tk[k].kind == SR_TOK_PUNCT)
            break;
        uint16_t w = wclass(c, (size_t)k);
        if (w & WC_NEG) {
            *neg = NEG_PLAIN;
            negpos = k;
        }
        if (w & WC_REFUSE) {
            *neg = NEG_REFUSE;
            negpos = k;
        }
        if (w & WC_FUTURE)
            fut = true;
        if (w & WC_HEDGE)
            hedge = true;
    }
    /* a pattern that spells the negation out ("- HAS NOT * [121]") codes
     * the negative event itself: nothing is negated any more */
    if (*neg != NEG_NONE && negpos >= lo)
        *neg = NEG_NONE;
    if (*neg == NEG_PLAIN)
        return SR_MOD_NEGATED;   /* a refusal is itself asserted (coded 12x) */
    if (fut)
        return SR_MOD_FUTURE;
    if (hedge)
        return SR_MOD_HEDGED;
    if (reported_sentence)
        return SR_MOD_REPORTED;
    return SR_MOD_ASSERTED;
}

static bool sentence_reported(sr_coder *c)
{
    for (size_t i = 0; i < c->n; i++) {
        uint16_t w = wclass(c, i);
        if (!(w & WC_REPORT))
            continue;
        if (tok_is(c, i, c->id_according) && !tok_is(c, i + 1, c->id_to))
            continue;
        return true;
    }
    return false;
}

/* ---- output ---------------------------------------------------------------------- */

static void ent_span(const sr_coder *c, const ent *x, uint32_t *s, uint32_t *e)
{
    *s = c->tk[x->start].start;
    *e = c->tk[x->end - 1].end;
}

static sr_err emit(sr_coder *c, sr_mentions *out, uint32_t sentence, const ent *src,
                   const ent *tgt, const char *code, sr_modality mod, const verb_occ *o,
                   const char *issues)
{
    if (!src || !src->code[0] || code_is_null(code))
        return SR_OK;
    if (tgt && (!tgt->code[0] || strcmp(tgt->code, src->code) == 0))
        return SR_OK;
    if (!tgt && !c->ds->opts.allow_no_target)
        return SR_OK;   /* TABARI codes an event only with both actors */
    for (size_t i = 0; i < out->n; i++) {
        const sr_mention *m = &out->v[i];
        if (m->sentence == sentence && strcmp(m->source.code, src->code) == 0 &&
            strcmp(m->target.code, tgt ? tgt->code : "") == 0 && strcmp(m->cameo, code) == 0)
            return SR_OK;
    }
    if (sr_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))
        return SR_ENOMEM;
    sr_mention *m = &out->v[out->n++];
    memset(m, 0, sizeof *m);
    m->sentence = sentence;
    snprintf(m->source.code, sizeof m->source.code, "%s", src->code);
    ent_span(c, src, &m->source.start, &m->source.end);
    m->source.known = src->known || src->name_end == 0;
    m->has_target = tgt != NULL;
    if (tgt) {
        snprintf(m->target.code, sizeof m->target.code, "%s", tgt->code);
        ent_span(c, tgt, &m->target.start, &m->target.end);
        m->target.known = tgt->known || tgt->name_end == 0;
    }
    snprintf(m->cameo, sizeof m->cameo, "%s", code);
    m->modality = mod;
    m->verb_start = c->tk[o->start].start;
    m->verb_end = c->tk[o->start + o->len - 1].end;
    snprintf(m->issues, sizeof m->issues, "%s", issues);
    sr_mention_fill_codebook(c->ds, m);
    return SR_OK;
}

static sr_err emit_groups(sr_coder *c, sr_mentions *out, uint32_t sentence, int s, int t,
                          const char *code, const char *code2, sr_modality mod,
                          const verb_occ *o, const char *issues)
{
    sr_err err = SR_OK;
    for (size_t a = 0; a < c->ne && !err; a++) {
        if (c->e[a].group != c->e[s].group)
            continue;
        if (t < 0) {
            err = emit(c, out, sentence, &c->e[a], NULL, code, mod, o, issues);
            continue;
        }
        for (size_t b = 0; b < c->ne && !err; b++) {
            if (c->e[b].group != c->e[t].group || a == b)
                continue;
            err = emit(c, out, sentence, &c->e[a], &c->e[b], code, mod, o, issues);
            if (!err && code2)
                err = emit(c, out, sentence, &c->e[b], &c->e[a], code2, mod, o, issues);
        }
    }
    return err;
}

static void sentence_issues(sr_coder *c, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (!c->ds->nissue)
        return;
    size_t w = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t len;
        uint32_t x = sr_ds_longest(c->ds, &c->ds->issues, c->v, c->n, i, &len);
        if (x == SR_NONE)
            continue;
        const sr_issue *is = &c->ds->issue[x];
        if (is->negative) {
            i += len - 1;
            continue;
        }
        const char *code = sr_ds_pool(c->ds, is->code);
        if (strstr(buf, code))
            continue;
        int k = snprintf(buf + w, cap - w, "%s%s", w ? "," : "", code);
        if (k < 0 || (size_t)k >= cap - w) {
            buf[w] = '\0';
            break;
        }
        w += (size_t)k;
        i += len - 1;
    }
}

static void note_dyad(sr_coder *c, const char *code)
{
    if (!code[0])
        return;
    char root[4];
    snprintf(root, sizeof root, "%s", code);
    for (int k = 0; k < 2; k++)
        if (strcmp(c->dyad[k], root) == 0) {
            c->dyad_n[k]++;
            return;
        }
    if (!c->dyad[0][0]) {
        snprintf(c->dyad[0], sizeof c->dyad[0], "%s", root);
        c->dyad_n[0] = 1;
    } else if (!c->dyad[1][0]) {
        snprintf(c->dyad[1], sizeof c->dyad[1], "%s", root);
        c->dyad_n[1] = 1;
    }
}

/* An entity standing for the document's main actor k (0 or 1), placed on
 * the verb phrase that implies it; -1 if there is no room. */
static int dyad_entity(sr_coder *c, const verb_occ *o, int k)
{
    if (c->ne >= MAX_ENT || !c->dyad[k][0])
        return -1;
    ent *x = &c->e[c->ne];
    memset(x, 0, sizeof *x);
    x->start = o->start;
    x->end = (uint16_t)(o->start + o->len);
    memcpy(x->code, c->dyad[k], sizeof c->dyad[k] < sizeof x->code ? sizeof c->dyad[k] : sizeof x->code);
    x->code[sizeof x->code - 1] = '\0';
    x->ref = -1;
    x->group = (uint8_t)c->ne;
    x->pronoun = 1;
    return (int)c->ne++;
}

/* "Gollum, centre of a row between Radagast and Gandalf, called on ...":
 * the actor before a comma-enclosed appositive is the subject, not the
 * actors inside it. */
static int appositive_subject(const sr_coder *c, int verb)
{
    int j = verb - 1;
    while (j >= 0 && (wclass(c, (size_t)j) & (WC_ADV | WC_FUTURE | WC_HEDGE | WC_NEG | WC_BE)))
        j--;
    if (j < 2 || !tok_is(c, (size_t)j, c->id_comma))
        return -1;
    for (int k = j - 1; k > 0 && k > j - 24; k--) {
        if (!tok_is(c, (size_t)k, c->id_comma))
            continue;
        int x = c->ent_at[k - 1];
        if (x < 0 || c->e[x].prep)
            return -1;
        for (size_t v = 0; v < c->nvo; v++)
            if (c->vo[v].start > k && c->vo[v].start < j && !c->vo[v].noun_use)
                return -1;
        return x;
    }
    return -1;
}

/* "complete, full diplomatic ties": a comma between two plain lower-case
 * words lists adjectives and does not end the phrase */
static bool adjective_comma(sr_coder *c, size_t q)
{
    if (q == 0 || q + 1 >= c->n)
        return false;
    for (size_t k = q - 1; k <= q + 1; k += 2) {
        size_t vl;
        if (c->tk[k].kind != SR_TOK_WORD || (c->tk[k].flags & SR_TOKF_CAP) || wclass(c, k) ||
            c->ent_at[k] >= 0 || verb_at(c, k, &vl) != SR_NONE)
            return false;
    }
    return true;
}

/* ---- clauses ---------------------------------------------------------------------- */

/* Is the conjunction at i the start of a new clause?  It is when a verb
 * follows it (after adverbs, auxiliaries and perhaps a new subject) and it
 * does not join two actors of one compound ("Gondor and Osgiliath"). */
static bool clause_break(const sr_coder *c, size_t i, const uint8_t *verb_at)
{
    if (i > 0 && i + 1 < c->n && c->ent_at[i - 1] >= 0 && c->ent_at[i + 1] >= 0 &&
        c->e[c->ent_at[i - 1]].group == c->e[c->ent_at[i + 1]].group)
        return false;
    size_t j = i + 1;
    int steps = 0;
    bool subject = false;     /* a new actor follows the conjunction */
    while (j < c->n && steps++ < 8) {
        if (verb_at[j])
            return true;
        if (c->ent_at[j] >= 0) {
            j = c->e[c->ent_at[j]].end;
            subject = true;
            continue;
        }
        uint16_t w = wclass(c, j);
        if (w & (WC_ADV | WC_FUTURE | WC_HEDGE | WC_NEG | WC_BE | WC_REFUSE | WC_HAVE)) {
            j++;
            continue;
        }
        if (c->tk[j].kind == SR_TOK_PUNCT && tok_is(c, j, c->id_comma)) {
            j++;
            continue;
        }
        /* "and then it requested that Elrond assist": after a new subject
         * the words of its clause may come before a dictionary verb */
        if (subject && c->tk[j].kind == SR_TOK_WORD && !(w & WC_CONJ)) {
            j++;
            continue;
        }
        return false;
    }
    return false;
}

/* ", a senior Bree official said ...": a comma, a noun phrase holding an
 * actor, then its verb starts a clause of its own (attribution). */
static bool comma_clause(const sr_coder *c, size_t i, const uint8_t *verb_at)
{
    size_t j = i + 1;
    for (int k = 0; k < 3 && j < c->n && c->ent_at[j] < 0; k++, j++) {
        if (verb_at[j] || c->tk[j].kind != SR_TOK_WORD ||
            (wclass(c, j) & ~(WC_DET | WC_ADV)) != 0)
            return false;
    }
    if (j >= c->n || c->ent_at[j] < 0)
        return false;
    if (i > 0 && c->ent_at[i - 1] >= 0 && c->e[c->ent_at[i - 1]].group == c->e[c->ent_at[j]].group)
        return false;
    j = c->e[c->ent_at[j]].end;
    for (int k = 0; k < 4 && j < c->n && c->tk[j].kind == SR_TOK_WORD && !verb_at[j] &&
                    !(wclass(c, j) & (WC_PREP | WC_CONJ)); k++)
        j++;   /* "the official news agency WFNA said" */
    while (j < c->n && (wclass(c, j) & (WC_ADV | WC_FUTURE | WC_HEDGE | WC_NEG | WC_HAVE)))
        j++;
    return j < c->n && verb_at[j];
}

/* "Analysts said Kestria attacked Valdoria": after a verb of saying, a
 * subject and its verb start the reported clause. */
static bool say_clause(const sr_coder *c, size_t i, const uint8_t *verb_at)
{
    if (!(wclass(c, i) & WC_SAY))
        return false;
    size_t j = i + 1;
    if (tok_is(c, j, c->id_that))
        j++;
    if (j >= c->n || c->ent_at[j] < 0)
        return false;
    j = c->e[c->ent_at[j]].end;
    while (j < c->n && (wclass(c, j) & (WC_ADV | WC_FUTURE | WC_HEDGE | WC_NEG | WC_HAVE | WC_BE)))
        j++;
    return j < c->n && verb_at[j];
}

static void mark_clauses(sr_coder *c, uint8_t *clause_of)
{
    uint8_t verb_at[MAX_TOK] = {0};
    for (size_t k = 0; k < c->nvo; k++)
        verb_at[c->vo[k].start] = 1;
    uint8_t cl = 0;
    memset(c->relative, 0, sizeof c->relative);
    for (size_t i = 0; i < c->n; i++) {
        if (cl < 255 && (((wclass(c, i) & WC_CONJ) && clause_break(c, i, verb_at)) ||
                         (tok_is(c, i, c->id_comma) && comma_clause(c, i, verb_at))))
            cl++;
        /* ", which was underlined by ...": a relative clause */
        if (cl < 255 && i > 0 && tok_is(c, i - 1, c->id_comma) &&
            (tok_is(c, i, c->id_which) || tok_is(c, i, c->id_who))) {
            cl++;
            c->relative[cl] = 1;
        }
        clause_of[i] = cl;
        if (cl < 255 && say_clause(c, i, verb_at))
            cl++;   /* the clause starts after the verb of saying */
    }
}

/* TABARI's COMPLEX: a sentence with too many verbs or conjunctions, or with
 * a word coded "+++", is left uncoded rather than coded wrongly. */
static bool too_complex(sr_coder *c)
{
    const sr_dict_options *o = &c->ds->opts;
    if (c->complex)
        return true;
    int verbs = 0, conj = 0;
    for (size_t k = 0; k < c->nvo; k++) {
        const char *vc = sr_ds_pool(c->ds, c->ds->verb[c->vo[k].verb].code);
        if (strcmp(vc, "+++") == 0)
            return true;
        verbs++;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!(wclass(c, i) & WC_CONJ) || tok_is(c, i, c->id_comma))
            continue;
        /* "Ithilen and Dagolath" joins a compound actor, not clauses */
        if (i > 0 && i + 1 < c->n && c->ent_at[i - 1] >= 0 && c->ent_at[i + 1] >= 0 &&
            c->e[c->ent_at[i - 1]].group == c->e[c->ent_at[i + 1]].group)
            continue;
        conj++;
    }
    return (o->complex_verbs > 0 && verbs >= o->complex_verbs) ||
           (o->complex_conj > 0 && conj >= o->complex_conj);
}

/* ---- one sentence ---------------------------------------------------------------- */

typedef enum { SENT_OK, SENT_DISCARD, STORY_DISCARD } sent_result;

static sr_err code_sentence(sr_coder *c, const sr_textdoc *d, size_t si, sr_mentions *out,
                            sent_result *res)
{
    const sr_sentence *s = &d->sents[si];
    *res = SENT_OK;
    c->doc_text = d->orig;
    c->heading = s->kind == SR_UNIT_HEADING;
    size_t ntok = s->tok_count > MAX_TOK ? MAX_TOK : s->tok_count;
    /* an underscore inside a name ("Dol_Amroth", as dictionaries write
     * them) joins its words: drop it from the coder's view */
    c->n = 0;
    for (size_t i = 0; i < ntok; i++) {
        const sr_token *t = &d->toks[s->tok_first + i];
        size_t fl;
        const char *f = sr_token_fold(d, t, &fl);
        if (fl == 1 && f[0] == '_' && t->kind != SR_TOK_WORD)
            continue;
        c->tkbuf[c->n] = *t;
        sr_tokview *v = &c->v[c->n++];
        v->id = t->id;
        v->fold = f;
        v->fold_len = (uint32_t)fl;
        v->nstems = 0;
        v->stems_done = 0;
    }
    c->tk = c->tkbuf;
    memset(c->memo_done, 0, c->n);
    /* 1. discards */
    if (c->ds->ndiscards) {
        for (size_t i = 0; i < c->n; i++) {
            size_t len;
            uint32_t x = sr_ds_longest(c->ds, &c->ds->discards, c->v, c->n, i, &len);
            if (x == 2) {
                *res = STORY_DISCARD;
                return SR_OK;
            }
            if (x == 1) {
                *res = SENT_DISCARD;
                return SR_OK;
            }
        }
    }
    /* 2. actors */
    c->discard = c->complex = false;
    find_entities(c, (uint32_t)si, s->start);
    for (size_t k = 0; k < c->ne; k++)
        if (!c->e[k].pronoun && c->e[k].code[0] && strlen(c->e[k].code) >= 3)
            note_dyad(c, c->e[k].code);
    /* 3. verbs */
    find_verbs(c);
    if (c->nvo == 0 || c->ne == 0 || c->discard || too_complex(c))
        goto remember;
    char issues[64];
    sentence_issues(c, issues, sizeof issues);
    bool reported = sentence_reported(c);
    size_t first_new = out->n;
    bool other_than_comment = false;
    uint8_t consumed[MAX_TOK] = {0};
    uint8_t clause_of[MAX_TOK], clause_done[MAX_TOK] = {0};
    mark_clauses(c, clause_of);
    build_keyset(c);
    for (size_t k = 0; k < c->nvo; k++) {
        const verb_occ *o = &c->vo[k];
        if (consumed[o->start] || clause_done[clause_of[o->start]])
            continue;
        size_t before = out->n;
        const sr_dictset *ds = c->ds;
        const sr_verb *vb = &ds->verb[o->verb];
        /* 4. patterns: best over the verb and the verbs it extends */
        const sr_pattern *best = NULL;
        pat_result br = { -1, -1, false, 0, 0 };
        for (uint32_t vi = o->verb, hops = 0; vi != SR_NONE && hops < 4;
             vi = ds->verb[vi].prev, hops++) {
            const sr_verb_group *g = &ds->groups[ds->verb[vi].group];
            for (size_t p = 0; p < g->npats; p++) {
                const sr_pattern *pt = &ds->patterns[g->pats[p]];
                if (best && pt->weight <= best->weight)
                    continue;
                pat_result r;
                if (c->ds->opts.petrarch_actors &&
                    strcmp(sr_ds_pool(ds, pt->code), "+++") == 0)
                    continue;   /* PETRARCH: "+++" patterns code nothing */
                if (try_pattern(c, pt, o, &r)) {
                    best = pt;
                    br = r;
                }
            }
        }
        if (best && br.src >= 0) {
            int ap = appositive_subject(c, o->start);
            if (ap >= 0 && c->e[br.src].start > c->e[ap].end)
                br.src = ap;   /* "Gollum, centre of a row with Radagast, called" */
        }
        const char *code = sr_ds_pool(ds, best ? best->code : vb->code);
        uint32_t c2 = best ? best->code2 : vb->code2;
        const char *code2 = c2 != SR_NONE ? sr_ds_pool(ds, c2) : NULL;

        if (code_is_null(code))
            continue;
        /* 5. actors for this verb */
        int src = br.src, tgt = br.tgt;
        bool passive = false;
        size_t be = o->start;
        while (be > 0 && be + 3 > o->start && c->v[be - 1].fold_len > 2 &&
               strncmp(c->v[be - 1].fold + c->v[be - 1].fold_len - 2, "ly", 2) == 0)
            be--;   /* "was fiercely opposed by" */
        if (be > 0 && (wclass(c, be - 1) & WC_BE) && o->len == 1) {
            size_t fl = c->v[o->head].fold_len;
            const char *f = c->v[o->head].fold;
            if (fl > 2 && (strncmp(f + fl - 2, "ed", 2) == 0 || strncmp(f + fl - 2, "en", 2) == 0))
                passive = true;
        }
        if (src < 0 || tgt < 0) {
            if (passive && src < 0) {
                /* "X was attacked by Y" */
                for (size_t q = o->start + o->len; q + 1 < c->n && q < (size_t)o->start + 8u; q++)
                    if (tok_is(c, q, c->id_by) && c->ent_at[q + 1] >= 0) {
                        src = c->ent_at[q + 1];
                        break;
                    }
                if (src >= 0 && tgt < 0) {
                    for (int q = ent_before(c, o->start); q >= 0; q--)
                        if (!c->e[q].prep) {
                            tgt = q;
                            break;
                        }
                }
            }
            if (src < 0 && o->of_actor)
                src = c->ent_at[o->start + o->len + 1];   /* "visit of X" */
            if (src < 0)
                src = appositive_subject(c, o->start);
            if (src < 0) {
                /* TABARI: the source is the first actor of the verb's
                 * clause ("Arnor suggested Gondor should apply ..." is
                 * Arnor's act), not the nearest one */
                for (size_t q = 0; q < c->ne; q++) {
                    const ent *x = &c->e[q];
                    if (x->end > o->start)
                        break;
                    if (clause_of[x->start] != clause_of[o->start] || (x->prep && !x->pronoun) ||
                        (tgt >= 0 && x->group == c->e[tgt].group))
                        continue;
                    src = (int)q;
                    break;
                }
            }
            if (src < 0 && !c->relative[clause_of[o->start]]) {
                /* a clause with no actor of its own ("... and then
                 * requested ..."): the sentence's subject, its first actor;
                 * not in a relative clause, whose subject is the noun before
                 * ", which" */
                for (size_t q = 0; q < c->ne && (int)c->e[q].end <= o->start; q++) {
                    if (c->e[q].prep && !(c->e[q].pronoun))
                        continue;
                    if (tgt >= 0 && c->e[q].group == c->e[tgt].group)
                        continue;
                    src = (int)q;
                    break;
                }
                /* walk to the head of the compound group */
                if (src >= 0)
                    for (size_t q = 0; q < c->ne; q++)
                        if (c->e[q].group == c->e[src].group) {
                            src = (int)q;
                            break;
                        }
            }
            if (tgt < 0) {
                /* the first actor after the verb in its clause, not past a
                 * comma (TABARI: "ties with Gxndor, almost five years after
                 * Calenardhon crowds ..." has no target) */
                for (size_t q = o->start + o->len; q < c->n; q++) {
                    if (clause_of[q] != clause_of[o->start])
                        break;
                    int x = c->ent_at[q];
                    if (x < 0 && tok_is(c, q, c->id_comma) && !adjective_comma(c, q))
                        break;
                    if (x < 0 || !c->e[x].code[0])
                        continue;   /* "some programs": not an actor */
                    /* "Pakistan's army chief emphasized Pakistan's
                     * commitment to Libya": the source's own country as a
                     * possessor is not the target */
                    bool own = src >= 0 && strlen(c->e[x].code) == 3 &&
                               strncmp(c->e[src].code, c->e[x].code, 3) == 0 &&
                               (tok_is(c, c->e[x].end, c->id_s) || tok_is(c, c->e[x].end - 1u, c->id_s)) &&
                               !c->ds->opts.first_verb_only;
                    if (own || (src >= 0 && (c->e[x].group == c->e[src].group ||
                                             strcmp(c->e[x].code, c->e[src].code) == 0))) {
                        q = c->e[x].end - 1;   /* commas inside it do not count */
                        continue;   /* the subject again ("... that it carried out") */
                    }
                    tgt = x;
                    break;
                }
            }
            if (tgt < 0 && src >= 0) {
                /* nothing after the verb: the actor between the subject and
                 * the verb nearest the verb ("Red Cross accepts that the
                 * Secretary General might affirm") */
                for (size_t q = 0; q < c->ne; q++) {
                    const ent *x = &c->e[q];
                    if ((int)x->end > o->start)
                        break;
                    bool own = strlen(x->code) == 3 && strncmp(c->e[src].code, x->code, 3) == 0 &&
                               !c->ds->opts.first_verb_only;
                    if (x->start >= c->e[src].end && x->group != c->e[src].group &&
                        x->code[0] && !x->pronoun && !own &&
                        (!x->prep || (int)x->end == o->start))
                        tgt = (int)q;
                }
            }
            if (src < 0 && tgt >= 0 && br.tgt >= 0) {
                /* "An Eriadorian was shot dead in Osgiliath" ("+ WAS *
                 * DEAD"): the other actor of the clause is the source */
                for (size_t q = o->start + o->len; q < c->n; q++) {
                    if (clause_of[q] != clause_of[o->start])
                        break;
                    int x = c->ent_at[q];
                    if (x >= 0 && c->e[x].code[0] && c->e[x].group != c->e[tgt].group) {
                        src = x;
                        break;
                    }
                }
            }
        }
        /* compound subject with no target: they act on each other */
        if (src >= 0 && tgt < 0) {
            for (size_t q = 0; q < c->ne; q++)
                if (c->e[q].group == c->e[src].group && (int)q != src && c->e[q].code[0]) {
                    tgt = (int)q;
                    break;
                }
            if (tgt >= 0 && code2 == NULL)
                code2 = code;
        }
        /* an event noun of the document's story ("a defence deal") with
         * one side unnamed in its sentence: the story's other main actor */
        if (o->head > o->start && c->dyad[0][0] && c->dyad[1][0] && c->ne + 2 <= MAX_ENT) {
            if (src >= 0 && (tgt < 0 || strncmp(c->e[tgt].code, c->e[src].code, 3) == 0))
                tgt = dyad_entity(c, o, strncmp(c->e[src].code, c->dyad[0], 3) == 0 ? 1 : 0);
            else if (src < 0 && tgt >= 0)
                src = dyad_entity(c, o, strncmp(c->e[tgt].code, c->dyad[0], 3) == 0 ? 1 : 0);
            else if (src < 0 && tgt < 0) {
                src = dyad_entity(c, o, 0);
                tgt = dyad_entity(c, o, 1);
            }
        }
        if (br.compound && src >= 0 && (tgt < 0 || c->e[tgt].group != c->e[src].group)) {
            /* "% *": the compound's members act on each other */
            for (size_t q = 0; q < c->ne; q++)
                if (c->e[q].group == c->e[src].group && (int)q != src && c->e[q].code[0]) {
                    tgt = (int)q;
                    break;
                }
        }
        if (br.compound && tgt < 0)
            continue;
        if (src < 0 || (tgt < 0 && !c->ds->opts.allow_no_target)) {
            /* TABARI codes the first coded verb of a clause: when its
             * actors are missing the clause yields nothing, rather than a
             * later verb's event with borrowed actors */
            if (c->ds->opts.first_verb_only)
                clause_done[clause_of[o->start]] = 1;
            continue;
        }
        neg_kind neg;
        sr_modality mod = modality_for(c, o, &neg, reported, best ? br.lo : o->start);
        if (neg == NEG_PLAIN) {
            /* "did not agree": CAMEO codes what happened, so this is not an
             * agreement; the mention is kept, marked negated, for briefs
             * that weigh one outlet's denial against another's report, and
             * no later verb of the clause stands in for it */
            mod = SR_MOD_NEGATED;
            clause_done[clause_of[o->start]] = 1;
        }
        if (neg == NEG_REFUSE && !best) {
            code = "120";   /* refused to X: a rejection */
            code2 = NULL;
        }
        if (strncmp(code, "01", 2) != 0)
            other_than_comment = true;
        sr_err err = emit_groups(c, out, (uint32_t)si, src, tgt, code, code2, mod, o, issues);
        if (err)
            return err;
        /* TABARI codes one verb per clause: the first that yields an event;
         * the words its pattern used are not verbs of their own */
        if (out->n > before || mod == SR_MOD_NEGATED) {
            clause_done[clause_of[o->start]] = 1;
            if (best)
                for (int t = br.lo; t < br.hi && t < (int)c->n; t++)
                    if (t >= 0)
                        consumed[t] = 1;
        }
    }
    /* a statement verb ("said") whose clause carries a real event says
     * nothing more than that event */
    if (other_than_comment) {
        size_t w = first_new;
        for (size_t r = first_new; r < out->n; r++)
            if (strncmp(out->v[r].cameo, "01", 2) != 0)
                out->v[w++] = out->v[r];
        out->n = w;
    }
remember:
    for (size_t k = 0; k < c->ne; k++)
        if (c->e[k].code[0] && !c->e[k].prep) {
            snprintf(c->last_src, sizeof c->last_src, "%s", c->e[k].code);
            break;
        }
    return SR_OK;
}

sr_err sr_code_doc(sr_coder *c, const sr_textdoc *d, const char *date, sr_mentions *out)
{
    size_t first = out->n;
    c->date = sr_ds_parse_doc_date(date);
    if (!c->keep_story) {
        c->nnames = 0;
        c->last_src[0] = '\0';
        c->dyad[0][0] = c->dyad[1][0] = '\0';
        c->dyad_n[0] = c->dyad_n[1] = 0;
    }
    c->keep_story = false;
    for (size_t si = 0; si < d->nsents; si++) {
        sent_result res;
        sr_err e = code_sentence(c, d, si, out, &res);
        if (e)
            return e;
        if (res == STORY_DISCARD) {
            out->n = first;
            break;
        }
    }
    return SR_OK;
}
