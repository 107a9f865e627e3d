/*
 * extract.c - sr_html_extract(): bytes -> UTF-8 -> tree (dom.c) -> blocks ->
 * article text + metadata.
 *
 * One iterative walk over the tree (parent/next pointers, no recursion, so
 * nesting depth costs no stack; dom.c flattens nesting past 256) does
 * three jobs at once: it collects metadata (meta.c), drops what can never be
 * article text (scripts, forms' controls, navigation, hidden elements), and
 * cuts the rest into "blocks" - maximal runs of inline text under one
 * block-level element, in reading order, with their character, link and
 * comma counts.  Text is whitespace-collapsed as it is copied, once, into
 * one arena.  content.c then scores elements from the block numbers and
 * marks which blocks form the article; the output is those blocks, headings
 * and list items one per line, paragraphs separated by a blank line.
 *
 * Class and id names that mark boilerplate (comment, share, related ...)
 * are not removed during the walk: a wrapper called "page-with-sidebar" can
 * hold the whole article.  Instead each block remembers the deepest such
 * element above it, and content.c only lets that count against blocks below
 * the container it picks.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>


#define JSONLD_MAX ((size_t)1 << 20)

/* Per-element numbers beyond htm_elem that only the walk needs. */
typedef struct walk {
    htm_page *pg;
    htm_meta  meta;
    htm_node *owner;         /* innermost open block element */
    size_t    blk_start;     /* arena offset where the open block began */
    uint32_t  chars, link_chars, commas;
    int       in_link;
    int       in_head;
    int       pending_space;
    uint32_t  neg;           /* pre+1 of the deepest negative ancestor */
} walk;

/* What the walk does with an element, by tag id (dom.c's HTT_*):
 * block-level elements start and end a block of text; junk is never
 * article text; meta.c looks at a few. */
enum { K_BLOCK = 1, K_JUNK = 2, K_META = 4 };
static const uint8_t tag_kind[HTT_COUNT] = {
    [HTT_P] = K_BLOCK, [HTT_DIV] = K_BLOCK, [HTT_SECTION] = K_BLOCK,
    [HTT_ARTICLE] = K_BLOCK, [HTT_MAIN] = K_BLOCK, [HTT_H1] = K_BLOCK | K_META,
    [HTT_H2] = K_BLOCK, [HTT_H3] = K_BLOCK, [HTT_H4] = K_BLOCK, [HTT_H5] = K_BLOCK,
    [HTT_H6] = K_BLOCK, [HTT_UL] = K_BLOCK, [HTT_OL] = K_BLOCK, [HTT_LI] = K_BLOCK,
    [HTT_DL] = K_BLOCK, [HTT_DT] = K_BLOCK, [HTT_DD] = K_BLOCK,
    [HTT_BLOCKQUOTE] = K_BLOCK, [HTT_PRE] = K_BLOCK, [HTT_TABLE] = K_BLOCK,
    [HTT_TR] = K_BLOCK, [HTT_TD] = K_BLOCK, [HTT_TH] = K_BLOCK, [HTT_TBODY] = K_BLOCK,
    [HTT_THEAD] = K_BLOCK, [HTT_TFOOT] = K_BLOCK, [HTT_CAPTION] = K_BLOCK,
    [HTT_FIGURE] = K_BLOCK, [HTT_FIGCAPTION] = K_BLOCK | K_JUNK, [HTT_HEADER] = K_BLOCK,
    [HTT_FOOTER] = K_BLOCK | K_JUNK, [HTT_ADDRESS] = K_BLOCK, [HTT_HR] = K_BLOCK,
    [HTT_CENTER] = K_BLOCK, [HTT_FORM] = K_BLOCK, [HTT_FIELDSET] = K_BLOCK,
    [HTT_DETAILS] = K_BLOCK, [HTT_SUMMARY] = K_BLOCK, [HTT_BODY] = K_BLOCK,
    [HTT_HTML] = K_BLOCK | K_META, [HTT_HGROUP] = K_BLOCK, [HTT_LEGEND] = K_BLOCK,
    [HTT_ASIDE] = K_BLOCK | K_JUNK, [HTT_NAV] = K_BLOCK | K_JUNK, [HTT_MENU] = K_BLOCK,

    [HTT_SCRIPT] = K_JUNK, [HTT_STYLE] = K_JUNK, [HTT_NOSCRIPT] = K_JUNK,
    [HTT_TEMPLATE] = K_JUNK, [HTT_SVG] = K_JUNK, [HTT_MATH] = K_JUNK,
    [HTT_IFRAME] = K_JUNK, [HTT_OBJECT] = K_JUNK, [HTT_EMBED] = K_JUNK,
    [HTT_CANVAS] = K_JUNK, [HTT_VIDEO] = K_JUNK, [HTT_AUDIO] = K_JUNK, [HTT_MAP] = K_JUNK,
    [HTT_BUTTON] = K_JUNK, [HTT_SELECT] = K_JUNK, [HTT_TEXTAREA] = K_JUNK,
    [HTT_INPUT] = K_JUNK, [HTT_OPTION] = K_JUNK, [HTT_HEAD] = K_JUNK,
    [HTT_TITLE] = K_JUNK | K_META, [HTT_META] = K_JUNK | K_META,
    [HTT_LINK] = K_JUNK | K_META, [HTT_DIALOG] = K_JUNK, [HTT_LABEL] = K_JUNK,
    [HTT_DATALIST] = K_JUNK, [HTT_OUTPUT] = K_JUNK, [HTT_APPLET] = K_JUNK,
    [HTT_FRAMESET] = K_JUNK, [HTT_FRAME] = K_JUNK, [HTT_PICTURE] = K_JUNK,
    [HTT_SOURCE] = K_JUNK,

    [HTT_TIME] = K_META,
};

