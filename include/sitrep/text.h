/*
 * sitrep/text.h - the text pipeline: raw article bytes -> clean text ->
 * sentences -> tokens, every piece keeping its byte span in the ORIGINAL
 * input so later stages (coder, briefs) can point back into what the outlet
 * published.
 *
 * Stages, in order (sr_text_analyze runs them all):
 *   1. decode:    bytes must be UTF-8; a BOM is dropped; invalid sequences
 *                 become U+FFFD (counted in n_invalid); NUL and C0/C1 control
 *                 characters other than \t \n \r \f become spaces.
 *   2. canon:     curly quotes -> ' ", dashes -> -, NBSP and other spaces ->
 *                 ' ', bullets (•·▪‣◦ and friends) -> list-item markers.
 *   3. layout:    hard-wrapped lines are joined, hyphens at line breaks
 *                 repaired, paragraphs recovered, orphan bullet lines attached
 *                 to the item they start, headings kept as their own units.
 *   4. sentences: English news sentence splitting (abbreviations, ranks,
 *                 initials, decimals, money, ellipses, quotes, brackets,
 *                 lists, datelines).
 *   5. tokens:    words, numbers, punctuation, possessive 's, hyphenated
 *                 compounds; each with its span, its case-folded NFKC form
 *                 and an interned id from an sr_lexicon.
 *
 * Ownership: an sr_textdoc owns everything it points to except `orig` (the
 * caller's input, which must outlive the textdoc).  An sr_lexicon is shared
 * across documents (the coder's dictionaries are interned into the same one)
 * and is not thread-safe for interning; lookups are safe once it is frozen.
 *
 * Errors: SR_ENOMEM, or SR_ETOOBIG when the input exceeds SR_TEXT_MAX_INPUT
 * (callers stream larger inputs block by block, see sr_text_next_block).
 * Bad bytes are never an error: they are repaired and counted.
 */
#ifndef SITREP_TEXT_H
#define SITREP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"

/* Caps.  A sentence longer than SR_TEXT_MAX_SENTENCE bytes is cut at a token
 * boundary (a 10 MB "line" must not become one sentence of 10 MB of tokens). */
#define SR_TEXT_MAX_INPUT     ((size_t)64 << 20)  /* one analysed block */
#define SR_TEXT_MAX_SENTENCE  ((size_t)4096)
#define SR_TEXT_MAX_TOKENS    256                 /* per sentence */
/* Tokens in one analysed block: with the sentences, folded forms and offset
 * maps they carry, tokens are most of the text stage's working memory, and
 * their number is not bounded by the input's size alone (60 MiB of
 * punctuation lines made 31 million of them, 1.5 GB).  A block past this is
 * SR_ETOOBIG: 4 Mi tokens is some 20 MB of prose, far beyond any report. */
#define SR_TEXT_MAX_BLOCK_TOKENS ((size_t)4 << 20)

/* ---- lexicon: interned case-folded token forms --------------------------- */

typedef struct sr_lexicon sr_lexicon;

sr_lexicon *sr_lexicon_new(void);
void        sr_lexicon_free(sr_lexicon *lex);
/* Id of the folded form s[0..n), adding it if new.  Ids start at 1; 0 means
 * "none" and is returned only on allocation failure or past the cap. */
uint32_t    sr_lexicon_intern(sr_lexicon *lex, const char *s, size_t n);
/* Id of s if known, else 0.  Never allocates. */
uint32_t    sr_lexicon_find(const sr_lexicon *lex, const char *s, size_t n);
/* The form of an id (NUL-terminated, owned by the lexicon). */
const char *sr_lexicon_str(const sr_lexicon *lex, uint32_t id, size_t *n);
size_t      sr_lexicon_size(const sr_lexicon *lex);
/* After freezing, sr_text_analyze only looks forms up (a token no dictionary
 * knows gets id 0) instead of adding them: the lexicon stops growing with
 * the corpus and may be read by many threads at once.  sr_lexicon_intern
 * itself still works (for the few words a coder adds when created).
 * sr_dictset_freeze freezes its lexicon. */
void        sr_lexicon_freeze(sr_lexicon *lex);
bool        sr_lexicon_is_frozen(const sr_lexicon *lex);
/* A stamp unique in the process to this lexicon as it is now: it changes
 * with every form added, and no other lexicon ever has it (so a cache of
 * ids can tell it is still valid, even if a new lexicon reuses the memory). */
uint64_t    sr_lexicon_stamp(const sr_lexicon *lex);
/* Cap on distinct forms, so an unfrozen lexicon fed a hostile corpus stays
 * bounded: past it sr_lexicon_intern returns 0 for new forms. */
#define SR_LEXICON_MAX_FORMS  ((size_t)1 << 24)

