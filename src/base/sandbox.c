/*
 * The sandboxed child process behind sandbox.h: fork (and exec), shed
 * descriptors, rlimits, no_new_privs, a seccomp allow-list (libseccomp),
 * run, _exit; the parent reads with a deadline and a cap and classifies
 * the end.
 *
 * The allow-list was found with strace -f on the shared corpus read by
 * every reader (xlsx, xls, ods, csv, EDEXML) and the check dumps: the
 * readers only allocate, write their output and exit.  Sanitizer builds
 * need a few more calls for their runtime (sanitizer_extra below).  The
 * filter's default is SCMP_ACT_KILL_PROCESS: an unexpected call ends the
 * child with SIGSYS, which the parent reports as a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "cpus.h"
#include "mem.h"
#include "sandbox.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||     \
        __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* The child could not set itself up: it never ran the function. */
#define EXIT_SETUP 114

static const char *const result_str[SANDBOX__MAX] = {
	[SANDBOX_OK] = "ok",
	[SANDBOX_FAILED] = "failed",
	[SANDBOX_CRASHED] = "crashed",
	[SANDBOX_CPU] = "cpu limit",
	[SANDBOX_MEMORY] = "memory limit",
	[SANDBOX_TIMEOUT] = "timeout",
	[SANDBOX_TOO_MUCH] = "output too large",
	[SANDBOX_MALFORMED] = "malformed output",
	[SANDBOX_NO_START] = "not started",
};

const char *
sandbox_result_str(enum sandbox_result r)
{
	return (unsigned)r < SANDBOX__MAX ? result_str[r] : "unknown";
}

bool
sandbox_memory_limited(void)
{
	return !SANITIZED;
}

static bool in_child;

