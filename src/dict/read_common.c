/*
 * read_common.c - comment stripping, record names and the line ledger shared
 * by the dictionary readers (see read_common.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict/read_common.h"

void sr_rd_begin(sr_linectx *c, sr_dictset *ds, const char *path, const char *buf, size_t len)
{
    c->path = path;
    c->ds = ds;
    c->lineno = 0;
    c->in_xml_comment = false;
    size_t n = 2;   /* lines are 1-based; a last line without '\n' */
    for (const char *p = buf; p && (p = memchr(p, '\n', len - (size_t)(p - buf))) != NULL; p++)
        n++;
    c->mark = calloc(n, 1);
    c->nmark = c->mark ? n : 0;
}

void sr_rd_end(sr_linectx *c)
{
    if (!c->mark)
        return;
    sr_dict_lines *l = &c->ds->lines;
    for (size_t i = 1; i <= c->lineno && i < c->nmark; i++) {
        uint8_t m = c->mark[i];
        l->lines++;
        if (m & SR_LN_CONTENT)
            l->content++;
        if (m & SR_LN_SKIP)
            l->skipped++;
        else if (m & SR_LN_WARN)
            l->warned++;
        else if (m & SR_LN_USED)
            l->used++;
        else if (m & SR_LN_CONTENT)
            l->unread++;
    }
    free(c->mark);
    c->mark = NULL;
    c->nmark = 0;
}

static void mark(sr_linectx *c, size_t line, uint8_t bit)
{
    if (line == 0)
        line = c->lineno;
    if (c->mark && line < c->nmark)
        c->mark[line] |= bit;
}

void sr_rd_used_at(sr_linectx *c, size_t line)
{
    mark(c, line, SR_LN_USED);
}

const char *sr_rd_rec(sr_linectx *c)
{
    snprintf(c->rec, sizeof c->rec, "%zu", c->lineno);
    return c->rec;
}

static void report(sr_linectx *c, size_t line, bool skip, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void report(sr_linectx *c, size_t line, bool skip, const char *fmt, va_list ap)
{
    char reason[768], rec[24];
    vsnprintf(reason, sizeof reason, fmt, ap);
    snprintf(rec, sizeof rec, "%zu", line ? line : c->lineno);
    mark(c, line, skip ? SR_LN_SKIP : SR_LN_WARN);
    if (skip)
        sr_skip(c->path, rec, "%s", reason);
    else
        sr_warn(c->path, rec, "%s", reason);
}

void sr_rd_skip(sr_linectx *c, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, line, true, fmt, ap);
    va_end(ap);
}

void sr_rd_warn(sr_linectx *c, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, line, false, fmt, ap);
    va_end(ap);
}

size_t sr_rd_clean(sr_linectx *c, char *line, size_t n)
{
    size_t w = 0;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->in_xml_comment) {
            if (i + 3 <= n && strncmp(line + i, "-->", 3) == 0) {
                c->in_xml_comment = false;
                i += 2;
            }
            continue;
        }
        if (i + 4 <= n && strncmp(line + i, "<!--", 4) == 0) {
            c->in_xml_comment = true;
            i += 3;
            continue;
        }
        char ch = line[i];
        if (ch == '[')
            depth++;
        else if (ch == ']' && depth > 0)
            depth--;
        if (depth == 0 && (ch == '#' || (c->tabari && ch == ';')))
            break;
        line[w++] = ch;
    }
    w = strnlen(line, w);   /* a NUL byte ends the line for every reader */
    while (w > 0 && (sr_rd_blank(line[w - 1]) || line[w - 1] == '\r'))
        w--;
    line[w] = '\0';
    size_t lead = 0;
    while (lead < w && sr_rd_blank(line[lead]))
        lead++;
    if (lead < w)
        mark(c, 0, SR_LN_CONTENT);
    return w;
}
