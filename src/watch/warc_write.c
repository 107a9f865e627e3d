/*
 * warc_write.c - WARC/1.1 records for `sitrep watch --warc DIR`, so that
 * `sitrep ingest DIR` replays a watch: every response fetched (feeds,
 * robots.txt, redirects, errors and pages) as a request record and a
 * response record, and each feed-text fallback document as a resource
 * record (see watch.c).
 *
 * Layout: files DIR/sitrep-STAMP-NNNNN.warc.gz, a warcinfo record first,
 * then one gzip member per record (as crawlers write them, so a reader can
 * seek to a record and a damaged member loses one record).  Each member
 * is written with one write() call; a run that is killed leaves at most a
 * cut last member, and the next run starts a new file instead of
 * appending after it.  Names sort in the order they were written (a time
 * stamp, then a sequence number that continues across runs), which is
 * the order `sitrep ingest DIR` reads them.
 *
 * The payload is stored as libcurl handed it over: content-encoding and
 * chunking undone.  The HTTP header block says so: Content-Encoding,
 * Transfer-Encoding and Content-Length become X-Archive-Orig-* headers
 * and a Content-Length of the stored payload is added, so no reader takes
 * decoded bytes for encoded ones.  Digests are SHA-256 in base32.
 *
 * zlib writes the members (deflate with a gzip wrapper); OpenSSL's EVP
 * computes the digests.
 */
#include "watch/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#define DEFAULT_MAX ((size_t)1 << 30)

struct sr_warc_writer {
    char *dir;
    size_t max_bytes;
    int fd;
    size_t size;            /* bytes in the current file */
    unsigned seq;           /* the current file's sequence number */
    char path[4096];
    sr_buf rec, gz;
    char error[512];
};

void sr_warc_new_id(char out[48])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        /* no entropy source: the time and address still make ids unique
         * within a run, which is all a record id needs */
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        uint64_t x = sr_hash64(&t, sizeof t, (uint64_t)(uintptr_t)out);
        memcpy(b, &x, 8);
        x = sr_hash64(&x, sizeof x, 7);
        memcpy(b + 8, &x, 8);
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 48,
             "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x>",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

static void sha256_base32(const void *p, size_t n, char out[60])
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char md[32];
    unsigned int len = 0;
    if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL))
        memset(md, 0, sizeof md);
    size_t k = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (int i = 0; i < 32; i++) {
        acc = (acc << 8) | md[i];
        bits += 8;
        while (bits >= 5) {
            out[k++] = alpha[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[k++] = alpha[(acc << (5 - bits)) & 31];
    out[k] = '\0';
}

/* A header value on one line: CR, LF and other controls become spaces. */
static sr_err put_field(sr_buf *b, const char *name, const char *value)
{
    sr_err e = sr_buf_printf(b, "%s: ", name);
    for (const char *c = value; !e && *c; c++)
        e = sr_buf_putc(b, (unsigned char)*c < 0x20 ? ' ' : *c);
    if (!e)
        e = sr_buf_puts(b, "\r\n");
    return e;
}

sr_err sr_warc_record_build(sr_buf *out, const sr_warc_out *rec)
{
    char id[48], digest[60];
    const char *rid = rec->record_id;
    if (!rid) {
        sr_warc_new_id(id);
        rid = id;
    }
    sr_err e = sr_buf_puts(out, "WARC/1.1\r\n");
    if (!e) e = put_field(out, "WARC-Type", rec->type);
    if (!e) e = put_field(out, "WARC-Record-ID", rid);
    if (!e) e = put_field(out, "WARC-Date", rec->date);
    if (!e && rec->target_uri) e = put_field(out, "WARC-Target-URI", rec->target_uri);
    if (!e && rec->concurrent_to) e = put_field(out, "WARC-Concurrent-To", rec->concurrent_to);
    if (!e && rec->outlet) e = put_field(out, "WARC-Sitrep-Outlet", rec->outlet);
    if (!e && rec->content_type) e = put_field(out, "Content-Type", rec->content_type);
    if (!rec->no_digests) {
        sha256_base32(rec->block, rec->block_len, digest);
        if (!e) e = sr_buf_printf(out, "WARC-Block-Digest: sha256:%s\r\n", digest);
    }
    if (!e && !rec->no_digests && rec->payload_offset > 0 && rec->payload_offset <= rec->block_len) {
        sha256_base32(rec->block + rec->payload_offset, rec->block_len - rec->payload_offset,
                      digest);
        e = sr_buf_printf(out, "WARC-Payload-Digest: sha256:%s\r\n", digest);
    }
    if (!e) e = sr_buf_printf(out, "Content-Length: %zu\r\n\r\n", rec->block_len);
    if (!e) e = sr_buf_append(out, rec->block, rec->block_len);
    if (!e) e = sr_buf_puts(out, "\r\n\r\n");
    return e;
}

/* ---- the HTTP block of a response record ----------------------------------- */

sr_err watch_http_block(sr_buf *out, const char *head, size_t hlen, const char *body,
                        size_t blen, size_t *payload_off)
{
    sr_err e = SR_OK;
    const char *p = head, *end = head + hlen;
    bool first = true;
    while (p < end && !e) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *next = nl ? nl + 1 : end;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n == 0)
            break;               /* the blank line: ours follows */
        if (first) {
            /* "HTTP/2 200 " from libcurl: trailing space trimmed */
            while (n > 0 && p[n - 1] == ' ')
                n--;
            e = sr_buf_append(out, p, n);
            if (!e) e = sr_buf_puts(out, "\r\n");
            first = false;
            p = next;
            continue;
        }
        const char *colon = memchr(p, ':', n);
        size_t kn = colon ? (size_t)(colon - p) : 0;
#define IS(name) (kn == sizeof(name) - 1 && strncasecmp(p, name, kn) == 0)
        if (IS("Content-Encoding") || IS("Transfer-Encoding") || IS("Content-Length"))
            e = sr_buf_puts(out, "X-Archive-Orig-");
#undef IS
        if (!e) e = sr_buf_append(out, p, n);
        if (!e) e = sr_buf_puts(out, "\r\n");
        p = next;
    }
    if (first && !e)
        e = sr_buf_puts(out, "HTTP/1.1 200 OK\r\n");
    if (!e) e = sr_buf_printf(out, "Content-Length: %zu\r\n\r\n", blen);
    *payload_off = out->len;
    if (!e) e = sr_buf_append(out, body, blen);
    return e;
}

