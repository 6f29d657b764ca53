/*
 * Replay saved fuzz inputs without libFuzzer: runs LLVMFuzzerTestOneInput
 * (of fuzz_sheet.c, or of fuzz_xmlscan.c in replay_xmlscan) over every file
 * in the directories and files given, so the normal and sanitizer test runs
 * catch any regression of a crash the fuzzer once found.  Prints
 * "ok - replay N inputs" (TAP) and exits 0; a crash ends the process, which
 * the test runner reports.
 *
 * Built with REPLAY_SANDBOX (the readers' replay), inputs that are Excel
 * 97-2003 workbooks go the server's way instead: freexl has bugs of its own
 * that we cannot fix (fuzz/regress/freexl-*), so they are read in the
 * sandboxed child (src/import/sandboxed.h), which must end without harm to
 * this process; the freexl-* inputs must be refused with the Dutch
 * "beschadigd" message.  Every other input is replayed in process.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef REPLAY_SANDBOX
#include "../src/import/sandboxed.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count, sandboxed;

#ifdef REPLAY_SANDBOX
/* An xls input through the sandbox; exits 1 when it is not as it must be. */
static void
run_sandboxed_xls(const char *path, const unsigned char *p, size_t n)
{
	const char *base = strrchr(path, '/');
	struct reader_limits rl;
	struct roster_opts o;
	struct roster_file f;
	struct roster_source src;
	struct sheet_error e;
	struct sandbox_report why;
	enum err rc;

	base = base ? base + 1 : path;
	reader_limits_default(&rl);
	roster_opts_default(&o, 20250901);
	rc = read_sandboxed(p, n, NULL, &o, &rl, &f, &src, &e, &why);
	roster_file_release(&f);
	if (why.result == SANDBOX_MALFORMED || why.result == SANDBOX_NO_START ||
	    (strncmp(base, "freexl-", 7) == 0 &&
	     (rc == ERR_OK || strstr(sheet_problem_text(e.problem, LANG_NL),
	                             "beschadigd") == NULL))) {
		printf("1..1\nnot ok 1 - %s: %s, %s (%s)\n", path,
		       sandbox_result_str(why.result),
		       sheet_problem_str(e.problem), e.detail);
		exit(1);
	}
	sandboxed++;
}
#endif

static void
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t n = 0, alloc = 0, got;

	if (f == NULL)
		return;
	do {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 65536;
			p = realloc(p, alloc);
			if (p == NULL)
				abort();
		}
		got = fread(p + n, 1, alloc - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
#ifdef REPLAY_SANDBOX
	{
		struct sheet_error e;

		if (sheet_sniff(p, n, &e) == SHEET_FMT_XLS) {
			run_sandboxed_xls(path, p, n);
			free(p);
			count++;
			return;
		}
	}
#endif
	LLVMFuzzerTestOneInput(p, n);
	free(p);
	count++;
}

static void
run(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		run(sub);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		run(argv[i]);
	printf("1..1\nok 1 - replay %u inputs (%u in the sandbox)\n", count,
	       sandboxed);
	return 0;
}
