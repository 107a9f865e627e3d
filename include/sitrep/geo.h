/*
 * sitrep/geo.h - where events happen: an offline gazetteer, a geoparser that
 * finds place mentions in analysed sentences and resolves each to one
 * gazetteer entry with a confidence, and the step that gives coded event
 * mentions GDELT's three places (ActionGeo, Actor1Geo, Actor2Geo).
 *
 * Data (dict/geo/, loaded by sr_geo_load_dir; nothing is fetched):
 *   places.tsv.gz  GeoNames places (CC BY 4.0) converted from npm packages
 *                  by scripts/convert-gazetteer: ~135k populated places with
 *                  population >= 1000 or administrative seats, ~3.7k
 *                  first-order divisions and the countries (see NOTICE)
 *   countries.tsv  country facts: ISO 3166 alpha-3 / alpha-2, FIPS 10-4,
 *                  capital, demonyms ("Libyan"), other names
 *   exonyms.tsv    news spellings and old names (Kiev, Burma, Misrata),
 *                  and regions that are no division (Gaza, Donbas, Darfur)
 *
 * Finding (sr_geo_find): place names are matched token by token on the
 * sentence's folded forms through a token-id phrase trie (the dictionary
 * stage's sr_trie, keyed by the gazetteer's own word ids), longest first.
 * A match must start with a capitalized word.  Found: names of countries,
 * divisions and cities; demonyms ("Libyan forces"); "X-based"; datelines
 * ("TRIPOLI, Libya (Reuters) -").  A match is dropped when it is part of a
 * longer proper name ("Jordan Peterson", "Washington Post"), a person's
 * name the actor dictionary knows, a title's name ("President Obama"),
 * a speaker ("Clinton said", unless a country or capital), or a small
 * place spelled like a common English word with no other support.
 *
 * Resolving: every entry of a matched name is scored by
 *   1. context: the countries of the document's actors (from the coded
 *      mentions) and of its unambiguous place mentions, so "Tripoli" is in
 *      Lebanon in a story about Beirut and in Libya in one about Benghazi;
 *   2. administrative consistency: a qualifier after a comma ("Springfield,
 *      Illinois", "Paris, Texas", "Tripoli, Libya") names the division or
 *      country the entry must be in;
 *   3. feature class and population: countries, capitals and division
 *      seats before villages.
 * The confidence is the best entry's share of the scores, in 0..1.
 *
 * Placing events (sr_geo_place_mentions): ActionGeo is the place the event's
 * sentence puts the verb at ("in", "at", "near" X; the visit's "to X"), else
 * the sentence's first place outside the actors' own words, else a place in
 * an actor's words, else the sentence's country demonym.  A dateline is the
 * place of reporting: it is the event's place only when the sentence says
 * "here".  Actor1Geo / Actor2Geo is where the text says an actor is based:
 * "the Benghazi-based ...", a place or demonym inside the actor's words,
 * or "in X" right after them.  An actor the coder left without a country
 * (PETRARCH's "---" root: "---REB" rebels, "---CVL" protesters) takes the
 * country of the ActionGeo, and the mention's *_inferred flag says so.
 *
 * Ownership: an sr_geo (the gazetteer) is read-only after loading and may
 * be shared by threads; each thread uses its own sr_geoparser, whose
 * results are valid until its next call.  Strings in sr_place are copied
 * into the struct (fixed caps), so a place outlives the parser.
 *
 * Errors: SR_EIO (a data file unreadable), SR_ETOOBIG (places file past
 * SR_GEO_MAX_FILE), SR_EFORMAT (no places at all), SR_ENOMEM.  A bad line
 * in a data file is reported as "sitrep: FILE:LINE: reason" (sr_skip) and
 * skipped; loading goes on.
 */
#ifndef SITREP_GEO_H
#define SITREP_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitrep/base.h"
#include "sitrep/code.h"
#include "sitrep/text.h"

typedef struct sr_geo sr_geo;
typedef struct sr_geoparser sr_geoparser;
typedef struct sr_dictset sr_dictset;   /* see sitrep/dict.h */

#define SR_GEO_MAX_FILE ((size_t)64 << 20)   /* places file, inflated */
#define SR_GEO_MAX_PLACES 256                /* place mentions kept per document */

/* GDELT's Geo_Type. */
typedef enum sr_geo_type {
    SR_GEO_NONE = 0,
    SR_GEO_COUNTRY = 1,
    SR_GEO_USSTATE = 2,
    SR_GEO_USCITY = 3,
    SR_GEO_WORLDCITY = 4,
    SR_GEO_WORLDSTATE = 5,
} sr_geo_type;

