/*
 * internal.h - the inside of an sr_coder, shared by the coder's stages:
 *
 *   actors.c    dictionary look-ups (remembered per token), actor noun
 *               phrases, compounds and pronouns -> entities (ent)
 *   verbs.c     verb occurrences and their TABARI/PETRARCH patterns
 *   clauses.c   clauses, appositives, voice, and who is source and target
 *   modality.c  negation, refusal, future, hedged, reported
 *   emit.c      mentions out: compounds, story context, issues
 *   coder.c     one sentence through those stages, one document
 *
 * Not a public API (sitrep/code.h is): the layout changes with the coder.
 * Everything per sentence lives in fixed arrays inside sr_coder, capped by
 * SR_TEXT_MAX_TOKENS, so coding allocates only when the output grows.
 */
#ifndef SITREP_CODE_INTERNAL_H
#define SITREP_CODE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "sitrep/syntax.h"
#include "dict/dictset_impl.h"
#include "dict/match.h"

#define MAX_TOK   SR_TEXT_MAX_TOKENS
#define MAX_ENT   64
#define MAX_VERB  32
#define MAX_NAMES 128
#define CODER_STORY_LEAD 5   /* sentences where a story discard applies */

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
    WC_INTENT = 1 << 16,  /* agreed, offered, promised, willing, ready ... to V:
                             the actor states an intent to do V */
    WC_THREAT = 1 << 17,  /* threatened, warned ... to V: a threat to do V */
    WC_WILL = 1 << 18,    /* will, shall, 'll: the actor's own future act */
    WC_OBLIGE = 1 << 19,  /* must, should, ought: "Y must V" said by X is X's demand */
    WC_UNLESS = 1 << 20,  /* unless: a conditional act is a threat */
    WC_TIME = 1 << 21,    /* Monday .. Sunday, today, yesterday, tonight */
    WC_TIMEUNIT = 1 << 22,/* week, month, year, weekend, night (after last/this/next) */
    WC_TIMEREL = 1 << 23, /* last, next, this, late, early, earlier (before a time) */
    WC_QUANT = 1 << 24,   /* group, thousands, members ... "of X": X is the head */
    WC_SUBORD = 1 << 25,  /* after, before, because, while, although, whereas, when:
                             open a clause of their own */
    WC_DECIDE = 1 << 26,  /* decided ... to V: a decision taken is the act itself */
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
    uint8_t nocountry;            /* an agent alone ("rebels"): "---REB" */
    uint8_t inferred;             /* its country came from the sentence or story */
    uint8_t domestic;             /* a country's own people or government, made
                                     the target of its own act (emit keeps it) */
    int16_t ref;                  /* "they": the entity it stands for, or -1 */
} ent;

/* How the text frames a verb's act (news coding, sitrep/code.h): as done,
 * as the actor's stated intent ("agreed to withdraw", "will give"), as a
 * threat ("threatened to ban", "will withdraw ... unless"), as a refusal
 * ("refused to deploy", "will not accept"), or, said of someone else with
 * "must", as the speaker's demand ("X said Y must withdraw"). */
typedef enum stance {
    ST_ACT = 0, ST_INTENT, ST_THREAT, ST_REFUSE, ST_DEMAND,
} stance;

typedef struct verb_occ {
    uint16_t start, len, head;
    uint32_t verb;
    uint8_t noun_use;
    uint8_t of_actor;             /* event noun + "of" + its actor */
    uint8_t stance;               /* enum stance of the act */
    uint8_t future;               /* will/shall/would: the act lies ahead */
    uint8_t controlled;           /* the "to V" of another verb ("agreed to V") */
    int8_t  ctl;                  /* the verb it controls, or -1 */
    uint8_t weak;                 /* tagged a noun ("riots", "allies"): an event
                                     only when the sentence has no verb's */
} verb_occ;

typedef struct name_mem {
    uint64_t last_id;             /* hash of the name's last word (folded):
                                     names are mostly not in the lexicon */
    char code[32];
} name_mem;

