/*
 * layout.c - stage 3: recover paragraphs, headings and list items from text
 * that arrives hard-wrapped, with orphan bullets and unpunctuated headings.
 *
 * Reports reach us in two shapes, often in one file: one paragraph per line
 * (what HTML extraction and most feeds give), or lines wrapped at some width
 * mid-sentence (copied PDFs, wire text, e-mail).  Each block of non-blank
 * lines is judged on its own: it is "wrapped" when at least a third of its
 * line ends fall mid-sentence.  Then every line break is either
 *   HARD  - a unit ends: blank line, list item, heading, or a line end in
 *           a block that is not wrapped;
 *   SOFT  - the sentence goes on: the '\n' becomes '\v' (a space to the
 *           splitter, a possible hyphen repair to the tokenizer).
 * A next line that starts in lower case always continues (no sentence or
 * heading starts that way); a list item or orphan bullet always starts anew.
 *
 * Headings in wrapped text have no final period and are usually wrapped
 * themselves ("Background of / Pakistan Libya Military Relations").  A run
 * of lines since the last sentence end whose words are all capitalized
 * (function words aside) and that is followed by a capitalized line is a
 * heading: it gets hard breaks on both sides.  A short capitalized line right
 * after it ("Dimensions") is taken as the heading's own tail.
 *
 * Bullets at a line start are blanked in place (the unit is marked a list
 * item instead); an orphan bullet line marks the next line.  No byte moves,
 * so the offset map from decoding stays valid.
 */
#include <string.h>

#include "text/internal.h"

