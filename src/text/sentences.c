/*
 * sentences.c - stage 4: English news sentence splitting, one unit at a time.
 *
 * Rule-based, in the line of the pragmatic segmenter and pySBD, but as one
 * left-to-right scan with no regular expressions, so it runs at memory
 * speed.  A boundary is a terminal cluster (. ! ? … and runs of them, with
 * the closing quotes and brackets after it) followed by white space and a
 * word that can start a sentence.  What makes English news hard is the
 * period that does not end anything:
 *   - prepositive titles and ranks (Gen. Asim Munir, Lt. Col., Mt. Fuji)
 *     never end a sentence before a capitalized word;
 *   - initials (Jonas E. Smith), dotted acronyms (U.S., E.U.) and common
 *     postpositive abbreviations (Co., Jr., etc.) end one only when the next
 *     word is one that typically opens a sentence (The, He, How, ...): "the
 *     U.S. Government" goes on, "the U.S. How about you?" stops;
 *   - a.m./p.m. end one before a capital unless the capital is a day, month
 *     or time zone, or what came before is only a fronted time phrase
 *     ("At 5 a.m. Mr. Smith went ...");
 *   - a lower-case word or a digit after the period continues ("p. 55",
 *     "Co. at noon"), as does a period with no space after it, except the
 *     run-on "world.Today" typing slip, which is split unless the chunk is
 *     a URL or an e-mail address;
 *   - ellipses: ". . ." spaced or "..." attached; four dots or a period
 *     followed by a spaced ellipsis close a sentence, three do not;
 *   - numbered and lettered lists inline ("1.) first 2.) second", "a. ... b.
 *     ...") and mid-line bullets start new sentences when they form a
 *     sequence;
 *   - a dateline ("ISLAMABAD, Dec 5 (Reuters) -") is a unit of its own so the
 *     coder does not take the city for an actor of the first sentence.
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
    return IN(prepositive, s, n) || IN(postpositive, s, n);
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
               W_AMPM, W_NEVER, W_PREPOSITIVE, W_POSTPOSITIVE } wclass;

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
        size_t seg = 0, nseg = 1;
        for (size_t k = 0; k < n && acro; k++) {
            char c = s[k];
            if (c == '.') {
                acro = seg > 0;
                seg = 0;
                nseg++;
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
            if (m == 2 && ((low[0] == 'a' || low[0] == 'p') && low[1] == 'm'))
                return W_AMPM;
            if (m == 2 && ((low[0] == 'i' && low[1] == 'e') || (low[0] == 'e' && low[1] == 'g')))
                return W_NEVER;
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
        if (IN(prepositive, s, n))
            return W_PREPOSITIVE;
        if (n == 1) {
            if (s[0] == 'I') {
                /* "you and I." is the pronoun; "Albert I. Jones" an initial */
                uint32_t pb = a;
                while (pb > start && is_ws(w[pb - 1]))
                    pb--;
                if (pb > start) {
                    uint32_t pa = word_before(sp, start, pb);
                    if (pa < pb && (unsigned char)w[pa] >= 'a' && (unsigned char)w[pa] <= 'z')
                        return W_PRONOUN_I;
                }
            }
            return W_INITIAL;
        }
        if (IN(postpositive, s, n))
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

/* Should a single period at i (followed by white space, then next word at
 * np) end the sentence that started at start? */
