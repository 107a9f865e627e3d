/*
 * sentences.c - stage 4: English news sentence splitting, one unit at a time.
 *
 * Rule-based, in the line of the pragmatic segmenter and pySBD, but as one
 * left-to-right scan with no regular expressions, so it runs at memory
 * speed.  A boundary is a terminal cluster (. ! ? ... and runs of them, with
 * the closing quotes, brackets and citation marks after it) followed by
 * white space and a word that can start a sentence.  What makes English news
 * hard is the period that does not end anything, and the period that ends
 * a sentence while also closing an abbreviation.  Each abbreviation gets a
 * class that says what it does before a capitalized word:
 *   - never ends: prepositive titles and ranks (Gen. Asim Munir, Lt. Col.,
 *     Mt. Fuji, No. 5), e.g., i.e., vs.;
 *   - ends (nothing can go on it): units after a number ("2 oz."), etc.,
 *     a degree used as a noun or post-name title ("a Ph.D.", "Roe, M.D.");
 *   - ends unless a day, month or time zone follows, or what came before
 *     is only a fronted time phrase: a.m./p.m. and eras after a number
 *     ("at 6 p.m. The", "in 500 B.C. The", but "At 5 a.m. Mr. Smith went");
 *   - ends only before a word that typically opens a sentence (The, He,
 *     Officials, ...): dotted acronyms (U.S., U.N.), company suffixes (Co.,
 *     Inc.), Jr., months, initials -- "the U.S. Government" goes on, "the
 *     U.S. How about you?" stops.  A lone initial that is all the sentence
 *     has so far is a label ("Q. What is his name?") and never ends.
 *   A lower-case word after a period continues; a digit continues after an
 *   abbreviation ("p. 55", "No. 5") and starts a new sentence after an
 *   ordinary word or number ("rose to 30. 12 of them").  A period with no
 *   space after it continues, except the run-on "world.Today" typing slip,
 *   which is split unless the chunk is a URL or an e-mail address.
 * Quotations and brackets: a matched quotation or bracket pair within one
 * paragraph is read as a whole -- a stop inside it does not end the
 * sentence around it ('"We will fight. We will win," he said.').  A stop
 * right before the closing quote ("holds its own stop") ends the sentence
 * before a capitalized word, unless that word begins the quote's tag
 * ('"Leave now!" Officer Ruiz shouted.').  A single quote is told from an
 * apostrophe by what is on both sides (rebels' lives, 'nineties).
 * Ellipses: ". . ." spaced or "..." attached; four dots or a period
 * followed by a spaced ellipsis close a sentence, three spaced do not;
 * spaced "? ? ?" and "! ! !" are one cluster.  Citation marks right after
 * a stop ("forces.[3][4] The") stay with the sentence they cite.
 * Full-width stops (U+FF0E, U+FF01, U+FF1F, U+3002) end a sentence with or
 * without a space after them.
 * Lists: numbered, lettered and roman-numbered items inline ("1.) first
 * 2.) second", "a. ... b. ...", "(i) ... (ii) ...") and mid-line bullets
 * start new sentences when they form a sequence.
 * A dateline ("ISLAMABAD, Dec 5 (Reuters) -") is a unit of its own so the
 * coder does not take the city for an actor of the first sentence.
 * Sentences are capped at SR_TEXT_MAX_SENTENCE bytes (cut at a space).
 */
#include <string.h>

#include "text/internal.h"

/* ---- word lists (wordset.c) --------------------------------------------- */

#define IN(set, s, n) tx_in_set(set, s, n)
#define prepositive TX_SET_PREPOSITIVE
#define postpositive TX_SET_POSTPOSITIVE
#define starters TX_SET_STARTER
#define time_words TX_SET_TIME
#define fronting_preps TX_SET_FRONTING

bool tx_is_abbreviation(const char *s, size_t n)
{
    uint32_t m = tx_set_mask(s, n);
    return TX_IN_MASK(m, prepositive) || TX_IN_MASK(m, postpositive);
}

static bool contains(const char *s, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, needle, m) == 0)
            return true;
    return false;
}

/* ---- helpers -------------------------------------------------------------- */

typedef struct split {
    tx_work *wk;
    const char *w;
    uint32_t us, ue;     /* the unit */
    uint32_t para;
    uint8_t  kind;       /* kind of the unit's first sentence */
    size_t   first_raw;  /* index of the unit's first raw sentence */
} split;

static bool is_ws(char c) { return c == ' ' || c == '\v' || c == '\n' || c == '\t'; }

static bool has_alnum(const char *w, uint32_t s, uint32_t e)
{
    for (uint32_t i = s; i < e;) {
        int l;
        int32_t c = tx_utf8_at(w, e, i, &l);
        if (tx_is_letter(c) || tx_is_digit(c))
            return true;
        i += (uint32_t)l;
    }
    return false;
}

static sr_err push(split *sp, uint32_t s, uint32_t e, uint8_t kind)
{
    tx_work *wk = sp->wk;
    if (TX_GROW(wk->raw, wk->nraw, wk->rawcap) != SR_OK)
        return SR_ENOMEM;
    wk->raw[wk->nraw++] = (tx_sent){ s, e, sp->para, kind };
    return SR_OK;
}

/* Emit [s, e) trimmed, cut at the sentence cap.  A piece with no letter or
 * digit (a stray ellipsis, a lone bullet) joins the sentence before it. */
static sr_err emit(split *sp, uint32_t s, uint32_t e)
{
    const char *w = sp->w;
    while (s < e && is_ws(w[s]))
        s++;
    while (e > s && is_ws(w[e - 1]))
        e--;
    if (s >= e)
        return SR_OK;
    tx_work *wk = sp->wk;
    if (!has_alnum(w, s, e)) {
        if (wk->nraw > sp->first_raw) {
            wk->raw[wk->nraw - 1].end = e;
            return SR_OK;
        }
    }
    while (e - s > SR_TEXT_MAX_SENTENCE) {
        uint32_t cut = s + (uint32_t)SR_TEXT_MAX_SENTENCE;
        uint32_t c = cut;
        while (c > s + SR_TEXT_MAX_SENTENCE / 2 && !is_ws(w[c]))
            c--;
        if (is_ws(w[c]))
            cut = c;
        else
            while (cut > s && ((unsigned char)w[cut] & 0xC0) == 0x80)
                cut--;   /* never inside a UTF-8 sequence */
        uint8_t kind = wk->nraw > sp->first_raw ? SR_UNIT_SENTENCE : sp->kind;
        if (push(sp, s, cut, kind) != SR_OK)
            return SR_ENOMEM;
        s = cut;
        while (s < e && is_ws(w[s]))
            s++;
    }
    if (s >= e)
        return SR_OK;
    uint8_t kind = wk->nraw > sp->first_raw ? SR_UNIT_SENTENCE : sp->kind;
    if (kind == SR_UNIT_HEADING && sp->kind != SR_UNIT_HEADING)
        kind = SR_UNIT_SENTENCE;
    return push(sp, s, e, kind);
}

