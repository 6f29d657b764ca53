/*
 * Capped, NUL-terminated growable buffers (see buf.h for the contract).
 * Growth doubles the allocation but never past max + 1, so a cap is also a
 * cap on memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

void
buf_init(struct buf *b, size_t max)
{
	b->alloc = max < 64 ? max + 1 : 64;
	b->data = xmalloc(b->alloc);
	b->data[0] = '\0';
	b->len = 0;
	b->max = max;
	b->err = ERR_OK;
}

void
buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

void
buf_release_secret(struct buf *b)
{
	if (b == NULL || b->data == NULL)
		return;
	mem_wipe(b->data, b->alloc);
	buf_release(b);
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;

	if (len != NULL)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
	b->err = ERR_OK;
}

/* Make room for n more bytes plus the NUL, within the cap. */
static enum err
grow(struct buf *b, size_t n)
{
	size_t want, na;

	if (n > b->max - b->len) {
		if (b->err == ERR_OK)
			b->err = ERR_LIMIT;
		return ERR_LIMIT;
	}
	want = b->len + n + 1;
	if (want <= b->alloc)
		return ERR_OK;
	na = b->alloc;
	while (na < want)
		na = na > (b->max + 1) / 2 ? b->max + 1 : na * 2;
	b->data = xrealloc(b->data, na);
	b->alloc = na;
	return ERR_OK;
}

enum err
buf_add(struct buf *b, const void *p, size_t n)
{
	enum err e = grow(b, n);

	if (e != ERR_OK)
		return e;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ERR_OK;
}

/* buf_addz when the buffer has to grow or is full. */
enum err
buf_addz_grow(struct buf *b, const void *p, size_t n)
{
	/* n + 1 would wrap for SIZE_MAX, which grow refuses as it is */
	enum err e = grow(b, n < SIZE_MAX ? n + 1 : n);

	if (e != ERR_OK)
		return e;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n + 1;
	b->data[b->len - 1] = '\0';
	b->data[b->len] = '\0';
	return ERR_OK;
}

enum err
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum err
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum err
buf_add_json(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			buf_addf(b, "\\u%04x", c);
		else
			buf_addc(b, (char)c);
	}
	return buf_addc(b, '"');
}

enum err
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	enum err e;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return b->err = ERR_INVALID;
	if ((e = grow(b, (size_t)n)) != ERR_OK)
		return e;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return ERR_OK;
}

enum err
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum err e;

	va_start(ap, fmt);
	e = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return e;
}
