/*
 * ingest_readers_test.c - the readers under sr_ingest_path() on small
 * inputs built here: dates, format detection, the gzip stream (members,
 * corruption, truncation, bombs), WARC framing (honest and lying lengths,
 * truncation, caps), HTTP payload decoding, feeds (fields, entity attacks,
 * link-only entries), JSON Lines and plain text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "sitrep/doc.h"
#include "sitrep/ingest.h"
#include "gz_member.h"

/* ---- capture of documents and diagnostics ------------------------------ */

typedef struct got {
    int n;
    char text[8][512];
    char title[8][128];
    char url[8][128];
    char published[8][32];
    char outlet[8][64];
    char record[8][16];
    char meta[8][256];
} got;

static char diag[8192];

static void sink(const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(diag);
    snprintf(diag + n, sizeof diag - n, "%s\n", line);
}

static void cp(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "(null)");
}

static int keep(const sr_doc *d, void *ctx)
{
    got *g = ctx;
    if (g->n < 8) {
        cp(g->text[g->n], sizeof g->text[0], d->text);
        cp(g->title[g->n], sizeof g->title[0], d->title);
        cp(g->url[g->n], sizeof g->url[0], d->url);
        cp(g->published[g->n], sizeof g->published[0], d->published);
        cp(g->outlet[g->n], sizeof g->outlet[0], d->outlet);
        cp(g->record[g->n], sizeof g->record[0], d->record);
        cp(g->meta[g->n], sizeof g->meta[0], d->meta_json);
    }
    g->n++;
    return 0;
}

static int setup(void **state)
{
    (void)state;
    diag[0] = '\0';
    sr_set_diag_sink(sink, NULL);
    sr_skip_count_reset();
    return 0;
}

/* Run sr_ingest_path over bytes written to a temporary file. */
static int ingest_bytes(const void *p, size_t n, const char *suffix,
                        const sr_ingest_opts *opts, got *g, sr_ingest_stats *st)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/sitrep_ingest_test_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
    int rc = sr_ingest_path_counted(path, opts, st, keep, g);
    remove(path);
    return rc;
}

/* ---- dates -------------------------------------------------------------- */

static void test_dates(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } ok[] = {
        {"Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},
        {"Mon, 06 Sep 2010 00:01:00 +0200", "2010-09-05T22:01:00Z"},
        {"Tue, 10 Jun 03 09:41:01 EDT", "2003-06-10T13:41:01Z"},
        {"10 Jun 2003 09:41 -0500", "2003-06-10T14:41:00Z"},
        {"2003-12-13T18:30:02Z", "2003-12-13T18:30:02Z"},
        {"2003-12-13T18:30:02.25+01:00", "2003-12-13T17:30:02Z"},
        {"2024-02-29", "2024-02-29"},
        {"Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"},
        {"Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z"},
        {"2008-10-29T05:21:46-0700", "2008-10-29T12:21:46Z"},
    };
    static const char *bad[] = {"", "yesterday", "2023-02-30", "2008-10-294T05:21:46-0700",
                                "Thu, 32 Jan 2004 10:00:00 GMT", "2004-13-01",
                                "Thu, 01 Jan 2004 19:48:21 XYZ", "2004-01"};
    char out[21];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(sr_ingest_date(ok[i].in, out), 1);
        assert_string_equal(out, ok[i].out);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sr_ingest_date(bad[i], out), 0);
}

/* ---- detection ----------------------------------------------------------- */

