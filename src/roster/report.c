/*
 * The message tables of the validation report (see report.h): one row per
 * code with its severity, whether it blocks, what its arg means, and the
 * Dutch and English sentences: the sentence on its own, and for an issue
 * about a pupil's row what is wrong with the value and how to fix it in a
 * spreadsheet or (what and in which words) in the administration system;
 * and the words around a sentence, for where the issue is, whom it is
 * about and what its arg adds.  Every text column is indexed by enum lang.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "header.h"

/* What an issue's arg adds to its sentence. */
enum detail {
	D_NONE,
	D_MISSING, /* enum roster_need bits */
	D_ROW,     /* another row */
	D_WIDTH,   /* usual number of digits */
	D_AGE,     /* years */
	D_LIMIT,   /* a maximum */
	D_ALT,     /* non-zero: the second sentence (alt) */
	D__MAX
};

/* The detail's words, a printf format of the arg as %lld (D_MISSING: of
 * the missing columns' names as %s); "" for none. */
static const char *const detail_formats[D__MAX][LANG__MAX] = {
	[D_NONE] = { "", "" },
	[D_MISSING] = { " (ontbreekt: %s)", " (missing: %s)" },
	[D_ROW] = { " (zie rij %lld)", " (see row %lld)" },
	[D_WIDTH] = { " (de meeste nummers hebben %lld cijfers)",
	              " (most numbers have %lld digits)" },
	[D_AGE] = { " (leeftijd %lld jaar)", " (age %lld)" },
	[D_LIMIT] = { " (maximaal %lld)", " (at most %lld)" },
	[D_ALT] = { "", "" },
};

/* D_ROW when the other row's pupil is known: the row and the name. */
static const char *const other_formats[LANG__MAX] = { " (zie rij %lld: %s)",
	                                              " (see row %lld: %s)" };

/* The cell's text after a sentence that does not say it. */
static const char *const value_formats[LANG__MAX] = { " (waarde: \"%s\")",
	                                              " (value: \"%s\")" };

/* Where an issue is, as the school sees it in Excel: printf formats of the
 * row (%u) and the column's letters (%s). */
enum place { P_ROW_COL, P_ROW, P_COL, P__MAX };

static const char *const place_formats[P__MAX][LANG__MAX] = {
	[P_ROW_COL] = { "rij %u, kolom %s", "row %u, column %s" },
	[P_ROW] = { "rij %u", "row %u" },
	[P_COL] = { "kolom %s", "column %s" },
};

/* Who an issue is about, after the place: the name (%s), the number
 * (%s), or both. */
enum pupil { U_NAME_NUMBER, U_NAME, U_NUMBER, U__MAX };

static const char *const pupil_formats[U__MAX][LANG__MAX] = {
	[U_NAME_NUMBER] = { "%s (%s)", "%s (%s)" },
	[U_NAME] = { "%s", "%s" },
	[U_NUMBER] = { "leerlingnummer %s", "student number %s" },
};

/*
 * How a pupil's row is fixed in the school's administration system: a
 * printf format of what to fix (%s, "de geboortedatum") and the system
 * (%s, "ParnasSys").  No menu paths: they differ between versions.
 */
enum fix { FIX_NONE, FIX_CORRECT, FIX_FILL, FIX_CHECK, FIX__MAX };

static const char *const fix_formats[FIX__MAX][LANG__MAX] = {
	[FIX_NONE] = { "", "" },
	[FIX_CORRECT] = { "Pas %s van deze leerling aan in %s en maak de export opnieuw.",
	                  "Correct %s of this pupil in %s and export again." },
	[FIX_FILL] = { "Vul %s van deze leerling aan in %s en maak de export opnieuw.",
	               "Fill in %s of this pupil in %s and export again." },
	[FIX_CHECK] = { "Controleer %s van deze leerling in %s en maak de export opnieuw.",
	                "Check %s of this pupil in %s and export again." },
};

/* The administration system of a layout, as fix_formats name it; NULL:
 * the file was made or changed in a spreadsheet (generic, the library
 * system's own columns), so the fix is done there.  EDEXML is exported by
 * ParnasSys and ESIS alike and does not say which. */