static unsigned kind_of(const htm_node *n)
{
    return n->tag < HTT_COUNT ? tag_kind[n->tag] : 0;
}

static int is_block(const htm_node *n)
{
    return (kind_of(n) & K_BLOCK) != 0;
}

/* The attributes the walk asks about, found in one pass over the element's
 * list (the first of each name, as htm_attr_get() would give). */
typedef struct elem_attrs {
    const char *cls, *id, *style, *role, *itemprop, *aria_hidden, *hidden;
} elem_attrs;

static void read_attrs(const htm_node *n, elem_attrs *a)
{
    memset(a, 0, sizeof *a);
    for (uint32_t i = 0; i < n->nattrs; i++) {
        const char **slot;
        switch (n->attrs[i].key) {
        case HTA_CLASS: slot = &a->cls; break;
        case HTA_ID: slot = &a->id; break;
        case HTA_STYLE: slot = &a->style; break;
        case HTA_ROLE: slot = &a->role; break;
        case HTA_ITEMPROP: slot = &a->itemprop; break;
        case HTA_ARIA_HIDDEN: slot = &a->aria_hidden; break;
        case HTA_HIDDEN: slot = &a->hidden; break;
        default: continue;
        }
        if (!*slot)
            *slot = n->attrs[i].value;
    }
}

/*
 * Class and id words, looked for in one pass (see class_words()).
 * Negative words mark boilerplate; positive ones mark the article and win
 * over a negative word on the same element ("article-comments-count" is
 * rare, "comment" wrappers named "content" rarer).  Screen-reader-only
 * text ("Image copyright", "Advertisement", "Skip to content") hides under
 * the usual utility class names; captions and credits inside a paragraph
 * ("(Image: GETTY)") under theirs.
 */
enum { W_POS = 1, W_NEG = 2, W_HIDDEN = 4, W_CREDIT = 8 };

static const char *const neg_words[] = {
    "comment", "share", "sharing", "related", "recommend", "promo",
    "advert", "sponsor", "newsletter", "subscri", "signup", "sign-up",
    "cookie", "consent", "gdpr", "sidebar", "footer", "breadcrumb",
    "masthead", "navbar", "menu", "popup", "modal", "outbrain", "taboola",
    "widget", "toolbar", "disqus", "paywall", "trending", "popular",
    "pagination", "pager", "login", "overlay", "skip", "byline", "author",
    "caption", "credit", "tags", "tag-list", "topics", "more-", "read-more",
    "readmore", "teaser", "jump", "banner", "rail", "hidden", "print",
    "timestamp", "dateline", "meta", "follow", "email", "facebook",
    "twitter", "whatsapp", "pinterest", "linkedin", "headline", "kicker",
};
static const char *const pos_words[] = {
    "article-body", "articlebody", "article__body", "article-content",
    "story-body", "storybody", "entry-content", "post-content", "post-body",
    "postbody", "body-text", "article-text", "story-content", "main-content",
    "articletext", "content-body", "article_body", "story__body", "text-body",
    "paywall-article", "rich-text", "page-content",
};
static const char *const hidden_words[] = {
    "sr-only", "screen-reader", "visually-hidden", "visuallyhidden", "off-screen", "offscreen",
};
static const char *const credit_words[] = { "caption", "credit", "copyright" };

