/*
 * charset.c - every page becomes UTF-8 before libxml2 sees it.
 *
 * Why not let libxml2 pick the encoding: its HTML parser defaults to
 * ISO-8859-1 when a page declares nothing, and on a stray invalid byte in a
 * UTF-8 page it switches the rest of the document to Latin-1, turning every
 * later quote mark into mojibake.  Real pages are mostly undeclared UTF-8
 * with the odd broken byte, so we decide ourselves, in the WHATWG order:
 * byte-order mark, the transport's charset (the caller's argument, e.g. the
 * HTTP header in a WARC record), <meta charset> in the first 4 KiB, then
 * "UTF-8 if it validates, else windows-1252".  Labels that the web treats as
 * windows-1252 (latin1, ascii, iso-8859-1) are mapped to it.  Conversion
 * goes through ICU; invalid UTF-8 is repaired with U+FFFD in one pass.  The
 * parser is then told "UTF-8" and to ignore in-document encoding hints.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

#define SNIFF_BYTES 4096

int htm_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

int htm_contains_ci(const char *h, const char *needle)
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

int htm_looks_binary(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    static const struct { const char *magic; size_t n; } magics[] = {
        { "\x1f\x8b", 2 }, { "%PDF-", 5 }, { "PK\x03\x04", 4 },
        { "\x89PNG", 4 }, { "\xff\xd8\xff", 3 }, { "GIF8", 4 },
        { "\x7f" "ELF", 4 }, { "BZh", 3 }, { "\xfd" "7zXZ", 5 },
    };
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (len >= magics[i].n && memcmp(buf, magics[i].magic, magics[i].n) == 0)
            return 1;
    /* UTF-16 text is full of NULs but is not binary; it carries a BOM. */
    if (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
        return 0;
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, ctl = 0;
    /* Bit c of this mask: control byte c counts (not tab, LF, FF, CR, ESC). */
    const uint32_t counted = ~(uint32_t)((1u << '\t') | (1u << '\n') | (1u << '\r') |
                                         (1u << '\f') | (1u << 0x1b));
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        ctl += c < 0x20 && ((counted >> c) & 1);
    }
    /* Markup has essentially no control bytes; a few stray ones happen. */
    return n > 0 && ctl * 50 > n;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive search for an ASCII needle. */
static const char *find_ci(const char *h, size_t hlen, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= hlen; i++) {
        size_t j = 0;
        while (j < n && lower((unsigned char)h[i + j]) == needle[j])
            j++;
        if (j == n)
            return h + i;
    }
    return NULL;
}

int htm_sniff_meta_charset(const char *html, size_t len, char *name, size_t cap)
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    const char *p = html, *end = html + n;
    while (p < end) {
        const char *m = find_ci(p, (size_t)(end - p), "<meta");
        if (!m)
            return 0;
        const char *gt = memchr(m, '>', (size_t)(end - m));
        const char *tag_end = gt ? gt : end;
        const char *cs = find_ci(m, (size_t)(tag_end - m), "charset");
        p = tag_end;
        if (!cs)
            continue;
        cs += 7;
        while (cs < tag_end && is_space((unsigned char)*cs))
            cs++;
        if (cs >= tag_end || *cs != '=')
            continue;
        cs++;
        while (cs < tag_end && (is_space((unsigned char)*cs) || *cs == '"' || *cs == '\''))
            cs++;
        size_t k = 0;
        while (cs < tag_end && k + 1 < cap && !is_space((unsigned char)*cs) &&
               *cs != '"' && *cs != '\'' && *cs != ';' && *cs != '/' && *cs != '>')
            name[k++] = (char)lower((unsigned char)*cs++);
        name[k] = '\0';
        if (k > 0)
            return 1;
    }
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; min = 0x10000; }
    else return 0;
    if (avail < n)
        return 0;
    unsigned cp = c & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* Offset of the first invalid UTF-8 byte, or len if all valid. */
static size_t utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* ASCII 32, then eight bytes at a time: most of any page is
         * markup. */
        while (i + 32 <= len) {
            uint64_t w[4];
            memcpy(w, p + i, 32);
            if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL)
                break;
            i += 32;
        }
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_seq(p + i, len - i);
        if (!n)
            return i;
        i += n;
    }
    return len;
}

/* bad: the offset of the first invalid byte if the caller knows it, else
 * (size_t)-1. */
static sr_err utf8_repair_at(const char *s, size_t len, size_t bad, const char **out,
                             size_t *out_len, int *owned)
{
    if (bad == (size_t)-1)
        bad = utf8_valid_prefix(s, len);
    if (bad == len) {
        *out = s;
        *out_len = len;
        *owned = 0;
        return SR_OK;
    }
    /* Each invalid byte becomes 3 bytes of U+FFFD. */
    sr_buf b = SR_BUF_INIT(len * 3 + 1);
    sr_err e = sr_buf_append(&b, s, bad);
    const unsigned char *p = (const unsigned char *)s;
    size_t i = bad;
    while (!e && i < len) {
        size_t n = p[i] < 0x80 ? 1 : utf8_seq(p + i, len - i);
        if (n) {
            e = sr_buf_append(&b, s + i, n);
            i += n;
        } else {
            e = sr_buf_append(&b, "\xef\xbf\xbd", 3);
            i++;
        }
    }
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    *out_len = b.len;
    *out = sr_buf_detach(&b, NULL);
    *owned = 1;
    return SR_OK;
}

