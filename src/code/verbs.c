/*
 * verbs.c - verbs: verb-form matches outside actors (nouns after articles and
 * possessives are not verbs), and TABARI/PETRARCH verb patterns matched
 * around them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/internal.h"

/* ---- verbs and patterns ------------------------------------------------------ */

/* The token of a verb form's head word. */
static size_t o_head(const sr_coder *c, size_t i, const sr_verb_form *vf)
{
    size_t h = i + vf->head;
    return h < c->n ? h : i;
}

void coder_find_verbs(sr_coder *c)
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
        uint32_t f = coder_verb_at(c, i, &len);
        if (f == SR_NONE || len == 0)
            continue;
        const sr_verb_form *vf = &c->ds->forms[f];
        bool noun = i > 0 && is_article(c, i - 1);
        if (i > 0 && tok_is(c, i - 1, c->id_s))
            noun = true;   /* "Pakistan's visit" */
        /* "a brief private visit": a determiner, then adjectives */
        for (size_t b = i, back = 0; !noun && b > 0 && back < 3; b--, back++) {
            size_t q = b - 1;
            uint32_t wq = wclass(c, q);
            if (is_article(c, q) && back > 0) {
                noun = true;
                break;
            }
            if (c->tk[q].kind != SR_TOK_WORD || wq || c->ent_at[q] >= 0 ||
                (c->tk[q].flags & SR_TOKF_CAP))
                break;
            size_t vl;
            if (coder_verb_at(c, q, &vl) != SR_NONE)
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
        /* with tags: "allies", "demands", "talks" tagged as nouns are not
         * verbs, whatever precedes them; a form the tagger calls a verb is
         * one even after an adjective ("fiercely contested") */
        bool weak = false;
        if (c->have_pos && vf->len < 2) {
            if (pos_noun(c, o_head(c, i, vf)) && !noun)
                weak = true;
            /* "their forces", "its demands": tagged a noun after a
             * determiner, it is one - not even a fallback verb */
            if (weak && i > 0 && (wclass(c, i - 1) & WC_DET) && coder_news(c))
                noun = true;
            /* "Vietnamese-led forces have retaken": a noun followed by a
             * finite verb is that verb's subject */
            else if (weak && coder_news(c) && i + len < c->n &&
                     sr_pos_is_finite_verb(c->pos[i + len]))
                noun = true;
            else if (pos_verb(c, o_head(c, i, vf)) && !(noun && is_article(c, i - 1) &&
                                                         (c->pos[o_head(c, i, vf)] == SR_POS_VBN ||
                                                          c->pos[o_head(c, i, vf)] == SR_POS_VBG)))
                noun = false;   /* "the besieged town": a participle after an article
                                   qualifies the noun, it is no verb */
        }
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
        o->weak = weak;
        o->start = (uint16_t)i;
        o->len = (uint16_t)len;
        o->head = (uint16_t)(i + vf->head);
        o->verb = vf->verb;
        o->noun_use = noun;
        i += len - 1;
    }
}


/* Nearest entity whose end is <= pos (scanning left), or -1. */
int coder_ent_before(const sr_coder *c, int pos)
{
    for (int k = (int)c->ne - 1; k >= 0; k--)
        if (c->e[k].end <= pos)
            return k;
    return -1;
}

int coder_ent_after(const sr_coder *c, int pos)
{
    for (size_t k = 0; k < c->ne; k++)
        if (c->e[k].start >= pos)
            return (int)k;
    return -1;
}

/* News coding: "that", "which", "who", a subordinator ("after", "because",
 * "while") and ", V-ing" open a clause of their own ("demanded that Hamas
 * renounce its armed struggle against Israel", "a resolution that aims to
 * tighten sanctions", "ordered patrols after violent protests").  A pattern's words after the verb are looked
 * for only up to it, so the embedded clause's words do not make the main
 * verb's code; a pattern that names the word itself still matches it. */
static bool clause_opener(const sr_coder *c, int q)
{
    if (!coder_news(c))
        return false;
    size_t i = (size_t)q;
    /* "... border with Bulgaria, Macedonian officials said": a pattern's
     * words stay in the verb's clause */
    if (c->clause_of && q > 0 && c->clause_of[q] != c->clause_of[q - 1])
        return true;
    if (tok_is(c, i, c->id_that) || tok_is(c, i, c->id_which) || tok_is(c, i, c->id_who) ||
        (wclass(c, i) & WC_SUBORD))
        return true;
    /* ", urging the counterpart to sign ...", ", expected to be joined by
     * ...", ", said the ministry": a comma and a verb with no subject open
     * a participle or inverted clause */
    return c->tk[i].kind == SR_TOK_PUNCT && c->v[i].fold_len == 1 && c->v[i].fold[0] == ',' &&
           c->have_pos && i + 1 < c->n && sr_pos_is_verb(c->pos[i + 1]) &&
           c->pos[i + 1] != SR_POS_MD;
}