static void test_detect(void **state)
{
    (void)state;
#define DET(s, name) sr_ingest_detect((const unsigned char *)(s), sizeof(s) - 1, name)
    assert_int_equal(DET("WARC/1.0\r\nWARC-Type: warcinfo\r\n", NULL), SR_KIND_WARC);
    assert_int_equal(DET("filedesc://x.arc 0.0.0.0 2014 text/plain 76\n", NULL), SR_KIND_ARC);
    assert_int_equal(DET("<?xml version=\"1.0\"?>\n<!-- c -->\n<rss version=\"2.0\">", NULL), SR_KIND_FEED);
    assert_int_equal(DET("<feed xmlns=\"http://www.w3.org/2005/Atom\">", NULL), SR_KIND_FEED);
    assert_int_equal(DET("<rdf:RDF xmlns:rdf=\"x\">", NULL), SR_KIND_FEED);
    assert_int_equal(DET("\xEF\xBB\xBF<!DOCTYPE html><html><body>", NULL), SR_KIND_HTML);
    assert_int_equal(DET("<?xml version=\"1.0\"?><svg></svg>", NULL), SR_KIND_XML_OTHER);
    assert_int_equal(DET("{\"text\":\"a\"}\n", NULL), SR_KIND_JSONL);
    assert_int_equal(DET("Rebels seize town\n\nThe rebels...", "a.html"), SR_KIND_TEXT);
    assert_int_equal(DET("Hello <b>there</b>", "a.html.gz"), SR_KIND_HTML);
    assert_int_equal(DET("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.html"), SR_KIND_BINARY);
    assert_int_equal(DET(" \n\t\n", NULL), SR_KIND_EMPTY);
#undef DET
}

/* ---- gzip stream ---------------------------------------------------------- */

static void test_gzip_members(void **state)
{
    (void)state;
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, "first member, ", 14);
    gz_member(&gz, "second member", 13);
    sr_in *in;
    assert_int_equal(sr_in_open_mem(gz.p, gz.len, &in), SR_OK);
    assert_true(sr_in_is_gzip(in));
    char *all;
    size_t len;
    assert_int_equal(sr_in_slurp(in, 1000, &all, &len), SR_OK);
    assert_string_equal(all, "first member, second member");
    assert_null(sr_in_error(in));
    free(all);
    sr_in_close(in);

    /* cut inside the second member: the first survives, the error says why */
    assert_int_equal(sr_in_open_mem(gz.p, gz.len - 6, &in), SR_OK);
    assert_int_equal(sr_in_slurp(in, 1000, &all, &len), SR_OK);
    assert_true(strncmp(all, "first member, ", 14) == 0);
    assert_non_null(sr_in_error(in));
    assert_string_equal(sr_in_error(in), "gzip data truncated");
    free(all);
    sr_in_close(in);
    sr_buf_free(&gz);
}

static void test_gzip_corrupt_member_resume(void **state)
{
    (void)state;
    sr_buf gz = SR_BUF_INIT(0);
    char big[4000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + (i * 7) % 26);
    gz_member(&gz, big, sizeof big);
    size_t second = gz.len;
    gz_member(&gz, big, sizeof big);
    gz_member(&gz, "tail", 4);
    /* damage the middle of the second member's deflate data */
    for (size_t i = second + 20; i < second + 60; i++)
        gz.p[i] = (char)0xFF;
    sr_in *in;
    assert_int_equal(sr_in_open_mem(gz.p, gz.len, &in), SR_OK);
    char buf[16384];
    size_t n = sr_in_read(in, buf, sizeof buf);
    assert_true(n >= sizeof big);
    assert_string_equal(sr_in_error(in), "corrupt gzip data");
    assert_int_equal(sr_in_resume(in), 1);
    n = sr_in_read(in, buf, sizeof buf);
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "tail", 4);
    sr_in_close(in);
    sr_buf_free(&gz);
}

static void test_gzip_bomb_capped(void **state)
{
    (void)state;
    /* 8 MiB of spaces compresses to ~8 KiB; the cap is 1 MiB (a bomb of
     * zeros is caught sooner, as binary data, from its first 4 KiB) */
    size_t n = (size_t)8 << 20;
    char *zeros = malloc(n);
    assert_non_null(zeros);
    memset(zeros, ' ', n);
    memcpy(zeros, "<html><body><p>", 15);
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, zeros, n);
    free(zeros);
    assert_true(gz.len < 64 << 10);
    sr_ingest_opts opts = {(size_t)1 << 20, NULL};
    got g = {0};
    sr_ingest_stats st = {0};
    assert_int_equal(ingest_bytes(gz.p, gz.len, ".html.gz", &opts, &g, &st), 0);
    assert_int_equal(g.n, 0);
    assert_int_equal(st.skipped, 1);
    assert_non_null(strstr(diag, "inflated size larger than the 1 MiB --max-size cap (gzip bomb?)"));
    sr_buf_free(&gz);
}

