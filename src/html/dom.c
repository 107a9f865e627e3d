/*
 * dom.c - the HTML tree the extractor walks: a small tokenizer and tree
 * builder written for article extraction.
 *
 * Why not libxml2's htmlReadMemory, which this module used first: on the
 * 181-page scrapinghub benchmark its bare parse runs at about 370 pages/s
 * per core (60 MB/s), so no extractor built on it can reach the 1,000
 * pages/s the ingestion stage needs; and libxml2 2.9 builds the tree by
 * HTML 4 rules, which do not know that <article>, <section> or <main> end
 * an open <p>.  Extraction needs much less than a full HTML5 parser:
 * element nesting close to what a browser builds, attributes, decoded
 * text, comments and raw-text elements skipped.  This builder does that at
 * several hundred MB/s: text runs are found with memchr, tag and attribute
 * names become small ids as they are read, only what the extractor reads
 * is copied (once, into an arena freed in one go: text, the attributes on
 * internal.h's HTM_ATTRS list, not the text of scripts and styles), and
 * the tree rules are the HTML5 ones that matter for text (implied ends of
 * p, li, dt/dd, table cells and rows, headings, head; end tags that do not
 * match are ignored; the contents of script, style, iframe, noscript,
 * textarea and title are raw text).
 *
 * Safety: nothing is fetched, no DTD is read, and character references are
 * decoded one at a time (there is no way to declare an entity in HTML, so
 * no expansion).  Nesting deeper than SR_HTML_MAX_DEPTH flattens (the start
 * tags past it are dropped, their text kept), and a page is cut at
 * HTM_MAX_NODES nodes, so memory stays proportional to the capped input.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>   /* htmlEntityLookup: the HTML 4 entity table */

#define CHUNK_MIN ((size_t)64 << 10)

/* ---- known tags ---------------------------------------------------------- */

enum {
    F_VOID    = 1 << 0,   /* no content, never pushed */
    F_RAW     = 1 << 1,   /* raw text up to the matching end tag */
    F_RCDATA  = 1 << 2,   /* raw text with character references */
    F_CLOSEP  = 1 << 3,   /* starting it ends an open <p> */
    F_SPECIAL = 1 << 4,   /* an unmatched end tag does not pass it */
    F_SCOPE   = 1 << 5,   /* scope boundary (table cells, buttons ...) */
    F_HEADOK  = 1 << 6,   /* may appear in <head> */
    F_WSOK    = 1 << 7,   /* whitespace-only text inside it is dropped */
};

/* The flags of HTM_TAGS_PARSE (internal.h), by id.  <noscript> is read as
 * raw text, as a browser with scripting on does: its markup is a fallback
 * the extractor drops anyway, and unbalanced fallback markup must not
 * reshape the page. */
#define TAG_FLAGS(id, name, flags) flags,
static const uint16_t tag_flags[HTT_NPARSE] = { HTM_TAGS_PARSE(TAG_FLAGS) };
#undef TAG_FLAGS
#define TAG_NAME(id, name, flags) name,
static const char *const tag_names[HTT_COUNT] = {
    HTM_TAGS_PARSE(TAG_NAME) HTM_TAGS_EXTRA(TAG_NAME)
};
#undef TAG_NAME
_Static_assert(HTT_COUNT < 255, "tag ids fit the lookup's uint8_t slots");

/*
 * Name -> id by open addressing on a hash of length, first and last byte:
 * one or two probes and a memcmp per tag, where a binary search cost
 * seven strcmp calls.  Built once per process.
 */
#define TAG_SLOTS 512
#define TAG_MAX_LEN 10          /* "blockquote", "figcaption" */
static uint8_t tag_slot[TAG_SLOTS];     /* id + 1; 0 = empty */
static uint8_t tag_len[HTT_COUNT];
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

/* s[0..n) == t[0..n), for the short names here (a loop beats a memcmp
 * call on a few bytes). */
static int same_bytes(const char *s, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != t[i])
            return 0;
    return 1;
}

static unsigned tag_hash(const char *s, size_t n)
{
    return ((unsigned char)s[0] * 7u + (unsigned char)s[n - 1] * 31u + (unsigned)n * 101u) &
           (TAG_SLOTS - 1);
}

