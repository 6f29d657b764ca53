/*
 * The open functions of the format readers (internal to src/sheet/).  Each
 * parses what it needs to list the sheets, fills book->sheets, book->ops and
 * book->impl, and returns ERR_INVALID or ERR_LIMIT with e filled on failure.
 */
#ifndef BIEBSYNC_SHEET_READERS_H
#define BIEBSYNC_SHEET_READERS_H

#include "reader.h"

enum err xlsx_open(struct sheet_book *b, struct sheet_error *e);
enum err xls_open(struct sheet_book *b, struct sheet_error *e);
enum err ods_open(struct sheet_book *b, struct sheet_error *e);
enum err csv_open(struct sheet_book *b, struct sheet_error *e);
enum err edexml_open(struct sheet_book *b, struct sheet_error *e);

#endif
