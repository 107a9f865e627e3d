/*
 * text_input.h - how `sentences` and `tokens` read their inputs.
 *
 * Plain text (detected from content, gzip undone) is streamed: read in
 * blocks of at most CLI_TEXT_BLOCK bytes, cut at paragraph ends with
 * sr_text_next_block, so a 1 GB file costs a few MB and every offset is a
 * byte offset into the file as given.  Any other input (HTML, feeds, WARC,
 * JSONL, directories) goes through ingestion, and offsets are into each
 * document's extracted text.
 */
#ifndef SITREP_CLI_TEXT_INPUT_H
#define SITREP_CLI_TEXT_INPUT_H

#include <stddef.h>

#include "sitrep/base.h"

#define CLI_TEXT_BLOCK ((size_t)1 << 20)

/* One piece of text: doc names the document ("FILE" or "FILE:RECORD"),
 * base is the offset of text[0] in it, first says a new document begins.
 * Return 0 to go on, nonzero to stop. */
typedef int (*cli_text_fn)(const char *doc, const char *text, size_t len,
                           size_t base, int first, void *ctx);

/* Feed every document of path to fn.  Problems are reported with sr_skip.
 * Returns 0, fn's nonzero value, or -1 when out of memory. */
int cli_each_text(const char *path, cli_text_fn fn, void *ctx);

/* cli_each_text over argv[first..argc), or standard input when there is no
 * FILE; stops at the first nonzero return. */
int cli_each_text_arg(int argc, char **argv, int first, cli_text_fn fn, void *ctx);

#endif
