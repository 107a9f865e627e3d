/*
 * watch_test - the parts of `sitrep watch` that need no network: the
 * SOURCES parser, URL normalisation, the address rules, robots.txt,
 * sitemaps, JSON Feed and link-only feed entries, and the WARC writer read
 * back through the project's WARC reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "sitrep/ingest.h"
#include "sitrep/watch.h"
#include "watch/internal.h"

/* ---- diagnostics captured ----------------------------------------------- */

static char diag[8192];

static void sink(const char *line, void *ctx)
{
    (void)ctx;
    size_t n = strlen(diag);
    snprintf(diag + n, sizeof diag - n, "%s\n", line);
}

static int setup(void **state)
{
    (void)state;
    diag[0] = '\0';
    sr_set_diag_sink(sink, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sr_set_diag_sink(NULL, NULL);
    return 0;
}

/* ---- SOURCES -------------------------------------------------------------- */

typedef struct got_lines {
    char url[8][256], name[8][128];
    long interval[8];
    size_t line[8];
    int n;
} got_lines;

static int on_line(const sr_watch_source_line *l, void *ctx)
{
    got_lines *g = ctx;
    if (g->n < 8) {
        snprintf(g->url[g->n], sizeof g->url[0], "%s", l->url);
        snprintf(g->name[g->n], sizeof g->name[0], "%s", l->name ? l->name : "(none)");
        g->interval[g->n] = l->interval;
        g->line[g->n] = l->line;
    }
    g->n++;
    return 0;
}

static void test_duration(void **state)
{
    (void)state;
    assert_int_equal(sr_watch_duration("90s", 3), 90);
    assert_int_equal(sr_watch_duration("15m", 3), 900);
    assert_int_equal(sr_watch_duration("2h", 2), 7200);
    assert_int_equal(sr_watch_duration("1d", 2), 86400);
    assert_int_equal(sr_watch_duration("15", 2), -1);
    assert_int_equal(sr_watch_duration("m", 1), -1);
    assert_int_equal(sr_watch_duration("1x", 2), -1);
    assert_int_equal(sr_watch_duration("99999999d", 9), -1);
}

static void test_sources(void **state)
{
    (void)state;
    const char *text =
        "\xEF\xBB\xBF# feeds\n"
        "HTTPS://Example.ORG:443/feed.xml?utm_source=x  Harbour Post  30m\n"
        "\n"
        "   # indented comment\n"
        "http://b.example/rss \"Channel 4h\"\r\n"
        "http://c.example/sitemap.xml\n"
        "https://example.org/feed.xml  again\n"
        "gopher://x/\n"
        "http://d.example/ Name \"open\n"
        "http://e.example/ 0s\n";
    got_lines g = {0};
    int rc = sr_watch_sources_parse(text, strlen(text), "SRC", on_line, &g);
    assert_int_equal(rc, 0);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.url[0], "https://example.org/feed.xml");
    assert_string_equal(g.name[0], "Harbour Post");
    assert_int_equal(g.interval[0], 1800);
    assert_int_equal(g.line[0], 2);
    assert_string_equal(g.name[1], "Channel 4h");
    assert_int_equal(g.interval[1], SR_WATCH_DEFAULT_INTERVAL);
    assert_string_equal(g.url[2], "http://c.example/sitemap.xml");
    assert_string_equal(g.name[2], "(none)");
    assert_non_null(strstr(diag, "sitrep: SRC:7: https://example.org/feed.xml is listed on an earlier line"));
    assert_non_null(strstr(diag, "sitrep: SRC:8: 'gopher://x/' is not an http or https URL"));
    assert_non_null(strstr(diag, "sitrep: SRC:9: unbalanced double quote"));
    assert_non_null(strstr(diag, "sitrep: SRC:10: poll interval '0s' is zero"));
}

/* ---- URLs ------------------------------------------------------------------ */

