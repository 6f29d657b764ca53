/*
 * Reading an uploaded file in a sandboxed child (issue 12, point 9): the
 * one way the server and the command line turn a file's bytes into a
 * student list.  roster_read_bytes() runs in a child process
 * (src/base/sandbox.h) with the reader limits below; the child sends the
 * result back encoded (src/roster/wire.h), and the parent decodes it
 * trusting nothing.  A child that crashes, passes its memory, CPU or
 * output limit, or sends something malformed is a refused file
 * (SHEET_P_SANDBOX, "beschadigd of te groot"; past the time limit
 * SHEET_P_TIMEOUT), never harm to the caller.
 */
#ifndef BIEBSYNC_IMPORT_SANDBOXED_H
#define BIEBSYNC_IMPORT_SANDBOXED_H

#include "../base/sandbox.h"
#include "../roster/book.h"

/* The child's limits ([imports] reader_memory and reader_seconds), and
 * how it starts. */
struct reader_limits {
	uint64_t memory;  /* bytes the reader may allocate; 0: no limit */
	unsigned seconds; /* CPU seconds; the wall-clock deadline is twice
	                     that */
	const char *exe;  /* NULL: a forked copy of this process reads;
	                     else this biebsync binary is started (with
	                     READER_ARG) and reads: a fresh process that holds
	                     nothing but the file (sandbox_exec).  The
	                     command line sets "/proc/self/exe" (config.c),
	                     so the server and the commands always do so. */
};

/* The hidden argument that makes biebsync a reader child
 * (reader_child_main). */
#define READER_ARG "--sandboxed-reader"

/* The defaults: 2 GiB (room for the 2,000,000 students of
 * roster_opts_default and the sheet limits' 256 MiB of shared strings) and
 * 120 s (sheet_limits_default's time for one read). */
void reader_limits_default(struct reader_limits *l);

/*
 * roster_read_bytes() in a sandboxed child: the same arguments and the
 * same results.  why (may be NULL) says how the child ended (SANDBOX_OK
 * when the read itself succeeded or refused the file); when it is not
 * SANDBOX_OK, e->problem is SHEET_P_SANDBOX or SHEET_P_TIMEOUT and
 * e->detail names the reason in English ("reader process: crashed
 * (signal 11)").
 */
enum err read_sandboxed(const void *data, size_t len,
                        const struct sheet_limits *lim,
                        const struct roster_opts *opts,
                        const struct reader_limits *rl, struct roster_file *out,
                        struct roster_source *src, struct sheet_error *e,
                        struct sandbox_report *why);

/* The body of `biebsync --sandboxed-reader`, started by read_sandboxed:
 * read the job from descriptor 0, enter the sandbox, read the file, write
 * the encoded result to descriptor 1.  Returns the exit status. */
int reader_child_main(void);

/*
 * Run fn(ctx) in a sandboxed child that may write to the descriptor fd
 * (the check command's dumps to standard output) and start threads;
 * prepare (may be NULL) runs in the child before the filter and should
 * call sheet_prepare_sandbox() when fn reads spreadsheets.
 * Returns how it ended; fn's return value is the child's exit status.
 */
enum sandbox_result run_sandboxed(const struct reader_limits *rl,
                                  sandbox_prepare_fn prepare, sandbox_fn fn,
                                  void *ctx, int fd,
                                  struct sandbox_report *why);

/* The problem and English detail for a child that ended badly. */
void sandbox_problem(const struct sandbox_report *r, struct sheet_error *e);

#endif
