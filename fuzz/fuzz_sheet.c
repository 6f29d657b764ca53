/*
 * libFuzzer target for src/sheet/: any bytes go through format sniffing and
 * the reader it picks, every sheet is read and every cell touched.  Built
 * once per reader with -DFUZZ_ONLY=SHEET_FMT_XLSX (etc.), which skips inputs
 * of other formats so each reader gets a focused corpus, and once without
 * it (every format).  Limits are tightened so one input stays fast.
 *
 * fuzz/replay.c runs this same function over saved inputs (fuzz/regress/)
 * without libFuzzer, so `make test` replays every crash ever found.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../src/sheet/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum err
touch(void *ctx, const struct sheet_row *r)
{
	size_t *sum = ctx;

	for (size_t i = 0; i < r->ncells; i++) {
		const struct sheet_cell *c = &r->cells[i];
		char tmp[64];

		*sum += c->col;
		if (c->type == SHEET_TEXT || c->type == SHEET_ERROR)
			*sum += strlen(c->text) + c->len;
		else if (c->type == SHEET_DATE)
			sheet_date_fmt(&c->date, tmp, sizeof(tmp));
		else if (c->type == SHEET_NUMBER)
			sheet_number_fmt(c->number, tmp, sizeof(tmp));
	}
	return ERR_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sheet_limits lim;
	struct sheet_book *b;
	struct sheet_error e;
	size_t sum = 0;

#ifdef FUZZ_ONLY
	if (sheet_sniff(data, size, &e) != FUZZ_ONLY)
		return 0;
#endif
	sheet_limits_default(&lim);
	lim.entry_bytes = 32u << 20;
	lim.total_bytes = 64u << 20;
	lim.strings = 100000;
	lim.strings_bytes = 16u << 20;
	lim.cells = 200000;
	lim.milliseconds = 5000;
	if (sheet_open(data, size, &lim, &b, &e) != ERR_OK)
		return 0;
	for (size_t i = 0; i < sheet_count(b) && i < 4; i++) {
		struct sheet_dims d;

		(void)sheet_get_info(b, i);
		if (sheet_read(b, i, touch, &sum, &e) == ERR_OK)
			(void)sheet_dimensions(b, i, &d, &e);
	}
	(void)sheet_first_worksheet(b);
	sheet_book_free(b);
	return 0;
}
