/*
 * Deciding what a file is from its bytes, never from its name.
 *
 * Spreadsheets: a zip holding an OOXML workbook (xl/workbook.xml, or the
 * part _rels/.rels names as officeDocument) is xlsx; a zip whose mimetype or
 * manifest says OpenDocument spreadsheet is ods; an OLE2 compound file with a
 * Workbook stream is xls; XML whose root element is EDEX is EDEXML; other
 * text is csv.  Everything else gets a precise refusal: PDF, images, Word and
 * PowerPoint (OOXML, OLE2 and ODF), .xlsb, encrypted workbooks (an OLE2 file
 * with an EncryptedPackage stream), old Excel 95 files, HTML pages posing as
 * .xls, other archives, binary junk, and text that is not a table.
 *
 * Text in UTF-16 or UTF-32 (with a byte order mark, or XML recognised by
 * its first '<', see encoding.c) is judged on its decoded start, so XML is
 * XML in any of these encodings and never taken for CSV.  A file of 0 bytes
 * or only white space is empty; one of only NUL bytes is binary, not empty.
 */
#include <string.h>

#include "reader.h"
#include "zip.h"

static bool
starts(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

/* Does an OLE2 directory entry with this name exist?  Directory entries
 * are 128 bytes, sector-aligned after the 512-byte header, with the name in
 * UTF-16LE and its byte length (with the NUL) at offset 64.  Names compare
 * ASCII case-insensitively, as the compound file format says. */
static bool
ole_has(const unsigned char *d, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (size_t off = 512; off + 128 <= len; off += 128) {
		const unsigned char *ent = d + off;
		size_t k;

		if ((size_t)(ent[64] | ent[65] << 8) != 2 * (n + 1))
			continue;
		for (k = 0; k < n; k++)
			if ((ent[2 * k] | 0x20) != (name[k] | 0x20) ||
			    ent[2 * k + 1] != 0)
				break;
		if (k == n && ent[2 * n] == 0 && ent[2 * n + 1] == 0)
			return true;
	}
	return false;
}

/* Is the compound file cut short (an interrupted download, a full disk)?
 * Writers put the directory near the end, so it is lost first, and then no
 * stream can be named; but the file is damaged rather than something else.
 * True when the header is incomplete or the first directory sector (number
 * at 0x30, size 1 << the shift at 0x1e) is not wholly in the file. */
static bool
ole_cut_short(const unsigned char *d, size_t len)
{
	uint64_t dir;

	if (len < 512)
		return true;
	dir = (uint64_t)d[0x30] | (uint64_t)d[0x31] << 8 |
	      (uint64_t)d[0x32] << 16 | (uint64_t)d[0x33] << 24;
	return (dir + 2) << (d[0x1e] == 12 ? 12 : 9) > len;
}

static enum sheet_format
sniff_ole(const unsigned char *d, size_t len, struct sheet_error *e)
{
	if (ole_has(d, len, "EncryptedPackage") ||
	    ole_has(d, len, "EncryptionInfo")) {
		sheet_fail(e, SHEET_P_ENCRYPTED, ERR_INVALID,
		           "OLE2 file with an EncryptedPackage stream");
		return SHEET_FMT_UNKNOWN;
	}
	/* BIFF8 keeps its records in "Workbook", BIFF5/7 in "Book" */
	if (ole_has(d, len, "Workbook") || ole_has(d, len, "Book"))
		return SHEET_FMT_XLS;
	if (ole_has(d, len, "WordDocument")) {
		sheet_fail(e, SHEET_P_WORD, ERR_INVALID, "OLE2 Word document");
		return SHEET_FMT_UNKNOWN;
	}
	if (ole_has(d, len, "PowerPoint Document")) {
		sheet_fail(e, SHEET_P_POWERPOINT, ERR_INVALID,
		           "OLE2 PowerPoint presentation");
		return SHEET_FMT_UNKNOWN;
	}
	if (ole_cut_short(d, len)) {
		sheet_fail(
		        e, SHEET_P_BROKEN, ERR_INVALID,
		        "OLE2 compound file cut short at %zu bytes: its directory is missing",
		        len);
		return SHEET_FMT_UNKNOWN;
	}
	sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
	           "OLE2 compound file without a workbook stream");
	return SHEET_FMT_UNKNOWN;
}