static void norm_is(const char *url, const char *base, const char *want)
{
    char *out = NULL;
    sr_err e = sr_url_normalize(url, base, &out);
    assert_int_equal(e, SR_OK);
    assert_string_equal(out, want);
    free(out);
}

static void test_url_normalize(void **state)
{
    (void)state;
    norm_is("HTTP://WWW.Example.COM:80/a/b.html#frag", NULL, "http://www.example.com/a/b.html");
    norm_is("https://example.com:443", NULL, "https://example.com/");
    norm_is("https://example.com:8443/x", NULL, "https://example.com:8443/x");
    norm_is("https://example.com/a?utm_source=rss&id=7&utm_medium=x&fbclid=abc", NULL,
            "https://example.com/a?id=7");
    norm_is("https://example.com/a?utm_campaign=z", NULL, "https://example.com/a");
    norm_is("https://example.com/a/./b/../c", NULL, "https://example.com/a/c");
    norm_is("https://example.com/caf%c3%a9", NULL, "https://example.com/caf%C3%A9");
    norm_is("  https://example.org./x \n", NULL, "https://example.org/x");
    norm_is("/news/1.html#top", "http://example.org/feeds/rss.xml", "http://example.org/news/1.html");
    norm_is("2.html", "http://example.org/feeds/rss.xml", "http://example.org/feeds/2.html");
    norm_is("//cdn.example.org/p", "https://example.org/", "https://cdn.example.org/p");
    char *out = NULL;
    assert_int_equal(sr_url_normalize("ftp://example.org/x", NULL, &out), SR_EINVAL);
    assert_int_equal(sr_url_normalize("mailto:a@b.c", NULL, &out), SR_EINVAL);
    assert_int_equal(sr_url_normalize("", NULL, &out), SR_EPARSE);
    assert_int_equal(sr_url_normalize("http://", NULL, &out), SR_EPARSE);
    assert_null(out);
    char buf[64];
    assert_string_equal(sr_url_host("http://u:p@Example.ORG:81/x", buf, sizeof buf), "example.org");
    assert_string_equal(sr_url_host("http://[::1]:81/x", buf, sizeof buf), "[::1]");
    assert_string_equal(sr_url_origin("HTTP://Example.org:81/x?y", buf, sizeof buf), "http://example.org:81");
    assert_string_equal(sr_url_path("http://e.org/a/b?c=d#e"), "/a/b?c=d#e");
    assert_string_equal(sr_url_path("http://e.org"), "/");
}

/* ---- addresses ---------------------------------------------------------------- */

static const char *reason4(const char *ip)
{
    struct sockaddr_in in = {0};
    in.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, ip, &in.sin_addr), 1);
    return sr_addr_private_reason((struct sockaddr *)&in);
}

static const char *reason6(const char *ip)
{
    struct sockaddr_in6 in6 = {0};
    in6.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, ip, &in6.sin6_addr), 1);
    return sr_addr_private_reason((struct sockaddr *)&in6);
}