/* ---- WARC ----------------------------------------------------------------- */

static void warc_record(sr_buf *b, const char *type, const char *uri, const char *ctype,
                        const char *block, long declared)
{
    size_t n = strlen(block);
    assert_int_equal(sr_buf_printf(b, "WARC/1.0\r\nWARC-Type: %s\r\n"
                                      "WARC-Date: 2024-05-18T01:58:10Z\r\n"
                                      "WARC-Record-ID: <urn:uuid:x>\r\n", type), SR_OK);
    if (uri)
        assert_int_equal(sr_buf_printf(b, "WARC-Target-URI: %s\r\n", uri), SR_OK);
    assert_int_equal(sr_buf_printf(b, "Content-Type: %s\r\nContent-Length: %ld\r\n\r\n",
                                   ctype, declared >= 0 ? declared : (long)n), SR_OK);
    assert_int_equal(sr_buf_append(b, block, n), SR_OK);
    assert_int_equal(sr_buf_puts(b, "\r\n\r\n"), SR_OK);
}

static const char *plain_http =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Troops crossed the river at dawn.";

static void test_warc_records(void **state)
{
    (void)state;
    sr_buf w = SR_BUF_INIT(0);
    warc_record(&w, "warcinfo", NULL, "application/warc-fields", "software: test\r\n", -1);
    warc_record(&w, "request", "http://news.example/a", "application/http; msgtype=request",
                "GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n", -1);
    warc_record(&w, "response", "http://news.example/a", "application/http; msgtype=response",
                plain_http, -1);
    warc_record(&w, "response", "<http://news.example/r>", "application/http; msgtype=response",
                "HTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\n", -1);
    warc_record(&w, "conversion", "http://news.example/c", "text/plain",
                "Ministers met in Geneva.", -1);
    got g = {0};
    sr_ingest_stats st = {0};
    assert_int_equal(ingest_bytes(w.p, w.len, ".warc", NULL, &g, &st), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.text[0], "Troops crossed the river at dawn.");
    assert_string_equal(g.url[0], "http://news.example/a");
    assert_string_equal(g.outlet[0], "news.example");
    assert_string_equal(g.record[0], "3");
    /* no date in the document: the crawl date stands in, and says so */
    assert_string_equal(g.published[0], "2024-05-18T01:58:10Z");
    assert_non_null(strstr(g.meta[0], "\"published_from\":\"crawl date\""));
    assert_string_equal(g.text[1], "Ministers met in Geneva.");
    assert_string_equal(g.record[1], "5");
    assert_int_equal(st.warc_records, 5);
    assert_int_equal(st.passed_over, 3);
    assert_int_equal(st.skipped, 0);
    assert_int_equal(sr_skip_count(), 0);

    /* the same archive as one gzip member per record reads the same */
    sr_buf gz = SR_BUF_INIT(0);
    const char *p = w.p;
    for (const char *next; p < w.p + w.len; p = next) {
        next = strstr(p + 1, "WARC/1.0\r\n");
        if (!next)
            next = w.p + w.len;
        gz_member(&gz, p, (size_t)(next - p));
    }
    got g2 = {0};
    sr_ingest_stats st2 = {0};
    assert_int_equal(ingest_bytes(gz.p, gz.len, ".warc.gz", NULL, &g2, &st2), 0);
    assert_int_equal(g2.n, 2);
    assert_string_equal(g2.text[1], "Ministers met in Geneva.");
    assert_int_equal(st2.warc_records, 5);
    sr_buf_free(&gz);
    sr_buf_free(&w);
}

