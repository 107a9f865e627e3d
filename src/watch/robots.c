/*
 * robots.c - robots.txt as RFC 9309 defines it, for one product token.
 *
 * Hand-written: Debian packages no C robots.txt parser, and the format is
 * small.  The rules that matter, as the RFC states them:
 *   - groups start with one or more user-agent lines; allow/disallow lines
 *     belong to the group above them; other lines are ignored;
 *   - a crawler uses every group that names its product token (case-
 *     insensitively), else every "*" group, else nothing is disallowed;
 *   - the rule with the longest matching path wins, allow on a tie; '*'
 *     matches any run of characters and a final '$' anchors the end;
 *   - /robots.txt itself is always allowed;
 *   - at least 500 KiB must be parsed (we parse SR_ROBOTS_MAX_BYTES).
 * Crawl-delay is not in the RFC but widely written; it is honoured as a
 * floor on the delay between requests (the caller caps it).
 *
 * Matching is a two-pointer glob with one backtrack point (the last '*'),
 * so a path of m bytes against a pattern of n costs O(n*m) at worst, never
 * exponential time.
 */
#include "watch/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RULES 10000
#define MAX_PATTERN 2048

typedef struct rule {
    char *pattern;
    size_t len;        /* specificity: octets of the pattern */
    bool allow;
} rule;

struct sr_robots {
    rule *rules;
    size_t n, cap;
    int uniform;       /* -1 rules apply; 0 disallow all; 1 allow all */
    double crawl_delay;
};

sr_robots *sr_robots_uniform(int allow)
{
    sr_robots *r = calloc(1, sizeof *r);
    if (r)
        r->uniform = allow ? 1 : 0;
    return r;
}

void sr_robots_free(sr_robots *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rules[i].pattern);
    free(r->rules);
    free(r);
}

static size_t trim(const char *s, size_t n, const char **out)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    *out = s;
    return n;
}

/* Does the user-agent value name our token?  "sitrep", "SiTrEp/1.0". */
static bool names_agent(const char *v, size_t n, const char *agent)
{
    size_t k = 0;
    while (k < n && v[k] != '/' && v[k] != ' ' && v[k] != '\t')
        k++;
    return k == strlen(agent) && strncasecmp(v, agent, k) == 0;
}

enum { KEY_OTHER, KEY_AGENT, KEY_ALLOW, KEY_DISALLOW, KEY_DELAY };

static int key_of(const char *k, size_t n)
{
    if (n == 10 && strncasecmp(k, "user-agent", 10) == 0) return KEY_AGENT;
    if (n == 5 && strncasecmp(k, "allow", 5) == 0) return KEY_ALLOW;
    if (n == 8 && strncasecmp(k, "disallow", 8) == 0) return KEY_DISALLOW;
    /* common misspellings the big crawlers accept */
    if (n == 7 && strncasecmp(k, "dissalow", 7) == 0) return KEY_DISALLOW;
    if (n == 9 && strncasecmp(k, "disalllow", 9) == 0) return KEY_DISALLOW;
    if (n == 11 && strncasecmp(k, "crawl-delay", 11) == 0) return KEY_DELAY;
    return KEY_OTHER;
}

/* Rules of the groups that match: two passes over the text, the first to
 * learn whether any group names the agent (then "*" groups are ignored). */
