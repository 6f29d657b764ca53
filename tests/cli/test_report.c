/*
 * Tests for src/cli/report.c, what `biebsync check` and `biebsync import`
 * print about a file: each issue about a pupil's row names the row, the
 * column and the pupil, says what is wrong with the value, and how to fix
 * it in the file's administration system, in Dutch and in English
 * (BIEBSYNC_LANG).  Standard output is caught in a file.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../testutil.h"
#include "../roster/rows.h"
#include "../../src/cli/cli.h"
#include "../../src/roster/book.h"

/* What cli_print_understanding prints for f, as a malloc'ed string. */
static char *
printed(const struct roster_file *f)
{
	char dir[64], path[128];
	struct roster_source src = { .format = SHEET_FMT_CSV, .sheet = 0 };
	int saved, fd;
	FILE *in;
	char *out = calloc(1, 1 << 16);

	tu_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/out", dir);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	cli_print_understanding(f, &src);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	in = fopen(path, "r");
	assert_non_null(in);
	assert_true(fread(out, 1, (1 << 16) - 1, in) > 0);
	fclose(in);
	tu_rmdir(dir);
	return out;
}

static void
read_parnassys(struct roster_file *f)
{
	READ(f,
	     "Leerlingnummer|Roepnaam|Voorvoegsel|Achternaam|Geboortedatum|Groep",
	     "6001|Eva||Jansen|14-03-2015|4",
	     "6002|Daan|van den|Berg|01-05-2016|3",
	     "6003|Finn||Meijer|31-02-2015|4",
	     "6002|Sara|de|Vries|02-02-2016|3");
}

static void
issues_name_row_column_pupil_and_system_in_dutch(void **state)
{
	struct roster_file f;
	char *out;

	(void)state;
	setenv("BIEBSYNC_LANG", "nl", 1);
	read_parnassys(&f);
	out = printed(&f);
	if (strstr(out,
	           "  FOUT rij 4, kolom E – Finn Meijer (6003): geboortedatum 31-02-2015 bestaat niet. Pas de geboortedatum van deze leerling aan in ParnasSys en maak de export opnieuw.\n") ==
	            NULL ||
	    strstr(out,
	           "  FOUT rij 5, kolom A – Sara de Vries (6002): dit leerlingnummer staat meer dan eens in het bestand (zie rij 3: Daan van den Berg). Controleer het leerlingnummer van deze leerling in ParnasSys en maak de export opnieuw.\n") ==
	            NULL)
		fail_msg("%s", out);
	free(out);
	roster_file_release(&f);
}

static void
issues_name_row_column_pupil_and_system_in_english(void **state)
{
	struct roster_file f;
	char *out;

	(void)state;
	setenv("BIEBSYNC_LANG", "en", 1);
	read_parnassys(&f);
	out = printed(&f);
	if (strstr(out,
	           "  ERROR row 4, column E – Finn Meijer (6003): date of birth 31-02-2015 does not exist. Correct the date of birth of this pupil in ParnasSys and export again.\n") ==
	            NULL ||
	    strstr(out,
	           "  ERROR row 5, column A – Sara de Vries (6002): this student number occurs more than once in the file (see row 3: Daan van den Berg). Check the student number of this pupil in ParnasSys and export again.\n") ==
	            NULL)
		fail_msg("%s", out);
	free(out);
	roster_file_release(&f);
}

/* A spreadsheet of no known system: the fix is done in the sheet. */
static void
a_generic_file_gets_spreadsheet_advice(void **state)
{
	struct roster_file f;
	char *out;

	(void)state;
	setenv("BIEBSYNC_LANG", "nl", 1);
	READ(&f, "Leerlingnummer|Naam|Geboortedatum|Groep",
	     "7|Finn Meijer|31-02-2015|4");
	out = printed(&f);
	if (strstr(out,
	           "  FOUT rij 2, kolom C – Finn Meijer (7): geboortedatum 31-02-2015 bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.\n") ==
	    NULL)
		fail_msg("%s", out);
	assert_null(strstr(out, "ParnasSys"));
	free(out);
	roster_file_release(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        issues_name_row_column_pupil_and_system_in_dutch),
		cmocka_unit_test(
		        issues_name_row_column_pupil_and_system_in_english),
		cmocka_unit_test(a_generic_file_gets_spreadsheet_advice),
	};

	return cmocka_run_group_tests_name("cli/report", tests, NULL, NULL);
}
