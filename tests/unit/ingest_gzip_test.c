/*
 * ingest_gzip_test.c - the gzip reader (sr_in) on members built here with
 * zlib, so the inflater under sr_in is checked against an independent
 * writer: optional header fields (extra, name, comment, header CRC),
 * damage at each place a member can be damaged (header flags, header CRC,
 * deflate data, trailer CRC, trailer size) and resumption at the member
 * after it, big reads that bypass the window, padding and junk after the
 * end; then the WARC iterator's in-place blocks and the HTTP payload
 * returned by pointer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "sitrep/ingest.h"
#include "gz_member.h"

static void put_le(sr_buf *b, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        sr_buf_putc(b, (char)((v >> (8 * i)) & 0xff));
}

/* A member of stored (uncompressed) deflate blocks of `block` bytes each,
 * so a test knows where each block header is.  Returns the offset of the
 * second block's header in b (0 if there is one block). */
static size_t gz_member_stored(sr_buf *b, const char *p, size_t n, size_t block)
{
    static const char hdr[10] = {0x1f, (char)0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    sr_buf_append(b, hdr, sizeof hdr);
    size_t second = 0;
    for (size_t at = 0, k = 0; at < n || k == 0; k++) {
        size_t len = n - at < block ? n - at : block;
        if (k == 1)
            second = b->len;
        sr_buf_putc(b, at + len == n ? 1 : 0);   /* BFINAL, BTYPE 00 */
        put_le(b, (uint32_t)len, 2);
        put_le(b, (uint32_t)(~len & 0xffff), 2);
        sr_buf_append(b, p + at, len);
        at += len;
    }
    put_le(b, (uint32_t)crc32(0, (const Bytef *)p, (uInt)n), 4);
    put_le(b, (uint32_t)n, 4);
    return second;
}

/* Text that compresses, but not to nothing: n bytes from seed. */
static char *sample(size_t n, unsigned seed)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        s[i] = (x >> 16) % 5 == 0 ? ' ' : (char)('a' + (x >> 20) % 12);
    }
    s[n] = '\0';
    return s;
}

/* Everything sr_in yields, and its error (NULL if clean) */
static char *drain(const sr_buf *gz, size_t *len, const char **err)
{
    sr_in *in;
    assert_int_equal(sr_in_open_mem(gz->p, gz->len, &in), SR_OK);
    char *all = NULL;
    assert_int_equal(sr_in_slurp(in, (size_t)64 << 20, &all, len), SR_OK);
    *err = sr_in_error(in);
    sr_in_close(in);
    return all;
}

static void test_header_fields(void **state)
{
    (void)state;
    unsigned char extra[] = {'S', 'R', 4, 0, 'a', 'b', 'c', 'd'};
    gz_header h;
    memset(&h, 0, sizeof h);
    h.extra = extra;
    h.extra_len = sizeof extra;
    h.name = (Bytef *)"page.html";
    h.comment = (Bytef *)"written by the test";
    h.hcrc = 1;
    h.os = 3;
    sr_buf gz = SR_BUF_INIT(0);
    gz_member_hdr(&gz, "with every header field, ", 25, &h);
    gz_member(&gz, "and a plain one", 15);
    size_t len;
    const char *err;
    char *all = drain(&gz, &len, &err);
    assert_null(err);
    assert_string_equal(all, "with every header field, and a plain one");
    free(all);

    /* a wrong header CRC damages that member only */
    assert_int_equal((unsigned char)gz.p[3] & 0x02, 0x02);
    size_t hcrc_at = 10 + 2 + sizeof extra + strlen("page.html") + 1 +
                     strlen("written by the test") + 1;
    gz.p[hcrc_at] ^= 0x5a;
    all = drain(&gz, &len, &err);
    assert_non_null(err);
    assert_string_equal(err, "corrupt gzip data");
    assert_int_equal(len, 0);
    free(all);
    sr_buf_free(&gz);
}