/* The word ending at i (exclusive): back over anything but white space and
 * opening brackets/quotes. */
static uint32_t word_before(const split *sp, uint32_t start, uint32_t i)
{
    const char *w = sp->w;
    uint32_t a = i;
    while (a > start) {
        int l;
        int32_t c = tx_utf8_before(w, a, &l);
        if (tx_is_space(c) || c == '(' || c == '[' || c == '"' || c == 0x201C ||
            c == 0x2018 || c == '{')
            break;
        a -= (uint32_t)l;
    }
    return a;
}

/* The next word at p (letters only) into [*ws, *we). */
static void word_at(const split *sp, uint32_t p, uint32_t *ws, uint32_t *we)
{
    const char *w = sp->w;
    uint32_t e = sp->ue;
    while (p < e) {
        int l;
        int32_t c = tx_utf8_at(w, e, p, &l);
        if (!tx_is_open_quote(c))
            break;
        p += (uint32_t)l;
    }
    *ws = p;
    while (p < e) {
        int l;
        int32_t c = tx_utf8_at(w, e, p, &l);
        if (!tx_is_letter(c))
            break;
        p += (uint32_t)l;
    }
    *we = p;
}

typedef enum { W_REGULAR, W_URL, W_NUMBER, W_INITIAL, W_PRONOUN_I, W_ACRONYM,
               W_TIME, W_NEVER, W_PREPOSITIVE, W_POSTPOSITIVE, W_END } wclass;

static bool is_ascii_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool is_ascii_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

/* The word before the one starting at a, into [*pa, *pb); false if none. */
static bool prev_word(const split *sp, uint32_t start, uint32_t a, uint32_t *pa, uint32_t *pb)
{
    const char *w = sp->w;
    uint32_t b = a;
    while (b > start && is_ws(w[b - 1]))
        b--;
    if (b == start || b == a)
        return false;
    *pb = b;
    *pa = word_before(sp, start, b);
    return *pa < b;
}

/* A number: digits with , . / : between them ("2", "1,000", "2.5", "1/2",
 * "6:30"). */
static bool is_number(const char *s, size_t n)
{
    bool digit = false;
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != ',' && c != '.' && c != '/' && c != ':')
            return false;
    }
    return digit;
}

static bool prev_is_number(const split *sp, uint32_t start, uint32_t a)
{
    uint32_t pa, pb;
    return prev_word(sp, start, a, &pa, &pb) && is_number(sp->w + pa, pb - pa);
}

/* A year or a century before an era: "500 B.C.", "the 5th century B.C." */
static bool prev_is_date(const split *sp, uint32_t start, uint32_t a)
{
    uint32_t pa, pb;
    if (!prev_word(sp, start, a, &pa, &pb))
        return false;
    const char *s = sp->w + pa;
    size_t n = pb - pa;
    return is_number(s, n) || (n == 7 && memcmp(s, "century", 7) == 0) ||
           (n == 9 && memcmp(s, "centuries", 9) == 0) || (n == 10 && memcmp(s, "millennium", 10) == 0);
}

/* "a Ph.D.", "her M.D.", "Jane Roe, Ph.D.": a degree used as a noun or a
 * post-name title (not the "M.D." of "M.D. Anderson"). */
static bool degree_as_noun(const split *sp, uint32_t start, uint32_t a)
{
    static const char *const dets[] = { "a", "an", "the", "his", "her", "their",
                                        "its", "my", "your", "our", NULL };
    const char *w = sp->w;
    uint32_t pa, pb;
    if (!prev_word(sp, start, a, &pa, &pb))
        return false;
    if (w[pb - 1] == ',')
        return true;
    for (size_t k = 0; dets[k]; k++) {
        size_t m = strlen(dets[k]);
        if (pb - pa == m) {
            size_t j = 0;
            while (j < m && (w[pa + j] | 0x20) == dets[k][j])
                j++;
            if (j == m)
                return true;
        }
    }
    return false;
}

