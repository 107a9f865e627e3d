/*
 * html_extract_test.c - sr_html_extract() on small pages written here: the
 * tree builder's HTML rules (implied ends, raw-text elements, references,
 * recovery from broken markup, the depth cap), main-content selection
 * (navigation, related lists, footers, captions and comments dropped;
 * paragraphs, headings, lists and quotes kept in order), metadata sources
 * and their precedence, charsets, and the errors for binary and oversized
 * input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sitrep/html.h"

#define PROSE "Delegates from both sides met in Geneva on Monday and agreed to extend the ceasefire."
#define PROSE2 "The agreement, which officials described as fragile, takes effect at midnight local time."
#define PROSE3 "Observers from the monitoring mission will report on violations every week, they said."

static sr_article extract(const char *html, const char *charset, const char *base)
{
    sr_article a;
    sr_err e = sr_html_extract(html, strlen(html), charset, base, &a);
    assert_int_equal(e, SR_OK);
    assert_non_null(a.text);
    assert_int_equal(strlen(a.text), a.text_len);
    return a;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay ? hay : "(null)");
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle))
        fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

static void test_boilerplate_dropped(void **state)
{
    (void)state;
    const char *page =
        "<html><head><title>Ceasefire extended | Daily Wire</title></head><body>"
        "<div id=cookie-banner><p>This site uses cookies to improve your experience, accept them all.</p></div>"
        "<nav><ul><li><a href=/>Home</a><li><a href=/world>World news and more</a></ul></nav>"
        "<div class=layout><main><article>"
        "<h1>Ceasefire extended</h1><p class=byline>By A. Reporter</p>"
        "<p>" PROSE "</p><h2>What changes</h2><p>" PROSE2 "</p>"
        "<figure><img src=x.jpg><figcaption>Delegates arrive at the talks in Geneva.</figcaption></figure>"
        "<ul><li>Extension of the truce by thirty days</li><li>Weekly reports by observers</li></ul>"
        "<blockquote>We are cautiously optimistic about the outcome, one envoy said today.</blockquote>"
        "<p>" PROSE3 " <span class=\"image-credit\">(Image: AGENCY)</span></p>"
        "<span class=\"sr-only\">Screen reader note about the image above</span>"
        "<div class=share-bar><a href=#>Share on Facebook</a> <a href=#>Tweet this story</a></div>"
        "</article>"
        "<section class=related-stories><h3>Related</h3>"
        "<p><a href=/a>Earlier talks collapsed after two days of acrimony, and both sides blamed each other</a></p></section>"
        "<div id=comments><p>Great article, thanks for the detailed reporting on these talks!</p></div>"
        "</main><aside><p>Most read stories of the day appear here in a long sidebar list.</p></aside></div>"
        "<footer><p>Copyright 2024 Daily Wire, all rights reserved, do not reproduce.</p></footer>"
        "</body></html>";
    sr_article a = extract(page, NULL, NULL);
    assert_has(a.text, PROSE);
    assert_has(a.text, "What changes");
    assert_has(a.text, PROSE2);
    assert_has(a.text, "Extension of the truce by thirty days\nWeekly reports by observers");
    assert_has(a.text, "cautiously optimistic");
    assert_has(a.text, PROSE3);
    /* reading order */
    assert_true(strstr(a.text, PROSE) < strstr(a.text, PROSE2));
    assert_true(strstr(a.text, PROSE2) < strstr(a.text, PROSE3));
    /* paragraphs are separated by a blank line */
    assert_has(a.text, PROSE "\n\nWhat changes\n\n" PROSE2);
    assert_lacks(a.text, "cookies");
    assert_lacks(a.text, "World news");
    assert_lacks(a.text, "Ceasefire extended\n");   /* the headline is metadata */
    assert_lacks(a.text, "A. Reporter");
    assert_lacks(a.text, "Delegates arrive");        /* caption */
    assert_lacks(a.text, "Share on Facebook");
    assert_lacks(a.text, "AGENCY");
    assert_lacks(a.text, "Screen reader");
    assert_lacks(a.text, "Earlier talks");
    assert_lacks(a.text, "Great article");
    assert_lacks(a.text, "sidebar");
    assert_lacks(a.text, "Copyright");
    assert_string_equal(a.title, "Ceasefire extended");
    sr_article_free(&a);
}