static const char *const systems[ROSTER_LAYOUT__MAX][LANG__MAX] = {
	[ROSTER_LAYOUT_PARNASSYS] = { "ParnasSys", "ParnasSys" },
	[ROSTER_LAYOUT_ESIS] = { "ESIS", "ESIS" },
	[ROSTER_LAYOUT_DOTCOM] = { "Dotcom", "Dotcom" },
	[ROSTER_LAYOUT_EDEXML] = { "je administratiepakket",
	                           "your school administration system" },
};

/*
 * One row per code.  text (and alt) is the sentence on its own, for an
 * issue that is not about a pupil (the file, a column), for reports of
 * earlier versions without a value, and for roster_code_text().  An issue
 * about a pupil's row says instead: what is wrong ("%s": the cell's
 * value; no final stop, the detail follows), then how to fix it: the
 * sentence of fix in the system when the layout names one, else fix
 * (fix_alt, what_alt: for a non-zero arg of a D_ALT code).
 */
static const struct message {
	const char *name;
	enum roster_severity sev;
	bool blocks;
	enum detail detail;
	const char *text[LANG__MAX];
	const char *alt[LANG__MAX]; /* D_ALT: the sentence for a non-zero arg */
	const char *what[LANG__MAX];
	const char *what_alt[LANG__MAX];
	const char *fix[LANG__MAX];
	const char *fix_alt[LANG__MAX];
	enum fix sys;                 /* what to do in the system */
	const char *field[LANG__MAX]; /* to what: "de geboortedatum" */
} messages[] = {
	[ROSTER_E_NO_HEADER] = {
		"no_header", ROSTER_SEV_ERROR, true, D_MISSING,
		{ "Er is geen kopregel met de verplichte kolommen gevonden. Zet boven de leerlingen een regel met de kolomnamen Leerlingnummer, Naam (of Roepnaam, Tussenvoegsel en Achternaam), Geboortedatum en Groep.",
		  "No header row with the required columns was found. The file needs a row naming the columns student number, name (or first name, prefix and last name), date of birth and group." },
	},
	[ROSTER_E_NUMBER_IS_BSN] = {
		"number_is_bsn", ROSTER_SEV_ERROR, true, D_NONE,
		{ "De kolom met leerlingnummers bevat burgerservicenummers (BSN). De bibliotheek mag geen BSN verwerken: exporteer het bestand opnieuw met het leerlingnummer van je administratiesysteem.",
		  "The student number column holds citizen service numbers (BSN), which the library may not process; the file is refused and nothing of it is kept." },
	},
	[ROSTER_E_TOO_MANY_ROWS] = {
		"too_many_rows", ROSTER_SEV_ERROR, true, D_LIMIT,
		{ "Het bestand bevat meer leerlingen dan biebsync in één keer inleest. Upload een bestand per school.",
		  "The file holds more students than one import may." },
	},
	[ROSTER_E_NO_STUDENTS] = {
		"no_students", ROSTER_SEV_ERROR, true, D_NONE,
		{ "Onder de kopregel staan geen leerlingen. Controleer of je het goede bestand of tabblad hebt geëxporteerd.",
		  "There are no student rows below the header." },
	},
	[ROSTER_E_NUMBER_MISSING] = {
		"number_missing", ROSTER_SEV_ERROR, true, D_NONE,
		{ "Het leerlingnummer ontbreekt. Vul het leerlingnummer in of verwijder de rij; zolang een nummer ontbreekt, kan het bestand niet worden ingelezen.",
		  "The student number is missing; the import is blocked until every row has one." },
		.what = { "het leerlingnummer ontbreekt",
		          "the student number is missing" },
		.fix = { "Vul het leerlingnummer in of verwijder de rij; zolang een nummer ontbreekt, kan het bestand niet worden ingelezen.",
		         "Fill in the student number or delete the row; until every row has one, the file cannot be read in." },
		.sys = FIX_CHECK,
		.field = { "het leerlingnummer", "the student number" },
	},
	[ROSTER_E_NUMBER_DUPLICATE] = {
		"number_duplicate", ROSTER_SEV_ERROR, true, D_ROW,
		{ "Dit leerlingnummer staat meer dan eens in het bestand. Elk nummer mag maar één keer voorkomen: verbeter of verwijder de dubbele rij.",
		  "This student number occurs more than once; the import is blocked until each number is unique." },
		/* the number is the pupil's, said before */
		.what = { "dit leerlingnummer staat meer dan eens in het bestand",
		          "this student number occurs more than once in the file" },
		.fix = { "Elk nummer mag maar één keer voorkomen: verbeter of verwijder de dubbele rij.",
		         "Each number may occur only once: correct or delete the duplicate row." },
		.sys = FIX_CHECK,
		.field = { "het leerlingnummer", "the student number" },
	},
	[ROSTER_E_NUMBER_TOO_LONG] = {
		"number_too_long", ROSTER_SEV_ERROR, true, D_LIMIT,
		{ "Het leerlingnummer is te lang. Controleer of in deze kolom echt het leerlingnummer staat.",
		  "The student number is too long." },
		.what = { "leerlingnummer %s is te lang",
		          "student number %s is too long" },
		.fix = { "Controleer of in deze kolom echt het leerlingnummer staat.",
		         "Check that this column really holds the student number." },
	},
	[ROSTER_E_NUMBER_NOT_EXACT] = {
		"number_not_exact", ROSTER_SEV_ERROR, true, D_ALT,
		{ "Het leerlingnummer is geen geheel getal of is door Excel afgerond (bijvoorbeeld 1,23E+15). Maak de kolom in Excel op als Tekst en vul het nummer opnieuw in, of exporteer opnieuw.",
		  "The student number is not a whole number or was rounded by Excel (too large to be exact)." },
		/* XML */
		{ "Het leerlingnummer is geen geheel getal (bijvoorbeeld 1,23E+15). Controleer het leerlingnummer in je administratiepakket en exporteer het bestand opnieuw.",
		  "The student number is not a whole number (for example 1.23E+15)." },
		.what = { "leerlingnummer %s is geen geheel getal of is door Excel afgerond",
		          "student number %s is not a whole number or was rounded by Excel" },
		.what_alt = { "leerlingnummer %s is geen geheel getal",
		              "student number %s is not a whole number" },
		.fix = { "Maak de kolom in Excel op als Tekst en vul het nummer opnieuw in, of exporteer opnieuw.",
		         "Format the column as Text in Excel and enter the number again, or export again." },
		.fix_alt = { "Controleer het leerlingnummer in je administratiepakket en exporteer het bestand opnieuw.",
		             "Check the student number in your school administration system and export the file again." },
	},
	[ROSTER_E_NUMBER_INVALID] = {
		"number_invalid", ROSTER_SEV_ERROR, true, D_NONE,
		{ "In plaats van een leerlingnummer staat hier een foutwaarde, een datum of ja/nee. Vul het juiste leerlingnummer in.",
		  "The student number cell holds an error value, a date or a boolean." },
		.what = { "in plaats van een leerlingnummer staat hier %s (een foutwaarde, een datum of ja/nee)",
		          "instead of a student number this cell holds %s (an error value, a date or yes/no)" },
		.fix = { "Vul het juiste leerlingnummer in.",
		         "Fill in the right student number." },
	},
	[ROSTER_E_DATE_IMPOSSIBLE] = {
		"date_impossible", ROSTER_SEV_ERROR, false, D_NONE,
		{ "Deze geboortedatum bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		  "The date of birth does not exist (dates are read day first)." },
		.what = { "geboortedatum %s bestaat niet",
		          "date of birth %s does not exist" },
		.fix = { "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		         "Write the date as day-month-year, for example 14-03-2015." },
		.sys = FIX_CORRECT,
		.field = { "de geboortedatum", "the date of birth" },
	},
	[ROSTER_E_DATE_INVALID] = {
		"date_invalid", ROSTER_SEV_ERROR, false, D_NONE,
		{ "Dit is geen datum die biebsync kan lezen. Schrijf de geboortedatum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		  "The date of birth is not written as a date." },
		.what = { "geboortedatum %s is geen datum",
		          "date of birth %s is not a date" },
		.fix = { "Schrijf de geboortedatum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		         "Write the date of birth as day-month-year, for example 14-03-2015." },
		.sys = FIX_CORRECT,
		.field = { "de geboortedatum", "the date of birth" },
	},
	[ROSTER_E_BIRTH_EMPTY] = {
		"birth_empty", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De geboortedatum ontbreekt. Vul de geboortedatum in als dag-maand-jaar.",
		  "The date of birth is missing." },
		.what = { "de geboortedatum ontbreekt",
		          "the date of birth is missing" },
		.fix = { "Vul de geboortedatum in als dag-maand-jaar.",
		         "Fill in the date of birth as day-month-year." },
		.sys = FIX_FILL,
		.field = { "de geboortedatum", "the date of birth" },
	},
	[ROSTER_E_BIRTH_FUTURE] = {
		"birth_future", ROSTER_SEV_ERROR, false, D_NONE,
		{ "Deze geboortedatum ligt in de toekomst. Verbeter de datum.",
		  "The date of birth lies in the future." },
		.what = { "geboortedatum %s ligt in de toekomst",
		          "date of birth %s lies in the future" },
		.fix = { "Verbeter de datum.", "Correct the date." },
		.sys = FIX_CORRECT,
		.field = { "de geboortedatum", "the date of birth" },
	},
	[ROSTER_E_NAME_EMPTY] = {
		"name_empty", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De naam van de leerling ontbreekt. Vul de naam in.",
		  "The student's name is missing." },
		.what = { "de naam ontbreekt", "the name is missing" },
		.fix = { "Vul de naam van de leerling in.",
		         "Fill in the pupil's name." },
		.sys = FIX_FILL,
		.field = { "de naam", "the name" },
	},
	[ROSTER_E_NAME_INCOMPLETE] = {
		"name_incomplete", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De roepnaam of de achternaam ontbreekt. Vul beide in.",
		  "The first name or the last name is missing." },
		.what = { "de roepnaam of de achternaam ontbreekt",
		          "the first name or the last name is missing" },
		.fix = { "Vul beide in.", "Fill in both." },
		.sys = FIX_FILL,
		.field = { "de roepnaam en de achternaam",
		           "the first name and the last name" },
	},
	[ROSTER_E_GROUP_EMPTY] = {
		"group_empty", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De groep ontbreekt. Vul de groep van de leerling in.",
		  "The group is missing." },
		.what = { "de groep ontbreekt", "the group is missing" },
		.fix = { "Vul de groep van de leerling in.",
		         "Fill in the pupil's group." },
		.sys = FIX_FILL,
		.field = { "de groep", "the group" },
	},
	[ROSTER_E_TOO_LONG] = {
		"too_long", ROSTER_SEV_ERROR, false, D_LIMIT,
		{ "Deze waarde is te lang om in de bibliotheek te bewaren. Kort de waarde in.",
		  "The value is too long for its field." },
		.what = { "\"%s\" is te lang om in de bibliotheek te bewaren",
		          "\"%s\" is too long to be kept by the library" },
		.fix = { "Kort de waarde in.", "Shorten the value." },
	},
	[ROSTER_E_CELL_ERROR] = {
		"cell_error", ROSTER_SEV_ERROR, false, D_ALT,
		{ "In deze cel staat een Excel-foutwaarde (zoals #N/B). Vul de juiste waarde in.",
		  "The cell holds an Excel error value." },
		/* XML */
		{ "Deze waarde kan niet gelezen worden. Verbeter de waarde in je administratiepakket en exporteer het bestand opnieuw.",
		  "The value cannot be read." },
		.what = { "in deze cel staat een Excel-foutwaarde: %s",
		          "this cell holds an Excel error value: %s" },
		.what_alt = { "waarde \"%s\" kan niet gelezen worden",
		              "value \"%s\" cannot be read" },
		.fix = { "Vul de juiste waarde in.", "Fill in the right value." },
		.fix_alt = { "Verbeter de waarde in je administratiepakket en exporteer het bestand opnieuw.",
		             "Correct the value in your school administration system and export the file again." },
	},
	[ROSTER_W_AGE] = {
		"age", ROSTER_SEV_WARNING, false, D_AGE,
		{ "Volgens de geboortedatum is deze leerling ongewoon jong of oud voor de basisschool. Controleer de geboortedatum.",
		  "The date of birth gives an unusual age for a primary school." },
		.what = { "volgens geboortedatum %s is deze leerling ongewoon jong of oud voor de basisschool",
		          "date of birth %s gives an unusual age for a primary school" },
		.fix = { "Controleer de geboortedatum.",
		         "Check the date of birth." },
		.sys = FIX_CHECK,
		.field = { "de geboortedatum", "the date of birth" },
	},
	[ROSTER_W_NUMBER_SHORT] = {
		"number_short", ROSTER_SEV_WARNING, false, D_WIDTH,
		{ "Dit leerlingnummer is korter dan de andere; misschien heeft Excel de voorloopnullen weggelaten. biebsync herkent het nummer ook zonder nullen, maar controleer of het klopt.",
		  "This student number is shorter than the others; Excel may have dropped leading zeros (numbers still match)." },
		/* the number is the pupil's, said before */
		.what = { "dit leerlingnummer is korter dan de andere",
		          "this student number is shorter than the others" },
		.fix = { "Misschien heeft Excel de voorloopnullen weggelaten; het nummer wordt ook zonder nullen herkend, maar controleer of het klopt.",
		         "Excel may have dropped leading zeros; the number still matches, but check that it is right." },
	},
	[ROSTER_W_GROUP_CHANGES] = {
		"group_changes", ROSTER_SEV_WARNING, false, D_NONE,
		{ "Deze groepsnaam is langer dan 30 tekens of bevat een van de tekens \" ' + & < > / | \\. Het bibliotheeksysteem krijgt een aangepaste naam; kies zelf een kortere naam zonder deze tekens als je dat liever hebt.",
		  "The group name is longer than 30 characters or holds one of \" ' + & < > / | \\; the library system gets an adapted name." },
	},
	[ROSTER_W_SAME_PERSON] = {
		"same_person", ROSTER_SEV_WARNING, false, D_ROW,
		{ "Een leerling met dezelfde naam en geboortedatum staat ook onder een ander leerlingnummer. Controleer of dit twee verschillende leerlingen zijn.",
		  "A student with the same name and date of birth has another student number." },
		.what = { "een leerling met dezelfde naam en geboortedatum staat ook onder een ander leerlingnummer",
		          "a pupil with the same name and date of birth also has another student number" },
		.fix = { "Controleer of dit twee verschillende leerlingen zijn.",
		         "Check whether these are two different pupils." },
	},
	[ROSTER_W_JAARGROEP_INVALID] = {
		"jaargroep_invalid", ROSTER_SEV_WARNING, false, D_NONE,
		{ "Dit is geen jaargroep van 0 tot en met 8; de jaargroep blijft onbekend. Verbeter de waarde als dat nodig is.",
		  "The jaargroep is not 0-8; it stays unknown." },
		.what = { "\"%s\" is geen jaargroep van 0 tot en met 8; de jaargroep blijft onbekend",
		          "\"%s\" is no jaargroep from 0 to 8; the jaargroep stays unknown" },
		.fix = { "Verbeter de waarde als dat nodig is.",
		         "Correct the value if needed." },
		.sys = FIX_CHECK,
		.field = { "de jaargroep", "the jaargroep" },
	},
	[ROSTER_W_ROW_IGNORED] = {
		"row_ignored", ROSTER_SEV_WARNING, false, D_NONE,
		{ "Deze rij heeft geen leerlingnummer, geboortedatum of groep en wordt overgeslagen (bijvoorbeeld een regel met een totaal).",
		  "The row has no student number, date of birth or group and is skipped (a totals line, for example)." },
		.what = { "deze rij (\"%s\") heeft geen leerlingnummer, geboortedatum of groep en wordt overgeslagen",
		          "this row (\"%s\") has no student number, date of birth or group and is skipped" },
		.fix = { "Dat is goed als het geen leerling is, bijvoorbeeld een regel met een totaal.",
		         "That is right when it is no pupil, for example a totals line." },
	},
	[ROSTER_I_COLUMN_DROPPED] = {
		"column_dropped", ROSTER_SEV_INFO, false, D_NONE,
		{ "Deze kolom wordt niet opgeslagen: de bibliotheek bewaart alleen leerlingnummer, naam, geboortedatum, groep en jaargroep.",
		  "This column is not stored." },
	},
	[ROSTER_I_BSN_COLUMN_DROPPED] = {
		"bsn_column_dropped", ROSTER_SEV_INFO, false, D_NONE,
		{ "Deze kolom bevat burgerservicenummers (BSN); die worden niet gelezen en niet opgeslagen. Laat deze kolom bij een volgende export liever weg.",
		  "This column holds citizen service numbers (BSN); it is neither read nor stored." },
	},
	[ROSTER_I_ROEPNAAM_DERIVED] = {
		"roepnaam_derived", ROSTER_SEV_INFO, false, D_ALT,
		{ "Deze leerling heeft geen roepnaam; als roepnaam is de eerste voornaam genomen. Klopt dat niet, vul dan de roepnaam in je administratiepakket in en upload het bestand opnieuw.",
		  "The student has no first name (roepnaam); the first given name is used instead." },
		/* from the voorletters */
		{ "Deze leerling heeft geen roepnaam en geen voornamen; als roepnaam zijn de voorletters genomen. Vul de roepnaam in je administratiepakket in en upload het bestand opnieuw.",
		  "The student has no first name (roepnaam) and no given names; the initials are used instead." },
		/* the name as kept is the pupil's, said before */
		.what = { "deze leerling heeft geen roepnaam; als roepnaam is de eerste voornaam genomen",
		          "this pupil has no first name (roepnaam); the first given name is used instead" },
		.what_alt = { "deze leerling heeft geen roepnaam en geen voornamen; als roepnaam zijn de voorletters genomen",
		              "this pupil has no first name (roepnaam) and no given names; the initials are used instead" },
		.fix = { "Klopt dat niet, vul dan de roepnaam in je administratiepakket in en upload het bestand opnieuw.",
		         "If that is wrong, fill in the first name in your school administration system and upload the file again." },
		.fix_alt = { "Vul de roepnaam in je administratiepakket in en upload het bestand opnieuw.",
		             "Fill in the first name in your school administration system and upload the file again." },
	},
};
_Static_assert(sizeof(messages) / sizeof(messages[0]) == ROSTER_CODE__MAX,
               "every issue code needs a message");

