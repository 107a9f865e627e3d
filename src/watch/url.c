/*
 * url.c - URL normalisation, so a report linked twice in a feed, through
 * two feeds, or with a campaign's tracking parameters is fetched and
 * stored once.
 *
 * Parsing and relative resolution are libcurl's URL API (the same parser
 * the fetch uses, so what we compare is what we request).  On top of it:
 * scheme and host case, default ports, the fragment, %-escape case, and
 * a list of tracking parameters that never change the page served.  The
 * query's order is kept: some sites route on it.
 */
#include "watch/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#define URL_MAX 8192

/* Parameters that only say where a click came from. */
static bool is_tracking(const char *name, size_t n)
{
    static const char *const exact[] = {
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "mc_cid",
        "mc_eid", "_ga", "_gl", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id",
        "wickedid", "__s", "_hsenc", "_hsmi", "ncid", "cmpid", "at_medium", "at_campaign",
        "ito", "s_cid", "ocid", "ref_src", "ref_url", "icid", "spm",
    };
    if (n > 4 && strncasecmp(name, "utm_", 4) == 0)
        return true;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strlen(exact[i]) == n && strncasecmp(name, exact[i], n) == 0)
            return true;
    return false;
}

static void upper_escapes(char *s)
{
    for (; *s; s++)
        if (s[0] == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
            s[1] = (char)toupper((unsigned char)s[1]);
            s[2] = (char)toupper((unsigned char)s[2]);
            s += 2;
        }
}

/* The query without tracking parameters (empty pieces dropped too). */
static char *clean_query(const char *q)
{
    size_t n = strlen(q);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    const char *p = q;
    while (*p) {
        size_t len = strcspn(p, "&");
        size_t name = strcspn(p, "=&");
        if (len > 0 && !is_tracking(p, name)) {
            if (k)
                out[k++] = '&';
            memcpy(out + k, p, len);
            k += len;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    out[k] = '\0';
    return out;
}

/* Spaces and control bytes percent-encoded, surrounding white space
 * trimmed: feeds carry links with a stray space or newline. */
static char *tidy(const char *url)
{
    while (*url && isspace((unsigned char)*url))
        url++;
    size_t n = strlen(url);
    while (n > 0 && isspace((unsigned char)url[n - 1]))
        n--;
    if (n == 0 || n > URL_MAX)
        return NULL;
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c == 0x7f) {
            static const char hex[] = "0123456789ABCDEF";
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        } else {
            out[k++] = (char)c;
        }
    }
    out[k] = '\0';
    return out;
}

static sr_err normalize_once(const char *url, const char *base, char **out)
{
    *out = NULL;
    sr_err e = SR_EPARSE;
    char *u = tidy(url), *b = base ? tidy(base) : NULL, *part = NULL, *full = NULL;
    CURLU *h = curl_url();
    if (!h || !u || (base && !b)) {
        e = !h ? SR_ENOMEM : SR_EPARSE;
        goto out;
    }
    if (b && curl_url_set(h, CURLUPART_URL, b, 0) != CURLUE_OK)
        goto out;
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, u, 0);
    if (rc == CURLUE_UNSUPPORTED_SCHEME)
        e = SR_EINVAL;     /* mailto:, javascript:, ... */
    if (rc != CURLUE_OK)
        goto out;
    if (curl_url_get(h, CURLUPART_SCHEME, &part, 0) != CURLUE_OK)
        goto out;
    if (strcmp(part, "http") != 0 && strcmp(part, "https") != 0) {
        e = SR_EINVAL;
        goto out;
    }
    curl_free(part);
    part = NULL;
    if (curl_url_get(h, CURLUPART_HOST, &part, 0) != CURLUE_OK || !*part)
        goto out;
    for (char *c = part; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    size_t hl = strlen(part);
    while (hl > 0 && part[hl - 1] == '.')
        part[--hl] = '\0';     /* "example.org." is example.org */
    if (hl == 0)
        goto out;
    if (curl_url_set(h, CURLUPART_HOST, part, 0) != CURLUE_OK)
        goto out;
    curl_free(part);
    part = NULL;
    curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
    if (curl_url_get(h, CURLUPART_QUERY, &part, 0) == CURLUE_OK) {
        char *q = clean_query(part);
        if (!q) {
            e = SR_ENOMEM;
            goto out;
        }
        curl_url_set(h, CURLUPART_QUERY, *q ? q : NULL, 0);
        free(q);
        curl_free(part);
        part = NULL;
    }
    if (curl_url_get(h, CURLUPART_URL, &full, CURLU_NO_DEFAULT_PORT) != CURLUE_OK)
        goto out;
    upper_escapes(full);
    if (!(*out = strdup(full))) {
        e = SR_ENOMEM;
        goto out;
    }
    e = SR_OK;
out:
    curl_free(part);
    curl_free(full);
    curl_url_cleanup(h);
    free(u);
    free(b);
    return e;
}

sr_err sr_url_normalize(const char *url, const char *base, char **out)
{
    /* a second pass settles what only a reparse changes (libcurl reads a
     * host "0" it wrote as the address 0.0.0.0), so that normalising a
     * normalised URL gives it back */
    char *first = NULL;
    sr_err e = normalize_once(url, base, &first);
    if (e) {
        *out = NULL;
        return e;
    }
    e = normalize_once(first, NULL, out);
    free(first);
    return e;
}

/* Start and length of the authority's host part, or NULL. */
static const char *authority(const char *url, size_t *len, size_t *hostlen)
{
    const char *p = strstr(url, "://");
    if (!p)
        return NULL;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '@')
            at = p + i;
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    size_t h = 0;
    if (n > 0 && p[0] == '[') {
        while (h < n && p[h] != ']')
            h++;
        if (h < n)
            h++;
    } else {
        while (h < n && p[h] != ':')
            h++;
    }
    *len = n;
    *hostlen = h;
    return h ? p : NULL;
}

const char *sr_url_host(const char *url, char *buf, size_t n)
{
    size_t len, hl;
    const char *p = url ? authority(url, &len, &hl) : NULL;
    if (!p || hl >= n)
        return NULL;
    for (size_t i = 0; i < hl; i++)
        buf[i] = (char)tolower((unsigned char)p[i]);
    buf[hl] = '\0';
    return buf;
}

const char *sr_url_origin(const char *url, char *buf, size_t n)
{
    size_t len, hl;
    const char *p = url ? authority(url, &len, &hl) : NULL;
    if (!p)
        return NULL;
    size_t scheme = (size_t)(strstr(url, "://") - url);
    if (scheme + 3 + len >= n)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < scheme + 3; i++)
        buf[k++] = (char)tolower((unsigned char)url[i]);
    for (size_t i = 0; i < len; i++)
        buf[k++] = (char)tolower((unsigned char)p[i]);
    buf[k] = '\0';
    return buf;
}

const char *sr_url_path(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return "/";
    p += 3;
    p += strcspn(p, "/?#");
    return *p && *p != '#' ? p : "/";
}