/* Can a member of synonym set syn start at token i?  Its word or one of
 * its stems must be among the set's first words (a signature test, so a
 * "yes" may still fail in the walk); saves most walks of a set's trie. */
static bool synset_may_start(const sr_coder *c, uint32_t syn, size_t i)
{
    const sr_dictset *ds = c->ds;
    if (syn >= ds->synset_first_cap)
        return true;
    const uint64_t *f = ds->synset_first[syn];
    const sr_tokview *v = &c->v[i];
    uint32_t b;
    if (v->id && (b = sr_key_sig_bit(v->id), f[b >> 6] & (1ull << (b & 63))))
        return true;
    if (!v->stems_done)
        return true;   /* stems not looked up: let the walk decide */
    for (uint8_t k = 0; k < v->nstems; k++) {
        b = sr_key_sig_bit(v->stems[k]);
        if (f[b >> 6] & (1ull << (b & 63)))
            return true;
    }
    return false;
}

/* Try one pattern element list in one direction.  pos is the first token to
 * look at (dir +1) or the token just left of where to look (dir -1).
 * Returns false if some element is not found. */
static bool match_side(sr_coder *c, const sr_pat_elem *el, int nel, int pos, int dir,
                       pat_result *r, int *extent)
{
    int p = pos;              /* next token to examine */
    /* news: "'We will respond,' the minister said after Israel struck":
     * words before the verb are sought in its own clause only */
    int vcl = dir < 0 && c->clause_of && pos + 1 >= 0 && pos + 1 < (int)c->n
                  ? c->clause_of[pos + 1] : -1;
    for (int k = 0; k < nel; k++) {
        const sr_pat_elem *e = &el[k];
        bool adj = e->adjacent || k == 0 ? e->adjacent : false;
        /* news: a word after "^" stands right after the skipped noun
         * phrase - that is what the skip is for; a distant one ("accused
         * the US of restoring ... on independence for Namibia") is not it */
        if (k > 0 && el[k - 1].kind == SR_PE_SKIP && coder_news(c))
            adj = true;
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
            int x = dir > 0 ? coder_ent_after(c, p) : coder_ent_before(c, p + 1);
            /* an uncoded noun phrase ("state media") is not an actor; but
             * as a source it still blocks ("Analysts say ...") */
            while (e->kind == SR_PE_TARGET && x >= 0 && !c->e[x].code[0])
                x = dir > 0 ? (x + 1 < (int)c->ne ? x + 1 : -1) : x - 1;
            /* news: "The Turkish and Greek sides of the island of Cyprus
             * have agreed": a subject is not the object of a preposition;
             * the nearest actor before the verb that is no such object is */
            if (coder_news(c) && dir < 0 && e->kind != SR_PE_TARGET)
                while (x > 0 && c->e[x].prep && !c->e[x].pronoun &&
                       (!c->clause_of || c->clause_of[c->e[x - 1].start] == c->clause_of[c->e[x].start]))
                    x--;
            if (x < 0)
                return false;
            int dist = dir > 0 ? c->e[x].start - p : p + 1 - c->e[x].end;
            if (dist > (adj ? 1 : 12))
                return false;
            /* "demanded a truce with Moslem forces before allowing U.N. aid
             * convoys", "war games in the Mediterranean, expected to be
             * joined later by Italian vessels": a target is not sought past
             * a subordinate clause's opener, a relative pronoun or another
             * clause */
            if (dir > 0 && e->kind == SR_PE_TARGET && coder_news(c))
                for (int q = p + 1; q < c->e[x].start; q++)
                    if ((wclass(c, (size_t)q) & WC_SUBORD) || tok_is(c, (size_t)q, c->id_which) ||
                        tok_is(c, (size_t)q, c->id_who) ||
                        (clause_opener(c, q) && !tok_is(c, (size_t)q, c->id_that)))
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
            if (vcl >= 0 && c->clause_of[q] != vcl)
                break;
            if (e->kind == SR_PE_WORD) {
                if (sr_ds_key_match(c->ds, &c->v[q], e->key)) {
                    /* "condemned a Turkish drone strike that killed ...":
                     * a pattern's "that" is the verb's own complementizer
                     * only right where the pattern puts it, not a relative
                     * pronoun further on */
                    if (dir > 0 && step > 0 && clause_opener(c, q))
                        break;
                    found = true;
                    p = q + dir;
                    if (dir < 0 && q < r->word_lo)
                        r->word_lo = q;
                    break;
                }
                if (dir > 0 && clause_opener(c, q))
                    break;
            } else if (e->kind == SR_PE_SYNSET) {
                size_t len;
                if (dir > 0 && synset_may_start(c, e->key, (size_t)q) &&
                    sr_ds_synset_at(c->ds, e->key, c->v, c->n, (size_t)q, &len)) {
                    found = true;
                    p = q + (int)len;
                    break;
                }
                if (dir > 0 && clause_opener(c, q))
                    break;
                if (dir < 0) {
                    /* a synset phrase ending at q: try starts q-3..q */
                    for (int s = q; s >= 0 && s > q - 4; s--)
                        if (synset_may_start(c, e->key, (size_t)s) &&
                            sr_ds_synset_at(c->ds, e->key, c->v, c->n, (size_t)s, &len) &&
                            s + (int)len - 1 == q) {
                            found = true;
                            p = s - 1;
                            if (s < r->word_lo)
                                r->word_lo = s;
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

/* The sentence's words and stems as a 4096-bit set, so a pattern naming a
 * word the sentence lacks is dropped without being matched (most of the
 * hundreds of patterns a common verb has; best_pattern() tests each one's
 * two rarest words against it before reading the pattern). */
static inline uint32_t key_bit(uint32_t k)
{
    return sr_key_set_bit(k);
}

static inline void sig_add(sr_coder *c, uint32_t key)
{
    uint32_t b = sr_key_sig_bit(key);
    c->keysig[b >> 6] |= 1ull << (b & 63);
}

void coder_build_keyset(sr_coder *c)
{
    memset(c->keyset, 0, sizeof c->keyset);
    c->keyset[SR_KEY_SET_ALWAYS / 64] |= 1ull << (SR_KEY_SET_ALWAYS % 64);
    memset(c->keysig, 0, sizeof c->keysig);
    for (size_t i = 0; i < c->n; i++) {
        sr_tokview *v = &c->v[i];
        if (v->id) {
            uint32_t b = key_bit(v->id);
            c->keyset[b >> 6] |= 1ull << (b & 63);
            sig_add(c, v->id);
        }
        sr_ds_token_stems(c->ds, v);
        for (uint8_t k = 0; k < v->nstems; k++) {
            uint32_t b = key_bit(v->stems[k]);
            c->keyset[b >> 6] |= 1ull << (b & 63);
            sig_add(c, v->stems[k]);
        }
    }
}

static bool pattern_possible(const sr_coder *c, const sr_pattern *pt)
{
    if ((pt->need[0] & ~c->keysig[0]) | (pt->need[1] & ~c->keysig[1]) |
        (pt->need[2] & ~c->keysig[2]) | (pt->need[3] & ~c->keysig[3]))
        return false;
    const sr_dictset *ds = c->ds;
    const sr_pat_elem *el = &ds->pelems[pt->elem];
    for (int k = 0; k < pt->npre + pt->npost; k++) {
        if (el[k].kind == SR_PE_SYNSET && el[k].key < ds->synset_first_cap) {
            /* "&FIGHT": none of the set's first words is in the sentence */
            const uint64_t *f = ds->synset_first[el[k].key];
            if (!((f[0] & c->keysig[0]) | (f[1] & c->keysig[1]) | (f[2] & c->keysig[2]) |
                  (f[3] & c->keysig[3])))
                return false;
            continue;
        }
        if (el[k].kind != SR_PE_WORD)
            continue;
        uint32_t b = key_bit(el[k].key);
        if (!(c->keyset[b >> 6] & (1ull << (b & 63))))
            return false;
    }
    return true;
}

bool coder_try_pattern(sr_coder *c, const sr_pattern *pt, const verb_occ *o, pat_result *r)
{
    const sr_pat_elem *el = &c->ds->pelems[pt->elem];
    r->src = r->tgt = -1;
    if (!pattern_possible(c, pt))
        return false;
    r->compound = false;
    r->word_lo = o->start;
    int lo = o->start, hi = o->start + o->len;
    if (pt->npre && !match_side(c, el, pt->npre, o->start - 1, -1, r, &lo))
        return false;
    if (pt->npost && !match_side(c, el + pt->npre, pt->npost, o->start + o->len, +1, r, &hi))
        return false;
    r->lo = lo;
    r->hi = hi;
    return true;
}

