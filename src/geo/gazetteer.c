/*
 * gazetteer.c - loading dict/geo/ into an sr_geo: the places file (gzip'd
 * TSV made by scripts/convert-gazetteer), the country facts and the exonym
 * list, and the name index the geoparser walks.
 *
 * Why the places file is kept whole in memory and its fields are cut in
 * place: 7.6 MB of text parsed once, with no copy per name, is what lets
 * the whole gazetteer load in tens of milliseconds.  Names are split into
 * words, each folded as the text pipeline folds tokens (ASCII lower-cased
 * here, anything else through sr_text_fold) and given an id in a word
 * table of our own; a name is then a path of word ids in an sr_trie (the
 * dictionary stage's phrase trie).  Own word ids rather than the shared
 * lexicon's: 150k place words interned there would grow the table every
 * token lookup of the text pipeline probes, and most tokens are never
 * looked up here at all (only capitalized ones start a place).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/internal.h"
#include "sitrep/ingest.h"

#define NO_ENTRY UINT32_MAX

static inline uint64_t whash(const char *s, size_t n)
{
    return sr_hash64(s, n, 0x67656f);
}

static size_t trim_dot(const char *s, size_t n)
{
    /* "St." and "St", "D.C." and "D.C" meet: the tokenizer keeps some
     * abbreviation periods and not others */
    return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

uint32_t geo_word_find(const sr_geo *g, const char *s, size_t n)
{
    n = trim_dot(s, n);
    if (!n || !g->nwslot)
        return 0;
    uint64_t h = whash(s, n);
    uint32_t h32 = (uint32_t)(h >> 32);
    if (g->wfilter) {
        uint32_t b = h32 & (GEO_WFILTER_BITS - 1);
        if (!(g->wfilter[b >> 6] & (1ull << (b & 63))))
            return 0;
    }
    size_t mask = g->nwslot - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        const geo_wslot *sl = &g->wslot[i];
        if (!sl->id)
            return 0;
        if (sl->h32 == h32 && g->wlen[sl->id] == n &&
            memcmp(g->wpool.p + g->woff[sl->id], s, n) == 0)
            return sl->id;
    }
}

static sr_err grow_words(sr_geo *g, size_t ns)
{
    geo_wslot *t = calloc(ns, sizeof *t);
    if (!t)
        return SR_ENOMEM;
    for (size_t i = 0; i < g->nwslot; i++) {
        geo_wslot sl = g->wslot[i];
        if (!sl.id)
            continue;
        const char *w = g->wpool.p + g->woff[sl.id];
        size_t j = (size_t)whash(w, g->wlen[sl.id]) & (ns - 1);
        while (t[j].id)
            j = (j + 1) & (ns - 1);
        t[j] = sl;
    }
    free(g->wslot);
    g->wslot = t;
    g->nwslot = ns;
    return SR_OK;
}

static uint32_t word_intern(sr_geo *g, const char *s, size_t n)
{
    n = trim_dot(s, n);
    if (!n)
        return 0;
    uint32_t id = geo_word_find(g, s, n);
    if (id)
        return id;
    if (n > UINT16_MAX)
        return 0;
    if (!g->wfilter && !(g->wfilter = calloc(GEO_WFILTER_BITS / 64, sizeof *g->wfilter)))
        return 0;
    if ((g->nwords + 2) * 2 > g->nwslot &&
        grow_words(g, g->nwslot ? g->nwslot * 2 : (size_t)1 << 16) != SR_OK)
        return 0;
    size_t cap = g->capwords;
    if (sr_grow((void **)&g->woff, &g->capwords, g->nwords + 2, sizeof *g->woff) != SR_OK)
        return 0;
    if (g->capwords != cap) {
        uint16_t *nl = realloc(g->wlen, g->capwords * sizeof *nl);
        if (!nl)
            return 0;
        g->wlen = nl;
    }
    uint32_t off = (uint32_t)g->wpool.len;
    if (sr_buf_append(&g->wpool, s, n) != SR_OK || sr_buf_putc(&g->wpool, '\0') != SR_OK)
        return 0;
    id = (uint32_t)++g->nwords;
    g->woff[id] = off;
    g->wlen[id] = (uint16_t)n;
    uint64_t h = whash(s, n);
    uint32_t fb = (uint32_t)(h >> 32) & (GEO_WFILTER_BITS - 1);
    g->wfilter[fb >> 6] |= 1ull << (fb & 63);
    size_t mask = g->nwslot - 1;
    size_t i = (size_t)h & mask;
    while (g->wslot[i].id)
        i = (i + 1) & mask;
    g->wslot[i] = (geo_wslot){ id, (uint32_t)(h >> 32) };
    return id;
}