/* Fold arbitrary UTF-8 text the way tokens are folded (NFKC + case fold +
 * the canonicalizations of stage 2), appending to out.  Dictionary loaders
 * use this so that dictionary phrases and text tokens meet in one form. */
sr_err      sr_text_fold(const char *s, size_t n, sr_buf *out);

/* ---- analysed document --------------------------------------------------- */

typedef enum sr_token_kind {
    SR_TOK_WORD = 0,     /* letters, possibly with inner ' . - (U.S., al-Sisi) */
    SR_TOK_NUMBER,       /* 5, 3.5, 1,000, 2024, 5th, $2bn is SYMBOL+NUMBER+WORD */
    SR_TOK_PUNCT,        /* . , ; : ! ? ( ) " ' - ... */
    SR_TOK_POSSESSIVE,   /* the 's / ' of Pakistan's, split off its word */
    SR_TOK_SYMBOL,       /* $ % & @ # and other symbols */
} sr_token_kind;

enum {
    SR_TOKF_CAP      = 1 << 0,  /* first letter upper case (Gondor) */
    SR_TOKF_ALLCAPS  = 1 << 1,  /* every letter upper case (NATO) */
    SR_TOKF_HYPHEN   = 1 << 2,  /* hyphenated compound (military-to-military) */
    SR_TOKF_ABBREV   = 1 << 3,  /* ends in a period that is part of it (Gen.) */
    SR_TOKF_SENT_START = 1 << 4,/* first token of its sentence */
};

typedef struct sr_token {
    uint32_t start, end;     /* byte span in the original input */
    uint32_t fold;           /* offset of the folded form in sr_textdoc.fold */
    uint32_t fold_len;       /* its length in bytes */
    uint32_t id;             /* interned folded form (0 if no lexicon given) */
    uint8_t  kind;           /* sr_token_kind */
    uint8_t  flags;          /* SR_TOKF_* */
} sr_token;

typedef enum sr_unit_kind {
    SR_UNIT_SENTENCE = 0,    /* running text */
    SR_UNIT_HEADING,         /* a heading or headline line (no final period) */
    SR_UNIT_LIST_ITEM,       /* the first sentence of a bulleted/numbered item */
} sr_unit_kind;

typedef struct sr_sentence {
    uint32_t start, end;     /* byte span in the original input */
    uint32_t tok_first;      /* index of its first token in sr_textdoc.toks */
    uint32_t tok_count;
    uint32_t para;           /* paragraph index, 0-based */
    uint8_t  kind;           /* sr_unit_kind */
} sr_sentence;

typedef struct sr_textdoc {
    const char *orig;        /* borrowed: the caller's input */
    size_t      orig_len;
    sr_sentence *sents;  size_t nsents;
    sr_token    *toks;   size_t ntoks;
    char        *fold;   size_t fold_len;   /* all folded token forms */
    size_t       n_invalid;                 /* invalid UTF-8 sequences seen */
    void        *priv;                      /* implementation's working state */
} sr_textdoc;

typedef struct sr_text_opts {
    sr_lexicon *lex;         /* intern token forms here; NULL: ids are 0 */
    bool        no_layout;   /* skip layout repair (input is one clean text) */
    bool        no_tokens;   /* sentences only (sitrep sentences, benchmarks) */
} sr_text_opts;

/* Analyse input[0..len).  *out must be zeroed or previously freed; on error
 * it is left empty.  Re-using one sr_textdoc across calls avoids reallocation
 * (call sr_textdoc_clear between, sr_textdoc_free at the end), and keeps
 * warm the 64 KiB cache of token ids an sr_textdoc holds once it has been
 * analysed against a frozen lexicon: a program that reuses one sr_textdoc
 * per thread pays for it once. */
sr_err sr_text_analyze(sr_textdoc *out, const char *input, size_t len,
                       const sr_text_opts *opts);
void   sr_textdoc_clear(sr_textdoc *d);
void   sr_textdoc_free(sr_textdoc *d);

/* The sentence as one line: its original text with line breaks, repaired
 * hyphens and runs of spaces collapsed to single spaces, bullets removed.
 * Appends to out. */
sr_err sr_sentence_text(const sr_textdoc *d, size_t i, sr_buf *out);

/* The token's folded form (not NUL-terminated; length in *n). */
static inline const char *sr_token_fold(const sr_textdoc *d, const sr_token *t,
                                        size_t *n)
{
    *n = t->fold_len;
    return d->fold + t->fold;
}

/* ---- streaming large inputs ---------------------------------------------- */

/* Given a buffer holding the next part of a stream, return how many leading
 * bytes form complete paragraphs that can be analysed on their own (cut at a
 * blank line, or failing that at a line end, or failing that at a space
 * before max bytes).  `eof` says no more data follows.  Used by commands that
 * read inputs larger than SR_TEXT_MAX_INPUT without holding them whole. */
size_t sr_text_next_block(const char *buf, size_t len, size_t max, bool eof);

#endif