/* One resolved place, as stored and exported. */
typedef struct sr_place {
    uint8_t type;            /* sr_geo_type; SR_GEO_NONE: no place */
    char    name[160];       /* GDELT's full name: "Benghazi, Banghazi, Libya" */
    char    iso3[4];         /* country: ISO 3166 alpha-3 (CAMEO's code, JSON) */
    char    iso2[3];         /* country: ISO 3166 alpha-2 */
    char    fips[3];         /* country: FIPS 10-4 (GDELT's export) */
    char    adm1[8];         /* FIPS country + GeoNames admin1 code ("LY69",
                                "USIL"); "" for a country */
    double  lat, lon;        /* WGS84 degrees: the place's point */
    char    feature_id[16];  /* a city's GeoNames id ("88319"); a division's
                                ADM1 code; a country's FIPS code (as GDELT) */
    float   confidence;      /* 0..1, the chosen entry's share of the scores */
} sr_place;

/* How a place mention was written. */
typedef enum sr_place_role {
    SR_PLACE_NAME = 0,       /* a place's name in running text */
    SR_PLACE_DEMONYM,        /* "Libyan", "Pakistanis": the country */
    SR_PLACE_BASED,          /* "Benghazi-based" */
    SR_PLACE_DATELINE,       /* "TRIPOLI, Libya (Reuters) -": where it was filed */
} sr_place_role;

typedef struct sr_place_mention {
    uint32_t sentence;       /* index in sr_textdoc.sents */
    uint32_t tok_first, tok_count;  /* tokens in sr_textdoc.toks (qualifier
                                       after a comma included) */
    uint32_t start, end;     /* byte span in the original text */
    uint8_t  role;           /* sr_place_role */
    sr_place place;
} sr_place_mention;

/* The three places of one coded event mention (type SR_GEO_NONE: none). */
typedef struct sr_event_geo {
    sr_place action, actor1, actor2;
    bool source_inferred;    /* source code's country filled from action */
    bool target_inferred;
    bool in_lead;            /* the mention is in the document's lead
                                paragraph (GDELT's IsRootEvent) */
} sr_event_geo;

/* ---- the gazetteer ---------------------------------------------------------- */

/* Load dir/places.tsv.gz, dir/countries.tsv and dir/exonyms.tsv. */
sr_err sr_geo_load_dir(const char *dir, sr_geo **out);
void   sr_geo_free(sr_geo *g);

typedef struct sr_geo_stats {
    size_t countries, regions, places, names, words;
    size_t bytes;            /* memory held */
    size_t bad_lines;        /* lines reported and skipped while loading */
} sr_geo_stats;
void sr_geo_stats_get(const sr_geo *g, sr_geo_stats *st);

/* Country facts by ISO alpha-3 (or CAMEO code), alpha-2 or FIPS; false if
 * unknown.  name may be NULL. */
bool sr_geo_country(const sr_geo *g, const char *code, char iso3[4], char iso2[3],
                    char fips[3], const char **name);

/* ---- finding and placing ------------------------------------------------------ */

/* dicts (may be NULL): the actor dictionary, used to drop names it knows
 * as persons or organizations ("Clinton").  With dicts, the documents given
 * to the parser must have been analysed against dicts' lexicon (as the coder
 * requires): the parser remembers each word's answer by its token id. */
sr_geoparser *sr_geoparser_new(const sr_geo *g, const sr_dictset *dicts);
void          sr_geoparser_free(sr_geoparser *p);

/* Find and resolve the place mentions of d.  ms[0..nms) (may be empty) are
 * the document's coded mentions: their actors' countries are context.
 * *out points into the parser (valid until its next call); at most
 * SR_GEO_MAX_PLACES are kept. */
sr_err sr_geo_find(sr_geoparser *p, const sr_textdoc *d, const sr_mention *ms, size_t nms,
                   const sr_place_mention **out, size_t *n);

/* Find the document's places (as sr_geo_find) and place each of
 * ms[0..nms): geo[i] receives mention i's places.  A source or target
 * whose code starts with "---" followed by a role ("---REB") gets the
 * action place's country ("LBYREB") and its *_inferred flag. */
sr_err sr_geo_place_mentions(sr_geoparser *p, const sr_textdoc *d, sr_mention *ms, size_t nms,
                             sr_event_geo *geo);

/* The places found by the last call, in text order. */
const sr_place_mention *sr_geoparser_places(const sr_geoparser *p, size_t *n);

/* GDELT's Actor1Name/Actor2Name for an actor code, upper case, into out:
 * the country's name for a country-rooted code ("LBYMIL" -> "LIBYA"), the
 * actor dictionary's name for a known group ("IGOUNO" -> "UNITED
 * NATIONS"; dicts may be NULL), the CAMEO actor type for a code with no
 * country ("---REB" -> "REBEL").  False (out "") when it has none: the
 * text's own words are never a name. */
bool sr_geo_actor_name(const sr_geo *g, const sr_dictset *dicts, const char *code, char *out,
                       size_t n);

/* Great-circle distance in km. */
double sr_geo_distance_km(double lat1, double lon1, double lat2, double lon2);

const char *sr_place_role_name(sr_place_role r);   /* "name", "demonym", ... */

#endif