static int parse_pass(sr_robots *r, const char *txt, size_t len, const char *agent,
                      bool want_exact, bool *found_exact)
{
    size_t pos = 0;
    bool in_agents = false;      /* reading a run of user-agent lines */
    bool group_applies = false;
    while (pos < len) {
        const char *line = txt + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        const char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        const char *colon = memchr(line, ':', n);
        if (!colon)
            continue;
        const char *k, *v;
        size_t kn = trim(line, (size_t)(colon - line), &k);
        size_t vn = trim(colon + 1, n - (size_t)(colon + 1 - line), &v);
        int key = key_of(k, kn);
        if (key == KEY_AGENT) {
            if (!in_agents) {
                group_applies = false;
                in_agents = true;
            }
            bool exact = names_agent(v, vn, agent);
            if (exact)
                *found_exact = true;
            if (want_exact ? exact : (vn == 1 && v[0] == '*'))
                group_applies = true;
            continue;
        }
        if (key == KEY_OTHER)
            continue;    /* sitemap lines and unknown keys do not end a group */
        in_agents = false;
        if (!group_applies || !r)
            continue;
        if (key == KEY_DELAY) {
            char buf[32];
            if (vn > 0 && vn < sizeof buf) {
                memcpy(buf, v, vn);
                buf[vn] = '\0';
                char *end;
                double d = strtod(buf, &end);
                if (end != buf && d > r->crawl_delay && d < 86400)
                    r->crawl_delay = d;
            }
            continue;
        }
        if (vn == 0)
            continue;    /* "Disallow:" with no path disallows nothing */
        if (vn > MAX_PATTERN || r->n >= MAX_RULES)
            continue;
        if (sr_grow((void **)&r->rules, &r->cap, r->n + 1, sizeof *r->rules))
            return SR_ENOMEM;
        char *p = malloc(vn + 1);
        if (!p)
            return SR_ENOMEM;
        /* escapes compared upper-case, as URLs are normalised */
        for (size_t i = 0; i < vn; i++)
            p[i] = v[i];
        p[vn] = '\0';
        for (size_t i = 0; i + 2 < vn; i++)
            if (p[i] == '%' && isxdigit((unsigned char)p[i + 1]) && isxdigit((unsigned char)p[i + 2])) {
                p[i + 1] = (char)toupper((unsigned char)p[i + 1]);
                p[i + 2] = (char)toupper((unsigned char)p[i + 2]);
            }
        r->rules[r->n].pattern = p;
        r->rules[r->n].len = vn;
        r->rules[r->n].allow = key == KEY_ALLOW;
        r->n++;
    }
    return 0;
}

sr_robots *sr_robots_parse(const char *txt, size_t len, const char *agent)
{
    sr_robots *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->uniform = -1;
    if (len > SR_ROBOTS_MAX_BYTES)
        len = SR_ROBOTS_MAX_BYTES;
    if (len >= 3 && (unsigned char)txt[0] == 0xEF && (unsigned char)txt[1] == 0xBB &&
        (unsigned char)txt[2] == 0xBF) {
        txt += 3;
        len -= 3;
    }
    bool exact = false;
    parse_pass(NULL, txt, len, agent, true, &exact);
    if (parse_pass(r, txt, len, agent, exact, &exact) != 0) {
        sr_robots_free(r);
        return NULL;
    }
    return r;
}

/* Does pattern (with '*' and a final '$') match a prefix of path (all of
 * it when anchored)? */
static bool glob_prefix(const char *pat, size_t pn, const char *path)
{
    bool anchored = pn > 0 && pat[pn - 1] == '$';
    if (anchored)
        pn--;
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    size_t m = strlen(path);
    while (i < pn || j < m) {
        if (i < pn && pat[i] == '*') {
            star = i++;
            mark = j;
            continue;
        }
        if (i == pn && !anchored)
            return true;             /* pattern used up: a prefix matched */
        if (i < pn && j < m && pat[i] == path[j]) {
            i++;
            j++;
            continue;
        }
        if (star != (size_t)-1 && mark < m) {
            i = star + 1;
            j = ++mark;
            continue;
        }
        return false;
    }
    return true;
}

bool sr_robots_allowed(const sr_robots *r, const char *path)
{
    if (!path || !*path)
        path = "/";
    if (strcmp(path, "/robots.txt") == 0)
        return true;
    if (r->uniform >= 0)
        return r->uniform == 1;
    size_t best = 0;
    bool allowed = true, any = false;
    for (size_t i = 0; i < r->n; i++) {
        const rule *ru = &r->rules[i];
        if (any && ru->len < best)
            continue;
        if (!glob_prefix(ru->pattern, ru->len, path))
            continue;
        if (!any || ru->len > best || (ru->len == best && ru->allow)) {
            allowed = ru->allow;
            best = ru->len;
            any = true;
        }
    }
    return allowed;
}

double sr_robots_crawl_delay(const sr_robots *r)
{
    return r->crawl_delay;
}
