/*
 * Replays every file in fuzz/corpus/roster/ through the fuzz target, so
 * that each crash the fuzzer once found stays fixed in the normal test run
 * (and under the sanitizers with make asan).  Run from the repository root
 * (tests/run.sh does).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../fuzz/fuzz_roster.c"

#define CORPUS "fuzz/corpus/roster"

static void
corpus_files_read_without_crashing(void **state)
{
	DIR *d = opendir(CORPUS);
	struct dirent *e;
	size_t files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512];
		uint8_t data[1 << 16];
		size_t n;
		FILE *fp;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS, e->d_name);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		n = fread(data, 1, sizeof(data), fp);
		fclose(fp);
		assert_int_equal(LLVMFuzzerTestOneInput(data, n), 0);
		files++;
	}
	closedir(d);
	assert_true(files >= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_files_read_without_crashing),
	};

	return cmocka_run_group_tests_name("roster_fuzz_replay", tests, NULL,
	                                   NULL);
}