/* What the word w[a..i) before a single period is. */
static wclass classify(const split *sp, uint32_t start, uint32_t a, uint32_t i)
{
    const char *w = sp->w;
    /* leading punctuation off */
    while (a < i && !tx_is_letter((unsigned char)w[a]) && !tx_is_digit((unsigned char)w[a]) &&
           (unsigned char)w[a] < 0x80)
        a++;
    if (a >= i)
        return W_REGULAR;
    size_t n = i - a;
    const char *s = w + a;
    if (memchr(s, '@', n) || contains(s, n, "://") ||
        (n > 4 && memcmp(s, "www.", 4) == 0))
        return W_URL;
    bool digits = true, dots = false, letters_only = true;
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if (c == '.')
            dots = true;
        if (!((c >= '0' && c <= '9') || c == ',' || c == '.'))
            digits = false;
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            letters_only = false;
    }
    if (digits)
        return W_NUMBER;
    /* "N°" (numero) and the like: a prepositive sign before a number */
    if (n == 3 && (s[0] == 'N' || s[0] == 'n') && (unsigned char)s[1] == 0xC2 &&
        (unsigned char)s[2] == 0xB0)
        return W_PREPOSITIVE;
    if (dots) {
        /* dotted acronym: segments of one or two letters (U.S, a.m, Ph.D) */
        bool acro = true;
        size_t seg = 0;
        for (size_t k = 0; k < n && acro; k++) {
            char c = s[k];
            if (c == '.') {
                acro = seg > 0;
                seg = 0;
            } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                acro = ++seg <= 2;
            } else {
                acro = false;
            }
        }
        if (acro && seg > 0) {
            char low[8];
            size_t m = 0;
            for (size_t k = 0; k < n && m < sizeof low; k++)
                if (s[k] != '.')
                    low[m++] = (char)(s[k] | 0x20);
            /* a time after a number ("6 p.m.", "6:30 A.M."); "the P.M."
             * is the prime minister */
            if (m == 2 && ((low[0] == 'a' || low[0] == 'p') && low[1] == 'm') &&
                prev_is_number(sp, start, a))
                return W_TIME;
            uint32_t mask = tx_set_mask(low, m);
            if ((m == 2 && ((low[0] == 'i' && low[1] == 'e') || (low[0] == 'e' && low[1] == 'g'))) ||
                TX_IN_MASK(mask, TX_SET_NEVER))
                return W_NEVER;                 /* e.g. i.e. a.k.a. */
            /* an era after a year: "500 B.C.", "1066 A.D.", "70 C.E." */
            if (((m == 2 && ((low[0] == 'b' && low[1] == 'c') || (low[0] == 'a' && low[1] == 'd') ||
                             (low[0] == 'c' && low[1] == 'e'))) ||
                 (m == 3 && memcmp(low, "bce", 3) == 0)) &&
                prev_is_date(sp, start, a))
                return W_TIME;
            if (TX_IN_MASK(mask, TX_SET_DEGREE) && degree_as_noun(sp, start, a))
                return W_END;
            return W_ACRONYM;
        }
        /* "Lt.-Gen", "Brig.-Gen": judge the last part */
        const char *dash = NULL;
        for (size_t k = 0; k < n; k++)
            if (s[k] == '-')
                dash = s + k;
        if (dash) {
            size_t m = (size_t)(s + n - dash - 1);
            if (IN(prepositive, dash + 1, m))
                return W_PREPOSITIVE;
        }
        return W_REGULAR;
    }
    if (letters_only) {
        uint32_t mask = tx_set_mask(s, n);
        if (TX_IN_MASK(mask, TX_SET_NEVER))
            return W_NEVER;
        if (TX_IN_MASK(mask, TX_SET_UNIT) && prev_is_number(sp, start, a))
            return W_END;                   /* "2 oz." "10 km." */
        if (TX_IN_MASK(mask, prepositive)) {
            /* "Main St." / "5th St.": a street after its name may end */
            uint32_t pa, pb;
            if (n == 2 && (s[0] | 0x20) == 's' && (s[1] | 0x20) == 't' &&
                prev_word(sp, start, a, &pa, &pb) &&
                (is_ascii_upper((unsigned char)w[pa]) || tx_is_digit((unsigned char)w[pa])))
                return W_POSTPOSITIVE;
            return W_PREPOSITIVE;
        }
        if (n == 1) {
            if (s[0] == 'I') {
                /* "you and I." is the pronoun; "Albert I. Jones" an initial */
                uint32_t pa, pb;
                if (prev_word(sp, start, a, &pa, &pb) && is_ascii_lower((unsigned char)w[pa]))
                    return W_PRONOUN_I;
            }
            return W_INITIAL;
        }
        if (TX_IN_MASK(mask, TX_SET_ENDER))
            return W_END;
        if (TX_IN_MASK(mask, postpositive))
            return W_POSTPOSITIVE;
    }
    return W_REGULAR;
}

/* Is [start, i) only a fronted time phrase ("At 5")? */
static bool fronted_time_phrase(const split *sp, uint32_t start, uint32_t i)
{
    const char *w = sp->w;
    uint32_t ws, we;
    word_at(sp, start, &ws, &we);
    if (we == ws || !IN(fronting_preps, w + ws, we - ws))
        return false;
    unsigned words = 0;
    bool in = false;
    for (uint32_t k = start; k < i; k++) {
        if (is_ws(w[k]))
            in = false;
        else if (!in) {
            in = true;
            words++;
        }
    }
    return words <= 4;
}

/* Is the word at a the first of its sentence (only white space and opening
 * quotes or brackets between start and it)? */
static bool first_word(const split *sp, uint32_t start, uint32_t a)
{
    const char *w = sp->w;
    for (uint32_t k = start; k < a;) {
        int l;
        int32_t c = tx_utf8_at(w, sp->ue, k, &l);
        if (!tx_is_space(c) && !tx_is_open_quote(c))
            return false;
        k += (uint32_t)l;
    }
    return true;
}

/* Should a single period at i (followed by white space, then the next word
 * at np, which starts with a capital letter, or with a digit when `digit`)
 * end the sentence that started at start? */
static bool period_ends(const split *sp, uint32_t start, uint32_t i, uint32_t np, bool digit)
{
    const char *w = sp->w;
    uint32_t a = word_before(sp, start, i);
    wclass wc = classify(sp, start, a, i);
    if (digit) {
        /* "rose to 30. 12 of them": a digit opens a sentence after an
         * ordinary word or number, never after an abbreviation (p. 55) */
        return wc == W_REGULAR || wc == W_NUMBER || wc == W_URL || wc == W_PRONOUN_I;
    }
    uint32_t nws, nwe;
    word_at(sp, np, &nws, &nwe);
    const char *nw = w + nws;
    size_t nn = nwe - nws;
    switch (wc) {
    case W_NEVER:
        return false;
    case W_PREPOSITIVE:
        /* "said no. The", "modern art. The": the words no and art are
         * numero and article signs only before a number */
        if (i - a == 2 && (w[a] | 0x20) == 'n' && (w[a + 1] | 0x20) == 'o')
            return true;
        if (i - a == 3 && (w[a] | 0x20) == 'a' && (w[a + 1] | 0x20) == 'r' && (w[a + 2] | 0x20) == 't')
            return true;
        /* a title is never followed by an article or a pronoun that
         * cannot be a name ("promoted to Lt. Gen. The ceremony"; but "Gen.
         * He Weidong") */
        {
            static const char *const never_names[] = { "the", "a", "an", "this", "these",
                                                       "those", "they", "we", "it", "its",
                                                       "their", "there", "she", "i", NULL };
            for (size_t k = 0; never_names[k]; k++)
                if (strlen(never_names[k]) == nn) {
                    size_t j = 0;
                    while (j < nn && (nw[j] | 0x20) == never_names[k][j])
                        j++;
                    if (j == nn)
                        return true;
                }
        }
        return false;
    case W_TIME: {
        if (IN(time_words, nw, nn))
            return false;
        bool caps = nn >= 2 && nn <= 4;
        for (size_t k = 0; k < nn && caps; k++)
            caps = nw[k] >= 'A' && nw[k] <= 'Z';
        if (caps)
            return false;    /* a time zone: 5 p.m. EST */
        return !fronted_time_phrase(sp, start, i);
    }
    case W_END:
        return true;
    case W_INITIAL:
        if (first_word(sp, start, a))
            return false;    /* a label: "Q. What is his name?" */
        return IN(starters, nw, nn);
    case W_ACRONYM:
    case W_POSTPOSITIVE:
        return IN(starters, nw, nn);
    case W_URL:
    case W_NUMBER:
    case W_PRONOUN_I:
    case W_REGULAR:
        return true;
    }
    return true;
}

