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

bool coder_sentence_reported(sr_coder *c)
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

