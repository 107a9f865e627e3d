/*
 * bench/geo.c - the geo stage's cost: gazetteer load time and memory, and
 * text + coder + geo against text + coder over real article text (the
 * scrapinghub article bodies, repeated until at least MIN sentences), one
 * thread, CPU time, each figure the best of three runs.
 *
 * Reported, from one run:
 *   - gazetteer load (places, countries, exonyms; index built): CPU time,
 *     the memory it says it holds, and the resident memory it added;
 *   - reference: text pipeline + coder, sentences/s;
 *   - text pipeline + coder + geo (find, resolve, place every mention);
 *   - ratio geo/reference (the bar: at least 0.85).
 *
 * usage: bench_geo DICT_DIR GROUND_TRUTH_JSON [MIN_SENTENCES]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "sitrep/geo.h"
#include "sitrep/text.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident memory now, in bytes (/proc/self/statm). */
static double rss(void)
{
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return (double)res * (double)sysconf(_SC_PAGESIZE);
}

typedef struct body { char *text; size_t len; } body;

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DICT_DIR GROUND_TRUTH_JSON [MIN_SENTENCES]\n", argv[0]);
        return 2;
    }
    size_t min_sents = argc > 3 ? strtoul(argv[3], NULL, 10) : 20000;
    json_error_t jerr;
    json_t *root = json_load_file(argv[2], 0, &jerr);
    if (!root) {
        fprintf(stderr, "bench_geo: %s: %s\n", argv[2], jerr.text);
        return 1;
    }
    body *bodies = calloc(json_object_size(root) + 1, sizeof *bodies);
    size_t nb = 0;
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        json_t *b = json_object_get(val, "articleBody");
        if (json_is_string(b) && json_string_length(b) > 0) {
            bodies[nb].text = strdup(json_string_value(b));
            bodies[nb].len = json_string_length(b);
            nb++;
        }
    }
    json_decref(root);

    sr_lexicon *lex = sr_lexicon_new();
    sr_dictset *ds = sr_dictset_new(lex);
    sr_set_quiet(1);
    if (sr_dictset_load_dir(ds, argv[1]) != SR_OK || sr_dictset_freeze(ds) != SR_OK) {
        fprintf(stderr, "bench_geo: cannot load %s\n", argv[1]);
        return 1;
    }
    char gdir[4096];
    snprintf(gdir, sizeof gdir, "%s/geo", argv[1]);
    double t_load = 1e30, held = 0, added = 0;
    sr_geo *geo = NULL;
    for (int rep = 0; rep < 3; rep++) {
        sr_geo_free(geo);
        geo = NULL;
        double m0 = rss(), t0 = now();
        if (sr_geo_load_dir(gdir, &geo) != SR_OK) {
            fprintf(stderr, "bench_geo: cannot load %s\n", gdir);
            return 1;
        }
        double t = now() - t0;
        if (t < t_load)
            t_load = t;
        if (rep == 0)
            added = rss() - m0;
    }
    sr_geo_stats gs;
    sr_geo_stats_get(geo, &gs);
    held = (double)gs.bytes;
    sr_coder *coder = sr_coder_new(ds);
    sr_geoparser *gp = sr_geoparser_new(geo, ds);
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_mentions ms = {0};
    sr_event_geo *eg = NULL;
    size_t egcap = 0;
    sr_text_opts o = { .lex = lex };
    size_t per_round = 0;
    for (size_t i = 0; i < nb; i++) {
        sr_textdoc_clear(&td);
        if (sr_text_analyze(&td, bodies[i].text, bodies[i].len, &o) == SR_OK)
            per_round += td.nsents;
    }
    size_t rounds = per_round ? (min_sents + per_round - 1) / per_round : 0;
    size_t sents = per_round * rounds, places = 0, placed = 0, events = 0;
    double t_ref = 1e30, t_geo = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < nb; i++) {
                sr_textdoc_clear(&td);
                sr_text_analyze(&td, bodies[i].text, bodies[i].len, &o);
                ms.n = 0;
                sr_code_doc(coder, &td, "2019-06-01", &ms);
            }
        double t = now() - t0;
        if (t < t_ref)
            t_ref = t;
        places = placed = events = 0;
        t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < nb; i++) {
                sr_textdoc_clear(&td);
                sr_text_analyze(&td, bodies[i].text, bodies[i].len, &o);
                ms.n = 0;
                sr_code_doc(coder, &td, "2019-06-01", &ms);
                if (sr_grow((void **)&eg, &egcap, ms.n + 1, sizeof *eg) != SR_OK)
                    return 1;
                sr_geo_place_mentions(gp, &td, ms.v, ms.n, eg);
                size_t n;
                sr_geoparser_places(gp, &n);
                places += n;
                events += ms.n;
                for (size_t k = 0; k < ms.n; k++)
                    placed += eg[k].action.type != SR_GEO_NONE;
            }
        t = now() - t0;
        if (t < t_geo)
            t_geo = t;
    }
    printf("corpus: %zu article bodies x %zu rounds = %zu sentences; %zu place mentions, "
           "%zu of %zu events placed\n", nb, rounds, sents, places, placed, events);
    printf("gazetteer: %zu places, %zu regions, %zu countries, %zu names; load %.0f ms, "
           "%.1f MB held, %.1f MB resident added\n", gs.places, gs.regions, gs.countries,
           gs.names, t_load * 1e3, held / 1e6, added / 1e6);
    printf("reference (text + coder):       %.0f sentences/s\n", (double)sents / t_ref);
    printf("text + coder + geo:             %.0f sentences/s\n", (double)sents / t_geo);
    printf("ratio geo/reference: %.2f\n", t_ref / t_geo);
    free(eg);
    sr_mentions_free(&ms);
    sr_textdoc_free(&td);
    sr_geoparser_free(gp);
    sr_coder_free(coder);
    sr_geo_free(geo);
    sr_dictset_free(ds);
    sr_lexicon_free(lex);
    for (size_t i = 0; i < nb; i++)
        free(bodies[i].text);
    free(bodies);
    return 0;
}
