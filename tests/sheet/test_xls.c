/*
 * The xls reader (freexl on the bytes in memory, see src/sheet/xls.c) on
 * workbooks that LibreOffice converted from .xlsx files written here with
 * libxlsxwriter: text, numbers, dates, booleans and formulas (which freexl
 * does not report), sparse cells, several sheets, dimensions, a password,
 * truncation and the parse-time limit.  The saved inputs that crash freexl
 * itself go through the sandbox (tests/import/test_sandboxed.c), as every
 * upload does.
 *
 * LibreOffice (soffice, package libreoffice-calc-nogui, installed by
 * `scripts/deps.sh test`) runs once for all fixtures in the group setup,
 * with a private profile, plus once more for the password-protected copy
 * (a Basic macro: --convert-to cannot set a password in LibreOffice 7.4).
 * Without soffice every test here fails with a message saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "../testutil.h"
#include "dump.h"
#include "zipw.h"

extern char **environ;

/* The fixtures: one .xlsx written here and converted to .xls each. */
enum { FX_TYPES, FX_SHEETS, FX_1904, FX_BIG, FX__MAX };
static const char *const fx_name[FX__MAX] = { "types", "sheets", "1904",
	                                      "big" };

static struct {
	char dir[64];       /* private temporary directory */
	char *xls[FX__MAX]; /* the converted bytes */
	size_t len[FX__MAX];
	/* sheets.xls (its Workbook stream in the mini stream) and big.xls
	 * (a stream of its own) saved with the password "geheim" */
	char *enc[2];
	size_t enc_len[2];
	char why[512]; /* why the fixtures are missing */
} fx;

/* ---- writing the .xlsx files ---- */

