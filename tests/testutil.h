/*
 * Helpers shared by the unit tests: a private temporary directory per test
 * file and stores opened in it or in memory.  Everything here is static so
 * that each test program, compiled from one .c file, gets its own copy.
 */
#ifndef BIEBSYNC_TESTS_TESTUTIL_H
#define BIEBSYNC_TESTS_TESTUTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/store/store.h"

/* Create a fresh directory under /tmp into dir (size 64). */
static inline void
tu_tmpdir(char dir[64])
{
	snprintf(dir, 64, "/tmp/biebsync-test-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
}

/* Remove dir and the files in it (one level: tests make no subfolders). */
static inline void
tu_rmdir(const char *dir)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

/* Write text to path; aborts on failure (a broken test machine). */
static inline void
tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/* A store in memory: fast, private, gone on close. */
static inline struct store *
tu_store_memory(void)
{
	struct store *st = NULL;
	char msg[256];

	if (store_open("sqlite::memory:", &st, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		abort();
	}
	return st;
}

#endif
