/*
 * read_misc.c - discard and issue dictionaries.
 *
 * Discards (PETRARCH):  "PHRASE" drops a sentence that contains it,
 * "+PHRASE" drops the whole story ("+Manchester United": a sports report).
 *
 * Issues (Phoenix IssueCoding.txt):
 *     <ISSUE CATEGORY="EDUCATION" TYPE="ALL">
 *     n:teacher [TEACHERS]          n: noun - its plural matches too
 *     early+childhood education     a+b: "a b", "a-b" or "ab"
 *     ~a head start                 ~ (or ~~): a phrase that must NOT count
 *     </ISSUE>
 * A line without [CODE] takes the section's CATEGORY.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dict/dictset_impl.h"
#include "dict/read_common.h"

sr_err sr_read_discards(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .path = path };
    char *cur = buf, *line;
    size_t n;
    while ((line = sr_ds_next_line(&cur, buf + len, &n)) != NULL) {
        c.lineno++;
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s || *s == '<')
            continue;
        uint32_t kind = 1;
        if (*s == '+') {
            kind = 2;
            s++;
        }
        uint32_t keys[SR_DICT_MAX_WORDS];
        int k = sr_ds_phrase(ds, s, strlen(s), false, keys, NULL, SR_DICT_MAX_WORDS);
        if (k < 0) {
            sr_skip(path, sr_rd_rec(&c), "discard phrase too long or unreadable");
            continue;
        }
        if (k == 0)
            continue;
        uint32_t node;
        if (sr_trie_add(&ds->discards, keys, (size_t)k, &node) != SR_OK)
            return SR_ENOMEM;
        ds->discards.val[node] = kind;
        ds->ndiscards++;
    }
    return SR_OK;
}

/* Expand "a+b" joins and "n:" plurals of one issue phrase into every
 * written variant, calling add() on each (at most 16 variants). */
#define MAX_VARIANTS 16

static int expand_issue(const char *s, char out[MAX_VARIANTS][256])
{
    int nv = 1;
    size_t len[MAX_VARIANTS] = {0};
    out[0][0] = '\0';
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        /* one word, possibly "n:x" and/or "a+b" */
        bool noun = q - p > 2 && p[0] == 'n' && p[1] == ':';
        const char *w = noun ? p + 2 : p;
        char alts[3][128];
        int na = 0;
        const char *plus = memchr(w, '+', (size_t)(q - w));
        if (plus) {
            int a = (int)(plus - w), b = (int)(q - plus - 1);
            snprintf(alts[na++], sizeof alts[0], "%.*s %.*s", a, w, b, plus + 1);
            snprintf(alts[na++], sizeof alts[0], "%.*s-%.*s", a, w, b, plus + 1);
            snprintf(alts[na++], sizeof alts[0], "%.*s%.*s", a, w, b, plus + 1);
        } else {
            snprintf(alts[na++], sizeof alts[0], "%.*s", (int)(q - w), w);
        }
        int nalt = na;
        if (noun) {
            for (int i = 0; i < nalt && na < 3; i++) {
                size_t l = strlen(alts[i]);
                if (l + 3 < sizeof alts[0]) {
                    memcpy(alts[na], alts[i], l);
                    const char *suf = (alts[i][l - 1] == 's' || alts[i][l - 1] == 'x' ||
                                       alts[i][l - 1] == 'h') ? "es" :
                                      (l > 1 && alts[i][l - 1] == 'y' &&
                                       !strchr("aeiou", alts[i][l - 2])) ? "ies" : "s";
                    size_t base = strcmp(suf, "ies") == 0 ? l - 1 : l;
                    snprintf(alts[na] + base, sizeof alts[0] - base, "%s", suf);
                    na++;
                }
            }
        }
        int nnew = nv * na > MAX_VARIANTS ? MAX_VARIANTS / na : nv;
        if (nnew < 1)
            nnew = 1;
        char tmp[MAX_VARIANTS][256];
        int nt = 0;
        for (int i = 0; i < nnew; i++)
            for (int a = 0; a < na && nt < MAX_VARIANTS; a++) {
                snprintf(tmp[nt], sizeof tmp[0], "%s%s%s", out[i], len[i] ? " " : "", alts[a]);
                nt++;
            }
        for (int i = 0; i < nt; i++) {
            memcpy(out[i], tmp[i], sizeof tmp[0]);
            len[i] = strlen(out[i]);
        }
        nv = nt;
        p = q;
    }
    return nv;
}

sr_err sr_read_issues(sr_dictset *ds, const char *path, char *buf, size_t len)
{
    sr_linectx c = { .path = path };
    char category[64] = "";
    char *cur = buf, *line;
    size_t n;
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
            }
            continue;
        }
        n = sr_rd_clean(&c, line, n);
        char *s = line;
        while (*s && sr_rd_blank(*s))
            s++;
        if (!*s || *s == '<')
            continue;
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
                sr_skip(path, sr_rd_rec(&c), "bad issue code");
                continue;
            }
            code = br + 1;
            cn = (size_t)(cl - br - 1);
            *br = '\0';
        }
        if (!negative && cn == 0) {
            sr_skip(path, sr_rd_rec(&c), "issue phrase outside an <ISSUE> section and without a code");
            continue;
        }
        if (sr_grow((void **)&ds->issue, &ds->issue_cap, ds->nissue + 1, sizeof *ds->issue))
            return SR_ENOMEM;
        sr_issue *is = &ds->issue[ds->nissue];
        if (sr_ds_str(ds, code, cn, &is->code) != SR_OK)
            return SR_ENOMEM;
        is->negative = negative;
        uint32_t idx = (uint32_t)ds->nissue++;
        char (*var)[256] = malloc(MAX_VARIANTS * sizeof *var);
        if (!var)
            return SR_ENOMEM;
        size_t pl = strlen(s);
        while (pl && sr_rd_blank(s[pl - 1]))
            s[--pl] = '\0';
        int nv = pl < 200 ? expand_issue(s, var) : 0;
        for (int i = 0; i < nv; i++) {
            uint32_t keys[SR_DICT_MAX_WORDS];
            int k = sr_ds_phrase(ds, var[i], strlen(var[i]), false, keys, NULL, SR_DICT_MAX_WORDS);
            if (k <= 0)
                continue;
            uint32_t node;
            if (sr_trie_add(&ds->issues, keys, (size_t)k, &node) != SR_OK) {
                free(var);
                return SR_ENOMEM;
            }
            ds->issues.val[node] = idx;
        }
        free(var);
    }
    return SR_OK;
}