struct sr_coder {
    const sr_dictset *ds;
    uint32_t *wc;                 /* word classes by lexicon id */
    size_t nwc;
    uint32_t id_s, id_of, id_and, id_by, id_to, id_comma, id_lparen, id_rparen,
             id_both, id_with, id_according, id_said_is, id_that, id_from, id_in,
             id_the, id_a, id_an, id_nor, id_they, id_them, id_which, id_who,
             id_apos_ll, id_on, id_told, id_near, id_at, id_where, id_against;
    sr_tokview v[MAX_TOK];
    uint32_t memo_val[3][MAX_TOK];   /* memo_longest() results */
    uint16_t memo_len[3][MAX_TOK];
    uint8_t memo_done[MAX_TOK];
    uint64_t keyset[SR_KEY_SET_BITS / 64 + 1]; /* coder_build_keyset(): words
                                     and stems present, by sr_key_set_bit(),
                                     and bit SR_KEY_SET_ALWAYS */
    uint64_t keysig[4];           /* the same, as an sr_key_sig_bit signature */
    uint8_t relative[MAX_TOK];    /* clause starts with ", which"/", who" */
    const uint8_t *clause_of;     /* news: each token's clause, while a sentence
                                     is coded (else NULL) */
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
    sr_buf *trace;                /* sr_coder_trace(): explanations, or NULL */
    const sr_tagger *tagger;      /* sr_coder_set_tagger(), or NULL */
    sr_tagstate *tagst;
    bool have_pos;                /* pos[] holds this sentence's tags */
    bool guessed_modifier;        /* an agent word before a noun was judged
                                     without tags: find the actors again */
    uint8_t pos[MAX_TOK];         /* part of speech of each token of the view */
    uint16_t orig[MAX_TOK];       /* the view's token -> the sentence's token */
    sr_unknown_fn unknown_fn;
    void *unknown_ctx;
};

static inline uint32_t wclass(const sr_coder *c, size_t i)
{
    uint32_t id = c->v[i].id;
    return id < c->nwc ? c->wc[id] : 0;
}

static inline bool tok_is(const sr_coder *c, size_t i, uint32_t id)
{
    return i < c->n && c->v[i].id == id && id != 0;
}

/* News: is entity x a bare country or city named after "in" - where
 * something happens, not whom it is done to ("protested in Tbilisi")? */
static inline bool ent_is_place_in(const sr_coder *c, const ent *x)
{
    return strlen(x->code) == 3 && x->start > 0 && tok_is(c, x->start - 1u, c->id_in);
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

typedef struct pat_result {
    int src, tgt;           /* entity indexes or -1 */
    bool compound;
    int lo, hi;             /* token extent of the matched pattern */
    int word_lo;            /* its first literal word before the verb (the verb
                               itself if none): a negation from there on is
                               spelled out by the pattern ("HAS NOT *") */
} pat_result;

typedef enum { NEG_NONE, NEG_PLAIN, NEG_REFUSE } neg_kind;

/* News conventions, the shipped dictionaries' way of coding: neither
 * TABARI's (set by any .options file) nor PETRARCH's (its validation).
 * Events may lack a target, a reverse event is coded only for what is
 * mutual by nature, stated intent and threats are coded as such. */
static inline bool coder_news(const sr_coder *c)
{
    return !c->ds->opts.first_verb_only && !c->ds->opts.petrarch_actors;
}

/* Is part a part of whole: the same actor code, longer (ISR > ISRMIL)? */
/* Does an actor code name an agent of the state (government, military,
 * police, intelligence, judiciary, legislature), or one of the people
 * (opposition, rebels, civilians, workers, students, farmers, business,
 * parties, refugees, radicals, criminals)?  Agents are the three-letter
 * groups after the root. */
static inline bool code_has_agent(const char *code, const char *const *agents, size_t n)
{
    for (size_t p = 3; p + 3 <= strlen(code); p += 3)
        for (size_t i = 0; i < n; i++)
            if (strncmp(code + p, agents[i], 3) == 0)
                return true;
    return false;
}

static inline bool state_actor(const char *code)
{
    static const char *const state[] = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG"};
    return code_has_agent(code, state, sizeof state / sizeof state[0]);
}

static inline bool people_actor(const char *code)
{
    static const char *const people[] = {"OPP", "REB", "CVL", "LAB", "EDU", "AGR", "BUS",
                                         "PTY", "REF", "RAD", "CRM"};
    return code_has_agent(code, people, sizeof people / sizeof people[0]);
}

/* Is actor code `part` one of the state organs of actor `whole` (ISR >
 * ISRMIL, PAKGOV > PAKGOVMIL)?  A country's army acts for it and is not
 * its target; its opposition, rebels, people or press are others, so
 * "Tanzania arrested opposition leader X" keeps TZA > TZAOPP.  Its elite
 * (ELI: leaders) counts with its organs. */
static inline bool code_part_of(const char *part, const char *whole)
{
    size_t n = strlen(whole);
    if (!n || strlen(part) < n + 3 || strncmp(part, whole, n) != 0)
        return false;
    return state_actor(part + n - 3) || strncmp(part + n, "ELI", 3) == 0;
}

static inline bool ent_part_of(const ent *part, const ent *whole)
{
    return code_part_of(part->code, whole->code);
}

/* News: "warned North Korea against ...", "warned Iran of ...": the actor
 * after a verb of saying at i is the one addressed, not the subject of what
 * was said, when "against" or "of" follows it. */
static inline bool say_addressee(const sr_coder *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->n && j < i + 3 && c->ent_at[j] < 0 && (wclass(c, j) & WC_DET))
        j++;   /* "warned the Philippines" */
    if (j >= c->n || c->ent_at[j] < 0)
        return false;
    size_t end = c->e[c->ent_at[j]].end;
    return end < c->n && (tok_is(c, end, c->id_against) || tok_is(c, end, c->id_of));
}