static void test_warc_lying_lengths(void **state)
{
    (void)state;
    sr_buf w = SR_BUF_INIT(0);
    /* too short: the record end is not where the length says */
    warc_record(&w, "response", "http://a.example/", "application/http", plain_http, 40);
    warc_record(&w, "conversion", "http://b.example/", "text/plain", "Second record text.", -1);
    /* too long: runs into the next record's header */
    size_t at = w.len;
    warc_record(&w, "conversion", "http://c.example/", "text/plain", "Third.", 200);
    (void)at;
    warc_record(&w, "conversion", "http://d.example/", "text/plain",
                "Fourth record, long enough to be swallowed by the third one's length. "
                "Padding padding padding padding padding padding padding padding padding.", -1);
    warc_record(&w, "conversion", "http://e.example/", "text/plain", "Fifth record text.", -1);
    got g = {0};
    sr_ingest_stats st = {0};
    assert_int_equal(ingest_bytes(w.p, w.len, ".warc", NULL, &g, &st), 0);
    /* the record a too-long length ran into is read, not lost with it */
    assert_int_equal(g.n, 3);
    assert_string_equal(g.text[0], "Second record text.");
    assert_non_null(strstr(g.text[1], "Fourth record"));
    assert_string_equal(g.text[2], "Fifth record text.");
    assert_non_null(strstr(diag, ":1: record 1: Content-Length does not match"));
    assert_non_null(strstr(diag, ":3: record 3: Content-Length 200 runs into the next record"));
    assert_true(st.skipped >= 2);
    sr_buf_free(&w);
}

static void test_warc_truncated_and_capped(void **state)
{
    (void)state;
    sr_buf w = SR_BUF_INIT(0);
    warc_record(&w, "conversion", "http://a.example/", "text/plain", "First.", -1);
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    warc_record(&w, "conversion", "http://big.example/", "text/plain", big, -1);
    warc_record(&w, "conversion", "http://b.example/", "text/plain", "After the big one.", -1);
    warc_record(&w, "conversion", "http://cut.example/", "text/plain",
                "This record is cut off in the middle of its block.", -1);
    sr_ingest_opts opts = {2048, NULL};
    got g = {0};
    sr_ingest_stats st = {0};
    assert_int_equal(ingest_bytes(w.p, w.len - 30, ".warc", &opts, &g, &st), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.text[0], "First.");
    assert_string_equal(g.text[1], "After the big one.");
    assert_non_null(strstr(diag, "record 2: block of 2999 bytes is over the 2048-byte (--max-size) record cap"));
    assert_non_null(strstr(diag, "record 4: truncated:"));
    assert_int_equal(st.skipped, 2);
    sr_buf_free(&w);
}

static void test_http_payloads(void **state)
{
    (void)state;
    const char *body = "<p>Hello</p>";
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, body, strlen(body));
    /* chunked, then gzip-encoded: two chunks split inside the gzip bytes */
    sr_buf blk = SR_BUF_INIT(0);
    size_t half = gz.len / 2;
    sr_buf_printf(&blk, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"ISO-8859-1\"\r\n"
                        "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n%zx\r\n", half);
    sr_buf_append(&blk, gz.p, half);
    sr_buf_printf(&blk, "\r\n%zx\r\n", gz.len - half);
    sr_buf_append(&blk, gz.p + half, gz.len - half);
    sr_buf_puts(&blk, "\r\n0\r\n\r\n");
    sr_http h;
    assert_int_equal(sr_http_parse(blk.p, blk.len, &h), SR_OK);
    assert_int_equal(h.status, 200);
    assert_string_equal(h.mime, "text/html");
    assert_string_equal(h.charset, "iso-8859-1");
    assert_true(h.chunked);
    sr_buf out = SR_BUF_INIT(0);
    assert_int_equal(sr_http_body(&h, 1 << 20, &out), SR_OK);
    assert_string_equal(out.p, body);
    /* a cap below the inflated size */
    assert_int_equal(sr_http_body(&h, 4, &out), SR_ETOOBIG);
    /* wrong chunk sizes: the raw body is used, as browsers do */
    const char *wrong = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<p>not chunked</p>";
    assert_int_equal(sr_http_parse(wrong, strlen(wrong), &h), SR_OK);
    assert_int_equal(sr_http_body(&h, 1 << 20, &out), SR_OK);
    assert_string_equal(out.p, "<p>not chunked</p>");
    /* corrupt gzip is an error, not text */
    const char *corrupt = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\0\0\0\0\0\0\xff garbage";
    assert_int_equal(sr_http_parse(corrupt, strlen(corrupt), &h), SR_OK);
    assert_int_equal(sr_http_body(&h, 1 << 20, &out), SR_EPARSE);
    assert_int_equal(sr_http_parse("GET / HTTP/1.1\r\n\r\n", 18, &h), SR_EFORMAT);
    sr_buf_free(&out);
    sr_buf_free(&blk);
    sr_buf_free(&gz);
}