static void test_addr(void **state)
{
    (void)state;
    assert_non_null(strstr(reason4("127.0.0.1"), "loopback"));
    assert_non_null(strstr(reason4("10.1.2.3"), "private"));
    assert_non_null(strstr(reason4("172.31.255.255"), "private"));
    assert_null(reason4("172.32.0.1"));
    assert_non_null(strstr(reason4("192.168.0.1"), "private"));
    assert_non_null(strstr(reason4("169.254.169.254"), "metadata"));
    assert_non_null(strstr(reason4("169.254.1.1"), "link-local"));
    assert_non_null(strstr(reason4("100.100.100.200"), "metadata"));
    assert_non_null(strstr(reason4("0.0.0.0"), "unspecified"));
    assert_non_null(strstr(reason4("255.255.255.255"), "broadcast"));
    assert_non_null(strstr(reason4("224.0.0.1"), "multicast"));
    assert_null(reason4("93.184.216.34"));
    assert_null(reason4("8.8.8.8"));
    assert_non_null(strstr(reason6("::1"), "loopback"));
    assert_non_null(strstr(reason6("::ffff:127.0.0.1"), "loopback"));
    assert_non_null(strstr(reason6("::ffff:10.0.0.1"), "private"));
    assert_non_null(strstr(reason6("64:ff9b::a9fe:a9fe"), "metadata"));
    assert_non_null(strstr(reason6("fd00:ec2::254"), "metadata"));
    assert_non_null(strstr(reason6("fe80::1"), "link-local"));
    assert_non_null(strstr(reason6("fc00::1"), "unique local"));
    assert_null(reason6("2606:2800:220:1:248:1893:25c8:1946"));
    assert_null(reason6("::ffff:8.8.8.8"));

    sr_addr_allow allow;
    memset(&allow, 0, sizeof allow);
    assert_int_equal(sr_addr_allow_parse("127.0.0.0/8,::1", &allow), SR_OK);
    assert_int_equal(allow.n, 2);
    const char *why = NULL;
    assert_int_equal(sr_addr_literal_allowed("127.0.0.1", &allow, &why), 1);
    assert_int_equal(sr_addr_literal_allowed("[::1]", &allow, &why), 1);
    assert_int_equal(sr_addr_literal_allowed("10.0.0.1", &allow, &why), 0);
    assert_non_null(strstr(why, "private"));
    assert_int_equal(sr_addr_literal_allowed("169.254.169.254", NULL, &why), 0);
    assert_int_equal(sr_addr_literal_allowed("2130706433", &allow, &why), 0);
    assert_int_equal(sr_addr_literal_allowed("0x7f.0.0.1", NULL, &why), 0);
    assert_int_equal(sr_addr_literal_allowed("127.1", NULL, &why), 0);
    assert_int_equal(sr_addr_literal_allowed("example.org", NULL, &why), -1);
    assert_int_equal(sr_addr_literal_allowed("cafe.de", NULL, &why), -1);
    assert_int_equal(sr_addr_literal_allowed("8.8.8.8", NULL, &why), 1);
    sr_addr_allow bad;
    memset(&bad, 0, sizeof bad);
    assert_int_equal(sr_addr_allow_parse("300.0.0.1", &bad), SR_EPARSE);
    assert_int_equal(sr_addr_allow_parse("10.0.0.0/33", &bad), SR_EPARSE);
    assert_int_equal(sr_addr_allow_parse("10.0.0.0/", &bad), SR_EPARSE);
    assert_int_equal(sr_addr_allow_parse(",", &bad), SR_EPARSE);
}

/* ---- robots.txt ------------------------------------------------------------------ */

