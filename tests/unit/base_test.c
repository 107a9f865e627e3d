/* base_test.c - sr_buf caps, JSON escaping, skip reporting, hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/base.h"

static void buf_respects_cap(void **state)
{
    (void)state;
    sr_buf b = SR_BUF_INIT(8);
    assert_int_equal(sr_buf_puts(&b, "12345678"), SR_OK);
    assert_int_equal(b.len, 8);
    assert_int_equal(sr_buf_putc(&b, '9'), SR_ETOOBIG);
    assert_int_equal(b.len, 8);           /* unchanged after a refused append */
    assert_string_equal(b.p, "12345678");
    sr_buf_free(&b);
}

static void buf_printf_grows(void **state)
{
    (void)state;
    sr_buf b = SR_BUF_INIT(0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sr_buf_printf(&b, "%d,", i), SR_OK);
    assert_true(b.len > 2000);
    assert_memory_equal(b.p, "0,1,2,", 6);
    sr_buf_free(&b);
}

static void json_escapes_and_repairs(void **state)
{
    (void)state;
    sr_buf b = SR_BUF_INIT(0);
    const char in[] = "a\"b\\c\nd\x01" "\xff" "é";
    assert_int_equal(sr_buf_json_str(&b, in, sizeof in - 1), SR_OK);
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\nd\\u0001\xEF\xBF\xBD" "é\"");
    sr_buf_free(&b);
}

static size_t lines_seen;
static char last_line[256];
static void capture(const char *line, void *ctx)
{
    (void)ctx;
    lines_seen++;
    strncpy(last_line, line, sizeof last_line - 1);
}

static void skip_is_one_line_and_counted(void **state)
{
    (void)state;
    sr_set_diag_sink(capture, NULL);
    sr_skip_count_reset();
    sr_skip("feed.xml", "3", "entry has no text\n(only a link)");
    assert_int_equal(sr_skip_count(), 1);
    assert_string_equal(last_line, "sitrep: feed.xml:3: entry has no text (only a link)");
    sr_warn("a.txt", NULL, "2 invalid UTF-8 sequences replaced");
    assert_int_equal(sr_skip_count(), 1);  /* warnings do not count */
    assert_string_equal(last_line, "sitrep: a.txt: 2 invalid UTF-8 sequences replaced");
    assert_int_equal(lines_seen, 2);
    sr_set_diag_sink(NULL, NULL);
}

static void hash_depends_on_every_byte(void **state)
{
    (void)state;
    char a[100], b[100];
    for (int i = 0; i < 100; i++)
        a[i] = b[i] = (char)i;
    for (size_t len = 0; len <= 100; len++) {
        uint64_t h = sr_hash64(a, len, 0);
        assert_int_equal(h, sr_hash64(b, len, 0));
        if (len) {
            b[len - 1] ^= 1;
            assert_true(h != sr_hash64(b, len, 0));
            b[len - 1] ^= 1;
        }
        assert_true(sr_hash64(a, len, 1) != h);
    }
}

static void grow_doubles_and_checks(void **state)
{
    (void)state;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(sr_grow((void **)&v, &cap, 100, sizeof *v), SR_OK);
    assert_true(cap >= 100);
    v[99] = 7;
    assert_int_equal(sr_grow((void **)&v, &cap, SIZE_MAX / 2, sizeof *v), SR_ENOMEM);
    assert_int_equal(v[99], 7);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_respects_cap),
        cmocka_unit_test(buf_printf_grows),
        cmocka_unit_test(json_escapes_and_repairs),
        cmocka_unit_test(skip_is_one_line_and_counted),
        cmocka_unit_test(hash_depends_on_every_byte),
        cmocka_unit_test(grow_doubles_and_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