/* ---- feeds ------------------------------------------------------------------ */

static void test_feed_rss(void **state)
{
    (void)state;
    const char *rss =
        "<?xml version=\"1.0\"?>\n"
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n"
        "<title>Daily Herald</title><link>http://herald.example/</link>\n"
        "<item><title>Talks resume</title><link>http://herald.example/1</link>\n"
        "<pubDate>Mon, 06 Sep 2010 00:01:00 +0200</pubDate>\n"
        "<description>short</description>\n"
        "<content:encoded><![CDATA[<p>Envoys met in <b>Oslo</b>.</p><p>More talks follow.</p>]]></content:encoded>\n"
        "<dc:creator>A. Writer</dc:creator><guid>g1</guid></item>\n"
        "<item><title>Only a link</title><link>http://herald.example/2</link></item>\n"
        "<item><description>Plain &amp; simple.</description><dc:date>2010-09-07</dc:date></item>\n"
        "</channel></rss>\n";
    got g = {0};
    assert_int_equal(sr_feed_read(rss, strlen(rss), "f.xml", NULL, keep, &g), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.title[0], "Talks resume");
    assert_string_equal(g.text[0], "Envoys met in Oslo.\n\nMore talks follow.");
    assert_string_equal(g.url[0], "http://herald.example/1");
    assert_string_equal(g.outlet[0], "Daily Herald");
    assert_string_equal(g.published[0], "2010-09-05T22:01:00Z");
    assert_string_equal(g.record[0], "1");
    assert_string_equal(g.meta[0], "{\"guid\":\"g1\"}");
    assert_string_equal(g.text[1], "Plain & simple.");
    assert_string_equal(g.published[1], "2010-09-07");
    assert_string_equal(g.record[1], "3");
    assert_non_null(strstr(diag, "f.xml:2: entry 2 has no text, only a link (http://herald.example/2)"));
}

static void test_feed_trailing_amp(void **state)
{
    (void)state;
    /* a feed cut off right after a bare '&': the reader must not look one
     * byte past the input for a '#' (the buffer is exactly the input's size,
     * so AddressSanitizer sees any overread) */
    static const char src[] = "<rss><channel><item><title>AT&T</title><description>Q&A</description></item>&";
    size_t n = sizeof src - 1;
    char *exact = malloc(n);
    assert_non_null(exact);
    memcpy(exact, src, n);
    got g = {0};
    (void)sr_feed_read(exact, n, "cut.xml", NULL, keep, &g);
    assert_true(g.n <= 1);
    if (g.n == 1)
        assert_string_equal(g.title[0], "AT&T");
    free(exact);
}

static void test_feed_atom(void **state)
{
    (void)state;
    const char *atom =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\"><title>Wire</title>"
        "<entry><title type=\"html\">A &lt;i&gt;big&lt;/i&gt; day</title>"
        "<link rel=\"self\" href=\"http://w.example/self\"/>"
        "<link rel=\"alternate\" href=\"http://w.example/1\"/>"
        "<updated>2020-01-02T15:04:05Z</updated><published>2020-01-01T10:00:00-05:00</published>"
        "<author><name>Reporter</name></author>"
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Body one.</p></div></content>"
        "</entry></feed>";
    got g = {0};
    assert_int_equal(sr_feed_read(atom, strlen(atom), "a.xml", NULL, keep, &g), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.title[0], "A big day");
    assert_string_equal(g.url[0], "http://w.example/1");
    assert_string_equal(g.published[0], "2020-01-01T15:00:00Z");
    assert_string_equal(g.text[0], "Body one.");
    assert_string_equal(g.outlet[0], "Wire");
}