/*
 * All four lists in one Aho-Corasick automaton, built once, with a full
 * transition table over the bytes that occur in the words (letters folded,
 * '-', '_'; every other byte is one class).  A class name is then one
 * table step per byte however many words there are: matching each word
 * with a substring search, or each position with the words of its letter,
 * cost a quarter of the extraction time on pages with thousands of
 * classed elements.
 *
 * The folds are the ones the lists were defined with: positive and
 * negative words are matched in the first 256 bytes, lower-cased A-Z; the
 * hidden and credit words anywhere, with every byte OR 0x20, which also
 * turns a CR into '-' - so a name holding a CR takes the plain search for
 * those two lists.
 */
#define AC_CLASSES 29            /* other, a-z, '-', '_' */
#define AC_STATES  1024
#define POS_NEG_BYTES 256
static uint16_t ac_next[AC_STATES][AC_CLASSES];
static uint8_t  ac_out[AC_STATES];
static uint8_t  ac_class[256];
static size_t   ac_nstates;

static void ac_add(const char *w, unsigned bit)
{
    unsigned st = 0;
    for (; *w; w++) {
        unsigned c = ac_class[(unsigned char)*w];
        if (!ac_next[st][c]) {
            if (ac_nstates >= AC_STATES)
                abort();    /* the word lists outgrew AC_STATES: a bug */
            ac_next[st][c] = (uint16_t)ac_nstates++;
        }
        st = ac_next[st][c];
    }
    ac_out[st] |= (uint8_t)bit;
}

static void ac_build(void)
{
    for (unsigned c = 'a'; c <= 'z'; c++) {
        ac_class[c] = (uint8_t)(c - 'a' + 1);
        ac_class[c - 32] = (uint8_t)(c - 'a' + 1);
    }
    ac_class['-'] = 27;
    ac_class['_'] = 28;
    ac_nstates = 1;
    static const struct { const char *const *w; size_t n; unsigned bit; } lists[] = {
        { pos_words, sizeof pos_words / sizeof pos_words[0], W_POS },
        { neg_words, sizeof neg_words / sizeof neg_words[0], W_NEG },
        { hidden_words, sizeof hidden_words / sizeof hidden_words[0], W_HIDDEN },
        { credit_words, sizeof credit_words / sizeof credit_words[0], W_CREDIT },
    };
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; i < lists[l].n; i++)
            ac_add(lists[l].w[i], lists[l].bit);
    /* Breadth first: a state's failure state is shallower, so complete
     * before it is used; missing moves become the failure state's. */
    static uint16_t queue[AC_STATES], fail[AC_STATES];
    size_t head = 0, tail = 0;
    for (unsigned c = 0; c < AC_CLASSES; c++)
        if (ac_next[0][c]) {
            fail[ac_next[0][c]] = 0;
            queue[tail++] = ac_next[0][c];
        }
    while (head < tail) {
        unsigned st = queue[head++];
        ac_out[st] |= ac_out[fail[st]];
        for (unsigned c = 0; c < AC_CLASSES; c++) {
            unsigned nx = ac_next[st][c];
            if (nx) {
                fail[nx] = ac_next[fail[st]][c];
                queue[tail++] = (uint16_t)nx;
            } else {
                ac_next[st][c] = ac_next[fail[st]][c];
            }
        }
    }
}

