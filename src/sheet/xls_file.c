/*
 * The fopen() interposer behind xls_file.h.
 *
 * The executable's own fopen() takes precedence over the C library's for
 * every caller in the process, freexl included (as src/http/headscan.c
 * does for recv()).  For one private path, and only on the thread that is
 * inside xls_file_open(), it returns fmemopen() of the bytes: no file, no
 * /proc, no memfd, nothing a sandbox would have to allow.  Every other
 * call goes to the next fopen in the link order (the C library's, or a
 * sanitizer's interceptor).  freexl 1.0.6 uses only fopen, fread, fseek,
 * ftell, rewind and fclose (nm -D libfreexl.so.1), all of which work on a
 * memory stream.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <freexl.h>

#include "xls_file.h"

/* Not a path any file system has: it starts with a control character. */
#define XLS_PATH "\001biebsync-xls-in-memory"

static _Thread_local const void *mem_data;
static _Thread_local size_t mem_len;

FILE *
fopen(const char *restrict path, const char *restrict mode)
{
	FILE *(*next)(const char *restrict, const char *restrict);

	if (mem_data != NULL && path != NULL && strcmp(path, XLS_PATH) == 0)
		return fmemopen((void *)(uintptr_t)mem_data, mem_len, "rb");
	*(void **)&next = dlsym(RTLD_NEXT, "fopen");
	return next == NULL ? NULL : next(path, mode);
}

int
xls_file_open(const void *data, size_t len, const void **h)
{
	int r;

	*h = NULL;
	mem_data = data;
	mem_len = len;
	r = freexl_open(XLS_PATH, h);
	mem_data = NULL;
	mem_len = 0;
	return r;
}
