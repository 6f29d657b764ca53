/*
 * Tests for src/import/sandboxed.c and src/roster/wire.c: the sandboxed
 * read gives, field by field, what roster_read_bytes() gives in process,
 * on every file of the shared corpus (../shared/corpus: xlsx, xls, ods,
 * csv), the EDEXML fixtures and a generated student list with errors; the
 * decoder refuses every cut-short or altered encoding without harm; the
 * inputs that crash freexl are refused with the Dutch "beschadigd of te
 * groot" message while this process carries on; and a reader past its
 * memory limit is refused the same way.  The reader is this build's
 * biebsync started afresh (--sandboxed-reader), as in the server; the
 * generated list is also read in a forked reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/base/mem.h"
#include "../../src/import/sandboxed.h"
#include "../../src/roster/wire.h"

#define CORPUS "../shared/corpus"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t n = 0, alloc = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 65536;
			p = xrealloc(p, alloc + 1);
		}
		got = fread(p + n, 1, alloc - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	p[n] = '\0';
	*len = n;
	return p;
}

#define SAME_STR(a, b, what, i)                                                \
	do {                                                                   \
		if (strcmp((a), (b)) != 0)                                     \
			fail_msg("%s: %s %zu differs: \"%s\" / \"%s\"", name,  \
			         what, (size_t)(i), (a), (b));                 \
	} while (0)
#define SAME(a, b, what, i)                                                    \
	do {                                                                   \
		if ((a) != (b))                                                \
			fail_msg("%s: %s %zu differs: %lld / %lld", name,      \
			         what, (size_t)(i), (long long)(a),            \
			         (long long)(b));                              \
	} while (0)

static void
same_students(const char *name, const struct roster_file *a,
              const struct roster_file *b)
{
	SAME(a->nstudents, b->nstudents, "nstudents", 0);
	for (size_t i = 0; i < a->nstudents; i++) {
		const struct student *x = &a->students[i], *y = &b->students[i];

		SAME(x->id, y->id, "id of student", i);
		SAME(x->enrolled, y->enrolled, "enrolled of student", i);
		SAME(x->left_at, y->left_at, "left_at of student", i);
		SAME(x->row, y->row, "row of student", i);
		SAME(x->birth, y->birth, "birth of student", i);
		SAME(x->jaargroep, y->jaargroep, "jaargroep of student", i);
		SAME(x->active, y->active, "active of student", i);
		SAME(x->has_error, y->has_error, "has_error of student", i);
		SAME_STR(x->number, y->number, "number of student", i);
		SAME_STR(x->number_key, y->number_key, "number_key", i);
		SAME_STR(x->roepnaam, y->roepnaam, "roepnaam", i);
		SAME_STR(x->tussenvoegsel, y->tussenvoegsel, "tussenvoegsel",
		         i);
		SAME_STR(x->achternaam, y->achternaam, "achternaam", i);
		SAME_STR(x->group, y->group, "group", i);
		SAME_STR(x->group_key, y->group_key, "group_key", i);
	}
}

static void
same_issues(const char *name, const struct roster_file *a,
            const struct roster_file *b)
{
	SAME(a->nissues, b->nissues, "nissues", 0);
	for (size_t i = 0; i < a->nissues; i++) {
		const struct roster_issue *x = &a->issues[i],
		                          *y = &b->issues[i];

		SAME(x->code, y->code, "code of issue", i);
		SAME(x->row, y->row, "row of issue", i);
		SAME(x->col, y->col, "col of issue", i);
		SAME(x->arg, y->arg, "arg of issue", i);
		SAME(x->layout, y->layout, "layout of issue", i);
		SAME_STR(x->text, y->text, "text of issue", i);
		SAME_STR(x->name, y->name, "name of issue", i);
		SAME_STR(x->number, y->number, "number of issue", i);
		SAME_STR(x->other, y->other, "other of issue", i);
	}
	SAME(a->issues_omitted, b->issues_omitted, "issues_omitted", 0);
	for (size_t c = 0; c < ROSTER_CODE__MAX; c++)
		SAME(a->count[c], b->count[c], "count", c);
	SAME(a->nerrors, b->nerrors, "nerrors", 0);
	SAME(a->nwarnings, b->nwarnings, "nwarnings", 0);
	SAME(a->blocked, b->blocked, "blocked", 0);
	SAME(a->rows, b->rows, "rows", 0);
	SAME(a->ignored, b->ignored, "ignored", 0);
}

static void
same_header(const char *name, const struct roster_header *x,
            const struct roster_header *y)
{
	SAME(x->row, y->row, "header row", 0);
	SAME(x->score, y->score, "score", 0);
	SAME(x->usable, y->usable, "usable", 0);
	SAME(x->missing, y->missing, "missing", 0);
	for (size_t f = 0; f < ROSTER_F__MAX; f++)
		SAME(x->col[f], y->col[f], "col of field", f);
	SAME(x->first_word, y->first_word, "first_word", 0);
	SAME(x->layout, y->layout, "layout", 0);
	SAME(x->ncolumns, y->ncolumns, "ncolumns", 0);
	for (size_t i = 0; i < x->ncolumns; i++) {
		SAME(x->columns[i].col, y->columns[i].col, "column col", i);
		SAME(x->columns[i].field, y->columns[i].field, "column field",
		     i);
		SAME(x->columns[i].use, y->columns[i].use, "column use", i);
		SAME_STR(x->columns[i].header, y->columns[i].header,
		         "column header", i);
	}
	SAME(x->columns_omitted, y->columns_omitted, "columns_omitted", 0);
}

static void
same_preview(const char *name, const struct roster_preview *x,
             const struct roster_preview *y)
{
	SAME(x->nrows, y->nrows, "preview rows", 0);
	for (size_t r = 0; r < x->nrows; r++) {
		SAME(x->row[r], y->row[r], "preview row", r);
		for (size_t c = 0; c < ROSTER_PREVIEW_COLS; c++)
			SAME_STR(x->cell[r][c], y->cell[r][c], "preview cell",
			         r * 100 + c);
	}
}

/* The limits of the reads below: rl starts this build's biebsync as the
 * reader (the way the server and the commands read, set in main()),
 * rl_fork reads in a forked copy of this process (exe NULL); round_trip
 * uses *mode. */