/* W_* bits of the words in s (a class or id value). */
static unsigned class_words(const char *s)
{
    unsigned st = 0, bits = 0;
    int cr = 0;
    size_t i = 0;
    for (; s[i] && i < POS_NEG_BYTES; i++) {
        st = ac_next[st][ac_class[(unsigned char)s[i]]];
        bits |= ac_out[st];
        cr |= s[i] == '\r';
    }
    for (; s[i]; i++) {
        st = ac_next[st][ac_class[(unsigned char)s[i]]];
        bits |= ac_out[st] & (W_HIDDEN | W_CREDIT);
        cr |= s[i] == '\r';
    }
    if (cr) {
        bits &= ~(unsigned)(W_HIDDEN | W_CREDIT);
        for (size_t k = 0; k < sizeof hidden_words / sizeof hidden_words[0]; k++)
            if (htm_contains_ci(s, hidden_words[k]))
                bits |= W_HIDDEN;
        for (size_t k = 0; k < sizeof credit_words / sizeof credit_words[0]; k++)
            if (htm_contains_ci(s, credit_words[k]))
                bits |= W_CREDIT;
    }
    return bits;
}

static int is_hidden(const elem_attrs *a, unsigned cls_bits)
{
    if (a->hidden)
        return 1;
    if (a->aria_hidden && htm_ascii_casecmp(a->aria_hidden, "true") == 0)
        return 1;
    const char *st = a->style;
    if (st && (htm_contains_ci(st, "display:none") || htm_contains_ci(st, "display: none") ||
               htm_contains_ci(st, "visibility:hidden") ||
               htm_contains_ci(st, "visibility: hidden")))
        return 1;
    if (cls_bits & W_HIDDEN)
        return 1;
    if (a->role) {
        static const char *const roles[] = {
            "navigation", "banner", "contentinfo", "complementary", "dialog",
            "alertdialog", "menu", "menubar", "search", "toolbar",
        };
        for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
            if (htm_ascii_casecmp(a->role, roles[i]) == 0)
                return 1;
    }
    return 0;
}

/* "ad", "ads", "ad-slot", "dfp-ad": ad markers as whole class tokens. */
static int ad_token(const char *s)
{
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *t = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        size_t n = (size_t)(p - t);
        if ((n == 2 && (t[0] | 0x20) == 'a' && (t[1] | 0x20) == 'd') ||
            (n == 3 && (t[0] | 0x20) == 'a' &&
             (t[1] | 0x20) == 'd' && (t[2] | 0x20) == 's'))
            return 1;
        if (n > 3 && ((t[0] | 0x20) == 'a' && (t[1] | 0x20) == 'd' && (t[2] == '-' || t[2] == '_')))
            return 1;
        if (n > 3 && (t[n - 3] == '-' || t[n - 3] == '_') && (t[n - 2] | 0x20) == 'a' &&
            (t[n - 1] | 0x20) == 'd')
            return 1;
    }
    return 0;
}

/* +2 itemprop=articleBody, +1 article hint, -1 boilerplate hint, 0 none.
 * cls_bits: class_words() of the class value. */
static int class_hint(const elem_attrs *a, unsigned cls_bits)
{
    if (a->itemprop && htm_contains_ci(a->itemprop, "articlebody"))
        return 2;
    int hint = 0;
    if (a->cls && *a->cls) {
        if (cls_bits & W_POS)
            return 1;
        if ((cls_bits & W_NEG) || ad_token(a->cls))
            hint = -1;
    }
    if (a->id && *a->id) {
        unsigned id_bits = class_words(a->id);
        if (id_bits & W_POS)
            return 1;
        if ((id_bits & W_NEG) || ad_token(a->id))
            hint = -1;
    }
    return hint;
}

static uint32_t elem_id(const htm_node *n)
{
    return n->id;   /* pre + 1; 0 = none */
}

static sr_err flush_block(walk *w)
{
    htm_page *pg = w->pg;
    /* Trim the trailing space or line breaks the collapse left. */
    while (pg->arena.len > w->blk_start &&
           (pg->arena.p[pg->arena.len - 1] == ' ' || pg->arena.p[pg->arena.len - 1] == '\n'))
        pg->arena.len--;
    if (w->chars > 0 && w->owner) {
        sr_err e = sr_grow((void **)&pg->blocks, &pg->cap_blocks, pg->nblocks + 1,
                           sizeof *pg->blocks);
        if (e)
            return e;
        htm_block *b = &pg->blocks[pg->nblocks++];
        memset(b, 0, sizeof *b);
        b->owner = w->owner;
        b->off = w->blk_start;
        b->len = pg->arena.len - w->blk_start;
        b->chars = w->chars;
        b->link_chars = w->link_chars;
        b->commas = w->commas;
        b->neg = w->neg;
        uint16_t t = w->owner->tag;
        if (t >= HTT_H1 && t <= HTT_H6)
            b->kind = HTM_HEADING;
        else if (t == HTT_LI || t == HTT_DT || t == HTT_DD)
            b->kind = HTM_ITEM;
        else if (t == HTT_BLOCKQUOTE)
            b->kind = HTM_QUOTE;
        else if (t == HTT_PRE)
            b->kind = HTM_PRE;
        else
            b->kind = HTM_PARA;
    } else {
        pg->arena.len = w->blk_start;
    }
    if (pg->arena.p)
        pg->arena.p[pg->arena.len] = '\0';
    w->blk_start = pg->arena.len;
    w->chars = w->link_chars = w->commas = 0;
    w->pending_space = 0;
    return SR_OK;
}