static void test_feed_entity_attacks(void **state)
{
    (void)state;
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        "]>\n<rss><channel><item><description>&lol9;</description></item></channel></rss>";
    const char *xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<rss><channel><item><description>&xxe;</description></item></channel></rss>";
    got g = {0};
    assert_int_equal(sr_feed_read(laughs, strlen(laughs), "l.xml", NULL, keep, &g), 0);
    assert_int_equal(sr_feed_read(xxe, strlen(xxe), "x.xml", NULL, keep, &g), 0);
    /* the entries are read; the references stay text, never expanded */
    assert_int_equal(g.n, 2);
    assert_string_equal(g.text[0], "&lol9;");
    assert_string_equal(g.text[1], "&xxe;");
    assert_non_null(strstr(diag, "l.xml: feed declares XML entities"));
    assert_non_null(strstr(diag, "x.xml: feed declares XML entities"));
    assert_null(strstr(diag, "root:"));
    assert_int_equal(sr_skip_count(), 0);
}

static void test_feed_broken(void **state)
{
    (void)state;
    /* an entry, then the XML breaks: the entry is kept, the break reported */
    const char *cut = "<rss><channel><title>T</title><item><description>One.</description></item>"
                      "<item><description>Two";
    got g = {0};
    assert_int_equal(sr_feed_read(cut, strlen(cut), "c.xml", NULL, keep, &g), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "One.");
    assert_non_null(strstr(diag, "c.xml: XML error"));
    /* declared UTF-8 but Latin-1 bytes: read as windows-1252, with a warning */
    const char *latin = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item>"
                        "<description>Caf\xe9 talks</description></item></channel></rss>";
    got g2 = {0};
    assert_int_equal(sr_feed_read(latin, strlen(latin), "l1.xml", NULL, keep, &g2), 0);
    assert_int_equal(g2.n, 1);
    assert_string_equal(g2.text[0], "Caf\xc3\xa9 talks");
}

/* ---- JSON Lines and text ------------------------------------------------------ */

static void test_jsonl(void **state)
{
    (void)state;
    const char *jl =
        "{\"url\":\"https://n.example/1\",\"outlet\":\"N\",\"published\":\"2024-03-01T12:00:00+01:00\","
        "\"title\":\"T1\",\"text\":\"Body one.\",\"section\":\"world\"}\n"
        "\n"
        "{\"title\":\"broken\",\n"
        "[1,2]\n"
        "{\"title\":\"no body\"}\n";
    sr_in *in;
    assert_int_equal(sr_in_open_mem(jl, strlen(jl), &in), SR_OK);
    got g = {0};
    assert_int_equal(sr_jsonl_read(in, "d.jsonl", NULL, keep, &g), 0);
    sr_in_close(in);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "Body one.");
    assert_string_equal(g.published[0], "2024-03-01T11:00:00Z");
    assert_string_equal(g.outlet[0], "N");
    assert_string_equal(g.record[0], "1");
    assert_string_equal(g.meta[0], "{\"section\":\"world\"}");
    assert_non_null(strstr(diag, "d.jsonl:3: line 3 is not valid JSON"));
    assert_non_null(strstr(diag, "d.jsonl:4: line 4 is not a JSON object"));
    assert_non_null(strstr(diag, "d.jsonl:5: line 5 has no \"text\" or \"html\""));
    assert_int_equal(sr_skip_count(), 3);
}

