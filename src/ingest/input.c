/*
 * input.c - sr_in: a byte stream that undoes gzip wherever it appears.
 *
 * Design: two fixed 64 KiB windows, raw bytes in and decoded bytes out, so
 * reading a multi-gigabyte WARC.gz costs the same memory as reading a
 * page.  Gzip is detected by its magic bytes, never by the file name; a
 * stream of several gzip members (Common Crawl writes one per WARC record)
 * is read as one stream.  Inflating is streaming, so a gzip bomb costs only
 * time until the caller's cap stops it.
 *
 * Damage is not fatal to the process, only to the data: a corrupt member
 * ends the stream with sr_in_error() set; sr_in_resume() skips to the next
 * member's magic so a record-per-member archive loses one record, not the
 * rest of the file.  A file that ends inside a member is "truncated".
 *
 * Inflating is ISA-L's igzip (isal_inflate), several times faster than
 * zlib on the same data; it parses each member's header, checks the
 * header CRC when there is one, and checks the trailer's CRC-32 and
 * length.  A large sr_in_read() is inflated straight into the caller's
 * memory, so a WARC record is written once, not copied through out[].
 */
#include "sitrep/ingest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <isa-l/igzip_lib.h>

#define WIN ((size_t)64 << 10)
/* sr_in_error() for bytes that are not gzip where a member should begin:
 * junk between members, or after the last one.  sr_in_resume() can go on
 * from the next member, if there is one. */
#define SR_IN_JUNK "data after the end of the gzip stream"

struct sr_in {
    FILE *f;                    /* NULL for memory streams */
    int own_f;                  /* fclose() at the end (not stdin) */
    const unsigned char *mem;   /* memory stream: all raw bytes */
    size_t mem_len, mem_pos;
    long long file_size;

    int gzip;                   /* raw data is gzip */
    int in_member;              /* inside a member (bytes owed) */
    unsigned long long raw_base;  /* stream offset of raw[0] */
    unsigned long long member_at; /* stream offset of the last member begun */
    unsigned long long dec_total;  /* decoded bytes produced so far */
    unsigned long long member_dec; /* dec_total when the current member began */
    int crc_failed;             /* a member's data all came out, then its
                                   trailer's CRC-32 or length did not match */
    unsigned long long fail_start, fail_end;  /* that member's decoded bytes */
    struct inflate_state zs;
    unsigned char raw[WIN];     /* raw bytes not yet inflated: [rpos, rlen) */
    size_t rpos, rlen;
    int raw_eof;

    unsigned char out[WIN];     /* decoded bytes not yet consumed: [opos, olen) */
    size_t opos, olen;
    int done;                   /* no more decoded bytes will come */
    const char *error;          /* why the data stopped, or NULL */
};

static sr_in *in_alloc(void)
{
    sr_in *in = calloc(1, sizeof *in);
    if (in)
        in->file_size = -1;
    return in;
}

/* Refill raw[] (keeping unconsumed bytes).  Returns bytes added. */
static size_t raw_fill(sr_in *in)
{
    if (in->rpos > 0) {
        memmove(in->raw, in->raw + in->rpos, in->rlen - in->rpos);
        in->raw_base += in->rpos;
        in->rlen -= in->rpos;
        in->rpos = 0;
    }
    if (in->raw_eof || in->rlen == WIN)
        return 0;
    size_t n;
    if (in->f) {
        n = fread(in->raw + in->rlen, 1, WIN - in->rlen, in->f);
        if (n == 0) {
            in->raw_eof = 1;
            if (ferror(in->f))
                in->error = "read error";
        }
    } else {
        n = in->mem_len - in->mem_pos;
        if (n > WIN - in->rlen)
            n = WIN - in->rlen;
        memcpy(in->raw + in->rlen, in->mem + in->mem_pos, n);
        in->mem_pos += n;
        if (n == 0)
            in->raw_eof = 1;
    }
    in->rlen += n;
    return n;
}

