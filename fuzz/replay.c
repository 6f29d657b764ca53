/*
 * Replay saved fuzz inputs without libFuzzer: runs LLVMFuzzerTestOneInput
 * (of fuzz_sheet.c, or of fuzz_xmlscan.c in replay_xmlscan) over every file
 * in the directories and files given, so the normal and sanitizer test runs
 * catch any regression of a crash the fuzzer once found.  Prints
 * "ok - replay N inputs" (TAP) and exits 0; a crash ends the process, which
 * the test runner reports.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count;

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
	printf("1..1\nok 1 - replay %u inputs\n", count);
	return 0;
}
