/*
 * store_common.h - what the store commands (ingest, events, stories, brief,
 * search) share: where the store is, and opening it for reading with the
 * CLI's error conventions.
 */
#ifndef SITREP_CLI_STORE_COMMON_H
#define SITREP_CLI_STORE_COMMON_H

#include "sitrep/store.h"

/* --db PATH if given, else $SITREP_DB, else ./sitrep.db. */
const char *store_path(const char *opt);
/* Open for queries; on failure prints the reason and returns a CLI exit
 * code (3), else 0. */
int store_open_read(const char *path, sr_store **st);
/* A calendar date "YYYY-MM-DD"? (cli_valid_date) */
int store_valid_date(const char *s);

#endif
