/*
 * Standard output without stdio for the commands that print a lot (check
 * --cells and its TSV rows): one large buffer, filled in place by the
 * caller and written with write(2), short writes and EINTR handled.
 *
 * The buffer is a fixed size that fits the cache; a request larger than
 * that (a cell near the cell-length limit, escaped) grows it to the size
 * asked for, which the caller bounds.  A write error is sticky: later
 * writes are dropped and rawout_failed() says so, with errno kept.
 *
 * With fd -1 the buffer keeps everything, growing as needed (a part of a
 * sheet read on another thread, check.c), until fd is set and it is
 * flushed; the caller bounds what it puts in.
 */
#ifndef BIEBSYNC_CLI_RAWOUT_H
#define BIEBSYNC_CLI_RAWOUT_H

#include <stdbool.h>
#include <stddef.h>

struct rawout {
	char *buf;
	size_t len, cap;
	int fd;
	int err; /* errno of the first failed write, 0 when none */
};

/* An empty buffer for fd (-1: in memory only). */
void rawout_init(struct rawout *w, int fd);
/* Free the buffer (not written: call rawout_flush first).  Accepts NULL. */
void rawout_release(struct rawout *w);
/* Room for n more bytes at the returned pointer; write them, then add n'
 * (at most n) with rawout_commit.  Flushes first when needed (in
 * rawout_room, called only then). */
char *rawout_room(struct rawout *w, size_t n);
static inline char *
rawout_reserve(struct rawout *w, size_t n)
{
	return n <= w->cap - w->len ? w->buf + w->len : rawout_room(w, n);
}
static inline void
rawout_commit(struct rawout *w, size_t n)
{
	w->len += n;
}
/* Write what is buffered.  false when this or an earlier write failed. */
bool rawout_flush(struct rawout *w);
static inline bool
rawout_failed(const struct rawout *w)
{
	return w->err != 0;
}

#endif
