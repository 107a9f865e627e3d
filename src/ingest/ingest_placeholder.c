/* Minimal reader used until the ingestion stage lands: every input is plain
 * text, one document per file.  Replaced by src/ingest/ proper. */
#include "sitrep/doc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sr_ingest_path(const char *path, const sr_ingest_opts *opts,
                   sr_doc_fn fn, void *ctx)
{
    size_t max = opts && opts->max_file ? opts->max_file : SR_INGEST_MAX_FILE;
    char *text;
    size_t len;
    sr_err e = sr_read_file(path, max, &text, &len);
    if (e) {
        sr_skip(path, NULL, "%s", e == SR_EIO ? strerror(errno) : sr_strerror(e));
        return e == SR_ENOMEM ? SR_ENOMEM : 0;
    }
    sr_doc d = {0};
    d.path = path;
    d.format = SR_FMT_TEXT;
    d.published = opts ? opts->date : NULL;
    d.text = text;
    d.text_len = len;
    int rc = fn(&d, ctx);
    free(text);
    return rc;
}
