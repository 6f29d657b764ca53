/*
 * freexl without a file system: freexl opens a workbook only by path, so
 * xls_file.c defines the executable's own fopen(), which hands freexl an
 * in-memory stream of the bytes for a private path and forwards every
 * other call to the C library (see there).
 */
#ifndef BIEBSYNC_SHEET_XLS_FILE_H
#define BIEBSYNC_SHEET_XLS_FILE_H

#include <stddef.h>

/* freexl_open() on the len bytes at data, which must stay unchanged until
 * freexl_close(); returns freexl's code and sets *h. */
int xls_file_open(const void *data, size_t len, const void **h);

#endif