/* After a quotation that holds its own stop, does a capitalized word at q
 * begin the quote's tag ("Leave now!" Officer Ruiz shouted)?  Up to four
 * capitalized words (a name, a title), then a speech verb. */
static bool speech_tag_at(const split *sp, uint32_t q)
{
    const char *w = sp->w;
    uint32_t e = sp->ue;
    for (int words = 0; words < 5 && q < e; words++) {
        uint32_t s = q;
        while (q < e && (tx_is_letter((unsigned char)w[q]) || w[q] == '.' || w[q] == '-' ||
                         (unsigned char)w[q] >= 0x80))
            q++;
        if (q == s)
            return false;
        if (is_ascii_lower((unsigned char)w[s])) {
            size_t n = q - s;
            while (n > 0 && w[s + n - 1] == '.')
                n--;
            return IN(TX_SET_SPEECH, w + s, n);
        }
        if (q >= e || w[q] != ' ')
            return false;
        while (q < e && w[q] == ' ')
            q++;
    }
    return false;
}

/* Does the number at q open a sentence ("12 of the dead were children")?
 * It must be a plain number followed by a lower-case word: "3. 5mm" and
 * "802. 11AC" are a decimal broken by a stray space, "2015; 28:" a
 * reference. */
static bool number_opens_sentence(const split *sp, uint32_t q)
{
    const char *w = sp->w;
    uint32_t e = sp->ue;
    while (q < e && ((w[q] >= '0' && w[q] <= '9') || w[q] == ',' || w[q] == '.'))
        q++;
    if (q >= e || w[q] != ' ')
        return false;
    while (q < e && w[q] == ' ')
        q++;
    return q < e && is_ascii_lower((unsigned char)w[q]);
}

/* ---- quotations and brackets ------------------------------------------- */

enum { Q_NONE, Q_DOUBLE, Q_SINGLE, Q_PAREN, Q_BRACKET };

/* The longest quotation or bracket read as a whole; one that does not close
 * within it is read as unclosed (a quote running on to the next paragraph,
 * an inch mark), so a scan never goes further. */
#define QUOTE_SPAN_MAX 1024

/* Can a straight quote at k open a quotation (start, space, bracket or dash
 * before it; something other than a space after)? */
static bool opens_at(const split *sp, uint32_t k, int len)
{
    const char *w = sp->w;
    if (k + (uint32_t)len >= sp->ue || is_ws(w[k + (uint32_t)len]))
        return false;
    if (k == sp->us)
        return true;
    int l;
    int32_t c = tx_utf8_before(w, k, &l);
    return tx_is_space(c) || c == '(' || c == '[' || c == '{' || c == '"' || c == 0x201C ||
           c == 0x2018 || tx_is_dash(c) || c == '/';
}

/* Can a quote at k close one (a non-space before it; no letter or digit
 * after it, which would make it an apostrophe or an inch mark)?  For single
 * quotes, "rebels' lives" is a plural possessive, not a close. */
static bool closes_at(const split *sp, uint32_t k, int len, bool single)
{
    const char *w = sp->w;
    if (k == sp->us || is_ws(w[k - 1]))
        return false;
    uint32_t after = k + (uint32_t)len;
    if (after >= sp->ue)
        return true;
    int l;
    int32_t c = tx_utf8_at(w, sp->ue, after, &l);
    if (tx_is_letter(c) || tx_is_digit(c))
        return false;
    if (single && (w[k - 1] == 's' || w[k - 1] == 'S') && c == ' ' && after + 1 < sp->ue &&
        is_ascii_lower((unsigned char)w[after + 1]))
        return false;
    return true;
}

/* What quotation or bracket opens at i (c, l: the character there)? */
static int quote_opens(const split *sp, uint32_t i, int32_t c, int l)
{
    switch (c) {
    case '(':
        return Q_PAREN;
    case '[':
        return Q_BRACKET;
    case 0x201C:
    case 0x00AB:
        return Q_DOUBLE;
    case 0x2018:
        return Q_SINGLE;
    case '"':
        return opens_at(sp, i, l) ? Q_DOUBLE : Q_NONE;
    case '\'':
        if (opens_at(sp, i, l)) {
            int ll;
            int32_t n = tx_utf8_at(sp->w, sp->ue, i + 1, &ll);
            if (tx_is_letter(n) || tx_is_digit(n) || tx_is_open_quote(n))
                return Q_SINGLE;
        }
        return Q_NONE;
    default:
        return Q_NONE;
    }
}

/* Where the quotation or bracket of `kind` opened at i closes: the offset
 * of its closing character, or 0 if it does not close in reach.  The search
 * stops at the next opening of the same kind (nesting is not followed), so
 * every byte is looked at by at most one search per kind. */
