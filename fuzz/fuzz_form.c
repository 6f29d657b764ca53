/*
 * libFuzzer target for src/http/form.c: http_form_parse() on any bytes,
 * checked against a second parser written to be obviously right (split on
 * '&', skip empty fields, split on the first '=', decode '+' and %XX) that
 * keeps the contract of http.h: the same fields in the same order, each
 * name and value NUL-terminated inside the body's own buffer, never more
 * than max_fields of them, ERR_LIMIT past max_fields, ERR_INVALID for a
 * malformed escape, an encoded NUL (%00) or a NUL byte in the body (which
 * refuses the whole body before any field).  A difference is printed and
 * abort()ed.
 *
 * Input: one byte whose value modulo 40 is max_fields (a space, 32, is the
 * server's limit), then the body as it came off the wire.
 *
 * fuzz/replay.c runs this same function over saved inputs (fuzz/regress/
 * form-*, fuzz/seeds/form/) without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELDS 40

/* The fields one parser gave, each name and value as "name=value". */
struct fields {
	char *text[MAX_FIELDS + 1];
	unsigned n;
	const char *lo, *hi; /* the body's buffer, for the real parser */
};

static void
fields_release(struct fields *f)
{
	for (unsigned i = 0; i < f->n; i++)
		free(f->text[i]);
	f->n = 0;
}

static void
fields_add(struct fields *f, const char *name, size_t nlen, const char *value,
           size_t vlen)
{
	char *t = malloc(nlen + vlen + 2);

	if (t == NULL || f->n > MAX_FIELDS)
		abort();
	memcpy(t, name, nlen);
	t[nlen] = '=';
	memcpy(t + nlen + 1, value, vlen);
	t[nlen + vlen + 1] = '\0';
	f->text[f->n++] = t;
}

/* The real parser's callback: both strings must end inside the buffer
 * (a value of a field without '=' is the constant ""). */
static void
each(const char *name, const char *value, void *arg)
{
	struct fields *f = arg;
	const char *end;

	if (name < f->lo || name >= f->hi ||
	    (end = memchr(name, '\0', (size_t)(f->hi - name))) == NULL) {
		fprintf(stderr, "a name is not NUL-terminated in the body\n");
		abort();
	}
	if (*value != '\0' &&
	    (value < f->lo || value >= f->hi ||
	     memchr(value, '\0', (size_t)(f->hi - value)) == NULL)) {
		fprintf(stderr, "a value is not NUL-terminated in the body\n");
		abort();
	}
	if (f->n == MAX_FIELDS) {
		fprintf(stderr, "more fields than max_fields\n");
		abort();
	}
	fields_add(f, name, (size_t)(end - name), value, strlen(value));
}

static int
hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* Decode p[0..n) into out (n + 1 bytes); its length, or -1 when invalid. */
static long
ref_decode(const uint8_t *p, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '+') {
			out[o++] = ' ';
		} else if (p[i] == '%') {
			if (i + 2 >= n || hex(p[i + 1]) < 0 ||
			    hex(p[i + 2]) < 0)
				return -1;
			out[o] = (char)(hex(p[i + 1]) * 16 + hex(p[i + 2]));
			if (out[o++] == '\0')
				return -1;
			i += 2;
		} else {
			out[o++] = (char)p[i];
		}
	}
	return (long)o;
}

/* The reference: what http_form_parse() must do with p[0..n). */
static enum err
ref_parse(const uint8_t *p, size_t n, unsigned max, struct fields *f)
{
	size_t start = 0;
	unsigned count = 0;

	if (memchr(p, '\0', n) != NULL)
		return ERR_INVALID;
	while (start < n) {
		const uint8_t *amp = memchr(p + start, '&', n - start);
		size_t end = amp ? (size_t)(amp - p) : n, eq;
		char *name, *value;
		long nl, vl = 0;

		if (end == start) {
			start = end + 1;
			continue;
		}
		if (++count > max)
			return ERR_LIMIT;
		for (eq = start; eq < end && p[eq] != '='; eq++)
			;
		name = malloc(end - start + 1);
		value = malloc(end - start + 1);
		if (name == NULL || value == NULL)
			abort();
		nl = ref_decode(p + start, eq - start, name);
		if (nl >= 0 && eq < end)
			vl = ref_decode(p + eq + 1, end - eq - 1, value);
		if (nl < 0 || vl < 0) {
			free(name);
			free(value);
			return ERR_INVALID;
		}
		fields_add(f, name, (size_t)nl, value, (size_t)vl);
		free(name);
		free(value);
		start = end + 1;
	}
	return ERR_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fields got = { .n = 0 }, want = { .n = 0 };
	unsigned max;
	char *body;
	enum err rc, ref;

	if (size < 1)
		return 0;
	max = data[0] % MAX_FIELDS;
	data++;
	size--;
	/* As the server holds a body: its bytes and a NUL after them. */
	body = malloc(size + 1);
	if (body == NULL)
		abort();
	memcpy(body, data, size);
	body[size] = '\0';
	got.lo = body;
	got.hi = body + size + 1;
	rc = http_form_parse(body, size, max, each, &got);
	ref = ref_parse(data, size, max, &want);
	if (rc != ref || got.n != want.n) {
		fprintf(stderr,
		        "http_form_parse gave %d with %u fields, the reference "
		        "%d with %u (max_fields %u)\n",
		        (int)rc, got.n, (int)ref, want.n, max);
		abort();
	}
	for (unsigned i = 0; i < got.n; i++)
		if (strcmp(got.text[i], want.text[i]) != 0) {
			fprintf(stderr,
			        "field %u: \"%s\", the reference \"%s\"\n", i,
			        got.text[i], want.text[i]);
			abort();
		}
	fields_release(&got);
	fields_release(&want);
	free(body);
	return 0;
}
