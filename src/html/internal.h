/*
 * src/html/internal.h - what the extraction files share: the decoded page,
 * the block list the content scorer works on, and the metadata collector.
 *
 * The pipeline is: charset.c turns the raw bytes into UTF-8, dom.c builds
 * the tree, extract.c walks it once, cutting it into text
 * blocks while meta.c picks up metadata from the same walk, and content.c
 * decides which blocks are the article.
 */
#ifndef SITREP_HTML_INTERNAL_H
#define SITREP_HTML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/html.h"

/* ---- dom.c: the page as a tree ---- */

/*
 * Element names as small integers (htm_node.tag), so that the tree builder
 * and the walk compare numbers, not strings.  HTM_TAGS_PARSE are the
 * elements whose tree rules dom.c knows, with those rules as flags (the
 * F_* names are dom.c's); HTM_TAGS_EXTRA are names only extract.c and
 * meta.c ask about: the tree builder treats them as any unknown element.
 * Every other name is HTT_OTHER and is compared by its string.
 */
#define HTM_TAGS_PARSE(X) \
    X(A, "a", 0)                                               \
    X(ADDRESS, "address", F_CLOSEP | F_SPECIAL)                \
    X(APPLET, "applet", F_SPECIAL | F_SCOPE)                   \
    X(AREA, "area", F_VOID | F_SPECIAL)                        \
    X(ARTICLE, "article", F_CLOSEP | F_SPECIAL)                \
    X(ASIDE, "aside", F_CLOSEP | F_SPECIAL)                    \
    X(BASE, "base", F_VOID | F_SPECIAL | F_HEADOK)             \
    X(BASEFONT, "basefont", F_VOID | F_HEADOK)                 \
    X(BGSOUND, "bgsound", F_VOID | F_HEADOK)                   \
    X(BLOCKQUOTE, "blockquote", F_CLOSEP | F_SPECIAL)          \
    X(BODY, "body", F_SPECIAL)                                 \
    X(BR, "br", F_VOID | F_SPECIAL)                            \
    X(BUTTON, "button", F_SPECIAL | F_SCOPE)                   \
    X(CAPTION, "caption", F_SPECIAL | F_SCOPE)                 \
    X(CENTER, "center", F_CLOSEP | F_SPECIAL)                  \
    X(COL, "col", F_VOID | F_SPECIAL)                          \
    X(COLGROUP, "colgroup", F_SPECIAL | F_WSOK)                \
    X(DD, "dd", F_CLOSEP | F_SPECIAL)                          \
    X(DETAILS, "details", F_CLOSEP | F_SPECIAL)                \
    X(DIALOG, "dialog", F_CLOSEP | F_SPECIAL)                  \
    X(DIR, "dir", F_CLOSEP | F_SPECIAL)                        \
    X(DIV, "div", F_CLOSEP | F_SPECIAL)                        \
    X(DL, "dl", F_CLOSEP | F_SPECIAL | F_WSOK)                 \
    X(DT, "dt", F_CLOSEP | F_SPECIAL)                          \
    X(EMBED, "embed", F_VOID | F_SPECIAL)                      \
    X(FIELDSET, "fieldset", F_CLOSEP | F_SPECIAL)              \
    X(FIGCAPTION, "figcaption", F_CLOSEP | F_SPECIAL)          \
    X(FIGURE, "figure", F_CLOSEP | F_SPECIAL)                  \
    X(FOOTER, "footer", F_CLOSEP | F_SPECIAL)                  \
    X(FORM, "form", F_CLOSEP | F_SPECIAL)                      \
    X(FRAME, "frame", F_VOID | F_SPECIAL)                      \
    X(FRAMESET, "frameset", F_SPECIAL)                         \
    X(H1, "h1", F_CLOSEP | F_SPECIAL)                          \
    X(H2, "h2", F_CLOSEP | F_SPECIAL)                          \
    X(H3, "h3", F_CLOSEP | F_SPECIAL)                          \
    X(H4, "h4", F_CLOSEP | F_SPECIAL)                          \
    X(H5, "h5", F_CLOSEP | F_SPECIAL)                          \
    X(H6, "h6", F_CLOSEP | F_SPECIAL)                          \
    X(HEAD, "head", F_SPECIAL | F_WSOK)                        \
    X(HEADER, "header", F_CLOSEP | F_SPECIAL)                  \
    X(HGROUP, "hgroup", F_CLOSEP | F_SPECIAL)                  \
    X(HR, "hr", F_VOID | F_CLOSEP | F_SPECIAL)                 \
    X(HTML, "html", F_SPECIAL | F_SCOPE | F_WSOK)              \
    X(IFRAME, "iframe", F_RAW | F_SPECIAL)                     \
    X(IMG, "img", F_VOID | F_SPECIAL)                          \
    X(INPUT, "input", F_VOID | F_SPECIAL)                      \
    X(KEYGEN, "keygen", F_VOID)                                \
    X(LI, "li", F_CLOSEP | F_SPECIAL)                          \
    X(LINK, "link", F_VOID | F_SPECIAL | F_HEADOK)             \
    X(LISTING, "listing", F_CLOSEP | F_SPECIAL)                \
    X(MAIN, "main", F_CLOSEP | F_SPECIAL)                      \
    X(MARQUEE, "marquee", F_SPECIAL | F_SCOPE)                 \
    X(MATH, "math", F_SCOPE)                                   \
    X(MENU, "menu", F_CLOSEP | F_SPECIAL)                      \
    X(META, "meta", F_VOID | F_SPECIAL | F_HEADOK)             \
    X(NAV, "nav", F_CLOSEP | F_SPECIAL)                        \
    X(NOEMBED, "noembed", F_RAW | F_SPECIAL)                   \
    X(NOFRAMES, "noframes", F_RAW | F_SPECIAL | F_HEADOK)      \
    X(NOSCRIPT, "noscript", F_RAW | F_SPECIAL | F_HEADOK)      \
    X(OBJECT, "object", F_SPECIAL | F_SCOPE)                   \
    X(OL, "ol", F_CLOSEP | F_SPECIAL | F_WSOK)                 \
    X(OPTGROUP, "optgroup", 0)                                 \
    X(OPTION, "option", 0)                                     \
    X(P, "p", F_CLOSEP | F_SPECIAL)                            \
    X(PARAM, "param", F_VOID | F_SPECIAL)                      \
    X(PLAINTEXT, "plaintext", F_RAW | F_CLOSEP | F_SPECIAL)    \
    X(PRE, "pre", F_CLOSEP | F_SPECIAL)                        \
    X(SCRIPT, "script", F_RAW | F_SPECIAL | F_HEADOK)          \
    X(SECTION, "section", F_CLOSEP | F_SPECIAL)                \
    X(SELECT, "select", F_SPECIAL | F_WSOK)                    \
    X(SOURCE, "source", F_VOID | F_SPECIAL)                    \
    X(STYLE, "style", F_RAW | F_SPECIAL | F_HEADOK)            \
    X(SUMMARY, "summary", F_CLOSEP | F_SPECIAL)                \
    X(SVG, "svg", F_SCOPE)                                     \
    X(TABLE, "table", F_CLOSEP | F_SPECIAL | F_SCOPE | F_WSOK) \
    X(TBODY, "tbody", F_SPECIAL | F_WSOK)                      \
    X(TD, "td", F_SPECIAL | F_SCOPE)                           \
    X(TEMPLATE, "template", F_SPECIAL | F_SCOPE | F_HEADOK)    \
    X(TEXTAREA, "textarea", F_RCDATA | F_SPECIAL)              \
    X(TFOOT, "tfoot", F_SPECIAL | F_WSOK)                      \
    X(TH, "th", F_SPECIAL | F_SCOPE)                           \
    X(THEAD, "thead", F_SPECIAL | F_WSOK)                      \
    X(TITLE, "title", F_RCDATA | F_SPECIAL | F_HEADOK)         \
    X(TR, "tr", F_SPECIAL | F_WSOK)                            \
    X(TRACK, "track", F_VOID | F_SPECIAL)                      \
    X(UL, "ul", F_CLOSEP | F_SPECIAL | F_WSOK)                 \
    X(WBR, "wbr", F_VOID | F_SPECIAL)                          \
    X(XMP, "xmp", F_RAW | F_CLOSEP | F_SPECIAL)                \