static const struct message *
message(enum roster_code c)
{
	static const struct message unknown = {
		.name = "unknown",
		.sev = ROSTER_SEV_ERROR,
		.blocks = true,
		.text = { "?", "?" },
	};

	return (unsigned)c < ROSTER_CODE__MAX ? &messages[c] : &unknown;
}

enum roster_severity
roster_code_severity(enum roster_code c)
{
	return message(c)->sev;
}

bool
roster_code_blocks(enum roster_code c)
{
	return message(c)->blocks;
}

const char *
roster_code_name(enum roster_code c)
{
	return message(c)->name;
}

bool
roster_code_parse(const char *name, enum roster_code *out)
{
	for (int i = 0; i < ROSTER_CODE__MAX; i++)
		if (strcmp(messages[i].name, name) == 0) {
			*out = (enum roster_code)i;
			return true;
		}
	return false;
}

const char *
roster_code_text(enum roster_code c, enum lang lang)
{
	return lang_pick(message(c)->text, lang);
}

const char *
roster_issue_text(const struct roster_issue *is, enum lang lang)
{
	const struct message *m = message(is->code);

	if (m->detail == D_ALT && is->arg != 0 && m->alt[LANG_NL] != NULL)
		return lang_pick(m->alt, lang);
	return lang_pick(m->text, lang);
}

