/*
 * story_docs.h - one story's documents and why each is in it, shared by
 * `sitrep story ID` and `sitrep stories --docs ID` (cmd_story.c).
 */
#ifndef SITREP_CLI_STORY_DOCS_H
#define SITREP_CLI_STORY_DOCS_H

#include <stdbool.h>
#include <stdint.h>

/* List story `id` of the store at db_path (NULL: the default store):
 * format SR_OUT_TEXT or SR_OUT_JSONL; explain: say why each document
 * joined.  Returns an exit status (3 if there is no such story). */
int story_docs_run(const char *db_path, int64_t id, bool explain, int format);

#endif