/* Bytes of text, by what the whitespace collapse does with them. */
enum { TC_STOP = 1,      /* ends a run of non-space bytes: whitespace, and
                            0xc2, which may start a no-break space */
       TC_CHAR = 2,      /* starts a character (not a continuation byte) */
       TC_COMMA = 4 };
static uint8_t text_class[256];

static void text_class_build(void)
{
    for (unsigned c = 0; c < 256; c++)
        text_class[c] = (uint8_t)((c & 0xc0) != 0x80 ? TC_CHAR : 0);
    text_class[' '] |= TC_STOP;
    text_class['\t'] |= TC_STOP;
    text_class['\n'] |= TC_STOP;
    text_class['\r'] |= TC_STOP;
    text_class['\f'] |= TC_STOP;
    text_class[0xc2] |= TC_STOP;
    text_class[','] |= TC_COMMA;
}

/*
 * A text node into the open block: runs of whitespace (and U+00A0) become
 * one space, none at the start of a line; non-space characters and commas
 * are counted for the scorer.  The collapse never writes more than the
 * node's bytes plus one pending space, so room is made once per node.
 */
static sr_err add_text(walk *w, const htm_node *t)
{
    sr_buf *a = &w->pg->arena;
    const unsigned char *s = (const unsigned char *)t->content;
    const unsigned char *end = s + t->content_len;
    sr_err e = sr_buf_reserve(a, (size_t)t->content_len + 1);
    if (e)
        return e;
    char *base = a->p, *o = a->p + a->len;
    const char *blk = base + w->blk_start;
    uint32_t nch = 0, commas = 0;
    int pending = w->pending_space;
    while (s < end) {
        unsigned c = *s;
        if (text_class[c] & TC_STOP) {
            if (c != 0xc2) {
                pending = 1;
                s++;
                continue;
            }
            if (s[1] == 0xa0) {   /* no-break space; s[1] may be the NUL */
                pending = 1;
                s += 2;
                continue;
            }
        }
        if (pending && o > blk && o[-1] != '\n')
            *o++ = ' ';
        pending = 0;
        /* The run of non-space bytes from s. */
        for (;;) {
            unsigned f = text_class[c];
            if ((f & TC_STOP) && (c != 0xc2 || s[1] == 0xa0))
                break;
            *o++ = (char)c;
            nch += (f & TC_CHAR) != 0;
            commas += (f & TC_COMMA) != 0;
            if (++s == end)
                break;
            c = *s;
        }
    }
    a->len = (size_t)(o - base);
    base[a->len] = '\0';
    w->pending_space = pending;
    w->chars += nch;
    w->commas += commas;
    if (w->in_link)
        w->link_chars += nch;
    return SR_OK;
}

static htm_node *block_ancestor(htm_node *n)
{
    for (; n && n->type == HTM_ELEM; n = n->parent)
        if (is_block(n))
            return n;
    return NULL;
}