void
roster_report_texts(roster_text_cb cb, void *arg)
{
	for (int c = 0; c < ROSTER_CODE__MAX; c++) {
		const struct message *m = &messages[c];

		cb("text", c, m->text[LANG_NL], m->text[LANG_EN], arg);
		cb("alt", c, m->alt[LANG_NL], m->alt[LANG_EN], arg);
		cb("what", c, m->what[LANG_NL], m->what[LANG_EN], arg);
		cb("what_alt", c, m->what_alt[LANG_NL], m->what_alt[LANG_EN],
		   arg);
		cb("fix", c, m->fix[LANG_NL], m->fix[LANG_EN], arg);
		cb("fix_alt", c, m->fix_alt[LANG_NL], m->fix_alt[LANG_EN], arg);
		cb("field", c, m->field[LANG_NL], m->field[LANG_EN], arg);
	}
	for (int d = 0; d < D__MAX; d++)
		cb("detail", d, detail_formats[d][LANG_NL],
		   detail_formats[d][LANG_EN], arg);
	cb("other", 0, other_formats[LANG_NL], other_formats[LANG_EN], arg);
	cb("value", 0, value_formats[LANG_NL], value_formats[LANG_EN], arg);
	for (int i = 0; i < P__MAX; i++)
		cb("place", i, place_formats[i][LANG_NL],
		   place_formats[i][LANG_EN], arg);
	for (int i = 0; i < U__MAX; i++)
		cb("pupil", i, pupil_formats[i][LANG_NL],
		   pupil_formats[i][LANG_EN], arg);
	for (int i = 0; i < FIX__MAX; i++)
		cb("fix in the system", i, fix_formats[i][LANG_NL],
		   fix_formats[i][LANG_EN], arg);
	for (int l = 0; l < ROSTER_LAYOUT__MAX; l++)
		cb("system", l, systems[l][LANG_NL], systems[l][LANG_EN], arg);
}

