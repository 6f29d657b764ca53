/*
 * Standard output without stdio (see rawout.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "rawout.h"
#include "../base/mem.h"

/* Big enough that write(2) costs little per byte, small enough for L2. */
#define RAWOUT_SIZE (256u << 10)

void
rawout_init(struct rawout *w, int fd)
{
	w->cap = RAWOUT_SIZE;
	w->buf = xmalloc(w->cap);
	w->len = 0;
	w->fd = fd;
	w->err = 0;
}

void
rawout_release(struct rawout *w)
{
	if (w == NULL)
		return;
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

bool
rawout_flush(struct rawout *w)
{
	size_t done = 0;

	while (done < w->len && w->err == 0) {
		ssize_t k = write(w->fd, w->buf + done, w->len - done);

		if (k > 0)
			done += (size_t)k;
		else if (k < 0 && errno == EINTR)
			continue;
		else
			w->err = k < 0 ? errno : EIO;
	}
	w->len = 0;
	return w->err == 0;
}

char *
rawout_room(struct rawout *w, size_t n)
{
	if (w->fd < 0) {
		/* in memory: keep what is there and double */
		size_t cap = w->cap > n ? w->cap : n;

		while (cap - w->len < n)
			cap *= 2;
		w->buf = xrealloc(w->buf, cap);
		w->cap = cap;
		return w->buf + w->len;
	}
	rawout_flush(w);
	if (n > w->cap) {
		w->buf = xrealloc(w->buf, n);
		w->cap = n;
	}
	return w->buf;
}
