/*
 * The message tables of the validation report (see report.h): one row per
 * code with its severity, whether it blocks, what its arg means, and the
 * Dutch and English sentences; and the words around a sentence, for where
 * the issue is and what its arg adds.  Every text column is indexed by
 * enum lang.
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

/* Where an issue is, as the school sees it in Excel: printf formats of the
 * row (%u) and the column's letters (%s). */
enum place { P_ROW_COL, P_ROW, P_COL, P__MAX };

static const char *const place_formats[P__MAX][LANG__MAX] = {
	[P_ROW_COL] = { "rij %u, kolom %s: ", "row %u, column %s: " },
	[P_ROW] = { "rij %u: ", "row %u: " },
	[P_COL] = { "kolom %s: ", "column %s: " },
};

static const struct message {
	const char *name;
	enum roster_severity sev;
	bool blocks;
	enum detail detail;
	const char *text[LANG__MAX];
	const char *alt[LANG__MAX]; /* D_ALT: the sentence for a non-zero arg */
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
	},
	[ROSTER_E_NUMBER_DUPLICATE] = {
		"number_duplicate", ROSTER_SEV_ERROR, true, D_ROW,
		{ "Dit leerlingnummer staat meer dan eens in het bestand. Elk nummer mag maar één keer voorkomen: verbeter of verwijder de dubbele rij.",
		  "This student number occurs more than once; the import is blocked until each number is unique." },
	},
	[ROSTER_E_NUMBER_TOO_LONG] = {
		"number_too_long", ROSTER_SEV_ERROR, true, D_LIMIT,
		{ "Het leerlingnummer is te lang. Controleer of in deze kolom echt het leerlingnummer staat.",
		  "The student number is too long." },
	},
	[ROSTER_E_NUMBER_NOT_EXACT] = {
		"number_not_exact", ROSTER_SEV_ERROR, true, D_ALT,
		{ "Het leerlingnummer is geen geheel getal of is door Excel afgerond (bijvoorbeeld 1,23E+15). Maak de kolom in Excel op als Tekst en vul het nummer opnieuw in, of exporteer opnieuw.",
		  "The student number is not a whole number or was rounded by Excel (too large to be exact)." },
		/* XML */
		{ "Het leerlingnummer is geen geheel getal (bijvoorbeeld 1,23E+15). Controleer het leerlingnummer in je administratiepakket en exporteer het bestand opnieuw.",
		  "The student number is not a whole number (for example 1.23E+15)." },
	},
	[ROSTER_E_NUMBER_INVALID] = {
		"number_invalid", ROSTER_SEV_ERROR, true, D_NONE,
		{ "In plaats van een leerlingnummer staat hier een foutwaarde, een datum of ja/nee. Vul het juiste leerlingnummer in.",
		  "The student number cell holds an error value, a date or a boolean." },
	},
	[ROSTER_E_DATE_IMPOSSIBLE] = {
		"date_impossible", ROSTER_SEV_ERROR, false, D_NONE,
		{ "Deze geboortedatum bestaat niet. Schrijf de datum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		  "The date of birth does not exist (dates are read day first)." },
	},
	[ROSTER_E_DATE_INVALID] = {
		"date_invalid", ROSTER_SEV_ERROR, false, D_NONE,
		{ "Dit is geen datum die biebsync kan lezen. Schrijf de geboortedatum als dag-maand-jaar, bijvoorbeeld 14-03-2015.",
		  "The date of birth is not written as a date." },
	},
	[ROSTER_E_BIRTH_EMPTY] = {
		"birth_empty", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De geboortedatum ontbreekt. Vul de geboortedatum in als dag-maand-jaar.",
		  "The date of birth is missing." },
	},
	[ROSTER_E_BIRTH_FUTURE] = {
		"birth_future", ROSTER_SEV_ERROR, false, D_NONE,
		{ "Deze geboortedatum ligt in de toekomst. Verbeter de datum.",
		  "The date of birth lies in the future." },
	},
	[ROSTER_E_NAME_EMPTY] = {
		"name_empty", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De naam van de leerling ontbreekt. Vul de naam in.",
		  "The student's name is missing." },
	},
	[ROSTER_E_NAME_INCOMPLETE] = {
		"name_incomplete", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De roepnaam of de achternaam ontbreekt. Vul beide in.",
		  "The first name or the last name is missing." },
	},
	[ROSTER_E_GROUP_EMPTY] = {
		"group_empty", ROSTER_SEV_ERROR, false, D_NONE,
		{ "De groep ontbreekt. Vul de groep van de leerling in.",
		  "The group is missing." },
	},
	[ROSTER_E_TOO_LONG] = {
		"too_long", ROSTER_SEV_ERROR, false, D_LIMIT,
		{ "Deze waarde is te lang om in de bibliotheek te bewaren. Kort de waarde in.",
		  "The value is too long for its field." },
	},
	[ROSTER_E_CELL_ERROR] = {
		"cell_error", ROSTER_SEV_ERROR, false, D_ALT,
		{ "In deze cel staat een Excel-foutwaarde (zoals #N/B). Vul de juiste waarde in.",
		  "The cell holds an Excel error value." },
		/* XML */
		{ "Deze waarde kan niet gelezen worden. Verbeter de waarde in je administratiepakket en exporteer het bestand opnieuw.",
		  "The value cannot be read." },
	},
	[ROSTER_W_AGE] = {
		"age", ROSTER_SEV_WARNING, false, D_AGE,
		{ "Volgens de geboortedatum is deze leerling ongewoon jong of oud voor de basisschool. Controleer de geboortedatum.",
		  "The date of birth gives an unusual age for a primary school." },
	},
	[ROSTER_W_NUMBER_SHORT] = {
		"number_short", ROSTER_SEV_WARNING, false, D_WIDTH,
		{ "Dit leerlingnummer is korter dan de andere; misschien heeft Excel de voorloopnullen weggelaten. biebsync herkent het nummer ook zonder nullen, maar controleer of het klopt.",
		  "This student number is shorter than the others; Excel may have dropped leading zeros (numbers still match)." },
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
	},
	[ROSTER_W_JAARGROEP_INVALID] = {
		"jaargroep_invalid", ROSTER_SEV_WARNING, false, D_NONE,
		{ "Dit is geen jaargroep van 0 tot en met 8; de jaargroep blijft onbekend. Verbeter de waarde als dat nodig is.",
		  "The jaargroep is not 0-8; it stays unknown." },
	},
	[ROSTER_W_ROW_IGNORED] = {
		"row_ignored", ROSTER_SEV_WARNING, false, D_NONE,
		{ "Deze rij heeft geen leerlingnummer, geboortedatum of groep en wordt overgeslagen (bijvoorbeeld een regel met een totaal).",
		  "The row has no student number, date of birth or group and is skipped (a totals line, for example)." },
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
	},
};
_Static_assert(sizeof(messages) / sizeof(messages[0]) == ROSTER_CODE__MAX,
               "every issue code needs a message");