static struct reader_limits rl = { (uint64_t)2 << 30, 120, NULL };
static const struct reader_limits rl_fork = { (uint64_t)2 << 30, 120, NULL };
static const struct reader_limits *mode = &rl;

/* Read data both ways and compare everything; returns the students. */
static size_t
round_trip(const char *name, const char *data, size_t len)
{
	struct roster_file fa, fb;
	struct roster_source sa, sb;
	struct sheet_error ea, eb;
	struct sandbox_report why;
	struct roster_opts o;
	enum err ra, rb;
	size_t n;

	roster_opts_default(&o, 20250901);
	ra = roster_read_bytes(data, len, NULL, &o, &fa, &sa, &ea);
	rb = read_sandboxed(data, len, NULL, &o, mode, &fb, &sb, &eb, &why);
	if (why.result != SANDBOX_OK)
		fail_msg("%s: the sandboxed reader ended: %s (%s)", name,
		         sandbox_result_str(why.result), eb.detail);
	SAME(ra, rb, "result", 0);
	SAME(ea.problem, eb.problem, "problem", 0);
	SAME_STR(ea.detail, eb.detail, "detail", 0);
	SAME(sa.format, sb.format, "format", 0);
	SAME(sa.sheet, sb.sheet, "sheet", 0);
	SAME(sa.sheets, sb.sheets, "sheets", 0);
	SAME_STR(sa.sheet_name, sb.sheet_name, "sheet name", 0);
	same_students(name, &fa, &fb);
	same_issues(name, &fa, &fb);
	same_header(name, &fa.header, &fb.header);
	same_preview(name, &fa.preview, &fb.preview);
	n = fa.nstudents;
	roster_file_release(&fa);
	roster_file_release(&fb);
	return n;
}

static char *student_list(size_t rows, size_t *len);

/* Run first, before this process has read anything: the child must not
 * rely on what its parent happened to do before the fork (glibc's qsort
 * asks for the memory size, with sysinfo, the first time it sorts a large
 * array, and keeps the answer). */
