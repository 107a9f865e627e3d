/*
 * tagger_fuzz - libFuzzer target for the part-of-speech model loader: any
 * bytes through sr_tagger_load_mem(), and when they load, a sentence tagged
 * with them.  A mutated file almost never keeps its CRC-32, so for inputs
 * whose last byte is odd the size and checksum fields are set to match the
 * bytes first: the fuzzer then reaches the section parsing behind them.
 * Must never crash, leak, allocate without bound or tag outside the set.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sitrep/syntax.h"
#include "sitrep/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *p = malloc(size ? size : 1);
    if (!p)
        return 0;
    memcpy(p, data, size);
    if (size >= 48 && (data[size - 1] & 1)) {
        for (int i = 0; i < 8; i++)
            p[24 + i] = (uint8_t)((uint64_t)size >> (8 * i));
        uint32_t crc = (uint32_t)crc32(0L, p + 24, (uInt)(size - 24));
        for (int i = 0; i < 4; i++)
            p[20 + i] = (uint8_t)(crc >> (8 * i));
    }
    sr_err e;
    sr_tagger_err msg;
    sr_tagger *t = sr_tagger_load_mem(p, size, "fuzz", &e, &msg);
    if (t) {
        static const char text[] = "The embassy was attacked by Iranian protesters on Tuesday.";
        sr_textdoc d;
        memset(&d, 0, sizeof d);
        sr_text_opts o = { NULL, true, false };
        sr_tagstate *st = sr_tagstate_new(t);
        uint8_t tags[SR_TEXT_MAX_TOKENS];
        if (st && sr_text_analyze(&d, text, sizeof text - 1, &o) == SR_OK)
            for (size_t s = 0; s < d.nsents; s++)
                if (sr_tag_sentence(t, st, &d, s, tags) == SR_OK)
                    for (uint32_t k = 0; k < d.sents[s].tok_count; k++)
                        if (tags[k] >= SR_POS_COUNT)
                            __builtin_trap();
        sr_textdoc_free(&d);
        sr_tagstate_free(st);
        sr_tagger_free(t);
    } else if (msg.msg[0] == '\0') {
        __builtin_trap();            /* every refusal says why */
    }
    free(p);
    return 0;
}