static int at_gzip_magic(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

static void sniff_gzip(sr_in *in)
{
    while (in->rlen < 3 && raw_fill(in) > 0)
        ;
    if (at_gzip_magic(in->raw, in->rlen)) {
        isal_inflate_init(&in->zs);   /* and reset at each member's start */
        in->gzip = 1;
    }
}

static sr_err open_common(sr_in *in, sr_in **out)
{
    sniff_gzip(in);
    *out = in;
    return SR_OK;
}

sr_err sr_in_open(const char *path, sr_in **out)
{
    sr_in *in = in_alloc();
    if (!in)
        return SR_ENOMEM;
    if (strcmp(path, "-") == 0) {
        in->f = stdin;
    } else {
        in->f = fopen(path, "rb");
        if (!in->f) {
            int saved = errno;
            free(in);
            errno = saved;
            return SR_EIO;
        }
        in->own_f = 1;
    }
    struct stat st;
    if (fstat(fileno(in->f), &st) == 0 && S_ISREG(st.st_mode))
        in->file_size = (long long)st.st_size;
    return open_common(in, out);
}

sr_err sr_in_open_mem(const void *p, size_t n, sr_in **out)
{
    sr_in *in = in_alloc();
    if (!in)
        return SR_ENOMEM;
    in->mem = p;
    in->mem_len = n;
    return open_common(in, out);
}

void sr_in_close(sr_in *in)
{
    if (!in)
        return;
    if (in->own_f)
        fclose(in->f);
    free(in);
}

/* Only zero bytes left (some writers pad a gzip file to a block size)? */
static int rest_is_padding(sr_in *in)
{
    for (;;) {
        for (size_t i = in->rpos; i < in->rlen; i++)
            if (in->raw[i] != 0)
                return 0;
        in->rpos = in->rlen;
        if (raw_fill(in) == 0)
            return 1;
    }
}

/* Start a member at raw[rpos] (its magic already seen).  0 if its header
 * is one zlib refuses and ISA-L would take: set reserved flag bits (RFC
 * 1952 says a reader must fail on them; they may mean fields it cannot
 * skip), so such data stays "corrupt" as it always was here. */
static int member_begin(sr_in *in)
{
    in->member_at = in->raw_base + in->rpos;
    if (in->rlen - in->rpos >= 4 && (in->raw[in->rpos + 3] & 0xe0))
        return 0;
    isal_inflate_reset(&in->zs);
    in->zs.crc_flag = ISAL_GZIP;   /* parse the header, verify CRC-32 and size */
    in->in_member = 1;
    in->member_dec = in->dec_total;
    return 1;
}

/* Corrupt data: stop, with the input position moved back over the bytes
 * the inflater had buffered but not decoded (its bit buffer reads ahead),
 * so that sr_in_resume() looks for the next member from where the damage
 * was found, and never at or before the failed member's start. */
static void member_failed(sr_in *in)
{
    size_t back = in->zs.read_in_length > 0 ? (size_t)in->zs.read_in_length / 8 : 0;
    if (back > in->rpos)
        back = in->rpos;
    in->rpos -= back;
    if (in->raw_base + in->rpos <= in->member_at && in->member_at - in->raw_base < in->rlen)
        in->rpos = (size_t)(in->member_at - in->raw_base) + 1;
    in->error = "corrupt gzip data";
    in->done = 1;
}

/* Decode up to room bytes into dst.  Returns bytes written (0 = done or
 * error; see in->error). */
static size_t decode(sr_in *in, unsigned char *dst, size_t room)
{
    if (in->done || room == 0)
        return 0;
    if (!in->gzip) {
        if (in->rpos == in->rlen && raw_fill(in) == 0) {
            in->done = 1;
            return 0;
        }
        size_t n = in->rlen - in->rpos;
        if (n > room)
            n = room;
        memcpy(dst, in->raw + in->rpos, n);
        in->rpos += n;
        return n;
    }
    if (room > ((size_t)1 << 30))
        room = (size_t)1 << 30;     /* avail_out is 32 bits */
    size_t got = 0;
    while (got == 0) {
        if (in->rpos == in->rlen && raw_fill(in) == 0) {
            if (in->in_member)
                in->error = in->error ? in->error : "gzip data truncated";
            in->done = 1;
            break;
        }
        if (!in->in_member) {
            /* between members: another member, padding, or junk */
            while (in->rlen - in->rpos < 4 && raw_fill(in) > 0)
                ;
            if (!at_gzip_magic(in->raw + in->rpos, in->rlen - in->rpos)) {
                if (!rest_is_padding(in))
                    in->error = SR_IN_JUNK;
                in->done = 1;
                break;
            }
            if (!member_begin(in)) {
                member_failed(in);
                break;
            }
        }
        size_t avail = in->rlen - in->rpos;
        in->zs.next_in = in->raw + in->rpos;
        in->zs.avail_in = (uint32_t)avail;
        in->zs.next_out = dst;
        in->zs.avail_out = (uint32_t)room;
        int rc = isal_inflate(&in->zs);
        in->rpos = in->rlen - in->zs.avail_in;
        got = room - in->zs.avail_out;
        in->dec_total += got;
        if (rc != ISAL_DECOMP_OK && rc != ISAL_END_INPUT) {
            /* bad block, symbol, distance, header, method or checksum;
             * what was decoded before the damage still counts.  A checksum
             * that fails once data came out is the trailer's: all of the
             * member's bytes came out, and some of them are wrong */
            member_failed(in);
            if (rc == ISAL_INCORRECT_CHECKSUM && in->dec_total > in->member_dec) {
                in->error = "gzip member fails its CRC check";
                in->crc_failed = 1;
                in->fail_start = in->member_dec;
                in->fail_end = in->dec_total;
            }
            break;
        }
        if (in->zs.block_state == ISAL_BLOCK_FINISH)
            in->in_member = 0;      /* trailer checked: a clean member end */
        else if (got == 0 && in->zs.avail_in == avail) {
            member_failed(in);      /* no progress: never spin on bad data */
            break;
        }
        /* else the input ran out mid-member: refill, or report truncation */
    }
    return got;
}

/* Decode more bytes into out[].  Returns bytes added (0 = done/error). */
static size_t out_fill(sr_in *in)
{
    if (in->opos > 0) {
        memmove(in->out, in->out + in->opos, in->olen - in->opos);
        in->olen -= in->opos;
        in->opos = 0;
    }
    size_t n = decode(in, in->out + in->olen, WIN - in->olen);
    in->olen += n;
    if (in->crc_failed) {
        /* the failed member's bytes nobody has read yet are known to be
         * damaged: they are never handed out */
        unsigned long long tell = sr_in_tell(in);
        size_t keep = in->fail_start > tell ? (size_t)(in->fail_start - tell) : 0;
        if (in->opos + keep < in->olen) {
            size_t drop = in->olen - (in->opos + keep);
            n = drop < n ? n - drop : 0;
            in->olen -= drop;
            /* offsets count what can be read: the member ends where its
             * readable bytes do */
            in->dec_total -= drop;
            if (in->fail_end > in->dec_total)
                in->fail_end = in->dec_total;
        }
    }
    return n;
}

int sr_in_resume(sr_in *in)
{
    if (!in->gzip || !in->error ||
        (strcmp(in->error, "corrupt gzip data") != 0 && strcmp(in->error, SR_IN_JUNK) != 0 &&
         !in->crc_failed))
        return 0;
    /* never restart on the member that just failed */
    if (in->raw_base + in->rpos <= in->member_at)
        in->rpos = (size_t)(in->member_at - in->raw_base) + 1;
    if (in->rpos > in->rlen)
        in->rpos = in->rlen;
    for (;;) {
        while (in->rlen - in->rpos < 3 && raw_fill(in) > 0)
            ;
        if (in->rlen - in->rpos < 3)
            return 0;
        const unsigned char *p = in->raw + in->rpos;
        const unsigned char *hit = NULL;
        for (size_t i = 0; i + 2 < in->rlen - in->rpos; i++)
            if (at_gzip_magic(p + i, in->rlen - in->rpos - i)) {
                hit = p + i;
                break;
            }
        if (hit) {
            in->rpos += (size_t)(hit - p);
            break;
        }
        in->rpos = in->rlen - 2;  /* keep a possible split magic */
        if (raw_fill(in) == 0)
            return 0;
    }
    in->in_member = 0;
    in->error = NULL;
    in->crc_failed = 0;
    in->done = 0;
    return 1;
}

size_t sr_in_peek(sr_in *in, size_t n, const unsigned char **p)
{
    if (n > WIN)
        n = WIN;
    while (in->olen - in->opos < n && out_fill(in) > 0)
        ;
    *p = in->out + in->opos;
    size_t have = in->olen - in->opos;
    return have < n ? have : n;
}

size_t sr_in_read(sr_in *in, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (in->opos == in->olen) {
            if (n - got >= WIN / 2) {
                /* a big read: decode straight into the caller's memory */
                size_t k = decode(in, (unsigned char *)buf + got, n - got);
                if (in->crc_failed && k > 0) {
                    /* as in out_fill(): a failed member's bytes written by
                     * this very call are taken back */
                    unsigned long long from = in->dec_total - k;
                    unsigned long long back = in->dec_total -
                        (in->fail_start > from ? in->fail_start : from);
                    k -= (size_t)back;
                    in->dec_total -= back;
                    in->fail_end = in->dec_total;
                }
                if (k == 0)
                    break;
                got += k;
                continue;
            }
            if (out_fill(in) == 0)
                break;
        }
        size_t k = in->olen - in->opos;
        if (k > n - got)
            k = n - got;
        memcpy((char *)buf + got, in->out + in->opos, k);
        in->opos += k;
        got += k;
    }
    return got;
}