static sr_err utf8_repair(const char *s, size_t len, const char **out,
                          size_t *out_len, int *owned)
{
    return utf8_repair_at(s, len, (size_t)-1, out, out_len, owned);
}

static int is_utf8_label(const char *cs)
{
    return htm_ascii_casecmp(cs, "utf-8") == 0 || htm_ascii_casecmp(cs, "utf8") == 0 ||
           htm_ascii_casecmp(cs, "unicode-1-1-utf-8") == 0;
}

/* The web's reading of labels that name a subset of windows-1252. */
static const char *web_label(const char *cs)
{
    static const char *const as1252[] = {
        "iso-8859-1", "iso8859-1", "latin1", "l1", "ascii", "us-ascii",
        "iso_8859-1", "cp1252", "x-cp1252", "cp819", "ibm819", "windows-1252",
    };
    for (size_t i = 0; i < sizeof as1252 / sizeof as1252[0]; i++)
        if (htm_ascii_casecmp(cs, as1252[i]) == 0)
            return "windows-1252";
    return cs;
}

static sr_err icu_to_utf8(const char *html, size_t len, const char *cs,
                          const char **out, size_t *out_len, int *owned, int *unknown)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(cs, &st);
    char *dst = NULL;
    sr_err e = SR_OK;
    *unknown = 0;
    if (U_FAILURE(st) || !cnv) {
        *unknown = 1;
        goto out;
    }
    /* Worst cases: one byte -> U+FFFD (3 bytes); UTF-16 unit -> 3 bytes. */
    size_t cap = len * 3 + 4;
    if (cap > (size_t)INT32_MAX || len > (size_t)INT32_MAX) {
        e = SR_ETOOBIG;
        goto out;
    }
    dst = malloc(cap);
    if (!dst) {
        e = SR_ENOMEM;
        goto out;
    }
    st = U_ZERO_ERROR;
    int32_t n = ucnv_toAlgorithmic(UCNV_UTF8, cnv, dst, (int32_t)cap, html,
                                   (int32_t)len, &st);
    if (U_FAILURE(st) || n < 0) {
        e = SR_EFORMAT;
        goto out;
    }
    *out = dst;
    *out_len = (size_t)n;
    *owned = 1;
    dst = NULL;
out:
    free(dst);
    if (cnv)
        ucnv_close(cnv);
    return e;
}

/* Over the whole buffer: valid multi-byte UTF-8 sequences and bytes that
 * are not UTF-8. */
static void utf8_census(const char *s, size_t len, size_t *multi, size_t *invalid)
{
    const unsigned char *p = (const unsigned char *)s;
    *multi = *invalid = 0;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_seq(p + i, len - i);
        if (n) {
            (*multi)++;
            i += n;
        } else {
            (*invalid)++;
            i++;
        }
    }
}

static sr_err to_utf8(const char *html, size_t len, const char *charset,
                      const char **out, size_t *out_len, int *owned, int *relabelled,
                      char *ignored, size_t ignored_cap);

/* NUL bytes become U+FFFD, as an HTML5 tokenizer reads them (and so the
 * page's text is not cut at the first one). */
static sr_err nul_to_fffd(const char **out, size_t *out_len, int *owned)
{
    const char *s = *out;
    size_t n = *out_len;
    const char *z = memchr(s, '\0', n);
    if (!z)
        return SR_OK;
    size_t nul = 0;
    for (const char *q = z; q; q = memchr(q + 1, '\0', n - (size_t)(q + 1 - s)))
        nul++;
    sr_buf b = SR_BUF_INIT(n + 2 * nul + 1);
    sr_err e = SR_OK;
    size_t at = 0;
    while (!e && at < n) {
        const char *q = memchr(s + at, '\0', n - at);
        size_t k = q ? (size_t)(q - (s + at)) : n - at;
        e = sr_buf_append(&b, s + at, k);
        if (!e && q)
            e = sr_buf_append(&b, "\xef\xbf\xbd", 3);
        at += k + (q ? 1 : 0);
    }
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    if (*owned)
        free((char *)*out);
    *out_len = b.len;
    *out = sr_buf_detach(&b, NULL);
    *owned = 1;
    return *out ? SR_OK : SR_ENOMEM;
}

sr_err htm_to_utf8(const char *html, size_t len, const char *charset,
                   const char **out, size_t *out_len, int *owned, int *relabelled,
                   char *ignored, size_t ignored_cap)
{
    if (ignored_cap)
        ignored[0] = '\0';
    sr_err e = to_utf8(html, len, charset, out, out_len, owned, relabelled, ignored, ignored_cap);
    if (e)
        return e;
    e = nul_to_fffd(out, out_len, owned);
    if (e && *owned) {
        free((char *)*out);
        *out = NULL;
        *owned = 0;
    }
    return e;
}

