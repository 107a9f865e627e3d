/*
 * read_misc.c - discard, issue and word-list dictionaries.
 *
 * Discards (PETRARCH):  "PHRASE" drops a sentence that contains it,
 * "+PHRASE" drops the whole story ("+Manchester United": a sports report).
 *
 * Issues (Phoenix IssueCoding.txt):
 *     <ISSUE CATEGORY="EDUCATION" TYPE="ALL">
 *     n:teacher [TEACHERS]          n: noun - its plural matches too
 *     v:farm [AGRICULTURE]          v: verb - farms, farmed, farming too
 *     early+childhood education     a+b: "a b" or "a-b" (and "ab" when the
 *                                   word has one '+')
 *     ~a head start                 ~ (or ~~): a phrase that must NOT count
 *     </ISSUE>
 * A line without [CODE] takes the section's CATEGORY.  One line expands to
 * at most SR_ISSUE_MAX_VARIANTS phrases; a line that would give more is
 * reported, not cut.
 *
 * Word lists (Phoenix.prepositions.txt): one word a line, kept as a set of
 * lexicon ids the coder may ask about (sr_dictset.is_prep).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/dictset_impl.h"
#include "dict/read_common.h"

#define SR_ISSUE_MAX_VARIANTS 256
#define SR_ISSUE_MAX_LEN      1024   /* bytes in one expanded phrase */

sr_err sr_read_discards(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .tabari = false };
    char *cur = buf, *line;
    size_t n;
    sr_err err = SR_OK;
    sr_rd_begin(&c, ds, path, buf, len);
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (*s == '<') {
            sr_rd_used(&c);   /* section marks */
            continue;
        }
        uint32_t kind = 1;
        if (*s == '+') {
            kind = 2;
            s++;
        }
        uint32_t keys[SR_DICT_MAX_WORDS];
        int k = sr_ds_phrase(ds, s, strlen(s), false, keys, NULL, SR_DICT_MAX_WORDS);
        if (k < 0) {
            sr_rd_skip(&c, 0, "discard phrase has more than %d words or is unreadable",
                       SR_DICT_MAX_WORDS);
            continue;
        }
        if (k == 0) {
            sr_rd_skip(&c, 0, "discard line holds no word");
            continue;
        }
        uint32_t node;
        if (sr_trie_add(&ds->discards, keys, (size_t)k, &node) != SR_OK) {
            err = SR_ENOMEM;
            break;
        }
        ds->discards.val[node] = kind;
        ds->ndiscards++;
        sr_rd_used(&c);
    }
    sr_rd_end(&c);
    return err;
}

/* ---- issues ---------------------------------------------------------------- */

typedef struct variants {
    char **v;
    size_t n, cap;
    bool overflow;
} variants;

static void variants_free(variants *vs)
{
    for (size_t i = 0; i < vs->n; i++)
        free(vs->v[i]);
    free(vs->v);
    memset(vs, 0, sizeof *vs);
}

static sr_err variants_add(variants *vs, const char *s, size_t n)
{
    if (vs->n >= SR_ISSUE_MAX_VARIANTS || n >= SR_ISSUE_MAX_LEN) {
        vs->overflow = true;
        return SR_OK;
    }
    if (sr_grow((void **)&vs->v, &vs->cap, vs->n + 1, sizeof *vs->v))
        return SR_ENOMEM;
    if (!(vs->v[vs->n] = strndup(s, n)))
        return SR_ENOMEM;
    vs->n++;
    return SR_OK;
}

static bool ends_sibilant(const char *w, size_t n)
{
    char a = n ? (char)tolower((unsigned char)w[n - 1]) : 0;
    char b = n > 1 ? (char)tolower((unsigned char)w[n - 2]) : 0;
    return a == 's' || a == 'x' || a == 'z' || (a == 'h' && (b == 'c' || b == 's'));
}

/* The forms one written word stands for: "n:x" adds its plural, "v:x" its
 * regular verb forms; each '+' becomes ' ' or '-' (or nothing, for a word
 * with a single '+'). */
