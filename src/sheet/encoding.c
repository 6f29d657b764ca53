/*
 * The Unicode encodings of text files other than UTF-8 (see reader.h):
 * UTF-16 and UTF-32, little- or big-endian, as Windows programs save text
 * ("Unicode" in Notepad and Excel's "Unicode-tekst").  The sniffer, the CSV
 * reader and the EDEXML reader share this code, so a file is decoded the
 * same way wherever it goes.
 *
 * The encoding comes from a byte order mark; without one, only XML can say
 * (XML 1.0, Appendix F): a document starts with '<', so its first code
 * units give the width and the byte order away.  Decoding never fails on
 * bad input: an unpaired surrogate, a code point above U+10FFFF and a
 * partial code unit at the end each become U+FFFD, so what comes out is
 * always valid UTF-8, and the readers decide whether it makes sense.  Its
 * size is capped by the caller's buffer (at most text_utf8_max() bytes).
 */
#include <string.h>

#include "reader.h"
#include "../base/text.h"

/* Code unit width in bytes. */
static size_t
unit(enum text_enc enc)
{
	return enc == TEXT_UTF32LE || enc == TEXT_UTF32BE ? 4
	       : enc == TEXT_UTF8                         ? 1
	                                                  : 2;
}

enum text_enc
text_bom(const unsigned char *d, size_t len, size_t *bom)
{
	static const struct {
		const char *mark;
		size_t n;
		enum text_enc enc;
	} marks[] = {
		/* UTF-32LE first: its mark starts with UTF-16LE's */
		{ "\xff\xfe\0\0", 4, TEXT_UTF32LE },
		{ "\0\0\xfe\xff", 4, TEXT_UTF32BE },
		{ "\xef\xbb\xbf", 3, TEXT_UTF8 },
		{ "\xff\xfe", 2, TEXT_UTF16LE },
		{ "\xfe\xff", 2, TEXT_UTF16BE },
	};

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (len >= marks[i].n &&
		    memcmp(d, marks[i].mark, marks[i].n) == 0) {
			*bom = marks[i].n;
			return marks[i].enc;
		}
	*bom = 0;
	return TEXT_UTF8;
}

/* The code unit at d (unit(enc) bytes). */
static uint32_t
code_unit(const unsigned char *d, enum text_enc enc)
{
	switch (enc) {
	case TEXT_UTF16LE:
		return (uint32_t)d[0] | (uint32_t)d[1] << 8;
	case TEXT_UTF16BE:
		return (uint32_t)d[0] << 8 | (uint32_t)d[1];
	case TEXT_UTF32LE:
		return (uint32_t)d[0] | (uint32_t)d[1] << 8 |
		       (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
	case TEXT_UTF32BE:
		return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		       (uint32_t)d[2] << 8 | (uint32_t)d[3];
	default:
		return d[0];
	}
}

/* Is c a character that can follow the '<' that starts an XML document:
 * '?' (the declaration), '!' (a comment) or a letter (the root)? */
static bool
xml_second(uint32_t c)
{
	return c == '?' || c == '!' || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

enum text_enc
text_xml_guess(const unsigned char *d, size_t len)
{
	static const enum text_enc wide[] = { TEXT_UTF32LE, TEXT_UTF32BE,
		                              TEXT_UTF16LE, TEXT_UTF16BE };

	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
		size_t w = unit(wide[i]);

		if (len >= 2 * w && code_unit(d, wide[i]) == '<' &&
		    xml_second(code_unit(d + w, wide[i])))
			return wide[i];
	}
	return TEXT_UTF8;
}

size_t
text_utf8_max(size_t len, enum text_enc enc)
{
	/* UTF-16: 3 bytes per unit at most (a pair is 4 bytes for 4);
	 * UTF-32: 4 per unit; a partial unit at the end: U+FFFD, 3 bytes */
	if (unit(enc) == 2)
		return len / 2 * 3 + 3;
	if (unit(enc) == 4)
		return len + 3;
	return len;
}

enum err
text_to_utf8(const unsigned char *d, size_t len, enum text_enc enc,
             struct buf *out)
{
	size_t w = unit(enc), i, k = 0;
	char tmp[1024];

	if (w == 1)
		return buf_add(out, d, len);
	for (i = 0; i + w <= len && out->err == ERR_OK; i += w) {
		uint32_t c = code_unit(d + i, enc);

		if (w == 2 && c >= 0xd800 && c <= 0xdbff && i + 2 * w <= len) {
			uint32_t lo = code_unit(d + i + w, enc);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += w;
			}
		}
		if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			c = 0xfffd;
		k += utf8_put(c, tmp + k);
		if (k > sizeof(tmp) - 4) {
			buf_add(out, tmp, k);
			k = 0;
		}
	}
	if (i < len) /* a partial code unit: the file was cut short */
		k += utf8_put(0xfffd, tmp + k);
	if (k > 0)
		buf_add(out, tmp, k);
	return out->err;
}
