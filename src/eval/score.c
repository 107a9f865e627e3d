/*
 * score.c - the levels every evaluation reports (sitrep/eval.h).
 *
 * Per record, gold and coder items are first reduced to the keys each level
 * compares (category, roots) and made sets: a coder that says USA>PRK 1041
 * and USA>PRK 10 has said one thing at the event level, not two, and a gold
 * record lists each source x target pair once.  Matching is then one to one
 * and greedy, exact keys first, so a gold item with an unnamed side (no
 * target) takes a coder item only when no other gold item wants it exactly.
 */
#include <string.h>

#include "sitrep/codebook.h"
#include "sitrep/eval.h"

#define MAX_ITEMS 128

double sr_prf_precision(const sr_prf *p)
{
    size_t d = p->tp + p->fp;
    return d ? (double)p->tp / (double)d : 0.0;
}

double sr_prf_recall(const sr_prf *p)
{
    size_t d = p->tp + p->fn;
    return d ? (double)p->tp / (double)d : 0.0;
}

double sr_prf_f1(const sr_prf *p)
{
    double pr = sr_prf_precision(p), rc = sr_prf_recall(p);
    return pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0.0;
}

const char *sr_eval_plover_category(const char *gold)
{
    static const struct { const char *old, *now; } merged[] = {
        {"DEMAND", "REQUEST"}, {"DISAPPROVE", "ACCUSE"}, {"INVESTIGATE", "ACCUSE"},
        {"FIGHT", "ASSAULT"},
    };
    if (!gold)
        return NULL;
    for (size_t i = 0; i < sizeof merged / sizeof merged[0]; i++)
        if (strcmp(gold, merged[i].old) == 0)
            return merged[i].now;
    return gold;
}

typedef struct key {
    const char *cat;          /* NULL at the pair level */
    char src[4], tgt[4];      /* roots; "" = side not named (gold) or ignored */
} key;

const char *sr_eval_country_alias(const char *root3)
{
    /* found by listing the gold's roots that no dictionary uses: each is a
     * country the dictionaries know under its ISO 3166 code */
    static const char *const alias[][2] = {
        {"ITL", "ITA"}, {"JAP", "JPN"}, {"VTN", "VNM"}, {"TMP", "TLS"},
    };
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strncmp(root3, alias[i][0], 3) == 0)
            return alias[i][1];
    return NULL;
}

static void root(char out[4], const char *code)
{
    size_t n = 0;
    while (n < 3 && code[n])
        n++;
    memcpy(out, code, n);
    out[n] = '\0';
    const char *iso = n == 3 ? sr_eval_country_alias(out) : NULL;
    if (iso)
        memcpy(out, iso, 4);
}

static bool key_eq(const key *a, const key *b)
{
    if ((a->cat == NULL) != (b->cat == NULL))
        return false;
    if (a->cat && strcmp(a->cat, b->cat) != 0)
        return false;
    return strcmp(a->src, b->src) == 0 && strcmp(a->tgt, b->tgt) == 0;
}

/* Does coder key s satisfy gold key g?  A side gold leaves unnamed matches
 * anything. */
static bool key_fits(const key *g, const key *s)
{
    if ((g->cat == NULL) != (s->cat == NULL))
        return false;
    if (g->cat && strcmp(g->cat, s->cat) != 0)
        return false;
    return (!g->src[0] || strcmp(g->src, s->src) == 0) &&
           (!g->tgt[0] || strcmp(g->tgt, s->tgt) == 0);
}

static size_t add_key(key *set, size_t n, const key *k)
{
    for (size_t i = 0; i < n; i++)
        if (key_eq(&set[i], k))
            return n;
    if (n < MAX_ITEMS)
        set[n++] = *k;
    return n;
}

