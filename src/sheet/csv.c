/*
 * Delimited text (CSV) as schools export it.
 *
 * Encoding: UTF-8 with or without BOM; UTF-16 LE/BE with BOM; otherwise, when
 * the bytes are not valid UTF-8, Windows-1252 (what Dutch Excel writes).
 * Separator: ';' ',' tab or '|', whichever splits the first 20 records into
 * the most equal, non-zero counts (ties in that order: Dutch Excel writes
 * ';').  Fields: RFC 4180 quoting with "" for a quote and line breaks inside
 * quotes; CRLF, LF or CR line ends; a stray quote inside an unquoted field is
 * kept as text.  Every cell is text: the roster layer interprets numbers and
 * dates.  Binary data, and text without a separator in its first records,
 * is refused as "not a table".
 *
 * One sheet, named "csv"; the row number of a record counts records (a
 * quoted line break does not start a new row), as Excel numbers them.
 */
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "readers.h"
#include "../base/mem.h"
#include "../base/text.h"

/*
 * The reader parses the file's own bytes and decodes each cell as it emits
 * it: UTF-8 needs no decoding, and in Windows-1252 the bytes that matter to
 * the parser (quote, separator, CR, LF) are the ASCII ones and every other
 * byte maps to exactly one character, so no copy of the file is made.  Only
 * UTF-16 (rare) is converted to UTF-8 as a whole when the file is opened.
 */
struct csv {
	const char *text; /* UTF-8, or Windows-1252 when cp1252 */
	size_t len;
	char *owned; /* text when it was converted (UTF-16) */
	char sep;
	bool cp1252;
	unsigned char stop[256]; /* ends an unquoted field: sep, CR, LF */
};