static bool period_ends(const split *sp, uint32_t start, uint32_t i, uint32_t np)
{
    const char *w = sp->w;
    uint32_t nws, nwe;
    word_at(sp, np, &nws, &nwe);
    uint32_t a = word_before(sp, start, i);
    wclass wc = classify(sp, start, a, i);
    const char *nw = w + nws;
    size_t nn = nwe - nws;
    switch (wc) {
    case W_NEVER:
    case W_PREPOSITIVE:
        return false;
    case W_AMPM: {
        if (IN(time_words, nw, nn))
            return false;
        bool caps = nn >= 2 && nn <= 4;
        for (size_t k = 0; k < nn && caps; k++)
            caps = nw[k] >= 'A' && nw[k] <= 'Z';
        if (caps)
            return false;    /* a time zone: 5 p.m. EST */
        return !fronted_time_phrase(sp, start, i);
    }
    case W_INITIAL:
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
    int32_t  value;   /* number, letter index + 1000, or -1 for a bullet */
} mark;

/* Find inline list markers in the unit: mid-line bullets, and numbered or
 * lettered items that form a sequence (1., 2. / a), b)).  Results in
 * wk->marks as pos,end pairs, in order. */
static bool word_start_before(const char *w, uint32_t us, uint32_t q)
{
    if (q == us || is_ws(w[q - 1]))
        return true;
    int l;
    return tx_is_bullet(tx_utf8_before(w, q, &l));    /* "⁃10." */
}

static sr_err find_marks(split *sp)
{
    /* bytes where a marker can end: '.', ')' and the lead bytes of the
     * bullets (U+00B7 is C2 B7; the others are E2 xx xx) */
    static const unsigned char special[256] = {
        ['.'] = 1, [')'] = 1, [0xC2] = 1, [0xE2] = 1,
    };
    tx_work *wk = sp->wk;
    const char *w = sp->w;
    wk->nmarks = 0;
    mark cand[64];
    size_t nc = 0;
    for (uint32_t p = sp->us; p < sp->ue && nc < 64; p++) {
        unsigned char b = (unsigned char)w[p];
        if (!special[b])
            continue;
        if (b >= 0x80) {
            int l;
            int32_t c = tx_utf8_at(w, sp->ue, p, &l);
            if (tx_is_bullet(c) && p > sp->us && is_ws(w[p - 1]))
                cand[nc++] = (mark){ p, p + (uint32_t)l, -1 };
            p += (uint32_t)l - 1;
            continue;
        }
        /* the marker's end: "1." "1)" "1.)" "a." "a)" then a space */
        uint32_t end = p + 1;
        if (b == '.' && end < sp->ue && w[end] == ')')
            end++;
        if (b == ')' && p > sp->us && w[p - 1] == '.')
            continue;                       /* the ')' of ".)" was seen */
        if (end >= sp->ue || w[end] != ' ')
            continue;
        uint32_t q = p;
        int32_t v;
        if (q > sp->us && w[q - 1] >= '0' && w[q - 1] <= '9') {
            uint32_t d = q;
            while (d > sp->us && q - d < 3 && w[d - 1] >= '0' && w[d - 1] <= '9')
                d--;
            if (d > sp->us && w[d - 1] >= '0' && w[d - 1] <= '9')
                continue;                   /* more than three digits */
            v = 0;
            for (uint32_t k = d; k < q; k++)
                v = v * 10 + (w[k] - '0');
            q = d;
        } else if (q > sp->us && w[q - 1] >= 'a' && w[q - 1] <= 'z') {
            v = 1000 + (w[q - 1] - 'a');
            q--;
        } else {
            continue;
        }
        if (!word_start_before(w, sp->us, q))
            continue;
        uint32_t r = end;
        while (r < sp->ue && w[r] == ' ')
            r++;
        int l;
        if (r < sp->ue && tx_is_upper(tx_utf8_at(w, sp->ue, r, &l)))
            cand[nc++] = (mark){ q, end, v };
    }
    for (size_t k = 0; k < nc; k++) {
        bool keep = cand[k].value == -1 || cand[k].pos == sp->us;
        for (size_t j = 0; j < nc && !keep; j++)
            keep = j != k && cand[j].value >= 0 &&
                   (cand[j].value == cand[k].value + 1 || cand[j].value == cand[k].value - 1) &&
                   (cand[j].value >= 1000) == (cand[k].value >= 1000);
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
    static const unsigned char stop[256] = { ['.'] = 1, ['!'] = 1, ['?'] = 1, [0xE2] = 1 };
    uint32_t i = start;
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
            i = marks[mi + 1];
            mi += 2;
            continue;
        }
        unsigned char b = (unsigned char)w[i];
        if (b != '.' && b != '!' && b != '?' && b != 0xE2) {
            i++;
            continue;
        }
        int l;
        int32_t c = tx_utf8_at(w, ue, i, &l);
        if (b == 0xE2 && c != 0x2026) {
            i += (uint32_t)l;
            continue;
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
        /* a period followed by a spaced ellipsis: "compounds. . . . The" */
        uint32_t bpos;
        bool single = (dots == 1 && bangs == 0 && spaced == 0);
        if (attached && attached_dots == 1 && bangs == 0 && spaced >= 3) {
            bpos = i + 1;
        } else {
            bpos = p;
            int cl;
            while (bpos < ue && is_close(w, ue, bpos, &cl))
                bpos += (uint32_t)cl;
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
            ends = !tx_is_lower(nc) && nc != ',' && nc != ';' && nc != ':' && !tx_is_dash(nc);
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
        } else if (!tx_is_upper(nc)) {
            ends = false;
        } else if (single) {
            ends = period_ends(sp, start, i, next);
        } else if (!attached) {
            ends = dots + spaced >= 4;      /* ". . . ." closes; ". . ." not */
        } else {
            ends = true;                     /* "that.... She", "mean... She" */
        }
        if (ends && has_alnum(w, start, bpos)) {
            if (emit(sp, start, bpos) != SR_OK)
                return SR_ENOMEM;
            start = bpos;
            i = bpos;
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