static void test_article_stream(void **state)
{
    (void)state;
    /* the story, then teaser cards of other stories as <article>s */
    const char *page =
        "<body><section class=stream>"
        "<article><h1>Ceasefire extended</h1><p>" PROSE "</p><p>" PROSE2 "</p><p>" PROSE3 "</p></article>"
        "<article><h2><a href=/1>Floods</a></h2><p>Rivers burst their banks in the north after a week of rain.</p></article>"
        "<article><h2><a href=/2>Strike</a></h2><p>Port workers walked out over pay on Tuesday morning, unions said.</p></article>"
        "<article><h2><a href=/3>Vote</a></h2><p>Parliament passed the budget by a narrow margin late on Friday night.</p></article>"
        "</section></body>";
    sr_article a = extract(page, NULL, NULL);
    assert_string_equal(a.text, PROSE "\n\n" PROSE2 "\n\n" PROSE3);
    sr_article_free(&a);
}

static void test_tree_rules(void **state)
{
    (void)state;
    /* <p> ended by a block, <li> by <li>, cells by cells, head by body
     * content; unknown and custom elements are kept. */
    const char *page =
        "<title>t</title><p>" PROSE "<div>" PROSE2 "</div><p>" PROSE3
        "<ul><li>first item of the list<li>second item of the list</ul>"
        "<my-widget><p>Custom elements hold text too, and it is kept as prose here.</p></my-widget>";
    sr_article a = extract(page, NULL, NULL);
    assert_has(a.text, PROSE "\n\n" PROSE2 "\n\n" PROSE3);
    assert_has(a.text, "first item of the list\nsecond item of the list");
    assert_has(a.text, "Custom elements hold text too");
    sr_article_free(&a);
}

static void test_raw_text_and_references(void **state)
{
    (void)state;
    const char *page =
        "<html><head><title>Caf&eacute; &amp; bar &#8212; news</title>"
        "<style>p { color: red } </p></style></head><body><article>"
        "<script>var s = '<p>not text</p>'; if (a < b) {}</script>"
        "<p>Prices rose 5&nbsp;% at the caf&eacute; &lt;Le Dôme&gt;, &quot;a record&quot; &#x41;&#66;C, "
        "said the owner &mdash; twice&hellip; &bogus; &amp stays.</p>"
        "<noscript><p>Enable JavaScript to read the rest of this article please.</p></noscript>"
        "<!-- <p>commented out paragraph that must never show up</p> -->"
        "<textarea>typed <b>text</b> area content</textarea>"
        "</article></body></html>";
    sr_article a = extract(page, NULL, NULL);
    assert_string_equal(a.title, "Caf\xc3\xa9 & bar \xe2\x80\x94 news");
    assert_has(a.text, "Prices rose 5 % at the caf\xc3\xa9 <Le D\xc3\xb4me>, \"a record\" ABC, "
                       "said the owner \xe2\x80\x94 twice\xe2\x80\xa6 &bogus; & stays.");
    assert_lacks(a.text, "not text");
    assert_lacks(a.text, "color");
    assert_lacks(a.text, "JavaScript");
    assert_lacks(a.text, "commented out");
    assert_lacks(a.text, "area content");
    sr_article_free(&a);
}

static void test_broken_markup(void **state)
{
    (void)state;
    /* unclosed everything, stray end tags, a '<' in text, an unclosed
     * title, attributes without quotes or values, a tag cut at the end */
    const char *page =
        "<html><head><title>Unclosed headline\n<body></i></b></div>"
        "<p class=x data-y checked>" PROSE " 3 < 4 and 5 > 2.</span></section>"
        "<p>" PROSE2 "<p>" PROSE3 "<div class=\"unterminated";
    sr_article a = extract(page, NULL, NULL);
    assert_string_equal(a.title, "Unclosed headline");
    assert_has(a.text, PROSE " 3 < 4 and 5 > 2.");
    assert_has(a.text, PROSE2);
    assert_has(a.text, PROSE3);
    sr_article_free(&a);
}

