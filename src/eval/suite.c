/*
 * suite.c - the field's validation suites, read for sitrep/eval.h:
 *
 *   TABARI    Validate.text: records "DATE ID" + text + a comment holding the
 *             expected events "{ SRC / TGT / CODE }" ("{+++}", "{---}",
 *             "{###}" say: no event).  Its dictionaries are the ones the
 *             .project file beside it names (actors, verbs, agents, options).
 *             Records that TABARI itself keeps apart are reported apart and
 *             not in the total: DEBUG-* records (known failure cases kept for
 *             debugging), records that change options ("{ OPTION: ... }")
 *             and those after them that test a non-default setting, records
 *             whose only expectations are disabled ("-{ ... }"), and the
 *             records after the suite's FINAL record.
 *   PETRARCH  PETR.UnitTest.records.xml: <Sentence> elements with
 *             <EventCoding> expectations and the <Text>; the dictionaries are
 *             the PETR.Validate.* files its <Environment> names.  sitrep codes
 *             the raw sentence text; the <Parse> trees are ignored.
 *             Records that expect a PETRARCH error ("dateline",
 *             "bad_input_parse"...) count as expecting no event.
 *
 * Each record's text is coded as one sentence, as both programs do, and
 * scored two ways: exactly, as UniversalPetrarch's validator does
 *     correct  = expected events the coder produced
 *     uncoded  = expected events it did not produce
 *     extra    = produced events nobody expected
 * (a multiset match on SOURCE, TARGET, CODE per record, summed per category
 * and in total), and at the levels of sr_eval_score().
 */
#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "eval/internal.h"

typedef struct vevent {
    char src[32], tgt[32], code[8];
} vevent;

static const char *group_name[VG_N] = {"standard", "debug", "option-dependent",
                                       "disabled-expectation", "after-final"};

typedef struct vrecord {
    char id[64];
    char category[32];
    char date[11];            /* YYYY-MM-DD or "" */
    sr_buf text;
    vevent exp[EVAL_MAX_EXPECT];
    size_t nexp;
    vgroup group;
} vrecord;

static bool code_eq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool event_eq(const vevent *a, const vevent *b)
{
    return code_eq(a->src, b->src) && code_eq(a->tgt, b->tgt) && code_eq(a->code, b->code);
}

static void fmt_events(sr_buf *b, const vevent *v, size_t n)
{
    if (n == 0)
        sr_buf_puts(b, "(none)");
    for (size_t i = 0; i < n; i++)
        sr_buf_printf(b, "%s%s/%s/%s", i ? " " : "", v[i].src, v[i].tgt, v[i].code);
}

static const char *plover_of(const eval_run *r, const char *cameo)
{
    const sr_cameo_entry *e = r->cb ? sr_codebook_lookup(r->cb, cameo, NULL) : NULL;
    return e ? e->plover_event : NULL;
}

