/*
 * Delimited text (CSV) as schools export it.
 *
 * Encoding: UTF-8 with or without BOM; UTF-16 or UTF-32, LE or BE, with BOM
 * (decoded by encoding.c); otherwise, when the bytes are not valid UTF-8,
 * Windows-1252 (what Dutch Excel writes).
 * Separator: ';' ',' tab or '|', whichever splits the first 20 records into
 * the most equal, non-zero counts (ties in that order: Dutch Excel writes
 * ';').  Fields: RFC 4180 quoting with "" for a quote and line breaks inside
 * quotes; CRLF, LF or CR line ends; a stray quote inside an unquoted field is
 * kept as text.  Every cell is text: the roster layer interprets numbers and
 * dates.  Binary data (a NUL byte, or control characters in more than 1 %
 * of the text) is refused as binary, text without a separator in its first
 * records as "not a table".
 *
 * One sheet, named "csv"; the row number of a record counts records (a
 * quoted line break does not start a new row), as Excel numbers them.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "reader.h"
#include "readers.h"
#include "../base/cpus.h"
#include "../base/mem.h"
#include "../base/text.h"

/*
 * The reader parses the file's own bytes and decodes each cell as it emits
 * it: UTF-8 needs no decoding, and in Windows-1252 the bytes that matter to
 * the parser (quote, separator, CR, LF) are the ASCII ones and every other
 * byte maps to exactly one character, so no copy of the file is made.  Only
 * UTF-16 and UTF-32 (rare) are converted to UTF-8 as a whole when the file
 * is opened.
 */
struct csv {
	const char *text; /* UTF-8, or Windows-1252 when cp1252 */
	size_t len;
	char *owned; /* text when it was converted (UTF-16, UTF-32) */
	char sep;
	bool cp1252;
	bool quote;              /* the text holds a '"' somewhere */
	unsigned char stop[256]; /* ends an unquoted field: sep, CR, LF */
	char sep16[16];          /* sep 16 times, for the vector scan */
};

/* Windows-1252 0x80-0x9f; the five unassigned bytes become U+FFFD. */
static const uint16_t cp1252[32] = {
	0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
	0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

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

/* Whether any of the n bytes at p is above 0x7f. */
static bool
has_high(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return true;
	return false;
}

/* Hand the text of a field to the row builder: p is UTF-8, or when
 * c->cp1252 and the text has bytes above 0x7f (high), Windows-1252 that
 * is decoded into f first.  ASCII and decoded Windows-1252 are in NFC
 * already; other UTF-8 is checked and normalised by the row builder. */
static enum err
emit_text(const struct csv *c, struct buf *f, struct rowout *o, uint32_t row,
          uint32_t col, const char *p, size_t n, bool high)
{
	size_t max = o->book->lim.cell_bytes;

	if (high && c->cp1252) {
		buf_reset(f);
		add_run(c, f, p, n);
		p = f->data;
		n = f->len;
	}
	if (f->err != ERR_OK || n > max)
		return sheet_fail(
		        o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		        "csv: a field in row %u is longer than %zu bytes",
		        (unsigned)row, max);
	if (!high || c->cp1252)
		return rowout_text_nfc(o, col, p, n);
	return rowout_text(o, col, SHEET_TEXT, p, n);
}

/* A field put together by field_add. */
static enum err
field_emit(const struct csv *c, struct field *fd, struct rowout *o,
           uint32_t row, uint32_t col)
{
	struct buf *f = fd->buf;

	if (!fd->joined)
		return emit_text(c, f, o, row, col, fd->run, fd->n,
		                 has_high(fd->run, fd->n));
	/* decoded already when Windows-1252: no longer high */
	return emit_text(c, f, o, row, col, f->data, f->len,
	                 !c->cp1252 && has_high(f->data, f->len));
}

/* The first byte from s on that ends an unquoted field (the separator, CR
 * or LF), or end; *high tells whether a byte above 0x7f comes before it. */
static const char *
find_stop(const struct csv *c, const char *s, const char *end, bool *high)
{
	unsigned hi = 0;
#ifdef __SSE2__
	const __m128i sep = _mm_loadu_si128((const void *)c->sep16);
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

	while (end - s >= 16) {
		__m128i v = _mm_loadu_si128((const void *)s);
		unsigned m = (unsigned)_mm_movemask_epi8(
		        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sep),
		                                  _mm_cmpeq_epi8(v, cr)),
		                     _mm_cmpeq_epi8(v, lf)));
		unsigned h = (unsigned)_mm_movemask_epi8(v);

		if (m != 0) {
			unsigned k = (unsigned)__builtin_ctz(m);

			*high = (hi | (h & ((1u << k) - 1))) != 0;
			return s + k;
		}
		hi |= h;
		s += 16;
	}
