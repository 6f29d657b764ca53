/*
 * Excel 97-2003 workbooks (BIFF8, and BIFF5/7 in an OLE2 file) via freexl,
 * in a child process.
 *
 * freexl 1.0.6 has memory errors on crafted files (our fuzzers found a
 * stack underflow in its text conversion), so it never runs in the process
 * that reads the upload: xls_open() forks a child that opens the workbook
 * with freexl and writes every sheet as a stream of small records into a
 * pipe, then exits.  The parent keeps the stream (capped by the limits)
 * and replays it into the row builder when a sheet is read.  A child that
 * crashes, is killed by the CPU limit, or does not finish in time is a
 * damaged file to the parent, never a crash.
 *
 * freexl reads only from a path, so the child puts the bytes in an
 * anonymous in-memory file (memfd_create) and opens /proc/self/fd/N:
 * nothing touches a disk.  freexl decodes text to UTF-8 and tells dates
 * from numbers by the cell format (DATE, DATETIME, TIME cells arrive as ISO
 * text), honouring the 1904 system.  Workbooks with a password (FILEPASS)
 * are refused.
 *
 * Record stream (native byte order: both ends are this program):
 *   'N' u32 len, name      a sheet, in workbook order
 *   'S' u32 i               the cells of sheet i follow
 *   'L' u32 rows, u32 cols  the sheet's claimed size
 *   'B' u32 row             a row starts
 *   'T' u32 col, u32 len, text      'F' u32 col, double      'D' u32 col,
 *                                    struct sheet_date       'E' row ends
 *   'P' password   'X' u32 code (freexl failed)   'Z' the end
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <freexl.h>

#include "reader.h"
#include "readers.h"
#include "../base/mem.h"

struct xls {
	struct buf stream; /* the child's records */
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

/* ---- the child: freexl to records ---- */

struct out {
	int fd;
	bool failed;
};

static void
put(struct out *o, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0 && !o->failed) {
		ssize_t w = write(o->fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->failed = true;
			return;
		}
		c += w;
		n -= (size_t)w;
	}
}

static void
put_tag(struct out *o, char tag, uint32_t v)
{
	put(o, &tag, 1);
	put(o, &v, sizeof(v));
}

static void
child_sheet(struct out *o, const void *h, unsigned short i)
{
	unsigned int rows = 0, r;
	unsigned short cols = 0, c;
	uint32_t dims[2];

	if (freexl_select_active_worksheet(h, i) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
		return;
	put_tag(o, 'S', i);
	dims[0] = rows;
	dims[1] = cols;
	put(o, "L", 1);
	put(o, dims, sizeof(dims));
	for (r = 0; r < rows && !o->failed; r++) {
		put_tag(o, 'B', r + 1);
		for (c = 0; c < cols; c++) {
			FreeXL_CellValue v;
			struct sheet_date d;
			const char *t;
			double num;

			if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
				continue;
			switch (v.type) {
			case FREEXL_CELL_INT:
			case FREEXL_CELL_DOUBLE:
				num = v.type == FREEXL_CELL_INT
				              ? v.value.int_value
				              : v.value.double_value;
				put_tag(o, 'F', c + 1u);
				put(o, &num, sizeof(num));
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				t = v.value.text_value;
				if (t != NULL &&
				    date_from_iso(t, strlen(t), &d)) {
					put_tag(o, 'D', c + 1u);
					put(o, &d, sizeof(d));
					break;
				}
				/* the date as text */
				__attribute__((fallthrough));
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
				t = v.value.text_value;
				if (t == NULL)
					break;
				put_tag(o, 'T', c + 1u);
				put_tag(o, 'l', (uint32_t)strlen(t));
				put(o, t, strlen(t));
				break;
			default:
				break;
			}
		}
		put(o, "E", 1);
	}
}

static void
child(const unsigned char *data, size_t len, int out_fd, unsigned seconds)
{
	struct rlimit cpu = { seconds, seconds + 1 };
	struct out o = { out_fd, false };
	const void *h = NULL;
	unsigned int n = 0, pw = 0;
	char path[64];
	size_t off = 0;
	int fd, r;

	setrlimit(RLIMIT_CPU, &cpu);
	fd = memfd_create("biebsync-xls", MFD_CLOEXEC);
	while (fd >= 0 && off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w <= 0)
			_exit(3);
		off += (size_t)w;
	}
	if (fd < 0)
		_exit(3);
	if (has_filepass(data, len)) {
		put(&o, "PZ", 2);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = freexl_open(path, &h);
	if (r != FREEXL_OK || h == NULL) {
		put_tag(&o, 'X', (uint32_t)(r == FREEXL_OK ? 1 : -r));
		put(&o, "Z", 1);
		_exit(0);
	}
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
	    pw == FREEXL_BIFF_OBFUSCATED) {
		put(&o, "PZ", 2);
		_exit(0);
	}
	if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK)
		n = 0;
	for (unsigned int i = 0; i < n && i < 0xffff; i++) {
		const char *name = NULL;

		if (freexl_get_worksheet_name(h, (unsigned short)i, &name) !=
		            FREEXL_OK ||
		    name == NULL)
			name = "";
		put_tag(&o, 'N', (uint32_t)strlen(name));
		put(&o, name, strlen(name));
	}
	for (unsigned int i = 0; i < n && i < 0xffff && !o.failed; i++)
		child_sheet(&o, h, (unsigned short)i);
	put(&o, "Z", 1);
	_exit(o.failed ? 4 : 0);
}