/* Enter an element; returns 1 to descend into it. */
static sr_err enter(walk *w, htm_node *n, int *descend)
{
    htm_page *pg = w->pg;
    uint16_t t = n->tag;
    unsigned kind = kind_of(n);
    *descend = 0;
    sr_err e = sr_grow((void **)&pg->elems, &pg->cap_elems, pg->nelems + 1, sizeof *pg->elems);
    if (!e)
        e = sr_grow((void **)&pg->elem_nodes, &pg->cap_nodes, pg->nelems + 1,
                    sizeof *pg->elem_nodes);
    if (e)
        return e;
    uint32_t id = (uint32_t)pg->nelems++;
    htm_elem *el = &pg->elems[id];
    memset(el, 0, sizeof *el);
    el->pre = id;
    el->end = id;
    el->prev_neg = w->neg;
    pg->elem_nodes[id] = n;
    n->id = id + 1;

    if (kind & K_META)
        if ((e = htm_meta_element(&w->meta, n)))
            return e;
    if (t == HTT_SCRIPT) {
        const char *type = n->nattrs ? htm_attr_get(n, "type") : NULL;
        if (type && htm_contains_ci(type, "ld+json")) {
            for (const htm_node *c = n->children; c; c = c->next)
                if (c->type == HTM_TEXT && c->content && pg->jsonld.len < JSONLD_MAX) {
                    /* Over the cap the rest is dropped, which only loses hints. */
                    (void)sr_buf_puts(&pg->jsonld, c->content);
                    (void)sr_buf_putc(&pg->jsonld, '\n');
                }
        }
        return SR_OK;
    }
    if (t == HTT_HEAD) {
        *descend = 1;    /* for metadata only; head text is never a block */
        el->junk = 1;
        w->in_head++;
        return SR_OK;
    }
    if (w->in_head || (kind & K_JUNK)) {
        el->junk = 1;
        return SR_OK;
    }
    int hint = 0;
    if (n->nattrs) {
        elem_attrs ea;
        read_attrs(n, &ea);
        unsigned cls_bits = ea.cls ? class_words(ea.cls) : 0;
        /* An inline caption or credit inside a paragraph ("(Image:
         * GETTY)", "Photo: Reuters") is dropped with its text: unlike a
         * boilerplate block it cannot be left out later, being part of
         * its paragraph's block. */
        if (is_hidden(&ea, cls_bits) || (!(kind & K_BLOCK) && (cls_bits & W_CREDIT))) {
            el->junk = 1;
            return SR_OK;
        }
        hint = class_hint(&ea, cls_bits);
    }
    /* An embedded post (blockquote.twitter-tweet, .instagram-media) is
     * quoted material of the article, whatever its class says. */
    if (hint < 0 && t == HTT_BLOCKQUOTE)
        hint = 0;
    el->hint = (int8_t)hint;
    if (hint == 2 && !pg->body_hint)
        pg->body_hint = n;
    if (hint < 0 && t != HTT_BODY && t != HTT_HTML)
        w->neg = id + 1;
    else if (hint > 0)
        w->neg = 0;     /* an article body inside a layout named "...-rail" */

    if (kind & K_BLOCK) {
        if ((e = flush_block(w)))
            return e;
        w->owner = n;
    } else if (t == HTT_A) {
        w->in_link++;
    } else if (t == HTT_BR) {
        sr_buf *a = &w->pg->arena;
        if (a->len > w->blk_start && !(e = sr_buf_reserve(a, 1))) {
            a->p[a->len++] = '\n';
            a->p[a->len] = '\0';
        }
        w->pending_space = 0;
        return e;
    } else if (t == HTT_IMG) {
        return SR_OK;
    }
    *descend = 1;
    return SR_OK;
}

static sr_err leave(walk *w, htm_node *n)
{
    uint32_t id = elem_id(n);
    if (!id)
        return SR_OK;
    htm_page *pg = w->pg;
    pg->elems[id - 1].end = (uint32_t)pg->nelems - 1;
    w->neg = pg->elems[id - 1].prev_neg;
    uint16_t t = n->tag;
    if (pg->elems[id - 1].junk) {
        if (t == HTT_HEAD && w->in_head > 0)
            w->in_head--;
        return SR_OK;
    }
    if (is_block(n)) {
        sr_err e = flush_block(w);
        if (e)
            return e;
        w->owner = block_ancestor(n->parent);
    } else if (t == HTT_A && w->in_link > 0) {
        w->in_link--;
    }
    return SR_OK;
}