/* Split a name into folded word ids; a trailing comma is a word of its
 * own (the tokenizer makes "," a token).  Returns the number of words, 0
 * for a name that cannot match text (parentheses, too long). */
static int name_words(sr_geo *g, const char *name, uint32_t *ids, int max, sr_buf *fold)
{
    int n = 0;
    const char *p = name;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - w);
        bool comma = len > 1 && w[len - 1] == ',';
        if (comma)
            len--;
        bool ascii = true;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)w[i];
            if (c >= 0x80)
                ascii = false;
            if (c == '(' || c == ')' || c == '/')
                return 0;
        }
        sr_buf_reset(fold);
        if (ascii) {
            if (sr_buf_append(fold, w, len) != SR_OK)
                return 0;
            for (size_t i = 0; i < fold->len; i++)
                if (fold->p[i] >= 'A' && fold->p[i] <= 'Z')
                    fold->p[i] = (char)(fold->p[i] + 32);
        } else if (sr_text_fold(w, len, fold) != SR_OK) {
            return 0;
        }
        if (n + 2 > max)
            return 0;
        if (!(ids[n++] = word_intern(g, fold->p, fold->len)))
            return -1;
        if (comma)
            ids[n++] = g->word_comma;
    }
    return n;
}

static sr_err add_name(sr_geo *g, const char *name, uint32_t entry, uint8_t flags, sr_buf *fold)
{
    uint32_t ids[SR_DICT_MAX_WORDS];
    int n = name_words(g, name, ids, SR_DICT_MAX_WORDS, fold);
    if (n < 0)
        return SR_ENOMEM;
    if (n == 0)
        return SR_OK;
    uint32_t node;
    sr_err e = sr_trie_add(&g->trie, ids, (size_t)n, &node);
    if (e)
        return e;
    /* the same entry under the same words once (name and its ASCII form
     * often fold alike) */
    for (uint32_t k = g->trie.val[node]; k != SR_NONE; k = g->names[k].next)
        if (g->names[k].entry == entry) {
            g->names[k].flags |= flags & (GEO_NF_CURATED | GEO_NF_DEMONYM);
            if (!(flags & GEO_NF_ALIAS))
                g->names[k].flags &= (uint8_t)~GEO_NF_ALIAS;
            return SR_OK;
        }
    if (sr_grow((void **)&g->names, &g->capnames, g->nnames + 1, sizeof *g->names) != SR_OK)
        return SR_ENOMEM;
    g->names[g->nnames] = (geo_name){ entry, g->trie.val[node], flags };
    g->trie.val[node] = (uint32_t)g->nnames++;
    return SR_OK;
}

/* Cut buf at tabs into at most max fields (in place); returns the count. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static char *next_line(char **cur, char *end)
{
    char *s = *cur;
    if (s >= end)
        return NULL;
    char *nl = memchr(s, '\n', (size_t)(end - s));
    char *e = nl ? nl : end;
    *cur = nl ? nl + 1 : end;
    if (e > s && e[-1] == '\r')
        e--;
    *e = '\0';
    return s;
}

static bool parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((v = v * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
            return false;
    if (*p || p == s)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* "-12.3456": the converter writes plain decimals, and strtod's generality
 * was a tenth of the load time */
static bool parse_deg(const char *s, double lim, float *out)
{
    bool neg = *s == '-';
    s += neg;
    double v = 0, scale = 1;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        v = v * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, digits++)
            v += (*s - '0') * (scale /= 10);
    if (*s || !digits || v > lim || digits > 20)
        return false;
    *out = (float)(neg ? -v : v);
    return true;
}

