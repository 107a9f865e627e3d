/*
 * story_fuzz.c - libFuzzer target for the story clusterer's inputs: the term
 * bag tokenizer (any bytes as headline and lead, labels kept) and the
 * state blob a store hands back (sr_clusterer_restore_story reads it: any
 * bytes must be refused or restored, never read past their end), then
 * documents clustered against whatever was restored, flushed and restored
 * again.  Input: the first byte chooses where the text ends and the blob
 * begins.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/story.h"

static int resave(int64_t id, int64_t first, int64_t last, uint32_t ndocs,
                  const void *blob, size_t len, void *ctx)
{
    sr_clusterer *c = ctx;
    sr_err e = sr_clusterer_restore_story(c, id, first, last, ndocs, blob, len);
    return e == SR_OK || e == SR_EINVAL ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t cut = size > 1 ? (size_t)data[0] * (size - 1) / 255 : 0;
    const uint8_t *rest = data + 1;
    size_t nrest = size - 1;
    char *text = malloc(cut + 1);
    if (!text)
        return 0;
    memcpy(text, rest, cut);
    text[cut] = '\0';
    size_t nl = strcspn(text, "\n");
    char saved = text[nl];
    text[nl] = '\0';                     /* the first line is the headline */
    const char *body = saved ? text + nl + 1 : "";

    sr_story_terms t = {0};
    t.keep_labels = true;
    if (sr_story_terms_build(&t, text, body, strlen(body), NULL, 0) == SR_OK)
        for (size_t i = 0; i < t.n; i++)
            (void)sr_story_terms_label(&t, i);

    sr_clusterer *c = sr_clusterer_new(NULL), *d = sr_clusterer_new(NULL);
    if (c && d) {
        sr_clusterer_restore_counts(c, 100, 5);
        /* the rest of the input as a stored state, as found and as a
         * version-2 and a version-3 blob */
        (void)sr_clusterer_restore_story(c, 1, 1000, 2000, 3, rest + cut, nrest - cut);
        if (nrest - cut >= 8) {
            unsigned char *b = malloc(nrest - cut);
            if (b) {
                memcpy(b, rest + cut, nrest - cut);
                memcpy(b, "SRSTORS2", 8);
                (void)sr_clusterer_restore_story(c, 2, 1000, 2000, 3, b, nrest - cut);
                memcpy(b, "SRSTORS3", 8);
                (void)sr_clusterer_restore_story(c, 3, 1000, 2000, 3, b, nrest - cut);
                free(b);
            }
        }
        sr_cluster_result r;
        for (int k = 0; k < 6; k++)
            (void)sr_clusterer_add(c, &t, k % 3 == 2 ? SR_TIME_UNKNOWN : 1500 + k * 4000,
                                   10 + k, 0, &r);
        (void)sr_clusterer_flush_stories(c, resave, d);
        (void)sr_clusterer_add(d, &t, 1600, 20, 0, &r);
    }
    sr_clusterer_free(c);
    sr_clusterer_free(d);
    sr_story_terms_free(&t);
    free(text);
    return 0;
}
