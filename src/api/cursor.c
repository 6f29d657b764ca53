/*
 * Cursors of the change feed (cursor.h): the position as "<event>.<seq>",
 * parsed strictly so that one position has exactly one spelling.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "cursor.h"

void
cursor_format(struct feed_pos p, char out[CURSOR_SIZE])
{
	snprintf(out, CURSOR_SIZE, "%" PRId64 ".%" PRId64, p.event, p.seq);
}

/* One number of a cursor at *s, up to stop: digits only, no leading zero
 * (except "0" itself), at most INT64_MAX.  Advances *s past it. */
static bool
number(const char **s, char stop, int64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return false;
	if (*p == '0' && p[1] != stop)
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (*p != stop)
		return false;
	*s = p;
	*out = (int64_t)v;
	return true;
}

bool
cursor_parse(const char *s, struct feed_pos *out)
{
	struct feed_pos p;

	if (s == NULL || !number(&s, '.', &p.event))
		return false;
	s++;
	if (!number(&s, '\0', &p.seq))
		return false;
	*out = p;
	return true;
}
