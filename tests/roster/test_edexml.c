/*
 * EDEXML exports from bytes to students (src/roster/book.c with the EDEXML
 * reader of src/sheet/): the samples of EDEXML 2.0, 2.1 and 2.2 in
 * tests/fixtures/edexml/, as ParnasSys and ESIS write them, each also saved
 * as UTF-16 and UTF-32.  Every pupil the file holds who has not left is
 * read, with the exact name kept; pupils without a roepnaam get one from
 * their voornamen or voorletters; birth dates with a time zone are dates;
 * and no message speaks of Excel.  The reference date is TODAY
 * (2025-09-01); run from the repository root (tests/run.sh does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rows.h"
#include "../sheet/dump.h"
#include "../../src/roster/book.h"

#define DIR "tests/fixtures/edexml/"

/* What a sample must give: each student as "number|roepnaam|tussenvoegsel|
 * achternaam|birth|group", in file order, and the roepnaam_derived lines
 * (their rows). */
struct sample {
	const char *file;
	const char *students[12];
	uint32_t derived[4];
};

static const struct sample samples[] = {
	{ DIR "edexml-2.0.xml",
	  { "4501|Sanne|de|Jansen|20210304|Groep 1/2a",
	    "4502|Elif||\xc3\x96zt\xc3\xbcrk|20201130|Groep 1/2a",
	    "4388|Daan|van den|Berg|20180117|Groep 4",
	    "4390|Johannes||Bakker|20171002|Groep 4",
	    "4391|Ja\xc3\xafr||El Idrissi|20160506|Groep 4",
	    "4102|Fenna||Visser|20150630|Groep 7",
	    /* 4103 left on 2025-07-11 */
	    "4104|Noah||Smit|20150214|Groep 7" },
	  { 5 } },
	{ DIR "edexml-2.1.xml",
	  { "000731|Lotte|de|Vries|20190412|Groep 3",
	    "000732|E.||Y\xc4\xb1lmaz|20190108|Groep 3",
	    "000733|Sem||Mulder|20181224|Groep 3",
	    "000540|Thijs|van|Dijk|20160819|Groep 6",
	    /* 000541 left on 2025-06-27 */
	    "000542|Luuk||Peeters|20151111|Groep 6",
	    "000310|Saar||Hendriks|20131005|Groep 8",
	    "000311|Emir||Kaya|20130729|Groep 8" },
	  /* 000290 left on 2025-07-18 */
	  { 3, 8 } },
	{ DIR "edexml-2.2.xml",
	  { "20931|Finn|van der|Graaf|20170228|Groep 5a",
	    "20932|Evi|de|Jong|20161209|Groep 5a",
	    "20933|Minh||Nguyen|20170516|Groep 5a",
	    /* leaves on 2025-12-19: still at school */
	    "20950|Levi||Bos|20161001|Groep 5b",
	    /* 20951 left on 2025-06-30 */
	    "20952|T.||Kok|20161102|Groep 5b",
	    "20801|Ties||Maas|20140404|Groep 7/8",
	    "20802|Zeynep||\xc5\x9e"
	    "ahin|20130909|Groep 7/8",
	    /* 20803 left on 2025-07-04 */
	    "987|Isa||Koster|20140615|Groep 7/8" },
	  { 4, 7 } },
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d;
	long n;

	if (f == NULL)
		fail_msg("%s: cannot open (run from the repository root)",
		         path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)n + 1);
	assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return d;
}

/* Read data as an upload is read and check it against s. */
static void
expect_sample(const struct sample *s, const char *data, size_t len)
{
	struct roster_opts o;
	struct roster_file f;
	struct roster_source src;
	struct sheet_error e;
	struct buf b;
	size_t n = 0, nd = 0;

	roster_opts_default(&o, TODAY);
	assert_int_equal(roster_read_bytes(data, len, NULL, &o, &f, &src, &e),
	                 ERR_OK);
	assert_int_equal(src.format, SHEET_FMT_EDEXML);
	assert_int_equal(f.header.layout, ROSTER_LAYOUT_EDEXML);
	assert_false(f.blocked);
	assert_int_equal(f.nerrors, 0);

	while (n < 12 && s->students[n] != NULL)
		n++;
	assert_int_equal(f.nstudents, n);
	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < f.nstudents; i++) {
		const struct student *st = &f.students[i];

		buf_reset(&b);
		buf_addf(&b, "%s|%s|%s|%s|%d|%s", st->number, st->roepnaam,
		         st->tussenvoegsel, st->achternaam, (int)st->birth,
		         st->group);
		assert_string_equal(b.data, s->students[i]);
		assert_false(st->has_error);
	}

	/* which roepnamen were derived, and no word of Excel anywhere */
	for (size_t i = 0; i < f.nissues; i++) {
		const struct roster_issue *is = &f.issues[i];

		if (is->code == ROSTER_I_ROEPNAAM_DERIVED) {
			assert_true(nd < 4);
			assert_int_equal(is->row, s->derived[nd]);
			nd++;
		}
		for (int en = 0; en <= 1; en++) {
			buf_reset(&b);
			roster_issue_format(&b, is, en);
			if (strstr(b.data, "Excel") != NULL)
				fail_msg("%s: %s", s->file, b.data);
		}
	}
	while (nd < 4 && s->derived[nd] != 0)
		nd++;
	assert_int_equal(f.count[ROSTER_I_ROEPNAAM_DERIVED], nd);
	assert_int_equal(f.count[ROSTER_W_NUMBER_SHORT], 0);
	buf_release(&b);
	roster_file_release(&f);
}

static void
every_version_reads_every_pupil_at_school(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len;
		char *d = slurp(samples[i].file, &len);

		print_message("%s\n", samples[i].file);
		expect_sample(&samples[i], d, len);
		free(d);
	}
}

/* The same files saved as "Unicode" (UTF-16 or UTF-32, either byte order,
 * with or without a byte order mark) read the same. */
static void
every_version_reads_the_same_in_utf16_and_utf32(void **state)
{
	static const struct {
		int width;
		bool be, bom;
	} encs[] = {
		{ 2, false, true }, { 2, true, true },  { 2, false, false },
		{ 2, true, false }, { 4, false, true }, { 4, true, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len;
		char *d = slurp(samples[i].file, &len);

		for (size_t k = 0; k < sizeof(encs) / sizeof(encs[0]); k++) {
			size_t wlen;
			char *w = widen(d, len, encs[k].width, encs[k].be,
			                encs[k].bom, &wlen);

			expect_sample(&samples[i], w, wlen);
			free(w);
		}
		free(d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_version_reads_every_pupil_at_school),
		cmocka_unit_test(
		        every_version_reads_the_same_in_utf16_and_utf32),
	};

	return cmocka_run_group_tests_name("roster_edexml", tests, NULL, NULL);
}
