/*
 * brief.c - a story's brief: what is claimed, by whom, how firmly, and where
 * outlets disagree.
 *
 * Claims come from two places:
 *   - the coder's event mentions, grouped by dyad (the actors' countries)
 *     and kind of action.  Meetings, visits and talks (CAMEO 04) are one
 *     kind; statements of intent, diplomatic and material cooperation
 *     (03, 05, 06) are another, because outlets describing one happening
 *     pick different verbs for it and a brief should not split hairs the
 *     outlets did not.  Consult and cooperate are symmetric: the dyad is
 *     unordered.
 *   - attributes read from the text: a person's title ("Field Marshal Asim
 *     Munir") and an amount ("a reportedly multi-billion-dollar defence
 *     deal").  These are where outlets most often disagree in practice.
 *
 * Each claim lists its outlets with the firmest modality each used
 * (asserted > reported > hedged > future > negated), counts independent
 * reports (near-copies once), and is marked single-source when one outlet
 * carries it.  A contradiction is one subject (a person's title, the
 * amount of a deal) given different values by different outlets.
 *
 * Everything is rebuilt from the stored documents and mentions when a brief
 * is asked for, so it is always current and never stored.
 */
#include "sitrep/story.h"
#include "sitrep/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static char *dup0(const char *s)
{
    return s ? dupn(s, strlen(s)) : NULL;
}

const char *sr_claim_kind_name(sr_claim_kind k)
{
    switch (k) {
    case SR_CLAIM_EVENT: return "event";
    case SR_CLAIM_TITLE: return "title";
    case SR_CLAIM_AMOUNT: return "amount";
    }
    return "event";
}

const char *sr_cameo_root_name(const char *root)
{
    static const char *const names[] = {
        "", "make a public statement", "appeal", "express intent to cooperate",
        "consult", "engage in diplomatic cooperation", "engage in material cooperation",
        "provide aid", "yield", "investigate", "demand", "disapprove", "reject",
        "threaten", "protest", "exhibit force posture", "reduce relations", "coerce",
        "assault", "fight", "use unconventional mass violence",
    };
    if (!root || !isdigit((unsigned char)root[0]) || !isdigit((unsigned char)root[1]))
        return "";
    int r = (root[0] - '0') * 10 + root[1] - '0';
    return r >= 1 && r <= 20 ? names[r] : "";
}

/* ---- building up claims ------------------------------------------------------- */

typedef struct acc_claim {
    sr_brief_claim c;
    int64_t *docs;          /* independent documents (roots) */
    size_t ndocs, capdocs;
    size_t capoutlets;
    /* events: counts of the codes seen, to name the most frequent */
    char codes[16][40];     /* "SRC>TGT>CODE" */
    size_t code_n[16];
    size_t ncodes;
} acc_claim;

typedef struct builder {
    acc_claim *v;
    size_t n, cap;
    const sr_brief_doc *docs;
    size_t ndocs;
    sr_textdoc td;          /* sentences of the document being scanned */
} builder;

static const sr_brief_doc *doc_by_id(const builder *b, int64_t id)
{
    for (size_t i = 0; i < b->ndocs; i++)
        if (b->docs[i].id == id)
            return &b->docs[i];
    return NULL;
}

static int64_t root_doc(const builder *b, const sr_brief_doc *d)
{
    /* a near-copy counts as its original (if the original is in this story
     * or not: either way it is not an independent report) */
    (void)b;
    return d->copy_of ? d->copy_of : d->id;
}

static acc_claim *find_claim(builder *b, sr_claim_kind kind, const char *subject,
                             const char *value)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].c.kind == kind && strcmp(b->v[i].c.subject, subject) == 0 &&
            strcmp(b->v[i].c.value, value) == 0)
            return &b->v[i];
    if (sr_grow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v))
        return NULL;
    acc_claim *a = &b->v[b->n];
    memset(a, 0, sizeof *a);
    a->c.kind = kind;
    a->c.subject = dup0(subject);
    a->c.value = dup0(value);
    a->c.modality = SR_MOD_NEGATED;
    if (!a->c.subject || !a->c.value) {
        free(a->c.subject);
        free(a->c.value);
        return NULL;
    }
    b->n++;
    return a;
}

/* How firmly a modality commits the outlet: asserted > reported > hedged >
 * future > negated (lower is firmer). */
static int firmness(sr_modality m)
{
    switch (m) {
    case SR_MOD_ASSERTED: return 0;
    case SR_MOD_REPORTED: return 1;
    case SR_MOD_HEDGED: return 2;
    case SR_MOD_FUTURE: return 3;
    case SR_MOD_NEGATED: return 4;
    }
    return 4;
}

static sr_err support(acc_claim *a, const builder *b, const sr_brief_doc *d,
                      sr_modality mod, const char *example)
{
    if (a->c.noutlets == 0)
        a->c.modality = mod;
    size_t i;
    for (i = 0; i < a->c.noutlets; i++)
        if (strcmp(a->c.outlets[i].outlet, d->outlet) == 0)
            break;
    if (i == a->c.noutlets) {
        if (sr_grow((void **)&a->c.outlets, &a->capoutlets, i + 1, sizeof *a->c.outlets))
            return SR_ENOMEM;
        a->c.outlets[i].outlet = dup0(d->outlet);
        if (!a->c.outlets[i].outlet)
            return SR_ENOMEM;
        a->c.outlets[i].modality = mod;
        a->c.noutlets++;
    } else if (firmness(mod) < firmness(a->c.outlets[i].modality)) {
        a->c.outlets[i].modality = mod;
    }
    if (firmness(mod) < firmness(a->c.modality))
        a->c.modality = mod;
    int64_t r = root_doc(b, d);
    size_t k;
    for (k = 0; k < a->ndocs && a->docs[k] != r; k++)
        ;
    if (k == a->ndocs) {
        if (sr_grow((void **)&a->docs, &a->capdocs, k + 1, sizeof *a->docs))
            return SR_ENOMEM;
        a->docs[a->ndocs++] = r;
    }
    if (!a->c.example && example && *example) {
        a->c.example = dup0(example);
        if (!a->c.example)
            return SR_ENOMEM;
    }
    return SR_OK;
}