/*
 * Can a label be decoded as a page is?  Not when ICU does not know it, nor
 * for encodings whose bytes are not ASCII where ASCII is (UTF-7, UTF-16/32
 * named in an ASCII <meta>, EBCDIC, SCSU/BOCU compression): WHATWG does not
 * decode those labels either, and decoding ASCII markup through them turns
 * the page into U+FFFD.  Checked on the converter's reading of "<meta
 * charset=" (EBCDIC, UTF-16/32 fail it) plus the names of the ones that
 * pass it and still are not ASCII-safe.
 */
static int label_usable(const char *cs)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(cs, &st);
    if (U_FAILURE(st) || !cnv)
        return 0;
    const char *name = ucnv_getName(cnv, &st);
    int ok = !U_FAILURE(st) && name && ucnv_getMinCharSize(cnv) == 1;
    /* lower case: htm_contains_ci() wants its needle so */
    static const char *const unsafe[] = {"utf-7", "imap-mailbox-name", "scsu", "bocu-1",
                                         "cesu-8", "utf-32", "utf-16", "hz"};
    for (size_t i = 0; ok && i < sizeof unsafe / sizeof unsafe[0]; i++)
        if (htm_contains_ci(name, unsafe[i]) || htm_contains_ci(cs, unsafe[i]))
            ok = 0;
    if (ok) {
        static const char probe[] = "<meta charset=\"x\">";
        UChar u[32];
        st = U_ZERO_ERROR;
        int32_t n = ucnv_toUChars(cnv, u, 32, probe, (int32_t)sizeof probe - 1, &st);
        ok = !U_FAILURE(st) && n == (int32_t)sizeof probe - 1;
        for (int32_t i = 0; ok && i < n; i++)
            ok = u[i] == (UChar)(unsigned char)probe[i];
    }
    ucnv_close(cnv);
    return ok;
}

static sr_err to_utf8(const char *html, size_t len, const char *charset,
                      const char **out, size_t *out_len, int *owned, int *relabelled,
                      char *ignored, size_t ignored_cap)
{
    const unsigned char *p = (const unsigned char *)html;
    char sniffed[40];
    const char *cs = NULL;
    *relabelled = 0;

    /* A byte-order mark outranks every label. */
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        return utf8_repair(html + 3, len - 3, out, out_len, owned);
    if (len >= 2 && p[0] == 0xff && p[1] == 0xfe)
        cs = "UTF-16LE";
    else if (len >= 2 && p[0] == 0xfe && p[1] == 0xff)
        cs = "UTF-16BE";
    if (cs) {
        int unknown;
        return icu_to_utf8(html + 2, len - 2, cs, out, out_len, owned, &unknown);
    }

    if (charset && *charset)
        cs = charset;
    else if (htm_sniff_meta_charset(html, len, sniffed, sizeof sniffed))
        cs = sniffed;
    /* A page cannot really be UTF-16 if we could read its ASCII meta tag. */
    if (cs && (htm_ascii_casecmp(cs, "utf-16") == 0 || htm_ascii_casecmp(cs, "utf-16le") == 0 ||
               htm_ascii_casecmp(cs, "utf-16be") == 0) && !charset)
        cs = "utf-8";
    if (cs && !is_utf8_label(cs) && strcmp(web_label(cs), "windows-1252") != 0 &&
        !label_usable(cs)) {
        /* unknown or not decodable: as if undeclared, and said so */
        if (ignored_cap)
            snprintf(ignored, ignored_cap, "%s", cs);
        cs = NULL;
    }
    size_t bad = utf8_valid_prefix(html, len);
    if (bad < len || (cs && !is_utf8_label(cs))) {
        /*
         * The label is checked against the bytes, because labels are often
         * wrong: a page that says UTF-8 but whose bytes are mostly not is
         * Latin-1/windows-1252 (a stray broken byte in a real UTF-8 page
         * is outnumbered by its valid sequences), and a page labelled
         * Latin-1 whose bytes are valid UTF-8 with multi-byte sequences is
         * UTF-8 (that pattern does not happen in real Latin-1 text).
         */
        size_t multi, invalid;
        utf8_census(html, len, &multi, &invalid);
        if (!cs) {
            cs = invalid > multi ? "windows-1252" : "utf-8";
        } else if (is_utf8_label(cs) && invalid > multi) {
            cs = "windows-1252";
            *relabelled = 1;
        } else if (!strcmp(web_label(cs), "windows-1252") && invalid == 0 && multi >= 2) {
            cs = "utf-8";
            *relabelled = 1;
        }
    }
    if (!cs)
        cs = "utf-8";    /* undeclared and valid */
    if (is_utf8_label(cs))
        return utf8_repair_at(html, len, bad, out, out_len, owned);
    int unknown = 0;
    sr_err e = icu_to_utf8(html, len, web_label(cs), out, out_len, owned, &unknown);
    if (!e && unknown)   /* an unknown label: read the bytes as UTF-8 */
        return utf8_repair(html, len, out, out_len, owned);
    return e;
}