/* Damage one member of three at `where`; the first and third survive.
 * trailer 1: the damage is in the member's CRC-32 or size, so all its data
 * decodes and only then fails: none of it may be handed out.  2: either
 * (a flipped bit in deflate data may still decode, to wrong bytes). */
static void damaged_middle(size_t (*where)(const sr_buf *, size_t, size_t), int trailer)
{
    char *a = sample(30000, 1), *b = sample(30000, 2);
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, a, 30000);
    size_t m2 = gz_member(&gz, b, 30000);
    size_t m3 = gz_member(&gz, "third", 5);
    gz.p[where(&gz, m2, m3)] ^= 0x21;

    sr_in *in;
    assert_int_equal(sr_in_open_mem(gz.p, gz.len, &in), SR_OK);
    char *buf = malloc(70000);
    assert_non_null(buf);
    size_t n = sr_in_read(in, buf, 70000);
    assert_true(n >= 30000);
    assert_memory_equal(buf, a, 30000);
    assert_non_null(sr_in_error(in));
    unsigned long long fs = 1, fe = 1;
    if (trailer == 2)
        trailer = strcmp(sr_in_error(in), "corrupt gzip data") != 0;
    if (trailer) {
        assert_string_equal(sr_in_error(in), "gzip member fails its CRC check");
        assert_int_equal(n, 30000);
        assert_int_equal(sr_in_tell(in), 30000);
        assert_int_equal(sr_in_crc_failed(in, &fs, &fe), 1);
        assert_int_equal(fs, 30000);   /* nothing of it was read */
        assert_int_equal(fe, 30000);
    } else {
        assert_string_equal(sr_in_error(in), "corrupt gzip data");
        assert_int_equal(sr_in_crc_failed(in, &fs, &fe), 0);
    }
    assert_int_equal(sr_in_resume(in), 1);
    n = sr_in_read(in, buf, 70000);
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "third", 5);
    assert_null(sr_in_error(in));
    sr_in_close(in);
    free(buf);
    free(a);
    free(b);
    sr_buf_free(&gz);
}

static size_t at_flags(const sr_buf *gz, size_t m2, size_t m3) { (void)gz; (void)m3; return m2 + 3; }
static size_t at_data(const sr_buf *gz, size_t m2, size_t m3) { (void)gz; return m2 + (m3 - m2) / 2; }
static size_t at_crc(const sr_buf *gz, size_t m2, size_t m3) { (void)gz; (void)m2; return m3 - 7; }
static size_t at_size(const sr_buf *gz, size_t m2, size_t m3) { (void)gz; (void)m2; return m3 - 2; }

static void test_damage_and_resume(void **state)
{
    (void)state;
    damaged_middle(at_flags, 0);   /* 0x21 sets FTEXT and a reserved bit */
    damaged_middle(at_data, 2);
    damaged_middle(at_crc, 1);
    damaged_middle(at_size, 1);    /* the next member starts right after it */
}

static void test_big_reads_and_lines(void **state)
{
    (void)state;
    /* members of several sizes, read as lines first, then in big reads
     * that are decoded straight into the caller's buffer */
    char *a = sample(200000, 3), *b = sample(150000, 4);
    a[99] = '\n';
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, a, 200000);
    gz_member(&gz, "", 0);          /* an empty member is legal */
    gz_member(&gz, b, 150000);
    sr_in *in;
    assert_int_equal(sr_in_open_mem(gz.p, gz.len, &in), SR_OK);
    sr_buf line = SR_BUF_INIT(0);
    int cut;
    assert_int_equal(sr_in_getline(in, &line, 1000, &cut), 1);
    assert_int_equal(line.len, 100);
    assert_memory_equal(line.p, a, 100);
    char *buf = malloc(400000);
    assert_non_null(buf);
    size_t n = sr_in_read(in, buf, 400000);
    assert_int_equal(n, 350000 - 100);
    assert_memory_equal(buf, a + 100, 200000 - 100);
    assert_memory_equal(buf + 200000 - 100, b, 150000);
    assert_null(sr_in_error(in));
    assert_int_equal(sr_in_read(in, buf, 400000), 0);
    sr_in_close(in);

    /* cut mid-member during a big read: the bytes before the cut come out */
    assert_int_equal(sr_in_open_mem(gz.p, gz.len - 1000, &in), SR_OK);
    n = sr_in_read(in, buf, 400000);
    assert_true(n > 200000 && n < 350000);
    assert_memory_equal(buf + 200000, b, n - 200000);
    assert_string_equal(sr_in_error(in), "gzip data truncated");
    assert_int_equal(sr_in_resume(in), 0);
    sr_in_close(in);
    free(buf);
    free(a);
    free(b);
    sr_buf_free(&line);
    sr_buf_free(&gz);
}