/* ---- the parent: records to rows ---- */

/* One record of the stream, parsed with every length checked. */
struct rec {
	char tag;
	uint32_t a, b;       /* index, row, column, or claimed size */
	double num;          /* 'F' */
	struct sheet_date d; /* 'D' */
	const char *text;    /* 'N', 'T' */
	uint32_t len;
};

static bool
take(const char **p, const char *end, void *out, size_t n)
{
	if ((size_t)(end - *p) < n)
		return false;
	memcpy(out, *p, n);
	*p += n;
	return true;
}

/* Parse the record at *p; false at the end or on damage. */
static bool
next_rec(const char **p, const char *end, struct rec *r)
{
	char l;

	if (!take(p, end, &r->tag, 1))
		return false;
	switch (r->tag) {
	case 'N':
		if (!take(p, end, &r->len, 4) || (size_t)(end - *p) < r->len)
			return false;
		r->text = *p;
		*p += r->len;
		return true;
	case 'S':
	case 'B':
	case 'X':
		return take(p, end, &r->a, 4);
	case 'L':
		return take(p, end, &r->a, 4) && take(p, end, &r->b, 4);
	case 'F':
		return take(p, end, &r->a, 4) &&
		       take(p, end, &r->num, sizeof(r->num));
	case 'D':
		return take(p, end, &r->a, 4) &&
		       take(p, end, &r->d, sizeof(r->d));
	case 'T':
		if (!take(p, end, &r->a, 4) || !take(p, end, &l, 1) ||
		    l != 'l' || !take(p, end, &r->len, 4) ||
		    (size_t)(end - *p) < r->len)
			return false;
		r->text = *p;
		*p += r->len;
		return true;
	case 'E':
	case 'P':
	case 'Z':
		return true;
	default:
		return false;
	}
}