bool
sandbox_in_child(void)
{
	return in_child;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the child ---- */

/* Close every descriptor but the (up to three) in keep. */
static void
close_others(int a, int b, int c)
{
	int keep[3] = { a, b, c }, t;
	unsigned lo = 0;

	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (keep[j] < keep[i]) {
				t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
	for (int i = 0; i < 3; i++) {
		if (keep[i] < 0 || (unsigned)keep[i] < lo)
			continue;
		if ((unsigned)keep[i] > lo)
			close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

/* What the child has now, from /proc/self/statm (read before the filter):
 * its address space and its data (private writable memory, what
 * RLIMIT_DATA counts); zeros when it cannot be read. */
struct vm {
	uint64_t size, data;
};

static struct vm
vm_now(void)
{
	char s[128];
	uint64_t field[6] = { 0 }, page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct vm v = { 0, 0 };
	ssize_t n;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC), k = 0;

	if (fd < 0)
		return v;
	n = read(fd, s, sizeof(s) - 1);
	close(fd);
	/* size resident shared text lib data */
	for (ssize_t i = 0; i < n && k < 6; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			field[k] = field[k] * 10 + (uint64_t)(s[i] - '0');
		else
			k++;
	}
	v.size = field[0] * page;
	v.data = field[5] * page;
	return v;
}

static void
limit(int what, rlim_t soft, rlim_t hard)
{
	struct rlimit r = { soft, hard };

	setrlimit(what, &r);
}

static void
set_limits(const struct sandbox_limits *l, unsigned flags, int keep_fd,
           struct vm vm)
{
	if (l->cpu_seconds > 0)
		limit(RLIMIT_CPU, l->cpu_seconds, l->cpu_seconds + 1);
	/* Both: a forked child inherits the server's malloc arenas, address
	 * space reserved but not yet writable, which RLIMIT_AS has already
	 * counted; making it writable counts against RLIMIT_DATA. */
	if (l->memory > 0 && sandbox_memory_limited()) {
		limit(RLIMIT_AS, vm.size + l->memory, vm.size + l->memory);
		limit(RLIMIT_DATA, vm.data + l->memory, vm.data + l->memory);
	}
	/* no file grows; a caller's descriptor may be a file (the check
	 * command's stdout redirected): writing to it must work */
	if (keep_fd < 0)
		limit(RLIMIT_FSIZE, 0, 0);
	limit(RLIMIT_CORE, 0, 0);
	limit(RLIMIT_NOFILE, 8, 8);
	if (!(flags & SANDBOX_THREADS))
		limit(RLIMIT_NPROC, 0, 0);
}

#define ALLOW(f, call, ...)                                                    \
	(seccomp_rule_add((f), SCMP_ACT_ALLOW, SCMP_SYS(call), __VA_ARGS__) == \
	 0)

/* Calls the sanitizers' runtime makes on its own (reports, allocator). */
static bool
sanitizer_extra(scmp_filter_ctx f)
{
	return ALLOW(f, sigaltstack, 0) && ALLOW(f, prctl, 0) &&
	       ALLOW(f, sched_yield, 0) && ALLOW(f, getrusage, 0) &&
	       ALLOW(f, sched_getaffinity, 0);
}

static bool
load_filter(unsigned flags, int out, int keep_fd)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	pid_t self = getpid();
	bool ok;

	/* Where seccomp(2) itself is filtered (systemd's @system-service
	 * does not list it), libseccomp cannot ask whether KILL_PROCESS is
	 * there: kill the thread instead (the whole child when it has one
	 * thread; otherwise the parent's deadline ends the rest). */
	if (f == NULL)
		f = seccomp_init(SCMP_ACT_KILL);
	if (f == NULL)
		return false;
	ok =
	        /* memory: never executable */
	        ALLOW(f, brk, 0) &&
	        ALLOW(f, mmap, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) &&
	        ALLOW(f, mprotect, 1,
	              SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) &&
	        ALLOW(f, munmap, 0) && ALLOW(f, mremap, 0) &&
	        ALLOW(f, madvise, 0) &&
	        /* output: the pipe, the caller's descriptor; stderr only
	         * for the command line (its messages) and the sanitizers'
	         * reports, not into the server's log */
	        ALLOW(f, write, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)out)) &&
	        ((keep_fd < 0 && !SANITIZED) ||
	         ALLOW(f, write, 1, SCMP_A0(SCMP_CMP_EQ, 2))) &&
	        (keep_fd < 0 ||
	         ALLOW(f, write, 1,
	               SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)keep_fd))) &&
	        /* the end, clocks, locks */
	        ALLOW(f, exit_group, 0) && ALLOW(f, exit, 0) &&
	        ALLOW(f, rt_sigreturn, 0) && ALLOW(f, futex, 0) &&
	        ALLOW(f, clock_gettime, 0) && ALLOW(f, gettimeofday, 0) &&
	        ALLOW(f, restart_syscall, 0) &&
	        /* expat's hash salt; glibc's qsort asks for the memory
	         * size before it allocates a large merge buffer */
	        ALLOW(f, getrandom, 0) && ALLOW(f, sysinfo, 0) &&
	        /* abort(): signals to itself only; pthread_create
	         * installs a handler */
	        ALLOW(f, rt_sigprocmask, 0) && ALLOW(f, rt_sigaction, 0) &&
	        ALLOW(f, getpid, 0) && ALLOW(f, gettid, 0) &&
	        ALLOW(f, tgkill, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
	if (ok && (flags & SANDBOX_THREADS))
		/* threads, never processes: glibc tries clone3 first, whose
		 * flags a filter cannot see, and falls back to clone */
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS),
		                      SCMP_SYS(clone3), 0) == 0 &&
		     ALLOW(f, clone, 1,
		           SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD,
		                   CLONE_THREAD)) &&
		     ALLOW(f, set_robust_list, 0) && ALLOW(f, rseq, 0);
	if (ok && SANITIZED)
		ok = sanitizer_extra(f);
	/* There, too, API level 1 loads with prctl(PR_SET_SECCOMP), which
	 * @process allows. */
	if (ok && seccomp_load(f) != 0)
		ok = seccomp_api_set(1) == 0 && seccomp_load(f) == 0;
	seccomp_release(f);
	return ok;
}

/* Everything the child does before its work: descriptors, limits,
 * filter.  false when the limits or the filter could not be set. */
static bool
enter(const struct sandbox_limits *l, unsigned flags,
      sandbox_prepare_fn prepare, int out, int keep_fd)
{
	sigset_t all;
	struct vm vm;

	in_child = true;
	mem_oom_exit(SANDBOX_EXIT_MEMORY);
	/* the server's threads block some signals; the CPU limit needs
	 * SIGXCPU's default action */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGXCPU, SIG_DFL);
	signal(SIGPIPE, SIG_IGN); /* a reader that went away: EPIPE */
	close_others(out, 2, keep_fd);
	cpus_online(); /* cached now: the readers ask, /sys is shut after */
	if (prepare != NULL)
		prepare();
	vm = vm_now();
	set_limits(l, flags, keep_fd, vm);
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	       load_filter(flags, out, keep_fd);
}

