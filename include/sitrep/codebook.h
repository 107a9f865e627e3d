/*
 * sitrep/codebook.h - the CAMEO event codebook: for an event code ("042"),
 * its name, root code ("04"), QuadClass, Goldstein value and PLOVER event,
 * mode and context.
 *
 * The facts come from the CAMEO 1.1b3 codebook, GDELT's Goldstein and
 * QuadClass tables and Schrodt's CAMEO2PLOVER (2021) table, merged in
 * ../shared/data/cameo and shipped as dict/cameo/codebook.tsv by
 * scripts/convert-dicts.  The file is tab-separated, '#' starts a comment
 * line, and the first other line is the header:
 *     code root quad goldstein plover_event plover_mode plover_context name
 * An empty field means the table has no value: a blank Goldstein or QuadClass
 * (the few CAMEO 2.0 codes GDELT never scored) or PLOVER event is taken from
 * the parent code's row when loading, and the entry says so (`inherited`); a
 * blank PLOVER mode or context is a fact ("no mode") and is not inherited,
 * because a child code often has a different mode than its parent (1823
 * "kill by physical assault" is not the parent's "beat").
 *
 * Codes not in the table at all (dictionaries use 0110, 0330, 109 ...) are
 * answered by sr_codebook_lookup() with the nearest ancestor that is: a
 * four-digit code falls back to its three-digit parent, then to its root.
 *
 * Ownership: the codebook owns every string it hands out; entries stay valid
 * until sr_codebook_free().  After loading it is read-only and may be shared
 * by any number of threads.
 *
 * Errors: a malformed row is reported as "sitrep: FILE:LINE: reason" via
 * sr_skip() and skipped; loading goes on.  sr_codebook_load() returns NULL
 * and sets *err to SR_EIO (unreadable), SR_ETOOBIG (larger than
 * SR_CODEBOOK_MAX_FILE), SR_EFORMAT (no header row, or no usable row) or
 * SR_ENOMEM.
 */
#ifndef SITREP_CODEBOOK_H
#define SITREP_CODEBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"

typedef struct sr_codebook sr_codebook;

/* The codebook is small (about 320 rows); anything much larger is not one. */
#define SR_CODEBOOK_MAX_FILE ((size_t)1 << 20)

/* Which fields of an entry were taken from its parent code's row. */
enum {
    SR_CB_INH_GOLDSTEIN = 1u << 0,
    SR_CB_INH_QUAD      = 1u << 1,
    SR_CB_INH_PLOVER    = 1u << 2,   /* plover_event */
};

typedef struct sr_cameo_entry {
    const char *code;           /* "042": two to four digits */
    const char *name;           /* "Make a visit"; "" when the table has none */
    char        root[3];        /* "04" */
    int         quad;           /* QuadClass: 1 verbal cooperation, 2 material
                                   cooperation, 3 verbal conflict, 4 material
                                   conflict; 0 unknown */
    bool        has_goldstein;  /* false: neither it nor an ancestor is scored */
    double      goldstein;      /* -10 .. +10 (0 when !has_goldstein) */
    const char *plover_event;   /* "CONSULT"; NULL when PLOVER has no event
                                   (CAMEO 01 and 02 have none) */
    const char *plover_mode;    /* "visit"; NULL when none */
    const char *plover_context; /* "military; legal"; NULL when none */
    unsigned    inherited;      /* SR_CB_INH_* bits */
} sr_cameo_entry;

/* Load a codebook file (format above).  NULL on failure, with *err set. */
sr_codebook *sr_codebook_load(const char *path, sr_err *err);
void         sr_codebook_free(sr_codebook *cb);

/* The row for exactly this code, or NULL.  code need not be NUL-terminated
 * past len; len 0 means strlen(code). */
const sr_cameo_entry *sr_codebook_find(const sr_codebook *cb, const char *code, size_t len);

/* The row for code or, when it has none, for its nearest ancestor (0110 ->
 * 011 -> 01).  A TABARI local variant, a code with one letter after it
 * ("174K", "075A"), is answered with its code's row.  NULL when the code is
 * not two to four digits (plus that letter) or not even its root is known
 * ("---", "###", "99").  *exact (may be NULL) says whether the row is the
 * code's own. */
const sr_cameo_entry *sr_codebook_lookup(const sr_codebook *cb, const char *code,
                                         bool *exact);

/* All rows, in file order (for listings and tests). */
size_t                sr_codebook_size(const sr_codebook *cb);
const sr_cameo_entry *sr_codebook_at(const sr_codebook *cb, size_t i);

/* Bytes held by the codebook (for the load benchmark). */
size_t sr_codebook_bytes(const sr_codebook *cb);

/* Is an event with this code mutual by nature, so that "A and B did it" may
 * be coded A>B and B>A?  Meetings and talks (040 041 044 046, and the intent
 * to meet, 036 037), agreements (057; the intent to cooperate, 030 031 0311-
 * 0314 032, which "A and B agreed to cooperate" states of both), material
 * cooperation (060-063: a joint exercise), a truce between two sides (0871)
 * and fighting between two sides (190 193 194).  Everything else is
 * directional: a visit, an accusation, a demand,
 * an attack has one actor and one receiver.  A TABARI variant letter and a
 * fourth digit under a mutual three-digit code count as that code. */
bool sr_cameo_is_mutual(const char *code);

#endif
