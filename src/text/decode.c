/*
 * decode.c - stages 1 and 2: bytes -> valid UTF-8 working text.
 *
 * Input must be UTF-8 (ingestion converts other charsets before we see
 * them).  Anything else is repaired, never refused: an invalid sequence
 * becomes U+FFFD and is counted, NUL and control characters become spaces,
 * CR LF and lone CR become line ends, odd spaces (NBSP, thin, ideographic)
 * become plain spaces of the same byte length, and the format characters
 * that only glue or hint (soft hyphen, zero-width joiners) are dropped so
 * "inter\u00ADnational" stays one word.
 *
 * Quotes and dashes are NOT rewritten here: the working text is also what
 * `sitrep sentences` prints, and analysts want the outlet's typography.
 * They are canonicalized in the matching form (fold.c) and recognised by
 * class in the splitter and tokenizer.
 *
 * Character classes for non-ASCII code points come from ICU's property
 * tables; ASCII is answered inline since it is nearly all of English news.
 */
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "text/internal.h"

int32_t tx_utf8_at(const char *s, size_t n, size_t i, int *len)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *len = 1;
        return b;
    }
    int32_t c;
    int32_t j = (int32_t)i;
    int32_t lim = n > (size_t)INT32_MAX ? INT32_MAX : (int32_t)n;
    U8_NEXT((const uint8_t *)s, j, lim, c);
    *len = j - (int32_t)i;
    if (*len < 1)
        *len = 1;
    return c;
}

int32_t tx_utf8_before(const char *s, size_t i, int *len)
{
    unsigned char b = (unsigned char)s[i - 1];
    if (b < 0x80) {
        *len = 1;
        return b;
    }
    int32_t c;
    int32_t j = (int32_t)i;
    U8_PREV((const uint8_t *)s, 0, j, c);
    *len = (int32_t)i - j;
    if (*len < 1)
        *len = 1;
    return c;
}

bool tx_is_letter(int32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return c > 0 && u_isalpha(c);
}
bool tx_is_upper(int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    return c > 0 && (u_isupper(c) || u_istitle(c));
}
bool tx_is_lower(int32_t c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    return c > 0 && u_islower(c);
}
bool tx_is_digit(int32_t c)
{
    if (c < 0x80)
        return c >= '0' && c <= '9';
    return c > 0 && u_isdigit(c);
}
bool tx_is_mark(int32_t c)
{
    if (c < 0x300)
        return false;
    int8_t t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}
bool tx_is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool tx_is_bullet(int32_t c)
{
    switch (c) {
    case 0x2022: case 0x2023: case 0x2043: case 0x2219: case 0x25AA: case 0x25AB:
    case 0x25CF: case 0x25CB: case 0x25A0: case 0x25A1: case 0x25E6: case 0x25BA:
    case 0x25B8: case 0x27A2: case 0x2756: case 0x00B7: case 0x2027: case 0x2B29:
        return true;
    default:
        return false;
    }
}
bool tx_is_open_quote(int32_t c)
{
    switch (c) {
    case '"': case '\'': case '(': case '[': case '{':
    case 0x201C: case 0x2018: case 0x201E: case 0x201A: case 0x00AB: case 0x2039:
        return true;
    default:
        return false;
    }
}
bool tx_is_close_quote(int32_t c)
{
    switch (c) {
    case '"': case '\'': case ')': case ']': case '}':
    case 0x201D: case 0x2019: case 0x00BB: case 0x203A:
        return true;
    default:
        return false;
    }
}
bool tx_is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x02BC;
}
bool tx_is_dash(int32_t c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

/* ---- the map back to original offsets ------------------------------------ */

static sr_err add_point(tx_work *wk, uint32_t w, int64_t delta)
{
    if (wk->npts && wk->pts[wk->npts - 1].w == w) {
        wk->pts[wk->npts - 1].delta = delta;
        return SR_OK;
    }
    if (TX_GROW(wk->pts, wk->npts, wk->ptscap) != SR_OK)
        return SR_ENOMEM;
    wk->pts[wk->npts++] = (tx_point){ w, delta };
    return SR_OK;
}

uint32_t tx_map(const tx_work *wk, uint32_t w)
{
    /* last point with .w <= w; points[0] is always {0, 0} */
    size_t lo = 0, hi = wk->npts;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (wk->pts[mid].w <= w)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)((int64_t)w + wk->pts[lo].delta);
}

