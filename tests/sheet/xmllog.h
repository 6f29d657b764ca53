/*
 * Test helper shared by tests/sheet/test_xmlscan.c and fuzz/fuzz_xmlscan.c:
 * handlers for src/sheet/xml.h that write every call into one string, so
 * the expat path and the fast path (xmlscan.c) can be compared, e.g.
 * "S:c r=A1 t=s|T:12|E:c|".  Text is joined between element events, since
 * either path may report it in other pieces.  Bytes below 0x20, DEL, '%'
 * and '|' (and a space in a name or value) are written as %XX, so the
 * string is unambiguous.
 */
#ifndef BIEBSYNC_TESTS_SHEET_XMLLOG_H
#define BIEBSYNC_TESTS_SHEET_XMLLOG_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../src/base/buf.h"
#include "../../src/sheet/reader.h"
#include "../../src/sheet/xml.h"

struct xmllog {
	struct buf log;  /* the calls so far */
	struct buf text; /* text since the last element event */
};

static __attribute__((unused)) void
xmllog_init(struct xmllog *l)
{
	buf_init(&l->log, 1u << 28);
	buf_init(&l->text, 1u << 28);
}

static __attribute__((unused)) void
xmllog_release(struct xmllog *l)
{
	buf_release(&l->log);
	buf_release(&l->text);
}

static void
xmllog_esc(struct buf *b, const char *s, size_t n, bool space)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '%' || c == '|' ||
		    (space && c == ' '))
			buf_addf(b, "%%%02X", c);
		else
			buf_addc(b, (char)c);
	}
}

/* Write the text gathered since the last element event. */
static void
xmllog_flush(struct xmllog *l)
{
	if (l->text.len == 0)
		return;
	buf_adds(&l->log, "T:");
	xmllog_esc(&l->log, l->text.data, l->text.len, false);
	buf_addc(&l->log, '|');
	buf_reset(&l->text);
}

static void
xmllog_start(struct xml *x, const char *name, const char **atts)
{
	struct xmllog *l = x->ud;

	xmllog_flush(l);
	buf_adds(&l->log, "S:");
	xmllog_esc(&l->log, name, strlen(name), true);
	for (; atts[0] != NULL; atts += 2) {
		const char *a = xml_local(atts[0]);

		buf_addc(&l->log, ' ');
		xmllog_esc(&l->log, a, strlen(a), true);
		buf_addc(&l->log, '=');
		xmllog_esc(&l->log, atts[1], strlen(atts[1]), true);
	}
	buf_addc(&l->log, '|');
}

static void
xmllog_end(struct xml *x, const char *name)
{
	struct xmllog *l = x->ud;

	xmllog_flush(l);
	buf_adds(&l->log, "E:");
	xmllog_esc(&l->log, name, strlen(name), true);
	buf_addc(&l->log, '|');
}

static void
xmllog_text(struct xml *x, const char *s, size_t n)
{
	struct xmllog *l = x->ud;

	buf_add(&l->text, s, n);
}

static const struct xml_handlers xmllog_handlers = { xmllog_start, xmllog_end,
	                                             xmllog_text };

/* A book to parse in outside any reader: default limits, a deadline far
 * away. */
static __attribute__((unused)) void
xmllog_book(struct sheet_book *b)
{
	memset(b, 0, sizeof(*b));
	sheet_limits_default(&b->lim);
	b->deadline = clock_ms() + 3600000;
}

/* Parse doc with expat (xml_init), as a reader would after a fallback.
 * Returns the verdict (ERR_OK: accepted, else *e says why); l gets the
 * calls, flushed. */
static __attribute__((unused)) enum err
xmllog_expat(struct sheet_book *b, const char *doc, size_t n, struct xmllog *l,
             struct sheet_error *e)
{
	struct xml x;
	enum err rc;

	memset(e, 0, sizeof(*e));
	xml_init(&x, b, e, &xmllog_handlers, l);
	rc = xml_feed(&x, doc, n);
	if (rc == ERR_OK)
		rc = xml_finish(&x);
	xml_release(&x);
	xmllog_flush(l);
	return rc;
}

/*
 * Parse doc on the fast path (xml_init_fast), fed in chunks of sizes[0],
 * sizes[1], ... (cycled; a 0 is an empty feed; sizes[0] must not be 0).
 * Returns what the last xml_feed or xml_finish returned; *fallback tells
 * whether the scanner gave up.  l gets the calls, its last text not yet
 * flushed (see xmllog_is_prefix).
 */
static __attribute__((unused)) enum err
xmllog_fast(struct sheet_book *b, const char *doc, size_t n,
            const size_t *sizes, size_t nsizes, struct xmllog *l,
            bool *fallback)
{
	struct sheet_error e;
	struct xml x;
	enum err rc = ERR_OK;
	size_t off = 0;

	memset(&e, 0, sizeof(e));
	xml_init_fast(&x, b, &e, &xmllog_handlers, l);
	for (size_t i = 0; off < n && rc == ERR_OK; i++) {
		size_t k = sizes[i % nsizes];

		if (k > n - off)
			k = n - off;
		rc = xml_feed(&x, doc + off, k);
		off += k;
	}
	if (rc == ERR_OK)
		rc = xml_finish(&x);
	*fallback = x.fallback;
	xml_release(&x);
	return rc;
}

/* Are the calls the fast path made before it gave up (l, unflushed) the
 * start of expat's calls (want, flushed)?  The last text the fast path
 * reported may be only the start of expat's text there. */
static __attribute__((unused)) bool
xmllog_is_prefix(const struct xmllog *l, const char *want)
{
	struct buf p;
	bool ok;

	buf_init(&p, 1u << 28);
	buf_add(&p, l->log.data, l->log.len);
	if (l->text.len > 0) {
		buf_adds(&p, "T:");
		xmllog_esc(&p, l->text.data, l->text.len, false);
	}
	ok = strncmp(want, p.data, p.len) == 0;
	buf_release(&p);
	return ok;
}

#endif
