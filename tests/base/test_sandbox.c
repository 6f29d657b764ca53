/*
 * Tests for src/base/sandbox.c: a function run in the sandboxed child gets
 * its output to the parent intact; whatever the child tries beyond that
 * (opening a file, a socket, signalling its parent, writing into the
 * server's log on stderr, allocating past the
 * memory limit, looping, crashing, writing too much) ends it, and the
 * parent says which; no child is left behind, and the parent's descriptors
 * are not open in the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/base/mem.h"
#include "../../src/base/sandbox.h"

static const struct sandbox_limits lim = {
	.memory = 64u << 20,
	.cpu_seconds = 1,
	.wall_ms = 20000,
	.output_max = 1u << 20,
};

static enum sandbox_result
run(const struct sandbox_limits *l, sandbox_prepare_fn prepare, sandbox_fn fn,
    struct buf *out, struct sandbox_report *r)
{
	return sandbox_run(l, 0, prepare, fn, NULL, -1, out, r);
}

static int
say_hello(void *ctx, int out)
{
	static char big[200000];

	(void)ctx;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	return write(out, big, sizeof(big)) == (ssize_t)sizeof(big) ? 0 : 1;
}

static void
output_arrives_intact(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1u << 20);
	assert_int_equal(run(&lim, NULL, say_hello, &b, &r), SANDBOX_OK);
	assert_int_equal(b.len, 200000);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %zu differs", i);
	buf_release(&b);
}

static int
open_a_file(void *ctx, int out)
{
	int fd = open("/etc/passwd", O_RDONLY);

	(void)ctx;
	(void)!write(out, "opened", fd >= 0 ? 6 : 0);
	return 0;
}

static void
open_is_killed_by_seccomp(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, open_a_file, &b, &r), SANDBOX_CRASHED);
	assert_int_equal(r.status, SIGSYS);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static int
open_a_socket(void *ctx, int out)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)ctx;
	(void)!write(out, "socket", fd >= 0 ? 6 : 0);
	return 0;
}

static void
socket_is_killed_by_seccomp(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, open_a_socket, &b, &r),
	                 SANDBOX_CRASHED);
	assert_int_equal(r.status, SIGSYS);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static int
signal_the_parent(void *ctx, int out)
{
	(void)ctx;
	(void)out;
	kill(getppid(), SIGTERM);
	return 0;
}

static void
signalling_the_parent_is_killed(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, signal_the_parent, &b, &r),
	                 SANDBOX_CRASHED);
	assert_int_equal(r.status, SIGSYS);
	buf_release(&b);
}

static int
write_to_stderr(void *ctx, int out)
{
	(void)ctx;
	(void)out;
	(void)!write(2, "into the server's log\n", 22);
	return 0;
}

static void
writing_to_stderr_is_killed(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	if (!sandbox_memory_limited()) {
		print_message("# sanitizer build: stderr is for its reports\n");
		skip();
	}
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, write_to_stderr, &b, &r),
	                 SANDBOX_CRASHED);
	assert_int_equal(r.status, SIGSYS);
	buf_release(&b);
}

static int
allocate_a_lot(void *ctx, int out)
{
	char *p = xmalloc(256u << 20);

	(void)ctx;
	memset(p, 1, 256u << 20);
	(void)!write(out, p, 1);
	return 0;
}

static void
allocation_past_the_memory_limit_is_reported(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	if (!sandbox_memory_limited()) {
		print_message("# sanitizer build: no address-space limit\n");
		skip();
	}
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, allocate_a_lot, &b, &r),
	                 SANDBOX_MEMORY);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static int
loop_forever(void *ctx, int out)
{
	volatile unsigned long n = 0;

	(void)ctx;
	(void)out;
	for (;;)
		n++;
	return 0;
}

static void
endless_loop_hits_the_cpu_limit(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, loop_forever, &b, &r), SANDBOX_CPU);
	buf_release(&b);
}

static void
endless_loop_hits_the_deadline(void **s)
{
	struct sandbox_limits l = lim;
	struct sandbox_report r;
	struct buf b;

	(void)s;
	l.cpu_seconds = 0;
	l.wall_ms = 300;
	buf_init(&b, 1024);
	assert_int_equal(run(&l, NULL, loop_forever, &b, &r), SANDBOX_TIMEOUT);
	buf_release(&b);
}

static int
crash(void *ctx, int out)
{
	(void)ctx;
	(void)!write(out, "before", 6);
	abort();
}

static void
crash_is_reported(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, crash, &b, &r), SANDBOX_CRASHED);
	assert_int_equal(r.status, SIGABRT);
	buf_release(&b);
}

static int
write_too_much(void *ctx, int out)
{
	static char chunk[65536];

	(void)ctx;
	for (;;)
		if (write(out, chunk, sizeof(chunk)) < 0)
			return 1;
}

static void
output_past_the_cap_is_refused(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 4u << 20);
	assert_int_equal(run(&lim, NULL, write_too_much, &b, &r),
	                 SANDBOX_TOO_MUCH);
	assert_true(b.len <= lim.output_max);
	buf_release(&b);
}

static int
exit_three(void *ctx, int out)
{
	(void)ctx;
	(void)out;
	return 3;
}

static void
exit_status_is_reported(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, NULL, exit_three, &b, &r), SANDBOX_FAILED);
	assert_int_equal(r.status, 3);
	buf_release(&b);
}

/* The parent's descriptor, and what the child found of it (set in the
 * child, after it shed its descriptors and before the filter). */
