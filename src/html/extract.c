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

/* Block-level elements: they start and end a block of text. */
static int is_block_tag(const char *t)
{
    static const char *const blocks[] = {
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
        "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
        "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "figure",
        "figcaption", "header", "footer", "address", "hr", "center", "form",
        "fieldset", "details", "summary", "body", "html", "hgroup", "legend",
        "aside", "nav", "menu",
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (t[0] == blocks[i][0] && strcmp(t, blocks[i]) == 0)
            return 1;
    return 0;
}

/* Elements whose content is never article text. */
static int is_junk_tag(const char *t)
{
    static const char *const junk[] = {
        "script", "style", "noscript", "template", "svg", "math", "iframe",
        "object", "embed", "canvas", "video", "audio", "map", "button",
        "select", "textarea", "input", "option", "nav", "aside", "footer",
        "head", "title", "meta", "link", "dialog", "label", "datalist",
        "output", "applet", "frameset", "frame", "picture", "source", "figcaption",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        if (t[0] == junk[i][0] && strcmp(t, junk[i]) == 0)
            return 1;
    return 0;
}

static const char *attr(const htm_node *n, const char *name)
{
    return n->nattrs ? htm_attr_get(n, name) : NULL;
}

static int contains_ci(const char *h, const char *needle)
{
    size_t n = strlen(needle);
    for (; *h; h++) {
        size_t j = 0;
        while (j < n && h[j] && (h[j] | 0x20) == needle[j])
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

static int is_hidden(const htm_node *n)
{
    if (attr(n, "hidden"))
        return 1;
    const char *aria = attr(n, "aria-hidden");
    if (aria && htm_ascii_casecmp(aria, "true") == 0)
        return 1;
    const char *st = attr(n, "style");
    if (st && (contains_ci(st, "display:none") || contains_ci(st, "display: none") ||
               contains_ci(st, "visibility:hidden") || contains_ci(st, "visibility: hidden")))
        return 1;
    /* Text for screen readers only ("Image copyright", "Advertisement",
     * "Skip to content") under the usual utility class names. */
    const char *cl = attr(n, "class");
    if (cl && (contains_ci(cl, "sr-only") || contains_ci(cl, "screen-reader") ||
               contains_ci(cl, "visually-hidden") || contains_ci(cl, "visuallyhidden") ||
               contains_ci(cl, "off-screen") || contains_ci(cl, "offscreen")))
        return 1;
    const char *role = attr(n, "role");
    if (role) {
        static const char *const roles[] = {
            "navigation", "banner", "contentinfo", "complementary", "dialog",
            "alertdialog", "menu", "menubar", "search", "toolbar",
        };
        for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
            if (htm_ascii_casecmp(role, roles[i]) == 0)
                return 1;
    }
    return 0;
}

/*
 * Class/id words.  Negative words mark boilerplate; positive ones mark the
 * article and win over a negative word on the same element ("article-
 * comments-count" is rare, "comment" wrappers named "content" rarer).
 */
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

/*
 * The word lists indexed by first letter, so that a class name is scanned
 * once and each position is compared only with the words that start with
 * its letter: matching every word with a substring search cost a fifth of
 * the extraction time on pages with thousands of classed elements.
 */
#define WORDS_MAX 96
typedef struct word_index {
    const char *const *words;
    uint8_t len[WORDS_MAX];
    uint8_t order[WORDS_MAX];     /* word numbers sorted by first byte */
    uint8_t start[257];           /* order[start[c] .. start[c+1]) begin with c */
} word_index;

static word_index neg_ix, pos_ix;
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;

static void index_words(word_index *ix, const char *const *w, size_t n)
{
    size_t count[257] = {0};
    ix->words = w;
    for (size_t i = 0; i < n; i++) {
        ix->len[i] = (uint8_t)strlen(w[i]);
        count[(unsigned char)w[i][0] + 1]++;
    }
    for (size_t c = 1; c < 257; c++)
        count[c] += count[c - 1];
    for (size_t c = 0; c < 257; c++)
        ix->start[c] = (uint8_t)count[c];
    for (size_t i = 0; i < n; i++)
        ix->order[count[(unsigned char)w[i][0]]++] = (uint8_t)i;
}

static void index_all(void)
{
    _Static_assert(sizeof neg_words / sizeof neg_words[0] < WORDS_MAX, "neg_words");
    _Static_assert(sizeof pos_words / sizeof pos_words[0] < WORDS_MAX, "pos_words");
    index_words(&neg_ix, neg_words, sizeof neg_words / sizeof neg_words[0]);
    index_words(&pos_ix, pos_words, sizeof pos_words / sizeof pos_words[0]);
}

/* low[0..n) is lower-case. */
static int word_hit(const char *low, size_t n, const word_index *ix)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)low[i];
        for (unsigned k = ix->start[c]; k < ix->start[c + 1]; k++) {
            unsigned wi = ix->order[k];
            if (i + ix->len[wi] <= n && memcmp(low + i, ix->words[wi], ix->len[wi]) == 0)
                return 1;
        }
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

/* +2 itemprop=articleBody, +1 article hint, -1 boilerplate hint, 0 none. */
static int class_hint(const htm_node *n)
{
    if (!n->nattrs)
        return 0;
    const char *ip = attr(n, "itemprop");
    if (ip && contains_ci(ip, "articlebody"))
        return 2;
    int hint = 0;
    const char *names[2] = { attr(n, "class"), attr(n, "id") };
    pthread_once(&ix_once, index_all);
    for (int i = 0; i < 2; i++) {
        const char *s = names[i];
        if (!s || !*s)
            continue;
        char low[256];
        size_t k = 0;
        for (; s[k] && k < sizeof low; k++)
            low[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
        if (word_hit(low, k, &pos_ix))
            return 1;
        if (word_hit(low, k, &neg_ix) || ad_token(s))
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
        const char *t = w->owner->name;
        if (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2])
            b->kind = HTM_HEADING;
        else if (!strcmp(t, "li") || !strcmp(t, "dt") || !strcmp(t, "dd"))
            b->kind = HTM_ITEM;
        else if (!strcmp(t, "blockquote"))
            b->kind = HTM_QUOTE;
        else if (!strcmp(t, "pre"))
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

static sr_err add_text(walk *w, const unsigned char *s)
{
    sr_buf *a = &w->pg->arena;
    sr_err e = SR_OK;
    while (*s && !e) {
        unsigned char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            w->pending_space = 1;
            s++;
            continue;
        }
        if (c == 0xc2 && s[1] == 0xa0) {   /* no-break space */
            w->pending_space = 1;
            s += 2;
            continue;
        }
        /* Copy a run of non-space bytes at once. */
        const unsigned char *r = s;
        uint32_t nch = 0, commas = 0;
        while (*r && *r != ' ' && *r != '\t' && *r != '\n' && *r != '\r' && *r != '\f' &&
               !(*r == 0xc2 && r[1] == 0xa0)) {
            if ((*r & 0xc0) != 0x80)
                nch++;
            if (*r == ',')
                commas++;
            r++;
        }
        if (w->pending_space && a->len > w->blk_start &&
            a->p[a->len - 1] != '\n')
            e = sr_buf_putc(a, ' ');
        w->pending_space = 0;
        if (!e)
            e = sr_buf_append(a, s, (size_t)(r - s));
        w->chars += nch;
        w->commas += commas;
        if (w->in_link)
            w->link_chars += nch;
        s = r;
    }
    return e;
}

static htm_node *block_ancestor(htm_node *n)
{
    for (; n && n->type == HTM_ELEM; n = n->parent)
        if (is_block_tag(n->name))
            return n;
    return NULL;
}

/* An inline caption or credit inside a paragraph ("(Image: GETTY)",
 * "Photo: Reuters"): dropped with its text, since unlike a boilerplate
 * block it cannot be left out later, being part of its paragraph's block. */
static int inline_credit(const htm_node *n)
{
    const char *cl = attr(n, "class");
    return cl && (contains_ci(cl, "caption") || contains_ci(cl, "credit") ||
                  contains_ci(cl, "copyright"));
}

/* Enter an element; returns 1 to descend into it. */
static sr_err enter(walk *w, htm_node *n, int *descend)
{
    htm_page *pg = w->pg;
    const char *t = n->name;
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

    if (t[0] == 'm' || t[0] == 'l' || t[0] == 'h' || t[0] == 't')
        if ((e = htm_meta_element(&w->meta, n)))
            return e;
    if (t[0] == 's' && strcmp(t, "script") == 0) {
        const char *type = attr(n, "type");
        if (type && contains_ci(type, "ld+json")) {
            for (const htm_node *c = n->children; c; c = c->next)
                if (c->type == HTM_TEXT && c->content && pg->jsonld.len < JSONLD_MAX) {
                    /* Over the cap the rest is dropped, which only loses hints. */
                    (void)sr_buf_puts(&pg->jsonld, c->content);
                    (void)sr_buf_putc(&pg->jsonld, '\n');
                }
        }
        return SR_OK;
    }
    if (t[0] == 'h' && t[1] == 'e' && strcmp(t, "head") == 0) {
        *descend = 1;    /* for metadata only; head text is never a block */
        el->junk = 1;
        w->in_head++;
        return SR_OK;
    }
    if (w->in_head || is_junk_tag(t) || is_hidden(n) ||
        (!is_block_tag(t) && inline_credit(n))) {
        el->junk = 1;
        return SR_OK;
    }

    int hint = class_hint(n);
    /* An embedded post (blockquote.twitter-tweet, .instagram-media) is
     * quoted material of the article, whatever its class says. */
    if (hint < 0 && t[0] == 'b' && strcmp(t, "blockquote") == 0)
        hint = 0;
    el->hint = (int8_t)hint;
    if (hint == 2 && !pg->body_hint)
        pg->body_hint = n;
    if (hint < 0 && strcmp(t, "body") && strcmp(t, "html"))
        w->neg = id + 1;
    else if (hint > 0)
        w->neg = 0;     /* an article body inside a layout named "...-rail" */

    if (is_block_tag(t)) {
        if ((e = flush_block(w)))
            return e;
        w->owner = n;
    } else if (t[0] == 'a' && !t[1]) {
        w->in_link++;
    } else if (t[0] == 'b' && t[1] == 'r' && !t[2]) {
        if (w->pg->arena.len > w->blk_start)
            e = sr_buf_putc(&w->pg->arena, '\n');
        w->pending_space = 0;
        return e;
    } else if (!strcmp(t, "img")) {
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
    const char *t = n->name;
    if (pg->elems[id - 1].junk) {
        if (t[0] == 'h' && t[1] == 'e' && strcmp(t, "head") == 0 && w->in_head > 0)
            w->in_head--;
        return SR_OK;
    }
    if (is_block_tag(t)) {
        sr_err e = flush_block(w);
        if (e)
            return e;
        w->owner = block_ancestor(n->parent);
    } else if (t[0] == 'a' && !t[1] && w->in_link > 0) {
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
            e = add_text(w, (const unsigned char *)cur->content);
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

sr_err sr_html_extract(const char *html, size_t len, const char *charset,
                       const char *base_url, sr_article *out)
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
    sr_buf_init(&pg.arena, 0);
    sr_buf_init(&pg.jsonld, JSONLD_MAX + 4096);

    if (len > SR_HTML_MAX_PAGE) {
        e = SR_ETOOBIG;
        goto out;
    }
    if (len > 0 && htm_looks_binary(html, len)) {
        e = SR_EFORMAT;
        goto out;
    }
    if ((e = htm_to_utf8(html, len, charset, &u8, &u8_len, &owned, &out->relabelled)))
        goto out;
    if (u8_len > INT32_MAX) {
        e = SR_ETOOBIG;
        goto out;
    }
    sr_buf_init(&pg.arena, u8_len + 16);

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
    sr_buf_free(&pg.arena);
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
