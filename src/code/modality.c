/*
 * modality.c - how the text holds an event: negated, refused, future, hedged,
 * reported or asserted.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/internal.h"

/* ---- modality ------------------------------------------------------------------ */


sr_modality coder_modality(sr_coder *c, const verb_occ *o, neg_kind *neg,
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
        uint32_t w = wclass(c, (size_t)k);
        if (w & WC_NEG) {
            *neg = NEG_PLAIN;
            negpos = k;
        }
        /* news: "Rwanda denied supporting the M23 rebels": what is denied
         * is not asserted to have happened */
        if (coder_news(c) && k + 1 == (int)o->start && c->have_pos &&
            c->pos[o->head] == SR_POS_VBG && c->v[k].fold_len >= 4 &&
            (memcmp(c->v[k].fold, "deni", 4) == 0 || memcmp(c->v[k].fold, "deny", 4) == 0)) {
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

bool coder_sentence_reported(sr_coder *c)
{
    for (size_t i = 0; i < c->n; i++) {
        uint32_t w = wclass(c, i);
        if (!(w & WC_REPORT))
            continue;
        if (tok_is(c, i, c->id_according) && !tok_is(c, i + 1, c->id_to))
            continue;
        return true;
    }
    return false;
}


/* ---- stance: intent, threat, refusal, demand ------------------------------------ */

/* The verb occurrence starting at token i, or -1. */
static int verb_starting(const sr_coder *c, size_t i)
{
    for (size_t v = 0; v < c->nvo; v++)
        if (c->vo[v].start == i)
            return (int)v;
    return -1;
}

/* News coding only.  For each verb, from the words before it (up to four,
 * not past an actor or punctuation) and the sentence around it:
 *   "agreed / offered / promised / willing / ready / plans to V"  intent
 *   "threatened to V"                                             threat
 *   "refused / declined / failed to V", "will not V"              refusal
 *   "will / shall / 'll V", "would V" in a reported clause        intent
 *   any intent with "unless" after it                             threat
 *   "X said Y must / should V"                                    X's demand
 * A controlling verb ("agreed", "threatened") that is itself a verb of the
 * dictionaries is linked to the verb it controls, so the two are coded as
 * one event: the controlled act, framed by the controller. */
/* "removing the sanctions is out of the question", "...is not an
 * option": a gerund whose clause rules it out is refused. */
static bool out_of_question(const sr_coder *c, const verb_occ *o)
{
    if (!c->have_pos || c->pos[o->head] != SR_POS_VBG)
        return false;
    static const char *const tail[][5] = {
        {"out", "of", "the", "question", NULL},
        {"not", "an", "option", NULL, NULL},
        {"unacceptable", NULL, NULL, NULL, NULL},
    };
    for (size_t i = o->start + o->len; i < c->n && i < o->start + o->len + 10u; i++) {
        if (c->tk[i].kind == SR_TOK_PUNCT || (i > o->start + o->len && verb_starting(c, i) >= 0 &&
                                              !(wclass(c, i) & WC_BE)))
            return false;
        if (!(wclass(c, i) & WC_BE))
            continue;
        size_t j = i + 1;
        while (j < c->n && ((wclass(c, j) & WC_ADV) || (c->have_pos && c->pos[j] == SR_POS_RB &&
                                                          !(wclass(c, j) & WC_NEG))))
            j++;
        for (size_t t = 0; t < sizeof tail / sizeof tail[0]; t++) {
            size_t k = 0;
            while (k < 5 && tail[t][k] && j + k < c->n &&
                   c->v[j + k].fold_len == strlen(tail[t][k]) &&
                   memcmp(c->v[j + k].fold, tail[t][k], c->v[j + k].fold_len) == 0)
                k++;
            if (k == 5 || !tail[t][k])
                return true;
        }
        return false;
    }
    return false;
}

void coder_find_stance(sr_coder *c)
{
    bool said_before = false;
    for (size_t v = 0; v < c->nvo; v++) {
        verb_occ *o = &c->vo[v];
        o->stance = ST_ACT;
        o->future = 0;
        o->controlled = 0;
        o->ctl = -1;
    }
    if (!coder_news(c))
        return;
    size_t vi = 0;
    for (size_t v = 0; v < c->nvo; v++) {
        verb_occ *o = &c->vo[v];
        for (; vi < o->start; vi++)
            if (wclass(c, vi) & WC_SAY)
                said_before = true;
        if (o->noun_use)
            continue;
        bool neg = false, will = false, oblige = false;
        for (int k = (int)o->start - 1, steps = 0; k >= 0 && steps < 5; k--, steps++) {
            if (c->ent_at[k] >= 0 || (c->tk[k].kind == SR_TOK_PUNCT && !tok_is(c, (size_t)k, c->id_apos_ll)))
                break;
            uint32_t w = wclass(c, (size_t)k);
            if (tok_is(c, (size_t)k, c->id_to)) {
                /* "agreed to a ceasefire brokered by ...": "to" and a noun
                 * phrase; only adverbs stand between an infinitive's "to"
                 * and its verb */
                bool infinitive = true;
                for (size_t q = (size_t)k + 1; q < o->start; q++)
                    if (!(wclass(c, q) & (WC_ADV | WC_NEG)) &&
                        !(c->have_pos && sr_pos_is_adverb(c->pos[q])))
                        infinitive = false;
                if (!infinitive)
                    break;
                int j = k - 1;
                while (j >= 0 && (wclass(c, (size_t)j) & (WC_ADV | WC_NEG)))
                    j--;
                if (j < 0)
                    break;
                uint32_t wj = wclass(c, (size_t)j);
                /* "the court decided to allow": a decision taken is the
                 * act, not an intent; "decided not to" is a refusal */
                bool decided_neg = false;
                for (int q = j + 1; q < k; q++)
                    if (wclass(c, (size_t)q) & WC_NEG)
                        decided_neg = true;
                if ((wj & WC_DECIDE) && !decided_neg)
                    ;
                else if (wj & WC_THREAT)
                    o->stance = ST_THREAT;
                else if (wj & WC_REFUSE)
                    o->stance = ST_REFUSE;
                else if (wj & WC_INTENT)
                    o->stance = ST_INTENT;
                else
                    break;
                int ctl = verb_starting(c, (size_t)j);
                if (ctl >= 0 && (size_t)ctl != v && c->vo[ctl].ctl < 0) {
                    c->vo[ctl].ctl = (int8_t)v;
                    o->controlled = 1;
                }
                break;
            }
            if (w & WC_NEG)
                neg = true;
            /* "would" is the future of a reported statement ("said they
             * would boycott"), else a hedge */
            if ((w & WC_WILL) && (!(w & WC_HEDGE) || said_before))
                will = true;
            if (w & WC_OBLIGE)
                oblige = true;
        }
        if (will) {
            o->future = 1;
            if (o->stance == ST_ACT)
                o->stance = ST_INTENT;
        }
        if (neg && (will || o->stance == ST_INTENT))
            o->stance = ST_REFUSE;
        if (o->stance == ST_ACT && out_of_question(c, o))
            o->stance = ST_REFUSE;
        /* "demanded a truce before allowing aid convoys in": what is done
         * only "before" a condition is met has not been done; no event */
        if (o->start > 0 && c->have_pos && c->pos[o->head] == SR_POS_VBG &&
            c->v[o->start - 1].fold_len == 6 && memcmp(c->v[o->start - 1].fold, "before", 6) == 0)
            o->controlled = 1;   /* skipped like a controlled verb, with no controller */
        if (oblige && said_before && o->stance == ST_ACT)
            o->stance = ST_DEMAND;
        if (o->stance == ST_INTENT)
            for (size_t k = o->start + o->len; k < c->n; k++)
                if (wclass(c, k) & WC_UNLESS) {
                    o->stance = ST_THREAT;
                    break;
                }
    }
    /* "agreed to expand ... and to hold a joint exercise next year": an
     * event noun in what an intent, threat or refusal controls is held the
     * same way, up to a new subject or a semicolon */
    int last = -1;
    for (size_t v = 0; v < c->nvo; v++) {
        verb_occ *o = &c->vo[v];
        if (!o->noun_use) {
            last = o->stance != ST_ACT && o->controlled ? (int)v : -1;
            continue;
        }
        if (last < 0)
            continue;
        bool open = true;
        for (size_t k = c->vo[last].start + c->vo[last].len; k < o->start && open; k++)
            if ((c->ent_at[k] >= 0 && !c->e[c->ent_at[k]].prep) ||
                (c->tk[k].kind == SR_TOK_PUNCT && c->v[k].fold_len == 1 && c->v[k].fold[0] == ';'))
                open = false;
        if (open) {
            o->stance = c->vo[last].stance;
            o->future = c->vo[last].future;
        }
    }
}

/* The code for an act framed by a stance, after the CAMEO codebook: an
 * intent to do a cooperative act is 03x (an intent to give economic aid,
 * 0331), to do a hostile one is a threat, 13x (to impose a curfew, 1323);
 * a refusal of a cooperative act is 12x; a demand that someone do it, 10x.
 * Codes without a counterpart keep the stance's general code. */
const char *coder_stance_code(stance st, const char *code)
{
    static const struct { const char *act, *intent, *threat, *refuse, *demand; } map[] = {
        /* longest prefix first within a root */
        {"045",  "039",  NULL,   "125",  "108"},
        {"037",  "037",  NULL,   "125",  "107"},
        {"04",   "036",  NULL,   "125",  "106"},
        {"057",  "030",  NULL,   "120",  "100"},
        {"05",   "032",  NULL,   "120",  "102"},
        {"061",  "0311", NULL,   "1211", "1011"},
        {"062",  "0312", NULL,   "1212", "1012"},
        {"063",  "0313", NULL,   "121",  "1013"},
        {"064",  "0314", NULL,   "121",  "1014"},
        {"06",   "031",  NULL,   "121",  "101"},
        {"071",  "0331", NULL,   "122",  "1031"},
        {"072",  "0332", NULL,   "122",  "1032"},
        {"073",  "0333", NULL,   "122",  "1033"},
        {"074",  "0334", NULL,   "122",  "1034"},
        {"07",   "033",  NULL,   "122",  "103"},
        {"081",  "0351", NULL,   "1241", "1051"},
        {"082",  "0352", NULL,   "1242", "1052"},
        {"0831", "0341", NULL,   "123",  "1041"},
        {"0832", "0342", NULL,   "123",  "1042"},
        {"0833", "0343", NULL,   "123",  "1043"},
        {"0834", "0344", NULL,   "123",  "1044"},
        {"083",  "034",  NULL,   "123",  "104"},
        {"084",  "0353", NULL,   "1243", "1053"},
        {"085",  "0354", NULL,   "1244", "1054"},
        {"086",  "0355", NULL,   "1245", "1055"},
        {"087",  "0356", NULL,   "1246", "1056"},
        {"08",   "035",  NULL,   "124",  "105"},
        {"03",   NULL,   NULL,   "120",  "100"},
        {"14",   "133",  "133",  NULL,   NULL},
        {"15",   "130",  "130",  NULL,   NULL},
        {"161",  "1313", "1313", NULL,   NULL},
        {"162",  "1311", "1311", NULL,   NULL},
        {"163",  "1312", "1312", NULL,   NULL},
        {"16",   "131",  "131",  NULL,   NULL},
        {"1721", "1321", "1321", NULL,   NULL},
        {"1722", "1322", "1322", NULL,   NULL},
        {"1723", "1323", "1323", NULL,   NULL},
        {"1724", "1324", "1324", NULL,   NULL},
        {"175",  "137",  "137",  NULL,   NULL},
        {"17",   "132",  "132",  NULL,   NULL},
        {"191",  "1381", "1381", NULL,   NULL},
        {"192",  "1382", "1382", NULL,   NULL},
        {"204",  "1385", "1385", NULL,   NULL},
        {"20",   "1383", "1383", NULL,   NULL},
        {"18",   "138",  "138",  NULL,   NULL},
        {"19",   "138",  "138",  NULL,   NULL},
    };
    if (st == ST_ACT || !code || !code[0])
        return code;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strncmp(code, map[i].act, strlen(map[i].act)) != 0)
            continue;
        const char *r = st == ST_INTENT ? map[i].intent : st == ST_THREAT ? map[i].threat :
                        st == ST_REFUSE ? map[i].refuse : map[i].demand;
        if (r)
            return r;
        break;
    }
    /* statements, appeals, accusations, demands, rejections and threats
     * keep their code when intended; other frames take the general code */
    switch (st) {
    case ST_THREAT: return strncmp(code, "13", 2) == 0 ? code : "130";
    case ST_REFUSE: return strncmp(code, "12", 2) == 0 ? code : "120";
    case ST_DEMAND: return strncmp(code, "10", 2) == 0 ? code : "100";
    default:        return code;
    }
}