static uint32_t quote_close(const split *sp, uint32_t i, int len, int kind)
{
    const char *w = sp->w;
    uint32_t lim = sp->ue - i > QUOTE_SPAN_MAX ? i + QUOTE_SPAN_MAX : sp->ue;
    for (uint32_t k = i + (uint32_t)len; k < lim;) {
        unsigned char b = (unsigned char)w[k];
        if (b == '\n')
            return 0;
        if (b < 0x80) {
            switch (kind) {
            case Q_PAREN:
                if (b == ')')
                    return k;
                if (b == '(')
                    return 0;
                break;
            case Q_BRACKET:
                if (b == ']')
                    return k;
                if (b == '[')
                    return 0;
                break;
            case Q_DOUBLE:
                if (b == '"') {
                    if (closes_at(sp, k, 1, false))
                        return k;
                    if (opens_at(sp, k, 1))
                        return 0;
                }
                break;
            case Q_SINGLE:
                if (b == '\'') {
                    if (closes_at(sp, k, 1, true))
                        return k;
                    if (quote_opens(sp, k, '\'', 1) == Q_SINGLE)
                        return 0;
                }
                break;
            }
            k++;
            continue;
        }
        int l;
        int32_t c = tx_utf8_at(w, sp->ue, k, &l);
        if (kind == Q_DOUBLE) {
            if (c == 0x201D || c == 0x00BB)
                return k;
            if (c == 0x201C || c == 0x00AB)
                return 0;
        } else if (kind == Q_SINGLE) {
            if (c == 0x2019 && closes_at(sp, k, l, true))
                return k;
            if (c == 0x2018)
                return 0;
        }
        k += (uint32_t)l;
    }
    return 0;
}

static bool is_terminal(int32_t c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }

/* Inside a quotation opened at o and closed at close, where the scan goes
 * on: the stop right before the close (which may end the sentence), or the
 * close itself.  Stops further inside are passed over. */
static uint32_t resume_in_quote(const split *sp, uint32_t o, uint32_t close)
{
    const char *w = sp->w;
    uint32_t k = close;
    while (k > o + 1) {
        int l;
        int32_t c = tx_utf8_before(w, k, &l);
        if (!is_terminal(c) && !tx_is_close_quote(c))
            break;
        k -= (uint32_t)l;
    }
    while (k < close) {
        int l;
        int32_t c = tx_utf8_at(w, sp->ue, k, &l);
        if (is_terminal(c))
            return k;
        k += (uint32_t)l;
    }
    return close;
}

/* A citation mark right after a stop: "[3]", "[12]", "[note 4]",
 * "[citation needed]" -- letters, digits, spaces, commas and dashes, short.
 * Returns the offset past it, or p if there is none. */
static uint32_t citation_end(const split *sp, uint32_t p)
{
    const char *w = sp->w;
    if (p >= sp->ue || w[p] != '[')
        return p;
    for (uint32_t k = p + 1; k < sp->ue && k <= p + 24; k++) {
        char c = w[k];
        if (c == ']')
            return k > p + 1 ? k + 1 : p;
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9') && c != ' ' &&
            c != ',' && c != '-' && c != ':')
            return p;
    }
    return p;
}

/* The no-space run-on "world.Today": period at i, w[i+1] upper, w[i+2]
 * lower, the char before a lower-case letter or digit, and the chunk not a
 * URL, e-mail address or dotted acronym. */
static bool runon_boundary(const split *sp, uint32_t start, uint32_t i)
{
    const char *w = sp->w;
    if (i + 2 >= sp->ue || i == start)
        return false;
    unsigned char b = (unsigned char)w[i - 1];
    if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
        return false;
    if (!(w[i + 1] >= 'A' && w[i + 1] <= 'Z') || !(w[i + 2] >= 'a' && w[i + 2] <= 'z'))
        return false;
    uint32_t a = word_before(sp, start, i);
    if (i - a < 2)
        return false;
    uint32_t e = i + 1;
    while (e < sp->ue && !is_ws(w[e]))
        e++;
    const char *s = w + a;
    size_t n = e - a;
    if (memchr(s, '@', n) || contains(s, n, "://") || contains(s, n, "www."))
        return false;
    return true;
}

/* ---- list markers --------------------------------------------------------- */

typedef struct mark {
    uint32_t pos, end;
    int32_t  value, alt;  /* place in a series (see series()), or -1 */
    bool     upper;       /* a capital letter follows */
} mark;

/* Series a marker value belongs to: numbers, lower letters, lower roman,
 * upper letters, upper roman; a bullet is -1. */
#define SER_LOWER 1000
#define SER_ROMAN 2000
#define SER_UPPER 3000
#define SER_UROMAN 4000

/* Marker candidates looked at per unit (a paragraph has a handful). */
#define MAX_MARKS 128

static bool word_start_before(const char *w, uint32_t us, uint32_t q)
{
    if (q == us || is_ws(w[q - 1]))
        return true;
    int l;
    return tx_is_bullet(tx_utf8_before(w, q, &l));    /* "⁃10." */
}

/* Roman numerals i to xx, lower or upper case: their value, or 0. */
static int roman_value(const char *s, size_t n)
{
    static const char *const romans[] = { "i", "ii", "iii", "iv", "v", "vi", "vii", "viii",
                                          "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
                                          "xvii", "xviii", "xix", "xx" };
    char low[6];
    if (n == 0 || n > 5)
        return 0;
    for (size_t k = 0; k < n; k++)
        low[k] = (char)(s[k] | 0x20);
    for (int v = 0; v < 20; v++)
        if (strlen(romans[v]) == n && memcmp(romans[v], low, n) == 0)
            return v + 1;
    return 0;
}

static bool adjacent(const mark *x, const mark *y)
{
    int32_t xv[2] = { x->value, x->alt }, yv[2] = { y->value, y->alt };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (xv[i] >= 0 && yv[j] >= 0 && xv[i] / 1000 == yv[j] / 1000 &&
                (xv[i] == yv[j] + 1 || xv[i] == yv[j] - 1))
                return true;
    return false;
}

/* Find inline list markers in the unit: mid-line bullets, and numbered,
 * lettered or roman-numbered items that form a sequence ("1." "2.", "a)"
 * "b)", "(i)" "(ii)").  An item must start with a capital letter, unless
 * three or more items follow each other ("a) here b) there c) again").
 * Results in wk->marks as pos,end pairs, in order. */
/* Is there a numbered or lettered item marker ending with the '.' or ')'
 * at p?  Fills *m. */
