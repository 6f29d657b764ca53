/*
 * Spreadsheets that biebsync writes for people to download (the example
 * file, the validation report), built with libxlsxwriter in memory: the
 * workbook goes to an anonymous memory file and libxlsxwriter's own
 * temporary files to /dev/shm when it exists, so nothing lands on disk.
 * Every text cell is written as a string, never as a formula, and text that
 * a spreadsheet could still take for one (= + - @) gets a leading
 * apostrophe.
 */
#ifndef BIEBSYNC_WEB_XLSX_H
#define BIEBSYNC_WEB_XLSX_H

#include <xlsxwriter.h>

#include "../base/buf.h"

/* Build a workbook: fill adds its sheets and cells; the file's bytes go to
 * out.  ERR_IO when libxlsxwriter fails, ERR_LIMIT when out is too small. */
enum err xlsx_build(void (*fill)(lxw_workbook *wb, void *arg), void *arg,
                    struct buf *out);

/* Write text into a cell as a string, neutralised against formulas. */
void xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
               const char *text, lxw_format *fmt);

#endif
