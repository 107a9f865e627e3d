/* serve_target_test.c - sitrep serve's strict request parsing: targets into
 * segments and parameters, percent-decoding, UTF-8, dates, cursors, ETag
 * matching and route matching (src/serve/target.c, api.c, cache.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "serve/internal.h"

static int parse(const char *raw, api_target *t, const char **why)
{
    return api_parse_target(raw, strlen(raw), t, why);
}

static void target_splits_path_and_query(void **state)
{
    (void)state;
    api_target *t = malloc(sizeof *t);
    const char *why;
    assert_int_equal(parse("/api/stories?since=2025-03-01&q=joint+exercise&actor=%54UR", t, &why), 0);
    assert_string_equal(t->path, "/api/stories");
    assert_int_equal(t->nsegs, 2);
    assert_string_equal(t->segs[0], "api");
    assert_string_equal(t->segs[1], "stories");
    assert_int_equal(t->nparams, 3);
    assert_string_equal(t->params[1].key, "q");
    assert_string_equal(t->params[1].value, "joint exercise");   /* '+' is a space */
    assert_string_equal(t->params[2].value, "TUR");              /* %54 decoded */
    assert_int_equal(api_match(t), ROUTE_STORIES);
    /* a flag without '=' is an empty value; empty pieces between '&' are skipped */
    assert_int_equal(parse("/api/health?&x&&", t, &why), 0);
    assert_int_equal(t->nparams, 1);
    assert_string_equal(t->params[0].key, "x");
    assert_int_equal(t->params[0].value_len, 0);
    /* the root */
    assert_int_equal(parse("/", t, &why), 0);
    assert_int_equal(t->nsegs, 0);
    assert_int_equal(api_match(t), ROUTE_ASSET);
    free(t);
}

static void target_refuses_bad_encoding(void **state)
{
    (void)state;
    api_target *t = malloc(sizeof *t);
    const char *why;
    const char *bad[] = {
        "/api/health%00", "/api/search?q=a%00b", "/api/search?q=%zz", "/api/search?q=%4",
        "/api/search?q=%", "/api/search?q=%C3%28", "/api/search?q=%C0%AF", "/api/search?q=%ED%A0%80",
        "/api/stories?q=a%07b", "/api/stories?limit=1&limit=2", "/api/stories?=x", "api/health",
        "http://example.org/", "*",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i], t, &why);
        /* %C3%28 and friends decode fine; the routes refuse them as text */
        if (rc == 0) {
            bool clean = true;
            for (size_t k = 0; k < t->nparams; k++)
                clean &= api_clean_text(t->params[k].value, t->params[k].value_len);
            assert_false(clean);
        } else {
            assert_int_equal(rc, 400);
            assert_non_null(why);
        }
    }
    free(t);
}

static void target_caps(void **state)
{
    (void)state;
    api_target *t = malloc(sizeof *t);
    const char *why;
    size_t n = SR_SERVE_MAX_URL + 1;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[0] = '/';
    big[n] = '\0';
    assert_int_equal(parse(big, t, &why), 414);
    /* the longest allowed target with the most parameters fits the buffer */
    sr_buf b = SR_BUF_INIT(0);
    sr_buf_puts(&b, "/x?");
    for (int i = 0; i < SR_SERVE_MAX_PARAMS; i++)
        sr_buf_printf(&b, "%s%c=", i ? "&" : "", 'a' + i);
    while (b.len < SR_SERVE_MAX_URL)   /* the last value fills the rest */
        sr_buf_putc(&b, 'v');
    assert_int_equal(parse(b.p, t, &why), 0);
    assert_int_equal(t->nparams, SR_SERVE_MAX_PARAMS);
    sr_buf_reset(&b);
    sr_buf_puts(&b, "/x?");
    for (int i = 0; i <= SR_SERVE_MAX_PARAMS; i++)
        sr_buf_printf(&b, "p%d=1&", i);
    assert_int_equal(parse(b.p, t, &why), 414);
    sr_buf_free(&b);
    free(big);
    free(t);
}

