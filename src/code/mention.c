/*
 * mention.c - filling a mention's CAMEO-derived fields (root, QuadClass,
 * Goldstein, PLOVER) from the codebook the dictset carries.
 *
 * Kept apart from the matcher so the codebook's format can change without
 * touching coding.  Without a codebook the root is the code's first two
 * digits and the rest stays zero/NULL, as code.h documents.  A code the
 * codebook lacks (dictionaries use a few, such as 0110 or 109) takes the
 * facts of its nearest listed ancestor, so every event gets a QuadClass and
 * Goldstein value as long as its root is a CAMEO root.
 */
#include <stdio.h>
#include <string.h>

#include "sitrep/code.h"
#include "sitrep/codebook.h"
#include "sitrep/dict.h"

void sr_mention_fill_codebook(const sr_dictset *dicts, sr_mention *m)
{
    snprintf(m->root, sizeof m->root, "%.2s", m->cameo);
    m->quad = 0;
    m->goldstein = 0;
    m->plover_event = NULL;
    m->plover_mode = NULL;
    const sr_codebook *cb = dicts ? sr_dictset_codebook(dicts) : NULL;
    const sr_cameo_entry *e = cb ? sr_codebook_lookup(cb, m->cameo, NULL) : NULL;
    if (!e)
        return;
    memcpy(m->root, e->root, sizeof m->root);
    m->quad = e->quad;
    m->goldstein = e->has_goldstein ? e->goldstein : 0;
    m->plover_event = e->plover_event;
    m->plover_mode = e->plover_mode;
}
