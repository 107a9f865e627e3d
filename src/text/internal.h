/*
 * text/internal.h - what the text pipeline's stages share inside src/text/.
 *
 * The working text.  Every stage reads and writes one buffer, `w`, derived
 * from the caller's input.  Decoding is the only stage that may change its
 * length (an invalid byte becomes the three bytes of U+FFFD, a soft hyphen or
 * zero-width joiner disappears); everything after it edits in place, byte for
 * byte:
 *   - odd spaces, control characters, a BOM and bullets become ' ';
 *   - a hard line break (paragraph, heading, list item) stays '\n';
 *   - a soft line break (a hard-wrapped line that goes on) becomes '\v', so
 *     the tokenizer can still see "counter-\vterrorism" and join it.
 * Because lengths barely change, the map from working offsets back to the
 * original input is a short list of change points (one per length change),
 * not an array as long as the text: orig = w + delta, where delta is the
 * value of the last change point at or before w.
 */
#ifndef SITREP_TEXT_INTERNAL_H
#define SITREP_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/text.h"

/* One point where the working text's offset delta changes. */
typedef struct tx_point {
    uint32_t w;       /* first working offset the delta applies to */
    int64_t  delta;   /* orig offset = w offset + delta */
} tx_point;

/* A unit: a run of the working text between hard breaks. */
typedef struct tx_unit {
    uint32_t start, end;   /* working offsets */
    uint8_t  kind;         /* sr_unit_kind */
} tx_unit;

/* A raw sentence before tokenization (working offsets). */
typedef struct tx_sent {
    uint32_t start, end;
    uint32_t para;
    uint8_t  kind;
} tx_sent;

/* One line of the working text, as layout sees it. */
typedef struct tx_line {
    uint32_t start, end;   /* [start, end): end is the '\n' or the text end */
    uint32_t cs, ce;       /* content (after indent and bullet, trimmed) */
    uint16_t words;        /* chunks holding a letter or digit */
    uint8_t  blank, orphan_bullet, item;
    uint8_t  first_lower, first_upper;
    uint8_t  ends_terminal;  /* . ! ? (then closing quotes) at the end */
    uint8_t  ends_soft;      /* , ; : - at the end */
    uint8_t  ends_fn;        /* last word is a function word (of, and...) */
    uint8_t  has_terminal;   /* . ! ? anywhere */
    uint8_t  titlelike;      /* every content word capitalized */
    uint8_t  caps;           /* capitalized words */
} tx_line;

typedef struct tx_work {
    char     *w;       size_t wlen, wcap;
    tx_point *pts;     size_t npts, ptscap;
    tx_unit  *units;   size_t nunits, unitcap;
    tx_sent  *raw;     size_t nraw, rawcap;
    uint32_t *marks;   size_t nmarks, markcap;   /* list markers in a unit */
    tx_line  *lines;   size_t nlines, linecap;
    uint32_t *sspan;   size_t sspancap;          /* final sentences: w start,end */
    size_t    tokcap, sentcap;                   /* of sr_textdoc.toks, .sents */
    sr_buf    fold;                              /* owns sr_textdoc.fold */
    uint16_t *u16;     size_t u16cap;            /* ICU scratch */
    uint16_t *u16b;    size_t u16bcap;
    struct tx_idcache *idc;                      /* token form -> lexicon id */
    uint64_t  idc_stamp;                         /* sr_lexicon_stamp() of its ids */
} tx_work;

/* ---- UTF-8 --------------------------------------------------------------- */

/* Decode the code point at s[i] (i < n).  Sets *len to its byte length (1 for
 * an invalid byte) and returns it, or -1 when the sequence is invalid. */
int32_t tx_utf8_at(const char *s, size_t n, size_t i, int *len);
/* The code point that ends just before s[i] (i > 0); *len its length. */
int32_t tx_utf8_before(const char *s, size_t i, int *len);

