/*
 * analyze.c - the text pipeline's entry points: run the stages in order,
 * keep their working memory between documents, print a sentence, and cut a
 * stream into blocks that can be analysed on their own.
 *
 * One sr_textdoc carries its working state (tx_work) in `priv`, so a loop
 * over a million documents allocates only while documents grow, never per
 * document.
 */
#include <stdlib.h>
#include <string.h>

#include "text/internal.h"

static tx_work *work_of(sr_textdoc *d)
{
    if (!d->priv)
        d->priv = calloc(1, sizeof(tx_work));
    return d->priv;
}

void sr_textdoc_clear(sr_textdoc *d)
{
    d->orig = NULL;
    d->orig_len = 0;
    d->nsents = 0;
    d->ntoks = 0;
    d->fold_len = 0;
    d->n_invalid = 0;
}

void sr_textdoc_free(sr_textdoc *d)
{
    tx_work *wk = d->priv;
    if (wk) {
        free(wk->w);
        free(wk->pts);
        free(wk->units);
        free(wk->raw);
        free(wk->marks);
        free(wk->lines);
        free(wk->sspan);
        free(wk->u16);
        free(wk->u16b);
        free(wk->idc);
        sr_buf_free(&wk->fold);
        free(wk);
    }
    free(d->sents);
    free(d->toks);
    memset(d, 0, sizeof *d);
}

sr_err sr_text_analyze(sr_textdoc *out, const char *input, size_t len,
                       const sr_text_opts *opts)
{
    static const sr_text_opts none = { NULL, false, false };
    if (!opts)
        opts = &none;
    sr_textdoc_clear(out);
    if (len > SR_TEXT_MAX_INPUT)
        return SR_ETOOBIG;
    tx_work *wk = work_of(out);
    if (!wk)
        return SR_ENOMEM;
    out->orig = input;
    out->orig_len = len;
    sr_err e = tx_decode(wk, input, len, &out->n_invalid);
    if (e == SR_OK)
        e = tx_layout(wk, opts->no_layout);
    if (e == SR_OK)
        e = tx_split(wk);
    if (e == SR_OK)
        e = tx_tokenize(wk, out, opts->lex, opts->no_tokens);
    if (e != SR_OK) {
        size_t bad = out->n_invalid;
        sr_textdoc_clear(out);
        out->n_invalid = bad;
    }
    return e;
}

/* Working-text bytes that are white space between words. */
static bool is_ws(char c) { return c == ' ' || c == '\v' || c == '\n' || c == '\t'; }

sr_err sr_sentence_text(const sr_textdoc *d, size_t i, sr_buf *out)
{
    const tx_work *wk = d->priv;
    if (!wk || i >= d->nsents)
        return SR_EINVAL;
    const char *w = wk->w;
    uint32_t s = wk->sspan[2 * i], e = wk->sspan[2 * i + 1];
    /* a leading list bullet is layout, not text */
    for (;;) {
        while (s < e && is_ws(w[s]))
            s++;
        int l;
        if (s < e && tx_is_bullet(tx_utf8_at(w, e, s, &l))) {
            s += (uint32_t)l;
            continue;
        }
        break;
    }
    bool space = false;
    for (uint32_t k = s; k < e; k++) {
        char c = w[k];
        if (is_ws(c)) {
            space = true;
            continue;
        }
        if (c == '-' && k + 1 < e && is_ws(w[k + 1])) {
            /* "counter-\nterrorism": the wrap goes, the hyphen stays */
            uint32_t q = k + 1;
            bool wrap = false;
            while (q < e && is_ws(w[q])) {
                wrap |= w[q] == '\v';
                q++;
            }
            if (wrap && q < e && w[q] >= 'a' && w[q] <= 'z') {
                if (space && sr_buf_putc(out, ' ') != SR_OK)
                    return SR_ETOOBIG;
                if (sr_buf_putc(out, '-') != SR_OK)
                    return SR_ETOOBIG;
                space = false;
                k = q - 1;
                continue;
            }
        }
        if (space && sr_buf_putc(out, ' ') != SR_OK)
            return SR_ETOOBIG;
        space = false;
        if (sr_buf_putc(out, c) != SR_OK)
            return SR_ETOOBIG;
    }
    return SR_OK;
}

size_t sr_text_next_block(const char *buf, size_t len, size_t max, bool eof)
{
    if (len <= max && eof)
        return len;
    if (len < max)
        return 0;    /* more may come: wait for it or for the end */
    size_t lim = max;
    /* a blank line: the end of a paragraph */
    for (size_t i = lim; i > 1; i--) {
        if (buf[i - 1] != '\n')
            continue;
        size_t j = i - 1;
        while (j > 0 && (buf[j - 1] == ' ' || buf[j - 1] == '\t' || buf[j - 1] == '\r'))
            j--;
        if (j > 0 && buf[j - 1] == '\n')
            return i;
    }
    for (size_t i = lim; i > 0; i--)
        if (buf[i - 1] == '\n')
            return i;
    for (size_t i = lim; i > 0; i--)
        if (buf[i - 1] == ' ')
            return i;
    /* one enormous word: cut at a UTF-8 character boundary */
    size_t i = lim;
    while (i > 0 && i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
        i--;
    return i ? i : lim;
}
