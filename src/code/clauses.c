/*
 * clauses.c - clauses (conjunctions, attributions, relative clauses),
 * appositives, voice, and which entity is the source and which the target.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/internal.h"
#include "sitrep/codebook.h"

/* "Gollum, centre of a row between Radagast and Gandalf, called on ...":
 * the actor before a comma-enclosed appositive is the subject, not the
 * actors inside it. */
int coder_appositive_subject(const sr_coder *c, int verb)
{
    int j = verb - 1;
    while (j >= 0 && (wclass(c, (size_t)j) & (WC_ADV | WC_FUTURE | WC_HEDGE | WC_NEG | WC_BE | WC_HAVE)))
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
bool coder_adjective_comma(sr_coder *c, size_t q)
{
    if (q == 0 || q + 1 >= c->n)
        return false;
    for (size_t k = q - 1; k <= q + 1; k += 2) {
        size_t vl;
        if (c->tk[k].kind != SR_TOK_WORD || (c->tk[k].flags & SR_TOKF_CAP) || wclass(c, k) ||
            c->ent_at[k] >= 0 || coder_verb_at(c, k, &vl) != SR_NONE)
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
        uint32_t w = wclass(c, j);
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
    /* news: "said (that) Sudan must ...", "says it is willing to ...": an
     * actor right after a verb of saying begins what was said, whatever
     * its verb (not after "told", whose actor is the one told) */
    if (coder_news(c) && !tok_is(c, i, c->id_told) && !say_addressee(c, i))
        return true;
    j = c->e[c->ent_at[j]].end;
    while (j < c->n && (wclass(c, j) & (WC_ADV | WC_FUTURE | WC_HEDGE | WC_NEG | WC_HAVE | WC_BE)))
        j++;
    return j < c->n && verb_at[j];
}

void coder_mark_clauses(sr_coder *c, uint8_t *clause_of)
{
    uint8_t verb_at[MAX_TOK] = {0};
    for (size_t k = 0; k < c->nvo; k++)
        verb_at[c->vo[k].start] = !c->vo[k].weak;   /* a noun ("ally") starts no clause */
    uint8_t cl = 0;
    memset(c->relative, 0, sizeof c->relative);
    for (size_t i = 0; i < c->n; i++) {
        /* news: "..., after Somali militants attacked a base", "an
         * admission that Soviet forces murdered ...": a subordinator, or a
         * noun's "that" (not a verb's: "demanded that the US cancel" is the
         * demand's content), followed by a subject and its verb opens a
         * clause whose subject is its own, not the main clause's */
        bool subord = coder_news(c) &&
                      (((wclass(c, i) & WC_SUBORD) && !(wclass(c, i) & WC_CONJ)) ||
                       (tok_is(c, i, c->id_that) && i > 0 && !verb_at[i - 1] && pos_noun(c, i - 1))) &&
                      i + 1 < c->n && c->ent_at[i + 1] >= 0 && clause_break(c, i, verb_at);
        if (subord)
            c->e[c->ent_at[i + 1]].prep = 0;   /* the clause's subject, not "after"'s object */
        /* "demanded a truce with Moslem forces before allowing U.N. aid
         * convoys ...": a subordinator and a participle open a clause too
         * (the main clause's objects are not sought in it) */
        if (coder_news(c) && (wclass(c, i) & WC_SUBORD) && !(wclass(c, i) & WC_CONJ) && i > 0 &&
            c->have_pos && i + 1 < c->n && c->pos[i + 1] == SR_POS_VBG)
            subord = true;
        if (cl < 255 && (((wclass(c, i) & WC_CONJ) && clause_break(c, i, verb_at)) ||
                         (tok_is(c, i, c->id_comma) && comma_clause(c, i, verb_at)) || subord))
            cl++;
        /* ", which was underlined by ...": a relative clause */
        if (cl < 255 && i > 0 && tok_is(c, i - 1, c->id_comma) &&
            (tok_is(c, i, c->id_which) || tok_is(c, i, c->id_who) ||
             (coder_news(c) && tok_is(c, i, c->id_where)))) {
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
bool coder_too_complex(sr_coder *c)
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


/* ---- voice (news) ------------------------------------------------------------- */

/* Past participles that do not end in -ed or -en. */
static bool irregular_participle(const char *f, size_t n)
{
    static const char *const pp[] = {
        "put", "held", "hit", "shot", "struck", "sent", "sold", "brought", "caught",
        "found", "kept", "built", "made", "told", "led", "left", "set", "cut", "thrown",
        "bought", "fought", "sought", "taught", "won", "lost", "hung", "hurt", "spread",
        "shut", "split", "burnt", "dealt", "meant", "met", "paid", "said", "seized",
        "slain", "sworn", "torn", "upheld", "withheld", "bound", "fed", "felt", "heard",
        "laid", "lent", "read", "run", "shed", "spent", "stuck", "swept", "understood",
    };
    for (size_t i = 0; i < sizeof pp / sizeof pp[0]; i++)
        if (strlen(pp[i]) == n && memcmp(pp[i], f, n) == 0)
            return true;
    return false;
}

/* Is the verb at o passive: a form of "be" (perhaps with adverbs between)
 * and a past participle ("was attacked", "has been put", "were fiercely
 * opposed")?  Returns the token of the "be", or -1. */
static int passive_be(const sr_coder *c, const verb_occ *o);

bool coder_is_passive(const sr_coder *c, const verb_occ *o)
{
    return passive_be(c, o) >= 0;
}

static int passive_be(const sr_coder *c, const verb_occ *o)
{
    size_t be = o->start;
    while (be > 0 && be + 3 > o->start &&
           ((c->v[be - 1].fold_len > 2 &&
             strncmp(c->v[be - 1].fold + c->v[be - 1].fold_len - 2, "ly", 2) == 0) ||
            (wclass(c, be - 1) & WC_ADV)))
        be--;
    if (be == 0 || !(wclass(c, be - 1) & WC_BE))
        return -1;
    if (c->have_pos)
        return pos_participle(c, o->head) ? (int)be - 1 : -1;
    const char *f = c->v[o->start].fold;
    size_t fl = c->v[o->start].fold_len;
    if (fl > 3 && strncmp(f + fl - 3, "ing", 3) == 0)
        return -1;
    if ((fl > 2 && (strncmp(f + fl - 2, "ed", 2) == 0 || strncmp(f + fl - 2, "en", 2) == 0 ||
                    strncmp(f + fl - 2, "wn", 2) == 0)) ||
        irregular_participle(f, fl))
        return (int)be - 1;
    return -1;
}

/* An entity standing for whoever acted where the event happened: "was
 * arrested in Lebanon" (Lebanon's authorities), "killed in Iraq" or "a
 * bombing near Samarra killed" (unidentified armed forces there, UAF).
 * From the first country named after "in", "near" or "at" in the clause
 * after token from; -1 if none or no room. */
static int place_actor(sr_coder *c, size_t from, const uint8_t *clause_of, size_t clause_tok,
                       const char *code)
{
    for (size_t q = from; q < c->n && c->ne < MAX_ENT; q++) {
        if (clause_of[q] != clause_of[clause_tok])
            break;
        int x = c->ent_at[q];
        if (x < 0 || q == 0 || !(tok_is(c, q - 1, c->id_in) || tok_is(c, q - 1, c->id_near) ||
                                 tok_is(c, q - 1, c->id_at)))
            continue;
        char xc[4];
        if (strlen(c->e[x].code) != 3 || c->e[x].nocountry)
            continue;
        memcpy(xc, c->e[x].code, sizeof xc);
        ent *y = &c->e[c->ne];
        *y = c->e[x];
        bool force = strncmp(code, "18", 2) == 0 || strncmp(code, "19", 2) == 0 ||
                     strncmp(code, "20", 2) == 0;
        snprintf(y->code, sizeof y->code, "%.3s%s", xc, force ? "UAF" : "");
        y->group = (uint8_t)c->ne;
        y->inferred = 1;
        y->pronoun = 1;
        y->ref = -1;
        return (int)c->ne++;
    }
    /* force with no one named and no country for its place in the clause:
     * an explicit unknown (---UAF), which the geo stage gives the country
     * of the place the sentence names ("near the town of Samarra") */
    bool force = strncmp(code, "18", 2) == 0 || strncmp(code, "19", 2) == 0 ||
                 strncmp(code, "20", 2) == 0;
    if (force && c->ne < MAX_ENT && clause_tok < c->n) {
        ent *y = &c->e[c->ne];
        memset(y, 0, sizeof *y);
        y->start = (uint16_t)clause_tok;
        y->end = (uint16_t)(clause_tok + 1);
        memcpy(y->code, "---UAF", 7);
        y->group = (uint8_t)c->ne;
        y->nocountry = 1;
        y->pronoun = 1;
        y->ref = -1;
        return (int)c->ne++;
    }
    return -1;
}

/* News: roles of a passive verb.  The "by" agent is the source, else the
 * authorities or armed forces of the place it happened (place_actor), else
 * none; the subject (the last actor before the "be" in its clause, within
 * its phrase: "a camp for Congolese refugees") is the target. */
static bool passive_roles(sr_coder *c, const verb_occ *o, const uint8_t *clause_of,
                          const char *code, int *src, int *tgt)
{
    int be = passive_be(c, o);
    if (be < 0)
        return false;
    int agent = -1, subj = -1;
    for (size_t q = o->start + o->len; q + 1 < c->n && q < (size_t)o->start + 8u; q++) {
        if (clause_of[q] != clause_of[o->start])
            break;
        if (tok_is(c, q, c->id_by) && c->ent_at[q + 1] >= 0 && c->e[c->ent_at[q + 1]].code[0]) {
            agent = c->ent_at[q + 1];
            break;
        }
    }
    for (int q = coder_ent_before(c, be); q >= 0; q--) {
        const ent *x = &c->e[q];
        if (clause_of[x->start] != clause_of[o->start] && !x->pronoun)
            break;
        if (!x->code[0])
            continue;
        if (subj < 0 || !x->prep)
            subj = q;
        if (!x->prep)
            break;
    }
    if (agent < 0)
        agent = place_actor(c, o->start + o->len, clause_of, o->start, code);
    *src = agent;
    *tgt = subj;
    return true;
}

/* 5. Who does the verb's event to whom: the pattern's $ and % when it
 * named them; otherwise the passive's "by" agent, the event noun's "of"
 * actor, the clause's subject (its first actor), the first actor after the
 * verb in its clause; compounds act on each other; a story's main actors
 * stand in for the missing side of an event noun.  *code2 becomes code when
 * a compound with no target is coded both ways. */
void coder_assign_roles(sr_coder *c, const verb_occ *o, const pat_result *br,
                        const uint8_t *clause_of, const char *code, const char **code2,
                        int *src_out, int *tgt_out)
{
    int src = br->src, tgt = br->tgt;
    if (coder_news(c) && passive_roles(c, o, clause_of, code, &src, &tgt)) {
        *src_out = src;
        *tgt_out = tgt;
        return;
    }
    /* news: a pattern's actors must be the verb's own: a source after the
     * verb (outside a passive, handled above) or a target in another clause
     * ("launched war games, expected to be joined later by Italian and
     * German vessels") is left to the clause's subject and object */
    if (coder_news(c)) {
        bool of_src = o->of_actor && o->start + o->len + 1u < c->n &&
                      src == c->ent_at[o->start + o->len + 1];   /* "the visit of X" */
        if (src >= 0 && !of_src &&
            (c->e[src].start > o->start || clause_of[c->e[src].start] != clause_of[o->start]))
            src = -1;
        if (tgt >= 0 && (clause_of[c->e[tgt].start] != clause_of[o->start] ||
                         strncmp(c->e[tgt].code, "---", 3) == 0))
            tgt = -1;   /* "---MIL": the clause's own object, if it names a better one */
        if (tgt >= 0 && tgt == src)
            tgt = -1;   /* one actor cannot be both sides */
        /* nor can the clause's subject, named again ("Albanians have sworn
         * to fight until they gain ..."), be its own target */
        if (tgt >= 0) {
            for (size_t q = 0; q < c->ne && (int)c->e[q].end <= o->start; q++) {
                const ent *x = &c->e[q];
                if (clause_of[x->start] != clause_of[o->start] || (x->prep && !x->pronoun) ||
                    !x->code[0])
                    continue;
                if (x->group == c->e[tgt].group)
                    tgt = -1;
                break;
            }
        }
        /* a target before an active verb comes from a pattern written for
         * the passive ("+ WAS * BY $"): its roles are not this sentence's */
        if (tgt >= 0 && c->e[tgt].end <= o->start) {
            tgt = -1;
            src = -1;
        }
    }
    /* news: a pattern's target that is a part of its source is no target;
     * look for the verb's own */
    if (coder_news(c) && src >= 0 && tgt >= 0 && ent_part_of(&c->e[tgt], &c->e[src]) &&
        strncmp(code, "14", 2) != 0)   /* "Iraqis protested against the government" */
        tgt = -1;
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
                for (int q = coder_ent_before(c, o->start); q >= 0; q--)
                    if (!c->e[q].prep) {
                        tgt = q;
                        break;
                    }
            }
        }
        if (src < 0 && o->of_actor)
            src = c->ent_at[o->start + o->len + 1];   /* "visit of X" */
        if (coder_news(c) && tgt == src)
            tgt = -1;   /* the "of" actor a pattern took for the target too */
        if (src < 0)
            src = coder_appositive_subject(c, o->start);
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
             * Calenardhon crowds ..." has no target); news: an actor of
             * unknown country ("---MIL") only if no other is there */
            int unknown = -1;
            for (size_t q = o->start + o->len; q < c->n; q++) {
                if (clause_of[q] != clause_of[o->start])
                    break;
                int x = c->ent_at[q];
                if (x < 0 && tok_is(c, q, c->id_comma) && !coder_adjective_comma(c, q))
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
                /* nor is a part of the source ("the ministry" of the
                 * country that acts) */
                if (coder_news(c) && src >= 0 && ent_part_of(&c->e[x], &c->e[src]))
                    own = true;
                if (own || (src >= 0 && (c->e[x].group == c->e[src].group ||
                                         strcmp(c->e[x].code, c->e[src].code) == 0))) {
                    q = c->e[x].end - 1;   /* commas inside it do not count */
                    continue;   /* the subject again ("... that it carried out") */
                }
                if (coder_news(c) && strncmp(c->e[x].code, "---", 3) == 0) {
                    if (unknown < 0)
                        unknown = x;
                    q = c->e[x].end - 1;
                    continue;
                }
                /* "strikes against Kurdish militants in northern Iraq": a
                 * place after "in" says where; the militants are whom */
                if (coder_news(c) && unknown >= 0 && c->e[x].start > 0 &&
                    (tok_is(c, c->e[x].start - 1u, c->id_in) ||
                     tok_is(c, c->e[x].start - 1u, c->id_near) ||
                     (c->e[x].start > 1 && tok_is(c, c->e[x].start - 2u, c->id_in))))
                    break;
                tgt = x;
                break;
            }
            if (tgt < 0)
                tgt = unknown;
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
        if (src < 0 && tgt >= 0 && br->tgt >= 0) {
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
    /* compound subject with no target: they act on each other - in news
     * coding only when the event is mutual by nature ("Britain and France
     * agreed" is each one's act; "met" is an act between them) */
    if (src >= 0 && tgt < 0 && (!coder_news(c) || sr_cameo_is_mutual(code))) {
        for (size_t q = 0; q < c->ne; q++)
            if (c->e[q].group == c->e[src].group && (int)q != src && c->e[q].code[0]) {
                tgt = (int)q;
                break;
            }
        if (tgt >= 0 && *code2 == NULL)
            *code2 = code;
    }
    /* an event noun of the document's story ("a defence deal") with
     * one side unnamed in its sentence: the story's other main actor */
    if (o->head > o->start && c->dyad[0][0] && c->dyad[1][0] && c->ne + 2 <= MAX_ENT) {
        if (src >= 0 && (tgt < 0 || strncmp(c->e[tgt].code, c->e[src].code, 3) == 0))
            tgt = coder_dyad_entity(c, o, strncmp(c->e[src].code, c->dyad[0], 3) == 0 ? 1 : 0);
        else if (src < 0 && tgt >= 0)
            src = coder_dyad_entity(c, o, strncmp(c->e[tgt].code, c->dyad[0], 3) == 0 ? 1 : 0);
        else if (src < 0 && tgt < 0) {
            src = coder_dyad_entity(c, o, 0);
            tgt = coder_dyad_entity(c, o, 1);
        }
    }
    if (br->compound && src >= 0 && (tgt < 0 || c->e[tgt].group != c->e[src].group)) {
        /* "% *": the compound's members act on each other */
        for (size_t q = 0; q < c->ne; q++)
            if (c->e[q].group == c->e[src].group && (int)q != src && c->e[q].code[0]) {
                tgt = (int)q;
                break;
            }
    }
    /* news: "a roadside bombing near Samarra killed ...": force with no
     * actor named is the armed forces of the place */
    if (coder_news(c) && src < 0 && tgt >= 0 &&
        (strncmp(code, "18", 2) == 0 || strncmp(code, "19", 2) == 0 || strncmp(code, "20", 2) == 0))
        src = place_actor(c, 0, clause_of, o->start, code);
    *src_out = src;
    *tgt_out = tgt;
}