static bool marker_at(const split *sp, uint32_t p, mark *m)
{
    const char *w = sp->w;
    unsigned char b = (unsigned char)w[p];
    /* the marker's end: "1." "1)" "1.)" "a." "a)" "(a)" "(iv)" then a space */
    uint32_t end = p + 1;
    if (b == '.' && end < sp->ue && w[end] == ')')
        end++;
    if (b == ')' && p > sp->us && w[p - 1] == '.')
        return false;                       /* the ')' of ".)" was seen */
    if (end >= sp->ue || w[end] != ' ')
        return false;
    bool paren = end > p + 1 || b == ')';
    uint32_t q = p;
    int32_t v, alt = -1;
    if (q > sp->us && w[q - 1] >= '0' && w[q - 1] <= '9') {
        uint32_t d = q;
        while (d > sp->us && q - d < 3 && w[d - 1] >= '0' && w[d - 1] <= '9')
            d--;
        if (d > sp->us && w[d - 1] >= '0' && w[d - 1] <= '9')
            return false;                   /* more than three digits */
        v = 0;
        for (uint32_t k = d; k < q; k++)
            v = v * 10 + (w[k] - '0');
        q = d;
    } else if (q > sp->us && ((w[q - 1] | 0x20) >= 'a' && (w[q - 1] | 0x20) <= 'z')) {
        /* one letter ("a." "b)"), or a roman numeral in a bracket
         * ("iv)" "(iv)"); most periods end a longer word, so that is
         * ruled out first */
        bool up = is_ascii_upper((unsigned char)w[q - 1]);
        bool one = q - 1 == sp->us || !tx_is_letter((unsigned char)w[q - 2]);
        if (one) {
            if (up && !paren)
                return false;               /* "E. Smith" is an initial */
            v = (up ? SER_UPPER : SER_LOWER) + ((w[q - 1] | 0x20) - 'a');
            int r = roman_value(w + q - 1, 1);
            if (r)
                alt = (up ? SER_UROMAN : SER_ROMAN) + r;
            q--;
        } else {
            if (!paren)
                return false;
            uint32_t d = q;
            while (d > sp->us && q - d < 6 && tx_is_letter((unsigned char)w[d - 1]))
                d--;
            int r = roman_value(w + d, q - d);
            if (!r)
                return false;
            v = (up ? SER_UROMAN : SER_ROMAN) + r;
            q = d;
        }
    } else {
        return false;
    }
    if (q > sp->us && w[q - 1] == '(') {
        if (b != ')')
            return false;
        q--;
    }
    if (!word_start_before(w, sp->us, q))
        return false;
    uint32_t r = end;
    while (r < sp->ue && w[r] == ' ')
        r++;
    int l;
    if (r >= sp->ue)
        return false;
    int32_t nx = tx_utf8_at(w, sp->ue, r, &l);
    if (!tx_is_upper(nx) && !tx_is_lower(nx))
        return false;
    *m = (mark){ q, end, v, alt, tx_is_upper(nx) };
    return true;
}

/* Find inline list markers in the unit: mid-line bullets, and numbered,
 * lettered or roman-numbered items that form a sequence ("1." "2.", "a)"
 * "b)", "(i)" "(ii)").  An item must start with a capital letter, unless
 * three or more items follow each other ("a) here b) there c) again").
 * Results in wk->marks as pos,end pairs, in order.  The bytes a marker can
 * end with ('.', ')', and the lead bytes C2 and E2 of the bullets) are
 * found with memchr, which is many times faster than a byte loop. */
static sr_err find_marks(split *sp)
{
    tx_work *wk = sp->wk;
    const char *w = sp->w;
    wk->nmarks = 0;
    mark cand[MAX_MARKS];
    size_t nc = 0;
    static const unsigned char ends[4] = { '.', ')', 0xC2, 0xE2 };
    for (int e = 0; e < 4; e++) {
        const char *p = w + sp->us, *lim = w + sp->ue;
        while (nc < MAX_MARKS && (p = memchr(p, ends[e], (size_t)(lim - p))) != NULL) {
            uint32_t at = (uint32_t)(p - w);
            p++;
            if (e >= 2) {
                int l;
                int32_t c = tx_utf8_at(w, sp->ue, at, &l);
                if (tx_is_bullet(c) && at > sp->us && is_ws(w[at - 1]))
                    cand[nc++] = (mark){ at, at + (uint32_t)l, -1, -1, true };
                continue;
            }
            mark m;
            if (marker_at(sp, at, &m))
                cand[nc++] = m;
        }
    }
    /* in text order */
    for (size_t k = 1; k < nc; k++)
        for (size_t j = k; j > 0 && cand[j - 1].pos > cand[j].pos; j--) {
            mark t = cand[j];
            cand[j] = cand[j - 1];
            cand[j - 1] = t;
        }
    for (size_t k = 0; k < nc; k++) {
        bool keep = cand[k].value == -1 || cand[k].pos == sp->us;
        if (!keep) {
            bool prev = false, next = false;
            for (size_t j = 0; j < nc; j++) {
                if (j == k || cand[j].value < 0 || !adjacent(&cand[j], &cand[k]))
                    continue;
                if (j < k)
                    prev = true;
                else
                    next = true;
            }
            /* a lower-case item needs a run of three: itself and one on
             * each side, or two after it, or two before it */
            if (cand[k].upper)
                keep = prev || next;
            else if (prev && next)
                keep = true;
            else if (next && k + 2 < nc && adjacent(&cand[k + 1], &cand[k + 2]) &&
                     adjacent(&cand[k], &cand[k + 1]))
                keep = true;
            else if (prev && k >= 2 && adjacent(&cand[k - 1], &cand[k - 2]) &&
                     adjacent(&cand[k], &cand[k - 1]))
                keep = true;
        }
        if (!keep)
            continue;
        if (wk->nmarks + 2 > wk->markcap &&
            sr_grow((void **)&wk->marks, &wk->markcap, wk->nmarks + 2, sizeof *wk->marks) != SR_OK)
            return SR_ENOMEM;
        wk->marks[wk->nmarks++] = cand[k].pos;
        wk->marks[wk->nmarks++] = cand[k].end;
    }
    return SR_OK;
}

/* ---- datelines ------------------------------------------------------------ */

/* "ISLAMABAD, Dec 5 (Reuters) - " at the unit start: return the offset just
 * after the dash, or 0. */
