/*
 * src/html/internal.h - what the extraction files share: the decoded page,
 * the block list the content scorer works on, and the metadata collector.
 *
 * The pipeline is: charset.c turns the raw bytes into UTF-8 (so libxml2 never
 * guesses), extract.c parses and walks the tree once, cutting it into text
 * blocks while meta.c picks up metadata from the same walk, and content.c
 * decides which blocks are the article.
 */
#ifndef SITREP_HTML_INTERNAL_H
#define SITREP_HTML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "sitrep/base.h"
#include "sitrep/html.h"

/* ---- charset.c ---- */

/* Decide whether buf looks like a binary file rather than markup (magic
 * numbers, control bytes).  Returns 1 for binary. */
int htm_looks_binary(const char *buf, size_t len);

/* Convert html[0..len) to UTF-8.  charset may be NULL (sniff BOM and
 * <meta charset>, else UTF-8 if valid, else windows-1252).  Invalid UTF-8 is
 * repaired with U+FFFD.  *out is either html itself (no copy needed; *owned
 * = 0) or a malloc'd buffer (*owned = 1).  SR_ETOOBIG if the result would
 * pass the cap. */
sr_err htm_to_utf8(const char *html, size_t len, const char *charset,
                   const char **out, size_t *out_len, int *owned);

/* The charset a <meta charset> or http-equiv Content-Type in the first
 * bytes names, copied into name[0..cap) lower-cased; 0 if none. */
int htm_sniff_meta_charset(const char *html, size_t len, char *name, size_t cap);

/* ---- blocks (extract.c fills, content.c scores) ---- */

enum htm_kind {
    HTM_PARA = 0,   /* p, div text, td ... */
    HTM_HEADING,    /* h1-h6 */
    HTM_ITEM,       /* li, dt, dd */
    HTM_QUOTE,      /* blockquote */
    HTM_PRE,
};

/* A block: one maximal run of inline content inside a block element, in
 * document order.  Text lives in the walker's arena. */
typedef struct htm_block {
    xmlNode *owner;      /* innermost block-level element */
    size_t   off, len;   /* bytes in the arena */
    uint32_t chars;      /* non-space characters */
    uint32_t link_chars; /* of which inside <a> */
    uint32_t commas;
    uint32_t neg;        /* pre+1 of the deepest boilerplate-named ancestor */
    uint8_t  kind;       /* enum htm_kind */
    uint8_t  keep;       /* set by content.c */
} htm_block;

/* Per-element numbers, reached through node->_private. */
typedef struct htm_elem {
    uint32_t pre, end;        /* pre-order number; last descendant's number */
    uint32_t chars;           /* text in the subtree (kept blocks' chars) */
    uint32_t link_chars;
    uint32_t good;            /* chars in paragraph-like blocks */
    uint32_t prev_neg;        /* the walk's neg value before this element */
    int8_t   hint;            /* class/id/markup: 2 articleBody, 1 article, -1 not */
    uint8_t  junk;            /* never article text */
} htm_elem;

typedef struct htm_page {
    xmlDoc    *doc;
    htm_block *blocks;
    size_t     nblocks, cap_blocks;
    htm_elem  *elems;         /* one per element, indexed by pre */
    xmlNode  **elem_nodes;
    size_t     nelems, cap_elems, cap_nodes;
    sr_buf     arena;         /* block text */
    sr_buf     jsonld;        /* concatenated application/ld+json text */
    xmlNode   *body_hint;     /* itemprop=articleBody element, if any */
} htm_page;

/* content.c: mark blocks to keep; returns the number kept. */
size_t htm_select_content(htm_page *pg);

/* ---- meta.c ---- */

typedef struct htm_meta {
    char *title_og, *title_tag, *title_h1;
    char *author;
    char *published;
    char *site_name;
    char *url;
    char *lang;
    char *time_dt;    /* first <time datetime> */
} htm_meta;

/* Look at one element during the walk (meta, link, html, title, h1, time). */
sr_err htm_meta_element(htm_meta *m, xmlNode *n);
/* Fill the article's metadata from what was collected plus JSON-LD. */
sr_err htm_meta_finish(htm_meta *m, const sr_buf *jsonld, const char *base_url,
                       sr_article *out);
void   htm_meta_free(htm_meta *m);

/* JSON-LD helpers: the string value of "key" (first occurrence at any depth,
 * or inside the object that follows "parent" when parent is not NULL).
 * Malloc'd, NULL when absent. */
char *htm_jsonld_string(const char *json, size_t len, const char *parent,
                        const char *key);

/* Shared string helpers. */
char *htm_strdup_trim(const char *s);          /* collapsed whitespace */
int   htm_ascii_casecmp(const char *a, const char *b);

#endif