/* The first bytes of entry name, when it is small and readable. */
static bool
entry_starts(struct zip *z, const char *name, const char *prefix)
{
	const struct zip_entry *ent = zip_find(z, name);
	struct buf b;
	bool ok;

	if (ent == NULL || ent->usize > 4096)
		return false;
	buf_init(&b, 4096);
	ok = zip_read(z, ent, &b, NULL) == ERR_OK &&
	     strncmp(b.data, prefix, strlen(prefix)) == 0;
	buf_release(&b);
	return ok;
}

static bool
has_prefix(const struct zip *z, const char *prefix)
{
	for (size_t i = 0; i < z->n; i++)
		if (strncasecmp(z->e[i].name, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static enum sheet_format
sniff_zip(const unsigned char *d, size_t len, struct sheet_error *e)
{
	struct sheet_limits lim;
	struct zip z;
	enum sheet_format f = SHEET_FMT_UNKNOWN;
	const char *odf = "application/vnd.oasis.opendocument.";

	sheet_limits_default(&lim);
	if (zip_open(&z, d, len, &lim, e) != ERR_OK)
		return SHEET_FMT_UNKNOWN;
	if (zip_find(&z, "xl/workbook.bin") != NULL) {
		sheet_fail(e, SHEET_P_XLSB, ERR_INVALID,
		           "Excel binary workbook (xl/workbook.bin)");
	} else if (has_prefix(&z, "xl/") || zip_find(&z, "_rels/.rels")) {
		if (has_prefix(&z, "word/"))
			sheet_fail(e, SHEET_P_WORD, ERR_INVALID,
			           "Word document (word/document.xml)");
		else if (has_prefix(&z, "ppt/"))
			sheet_fail(e, SHEET_P_POWERPOINT, ERR_INVALID,
			           "PowerPoint presentation (ppt/)");
		else
			f = SHEET_FMT_XLSX;
	} else if (entry_starts(
	                   &z, "mimetype",
	                   "application/vnd.oasis.opendocument.spreadsheet")) {
		f = SHEET_FMT_ODS;
	} else if (
	        entry_starts(&z, "mimetype", odf) &&
	        (entry_starts(&z, "mimetype",
	                      "application/vnd.oasis.opendocument.text") ||
	         entry_starts(
	                 &z, "mimetype",
	                 "application/vnd.oasis.opendocument.presentation"))) {
		bool text =
		        entry_starts(&z, "mimetype",
		                     "application/vnd.oasis.opendocument.text");

		sheet_fail(e, text ? SHEET_P_WORD : SHEET_P_POWERPOINT,
		           ERR_INVALID, "OpenDocument %s",
		           text ? "text document" : "presentation");
	} else if (zip_find(&z, "content.xml") != NULL &&
	           zip_find(&z, "META-INF/manifest.xml") != NULL) {
		f = SHEET_FMT_ODS; /* ODS without a mimetype entry */
	} else {
		sheet_fail(e, SHEET_P_ARCHIVE, ERR_INVALID,
		           "zip archive without a workbook");
	}
	zip_close(&z);
	return f;
}

/* Skip a BOM and whitespace; true if what follows starts with s (ASCII,
 * case-insensitive). */
static bool
text_starts(const unsigned char *d, size_t len, const char *s)
{
	size_t i = 0, n = strlen(s);

	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		i = 3;
	while (i < len &&
	       (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return len - i >= n && strncasecmp((const char *)d + i, s, n) == 0;
}

/* The name of the root element of an XML document in the first 64 KiB
 * (after the prolog, comments and processing instructions). */
static bool
xml_root_is(const unsigned char *d, size_t len, const char *name)
{
	size_t i = 0, n = strlen(name), lim = len < 65536 ? len : 65536;

	while (i < lim) {
		const unsigned char *lt = memchr(d + i, '<', lim - i);
		size_t k;

		if (lt == NULL)
			return false;
		i = (size_t)(lt - d) + 1;
		if (i < lim && (d[i] == '?' || d[i] == '!'))
			continue;
		/* skip a prefix */
		for (k = i; k < lim && d[k] != ':' && d[k] != ' ' &&
		            d[k] != '>' && d[k] != '/' && d[k] != '\n';
		     k++)
			;
		if (k < lim && d[k] == ':')
			i = k + 1;
		return lim - i > n &&
		       strncasecmp((const char *)d + i, name, n) == 0 &&
		       (d[i + n] == ' ' || d[i + n] == '>' ||
		        d[i + n] == '\n' || d[i + n] == '\r' ||
		        d[i + n] == '\t' || d[i + n] == '/');
	}
	return false;
}

/* Is every byte of d a space, tab, CR or LF? */
static bool
all_space(const unsigned char *d, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n')
			return false;
	return true;
}

/* What XML is: an HTML page, EDEXML, or another document we refuse. */
static enum sheet_format
sniff_xml(const unsigned char *d, size_t len, const char *enc,
          struct sheet_error *e)
{
	if (text_starts(d, len, "<!DOCTYPE html") ||
	    text_starts(d, len, "<html") || xml_root_is(d, len, "html")) {
		sheet_fail(e, SHEET_P_HTML, ERR_INVALID, "HTML page%s", enc);
		return SHEET_FMT_UNKNOWN;
	}
	if (xml_root_is(d, len, "EDEX"))
		return SHEET_FMT_EDEXML;
	if (xml_root_is(d, len, "Workbook"))
		sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
		           "XML Spreadsheet 2003 (SpreadsheetML)%s", enc);
	else
		sheet_fail(e, SHEET_P_NOT_TABLE, ERR_INVALID,
		           "XML document that is not EDEXML%s", enc);
	return SHEET_FMT_UNKNOWN;
}

/*
 * Text in UTF-16 or UTF-32 (a byte order mark, or XML recognised without
 * one): its first 64 KiB are decoded into an ASCII view (every other
 * character a 0x80 byte) in which the checks for UTF-8 text look the same.
 * XML is XML whatever its encoding; other text goes to the CSV reader,
 * which decodes it (it needs the mark, and only XML is recognised without).
 */
static enum sheet_format
sniff_wide(const unsigned char *d, size_t len, enum text_enc enc, size_t bom,
           struct sheet_error *e)
{
	static const char *const names[] = {
		[TEXT_UTF16LE] = " in UTF-16LE",
		[TEXT_UTF16BE] = " in UTF-16BE",
		[TEXT_UTF32LE] = " in UTF-32LE",
		[TEXT_UTF32BE] = " in UTF-32BE",
	};
	size_t n = len - bom < 65536 * 4 ? len - bom : 65536 * 4, vlen;
	struct buf u;
	unsigned char *view;
	enum sheet_format f;

	buf_init(&u, text_utf8_max(n, enc));
	text_to_utf8(d + bom, n, enc, &u);
	view = (unsigned char *)u.data;
	for (size_t i = vlen = 0; i < u.len; i++)
		if (((unsigned char)u.data[i] & 0xc0) != 0x80)
			view[vlen++] = (unsigned char)u.data[i] < 0x80
			                       ? (unsigned char)u.data[i]
			                       : 0x80;
	if (all_space(view, vlen) && n == len - bom) {
		sheet_fail(e, SHEET_P_EMPTY, ERR_INVALID, "only white space%s",
		           names[enc]);
		f = SHEET_FMT_UNKNOWN;
	} else if (text_starts(view, vlen, "<")) {
		f = sniff_xml(view, vlen, names[enc], e);
	} else {
		f = SHEET_FMT_CSV;
	}
	buf_release(&u);
	return f;
}

enum sheet_format
sheet_sniff(const void *data, size_t len, struct sheet_error *e)
{
	const unsigned char *d = data;
	enum text_enc enc;
	size_t i, bom;

	if (len == 0) {
		sheet_fail(e, SHEET_P_EMPTY, ERR_INVALID,
		           "empty file (0 bytes)");
		return SHEET_FMT_UNKNOWN;
	}
	for (i = 0; i < len && d[i] == 0; i++)
		;
	if (i == len) {
		sheet_fail(e, SHEET_P_BINARY, ERR_INVALID,
		           "%zu bytes, all of them NUL", len);
		return SHEET_FMT_UNKNOWN;
	}
	enc = text_bom(d, len, &bom);
	if (enc == TEXT_UTF8 && bom == 0)
		enc = text_xml_guess(d, len);
	if (enc != TEXT_UTF8)
		return sniff_wide(d, len, enc, bom, e);
	if (all_space(d + bom, len - bom)) {
		sheet_fail(e, SHEET_P_EMPTY, ERR_INVALID, "only white space");
		return SHEET_FMT_UNKNOWN;
	}
	if (zip_magic(d, len))
		return sniff_zip(d, len, e);
	if (starts(d, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return sniff_ole(d, len, e);
	if (starts(d, len, "%PDF", 4)) {
		sheet_fail(e, SHEET_P_PDF, ERR_INVALID, "PDF document");
		return SHEET_FMT_UNKNOWN;
	}
	if (starts(d, len, "\x89PNG", 4) || starts(d, len, "\xff\xd8\xff", 3) ||
	    starts(d, len, "GIF8", 4) || starts(d, len, "II*\0", 4) ||
	    starts(d, len, "MM\0*", 4) ||
	    (starts(d, len, "RIFF", 4) && len >= 12 &&
	     memcmp(d + 8, "WEBP", 4) == 0) ||
	    (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0 &&
	     (memcmp(d + 8, "heic", 4) == 0 || memcmp(d + 8, "mif1", 4) == 0 ||
	      memcmp(d + 8, "avif", 4) == 0)) ||
	    (starts(d, len, "BM", 2) && len >= 26 &&
	     (d[2] | d[3] << 8 | d[4] << 16 | (size_t)d[5] << 24) == len)) {
		sheet_fail(e, SHEET_P_IMAGE, ERR_INVALID, "image file");
		return SHEET_FMT_UNKNOWN;
	}
	if (starts(d, len, "{\\rtf", 5)) {
		sheet_fail(e, SHEET_P_WORD, ERR_INVALID, "RTF document");
		return SHEET_FMT_UNKNOWN;
	}
	if (starts(d, len, "\x1f\x8b", 2) || starts(d, len, "Rar!", 4) ||
	    starts(d, len, "7z\xbc\xaf\x27\x1c", 6)) {
		sheet_fail(e, SHEET_P_ARCHIVE, ERR_INVALID,
		           "compressed archive");
		return SHEET_FMT_UNKNOWN;
	}
	/* BIFF2-5 worksheets saved without an OLE2 wrapper */
	if (len >= 4 && (d[0] == 0x09 || d[0] == 0x02) &&
	    (d[1] == 0x00 || d[1] == 0x02 || d[1] == 0x04 || d[1] == 0x08) &&
	    d[2] >= 4 && d[3] == 0) {
		sheet_fail(e, SHEET_P_OLD_XLS, ERR_INVALID,
		           "BIFF2-4 worksheet");
		return SHEET_FMT_UNKNOWN;
	}
	if (text_starts(d, len, "<") || xml_root_is(d, len, "html"))
		return sniff_xml(d, len, "", e);
	/* Text: the csv reader decides the encoding and whether it is a
	 * table. */
	return SHEET_FMT_CSV;
}
