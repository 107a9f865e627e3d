/*
 * meta.c - article metadata: title, author, published time, site name,
 * canonical URL and language.
 *
 * Sources, strongest first, because publishers fill them for social cards
 * and search engines and they are more reliable than anything inferred from
 * layout: Open Graph / article:* meta tags, JSON-LD (schema.org NewsArticle),
 * named meta tags (author, pubdate, dc.date ...), then the document itself
 * (<h1>, <title> minus its " | Site" suffix, the first <time datetime>).
 *
 * JSON-LD is read with a small key scanner rather than a JSON parser: we
 * want four string fields out of whatever shape the page uses (a bare
 * object, an array, an @graph), and a scanner tolerates the broken JSON
 * that pages often ship (trailing commas, unescaped newlines) where a strict
 * parser would give up on all of it.  The cost is that a key is taken from
 * the first object that has it, which for @graph pages is usually the
 * article anyway.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>   /* xmlBuildURI for a relative canonical URL */

#define META_MAX_VALUE 4096   /* longer "titles" or "authors" are junk */

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

char *htm_strdup_trim(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > META_MAX_VALUE)
        n = META_MAX_VALUE;
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* U+00A0 counts as a space here. */
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
            i++;
            c = ' ';
        }
        if (is_ws(c)) {
            space = k > 0;
            continue;
        }
        if (space)
            d[k++] = ' ';
        space = 0;
        d[k++] = (char)c;
    }
    /* A cut inside a multi-byte character would leave invalid UTF-8: drop
     * the last character only when it is incomplete (dropping it always
     * turned "Café" into "Caf"). */
    size_t lead = k, cont = 0;
    while (lead > 0 && cont < 4 && ((unsigned char)d[lead - 1] & 0xc0) == 0x80) {
        lead--;
        cont++;
    }
    if (lead > 0 && (unsigned char)d[lead - 1] >= 0xc0) {
        unsigned c = (unsigned char)d[lead - 1];
        size_t need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        if (cont < need)
            k = lead - 1;
    } else if (cont > 0 && lead == 0) {
        k = 0;
    }
    d[k] = '\0';
    if (k == 0) {
        free(d);
        return NULL;
    }
    return d;
}

static const char *attr(const htm_node *n, const char *name)
{
    return htm_attr_get(n, name);
}

static void set_once(char **slot, const char *v)
{
    if (*slot || !v)
        return;
    *slot = htm_strdup_trim(v);
}

/* Text of an element's subtree, iteratively, capped. */
static char *node_text(const htm_node *n)
{
    sr_buf b = SR_BUF_INIT(META_MAX_VALUE);
    const htm_node *cur = n->children;
    while (cur && b.len < META_MAX_VALUE) {
        if (cur->type == HTM_TEXT && cur->content) {
            if (sr_buf_puts(&b, cur->content))
                break;
        } else if (cur->type == HTM_ELEM && cur->children) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != n && !cur->next)
            cur = cur->parent;
        if (!cur || cur == n)
            break;
        cur = cur->next;
    }
    char *r = htm_strdup_trim(b.p ? b.p : "");
    sr_buf_free(&b);
    return r;
}

static int looks_like_date(const char *v)
{
    /* YYYY-MM-DD at the start: what ISO 8601 and RFC 3339 share. */
    if (!v)
        return 0;
    while (is_ws((unsigned char)*v))
        v++;
    for (int i = 0; i < 10; i++) {
        char c = v[i];
        if (i == 4 || i == 7) {
            if (c != '-')
                return 0;
        } else if (c < '0' || c > '9') {
            return 0;
        }
    }
    return 1;
}

static void set_date(char **slot, const char *v)
{
    if (!*slot && looks_like_date(v))
        set_once(slot, v);
}

