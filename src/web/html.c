/*
 * The escaping HTML writer (see html.h).  Unknown conversions abort: they
 * are programmer errors that must not reach users.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void
html_text(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *ent;

		switch (*s) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_adds(b, ent);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

void
html_raw(struct buf *b, const char *markup)
{
	buf_adds(b, markup);
}

void
html(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *pct;

	va_start(ap, fmt);
	while ((pct = strchr(p, '%')) != NULL) {
		buf_add(b, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == 's') {
			const char *s = va_arg(ap, const char *);

			html_text(b, s ? s : "");
			p++;
		} else if (*p == 'S') {
			const char *s = va_arg(ap, const char *);

			buf_adds(b, s ? s : "");
			p++;
		} else if (*p == 'd') {
			buf_addf(b, "%d", va_arg(ap, int));
			p++;
		} else if (*p == 'u') {
			buf_addf(b, "%u", va_arg(ap, unsigned));
			p++;
		} else if (strncmp(p, "lld", 3) == 0) {
			buf_addf(b, "%lld", va_arg(ap, long long));
			p += 3;
		} else if (*p == '%') {
			buf_addc(b, '%');
			p++;
		} else {
			assert(!"unknown html() conversion");
			abort();
		}
	}
	buf_adds(b, p);
	va_end(ap);
}
