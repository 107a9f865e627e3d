/*
 * text_fuzz.c - the whole text pipeline (decode, layout, sentences, tokens,
 * folding, interning) on arbitrary bytes.  Besides "no crash, no leak", it
 * checks the invariants later stages rely on: every span lies inside the
 * input and is ordered, tokens belong to their sentence, sentences respect
 * the byte and token caps, and the printable sentence text is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "sitrep/text.h"

static void check_utf8(const char *s, size_t n)
{
    int32_t i = 0;
    while ((size_t)i < n) {
        int32_t c;
        U8_NEXT((const uint8_t *)s, i, (int32_t)n, c);
        if (c < 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sr_lexicon *lex;
    if (!lex)
        lex = sr_lexicon_new();
    sr_textdoc td = {0};
    /* the first byte picks the options, so every mode is fuzzed */
    bool no_layout = size > 0 && (data[0] & 1);
    sr_text_opts o = { lex, no_layout, false };
    if (sr_text_analyze(&td, (const char *)data, size, &o) != SR_OK)
        abort();
    uint32_t prev_end = 0;
    size_t toks = 0;
    sr_buf b = SR_BUF_INIT(0);
    for (size_t i = 0; i < td.nsents; i++) {
        const sr_sentence *s = &td.sents[i];
        if (s->start > s->end || s->end > size || s->start < prev_end)
            abort();
        if (s->tok_count > SR_TEXT_MAX_TOKENS || s->tok_first != toks)
            abort();
        for (uint32_t k = 0; k < s->tok_count; k++) {
            const sr_token *t = &td.toks[s->tok_first + k];
            if (t->start > t->end || t->start < s->start || t->end > s->end)
                abort();
            if ((size_t)t->fold + t->fold_len > td.fold_len)
                abort();
        }
        toks += s->tok_count;
        prev_end = s->end;
        sr_buf_reset(&b);
        if (sr_sentence_text(&td, i, &b) != SR_OK)
            abort();
        check_utf8(b.p ? b.p : "", b.len);
    }
    if (toks != td.ntoks)
        abort();
    sr_buf_free(&b);
    sr_textdoc_free(&td);
    /* the stream cutter never cuts past its limit or inside a character */
    size_t cut = sr_text_next_block((const char *)data, size, 64, false);
    if (cut > size || (size >= 64 && cut == 0))
        abort();
    /* keep the shared lexicon from growing without bound across runs */
    if (sr_lexicon_size(lex) > 100000) {
        sr_lexicon_free(lex);
        lex = NULL;
    }
    return 0;
}
