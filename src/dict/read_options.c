/*
 * read_options.c - TABARI .options files (see sr_dictset_load_options in
 * sitrep/dict.h for the commands).
 *
 * The syntax, as TABARI's own files write it (CAMEO.09b5.options,
 * Validate.options and the "{ OPTION: ... }" records of Validate.text):
 *     COMPLEX: VERBS[6] ACTORS[6] CONJ[4] NOACTPRIOR EXPLAIN
 *     SET: CODE BY SENTENCE          SET: CODE BY CLAUSE      SET: CODE ALL
 *     SET: MINIMUM WORDS = 8         SET: CHECK DOMINANT=FALSE
 *     DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER     DEFAULT: OFF
 *     COMMA: MIN = 2 MAX = 10 EMIN = 2 EMAX = 10 BMIN = 255 BMAX = 0   COMMA: OFF
 *     LABEL: 010= Make statement
 *     OUTPUT: ID STORY SENT          FORWARD: ^********^*** OFF
 *     // a comment                   ~~~~~ (the end of the file)
 * A COMPLEX: or DEFAULT: line replaces the earlier one as a whole (TABARI's
 * suite switches NOACTPRIOR off by repeating the line without it).  SET:
 * names TABARI knows that only shape its own output or interactive screens
 * (VERB USAGE, ACTOR USAGE, AGENT USAGE, SKIP RECORDS, DUP WARNING, FBIS,
 * LABEL) are read and change nothing here, like OUTPUT: and FORWARD:.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/dictset_impl.h"
#include "dict/read_common.h"

/* s starts with word (case-insensitive) followed by a non-letter? */
static bool word_at(const char *s, const char *word)
{
    size_t n = strlen(word);
    return strncasecmp(s, word, n) == 0 && !isalpha((unsigned char)s[n]);
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* "NAME[n]": the number, or -1 if malformed. */
static int bracket_number(const char *s, const char **end)
{
    const char *p = strchr(s, '[');
    if (!p || !isdigit((unsigned char)p[1]))
        return -1;
    char *e;
    long v = strtol(p + 1, &e, 10);
    if (*e != ']' || v < 0 || v > 100000)
        return -1;
    *end = e + 1;
    return (int)v;
}

static bool parse_bool(const char *v, bool *out)
{
    v = skip_blanks(v);
    if (word_at(v, "TRUE") || word_at(v, "YES") || word_at(v, "ON") || word_at(v, "1"))
        *out = true;
    else if (word_at(v, "FALSE") || word_at(v, "NO") || word_at(v, "OFF") || word_at(v, "0"))
        *out = false;
    else
        return false;
    return true;
}

static bool parse_int(const char *v, int *out)
{
    v = skip_blanks(v);
    if (!isdigit((unsigned char)*v))
        return false;
    char *e;
    long n = strtol(v, &e, 10);
    if (n < 0 || n > 1000000 || *skip_blanks(e))
        return false;
    *out = (int)n;
    return true;
}

static sr_err opt_complex(sr_dict_options *o, sr_linectx *c, const char *s)
{
    sr_dict_options n = *o;
    n.complex_verbs = n.complex_conj = n.complex_actors = 0;
    n.complex_noactprior = n.complex_explain = false;
    for (s = skip_blanks(s); *s; s = skip_blanks(s)) {
        const char *end = s + strcspn(s, " \t");
        int v;
        if (word_at(s, "VERBS") || word_at(s, "CONJ") || word_at(s, "ACTORS")) {
            if ((v = bracket_number(s, &end)) < 0) {
                sr_rd_skip(c, 0, "COMPLEX: '%.*s' needs a number in brackets, as VERBS[5]",
                           (int)strcspn(s, " \t"), s);
                return SR_EFORMAT;
            }
            if (word_at(s, "VERBS"))
                n.complex_verbs = v;
            else if (word_at(s, "CONJ"))
                n.complex_conj = v;
            else
                n.complex_actors = v;
        } else if (word_at(s, "NOACTPRIOR")) {
            n.complex_noactprior = true;
        } else if (word_at(s, "EXPLAIN")) {
            n.complex_explain = true;
        } else {
            sr_rd_skip(c, 0, "unknown COMPLEX: condition '%.*s' (known: VERBS[n] ACTORS[n] "
                       "CONJ[n] NOACTPRIOR EXPLAIN)", (int)(end - s), s);
            return SR_EFORMAT;
        }
        s = end;
    }
    *o = n;
    return SR_OK;
}

static sr_err opt_set(sr_dict_options *o, sr_linectx *c, const char *s)
{
    s = skip_blanks(s);
    /* "CODE BY SENTENCE", "CODE BY CLAUSE", "CODE ALL": no '=' */
    if (word_at(s, "CODE")) {
        const char *v = skip_blanks(s + 4);
        if (word_at(v, "ALL")) {
            o->code_all = true;
            o->code_by_sentence = false;
            return SR_OK;
        }
        if (word_at(v, "BY")) {
            v = skip_blanks(v + 2);
            if (word_at(v, "SENTENCE")) {
                o->code_by_sentence = true;
                o->code_all = false;
                return SR_OK;
            }
            if (word_at(v, "CLAUSE")) {
                o->code_by_sentence = o->code_all = false;
                return SR_OK;
            }
        }
        sr_rd_skip(c, 0, "unknown SET: CODE mode '%s' (known: BY SENTENCE, BY CLAUSE, ALL)", v);
        return SR_EFORMAT;
    }
    const char *eq = strchr(s, '=');
    if (!eq) {
        sr_rd_skip(c, 0, "SET: '%s' has no '= value'", s);
        return SR_EFORMAT;
    }
    char name[48];
    size_t nl = (size_t)(eq - s);
    while (nl && (s[nl - 1] == ' ' || s[nl - 1] == '\t'))
        nl--;
    if (nl >= sizeof name)
        nl = sizeof name - 1;
    /* one blank between words: "MINIMUM  WORDS" is "MINIMUM WORDS" */
    size_t w = 0;
    for (size_t i = 0; i < nl; i++) {
        char ch = s[i] == '\t' ? ' ' : (char)toupper((unsigned char)s[i]);
        if (ch == ' ' && (w == 0 || name[w - 1] == ' '))
            continue;
        name[w++] = ch;
    }
    name[w] = '\0';
    const char *val = eq + 1;
    static const char *const output_only[] = {
        "VERB USAGE", "ACTOR USAGE", "AGENT USAGE", "SKIP RECORDS", "DUP WARNING",
        "FBIS", "LABEL",
    };
    bool b;
    bool *target = NULL;
    if (strcmp(name, "CHECK DOMINANT") == 0)
        target = &o->check_dominant;
    else if (strcmp(name, "CONVERT AGENT") == 0)
        target = &o->convert_agent;
    else if (strcmp(name, "TIME SHIFT") == 0)
        target = &o->time_shift;
    else if (strcmp(name, "YYYY") == 0)
        target = &o->yyyy;
    else if (strcmp(name, "ALLCAPS") == 0)
        target = &o->allcaps;
    if (target) {
        if (!parse_bool(val, &b)) {
            sr_rd_skip(c, 0, "SET: %s wants TRUE or FALSE, not '%s'", name, skip_blanks(val));
            return SR_EFORMAT;
        }
        *target = b;
        return SR_OK;
    }
    if (strcmp(name, "MINIMUM WORDS") == 0) {
        int n;
        if (!parse_int(val, &n)) {
            sr_rd_skip(c, 0, "SET: MINIMUM WORDS wants a number, not '%s'", skip_blanks(val));
            return SR_EFORMAT;
        }
        o->minimum_words = n;
        return SR_OK;
    }
    for (size_t i = 0; i < sizeof output_only / sizeof output_only[0]; i++)
        if (strcmp(name, output_only[i]) == 0) {
            if (!parse_bool(val, &b)) {
                sr_rd_skip(c, 0, "SET: %s wants TRUE or FALSE, not '%s'", name, skip_blanks(val));
                return SR_EFORMAT;
            }
            return SR_OK;   /* TABARI's own output and screens */
        }
    sr_rd_skip(c, 0, "unknown SET: option '%s'", name);
    return SR_EFORMAT;
}

/* "[CODE]" after s: copied into out. */
static bool bracket_code(const char **s, char out[SR_DICT_MAX_CODE + 1])
{
    const char *p = skip_blanks(*s);
    if (*p != '[')
        return false;
    const char *e = strchr(p, ']');
    if (!e || e - p - 1 < 1 || e - p - 1 > SR_DICT_MAX_CODE)
        return false;
    snprintf(out, SR_DICT_MAX_CODE + 1, "%.*s", (int)(e - p - 1), p + 1);
    *s = e + 1;
    return true;
}

static sr_err opt_default(sr_dict_options *o, sr_linectx *c, const char *s)
{
    sr_dict_options n = *o;
    n.default_source[0] = n.default_target[0] = '\0';
    n.default_source_prior = n.default_target_after = false;
    s = skip_blanks(s);
    if (word_at(s, "OFF") && !*skip_blanks(s + 3)) {
        *o = n;
        return SR_OK;
    }
    char *last = NULL;   /* the side PRIOR/AFTER qualifies */
    while (*(s = skip_blanks(s))) {
        if (word_at(s, "SOURCE") || word_at(s, "TARGET")) {
            bool src = word_at(s, "SOURCE");
            s += 6;
            last = src ? n.default_source : n.default_target;
            if (!bracket_code(&s, last)) {
                sr_rd_skip(c, 0, "DEFAULT: %s needs a [code]", src ? "SOURCE" : "TARGET");
                return SR_EFORMAT;
            }
        } else if ((word_at(s, "PRIOR") || word_at(s, "AFTER")) && last) {
            if (last == n.default_source)
                n.default_source_prior = true;
            else
                n.default_target_after = true;
            s += 5;
        } else {
            sr_rd_skip(c, 0, "unknown DEFAULT: word '%.*s' (known: SOURCE [code], TARGET "
                       "[code], PRIOR, AFTER, OFF)", (int)strcspn(s, " \t"), s);
            return SR_EFORMAT;
        }
    }
    *o = n;
    return SR_OK;
}

static sr_err opt_comma(sr_dict_options *o, sr_linectx *c, const char *s)
{
    sr_dict_options n = *o;
    s = skip_blanks(s);
    if (word_at(s, "OFF") && !*skip_blanks(s + 3)) {
        o->comma_on = false;
        return SR_OK;
    }
    n.comma_on = true;
    while (*(s = skip_blanks(s))) {
        size_t wl = strcspn(s, " \t=");
        const char *eq = skip_blanks(s + wl);
        int *target = NULL;
        static const struct { const char *name; size_t off; } keys[] = {
            {"MIN", offsetof(sr_dict_options, comma_min)},
            {"MAX", offsetof(sr_dict_options, comma_max)},
            {"EMIN", offsetof(sr_dict_options, comma_emin)},
            {"EMAX", offsetof(sr_dict_options, comma_emax)},
            {"BMIN", offsetof(sr_dict_options, comma_bmin)},
            {"BMAX", offsetof(sr_dict_options, comma_bmax)},
        };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strlen(keys[i].name) == wl && strncasecmp(s, keys[i].name, wl) == 0)
                target = (int *)((char *)&n + keys[i].off);
        if (!target || *eq != '=') {
            sr_rd_skip(c, 0, "COMMA: '%.*s' is not NAME = number (names: MIN MAX EMIN EMAX "
                       "BMIN BMAX)", (int)wl, s);
            return SR_EFORMAT;
        }
        const char *v = skip_blanks(eq + 1);
        char *e;
        long num = strtol(v, &e, 10);
        if (e == v || num < 0 || num > 100000) {
            sr_rd_skip(c, 0, "COMMA: %.*s wants a number", (int)wl, s);
            return SR_EFORMAT;
        }
        *target = (int)num;
        s = e;
    }
    *o = n;
    return SR_OK;
}