/* Attribute names kept (internal.h's HTM_ATTRS), looked up the same way. */
#define ATTR_NAME(id, name) name,
static const char *const attr_names[HTA_COUNT] = { HTM_ATTRS(ATTR_NAME) };
#undef ATTR_NAME
#define ATTR_SLOTS 128
#define ATTR_MAX_LEN 11         /* "aria-hidden" */
#define ATTR_NONE 0xff
static uint8_t attr_slot[ATTR_SLOTS];   /* key + 1; 0 = empty */
static uint8_t attr_len[HTA_COUNT];

/* Bytes the tokenizer stops at, by class. */
enum { C_SPACE = 1, C_SLASH = 2, C_GT = 4, C_EQ = 8 };
static uint8_t cclass[256];

static void tag_index(void)
{
    for (unsigned id = 0; id < HTT_COUNT; id++) {
        size_t n = strlen(tag_names[id]);
        tag_len[id] = (uint8_t)n;
        unsigned h = tag_hash(tag_names[id], n);
        while (tag_slot[h])
            h = (h + 1) & (TAG_SLOTS - 1);
        tag_slot[h] = (uint8_t)(id + 1);
    }
    for (unsigned k = 0; k < HTA_COUNT; k++) {
        size_t n = strlen(attr_names[k]);
        attr_len[k] = (uint8_t)n;
        unsigned h = tag_hash(attr_names[k], n) & (ATTR_SLOTS - 1);
        while (attr_slot[h])
            h = (h + 1) & (ATTR_SLOTS - 1);
        attr_slot[h] = (uint8_t)(k + 1);
    }
    cclass[' '] = cclass['\t'] = cclass['\n'] = cclass['\r'] = cclass['\f'] = C_SPACE;
    cclass['/'] = C_SLASH;
    cclass['>'] = C_GT;
    cclass['='] = C_EQ;
}

/* s[0..n) lower-case; tag_index() has run (htm_parse sees to it). */
static uint16_t tag_lookup(const char *s, size_t n)
{
    if (n == 0 || n > TAG_MAX_LEN)
        return HTT_OTHER;
    for (unsigned h = tag_hash(s, n); tag_slot[h]; h = (h + 1) & (TAG_SLOTS - 1)) {
        unsigned id = tag_slot[h] - 1u;
        if (tag_len[id] == n && same_bytes(tag_names[id], s, n))
            return (uint16_t)id;
    }
    return HTT_OTHER;
}

/* The key of the attribute named s[0..n) as written (lower-cased here, a
 * NUL read as a space), ATTR_NONE if it is not kept. */
static unsigned attr_lookup(const char *s, size_t n)
{
    if (n == 0 || n > ATTR_MAX_LEN)
        return ATTR_NONE;
    char low[ATTR_MAX_LEN];
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : (c ? c : ' '));
    }
    for (unsigned h = tag_hash(low, n) & (ATTR_SLOTS - 1); attr_slot[h];
         h = (h + 1) & (ATTR_SLOTS - 1)) {
        unsigned k = attr_slot[h] - 1u;
        if (attr_len[k] == n && same_bytes(attr_names[k], low, n))
            return k;
    }
    return ATTR_NONE;
}

/* Flags of a tag id; the extra names and unknown ones have none. */
static uint16_t tag_fl(uint16_t tag)
{
    return tag < HTT_NPARSE ? tag_flags[tag] : 0;
}

static uint16_t flags_of(const htm_node *n)
{
    return tag_fl(n->tag);
}

static int is(const htm_node *n, uint16_t tag)
{
    return n->tag == tag;
}

/* n has the name of an end tag (its id, or the string for unknown ones). */
static int same_name(const htm_node *n, uint16_t tag, const char *name)
{
    if (tag != HTT_OTHER)
        return n->tag == tag;
    return n->tag == HTT_OTHER && strcmp(n->name, name) == 0;
}

static int is_heading(uint16_t tag)
{
    return tag >= HTT_H1 && tag <= HTT_H6;
}

/* ---- arena ----------------------------------------------------------------- */

typedef struct htm_chunk {
    struct htm_chunk *next;
    size_t cap, used;
    max_align_t data[];
} htm_chunk;

/* A new chunk for n (rounded) bytes: the rare path, kept out of line so
 * that arena_alloc() inlines into its callers. */