static void test_robots(void **state)
{
    (void)state;
    const char *txt =
        "# example\n"
        "User-agent: otherbot\n"
        "Disallow: /\n"
        "\n"
        "User-agent: *\n"
        "Disallow: /private/\n"
        "Allow: /private/press/\n"
        "Disallow: /*.pdf$\n"
        "Disallow: /search*q=\n"
        "Crawl-delay: 5\n"
        "Sitemap: https://example.org/sitemap.xml\n";
    sr_robots *r = sr_robots_parse(txt, strlen(txt), "sitrep");
    assert_non_null(r);
    assert_true(sr_robots_allowed(r, "/"));
    assert_false(sr_robots_allowed(r, "/private/x.html"));
    assert_true(sr_robots_allowed(r, "/private/press/x.html"));
    assert_false(sr_robots_allowed(r, "/files/a.pdf"));
    assert_true(sr_robots_allowed(r, "/files/a.pdf?x=1"));
    assert_false(sr_robots_allowed(r, "/search?page=2&q=x"));
    assert_true(sr_robots_allowed(r, "/search"));
    assert_true(sr_robots_allowed(r, "/robots.txt"));
    assert_true(sr_robots_crawl_delay(r) == 5.0);
    sr_robots_free(r);

    /* a group naming us wins over "*", case-insensitively, version ignored */
    const char *ours = "User-agent: *\nDisallow: /\n\nUser-agent: SiTrEp/2.0\nDisallow: /x\n";
    r = sr_robots_parse(ours, strlen(ours), "sitrep");
    assert_true(sr_robots_allowed(r, "/a"));
    assert_false(sr_robots_allowed(r, "/x/y"));
    sr_robots_free(r);

    /* longest match wins; on a tie, allow */
    const char *tie = "User-agent: *\nAllow: /page\nDisallow: /page\nDisallow: /page/a\n"
                      "Allow: /page/a/b\nDisallow:\n";
    r = sr_robots_parse(tie, strlen(tie), "sitrep");
    assert_true(sr_robots_allowed(r, "/page"));
    assert_false(sr_robots_allowed(r, "/page/a/x"));
    assert_true(sr_robots_allowed(r, "/page/a/b/c"));
    sr_robots_free(r);

    /* two user-agent lines share one group; nothing matching: all allowed */
    const char *two = "User-agent: a\nUser-agent: sitrep\nDisallow: /t\nUser-agent: b\nDisallow: /\n";
    r = sr_robots_parse(two, strlen(two), "sitrep");
    assert_false(sr_robots_allowed(r, "/t"));
    assert_true(sr_robots_allowed(r, "/u"));
    sr_robots_free(r);
    r = sr_robots_parse("garbage\n\0\xff:::\n", 12, "sitrep");
    assert_true(sr_robots_allowed(r, "/anything"));
    sr_robots_free(r);

    /* many stars cost no more than a glob should */
    char pat[4096] = "User-agent: *\nDisallow: /";
    for (int i = 0; i < 1000; i++)
        strcat(pat, "*a");
    strcat(pat, "$\n");
    char path[3000];
    memset(path, 'a', sizeof path - 2);
    path[0] = '/';
    path[sizeof path - 2] = 'b';
    path[sizeof path - 1] = '\0';
    r = sr_robots_parse(pat, strlen(pat), "sitrep");
    assert_true(sr_robots_allowed(r, path));
    sr_robots_free(r);

    r = sr_robots_uniform(0);
    assert_false(sr_robots_allowed(r, "/x"));
    assert_true(sr_robots_allowed(r, "/robots.txt"));
    sr_robots_free(r);
}

/* ---- sitemaps ---------------------------------------------------------------- */

typedef struct got_sm {
    int n, maps;
    char loc[4][128], title[4][128], outlet[4][64];
} got_sm;

static int on_sm(const sr_sitemap_entry *e, void *ctx)
{
    got_sm *g = ctx;
    if (g->n < 4) {
        snprintf(g->loc[g->n], sizeof g->loc[0], "%s", e->loc);
        snprintf(g->title[g->n], sizeof g->title[0], "%s", e->title ? e->title : "");
        snprintf(g->outlet[g->n], sizeof g->outlet[0], "%s", e->outlet ? e->outlet : "");
    }
    g->n++;
    g->maps += e->is_sitemap;
    return 0;
}