#define HTM_TAGS_EXTRA(X) \
    X(AUDIO, "audio", 0)                                       \
    X(CANVAS, "canvas", 0)                                     \
    X(DATALIST, "datalist", 0)                                 \
    X(LABEL, "label", 0)                                       \
    X(LEGEND, "legend", 0)                                     \
    X(MAP, "map", 0)                                           \
    X(OUTPUT, "output", 0)                                     \
    X(PICTURE, "picture", 0)                                   \
    X(TIME, "time", 0)                                         \
    X(VIDEO, "video", 0)                                       \

#define HTM_TAG_ID(id, name, flags) HTT_##id,
enum {
    HTM_TAGS_PARSE(HTM_TAG_ID)
    HTT_NPARSE,                         /* ids below this: dom.c's rules */
    HTT_EXTRA_ = HTT_NPARSE - 1,
    HTM_TAGS_EXTRA(HTM_TAG_ID)
    HTT_COUNT,
    HTT_OTHER = 0xffff
};
#undef HTM_TAG_ID

enum { HTM_ELEM = 1, HTM_TEXT = 3 };

#define HTM_MAX_NODES ((size_t)1 << 20)   /* elements + text nodes per page */
#define HTM_MAX_ATTRS 64                  /* attributes kept per element */

/*
 * The attributes anything here reads.  dom.c keeps only these, the first
 * HTM_MAX_ATTRS of an element counting the others: copying every href,
 * src and data-* value cost more than the whole walk.  htm_attr_get() of
 * any other name is therefore NULL - a new attribute to look at goes on
 * this list first.
 */