static int parent_fd = -1;
static char seen = '?';

static void
look_at_parent_fd(void)
{
	seen = fcntl(parent_fd, F_GETFD) < 0 && errno == EBADF ? 'n' : 'y';
}

static int
report_seen(void *ctx, int out)
{
	(void)ctx;
	return write(out, &seen, 1) == 1 ? 0 : 1;
}

static void
parent_descriptors_are_closed_in_the_child(void **s)
{
	struct sandbox_report r;
	struct buf b;

	(void)s;
	parent_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(parent_fd > 2);
	buf_init(&b, 1024);
	assert_int_equal(run(&lim, look_at_parent_fd, report_seen, &b, &r),
	                 SANDBOX_OK);
	assert_string_equal(b.data, "n");
	/* and still open here */
	assert_true(fcntl(parent_fd, F_GETFD) >= 0);
	close(parent_fd);
	buf_release(&b);
}

static void
no_child_is_left_behind(void **s)
{
	static const sandbox_fn fns[] = { say_hello, open_a_file, crash,
		                          write_too_much, exit_three };
	struct sandbox_limits l = lim;
	struct sandbox_report r;
	struct buf b;
	int status;

	(void)s;
	l.output_max = 1000;
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		buf_init(&b, 1u << 20);
		run(&l, NULL, fns[i], &b, &r);
		buf_release(&b);
	}
	assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(output_arrives_intact),
		cmocka_unit_test(open_is_killed_by_seccomp),
		cmocka_unit_test(socket_is_killed_by_seccomp),
		cmocka_unit_test(signalling_the_parent_is_killed),
		cmocka_unit_test(writing_to_stderr_is_killed),
		cmocka_unit_test(allocation_past_the_memory_limit_is_reported),
		cmocka_unit_test(endless_loop_hits_the_cpu_limit),
		cmocka_unit_test(endless_loop_hits_the_deadline),
		cmocka_unit_test(crash_is_reported),
		cmocka_unit_test(output_past_the_cap_is_refused),
		cmocka_unit_test(exit_status_is_reported),
		cmocka_unit_test(parent_descriptors_are_closed_in_the_child),
		cmocka_unit_test(no_child_is_left_behind),
	};

	return cmocka_run_group_tests_name("base/sandbox", tests, NULL, NULL);
}