static void test_many_unclosed_raw_elements(void **state)
{
    (void)state;
    /* 200,000 unclosed <textarea>/<title>/<iframe>s: each would scan to
     * the end of the page for its end tag (quadratic, minutes) unless a
     * failed scan is remembered; this must finish at once. */
    static const char *const unit[] = {"<textarea>a", "<title>b", "<iframe>c"};
    size_t reps = 200000, n = 0;
    char *page = malloc(reps * 12 + 64);
    assert_non_null(page);
    n += (size_t)snprintf(page, 64, "<p>%s</p>", "Opening paragraph of the page.");
    for (size_t i = 0; i < reps; i++) {
        size_t k = strlen(unit[i % 3]);
        memcpy(page + n, unit[i % 3], k);
        n += k;
    }
    page[n] = '\0';
    sr_article a;
    assert_int_equal(sr_html_extract(page, n, NULL, NULL, &a), SR_OK);
    /* the elements are recovered as empty; the text after them stays */
    assert_has(a.text, "acacac");
    assert_string_equal(a.title, "b");
    sr_article_free(&a);
    free(page);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    /* 1,000,000 nested elements: flattened past the depth cap, the text
     * inside kept, and the walk (iterative) does not use the stack. */
    const size_t depth = 1000000;
    const char *inner = "<p>" PROSE "</p>";
    size_t n = 12 + depth * 5 + strlen(inner) + 1;
    char *page = malloc(n);
    assert_non_null(page);
    size_t k = 0;
    memcpy(page + k, "<html><body>", 12);
    k += 12;
    for (size_t i = 0; i < depth; i++) {
        memcpy(page + k, "<div>", 5);
        k += 5;
    }
    memcpy(page + k, inner, strlen(inner) + 1);
    sr_article a = extract(page, NULL, NULL);
    assert_string_equal(a.text, PROSE);
    assert_int_equal(a.flattened, 1);
    sr_article_free(&a);
    free(page);
    a = extract("<div><div><p>" PROSE "</p></div></div>", NULL, NULL);
    assert_int_equal(a.flattened, 0);
    sr_article_free(&a);
}

static void test_metadata(void **state)
{
    (void)state;
    const char *page =
        "<html lang=\"en-GB\"><head>"
        "<meta property=\"og:title\" content=\"Ceasefire extended by a month\">"
        "<meta property=\"og:site_name\" content=\"Daily Wire\">"
        "<meta name=\"author\" content=\"Ann Reporter\">"
        "<link rel=\"canonical\" href=\"/world/ceasefire\">"
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\","
        "\"headline\":\"JSON-LD headline\",\"datePublished\":\"2024-03-05T08:00:00Z\","
        "\"author\":{\"@type\":\"Person\",\"name\":\"LD Author\"},"
        "\"publisher\":{\"@type\":\"Organization\",\"name\":\"LD Publisher\"}}</script>"
        "<title>Title tag | Daily Wire</title></head><body><article><h1>H1 headline</h1>"
        "<time datetime=\"2020-01-01\">long ago</time><p>" PROSE "</p></article></body></html>";
    sr_article a = extract(page, NULL, "https://wire.example/index.html");
    assert_string_equal(a.title, "Ceasefire extended by a month");     /* og:title first */
    assert_string_equal(a.site_name, "Daily Wire");
    assert_string_equal(a.author, "Ann Reporter");
    assert_string_equal(a.published, "2024-03-05T08:00:00Z");          /* JSON-LD over <time> */
    assert_string_equal(a.url, "https://wire.example/world/ceasefire"); /* resolved */
    assert_string_equal(a.lang, "en-GB");
    sr_article_free(&a);

    /* Without meta tags: JSON-LD, then <h1>, <time>. */
    const char *page2 =
        "<html><head><title>Only the title tag here | Site</title>"
        "<script type=\"application/ld+json\">[{\"@type\":\"NewsArticle\",\"author\":[{\"name\":\"LD Author\"}],"
        "\"publisher\":{\"name\":\"LD Publisher\"}}]</script></head>"
        "<body><h1>H1 headline</h1><time datetime=\"2021-06-07T10:00:00+02:00\">June</time>"
        "<p>" PROSE "</p></body></html>";
    a = extract(page2, NULL, NULL);
    assert_string_equal(a.title, "H1 headline");
    assert_string_equal(a.author, "LD Author");
    assert_string_equal(a.site_name, "LD Publisher");
    assert_string_equal(a.published, "2021-06-07T10:00:00+02:00");
    assert_null(a.url);
    assert_null(a.lang);
    sr_article_free(&a);

    /* A charset where the language should be is no language. */
    a = extract("<html lang=\"UTF-8\"><p>" PROSE "</p>", NULL, NULL);
    assert_null(a.lang);
    sr_article_free(&a);
    a = extract("<html lang=\"zh-Hant-TW\"><p>" PROSE "</p>", NULL, NULL);
    assert_string_equal(a.lang, "zh-Hant-TW");
    sr_article_free(&a);

    /* Only a <title>: its " | Site" suffix goes. */
    a = extract("<title>Rebels take the northern town of Kidal | Wire</title><p>" PROSE "</p>",
                NULL, NULL);
    assert_string_equal(a.title, "Rebels take the northern town of Kidal");
    sr_article_free(&a);
}