void
roster_col_name(uint32_t col, char *out, size_t outsz)
{
	char tmp[8];
	size_t n = 0, i;

	if (outsz == 0)
		return;
	while (col > 0 && n < sizeof(tmp)) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (i = 0; i < n && i + 1 < outsz; i++)
		out[i] = tmp[n - 1 - i];
	out[i] = '\0';
}

/* The names of the missing columns, ", " between them, into out. */
static void
missing_names(unsigned missing, enum lang lang, char *out, size_t outsz)
{
	size_t n = 0;

	out[0] = '\0';
	for (unsigned bit = 1; bit <= ROSTER_NEED_GROUP; bit <<= 1) {
		int w;

		if (!(missing & bit))
			continue;
		w = snprintf(out + n, outsz - n, "%s%s", n > 0 ? ", " : "",
		             roster_need_name((enum roster_need)bit, lang));
		if (w < 0 || (size_t)w >= outsz - n)
			break;
		n += (size_t)w;
	}
}

/* The detail of an issue after its sentence. */
static void
add_detail(struct buf *b, const struct message *m,
           const struct roster_issue *is, enum lang lang)
{
	const char *detail = lang_pick(detail_formats[m->detail], lang);
	long long arg = (long long)is->arg;
	char names[128];

	switch (m->detail) {
	case D_NONE:
	case D_ALT:
	case D__MAX:
		break;
	case D_MISSING:
		missing_names((unsigned)is->arg, lang, names, sizeof(names));
		buf_addf(b, detail, names);
		break;
	case D_AGE:
		buf_addf(b, detail, arg);
		break;
	case D_ROW:
		if (arg > 0 && is->other[0] != '\0')
			buf_addf(b, lang_pick(other_formats, lang), arg,
			         is->other);
		else if (arg > 0)
			buf_addf(b, detail, arg);
		break;
	case D_WIDTH:
	case D_LIMIT:
		if (arg > 0)
			buf_addf(b, detail, arg);
		break;
	}
}

