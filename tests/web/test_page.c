/*
 * Tests for src/web/page.c's page_local_path, the check on where the
 * language switch (/taal/en?terug=PATH) may send a browser: only a path of
 * this site, never another host ("//evil", "/\evil", "https://evil"), never
 * a header or a query smuggled in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/web/page.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
page_local_path_accepts_the_paths_of_this_site(void **state)
{
	static const char *const ok[] = {
		"/",
		"/aanmelden",
		"/docent/imports",
		"/docent/import/12345",
		"/docent/import/7/ongedaan-maken",
		"/help/uploaden",
		"/docent/voorbeeldbestand.xlsx",
		"/a_b~c",
	};

	(void)state;
	for (size_t i = 0; i < N(ok); i++)
		if (!page_local_path(ok[i]))
			fail_msg("'%s' should be accepted", ok[i]);
}

static void
page_local_path_refuses_other_sites_and_odd_bytes(void **state)
{
	static const char *const bad[] = {
		"",
		"aanmelden",             /* relative */
		"//evil.example",        /* another host, scheme-relative */
		"//evil.example/",       /* the same */
		"///evil.example",       /* browsers fold this too */
		"/\\evil.example",       /* a backslash counts as a slash */
		"\\\\evil.example",      /* the same, twice */
		"/docent//imports",      /* no empty segments anywhere */
		"https://evil.example",  /* a scheme */
		"javascript:alert(1)",   /* a scheme without slashes */
		"/x:y",                  /* no colon at all */
		"/docent/imports?x=1",   /* no query */
		"/docent/imports#top",   /* no fragment */
		"/a b",                  /* no spaces */
		"/a\r\nSet-Cookie: x=1", /* no header injection */
		"/a\tb",
		"/%2F%2Fevil.example", /* no percent-encoding to decode later */
		"/caf\xc3\xa9",        /* ASCII only */
		"/a\"b",
		"/a<b>",
	};

	(void)state;
	assert_false(page_local_path(NULL));
	for (size_t i = 0; i < N(bad); i++)
		if (page_local_path(bad[i]))
			fail_msg("'%s' should be refused", bad[i]);
}

static void
page_local_path_refuses_a_path_that_does_not_fit(void **state)
{
	char path[PAGE_PATH_MAX + 2];

	(void)state;
	path[0] = '/';
	memset(path + 1, 'a', sizeof(path) - 2);
	path[PAGE_PATH_MAX - 1] = '\0'; /* PAGE_PATH_MAX - 1 bytes: fits */
	assert_true(page_local_path(path));
	path[PAGE_PATH_MAX - 1] = 'a';
	path[PAGE_PATH_MAX] = '\0'; /* one byte more: does not */
	assert_false(page_local_path(path));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        page_local_path_accepts_the_paths_of_this_site),
		cmocka_unit_test(
		        page_local_path_refuses_other_sites_and_odd_bytes),
		cmocka_unit_test(
		        page_local_path_refuses_a_path_that_does_not_fit),
	};

	return cmocka_run_group_tests_name("web/page", tests, NULL, NULL);
}
