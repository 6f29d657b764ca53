/*
 * The sandboxed read (see sandboxed.h): the child reads and encodes, the
 * parent decodes and maps how the child ended to a problem for the user.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sandboxed.h"
#include "../base/mem.h"
#include "../roster/wire.h"

void
reader_limits_default(struct reader_limits *l)
{
	l->memory = (uint64_t)2 << 30;
	l->seconds = 120;
	l->exe = NULL;
}

static void
to_sandbox(const struct reader_limits *rl, size_t output_max,
           struct sandbox_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->memory = rl->memory;
	l->cpu_seconds = rl->seconds;
	l->wall_ms = rl->seconds > 0 ? rl->seconds * 2000u : 0;
	l->output_max = output_max;
}

void
sandbox_problem(const struct sandbox_report *r, struct sheet_error *e)
{
	const char *what = sandbox_result_str(r->result);

	memset(e, 0, sizeof(*e));
	e->problem = r->result == SANDBOX_TIMEOUT || r->result == SANDBOX_CPU
	                     ? SHEET_P_TIMEOUT
	                     : SHEET_P_SANDBOX;
	if (r->result == SANDBOX_CRASHED)
		snprintf(e->detail, sizeof(e->detail),
		         "reader process: %s (signal %d%s)", what, r->status,
		         r->status == 31 ? ", seccomp" : "");
	else if (r->result == SANDBOX_FAILED)
		snprintf(e->detail, sizeof(e->detail),
		         "reader process: %s (status %d)", what, r->status);
	else
		snprintf(e->detail, sizeof(e->detail), "reader process: %s",
		         what);
}

static pthread_once_t prepared = PTHREAD_ONCE_INIT;

struct job {
	const void *data;
	size_t len;
	const struct sheet_limits *lim;
	const struct roster_opts *opts;
};

/* In the child: read, encode, write. */
static int
child_read(void *ctx, int out)
{
	const struct job *j = ctx;
	struct wire_result r;
	struct buf b;
	size_t off = 0;

	r.err = roster_read_bytes(j->data, j->len, j->lim, j->opts, &r.file,
	                          &r.src, &r.e);
	buf_init(&b, SIZE_MAX / 2);
	if (wire_encode(&r, &b) != ERR_OK)
		return 2;
	while (off < b.len) {
		ssize_t w = write(out, b.data + off, b.len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 3;
		off += (size_t)w;
	}
	return 0;
}

/*
 * What a reader child started with READER_ARG reads on descriptor 0: this
 * header, then len bytes of the file.  Raw structs: the child is the same
 * binary (/proc/self/exe stays the running program's file even when it was
 * replaced on disk since).
 */
#define JOB_MAGIC 0x62627372u /* "bbsr" */

struct job_head {
	uint32_t magic;
	struct sandbox_limits limits;
	struct sheet_limits sheet;
	struct roster_opts opts;
	bool has_sheet, has_opts; /* else NULL: the defaults */
	uint64_t len;
};

static bool
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

static bool
read_all(int fd, void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t r = read(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		c += r;
		n -= (size_t)r;
	}
	return true;
}

static bool
is_ole2(const void *data, size_t len)
{
	return len >= 8 &&
	       memcmp(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0;
}

int
reader_child_main(void)
{
	struct job_head h;
	struct job j;
	char *data;

	if (!read_all(0, &h, sizeof(h)) || h.magic != JOB_MAGIC ||
	    h.len > SIZE_MAX / 2)
		return 114;
	data = xmalloc(h.len + 1);
	if (!read_all(0, data, h.len))
		return 114;
	/* the file is read: from here on nothing is opened */
	if (!sandbox_enter(&h.limits, SANDBOX_THREADS,
	                   is_ole2(data, h.len) ? sheet_prepare_sandbox : NULL,
	                   1))
		return 114;
	j = (struct job){ data, h.len, h.has_sheet ? &h.sheet : NULL,
		          h.has_opts ? &h.opts : NULL };
	return child_read(&j, 1);
}

/* Start the reader program on the job; the same results as sandbox_run. */
static void
exec_reader(const struct reader_limits *rl, const struct sandbox_limits *sl,
            const struct job *j, struct buf *b, struct sandbox_report *rep)
{
	struct job_head h;
	static char name[] = "biebsync", arg[] = READER_ARG;
	char *argv[] = { name, arg, NULL };
	int fd = memfd_create("biebsync-upload", MFD_CLOEXEC);

	memset(&h, 0, sizeof(h));
	h.magic = JOB_MAGIC;
	h.limits = *sl;
	if ((h.has_sheet = j->lim != NULL))
		h.sheet = *j->lim;
	if ((h.has_opts = j->opts != NULL))
		h.opts = *j->opts;
	h.len = j->len;
	if (fd < 0 || !write_all(fd, &h, sizeof(h)) ||
	    !write_all(fd, j->data, j->len)) {
		memset(rep, 0, sizeof(*rep));
		rep->result = SANDBOX_NO_START;
	} else {
		sandbox_exec(sl, rl->exe, argv, fd, b, rep);
	}
	if (fd >= 0)
		close(fd);
}

enum err
read_sandboxed(const void *data, size_t len, const struct sheet_limits *lim,
               const struct roster_opts *opts, const struct reader_limits *rl,
               struct roster_file *out, struct roster_source *src,
               struct sheet_error *e, struct sandbox_report *why)
{
	struct job j = { data, len, lim, opts };
	size_t cap = rl->memory > 0 && rl->memory < SIZE_MAX / 2
	                     ? (size_t)rl->memory
	                     : SIZE_MAX / 2;
	struct sandbox_report rep;
	struct sandbox_limits sl;
	struct wire_result res;
	struct buf b;
	enum err rc;

	memset(out, 0, sizeof(*out));
	memset(src, 0, sizeof(*src));
	src->sheet = -1;
	memset(e, 0, sizeof(*e));
	to_sandbox(rl, cap, &sl);
	buf_init(&b, cap);
	if (rl->exe != NULL) {
		exec_reader(rl, &sl, &j, &b, &rep);
	} else {
		/* Only freexl needs files (iconv's code page modules).  A
		 * started reader loads them itself before its filter; for a
		 * forked one they are loaded here, in this process, once,
		 * and stay loaded: the child inherits them and never needs
		 * dlopen, whose lock another thread may hold at the fork.
		 * Needed for an OLE2 compound file only (the magic is
		 * enough; sniffing a large CSV would read all of it). */
		if (is_ole2(data, len))
			pthread_once(&prepared, sheet_prepare_sandbox);
		sandbox_run(&sl, SANDBOX_THREADS, NULL, child_read, &j, -1, &b,
		            &rep);
	}
	if (rep.result == SANDBOX_OK &&
	    wire_decode(b.data, b.len, opts, &res) != ERR_OK)
		rep.result = SANDBOX_MALFORMED;
	buf_release_secret(&b);
	if (why != NULL)
		*why = rep;
	if (rep.result != SANDBOX_OK) {
		sandbox_problem(&rep, e);
		return rep.result == SANDBOX_MEMORY ||
		                       rep.result == SANDBOX_CPU ||
		                       rep.result == SANDBOX_TIMEOUT ||
		                       rep.result == SANDBOX_TOO_MUCH
		               ? ERR_LIMIT
		               : ERR_INVALID;
	}
	*out = res.file;
	*src = res.src;
	*e = res.e;
	rc = res.err;
	return rc;
}

enum sandbox_result
run_sandboxed(const struct reader_limits *rl, sandbox_prepare_fn prepare,
              sandbox_fn fn, void *ctx, int fd, struct sandbox_report *why)
{
	struct sandbox_limits sl;
	struct buf b;

	to_sandbox(rl, 0, &sl);
	buf_init(&b, 0);
	sandbox_run(&sl, SANDBOX_THREADS, prepare, fn, ctx, fd, &b, why);
	buf_release(&b);
	return why->result;
}
