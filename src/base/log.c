/*
 * Writing log lines (see log.h).  A line is formatted into a fixed buffer,
 * escaped, and written with one fputs under stdio's lock, so lines from
 * different threads never interleave.  Overlong lines are truncated.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static enum log_level min_level = LOG_INFO;
static const char *const level_words[] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level level)
{
	min_level = level;
}

/* Bytes that c takes once escaped. */
static size_t
escaped_size(unsigned char c)
{
	return (c < 0x20 || c >= 0x7f || c == '\\') ? 4 : 1;
}

/* true if the rest of s, escaped, fits in room bytes with its NUL. */
static bool
rest_fits(const char *s, size_t room)
{
	size_t n = 1;

	for (; *s != '\0' && n <= room; s++)
		n += escaped_size((unsigned char)*s);
	return n <= room;
}

void
log_escape(const char *s, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (outsz == 0)
		return;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		size_t need = escaped_size(c);

		/* Keep room for "..." unless the rest fits completely. */
		if (o + need + 4 > outsz && !rest_fits(s, outsz - o)) {
			if (o + 4 <= outsz) {
				out[o++] = '.';
				out[o++] = '.';
				out[o++] = '.';
			}
			break;
		}
		if (need == 1) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

void
log_msg(enum log_level level, const char *rid, const char *fmt, ...)
{
	char raw[1024], esc[2048], stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(raw, esc, sizeof(esc));
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s %s%s%s %s\n", stamp, level_words[level],
	        rid ? " rid=" : "", rid ? rid : "", esc);
	funlockfile(stderr);
}