/* ---- files ------------------------------------------------------------------- */

static unsigned next_seq(const char *dir)
{
    unsigned best = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        /* sitrep-YYYYMMDDHHMMSS-NNNNN.warc.gz */
        const char *n = de->d_name;
        if (strncmp(n, "sitrep-", 7) != 0 || strlen(n) < 7 + 14 + 1 + 5)
            continue;
        unsigned v = (unsigned)strtoul(n + 7 + 15, NULL, 10);
        if (v > best)
            best = v;
    }
    closedir(d);
    return best + 1;
}

static sr_err add_member(sr_warc_writer *w, const sr_warc_out *rec);

static sr_err open_next(sr_warc_writer *w)
{
    if (w->fd >= 0) {
        fsync(w->fd);
        close(w->fd);
        w->fd = -1;
    }
    char stamp[24], iso[24];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    w->seq = w->seq ? w->seq + 1 : next_seq(w->dir);
    snprintf(w->path, sizeof w->path, "%s/sitrep-%s-%05u.warc.gz", w->dir, stamp, w->seq);
    w->fd = open(w->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        snprintf(w->error, sizeof w->error, "%.400s: %.100s", w->path, strerror(errno));
        return SR_EIO;
    }
    w->size = 0;
    watch_iso_now(iso);
    char info[512];
    int n = snprintf(info, sizeof info,
                     "software: sitrep/%s (sitrep watch)\r\n"
                     "format: WARC File Format 1.1\r\n"
                     "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
                     "description: responses fetched by sitrep watch; payloads stored decoded "
                     "(original encodings in X-Archive-Orig-* headers)\r\n",
                     SITREP_VERSION);
    sr_warc_out wi = { "warcinfo", NULL, iso, NULL, NULL, "application/warc-fields", NULL,
                       info, (size_t)n, 0, false };
    return add_member(w, &wi);
}

sr_err sr_warc_writer_open(const char *dir, size_t max_bytes, sr_warc_writer **out)
{
    *out = NULL;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return SR_EIO;
    sr_warc_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->dir = strdup(dir))) {
        free(w);
        return SR_ENOMEM;
    }
    w->fd = -1;
    w->max_bytes = max_bytes ? max_bytes : DEFAULT_MAX;
    sr_buf_init(&w->rec, 0);
    sr_buf_init(&w->gz, 0);
    *out = w;
    return open_next(w);
}

const char *sr_warc_writer_error(const sr_warc_writer *w)
{
    return w ? w->error : "";
}

static sr_err write_member(sr_warc_writer *w, const char *bytes, size_t len);

static sr_err add_member(sr_warc_writer *w, const sr_warc_out *rec)
{
    sr_buf_reset(&w->rec);
    sr_err e = sr_warc_record_build(&w->rec, rec);
    if (e)
        return e;
    return write_member(w, w->rec.p, w->rec.len);
}

/* bytes[0..len) (one whole record) as one gzip member, in one write. */
static sr_err write_member(sr_warc_writer *w, const char *bytes, size_t len)
{
    sr_err e;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return SR_ENOMEM;
    size_t bound = deflateBound(&zs, (uLong)len);
    sr_buf_reset(&w->gz);
    if ((e = sr_buf_reserve(&w->gz, bound)) != SR_OK) {
        deflateEnd(&zs);
        return e;
    }
    zs.next_in = (unsigned char *)(uintptr_t)bytes;
    zs.avail_in = (uInt)len;
    zs.next_out = (unsigned char *)w->gz.p;
    zs.avail_out = (uInt)bound;
    int rc = deflate(&zs, Z_FINISH);
    size_t n = bound - zs.avail_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return SR_ENOMEM;
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(w->fd, w->gz.p + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            snprintf(w->error, sizeof w->error, "%.400s: %.100s", w->path, strerror(errno));
            return SR_EIO;
        }
        done += (size_t)k;
    }
    w->size += n;
    return SR_OK;
}

sr_err sr_warc_writer_add(sr_warc_writer *w, const sr_warc_out *rec)
{
    if (w->fd < 0)
        return SR_EIO;
    if (w->size >= w->max_bytes) {
        sr_err e = open_next(w);
        if (e)
            return e;
    }
    return add_member(w, rec);
}

sr_err sr_warc_writer_add_built(sr_warc_writer *w, const char *record, size_t len)
{
    if (w->fd < 0)
        return SR_EIO;
    if (w->size >= w->max_bytes) {
        sr_err e = open_next(w);
        if (e)
            return e;
    }
    return write_member(w, record, len);
}

sr_err sr_warc_writer_close(sr_warc_writer *w)
{
    if (!w)
        return SR_OK;
    sr_err e = SR_OK;
    if (w->fd >= 0) {
        if (fsync(w->fd) != 0 && errno != EINVAL)
            e = SR_EIO;
        if (close(w->fd) != 0)
            e = SR_EIO;
    }
    sr_buf_free(&w->rec);
    sr_buf_free(&w->gz);
    free(w->dir);
    free(w);
    return e;
}
