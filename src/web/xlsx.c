/*
 * In-memory workbooks (see xlsx.h).  libxlsxwriter 1.1 writes only to a
 * path, so the path is that of a memfd (/proc/self/fd/N).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xlsx.h"

void
xlsx_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
          lxw_format *fmt)
{
	char safe[1024];

	if (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
	    text[0] == '@') {
		snprintf(safe, sizeof(safe), "'%s", text);
		text = safe;
	}
	worksheet_write_string(ws, row, col, text, fmt);
}

enum err
xlsx_build(void (*fill)(lxw_workbook *wb, void *arg), void *arg,
           struct buf *out)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE,
		                     .tmpdir = NULL };
	char path[64], chunk[8192];
	struct stat st;
	lxw_workbook *wb;
	enum err e = ERR_OK;
	ssize_t n;
	int fd;

	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode))
		opt.tmpdir = (char *)(uintptr_t) "/dev/shm";
	fd = memfd_create("biebsync-xlsx", MFD_CLOEXEC);
	if (fd < 0)
		return ERR_IO;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	wb = workbook_new_opt(path, &opt);
	if (wb == NULL) {
		close(fd);
		return ERR_IO;
	}
	fill(wb, arg);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		close(fd);
		return ERR_IO;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		e = ERR_IO;
	while (e == ERR_OK && (n = read(fd, chunk, sizeof(chunk))) > 0)
		e = buf_add(out, chunk, (size_t)n);
	close(fd);
	return e;
}