/* Code one record and score it. */
static sr_err run_record(eval_run *r, vrecord *rec)
{
    /* "FRWD-003-002" continues the story of "FRWD-003-001" */
    char story[64];
    snprintf(story, sizeof story, "%s", rec->id);
    char *dash = strrchr(story, '-');
    bool numbered = dash && dash[1] >= '0' && dash[1] <= '9' && dash > story &&
                    strchr(story, '-') != dash;
    if (numbered) {
        *dash = '\0';
        if (strcmp(story, r->last_story) == 0)
            sr_coder_continue_story(r->coder);
    }
    snprintf(r->last_story, sizeof r->last_story, "%s", numbered ? story : "");
    const char *text = rec->text.p ? rec->text.p : "";
    sr_err e = eval_code_text(r, text, rec->text.len, true, rec->date[0] ? rec->date : NULL);
    if (e != SR_OK)
        return e;
    sr_eval_item items[EVAL_MAX_GOT];
    size_t nitems = eval_items_from_mentions(r, items, EVAL_MAX_GOT);
    vevent got[EVAL_MAX_GOT];
    size_t ngot = 0;
    for (size_t i = 0; i < nitems; i++) {
        vevent v;
        snprintf(v.src, sizeof v.src, "%s", items[i].src);
        snprintf(v.tgt, sizeof v.tgt, "%s", items[i].tgt[0] ? items[i].tgt : "---");
        snprintf(v.code, sizeof v.code, "%.7s", items[i].cameo);
        got[ngot++] = v;
    }
    bool used[EVAL_MAX_GOT] = {false};
    size_t correct = 0;
    for (size_t i = 0; i < rec->nexp; i++)
        for (size_t k = 0; k < ngot; k++)
            if (!used[k] && event_eq(&rec->exp[i], &got[k])) {
                used[k] = true;
                correct++;
                break;
            }
    size_t uncoded = rec->nexp - correct, extra = ngot - correct;
    vcount *c = eval_category(r, rec->category, rec->group);
    if (!c)
        return SR_ENOMEM;
    vcount *g = &r->groups[rec->group];
    c->records++, g->records++;
    c->expected += rec->nexp, g->expected += rec->nexp;
    c->correct += correct, g->correct += correct;
    c->uncoded += uncoded, g->uncoded += uncoded;
    c->extra += extra, g->extra += extra;
    /* the levels, over the standard records */
    sr_eval_item gold[EVAL_MAX_EXPECT];
    for (size_t i = 0; i < rec->nexp; i++) {
        sr_eval_item *it = &gold[i];
        snprintf(it->src, sizeof it->src, "%s", rec->exp[i].src);
        snprintf(it->tgt, sizeof it->tgt, "%s",
                 strcmp(rec->exp[i].tgt, "---") == 0 ? "" : rec->exp[i].tgt);
        snprintf(it->cameo, sizeof it->cameo, "%s", rec->exp[i].code);
        it->category = plover_of(r, it->cameo);
    }
    sr_eval_score(&c->lv, gold, rec->nexp, items, nitems, NULL);
    sr_eval_score(&g->lv, gold, rec->nexp, items, nitems, NULL);
    if ((uncoded || extra) && !r->cfg->quiet) {
        sr_buf *b = &c->fails;
        sr_buf_printf(b, "FAIL %s %s [%s]: expected ", group_name[rec->group], rec->id,
                      rec->category);
        fmt_events(b, rec->exp, rec->nexp);
        sr_buf_puts(b, "; got ");
        fmt_events(b, got, ngot);
        sr_buf_putc(b, '\n');
        if (r->cfg->verbose) {
            sr_buf_puts(b, "    ");
            for (const char *p = text; *p; p++) {
                if (*p == '\n' || *p == '\r')
                    sr_buf_putc(b, ' ');
                else
                    sr_buf_putc(b, *p);
            }
            sr_buf_putc(b, '\n');
        }
    }
    return SR_OK;
}

/* ---- dictionaries ------------------------------------------------------------- */


static sr_err load_dict(eval_run *r, const char *dir, const char *name, sr_dict_kind kind)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sr_err e = sr_dictset_load_file(r->ds, path, kind);
    if (e == SR_EIO) {
        sr_skip(path, NULL, "cannot read dictionary named by the suite");
        return SR_OK;
    }
    if (e != SR_OK)
        return eval_fail(r, e, "%s: %s", path, sr_strerror(e));
    return SR_OK;
}

/* ---- TABARI ------------------------------------------------------------------- */