sr_err htm_meta_element(htm_meta *m, const htm_node *n)
{
    uint16_t tag = n->tag;
    if (tag == HTT_META) {
        const char *key = attr(n, "property");
        if (!key || !*key)
            key = attr(n, "name");
        if (!key || !*key)
            key = attr(n, "itemprop");
        const char *http = attr(n, "http-equiv");
        const char *content = attr(n, "content");
        if (!content)
            return SR_OK;
        if (http && htm_ascii_casecmp(http, "content-language") == 0)
            set_once(&m->lang, content);
        if (!key)
            return SR_OK;
        if (!htm_ascii_casecmp(key, "og:title") || !htm_ascii_casecmp(key, "twitter:title"))
            set_once(&m->title_og, content);
        else if (!htm_ascii_casecmp(key, "og:site_name") ||
                 !htm_ascii_casecmp(key, "application-name"))
            set_once(&m->site_name, content);
        else if (!htm_ascii_casecmp(key, "og:url"))
            set_once(&m->url, content);
        else if (!htm_ascii_casecmp(key, "author") || !htm_ascii_casecmp(key, "article:author") ||
                 !htm_ascii_casecmp(key, "parsely-author") || !htm_ascii_casecmp(key, "dc.creator") ||
                 !htm_ascii_casecmp(key, "sailthru.author") || !htm_ascii_casecmp(key, "byl")) {
            /* article:author is often a profile URL, not a name. */
            if (strncmp(content, "http", 4) != 0)
                set_once(&m->author, content);
        } else if (!htm_ascii_casecmp(key, "article:published_time") ||
                   !htm_ascii_casecmp(key, "og:article:published_time") ||
                   !htm_ascii_casecmp(key, "datepublished") ||
                   !htm_ascii_casecmp(key, "pubdate") || !htm_ascii_casecmp(key, "publishdate") ||
                   !htm_ascii_casecmp(key, "publish-date") ||
                   !htm_ascii_casecmp(key, "parsely-pub-date") ||
                   !htm_ascii_casecmp(key, "sailthru.date") || !htm_ascii_casecmp(key, "dc.date") ||
                   !htm_ascii_casecmp(key, "dc.date.issued") || !htm_ascii_casecmp(key, "date") ||
                   !htm_ascii_casecmp(key, "article.published"))
            set_date(&m->published, content);
        else if (!htm_ascii_casecmp(key, "language") || !htm_ascii_casecmp(key, "dc.language"))
            set_once(&m->lang, content);
    } else if (tag == HTT_LINK) {
        const char *rel = attr(n, "rel");
        if (rel && htm_ascii_casecmp(rel, "canonical") == 0) {
            const char *href = attr(n, "href");
            if (href && *href) {
                /* The canonical link outranks og:url. */
                free(m->url);
                m->url = NULL;
                set_once(&m->url, href);
            }
        }
    } else if (tag == HTT_HTML) {
        const char *l = attr(n, "lang");
        if (!l)
            l = attr(n, "xml:lang");
        if (l && *l) {
            free(m->lang);
            m->lang = NULL;
            set_once(&m->lang, l);
        }
    } else if (tag == HTT_TITLE) {
        if (!m->title_tag)
            m->title_tag = node_text(n);
    } else if (tag == HTT_H1) {
        if (!m->title_h1)
            m->title_h1 = node_text(n);
    } else if (tag == HTT_TIME) {
        set_date(&m->time_dt, attr(n, "datetime"));
    }
    return SR_OK;
}

/* ---- JSON-LD scanning ---- */

/* Decode the JSON string starting after the opening quote at s; returns a
 * malloc'd UTF-8 string and sets *endp past the closing quote. */