/* Character classes the splitter and tokenizer ask about. */
bool tx_is_letter(int32_t c);
bool tx_is_upper(int32_t c);
bool tx_is_lower(int32_t c);
bool tx_is_digit(int32_t c);
bool tx_is_mark(int32_t c);          /* combining marks (stay inside words) */
bool tx_is_space(int32_t c);         /* ' ', '\t', '\n', '\v', '\f', '\r' */
bool tx_is_bullet(int32_t c);        /* • ‣ ◦ ⁃ ▪ ● ■ ∙ and friends */
bool tx_is_open_quote(int32_t c);    /* " ' “ ‘ « ( [ { */
bool tx_is_close_quote(int32_t c);   /* " ' ” ’ » ) ] } */
bool tx_is_apostrophe(int32_t c);    /* ' ’ ʼ */
bool tx_is_dash(int32_t c);          /* - ‐ ‑ ‒ – — ― − */

/* ---- stages -------------------------------------------------------------- */

/* Stage 1+2: input -> work->w with change points.  Counts invalid sequences. */
sr_err tx_decode(tx_work *wk, const char *in, size_t len, size_t *n_invalid);
/* Stage 3: find units (paragraphs, headings, list items) in work->w, turning
 * soft line breaks into '\v' and bullets into spaces.  no_layout: the whole
 * text is one unit. */
sr_err tx_layout(tx_work *wk, bool no_layout);
/* Stage 4: split every unit into raw sentences (work->raw). */
sr_err tx_split(tx_work *wk);
/* Stage 5: tokens for every raw sentence, appended to d (sentences too, cut
 * at SR_TEXT_MAX_TOKENS).  lex may be NULL.  no_tokens: sentences only. */
sr_err tx_tokenize(tx_work *wk, sr_textdoc *d, sr_lexicon *lex, bool no_tokens);

/* Working offset -> original offset. */
uint32_t tx_map(const tx_work *wk, uint32_t w);
/* Exclusive end: the original offset just past the character ending at w. */
uint32_t tx_map_end(const tx_work *wk, uint32_t wend);

/* Fold one token's working text w[s..e) (quotes, dashes, hyphen-wrapped
 * breaks canonicalized; NFKC + case fold) onto out. */
sr_err tx_fold_token(tx_work *wk, const char *s, size_t n, sr_buf *out);

/* Small word sets (wordset.c); case-insensitive, ASCII words only. */
typedef enum tx_set {
    TX_SET_FUNCTION = 0,  /* of, and, the ... (headings may hold them) */
    TX_SET_PREPOSITIVE,   /* titles and ranks before a name: Gen, Mr, Mt */
    TX_SET_POSTPOSITIVE,  /* abbreviations that may end a sentence: Co, Jr */
    TX_SET_STARTER,       /* words that typically open a sentence */
    TX_SET_TIME,          /* days, months, time zones */
    TX_SET_FRONTING,      /* prepositions of a fronted time phrase */
    TX_SET_NEVER,         /* abbreviations that never end a sentence: vs, viz */
    TX_SET_ENDER,         /* abbreviations that close a list or phrase: etc */
    TX_SET_UNIT,          /* units written after a number: oz, km, ft */
    TX_SET_DEGREE,        /* academic degrees, dots removed: phd, md, ba */
    TX_SET_SPEECH,        /* speech verbs of a quote's tag: said, asked */
    TX_NSETS
} tx_set;
bool tx_in_set(tx_set set, const char *s, size_t n);
/* The sets w[0..n) is in, as a mask of 1 << tx_set (one lookup for all). */
uint32_t tx_set_mask(const char *s, size_t n);
#define TX_IN_MASK(mask, set) (((mask) >> (set)) & 1u)

/* Is w[0..n) (no final period) an abbreviation that keeps its period as part
 * of the token ("Gen", "Co", "Jr")?  Shared by the splitter and tokenizer. */
bool tx_is_abbreviation(const char *s, size_t n);

/* Grow helper for the vectors above. */
#define TX_GROW(arr, n, cap) \
    ((n) < (cap) ? SR_OK : sr_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)))

#endif