uint32_t tx_map_end(const tx_work *wk, uint32_t wend)
{
    /* an exclusive end is where the next character came from: exact for
     * kept and replaced characters; after a dropped one it includes it */
    return tx_map(wk, wend);
}

/* ---- decoding ------------------------------------------------------------- */

static sr_err put(tx_work *wk, const char *p, size_t n)
{
    if (wk->wlen + n + 1 > wk->wcap &&
        sr_grow((void **)&wk->w, &wk->wcap, wk->wlen + n + 1, 1) != SR_OK)
        return SR_ENOMEM;
    memcpy(wk->w + wk->wlen, p, n);
    wk->wlen += n;
    return SR_OK;
}

static sr_err put_spaces(tx_work *wk, size_t n)
{
    static const char sp[8] = "        ";
    return put(wk, sp, n);
}

sr_err tx_decode(tx_work *wk, const char *in, size_t len, size_t *n_invalid)
{
    if (len > SR_TEXT_MAX_INPUT)
        return SR_ETOOBIG;
    wk->wlen = 0;
    wk->npts = 0;
    /* the working text is at most 3x the input (every byte -> U+FFFD) */
    if (sr_grow((void **)&wk->w, &wk->wcap, len + 64, 1) != SR_OK ||
        add_point(wk, 0, 0) != SR_OK)
        return SR_ENOMEM;
    size_t i = 0;
    size_t bad = 0;
    if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
        if (put_spaces(wk, 3) != SR_OK)
            return SR_ENOMEM;
        i = 3;
    }
    while (i < len) {
        /* copy the longest run of plain printable ASCII at once */
        size_t j = i;
        while (j < len) {
            unsigned char b = (unsigned char)in[j];
            if (b < 0x20 || b >= 0x7F)
                break;
            j++;
        }
        if (j > i) {
            if (put(wk, in + i, j - i) != SR_OK)
                return SR_ENOMEM;
            i = j;
            continue;
        }
        unsigned char b = (unsigned char)in[i];
        if (b < 0x80) {
            char c = ' ';
            if (b == '\n')
                c = '\n';
            else if (b == '\r')
                c = (i + 1 < len && in[i + 1] == '\n') ? ' ' : '\n';
            else if (b == '\f')
                c = '\n';
            if (put(wk, &c, 1) != SR_OK)
                return SR_ENOMEM;
            i++;
            continue;
        }
        int n;
        int32_t c = tx_utf8_at(in, len, i, &n);
        sr_err e = SR_OK;
        if (c < 0) {
            /* U+FFFD for each maximal invalid subpart: the three bytes all
             * point at the bad byte(s), and what follows maps on from there */
            bad++;
            uint32_t w0 = (uint32_t)wk->wlen;
            e = put(wk, "\xEF\xBF\xBD", 3);
            if (e == SR_OK && (uint32_t)n != 3) {
                add_point(wk, w0 + 1, (int64_t)i - (w0 + 1));
                add_point(wk, w0 + 2, (int64_t)i - (w0 + 2));
                e = add_point(wk, w0 + 3, (int64_t)(i + (size_t)n) - (w0 + 3));
            }
        } else if ((c >= 0x80 && c <= 0x9F) || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) ||
                   c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF || c == 0x2060) {
            e = put_spaces(wk, (size_t)n);        /* same length: no point */
        } else if (c == 0x2028) {
            e = put(wk, "\n  ", 3);
        } else if (c == 0x2029) {
            e = put(wk, "\n\n ", 3);
        } else if (c == 0x00AD || c == 0x200C || c == 0x200D) {
            /* dropped: from here on, w is n bytes behind the input */
            e = add_point(wk, (uint32_t)wk->wlen, (int64_t)(i + (size_t)n) - (int64_t)wk->wlen);
        } else {
            e = put(wk, in + i, (size_t)n);
        }
        if (e != SR_OK)
            return SR_ENOMEM;
        i += (size_t)n;
    }
    wk->w[wk->wlen] = '\0';
    *n_invalid = bad;
    return SR_OK;
}