static uint32_t dateline_end(const split *sp)
{
    const char *w = sp->w;
    uint32_t p = sp->us, e = sp->ue;
    unsigned caps = 0;
    while (p < e && ((w[p] >= 'A' && w[p] <= 'Z') || w[p] == ' ' || w[p] == '.' || w[p] == '\'')) {
        if (w[p] >= 'A' && w[p] <= 'Z')
            caps++;
        p++;
    }
    if (caps < 3 || p >= e)
        return 0;
    /* the caps run must end as a word */
    if ((w[p] >= 'a' && w[p] <= 'z'))
        return 0;
    uint32_t lim = sp->us + 90 < e ? sp->us + 90 : e;
    for (uint32_t q = p; q + 2 < lim; q++) {
        if (w[q] == '.' && q + 2 < e && w[q + 1] == ' ' && w[q + 2] >= 'A' && w[q + 2] <= 'Z')
            return 0;    /* a sentence ends first: no dateline */
        if (w[q] != ' ')
            continue;
        int l;
        int32_t c = tx_utf8_at(w, e, q + 1, &l);
        if (!tx_is_dash(c))
            continue;
        uint32_t r = q + 1 + (uint32_t)l;
        if (r < e && w[r] == '-')
            r++;
        if (r < e && w[r] == ' ')
            return r + 1;
    }
    return 0;
}

/* ---- the scan ------------------------------------------------------------- */

static bool is_close(const char *w, uint32_t e, uint32_t p, int *l)
{
    int32_t c = tx_utf8_at(w, e, p, l);
    return tx_is_close_quote(c);
}

/* A full-width stop (U+FF0E, U+FF01, U+FF1F, U+3002): CJK-style text ends
 * a sentence there with or without a space after it. */
static bool is_fullwidth_stop(int32_t c)
{
    return c == 0xFF0E || c == 0xFF01 || c == 0xFF1F || c == 0x3002;
}

