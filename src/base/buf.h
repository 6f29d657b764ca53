/*
 * A growable byte buffer with a mandatory cap, always NUL-terminated.
 *
 * A buffer never grows beyond its cap: an append that would exceed it fails
 * with ERR_LIMIT, leaves the buffer as it was and sets the sticky error, so
 * a sequence of appends can be checked once at the end (like sqlite's
 * StrAccum).  data is never NULL after buf_init().
 */
#ifndef BIEBSYNC_BASE_BUF_H
#define BIEBSYNC_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "err.h"

struct buf {
	char *data;   /* NUL-terminated contents */
	size_t len;   /* bytes used, excluding the NUL */
	size_t alloc; /* bytes allocated */
	size_t max;   /* cap on len */
	enum err err; /* first error of any append, sticky */
};

/* Initialise an empty buffer that holds at most max bytes. */
void buf_init(struct buf *b, size_t max);
/* Free the contents; the buffer can be initialised again.  Accepts NULL. */
void buf_release(struct buf *b);
/* Like buf_release, but wipes the contents first (secrets). */
void buf_release_secret(struct buf *b);
/* Hand the contents over to the caller (free() them), leaving b empty but
 * initialised with the same cap: buf_release() it when done. */
char *buf_detach(struct buf *b, size_t *len);
/* Forget the contents but keep the allocation and the cap. */
void buf_reset(struct buf *b);

enum err buf_add(struct buf *b, const void *p, size_t n);
enum err buf_adds(struct buf *b, const char *s);
enum err buf_addc(struct buf *b, char c);
/* Append n bytes and a NUL byte that is part of the contents (len grows by
 * n + 1): strings one after another, as in an arena.  Fails as buf_add
 * when the n + 1 bytes do not fit.  Inline when the buffer has room, as a
 * row's text arena mostly has (src/sheet/row.c). */
enum err buf_addz_grow(struct buf *b, const void *p, size_t n);
static inline enum err
buf_addz(struct buf *b, const void *p, size_t n)
{
	if (n < b->alloc - b->len - 1 && n < b->max - b->len) {
		if (n > 0) /* p may be NULL then */
			memcpy(b->data + b->len, p, n);
		b->len += n + 1;
		b->data[b->len - 1] = '\0';
		b->data[b->len] = '\0';
		return ERR_OK;
	}
	return buf_addz_grow(b, p, n);
}
enum err buf_addf(struct buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
enum err buf_vaddf(struct buf *b, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/* Append s as a JSON string: quoted, with " \\ and control characters
 * escaped. */
enum err buf_add_json(struct buf *b, const char *s);

#endif