static char *json_string(const char *s, const char *end, const char **endp)
{
    sr_buf b = SR_BUF_INIT(META_MAX_VALUE * 4);
    const char *p = s;
    while (p < end && *p != '"') {
        char c = *p++;
        if (c != '\\') {
            if (sr_buf_putc(&b, c))
                break;
            continue;
        }
        if (p >= end)
            break;
        char esc = *p++;
        const char *rep = NULL;
        char one[2] = { 0, 0 };
        switch (esc) {
        case 'n': case 'r': case 't': case 'f': case 'b': rep = " "; break;
        case 'u': {
            unsigned cp = 0;
            int ok = end - p >= 4;
            for (int i = 0; ok && i < 4; i++) {
                char h = p[i];
                cp <<= 4;
                if (h >= '0' && h <= '9') cp |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f') cp |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F') cp |= (unsigned)(h - 'A' + 10);
                else ok = 0;
            }
            if (!ok)
                break;
            p += 4;
            /* Surrogate pair. */
            if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                unsigned lo = 0;
                int ok2 = 1;
                for (int i = 0; i < 4; i++) {
                    char h = p[2 + i];
                    lo <<= 4;
                    if (h >= '0' && h <= '9') lo |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f') lo |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F') lo |= (unsigned)(h - 'A' + 10);
                    else ok2 = 0;
                }
                if (ok2 && lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    p += 6;
                }
            }
            if (cp >= 0xd800 && cp <= 0xdfff)
                cp = 0xfffd;
            char u[4];
            size_t k;
            if (cp < 0x80) { u[0] = (char)cp; k = 1; }
            else if (cp < 0x800) { u[0] = (char)(0xc0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3f)); k = 2; }
            else if (cp < 0x10000) { u[0] = (char)(0xe0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)); u[2] = (char)(0x80 | (cp & 0x3f)); k = 3; }
            else { u[0] = (char)(0xf0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)); u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); u[3] = (char)(0x80 | (cp & 0x3f)); k = 4; }
            if (sr_buf_append(&b, u, k))
                p = end;
            break;
        }
        default: one[0] = esc; rep = one; break;
        }
        if (rep && sr_buf_puts(&b, rep))
            break;
    }
    *endp = p < end ? p + 1 : end;
    char *r = b.p ? b.p : NULL;
    if (!r) {
        r = malloc(1);
        if (r)
            r[0] = '\0';
    }
    return r;
}

/* Position right after `"key"` followed by ':' (whitespace allowed), or
 * NULL. */
static const char *find_key(const char *p, const char *end, const char *key)
{
    size_t k = strlen(key);
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q || (size_t)(end - q) < k + 2)
            return NULL;
        if (memcmp(q + 1, key, k) == 0 && q[k + 1] == '"') {
            const char *r = q + k + 2;
            while (r < end && is_ws((unsigned char)*r))
                r++;
            if (r < end && *r == ':')
                return r + 1;
        }
        p = q + 1;
    }
    return NULL;
}

char *htm_jsonld_string(const char *json, size_t len, const char *parent,
                        const char *key)
{
    if (!json || len == 0)
        return NULL;
    const char *p = json, *end = json + len;
    while (p < end) {
        const char *v;
        if (parent) {
            v = find_key(p, end, parent);
            if (!v)
                return NULL;
            while (v < end && is_ws((unsigned char)*v))
                v++;
            /* "author": [{...}] or {...}: the key must be inside that value. */
            while (v < end && *v == '[')
                v++;
            while (v < end && is_ws((unsigned char)*v))
                v++;
            if (v < end && *v == '"') {
                /* "author": "Name" - the parent itself is the value. */
                if (strcmp(key, "name") == 0) {
                    const char *e2;
                    return json_string(v + 1, end, &e2);
                }
                p = v + 1;
                continue;
            }
            if (v >= end || *v != '{') {
                p = v;
                continue;
            }
            /* Find the end of this object by brace counting (strings skipped). */
            const char *o = v + 1;
            int depth = 1, in_str = 0;
            while (o < end && depth > 0) {
                char c = *o++;
                if (in_str) {
                    if (c == '\\' && o < end) o++;
                    else if (c == '"') in_str = 0;
                } else if (c == '"') in_str = 1;
                else if (c == '{') depth++;
                else if (c == '}') depth--;
            }
            const char *kv = find_key(v + 1, o, key);
            p = o;
            if (!kv)
                continue;
            v = kv;
            end = o;
        } else {
            v = find_key(p, end, key);
            if (!v)
                return NULL;
        }
        while (v < end && is_ws((unsigned char)*v))
            v++;
        if (v < end && *v == '"') {
            const char *e2;
            return json_string(v + 1, end, &e2);
        }
        if (parent)
            return NULL;
        p = v;
    }
    return NULL;
}

static int ascii_word_differs(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = (unsigned char)a[i] | 0x20, cb = (unsigned char)b[i] | 0x20;
        if (ca != cb || !cb)
            return 1;
    }
    return b[n] != '\0';
}