static void
a_large_list_reads_in_a_fresh_process(void **s)
{
	struct roster_file f;
	struct roster_source src;
	struct sheet_error e;
	struct sandbox_report why;
	struct roster_opts o;
	size_t len;
	char *d = student_list(20000, &len);

	(void)s;
	roster_opts_default(&o, 20250901);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(read_sandboxed(d, len, NULL, &o,
		                                i ? &rl : &rl_fork, &f, &src,
		                                &e, &why),
		                 ERR_OK);
		if (why.result != SANDBOX_OK)
			fail_msg("the reader ended: %s", e.detail);
		assert_true(f.nstudents > 19000);
		roster_file_release(&f);
	}
	free(d);
}

static void
corpus_reads_the_same_in_the_sandbox(void **s)
{
	size_t mlen, nfiles = 0, kinds[SHEET_FMT__MAX] = { 0 };
	char *m = slurp(CORPUS "/MANIFEST.tsv", &mlen), *line, *next;

	(void)s;
	if (m == NULL)
		skip(); /* no shared corpus beside the repository */
	line = strchr(m, '\n');
	for (line = line ? line + 1 : NULL; line && *line; line = next) {
		char *f[8] = { 0 }, *p = line, path[1024], *d;
		size_t k = 0, len;
		struct sheet_error e;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		for (f[k++] = p; k < 8 && (p = strchr(p, '\t')) != NULL;)
			*p++ = '\0', f[k++] = p;
		if (k < 7)
			continue;
		snprintf(path, sizeof(path), CORPUS "/files/%s", f[3]);
		if ((d = slurp(path, &len)) == NULL)
			fail_msg("cannot read %s", path);
		round_trip(f[3], d, len);
		kinds[sheet_sniff(d, len, &e)]++;
		nfiles++;
		free(d);
	}
	free(m);
	assert_true(nfiles > 500);
	assert_true(kinds[SHEET_FMT_XLSX] > 0 && kinds[SHEET_FMT_XLS] > 0 &&
	            kinds[SHEET_FMT_ODS] > 0 && kinds[SHEET_FMT_CSV] > 0);
}

static void
edexml_reads_the_same_in_the_sandbox(void **s)
{
	static const char *const names[] = { "edexml-2.0.xml", "edexml-2.1.xml",
		                             "edexml-2.2.xml" };

	(void)s;
	for (size_t i = 0; i < 3; i++) {
		char path[256], *d;
		size_t len;

		snprintf(path, sizeof(path), "tests/fixtures/edexml/%s",
		         names[i]);
		if ((d = slurp(path, &len)) == NULL)
			fail_msg(
			        "cannot read %s (run from the repository root)",
			        path);
		assert_true(round_trip(names[i], d, len) > 0);
		free(d);
	}
}

/* A student list with every kind of row: good ones, errors, duplicates,
 * long names, accents. */
static char *
student_list(size_t rows, size_t *len)
{
	struct buf b;

	buf_init(&b, 64u << 20);
	buf_adds(&b, "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;"
	             "Geboortedatum;Groep;BSN\r\n");
	for (size_t i = 0; i < rows; i++) {
		switch (i % 50) {
		case 7: /* no number */
			buf_addf(&b, ";Anna;;Zonder;01-02-2016;5a;\r\n");
			break;
		case 8: /* impossible date */
			buf_addf(&b, "%zu;Bram;van der;Berg;31-02-2015;6b;\r\n",
			         1000 + i);
			break;
		case 9: /* a duplicate of the row before */
			buf_addf(&b, "%zu;Cees;;Dubbel;03-04-2016;4;\r\n",
			         1000 + i - 1);
			break;
		default:
			buf_addf(
			        &b,
			        "%zu;Éva%zu;de;Ĳsselmeer-Jansen;%02zu-%02zu-%zu;"
			        "Groep %zu/%zua;%09zu\r\n",
			        1000 + i, i, 1 + i % 28, 1 + i % 12,
			        2012 + i % 6, 1 + i % 8, 2 + i % 7, i);
		}
	}
	char *d;

	*len = b.len;
	d = buf_detach(&b, len);
	buf_release(&b); /* detach left an empty buffer */
	return d;
}

