/*
 * Excel 97-2003 workbooks (BIFF8, and BIFF5/7 in an OLE2 file) via freexl.
 *
 * freexl 1.0.6 has memory errors on crafted files (our fuzzers found a
 * stack underflow in its text conversion), so it never runs in the
 * server: every reader runs in a sandboxed child (src/base/sandbox.h,
 * src/import/sandboxed.c), where a crash is a refused file and nothing
 * more.  Inside that child freexl may neither fork nor open files, so it
 * gets the bytes without a file system: freexl opens a workbook only by
 * path (fopen/fread/fseek/ftell/rewind/fclose), and xls_file.c hands it an
 * in-memory stream (fmemopen) for a private path.  Its text conversion
 * uses iconv, whose code page modules are loaded from disk:
 * sheet_prepare_sandbox() loads them, and keeps them loaded, before a
 * sandboxed child may no longer open files.
 *
 * freexl decodes text to UTF-8 and tells dates from numbers by the cell
 * format (DATE, DATETIME, TIME cells arrive as ISO text), honouring the
 * 1904 system.  It parses the whole workbook at open; a sheet is then read
 * cell by cell from its tables.  Workbooks with a password (FILEPASS) are
 * refused.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freexl.h>

#include "reader.h"
#include "readers.h"
#include "xls_file.h"
#include "../base/mem.h"

struct xls {
	const void *h; /* the freexl handle */
};

/*
 * A password: freexl 1.0.6 cannot tell.  It notes the FILEPASS record, then
 * parses the encrypted records as plain ones, fails, and freexl_open()
 * returns FREEXL_OK with a NULL handle (a workbook LibreOffice saved with
 * a password was "damaged" to us); its FREEXL_BIFF_PASSWORD query is never
 * reached, and its source compares the wrong value anyway.  So before
 * freexl sees the bytes, the child finds the first sector (or 64-byte mini
 * sector) of the Workbook stream in the compound file and looks for
 * FILEPASS (0x002F) among the records there: it follows the BOF record, at
 * most after WRITEPROT.  Every offset is checked against the bytes;
 * anything odd is "no password" and left to freexl.
 */
#define CFB_END 0xfffffffaU /* sector numbers from here on are markers */

struct cfb {
	const unsigned char *d;
	size_t len;
	unsigned shift; /* sector size 1 << shift: 512 or 4096 */
};

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

/* Offset of sector n, or 0 when the sector is not wholly in the file. */
static size_t
cfb_sector(const struct cfb *c, uint32_t n)
{
	size_t size = (size_t)1 << c->shift, off;

	if (n >= CFB_END)
		return 0;
	off = ((size_t)n + 1) << c->shift;
	if (off > c->len || c->len - off < size)
		return 0;
	return off;
}

/* The sector after n in its chain, from the FAT sectors the header lists
 * (109 of them: files up to 6.8 MB with 512-byte sectors), or CFB_END. */
static uint32_t
cfb_next(const struct cfb *c, uint32_t n)
{
	size_t per = ((size_t)1 << c->shift) / 4, off;

	if (n / per >= 109)
		return CFB_END;
	off = cfb_sector(c, le32(c->d + 0x4c + 4 * (n / per)));
	return off == 0 ? CFB_END : le32(c->d + off + 4 * (n % per));
}

/* Is the directory entry at e named name (ASCII, case-insensitive)? */
static bool
cfb_named(const unsigned char *e, const char *name)
{
	size_t n = strlen(name), k;

	if (le16(e + 64) != 2 * (n + 1))
		return false;
	for (k = 0; k < n; k++)
		if ((e[2 * k] | 0x20) != (name[k] | 0x20) || e[2 * k + 1] != 0)
			return false;
	return true;
}

static bool
has_filepass(const unsigned char *d, size_t len)
{
	struct cfb c = { d, len, 0 };
	uint32_t sec, root = CFB_END, start = CFB_END, size = 0;
	size_t ssize, off = 0, avail, steps = 0, pos;
	bool found = false;

	if (len < 512)
		return false;
	c.shift = le16(d + 0x1e);
	if ((c.shift != 9 && c.shift != 12) || le16(d + 0x20) != 6)
		return false;
	ssize = (size_t)1 << c.shift;
	/* the directory: a chain of sectors of 128-byte entries, the root
	 * (type 5, owner of the mini stream) first */
	for (sec = le32(d + 0x30); !found && sec < CFB_END;
	     sec = cfb_next(&c, sec)) {
		if (++steps > len / ssize || (off = cfb_sector(&c, sec)) == 0)
			return false;
		for (size_t e = off; e < off + ssize && !found; e += 128) {
			if (d[e + 66] == 5)
				root = le32(d + e + 0x74);
			else if (d[e + 66] == 2 &&
			         (cfb_named(d + e, "Workbook") ||
			          cfb_named(d + e, "Book"))) {
				start = le32(d + e + 0x74);
				size = le32(d + e + 0x78);
				found = true;
			}
		}
	}
	if (!found)
		return false;
	if (size >= le32(d + 0x38)) {
		/* a stream of its own */
		off = cfb_sector(&c, start);
		avail = ssize;
	} else {
		/* in the mini stream, which is the root's chain */
		if (start >= CFB_END)
			return false;
		pos = (size_t)start << 6;
		if ((pos >> c.shift) >= len / ssize)
			return false;
		sec = root;
		for (steps = pos >> c.shift; steps > 0 && sec < CFB_END;
		     steps--)
			sec = cfb_next(&c, sec);
		off = cfb_sector(&c, sec);
		if (off != 0)
			off += pos & (ssize - 1);
		avail = 64;
	}
	if (off == 0)
		return false;
	if (avail > size)
		avail = size;
	/* BIFF records: type, length, data */
	for (size_t p = 0; p + 4 <= avail; p += 4 + le16(d + off + p + 2))
		if (le16(d + off + p) == 0x002f)
			return true;
	return false;
}