static void test_charsets(void **state)
{
    (void)state;
    /* windows-1252 from <meta>, from the caller, and sniffed when undeclared */
    const char *w1252 = "<meta charset=windows-1252><p>Caf\xe9 \x93quoted\x94 na\xefve text "
                        "that is long enough to be a paragraph.</p>";
    sr_article a = extract(w1252, NULL, NULL);
    assert_has(a.text, "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d na\xc3\xafve");
    assert_int_equal(a.relabelled, 0);
    sr_article_free(&a);
    a = extract(w1252 + strlen("<meta charset=windows-1252>"), "iso-8859-1", NULL);
    assert_has(a.text, "Caf\xc3\xa9");
    sr_article_free(&a);
    a = extract(w1252 + strlen("<meta charset=windows-1252>"), NULL, NULL);
    assert_has(a.text, "Caf\xc3\xa9");
    sr_article_free(&a);
    /* a UTF-8 label on windows-1252 bytes, and the reverse */
    a = extract("<meta charset=utf-8><p>Caf\xe9 cr\xe8me, labelled UTF-8 but written in Latin-1.</p>",
                NULL, NULL);
    assert_has(a.text, "Caf\xc3\xa9 cr\xc3\xa8me");
    assert_int_equal(a.relabelled, 1);
    sr_article_free(&a);
    a = extract("<meta charset=iso-8859-1><p>Caf\xc3\xa9 cr\xc3\xa8me, labelled Latin-1 but UTF-8.</p>",
                NULL, NULL);
    assert_has(a.text, "Caf\xc3\xa9 cr\xc3\xa8me");
    assert_int_equal(a.relabelled, 1);
    sr_article_free(&a);
    /* one broken byte in a UTF-8 page is repaired, not a reason to relabel */
    a = extract("<meta charset=utf-8><p>Caf\xc3\xa9, cr\xc3\xa8me, na\xc3\xafve and one \xff stray byte here.</p>",
                NULL, NULL);
    assert_has(a.text, "Caf\xc3\xa9, cr\xc3\xa8me, na\xc3\xafve and one \xef\xbf\xbd stray");
    assert_int_equal(a.relabelled, 0);
    sr_article_free(&a);
    /* a BOM outranks the label; Shift_JIS through ICU */
    a = extract("\xef\xbb\xbf<meta charset=windows-1252><p>Caf\xc3\xa9 with a byte-order mark and a label that lies.</p>",
                NULL, NULL);
    assert_has(a.text, "Caf\xc3\xa9 with");
    sr_article_free(&a);
    a = extract("<meta charset=shift_jis><p>\x93\x8c\x8b\x9e\x82\xc5\x89\xef\x92\x6b\x81\x42 "
                "Talks were held in Tokyo on Monday, officials said.</p>", NULL, NULL);
    assert_has(a.text, "\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7\xe4\xbc\x9a\xe8\xab\x87\xe3\x80\x82");
    sr_article_free(&a);
}

static void test_errors_and_edges(void **state)
{
    (void)state;
    sr_article a;
    /* binary bytes */
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06";
    assert_int_equal(sr_html_extract(png, sizeof png - 1, NULL, NULL, &a), SR_EFORMAT);
    assert_null(a.text);
    /* over the page cap */
    size_t big = SR_HTML_MAX_PAGE + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    memcpy(huge, "<p>", 3);
    assert_int_equal(sr_html_extract(huge, big, NULL, NULL, &a), SR_ETOOBIG);
    assert_null(a.text);
    free(huge);
    /* empty, blank and text-free pages: no error, no text */
    a = extract("", NULL, NULL);
    assert_int_equal(a.text_len, 0);
    sr_article_free(&a);
    a = extract("<html><body><img src=x><script>x()</script></body></html>", NULL, NULL);
    assert_int_equal(a.text_len, 0);
    sr_article_free(&a);
    /* a page of short lines and no paragraph keeps its plain text */
    a = extract("<body><nav><a href=/>Home</a></nav><div>Office closed today.</div></body>", NULL, NULL);
    assert_string_equal(a.text, "Office closed today.");
    sr_article_free(&a);
    /* more elements than the tree cap: cut and said so, memory bounded */
    size_t reps = 1200000;
    char *many = malloc(reps * 8 + 1);
    assert_non_null(many);
    for (size_t i = 0; i < reps; i++)
        memcpy(many + i * 8, "<p>a</p>", 8);
    many[reps * 8] = '\0';
    assert_int_equal(sr_html_extract(many, reps * 8, NULL, NULL, &a), SR_OK);
    assert_int_equal(a.truncated, 1);
    sr_article_free(&a);
    free(many);
    a = extract("<p>" PROSE "</p>", NULL, NULL);
    assert_int_equal(a.truncated, 0);
    sr_article_free(&a);
    /* NUL bytes inside text do not cut it */
    static const char nul[] = "<p>" PROSE "\0" PROSE2 "</p>";
    assert_int_equal(sr_html_extract(nul, sizeof nul - 1, NULL, NULL, &a), SR_OK);
    assert_has(a.text, PROSE2);
    sr_article_free(&a);
}

