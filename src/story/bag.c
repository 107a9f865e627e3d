/*
 * bag.c - the terms a story is recognized by (sr_story_terms_build and
 * sr_story_terms_add_events).
 *
 * The tokenizer is deliberately its own small one, not the text module's:
 * clustering runs on every document (and on 2,600 headlines many times over
 * in the bench), needs no lexicon and only cares about content words.
 * Words are runs of ASCII letters/digits and any non-ASCII UTF-8 bytes (so
 * "Zürich" is one word), with inner apostrophes and periods (U.S.,
 * al-Sisi's); a number keeps its inner '.' and loses its ',' (37,000 and
 * 37000 meet; $1.8B is "1.8b").  ASCII is lower-cased, a possessive 's is
 * dropped, short dotted forms lose their dots (u.s. -> us), a few demonyms
 * become their country (chinese -> china) and a light suffix stemmer folds
 * plurals and -ing/-ed forms.
 *
 * Dropped: function words, verbs headlines use for anything ("say", "get",
 * "see": "see how much...", "bands to see"), news boilerplate ("update",
 * "photos", "news": what kind of text it is, not what happened), and
 * whatever only says when (month and weekday names, years, "today", and
 * one- or two-digit numbers, which are mostly days of the month and list
 * lengths): time is the clusterer's own signal, and the same date in two
 * reports says nothing about whether they report one happening.
 *
 * Terms and weights: the headline's words (1.0) and its adjacent word pairs
 * joined (0.7: "Mt. Gox" meets "MtGox"); the lead's first
 * SR_STORY_LEDE_WORDS words (0.5 beside a headline, else 1.0) and its names
 * (runs of capitalized words inside a sentence, joined like pairs); coded
 * events add their actors' countries, their full actor codes and the dyad
 * with the kind of action.  A term's weight is its largest, not a sum:
 * headlines repeat little, and a lead that repeats a word is not more about
 * it.
 *
 * Capitalization: where case means something - a sentence-case headline or
 * body text, not the first word of a sentence - each word records whether
 * it was capitalized (SR_TERM_CASED, SR_TERM_CAPITAL).  The clusterer counts
 * these over the stream to tell names (Sbarro, Gox) from common words
 * (bankruptcy) without any lexicon.  A headline in Title Case or capitals
 * says nothing either way.
 */
#include "sitrep/story.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX   48
#define TITLE_MAX  64      /* words of a headline read */