#endif
	for (; s < end && !c->stop[(unsigned char)*s]; s++)
		hi |= (unsigned char)*s & 0x80;
	*high = hi != 0;
	return s;
}

/* A quoted field from s (at the opening quote) up to the byte that ends
 * it, text after the closing quote included; hands it over and returns
 * that byte's position in *sp. */
static enum err
quoted_field(const struct csv *c, const char **sp, const char *end,
             struct buf *f, struct rowout *o, uint32_t row, uint32_t col)
{
	const char *s = *sp + 1, *u;
	struct field fd = { NULL, 0, false, f };
	bool high;

	buf_reset(f);
	while (s < end) {
		const char *q = memchr(s, '"', (size_t)(end - s));

		if (q == NULL) {
			field_add(c, &fd, s, (size_t)(end - s));
			s = end;
			break;
		}
		if (q + 1 < end && q[1] == '"') {
			/* the text and one quote */
			field_add(c, &fd, s, (size_t)(q + 1 - s));
			s = q + 2;
			continue;
		}
		field_add(c, &fd, s, (size_t)(q - s));
		s = q + 1;
		break;
	}
	/* text after the closing quote */
	u = s;
	s = find_stop(c, s, end, &high);
	field_add(c, &fd, u, (size_t)(s - u));
	*sp = s;
	return field_emit(c, &fd, o, row, col);
}

/* The records from s to end, the first one numbered row0 + 1. */
static enum err
read_records(const struct csv *c, const struct sheet_book *b, const char *s,
             const char *end, uint32_t row0, struct rowout *o)
{
	uint32_t row = row0, col;
	struct buf f;
	enum err rc = ERR_OK;

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
			col++;
			if (s < end && *s == '"') {
				rc = quoted_field(c, &s, end, &f, o, row, col);
			} else {
				const char *u = s;
				bool high;

				s = find_stop(c, s, end, &high);
				rc = emit_text(c, &f, o, row, col, u,
				               (size_t)(s - u), high);
			}
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
		}
		if (rc == ERR_OK)
			rc = rowout_end(o);
	}
	buf_release(&f);
	return rc;
}

static enum err
csv_read(struct sheet_book *b, size_t idx, struct rowout *o)
{
	const struct csv *c = b->impl;

	(void)idx;
	return read_records(c, b, c->text, c->text + c->len, 0, o);
}

/*
 * Parts (sheet_read_parts).  Without a '"' in the file every CR, LF and
 * CRLF ends a record, as read_records reads them, so a part can end right
 * after any line end and the records before a part are the line ends
 * before it (CRLF once, a lone CR and an empty line each once).  Files
 * read in place only (UTF-16 is rare), large enough to be worth it, and
 * only when the sheet's cell limit cannot be reached: n non-empty cells
 * take at least 2n - 1 bytes, so a file of len bytes has at most
 * (len + 1) / 2 and the parts need not count cells across each other.
 * The row limit and the others hold per record or per cell, in any part.
 */
enum { PARTS_MIN = 8 }; /* split a file of at least 8 parts (4 MiB) */

/* The line ends in n bytes that end where a record ends (a CR at the end
 * is no CRLF's first half). */
