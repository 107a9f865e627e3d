/*
 * emit.c - mentions out: one per source x target of the actors' compound groups,
 * the story's main actors, and the sentence's issues.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code/internal.h"
#include "sitrep/codebook.h"

/* ---- output ---------------------------------------------------------------------- */

static void ent_span(const sr_coder *c, const ent *x, uint32_t *s, uint32_t *e)
{
    *s = c->tk[x->start].start;
    *e = c->tk[x->end - 1].end;
}

/* News: the same act is a protest when the people do it and a restriction
 * when the state does: blocking roads is 144 (obstruct passage) for
 * protesters, farmers or rebels, 191 (impose a blockade, restrict movement)
 * for an army or police. */
static const char *actor_fits_code(const sr_coder *c, const ent *src, const char *code)
{
    if (!coder_news(c))
        return code;
    if (strncmp(code, "191", 3) == 0 && people_actor(src->code) && !state_actor(src->code))
        return "144";
    if (strncmp(code, "144", 3) == 0 && state_actor(src->code))
        return "191";
    return code;
}

static sr_err emit(sr_coder *c, sr_mentions *out, uint32_t sentence, const ent *src,
                   const ent *tgt, const char *code, sr_modality mod, const verb_occ *o,
                   const char *issues)
{
    if (!src || !src->code[0] || coder_code_is_null(code))
        return SR_OK;
    code = actor_fits_code(c, src, code);
    if (tgt && (!tgt->code[0] || strcmp(tgt->code, src->code) == 0))
        return SR_OK;
    /* "Israel launched strikes" does not make Israel act on its own army:
     * a target that is a part of the source (ISR > ISRMIL) is no target */
    if (tgt && coder_news(c) && !tgt->domestic && code_part_of(tgt->code, src->code) &&
        strncmp(code, "14", 2) != 0)   /* a protest is made by a people against its state */
        tgt = NULL;
    /* "completed their withdrawal from the two villages": a retreat is
     * from a place, not from the country's own people */
    if (tgt && coder_news(c) && strncmp(code, "087", 3) == 0 && strlen(src->code) >= 3 &&
        strncmp(tgt->code, src->code, 3) == 0 && strlen(tgt->code) == 6 &&
        (strcmp(tgt->code + 3, "CVL") == 0 || strcmp(tgt->code + 3, "PPL") == 0))
        tgt = NULL;
    /* a show of force (15x) by a government is made with its own army or
     * police, not toward them ("ordered patrols by police": NGAGOV > -) */
    if (tgt && coder_news(c) && strncmp(code, "15", 2) == 0 && strlen(src->code) >= 3 &&
        strncmp(tgt->code, src->code, 3) == 0 && state_actor(tgt->code) &&
        !code_has_agent(tgt->code, (const char *const[]){"GOV"}, 1))
        tgt = NULL;
    if (!tgt && !c->ds->opts.allow_no_target && !coder_news(c))
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
    coder_copy(m->source.code, sizeof m->source.code, src->code);
    ent_span(c, src, &m->source.start, &m->source.end);
    m->source.known = src->known || src->name_end == 0;
    m->source.inferred = src->inferred;
    m->has_target = tgt != NULL;
    if (tgt) {
        coder_copy(m->target.code, sizeof m->target.code, tgt->code);
        ent_span(c, tgt, &m->target.start, &m->target.end);
        m->target.known = tgt->known || tgt->name_end == 0;
        m->target.inferred = tgt->inferred;
    }
    coder_copy(m->cameo, sizeof m->cameo, code);
    m->modality = mod;
    m->verb_start = c->tk[o->start].start;
    m->verb_end = c->tk[o->start + o->len - 1].end;
    coder_copy(m->issues, sizeof m->issues, issues);
    sr_mention_fill_codebook(c->ds, m);
    return SR_OK;
}

static size_t group_size(const sr_coder *c, int x)
{
    size_t n = 0;
    for (size_t k = 0; k < c->ne; k++)
        n += c->e[k].group == c->e[x].group;
    return n;
}

sr_err coder_emit_groups(sr_coder *c, sr_mentions *out, uint32_t sentence, int s, int t,
                          const char *code, const char *code2, sr_modality mod,
                          const verb_occ *o, const char *issues)
{
    sr_err err = SR_OK;
    /* a dictionary's second code is the other side's event ("visited" also
     * codes a host's 043): news coding counts one event per report of it,
     * and codes both ways only what is mutual by nature */
    if (code2 && coder_news(c))
        code2 = NULL;   /* an intent is the speaker's, an attack the attacker's, a
                           visit the visitor's, whatever a pattern says */

    /* "Thailand and Cambodia agreed to a ceasefire" (0356): an act that is
     * not mutual by nature is not coded between the parts of one subject
     * both ways; each part's own act stands, toward no one named */
    if (coder_news(c) && t >= 0 && c->e[t].group == c->e[s].group && !sr_cameo_is_mutual(code))
        t = -1;
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
            /* a target that is part of its source (ISR > ISRMIL) is left
             * out when the compound has other members */
            if (coder_news(c) && ent_part_of(&c->e[b], &c->e[a]) && group_size(c, t) > 1)
                continue;
            err = emit(c, out, sentence, &c->e[a], &c->e[b], code, mod, o, issues);
            if (!err && code2)
                err = emit(c, out, sentence, &c->e[b], &c->e[a], code2, mod, o, issues);
        }
    }
    return err;
}

void coder_sentence_issues(sr_coder *c, char *buf, size_t cap)
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

void coder_note_dyad(sr_coder *c, const char *code)
{
    if (!code[0])
        return;
    char root[4];
    coder_copy(root, sizeof root, code);
    for (int k = 0; k < 2; k++)
        if (strcmp(c->dyad[k], root) == 0) {
            c->dyad_n[k]++;
            return;
        }
    if (!c->dyad[0][0]) {
        coder_copy(c->dyad[0], sizeof c->dyad[0], root);
        c->dyad_n[0] = 1;
    } else if (!c->dyad[1][0]) {
        coder_copy(c->dyad[1], sizeof c->dyad[1], root);
        c->dyad_n[1] = 1;
    }
}

/* An entity standing for the document's main actor k (0 or 1), placed on
 * the verb phrase that implies it; -1 if there is no room. */
int coder_dyad_entity(sr_coder *c, const verb_occ *o, int k)
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