static void test_ends(void **state)
{
    (void)state;
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, "body", 4);
    size_t len;
    const char *err;

    /* cut inside the header */
    sr_buf cut = SR_BUF_INIT(0);
    sr_buf_append(&cut, gz.p, gz.len);
    sr_buf_append(&cut, gz.p, 5);
    char *all = drain(&cut, &len, &err);
    assert_string_equal(all, "body");
    assert_string_equal(err, "gzip data truncated");
    free(all);

    /* zero padding after the last member is not an error; junk is */
    sr_buf pad = SR_BUF_INIT(0);
    sr_buf_append(&pad, gz.p, gz.len);
    sr_buf_append(&pad, "\0\0\0\0\0\0\0\0", 8);
    all = drain(&pad, &len, &err);
    assert_null(err);
    assert_string_equal(all, "body");
    free(all);
    sr_buf_puts(&pad, "junk");
    all = drain(&pad, &len, &err);
    assert_string_equal(err, "data after the end of the gzip stream");
    free(all);
    sr_buf_free(&pad);
    sr_buf_free(&cut);
    sr_buf_free(&gz);
}

/* ---- WARC blocks and HTTP payloads ------------------------------------ */

static char diag[2048];

static void sink(const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(diag);
    snprintf(diag + n, sizeof diag - n, "%s\n", line);
}

/* A WARC reader over raw (capped at 1 MiB per record), with the skip lines
 * it prints collected in diag and the skip count reset. */
static sr_warc *open_warc(const sr_buf *raw, const char *name, sr_in **in, sr_ingest_stats *st)
{
    diag[0] = '\0';
    sr_set_diag_sink(sink, NULL);
    sr_skip_count_reset();
    assert_int_equal(sr_in_open_mem(raw->p, raw->len, in), SR_OK);
    memset(st, 0, sizeof *st);
    sr_warc *w = sr_warc_new(*in, name, (size_t)1 << 20, st);
    assert_non_null(w);
    return w;
}

/* A response record as one gzip member; stored != 0: stored blocks of
 * 50000 bytes, and the offset of the second block's header is returned. */
static size_t warc_response(sr_buf *raw, const char *uri, const char *http, int stored)
{
    size_t second = 0;
    sr_buf rec = SR_BUF_INIT(0);
    sr_buf_printf(&rec, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\n"
                        "Content-Type: application/http; msgtype=response\r\n"
                        "Content-Length: %zu\r\n\r\n%s\r\n\r\n", uri, strlen(http), http);
    if (stored)
        second = gz_member_stored(raw, rec.p, rec.len, 50000);
    else
        gz_member(raw, rec.p, rec.len);
    sr_buf_free(&rec);
    return second;
}