static int letter(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' : -1; }

static int code2(const char *s)
{
    if (strlen(s) != 2 || letter(s[0]) < 0 || letter(s[1]) < 0)
        return -1;
    return letter(s[0]) * 26 + letter(s[1]);
}

static int code3(const char *s)
{
    if (strlen(s) != 3 || letter(s[0]) < 0 || letter(s[1]) < 0 || letter(s[2]) < 0)
        return -1;
    return (letter(s[0]) * 26 + letter(s[1])) * 26 + letter(s[2]);
}

static int country_by_iso2(const sr_geo *g, const char *cc)
{
    int k = code2(cc);
    return k < 0 ? -1 : (int)g->iso2_idx[k] - 1;
}

bool sr_geo_country(const sr_geo *g, const char *code, char iso3[4], char iso2[3], char fips[3],
                    const char **name)
{
    int i = -1, k;
    if (!code)
        return false;
    if ((k = code3(code)) >= 0)
        i = (int)g->iso3_idx[k] - 1;
    else if ((k = code2(code)) >= 0)
        i = g->iso2_idx[k] ? (int)g->iso2_idx[k] - 1 : (int)g->fips_idx[k] - 1;
    if (i < 0)
        return false;
    const geo_country *c = &g->cty[i];
    if (iso3) memcpy(iso3, c->iso3, 4);
    if (iso2) memcpy(iso2, c->iso2, 3);
    if (fips) memcpy(fips, c->fips, 3);
    if (name) *name = g->text.p + c->name;
    return true;
}

static uint32_t text_str(sr_geo *g, const char *s)
{
    uint32_t off = (uint32_t)g->text.len;
    if (sr_buf_puts(&g->text, s) != SR_OK || sr_buf_putc(&g->text, '\0') != SR_OK)
        return UINT32_MAX;
    return off;
}

static void bad_line(sr_geo *g, const char *path, size_t lineno, const char *why)
{
    char rec[32];
    snprintf(rec, sizeof rec, "%zu", lineno);
    sr_skip(path, rec, "%s", why);
    g->bad_lines++;
}

/* countries.tsv: its strings are copied into g->text (before the places
 * file is appended: offsets stay valid as the buffer grows). */
static sr_err load_countries(sr_geo *g, const char *path)
{
    char *buf = NULL;
    size_t len;
    sr_err e = sr_read_file(path, (size_t)1 << 20, &buf, &len);
    if (e)
        return e;
    char *cur = buf, *line, *f[8];
    size_t lineno = 0;
    while ((line = next_line(&cur, buf + len)) != NULL && !e) {
        lineno++;
        if (!*line || *line == '#' || strncmp(line, "iso3\t", 5) == 0)
            continue;
        int n = split_tabs(line, f, 8);
        int k3 = n >= 4 ? code3(f[0]) : -1, k2 = n >= 4 ? code2(f[1]) : -1;
        if (n < 4 || k3 < 0 || k2 < 0 || (strcmp(f[2], "-") != 0 && code2(f[2]) < 0)) {
            bad_line(g, path, lineno, "want iso3, iso2, fips, name, capital, demonyms, aliases");
            continue;
        }
        if (g->iso2_idx[k2]) {
            bad_line(g, path, lineno, "country listed twice");
            continue;
        }
        if (sr_grow((void **)&g->cty, &g->capcty, g->ncty + 1, sizeof *g->cty) != SR_OK) {
            e = SR_ENOMEM;
            break;
        }
        geo_country *c = &g->cty[g->ncty];
        memset(c, 0, sizeof *c);
        memcpy(c->iso3, f[0], 3);
        memcpy(c->iso2, f[1], 2);
        if (strcmp(f[2], "-") != 0)
            memcpy(c->fips, f[2], 2);
        c->name = text_str(g, f[3]);
        c->entry = c->capital = NO_ENTRY;
        /* capital, demonyms, aliases: kept as one string "cap\tdem\tali" */
        if (c->name == UINT32_MAX) {
            e = SR_ENOMEM;
            break;
        }
        for (int i = 4; i < 7; i++)
            if (text_str(g, i < n ? f[i] : "") == UINT32_MAX)
                e = SR_ENOMEM;
        g->iso2_idx[k2] = (uint16_t)(g->ncty + 1);
        g->iso3_idx[k3] = (uint16_t)(g->ncty + 1);
        if (c->fips[0] && !g->fips_idx[code2(c->fips)])
            g->fips_idx[code2(c->fips)] = (uint16_t)(g->ncty + 1);
        g->ncty++;
    }
    free(buf);
    return e;
}

/* The country's extra strings, stored after its name by load_countries. */
static const char *country_field(const sr_geo *g, const geo_country *c, int which)
{
    const char *s = g->text.p + c->name;
    for (int i = 0; i <= which; i++)
        s += strlen(s) + 1;
    return s;
}

static uint8_t rank_of(const char *fcode)
{
    if (strcmp(fcode, "PCLI") == 0) return GEO_R_COUNTRY;
    if (strcmp(fcode, "PPLC") == 0) return GEO_R_PPLC;
    if (strcmp(fcode, "ADM1") == 0) return GEO_R_REGION;
    if (strcmp(fcode, "PPLA") == 0) return GEO_R_PPLA;
    if (strcmp(fcode, "PPLA2") == 0) return GEO_R_PPLA2;
    if (strcmp(fcode, "PPLA3") == 0 || strcmp(fcode, "PPLA4") == 0 || strcmp(fcode, "PPLA5") == 0)
        return GEO_R_PPLA4;
    if (strcmp(fcode, "PPL") == 0 || strcmp(fcode, "PPLG") == 0 || strcmp(fcode, "PPLS") == 0 ||
        strcmp(fcode, "PPLL") == 0 || strcmp(fcode, "PPLF") == 0 || strcmp(fcode, "PPLR") == 0)
        return GEO_R_PPL;
    return GEO_R_OTHER;
}

/* Region lookup while loading: (country, adm1 code) -> entry. */
typedef struct region_map { uint64_t *key; uint32_t *val; size_t cap; } region_map;

static uint64_t region_key(int country, const char *adm1)
{
    return sr_hash64(adm1, strlen(adm1), (uint64_t)country + 1) | 1;
}

static sr_err region_put(region_map *m, uint64_t k, uint32_t v)
{
    if (!m->cap) {
        m->cap = 1 << 14;
        m->key = calloc(m->cap, sizeof *m->key);
        m->val = calloc(m->cap, sizeof *m->val);
        if (!m->key || !m->val)
            return SR_ENOMEM;
    }
    size_t i = k & (m->cap - 1);
    for (size_t probes = 0; m->key[i] && m->key[i] != k; i = (i + 1) & (m->cap - 1))
        if (++probes >= m->cap / 2)
            return SR_ETOOBIG;   /* more divisions than any world has */
    m->key[i] = k;
    m->val[i] = v;
    return SR_OK;
}

static uint32_t region_get(const region_map *m, uint64_t k)
{
    if (!m->cap)
        return NO_ENTRY;
    for (size_t i = k & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
        if (m->key[i] == k)
            return m->val[i];
    return NO_ENTRY;
}

/* The places file, inflated by the ingest stage's gzip reader (ISA-L:
 * zlib's inflate was a fifth of the load time). */
static sr_err read_gz(const char *path, sr_buf *out)
{
    sr_in *in = NULL;
    sr_err e = sr_in_open(path, &in);
    if (e)
        return e;
    char *data = NULL;
    size_t len = 0;
    e = sr_in_slurp(in, out->max - out->len - 1, &data, &len);
    if (!e && sr_in_error(in))
        e = SR_EPARSE;
    sr_in_close(in);
    if (!e)
        e = sr_buf_append(out, data, len);
    free(data);
    return e;
}

static sr_err load_places(sr_geo *g, const char *path, sr_buf *fold)
{
    size_t base = g->text.len;
    sr_err e = read_gz(path, &g->text);
    if (e)
        return e;
    /* size the word table and the trie for the whole file at once: growing
     * them by doubling rehashed everything several times */
    size_t lines = 0;
    for (const char *q = g->text.p + base; (q = memchr(q, '\n', (size_t)(g->text.p + g->text.len - q)));
         q++)
        lines++;
    size_t ws = (size_t)1 << 16;
    while (ws < lines * 3)
        ws <<= 1;
    if (ws > g->nwslot && (e = grow_words(g, ws)) != SR_OK)
        return e;
    size_t es = g->trie.ecap;
    while (es < lines * 6)
        es <<= 1;
    if (es > g->trie.ecap && !g->trie.nedges) {
        sr_trie_edge *ne = calloc(es, sizeof *ne);
        if (!ne)
            return SR_ENOMEM;
        free(g->trie.edge);
        g->trie.edge = ne;
        g->trie.ecap = es;
    }
    char *cur = g->text.p + base, *end = g->text.p + g->text.len, *line, *f[11];
    size_t lineno = 0;
    region_map rm = {0};
    while ((line = next_line(&cur, end)) != NULL && !e) {
        lineno++;
        if (!*line || *line == '#')
            continue;
        int n = split_tabs(line, f, 11);
        geo_entry en;
        memset(&en, 0, sizeof en);
        int ci = n >= 9 ? country_by_iso2(g, f[2]) : -1;
        if (n < 9 || !parse_u32(f[0], &en.geonameid) || !parse_u32(f[4], &en.pop) ||
            !parse_deg(f[5], 90, &en.lat) || !parse_deg(f[6], 180, &en.lon) || !*f[7]) {
            bad_line(g, path, lineno, "want id, fcode, cc, adm1, population, lat, lon, name, alt, flags");
            continue;
        }
        if (ci < 0) {
            bad_line(g, path, lineno, "country code not in countries.tsv");
            continue;
        }
        en.country = (uint16_t)ci;
        en.rank = rank_of(f[1]);
        en.kind = en.rank == GEO_R_COUNTRY ? GEO_K_COUNTRY
                : en.rank == GEO_R_REGION ? GEO_K_REGION : GEO_K_CITY;
        en.name = (uint32_t)(f[7] - g->text.p);
        en.adm1 = (uint32_t)(f[3] - g->text.p);
        en.region = NO_ENTRY;
        if (n >= 10 && strchr(f[9], 'c'))
            en.flags |= GEO_EF_COMMON;
        uint32_t idx = (uint32_t)g->nent;
        if (en.kind == GEO_K_COUNTRY) {
            if (g->cty[ci].entry != NO_ENTRY) {
                bad_line(g, path, lineno, "country listed twice");
                continue;
            }
            g->cty[ci].entry = idx;
        } else if (en.kind == GEO_K_REGION) {
            if ((e = region_put(&rm, region_key(ci, f[3]), idx)) != SR_OK)
                break;
            g->nregions++;
        } else {
            en.region = region_get(&rm, region_key(ci, f[3]));
            g->nplaces++;
        }
        if (sr_grow((void **)&g->ent, &g->capent, g->nent + 1, sizeof *g->ent) != SR_OK) {
            e = SR_ENOMEM;
            break;
        }
        g->ent[g->nent++] = en;
        /* a country's own names come from countries.tsv */
        if (en.kind != GEO_K_COUNTRY) {
            if ((e = add_name(g, f[7], idx, 0, fold)) != SR_OK)
                break;
            char *alt = f[8];
            while (*alt && !e) {
                char *bar = strchr(alt, '|');
                if (bar)
                    *bar = '\0';
                e = add_name(g, alt, idx, GEO_NF_ALIAS, fold);
                alt = bar ? bar + 1 : alt + strlen(alt);
            }
        }
    }
    free(rm.key);
    free(rm.val);
    return e;
}

/* The most populous entry named `name` of kind in country ci. */
static uint32_t find_entry(sr_geo *g, const char *name, int ci, int kind, sr_buf *fold)
{
    uint32_t ids[SR_DICT_MAX_WORDS];
    int n = name_words(g, name, ids, SR_DICT_MAX_WORDS, fold);
    if (n <= 0)
        return NO_ENTRY;
    uint32_t node = 0;
    for (int i = 0; i < n && node != NO_ENTRY; i++) {
        uint32_t c = sr_trie_child(&g->trie, node, ids[i]);
        node = c ? c : NO_ENTRY;
    }
    if (node == NO_ENTRY)
        return NO_ENTRY;
    uint32_t best = NO_ENTRY;
    for (uint32_t k = g->trie.val[node]; k != SR_NONE; k = g->names[k].next) {
        const geo_entry *en = &g->ent[g->names[k].entry];
        if (en->country != ci || en->kind != kind)
            continue;
        if (best == NO_ENTRY || en->pop > g->ent[best].pop)
            best = g->names[k].entry;
    }
    return best;
}

static sr_err load_exonyms(sr_geo *g, const char *path, sr_buf *fold)
{
    char *buf = NULL;
    size_t len;
    sr_err e = sr_read_file(path, (size_t)1 << 20, &buf, &len);
    if (e)
        return e;
    char *cur = buf, *line, *f[8];
    size_t lineno = 0;
    while ((line = next_line(&cur, buf + len)) != NULL && !e) {
        lineno++;
        if (!*line || *line == '#')
            continue;
        int n = split_tabs(line, f, 8);
        int ci = n >= 4 ? country_by_iso2(g, f[1]) : -1;
        int kind = n >= 4 && strcmp(f[2], "city") == 0 ? GEO_K_CITY
                 : n >= 4 && strcmp(f[2], "region") == 0 ? GEO_K_REGION : -1;
        if (n >= 3 && strcmp(f[2], "none") == 0 && *f[0]) {
            /* a phrase that names no place (a continent, "Middle East") */
            e = add_name(g, f[0], 0, GEO_NF_BLOCK, fold);
            continue;
        }
        if (n < 4 || ci < 0 || kind < 0 || !*f[0]) {
            bad_line(g, path, lineno, "want alias, country, city|region, target");
            continue;
        }
        uint32_t target;
        if (strcmp(f[3], "-") != 0) {
            target = find_entry(g, f[3], ci, kind, fold);
            if (target == NO_ENTRY) {
                bad_line(g, path, lineno, "target not in the gazetteer");
                continue;
            }
        } else {
            geo_entry en;
            memset(&en, 0, sizeof en);
            if (n < 6 || !parse_deg(f[4], 90, &en.lat) || !parse_deg(f[5], 180, &en.lon)) {
                bad_line(g, path, lineno, "a place of its own wants lat and lon");
                continue;
            }
            en.country = (uint16_t)ci;
            en.kind = (uint8_t)kind;
            en.rank = kind == GEO_K_REGION ? GEO_R_REGION : GEO_R_PPL;
            en.flags = GEO_EF_CURATED;
            en.region = NO_ENTRY;
            if ((en.name = text_str(g, f[0])) == UINT32_MAX ||
                (en.adm1 = text_str(g, n >= 7 ? f[6] : "")) == UINT32_MAX) {
                e = SR_ENOMEM;
                break;
            }
            if (sr_grow((void **)&g->ent, &g->capent, g->nent + 1, sizeof *g->ent) != SR_OK) {
                e = SR_ENOMEM;
                break;
            }
            target = (uint32_t)g->nent;
            g->ent[g->nent++] = en;
        }
        g->ent[target].flags |= GEO_EF_CURATED;
        e = add_name(g, f[0], target, GEO_NF_CURATED | GEO_NF_ALIAS, fold);
    }
    free(buf);
    return e;
}

/* Each list in a countries.tsv field, comma-separated. */
static sr_err add_list(sr_geo *g, const char *list, uint32_t entry, uint8_t flags, bool plural,
                       sr_buf *fold)
{
    char one[256];
    sr_err e = SR_OK;
    while (*list && !e) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);
        if (n > 0 && n < sizeof one - 2) {
            memcpy(one, list, n);
            one[n] = '\0';
            e = add_name(g, one, entry, flags, fold);
            /* "Libyans", "Pakistanis"; not "Swisss" or "Frenchs" */
            char last = one[n - 1];
            if (!e && plural && !strchr("shexz", last) && strncmp(one + (n >= 3 ? n - 3 : 0), "men", 3) != 0) {
                one[n] = 's';
                one[n + 1] = '\0';
                e = add_name(g, one, entry, flags, fold);
            }
        }
        list += n + (comma ? 1 : 0);
    }
    return e;
}

