/*
 * internal.h - the inside of an sr_geo (the gazetteer), shared by
 * gazetteer.c (loading) and parse.c (finding, resolving, placing).
 */
#ifndef SITREP_GEO_INTERNAL_H
#define SITREP_GEO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dict/dictset_impl.h"   /* sr_trie: the project's token-id phrase trie */
#include "sitrep/geo.h"

enum geo_kind { GEO_K_COUNTRY = 0, GEO_K_REGION, GEO_K_CITY };

/* Feature-class ranks (higher is more prominent). */
enum geo_rank {
    GEO_R_OTHER = 0,    /* PPLX sections, PPLH historical, ... */
    GEO_R_PPL,          /* a populated place */
    GEO_R_PPLA4,        /* seats of third/fourth-order divisions */
    GEO_R_PPLA2,        /* seat of a second-order division */
    GEO_R_PPLA,         /* seat of a first-order division */
    GEO_R_REGION,       /* a first-order division (or a curated region) */
    GEO_R_PPLC,         /* a capital */
    GEO_R_COUNTRY,
};

#define GEO_EF_COMMON   1u   /* spelled like a common English word */
#define GEO_EF_CURATED  2u   /* named in countries.tsv / exonyms.tsv */

typedef struct geo_entry {
    float    lat, lon;
    uint32_t geonameid;      /* 0 for countries and divisions */
    uint32_t pop;
    uint32_t name;           /* text offset: the display name */
    uint32_t adm1;           /* text offset: the admin1 code ("" none) */
    uint32_t region;         /* entry index of its division, or UINT32_MAX */
    uint16_t country;        /* index in countries[] */
    uint8_t  kind;           /* geo_kind */
    uint8_t  rank;           /* geo_rank */
    uint8_t  flags;          /* GEO_EF_* */
} geo_entry;

#define GEO_NF_ALIAS    1u   /* not the entry's own name */
#define GEO_NF_DEMONYM  2u   /* a demonym of a country */
#define GEO_NF_CURATED  4u   /* from our lists: news spelling */
#define GEO_NF_BLOCK    8u   /* no place: a phrase that hides the places in it
                                ("South Asia", "Middle East"); entry unused */

typedef struct geo_name {
    uint32_t entry;
    uint32_t next;           /* next name ending on the same trie node, or UINT32_MAX */
    uint8_t  flags;          /* GEO_NF_* */
} geo_name;

typedef struct geo_country {
    char     iso3[4], iso2[3], fips[3];
    uint32_t name;           /* text offset */
    uint32_t entry;          /* its PCLI entry, or UINT32_MAX */
    uint32_t capital;        /* entry of its capital, or UINT32_MAX */
} geo_country;

typedef struct geo_wslot { uint32_t id, h32; } geo_wslot;

#define GEO_WFILTER_BITS (1u << 21)

struct sr_geo {
    sr_buf   text;           /* every string: the inflated places file plus
                                the small files' strings */
    geo_entry *ent;    size_t nent, capent;
    geo_name  *names;  size_t nnames, capnames;
    geo_country *cty;  size_t ncty, capcty;
    uint16_t iso2_idx[26 * 26];        /* +1; 0 = unknown */
    uint16_t iso3_idx[26 * 26 * 26];   /* +1 */
    uint16_t fips_idx[26 * 26];        /* +1 */
    /* word table: folded word -> id (1..), forms in wpool */
    geo_wslot *wslot;  size_t nwslot;
    uint64_t  *wfilter;      /* GEO_WFILTER_BITS bits, one per word's hash: most
                                capitalised words of news are no place name,
                                and this small table (in cache) says so
                                without a probe of the large one */
    uint32_t  *woff;   size_t nwords, capwords;   /* woff[id]: offset in wpool */
    uint16_t  *wlen;                              /* wlen[id]: its length */
    uint8_t   *wflag;                             /* per word: GEO_WF_* */
    sr_buf    wpool;
    sr_trie   trie;          /* phrases of word ids; val: head in names[] */
    uint32_t  word_comma;    /* id of "," */
    size_t    bad_lines;
    size_t    nregions, nplaces;
};

#define GEO_WF_START  1u     /* begins some name */

/* Id of a folded word (trailing '.' ignored), 0 if unknown. */
uint32_t geo_word_find(const sr_geo *g, const char *s, size_t n);

#endif
