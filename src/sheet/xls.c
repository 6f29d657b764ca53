/*
 * Excel 97-2003 workbooks (BIFF8, and BIFF5/7 in an OLE2 file) via freexl.
 *
 * freexl reads only from a path, so the bytes are put in an anonymous
 * in-memory file (memfd_create) and freexl opens /proc/self/fd/N: nothing
 * touches a disk and the reader stays free of real file access.  freexl
 * decodes text to UTF-8 and tells dates from numbers by the cell format
 * (DATE, DATETIME, TIME cells arrive as ISO text), honouring the 1904
 * system.  Workbooks with a password (FILEPASS) are refused.
 *
 * Limit caveat: freexl allocates a sheet's cell table from the dimensions
 * the file claims (at most 65536 x 256 cells in BIFF8); the rows/columns
 * limits are checked right after, and the input size limit bounds the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <freexl.h>

#include "reader.h"
#include "readers.h"
#include "../base/mem.h"

struct xls {
	const void *h;
	int fd;
};

static enum err
xls_read(struct sheet_book *b, size_t i, struct rowout *o)
{
	struct xls *x = b->impl;
	unsigned int rows = 0, r;
	unsigned short cols = 0, c;
	enum err rc = ERR_OK;

	if (freexl_select_active_worksheet(x->h, (unsigned short)i) !=
	            FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &rows, &cols) != FREEXL_OK)
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: sheet %zu cannot be selected", i + 1);
	if (rows > b->lim.rows || cols > b->lim.cols)
		return sheet_fail(o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
		                  "xls: sheet of %u rows and %u columns", rows,
		                  (unsigned)cols);
	for (r = 0; r < rows && rc == ERR_OK; r++) {
		if ((rc = rowout_begin(o, r + 1)) != ERR_OK)
			break;
		for (c = 0; c < cols && rc == ERR_OK; c++) {
			FreeXL_CellValue v;
			struct sheet_date d;
			const char *t;

			if (freexl_get_cell_value(x->h, r, c, &v) != FREEXL_OK)
				continue;
			switch (v.type) {
			case FREEXL_CELL_INT:
				rc = rowout_number(o, c + 1u,
				                   v.value.int_value);
				break;
			case FREEXL_CELL_DOUBLE:
				rc = rowout_number(o, c + 1u,
				                   v.value.double_value);
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
				t = v.value.text_value;
				if (t != NULL)
					rc = rowout_text(o, c + 1u, SHEET_TEXT,
					                 t, strlen(t));
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				t = v.value.text_value;
				if (t == NULL)
					break;
				if (date_from_iso(t, strlen(t), &d))
					rc = rowout_date(o, c + 1u, &d, 0);
				else
					rc = rowout_text(o, c + 1u, SHEET_TEXT,
					                 t, strlen(t));
				break;
			default:
				break;
			}
		}
		if (rc == ERR_OK)
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
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}

static const struct reader_ops xls_ops = { xls_read, xls_free };

enum err
xls_open(struct sheet_book *b, struct sheet_error *e)
{
	struct xls *x = xcalloc(1, sizeof(*x));
	unsigned int n = 0, pw = 0;
	char path[64];
	size_t off = 0;
	int r;

	b->ops = &xls_ops;
	b->impl = x;
	x->fd = memfd_create("biebsync-xls", MFD_CLOEXEC);
	if (x->fd < 0)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_IO,
		                  "xls: memfd_create failed");
	while (off < b->len) {
		ssize_t w = write(x->fd, b->data + off, b->len - off);

		if (w <= 0)
			return sheet_fail(
			        e, SHEET_P_BROKEN, ERR_IO,
			        "xls: writing the memory file failed");
		off += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", x->fd);
	r = freexl_open(path, &x->h);
	if (r == FREEXL_OK && x->h == NULL)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: freexl found no workbook stream it can"
		                  " read");
	if (r != FREEXL_OK) {
		if (x->h != NULL) {
			freexl_close(x->h);
			x->h = NULL;
		}
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: freexl_open failed (%d)", r);
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
	    pw == FREEXL_BIFF_OBFUSCATED)
		return sheet_fail(e, SHEET_P_ENCRYPTED, ERR_INVALID,
		                  "xls: workbook with a password (FILEPASS)");
	if (freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: no sheet count");
	for (unsigned int i = 0; i < n; i++) {
		const char *name = NULL;
		enum err rc;

		if (freexl_get_worksheet_name(x->h, (unsigned short)i, &name) !=
		            FREEXL_OK ||
		    name == NULL)
			name = "";
		if ((rc = book_add_sheet(b, name, true, e)) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}