/* The kind of action a CAMEO root belongs to, for grouping. */
static const char *action_group(const char *root, bool *symmetric)
{
    *symmetric = false;
    if (strcmp(root, "04") == 0) {
        *symmetric = true;
        return "meet or consult";
    }
    if (strcmp(root, "03") == 0 || strcmp(root, "05") == 0 || strcmp(root, "06") == 0) {
        *symmetric = true;
        return "cooperate";
    }
    return sr_cameo_root_name(root);
}

static sr_err add_event(builder *b, const sr_brief_mention *m)
{
    const sr_brief_doc *d = doc_by_id(b, m->doc);
    if (!d || !m->cameo || strlen(m->cameo) < 2)
        return SR_OK;
    char root[3] = { m->cameo[0], m->cameo[1], '\0' };
    bool sym;
    const char *group = action_group(root, &sym);
    if (!*group)
        return SR_OK;
    char a[4] = "", t[4] = "";
    snprintf(a, sizeof a, "%.3s", m->source ? m->source : "");
    snprintf(t, sizeof t, "%.3s", m->target ? m->target : "");
    if (!a[0])
        return SR_OK;
    char subject[32];
    if (sym && t[0] && strcmp(t, a) < 0)
        snprintf(subject, sizeof subject, "%s - %s", t, a);
    else if (sym && t[0])
        snprintf(subject, sizeof subject, "%s - %s", a, t);
    else
        snprintf(subject, sizeof subject, "%s -> %s", a, t[0] ? t : "(none)");
    acc_claim *c = find_claim(b, SR_CLAIM_EVENT, subject, group);
    if (!c)
        return SR_ENOMEM;
    char key[40];
    snprintf(key, sizeof key, "%.12s>%.12s>%.7s", m->source, m->target ? m->target : "", m->cameo);
    size_t k;
    for (k = 0; k < c->ncodes && strcmp(c->codes[k], key) != 0; k++)
        ;
    if (k == c->ncodes && k < 16) {
        snprintf(c->codes[k], sizeof c->codes[k], "%s", key);
        c->code_n[k] = 0;
        c->ncodes++;
    }
    if (k < 16)
        c->code_n[k]++;
    return support(c, b, d, m->modality, m->sentence);
}

/* ---- attributes from text --------------------------------------------------------- */

typedef struct title_form { const char *text, *norm; } title_form;

/* Longest first: "Field Marshal" must win over "Marshal". */
static const title_form titles[] = {
    {"Lieutenant General", "Lieutenant General"}, {"Lt. Gen.", "Lieutenant General"},
    {"Lt Gen", "Lieutenant General"}, {"Major General", "Major General"},
    {"Maj. Gen.", "Major General"}, {"Brigadier General", "Brigadier General"},
    {"Brig. Gen.", "Brigadier General"}, {"Air Chief Marshal", "Air Chief Marshal"},
    {"Air Marshal", "Air Marshal"}, {"Field Marshal", "Field Marshal"},
    {"Vice Admiral", "Vice Admiral"}, {"Rear Admiral", "Rear Admiral"},
    {"Admiral", "Admiral"}, {"Adm.", "Admiral"}, {"General", "General"},
    {"Gen.", "General"}, {"Marshal", "Marshal"}, {"Colonel", "Colonel"},
    {"Col.", "Colonel"}, {"Brigadier", "Brigadier"}, {"Commodore", "Commodore"},
    {"President", "President"}, {"Prime Minister", "Prime Minister"},
    {"Defence Minister", "Defence Minister"}, {"Defense Minister", "Defence Minister"},
    {"Foreign Minister", "Foreign Minister"}, {"Defense Secretary", "Defence Secretary"},
    {"Defence Secretary", "Defence Secretary"},
};

/* Capitalized words that end a name rather than continue it. */
static bool role_word(const char *w, size_t n)
{
    static const char *const roles[] = {
        "Army", "Staff", "Chief", "Commander", "Minister", "President", "Forces",
        "Force", "Navy", "Defence", "Defense", "The", "And", "Of", "In", "On",
        "Said", "Says", "Met", "Held", "General", "Marshal", "Admiral", "Armed",
        "National", "Air", "Military", "Ministry", "Government",
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strlen(roles[i]) == n && memcmp(roles[i], w, n) == 0)
            return true;
    return false;
}

static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/* Does text at p start with the words of `form` (any whitespace between)? */
static size_t match_form(const char *p, const char *end, const char *form)
{
    const char *q = p;
    while (*form) {
        if (*form == ' ') {
            if (q >= end || !is_space(*q))
                return 0;
            while (q < end && is_space(*q))
                q++;
            form++;
            continue;
        }
        if (q >= end || *q != *form)
            return 0;
        q++;
        form++;
    }
    return (size_t)(q - p);
}

/* Up to 3 capitalized name words starting at p (after whitespace).  Sets
 * the name's span and returns true if at least one word was found. */