/* "950101" or "19950101" -> "1995-01-01"; "" if not a date. */
static void tabari_date(const char *s, size_t n, char out[11])
{
    out[0] = '\0';
    char d[9];
    /* TABARI reads the date as a fixed-width field: a stray extra digit
     * ("9501201") is ignored */
    if (n == 7 || n == 9)
        n--;
    if (n == 6) {
        int yy = (s[0] - '0') * 10 + (s[1] - '0');
        snprintf(d, sizeof d, "%s%.6s", yy <= 30 ? "20" : "19", s);
    } else if (n == 8) {
        memcpy(d, s, 8);
        d[8] = '\0';
    } else {
        return;
    }
    for (int i = 0; i < 8; i++)
        if (!isdigit((unsigned char)d[i]))
            return;
    snprintf(out, 11, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
}

/* Find the .project in dir whose <textfile> names base; load what it names. */
static sr_err tabari_project(eval_run *r, const char *dir, const char *base)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%.*s.project", dir,
             (int)(strrchr(base, '.') ? (size_t)(strrchr(base, '.') - base) : strlen(base)), base);
    char *buf = NULL;
    size_t len = 0;
    if (sr_read_file(path, (size_t)1 << 20, &buf, &len) != SR_OK)
        return eval_fail(r, SR_EIO, "no project file '%s' beside the suite", path);
    sr_err status = SR_OK;
    char *cur = buf;
    char options[256] = "";
    while (cur && *cur && !status) {
        char *nl = strchr(cur, '\n');
        if (nl)
            *nl = '\0';
        static const struct { const char *tag; sr_dict_kind kind; } tags[] = {
            {"<actorsfile>", SR_DICT_ACTORS}, {"<verbsfile>", SR_DICT_VERBS},
            {"<agentsfile>", SR_DICT_AGENTS}, {"<optionsfile>", SR_DICT_AUTO},
        };
        for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
            size_t tl = strlen(tags[t].tag);
            if (strncasecmp(cur, tags[t].tag, tl) != 0)
                continue;
            char *v = cur + tl;
            while (*v == ' ' || *v == '\t')
                v++;
            char *e = v + strlen(v);
            while (e > v && isspace((unsigned char)e[-1]))
                *--e = '\0';
            if (!*v)
                break;
            if (tags[t].kind == SR_DICT_AUTO)
                snprintf(options, sizeof options, "%s", v);
            else
                status = load_dict(r, dir, v, tags[t].kind);
        }
        cur = nl ? nl + 1 : NULL;
    }
    free(buf);
    if (!status && options[0]) {
        snprintf(path, sizeof path, "%s/%s", dir, options);
        if (sr_dictset_load_options(r->ds, path) != SR_OK)
            sr_skip(path, NULL, "cannot read the options file");
    }
    return status;
}