/* ---- reading ---- */

static enum err
xls_read(struct sheet_book *b, size_t i, struct rowout *o)
{
	struct xls *x = b->impl;
	unsigned int rows = 0, r;
	unsigned short cols = 0, c;
	enum err rc = ERR_OK;

	if (i >= 0xffff ||
	    freexl_select_active_worksheet(x->h, (unsigned short)i) !=
	            FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &rows, &cols) != FREEXL_OK)
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: sheet %zu cannot be selected", i + 1);
	if (rows > b->lim.rows || cols > b->lim.cols)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "xls: sheet of %u rows and %u columns", rows,
		                  (unsigned)cols);
	for (r = 0; r < rows && rc == ERR_OK; r++) {
		bool begun = false;

		if ((r & 1023) == 0 &&
		    (rc = book_check_time(b, o->e)) != ERR_OK)
			break;

		for (c = 0; c < cols && rc == ERR_OK; c++) {
			FreeXL_CellValue v;
			struct sheet_date d;
			const char *t = NULL;

			if (freexl_get_cell_value(x->h, r, c, &v) != FREEXL_OK)
				continue;
			switch (v.type) {
			case FREEXL_CELL_INT:
			case FREEXL_CELL_DOUBLE:
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
				break;
			default:
				continue;
			}
			if (!begun) {
				if ((rc = rowout_begin(o, r + 1)) != ERR_OK)
					break;
				begun = true;
			}
			switch (v.type) {
			case FREEXL_CELL_INT:
				rc = rowout_number(o, c + 1u,
				                   v.value.int_value);
				break;
			case FREEXL_CELL_DOUBLE:
				rc = rowout_number(o, c + 1u,
				                   v.value.double_value);
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				t = v.value.text_value;
				if (t != NULL &&
				    date_from_iso(t, strlen(t), &d)) {
					rc = rowout_date(o, c + 1u, &d, 0);
					break;
				}
				/* the date as text */
				__attribute__((fallthrough));
			default:
				t = v.value.text_value;
				if (t != NULL)
					rc = rowout_text(o, c + 1u, SHEET_TEXT,
					                 t, strlen(t));
				break;
			}
		}
		if (begun && rc == ERR_OK)
			rc = rowout_end(o);
	}
	return rc;
}

static void
xls_free(void *impl)
{
	struct xls *x = impl;

	if (x->h != NULL)
		freexl_close(x->h);
	free(x);
}

static const struct reader_ops xls_ops = { .read = xls_read, .free = xls_free };

enum err
xls_open(struct sheet_book *b, struct sheet_error *e)
{
	struct xls *x = xcalloc(1, sizeof(*x));
	unsigned int n = 0, pw = 0;
	enum err rc;
	int r;

	b->ops = &xls_ops;
	b->impl = x;
	if (has_filepass(b->data, b->len))
		return sheet_fail(e, SHEET_P_ENCRYPTED, ERR_INVALID,
		                  "xls: workbook with a password (FILEPASS)");
	r = xls_file_open(b->data, b->len, &x->h);
	if (r != FREEXL_OK || x->h == NULL) {
		x->h = NULL;
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: freexl_open failed (%d)",
		                  r == FREEXL_OK ? 1 : -r);
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
	    pw == FREEXL_BIFF_OBFUSCATED)
		return sheet_fail(e, SHEET_P_ENCRYPTED, ERR_INVALID,
		                  "xls: workbook with a password (FILEPASS)");
	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK)
		n = 0;
	for (unsigned int i = 0; i < n && i < 0xffff; i++) {
		const char *name = NULL;
		char cut[1024];

		if (freexl_get_worksheet_name(x->h, (unsigned short)i, &name) !=
		            FREEXL_OK ||
		    name == NULL)
			name = "";
		snprintf(cut, sizeof(cut), "%s", name);
		if ((rc = book_add_sheet(b, cut, true, e)) != ERR_OK)
			return rc;
	}
	if (b->nsheets == 0)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: freexl found no sheet");
	return ERR_OK;
}

/* freexl's code pages (its CODEPAGE table), by iconv name. */
static const char *const code_pages[] = {
	"CP437",  "CP720",  "CP737",    "CP775",    "CP850",  "CP852",
	"CP855",  "CP857",  "CP858",    "CP860",    "CP861",  "CP862",
	"CP863",  "CP864",  "CP865",    "CP866",    "CP869",  "CP874",
	"CP932",  "CP936",  "CP949",    "CP950",    "CP1250", "CP1251",
	"CP1252", "CP1253", "CP1254",   "CP1255",   "CP1256", "CP1257",
	"CP1258", "CP1361", "MacRoman", "UTF-16LE", "ASCII",
};

/* The handles, kept open so that their modules stay loaded (and
 * reachable, for the leak checker). */
static iconv_t kept[sizeof(code_pages) / sizeof(code_pages[0])];

void
sheet_prepare_sandbox(void)
{
	for (size_t i = 0; i < sizeof(code_pages) / sizeof(code_pages[0]); i++)
		if (kept[i] == NULL)
			kept[i] = iconv_open("UTF-8", code_pages[i]);
}