static void test_sitemap(void **state)
{
    (void)state;
    const char *news =
        "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
        "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
        "<url><loc> https://example.org/a </loc><lastmod>2025-03-03</lastmod>"
        "<news:news><news:publication><news:name>Harbour Post</news:name></news:publication>"
        "<news:publication_date>2025-03-03T09:10:00Z</news:publication_date>"
        "<news:title>Talks in Jakarta</news:title></news:news></url>"
        "<url><loc>https://example.org/b</loc></url><url></url></urlset>";
    assert_true(sr_sitemap_detect(news, strlen(news)));
    got_sm g = {0};
    assert_int_equal(sr_sitemap_read(news, strlen(news), "sm", on_sm, &g), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.loc[0], "https://example.org/a");
    assert_string_equal(g.title[0], "Talks in Jakarta");
    assert_string_equal(g.outlet[0], "Harbour Post");
    const char *index = "<sitemapindex><sitemap><loc>https://e.org/s1.xml</loc></sitemap></sitemapindex>";
    assert_true(sr_sitemap_detect(index, strlen(index)));
    memset(&g, 0, sizeof g);
    sr_sitemap_read(index, strlen(index), "idx", on_sm, &g);
    assert_int_equal(g.maps, 1);
    const char *rss = "<?xml version=\"1.0\"?><rss><channel/></rss>";
    assert_false(sr_sitemap_detect(rss, strlen(rss)));
    const char *evil = "<?xml version=\"1.0\"?><!DOCTYPE u [<!ENTITY x \"y\">]><urlset><url><loc>&x;</loc></url></urlset>";
    memset(&g, 0, sizeof g);
    sr_sitemap_read(evil, strlen(evil), "evil", on_sm, &g);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(diag, "sitrep: evil: sitemap declares XML entities"));
}

/* ---- feeds: JSON Feed and link-only entries ------------------------------------- */

typedef struct got_docs {
    int n;
    char url[4][128], text[4][128], author[4][64], outlet[4][64], meta[4][256];
} got_docs;

static int on_doc(const sr_doc *d, void *ctx)
{
    got_docs *g = ctx;
    if (g->n < 4) {
        snprintf(g->url[g->n], sizeof g->url[0], "%s", d->url ? d->url : "");
        snprintf(g->text[g->n], sizeof g->text[0], "%s", d->text);
        snprintf(g->author[g->n], sizeof g->author[0], "%s", d->author ? d->author : "");
        snprintf(g->outlet[g->n], sizeof g->outlet[0], "%s", d->outlet ? d->outlet : "");
        snprintf(g->meta[g->n], sizeof g->meta[0], "%s", d->meta_json ? d->meta_json : "");
    }
    g->n++;
    return 0;
}

static void test_jsonfeed(void **state)
{
    (void)state;
    /* 1.0: "author" object, numeric id; 1.1: "authors"; items without text */
    const char *v10 =
        "{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\"JF\",\"items\":["
        "{\"id\":7,\"url\":\"http://jf.example/1\",\"content_html\":\"<p>Talks <b>went</b> on.</p>\","
        "\"author\":{\"name\":\"A. Writer\"}},"
        "{\"id\":\"8\",\"external_url\":\"http://other.example/2\",\"title\":\"Only a link\"},"
        "{\"id\":\"9\",\"url\":\"http://jf.example/3\",\"content_text\":\"Plain.\","
        "\"authors\":[{\"name\":\"B. Writer\"}]}]}";
    got_docs g = {0};
    sr_ingest_opts io = {0, NULL};
    assert_int_equal(sr_jsonfeed_read(v10, strlen(v10), "jf", &io, on_doc, &g), 0);
    assert_int_equal(g.n, 2);     /* the link-only item is skipped by a reader */
    assert_string_equal(g.text[0], "Talks went on.");
    assert_string_equal(g.author[0], "A. Writer");
    assert_string_equal(g.outlet[0], "JF");
    assert_non_null(strstr(g.meta[0], "\"guid\":\"7\""));
    assert_string_equal(g.author[1], "B. Writer");
    assert_non_null(strstr(diag, "item 2 has no text, only a link"));
    memset(&g, 0, sizeof g);
    assert_int_equal(sr_feed_entries(v10, strlen(v10), "jf", &io, on_doc, &g), 0);
    assert_int_equal(g.n, 3);     /* a fetcher gets it, with no text */
    assert_string_equal(g.url[1], "http://other.example/2");
    assert_string_equal(g.text[1], "");

    const char *rss = "<rss><channel><title>W</title><item><title>t</title>"
                      "<link>http://w.example/a</link></item>"
                      "<item><description>text</description></item></channel></rss>";
    memset(&g, 0, sizeof g);
    assert_int_equal(sr_feed_entries(rss, strlen(rss), "rss", &io, on_doc, &g), 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.url[0], "http://w.example/a");
    assert_string_equal(g.text[0], "");
    assert_string_equal(g.text[1], "text");

    /* a one-line JSON Feed read through the JSON Lines path (files, stdin) */
    char path[] = "/tmp/watch_test_jf_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *one = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"One\",\"items\":"
                      "[{\"id\":\"1\",\"url\":\"http://o.example/1\",\"content_text\":\"Ministers met.\"}]}\n";
    assert_int_equal(write(fd, one, strlen(one)), (ssize_t)strlen(one));
    close(fd);
    memset(&g, 0, sizeof g);
    sr_ingest_path(path, &io, on_doc, &g);
    unlink(path);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.text[0], "Ministers met.");
    assert_string_equal(g.outlet[0], "One");
}