#define HTM_ATTRS(X)                 \
    X(ARIA_HIDDEN, "aria-hidden")    \
    X(CLASS, "class")                \
    X(CONTENT, "content")            \
    X(DATETIME, "datetime")          \
    X(HIDDEN, "hidden")              \
    X(HREF, "href")                  \
    X(HTTP_EQUIV, "http-equiv")      \
    X(ID, "id")                      \
    X(ITEMPROP, "itemprop")          \
    X(LANG, "lang")                  \
    X(NAME, "name")                  \
    X(PROPERTY, "property")          \
    X(REL, "rel")                    \
    X(ROLE, "role")                  \
    X(STYLE, "style")                \
    X(TYPE, "type")                  \
    X(XML_LANG, "xml:lang")

#define HTM_ATTR_ID(id, name) HTA_##id,
enum { HTM_ATTRS(HTM_ATTR_ID) HTA_COUNT };
#undef HTM_ATTR_ID

typedef struct htm_attr {
    const char *name;     /* lower-case, one of HTM_ATTRS */
    const char *value;    /* references decoded; "" when there is no value */
    uint8_t key;          /* its HTA_* id */
} htm_attr;

typedef struct htm_node {
    struct htm_node *parent, *children, *last, *next;
    const char *name;     /* element: lower-case tag name; text: NULL */
    const char *content;  /* text: decoded UTF-8, NUL-terminated */
    const htm_attr *attrs;
    uint32_t nattrs;
    uint32_t content_len; /* text: strlen(content) */
    uint32_t id;          /* extract.c: pre-order number + 1 (0 = none) */
    uint16_t tag;         /* element: HTT_* id (HTT_OTHER: compare name) */
    uint8_t  type;        /* HTM_ELEM or HTM_TEXT */
} htm_node;

