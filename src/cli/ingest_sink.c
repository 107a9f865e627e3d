/*
 * ingest_sink.c - the per-document half of `sitrep ingest` (see
 * ingest_sink.h), moved out of cmd_ingest.c unchanged so `sitrep watch`
 * stores through the same code.
 *
 * Outlets: a document's outlet comes from the input (page metadata, feed
 * title, JSONL "outlet", the URL's host).  Plain text carries none, so it
 * is --outlet NAME if given, else the file's name without its extension
 * (harbour-post.txt -> "harbour-post").
 */
#include "cli/ingest_sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/watch.h"

void ingest_sink_init(ingest_sink *s, code_env *env, sr_store *st, const char *outlet)
{
    memset(s, 0, sizeof *s);
    s->env = env;
    s->st = st;
    s->outlet = outlet;
    sr_buf_init(&s->arena, (size_t)64 << 20);
}

void ingest_sink_free(ingest_sink *s)
{
    sr_buf_free(&s->arena);
    free(s->sms);
    free(s->offs);
    s->sms = NULL;
    s->offs = NULL;
}

/* The outlet of a document (see the header comment). */
static const char *resolve_outlet(ingest_sink *r, const sr_doc *d)
{
    if (d->outlet && *d->outlet)
        return d->outlet;
    if (r->outlet)
        return r->outlet;
    const char *base = strrchr(d->path, '/');
    base = base ? base + 1 : d->path;
    if (strcmp(base, "-") == 0 || !*base)
        return "unknown outlet";
    snprintf(r->outlet_buf, sizeof r->outlet_buf, "%s", base);
    char *dot = strchr(r->outlet_buf, '.');
    if (dot && dot != r->outlet_buf)
        *dot = '\0';
    return r->outlet_buf;
}

/* Sentence and span texts for each mention, in one arena. */
static sr_err build_mentions(ingest_sink *r, const sr_doc *doc)
{
    const sr_mentions *ms = &r->env->ms;
    sr_buf_reset(&r->arena);
    if (sr_grow((void **)&r->sms, &r->capsms, ms->n + 1, sizeof *r->sms) ||
        sr_grow((void **)&r->offs, &r->capoffs, 6 * ms->n + 1, sizeof *r->offs))
        return SR_ENOMEM;
    sr_err e = SR_OK;
    for (size_t i = 0; i < ms->n && !e; i++) {
        const sr_mention *m = &ms->v[i];
        r->offs[6 * i] = r->arena.len;
        e = sr_sentence_text(&r->env->td, m->sentence, &r->arena);
        if (!e) e = sr_buf_putc(&r->arena, '\0');
        uint32_t spans[3][2] = {
            {m->source.start, m->source.end},
            {m->has_target ? m->target.start : 0, m->has_target ? m->target.end : 0},
            {m->verb_start, m->verb_end},
        };
        for (int k = 0; k < 3 && !e; k++) {
            r->offs[6 * i + 1 + k] = r->arena.len;
            uint32_t s = spans[k][0], en = spans[k][1];
            if (en > s && en <= doc->text_len) {
                /* one line: newlines inside a span become spaces */
                for (uint32_t x = s; x < en && !e; x++) {
                    char c = doc->text[x];
                    e = sr_buf_putc(&r->arena, (c == '\n' || c == '\r' || c == '\t') ? ' ' : c);
                }
            }
            if (!e) e = sr_buf_putc(&r->arena, '\0');
        }
        /* GDELT's names of the two codes (sitrep/geo.h) */
        for (int k = 0; k < 2 && !e; k++) {
            char name[128] = "";
            const char *code = k == 0 ? m->source.code : m->has_target ? m->target.code : "";
            r->offs[6 * i + 4 + k] = r->arena.len;
            if (r->env->geo)
                sr_geo_actor_name(r->env->geo, r->env->ds, code, name, sizeof name);
            e = sr_buf_puts(&r->arena, name);
            if (!e) e = sr_buf_putc(&r->arena, '\0');
        }
    }
    if (e)
        return e;
    for (size_t i = 0; i < ms->n; i++) {
        r->sms[i].m = &ms->v[i];
        r->sms[i].sentence = r->arena.p + r->offs[6 * i];
        r->sms[i].source_text = r->arena.p + r->offs[6 * i + 1];
        r->sms[i].target_text = r->arena.p + r->offs[6 * i + 2];
        r->sms[i].verb_text = r->arena.p + r->offs[6 * i + 3];
        const char *sn = r->arena.p + r->offs[6 * i + 4], *tn = r->arena.p + r->offs[6 * i + 5];
        r->sms[i].source_name = *sn ? sn : NULL;
        r->sms[i].target_name = *tn ? tn : NULL;
        r->sms[i].geo = r->env->gp ? &r->env->geos[i] : NULL;
    }
    return SR_OK;
}


sr_err ingest_sink_add(ingest_sink *r, const sr_doc *doc, ingest_outcome *outcome,
                       int64_t *doc_id)
{
    int64_t unused;
    if (!doc_id)
        doc_id = &unused;   /* ingest does not ask: a duplicate costs no lookup */
    bool want_id = doc_id != &unused;
    *outcome = INGEST_SKIPPED;
    *doc_id = 0;
    uint64_t hash = sr_body_hash(doc->text, doc->text_len);
    sr_err e;
    if (sr_store_has_body(r->st, hash)) {
        /* not coded again; but a copy from another outlet is recorded as
         * that document's outlet too */
        sr_store_input dup = { doc, resolve_outlet(r, doc), NULL, 0, hash };
        sr_store_added dres;
        if ((e = sr_store_add(r->st, &dup, &dres)) != SR_OK)
            return e;
        r->duplicates++;
        *outcome = INGEST_DUPLICATE;
        if (want_id)
            *doc_id = sr_watch_state_doc_by_hash(r->st, hash);
        return SR_OK;
    }
    e = code_env_doc(r->env, doc, NULL);
    if (e == SR_ENOMEM)
        return SR_ENOMEM;
    if (e != SR_OK) {
        sr_skip(doc->path, doc->record, "cannot analyse: %s",
                e == SR_ETOOBIG ? "its text is over the text stage's caps (64 MiB, "
                                  "4 Mi tokens in one block)" : sr_strerror(e));
        return SR_OK;
    }
    if ((e = build_mentions(r, doc)) == SR_ETOOBIG) {
        sr_skip(doc->path, doc->record, "its events' sentences exceed the %zu MiB cap",
                r->arena.max >> 20);
        return SR_OK;
    } else if (e != SR_OK) {
        return SR_ENOMEM;
    }
    sr_store_input in = { doc, resolve_outlet(r, doc), r->sms, r->env->ms.n, hash };
    sr_store_added res;
    if ((e = sr_store_add(r->st, &in, &res)) != SR_OK)
        return e;
    *doc_id = res.doc_id;
    if (res.duplicate) {
        r->duplicates++;
        *outcome = INGEST_DUPLICATE;
        if (want_id)
            *doc_id = sr_watch_state_doc_by_hash(r->st, hash);
    } else {
        r->added++;
        r->mentions += r->env->ms.n;
        r->copies += res.copy_of != 0;
        r->new_stories += res.new_story;
        *outcome = INGEST_ADDED;
    }
    return SR_OK;
}
