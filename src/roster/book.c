/*
 * Choosing the sheet and reading it (see book.h).  Probing a sheet stops
 * the reader early by returning ERR_STATE from the row callback, which
 * sheet_read() hands back unchanged; that is the only use of ERR_STATE
 * here, so it is told apart from real failures.
 */
#include <stdlib.h>
#include <string.h>

#include "book.h"
#include "../base/mem.h"
#include "../base/strparse.h"

static enum err
probe_row(void *ctx, const struct sheet_row *row)
{
	return roster_probe_row(ctx, row) ? ERR_OK : ERR_STATE;
}

static enum err
read_row(void *ctx, const struct sheet_row *row)
{
	return roster_reader_row(ctx, row);
}

enum err
roster_read_bytes(const void *data, size_t len, const struct sheet_limits *lim,
                  const struct roster_opts *opts, struct roster_file *out,
                  struct roster_source *src, struct sheet_error *e)
{
	struct sheet_book *b = NULL;
	struct roster_probe *p = xmalloc(sizeof(*p)), *best = NULL;
	struct roster_reader *r = NULL;
	struct roster_opts ro;
	enum err err;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(src, 0, sizeof(*src));
	src->sheet = -1;
	memset(e, 0, sizeof(*e));
	if ((err = sheet_open(data, len, lim, &b, e)) != ERR_OK)
		goto done;
	src->format = sheet_book_format(b);
	src->sheets = sheet_count(b);
	for (i = 0; i < src->sheets; i++) {
		const struct sheet_info *info = sheet_get_info(b, i);

		if (info == NULL || !info->worksheet)
			continue;
		roster_probe_init(p);
		err = sheet_read(b, i, probe_row, p, e);
		if (err != ERR_OK && err != ERR_STATE)
			goto done;
		if (best == NULL || p->best.score > best->best.score) {
			if (best == NULL)
				best = xmalloc(sizeof(*best));
			memcpy(best, p, sizeof(*p));
			src->sheet = (int)i;
		}
	}
	memset(e, 0, sizeof(*e));
	if (best == NULL) {
		e->problem = SHEET_P_NO_SHEET;
		err = ERR_INVALID;
		goto done;
	}
	str_copy(src->sheet_name, sizeof(src->sheet_name),
	         sheet_get_info(b, (size_t)src->sheet)->name);
	ro = *opts;
	ro.format = src->format;
	r = roster_reader_new(&ro);
	roster_reader_header(r, best);
	err = sheet_read(b, (size_t)src->sheet, read_row, r, e);
	if (err == ERR_LIMIT && e->problem == SHEET_P_ABORTED) {
		memset(e, 0, sizeof(*e)); /* too many students: reported */
		err = ERR_OK;
	}
	if (err == ERR_OK)
		roster_reader_finish(r, out);
done:
	roster_reader_free(r);
	sheet_book_free(b);
	free(best);
	free(p);
	return err;
}
