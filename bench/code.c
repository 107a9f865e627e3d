/*
 * bench/code.c - event-coding speed with the full shipped dictionaries over
 * real article text (the scrapinghub article bodies, repeated until at least
 * MIN sentences), one thread, so the figures are per core.
 *
 * Reported, from one run:
 *   - dictionary load time (load + freeze) and peak resident memory;
 *   - reference: the text pipeline alone (decode, sentences, tokens,
 *     lexicon look-ups) over the same corpus, sentences/s;
 *   - the coder alone over the analysed sentences, sentences/s per core,
 *     and text pipeline + coder;
 *   - ratio: full pipeline speed / text-only speed.
 *
 * usage: bench_code DICT_DIR GROUND_TRUTH_JSON [MIN_SENTENCES]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "sitrep/text.h"
#include "sitrep/syntax.h"

#if __has_include("sitrep/codebook.h")
#include "sitrep/codebook.h"
#define HAVE_CODEBOOK 1
#endif

/* CPU time of this process: the figures are per core, and the machine may
 * be shared, so wall-clock time would count other programs' work. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct body { char *text; size_t len; } body;

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DICT_DIR GROUND_TRUTH_JSON [MIN_SENTENCES]\n", argv[0]);
        return 2;
    }
    size_t min_sents = argc > 3 ? strtoul(argv[3], NULL, 10) : 20000;
    int status = 1;
    json_error_t jerr;
    json_t *root = json_load_file(argv[2], 0, &jerr);
    if (!root) {
        fprintf(stderr, "bench_code: %s: %s\n", argv[2], jerr.text);
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
    double t0 = now();
    sr_err e = sr_dictset_load_dir(ds, argv[1]);
#ifdef HAVE_CODEBOOK
    char cbpath[4096];
    snprintf(cbpath, sizeof cbpath, "%s/cameo/codebook.tsv", argv[1]);
    sr_err ce = SR_OK;
    sr_codebook *cb = sr_codebook_load(cbpath, &ce);
    if (cb)
        sr_dictset_set_codebook(ds, cb);
#endif
    if (e == SR_OK)
        e = sr_dictset_freeze(ds);
    double t_load = now() - t0;
    if (e != SR_OK) {
        fprintf(stderr, "bench_code: cannot load %s: %s\n", argv[1], sr_strerror(e));
        goto out;
    }
    sr_dict_stats st;
    sr_dictset_stats(ds, &st);
    sr_coder *coder = sr_coder_new(ds);
    /* the coder as ingest runs it: with the part-of-speech tagger */
    char tpath[4096];
    snprintf(tpath, sizeof tpath, "%s/%s", argv[1], SR_TAGGER_MODEL_FILE);
    sr_err te = SR_OK;
    sr_tagger *tagger = sr_tagger_load(tpath, &te);
    if (tagger)
        sr_coder_set_tagger(coder, tagger);
    printf("part-of-speech tagger: %s\n", tagger ? tpath : "none (model not found)");
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    sr_mentions ms = {0};
    sr_text_opts o = { .lex = lex };

    /* each document analysed once and kept, so the coder can be timed on
     * its own; every timing is the best of three runs (a shared machine
     * only ever makes a run slower) */
    sr_textdoc *docs = calloc(nb ? nb : 1, sizeof *docs);
    size_t per_round = 0;
    for (size_t i = 0; i < nb; i++)
        if (sr_text_analyze(&docs[i], bodies[i].text, bodies[i].len, &o) == SR_OK)
            per_round += docs[i].nsents;
    size_t rounds = per_round ? (min_sents + per_round - 1) / per_round : 0;
    size_t sents = per_round * rounds, events = 0;
    double t_text = 1e30, t_code = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        /* reference: the text pipeline alone */
        t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < nb; i++) {
                sr_textdoc_clear(&td);
                sr_text_analyze(&td, bodies[i].text, bodies[i].len, &o);
            }
        double t = now() - t0;
        if (t < t_text)
            t_text = t;
        /* the coder alone, over the same sentences */
        events = 0;
        t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < nb; i++) {
                ms.n = 0;
                sr_code_doc(coder, &docs[i], "2019-06-01", &ms);
                events += ms.n;
            }
        t = now() - t0;
        if (t < t_code)
            t_code = t;
    }
    double t_full = t_text + t_code;
    size_t sents2 = sents;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    for (size_t i = 0; i < nb; i++)
        sr_textdoc_free(&docs[i]);
    free(docs);

    double code_only = t_code > 0 ? t_code : 1e-9;
    printf("corpus: %zu article bodies x %zu rounds = %zu sentences, %zu events coded\n",
           nb, rounds, sents2, events);
    printf("dictionaries: %zu actor phrases, %zu agent phrases, %zu verb forms, %zu patterns;"
           " load+freeze %.3f s, %.1f MB held\n",
           st.actor_phrases, st.agent_phrases, st.verb_forms, st.verb_patterns, t_load,
           (double)st.bytes / 1e6);
    printf("reference (text pipeline only): %.0f sentences/s\n", (double)sents / t_text);
    printf("text + coder:                   %.0f sentences/s\n", (double)sents2 / t_full);
    printf("coder alone:                    %.0f sentences/s per core\n",
           (double)sents2 / code_only);
    printf("ratio full/reference: %.2f\n", ((double)sents2 / t_full) / ((double)sents / t_text));
    printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    status = 0;
    sr_mentions_free(&ms);
    sr_textdoc_free(&td);
    sr_coder_free(coder);
    sr_tagger_free(tagger);
out:
    sr_dictset_free(ds);
#ifdef HAVE_CODEBOOK
    sr_codebook_free(cb);
#endif
    sr_lexicon_free(lex);
    for (size_t i = 0; i < nb; i++)
        free(bodies[i].text);
    free(bodies);
    return status;
}