static __attribute__((noinline)) void *arena_grow(htm_dom *d, size_t n)
{
    size_t cap = d->next_chunk > n ? d->next_chunk : n;
    htm_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    c->cap = cap;
    c->used = n;
    c->next = d->chunks;
    d->chunks = c;
    if (d->next_chunk < ((size_t)8 << 20))
        d->next_chunk *= 2;
    return c->data;
}

static inline void *arena_alloc(htm_dom *d, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    htm_chunk *c = d->chunks;
    if (!c || c->cap - c->used < n)
        return arena_grow(d, n);
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* Give back the unused tail of the last allocation (of `had` bytes). */
static void arena_shrink(htm_dom *d, size_t had, size_t need)
{
    had = (had + 7) & ~(size_t)7;
    need = (need + 7) & ~(size_t)7;
    if (d->chunks && need <= had)
        d->chunks->used -= had - need;
}

void htm_dom_free(htm_dom *d)
{
    htm_chunk *c = d->chunks;
    while (c) {
        htm_chunk *n = c->next;
        free(c);
        c = n;
    }
    free(d->stack);
    free(d->tmp_attrs);
    memset(d, 0, sizeof *d);
}

/* ---- character references -------------------------------------------------- */

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* What browsers make of &#128; .. &#159;: the windows-1252 characters. */
static const uint16_t c1_map[32] = {
    0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
    0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
};

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Decode one reference at s[0] == '&' (s < end).  Writes at most as many
 * bytes as it consumes (every reference is at least as long as its UTF-8),
 * so decoding in a buffer the size of the input never overflows.  Returns
 * bytes consumed, 0 if this '&' is plain text.
 */
static size_t decode_ref(const char *s, const char *end, int in_attr, char *o, size_t *wrote)
{
    const char *p = s + 1;
    if (p < end && *p == '#') {
        p++;
        int hex = p < end && (*p == 'x' || *p == 'X');
        if (hex)
            p++;
        uint32_t cp = 0;
        const char *d0 = p;
        while (p < end) {
            unsigned char c = (unsigned char)*p;
            unsigned v;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') v = (c | 0x20) - 'a' + 10;
            else break;
            if (cp <= 0x10ffff)
                cp = cp * (hex ? 16 : 10) + v;
            p++;
        }
        if (p == d0)
            return 0;
        if (p < end && *p == ';')
            p++;
        if (cp >= 0x80 && cp <= 0x9f)
            cp = c1_map[cp - 0x80];
        size_t k = put_utf8(o, cp);
        if (k > (size_t)(p - s))      /* "&#0" is 3 bytes, U+FFFD is too */
            k = put_utf8(o, '?');
        *wrote = k;
        return (size_t)(p - s);
    }
    char name[40];
    size_t n = 0;
    while (p + n < end && n < sizeof name - 1 && is_alnum((unsigned char)p[n]))
        n++;
    if (n == 0)
        return 0;
    memcpy(name, p, n);
    name[n] = '\0';
    int semi = p + n < end && p[n] == ';';
    uint32_t cp = 0;
    /* The common ones first; then libxml2's HTML 4 table. */
    if (!strcmp(name, "amp")) cp = '&';
    else if (!strcmp(name, "lt")) cp = '<';
    else if (!strcmp(name, "gt")) cp = '>';
    else if (!strcmp(name, "quot")) cp = '"';
    else if (!strcmp(name, "nbsp")) cp = 0xa0;
    else if (!strcmp(name, "apos")) cp = '\'';
    else if (semi || !in_attr) {
        const htmlEntityDesc *ent = semi ? htmlEntityLookup((const xmlChar *)name) : NULL;
        if (ent)
            cp = ent->value;
    }
    if (!cp)
        return 0;
    if (!semi && in_attr && p + n < end && (is_alnum((unsigned char)p[n]) || p[n] == '='))
        return 0;    /* "?a=1&copy=2" in a URL is not a reference */
    size_t used = 1 + n + (size_t)semi;
    size_t k = put_utf8(o, cp);
    if (k > used)
        return 0;
    *wrote = k;
    return used;
}

/* ---- tree building ----------------------------------------------------------- */

typedef struct builder {
    htm_dom *d;
    const char *p, *end;
    size_t depth;         /* open elements on d->stack */
    size_t dropped;       /* start tags dropped past the depth cap */
    int foreign;          /* open <svg>/<math>: "/>" closes there */
    const char *end_raw;  /* end of a recovered unclosed <title> */
    const char *no_end[HTT_NPARSE]; /* per raw-text tag: no end tag after here */
    size_t h1_open;       /* <h1> elements on the stack */
    int has_nul;          /* the page has a NUL byte somewhere */
    sr_err err;
} builder;

/* Copy s[0..n) into the arena with references decoded; NUL-terminated.
 * *out_len (may be NULL): the copy's length. */
static char *copy_text(builder *b, const char *s, size_t n, int decode, int in_attr,
                       uint32_t *out_len)
{
    htm_dom *d = b->d;
    char *o = arena_alloc(d, n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    const char *end = s + n;
    if (!decode) {
        memcpy(o, s, n);
        k = n;
    } else {
        while (s < end) {
            const char *amp = memchr(s, '&', (size_t)(end - s));
            size_t run = amp ? (size_t)(amp - s) : (size_t)(end - s);
            memcpy(o + k, s, run);
            k += run;
            s += run;
            if (!amp)
                break;
            size_t wrote = 0, used = decode_ref(s, end, in_attr, o + k, &wrote);
            if (used) {
                k += wrote;
                s += used;
            } else {
                o[k++] = '&';
                s++;
            }
        }
    }
    /* A NUL byte would end the string early; browsers read it as U+FFFD,
     * we read it as a space.  (A reference never decodes to NUL.) */
    if (b->has_nul)
        for (char *z = memchr(o, '\0', k); z; z = memchr(z, '\0', k - (size_t)(z - o)))
            *z = ' ';
    o[k] = '\0';
    arena_shrink(d, n + 1, k + 1);
    if (out_len)
        *out_len = (uint32_t)k;
    return o;
}


static htm_node *current(builder *b)
{
    return b->depth ? b->d->stack[b->depth - 1] : b->d->root;
}

static htm_node *new_node(builder *b, int type)
{
    if (b->d->nnodes >= HTM_MAX_NODES) {
        b->d->truncated = 1;
        b->p = b->end;          /* stop: the rest of the page is dropped */
        return NULL;
    }
    htm_node *n = arena_alloc(b->d, sizeof *n);
    if (!n) {
        b->err = SR_ENOMEM;
        b->p = b->end;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    n->tag = HTT_OTHER;
    b->d->nnodes++;
    return n;
}

static void append(htm_node *parent, htm_node *n)
{
    n->parent = parent;
    if (parent->last)
        parent->last->next = n;
    else
        parent->children = n;
    parent->last = n;
}

static void pop(builder *b)
{
    htm_node *n = b->d->stack[--b->depth];
    if (n->tag == HTT_SVG || n->tag == HTT_MATH)
        b->foreign--;
    else if (n->tag == HTT_H1)
        b->h1_open--;
}

static void pop_to(builder *b, size_t i)   /* pop stack[i] and all above */
{
    while (b->depth > i)
        pop(b);
}

/* Index of the nearest open element `tag` not past a scope boundary, or
 * -1. */
static long in_scope(builder *b, uint16_t tag, uint16_t boundary)
{
    for (size_t i = b->depth; i-- > 0;) {
        const htm_node *n = b->d->stack[i];
        if (is(n, tag))
            return (long)i;
        if (flags_of(n) & boundary)
            return -1;
    }
    return -1;
}

static void close_p(builder *b)
{
    long i = in_scope(b, HTT_P, F_SCOPE);
    if (i >= 0)
        pop_to(b, (size_t)i);
}

/* li, dt/dd: end the open item of the same list, unless a block other than
 * address/div/p lies between. */
static void close_item(builder *b, uint16_t a, uint16_t a2)
{
    for (size_t i = b->depth; i-- > 0;) {
        const htm_node *n = b->d->stack[i];
        if (is(n, a) || is(n, a2)) {
            pop_to(b, i);
            return;
        }
        if ((flags_of(n) & F_SPECIAL) && !is(n, HTT_ADDRESS) && !is(n, HTT_DIV) && !is(n, HTT_P))
            return;
    }
}

/* Table parts end the open cell/row/section up to the nearest table. */
static void close_table_part(builder *b, const uint16_t *names)
{
    for (size_t i = b->depth; i-- > 0;) {
        const htm_node *n = b->d->stack[i];
        if (is(n, HTT_TABLE))
            return;
        for (const uint16_t *q = names; *q != HTT_OTHER; q++)
            if (is(n, *q)) {
                /* the outermost such part below the table */
                size_t j = i;
                for (size_t k = i; k-- > 0;) {
                    const htm_node *m = b->d->stack[k];
                    if (is(m, HTT_TABLE))
                        break;
                    for (const uint16_t *r = names; *r != HTT_OTHER; r++)
                        if (is(m, *r))
                            j = k;
                }
                pop_to(b, j);
                return;
            }
    }
}

/*
 * The text of a raw-text element that nothing reads: scripts (but JSON-LD),
 * styles, noscript fallbacks, iframes and textareas are never article text,
 * so their text is only ever read for an <h1>'s text (meta.c).  Such a
 * text node is kept, so that the tree has the same shape, but empty:
 * copying the scripts was a tenth of the parse.
 */
static int text_unread(const builder *b, uint16_t tag, const htm_attr *attrs, uint32_t nattrs)
{
    if (b->h1_open)
        return 0;
    if (tag == HTT_SCRIPT) {
        for (uint32_t i = 0; i < nattrs; i++)
            if (attrs[i].key == HTA_TYPE)
                return !htm_contains_ci(attrs[i].value, "ld+json");
        return 1;
    }
    return tag == HTT_STYLE || tag == HTT_NOSCRIPT || tag == HTT_IFRAME || tag == HTT_TEXTAREA;
}

/* had_attrs: the tag had attributes, kept or not. */
static void start_tag(builder *b, const char *name, uint16_t tag, htm_attr *attrs,
                      uint32_t nattrs, int had_attrs, int self_closing)
{
    htm_dom *d = b->d;
    uint16_t fl = tag_fl(tag);

    if (tag != HTT_OTHER) {
        if (tag == HTT_HTML) {
            if (!d->root_attrs && had_attrs) {   /* <html lang=..> */
                d->root->attrs = attrs;
                d->root->nattrs = nattrs;
                d->root_attrs = 1;
            }
            return;
        }
        if ((tag == HTT_BODY && in_scope(b, HTT_BODY, 0) >= 0) ||
            (tag == HTT_HEAD && (d->has_body || in_scope(b, HTT_HEAD, 0) >= 0)))
            return;
    }
    /* Anything but head content ends an open <head>. */
    htm_node *cur = current(b);
    if (!(fl & F_HEADOK) && is(cur, HTT_HEAD))
        pop(b);
    if (tag == HTT_BODY)
        d->has_body = 1;

    if (fl & F_CLOSEP) {
        if (tag == HTT_LI) {
            close_item(b, HTT_LI, HTT_LI);
        } else if (tag == HTT_DT || tag == HTT_DD) {
            close_item(b, HTT_DT, HTT_DD);
        }
        close_p(b);
        if (is_heading(tag) && is_heading(current(b)->tag))
            pop(b);
    } else if (tag != HTT_OTHER) {
        static const uint16_t cells[] = {HTT_TD, HTT_TH, HTT_OTHER};
        static const uint16_t rows[] = {HTT_TR, HTT_OTHER};
        static const uint16_t sects[] = {HTT_TBODY, HTT_THEAD, HTT_TFOOT, HTT_OTHER};
        if (tag == HTT_TD || tag == HTT_TH) {
            close_table_part(b, cells);
        } else if (tag == HTT_TR) {
            close_table_part(b, rows);
        } else if (tag == HTT_TBODY || tag == HTT_THEAD || tag == HTT_TFOOT) {
            close_table_part(b, sects);
        } else if (tag == HTT_A) {
            long i = in_scope(b, HTT_A, F_SCOPE);
            if (i >= 0)
                pop_to(b, (size_t)i);
        } else if (tag == HTT_OPTION || tag == HTT_OPTGROUP) {
            if (is(current(b), HTT_OPTION))
                pop(b);
            if (tag == HTT_OPTGROUP && is(current(b), HTT_OPTGROUP))
                pop(b);
        }
    }

    if (b->depth >= SR_HTML_MAX_DEPTH && !(fl & (F_VOID | F_RAW | F_RCDATA))) {
        b->dropped++;          /* flatten: keep the text, drop the element */
        d->flattened = 1;
        return;
    }
    htm_node *n = new_node(b, HTM_ELEM);
    if (!n)
        return;
    n->name = name;
    n->tag = tag;
    n->attrs = attrs;
    n->nattrs = nattrs;
    append(current(b), n);

    if (fl & (F_RAW | F_RCDATA)) {
        /* Up to "</name" followed by a delimiter, case-insensitively.  A
         * scan that found no end tag is remembered, so that thousands of
         * unclosed <textarea>s cost one scan, not one each. */
        size_t nl = tag_len[tag];
        const char *s = b->p, *q = s;
        const char *stop = b->end;
        if (b->no_end[tag] && b->no_end[tag] <= s)
            q = b->end;
        while (q < b->end) {
            const char *lt = memchr(q, '<', (size_t)(b->end - q));
            if (!lt)
                break;
            if (lt + 2 + nl <= b->end && lt[1] == '/' && tag != HTT_PLAINTEXT) {
                size_t k = 0;
                while (k < nl && (lt[2 + k] | 0x20) == name[k])
                    k++;
                if (k == nl) {
                    char c = lt + 2 + nl < b->end ? lt[2 + nl] : '>';
                    if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' ||
                        c == '\r' || c == '\f') {
                        stop = lt;
                        break;
                    }
                }
            }
            q = lt + 1;
        }
        if (stop == b->end && (!b->no_end[tag] || s < b->no_end[tag]))
            b->no_end[tag] = s;
        /* No end tag: a browser reads the rest of the page as this
         * element's text.  For a script or style that is right (a page cut
         * inside one has nothing more to show); an unclosed <title> or
         * <textarea> more likely lost its end tag, and the page after it
         * is still the page, so it is parsed as markup. */
        if (stop == b->end && tag != HTT_SCRIPT && tag != HTT_STYLE &&
            tag != HTT_PLAINTEXT) {
            if (tag != HTT_TITLE)
                return;
            /* the title is the text up to the next tag */
            const char *lt = memchr(s, '<', (size_t)(b->end - s));
            stop = lt ? lt : b->end;
            b->end_raw = stop;
        }
        if (stop > s) {
            htm_node *t = new_node(b, HTM_TEXT);
            if (t) {
                t->content = text_unread(b, tag, attrs, nattrs)
                                 ? ""
                                 : copy_text(b, s, (size_t)(stop - s), (fl & F_RCDATA) != 0, 0,
                                             &t->content_len);
                if (!t->content) {
                    b->err = SR_ENOMEM;
                    b->p = b->end;
                    return;
                }
                append(n, t);
            }
        }
        if (b->p == b->end)        /* cut by the node cap */
            return;
        b->p = stop;
        if (b->end_raw == stop) {  /* recovered: no end tag to skip */
            b->end_raw = NULL;
            return;
        }
        if (stop < b->end) {       /* skip the end tag */
            const char *gt = memchr(stop, '>', (size_t)(b->end - stop));
            b->p = gt ? gt + 1 : b->end;
        }
        return;
    }
    if ((fl & F_VOID) || (self_closing && (b->foreign || tag >= HTT_NPARSE)))
        return;
    if (tag == HTT_SVG || tag == HTT_MATH)
        b->foreign++;
    else if (tag == HTT_H1)
        b->h1_open++;
    if (b->depth >= d->cap_stack) {
        sr_err e = sr_grow((void **)&d->stack, &d->cap_stack, b->depth + 1, sizeof *d->stack);
        if (e) {
            b->err = e;
            b->p = b->end;
            return;
        }
    }
    d->stack[b->depth++] = n;
}

static void end_tag(builder *b, const char *name, uint16_t tag)
{
    if (b->dropped) {      /* closes one of the elements dropped past the cap */
        b->dropped--;
        return;
    }
    if (tag == HTT_BR) {        /* </br> is read as <br> */
        start_tag(b, tag_names[tag], tag, NULL, 0, 0, 0);
        return;
    }
    if (tag == HTT_BODY || tag == HTT_HTML)
        return;    /* later content still belongs to the body */
    int block = (tag_fl(tag) & F_SPECIAL) != 0;
    for (size_t i = b->depth; i-- > 0;) {
        const htm_node *n = b->d->stack[i];
        if (same_name(n, tag, name)) {
            pop_to(b, i);
            return;
        }
        /* An inline end tag does not close a block it is not in; a block
         * end tag closes the inline elements left open inside it. */
        if (!block && (flags_of(n) & F_SPECIAL))
            return;
        if (block && (flags_of(n) & F_SCOPE) && !(tag_fl(tag) & F_SCOPE))
            return;
    }
}

static int cls(const char *p)
{
    return cclass[(unsigned char)*p];
}

static int is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Tag name at b->p (a letter), lower-cased; interned for known tags. */
static const char *read_name(builder *b, uint16_t *tag)
{
    const char *s = b->p;
    while (b->p < b->end && !(cls(b->p) & (C_SPACE | C_SLASH | C_GT)))
        b->p++;
    size_t n = (size_t)(b->p - s);
    char small[16];
    if (n < sizeof small) {
        for (size_t i = 0; i < n; i++)
            small[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        /* A NUL byte ends the name as far as the tree rules go ("p\0" is
         * a <p>); the extra names are only matched whole, as unknown
         * elements are. */
        size_t k = 0;
        while (k < n && small[k])
            k++;
        *tag = tag_lookup(small, k);
        if (*tag != HTT_OTHER && (k == n || *tag < HTT_NPARSE))
            return tag_names[*tag];
    }
    *tag = HTT_OTHER;
    if (n > 128)
        n = 128;      /* a name this long is garbage; keep it bounded */
    char *o = arena_alloc(b->d, n + 1);
    if (!o) {
        b->err = SR_ENOMEM;
        b->p = b->end;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        o[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : (c ? c : ' '));
    }
    o[n] = '\0';
    return o;
}

/* Attributes after the tag name, up to and past '>'. */
static void read_tag(builder *b, int end)
{
    htm_dom *d = b->d;
    uint16_t tag;
    const char *name = read_name(b, &tag);
    if (!name)
        return;
    uint32_t na = 0, seen = 0;
    int self_closing = 0;
    while (b->p < b->end) {
        while (b->p < b->end && (cls(b->p) & (C_SPACE | C_SLASH))) {
            self_closing = *b->p == '/';
            b->p++;
        }
        if (b->p >= b->end)
            break;
        if (*b->p == '>') {
            b->p++;
            break;
        }
        self_closing = 0;
        const char *an = b->p;
        b->p++;    /* the first character may be '=' */
        while (b->p < b->end && !(cls(b->p) & (C_SPACE | C_SLASH | C_GT | C_EQ)))
            b->p++;
        const char *an_end = b->p;
        while (b->p < b->end && (cls(b->p) & C_SPACE))
            b->p++;
        const char *v = NULL, *v_end = NULL;
        if (b->p < b->end && *b->p == '=') {
            b->p++;
            while (b->p < b->end && (cls(b->p) & C_SPACE))
                b->p++;
            if (b->p < b->end && (*b->p == '"' || *b->p == '\'')) {
                char q = *b->p++;
                v = b->p;
                const char *qe = memchr(b->p, q, (size_t)(b->end - b->p));
                v_end = qe ? qe : b->end;
                b->p = qe ? qe + 1 : b->end;
            } else {
                v = b->p;
                while (b->p < b->end && !(cls(b->p) & (C_SPACE | C_GT)))
                    b->p++;
                v_end = b->p;
            }
        }
        if (end || seen >= HTM_MAX_ATTRS)
            continue;
        seen++;
        unsigned key = attr_lookup(an, (size_t)(an_end - an));
        if (key == ATTR_NONE)
            continue;
        if (na >= d->cap_attrs) {
            sr_err e = sr_grow((void **)&d->tmp_attrs, &d->cap_attrs, na + 1, sizeof *d->tmp_attrs);
            if (e) {
                b->err = e;
                b->p = b->end;
                return;
            }
        }
        const char *val = v ? copy_text(b, v, (size_t)(v_end - v), 1, 1, NULL) : "";
        if (!val) {
            b->err = SR_ENOMEM;
            b->p = b->end;
            return;
        }
        d->tmp_attrs[na].name = attr_names[key];
        d->tmp_attrs[na].value = val;
        d->tmp_attrs[na].key = (uint8_t)key;
        na++;
    }
    if (end) {
        end_tag(b, name, tag);
        return;
    }
    htm_attr *attrs = NULL;
    if (na) {
        attrs = arena_alloc(d, na * sizeof *attrs);
        if (!attrs) {
            b->err = SR_ENOMEM;
            b->p = b->end;
            return;
        }
        memcpy(attrs, d->tmp_attrs, na * sizeof *attrs);
    }
    start_tag(b, name, tag, attrs, na, seen > 0, self_closing);
}

static void add_text(builder *b, const char *s, size_t n)
{
    htm_node *cur = current(b);
    int blank = 1;
    for (size_t i = 0; i < n && blank; i++)
        blank = cls(s + i) & C_SPACE;
    if (blank && (cur == b->d->root || (flags_of(cur) & F_WSOK)))
        return;    /* layout whitespace between rows, items, head tags */
    if (!blank && is(cur, HTT_HEAD)) {
        pop(b);
        cur = current(b);
    }
    htm_node *t = new_node(b, HTM_TEXT);
    if (!t)
        return;
    t->content = copy_text(b, s, n, 1, 0, &t->content_len);
    if (!t->content) {
        b->err = SR_ENOMEM;
        b->p = b->end;
        return;
    }
    append(cur, t);
}

/* Skip past `close` (e.g. "-->") or to the end. */
static void skip_past(builder *b, const char *close)
{
    size_t cl = strlen(close);
    const char *q = b->p;
    while (q < b->end) {
        const char *c = memchr(q, close[0], (size_t)(b->end - q));
        if (!c || (size_t)(b->end - c) < cl) {
            b->p = b->end;
            return;
        }
        if (memcmp(c, close, cl) == 0) {
            b->p = c + cl;
            return;
        }
        q = c + 1;
    }
    b->p = b->end;
}

sr_err htm_parse(const char *html, size_t len, htm_dom *d)
{
    pthread_once(&tag_once, tag_index);
    memset(d, 0, sizeof *d);
    d->next_chunk = len + len / 4 + CHUNK_MIN;
    builder b;
    memset(&b, 0, sizeof b);
    b.d = d;
    b.p = html;
    b.end = html + len;
    b.has_nul = len > 0 && memchr(html, '\0', len) != NULL;
    b.err = SR_OK;
    d->root = new_node(&b, HTM_ELEM);
    if (!d->root)
        return SR_ENOMEM;
    d->root->name = tag_names[HTT_HTML];
    d->root->tag = HTT_HTML;

    const char *text = b.p;     /* start of pending text */
    while (b.p < b.end && !b.err) {
        const char *lt = memchr(b.p, '<', (size_t)(b.end - b.p));
        if (!lt || lt + 1 >= b.end) {
            b.p = b.end;
            break;
        }
        char c = lt[1];
        int markup = is_alpha((unsigned char)c) || c == '/' || c == '!' || c == '?';
        if (!markup) {
            b.p = lt + 1;         /* a literal '<' in text */
            continue;
        }
        if (lt > text)
            add_text(&b, text, (size_t)(lt - text));
        if (b.p >= b.end)
            break;
        b.p = lt + 1;
        if (is_alpha((unsigned char)c)) {
            read_tag(&b, 0);
        } else if (c == '/') {
            b.p++;
            if (b.p < b.end && is_alpha((unsigned char)*b.p))
                read_tag(&b, 1);
            else
                skip_past(&b, ">");     /* "</>" or "</ junk>" */
        } else if (c == '!' && b.end - b.p >= 3 && b.p[1] == '-' && b.p[2] == '-') {
            b.p += 3;
            skip_past(&b, "-->");
        } else {
            skip_past(&b, ">");         /* doctype, <?...>, <![CDATA[ */
        }
        text = b.p;
    }
    if (!b.err && text < b.end && b.p >= b.end)
        add_text(&b, text, (size_t)(b.end - text));
    return b.err;
}

const char *htm_attr_get(const htm_node *n, const char *name)
{
    for (uint32_t i = 0; i < n->nattrs; i++)
        if (n->attrs[i].name[0] == name[0] && strcmp(n->attrs[i].name, name) == 0)
            return n->attrs[i].value;
    return NULL;
}