/* head + fill + tail, malloc'd: pages whose long class names are built at
 * run time. */
static char *page_with(const char *head, const char *fill, const char *tail)
{
    size_t a = strlen(head), b = strlen(fill), c = strlen(tail);
    char *p = malloc(a + b + c + 1);
    assert_non_null(p);
    memcpy(p, head, a);
    memcpy(p + a, fill, b);
    memcpy(p + a + b, tail, c + 1);
    return p;
}

/* Class and id words (extract.c's one-pass matcher): boilerplate and
 * article-body words count in the first 256 bytes of a class or id, the
 * screen-reader words anywhere; case does not matter; the article word
 * in an id wins over a boilerplate class on the same element. */
static void test_class_and_id_words(void **state)
{
    (void)state;
    char fill[301];
    const char *head = "<html><body><article><p>" PROSE "</p><p>" PROSE2 "</p><div class=\"";
    const char *tail = " sidebar\"><p>" PROSE3 "</p></div></article></body></html>";
    /* "sidebar" ends at byte 248: a boilerplate wrapper, dropped */
    memset(fill, 'x', 240);
    fill[240] = '\0';
    char *p = page_with(head, fill, tail);
    sr_article a = extract(p, NULL, NULL);
    assert_has(a.text, PROSE2);
    assert_lacks(a.text, "monitoring mission");
    sr_article_free(&a);
    free(p);
    /* ... ends at byte 258: past what is looked at, kept */
    memset(fill, 'x', 250);
    fill[250] = '\0';
    p = page_with(head, fill, tail);
    a = extract(p, NULL, NULL);
    assert_has(a.text, PROSE3);
    sr_article_free(&a);
    free(p);
    /* a screen-reader class 300 bytes in still hides its text */
    memset(fill, 'y', 300);
    fill[300] = '\0';
    p = page_with("<html><body><article><p>" PROSE " <span class=\"", fill,
                  " SR-only\">Hidden words here</span></p><p>" PROSE2
                  "</p></article></body></html>");
    a = extract(p, NULL, NULL);
    assert_has(a.text, PROSE2);
    assert_lacks(a.text, "Hidden words");
    sr_article_free(&a);
    free(p);
    /* id="Article-Body" beats class="Comments": the paragraph outside goes */
    a = extract("<html><body><div class=\"Comments\" id=\"Article-Body\"><p>" PROSE "</p><p>"
                PROSE2 "</p></div><div><p>" PROSE3 "</p></div></body></html>", NULL, NULL);
    assert_has(a.text, PROSE2);
    assert_lacks(a.text, "monitoring mission");
    sr_article_free(&a);
    /* JSON-LD is found by a type attribute in any case */
    a = extract("<html><head><script type=\"Application/LD+JSON\">{\"headline\":\"Ceasefire "
                "extended for thirty days\"}</script></head><body><article><p>" PROSE "</p><p>"
                PROSE2 "</p></article></body></html>", NULL, NULL);
    assert_non_null(a.title);
    assert_string_equal(a.title, "Ceasefire extended for thirty days");
    sr_article_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boilerplate_dropped),
        cmocka_unit_test(test_article_stream),
        cmocka_unit_test(test_tree_rules),
        cmocka_unit_test(test_raw_text_and_references),
        cmocka_unit_test(test_broken_markup),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_many_unclosed_raw_elements),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_charsets),
        cmocka_unit_test(test_errors_and_edges),
        cmocka_unit_test(test_class_and_id_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