static void
student_list_reads_the_same_in_the_sandbox(void **s)
{
	size_t len;
	char *d = student_list(20000, &len);

	(void)s;
	assert_true(round_trip("generated.csv", d, len) > 19000);
	/* and in a forked reader, as before the readers were started */
	mode = &rl_fork;
	assert_true(round_trip("generated.csv (forked)", d, len) > 19000);
	mode = &rl;
	free(d);
}

/* Every prefix and every single-byte change of an encoding: refused or
 * decoded, never a crash, and refused means nothing kept. */
static void
decoder_refuses_damaged_encodings(void **s)
{
	struct wire_result r, back;
	struct roster_opts o;
	struct buf b;
	size_t len, refused = 0;
	char *d = student_list(60, &len);

	(void)s;
	roster_opts_default(&o, 20250901);
	r.err = roster_read_bytes(d, len, NULL, &o, &r.file, &r.src, &r.e);
	assert_int_equal(r.err, ERR_OK);
	buf_init(&b, 1u << 20);
	assert_int_equal(wire_encode(&r, &b), ERR_OK);
	assert_int_equal(wire_decode(b.data, b.len, &o, &back), ERR_OK);
	assert_int_equal(back.file.nstudents, r.file.nstudents);
	roster_file_release(&back.file);
	for (size_t cut = 0; cut < b.len; cut++) {
		assert_int_equal(wire_decode(b.data, cut, &o, &back),
		                 ERR_INVALID);
		assert_null(back.file.students);
	}
	for (size_t i = 0; i < b.len; i++) {
		char was = b.data[i];

		for (int x = 1; x < 256; x <<= 1) {
			b.data[i] = (char)(was ^ x);
			if (wire_decode(b.data, b.len, &o, &back) != ERR_OK)
				refused++;
			roster_file_release(&back.file);
		}
		b.data[i] = was;
	}
	assert_true(refused > 0);
	/* fewer students allowed than the encoding holds: refused */
	o.max_students = r.file.nstudents - 1;
	assert_int_equal(wire_decode(b.data, b.len, &o, &back), ERR_INVALID);
	roster_file_release(&r.file);
	buf_release(&b);
	free(d);
}

static void
decoder_refuses_lies(void **s)
{
#define CASE(what, bytes)                                                      \
	{                                                                      \
		what, bytes, sizeof(bytes) - 1                                 \
	}
	static const struct {
		const char *what;
		const char *bytes;
		size_t len;
	} cases[] = {
		CASE("no mark", "XW1"),
		CASE("error out of range", "BW1\x7f"),
		CASE("problem out of range", "BW1\x01\x7f\x00\x00\x01\x00\x00"
		                             "END"),
		CASE("detail with a NUL", "BW1\x01\x01\x02"
		                          "a\x00"
		                          "\x00\x01\x00\x00"
		                          "END"),
		CASE("detail not UTF-8", "BW1\x01\x01\x01\xff"
		                         "\x00\x01\x00\x00"
		                         "END"),
		CASE("sheet beyond the sheets",
		     "BW1\x01\x01\x00\x00\x04\x02\x00"
		     "END"),
		CASE("a billion students",
		     "BW1\x00\x00\x00\x00\x01\x01\x00\x80\x94\xeb\xdc\x03"),
		CASE("trailing bytes", "BW1\x01\x01\x00\x00\x01\x00\x00"
		                       "ENDx"),
		CASE("no end", "BW1\x01\x01\x00\x00\x01\x00\x00"),
	};
	struct roster_opts o;
	struct wire_result back;

	(void)s;
	roster_opts_default(&o, 20250901);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (wire_decode(cases[i].bytes, cases[i].len, &o, &back) !=
		    ERR_INVALID)
			fail_msg("%s: decoded", cases[i].what);
	/* and a well-formed refusal decodes */
	assert_int_equal(wire_decode("BW1\x01\x01\x00\x00\x01\x00\x00"
	                             "END",
	                             13, &o, &back),
	                 ERR_OK);
	assert_int_equal(back.err, ERR_INVALID);
	assert_int_equal(back.src.sheets, 0);
}