static const char *const stopwords[] = {
    "a", "about", "after", "against", "all", "also", "am", "an", "and", "any",
    "april", "are", "as", "at", "august", "be", "been", "before", "being", "between",
    "both", "but", "by", "can", "could", "december", "did", "do", "does", "during",
    "each", "february", "first", "for", "friday", "from", "get", "gets", "had", "has",
    "have", "he", "her", "here", "his", "how", "i", "if", "in", "into", "is", "it",
    "its", "january", "july", "june", "just", "last", "live", "march", "may", "might",
    "monday", "more", "most", "my", "new", "news", "next", "no", "not", "november", "now",
    "october", "of", "on", "one", "or", "other", "our", "out", "over", "people",
    "photo", "photos", "pictures", "pm", "report", "reports", "said", "saturday",
    "say", "says", "see", "september", "she", "should", "so", "some", "such", "sunday",
    "than", "that", "the", "their", "them", "there", "these", "they", "this",
    "those", "through", "thursday", "to", "today", "tomorrow", "tonight", "tuesday",
    "two", "under", "up", "update", "updated", "very", "via", "video", "vs", "was",
    "watch", "we", "wednesday", "week", "were", "what", "when", "where", "which",
    "while", "who", "why", "will", "with", "would", "year", "yesterday", "you",
    "your",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_stop(const char *w)
{
    const char *key = w;
    return bsearch(&key, stopwords, sizeof stopwords / sizeof stopwords[0],
                   sizeof stopwords[0], cmp_str) != NULL;
}

static const char *const demonyms[][2] = {
    {"american", "america"}, {"asian", "asia"}, {"british", "britain"},
    {"chinese", "china"}, {"egyptian", "egypt"}, {"european", "europe"},
    {"french", "france"}, {"german", "germany"}, {"indian", "india"},
    {"indonesian", "indonesia"}, {"iranian", "iran"}, {"israeli", "israel"},
    {"japanese", "japan"}, {"libyan", "libya"}, {"malaysian", "malaysia"},
    {"pakistani", "pakistan"}, {"philippine", "philippines"}, {"russian", "russia"},
    {"saudi", "saudi"}, {"turkish", "turkey"}, {"u.s", "usa"}, {"ukrainian", "ukraine"},
    {"us", "usa"},
};

typedef struct tok {
    char   w[WORD_MAX + 1];   /* lower-cased */
    size_t len;
    bool   cap;               /* first letter upper-case */
    bool   upper;             /* every letter upper-case (and two or more) */
    bool   alpha;             /* starts with a letter */
    bool   starts;            /* first word of a sentence or line */
} tok;

static bool is_letter(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0xC0;
}

static bool is_digit(unsigned char ch) { return ch >= '0' && ch <= '9'; }

/* Bytes of the UTF-8 punctuation or space at s[p] (dashes, curly quotes,
 * ellipsis, bullets, guillemets, no-break space, CJK punctuation, a BOM), or
 * 0: they separate words as ASCII punctuation does. */
static size_t punct_len(const char *s, size_t p, size_t n)
{
    const unsigned char *u = (const unsigned char *)s + p;
    size_t left = n - p;
    if (left >= 2 && u[0] == 0xC2 && u[1] >= 0xA0 && u[1] <= 0xBF &&
        u[1] != 0xAA && u[1] != 0xB5 && u[1] != 0xBA && u[1] != 0xB2 && u[1] != 0xB3 &&
        u[1] != 0xB9 && (u[1] < 0xBC || u[1] > 0xBE))
        return 2;
    if (left >= 3 && u[0] == 0xE2 && (u[1] == 0x80 || (u[1] == 0x81 && u[2] <= 0xAF)))
        return 3;
    if (left >= 3 && u[0] == 0xE3 && u[1] == 0x80)
        return 3;
    if (left >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return 3;
    return 0;
}

/* Next token of s[*i..n); false at the end.  *boundary carries whether a
 * sentence ended since the previous token. */
static bool next_tok(const char *s, size_t n, size_t *i, tok *t, bool *boundary)
{
    size_t p = *i;
    for (;;) {
        while (p < n) {
            unsigned char ch = (unsigned char)s[p];
            size_t pl = ch >= 0x80 ? punct_len(s, p, n) : 0;
            if (pl) {
                if (pl == 3 && (unsigned char)s[p + 2] == 0xA6)   /* … ends a sentence */
                    *boundary = true;
                p += pl;
                continue;
            }
            if (is_letter(ch) || is_digit(ch))
                break;
            if (ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == ':' || ch == '|')
                *boundary = true;
            p++;
        }
        if (p >= n) {
            *i = n;
            return false;
        }
        size_t len = 0, letters = 0, uppers = 0;
        bool number = is_digit((unsigned char)s[p]);
        t->cap = s[p] >= 'A' && s[p] <= 'Z';
        t->alpha = !number;
        while (p < n) {
            unsigned char ch = (unsigned char)s[p];
            if ((ch >= 'a' && ch <= 'z') || is_digit(ch) || ch >= 0x80) {
                /* ’ (U+2019) inside a word is an apostrophe */
                if (ch == 0xE2 && p + 2 < n && (unsigned char)s[p + 1] == 0x80 &&
                    (unsigned char)s[p + 2] == 0x99) {
                    if (len < WORD_MAX)
                        t->w[len++] = '\'';
                    p += 3;
                    continue;
                }
                if (ch >= 0x80 && punct_len(s, p, n))
                    break;
                letters += ch >= 'a' && ch <= 'z';
                if (len < WORD_MAX)
                    t->w[len++] = (char)ch;
            } else if (ch >= 'A' && ch <= 'Z') {
                letters++;
                uppers++;
                if (len < WORD_MAX)
                    t->w[len++] = (char)(ch + 32);
            } else if (number && (ch == '.' || ch == ',') && p + 1 < n &&
                       is_digit((unsigned char)s[p + 1]) && len > 0) {
                if (ch == '.' && len < WORD_MAX)
                    t->w[len++] = '.';
            } else if ((ch == '\'' || ch == '.') && p + 1 < n && len > 0 &&
                       (((unsigned char)s[p + 1] | 32) >= 'a' && ((unsigned char)s[p + 1] | 32) <= 'z')) {
                if (len < WORD_MAX)
                    t->w[len++] = (char)ch;
            } else {
                break;
            }
            p++;
        }
        *i = p;
        if (len > 0) {
            t->w[len] = '\0';
            t->len = len;
            t->upper = letters >= 2 && uppers == letters;
            t->starts = *boundary;
            *boundary = false;
            return true;
        }
    }
}

/* Normalize a token in place for clustering; returns its new length or 0
 * to drop it. */
static size_t normalize(tok *t)
{
    char *w = t->w;
    size_t len = t->len;
    if (!t->alpha) {
        /* numbers: "37000", "1.8b", "425m" stay; small ones go */
        size_t digits = 0;
        for (size_t k = 0; k < len && is_digit((unsigned char)w[k]); k++)
            digits++;
        bool decimal = memchr(w, '.', len) != NULL;
        if (digits == len && len == 4 && (w[0] == '1' || w[0] == '2'))
            return 0;                       /* a year */
        if (digits <= 2 && !decimal && (digits == len || len - digits > 2))
            return 0;                       /* 3, 13, 5th, 10am */
        return len;
    }
    if (len >= 2 && w[len - 1] == 's' && w[len - 2] == '\'')
        len -= 2;
    while (len > 0 && w[len - 1] == '\'')
        len--;
    w[len] = '\0';
    if (len <= 5 && memchr(w, '.', len)) {
        size_t o = 0;
        for (size_t k = 0; k < len; k++)
            if (w[k] != '.')
                w[o++] = w[k];
        len = o;
        w[len] = '\0';
    }
    if (len < 2 || is_stop(w))
        return 0;
    for (size_t k = 0; k < sizeof demonyms / sizeof demonyms[0]; k++)
        if (strcmp(w, demonyms[k][0]) == 0) {
            len = strlen(demonyms[k][1]);
            memcpy(w, demonyms[k][1], len + 1);
            return len;
        }
    static const char *const suffixes[] = {"ing", "ed", "es", "s"};
    for (size_t k = 0; k < 4; k++) {
        size_t sl = strlen(suffixes[k]);
        if (len > sl + 3 && memcmp(w + len - sl, suffixes[k], sl) == 0 &&
            !(len >= 2 && w[len - 1] == 's' && w[len - 2] == 's')) {
            len -= sl;
            w[len] = '\0';
            break;
        }
    }
    return len;
}

static sr_err add_term(sr_story_terms *t, const char *text, size_t n, float w, uint8_t flags)
{
    uint64_t h = sr_hash64(text, n, 1);
    /* bags are small (a headline, a lede): linear search keeps them simple */
    for (size_t k = 0; k < t->n; k++)
        if (t->term[k] == h) {
            if (w > t->weight[k])
                t->weight[k] = w;
            t->flags[k] |= flags;
            return SR_OK;
        }
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        uint64_t *nt = sr_realloc_array(t->term, nc, sizeof *nt);
        if (!nt)
            return SR_ENOMEM;
        t->term = nt;
        float *nwt = sr_realloc_array(t->weight, nc, sizeof *nwt);
        if (!nwt)
            return SR_ENOMEM;
        t->weight = nwt;
        uint8_t *nf = sr_realloc_array(t->flags, nc, sizeof *nf);
        if (!nf)
            return SR_ENOMEM;
        t->flags = nf;
        uint32_t *nl = sr_realloc_array(t->label_at, nc, sizeof *nl);
        if (!nl)
            return SR_ENOMEM;
        t->label_at = nl;
        t->cap = nc;
    }
    if (t->keep_labels) {
        t->label_at[t->n] = (uint32_t)t->labels.len;
        if (sr_buf_append(&t->labels, text, n) || sr_buf_putc(&t->labels, '\0'))
            return SR_ENOMEM;
    }
    t->term[t->n] = h;
    t->weight[t->n] = w;
    t->flags[t->n] = flags;
    t->n++;
    return SR_OK;
}

/* Two words joined as one term ("mt" "gox" -> "mtgox"). */
static sr_err add_pair(sr_story_terms *t, const tok *a, const tok *b, float w, uint8_t flags)
{
    char pair[2 * WORD_MAX + 1];
    memcpy(pair, a->w, a->len);
    memcpy(pair + a->len, b->w, b->len);
    return add_term(t, pair, a->len + b->len, w, flags);
}

/* Does case carry meaning in this text?  Not in Title Case or all capitals:
 * then most words after the first are capitalized.  `most`: more than half
 * in a headline; in prose, where names crowd some sentences, four in five. */
static bool text_cased(const char *s, size_t n, double most)
{
    size_t i = 0, words = 0, caps = 0;
    bool boundary = true;
    tok t;
    while (words < TITLE_MAX && next_tok(s, n, &i, &t, &boundary)) {
        if (!t.alpha || t.starts || t.len < 4)   /* short words: "of", "to" stay lower in Title Case */
            continue;
        words++;
        caps += t.cap;
    }
    return words >= 2 && (double)caps < most * (double)words;
}

/* Words of s (at most max_words) as terms.  pair_w > 0: every adjacent pair
 * too; names_w > 0: runs of capitalized words inside sentences (names) as
 * joined terms.  cased: case carries meaning here. */
static sr_err add_text(sr_story_terms *t, const char *s, size_t n, size_t max_words,
                       float w_word, float w_pair, float w_name, bool cased)
{
    tok cur, prev;
    bool have_prev = false, prev_name = false, boundary = true;
    size_t words = 0, i = 0;
    uint8_t prev_flags = 0;
    sr_err e = SR_OK;
    while (!e && words < max_words && next_tok(s, n, &i, &cur, &boundary)) {
        words++;
        bool case_means = cased && cur.alpha && !cur.starts && !cur.upper;
        bool name = case_means && cur.cap;
        /* a dropped word does not break a pair: "Bank of America" pairs
         * bank with america */
        if ((cur.len = normalize(&cur)) == 0)
            continue;
        uint8_t flags = case_means ? (uint8_t)(SR_TERM_CASED | (cur.cap ? SR_TERM_CAPITAL : 0)) : 0;
        e = add_term(t, cur.w, cur.len, w_word, flags);
        if (!e && have_prev && w_pair > 0)
            e = add_pair(t, &prev, &cur, w_pair, (uint8_t)((prev_flags & flags) | SR_TERM_PAIR));
        else if (!e && have_prev && w_name > 0 && name && prev_name)
            e = add_pair(t, &prev, &cur, w_name, (uint8_t)(flags | SR_TERM_PAIR));
        prev = cur;
        prev_flags = flags;
        prev_name = name;
        have_prev = true;
    }
    return e;
}

sr_err sr_story_terms_build(sr_story_terms *t, const char *title,
                            const char *text, size_t len,
                            const char *const *actors, size_t nactors)
{
    sr_err e = SR_OK;
    t->n = 0;
    sr_buf_reset(&t->labels);
    bool titled = title && *title;
    if (titled) {
        size_t tl = strlen(title);
        e = add_text(t, title, tl, TITLE_MAX, 1.0f, 0.7f, 0, text_cased(title, tl, 0.5));
    }
    /* the lede names who and what; the rest of an article wanders */
    if (titled && text) {
        /* a text that repeats its headline first: the lead starts after it
         * (a feed entry or a page whose body is only its headline adds no
         * second copy of the headline's words) */
        size_t tl = strlen(title), k = 0;
        while (k < len && (text[k] == ' ' || text[k] == '\n' || text[k] == '\r' || text[k] == '\t'))
            k++;
        if (len - k >= tl && memcmp(text + k, title, tl) == 0) {
            text += k + tl;
            len -= k + tl;
        }
    }
    if (!e && text && len) {
        /* prose is in sentence case; a text that is only a headline in
         * Title Case (a feed's bare title) is not */
        size_t head = len < 400 ? len : 400;
        e = add_text(t, text, len, SR_STORY_LEDE_WORDS, titled ? 0.5f : 1.0f, 0,
                     titled ? 0.35f : 0.7f, text_cased(text, head, 0.8));
    }
    for (size_t k = 0; !e && k < nactors; k++) {
        const char *a = actors[k];
        if (!a || strlen(a) < 3)
            continue;
        /* the country (first three letters) is what stories share */
        char buf[16] = "actor:";
        memcpy(buf + 6, a, 3);
        e = add_term(t, buf, 9, 1.0f, 0);
    }
    return e;
}

sr_err sr_story_terms_add_events(sr_story_terms *t, const sr_mention *ms, size_t n)
{
    sr_err e = SR_OK;
    for (size_t i = 0; !e && i < n; i++) {
        const sr_mention *m = &ms[i];
        const char *src = m->source.code, *tgt = m->has_target ? m->target.code : "";
        char buf[96];
        int k;
        /* countries first: reports of one happening agree on them more
         * often than on the finer codes */
        for (int side = 0; !e && side < 2; side++) {
            const char *a = side ? tgt : src;
            if (strlen(a) < 3 || !(a[0] >= 'A' && a[0] <= 'Z'))   /* "---": no actor */
                continue;
            k = snprintf(buf, sizeof buf, "actor:%.3s", a);
            e = add_term(t, buf, (size_t)k, 1.0f, 0);
            if (!e && strlen(a) > 3) {
                k = snprintf(buf, sizeof buf, "agent:%.31s", a);
                e = add_term(t, buf, (size_t)k, 0.5f, 0);
            }
        }
        if (!e && strlen(src) >= 3 && src[0] >= 'A' && src[0] <= 'Z' && m->root[0]) {
            k = snprintf(buf, sizeof buf, "event:%.3s>%.3s:%.3s", src, tgt, m->root);
            e = add_term(t, buf, (size_t)k, 1.0f, 0);
        }
    }
    return e;
}

sr_err sr_story_terms_add_place(sr_story_terms *t, const char *place)
{
    if (!place || !*place)
        return SR_OK;
    char buf[80];
    int k = snprintf(buf, sizeof buf, "place:%.60s", place);
    return add_term(t, buf, (size_t)k, 1.0f, 0);
}

const char *sr_story_terms_label(const sr_story_terms *t, size_t i)
{
    if (!t->keep_labels || i >= t->n || !t->labels.p)
        return NULL;
    return t->labels.p + t->label_at[i];
}

void sr_story_terms_free(sr_story_terms *t)
{
    free(t->term);
    free(t->weight);
    free(t->flags);
    free(t->label_at);
    sr_buf_free(&t->labels);
    bool keep = t->keep_labels;
    memset(t, 0, sizeof *t);
    t->keep_labels = keep;
}