static sr_err word_forms(const char *w, size_t n, variants *out)
{
    /* "n:" / "v:" mark the word, or its part after a '+' ("solar+v:power");
     * the endings go on the end of the word */
    char kind = 0, clean[SR_ISSUE_MAX_LEN];
    size_t cn = 0;
    for (size_t i = 0; i < n && cn + 1 < sizeof clean; i++) {
        if ((i == 0 || w[i - 1] == '+') && i + 2 < n && w[i + 1] == ':' &&
            strchr("nNvV", w[i])) {
            kind = (char)tolower((unsigned char)w[i]);
            i++;
            continue;
        }
        clean[cn++] = w[i];
    }
    w = clean;
    n = cn;
    variants joins = {0};
    size_t pluses = 0;
    for (size_t i = 0; i < n; i++)
        pluses += w[i] == '+';
    /* nearly every word has no '+': itself is its only join */
    sr_err e = pluses ? variants_add(&joins, "", 0) : variants_add(&joins, w, n);
    for (size_t i = 0; i < n && !e && pluses; i++) {
        if (w[i] != '+') {
            for (size_t j = 0; j < joins.n && !e; j++) {
                size_t l = strlen(joins.v[j]);
                char *p = realloc(joins.v[j], l + 2);
                if (!p) {
                    e = SR_ENOMEM;
                    break;
                }
                p[l] = w[i];
                p[l + 1] = '\0';
                joins.v[j] = p;
            }
            continue;
        }
        size_t cur = joins.n;
        for (size_t j = 0; j < cur && !e; j++) {
            size_t l = strlen(joins.v[j]);
            char tmp[SR_ISSUE_MAX_LEN];
            if (l + 2 >= sizeof tmp) {
                joins.overflow = true;
                continue;
            }
            memcpy(tmp, joins.v[j], l);
            tmp[l] = '-';
            e = variants_add(&joins, tmp, l + 1);
            if (!e && pluses == 1)
                e = variants_add(&joins, tmp, l);   /* "ab" */
            if (!e) {
                char *p = realloc(joins.v[j], l + 2);
                if (!p) {
                    e = SR_ENOMEM;
                    break;
                }
                p[l] = ' ';
                p[l + 1] = '\0';
                joins.v[j] = p;
            }
        }
    }
    for (size_t j = 0; j < joins.n && !e; j++) {
        const char *b = joins.v[j];
        size_t l = strlen(b);
        char tmp[SR_ISSUE_MAX_LEN];
        e = variants_add(out, b, l);
        if (e || !kind || l == 0 || l + 4 >= sizeof tmp)
            continue;
        char last = (char)tolower((unsigned char)b[l - 1]);
        char prev = l > 1 ? (char)tolower((unsigned char)b[l - 2]) : 0;
        bool cons_y = last == 'y' && prev && !strchr("aeiou", prev);
        int m;
        /* -s / -es / -ies, for nouns and verbs alike */
        if (cons_y)
            m = snprintf(tmp, sizeof tmp, "%.*sies", (int)l - 1, b);
        else
            m = snprintf(tmp, sizeof tmp, "%s%s", b, ends_sibilant(b, l) ? "es" : "s");
        e = variants_add(out, tmp, (size_t)m);
        if (e || kind != 'v')
            continue;
        if (last == 'e')
            m = snprintf(tmp, sizeof tmp, "%sd", b);
        else if (cons_y)
            m = snprintf(tmp, sizeof tmp, "%.*sied", (int)l - 1, b);
        else
            m = snprintf(tmp, sizeof tmp, "%sed", b);
        e = variants_add(out, tmp, (size_t)m);
        if (!e) {
            m = last == 'e' && prev != 'e' ? snprintf(tmp, sizeof tmp, "%.*sing", (int)l - 1, b)
                                           : snprintf(tmp, sizeof tmp, "%sing", b);
            e = variants_add(out, tmp, (size_t)m);
        }
    }
    out->overflow = out->overflow || joins.overflow;
    variants_free(&joins);
    return e;
}

/* Every written variant of one issue phrase, word by word. */
static sr_err expand_issue(const char *s, variants *out)
{
    sr_err e = variants_add(out, "", 0);
    const char *p = s;
    while (*p && !e) {
        while (sr_rd_blank(*p))
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && !sr_rd_blank(*q))
            q++;
        variants forms = {0}, next = {0};
        e = word_forms(p, (size_t)(q - p), &forms);
        for (size_t i = 0; i < out->n && !e; i++)
            for (size_t j = 0; j < forms.n && !e; j++) {
                char tmp[SR_ISSUE_MAX_LEN];
                int m = snprintf(tmp, sizeof tmp, "%s%s%s", out->v[i], *out->v[i] ? " " : "",
                                 forms.v[j]);
                if (m < 0 || (size_t)m >= sizeof tmp)
                    next.overflow = true;
                else
                    e = variants_add(&next, tmp, (size_t)m);
            }
        next.overflow = next.overflow || forms.overflow || out->overflow;
        variants_free(&forms);
        variants_free(out);
        *out = next;
        p = q;
    }
    return e;
}