static bool read_name(const char *p, const char *end, const char **ns, const char **ne,
                      const char **last, size_t *lastn, size_t *words)
{
    *words = 0;
    *ns = *ne = NULL;
    const char *q = p;
    while (*words < 3) {
        const char *w = q;
        while (w < end && is_space(*w))
            w++;
        if (w == q && *words > 0)
            break;
        if (w >= end || !isupper((unsigned char)*w))
            break;
        const char *x = w + 1;
        while (x < end && (isalpha((unsigned char)*x) || (unsigned char)*x >= 0x80))
            x++;
        size_t n = (size_t)(x - w);
        if (n < 2 || role_word(w, n))
            break;
        /* a word glued to a hyphen (Commander-in-Chief) is not a name */
        if (x < end && *x == '-')
            break;
        if (!*ns)
            *ns = w;
        *ne = x;
        *last = w;
        *lastn = n;
        (*words)++;
        q = x;
        /* a possessive ends the name: "Munir's visit" */
        if (q < end && (*q == '\'' || (unsigned char)*q == 0xE2))
            break;
    }
    return *words > 0;
}

/* The sentence holding offset `at` of the document being scanned, as one
 * line, into out.  Sentences come from the text pipeline (run once per
 * document in sr_brief_build), so a brief quotes exactly the sentences the
 * coder read: headings stay apart, "Gen." and "U.S." do not end one. */
static void sentence_around(const builder *b, size_t at, sr_buf *out)
{
    const sr_textdoc *td = &b->td;
    sr_buf_reset(out);
    size_t lo = 0, hi = td->nsents;
    while (lo < hi) {            /* the first sentence ending after `at` */
        size_t mid = (lo + hi) / 2;
        if (td->sents[mid].end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < td->nsents)
        sr_sentence_text(td, lo, out);
}

static bool contains_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p++) {
        bool left = p == s || !isalpha((unsigned char)p[-1]);
        bool right = !isalpha((unsigned char)p[n]);
        if (left && right)
            return true;
    }
    return false;
}

/* How a sentence frames what it says about an amount or attribute. */
static sr_modality sentence_modality(const char *s)
{
    static const char *const reported[] = {
        "reportedly", "according to", "is said to", "are said to", "allegedly",
        "sources said", "reports said", "was said to", "were said to", "Reportedly",
        "According to",
    };
    static const char *const hedged[] = {
        "may", "might", "could", "possibly", "perhaps", "about", "around", "nearly",
        "roughly", "approximately", "estimated", "up to", "as much as", "unconfirmed",
    };
    for (size_t i = 0; i < sizeof reported / sizeof reported[0]; i++)
        if (contains_word(s, reported[i]))
            return SR_MOD_REPORTED;
    for (size_t i = 0; i < sizeof hedged / sizeof hedged[0]; i++)
        if (contains_word(s, hedged[i]))
            return SR_MOD_HEDGED;
    return SR_MOD_ASSERTED;
}

typedef struct person {
    char surname[64];
    char name[128];        /* the shortest name of two words or more */
} person;

static sr_err scan_titles(builder *b, const sr_brief_doc *d, sr_buf *sent,
                          person **people, size_t *npeople, size_t *cappeople)
{
    const char *t = d->text, *end = d->text + d->text_len;
    for (const char *p = t; p < end; p++) {
        if (!isupper((unsigned char)*p) || (p > t && isalpha((unsigned char)p[-1])))
            continue;
        for (size_t k = 0; k < sizeof titles / sizeof titles[0]; k++) {
            size_t n = match_form(p, end, titles[k].text);
            if (!n)
                continue;
            /* "General" must be a word, not the start of "Generally" */
            if (p + n < end && isalpha((unsigned char)p[n]))
                continue;
            const char *ns, *ne, *last = NULL;
            size_t lastn = 0, words;
            if (!read_name(p + n, end, &ns, &ne, &last, &lastn, &words))
                break;
            if (lastn >= sizeof (*people)->surname)
                break;
            char sur[64];
            memcpy(sur, last, lastn);
            sur[lastn] = '\0';
            char name[128];
            size_t nl = 0;
            for (const char *x = ns; x < ne && nl + 1 < sizeof name; x++) {
                if (is_space(*x)) {
                    if (nl && name[nl - 1] != ' ')
                        name[nl++] = ' ';
                } else {
                    name[nl++] = *x;
                }
            }
            name[nl] = '\0';
            size_t i;
            for (i = 0; i < *npeople && strcmp((*people)[i].surname, sur) != 0; i++)
                ;
            if (i == *npeople) {
                if (sr_grow((void **)people, cappeople, i + 1, sizeof **people))
                    return SR_ENOMEM;
                memset(&(*people)[i], 0, sizeof **people);
                snprintf((*people)[i].surname, sizeof (*people)[i].surname, "%s", sur);
                (*npeople)++;
            }
            person *pp = &(*people)[i];
            if (words >= 2 && (!pp->name[0] || strlen(name) < strlen(pp->name)))
                snprintf(pp->name, sizeof pp->name, "%s", name);
            /* the claim is keyed by surname; the display name is settled
             * when the brief is finished */
            acc_claim *c = find_claim(b, SR_CLAIM_TITLE, sur, titles[k].norm);
            if (!c)
                return SR_ENOMEM;
            sentence_around(b, (size_t)(p - t), sent);
            sr_err e = support(c, b, d, SR_MOD_ASSERTED, sent->p);
            if (e)
                return e;
            p += n - 1;
            break;
        }
    }
    return SR_OK;
}

