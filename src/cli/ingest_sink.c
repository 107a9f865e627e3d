/*
 * ingest_sink.c - the per-document half of `sitrep ingest` (see
 * ingest_sink.h), shared with `sitrep watch`; the mentions are built by
 * store_mentions.c, as `sitrep recode` builds them, so a document is stored
 * the same way whichever command codes it.
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
    store_mentions_init(&s->sm, (size_t)64 << 20);
}

void ingest_sink_free(ingest_sink *s)
{
    store_mentions_free(&s->sm);
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
    if ((e = store_mentions_build(&r->sm, r->env, doc)) == SR_ETOOBIG) {
        sr_skip(doc->path, doc->record, "its events' sentences exceed the %zu MiB cap",
                r->sm.arena.max >> 20);
        return SR_OK;
    } else if (e != SR_OK) {
        return SR_ENOMEM;
    }
    sr_store_input in = { doc, resolve_outlet(r, doc), r->sm.v, r->sm.n, hash };
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