static sr_err index_countries(sr_geo *g, sr_buf *fold)
{
    sr_err e = SR_OK;
    for (size_t i = 0; i < g->ncty && !e; i++) {
        geo_country *c = &g->cty[i];
        if (c->entry == NO_ENTRY) {
            /* a territory with no place in the gazetteer (Bouvet Island):
             * still a country to name, with no point */
            continue;
        }
        g->ent[c->entry].flags |= GEO_EF_CURATED;
        e = add_name(g, g->text.p + c->name, c->entry, GEO_NF_CURATED, fold);
        if (!e)
            e = add_list(g, country_field(g, c, 2), c->entry, GEO_NF_CURATED | GEO_NF_ALIAS,
                         false, fold);
        if (!e)
            e = add_list(g, country_field(g, c, 1), c->entry,
                         GEO_NF_CURATED | GEO_NF_ALIAS | GEO_NF_DEMONYM, true, fold);
        const char *cap = country_field(g, c, 0);
        if (!e && *cap && strcmp(cap, "-") != 0) {
            c->capital = find_entry(g, cap, (int)i, GEO_K_CITY, fold);
            if (c->capital != NO_ENTRY)
                g->ent[c->capital].flags |= GEO_EF_CURATED;
        }
    }
    return e;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

sr_err sr_geo_load_dir(const char *dir, sr_geo **out)
{
    *out = NULL;
    sr_geo *g = calloc(1, sizeof *g);
    if (!g)
        return SR_ENOMEM;
    sr_buf_init(&g->text, SR_GEO_MAX_FILE + ((size_t)1 << 20));
    sr_buf_init(&g->wpool, (size_t)64 << 20);
    sr_buf fold = SR_BUF_INIT(4096);
    char *pc = join(dir, "countries.tsv"), *pp = join(dir, "places.tsv.gz"),
         *pe = join(dir, "exonyms.tsv");
    sr_err e = pc && pp && pe ? SR_OK : SR_ENOMEM;
    if (!e)
        e = sr_trie_init(&g->trie);
    if (!e && !(g->word_comma = word_intern(g, ",", 1)))
        e = SR_ENOMEM;
    if (!e)
        e = load_countries(g, pc);
    if (!e)
        e = load_places(g, pp, &fold);
    if (!e && g->nent == 0)
        e = SR_EFORMAT;
    if (!e)
        e = index_countries(g, &fold);
    if (!e)
        e = load_exonyms(g, pe, &fold);
    free(pc);
    free(pp);
    free(pe);
    sr_buf_free(&fold);
    if (e) {
        sr_geo_free(g);
        return e;
    }
    *out = g;
    return SR_OK;
}

void sr_geo_free(sr_geo *g)
{
    if (!g)
        return;
    sr_buf_free(&g->text);
    sr_buf_free(&g->wpool);
    free(g->wfilter);
    free(g->ent);
    free(g->names);
    free(g->cty);
    free(g->wslot);
    free(g->woff);
    free(g->wlen);
    free(g->wflag);
    sr_trie_free(&g->trie);
    free(g);
}

void sr_geo_stats_get(const sr_geo *g, sr_geo_stats *st)
{
    memset(st, 0, sizeof *st);
    st->countries = g->ncty;
    st->regions = g->nregions;
    st->places = g->nplaces;
    st->names = g->nnames;
    st->words = g->nwords;
    st->bad_lines = g->bad_lines;
    st->bytes = sizeof *g + g->text.cap + g->wpool.cap + g->capent * sizeof *g->ent +
                g->capnames * sizeof *g->names + g->capcty * sizeof *g->cty +
                g->nwslot * sizeof *g->wslot + g->capwords * sizeof *g->woff +
                sr_trie_bytes(&g->trie) + (g->wfilter ? GEO_WFILTER_BITS / 8 : 0);
}

double sr_geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, d2r = M_PI / 180.0;
    double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

const char *sr_place_role_name(sr_place_role r)
{
    switch (r) {
    case SR_PLACE_NAME: return "name";
    case SR_PLACE_DEMONYM: return "demonym";
    case SR_PLACE_BASED: return "based";
    case SR_PLACE_DATELINE: return "dateline";
    }
    return "name";
}