size_t sr_in_skip(sr_in *in, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (in->opos == in->olen && out_fill(in) == 0)
            break;
        size_t k = in->olen - in->opos;
        if (k > n - got)
            k = n - got;
        in->opos += k;
        got += k;
    }
    return got;
}

int sr_in_getline(sr_in *in, sr_buf *line, size_t max, int *cut)
{
    sr_buf_reset(line);
    *cut = 0;
    int any = 0;
    for (;;) {
        if (in->opos == in->olen && out_fill(in) == 0)
            return any;
        any = 1;
        const unsigned char *s = in->out + in->opos;
        size_t avail = in->olen - in->opos;
        const unsigned char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) + 1 : avail;
        if (!*cut) {
            size_t room = max > line->len ? max - line->len : 0;
            size_t k = take < room ? take : room;
            if (sr_buf_append(line, s, k) != SR_OK || k < take)
                *cut = 1;
        }
        in->opos += take;
        if (nl)
            return 1;
    }
}

sr_err sr_in_slurp(sr_in *in, size_t max, char **out, size_t *len)
{
    sr_buf b = SR_BUF_INIT(max);
    sr_err e = SR_OK;
    for (;;) {
        if (in->opos == in->olen && out_fill(in) == 0)
            break;
        if ((e = sr_buf_append(&b, in->out + in->opos, in->olen - in->opos)))
            break;
        in->opos = in->olen;
    }
    if (e) {
        sr_buf_free(&b);
        return e;
    }
    *out = sr_buf_detach(&b, len);
    return *out ? SR_OK : SR_ENOMEM;
}

const char *sr_in_error(const sr_in *in) { return in->error; }
unsigned long long sr_in_tell(const sr_in *in) { return in->dec_total - (in->olen - in->opos); }

int sr_in_crc_failed(const sr_in *in, unsigned long long *start, unsigned long long *end)
{
    if (!in->error || !in->crc_failed)
        return 0;
    *start = in->fail_start;
    *end = in->fail_end;
    return 1;
}
int sr_in_is_gzip(const sr_in *in) { return in->gzip; }
long long sr_in_file_size(const sr_in *in) { return in->file_size; }
