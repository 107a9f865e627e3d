/*
 * html_fuzz - libFuzzer target for article extraction: any bytes through
 * sr_html_extract() (charset sniffing and conversion, the tree builder,
 * block walk, content scoring, metadata and JSON-LD scanning).  Also with
 * a charset label taken from the first byte, so the ICU conversion paths
 * are reached.  Must never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sitrep/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const charsets[] = {
        NULL, "utf-8", "windows-1252", "iso-8859-1", "shift_jis", "utf-16le", "koi8-r", "bogus",
    };
    const char *cs = size ? charsets[data[0] & 7] : NULL;
    sr_article a;
    if (sr_html_extract((const char *)data, size, cs, "http://example.com/a/b", &a) == SR_OK) {
        /* The text must be NUL-terminated at text_len. */
        if (a.text && strlen(a.text) != a.text_len)
            __builtin_trap();
        sr_article_free(&a);
    }
    return 0;
}