static void
freexl_crashers_are_refused_by_the_sandbox(void **s)
{
	/* found by fuzz_xls (SECURITY.md, Fuzzing); the last one crashes
	 * freexl in a release build too */
	static const struct {
		const char *name;
		bool crashes;
	} inputs[] = {
		{ "freexl-stack-underflow-1", false },
		{ "freexl-stack-underflow-2", false },
		{ "freexl-heap-overread-1", false },
		{ "freexl-segv-1", true },
	};

	(void)s;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct roster_file f;
		struct roster_source src;
		struct sheet_error e;
		struct sandbox_report why;
		struct roster_opts o;
		char path[256], *d;
		size_t len;

		snprintf(path, sizeof(path), "fuzz/regress/%s", inputs[i].name);
		if ((d = slurp(path, &len)) == NULL)
			fail_msg(
			        "cannot read %s (run from the repository root)",
			        path);
		roster_opts_default(&o, 20250901);
		assert_int_equal(read_sandboxed(d, len, NULL, &o, &rl, &f, &src,
		                                &e, &why),
		                 ERR_INVALID);
		if (sandbox_memory_limited() && !inputs[i].crashes) {
			/* a release build: freexl's bad access goes unnoticed
			 * and it fails to open the file */
			assert_int_equal(why.result, SANDBOX_OK);
			assert_int_equal(e.problem, SHEET_P_BROKEN);
		} else {
			/* a sanitizer build (the sanitizer catches freexl's
			 * bad access), or a plain crash: the child ends */
			assert_true(why.result == SANDBOX_CRASHED ||
			            why.result == SANDBOX_FAILED);
			assert_int_equal(e.problem, SHEET_P_SANDBOX);
			assert_non_null(strstr(e.detail, "reader process"));
		}
		assert_non_null(strstr(sheet_problem_text(e.problem, LANG_NL),
		                       "beschadigd"));
		assert_int_equal(f.nstudents, 0);
		free(d);
	}
	/* and this process reads on */
	{
		size_t len;
		char *d = student_list(100, &len);

		assert_true(round_trip("after the crash", d, len) > 90);
		free(d);
	}
}

static void
memory_limit_is_refused_as_too_large(void **s)
{
	struct reader_limits small = { 8u << 20, 60, rl.exe };
	struct roster_file f;
	struct roster_source src;
	struct sheet_error e;
	struct sandbox_report why;
	struct roster_opts o;
	size_t len;
	enum err rc;
	char *d;

	(void)s;
	if (!sandbox_memory_limited()) {
		print_message("# sanitizer build: no address-space limit\n");
		skip();
	}
	d = student_list(100000, &len);
	roster_opts_default(&o, 20250901);
	rc = read_sandboxed(d, len, NULL, &o, &small, &f, &src, &e, &why);
	if (why.result != SANDBOX_MEMORY)
		fail_msg("the reader ended: %s", e.detail);
	assert_int_equal(rc, ERR_LIMIT);
	assert_int_equal(e.problem, SHEET_P_SANDBOX);
	assert_non_null(strstr(e.detail, "memory limit"));
	free(d);
}

int
main(int argc, char **argv)
{
	/* build/tests/import/test_sandboxed -> build/biebsync */
	static char exe[4096];
	char dir[4000], *cut;

	(void)argc;
	snprintf(dir, sizeof(dir), "%s", argv[0]);
	for (int up = 0; up < 3 && (cut = strrchr(dir, '/')) != NULL; up++)
		*cut = '\0';
	snprintf(exe, sizeof(exe), "%s/biebsync", dir);
	rl.exe = exe;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_large_list_reads_in_a_fresh_process),
		cmocka_unit_test(corpus_reads_the_same_in_the_sandbox),
		cmocka_unit_test(edexml_reads_the_same_in_the_sandbox),
		cmocka_unit_test(student_list_reads_the_same_in_the_sandbox),
		cmocka_unit_test(decoder_refuses_damaged_encodings),
		cmocka_unit_test(decoder_refuses_lies),
		cmocka_unit_test(freexl_crashers_are_refused_by_the_sandbox),
		cmocka_unit_test(memory_limit_is_refused_as_too_large),
	};

	return cmocka_run_group_tests_name("import/sandboxed", tests, NULL,
	                                   NULL);
}
