/*
 * coder_stamp.h - the name a store records for "what coded this document"
 * (sr_store_set_coder, sitrep/store.h), shared by `ingest` and `recode`.
 */
#ifndef SITREP_CLI_CODER_STAMP_H
#define SITREP_CLI_CODER_STAMP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * "sitrep VERSION exe=HASH dicts=HASH places|no-places" into out (n bytes;
 * 256 is enough): sitrep's version, a hash of this executable, a hash of
 * every file under the shipped dictionary folder (dictionaries, codebook,
 * part-of-speech model, gazetteer) and under each of dicts[0..ndicts), and
 * whether events are placed.  Two runs with equal stamps code a document
 * the same way.
 */
void coder_stamp(char *out, size_t n, char **dicts, size_t ndicts, bool places);

#endif