/* The place and the pupil, then ": "; nothing when there is neither. */
static void
add_lead(struct buf *b, const struct roster_issue *is, enum lang lang,
         unsigned flags)
{
	size_t start = b->len;
	char col[8];

	/* the column only where no pupil says which row it is about */
	if (is->name[0] == '\0' && is->number[0] == '\0')
		flags |= ROSTER_SAY_COLUMN;
	roster_col_name(is->col, col, sizeof(col));
	if (flags & ROSTER_SAY_NO_PLACE)
		;
	else if (is->row != 0 && is->col != 0 && (flags & ROSTER_SAY_COLUMN))
		buf_addf(b, lang_pick(place_formats[P_ROW_COL], lang),
		         (unsigned)is->row, col);
	else if (is->row != 0)
		buf_addf(b, lang_pick(place_formats[P_ROW], lang),
		         (unsigned)is->row);
	else if (is->col != 0)
		buf_addf(b, lang_pick(place_formats[P_COL], lang), col);
	if (is->name[0] != '\0' || is->number[0] != '\0') {
		if (b->len > start)
			buf_adds(b, " – ");
		if (is->name[0] != '\0' && is->number[0] != '\0')
			buf_addf(b,
			         lang_pick(pupil_formats[U_NAME_NUMBER], lang),
			         is->name, is->number);
		else if (is->name[0] != '\0')
			buf_addf(b, lang_pick(pupil_formats[U_NAME], lang),
			         is->name);
		else
			buf_addf(b, lang_pick(pupil_formats[U_NUMBER], lang),
			         is->number);
	}
	if (b->len > start)
		buf_adds(b, ": ");
}