bool
sandbox_enter(const struct sandbox_limits *l, unsigned flags,
              sandbox_prepare_fn prepare, int out)
{
	return enter(l, flags, prepare, out, -1);
}

static void
child(const struct sandbox_limits *l, unsigned flags,
      sandbox_prepare_fn prepare, sandbox_fn fn, void *ctx, int out,
      int keep_fd)
{
	if (!enter(l, flags, prepare, out, keep_fd))
		_exit(EXIT_SETUP);
	_exit(fn(ctx, out));
}

/* ---- the parent ---- */

static enum sandbox_result
classify(int status)
{
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 0)
			return SANDBOX_OK;
		if (WEXITSTATUS(status) == SANDBOX_EXIT_MEMORY)
			return SANDBOX_MEMORY;
		return SANDBOX_FAILED;
	}
	/* SIGXCPU at the soft CPU limit, SIGKILL at the hard one (only the
	 * kernel sends it: the parent's own kills are told apart) */
	if (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)
		return SANDBOX_CPU;
	return SANDBOX_CRASHED;
}

/* Read the child's output from fd (closed here) until it ends, with the
 * deadline and the cap, then reap the child, killing it when it must. */
static enum sandbox_result
collect(pid_t pid, int fd, int64_t deadline, const struct sandbox_limits *l,
        struct buf *out, struct sandbox_report *r)
{
	enum sandbox_result killed = SANDBOX_OK;
	char chunk[65536];
	size_t got = 0;
	int status = 0;

	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		int64_t left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			killed = SANDBOX_TIMEOUT;
			break;
		}
		n = poll(&pf, 1, left > 60000 ? 60000 : (int)left);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got > l->output_max ||
		    buf_add(out, chunk, (size_t)n) != ERR_OK) {
			killed = SANDBOX_TOO_MUCH;
			break;
		}
	}
	close(fd);
	/* the output is complete; the child should be gone at once */
	while (killed == SANDBOX_OK) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		struct timespec ms = { 0, 1000000 };

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			killed = SANDBOX_CRASHED; /* cannot happen: ours */
			break;
		}
		if (now_ms() >= deadline)
			killed = SANDBOX_TIMEOUT;
		else
			nanosleep(&ms, NULL);
	}
	if (killed != SANDBOX_OK) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		r->result = killed;
		r->status = SIGKILL;
		return killed;
	}
	r->result = classify(status);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
	return r->result;
}

/* A pipe for the child's output and the child: fork()'s answer, or -1
 * (nothing left open) when either failed. */
static pid_t
fork_piped(int pfd[2])
{
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
	}
	return pid;
}

static int64_t
deadline_of(const struct sandbox_limits *l)
{
	return l->wall_ms > 0 ? now_ms() + l->wall_ms : INT64_MAX;
}

enum sandbox_result
sandbox_run(const struct sandbox_limits *l, unsigned flags,
            sandbox_prepare_fn prepare, sandbox_fn fn, void *ctx, int keep_fd,
            struct buf *out, struct sandbox_report *r)
{
	int64_t deadline = deadline_of(l);
	int pfd[2];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	cpus_online(); /* cached: the child cannot read /sys */
	if ((pid = fork_piped(pfd)) < 0)
		return r->result = SANDBOX_NO_START;
	if (pid == 0) {
		close(pfd[0]);
		child(l, flags, prepare, fn, ctx, pfd[1], keep_fd);
	}
	close(pfd[1]);
	return collect(pid, pfd[0], deadline, l, out, r);
}

enum sandbox_result
sandbox_exec(const struct sandbox_limits *l, const char *exe,
             char *const argv[], int in_fd, struct buf *out,
             struct sandbox_report *r)
{
	int64_t deadline = deadline_of(l);
	int pfd[2];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (lseek(in_fd, 0, SEEK_SET) != 0 || (pid = fork_piped(pfd)) < 0)
		return r->result = SANDBOX_NO_START;
	if (pid == 0) {
		/* only async-signal-safe calls between fork and exec: the
		 * other threads' locks are copied as they were */
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (dup2(in_fd, 0) != 0 || dup2(pfd[1], 1) != 1)
			_exit(EXIT_SETUP);
		close_range(3, ~0U, 0);
		execv(exe, argv);
		_exit(EXIT_SETUP);
	}
	close(pfd[1]);
	return collect(pid, pfd[0], deadline, l, out, r);
}
