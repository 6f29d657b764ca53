/*
 * Running a function in a sandboxed child process (issue 12, point 9).
 *
 * The readers turn uploaded bytes into rows; a bug in them (or in freexl,
 * libzip, expat) must never harm the server.  sandbox_run() forks, and the
 * child, before it calls the function:
 *   - closes every descriptor but its output pipe, stderr (sanitizer
 *     reports) and one the caller names (the check command's stdout);
 *   - runs the caller's prepare hook, the last moment it may open files
 *     (the xls reader loads iconv's modules there);
 *   - sets rlimits: CPU seconds (soft, then hard one second later), address
 *     space and data (each what the child inherits plus the allowed
 *     amount: inherited malloc arenas are reserved address space; not in
 *     sanitizer builds, whose shadow memory reserves terabytes), no file
 *     writes (FSIZE 0, unless the caller named a descriptor, which
 *     may be a file), few descriptors, no core dump, no new processes
 *     unless threads are allowed;
 *   - sets no_new_privs and a seccomp allow-list whose default kills the
 *     process: memory management without PROT_EXEC, write to its output
 *     (and to stderr when the caller names a descriptor, or in sanitizer
 *     builds), exit, clocks, futex, signals to itself; with
 *     SANDBOX_THREADS also clone for threads (never for processes).
 *     Anything else (open, socket, execve, kill, ptrace, ...) is SIGSYS.
 * The function's return value is the child's exit status (it _exit()s:
 * no atexit handler, no stdio flush).  An allocation that fails in the
 * child ends it with SANDBOX_EXIT_MEMORY (see mem.h).
 *
 * The parent reads the output with a wall-clock deadline and a cap, kills
 * and reaps the child in every case, and says what happened.  The child
 * may not take any lock but malloc's (glibc's malloc is fork-safe): no
 * logging, no stdio, no database.  sandbox_run() may be called from many
 * threads at once.
 */
#ifndef BIEBSYNC_BASE_SANDBOX_H
#define BIEBSYNC_BASE_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The exit status of a child whose allocation failed. */
#define SANDBOX_EXIT_MEMORY 113

struct sandbox_limits {
	uint64_t memory;      /* bytes the child may map beyond what it
	                         inherits; 0: no limit.  Ignored in sanitizer
	                         builds (sandbox_memory_limited()). */
	unsigned cpu_seconds; /* CPU time; 0: no limit */
	unsigned wall_ms;     /* wall-clock deadline; 0: none */
	size_t output_max;    /* bytes of output accepted */
};

enum sandbox_result {
	SANDBOX_OK,        /* exited with status 0 */
	SANDBOX_FAILED,    /* exited with another status */
	SANDBOX_CRASHED,   /* killed by a signal (SIGSYS: seccomp) */
	SANDBOX_CPU,       /* past its CPU seconds */
	SANDBOX_MEMORY,    /* an allocation failed at the memory limit */
	SANDBOX_TIMEOUT,   /* past the wall-clock deadline: killed */
	SANDBOX_TOO_MUCH,  /* more output than output_max: killed */
	SANDBOX_MALFORMED, /* the output does not decode (set by callers) */
	SANDBOX_NO_START,  /* pipe or fork failed */
	SANDBOX__MAX
};

/* A short English name ("crashed", "memory limit", ...).  Never NULL. */
const char *sandbox_result_str(enum sandbox_result r);

struct sandbox_report {
	enum sandbox_result result;
	int status; /* exit status, or the signal that ended the child */
};

/* Flags of sandbox_run(). */
enum {
	SANDBOX_THREADS = 1 << 0, /* the function may start threads */
};

/* The function run in the child: write the output to out, return the
 * exit status (0: success). */
typedef int (*sandbox_fn)(void *ctx, int out);
/* Called in the child before the limits and the filter (may open files);
 * NULL for none. */
typedef void (*sandbox_prepare_fn)(void);

/*
 * Run fn(ctx, pipe) in a sandboxed child.  Its output is appended to out
 * (at most l->output_max bytes; out's own cap also applies).  keep_fd is a
 * descriptor the child keeps and may write to (-1: none).  Returns and
 * fills r->result.
 */
enum sandbox_result sandbox_run(const struct sandbox_limits *l, unsigned flags,
                                sandbox_prepare_fn prepare, sandbox_fn fn,
                                void *ctx, int keep_fd, struct buf *out,
                                struct sandbox_report *r);

/*
 * Run the program exe (argv) as the child instead of a function, for work
 * on data that must not share memory with this process: a forked child
 * holds a copy of all of it (other users' requests, rosters, sessions), and
 * a reader that reads past its buffers could copy some of that into its
 * output.  In the child, in_fd (read from its start) becomes descriptor 0,
 * the output pipe 1, stderr stays 2, every other descriptor is closed, the
 * signal mask is cleared, and exe replaces the process image.  The program
 * reads its input, then calls sandbox_enter() before it touches anything
 * untrusted.  The parent side (deadline, cap, result) is sandbox_run's.
 */
enum sandbox_result sandbox_exec(const struct sandbox_limits *l,
                                 const char *exe, char *const argv[], int in_fd,
                                 struct buf *out, struct sandbox_report *r);

/* In a program started by sandbox_exec: everything sandbox_run's child
 * does before the function (descriptors but out and stderr closed,
 * prepare, limits, no_new_privs, the filter), with output on out.  false
 * when the limits or the filter could not be set: exit then. */
bool sandbox_enter(const struct sandbox_limits *l, unsigned flags,
                   sandbox_prepare_fn prepare, int out);

/* Whether the memory limit is applied (false in sanitizer builds). */
bool sandbox_memory_limited(void);

/* Whether this process is a sandboxed child (for code that must not take
 * locks there, such as logging). */
bool sandbox_in_child(void);

#endif