static bool isalnum_ascii(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_function_word(const char *s, size_t n)
{
    return tx_in_set(TX_SET_FUNCTION, s, n);
}

/* A numbered or lettered item marker at s: "1. ", "2) ", "3.) ", "(a) ",
 * "b. " (letters only when a capital follows, so "a. m." is not one). */
static bool item_marker(const char *s, size_t n)
{
    size_t i = 0;
    bool paren = false;
    if (i < n && s[i] == '(') {
        paren = true;
        i++;
    }
    size_t d = i;
    while (i < n && i - d < 3 && s[i] >= '0' && s[i] <= '9')
        i++;
    bool letter = false;
    if (i == d) {
        if (i < n && s[i] >= 'a' && s[i] <= 'z') {
            letter = true;
            i++;
        } else {
            return false;
        }
    }
    if (i < n && s[i] == '.' && !paren)
        i++;
    if (i < n && s[i] == ')')
        i++;
    else if (paren || (i > 0 && s[i - 1] != '.'))
        return false;
    if (i >= n || s[i] != ' ')
        return false;
    if (letter) {
        while (i < n && s[i] == ' ')
            i++;
        return i < n && s[i] >= 'A' && s[i] <= 'Z';
    }
    return true;
}

static void scan_line(tx_work *wk, tx_line *ln)
{
    char *w = wk->w;
    uint32_t i = ln->start, e = ln->end;
    while (i < e && (w[i] == ' ' || w[i] == '\t'))
        i++;
    while (e > i && (w[e - 1] == ' ' || w[e - 1] == '\t'))
        e--;
    ln->blank = (i == e);
    if (ln->blank) {
        ln->cs = ln->ce = i;
        return;
    }
    /* a bullet (or "- ", "* ") at the start: blank it, mark the line */
    int blen;
    int32_t c = tx_utf8_at(w, e, i, &blen);
    bool dash_bullet = (c == '-' || c == '*' || c == 0x2013 || c == 0x2014) &&
                       i + (uint32_t)blen < e && w[i + (uint32_t)blen] == ' ';
    if (tx_is_bullet(c) || dash_bullet) {
        memset(w + i, ' ', (size_t)blen);
        ln->item = 1;
        i += (uint32_t)blen;
        while (i < e && w[i] == ' ')
            i++;
        if (i == e) {
            ln->orphan_bullet = 1;
            ln->cs = ln->ce = e;
            return;
        }
    } else if (item_marker(w + i, e - i)) {
        ln->item = 1;
    }
    ln->cs = i;
    ln->ce = e;
    c = tx_utf8_at(w, e, i, &blen);
    /* an opening quote does not decide the case of the line */
    if (tx_is_open_quote(c) && i + (uint32_t)blen < e)
        c = tx_utf8_at(w, e, i + (uint32_t)blen, &blen);
    ln->first_lower = tx_is_lower(c);
    ln->first_upper = tx_is_upper(c) || tx_is_digit(c);

    /* the end: skip closing quotes, then look at the last real character */
    uint32_t k = e;
    int32_t last;
    for (;;) {
        last = tx_utf8_before(w, k, &blen);
        if (last == ']') {
            /* a citation mark after the stop: "forces.[3]", "[note 2]" */
            uint32_t o = k - 1;
            while (o > i && k - o < 26 && w[o - 1] != '[' && w[o - 1] != ']')
                o--;
            unsigned char pre = o > i + 1 ? (unsigned char)w[o - 2] : 0;
            if (o > i + 1 && w[o - 1] == '[' &&
                (pre == '.' || pre == '!' || pre == '?' || pre == '"' || pre == '\'' ||
                 pre == ']' || pre >= 0x80)) {
                k = o - 1;
                continue;
            }
        }
        if (k - (uint32_t)blen > i && tx_is_close_quote(last) && last != ')') {
            k -= (uint32_t)blen;
            continue;
        }
        break;
    }
    ln->ends_terminal = (last == '.' || last == '!' || last == '?' || last == 0x2026 ||
                         last == 0xFF0E || last == 0xFF01 || last == 0xFF1F || last == 0x3002);
    ln->ends_soft = (last == ',' || last == ';' || last == ':' || tx_is_dash(last) || last == '&');

    /* A long line is a paragraph: it is neither a heading nor a menu item,
     * and its word statistics cannot change a decision, so they are not
     * worked out (most lines of extracted articles are such lines). */
    if (e - i > 320) {
        ln->words = 60;
        ln->has_terminal = 1;
        uint32_t a = e;
        while (a > i && w[a - 1] != ' ')
            a--;
        uint32_t b = e;
        while (b > a && !isalnum_ascii(w[b - 1]))
            b--;
        ln->ends_fn = is_function_word(w + a, b - a);
        return;
    }
    /* words: capitalization and function words.  Once a lower-case content
     * word is seen the line is no heading, and only the last word's being a
     * function word still matters, so the set lookups stop early. */
    uint16_t words = 0, caps = 0;
    bool title = true;
    bool has_term = false;
    uint32_t p = i;
    uint32_t lasta = 0, lastb = 0;
    while (p < e) {
        while (p < e && w[p] == ' ')
            p++;
        uint32_t ws = p;
        while (p < e && w[p] != ' ') {
            char ch = w[p];
            if (ch == '.' || ch == '!' || ch == '?')
                has_term = true;
            p++;
        }
        if (p == ws)
            break;
        /* the word proper, without surrounding ASCII punctuation */
        uint32_t a = ws, b = p;
        for (;;) {
            while (a < b && (unsigned char)w[a] < 0x80 && !isalnum_ascii(w[a]))
                a++;
            int l;
            int32_t q;
            if (a < b && (unsigned char)w[a] >= 0x80 &&
                !tx_is_letter(q = tx_utf8_at(w, b, a, &l)) && !tx_is_digit(q)) {
                a += (uint32_t)l;          /* a curly quote, a dash */
                continue;
            }
            break;
        }
        while (b > a && (unsigned char)w[b - 1] < 0x80 && !isalnum_ascii(w[b - 1]))
            b--;
        if (a == b)
            continue;
        words++;
        lasta = a;
        lastb = b;
        unsigned char f = (unsigned char)w[a];
        bool up;
        if (f < 0x80) {
            up = (f >= 'A' && f <= 'Z') || (f >= '0' && f <= '9');
        } else {
            int l;
            int32_t cp = tx_utf8_at(w, b, a, &l);
            up = tx_is_upper(cp) || tx_is_digit(cp);
        }
        if (up)
            caps++;
        else if (title && !is_function_word(w + a, b - a))
            title = false;
    }
    ln->words = words;
    ln->caps = caps;
    ln->titlelike = title && caps > 0;
    ln->has_terminal = has_term;
    ln->ends_fn = words > 0 && is_function_word(w + lasta, lastb - lasta);
}

static sr_err add_unit(tx_work *wk, uint32_t s, uint32_t e, uint8_t kind)
{
    if (e <= s)
        return SR_OK;
    if (TX_GROW(wk->units, wk->nunits, wk->unitcap) != SR_OK)
        return SR_ENOMEM;
    wk->units[wk->nunits++] = (tx_unit){ s, e, kind };
    return SR_OK;
}

/* Close the unit made of lines [a, b] (inclusive). */
static sr_err close_unit(tx_work *wk, size_t a, size_t b, bool item, bool heading)
{
    const tx_line *L = wk->lines;
    uint8_t kind = SR_UNIT_SENTENCE;
    if (item)
        kind = SR_UNIT_LIST_ITEM;
    else if (heading)
        kind = SR_UNIT_HEADING;
    else {
        /* a headline or heading standing alone: no final punctuation, short */
        unsigned words = 0;
        for (size_t k = a; k <= b; k++)
            words += L[k].words;
        if (!L[b].ends_terminal && !L[b].ends_soft && words <= 20 && L[a].first_upper)
            kind = SR_UNIT_HEADING;
    }
    return add_unit(wk, L[a].cs, L[b].ce, kind);
}

static sr_err layout_block(tx_work *wk, size_t b0, size_t b1)
{
    tx_line *L = wk->lines;
    size_t pairs = 0, mid = 0;
    bool any_term = false, all_short = true;
    for (size_t k = b0; k < b1; k++) {
        if (L[k].orphan_bullet)
            continue;
        any_term |= L[k].has_terminal;
        all_short &= L[k].words <= 6;
        if (k + 1 < b1) {
            pairs++;
            if (!L[k].ends_terminal && !L[k].orphan_bullet)
                mid++;
        }
    }
    size_t nlines = b1 - b0;
    bool list_block = nlines >= 2 && !any_term && all_short;
    bool wrapped = pairs > 0 && mid * 3 >= pairs && !list_block;

    size_t ua = SIZE_MAX;   /* first line of the open unit */
    size_t seg = SIZE_MAX;  /* first line after the last sentence end */
    bool item = false, pending_item = false;
    for (size_t k = b0; k < b1; k++) {
        if (L[k].orphan_bullet) {
            if (ua != SIZE_MAX && close_unit(wk, ua, k - 1, item, false) != SR_OK)
                return SR_ENOMEM;
            ua = SIZE_MAX;
            pending_item = true;
            continue;
        }
        if (ua == SIZE_MAX) {
            ua = seg = k;
            item = L[k].item || pending_item;
            pending_item = false;
        }
        if (seg == SIZE_MAX)
            seg = k;
        bool last = (k + 1 == b1);
        const tx_line *nx = last ? NULL : &L[k + 1];
        enum { SOFT, HARD, HEAD } br;
        if (last || nx->orphan_bullet || nx->item || list_block)
            br = HARD;
        else if (nx->first_lower)
            br = SOFT;
        else if (!wrapped)
            br = HARD;
        else {
            br = SOFT;
            /* a heading: every line since the last sentence end capitalized */
            bool title = !L[k].ends_terminal && !L[k].ends_soft && !L[k].ends_fn;
            unsigned words = 0;
            for (size_t j = seg; j <= k && title; j++) {
                title = L[j].titlelike;
                words += L[j].words;
            }
            if (title && words <= 12 && L[seg].first_upper) {
                bool tail = nx->titlelike && nx->words <= 3 && !nx->ends_terminal &&
                            (k + 2 >= b1 || !L[k + 2].first_lower);
                if (!tail)
                    br = HEAD;
            }
        }
        if (br == HEAD) {
            /* the heading starts a unit of its own: end what came before */
            if (seg > ua) {
                wk->w[L[seg - 1].end] = '\n';
                if (close_unit(wk, ua, seg - 1, item, false) != SR_OK)
                    return SR_ENOMEM;
                item = false;
            }
            if (close_unit(wk, seg, k, item, !item) != SR_OK)
                return SR_ENOMEM;
            ua = seg = SIZE_MAX;
            continue;
        }
        if (br == HARD) {
            if (close_unit(wk, ua, k, item, false) != SR_OK)
                return SR_ENOMEM;
            ua = seg = SIZE_MAX;
            continue;
        }
        wk->w[L[k].end] = '\v';
        if (L[k].ends_terminal)
            seg = k + 1;
    }
    return SR_OK;
}

sr_err tx_layout(tx_work *wk, bool no_layout)
{
    wk->nunits = 0;
    wk->nlines = 0;
    char *w = wk->w;
    size_t n = wk->wlen;
    if (no_layout) {
        for (size_t i = 0; i < n; i++)
            if (w[i] == '\n')
                w[i] = ' ';
        return add_unit(wk, 0, (uint32_t)n, SR_UNIT_SENTENCE);
    }
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(w + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - w) : n;
        if (TX_GROW(wk->lines, wk->nlines, wk->linecap) != SR_OK)
            return SR_ENOMEM;
        tx_line *ln = &wk->lines[wk->nlines++];
        memset(ln, 0, sizeof *ln);
        ln->start = (uint32_t)i;
        ln->end = (uint32_t)e;
        scan_line(wk, ln);
        i = e + 1;
    }
    size_t k = 0;
    while (k < wk->nlines) {
        if (wk->lines[k].blank) {
            k++;
            continue;
        }
        size_t b = k;
        while (k < wk->nlines && !wk->lines[k].blank)
            k++;
        if (layout_block(wk, b, k) != SR_OK)
            return SR_ENOMEM;
    }
    return SR_OK;
}
