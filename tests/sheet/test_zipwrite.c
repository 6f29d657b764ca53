/*
 * The zip writer (src/sheet/zipwrite.c): what it writes opens with the
 * strict reader of src/sheet/zip.h and gives back the same bytes, deflated
 * where that is smaller and stored where not; the entries carry the
 * given time; a cap that is too small is ERR_LIMIT, never a broken zip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/sheet/sheet.h"
#include "../../src/sheet/zip.h"
#include "../../src/sheet/zipwrite.h"

/* 2026-12-03 12:34:56 UTC */
#define WHEN 1796301296

static void
entries_read_back_byte_for_byte(void **state)
{
	static char repeat[20000];
	static const char *const names[] = { "a.csv", "leeg.csv",
		                             "herhaald.csv" };
	const char *data[] = { "x,y\r\n1,2\r\n", "", repeat };
	size_t lens[] = { 10, 0, sizeof(repeat) };
	struct sheet_limits lim;
	struct sheet_error e;
	struct zipwrite w;
	struct buf out;
	struct zip z;

	(void)state;
	memset(repeat, 'r', sizeof(repeat));
	buf_init(&out, 1 << 20);
	zipwrite_init(&w, &out, WHEN);
	for (int i = 0; i < 3; i++)
		assert_int_equal(zipwrite_add(&w, names[i], data[i], lens[i]),
		                 ERR_OK);
	assert_int_equal(zipwrite_finish(&w), ERR_OK);
	/* the repeated bytes are deflated: the zip is much smaller */
	assert_true(out.len < 2000);

	sheet_limits_default(&lim);
	assert_int_equal(zip_open(&z, out.data, out.len, &lim, &e), ERR_OK);
	assert_int_equal(z.n, 3);
	for (int i = 0; i < 3; i++) {
		struct buf got;

		assert_string_equal(z.e[i].name, names[i]);
		buf_init(&got, 1 << 20);
		assert_int_equal(zip_read(&z, &z.e[i], &got, &e), ERR_OK);
		assert_int_equal(got.len, lens[i]);
		assert_memory_equal(got.data, data[i], lens[i]);
		buf_release(&got);
	}
	assert_int_equal(z.e[0].method, 0); /* too small to deflate */
	assert_int_equal(z.e[2].method, 8);
	/* MS-DOS time and date of 2026-12-03 12:34:56 */
	assert_int_equal(((unsigned char)out.data[10] |
	                  (unsigned char)out.data[11] << 8),
	                 12 << 11 | 34 << 5 | 56 / 2);
	assert_int_equal(((unsigned char)out.data[12] |
	                  (unsigned char)out.data[13] << 8),
	                 (2026 - 1980) << 9 | 12 << 5 | 3);
	zip_close(&z);
	buf_release(&out);
}

static void
too_small_a_cap_is_err_limit(void **state)
{
	char data[600];
	struct zipwrite w;
	struct buf out;

	(void)state;
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof(data); i++) { /* incompressible */
		x = x * 1103515245u + 12345u;
		data[i] = (char)(x >> 24);
	}
	buf_init(&out, 400);
	zipwrite_init(&w, &out, WHEN);
	assert_int_equal(zipwrite_add(&w, "a.bin", data, sizeof(data)),
	                 ERR_LIMIT);
	assert_int_equal(zipwrite_add(&w, "b.bin", "b", 1), ERR_LIMIT);
	assert_int_equal(zipwrite_finish(&w), ERR_LIMIT);
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(entries_read_back_byte_for_byte),
		cmocka_unit_test(too_small_a_cap_is_err_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
