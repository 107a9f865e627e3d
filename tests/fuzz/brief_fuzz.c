/*
 * brief_fuzz.c - the story module on hostile text: the input is split at
 * its first NUL (or in half) into two outlets' documents, the second
 * marked a near-copy of the first; titles and amounts are read from both,
 * a brief is built and rendered in every format, and the fingerprints,
 * containment and term bags are computed.  Must never crash, hang, or read
 * outside the input.
 */
#include <stdlib.h>
#include <string.h>

#include "sitrep/story.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > (1 << 16))
        return 0;
    char *buf = malloc(size + 2);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    buf[size + 1] = '\0';
    size_t cut = strnlen(buf, size);
    if (cut == size)
        cut = size / 2;
    /* two NUL-terminated texts: [0, cut) and [cut + 1, size) */
    char *second = buf + cut + (cut < size ? 1 : 0);
    char saved = buf[cut];
    buf[cut] = '\0';
    size_t n1 = cut, n2 = strlen(second);
    sr_brief_doc docs[2] = {
        { 1, 0, "One", "title", NULL, buf, n1 },
        { 2, 1, "Two", NULL, "2025-01-01", second, n2 },
    };
    sr_brief_mention ms[2] = {
        { 1, "PAKMIL", "LBYMIL", "042", SR_MOD_ASSERTED, buf },
        { 2, n2 ? second : "", "", n1 > 3 ? "04" : "x", SR_MOD_HEDGED, "" },
    };
    sr_brief b;
    if (sr_brief_build(&b, 1, buf, docs, 2, ms, 2) == SR_OK) {
        sr_buf out = SR_BUF_INIT(0);
        for (int f = SR_BRIEF_TEXT; f <= SR_BRIEF_JSON; f++) {
            sr_brief_render(&b, (sr_brief_format)f, &out);
            sr_buf_reset(&out);
        }
        sr_buf_free(&out);
        sr_brief_keep_kinds(&b, 1u << SR_CLAIM_TITLE);
        sr_brief_free(&b);
    }
    (void)sr_simhash_distance(sr_simhash(buf, n1), sr_simhash(second, n2));
    (void)sr_shingle_containment(buf, n1, second, n2);
    (void)sr_body_hash(second, n2);
    sr_story_terms t = {0};
    const char *actors[] = { "PA", n1 ? buf : "" };
    sr_story_terms_build(&t, buf, second, n2, actors, 2);
    sr_story_terms_free(&t);
    buf[cut] = saved;
    free(buf);
    return 0;
}
