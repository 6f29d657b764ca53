/*
 * The API's route table (src/api/api.c) against the OpenAPI document
 * compiled into the binary (data/openapi.json): every path the C code
 * serves is a path of the document, and the document has no path the C
 * code does not serve.  (e2e/api-openapi.test.mjs then calls each one.)
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/api/api.h"
#include "../../src/base/asset.h"

/* The document as a NUL-terminated string. */
static char doc[1 << 17];

static void
load(void)
{
	const struct asset *a = asset_find(data_files, "openapi.json");

	assert_non_null(a);
	assert_true(a->len < sizeof(doc));
	memcpy(doc, a->data, a->len);
	doc[a->len] = '\0';
}

static void
every_route_is_documented(void **state)
{
	char key[300];
	size_t n = 0;

	(void)state;
	load();
	for (const char *p; (p = api_route_path(n)) != NULL; n++) {
		snprintf(key, sizeof(key), "\"%s\": {", p);
		if (strstr(doc, key) == NULL)
			fail_msg("route %s is not in openapi.json", p);
	}
	assert_true(n >= 7);
}

static void
every_documented_path_is_a_route(void **state)
{
	const char *p;
	char path[300];

	(void)state;
	load();
	/* the keys of "paths": "/api/v1/...": { */
	for (p = doc; (p = strstr(p, "\"/api/v1/")) != NULL; p++) {
		const char *end = strchr(p + 1, '"');
		bool known = false;
		size_t len;

		assert_non_null(end);
		if (strncmp(end, "\": {", 4) != 0)
			continue; /* a mention in a text */
		len = (size_t)(end - p - 1);
		assert_true(len < sizeof(path));
		memcpy(path, p + 1, len);
		path[len] = '\0';
		for (size_t i = 0; api_route_path(i) != NULL; i++)
			known |= strcmp(api_route_path(i), path) == 0;
		if (!known)
			fail_msg("openapi.json documents %s, which the API does"
			         " not serve",
			         path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_route_is_documented),
		cmocka_unit_test(every_documented_path_is_a_route),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