/* ---- the WARC writer, read back by the WARC reader ------------------------------ */

static void test_warc_roundtrip(void **state)
{
    (void)state;
    char dir[] = "/tmp/watch_test_warc_XXXXXX";
    assert_non_null(mkdtemp(dir));
    sr_warc_writer *w = NULL;
    assert_int_equal(sr_warc_writer_open(dir, 0, &w), SR_OK);
    const char *head = "HTTP/2 200 \r\ncontent-type: text/html\r\ncontent-encoding: gzip\r\n"
                       "transfer-encoding: chunked\r\n\r\n";
    const char *body = "<html><head><title>T</title></head><body><article><p>The ministers of "
                       "two countries met in Jakarta on Monday to discuss training.</p>"
                       "</article></body></html>";
    sr_buf blk = SR_BUF_INIT(0), rec = SR_BUF_INIT(0);
    size_t off = 0;
    assert_int_equal(watch_http_block(&blk, head, strlen(head), body, strlen(body), &off), SR_OK);
    assert_non_null(strstr(blk.p, "HTTP/2 200\r\n"));
    assert_non_null(strstr(blk.p, "X-Archive-Orig-content-encoding: gzip\r\n"));
    assert_null(strstr(blk.p, "\ncontent-encoding"));
    assert_string_equal(blk.p + off, body);
    sr_warc_out o = { "response", "https://e.org/a", "2025-03-03T09:10:00Z", NULL, NULL,
                      "application/http;msgtype=response", "Harbour\nPost", blk.p, blk.len, off, false };
    assert_int_equal(sr_warc_record_build(&rec, &o), SR_OK);
    assert_int_equal(sr_warc_writer_add_built(w, rec.p, rec.len), SR_OK);
    const char *line = "{\"url\":\"https://e.org/b\",\"text\":\"Feed text.\",\"text_from\":\"feed\"}";
    sr_warc_out r2 = { "resource", "https://e.org/b", "2025-03-03T09:10:00Z", NULL, NULL,
                       "application/x-ndjson", NULL, line, strlen(line), 0, false };
    assert_int_equal(sr_warc_writer_add(w, &r2), SR_OK);
    assert_int_equal(sr_warc_writer_close(w), SR_OK);

    got_docs g = {0};
    sr_ingest_opts io = {0, NULL};
    sr_ingest_stats st = {0};
    sr_ingest_path_counted(dir, &io, &st, on_doc, &g);
    assert_int_equal(st.warc_records, 3);     /* warcinfo, response, resource */
    assert_int_equal(st.skipped, 0);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.url[0], "https://e.org/a");
    assert_string_equal(g.outlet[0], "Harbour Post");    /* the header, on one line */
    assert_non_null(strstr(g.text[0], "ministers of two countries"));
    assert_string_equal(g.text[1], "Feed text.");
    assert_non_null(strstr(g.meta[1], "\"text_from\":\"feed\""));
    sr_buf_free(&blk);
    sr_buf_free(&rec);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_duration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_url_normalize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_addr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_robots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sitemap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonfeed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warc_roundtrip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