/* What an amount is of.  The first group names it on its own; the second
 * are one thing in practice (a story's "deal", "contract" and "project" are
 * the same money), so they share the subject "deal". */
static const char *const amount_specific[] = {
    "aid", "loan", "investment", "budget", "fund", "grant", "fine", "ransom",
};
static const char *const amount_deal[] = {
    "deal", "contract", "agreement", "project", "package", "order", "purchase",
    "sale", "programme", "program",
};

/* 2: a specific head, 1: a deal word, 0: neither. */
static int amount_head(const char *w, size_t n, const char **name)
{
    for (size_t k = 0; k < sizeof amount_specific / sizeof amount_specific[0]; k++)
        if (strlen(amount_specific[k]) == n && strncasecmp(w, amount_specific[k], n) == 0) {
            *name = amount_specific[k];
            return 2;
        }
    for (size_t k = 0; k < sizeof amount_deal / sizeof amount_deal[0]; k++)
        if (strlen(amount_deal[k]) == n && strncasecmp(w, amount_deal[k], n) == 0) {
            *name = "deal";
            return 1;
        }
    return 0;
}

/* An amount at p: "$1.2 bn", "US$ 300 million", "U.S. $1.2 bn",
 * "1.2 billion dollars", "multi-billion-dollar".  Returns its length and
 * writes a normalized value. */
static size_t match_amount(const char *p, const char *end, char *val, size_t vcap)
{
    static const char *const words[] = {
        "multi-billion-dollar", "multibillion-dollar", "multi-million-dollar",
        "multimillion-dollar", "billion-dollar", "million-dollar",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(end - p) >= n && strncasecmp(p, words[i], n) == 0) {
            snprintf(val, vcap, "%s", words[i]);
            return n;
        }
    }
    const char *q = p;
    const char *cur = NULL;
    if (q + 5 < end && strncmp(q, "U.S. ", 5) == 0)
        q += 5;
    else if (q + 3 < end && strncmp(q, "US$", 3) == 0) {
        cur = "$";
        q += 3;
    }
    if (!cur && q < end && *q == '$') {
        cur = "$";
        q++;
    } else if (!cur && q + 2 < end && (unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x82 &&
               (unsigned char)q[2] == 0xAC) {
        cur = "EUR ";
        q += 3;
    } else if (!cur && q + 1 < end && (unsigned char)q[0] == 0xC2 && (unsigned char)q[1] == 0xA3) {
        cur = "GBP ";
        q += 2;
    }
    if (!cur)
        return 0;
    while (q < end && *q == ' ')
        q++;
    const char *ns = q;
    while (q < end && (isdigit((unsigned char)*q) || ((*q == '.' || *q == ',') && q + 1 < end &&
                                                     isdigit((unsigned char)q[1]))))
        q++;
    if (q == ns)
        return 0;
    size_t numlen = (size_t)(q - ns);
    const char *r = q;
    while (r < end && *r == ' ')
        r++;
    static const char *const scales[][2] = {
        {"billion", "billion"}, {"bn", "billion"}, {"million", "million"}, {"mn", "million"},
        {"m", "million"}, {"trillion", "trillion"},
    };
    const char *scale = "";
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
        size_t n = strlen(scales[i][0]);
        if ((size_t)(end - r) >= n && strncmp(r, scales[i][0], n) == 0 &&
            (r + n >= end || !isalpha((unsigned char)r[n]))) {
            scale = scales[i][1];
            q = r + n;
            break;
        }
    }
    snprintf(val, vcap, "%s%.*s%s%s", cur, (int)numlen, ns, *scale ? " " : "", scale);
    return (size_t)(q - p);
}