struct htm_chunk;
typedef struct htm_dom {
    htm_node *root;       /* an "html" element: the page's <html> attributes */
    size_t nnodes;
    int truncated;        /* cut at HTM_MAX_NODES */
    int flattened;        /* elements past SR_HTML_MAX_DEPTH were dropped */
    int has_body;
    int root_attrs;       /* the first <html> with attributes was seen */
    /* builder state */
    struct htm_chunk *chunks;
    size_t next_chunk;
    htm_node **stack;
    size_t cap_stack;
    htm_attr *tmp_attrs;
    size_t cap_attrs;
} htm_dom;

/* Build the tree of a UTF-8 page.  All of it lives in the dom's arena:
 * release with htm_dom_free() (also after an error).  SR_ENOMEM only;
 * any byte sequence is some tree. */
sr_err      htm_parse(const char *html, size_t len, htm_dom *d);
void        htm_dom_free(htm_dom *d);
/* Attribute value by lower-case name, NULL if absent. */
const char *htm_attr_get(const htm_node *n, const char *name);

/* ---- charset.c ---- */

/* Decide whether buf looks like a binary file rather than markup (magic
 * numbers, control bytes).  Returns 1 for binary. */
int htm_looks_binary(const char *buf, size_t len);

/* Convert html[0..len) to UTF-8.  charset may be NULL (sniff BOM and
 * <meta charset>, else UTF-8 if valid, else windows-1252).  Invalid UTF-8 is
 * repaired with U+FFFD.  *out is either html itself (no copy needed; *owned
 * = 0) or a malloc'd buffer (*owned = 1).  SR_ETOOBIG if the result would
 * pass the cap.  *relabelled is set when the declared charset did not fit
 * the bytes (UTF-8 label on Latin-1 bytes or the reverse) and the other
 * one was used.  A label that cannot be decoded safely (unknown to ICU,
 * UTF-7, UTF-32, not ASCII-compatible) is ignored as if absent, and copied
 * to ignored[0..ignored_cap) for the caller's warning.  NUL bytes become
 * U+FFFD. */
sr_err htm_to_utf8(const char *html, size_t len, const char *charset,
                   const char **out, size_t *out_len, int *owned, int *relabelled,
                   char *ignored, size_t ignored_cap);

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
    htm_node *owner;     /* innermost block-level element */
    size_t   off, len;   /* bytes in the arena */
    uint32_t chars;      /* non-space characters */
    uint32_t link_chars; /* of which inside <a> */
    uint32_t commas;
    uint32_t neg;        /* pre+1 of the deepest boilerplate-named ancestor */
    uint8_t  kind;       /* enum htm_kind */
    uint8_t  keep;       /* set by content.c */
} htm_block;


/* Per-element numbers, reached through node->id. */
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
    htm_dom    dom;
    htm_block *blocks;
    size_t     nblocks, cap_blocks;
    htm_elem  *elems;         /* one per element, indexed by pre */
    htm_node **elem_nodes;
    size_t     nelems, cap_elems, cap_nodes;
    sr_buf     arena;         /* block text: written by the whitespace collapse
                                 byte by byte after one sr_buf_reserve() per
                                 text node, not an append call per word;
                                 NUL-terminated once allocated */
    sr_buf     jsonld;        /* concatenated application/ld+json text */
    htm_node  *body_hint;     /* itemprop=articleBody element, if any */
} htm_page;

/* content.c: mark blocks to keep; returns the number kept.  title (may be
 * NULL) is the article's headline: a block repeating it marks where the
 * article starts. */
size_t htm_select_content(htm_page *pg, const char *title);

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
sr_err htm_meta_element(htm_meta *m, const htm_node *n);
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
/* needle (lower-case ASCII) in h, comparing each byte of h OR 0x20. */
int   htm_contains_ci(const char *h, const char *needle);

#endif