static void
write_types(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Leerlingen");
	lxw_format *dmy = workbook_add_format(wb);
	lxw_format *dmyhms = workbook_add_format(wb);
	lxw_format *builtin = workbook_add_format(wb);
	lxw_format *hm = workbook_add_format(wb);
	lxw_datetime d = { 2016, 4, 3, 0, 0, 0 };
	lxw_datetime dt = { 2024, 8, 31, 13, 45, 30 };
	lxw_datetime leap = { 2000, 2, 29, 0, 0, 0 };
	lxw_datetime t = { 0, 0, 0, 8, 30, 0 };
	lxw_datetime march1900 = { 1900, 3, 1, 0, 0, 0 };

	format_set_num_format(dmy, "dd-mm-yyyy");
	format_set_num_format(dmyhms, "dd-mm-yyyy hh:mm:ss");
	format_set_num_format_index(builtin, 14);
	format_set_num_format(hm, "hh:mm");
	/* text: precomposed, decomposed (e + U+0308), more accents */
	worksheet_write_string(ws, 0, 0, "Zo\xc3\xab", NULL);
	worksheet_write_string(ws, 0, 1, "Zoe\xcc\x88", NULL);
	worksheet_write_string(ws, 0, 2,
	                       "\xc3\x87"
	                       "elik-\xc3\x98rsted",
	                       NULL);
	worksheet_write_string(ws, 0, 3, "Fran\xc3\xa7ois \xe2\x82\xac 5",
	                       NULL);
	/* integers and decimals (RK and NUMBER records) */
	worksheet_write_number(ws, 1, 0, 12345, NULL);
	worksheet_write_number(ws, 1, 1, -7, NULL);
	worksheet_write_number(ws, 1, 2, 536870912, NULL);
	worksheet_write_number(ws, 1, 3, 0.1, NULL);
	worksheet_write_number(ws, 1, 4, -3.25, NULL);
	worksheet_write_number(ws, 1, 5, 19.99, NULL);
	worksheet_write_number(ws, 1, 6, 1234.5678, NULL);
	/* dates */
	worksheet_write_datetime(ws, 2, 0, &d, dmy);
	worksheet_write_datetime(ws, 2, 1, &dt, dmyhms);
	worksheet_write_datetime(ws, 2, 2, &leap, builtin);
	worksheet_write_datetime(ws, 2, 3, &t, hm);
	/* day 61, after Excel's nonexistent 1900-02-29 */
	worksheet_write_datetime(ws, 2, 4, &march1900, dmy);
	/* booleans and a formula */
	worksheet_write_boolean(ws, 3, 0, 1, NULL);
	worksheet_write_boolean(ws, 3, 1, 0, NULL);
	worksheet_write_formula_num(ws, 3, 2, "=1+1", NULL, 2);
	/* sparse: B5, C5 empty; row 6 empty; column AD */
	worksheet_write_string(ws, 4, 0, "a", NULL);
	worksheet_write_string(ws, 4, 3, "d", NULL);
	worksheet_write_number(ws, 4, 29, 30, NULL);
	worksheet_write_string(ws, 6, 1, "na het gat", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void
write_sheets(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *a = workbook_add_worksheet(wb, "Uitleg");
	lxw_worksheet *b = workbook_add_worksheet(
	        wb, "Groep 5 \xe2\x80\x93 juf \xc3\x89va");
	lxw_worksheet *d;

	workbook_add_worksheet(wb, "Leeg");
	d = workbook_add_worksheet(wb, "Laatste");
	worksheet_write_string(a, 0, 0, "lees mij", NULL);
	for (int r = 1; r < 10; r++)
		for (int col = 1; col < 4; col++)
			if ((r + col) % 2 == 0)
				worksheet_write_number(b, (lxw_row_t)r,
				                       (lxw_col_t)col,
				                       r * 10 + col, NULL);
	worksheet_write_string(d, 2, 2, "einde", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* The 1904 date system, which libxlsxwriter does not write: by hand. */
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL                                                                 \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG   "http://schemas.openxmlformats.org/package/2006/"
#define CT_SHEET "application/vnd.openxmlformats-officedocument.spreadsheetml."

static void
write_1904(const char *path)
{
	struct zipw z;
	size_t len;
	char *d;
	FILE *f;

	zipw_init(&z);
	zipw_add(
	        &z, "[Content_Types].xml",
	        "<Types xmlns=\"" NS_PKG
	        "content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT_SHEET
	        "sheet.main+xml\"/>"
	        "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT_SHEET
	        "worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"" CT_SHEET
	        "styles+xml\"/></Types>");
	zipw_add(
	        &z, "_rels/.rels",
	        "<Relationships xmlns=\"" NS_PKG "relationships\">"
	        "<Relationship Id=\"rId1\" Type=\"" NS_REL
	        "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
	zipw_add(
	        &z, "xl/workbook.xml",
	        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
	        "<workbookPr date1904=\"1\"/><sheets><sheet name=\"Blad1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	zipw_add(
	        &z, "xl/_rels/workbook.xml.rels",
	        "<Relationships xmlns=\"" NS_PKG "relationships\">"
	        "<Relationship Id=\"rId1\" Type=\"" NS_REL
	        "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS_REL
	        "/styles\" Target=\"styles.xml\"/>"
	        "</Relationships>");
	zipw_add(&z, "xl/worksheets/sheet1.xml",
	         "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
	         "<c r=\"A1\" s=\"1\"><v>40908</v></c><c r=\"B1\"><v>40908"
	         "</v></c></row></sheetData></worksheet>");
	zipw_add(
	        &z, "xl/styles.xml",
	        "<styleSheet xmlns=\"" NS_MAIN
	        "\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
	d = zipw_finish(&z, &len);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(d);
}

/* Enough cells that freexl needs far more than a millisecond. */
static void
write_big(const char *path)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);

	for (lxw_row_t r = 0; r < 4000; r++) {
		worksheet_write_number(ws, r, 0, 100000 + r, NULL);
		worksheet_write_string(ws, r, 1, "Jansen", NULL);
		worksheet_write_string(ws, r, 2, "de", NULL);
		worksheet_write_number(ws, r, 3, 1.5 * r, NULL);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

/* ---- running LibreOffice ---- */

/* The end of soffice's log on one line, for a failure message (the
 * directory is gone when the tests run). */
static const char *
slurp_log(const char *path)
{
	static char tail[320];
	FILE *f = fopen(path, "rb");
	long size;
	size_t n;

	tail[0] = '\0';
	if (f == NULL)
		return "(no log)";
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size > 300 ? size - 300 : 0, SEEK_SET);
	n = fread(tail, 1, sizeof(tail) - 1, f);
	fclose(f);
	tail[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (tail[i] == '\n')
			tail[i] = ' ';
	return tail;
}

/* Run argv with output into log; true when it exited 0 within the time. */
static bool
run(char *const argv[], const char *log, int seconds)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;
	int status = 0, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log,
	                                 O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&at);
	/* its own process group, so a hang is ended with all its children */
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		snprintf(
		        fx.why, sizeof(fx.why),
		        "cannot start %s: %s (install libreoffice-calc-nogui: sh scripts/deps.sh test)",
		        argv[0], strerror(rc));
		return false;
	}
	for (int i = 0; i < seconds * 20; i++) {
		struct timespec ts = { 0, 50000000 };

		rc = waitpid(pid, &status, WNOHANG);
		if (rc == pid)
			break;
		nanosleep(&ts, NULL);
	}
	if (rc != pid) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(fx.why, sizeof(fx.why), "%s took over %d s: %s",
		         argv[0], seconds, slurp_log(log));
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(fx.why, sizeof(fx.why), "%s failed, status %d: %s",
		         argv[0], status, slurp_log(log));
		return false;
	}
	return true;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char tmp[65536];
	size_t n;
	char *s;

	*len = 0;
	if (f == NULL)
		return NULL;
	buf_init(&b, 1u << 26);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	s = buf_detach(&b, len);
	buf_release(&b);
	return s;
}

/* The Basic macro that saves two workbooks with a password (the user
 * profile's Standard library is trusted, so it runs without asking). */
static const char macro[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE script:module PUBLIC \"-//OpenOffice.org//DTD OfficeDocument 1.0//EN\" \"module.dtd\">\n"
        "<script:module xmlns:script=\"http://openoffice.org/2000/script\" script:name=\"Module1\" script:language=\"StarBasic\">\n"
        "Sub SaveWithPassword(sIn As String, sOut As String)\n"
        "  Dim a(0) As New com.sun.star.beans.PropertyValue\n"
        "  a(0).Name = &quot;Hidden&quot; : a(0).Value = True\n"
        "  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), &quot;_blank&quot;, 0, a())\n"
        "  Dim b(1) As New com.sun.star.beans.PropertyValue\n"
        "  b(0).Name = &quot;FilterName&quot; : b(0).Value = &quot;MS Excel 97&quot;\n"
        "  b(1).Name = &quot;Password&quot; : b(1).Value = &quot;geheim&quot;\n"
        "  oDoc.storeToURL(ConvertToURL(sOut), b())\n"
        "  oDoc.close(True)\n"
        "End Sub\n"
        "Sub Encrypt(sDir As String)\n"
        "  Call SaveWithPassword(sDir + &quot;/sheets.xls&quot;, sDir + &quot;/geheim.xls&quot;)\n"
        "  Call SaveWithPassword(sDir + &quot;/big.xls&quot;, sDir + &quot;/geheim-groot.xls&quot;)\n"
        "End Sub\n"
        "</script:module>\n";

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static int
setup(void **s)
{
	char path[FX__MAX][128], profile[128], env[160], log[128];
	char mod[192], call[512], enc[128];
	static const char *const enc_name[2] = { "geheim", "geheim-groot" };
	char *argv[16];
	int n = 0;
	FILE *f;

	(void)s;
	tu_tmpdir(fx.dir);
	snprintf(profile, sizeof(profile), "%s/profile", fx.dir);
	snprintf(env, sizeof(env), "-env:UserInstallation=file://%s", profile);
	snprintf(log, sizeof(log), "%s/soffice.log", fx.dir);
	for (int i = 0; i < FX__MAX; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s.xlsx", fx.dir,
		         fx_name[i]);
	write_types(path[FX_TYPES]);
	write_sheets(path[FX_SHEETS]);
	write_1904(path[FX_1904]);
	write_big(path[FX_BIG]);

	argv[n++] = (char *)(uintptr_t) "soffice";
	argv[n++] = (char *)(uintptr_t) "--headless";
	argv[n++] = env;
	argv[n++] = (char *)(uintptr_t) "--convert-to";
	argv[n++] = (char *)(uintptr_t) "xls";
	argv[n++] = (char *)(uintptr_t) "--outdir";
	argv[n++] = fx.dir;
	for (int i = 0; i < FX__MAX; i++)
		argv[n++] = path[i];
	argv[n] = NULL;
	if (!run(argv, log, 120))
		return 0;
	for (int i = 0; i < FX__MAX; i++) {
		char out[128];

		snprintf(out, sizeof(out), "%s/%s.xls", fx.dir, fx_name[i]);
		fx.xls[i] = slurp(out, &fx.len[i]);
		if (fx.xls[i] == NULL)
			snprintf(fx.why, sizeof(fx.why),
			         "soffice wrote no %s: %s", out,
			         slurp_log(log));
	}

	/* the first run made the profile; put the macro in it */
	snprintf(mod, sizeof(mod), "%s/user/basic/Standard/Module1.xba",
	         profile);
	f = fopen(mod, "w");
	if (f == NULL || fputs(macro, f) < 0 || fclose(f) != 0) {
		snprintf(fx.why, sizeof(fx.why),
		         "cannot write the macro to %s: %s", mod,
		         strerror(errno));
		return 0;
	}
	snprintf(call, sizeof(call),
	         "macro:///Standard.Module1.Encrypt(\"%s\")", fx.dir);
	n = 0;
	argv[n++] = (char *)(uintptr_t) "soffice";
	argv[n++] = (char *)(uintptr_t) "--headless";
	argv[n++] = env;
	argv[n++] = call;
	argv[n] = NULL;
	if (!run(argv, log, 120))
		return 0;
	for (int i = 0; i < 2; i++) {
		snprintf(enc, sizeof(enc), "%s/%s.xls", fx.dir, enc_name[i]);
		fx.enc[i] = slurp(enc, &fx.enc_len[i]);
		if (fx.enc[i] == NULL) {
			snprintf(fx.why, sizeof(fx.why),
			         "the macro wrote no %s: %s", enc,
			         slurp_log(log));
			return 0;
		}
	}
	return 0;
}

static int
teardown(void **s)
{
	(void)s;
	for (int i = 0; i < FX__MAX; i++)
		free(fx.xls[i]);
	free(fx.enc[0]);
	free(fx.enc[1]);
	nftw(fx.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* The bytes of a fixture, or fail saying why there are none. */
static const char *
fixture(int i, size_t *len)
{
	if (fx.xls[i] == NULL)
		fail_msg("no LibreOffice fixtures: %s", fx.why);
	*len = fx.len[i];
	return fx.xls[i];
}

/* The dump of sheet idx (-1: the first worksheet) of an .xls. */
static char *
dump(const char *data, size_t len, int idx)
{
	struct sheet_error e;
	enum sheet_format f;
	char *got = dump_sheet(data, len, idx, &f, &e);

	if (got == NULL)
		fail_msg("refused: %s", e.detail);
	assert_int_equal(f, SHEET_FMT_XLS);
	return got;
}

/* The lines of a dump that belong to row r, in a static buffer. */
static const char *
row_of(const char *dump_text, unsigned r)
{
	static char out[4096];
	char prefix[16];
	size_t n = 0, pl;

	pl = (size_t)snprintf(prefix, sizeof(prefix), "%u\t", r);
	out[0] = '\0';
	for (const char *p = dump_text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t ll = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);

		if (strncmp(p, prefix, pl) == 0 && n + ll < sizeof(out)) {
			memcpy(out + n, p, ll);
			n += ll;
			out[n] = '\0';
		}
		p += ll;
	}
	return out;
}

/* Find the cell at row r, column c of the first sheet. */
struct find {
	uint32_t row, col;
	struct sheet_cell cell;
	bool found;
};

static enum err
find_row(void *ctx, const struct sheet_row *r)
{
	struct find *f = ctx;

	if (r->row != f->row)
		return ERR_OK;
	for (size_t i = 0; i < r->ncells; i++)
		if (r->cells[i].col == f->col) {
			f->cell = r->cells[i];
			f->cell.text = NULL; /* valid only during the call */
			f->found = true;
		}
	return ERR_OK;
}

static struct sheet_cell
cell_at(const char *data, size_t len, uint32_t row, uint32_t col)
{
	struct find f = { .row = row, .col = col };
	struct sheet_book *b;
	struct sheet_error e;

	assert_int_equal(sheet_open(data, len, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_read(b, 0, find_row, &f, &e), ERR_OK);
	sheet_book_free(b);
	if (!f.found)
		fail_msg("no cell at row %u, column %u", row, col);
	return f.cell;
}

static void
test_text_is_utf8_nfc(void **s)
{
	size_t len;
	const char *d = fixture(FX_TYPES, &len);
	char *got = dump(d, len, -1);

	(void)s;
	/* B1 was written decomposed (e + U+0308) and reads composed */
	assert_string_equal(row_of(got, 1),
	                    "1\t1\tZo\xc3\xab\ts\n"
	                    "1\t2\tZo\xc3\xab\ts\n"
	                    "1\t3\t\xc3\x87"
	                    "elik-\xc3\x98rsted\ts\n"
	                    "1\t4\tFran\xc3\xa7ois \xe2\x82\xac 5\ts\n");
	free(got);
}

static void
test_integers_and_decimals(void **s)
{
	size_t len;
	const char *d = fixture(FX_TYPES, &len);
	char *got = dump(d, len, -1);
	struct sheet_cell c;

	(void)s;
	assert_string_equal(row_of(got, 2), "2\t1\t12345\tn\n2\t2\t-7\tn\n"
	                                    "2\t3\t536870912\tn\n2\t4\t0.1\tn\n"
	                                    "2\t5\t-3.25\tn\n2\t6\t19.99\tn\n"
	                                    "2\t7\t1234.5678\tn\n");
	/* exactly the doubles written, not near them */
	c = cell_at(d, len, 2, 6);
	assert_int_equal(c.type, SHEET_NUMBER);
	assert_true(c.number == 19.99);
	c = cell_at(d, len, 2, 4);
	assert_true(c.number == 0.1);
	free(got);
}

static void
test_dates_and_date_times(void **s)
{
	size_t len;
	const char *d = fixture(FX_TYPES, &len);
	char *got = dump(d, len, -1);
	struct sheet_cell c;

	(void)s;
	assert_string_equal(row_of(got, 3), "3\t1\t2016-04-03\td\n"
	                                    "3\t2\t2024-08-31T13:45:30\td\n"
	                                    "3\t3\t2000-02-29\td\n"
	                                    "3\t4\t08:30:00\td\n"
	                                    "3\t5\t1900-03-01\td\n");
	/* dd-mm-yyyy: a calendar date */
	c = cell_at(d, len, 3, 1);
	assert_int_equal(c.type, SHEET_DATE);
	assert_int_equal(c.date.kind, SHEET_DATE_DAY);
	assert_int_equal(c.date.year, 2016);
	assert_int_equal(c.date.month, 4);
	assert_int_equal(c.date.day, 3);
	/* dd-mm-yyyy hh:mm:ss */
	c = cell_at(d, len, 3, 2);
	assert_int_equal(c.type, SHEET_DATE);
	assert_int_equal(c.date.kind, SHEET_DATE_DATETIME);
	assert_int_equal(c.date.year, 2024);
	assert_int_equal(c.date.month, 8);
	assert_int_equal(c.date.day, 31);
	assert_int_equal(c.date.hour, 13);
	assert_int_equal(c.date.min, 45);
	assert_int_equal(c.date.sec, 30);
	/* hh:mm: a time of day */
	c = cell_at(d, len, 3, 4);
	assert_int_equal(c.date.kind, SHEET_DATE_TIME);
	assert_int_equal(c.date.hour, 8);
	assert_int_equal(c.date.min, 30);
	free(got);
}

/* Serial 40908 in a 1904 workbook is 2016-01-01 (4 years and a day later
 * than in the 1900 system); the plain number next to it stays a number. */
static void
test_1904_date_system(void **s)
{
	size_t len;
	const char *d = fixture(FX_1904, &len);
	char *got = dump(d, len, -1);

	(void)s;
	assert_string_equal(got, "1\t1\t2016-01-01\td\n1\t2\t40908\tn\n");
	free(got);
}

/*
 * freexl 1.0.6 reports no BOOLERR and no FORMULA cells of a BIFF8 file, and
 * LibreOffice writes the xlsx booleans as formulas (TRUE(), FALSE()): row 4
 * (TRUE, FALSE, =1+1) does not come through.  This test says so, so that a
 * reader that does better notices and turns it into the real expectation.
 */
static void
test_booleans_and_formulas_are_not_reported_by_freexl(void **s)
{
	size_t len;
	const char *d = fixture(FX_TYPES, &len);
	char *got = dump(d, len, -1);

	(void)s;
	assert_string_equal(row_of(got, 4), "");
	free(got);
}

static void
test_empty_cells_skipped_and_columns_kept(void **s)
{
	size_t len;
	const char *d = fixture(FX_TYPES, &len);
	char *got = dump(d, len, -1);

	(void)s;
	assert_string_equal(row_of(got, 5), "5\t1\ta\ts\n5\t4\td\ts\n"
	                                    "5\t30\t30\tn\n");
	assert_string_equal(row_of(got, 6), "");
	assert_string_equal(row_of(got, 7), "7\t2\tna het gat\ts\n");
	free(got);
}

static void
test_sheets_in_order_with_their_names(void **s)
{
	static const char *const names[] = {
		"Uitleg", "Groep 5 \xe2\x80\x93 juf \xc3\x89va", "Leeg",
		"Laatste"
	};
	size_t len;
	const char *d = fixture(FX_SHEETS, &len);
	struct sheet_book *b;
	struct sheet_error e;
	char *got;

	(void)s;
	assert_int_equal(sheet_open(d, len, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_book_format(b), SHEET_FMT_XLS);
	assert_int_equal(sheet_count(b), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(sheet_get_info(b, i)->name, names[i]);
		assert_true(sheet_get_info(b, i)->worksheet);
	}
	assert_null(sheet_get_info(b, 4));
	assert_int_equal(sheet_first_worksheet(b), 0);
	assert_int_equal(sheet_find(b, names[1]), 1);
	assert_int_equal(sheet_find(b, "Laatste"), 3);
	assert_int_equal(sheet_read(b, 4, dump_row, NULL, &e), ERR_NOTFOUND);
	assert_int_equal(e.problem, SHEET_P_BAD_SHEET);
	sheet_book_free(b);

	got = dump(d, len, 0);
	assert_string_equal(got, "1\t1\tlees mij\ts\n");
	free(got);
	got = dump(d, len, 2);
	assert_string_equal(got, "");
	free(got);
	got = dump(d, len, 3);
	assert_string_equal(got, "3\t3\teinde\ts\n");
	free(got);
	got = dump(d, len, 1);
	assert_string_equal(row_of(got, 2), "2\t2\t11\tn\n2\t4\t13\tn\n");
	assert_string_equal(row_of(got, 10), "10\t2\t91\tn\n10\t4\t93\tn\n");
	free(got);
}

static void
test_sheet_dimensions(void **s)
{
	size_t len;
	const char *d = fixture(FX_SHEETS, &len);
	struct sheet_book *b;
	struct sheet_error e;
	struct sheet_dims dm;

	(void)s;
	assert_int_equal(sheet_open(d, len, NULL, &b, &e), ERR_OK);
	/* B2:D10, a checkerboard: 9 rows, 5 x 2 + 4 x 1 = 14 cells */
	assert_int_equal(sheet_dimensions(b, 1, &dm, &e), ERR_OK);
	assert_int_equal(dm.first_row, 2);
	assert_int_equal(dm.last_row, 10);
	assert_int_equal(dm.first_col, 2);
	assert_int_equal(dm.last_col, 4);
	assert_int_equal(dm.rows, 9);
	assert_int_equal(dm.cells, 14);
	/* an empty sheet */
	assert_int_equal(sheet_dimensions(b, 2, &dm, &e), ERR_OK);
	assert_int_equal(dm.rows, 0);
	assert_int_equal(dm.cells, 0);
	assert_int_equal(dm.last_row, 0);
	/* one cell at C3 */
	assert_int_equal(sheet_dimensions(b, 3, &dm, &e), ERR_OK);
	assert_int_equal(dm.first_row, 3);
	assert_int_equal(dm.last_row, 3);
	assert_int_equal(dm.first_col, 3);
	assert_int_equal(dm.last_col, 3);
	assert_int_equal(dm.cells, 1);
	sheet_book_free(b);

	/* 4000 rows of 4 cells */
	d = fixture(FX_BIG, &len);
	assert_int_equal(sheet_open(d, len, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_dimensions(b, 0, &dm, &e), ERR_OK);
	assert_int_equal(dm.first_row, 1);
	assert_int_equal(dm.last_row, 4000);
	assert_int_equal(dm.last_col, 4);
	assert_int_equal(dm.cells, 16000);
	sheet_book_free(b);
}

/* LibreOffice's RC4 CryptoAPI encryption, which freexl cannot read and
 * which the child recognises by its FILEPASS record. */
static void
test_password_protected_is_refused(void **s)
{
	struct sheet_book *b;
	struct sheet_error e;

	(void)s;
	for (int i = 0; i < 2; i++) {
		if (fx.enc[i] == NULL)
			fail_msg("no password-protected fixture: %s", fx.why);
		assert_int_equal(sheet_sniff(fx.enc[i], fx.enc_len[i], &e),
		                 SHEET_FMT_XLS);
		assert_int_equal(
		        sheet_open(fx.enc[i], fx.enc_len[i], NULL, &b, &e),
		        ERR_INVALID);
		assert_null(b);
		assert_int_equal(e.problem, SHEET_P_ENCRYPTED);
	}
	assert_non_null(
	        strstr(sheet_problem_text(e.problem, LANG_NL), "wachtwoord"));
}

/* Cut short anywhere after the OLE2 magic: refused as damaged (or, where only
 * the unused tail went, read in full), never a crash. */
static void
test_truncated_is_refused_as_damaged(void **s)
{
	size_t len;
	const char *d = fixture(FX_TYPES, &len);
	char *whole = dump(d, len, -1);
	int refused = 0;

	(void)s;
	for (size_t cut = 8; cut < len; cut += cut < 1024 ? 97 : 256) {
		struct sheet_error e;
		char *got = dump_sheet(d, cut, -1, NULL, &e);

		if (got == NULL) {
			if (e.problem != SHEET_P_BROKEN)
				fail_msg("cut at %zu: %s (%s)", cut,
				         sheet_problem_str(e.problem),
				         e.detail);
			refused++;
		} else {
			assert_string_equal(got, whole);
		}
		free(got);
	}
	assert_true(refused > 10);
	free(whole);
}

/* A row consumer that is slow on the first row. */
static enum err
slow_row(void *ctx, const struct sheet_row *row)
{
	struct timespec ms30 = { 0, 30000000 };

	(void)ctx;
	if (row->row == 1)
		nanosleep(&ms30, NULL);
	return ERR_OK;
}

/* The time limit: checked while the rows are read, so a read that takes
 * longer is refused as too slow.  (freexl parses the whole workbook in
 * xls_open(), which cannot be stopped there: the sandbox's CPU limit and
 * deadline do that, tests/base/test_sandbox.c.) */
static void
test_parse_time_limit(void **s)
{
	struct sheet_limits lim;
	struct sheet_book *b = NULL;
	struct sheet_error e;
	size_t len;
	const char *d = fixture(FX_BIG, &len);

	(void)s;
	sheet_limits_default(&lim);
	lim.milliseconds = 1; /* xls_open does not look at the clock */
	assert_int_equal(sheet_open(d, len, &lim, &b, &e), ERR_OK);
	assert_int_equal(sheet_read(b, 0, slow_row, NULL, &e), ERR_LIMIT);
	assert_int_equal(e.problem, SHEET_P_TIMEOUT);
	sheet_book_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_utf8_nfc),
		cmocka_unit_test(test_integers_and_decimals),
		cmocka_unit_test(test_dates_and_date_times),
		cmocka_unit_test(test_1904_date_system),
		cmocka_unit_test(
		        test_booleans_and_formulas_are_not_reported_by_freexl),
		cmocka_unit_test(test_empty_cells_skipped_and_columns_kept),
		cmocka_unit_test(test_sheets_in_order_with_their_names),
		cmocka_unit_test(test_sheet_dimensions),
		cmocka_unit_test(test_password_protected_is_refused),
		cmocka_unit_test(test_truncated_is_refused_as_damaged),
		cmocka_unit_test(test_parse_time_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