static sr_err scan_amounts(builder *b, const sr_brief_doc *d, sr_buf *sent)
{
    const char *t = d->text, *end = d->text + d->text_len;
    for (const char *p = t; p < end; p++) {
        if (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
            continue;
        char val[64];
        size_t n = match_amount(p, end, val, sizeof val);
        if (!n)
            continue;
        /* the thing it is the amount of: a head noun within the next words
         * ("multi-billion-dollar defence deal") or the words before, in the
         * same sentence ("an aid package of $400 million") */
        const char *q = p + n, *head = NULL;
        size_t headn = 0;
        int rank = 0;
        for (int w = 0; w < 5 && q < end; w++) {
            while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t' || *q == ','))
                q++;
            const char *ws = q;
            while (q < end && (isalpha((unsigned char)*q) || *q == '-'))
                q++;
            size_t wn = (size_t)(q - ws);
            if (!wn)
                break;
            const char *name;
            int r = amount_head(ws, wn, &name);
            if (r > rank) {
                rank = r;
                head = name;
                headn = (size_t)(q - (p + n));
            }
            if (r == 2)
                break;
        }
        const char *bq = p;
        for (int w = 0; w < 8 && bq > t && rank < 2; w++) {
            /* a comma does not end the clause ("a deal for vehicles, worth $1bn") */
            while (bq > t && (bq[-1] == ' ' || bq[-1] == '\n' || bq[-1] == '\r' || bq[-1] == '\t' ||
                              bq[-1] == ','))
                bq--;
            const char *we = bq;
            while (bq > t && (isalpha((unsigned char)bq[-1]) || bq[-1] == '-'))
                bq--;
            size_t wn = (size_t)(we - bq);
            if (!wn)
                break;   /* punctuation: the clause ends here */
            const char *name;
            int r = amount_head(bq, wn, &name);
            if (r > rank) {
                rank = r;
                head = name;
                headn = 0;   /* the text is then "VALUE (deal)" */
            }
        }
        char subject[64];
        snprintf(subject, sizeof subject, "%s", head ? head : "amount");
        sentence_around(b, (size_t)(p - t), sent);
        acc_claim *c = find_claim(b, SR_CLAIM_AMOUNT, subject, val);
        if (!c)
            return SR_ENOMEM;
        if (!c->c.text && head && headn == 0) {
            size_t tl = strlen(val) + strlen(head) + 4;
            c->c.text = malloc(tl);
            if (!c->c.text)
                return SR_ENOMEM;
            snprintf(c->c.text, tl, "%s (%s)", val, head);
        } else if (!c->c.text && head) {
            /* "multi-billion-dollar defense deal", as the outlet put it */
            sr_buf tx = SR_BUF_INIT(512);
            sr_buf_puts(&tx, val);
            bool sp = false;
            for (const char *x = p + n; x < p + n + headn; x++) {
                if (is_space(*x)) {
                    sp = true;
                    continue;
                }
                if (sp || x == p + n)
                    sr_buf_putc(&tx, ' ');
                sp = false;
                sr_buf_putc(&tx, *x);
            }
            c->c.text = tx.p ? sr_buf_detach(&tx, NULL) : NULL;
            sr_buf_free(&tx);
        }
        sr_err e = support(c, b, d, sentence_modality(sent->p ? sent->p : ""), sent->p);
        if (e)
            return e;
        p += n - 1;
    }
    return SR_OK;
}

/* ---- finishing -------------------------------------------------------------------- */

static int cmp_claims(const void *x, const void *y)
{
    const sr_brief_claim *a = x, *b = y;
    if (a->noutlets != b->noutlets)
        return a->noutlets > b->noutlets ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->reports != b->reports)
        return a->reports > b->reports ? -1 : 1;
    if (a->modality != b->modality)
        return firmness(a->modality) < firmness(b->modality) ? -1 : 1;
    return strcmp(a->text ? a->text : "", b->text ? b->text : "");
}

