/*
 * read_common.h - line handling shared by the dictionary readers: comment
 * stripping for both dialects, bracketed code blocks, and the line ledger
 * that makes "every line is loaded or reported" checkable.
 *
 * The ledger.  Each reader opens one per file (sr_rd_begin) and marks every
 * line: sr_rd_clean() marks a line that holds anything but comments as
 * content; a handler that stores (or deliberately understands) a line marks
 * it used; sr_rd_skip()/sr_rd_warn() report a line and mark it.  At the end
 * (sr_rd_end) a content line that is neither used nor reported is counted as
 * unread: a reader path that drops input silently, which tests assert never
 * happens on real dictionaries.  The tallies go to sr_dictset.lines.
 */
#ifndef SITREP_DICT_READ_COMMON_H
#define SITREP_DICT_READ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dict/dictset_impl.h"

#define SR_LN_CONTENT 1u   /* something besides comments and blanks */
#define SR_LN_USED    2u   /* stored, or understood (a section mark) */
#define SR_LN_SKIP    4u   /* reported and not loaded */
#define SR_LN_WARN    8u   /* reported, loaded with the reading the report gives */

/* State for "<!-- ... -->" comments, which PETRARCH files spread over lines. */
typedef struct sr_linectx {
    const char *path;
    size_t lineno;
    bool in_xml_comment;
    bool tabari;            /* ';' also starts a comment */
    char rec[24];           /* lineno as text, for sr_skip */
    sr_dictset *ds;         /* where sr_rd_end adds the tallies */
    uint8_t *mark;          /* per line (1-based), SR_LN_* bits; NULL when
                               sr_rd_begin could not allocate: then nothing
                               is tallied but everything is still reported */
    size_t nmark;
} sr_linectx;

/* Open the ledger for buf (the whole file).  Never fails: without memory
 * for the marks the file is read without tallies. */
void sr_rd_begin(sr_linectx *c, sr_dictset *ds, const char *path, const char *buf, size_t len);
/* Tally the marks into ds->lines and release them. */
void sr_rd_end(sr_linectx *c);

/* Strip comments and surrounding blanks in place; returns the remaining
 * length (0 = nothing left) and marks a non-empty line as content.  '#'
 * starts a comment except inside [...] (TABARI's "[###]" code). */
size_t sr_rd_clean(sr_linectx *c, char *line, size_t n);

/* Record name for sr_skip: the current line number. */
const char *sr_rd_rec(sr_linectx *c);

/* Mark line (0 = the current one) as used. */
void sr_rd_used_at(sr_linectx *c, size_t line);
static inline void sr_rd_used(sr_linectx *c) { sr_rd_used_at(c, 0); }

/* Report line (0 = the current one) as "sitrep: FILE:LINE: reason":
 * sr_rd_skip for input that is not loaded (counted: exit status 1),
 * sr_rd_warn for input loaded with a repair the reason states. */
void sr_rd_skip(sr_linectx *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sr_rd_warn(sr_linectx *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Has the current line been reported as skipped already? */
static inline bool sr_rd_skipped(const sr_linectx *c)
{
    return c->mark && c->lineno < c->nmark && (c->mark[c->lineno] & SR_LN_SKIP);
}

static inline bool sr_rd_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

#endif
