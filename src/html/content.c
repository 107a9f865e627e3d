/*
 * content.c - which blocks are the article.
 *
 * The idea is "the smallest element that holds most of the page's prose".
 * A block is prose ("good") when it is a paragraph-like block with enough
 * text and few of its characters inside links; navigation, teaser lists and
 * footers are short or link-heavy.  Every element gets the prose and total
 * characters of its subtree, and the container is the element that
 * maximises
 *
 *     good - ALPHA * (total - good)
 *
 * i.e. prose gained minus a fraction of the noise dragged along.  The body
 * has all the prose but all the noise; a single paragraph has no noise but
 * little prose; the article wrapper wins.  Unlike Readability's
 * parent/grandparent score propagation this needs no "look at siblings"
 * pass: an article split over several sibling divs is simply won by their
 * common parent when that gains more prose than it adds noise.
 *
 * The container is then adjusted, in this order:
 *   - the best one outside boilerplate-named elements is preferred unless
 *     it holds far less prose (a long comment thread can outscore a short
 *     story);
 *   - the page's own markup wins when it holds a fair share of the prose:
 *     an article-body class name (half), itemprop=articleBody (half);
 *   - in a stream of <article> elements (story + teaser cards) the one
 *     that clearly outweighs the others is taken;
 *   - it is narrowed to its smallest descendant still holding DESCEND of
 *     its prose, so a cookie notice or a teaser elsewhere that adds a
 *     little prose to an ancestor does not drag the whole page along.
 * Inside the container, blocks below a boilerplate-named element (share
 * bars, related lists, captions ...), link-heavy blocks and one-word
 * labels are dropped; then the header (everything up to a block repeating
 * the headline, then what precedes the first prose paragraph) and
 * trailing headings go.  If the page has no prose at all, its plain,
 * non-link blocks are kept rather than nothing.
 *
 * The constants were set on the scrapinghub benchmark (bench/extract.c);
 * F1 moves by under 0.01 across ALPHA 0.15-0.5 and GOOD_MIN_CHARS 20-60.
 */
#include "internal.h"

#include <stdint.h>
#include <string.h>
#ifdef HTM_DEBUG
#include <stdio.h>
#endif

#define GOOD_MIN_CHARS 30     /* shorter blocks are labels, not prose */
#define ALPHA          0.25   /* weight of noise against prose */
#ifndef DESCEND
#define DESCEND        0.8    /* share of the prose a sub-container must hold */
#endif

static int is_good(const htm_block *b)
{
    if (b->kind == HTM_HEADING)
        return 0;
    if (b->chars < GOOD_MIN_CHARS)
        return 0;
    return b->link_chars * 3 < b->chars;
}

/* A block's text b[0..n) is the headline t: equal ignoring case, or one a
 * prefix of the other when the shorter has 20+ bytes (a title with the
 * site's name appended, a heading with a kicker). */
static int same_headline(const char *b, size_t n, const char *t)
{
    size_t tn = strlen(t), k = 0;
    while (k < n && k < tn && ((unsigned char)b[k] | ((unsigned char)b[k] < 0x80 ? 0x20 : 0)) ==
                              ((unsigned char)t[k] | ((unsigned char)t[k] < 0x80 ? 0x20 : 0)))
        k++;
    if (k == n && k == tn)
        return 1;
    return (k == n || k == tn) && k >= 20;
}

/* A one-word block in a div ("ADVERTISEMENT", "Advert", "Share"): a label
 * of an ad slot or widget, never a paragraph of the article. */
static int is_label(const htm_page *pg, const htm_block *b)
{
    if (b->chars >= 20 || b->kind != HTM_PARA || b->owner->tag != HTT_DIV)
        return 0;
    return memchr(pg->arena.p + b->off, ' ', b->len) == NULL;
}

static uint32_t id_of(const htm_node *n)
{
    return n->id;
}

static double score(const htm_elem *e)
{
    double noise = (double)e->chars - (double)e->good;
    return (double)e->good - ALPHA * noise;
}

