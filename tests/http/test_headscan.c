/*
 * Tests for src/http/headscan.c: the request-head scanner behind recv().
 * Each case is a head written into one end of a socket pair in pieces
 * ('|' marks where one read ends, so CR and LF can be split across reads)
 * and read back with recv() from the other end, as libmicrohttpd reads it;
 * the case says whether the head must count as bad.  Bytes after the empty
 * line that ends the head are body and never count, and a descriptor that
 * is not watched is never bad.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/http/headscan.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *pieces; /* '|' separates reads */
	bool bad;
} cases[] = {
	{ "GET / HTTP/1.1\r\nHost: x\r\n\r\n", false },
	{ "GET / HTTP/1.1\r|\nHost: x\r|\n\r|\n", false }, /* split CRLF */
	{ "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", false },
	{ "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\nwith\rbare ends", false },
	{ "GET / HTTP/1.1\nHost: x\r\n\r\n", true },              /* bare LF */
	{ "GET / HTTP/1.1\r\nHost: x\n\n", true },                /* bare LF */
	{ "GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n", true }, /* bare CR */
	{ "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", true },         /* obs-fold */
	{ "GET / HTTP/1.1\r\nA: b\r\n|\tc\r\n\r\n", true },       /* obs-fold */
	{ " GET / HTTP/1.1\r\n\r\n", true },
	{ "\r\nGET / HTTP/1.1\nHost: x\r\n\r\n", true },
};

/* Write the pieces of head into one end, read each back from the other. */
static bool
scan(const char *pieces)
{
	int sv[2];
	char buf[256];
	const char *p = pieces;
	bool bad;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	headscan_start(sv[1]);
	while (*p != '\0') {
		size_t n = strcspn(p, "|");

		assert_int_equal(write(sv[0], p, n), (ssize_t)n);
		assert_int_equal(recv(sv[1], buf, sizeof(buf), 0), (ssize_t)n);
		p += n;
		if (*p == '|')
			p++;
	}
	bad = headscan_bad(sv[1]);
	headscan_stop(sv[1]);
	close(sv[0]);
	close(sv[1]);
	return bad;
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		if (scan(cases[i].pieces) != cases[i].bad)
			fail_msg("case %zu: expected %s", i,
			         cases[i].bad ? "bad" : "good");
	}
}

static void
test_unwatched_descriptor_is_never_bad(void **state)
{
	int sv[2];
	char buf[64];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[0], "GET /\n\n", 7), 7);
	assert_int_equal(recv(sv[1], buf, sizeof(buf), 0), 7);
	assert_false(headscan_bad(sv[1]));
	close(sv[0]);
	close(sv[1]);
}

static void
test_start_forgets_a_bad_head(void **state)
{
	int sv[2];
	char buf[64];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	headscan_start(sv[1]);
	assert_int_equal(write(sv[0], "GET /\n\n", 7), 7);
	assert_int_equal(recv(sv[1], buf, sizeof(buf), 0), 7);
	assert_true(headscan_bad(sv[1]));
	headscan_start(sv[1]);
	assert_false(headscan_bad(sv[1]));
	headscan_stop(sv[1]);
	close(sv[0]);
	close(sv[1]);
}

static void
test_peeked_bytes_are_scanned_once_read(void **state)
{
	int sv[2];
	char buf[64];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	headscan_start(sv[1]);
	assert_int_equal(write(sv[0], "GET /\r\nA: b\r\n\r\n", 16), 16);
	assert_int_equal(recv(sv[1], buf, 8, MSG_PEEK), 8);
	assert_int_equal(recv(sv[1], buf, sizeof(buf), 0), 16);
	assert_false(headscan_bad(sv[1]));
	headscan_stop(sv[1]);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_unwatched_descriptor_is_never_bad),
		cmocka_unit_test(test_start_forgets_a_bad_head),
		cmocka_unit_test(test_peeked_bytes_are_scanned_once_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
