/*
 * bench/tagger.c - part-of-speech tagging speed over real article text (the
 * scrapinghub article bodies, repeated until at least MIN sentences), one
 * thread, so the figures are per core.
 *
 * Reported, from one run (each timing the best of three):
 *   - model load time and memory;
 *   - reference: the text pipeline alone (decode, sentences, tokens) over
 *     the same corpus, tokens/s and sentences/s;
 *   - the tagger alone over the analysed sentences, tokens/s per core, with
 *     its cost per sentence as a share of the text pipeline's;
 *   - ratio: (text + tagging) speed / text-only speed;
 *   - with DICT_DIR: the event coder with those dictionaries over the same
 *     sentences, and text + coder with and without tagging, sentences/s:
 *     what tagging every sentence would cost the coding pipeline.
 *
 * usage: bench_tagger MODEL GROUND_TRUTH_JSON [MIN_SENTENCES [DICT_DIR]]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitrep/code.h"
#include "sitrep/dict.h"
#include "sitrep/syntax.h"
#include "sitrep/text.h"
#include "syntax/internal.h"

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
        fprintf(stderr, "usage: %s MODEL GROUND_TRUTH_JSON [MIN_SENTENCES]\n", argv[0]);
        return 2;
    }
    size_t min_sents = argc > 3 ? strtoul(argv[3], NULL, 10) : 50000;
    json_error_t jerr;
    json_t *root = json_load_file(argv[2], 0, &jerr);
    if (!root) {
        fprintf(stderr, "bench_tagger: %s: %s\n", argv[2], jerr.text);
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

    double t0 = now();
    sr_err err;
    sr_tagger_err msg;
    sr_tagger *tg = sr_tagger_load_ex(argv[1], &err, &msg);
    double t_load = now() - t0;
    if (!tg) {
        fprintf(stderr, "bench_tagger: %s\n", msg.msg);
        return 1;
    }
    sr_tagger_info info;
    sr_tagger_get_info(tg, &info);
    sr_tagstate *st = sr_tagstate_new(tg);
    sr_lexicon *lex = sr_lexicon_new();
    sr_dictset *ds = NULL;
    sr_coder *coder = NULL;
    if (argc > 4) {
        sr_set_quiet(1);
        ds = sr_dictset_new(lex);
        if (!ds || sr_dictset_load_dir(ds, argv[4]) != SR_OK || sr_dictset_freeze(ds) != SR_OK ||
            !(coder = sr_coder_new(ds))) {
            fprintf(stderr, "bench_tagger: cannot load dictionaries %s\n", argv[4]);
            return 1;
        }
    }
    sr_text_opts o = { .lex = lex };
    sr_textdoc *docs = calloc(nb ? nb : 1, sizeof *docs);
    size_t per_round = 0, toks_round = 0;
    for (size_t i = 0; i < nb; i++)
        if (sr_text_analyze(&docs[i], bodies[i].text, bodies[i].len, &o) == SR_OK) {
            per_round += docs[i].nsents;
            toks_round += docs[i].ntoks;
        }
    if (!ds)
        sr_lexicon_freeze(lex);
    size_t rounds = per_round ? (min_sents + per_round - 1) / per_round : 0;
    size_t sents = per_round * rounds, toks = toks_round * rounds;
    sr_textdoc td;
    memset(&td, 0, sizeof td);
    uint8_t tags[SR_TEXT_MAX_TOKENS];
    size_t counts[SR_POS_COUNT] = {0};
    double t_text = 1e30, t_tag = 1e30, t_code = 1e30;
    sr_mentions ms = {0};
    for (int rep = 0; rep < 3; rep++) {
        t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < nb; i++) {
                sr_textdoc_clear(&td);
                sr_text_analyze(&td, bodies[i].text, bodies[i].len, &o);
            }
        double t = now() - t0;
        if (t < t_text)
            t_text = t;
        memset(counts, 0, sizeof counts);
        t0 = now();
        for (size_t r = 0; r < rounds; r++)
            for (size_t i = 0; i < nb; i++)
                for (size_t s = 0; s < docs[i].nsents; s++) {
                    sr_tag_sentence(tg, st, &docs[i], s, tags);
                    counts[tags[0]]++;
                }
        t = now() - t0;
        if (t < t_tag)
            t_tag = t;
        if (coder) {
            t0 = now();
            for (size_t r = 0; r < rounds; r++)
                for (size_t i = 0; i < nb; i++) {
                    ms.n = 0;
                    sr_code_doc(coder, &docs[i], "2019-06-01", &ms);
                }
            t = now() - t0;
            if (t < t_code)
                t_code = t;
        }
    }
    printf("corpus: %zu article bodies x %zu rounds = %zu sentences, %zu tokens (%.1f a sentence)\n",
           nb, rounds, sents, toks, (double)toks / (double)(sents ? sents : 1));
    printf("model: %zu features, %zu lexicon forms, %.1f MB in memory, loaded in %.1f ms\n",
           info.features, info.lexicon_words, (double)info.bytes / 1e6, t_load * 1e3);
    printf("reference (text pipeline only): %.0f sentences/s, %.2f M tokens/s\n",
           (double)sents / t_text, (double)toks / t_text / 1e6);
    printf("tagger alone:                   %.0f sentences/s, %.2f M tokens/s per core"
           " (%.1f ns a token)\n", (double)sents / t_tag, (double)toks / t_tag / 1e6,
           t_tag / (double)(toks ? toks : 1) * 1e9);
    printf("text + tagger:                  %.0f sentences/s\n", (double)sents / (t_text + t_tag));
    printf("ratio (text + tagger)/reference: %.3f (tagging adds %.1f%% to the text pipeline)\n",
           t_text / (t_text + t_tag), 100.0 * t_tag / t_text);
    if (coder) {
        printf("coder alone:                    %.0f sentences/s\n", (double)sents / t_code);
        printf("text + coder:                   %.0f sentences/s\n", (double)sents / (t_text + t_code));
        printf("text + tagger + coder:          %.0f sentences/s (tagging costs %.1f%% of it)\n",
               (double)sents / (t_text + t_tag + t_code), 100.0 * t_tag / (t_text + t_tag + t_code));
    }
    uint64_t hits, misses;
    tg_tagstate_stats(st, &hits, &misses);
    printf("word-type cache: %.1f%% hits\n", 100.0 * (double)hits / (double)(hits + misses ? hits + misses : 1));
    for (size_t i = 0; i < nb; i++) {
        sr_textdoc_free(&docs[i]);
        free(bodies[i].text);
    }
    free(docs);
    free(bodies);
    sr_textdoc_free(&td);
    sr_tagstate_free(st);
    sr_tagger_free(tg);
    sr_mentions_free(&ms);
    sr_coder_free(coder);
    sr_dictset_free(ds);
    sr_lexicon_free(lex);
    return 0;
}