sr_err sr_read_issues(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .tabari = false };
    char category[64] = "";
    char *cur = buf, *line;
    size_t n;
    sr_err err = SR_OK;
    sr_rd_begin(&c, ds, path, buf, len);
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        if (n > 6 && strncasecmp(line, "<ISSUE", 6) == 0) {
            const char *cat = strstr(line, "CATEGORY=\"");
            category[0] = '\0';
            if (cat) {
                cat += 10;
                const char *e = strchr(cat, '"');
                if (e && (size_t)(e - cat) < sizeof category)
                    snprintf(category, sizeof category, "%.*s", (int)(e - cat), cat);
                else if (e)
                    sr_rd_skip(&c, 0, "issue category longer than %zu bytes",
                               sizeof category - 1);
            }
            if (c.mark && c.lineno < c.nmark)
                c.mark[c.lineno] |= SR_LN_CONTENT;
            sr_rd_used(&c);
            continue;
        }
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (*s == '<') {
            if (strncasecmp(s, "</ISSUE", 7) == 0)
                category[0] = '\0';
            sr_rd_used(&c);
            continue;
        }
        bool negative = false;
        while (*s == '~') {
            negative = true;
            s++;
        }
        char *br = strchr(s, '[');
        const char *code = category;
        size_t cn = strlen(category);
        if (br) {
            char *cl = strchr(br, ']');
            if (!cl || cl == br + 1) {
                sr_rd_skip(&c, 0, "bad issue code '%s'", br);
                continue;
            }
            code = br + 1;
            cn = (size_t)(cl - br - 1);
            *br = '\0';
        }
        if (!negative && cn == 0) {
            sr_rd_skip(&c, 0, "issue phrase outside an <ISSUE> section and without a code");
            continue;
        }
        size_t pl = strlen(s);
        while (pl && sr_rd_blank(s[pl - 1]))
            s[--pl] = '\0';
        variants var = {0};
        if ((err = expand_issue(s, &var)) != SR_OK) {
            variants_free(&var);
            break;
        }
        if (var.overflow) {
            sr_rd_skip(&c, 0, "issue phrase '%s' expands to more than %d phrases (or one "
                       "longer than %d bytes)", s, SR_ISSUE_MAX_VARIANTS, SR_ISSUE_MAX_LEN);
            variants_free(&var);
            continue;
        }
        if (sr_grow((void **)&ds->issue, &ds->issue_cap, ds->nissue + 1, sizeof *ds->issue)) {
            variants_free(&var);
            err = SR_ENOMEM;
            break;
        }
        sr_issue *is = &ds->issue[ds->nissue];
        if (sr_ds_str(ds, code, cn, &is->code) != SR_OK) {
            variants_free(&var);
            err = SR_ENOMEM;
            break;
        }
        is->negative = negative;
        uint32_t idx = (uint32_t)ds->nissue++;
        size_t added = 0;
        for (size_t i = 0; i < var.n && !err; i++) {
            uint32_t keys[SR_DICT_MAX_WORDS];
            int k = sr_ds_phrase(ds, var.v[i], strlen(var.v[i]), false, keys, NULL,
                                 SR_DICT_MAX_WORDS);
            if (k < 0) {
                sr_rd_skip(&c, 0, "issue phrase '%s' has more than %d words or is unreadable",
                           var.v[i], SR_DICT_MAX_WORDS);
                continue;
            }
            if (k == 0)
                continue;
            uint32_t node;
            if (sr_trie_add(&ds->issues, keys, (size_t)k, &node) != SR_OK) {
                err = SR_ENOMEM;
                break;
            }
            ds->issues.val[node] = idx;
            added++;
        }
        variants_free(&var);
        if (added && !sr_rd_skipped(&c))
            sr_rd_used(&c);
        else if (!added && !sr_rd_skipped(&c))
            sr_rd_skip(&c, 0, "issue line holds no phrase");
    }
    sr_rd_end(&c);
    return err;
}

/* ---- word lists ------------------------------------------------------------ */

sr_err sr_read_words(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .tabari = false };
    char *cur = buf, *line;
    size_t n;
    sr_err err = SR_OK;
    sr_rd_begin(&c, ds, path, buf, len);
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s)
            continue;
        if (strpbrk(s, " \t_")) {
            sr_rd_skip(&c, 0, "a word list holds one word a line, not '%s'", s);
            continue;
        }
        uint32_t id = sr_ds_word(ds, s, strlen(s));
        if (!id) {
            err = SR_ENOMEM;
            break;
        }
        if (id >= ds->is_prep_n) {
            size_t cap = ds->is_prep_n;
            if (sr_grow((void **)&ds->is_prep, &cap, (size_t)id + 1, 1)) {
                err = SR_ENOMEM;
                break;
            }
            memset(ds->is_prep + ds->is_prep_n, 0, cap - ds->is_prep_n);
            ds->is_prep_n = cap;
        }
        if (!ds->is_prep[id]) {
            ds->is_prep[id] = 1;
            ds->nprep++;
        }
        sr_rd_used(&c);
    }
    sr_rd_end(&c);
    return err;
}
