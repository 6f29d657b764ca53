/*
 * Tests for the command line's file input and raw output: cli_map_file
 * (a regular file mapped, standard input or a pipe read, the size limit,
 * an empty file, a missing one) and rawout (bytes arrive whole and in
 * order through flushes, a request larger than the buffer, a failed write
 * that stays failed, a buffer kept in memory).  Files are written to a private
 * directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testutil.h"
#include "../../src/cli/cli.h"
#include "../../src/cli/rawout.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	tu_tmpdir(f->dir);
	snprintf(f->path, sizeof(f->path), "%s/file", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *s, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* The whole contents of fd from the start. */
static char *
read_back(int fd, size_t *len)
{
	size_t alloc = 1 << 20, n = 0;
	char *p = malloc(alloc);
	ssize_t k;

	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	while ((k = read(fd, p + n, alloc - n)) > 0) {
		n += (size_t)k;
		if (n == alloc)
			p = realloc(p, alloc *= 2);
	}
	*len = n;
	return p;
}

static void
map_file_gives_the_bytes_of_a_regular_file(void **state)
{
	struct fixture *f = *state;
	struct cli_file in;

	write_file(f->path, "a;b\n1;2\n", 8);
	assert_int_equal(cli_map_file(f->path, 100, &in), ERR_OK);
	assert_non_null(in.map);
	assert_int_equal(in.len, 8);
	assert_memory_equal(in.data, "a;b\n1;2\n", 8);
	cli_file_release(&in);
	assert_null(in.data);
}

static void
map_file_of_an_empty_file_gives_no_bytes(void **state)
{
	struct fixture *f = *state;
	struct cli_file in;

	write_file(f->path, "", 0);
	assert_int_equal(cli_map_file(f->path, 100, &in), ERR_OK);
	assert_non_null(in.data);
	assert_int_equal(in.len, 0);
	cli_file_release(&in);
}

static void
map_file_refuses_a_file_above_the_limit(void **state)
{
	struct fixture *f = *state;
	struct cli_file in;

	write_file(f->path, "0123456789", 10);
	assert_int_equal(cli_map_file(f->path, 9, &in), ERR_LIMIT);
	assert_null(in.data);
	cli_file_release(&in);
	assert_int_equal(cli_map_file(f->path, 10, &in), ERR_OK);
	assert_int_equal(in.len, 10);
	cli_file_release(&in);
}

static void
map_file_of_a_missing_file_fails(void **state)
{
	struct fixture *f = *state;
	struct cli_file in;

	assert_int_equal(cli_map_file(f->path, 100, &in), ERR_IO);
	assert_null(in.data);
	cli_file_release(&in);
}

static void
map_file_reads_a_pipe(void **state)
{
	struct fixture *f = *state;
	struct cli_file in;
	int fds[2];

	(void)f;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "x;y\n", 4), 4);
	close(fds[1]);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	clearerr(stdin);
	assert_int_equal(cli_map_file("-", 100, &in), ERR_OK);
	assert_null(in.map);
	assert_int_equal(in.len, 4);
	assert_memory_equal(in.data, "x;y\n", 4);
	cli_file_release(&in);
}

static void
rawout_writes_everything_in_order(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct rawout w;
	size_t len, i, at = 0;
	char *back;

	assert_true(fd >= 0);
	rawout_init(&w, fd);
	/* several buffers' worth, so it is flushed on the way */
	for (i = 0; i < 200000; i++) {
		char *d = rawout_reserve(&w, 16);

		rawout_commit(&w, (size_t)snprintf(d, 16, "%zu\n", i));
	}
	assert_true(rawout_flush(&w));
	rawout_release(&w);
	back = read_back(fd, &len);
	for (i = 0; i < 200000; i++) {
		char want[16];
		size_t n = (size_t)snprintf(want, sizeof(want), "%zu\n", i);

		assert_true(at + n <= len);
		assert_memory_equal(back + at, want, n);
		at += n;
	}
	assert_int_equal(at, len);
	free(back);
	close(fd);
}

static void
rawout_reserve_beyond_the_buffer_grows_it(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	size_t big = 3u << 20, len;
	struct rawout w;
	char *d, *back;

	assert_true(fd >= 0);
	rawout_init(&w, fd);
	memcpy(rawout_reserve(&w, 2), "ab", 2);
	rawout_commit(&w, 2);
	d = rawout_reserve(&w, big);
	memset(d, 'x', big);
	rawout_commit(&w, big);
	assert_true(rawout_flush(&w));
	rawout_release(&w);
	back = read_back(fd, &len);
	assert_int_equal(len, big + 2);
	assert_memory_equal(back, "abxx", 4);
	assert_int_equal(back[len - 1], 'x');
	free(back);
	close(fd);
}

static void
rawout_failed_write_stays_failed(void **state)
{
	struct rawout w;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]); /* nobody reads: EPIPE (SIGPIPE is ignored here) */
	rawout_init(&w, fds[1]);
	memcpy(rawout_reserve(&w, 3), "abc", 3);
	rawout_commit(&w, 3);
	assert_false(rawout_flush(&w));
	assert_true(rawout_failed(&w));
	assert_int_equal(w.err, EPIPE);
	memcpy(rawout_reserve(&w, 3), "def", 3);
	rawout_commit(&w, 3);
	assert_false(rawout_flush(&w));
	rawout_release(&w);
	rawout_release(NULL);
	close(fds[1]);
}

/* With fd -1 nothing is written: everything is kept, growing past the
 * buffer's size, in order, until fd is set and it is flushed (a part of
 * check --cells read on another thread). */
static void
rawout_in_memory_keeps_everything(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct rawout w;
	size_t len, i, at = 0;
	char *back;

	assert_true(fd >= 0);
	rawout_init(&w, -1);
	for (i = 0; i < 200000; i++) {
		char *d = rawout_reserve(&w, 16);

		rawout_commit(&w, (size_t)snprintf(d, 16, "%zu\n", i));
	}
	/* a request larger than what is left, and than the buffer was */
	memset(rawout_reserve(&w, 1u << 20), 'x', 1u << 20);
	rawout_commit(&w, 1u << 20);
	assert_false(rawout_failed(&w));
	w.fd = fd;
	assert_true(rawout_flush(&w));
	rawout_release(&w);
	back = read_back(fd, &len);
	for (i = 0; i < 200000; i++) {
		char want[16];
		size_t n = (size_t)snprintf(want, sizeof(want), "%zu\n", i);

		assert_true(at + n <= len);
		assert_memory_equal(back + at, want, n);
		at += n;
	}
	assert_int_equal(len - at, 1u << 20);
	assert_int_equal(back[len - 1], 'x');
	free(back);
	close(fd);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(map_file_gives_the_bytes_of_a_regular_file),
		T(map_file_of_an_empty_file_gives_no_bytes),
		T(map_file_refuses_a_file_above_the_limit),
		T(map_file_of_a_missing_file_fails),
		T(map_file_reads_a_pipe),
		T(rawout_writes_everything_in_order),
		T(rawout_reserve_beyond_the_buffer_grows_it),
		T(rawout_failed_write_stays_failed),
		T(rawout_in_memory_keeps_everything),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
