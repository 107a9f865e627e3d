/*
 * ingest_sink.h - one document coded, assigned a story and stored: the
 * path `sitrep ingest` takes for every document it reads, shared with
 * `sitrep watch` so a page fetched live is stored exactly as the same page
 * read from disk would be.
 */
#ifndef SITREP_CLI_INGEST_SINK_H
#define SITREP_CLI_INGEST_SINK_H

#include <stdbool.h>

#include "cli/code_common.h"
#include "cli/store_mentions.h"
#include "sitrep/store.h"

typedef struct ingest_sink {
    code_env *env;            /* dictionaries and coder (the caller's) */
    sr_store *st;             /* the store (the caller's) */
    const char *outlet;       /* --outlet: for documents that name none */
    store_mentions sm;        /* per-document scratch: the mentions as stored */
    char outlet_buf[256];
    /* counts */
    size_t added, duplicates, copies, new_stories, mentions;
} ingest_sink;

typedef enum ingest_outcome {
    INGEST_ADDED, INGEST_DUPLICATE, INGEST_SKIPPED,
} ingest_outcome;

void ingest_sink_init(ingest_sink *s, code_env *env, sr_store *st, const char *outlet);
void ingest_sink_free(ingest_sink *s);
/*
 * Code and store doc (a document whose normalized body is stored already
 * is recognised by its hash before it is coded).  SR_OK with *outcome
 * (and *doc_id, when not NULL: the new or the earlier document, 0 when
 * skipped; a skip
 * was reported with sr_skip); SR_ENOMEM, or SR_EIO with the reason in
 * sr_store_errmsg(), are fatal: the caller rolls the batch back.
 */
sr_err ingest_sink_add(ingest_sink *s, const sr_doc *doc, ingest_outcome *outcome,
                       int64_t *doc_id);

#endif
