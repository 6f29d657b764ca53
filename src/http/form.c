/*
 * Parsing application/x-www-form-urlencoded bodies in place (see http.h).
 * Decoding only shrinks the text, so it is done in the body's own buffer.
 */
#include <string.h>

#include "http.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s in place; ERR_INVALID for a bad escape or an encoded NUL. */
static enum err
decode(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s == '%') {
			int hi = hexval(s[1]), lo;

			if (hi < 0 || (lo = hexval(s[2])) < 0)
				return ERR_INVALID;
			if (hi == 0 && lo == 0)
				return ERR_INVALID;
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return ERR_OK;
}

enum err
http_form_parse(char *body, size_t len, unsigned max_fields,
                void (*each)(const char *, const char *, void *), void *arg)
{
	unsigned n = 0;
	char *p = body, *next, *eq;

	if (memchr(body, '\0', len) != NULL)
		return ERR_INVALID; /* a NUL byte: the rest would be dropped */

	for (; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, '&');
		if (next != NULL)
			*next++ = '\0';
		if (*p == '\0')
			continue;
		if (++n > max_fields)
			return ERR_LIMIT;
		eq = strchr(p, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (decode(p) != ERR_OK || (eq != NULL && decode(eq) != ERR_OK))
			return ERR_INVALID;
		each(p, eq != NULL ? eq : "", arg);
	}
	return ERR_OK;
}