static sr_err split_unit(split *sp)
{
    const char *w = sp->w;
    uint32_t ue = sp->ue;
    if (sp->kind == SR_UNIT_HEADING)
        return emit(sp, sp->us, ue);
    uint32_t start = sp->us;
    uint32_t dl = dateline_end(sp);
    if (dl) {
        uint8_t k = sp->kind;
        sp->kind = SR_UNIT_HEADING;
        if (emit(sp, sp->us, dl) != SR_OK)
            return SR_ENOMEM;
        sp->kind = k == SR_UNIT_HEADING ? SR_UNIT_SENTENCE : k;
        sp->first_raw = sp->wk->nraw;
        start = dl;
    }
    if (find_marks(sp) != SR_OK)
        return SR_ENOMEM;
    size_t mi = 0;
    const uint32_t *marks = sp->wk->marks;
    size_t nmarks = sp->wk->nmarks;
    /* bytes the scan stops at: stops, quotes and brackets that may open a
     * quotation, the lead bytes of « (C2), … “ ‘ (E2) and full-width stops,
     * and soft line breaks (which end an inline list item) */
    static const unsigned char stop[256] = {
        ['.'] = 1, ['!'] = 1, ['?'] = 1, ['"'] = 2, ['\''] = 2, ['('] = 2, ['['] = 2,
        [0xC2] = 3, [0xE2] = 3, [0xE3] = 3, [0xEF] = 3, ['\v'] = 4,
    };
    uint32_t i = start;
    bool in_item = false;   /* the sentence being read is an inline list item */
    uint32_t br_open = 0, br_close = UINT32_MAX;   /* the last bracket read whole */
    while (i < ue) {
        while (mi < nmarks && marks[mi] < i)
            mi += 2;
        uint32_t lim = mi < nmarks && marks[mi] < ue ? marks[mi] : ue;
        while (i < lim && !stop[(unsigned char)w[i]])
            i++;
        if (i >= ue)
            break;
        if (mi < nmarks && marks[mi] == i) {
            if (i > start && has_alnum(w, start, i)) {
                if (emit(sp, start, i) != SR_OK)
                    return SR_ENOMEM;
                start = i;
            }
            in_item = true;
            i = marks[mi + 1];
            mi += 2;
            continue;
        }
        unsigned char b = (unsigned char)w[i];
        if (b == '\v') {
            /* a line break ends an inline list item before a capital
             * ("c. one more\n They went to the store.") */
            uint32_t r = i + 1;
            while (r < ue && is_ws(w[r]))
                r++;
            if (in_item && r < ue && is_ascii_upper((unsigned char)w[r]) && has_alnum(w, start, i)) {
                if (emit(sp, start, i) != SR_OK)
                    return SR_ENOMEM;
                start = r;
                in_item = false;
            }
            i = r;
            continue;
        }
        int l = 1;
        int32_t c = b;
        if (b >= 0x80)
            c = tx_utf8_at(w, ue, i, &l);
        if (stop[b] >= 2) {
            int kind = quote_opens(sp, i, c, l);
            if (kind != Q_NONE) {
                /* a quotation or bracket read as a whole */
                uint32_t close = quote_close(sp, i, l, kind);
                if (close) {
                    if (kind == Q_PAREN || kind == Q_BRACKET) {
                        br_open = i;
                        br_close = close;
                    }
                    i = resume_in_quote(sp, i, close);
                    if (i == close)
                        i += (uint32_t)(tx_utf8_at(w, ue, close, &l), l);
                    continue;
                }
            }
            if (is_fullwidth_stop(c)) {
                uint32_t p = i + (uint32_t)l;
                while (p < ue) {
                    int32_t d = tx_utf8_at(w, ue, p, &l);
                    if (!is_fullwidth_stop(d) && d != '!' && d != '?' && !tx_is_close_quote(d))
                        break;
                    p += (uint32_t)l;
                }
                uint32_t next = p;
                while (next < ue && is_ws(w[next]))
                    next++;
                if (next < ue && !tx_is_lower(tx_utf8_at(w, ue, next, &l)) &&
                    has_alnum(w, start, p)) {
                    if (emit(sp, start, p) != SR_OK)
                        return SR_ENOMEM;
                    start = p;
                }
                i = p;
                continue;
            }
            if (c != 0x2026) {
                i += (uint32_t)l;
                continue;
            }
        }
        /* the terminal cluster */
        bool attached = i > start && !is_ws(w[i - 1]);
        uint32_t p = i;
        unsigned dots = 0, bangs = 0;
        while (p < ue) {
            if (w[p] == '.') {
                dots++;
                p++;
            } else if (w[p] == '!' || w[p] == '?') {
                bangs++;
                p++;
            } else if ((unsigned char)w[p] == 0xE2 && tx_utf8_at(w, ue, p, &l) == 0x2026) {
                dots += 3;
                p += 3;
            } else {
                break;
            }
        }
        unsigned attached_dots = dots;
        unsigned spaced = 0;
        while (bangs == 0 && p + 1 < ue && w[p] == ' ' && w[p + 1] == '.') {
            p += 2;
            spaced++;
            while (p < ue && w[p] == '.') {
                p++;
                spaced++;
            }
        }
        /* "? ? ?", "! ! !": one spaced cluster */
        while (dots == 0 && p + 1 < ue && w[p] == ' ' && (w[p + 1] == '?' || w[p + 1] == '!')) {
            p += 2;
            while (p < ue && (w[p] == '?' || w[p] == '!'))
                p++;
        }
        /* a period followed by a spaced ellipsis: "compounds. . . . The" */
        uint32_t bpos;
        bool single = (dots == 1 && bangs == 0 && spaced == 0);
        bool quoted = false;   /* a closing quote follows the stop */
        if (attached && attached_dots == 1 && bangs == 0 && spaced >= 3) {
            bpos = i + 1;
        } else {
            /* closing quotes and brackets, then citation marks: "forces.[3]" */
            bpos = p;
            bool bracket = false;   /* "[?][note]": the stop was a bracket's */
            for (;;) {
                int cl;
                if (bpos < ue && is_close(w, ue, bpos, &cl)) {
                    unsigned char q = (unsigned char)w[bpos];
                    if (q != ')' && q != ']' && q != '}')
                        quoted = true;
                    else
                        bracket = true;
                    bpos += (uint32_t)cl;
                    continue;
                }
                uint32_t ce = bracket ? bpos : citation_end(sp, bpos);
                if (ce == bpos)
                    break;
                bpos = ce;
            }
        }
        uint32_t next = bpos;
        if (bpos < ue && !is_ws(w[bpos])) {
            /* no space after: only the "world.Today" run-on splits */
            if (single && bpos == i + 1 && runon_boundary(sp, start, i)) {
                if (emit(sp, start, bpos) != SR_OK)
                    return SR_ENOMEM;
                start = bpos;
            }
            i = p > i ? p : i + 1;
            continue;
        }
        while (next < ue && is_ws(w[next]))
            next++;
        if (next >= ue) {
            i = ue;
            break;
        }
        /* what starts the next sentence */
        uint32_t q = next;
        int32_t nc = tx_utf8_at(w, ue, q, &l);
        while (tx_is_open_quote(nc) && q + (uint32_t)l < ue) {
            q += (uint32_t)l;
            nc = tx_utf8_at(w, ue, q, &l);
        }
        bool ends;
        if (bangs > 0 && dots == 0) {
            if (tx_is_dash(nc)) {
                /* "voila! -- you have cake" goes on; "see? - Posted" ends */
                uint32_t r = q;
                while (r < ue && (is_ws(w[r]) || tx_is_dash(tx_utf8_at(w, ue, r, &l))))
                    r += is_ws(w[r]) ? 1 : (uint32_t)l;
                nc = r < ue ? tx_utf8_at(w, ue, r, &l) : 0;
                ends = tx_is_upper(nc);
            } else {
                ends = !tx_is_lower(nc) && nc != ',' && nc != ';' && nc != ':';
            }
            if (ends && quoted && tx_is_upper(nc) && speech_tag_at(sp, q))
                ends = false;
            /* 'Well!' thought Alice, '... the house!' (Which was true.):
             * a bracket right after a quoted exclamation or question is an
             * aside on it */
            if (ends && quoted && w[next] == '(')
                ends = false;
        } else if (bpos == i + 1 && spaced >= 3) {
            /* after "compounds." comes ". . . The": ends unless the text
             * goes on in lower case after the spaced dots */
            uint32_t r = p;
            int cl;
            while (r < ue && (is_ws(w[r]) || is_close(w, ue, r, &cl)))
                r += is_ws(w[r]) ? 1 : (uint32_t)cl;
            ends = r >= ue || !tx_is_lower(tx_utf8_at(w, ue, r, &cl));
        } else if (!single && p < ue && w[p] == ']') {
            ends = false;                    /* "stairways [...]" */
        } else if (single && quoted) {
            /* the quote held its own stop: it ends the sentence whatever
             * word the period closed (He said "we left the U.S." Then ...) */
            ends = tx_is_upper(nc);
        } else if (single && tx_is_digit(nc)) {
            ends = number_opens_sentence(sp, q) && period_ends(sp, start, i, q, true);
        } else if (!tx_is_upper(nc)) {
            ends = false;
        } else if (single) {
            ends = period_ends(sp, start, i, next, false);
        } else if (!attached) {
            ends = dots + spaced >= 4;      /* ". . . ." closes; ". . ." not */
        } else {
            ends = true;                     /* "that.... She", "mean... She" */
        }
        /* a stop that closes a bracket opened inside the sentence is the
         * bracket's own ("Gen. (ret.) John Allen", "science (He worked as an
         * engineer.) at"); only a bracket that opens the sentence can end it
         * ("(It had been closed since March.) Ships queued") */
        if (ends && br_close >= p && br_close < bpos && !first_word(sp, start, br_open)) {
            uint32_t nws, nwe;
            word_at(sp, next, &nws, &nwe);
            ends = IN(starters, w + nws, nwe - nws);  /* "(about 5°C.) The troops" */
        }
        if (ends && has_alnum(w, start, bpos)) {
            if (emit(sp, start, bpos) != SR_OK)
                return SR_ENOMEM;
            start = bpos;
            i = bpos;
            in_item = false;
        } else {
            i = p > i ? p : i + 1;
        }
    }
    return emit(sp, start, ue);
}

sr_err tx_split(tx_work *wk)
{
    wk->nraw = 0;
    for (size_t u = 0; u < wk->nunits; u++) {
        split sp = { wk, wk->w, wk->units[u].start, wk->units[u].end, (uint32_t)u,
                     wk->units[u].kind, wk->nraw };
        if (split_unit(&sp) != SR_OK)
            return SR_ENOMEM;
    }
    return SR_OK;
}
