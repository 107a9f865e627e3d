/*
 * read_common.h - line handling shared by the dictionary readers: comment
 * stripping for both dialects and bracketed code blocks.
 */
#ifndef SITREP_DICT_READ_COMMON_H
#define SITREP_DICT_READ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* State for "<!-- ... -->" comments, which PETRARCH files spread over lines. */
typedef struct sr_linectx {
    const char *path;
    size_t lineno;
    bool in_xml_comment;
    bool tabari;            /* ';' also starts a comment */
    char rec[24];           /* lineno as text, for sr_skip */
} sr_linectx;

/* Strip comments and surrounding blanks in place; returns the remaining
 * length (0 = nothing left).  '#' starts a comment except inside [...]
 * (TABARI's "[###]" code). */
size_t sr_rd_clean(sr_linectx *c, char *line, size_t n);

/* Record name for sr_skip: the current line number. */
const char *sr_rd_rec(sr_linectx *c);

static inline bool sr_rd_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

#endif
