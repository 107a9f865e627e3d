/*
 * store_mentions.c - a coded document's mentions as store rows (see
 * store_mentions.h).
 */
#include "cli/store_mentions.h"

#include <stdlib.h>
#include <string.h>

void store_mentions_init(store_mentions *sm, size_t arena_max)
{
    memset(sm, 0, sizeof *sm);
    sr_buf_init(&sm->arena, arena_max);
}

void store_mentions_free(store_mentions *sm)
{
    sr_buf_free(&sm->arena);
    free(sm->v);
    free(sm->offs);
    memset(sm, 0, sizeof *sm);
}

sr_err store_mentions_build(store_mentions *sm, const code_env *env, const sr_doc *doc)
{
    const sr_mentions *ms = &env->ms;
    sm->n = 0;
    sr_buf_reset(&sm->arena);
    if (sr_grow((void **)&sm->v, &sm->cap, ms->n + 1, sizeof *sm->v) ||
        sr_grow((void **)&sm->offs, &sm->capoffs, 6 * ms->n + 1, sizeof *sm->offs))
        return SR_ENOMEM;
    sr_err e = SR_OK;
    for (size_t i = 0; i < ms->n && !e; i++) {
        const sr_mention *m = &ms->v[i];
        sm->offs[6 * i] = sm->arena.len;
        e = sr_sentence_text(&env->td, m->sentence, &sm->arena);
        if (!e) e = sr_buf_putc(&sm->arena, '\0');
        uint32_t spans[3][2] = {
            {m->source.start, m->source.end},
            {m->has_target ? m->target.start : 0, m->has_target ? m->target.end : 0},
            {m->verb_start, m->verb_end},
        };
        for (int k = 0; k < 3 && !e; k++) {
            sm->offs[6 * i + 1 + k] = sm->arena.len;
            uint32_t s = spans[k][0], en = spans[k][1];
            if (en > s && en <= doc->text_len) {
                /* one line: newlines inside a span become spaces */
                for (uint32_t x = s; x < en && !e; x++) {
                    char c = doc->text[x];
                    e = sr_buf_putc(&sm->arena, (c == '\n' || c == '\r' || c == '\t') ? ' ' : c);
                }
            }
            if (!e) e = sr_buf_putc(&sm->arena, '\0');
        }
        /* GDELT's names of the two codes (sitrep/geo.h) */
        for (int k = 0; k < 2 && !e; k++) {
            char name[128] = "";
            const char *code = k == 0 ? m->source.code : m->has_target ? m->target.code : "";
            sm->offs[6 * i + 4 + k] = sm->arena.len;
            if (env->geo)
                sr_geo_actor_name(env->geo, env->ds, code, name, sizeof name);
            e = sr_buf_puts(&sm->arena, name);
            if (!e) e = sr_buf_putc(&sm->arena, '\0');
        }
    }
    if (e)
        return e;
    for (size_t i = 0; i < ms->n; i++) {
        sr_store_mention *o = &sm->v[i];
        o->m = &ms->v[i];
        o->sentence = sm->arena.p + sm->offs[6 * i];
        o->source_text = sm->arena.p + sm->offs[6 * i + 1];
        o->target_text = sm->arena.p + sm->offs[6 * i + 2];
        o->verb_text = sm->arena.p + sm->offs[6 * i + 3];
        const char *sn = sm->arena.p + sm->offs[6 * i + 4], *tn = sm->arena.p + sm->offs[6 * i + 5];
        o->source_name = *sn ? sn : NULL;
        o->target_name = *tn ? tn : NULL;
        o->geo = env->gp ? &env->geos[i] : NULL;
    }
    sm->n = ms->n;
    return SR_OK;
}