static void dates_are_calendar_days(void **state)
{
    (void)state;
    assert_true(api_valid_date("2025-03-01"));
    assert_true(api_valid_date("2024-02-29"));
    assert_true(api_valid_date("2000-02-29"));
    assert_false(api_valid_date("1900-02-29"));
    assert_false(api_valid_date("2025-02-29"));
    assert_false(api_valid_date("2025-04-31"));
    assert_false(api_valid_date("2025-13-01"));
    assert_false(api_valid_date("0000-01-01"));
    assert_false(api_valid_date("2025-1-01"));
    assert_false(api_valid_date("2025-01-01T00"));
    assert_false(api_valid_date(""));
}

static void cursors_round_trip_and_refuse_forgeries(void **state)
{
    (void)state;
    sr_buf b = SR_BUF_INIT(0);
    assert_int_equal(api_cursor_encode('s', 42, "2025-03-04T06:00:00Z", &b), SR_OK);
    int64_t num;
    char key[64];
    assert_true(api_cursor_decode(b.p, 's', &num, key, sizeof key));
    assert_int_equal(num, 42);
    assert_string_equal(key, "2025-03-04T06:00:00Z");
    assert_false(api_cursor_decode(b.p, 'e', &num, key, sizeof key));   /* another route's */
    assert_false(api_cursor_decode(b.p, 's', &num, key, 8));              /* key too long */
    const char *bad[] = { "", "!!!!", "czo", "cz", "czotMTox", "czoxMjM0NTY3ODkwMTIzNDU2Nzg5OjE" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(api_cursor_decode(bad[i], 's', &num, key, sizeof key));
    sr_buf_free(&b);
}

static void etags_match_lists_and_weak_tags(void **state)
{
    (void)state;
    assert_true(api_etag_matches("\"abc\"", "\"abc\""));
    assert_true(api_etag_matches("W/\"abc\"", "\"abc\""));
    assert_true(api_etag_matches("\"x\", \"abc\"", "\"abc\""));
    assert_true(api_etag_matches("*", "\"abc\""));
    assert_false(api_etag_matches("\"abcd\"", "\"abc\""));
    assert_false(api_etag_matches("", "\"abc\""));
    assert_false(api_etag_matches(NULL, "\"abc\""));
}

static void routes_match_exactly(void **state)
{
    (void)state;
    api_target *t = malloc(sizeof *t);
    const char *why;
    struct { const char *target; api_route route; } cases[] = {
        {"/api/health", ROUTE_HEALTH}, {"/api/stories/7", ROUTE_STORY},
        {"/api/stories/7/brief", ROUTE_BRIEF}, {"/api/events", ROUTE_EVENTS},
        {"/api/dyads/TUR/IDN/timeline", ROUTE_DYAD}, {"/api/network", ROUTE_NETWORK},
        {"/api/search?q=x", ROUTE_SEARCH}, {"/metrics", ROUTE_METRICS},
        {"/assets/app.js", ROUTE_ASSET}, {"/api/health/", ROUTE_NOT_FOUND},
        {"/api/stories/7/brief/x", ROUTE_NOT_FOUND}, {"/api", ROUTE_NOT_FOUND},
        {"/api/dyads/TUR/timeline", ROUTE_NOT_FOUND}, {"/etc/passwd", ROUTE_NOT_FOUND},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(parse(cases[i].target, t, &why), 0);
        assert_int_equal(api_match(t), cases[i].route);
    }
    assert_false(api_route_private(ROUTE_ASSET));
    assert_true(api_route_private(ROUTE_METRICS));
    free(t);
}

static void loopback_addresses(void **state)
{
    (void)state;
    assert_true(sr_serve_is_loopback("127.0.0.1"));
    assert_true(sr_serve_is_loopback("127.8.9.10"));
    assert_true(sr_serve_is_loopback("::1"));
    assert_false(sr_serve_is_loopback("0.0.0.0"));
    assert_false(sr_serve_is_loopback("10.0.0.1"));
    assert_false(sr_serve_is_loopback("::"));
    assert_false(sr_serve_is_loopback("localhost"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(target_splits_path_and_query),
        cmocka_unit_test(target_refuses_bad_encoding),
        cmocka_unit_test(target_caps),
        cmocka_unit_test(dates_are_calendar_days),
        cmocka_unit_test(cursors_round_trip_and_refuse_forgeries),
        cmocka_unit_test(etags_match_lists_and_weak_tags),
        cmocka_unit_test(routes_match_exactly),
        cmocka_unit_test(loopback_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
