/*
 * gz_member.h - for the reader tests: write gzip members with zlib, the
 * writer every gzip file in the wild comes from, so the reader (ISA-L) is
 * tested against data it did not write.  Include after cmocka.h.
 */
#ifndef SITREP_TESTS_GZ_MEMBER_H
#define SITREP_TESTS_GZ_MEMBER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sitrep/base.h"

/* gzip of p[0..n) as one member appended to b; hdr (or NULL) sets the
 * optional header fields.  Returns the member's offset in b. */
static inline size_t gz_member_hdr(sr_buf *b, const void *p, size_t n, gz_header *hdr)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    if (hdr)
        assert_int_equal(deflateSetHeader(&zs, hdr), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 256;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (unsigned char *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t at = b->len;
    assert_int_equal(sr_buf_append(b, out, cap - zs.avail_out), SR_OK);
    deflateEnd(&zs);
    free(out);
    return at;
}

static inline size_t gz_member(sr_buf *b, const void *p, size_t n)
{
    return gz_member_hdr(b, p, n, NULL);
}

#endif
