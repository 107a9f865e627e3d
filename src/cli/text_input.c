/*
 * text_input.c - streaming plain text, or ingestion for everything else.
 */
#include "cli/text_input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/doc.h"
#include "sitrep/ingest.h"
#include "sitrep/text.h"

typedef struct each_ctx {
    cli_text_fn fn;
    void *ctx;
    sr_buf name;
    const char *alias;      /* temp file standing for stdin, shown as "-" */
} each_ctx;

static int on_doc(const sr_doc *d, void *vctx)
{
    each_ctx *e = vctx;
    sr_buf_reset(&e->name);
    const char *path = e->alias && strcmp(d->path, e->alias) == 0 ? "-" : d->path;
    if (sr_buf_puts(&e->name, path) != SR_OK ||
        (d->record && sr_buf_printf(&e->name, ":%s", d->record) != SR_OK))
        return -1;
    return e->fn(e->name.p, d->text, d->text_len, 0, 1, e->ctx);
}

static int stream_text(sr_in *in, const char *path, cli_text_fn fn, void *ctx)
{
    char *buf = malloc(CLI_TEXT_BLOCK);
    if (!buf)
        return -1;
    size_t have = 0, base = 0;
    int first = 1, rc = 0;
    bool eof = false;
    while (rc == 0) {
        if (!eof && have < CLI_TEXT_BLOCK) {
            size_t n = sr_in_read(in, buf + have, CLI_TEXT_BLOCK - have);
            if (n == 0) {
                eof = true;
                if (sr_in_error(in))
                    sr_skip(path, NULL, "%s (text after byte %zu lost)", sr_in_error(in), base + have);
            }
            have += n;
            if (!eof)
                continue;
        }
        size_t cut = sr_text_next_block(buf, have, CLI_TEXT_BLOCK, eof);
        if (cut == 0) {
            if (eof)
                break;
            continue;
        }
        rc = fn(path, buf, cut, base, first, ctx);
        first = 0;
        memmove(buf, buf + cut, have - cut);
        have -= cut;
        base += cut;
        if (eof && have == 0)
            break;
    }
    if (rc == 0 && first)
        rc = fn(path, "", 0, 0, 1, ctx);   /* an empty input is a document */
    free(buf);
    return rc;
}

/* Standard input that is not plain text (an HTML page, a feed, a WARC):
 * ingestion reads files, and the bytes sniffed to tell the format cannot
 * be put back on a pipe, so what is left is copied (capped as a page is)
 * to a private temporary file, which ingestion then reads as "-". */
static int stdin_document(sr_in *in, cli_text_fn fn, void *ctx)
{
    char *data = NULL;
    size_t len = 0;
    sr_err e = sr_in_slurp(in, SR_INGEST_MAX_FILE, &data, &len);
    sr_in_close(in);
    if (e != SR_OK) {
        sr_skip("-", NULL, "standard input: %s", sr_strerror(e));
        free(data);
        return e == SR_ENOMEM ? -1 : 0;
    }
    const char *dir = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/sitrep-stdin-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    free(data);
    if (!ok) {
        sr_skip("-", NULL, "cannot keep standard input in %s: %s", tmp, strerror(errno));
        if (fd >= 0)
            unlink(tmp);
        return 0;
    }
    each_ctx ec = { fn, ctx, SR_BUF_INIT(1 << 16), tmp };
    int rc = sr_ingest_path(tmp, NULL, on_doc, &ec);
    unlink(tmp);
    sr_buf_free(&ec.name);
    return rc == SR_ENOMEM ? -1 : rc;
}

int cli_each_text(const char *path, cli_text_fn fn, void *ctx)
{
    struct stat st;
    bool dir = strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    if (!dir) {
        sr_in *in = NULL;
        if (sr_in_open(path, &in) != SR_OK) {
            sr_skip(path, NULL, "cannot open: %s", strerror(errno));
            return 0;
        }
        const unsigned char *p;
        size_t n = sr_in_peek(in, 4096, &p);
        sr_ingest_kind k = sr_ingest_detect(p, n, path);
        if (k == SR_KIND_TEXT || k == SR_KIND_EMPTY) {
            int rc = stream_text(in, path, fn, ctx);
            sr_in_close(in);
            return rc;
        }
        if (strcmp(path, "-") == 0)
            return stdin_document(in, fn, ctx);
        sr_in_close(in);
    }
    each_ctx e = { fn, ctx, SR_BUF_INIT(1 << 16), NULL };
    int rc = sr_ingest_path(path, NULL, on_doc, &e);
    sr_buf_free(&e.name);
    return rc == SR_ENOMEM ? -1 : rc;
}

int cli_each_text_arg(int argc, char **argv, int first, cli_text_fn fn, void *ctx)
{
    if (first >= argc)
        return cli_each_text("-", fn, ctx);
    int rc = 0;
    for (int i = first; i < argc && rc == 0; i++)
        rc = cli_each_text(argv[i], fn, ctx);
    return rc;
}