/* Run the child and collect its records. */
static enum err
collect(struct sheet_book *b, struct xls *x, struct sheet_error *e)
{
	int pfd[2], status = 0;
	int64_t deadline = clock_ms() + b->lim.milliseconds;
	unsigned seconds = b->lim.milliseconds / 1000 + 1;
	char chunk[65536];
	pid_t pid;
	enum err rc = ERR_OK;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_IO, "xls: pipe");
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return sheet_fail(e, SHEET_P_BROKEN, ERR_IO, "xls: fork");
	}
	if (pid == 0) {
		close(pfd[0]);
		child(b->data, b->len, pfd[1], seconds);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd pf = { pfd[0], POLLIN, 0 };
		int64_t left = deadline - clock_ms();
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, (int)left) == 0) {
			rc = sheet_fail(e, SHEET_P_TIMEOUT, ERR_LIMIT,
			                "xls: reading took too long");
			break;
		}
		n = read(pfd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_add(&x->stream, chunk, (size_t)n) != ERR_OK) {
			rc = sheet_fail(e, SHEET_P_TOO_BIG, ERR_LIMIT,
			                "xls: more than %zu bytes of cells",
			                b->lim.total_bytes);
			break;
		}
	}
	close(pfd[0]);
	if (rc != ERR_OK)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == ERR_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                "xls: the reader process failed (%s %d)",
		                WIFSIGNALED(status) ? "signal" : "status",
		                WIFSIGNALED(status) ? WTERMSIG(status)
		                                    : WEXITSTATUS(status));
	return rc;
}

static enum err
xls_read(struct sheet_book *b, size_t i, struct rowout *o)
{
	struct xls *x = b->impl;
	const char *p = x->stream.data, *end = p + x->stream.len;
	struct rec r;
	enum err rc = ERR_OK;
	bool mine = false;

	while (rc == ERR_OK && next_rec(&p, end, &r) && r.tag != 'Z') {
		if (r.tag == 'S') {
			if (mine)
				break; /* the next sheet: done */
			mine = r.a == i;
			continue;
		}
		if (!mine)
			continue;
		switch (r.tag) {
		case 'L':
			if (r.a > b->lim.rows || r.b > b->lim.cols)
				return sheet_fail(
				        o->e, SHEET_P_TOO_BIG, ERR_LIMIT,
				        "xls: sheet of %u rows and %u columns",
				        r.a, r.b);
			break;
		case 'B':
			rc = rowout_begin(o, r.a);
			break;
		case 'F':
			rc = rowout_number(o, r.a, r.num);
			break;
		case 'D':
			rc = rowout_date(o, r.a, &r.d, 0);
			break;
		case 'T':
			rc = rowout_text(o, r.a, SHEET_TEXT, r.text, r.len);
			break;
		case 'E':
			rc = rowout_end(o);
			break;
		default:
			break;
		}
	}
	if (rc == ERR_OK && !mine)
		return sheet_fail(o->e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: sheet %zu cannot be selected", i + 1);
	return rc;
}

static void
xls_free(void *impl)
{
	struct xls *x = impl;

	buf_release(&x->stream);
	free(x);
}

static const struct reader_ops xls_ops = { .read = xls_read, .free = xls_free };

enum err
xls_open(struct sheet_book *b, struct sheet_error *e)
{
	struct xls *x = xcalloc(1, sizeof(*x));
	const char *p, *end;
	struct rec r;
	enum err rc;
	char name[1024];

	b->ops = &xls_ops;
	b->impl = x;
	buf_init(&x->stream, b->lim.total_bytes);
	if ((rc = collect(b, x, e)) != ERR_OK)
		return rc;
	p = x->stream.data;
	end = p + x->stream.len;
	while (next_rec(&p, end, &r) && r.tag != 'S' && r.tag != 'Z') {
		if (r.tag == 'X')
			return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
			                  "xls: freexl_open failed (%u)", r.a);
		if (r.tag == 'P')
			return sheet_fail(
			        e, SHEET_P_ENCRYPTED, ERR_INVALID,
			        "xls: workbook with a password (FILEPASS)");
		if (r.tag == 'N') {
			snprintf(name, sizeof(name), "%.*s", (int)r.len,
			         r.text);
			if ((rc = book_add_sheet(b, name, true, e)) != ERR_OK)
				return rc;
		}
	}
	if (b->nsheets == 0)
		return sheet_fail(e, SHEET_P_BROKEN, ERR_INVALID,
		                  "xls: freexl found no sheet");
	return ERR_OK;
}