static sr_err opt_label(sr_dictset *ds, sr_linectx *c, const char *s)
{
    s = skip_blanks(s);
    const char *eq = strchr(s, '=');
    if (!eq) {
        sr_rd_skip(c, 0, "LABEL: '%s' is not code=name", s);
        return SR_EFORMAT;
    }
    size_t cl = (size_t)(eq - s);
    while (cl && (s[cl - 1] == ' ' || s[cl - 1] == '\t'))
        cl--;
    const char *t = skip_blanks(eq + 1);
    size_t tl = strlen(t);
    while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
        tl--;
    if (cl == 0 || cl > SR_DICT_MAX_CODE || tl == 0) {
        sr_rd_skip(c, 0, "LABEL: '%s' is not code=name", s);
        return SR_EFORMAT;
    }
    sr_label *l = NULL;
    for (size_t i = 0; i < ds->nlabel; i++)
        if (strlen(ds->label[i].code) == cl && strncmp(ds->label[i].code, s, cl) == 0)
            l = &ds->label[i];   /* a later label replaces the earlier */
    char *text = strndup(t, tl);
    if (!text)
        return SR_ENOMEM;
    if (l) {
        free(l->text);
        l->text = text;
        return SR_OK;
    }
    if (sr_grow((void **)&ds->label, &ds->label_cap, ds->nlabel + 1, sizeof *ds->label) ||
        !(ds->label[ds->nlabel].code = strndup(s, cl))) {
        free(text);
        return SR_ENOMEM;
    }
    ds->label[ds->nlabel++].text = text;
    return SR_OK;
}

