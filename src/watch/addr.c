/*
 * addr.c - addresses a watch never connects to unless told to.
 *
 * A feed is someone else's text: its links and redirects can point at the
 * machine sitrep runs on, its network, or a cloud provider's metadata
 * service, which would answer with credentials.  So every address is
 * checked where the connection is made (the fetcher's open-socket hook, after
 * DNS, for every redirect hop, so a name that resolves to 10.0.0.1 or
 * rebinds between two lookups is caught), and literal addresses in URLs
 * are refused before any lookup.
 *
 * The ranges are the IANA special-purpose registries' non-global blocks
 * that matter for a fetcher (RFC 6890 and successors), plus the metadata
 * addresses by name so the message says what was at stake.
 */
#include "watch/internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

typedef struct range {
    unsigned char addr[16];
    int prefix;
    const char *why;
} range;

static bool in_prefix(const unsigned char *a, const unsigned char *net, int prefix)
{
    int bytes = prefix / 8, bits = prefix % 8;
    if (memcmp(a, net, (size_t)bytes) != 0)
        return false;
    if (bits == 0)
        return true;
    unsigned char mask = (unsigned char)(0xFF << (8 - bits));
    return (a[bytes] & mask) == (net[bytes] & mask);
}

static const char *v4_reason(const unsigned char a[4])
{
    static const range r[] = {
        {{169, 254, 169, 254}, 32, "cloud metadata (169.254.169.254)"},
        {{100, 100, 100, 200}, 32, "cloud metadata (100.100.100.200)"},
        {{192, 0, 0, 192}, 32, "cloud metadata (192.0.0.192)"},
        {{0, 0, 0, 0}, 8, "unspecified (0.0.0.0/8)"},
        {{10, 0, 0, 0}, 8, "private (10.0.0.0/8)"},
        {{100, 64, 0, 0}, 10, "shared address space (100.64.0.0/10)"},
        {{127, 0, 0, 0}, 8, "loopback (127.0.0.0/8)"},
        {{169, 254, 0, 0}, 16, "link-local (169.254.0.0/16)"},
        {{172, 16, 0, 0}, 12, "private (172.16.0.0/12)"},
        {{192, 0, 0, 0}, 24, "IETF protocol assignments (192.0.0.0/24)"},
        {{192, 0, 2, 0}, 24, "documentation (192.0.2.0/24)"},
        {{192, 168, 0, 0}, 16, "private (192.168.0.0/16)"},
        {{198, 18, 0, 0}, 15, "benchmarking (198.18.0.0/15)"},
        {{198, 51, 100, 0}, 24, "documentation (198.51.100.0/24)"},
        {{203, 0, 113, 0}, 24, "documentation (203.0.113.0/24)"},
        {{224, 0, 0, 0}, 4, "multicast (224.0.0.0/4)"},
        {{240, 0, 0, 0}, 4, "reserved or broadcast (240.0.0.0/4)"},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (in_prefix(a, r[i].addr, r[i].prefix))
            return r[i].why;
    return NULL;
}

static const char *v6_reason(const unsigned char a[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char zero[16] = {0};
    static const range r[] = {
        {{0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54}, 128,
         "cloud metadata (fd00:ec2::254)"},
        {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback (::1)"},
        {{0xfc}, 7, "unique local (fc00::/7)"},
        {{0xfe, 0x80}, 10, "link-local (fe80::/10)"},
        {{0xfe, 0xc0}, 10, "site-local (fec0::/10)"},
        {{0xff}, 8, "multicast (ff00::/8)"},
        {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation (2001:db8::/32)"},
        {{0x01, 0, 0, 0, 0, 0, 0, 0}, 64, "discard-only (100::/64)"},
    };
    if (memcmp(a, zero, 16) == 0)
        return "unspecified (::)";
    if (memcmp(a, zero, 15) == 0 && a[15] == 1)
        return "loopback (::1)";
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
        return v4_reason(a + 12);
    if (memcmp(a, zero, 12) == 0)
        return "IPv4-compatible (deprecated ::/96)";
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        if (in_prefix(a, r[i].addr, r[i].prefix))
            return r[i].why;
    return NULL;
}

const char *sr_addr_private_reason(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return v4_reason((const unsigned char *)&in->sin_addr);
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return v6_reason(in6->sin6_addr.s6_addr);
    }
    return "not an IP address";
}

static bool allow_has(const sr_addr_allow *allow, int family, const unsigned char *a)
{
    for (size_t i = 0; i < allow->n; i++) {
        if (allow->range[i].family == family &&
            in_prefix(a, allow->range[i].addr, allow->range[i].prefix))
            return true;
        /* an IPv4 range also covers the same address mapped into IPv6 */
        if (family == AF_INET6 && allow->range[i].family == AF_INET) {
            static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
            if (memcmp(a, mapped, 12) == 0 &&
                in_prefix(a + 12, allow->range[i].addr, allow->range[i].prefix))
                return true;
        }
    }
    return false;
}

bool sr_addr_allowed(const struct sockaddr *sa, const sr_addr_allow *allow, const char **why)
{
    const char *r = sr_addr_private_reason(sa);
    *why = r;
    if (!r)
        return true;
    if (!allow)
        return false;
    if (allow->all && (sa->sa_family == AF_INET || sa->sa_family == AF_INET6))
        return true;
    if (sa->sa_family == AF_INET)
        return allow_has(allow, AF_INET,
                         (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr);
    if (sa->sa_family == AF_INET6)
        return allow_has(allow, AF_INET6,
                         ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr);
    return false;
}

int sr_addr_literal_allowed(const char *host, const sr_addr_allow *allow, const char **why)
{
    char buf[64];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, host, n);
    buf[n] = '\0';
    char *pct = strchr(buf, '%');     /* an IPv6 zone id */
    if (pct)
        *pct = '\0';
    struct sockaddr_in in = {0};
    struct sockaddr_in6 in6 = {0};
    if (inet_pton(AF_INET, buf, &in.sin_addr) == 1) {
        in.sin_family = AF_INET;
        return sr_addr_allowed((struct sockaddr *)&in, allow, why) ? 1 : 0;
    }
    if (inet_pton(AF_INET6, buf, &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        return sr_addr_allowed((struct sockaddr *)&in6, allow, why) ? 1 : 0;
    }
    /* forms inet_pton refuses but resolvers take ("2130706433", "127.1",
     * "0x7f.0.0.1"): every label digits or 0x-hex.  The connect-time check
     * would catch them too; this says why before any lookup. */
    bool numeric = true;
    for (const char *l = buf; *l && numeric;) {
        size_t ln = strcspn(l, ".");
        if (ln > 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X'))
            numeric = strspn(l + 2, "0123456789abcdefABCDEF") == ln - 2;
        else
            numeric = ln > 0 && strspn(l, "0123456789") == ln;
        l += ln;
        if (*l == '.')
            l++;
    }
    if (numeric) {
        *why = "a numeric host in a form resolvers read as an IP address";
        return allow && allow->all ? 1 : 0;
    }
    return -1;
}

sr_err sr_addr_allow_parse(const char *list, sr_addr_allow *allow)
{
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char buf[64];
        if (n == 0 || n >= sizeof buf)
            return SR_EPARSE;
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (allow->n == SR_ADDR_MAX_ALLOW)
            return SR_ETOOBIG;
        char *slash = strchr(buf, '/');
        int prefix = -1;
        if (slash) {
            *slash = '\0';
            char *end;
            long v = strtol(slash + 1, &end, 10);
            if (*end || end == slash + 1 || v < 0 || v > 128)
                return SR_EPARSE;
            prefix = (int)v;
        }
        memset(&allow->range[allow->n], 0, sizeof allow->range[allow->n]);
        if (inet_pton(AF_INET, buf, allow->range[allow->n].addr) == 1) {
            if (prefix > 32)
                return SR_EPARSE;
            allow->range[allow->n].family = AF_INET;
            allow->range[allow->n].prefix = prefix < 0 ? 32 : prefix;
        } else if (inet_pton(AF_INET6, buf, allow->range[allow->n].addr) == 1) {
            allow->range[allow->n].family = AF_INET6;
            allow->range[allow->n].prefix = prefix < 0 ? 128 : prefix;
        } else {
            return SR_EPARSE;
        }
        allow->n++;
        p += n;
        if (*p == ',')
            p++;
    }
    return SR_OK;
}