size_t htm_select_content(htm_page *pg, const char *title)
{
    if (pg->nelems == 0 || pg->nblocks == 0)
        return 0;
    for (size_t i = 0; i < pg->nblocks; i++) {
        const htm_block *b = &pg->blocks[i];
        int good = is_good(b);
        const htm_node *neg = b->neg ? pg->elem_nodes[b->neg - 1] : NULL;
        int past_neg = 0;
        for (const htm_node *x = b->owner; x && x->type == HTM_ELEM; x = x->parent) {
            uint32_t id = id_of(x);
            if (!id)
                break;
            htm_elem *e = &pg->elems[id - 1];
            e->chars += b->chars;
            e->link_chars += b->link_chars;
            if (good && !past_neg)
                e->good += b->chars;
            if (x == neg)
                past_neg = 1;
        }
    }
    /* The best container outside any boilerplate-named element, and the
     * best anywhere: a long comment can outscore a short article, so the
     * clean one wins unless it holds far less prose (a page that names its
     * whole layout "has-sidebar"). */
    size_t best = 0, best_clean = SIZE_MAX;
    double best_score = -1e300, clean_score = -1e300;
    for (size_t i = 0; i < pg->nelems; i++) {
        const htm_elem *e = &pg->elems[i];
        if (e->junk || e->chars == 0)
            continue;
        double s = score(e);
        if (s > best_score) {
            best_score = s;
            best = i;
        }
        if (!e->prev_neg && e->hint >= 0 && s > clean_score) {
            clean_score = s;
            best_clean = i;
        }
    }
    if (best_clean != SIZE_MAX && pg->elems[best_clean].good * 3 >= pg->elems[best].good)
        best = best_clean;
    if (pg->elems[best].good == 0) {
        /* No paragraph of prose anywhere (a short notice, a page of
         * one-liners): keep what is neither boilerplate-named nor mostly
         * links rather than report an empty page. */
        size_t kept = 0;
        for (size_t i = 0; i < pg->nblocks; i++) {
            htm_block *b = &pg->blocks[i];
            if (!b->neg && b->link_chars * 2 <= b->chars) {
                b->keep = 1;
                kept++;
            }
        }
        return kept;
    }
    /* The page's own name for its article body (article-body,
     * post-content, entry-content ...) wins when it holds a fair share of
     * the prose: its paragraphs may be link-heavy list items that the
     * prose count undervalues. */
    {
        size_t hinted = SIZE_MAX;
        for (size_t i = 0; i < pg->nelems; i++)
            if (pg->elems[i].hint == 1 && !pg->elems[i].junk &&
                (hinted == SIZE_MAX || pg->elems[i].good > pg->elems[hinted].good))
                hinted = i;
        if (hinted != SIZE_MAX && pg->elems[hinted].good > 0 &&
            pg->elems[hinted].good * 2 >= pg->elems[best].good)
            best = hinted;
    }
    if (pg->body_hint) {
        uint32_t id = id_of(pg->body_hint);
        if (id) {
            const htm_elem *h = &pg->elems[id - 1];
            if (h->good * 2 >= pg->elems[best].good)
                best = id - 1;
        }
    }
    /* A container holding several <article> elements is a stream: the
     * story followed by teaser cards of others (infinite scroll, "you may
     * also like").  When one innermost <article> clearly outweighs every
     * other, it is the story. */
    {
        const htm_elem *c0 = &pg->elems[best];
        size_t leaves = 0, top = SIZE_MAX, second = SIZE_MAX;
        for (size_t i = best + 1; i <= c0->end && i < pg->nelems; i++) {
            const htm_node *n = pg->elem_nodes[i];
            if (n->tag != HTT_ARTICLE || pg->elems[i].junk)
                continue;
            int leaf = 1;
            for (size_t j = i + 1; j <= pg->elems[i].end && leaf; j++)
                leaf = pg->elem_nodes[j]->tag != HTT_ARTICLE;
            if (!leaf)
                continue;
            leaves++;
            if (top == SIZE_MAX || pg->elems[i].good > pg->elems[top].good) {
                second = top;
                top = i;
            } else if (second == SIZE_MAX || pg->elems[i].good > pg->elems[second].good) {
                second = i;
            }
        }
        if (leaves >= 3 && pg->elems[top].good >= 2 * pg->elems[second].good &&
            pg->elems[top].good * 10 >= c0->good * 3)
            best = top;
    }
    /* The smallest element that still holds nearly all of that prose: a
     * cookie notice or a teaser paragraph elsewhere on the page adds a
     * little prose to an ancestor and would drag its whole page along. */
    {
        double t = DESCEND * pg->elems[best].good;
        size_t deepest = best;
        for (size_t i = best + 1; i <= pg->elems[best].end && i < pg->nelems; i++)
            if (!pg->elems[i].junk && pg->elems[i].good >= t)
                deepest = i;
        best = deepest;
    }
    const htm_elem *c = &pg->elems[best];
#ifdef HTM_DEBUG
    {
        size_t big = 0;
        for (size_t i = 1; i < pg->nblocks; i++)
            if (pg->blocks[i].chars > pg->blocks[big].chars)
                big = i;
        fprintf(stderr, "largest block's ancestors:\n");
        for (const htm_node *x = pg->blocks[big].owner; x && x->type == HTM_ELEM && x->id; x = x->parent) {
            const char *cl = htm_attr_get(x, "class");
            const htm_elem *xe = &pg->elems[id_of(x) - 1];
            fprintf(stderr, "    <%s class=%s> good=%u chars=%u score=%.0f hint=%d junk=%d prevneg=%u\n", x->name,
                    cl ? cl : "", xe->good, xe->chars, score(xe), xe->hint, xe->junk, xe->prev_neg);
        }
        fprintf(stderr, "chosen:\n");
    }
    {
        const htm_node *bn = pg->elem_nodes[best];
        for (const htm_node *x = bn; x && x->type == HTM_ELEM && x->id; x = x->parent) {
            const char *cl = htm_attr_get(x, "class"), *idv = htm_attr_get(x, "id");
            const htm_elem *xe = &pg->elems[id_of(x) - 1];
            fprintf(stderr, "  <%s class=%s id=%s> good=%u chars=%u score=%.0f\n", x->name,
                    cl ? cl : "", idv ? idv : "", xe->good, xe->chars, score(xe));
        }
    }
#endif
    size_t kept = 0;
    for (size_t i = 0; i < pg->nblocks; i++) {
        htm_block *b = &pg->blocks[i];
        uint32_t id = id_of(b->owner);
        if (!id || id - 1 < c->pre || id - 1 > c->end)
            continue;
        /* A boilerplate name counts only strictly inside the container. */
        if (b->neg && b->neg - 1 > c->pre && b->neg - 1 <= c->end)
            continue;
        if (b->link_chars * 2 > b->chars)
            continue;
        if (is_label(pg, b))
            continue;
        b->keep = 1;
        kept++;
    }
    /* The headline repeated as a block inside the container marks the
     * start of the article: what precedes it is a teaser list or a
     * breadcrumb trail that the container happened to include.  Only in
     * the first half of what is kept, so that a "more on this" box
     * repeating the headline near the end does not erase the article. */
    if (title && kept > 1) {
        size_t seen = 0, cut = SIZE_MAX;
        for (size_t i = 0; i < pg->nblocks && seen * 2 < kept; i++) {
            const htm_block *b = &pg->blocks[i];
            if (!b->keep)
                continue;
            seen++;
            if (same_headline(pg->arena.p + b->off, b->len, title))
                cut = i;
        }
        for (size_t i = 0; cut != SIZE_MAX && i <= cut; i++)
            if (pg->blocks[i].keep) {
                pg->blocks[i].keep = 0;
                kept--;
            }
    }
    /* What comes before the first paragraph of prose is the article's
     * header: headline, standfirst label, byline, date. */
    for (size_t i = 0; i < pg->nblocks; i++) {
        htm_block *b = &pg->blocks[i];
        if (!b->keep)
            continue;
        if (is_good(b))
            break;
        b->keep = 0;
        kept--;
    }
    /* A heading with nothing after it heads something that was dropped
     * (comments, related stories). */
    for (size_t i = pg->nblocks; i-- > 0;) {
        htm_block *b = &pg->blocks[i];
        if (!b->keep)
            continue;
        if (b->kind != HTM_HEADING && b->chars >= 20)
            break;
        b->keep = 0;
        kept--;
    }
#ifdef HTM_DEBUG
    for (size_t i = 0; i < pg->nblocks; i++) {
        const htm_block *b = &pg->blocks[i];
        uint32_t id = id_of(b->owner);
        if (id && id - 1 >= c->pre && id - 1 <= c->end)
            fprintf(stderr, "  blk keep=%d chars=%u links=%u neg=%u good=%d <%s> %.60s\n", b->keep,
                    b->chars, b->link_chars, b->neg, is_good(b), b->owner->name,
                    pg->arena.p + b->off);
    }
#endif
    return kept;
}