/* One level: match gold set g against coder set s, one to one. */
static void match_level(sr_prf *prf, const key *g, size_t ng, const key *s, size_t ns,
                        bool *s_used)
{
    bool g_used[MAX_ITEMS] = {false};
    for (size_t i = 0; i < ns; i++)
        s_used[i] = false;
    size_t tp = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ng; i++) {
            if (g_used[i])
                continue;
            for (size_t j = 0; j < ns; j++) {
                if (s_used[j])
                    continue;
                if (pass == 0 ? key_eq(&g[i], &s[j]) : key_fits(&g[i], &s[j])) {
                    g_used[i] = s_used[j] = true;
                    tp++;
                    break;
                }
            }
        }
    prf->tp += tp;
    prf->fp += ns - tp;
    prf->fn += ng - tp;
}

void sr_eval_score(sr_eval_levels *lv, const sr_eval_item *gold, size_t ng,
                   const sr_eval_item *sys, size_t ns, bool *sys_extra)
{
    key g[MAX_ITEMS] = {{0}}, s[MAX_ITEMS] = {{0}};
    size_t s_of[MAX_ITEMS];     /* coder item -> its key at the event level */
    bool used[MAX_ITEMS];
    size_t gn = 0, sn = 0;
    lv->records++;

    /* sentence level */
    size_t gev = 0, sev = 0;
    for (size_t i = 0; i < ng; i++)
        gev += gold[i].category != NULL;
    for (size_t i = 0; i < ns; i++)
        sev += sys[i].category != NULL;
    if (gev && sev)
        lv->sentence.tp++;
    else if (gev)
        lv->sentence.fn++;
    else if (sev)
        lv->sentence.fp++;

    /* event level */
    for (size_t i = 0; i < ng; i++) {
        if (!gold[i].category)
            continue;
        key k = {gold[i].category, "", ""};
        root(k.src, gold[i].src);
        root(k.tgt, gold[i].tgt);
        gn = add_key(g, gn, &k);
    }
    for (size_t i = 0; i < ns; i++) {
        s_of[i] = MAX_ITEMS;
        if (!sys[i].category)
            continue;
        key k = {sys[i].category, "", ""};
        root(k.src, sys[i].src);
        root(k.tgt, sys[i].tgt);
        size_t before = sn;
        sn = add_key(s, sn, &k);
        for (size_t j = 0; j < sn; j++)
            if (key_eq(&s[j], &k))
                s_of[i] = j;
        (void)before;
    }
    match_level(&lv->event, g, gn, s, sn, used);
    for (size_t j = 0; j < sn; j++)
        lv->extras += !used[j];
    if (sys_extra)
        for (size_t i = 0; i < ns; i++)
            sys_extra[i] = s_of[i] < sn && !used[s_of[i]];

    /* category level: sets of categories */
    key gc[MAX_ITEMS] = {{0}}, sc[MAX_ITEMS] = {{0}};
    size_t gcn = 0, scn = 0;
    for (size_t i = 0; i < gn; i++) {
        key k = {g[i].cat, "", ""};
        gcn = add_key(gc, gcn, &k);
    }
    for (size_t i = 0; i < sn; i++) {
        key k = {s[i].cat, "", ""};
        scn = add_key(sc, scn, &k);
    }
    match_level(&lv->category, gc, gcn, sc, scn, used);

    /* pair level: roots without the category */
    gcn = scn = 0;
    for (size_t i = 0; i < gn; i++) {
        key k = g[i];
        k.cat = NULL;
        gcn = add_key(gc, gcn, &k);
    }
    for (size_t i = 0; i < sn; i++) {
        key k = s[i];
        k.cat = NULL;
        scn = add_key(sc, scn, &k);
    }
    match_level(&lv->pair, gc, gcn, sc, scn, used);

    /* mutual pairs on directional codes, counted once per pair */
    for (size_t i = 0; i < ns; i++)
        for (size_t j = i + 1; j < ns; j++)
            if (sys[i].cameo[0] && strcmp(sys[i].cameo, sys[j].cameo) == 0 &&
                sys[i].src[0] && sys[i].tgt[0] && strcmp(sys[i].src, sys[j].tgt) == 0 &&
                strcmp(sys[i].tgt, sys[j].src) == 0 && !sr_cameo_is_mutual(sys[i].cameo))
                lv->mutual++;
}