/* The token's part of speech is known to be a noun / a verb / a past
 * participle (all false without a tagger). */
static inline bool pos_noun(const sr_coder *c, size_t i)
{
    return c->have_pos && i < c->n && sr_pos_is_noun(c->pos[i]);
}
static inline bool pos_verb(const sr_coder *c, size_t i)
{
    return c->have_pos && i < c->n && sr_pos_is_verb(c->pos[i]);
}
static inline bool pos_participle(const sr_coder *c, size_t i)
{
    return c->have_pos && i < c->n && c->pos[i] == SR_POS_VBN;
}

/* actors.c */
bool     coder_code_is_null(const char *code);
uint32_t coder_actor_at(sr_coder *c, size_t i, size_t *len, const char **code);
uint32_t coder_agent_at(sr_coder *c, size_t i, size_t *len);
uint32_t coder_verb_at(sr_coder *c, size_t i, size_t *len);
void     coder_find_entities(sr_coder *c, uint32_t sentence, size_t sent_start_byte);

/* verbs.c */
void coder_find_verbs(sr_coder *c);
int  coder_ent_before(const sr_coder *c, int pos);
int  coder_ent_after(const sr_coder *c, int pos);
void coder_build_keyset(sr_coder *c);

/* snprintf(dst, cap, "%s", src) without the formatting machinery: codes are
 * copied several times an entity and an event, and snprintf cost ~600
 * instructions a copy (6% of the coder's). */
static inline void coder_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memmove(dst, src, n);
    dst[n] = '\0';
}
bool coder_try_pattern(sr_coder *c, const sr_pattern *pt, const verb_occ *o, pat_result *r);

/* clauses.c */
bool coder_is_passive(const sr_coder *c, const verb_occ *o);
int  coder_appositive_subject(const sr_coder *c, int verb);
bool coder_adjective_comma(sr_coder *c, size_t q);
void coder_mark_clauses(sr_coder *c, uint8_t *clause_of);
bool coder_too_complex(sr_coder *c);
void coder_assign_roles(sr_coder *c, const verb_occ *o, const pat_result *br,
                        const uint8_t *clause_of, const char *code, const char **code2,
                        int *src_out, int *tgt_out);

/* modality.c */
void        coder_find_stance(sr_coder *c);
const char *coder_stance_code(stance st, const char *code);
sr_modality coder_modality(sr_coder *c, const verb_occ *o, neg_kind *neg,
                           bool reported_sentence, int lo);
bool        coder_sentence_reported(sr_coder *c);

/* coder.c: a line of the --explain trace, when one is asked for */
void coder_trace(sr_coder *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* emit.c */
sr_err coder_emit_groups(sr_coder *c, sr_mentions *out, uint32_t sentence, int s, int t,
                         const char *code, const char *code2, sr_modality mod,
                         const verb_occ *o, const char *issues);
void   coder_sentence_issues(sr_coder *c, char *buf, size_t cap);
void   coder_note_dyad(sr_coder *c, const char *code);
int    coder_dyad_entity(sr_coder *c, const verb_occ *o, int k);

#endif