static void test_jsonl_long_line(void **state)
{
    (void)state;
    sr_buf b = SR_BUF_INIT(0);
    sr_buf_puts(&b, "{\"text\":\"");
    for (int i = 0; i < 5000; i++)
        sr_buf_puts(&b, "word ");
    sr_buf_puts(&b, "\"}\n{\"text\":\"short\"}\n");
    sr_ingest_opts opts = {4096, NULL};
    sr_in *in;
    assert_int_equal(sr_in_open_mem(b.p, b.len, &in), SR_OK);
    got g = {0};
    assert_int_equal(sr_jsonl_read(in, "l.jsonl", &opts, keep, &g), 0);
    sr_in_close(in);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "short");
    assert_non_null(strstr(diag, "l.jsonl:1: line 1 is longer than"));
    sr_buf_free(&b);
}

static void test_text(void **state)
{
    (void)state;
    const char *t = "Rebels Seize Northern Town\n\nRebels seized the town on Monday.\nOfficials said.\n";
    got g = {0};
    assert_int_equal(sr_text_read(t, strlen(t), "t.txt", NULL, keep, &g), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.title[0], "Rebels Seize Northern Town");
    assert_string_equal(g.text[0], "Rebels seized the town on Monday.\nOfficials said.");
    /* a first line that is a sentence is not a headline */
    const char *s = "The minister resigned on Friday.\n\nHe gave no reason.";
    assert_int_equal(sr_text_read(s, strlen(s), "s.txt", NULL, keep, &g), 0);
    assert_string_equal(g.title[1], "(null)");
    assert_string_equal(g.text[1], s);
    /* windows-1252 bytes become UTF-8 */
    const char *w = "Caf\xe9 \x93quoted\x94";
    assert_int_equal(sr_text_read(w, strlen(w), "w.txt", NULL, keep, &g), 0);
    assert_string_equal(g.text[2], "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
    assert_non_null(strstr(diag, "w.txt: not valid UTF-8; read as windows-1252"));
    assert_int_equal(sr_skip_count(), 0);
}

static void test_bad_files(void **state)
{
    (void)state;
    got g = {0};
    sr_ingest_stats st = {0};
    assert_int_equal(ingest_bytes("", 0, ".html", NULL, &g, &st), 0);
    assert_int_equal(ingest_bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0", 16, ".html", NULL, &g, &st), 0);
    /* a gzip file cut short */
    sr_buf gz = SR_BUF_INIT(0);
    gz_member(&gz, "Some report text that is long enough.", 37);
    assert_int_equal(ingest_bytes(gz.p, gz.len - 10, ".txt.gz", NULL, &g, &st), 0);
    /* not gzip at all after the magic */
    assert_int_equal(ingest_bytes("\x1f\x8b\x08\0garbagegarbage", 18, ".gz", NULL, &g, &st), 0);
    assert_int_equal(g.n, 0);
    assert_int_equal(st.files, 4);
    assert_int_equal(st.skipped, 4);
    assert_non_null(strstr(diag, "empty file"));
    assert_non_null(strstr(diag, "binary data"));
    assert_non_null(strstr(diag, "gzip data truncated"));
    assert_non_null(strstr(diag, "corrupt gzip data"));
    sr_buf_free(&gz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_dates, setup),
        cmocka_unit_test_setup(test_detect, setup),
        cmocka_unit_test_setup(test_gzip_members, setup),
        cmocka_unit_test_setup(test_gzip_corrupt_member_resume, setup),
        cmocka_unit_test_setup(test_gzip_bomb_capped, setup),
        cmocka_unit_test_setup(test_warc_records, setup),
        cmocka_unit_test_setup(test_warc_lying_lengths, setup),
        cmocka_unit_test_setup(test_warc_truncated_and_capped, setup),
        cmocka_unit_test_setup(test_http_payloads, setup),
        cmocka_unit_test_setup(test_feed_rss, setup),
        cmocka_unit_test_setup(test_feed_atom, setup),
        cmocka_unit_test_setup(test_feed_entity_attacks, setup),
        cmocka_unit_test_setup(test_feed_broken, setup),
        cmocka_unit_test_setup(test_feed_trailing_amp, setup),
        cmocka_unit_test_setup(test_jsonl, setup),
        cmocka_unit_test_setup(test_jsonl_long_line, setup),
        cmocka_unit_test_setup(test_text, setup),
        cmocka_unit_test_setup(test_bad_files, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