/* An issue said with its code's sentence on its own (not about a pupil,
 * or without the value its pupil's sentence needs). */
static void
say_plain(struct buf *b, const struct message *m, const struct roster_issue *is,
          enum lang lang, unsigned flags)
{
	buf_adds(b, roster_issue_text(is, lang));
	add_detail(b, m, is, lang);
	/* without a place, the value has a column of its own */
	if (is->text[0] != '\0' && !(flags & ROSTER_SAY_NO_PLACE))
		buf_addf(b, lang_pick(value_formats, lang), is->text);
}

enum err
roster_issue_say(struct buf *b, const struct roster_issue *is, enum lang lang,
                 unsigned flags)
{
	const struct message *m = message(is->code);
	bool alt = m->detail == D_ALT && is->arg != 0;
	const char *what, *fix, *sys = NULL;
	size_t begin = b->len, start;

	add_lead(b, is, lang, flags);
	start = b->len;
	what = alt && m->what_alt[LANG_NL] != NULL
	               ? lang_pick(m->what_alt, lang)
	       : m->what[LANG_NL] != NULL ? lang_pick(m->what, lang)
	                                  : NULL;
	if (what == NULL || is->row == 0 ||
	    (strstr(what, "%s") != NULL && is->text[0] == '\0')) {
		say_plain(b, m, is, lang, flags);
		return b->err;
	}
	if (strstr(what, "%s") != NULL)
		buf_addf(b, what, is->text);
	else
		buf_adds(b, what);
	/* a sentence of its own: a capital when nothing leads */
	if (start == begin && b->len > start && b->data[start] >= 'a' &&
	    b->data[start] <= 'z')
		b->data[start] = (char)(b->data[start] - 'a' + 'A');
	add_detail(b, m, is, lang);
	buf_adds(b, ". ");
	if ((unsigned)is->layout < ROSTER_LAYOUT__MAX &&
	    systems[is->layout][LANG_NL] != NULL)
		sys = lang_pick(systems[is->layout], lang);
	fix = alt && m->fix_alt[LANG_NL] != NULL ? lang_pick(m->fix_alt, lang)
	                                         : lang_pick(m->fix, lang);
	if (sys != NULL && m->sys != FIX_NONE && !alt)
		buf_addf(b, lang_pick(fix_formats[m->sys], lang),
		         lang_pick(m->field, lang), sys);
	else
		buf_adds(b, fix);
	return b->err;
}

enum err
roster_issue_format(struct buf *b, const struct roster_issue *is,
                    enum lang lang)
{
	return roster_issue_say(b, is, lang, ROSTER_SAY_COLUMN);
}