/* A BCP 47-shaped tag ("en", "pt-BR", "zh-Hant-TW"): pages put charsets,
 * country names and "{{lang}}" in their lang attributes, and a caller that
 * routes by language should get no value rather than a wrong one. */
static int is_lang_tag(const char *s)
{
    size_t n = 0;
    while ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z')
        n++;
    if (n < 2 || n > 3 || !ascii_word_differs(s, "utf", n) || !ascii_word_differs(s, "iso", n))
        return 0;   /* "UTF-8", "ISO-8859-1": a charset in the wrong attribute */
    s += n;
    while (*s == '-' || *s == '_') {
        s++;
        n = 0;
        while (((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z') || (s[n] >= '0' && s[n] <= '9'))
            n++;
        if (n < 1 || n > 8)
            return 0;
        s += n;
    }
    return *s == '\0';
}

static int valid_utf8_value(const char *s)
{
    return s && *s;
}

/* "Headline | Site Name" -> "Headline" when a separator is present and the
 * remainder looks like a headline (several words). */
static char *clean_title(char *t)
{
    if (!t)
        return NULL;
    static const char *const seps[] = { " | ", " - ", " – ", " — ", " :: ", " · " };
    size_t best = 0;
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        const char *s = strstr(t, seps[i]);
        const char *last = NULL;
        while (s) {
            last = s;
            s = strstr(s + 1, seps[i]);
        }
        if (last && (size_t)(last - t) > best)
            best = (size_t)(last - t);
    }
    if (best >= 15)
        t[best] = '\0';
    return t;
}

sr_err htm_meta_finish(htm_meta *m, const sr_buf *jsonld, const char *base_url,
                       sr_article *out)
{
    const char *js = jsonld->p;
    size_t jl = jsonld->len;
    char *s;

    if (m->title_og) {
        out->title = m->title_og;
        m->title_og = NULL;
    } else if ((s = htm_jsonld_string(js, jl, NULL, "headline")) && *s) {
        out->title = htm_strdup_trim(s);
        free(s);
    } else {
        free(s);
        if (m->title_h1) {
            out->title = m->title_h1;
            m->title_h1 = NULL;
        } else if (m->title_tag) {
            out->title = clean_title(m->title_tag);
            m->title_tag = NULL;
        }
    }

    if (m->published) {
        out->published = m->published;
        m->published = NULL;
    } else if ((s = htm_jsonld_string(js, jl, NULL, "datePublished")) && looks_like_date(s)) {
        out->published = htm_strdup_trim(s);
        free(s);
    } else {
        free(s);
        if (m->time_dt) {
            out->published = m->time_dt;
            m->time_dt = NULL;
        }
    }

    if (m->author) {
        out->author = m->author;
        m->author = NULL;
    } else if ((s = htm_jsonld_string(js, jl, "author", "name")) && valid_utf8_value(s)) {
        out->author = htm_strdup_trim(s);
        free(s);
    } else {
        free(s);
    }

    if (m->site_name) {
        out->site_name = m->site_name;
        m->site_name = NULL;
    } else if ((s = htm_jsonld_string(js, jl, "publisher", "name")) && valid_utf8_value(s)) {
        out->site_name = htm_strdup_trim(s);
        free(s);
    } else {
        free(s);
    }

    if (m->url) {
        if (base_url && *base_url && !strstr(m->url, "://")) {
            xmlChar *abs = xmlBuildURI((const xmlChar *)m->url, (const xmlChar *)base_url);
            if (abs) {
                out->url = htm_strdup_trim((const char *)abs);
                xmlFree(abs);
            }
        }
        if (!out->url) {
            out->url = m->url;
            m->url = NULL;
        }
    }
    if (m->lang && is_lang_tag(m->lang)) {
        out->lang = m->lang;
        m->lang = NULL;
    }
    return SR_OK;
}

void htm_meta_free(htm_meta *m)
{
    free(m->title_og);
    free(m->title_tag);
    free(m->title_h1);
    free(m->author);
    free(m->published);
    free(m->site_name);
    free(m->url);
    free(m->lang);
    free(m->time_dt);
    memset(m, 0, sizeof *m);
}
