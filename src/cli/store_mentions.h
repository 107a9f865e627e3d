/*
 * store_mentions.h - a coded document's mentions as the store takes them
 * (sr_store_mention): each with its sentence and the source, target and
 * verb texts cut out as single lines, the actors' GDELT names and its
 * places.  `ingest`, `watch` (ingest_sink.c) and `recode` all build them
 * here, so a re-coded document is stored exactly as a freshly ingested one.
 */
#ifndef SITREP_CLI_STORE_MENTIONS_H
#define SITREP_CLI_STORE_MENTIONS_H

#include "cli/code_common.h"
#include "sitrep/store.h"

typedef struct store_mentions {
    sr_store_mention *v;      /* v[0..n): point into env->ms and arena */
    size_t n, cap;
    sr_buf arena;             /* the texts, NUL-separated; capped */
    size_t *offs;
    size_t capoffs;
} store_mentions;

/* arena_max: the cap on one document's texts. */
void   store_mentions_init(store_mentions *sm, size_t arena_max);
void   store_mentions_free(store_mentions *sm);
/* env->ms, just coded from doc by code_env_doc().  SR_ETOOBIG when the
 * texts pass the cap, SR_ENOMEM. */
sr_err store_mentions_build(store_mentions *sm, const code_env *env, const sr_doc *doc);

#endif