static void test_warc_blocks_in_place(void **state)
{
    (void)state;
    /* growing, shrinking and growing again: each block whole and
     * NUL-terminated; one member damaged, its neighbours kept */
    static const size_t sizes[] = {10, 90000, 300, 250000, 5};
    char *bodies[5];
    sr_buf raw = SR_BUF_INIT(0);
    size_t damaged_at = 0;
    for (size_t i = 0; i < 5; i++) {
        bodies[i] = sample(sizes[i], (unsigned)i + 10);
        sr_buf http = SR_BUF_INIT(0);
        sr_buf_printf(&http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", bodies[i]);
        char uri[32];
        snprintf(uri, sizeof uri, "http://x.test/%zu", i);
        size_t second = warc_response(&raw, uri, http.p, i == 3);
        if (i == 3)
            damaged_at = second + 3;   /* its NLEN */
        sr_buf_free(&http);
    }
    /* a bad block 50000 bytes into record 3: it is reported as cut, and the
     * records around it are read */
    assert_true(damaged_at > 0);
    raw.p[damaged_at] ^= 0x55;
    sr_in *in;
    sr_ingest_stats st;
    sr_warc *w = open_warc(&raw, "t.warc.gz", &in, &st);
    sr_warc_record r;
    sr_buf scratch = SR_BUF_INIT((size_t)1 << 20);
    size_t seen = 0;
    static const size_t expect[] = {0, 1, 2, 4};
    while (sr_warc_next(w, &r) == 1) {
        assert_true(seen < 4);
        size_t i = expect[seen++];
        char uri[32];
        snprintf(uri, sizeof uri, "http://x.test/%zu", i);
        assert_string_equal(r.target_uri, uri);
        assert_int_equal(r.block[r.block_len], '\0');
        sr_http h;
        assert_int_equal(sr_http_parse(r.block, r.block_len, &h), SR_OK);
        const char *p;
        size_t n;
        assert_int_equal(sr_http_payload(&h, (size_t)1 << 20, &scratch, &p, &n), SR_OK);
        /* nothing to undo: the payload is the block's own bytes */
        assert_ptr_equal(p, h.body);
        assert_int_equal(n, sizes[i]);
        assert_memory_equal(p, bodies[i], n);
        assert_int_equal(p[n], '\0');
    }
    assert_int_equal(seen, 4);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(sr_skip_count(), 1);
    /* the record's bytes up to the bad block: 50000 less its WARC header */
    assert_string_equal(diag, "sitrep: t.warc.gz:4: record 4: truncated: 49859 of 250044 "
                              "bytes; corrupt gzip data\n");
    sr_warc_free(w);
    sr_in_close(in);
    sr_set_diag_sink(NULL, NULL);
    for (size_t i = 0; i < 5; i++)
        free(bodies[i]);
    sr_buf_free(&scratch);
    sr_buf_free(&raw);
}

/* A damaged member in a record-per-member WARC loses that record only, says
 * so in one line naming it, and the records after it keep their numbers:
 * a CRC-32 or size that fails after all the data came out (small and big
 * records: read through the window or straight into the block), and a
 * header the reader refuses. */
static void warc_member_damage(size_t body, int what, const char *expect_diag)
{
    sr_buf raw = SR_BUF_INIT(0);
    size_t starts[4];
    char *bodies[3];
    for (size_t i = 0; i < 3; i++) {
        bodies[i] = sample(body, (unsigned)i + 40);
        sr_buf http = SR_BUF_INIT(0);
        sr_buf_printf(&http, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", bodies[i]);
        char uri[32];
        snprintf(uri, sizeof uri, "http://x.test/%zu", i + 1);
        starts[i] = raw.len;
        warc_response(&raw, uri, http.p, 0);
        sr_buf_free(&http);
    }
    starts[3] = raw.len;
    if (what == 0)
        raw.p[starts[2] - 7] ^= 0x21;      /* record 2's CRC-32 */
    else if (what == 1)
        raw.p[starts[2] - 2] ^= 0x21;      /* record 2's size */
    else
        raw.p[starts[1] + 3] |= 0x20;      /* a reserved flag in its header */
    sr_in *in;
    sr_ingest_stats st;
    sr_warc *w = open_warc(&raw, "d.warc.gz", &in, &st);
    sr_warc_record r;
    size_t seen = 0;
    while (sr_warc_next(w, &r) == 1) {
        assert_true(seen < 2);
        size_t want = seen == 0 ? 1 : 3;
        char uri[32];
        snprintf(uri, sizeof uri, "http://x.test/%zu", want);
        assert_string_equal(r.target_uri, uri);
        assert_int_equal(r.number, want);
        assert_true(r.block_len > body);
        assert_memory_equal(r.block + r.block_len - body, bodies[want - 1], body);
        seen++;
    }
    assert_int_equal(seen, 2);
    assert_int_equal(st.warc_records, 3);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(sr_skip_count(), 1);
    assert_string_equal(diag, expect_diag);
    sr_warc_free(w);
    sr_in_close(in);
    sr_set_diag_sink(NULL, NULL);
    for (size_t i = 0; i < 3; i++)
        free(bodies[i]);
    sr_buf_free(&raw);
}

static void test_warc_member_damage(void **state)
{
    (void)state;
    static const char crc[] = "sitrep: d.warc.gz:2: record 2: gzip member fails its CRC "
                              "check; skipping to the next gzip member\n";
    warc_member_damage(300, 0, crc);
    warc_member_damage(300, 1, crc);
    /* a big block is read partly before the damage shows: what was read
     * of it is dropped with the rest */
    warc_member_damage(200000, 0, "sitrep: d.warc.gz:2: record 2: truncated: 177426 of 200044 "
                                  "bytes; gzip member fails its CRC check\n");
    warc_member_damage(300, 2, "sitrep: d.warc.gz:2: record 2: corrupt gzip data; skipping "
                               "to the next gzip member\n");
    warc_member_damage(200000, 2, "sitrep: d.warc.gz:2: record 2: corrupt gzip data; "
                                  "skipping to the next gzip member\n");
}

static void test_http_payload_decoded(void **state)
{
    (void)state;
    /* chunked only: the dechunked bytes, in scratch */
    const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "4\r\n<p>a\r\n5\r\nb</p>\r\n0\r\n\r\n";
    sr_http h;
    assert_int_equal(sr_http_parse(chunked, strlen(chunked), &h), SR_OK);
    sr_buf scratch = SR_BUF_INIT(0);
    const char *p;
    size_t n;
    assert_int_equal(sr_http_payload(&h, 1000, &scratch, &p, &n), SR_OK);
    assert_ptr_equal(p, scratch.p);
    assert_int_equal(n, 9);
    assert_string_equal(p, "<p>ab</p>");
    assert_int_equal(sr_http_payload(&h, 5, &scratch, &p, &n), SR_ETOOBIG);

    /* chunked and gzip-encoded */
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, "<p>zipped</p>", 13);
    sr_buf blk = SR_BUF_INIT(0);
    sr_buf_printf(&blk, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                        "Content-Encoding: gzip\r\n\r\n%zx\r\n", gz.len);
    sr_buf_append(&blk, gz.p, gz.len);
    sr_buf_puts(&blk, "\r\n0\r\n\r\n");
    assert_int_equal(sr_http_parse(blk.p, blk.len, &h), SR_OK);
    assert_int_equal(sr_http_payload(&h, 1000, &scratch, &p, &n), SR_OK);
    assert_int_equal(n, 13);
    assert_string_equal(p, "<p>zipped</p>");
    /* and the copying API agrees */
    sr_buf out = SR_BUF_INIT(0);
    assert_int_equal(sr_http_body(&h, 1000, &out), SR_OK);
    assert_string_equal(out.p, "<p>zipped</p>");
    const char *plain = "HTTP/1.1 200 OK\r\n\r\n<p>plain</p>";
    assert_int_equal(sr_http_parse(plain, strlen(plain), &h), SR_OK);
    assert_int_equal(sr_http_body(&h, 1000, &out), SR_OK);
    assert_string_equal(out.p, "<p>plain</p>");
    assert_int_equal(sr_http_body(&h, 5, &out), SR_ETOOBIG);
    sr_buf_free(&out);
    sr_buf_free(&blk);
    sr_buf_free(&gz);
    sr_buf_free(&scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_fields),
        cmocka_unit_test(test_damage_and_resume),
        cmocka_unit_test(test_big_reads_and_lines),
        cmocka_unit_test(test_ends),
        cmocka_unit_test(test_warc_blocks_in_place),
        cmocka_unit_test(test_warc_member_damage),
        cmocka_unit_test(test_http_payload_decoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