/* Parse the expected events in a record's comment. */
static void tabari_expect(vrecord *rec, const char *c, bool *option, size_t *ndisabled)
{
    *option = false;
    *ndisabled = 0;
    for (const char *p = strchr(c, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            break;
        /* "-{ ... }" is a disabled expectation */
        const char *q = p;
        while (q > c && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        bool disabled = q > c && q[-1] == '-';
        char body[256];
        snprintf(body, sizeof body, "%.*s", (int)(e - p - 1), p + 1);
        if (strstr(body, "OPTION:")) {
            *option = true;
            continue;
        }
        if (disabled) {
            (*ndisabled)++;
            continue;
        }
        char *s1 = strchr(body, '/');
        char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
        if (!s2)
            continue;   /* {+++} {---} {###}: no event */
        *s1 = *s2 = '\0';
        char f[3][64];
        const char *parts[3] = {body, s1 + 1, s2 + 1};
        for (int k = 0; k < 3; k++) {
            const char *b = parts[k];
            while (*b && isspace((unsigned char)*b))
                b++;
            size_t n = 0;
            while (b[n] && !isspace((unsigned char)b[n]) && n < 63)
                n++;
            snprintf(f[k], sizeof f[k], "%.*s", (int)n, b);
        }
        if (rec->nexp < EVAL_MAX_EXPECT) {
            vevent *v = &rec->exp[rec->nexp++];
            snprintf(v->src, sizeof v->src, "%.31s", f[0]);
            snprintf(v->tgt, sizeof v->tgt, "%.31s", f[1]);
            snprintf(v->code, sizeof v->code, "%.7s", f[2]);
        }
    }
}

static bool tabari_header(const char *line, char *date, size_t *dn, char *id, size_t idcap)
{
    const char *p = line;
    size_t n = 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (n < 6 || n > 9 || (p[n] != ' ' && p[n] != '\t'))
        return false;
    memcpy(date, p, n);
    date[n] = '\0';
    *dn = n;
    p += n;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t k = 0;
    while (p[k] && !isspace((unsigned char)p[k]))
        k++;
    if (k == 0)
        return false;
    snprintf(id, idcap, "%.*s", (int)k, p);
    return true;
}

/* The category is the record id's leading letters: "PATTERN-14b" and
 * "FBIS-001-3" give PATTERN and FBIS. */
static void category_of(const char *id, char *out, size_t cap)
{
    size_t n = 0;
    while (isalpha((unsigned char)id[n]))
        n++;
    if (n == 0)
        n = strlen(id);
    snprintf(out, cap, "%.*s", (int)n, id);
}

/* Does an OPTION record only put settings back to the suite's defaults
 * (the .options file's values)?  Then the records after it test the default
 * behaviour again. */
static bool option_resets(const char *comment)
{
    static const char *resets[] = {
        "= FALSE", "DEFAULT: OFF", "NOACTPRIOR", "CODE BY CLAUSE", " OFF }", "OFF}",
    };
    for (const char *p = strstr(comment, "OPTION:"); p; p = strstr(p + 1, "OPTION:")) {
        const char *e = strchr(p, '}');
        const char *nl = strchr(p, '\n');
        if (!e || (nl && nl < e))
            e = nl ? nl : p + strlen(p);
        bool reset = false;
        for (size_t i = 0; i < sizeof resets / sizeof resets[0]; i++) {
            const char *r = strstr(p, resets[i]);
            if (r && r < e + 1)
                reset = true;
        }
        if (!reset)
            return false;
    }
    return true;
}

sr_err eval_run_tabari(eval_run *r, const char *file)
{
    char *dcopy = strdup(file), *bcopy = strdup(file);
    char *buf = NULL;
    size_t len = 0;
    sr_err status = SR_OK;
    vrecord *rec = calloc(1, sizeof *rec);
    sr_buf comment = SR_BUF_INIT(EVAL_MAX_RECORD_TEXT);
    if (!dcopy || !bcopy || !rec) {
        status = eval_fail(r, SR_ENOMEM, "out of memory");
        goto out;
    }
    sr_buf_init(&rec->text, EVAL_MAX_RECORD_TEXT);
    if ((status = tabari_project(r, dirname(dcopy), basename(bcopy))) != 0)
        goto out;
    if ((status = eval_finish_dicts(r)) != 0)
        goto out;
    if (sr_read_file(file, (size_t)64 << 20, &buf, &len) != SR_OK) {
        status = eval_fail(r, SR_EIO, "cannot read '%s'", file);
        goto out;
    }
    /* records: header line, text lines, then a comment from "/ *" to "* /" */
    char *cur = buf;
    bool after_final = false, option_mode = false;
    enum { OUTSIDE, TEXT, COMMENT } st = OUTSIDE;
    size_t lineno = 0;
    while (cur && *cur) {
        char *nl = strchr(cur, '\n');
        if (nl)
            *nl = '\0';
        char *line = cur;
        cur = nl ? nl + 1 : NULL;
        lineno++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (st == OUTSIDE) {
            char date[16], id[64];
            size_t dn;
            if (line[0] == '#' || !tabari_header(line, date, &dn, id, sizeof id))
                continue;
            memset(rec->exp, 0, sizeof rec->exp);
            rec->nexp = 0;
            sr_buf_reset(&rec->text);
            sr_buf_reset(&comment);
            snprintf(rec->id, sizeof rec->id, "%s", id);
            category_of(id, rec->category, sizeof rec->category);
            tabari_date(date, dn, rec->date);
            st = TEXT;
            continue;
        }
        if (st == TEXT) {
            char *open = strstr(line, "/*");
            if (open) {
                sr_buf_append(&rec->text, line, (size_t)(open - line));
                sr_buf_putc(&rec->text, '\n');
                line = open + 2;
                st = COMMENT;
            } else {
                sr_buf_puts(&rec->text, line);
                sr_buf_putc(&rec->text, '\n');
                continue;
            }
        }
        /* COMMENT */
        char *close = strstr(line, "*/");
        sr_buf_append(&comment, line, close ? (size_t)(close - line) : strlen(line));
        sr_buf_putc(&comment, '\n');
        if (!close)
            continue;
        st = OUTSIDE;
        bool option;
        size_t ndisabled;
        tabari_expect(rec, comment.p ? comment.p : "", &option, &ndisabled);
        if (option) {
            /* an options record changes settings for the records after it
             * (TABARI's special-setting sections) until one resets them */
            r->option_records++;
            option_mode = !option_resets(comment.p);
            continue;
        }
        if (strncmp(rec->id, "FINAL", 5) == 0) {
            after_final = true;
            continue;
        }
        if (strcmp(rec->category, "START") == 0)
            continue;
        /* a record whose only expectations are disabled ("-{ ... }": TABARI's
         * authors switched the check off) has no answer to score against */
        rec->group = after_final ? VG_OTHER : option_mode ? VG_OPTION :
                     strncasecmp(rec->id, "DEBUG", 5) == 0 ? VG_DEBUG :
                     ndisabled > 0 && rec->nexp == 0 ? VG_DISABLED : VG_STANDARD;
        sr_err e = run_record(r, rec);
        if (e != SR_OK) {
            char recname[32];
            snprintf(recname, sizeof recname, "%zu", lineno);
            if (e == SR_ENOMEM) {
                status = eval_fail(r, SR_ENOMEM, "out of memory");
                goto out;
            }
            sr_skip(file, recname, "cannot code record %s: %s", rec->id, sr_strerror(e));
        }
    }
out:
    if (rec)
        sr_buf_free(&rec->text);
    free(rec);
    sr_buf_free(&comment);
    free(buf);
    free(dcopy);
    free(bcopy);
    return status;
}

/* ---- PETRARCH ------------------------------------------------------------------ */

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static void attr(const xmlNode *n, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (v) {
        /* values are sometimes written with extra quotes: '"ARN"' */
        const char *s = (const char *)v;
        while (*s == '"' || *s == ' ')
            s++;
        size_t k = strlen(s);
        while (k && (s[k - 1] == '"' || s[k - 1] == ' '))
            k--;
        snprintf(out, cap, "%.*s", (int)k, s);
        xmlFree(v);
    }
}

sr_err eval_run_petrarch(eval_run *r, const char *file)
{
    sr_err status = SR_OK;
    char *dcopy = strdup(file);
    vrecord *rec = calloc(1, sizeof *rec);
    xmlDoc *doc = NULL;
    if (!dcopy || !rec) {
        status = eval_fail(r, SR_ENOMEM, "out of memory");
        goto out;
    }
    sr_buf_init(&rec->text, EVAL_MAX_RECORD_TEXT);
    doc = xmlReadFile(file, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                  XML_PARSE_RECOVER | XML_PARSE_HUGE);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        status = eval_fail(r, SR_EFORMAT, "'%s' is not a PETRARCH validation file", file);
        goto out;
    }
    const char *dir = dirname(dcopy);
    const xmlNode *env = child(root, "Environment");
    static const struct { const char *tag; sr_dict_kind kind; } tags[] = {
        {"Verbfile", SR_DICT_VERBS}, {"Actorfile", SR_DICT_ACTORS},
        {"Agentfile", SR_DICT_AGENTS}, {"Discardfile", SR_DICT_DISCARDS},
    };
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        const xmlNode *n = child(env, tags[t].tag);
        if (!n)
            continue;
        xmlChar *v = xmlNodeGetContent(n);
        char name[1024];
        snprintf(name, sizeof name, "%s", v ? (const char *)v : "");
        xmlFree(v);
        char *s = name;
        while (isspace((unsigned char)*s))
            s++;
        char *e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (*s && (status = load_dict(r, dir, s, tags[t].kind)) != 0)
            goto out;
    }
    if ((status = eval_finish_dicts(r)) != 0)
        goto out;
    /* PETRARCH's conventions: an agent alone is an actor ("---GOV"); events
     * need a target unless a <Config> turns require_dyad off */
    sr_dict_options po = *sr_dictset_options(r->ds);
    po.petrarch_actors = true;
    po.allow_no_target = false;
    sr_dictset_set_options(r->ds, &po);
    const xmlNode *sents = child(root, "Sentences");
    for (const xmlNode *n = sents ? sents->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "Config") == 0) {
            char opt[64], val[64];
            attr(n, "option", opt, sizeof opt);
            attr(n, "value", val, sizeof val);
            if (strcasecmp(opt, "require_dyad") == 0) {
                po.allow_no_target = strcasecmp(val, "false") == 0;
                sr_dictset_set_options(r->ds, &po);
            }
            r->option_records++;
            continue;
        }
        if (strcmp((const char *)n->name, "Sentence") != 0)
            continue;
        memset(rec->exp, 0, sizeof rec->exp);
        rec->nexp = 0;
        sr_buf_reset(&rec->text);
        attr(n, "id", rec->id, sizeof rec->id);
        attr(n, "category", rec->category, sizeof rec->category);
        char d[16];
        attr(n, "date", d, sizeof d);
        tabari_date(d, strlen(d), rec->date);
        rec->group = VG_STANDARD;
        for (const xmlNode *c = n->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "EventCoding"))
                continue;
            char s[32], t[32], code[16];
            attr(c, "sourcecode", s, sizeof s);
            attr(c, "targetcode", t, sizeof t);
            attr(c, "eventcode", code, sizeof code);
            if (!s[0] || !code[0] || rec->nexp >= EVAL_MAX_EXPECT)
                continue;   /* noevents / error records expect nothing */
            vevent *v = &rec->exp[rec->nexp++];
            snprintf(v->src, sizeof v->src, "%.31s", s);
            snprintf(v->tgt, sizeof v->tgt, "%.31s", t[0] ? t : "---");
            snprintf(v->code, sizeof v->code, "%.7s", code);
        }
        const xmlNode *tx = child(n, "Text");
        xmlChar *v = tx ? xmlNodeGetContent(tx) : NULL;
        if (v)
            sr_buf_puts(&rec->text, (const char *)v);
        xmlFree(v);
        sr_err e = run_record(r, rec);
        if (e == SR_ENOMEM) {
            status = eval_fail(r, SR_ENOMEM, "out of memory");
            goto out;
        }
        if (e != SR_OK)
            sr_skip(file, rec->id, "cannot code record: %s", sr_strerror(e));
    }