static sr_err walk_tree(walk *w, htm_node *root)
{
    sr_err e = SR_OK;
    htm_node *cur = root;
    while (cur && !e) {
        int descend = 0;
        if (cur->type == HTM_ELEM) {
            e = enter(w, cur, &descend);
        } else if (cur->type == HTM_TEXT && cur->content && w->owner) {
            e = add_text(w, cur);
        }
        if (e)
            break;
        if (descend && cur->children) {
            cur = cur->children;
            continue;
        }
        while (cur) {
            if (cur->type == HTM_ELEM && (e = leave(w, cur)))
                break;
            if (cur == root) {
                cur = NULL;
                break;
            }
            if (cur->next) {
                cur = cur->next;
                break;
            }
            cur = cur->parent;
        }
    }
    if (!e)
        e = flush_block(w);
    return e;
}

static sr_err emit(htm_page *pg, sr_article *out)
{
    sr_buf b = SR_BUF_INIT(pg->arena.len + 2 * pg->nblocks + 1);
    sr_err e = SR_OK;
    int prev_kind = -1;
    const htm_node *prev_owner = NULL;
    for (size_t i = 0; i < pg->nblocks && !e; i++) {
        const htm_block *bl = &pg->blocks[i];
        if (!bl->keep)
            continue;
        if (b.len > 0) {
            /* List items (and pieces of one element split by a nested
             * block) go one per line; everything else is a paragraph. */
            int tight = (bl->kind == HTM_ITEM && prev_kind == HTM_ITEM);
            e = sr_buf_puts(&b, tight ? "\n" : "\n\n");
        }
        if (!e)
            e = sr_buf_append(&b, pg->arena.p + bl->off, bl->len);
        prev_kind = bl->kind;
        prev_owner = bl->owner;
    }
    (void)prev_owner;
    if (!e)
        e = sr_buf_putc(&b, '\0');
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    size_t n = 0;
    out->text = sr_buf_detach(&b, &n);
    out->text_len = n - 1;
    return SR_OK;
}

/* The walk's lookup tables, built once per process. */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_build(void)
{
    ac_build();
    text_class_build();
}

sr_err sr_html_extract(const char *html, size_t len, const char *charset,
                       const char *base_url, sr_article *out)
{
    return sr_html_extract_max(html, len, charset, base_url, 0, out);
}

sr_err sr_html_extract_max(const char *html, size_t len, const char *charset,
                           const char *base_url, size_t max, sr_article *out)
{
    const char *u8 = NULL;
    size_t u8_len = 0;
    int owned = 0;
    sr_err e = SR_OK;
    htm_page pg;
    walk w;
    memset(out, 0, sizeof *out);
    memset(&pg, 0, sizeof pg);
    memset(&w, 0, sizeof w);
    sr_buf_init(&pg.jsonld, JSONLD_MAX + 4096);
    pthread_once(&tables_once, tables_build);

    if (len > (max ? max : SR_HTML_MAX_PAGE)) {
        e = SR_ETOOBIG;
        goto out;
    }
    if (len > 0 && htm_looks_binary(html, len)) {
        e = SR_EFORMAT;
        goto out;
    }
    if ((e = htm_to_utf8(html, len, charset, &u8, &u8_len, &owned, &out->relabelled,
                         out->ignored_charset, sizeof out->ignored_charset)))
        goto out;
    if (u8_len > INT32_MAX) {
        e = SR_ETOOBIG;
        goto out;
    }
    pg.arena.max = u8_len + 16;

    if ((e = htm_parse(u8, u8_len, &pg.dom)))
        goto out;
    out->truncated = pg.dom.truncated;
    out->flattened = pg.dom.flattened;
    w.pg = &pg;
    w.owner = pg.dom.root;
    if ((e = walk_tree(&w, pg.dom.root)))
        goto out;
    /* Metadata first: the headline anchors where the article starts. */
    if ((e = htm_meta_finish(&w.meta, &pg.jsonld, base_url, out)))
        goto out;
    htm_select_content(&pg, out->title);
    e = emit(&pg, out);
out:
    if (e)
        sr_article_free(out);
    htm_meta_free(&w.meta);
    htm_dom_free(&pg.dom);
    free(pg.blocks);
    free(pg.elems);
    free(pg.elem_nodes);
    free(pg.arena.p);
    sr_buf_free(&pg.jsonld);
    if (owned)
        free((void *)u8);
    return e;
}

void sr_article_free(sr_article *a)
{
    if (!a)
        return;
    free(a->title);
    free(a->author);
    free(a->published);
    free(a->site_name);
    free(a->url);
    free(a->lang);
    free(a->text);
    memset(a, 0, sizeof *a);
}