/* Apply one cleaned, non-empty line.  SR_EFORMAT after a report. */
static sr_err apply_line(sr_dictset *ds, sr_linectx *c, const char *s)
{
    sr_dict_options *o = &ds->opts;
    const char *colon = strchr(s, ':');
    size_t cmd = colon ? (size_t)(colon - s) : 0;
    while (cmd && (s[cmd - 1] == ' ' || s[cmd - 1] == '\t'))
        cmd--;
    const char *rest = colon ? colon + 1 : "";
#define IS(name) (cmd == strlen(name) && strncasecmp(s, name, cmd) == 0)
    if (IS("COMPLEX"))
        return opt_complex(o, c, rest);
    if (IS("SET"))
        return opt_set(o, c, rest);
    if (IS("DEFAULT"))
        return opt_default(o, c, rest);
    if (IS("COMMA"))
        return opt_comma(o, c, rest);
    if (IS("LABEL"))
        return opt_label(ds, c, rest);
    if (IS("OUTPUT") || IS("FORWARD"))
        return SR_OK;   /* TABARI's event-file layout and interactive mode */
#undef IS
    if (colon)
        sr_rd_skip(c, 0, "unknown .options command '%.*s:' (known: COMPLEX SET DEFAULT "
                   "COMMA LABEL OUTPUT FORWARD)", (int)cmd, s);
    else
        sr_rd_skip(c, 0, "not an .options command ('NAME: ...'): '%s'", s);
    return SR_EFORMAT;
}

