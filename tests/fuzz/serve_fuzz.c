/*
 * serve_fuzz.c - libFuzzer target for sitrep serve's request parsing: the
 * request target (path segments, parameters, percent-decoding), then what
 * the routes do with each parameter (UTF-8 and control check, dates,
 * cursors) and the route match, plus If-None-Match lists.  Must never
 * crash, read out of bounds or leak, whatever the bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static api_target t;
    const char *why = NULL;
    if (api_parse_target((const char *)data, size, &t, &why) == 0) {
        (void)api_match(&t);
        for (size_t i = 0; i < t.nparams; i++) {
            const api_param *p = &t.params[i];
            if (!api_clean_text(p->value, p->value_len))
                continue;
            (void)api_valid_date(p->value);
            int64_t num;
            char key[128];
            if (api_cursor_decode(p->value, p->key[0], &num, key, sizeof key)) {
                /* what decodes encodes to a cursor that decodes the same */
                sr_buf b = SR_BUF_INIT(1 << 12);
                int64_t num2 = -1;
                char key2[128];
                if (api_cursor_encode(p->key[0], num, key, &b) != SR_OK ||
                    !api_cursor_decode(b.p, p->key[0], &num2, key2, sizeof key2) ||
                    num2 != num || strcmp(key, key2) != 0)
                    __builtin_trap();
                sr_buf_free(&b);
            }
        }
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    (void)api_etag_matches(s, "\"0123456789abcdef\"");
    free(s);
    return 0;
}
