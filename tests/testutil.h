/*
 * Helpers shared by the unit tests: a private temporary directory per test
 * file and stores opened in it or in memory.  Everything here is static so
 * that each test program, compiled from one .c file, gets its own copy.
 */
#ifndef BIEBSYNC_TESTS_TESTUTIL_H
#define BIEBSYNC_TESTS_TESTUTIL_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

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

/*
 * The database a store test opens, into url (size 256): "sqlite:DIR/db",
 * or, when BIEBSYNC_TEST_PG_URL names a PostgreSQL server and a database
 * on it that may create databases (tests/pg.sh starts a throw-away one),
 * a fresh empty database made for this call on that server: the same
 * test then runs on the PostgreSQL backend.  The databases go with the
 * throw-away cluster.
 */
static inline void
tu_store_url(const char *dir, char url[256])
{
	const char *pg = getenv("BIEBSYNC_TEST_PG_URL");
	static unsigned n;
	char name[64], sql[128];
	const char *slash;
	PGconn *c;
	PGresult *r;

	if (pg == NULL || *pg == '\0') {
		snprintf(url, 256, "sqlite:%s/db", dir);
		return;
	}
	snprintf(name, sizeof(name), "t_%ld_%u_%lld", (long)getpid(), n++,
	         (long long)time(NULL));
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	c = PQconnectdb(pg);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "tu_store_url: %s", PQerrorMessage(c));
		abort();
	}
	PQclear(r);
	PQfinish(c);
	/* the same URL with this database's name: postgresql://HOST/DB?... */
	slash = strchr(strstr(pg, "://") + 3, '/');
	if (slash == NULL)
		snprintf(url, 256, "%s/%s", pg, name);
	else
		snprintf(url, 256, "%.*s/%s%s", (int)(slash - pg), pg, name,
		         strchr(slash, '?') ? strchr(slash, '?') : "");
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

/*
 * A fresh store for a test that needs no file: in memory (tu_store_memory)
 * or, when BIEBSYNC_TEST_PG_URL is set, a fresh PostgreSQL database
 * (tu_store_url), so that the test runs on both backends (tests/run.sh
 * runs every test whose source calls this or tu_store_url twice).
 */
static inline struct store *
tu_store_fresh(void)
{
	const char *pg = getenv("BIEBSYNC_TEST_PG_URL");
	struct store *st = NULL;
	char url[256], msg[256];

	if (pg == NULL || *pg == '\0')
		return tu_store_memory();
	tu_store_url("", url);
	if (store_open(url, &st, msg, sizeof(msg)) != ERR_OK) {
		fprintf(stderr, "store_open: %s\n", msg);
		abort();
	}
	return st;
}

#endif
