/*
 * text.c - a plain-text report as a document.
 *
 * Text has no metadata, so the only thing inferred is the headline: the
 * first line is taken as the title when it looks like one (short, no
 * sentence-final period, followed by a blank line), and the body is what
 * follows.  When unsure the text is left whole, since losing a sentence is
 * worse than having no title.
 *
 * Text that is not UTF-8 is read as windows-1252 (a superset of Latin-1 in
 * practice, and what most 8-bit news text is), with a warning, because
 * rejecting it would lose the report and passing it on would break every
 * later stage.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define HEADLINE_MAX 200   /* bytes; longer first lines are paragraphs */

/* Length of the headline at s (without its newline), or 0 if the first
 * line does not look like one.  *body is where the body starts. */
static size_t headline(const char *s, size_t n, size_t *body)
{
    const char *nl = memchr(s, '\n', n);
    if (!nl)
        return 0;
    size_t len = (size_t)(nl - s);
    if (len > 0 && s[len - 1] == '\r')
        len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len < 3 || len > HEADLINE_MAX)
        return 0;
    char last = s[len - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':')
        return 0;
    /* a blank line must follow, then more text */
    const char *p = nl + 1, *end = s + n;
    if (p < end && *p == '\r')
        p++;
    if (p >= end || *p != '\n')
        return 0;
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
        p++;
    if (p >= end)
        return 0;
    *body = (size_t)(p - s);
    return len;
}

int ing_text_doc(const char *text, size_t len, const sr_doc *base,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    char *conv = NULL, *title = NULL;
    int rc = 0;
    if (!ing_utf8_valid(text, len)) {
        size_t clen;
        sr_err e = ing_cp1252_to_utf8(text, len, ing_max(opts) * 3, &conv, &clen);
        if (e) {
            if (e == SR_ENOMEM)
                rc = SR_ENOMEM;
            else
                ing_skip(opts, base->path, base->record, "%s", sr_strerror(e));
            goto out;
        }
        sr_warn(base->path, base->record, "not valid UTF-8; read as windows-1252");
        text = conv;
        len = clen;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    /* leading blank lines are layout, not content */
    while (len > 0 && (*text == '\n' || *text == '\r' || *text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' ||
                       text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0) {
        ing_skip(opts, base->path, base->record, "no text");
        goto out;
    }
    sr_doc d = *base;
    size_t body = 0, tlen = base->title ? 0 : headline(text, len, &body);
    if (tlen) {
        title = strndup(text, tlen);
        if (!title) {
            rc = SR_ENOMEM;
            goto out;
        }
        d.title = title;
        text += body;
        len -= body;
    }
    /* the doc's text must be NUL-terminated and hold no other NUL: copy
     * the trimmed span, stray NULs (seen in crawled text) become spaces */
    char *copy = malloc(len + 1);
    if (!copy) {
        rc = SR_ENOMEM;
        goto out;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    for (char *z = memchr(copy, '\0', len); z; z = memchr(z, '\0', len - (size_t)(z - copy)))
        *z = ' ';
    d.text = copy;
    d.text_len = len;
    rc = ing_emit(opts, &d, fn, ctx);
    free(copy);
out:
    free(title);
    free(conv);
    return rc;
}

int sr_text_read(const char *text, size_t len, const char *path,
                 const sr_ingest_opts *opts, sr_doc_fn fn, void *ctx)
{
    sr_doc base = {0};
    base.path = path;
    base.format = SR_FMT_TEXT;
    return ing_text_doc(text, len, &base, opts, fn, ctx);
}