static size_t
count_eols(const char *s, size_t n)
{
	size_t i = 0, count = 0;
#ifdef __SSE2__
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	const __m128i zero = _mm_setzero_si128();

	/* 16 bytes and the one after them at a time; byte counters summed
	 * before they can overflow */
	while (n - i >= 17) {
		size_t blocks = (n - i - 1) / 16;
		__m128i acc = zero;

		if (blocks > 255)
			blocks = 255;
		for (; blocks > 0; blocks--, i += 16) {
			__m128i v = _mm_loadu_si128((const void *)(s + i));
			__m128i w = _mm_loadu_si128((const void *)(s + i + 1));
			__m128i eol = _mm_or_si128(
			        _mm_cmpeq_epi8(v, lf),
			        _mm_andnot_si128(_mm_cmpeq_epi8(w, lf),
			                         _mm_cmpeq_epi8(v, cr)));

			acc = _mm_sub_epi8(acc, eol);
		}
		acc = _mm_sad_epu8(acc, zero);
		count += (size_t)_mm_cvtsi128_si32(acc) +
		         (size_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8));
	}
#endif
	for (; i < n; i++)
		count += s[i] == '\n' ||
		         (s[i] == '\r' && !(i + 1 < n && s[i + 1] == '\n'));
	return count;
}

static bool
csv_next_part(const struct sheet_book *b, size_t idx, size_t bytes,
              struct sheet_part *p)
{
	const struct csv *c = b->impl;
	size_t start = p->end, end, rows;

	(void)idx;
	if (start == 0 &&
	    (c->owned != NULL || c->quote || bytes == 0 ||
	     c->len / PARTS_MIN < bytes || (c->len + 1) / 2 > b->lim.cells))
		return false;
	if (start >= c->len)
		return false;
	if (start > 0) {
		rows = p->row0 +
		       count_eols(c->text + p->start, start - p->start);
		p->row0 = rows > b->lim.rows ? b->lim.rows : (uint32_t)rows;
	}
	/* up to the end of the first line end from start + bytes on */
	end = c->len - start > bytes ? start + bytes : c->len;
	while (end < c->len && c->text[end] != '\n' && c->text[end] != '\r')
		end++;
	if (end < c->len) {
		if (c->text[end] == '\r' && end + 1 < c->len &&
		    c->text[end + 1] == '\n')
			end++;
		end++;
	}
	p->start = start;
	p->end = end;
	return true;
}

static enum err
csv_read_part(const struct sheet_book *b, size_t idx,
              const struct sheet_part *p, struct rowout *o)
{
	const struct csv *c = b->impl;

	(void)idx;
	return read_records(c, b, c->text + p->start, c->text + p->end, p->row0,
	                    o);
}

/* The control bytes of the text: below 0x20 other than tab, LF, CR and
 * form feed.  SIZE_MAX when the text holds a NUL byte.  *quote tells
 * whether it holds a '"'. */
static size_t
count_ctrl(const char *text, size_t n, bool *quote)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, ctrl = 0;
	unsigned nul = 0, q = 0;
#ifdef __SSE2__
	const __m128i c1f = _mm_set1_epi8(0x1f), zero = _mm_setzero_si128();
	const __m128i tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), ff = _mm_set1_epi8('\f');
	const __m128i dq = _mm_set1_epi8('"');

	for (; n - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const void *)(s + i));
		unsigned low = (unsigned)_mm_movemask_epi8(
		        _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v));

		q |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, dq));
		if (low == 0)
			continue;
		low &= ~(unsigned)_mm_movemask_epi8(
		        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab),
		                                  _mm_cmpeq_epi8(v, lf)),
		                     _mm_or_si128(_mm_cmpeq_epi8(v, cr),
		                                  _mm_cmpeq_epi8(v, ff))));
		nul |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
		for (; low != 0; low &= low - 1)
			ctrl++;
	}
#endif
	for (; i < n; i++) {
		nul |= s[i] == 0;
		q |= s[i] == '"';
		ctrl += s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' &&
		        s[i] != '\r' && s[i] != '\f';
	}
	*quote = q != 0;
	return nul != 0 ? SIZE_MAX : ctrl;
}