/* Strip a "//" comment and blanks; returns the start of what is left. */
static char *clean_option(char *line)
{
    char *cm = strstr(line, "//");
    if (cm)
        *cm = '\0';
    size_t n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    return (char *)skip_blanks(line);
}

sr_err sr_read_options(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .tabari = true };
    char *cur = buf, *line;
    size_t n;
    bool ended = false;
    sr_err err = SR_OK;
    sr_rd_begin(&c, ds, path, buf, len);
    /* TABARI's defaults for what an options file can leave unsaid */
    ds->opts.first_verb_only = true;
    ds->opts.check_dominant = true;
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        char *s = clean_option(line);
        if (!*s)
            continue;
        if (c.mark && c.lineno < c.nmark)
            c.mark[c.lineno] |= SR_LN_CONTENT;
        if (ended || *s == '~' || *s == '<') {
            /* after the end mark: notes; '<...>': a .project file's tags */
            ended = ended || *s == '~';
            sr_rd_used(&c);
            continue;
        }
        sr_err e = apply_line(ds, &c, s);
        if (e == SR_ENOMEM) {
            err = e;
            break;
        }
        if (e == SR_OK) {
            ds->option_lines++;
            sr_rd_used(&c);
        }
    }
    sr_rd_end(&c);
    return err;
}

sr_err sr_dictset_option_line(sr_dictset *ds, const char *text, const char *file, size_t line)
{
    sr_linectx c = { .tabari = true, .path = file ? file : "-", .ds = ds, .lineno = line };
    char *copy = strdup(text);
    if (!copy)
        return SR_ENOMEM;
    char *s = clean_option(copy);
    sr_err e = SR_OK;
    if (*s && *s != '~') {
        e = apply_line(ds, &c, s);
        if (e == SR_OK)
            ds->option_lines++;
    }
    free(copy);
    return e;
}

const char *sr_dictset_label(const sr_dictset *ds, const char *code)
{
    for (size_t i = 0; code && i < ds->nlabel; i++)
        if (strcmp(ds->label[i].code, code) == 0)
            return ds->label[i].text;
    return NULL;
}