static const struct message *
message(enum roster_code c)
{
	static const struct message unknown = { "unknown",    ROSTER_SEV_ERROR,
		                                true,         D_NONE,
		                                { "?", "?" }, { NULL, NULL } };

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

enum err
roster_issue_format(struct buf *b, const struct roster_issue *is,
                    enum lang lang)
{
	const struct message *m = message(is->code);
	const char *detail = lang_pick(detail_formats[m->detail], lang);
	char col[8], names[128];
	long long arg = (long long)is->arg;

	roster_col_name(is->col, col, sizeof(col));
	if (is->row != 0 && is->col != 0)
		buf_addf(b, lang_pick(place_formats[P_ROW_COL], lang),
		         (unsigned)is->row, col);
	else if (is->row != 0)
		buf_addf(b, lang_pick(place_formats[P_ROW], lang),
		         (unsigned)is->row);
	else if (is->col != 0)
		buf_addf(b, lang_pick(place_formats[P_COL], lang), col);
	buf_adds(b, roster_issue_text(is, lang));
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
	case D_WIDTH:
	case D_LIMIT:
		if (arg > 0)
			buf_addf(b, detail, arg);
		break;
	}
	/* The cell's text only for the school: the English form may go to
	 * logs (report.h). */
	if (lang == LANG_NL && is->text[0] != '\0')
		buf_addf(b, " (waarde: \"%s\")", is->text);
	return b->err;
}