out:
    if (doc)
        xmlFreeDoc(doc);
    if (rec)
        sr_buf_free(&rec->text);
    free(rec);
    free(dcopy);
    return status;
}

/* ---- report --------------------------------------------------------------------- */

static double pct(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void print_counts(FILE *out, const char *label, const vcount *c)
{
    fprintf(out, "%-22s records=%zu expected=%zu correct=%zu uncoded=%zu extra=%zu"
           "  (correct %.1f%%, extra/records %.1f%%)\n",
           label, c->records, c->expected, c->correct, c->uncoded, c->extra,
           pct(c->correct, c->expected), pct(c->extra, c->records));
}

void eval_report_suite(eval_run *r)
{
    for (int g = 0; g < VG_N; g++) {
        if (!r->groups[g].records)
            continue;
        fprintf(r->out, "== %s records\n", group_name[g]);
        for (size_t i = 0; i < r->ncats; i++)
            if ((int)r->cats[i].group == g) {
                char label[40];
                snprintf(label, sizeof label, "  %s:", r->cats[i].name);
                print_counts(r->out, label, &r->cats[i]);
            }
    }
    /* the failures, category by category: what each category still needs */
    for (int g = 0; g < VG_N; g++)
        for (size_t i = 0; i < r->ncats; i++) {
            const vcount *c = &r->cats[i];
            if ((int)c->group != g || !c->fails.len)
                continue;
            fprintf(r->out, "== failures: %s %s (%zu uncoded, %zu extra)\n", group_name[g], c->name,
                   c->uncoded, c->extra);
            fputs(c->fails.p, r->out);
        }
    for (int g = 0; g < VG_N; g++)
        if (r->groups[g].records && g != VG_STANDARD) {
            char label[40];
            snprintf(label, sizeof label, "%s:", group_name[g]);
            print_counts(r->out, label, &r->groups[g]);
        }
    if (r->option_records)
        fprintf(r->out, "option records (settings only, not coded): %zu\n", r->option_records);
    const vcount *t = &r->groups[VG_STANDARD];
    eval_print_levels(r->out, "levels", &t->lv);
    fprintf(r->out, "total: records=%zu expected=%zu correct=%zu uncoded=%zu extra=%zu\n",
           t->records, t->expected, t->correct, t->uncoded, t->extra);
    r->res->records = t->records;
    r->res->expected = t->expected;
    r->res->correct = t->correct;
    r->res->uncoded = t->uncoded;
    r->res->extra = t->extra;
    r->res->lv = t->lv;
}