static sr_err finish_event_text(acc_claim *a)
{
    size_t best = 0;
    for (size_t k = 1; k < a->ncodes; k++)
        if (a->code_n[k] > a->code_n[best])
            best = k;
    char src[32] = "", tgt[32] = "", code[8] = "";
    const char *s = a->codes[best];
    const char *g1 = strchr(s, '>'), *g2 = g1 ? strchr(g1 + 1, '>') : NULL;
    if (g1 && g2) {
        snprintf(src, sizeof src, "%.*s", (int)(g1 - s), s);
        snprintf(tgt, sizeof tgt, "%.*s", (int)(g2 - g1 - 1), g1 + 1);
        snprintf(code, sizeof code, "%s", g2 + 1);
    }
    memcpy(a->c.event_source, src, sizeof src);
    memcpy(a->c.event_target, tgt, sizeof tgt);
    memcpy(a->c.event_code, code, sizeof code);
    /* a symmetric dyad reads in the orientation most reports used */
    char *subject = a->c.subject;
    if (strstr(subject, " - ") && strlen(src) >= 3 && strlen(tgt) >= 3 &&
        strncmp(subject, src, 3) != 0) {
        char turned[32];
        snprintf(turned, sizeof turned, "%.3s - %.3s", src, tgt);
        char *t = dup0(turned);
        if (!t)
            return SR_ENOMEM;
        free(a->c.subject);
        a->c.subject = subject = t;
    }
    sr_buf tx = SR_BUF_INIT(1024);
    sr_err e = sr_buf_printf(&tx, "%s: %s (", subject, a->c.value);
    for (size_t k = 0; !e && k < a->ncodes && k < 4; k++) {
        /* "PAKMIL>LBYMIL>042" reads as "PAKMIL>LBYMIL 042" */
        const char *key = a->codes[k], *g = strrchr(key, '>');
        e = sr_buf_printf(&tx, "%s%.*s %s", k ? ", " : "", g ? (int)(g - key) : 0, key,
                          g ? g + 1 : key);
    }
    if (!e && a->ncodes > 4)
        e = sr_buf_puts(&tx, ", ...");
    if (!e)
        e = sr_buf_putc(&tx, ')');
    if (!e)
        a->c.text = sr_buf_detach(&tx, NULL);
    sr_buf_free(&tx);
    return e ? e : (a->c.text ? SR_OK : SR_ENOMEM);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void claim_free(sr_brief_claim *c)
{
    for (size_t k = 0; k < c->noutlets; k++)
        free(c->outlets[k].outlet);
    free(c->outlets);
    free(c->text);
    free(c->subject);
    free(c->value);
    free(c->example);
}

sr_err sr_brief_build(sr_brief *out, int64_t story, const char *title,
                      const sr_brief_doc *docs, size_t ndocs,
                      const sr_brief_mention *ms, size_t nms)
{
    builder b = { NULL, 0, 0, docs, ndocs, {0} };
    person *people = NULL;
    size_t npeople = 0, cappeople = 0;
    sr_buf sent = SR_BUF_INIT(1 << 16);
    sr_err e = SR_OK;
    memset(out, 0, sizeof *out);
    out->story = story;
    out->title = dup0(title ? title : "");
    out->documents = ndocs;
    size_t capo = 0;
    for (size_t i = 0; i < ndocs && !e; i++) {
        const sr_brief_doc *d = &docs[i];
        if (!d->copy_of)
            out->independent++;
        if (d->published) {
            if (!out->first_seen || strcmp(d->published, out->first_seen) < 0) {
                free(out->first_seen);
                out->first_seen = dup0(d->published);
            }
            if (!out->last_seen || strcmp(d->published, out->last_seen) > 0) {
                free(out->last_seen);
                out->last_seen = dup0(d->published);
            }
        }
        size_t k;
        for (k = 0; k < out->noutlets && strcmp(out->outlets[k], d->outlet) != 0; k++)
            ;
        if (k == out->noutlets) {
            if (sr_grow((void **)&out->outlets, &capo, k + 1, sizeof *out->outlets)) {
                e = SR_ENOMEM;
                break;
            }
            out->outlets[out->noutlets] = dup0(d->outlet);
            if (!out->outlets[out->noutlets++])
                e = SR_ENOMEM;
        }
    }
    for (size_t i = 0; i < nms && !e; i++)
        e = add_event(&b, &ms[i]);
    for (size_t i = 0; i < ndocs && !e; i++) {
        sr_text_opts to = { NULL, false, true };
        e = sr_text_analyze(&b.td, docs[i].text, docs[i].text_len, &to);
        if (e == SR_ETOOBIG) {
            sr_textdoc_clear(&b.td);   /* no quotes for it, claims still counted */
            e = SR_OK;
        }
        if (!e)
            e = scan_titles(&b, &docs[i], &sent, &people, &npeople, &cappeople);
        if (!e)
            e = scan_amounts(&b, &docs[i], &sent);
    }
    /* texts and display names */
    for (size_t i = 0; i < b.n && !e; i++) {
        acc_claim *a = &b.v[i];
        a->c.reports = a->ndocs;
        if (a->c.kind == SR_CLAIM_EVENT) {
            e = finish_event_text(a);
        } else if (a->c.kind == SR_CLAIM_TITLE) {
            const char *name = a->c.subject;
            for (size_t k = 0; k < npeople; k++)
                if (strcmp(people[k].surname, a->c.subject) == 0 && people[k].name[0])
                    name = people[k].name;
            char *nm = dup0(name);
            size_t tl = strlen(name) + strlen(a->c.value) + 4;
            char *tx = malloc(tl);
            if (!nm || !tx) {
                free(nm);
                free(tx);
                e = SR_ENOMEM;
                break;
            }
            snprintf(tx, tl, "%s %s", a->c.value, name);
            free(a->c.subject);
            a->c.subject = nm;
            a->c.text = tx;
        } else if (!a->c.text) {
            size_t tl = strlen(a->c.value) + strlen(a->c.subject) + 8;
            a->c.text = malloc(tl);
            if (!a->c.text) {
                e = SR_ENOMEM;
                break;
            }
            snprintf(a->c.text, tl, "%s (%s)", a->c.value, a->c.subject);
        }
    }
    if (e)
        goto out;

    /* contradictions: one subject, different values, from different outlets */
    for (size_t i = 0; i < b.n && !e; i++) {
        acc_claim *a = &b.v[i];
        if (a->c.kind == SR_CLAIM_EVENT || !a->c.subject)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            if (b.v[j].c.kind == a->c.kind && strcmp(b.v[j].c.subject, a->c.subject) == 0)
                seen = true;
        if (seen)
            continue;
        size_t nvals = 0;
        for (size_t j = i; j < b.n; j++)
            if (b.v[j].c.kind == a->c.kind && strcmp(b.v[j].c.subject, a->c.subject) == 0)
                nvals++;
        if (nvals < 2 || (a->c.kind == SR_CLAIM_AMOUNT && strcmp(a->c.subject, "amount") == 0))
            continue;
        /* different outlets must be behind the values: one outlet writing
         * "Lt. Gen." then "General" is shorthand, not a dispute */
        bool differ = false;
        for (size_t j = i; j < b.n && !differ; j++) {
            const acc_claim *x = &b.v[j];
            if (x->c.kind != a->c.kind || strcmp(x->c.subject, a->c.subject) != 0)
                continue;
            for (size_t k = 0; k < x->c.noutlets && !differ; k++) {
                /* an outlet of value x that does not also give value a */
                bool also = false;
                for (size_t m = 0; m < a->c.noutlets; m++)
                    if (strcmp(a->c.outlets[m].outlet, x->c.outlets[k].outlet) == 0)
                        also = true;
                if (!also)
                    differ = true;
            }
        }
        if (!differ)
            continue;
        sr_brief_contradiction *cs = sr_realloc_array(out->contradictions,
                                                      out->ncontradictions + 1, sizeof *cs);
        if (!cs) {
            e = SR_ENOMEM;
            break;
        }
        out->contradictions = cs;
        sr_brief_contradiction *c = &cs[out->ncontradictions++];
        memset(c, 0, sizeof *c);
        size_t sl = strlen(a->c.subject) + 16;
        c->subject = malloc(sl);
        c->values = calloc(nvals, sizeof *c->values);
        if (!c->subject || !c->values) {
            e = SR_ENOMEM;
            break;
        }
        snprintf(c->subject, sl, "%s of %s", a->c.kind == SR_CLAIM_TITLE ? "title" : "amount",
                 a->c.subject);
        for (size_t j = i; j < b.n && !e; j++) {
            const acc_claim *x = &b.v[j];
            if (x->c.kind != a->c.kind || strcmp(x->c.subject, a->c.subject) != 0)
                continue;
            sr_brief_value *v = &c->values[c->nvalues++];
            v->value = dup0(x->c.value);
            v->outlets = calloc(x->c.noutlets ? x->c.noutlets : 1, sizeof *v->outlets);
            if (!v->value || !v->outlets) {
                e = SR_ENOMEM;
                break;
            }
            for (size_t k = 0; k < x->c.noutlets; k++) {
                v->outlets[k] = dup0(x->c.outlets[k].outlet);
                if (!v->outlets[k]) {
                    e = SR_ENOMEM;
                    break;
                }
                v->noutlets++;
            }
            qsort(v->outlets, v->noutlets, sizeof *v->outlets, cmp_str);
        }
    }
    if (e)
        goto out;
    /* hand the claims over */
    out->claims = calloc(b.n ? b.n : 1, sizeof *out->claims);
    if (!out->claims) {
        e = SR_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < b.n; i++) {
        out->claims[i] = b.v[i].c;
        memset(&b.v[i].c, 0, sizeof b.v[i].c);
    }
    out->nclaims = b.n;
    qsort(out->claims, out->nclaims, sizeof *out->claims, cmp_claims);
out:
    for (size_t i = 0; i < b.n; i++) {
        claim_free(&b.v[i].c);
        free(b.v[i].docs);
    }
    free(b.v);
    free(people);
    sr_buf_free(&sent);
    sr_textdoc_free(&b.td);
    return e;
}

void sr_brief_keep_kinds(sr_brief *b, unsigned mask)
{
    size_t k = 0;
    for (size_t i = 0; i < b->nclaims; i++) {
        if (mask & (1u << b->claims[i].kind))
            b->claims[k++] = b->claims[i];
        else
            claim_free(&b->claims[i]);
    }
    b->nclaims = k;
}

void sr_brief_free(sr_brief *b)
{
    free(b->title);
    free(b->first_seen);
    free(b->last_seen);
    for (size_t i = 0; i < b->noutlets; i++)
        free(b->outlets[i]);
    free(b->outlets);
    for (size_t i = 0; i < b->nclaims; i++)
        claim_free(&b->claims[i]);
    free(b->claims);
    for (size_t i = 0; i < b->ncontradictions; i++) {
        sr_brief_contradiction *c = &b->contradictions[i];
        for (size_t k = 0; k < c->nvalues; k++) {
            for (size_t m = 0; m < c->values[k].noutlets; m++)
                free(c->values[k].outlets[m]);
            free(c->values[k].outlets);
            free(c->values[k].value);
        }
        free(c->values);
        free(c->subject);
    }
    free(b->contradictions);
    memset(b, 0, sizeof *b);
}

/* ---- rendering ---------------------------------------------------------------------- */

static sr_err put_outlets(sr_buf *o, const sr_brief_claim *c)
{
    sr_err e = SR_OK;
    for (size_t k = 0; k < c->noutlets && !e; k++)
        e = sr_buf_printf(o, "%s%s (%s)", k ? ", " : "", c->outlets[k].outlet,
                          sr_modality_name(c->outlets[k].modality));
    return e;
}

static sr_err jstr(sr_buf *o, const char *s)
{
    return s ? sr_buf_json_str(o, s, strlen(s)) : sr_buf_puts(o, "null");
}

static sr_err render_json(const sr_brief *b, sr_buf *o)
{
    sr_err e = sr_buf_printf(o, "{\"story\":{\"id\":%lld,\"title\":", (long long)b->story);
    if (!e) e = jstr(o, b->title);
    if (!e) e = sr_buf_puts(o, ",\"first_seen\":");
    if (!e) e = jstr(o, b->first_seen);
    if (!e) e = sr_buf_puts(o, ",\"last_seen\":");
    if (!e) e = jstr(o, b->last_seen);
    if (!e) e = sr_buf_printf(o, ",\"documents\":%zu,\"independent_reports\":%zu},\"outlets\":[",
                              b->documents, b->independent);
    for (size_t i = 0; i < b->noutlets && !e; i++) {
        if (i) e = sr_buf_putc(o, ',');
        if (!e) e = jstr(o, b->outlets[i]);
    }
    if (!e) e = sr_buf_puts(o, "],\"claims\":[");
    for (size_t i = 0; i < b->nclaims && !e; i++) {
        const sr_brief_claim *c = &b->claims[i];
        e = sr_buf_printf(o, "%s{\"kind\":\"%s\",\"text\":", i ? "," : "", sr_claim_kind_name(c->kind));
        if (!e) e = jstr(o, c->text);
        if (!e) e = sr_buf_puts(o, ",\"subject\":");
        if (!e) e = jstr(o, c->subject);
        if (!e) e = sr_buf_puts(o, ",\"value\":");
        if (!e) e = jstr(o, c->value);
        if (!e) e = sr_buf_puts(o, ",\"event\":");
        if (!e && c->kind == SR_CLAIM_EVENT) {
            e = sr_buf_puts(o, "{\"source\":");
            if (!e) e = jstr(o, c->event_source);
            if (!e) e = sr_buf_puts(o, ",\"target\":");
            if (!e) e = jstr(o, c->event_target);
            if (!e) e = sr_buf_puts(o, ",\"cameo\":");
            if (!e) e = jstr(o, c->event_code);
            if (!e) e = sr_buf_puts(o, "}");
        } else if (!e) {
            e = sr_buf_puts(o, "null");
        }
        if (!e) e = sr_buf_puts(o, ",\"outlets\":[");
        for (size_t k = 0; k < c->noutlets && !e; k++) {
            if (k) e = sr_buf_putc(o, ',');
            if (!e) e = jstr(o, c->outlets[k].outlet);
        }
        if (!e) e = sr_buf_puts(o, "],\"support\":[");
        for (size_t k = 0; k < c->noutlets && !e; k++) {
            e = sr_buf_printf(o, "%s{\"outlet\":", k ? "," : "");
            if (!e) e = jstr(o, c->outlets[k].outlet);
            if (!e) e = sr_buf_printf(o, ",\"modality\":\"%s\"}", sr_modality_name(c->outlets[k].modality));
        }
        if (!e) e = sr_buf_printf(o, "],\"modality\":\"%s\",\"reports\":%zu,\"single_source\":%s,\"example\":",
                                  sr_modality_name(c->modality), c->reports,
                                  c->noutlets == 1 ? "true" : "false");
        if (!e) e = jstr(o, c->example);
        if (!e) e = sr_buf_putc(o, '}');
    }
    if (!e) e = sr_buf_puts(o, "],\"contradictions\":[");
    for (size_t i = 0; i < b->ncontradictions && !e; i++) {
        const sr_brief_contradiction *c = &b->contradictions[i];
        e = sr_buf_puts(o, i ? ",{\"subject\":" : "{\"subject\":");
        if (!e) e = jstr(o, c->subject);
        if (!e) e = sr_buf_puts(o, ",\"values\":[");
        for (size_t k = 0; k < c->nvalues && !e; k++) {
            e = sr_buf_puts(o, k ? ",{\"value\":" : "{\"value\":");
            if (!e) e = jstr(o, c->values[k].value);
            if (!e) e = sr_buf_puts(o, ",\"outlets\":[");
            for (size_t m = 0; m < c->values[k].noutlets && !e; m++) {
                if (m) e = sr_buf_putc(o, ',');
                if (!e) e = jstr(o, c->values[k].outlets[m]);
            }
            if (!e) e = sr_buf_puts(o, "]}");
        }
        if (!e) e = sr_buf_puts(o, "]}");
    }
    if (!e) e = sr_buf_puts(o, "]}\n");
    return e;
}

sr_err sr_brief_render(const sr_brief *b, sr_brief_format f, sr_buf *o)
{
    if (f == SR_BRIEF_JSON)
        return render_json(b, o);
    bool md = f == SR_BRIEF_MARKDOWN;
    sr_err e = md ? sr_buf_printf(o, "# Story %lld: %s\n\n", (long long)b->story, b->title)
                  : sr_buf_printf(o, "Story %lld: %s\n", (long long)b->story, b->title);
    if (!e && b->first_seen)
        e = sr_buf_printf(o, md ? "- **Seen:** %s to %s\n" : "Seen: %s to %s\n",
                          b->first_seen, b->last_seen);
    else if (!e)
        e = sr_buf_puts(o, md ? "- **Seen:** dates not given by the outlets\n"
                              : "Seen: dates not given by the outlets\n");
    if (!e) e = sr_buf_printf(o, md ? "- **Documents:** %zu (%zu independent reports)\n- **Outlets (%zu):** "
                                    : "Documents: %zu (%zu independent reports)\nOutlets (%zu): ",
                              b->documents, b->independent, b->noutlets);
    for (size_t i = 0; i < b->noutlets && !e; i++)
        e = sr_buf_printf(o, "%s%s", i ? ", " : "", b->outlets[i]);
    if (!e) e = sr_buf_puts(o, md ? "\n\n## Claims\n\n" : "\n\nClaims (corroborated first):\n");
    for (size_t i = 0; i < b->nclaims && !e; i++) {
        const sr_brief_claim *c = &b->claims[i];
        char tag[64];
        if (c->noutlets > 1)
            snprintf(tag, sizeof tag, "%zu outlets", c->noutlets);
        else
            snprintf(tag, sizeof tag, "single source");
        e = md ? sr_buf_printf(o, "- **[%s]** %s: %s, *%s*  \n  ", tag,
                               sr_claim_kind_name(c->kind), c->text, sr_modality_name(c->modality))
               : sr_buf_printf(o, "  [%s] %s: %s  (%s)\n      by: ", tag,
                               sr_claim_kind_name(c->kind), c->text, sr_modality_name(c->modality));
        if (!e) e = put_outlets(o, c);
        if (!e && c->example)
            e = md ? sr_buf_printf(o, "  \n  > %s\n", c->example)
                   : sr_buf_printf(o, "\n      e.g. \"%s\"\n", c->example);
        else if (!e)
            e = sr_buf_putc(o, '\n');
    }
    if (!e && b->nclaims == 0)
        e = sr_buf_puts(o, md ? "_none found_\n" : "  (none found)\n");
    if (!e) e = sr_buf_puts(o, md ? "\n## Contradictions\n\n" : "\nContradictions:\n");
    for (size_t i = 0; i < b->ncontradictions && !e; i++) {
        const sr_brief_contradiction *c = &b->contradictions[i];
        e = sr_buf_printf(o, md ? "- **%s**\n" : "  %s:\n", c->subject);
        for (size_t k = 0; k < c->nvalues && !e; k++) {
            e = sr_buf_printf(o, md ? "  - \"%s\": " : "      \"%s\": ", c->values[k].value);
            for (size_t m = 0; m < c->values[k].noutlets && !e; m++)
                e = sr_buf_printf(o, "%s%s", m ? ", " : "", c->values[k].outlets[m]);
            if (!e) e = sr_buf_putc(o, '\n');
        }
    }
    if (!e && b->ncontradictions == 0)
        e = sr_buf_puts(o, md ? "_none found_\n" : "  (none found)\n");
    return e;
}