enum { SCAN_TWO = 4u << 20 }; /* csv_open's pass on two threads from here */

/* count_ctrl on part of the text, on another thread. */
struct ctrl_half {
	const char *text;
	size_t n, ctrl;
	bool quote;
};

static void *
ctrl_half(void *arg)
{
	struct ctrl_half *h = arg;

	h->ctrl = count_ctrl(h->text, h->n, &h->quote);
	return NULL;
}

/* count_ctrl of a large text in two halves at once, where there is a
 * second CPU: what it counts belongs to single bytes, so the halves can
 * meet anywhere.  The half on the other thread is only read there. */
static size_t
count_ctrl_two(const char *text, size_t n, bool *quote)
{
	struct ctrl_half h = { text + n / 2, n - n / 2, 0, false };
	pthread_t t;
	size_t ctrl;

	if (n < SCAN_TWO || cpus_online() < 2 ||
	    pthread_create(&t, NULL, ctrl_half, &h) != 0)
		return count_ctrl(text, n, quote);
	ctrl = count_ctrl(text, n / 2, quote);
	pthread_join(t, NULL);
	*quote = *quote || h.quote;
	return ctrl == SIZE_MAX || h.ctrl == SIZE_MAX ? SIZE_MAX
	                                              : ctrl + h.ctrl;
}

/* The length of the text as UTF-8. */
static size_t
utf8_length(const struct csv *c)
{
	size_t ulen = c->len;

	if (!c->cp1252)
		return ulen;
	for (size_t i = 0; i < c->len; i++) {
		unsigned char ch = (unsigned char)c->text[i];

		if (ch >= 0x80)
			ulen += ch < 0xa0 && cp1252[ch - 0x80] >= 0x800 ? 2 : 1;
	}
	return ulen;
}

static void
csv_free(void *impl)
{
	struct csv *c = impl;

	free(c->owned);
	free(c);
}

static const struct reader_ops csv_ops = {
	.read = csv_read,
	.free = csv_free,
	.next_part = csv_next_part,
	.read_part = csv_read_part,
};

enum err
csv_open(struct sheet_book *b, struct sheet_error *e)
{
	const unsigned char *d = b->data;
	size_t len = b->len, ctrl, bom;
	struct csv *c = xcalloc(1, sizeof(*c));
	struct buf out;
	enum text_enc enc;
	enum err rc;

	b->ops = &csv_ops;
	b->impl = c;
	enc = text_bom(d, len, &bom);
	d += bom;
	len -= bom;
	if (enc != TEXT_UTF8) {
		buf_init(&out, text_utf8_max(len, enc));
		text_to_utf8(d, len, enc, &out);
		c->owned = buf_detach(&out, &c->len);
		buf_release(&out); /* detach leaves a fresh empty buffer */
		c->text = c->owned;
	} else {
		c->text = (const char *)d;
		c->len = len;
		c->cp1252 = !utf8_valid((const char *)d, len);
	}
	/* Bytes below 0x20 are the same in every encoding read here, and
	 * only they count, against the length of the text as UTF-8 (which is
	 * at least c->len, so it is only needed when there are many). */
	ctrl = count_ctrl_two(c->text, c->len, &c->quote);
	if (ctrl == SIZE_MAX)
		return sheet_fail(e, SHEET_P_BINARY, ERR_INVALID,
		                  "csv: binary data (NUL byte)");
	if (ctrl > c->len / 100 + 1 && ctrl > utf8_length(c) / 100 + 1)
		return sheet_fail(e, SHEET_P_BINARY, ERR_INVALID,
		                  "csv: %zu control characters", ctrl);
	c->sep = sniff_sep(c->text, c->len);
	if (c->sep == 0)
		return sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
		                  "csv: no separator in the first records");
	c->stop[(unsigned char)c->sep] = 1;
	c->stop['\n'] = 1;
	c->stop['\r'] = 1;
	memset(c->sep16, c->sep, sizeof(c->sep16));
	rc = book_add_sheet(b, "csv", true, e);
	return rc;
}