/* Windows-1252 0x80-0x9f; the five unassigned bytes become U+FFFD. */
static const uint16_t cp1252[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static void
put_utf8(struct buf *b, uint32_t c)
{
	char s[4];

	if (c < 0x80) {
		buf_addc(b, (char)c);
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | c >> 6);
		s[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | c >> 12);
		s[1] = (char)(0x80 | (c >> 6 & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | c >> 18);
		s[1] = (char)(0x80 | (c >> 12 & 0x3f));
		s[2] = (char)(0x80 | (c >> 6 & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, s, 4);
	}
}

static enum err
from_utf16(const unsigned char *d, size_t len, bool be, struct buf *out)
{
	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t c = be ? (uint32_t)(d[i] << 8 | d[i + 1])
		                : (uint32_t)(d[i] | d[i + 1] << 8);

		if (c >= 0xd800 && c <= 0xdbff && i + 3 < len) {
			uint32_t lo = be ? (uint32_t)(d[i + 2] << 8 | d[i + 3])
			                 : (uint32_t)(d[i + 2] | d[i + 3] << 8);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c <= 0xdfff) {
			c = 0xfffd;
		}
		put_utf8(out, c);
	}
	return out->err;
}

/* Count separators per record (outside quotes) over the first records and
 * pick the separator with the most records sharing one non-zero count. */
static char
sniff_sep(const char *s, size_t len)
{
	static const char cands[] = { ';', ',', '\t', '|' };
	enum { NC = sizeof(cands), NL = 20 };
	unsigned counts[NC][NL];
	size_t nl = 0, i = 0;
	int best = -1;
	unsigned best_score = 0;

	memset(counts, 0, sizeof(counts));
	while (i < len && nl < NL) {
		bool quoted = false, any = false;

		for (; i < len; i++) {
			char c = s[i];

			if (c == '"') {
				quoted = !quoted;
			} else if (!quoted && (c == '\n' || c == '\r')) {
				if (c == '\r' && i + 1 < len &&
				    s[i + 1] == '\n')
					i++;
				i++;
				break;
			} else if (!quoted) {
				for (size_t k = 0; k < NC; k++)
					if (c == cands[k])
						counts[k][nl]++;
			}
			if (c != ' ' && c != '\t')
				any = true;
		}
		if (any)
			nl++;
		else
			for (size_t k = 0; k < NC; k++)
				counts[k][nl] = 0;
	}
	for (size_t k = 0; k < NC; k++) {
		for (size_t a = 0; a < nl; a++) {
			unsigned same = 0;

			if (counts[k][a] == 0)
				continue;
			for (size_t b = 0; b < nl; b++)
				same += counts[k][b] == counts[k][a];
			if (same > best_score) {
				best_score = same;
				best = (int)k;
			}
		}
	}
	return best < 0 ? 0 : cands[best];
}

/* UTF-8 of Windows-1252 byte c (0x80-0xff) into s; returns its length. */
static size_t
cp1252_utf8(unsigned char c, char *s)
{
	uint32_t u = c < 0xa0 ? cp1252[c - 0x80] : c;

	if (u < 0x800) {
		s[0] = (char)(0xc0 | u >> 6);
		s[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	s[0] = (char)(0xe0 | u >> 12);
	s[1] = (char)(0x80 | (u >> 6 & 0x3f));
	s[2] = (char)(0x80 | (u & 0x3f));
	return 3;
}

/* Append n bytes of the file to f, decoding Windows-1252 when c->cp1252;
 * in bounded chunks, so f's cap and sticky error work as for buf_add. */
static void
add_run(const struct csv *c, struct buf *f, const char *p, size_t n)
{
	char tmp[1024];
	size_t k = 0;

	if (!c->cp1252) {
		buf_add(f, p, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch < 0x80)
			tmp[k++] = (char)ch;
		else
			k += cp1252_utf8(ch, tmp + k);
		if (k > sizeof(tmp) - 4) {
			buf_add(f, tmp, k);
			k = 0;
		}
	}
	if (k > 0)
		buf_add(f, tmp, k);
}

/*
 * A field's text is one run of the file (the common case: an unquoted
 * field, or a quoted one without "" and without text after the closing
 * quote) or several runs joined in a buffer.  The first run is only
 * remembered; it is copied when a second one comes, and otherwise handed
 * to the row builder straight from the file (decoded when it is
 * Windows-1252 with bytes above 0x7f).
 */
struct field {
	const char *run; /* pending first run, not yet in buf */
	size_t n;
	bool joined; /* the text is in buf */
	struct buf *buf;
};

static void
field_add(const struct csv *c, struct field *fd, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (!fd->joined && fd->run == NULL) {
		fd->run = p;
		fd->n = n;
		return;
	}
	if (!fd->joined) {
		add_run(c, fd->buf, fd->run, fd->n);
		fd->joined = true;
	}
	add_run(c, fd->buf, p, n);
}

static enum err
field_emit(const struct csv *c, struct field *fd, struct rowout *o,
           uint32_t row, uint32_t col, size_t max)
{
	const char *p = fd->run;
	size_t n = fd->n;

	if (!fd->joined && p != NULL && c->cp1252) {
		size_t i = 0;

		while (i < n && (unsigned char)p[i] < 0x80)
			i++;
		if (i < n) {
			add_run(c, fd->buf, p, n);
			fd->joined = true;
		}
	}
	if (fd->joined) {
		p = fd->buf->data;
		n = fd->buf->len;
	}
	if (fd->buf->err != ERR_OK || n > max)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "csv: a field in row %u is longer"
		                  " than %zu bytes",
		                  (unsigned)row, max);
	return rowout_text(o, col, SHEET_TEXT, p, n);
}

static enum err
csv_read(struct sheet_book *b, size_t idx, struct rowout *o)
{
	struct csv *c = b->impl;
	const char *s = c->text, *end = c->text + c->len;
	const unsigned char *stop = c->stop;
	uint32_t row = 0, col;
	struct buf f;
	struct field fd;
	enum err rc = ERR_OK;

	(void)idx;
	buf_init(&f, b->lim.cell_bytes);
	while (s < end && rc == ERR_OK) {
		bool eol = false;

		row++;
		if (row > b->lim.rows) {
			rc = sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                "csv: more than %u rows", b->lim.rows);
			break;
		}
		col = 0;
		if ((rc = rowout_begin(o, row)) != ERR_OK)
			break;
		while (!eol && rc == ERR_OK) {
			const char *u;

			buf_reset(&f);
			fd.run = NULL;
			fd.n = 0;
			fd.joined = false;
			fd.buf = &f;
			col++;
			if (s < end && *s == '"') {
				/* quoted field */
				s++;
				while (s < end) {
					const char *q = memchr(
					        s, '"', (size_t)(end - s));

					if (q == NULL) {
						field_add(c, &fd, s,
						          (size_t)(end - s));
						s = end;
						break;
					}
					if (q + 1 < end && q[1] == '"') {
						/* the text and one quote */
						field_add(c, &fd, s,
						          (size_t)(q + 1 - s));
						s = q + 2;
						continue;
					}
					field_add(c, &fd, s, (size_t)(q - s));
					s = q + 1;
					break;
				}
			}
			/* unquoted field, or text after a closing quote */
			u = s;
			while (s < end && !stop[(unsigned char)*s])
				s++;
			field_add(c, &fd, u, (size_t)(s - u));
			if (s >= end) {
				eol = true;
			} else if (*s == c->sep) {
				s++;
			} else {
				if (*s == '\r' && s + 1 < end && s[1] == '\n')
					s++;
				s++;
				eol = true;
			}
			rc = field_emit(c, &fd, o, row, col, b->lim.cell_bytes);
		}
		if (rc == ERR_OK)
			rc = rowout_end(o);
	}
	buf_release(&f);
	return rc;
}

static void
csv_free(void *impl)
{
	struct csv *c = impl;

	free(c->owned);
	free(c);
}

static const struct reader_ops csv_ops = { csv_read, csv_free };

enum err
csv_open(struct sheet_book *b, struct sheet_error *e)
{
	const unsigned char *d = b->data;
	size_t len = b->len, ctrl = 0, ulen;
	struct csv *c = xcalloc(1, sizeof(*c));
	struct buf out;
	enum err rc;

	b->ops = &csv_ops;
	b->impl = c;
	if (len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) ||
	                 (d[0] == 0xfe && d[1] == 0xff))) {
		buf_init(&out, len / 2 * 3 + 4);
		from_utf16(d + 2, len - 2, d[0] == 0xfe, &out);
		c->owned = buf_detach(&out, &c->len);
		buf_release(&out); /* detach leaves a fresh empty buffer */
		c->text = c->owned;
	} else {
		if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
			d += 3;
			len -= 3;
		}
		c->text = (const char *)d;
		c->len = len;
		c->cp1252 = !utf8_valid((const char *)d, len);
	}
	/* Bytes below 0x20 are the same in every encoding read here, and
	 * only they count; the length is that of the text as UTF-8. */
	ulen = c->len;
	for (size_t i = 0; i < c->len; i++) {
		unsigned char ch;

		/* skip 8 bytes at a time while they are all 0x20-0x7f */
		while (c->len - i >= 8) {
			uint64_t w;

			memcpy(&w, c->text + i, 8);
			if (((w - 0x2020202020202020u) | w) &
			    0x8080808080808080u)
				break;
			i += 8;
		}
		if (i >= c->len)
			break;
		ch = (unsigned char)c->text[i];
		if (ch >= 0x80) {
			if (c->cp1252)
				ulen += ch < 0xa0 && cp1252[ch - 0x80] >= 0x800
				                ? 2
				                : 1;
			continue;
		}
		if (ch == 0) {
			return sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
			                  "csv: binary data (NUL byte)");
		}
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' &&
		    ch != '\f')
			ctrl++;
	}
	if (ctrl > ulen / 100 + 1)
		return sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
		                  "csv: %zu control characters", ctrl);
	c->sep = sniff_sep(c->text, c->len);
	if (c->sep == 0)
		return sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
		                  "csv: no separator in the first records");
	c->stop[(unsigned char)c->sep] = 1;
	c->stop['\n'] = 1;
	c->stop['\r'] = 1;
	rc = book_add_sheet(b, "csv", true, e);
	return rc;
}
