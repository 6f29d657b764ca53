/*
 * Tests for src/web/html.c, the escaping HTML writer: every %s argument is
 * escaped (& < > " ' become entities) so data can never become markup,
 * %S and html_raw pass trusted markup unchanged, the number conversions
 * and %% work, and the classic XSS strings come out inert.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/web/html.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int
setup(void **state)
{
	struct buf *b = malloc(sizeof(*b));

	buf_init(b, 4096);
	*state = b;
	return 0;
}

static int
teardown(void **state)
{
	buf_release(*state);
	free(*state);
	return 0;
}

static void
html_escapes_every_special_character_in_s(void **state)
{
	struct buf *b = *state;

	html(b, "<p>%s</p>", "a & b < c > d \" e ' f");
	assert_string_equal(b->data,
	                    "<p>a &amp; b &lt; c &gt; d &quot; e &#39; f</p>");
	assert_int_equal(b->err, ERR_OK);
}

static void
html_escapes_attribute_values(void **state)
{
	struct buf *b = *state;

	html(b, "<input value=\"%s\">", "\" autofocus onfocus=\"alert(1)");
	assert_string_equal(
	        b->data,
	        "<input value=\"&quot; autofocus onfocus=&quot;alert(1)\">");
}

static void
html_passes_trusted_markup_in_capital_s(void **state)
{
	struct buf *b = *state;

	html(b, "<p>%S</p>", "Zie <a href=\"/help\">hulp</a> &amp; meer");
	assert_string_equal(b->data,
	                    "<p>Zie <a href=\"/help\">hulp</a> &amp; meer</p>");
}

static void
html_writes_numbers_and_percent(void **state)
{
	struct buf *b = *state;

	html(b, "%d|%d|%lld|%u|100%%", -5, 0, 9007199254740993LL, 4000000000u);
	assert_string_equal(b->data, "-5|0|9007199254740993|4000000000|100%");
}

static void
html_treats_null_text_as_empty(void **state)
{
	struct buf *b = *state;

	html(b, "[%s][%S]", (const char *)NULL, (const char *)NULL);
	assert_string_equal(b->data, "[][]");
}

static void
html_mixes_conversions_in_order(void **state)
{
	struct buf *b = *state;

	html(b, "<a href=\"/s/%s\">%s (%d)</a>%S", "a&b", "<De Fontein>", 12,
	     "<br>");
	assert_string_equal(
	        b->data,
	        "<a href=\"/s/a&amp;b\">&lt;De Fontein&gt; (12)</a><br>");
}

static void
html_without_conversions_copies_the_format(void **state)
{
	struct buf *b = *state;

	html(b, "<main id=\"inhoud\">");
	html(b, "");
	assert_string_equal(b->data, "<main id=\"inhoud\">");
}

static void
html_text_neutralises_xss_strings(void **state)
{
	static const struct {
		const char *in, *want;
	} c[] = {
		{ "<script>alert(1)</script>",
		  "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "\"><img src=x onerror=alert(1)>",
		  "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" },
		{ "'><svg/onload=alert(1)>",
		  "&#39;&gt;&lt;svg/onload=alert(1)&gt;" },
		{ "&lt;already escaped&gt;",
		  "&amp;lt;already escaped&amp;gt;" },
		{ "javascript:alert(1)", "javascript:alert(1)" },
	};
	struct buf *b = *state;

	for (size_t i = 0; i < N(c); i++) {
		buf_reset(b);
		html_text(b, c[i].in);
		assert_string_equal(b->data, c[i].want);
		assert_null(strchr(b->data, '<'));
		assert_null(strchr(b->data, '"'));
	}
}

static void
html_text_leaves_plain_and_unicode_text_alone(void **state)
{
	struct buf *b = *state;

	html_text(b, "Caf\xc3\xa9 groep 5/6a");
	html_text(b, "");
	assert_string_equal(b->data, "Caf\xc3\xa9 groep 5/6a");
}

static void
html_text_of_only_specials(void **state)
{
	struct buf *b = *state;

	html_text(b, "<>&\"'");
	assert_string_equal(b->data, "&lt;&gt;&amp;&quot;&#39;");
}

static void
html_raw_appends_unchanged(void **state)
{
	struct buf *b = *state;

	html_raw(b, "<p class=\"x\">&nbsp;</p>");
	assert_string_equal(b->data, "<p class=\"x\">&nbsp;</p>");
}

static void
html_respects_the_buffer_cap(void **state)
{
	struct buf small;

	(void)state;
	buf_init(&small, 10);
	html(&small, "<p>%s</p>", "<<<<<<");
	assert_int_equal(small.err, ERR_LIMIT);
	assert_true(small.len <= 10);
	assert_int_equal(strlen(small.data), small.len);
	buf_release(&small);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(html_escapes_every_special_character_in_s),
		T(html_escapes_attribute_values),
		T(html_passes_trusted_markup_in_capital_s),
		T(html_writes_numbers_and_percent),
		T(html_treats_null_text_as_empty),
		T(html_mixes_conversions_in_order),
		T(html_without_conversions_copies_the_format),
		T(html_text_neutralises_xss_strings),
		T(html_text_leaves_plain_and_unicode_text_alone),
		T(html_text_of_only_specials),
		T(html_raw_appends_unchanged),
		T(html_respects_the_buffer_cap),
	};

	return cmocka_run_group_tests_name("web/html", tests, NULL, NULL);
}
