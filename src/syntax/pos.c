/*
 * pos.c - the Penn Treebank tag set as UD EWT writes it: names and the UPOS
 * each tag usually has.
 */
#include <string.h>

#include "syntax/internal.h"

static const char *const pos_names[SR_POS_COUNT] = {
    "NN", "NNS", "NNP", "NNPS", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD",
    "JJ", "JJR", "JJS", "RB", "RBR", "RBS", "DT", "PDT", "IN", "TO", "CC", "CD",
    "PRP", "PRP$", "WDT", "WP", "WP$", "WRB", "POS", "RP", "EX", "UH", "FW",
    "SYM", "LS", ",", ".", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP",
    "$", "#", "ADD", "GW", "XX", "AFX",
};

/* The UPOS UD EWT gives each tag most often (checked against the treebank
 * by tests/conformance/pos_treebank_test.c). */
static const uint8_t pos_upos[SR_POS_COUNT] = {
    SR_UPOS_NOUN, SR_UPOS_NOUN, SR_UPOS_PROPN, SR_UPOS_PROPN,            /* NN..NNPS */
    SR_UPOS_VERB, SR_UPOS_VERB, SR_UPOS_VERB, SR_UPOS_VERB, SR_UPOS_VERB, /* VB..VBP */
    SR_UPOS_VERB, SR_UPOS_AUX,                                           /* VBZ MD */
    SR_UPOS_ADJ, SR_UPOS_ADJ, SR_UPOS_ADJ,                               /* JJ* */
    SR_UPOS_ADV, SR_UPOS_ADV, SR_UPOS_ADV,                               /* RB* */
    SR_UPOS_DET, SR_UPOS_DET, SR_UPOS_ADP, SR_UPOS_PART, SR_UPOS_CCONJ,  /* DT PDT IN TO CC */
    SR_UPOS_NUM, SR_UPOS_PRON, SR_UPOS_PRON,                             /* CD PRP PRP$ */
    SR_UPOS_PRON, SR_UPOS_PRON, SR_UPOS_PRON, SR_UPOS_ADV,               /* WDT WP WP$ WRB */
    SR_UPOS_PART, SR_UPOS_ADP, SR_UPOS_PRON, SR_UPOS_INTJ, SR_UPOS_X,    /* POS RP EX UH FW */
    SR_UPOS_SYM, SR_UPOS_X,                                              /* SYM LS */
    SR_UPOS_PUNCT, SR_UPOS_PUNCT, SR_UPOS_PUNCT, SR_UPOS_PUNCT,          /* , . : `` */
    SR_UPOS_PUNCT, SR_UPOS_PUNCT, SR_UPOS_PUNCT, SR_UPOS_PUNCT,          /* '' ( ) HYPH */
    SR_UPOS_PUNCT, SR_UPOS_SYM, SR_UPOS_SYM, SR_UPOS_PROPN, SR_UPOS_X,   /* NFP $ # ADD GW */
    SR_UPOS_X, SR_UPOS_ADJ,                                              /* XX AFX */
};

static const char *const upos_names[SR_UPOS_COUNT] = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART",
    "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
};

const char *sr_pos_name(sr_pos p)
{
    return (unsigned)p < SR_POS_COUNT ? pos_names[p] : "?";
}

sr_pos sr_pos_from_name(const char *s, size_t n)
{
    for (int i = 0; i < SR_POS_COUNT; i++)
        if (strlen(pos_names[i]) == n && memcmp(pos_names[i], s, n) == 0)
            return (sr_pos)i;
    return SR_POS_COUNT;
}

const char *sr_upos_name(sr_upos u)
{
    return (unsigned)u < SR_UPOS_COUNT ? upos_names[u] : "?";
}

sr_upos sr_pos_upos(sr_pos p)
{
    return (unsigned)p < SR_POS_COUNT ? (sr_upos)pos_upos[p] : SR_UPOS_X;
}
