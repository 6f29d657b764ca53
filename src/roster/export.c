/*
 * Roster exports (see export.h).
 *
 * Group codes: the group's comparison key (group_key) upper-cased, with
 * spaces and " ' + & < > removed and / | \ written as -, cut to 10 bytes on a
 * character boundary.  Distinct keys that end up with the same code get a
 * suffix "-2", "-3", ... (the base cut shorter to make room), assigned in
 * the sorted order of the keys, so the result depends only on the set of
 * groups, never on row order.  A student counts as "shortened" when the
 * group's code had to be cut or made unique, or its name cut to 30.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "../base/mem.h"
#include "../base/strparse.h"

bool
export_format_parse(const char *word, enum export_format *out)
{
	static const struct {
		const char *word;
		enum export_format f;
	} formats[] = {
		{ "csv", EXPORT_CSV },
		{ "json", EXPORT_JSON },
		{ "schoolwise", EXPORT_SCHOOLWISE },
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(word, formats[i].word) == 0) {
			*out = formats[i].f;
			return true;
		}
	return false;
}

static bool
risky_start(const char *t)
{
	return t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@' ||
	       t[0] == '\t' || t[0] == '\r';
}

void
export_csv_cell(struct buf *out, const char *text, char sep)
{
	bool quote = strchr(text, sep) != NULL || strchr(text, '"') != NULL ||
	             strchr(text, '\n') != NULL || strchr(text, '\r') != NULL;

	if (quote)
		buf_addc(out, '"');
	if (risky_start(text))
		buf_addc(out, '\'');
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(out, '"');
		buf_addc(out, *p);
	}
	if (quote)
		buf_addc(out, '"');
}

/* Cut s to at most max bytes without splitting a UTF-8 character. */
static void
cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

/* The code for a group key before clashes are resolved; true when the key
 * had to be cut to fit. */
static bool
base_code(const char *key, char *out, size_t outsz)
{
	size_t o = 0;
	bool cut;

	for (const char *p = key; *p != '\0' && o + 1 < outsz; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '/' || c == '|' || c == '\\')
			out[o++] = '-'; /* "7/8" stays readable as "7-8" */
		else if (c > ' ' && strchr("\"'+&<>", c) == NULL)
			out[o++] = (char)(c < 0x80 ? toupper(c) : c);
	}
	out[o] = '\0';
	cut = strlen(out) > GROUP_CODE_MAX;
	cut_utf8(out, GROUP_CODE_MAX);
	if (out[0] == '\0')
		snprintf(out, outsz, "GROEP");
	return cut;
}

struct keyed {
	const char *key;
	char code[GROUP_CODE_MAX + 1];
	bool changed; /* cut or given a suffix */
};

static int
cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key,
	              ((const struct keyed *)b)->key);
}

static bool
taken(const struct keyed *k, size_t i, const char *code)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(k[j].code, code) == 0)
			return true;
	return false;
}

/* Codes for every student's group; changed[i] (may be NULL) tells whether
 * student i's code had to be cut or made unique. */
static void
group_codes(const struct student *s, size_t n,
            char (*codes)[GROUP_CODE_MAX + 1], bool *changed)
{
	struct keyed *k = xcalloc(n ? n : 1, sizeof(*k));
	size_t nk = 0, i, j;
	char base[4 * GROUP_CODE_MAX + 8], suffix[16], joined[64];

	for (i = 0; i < n; i++)
		k[nk++].key = s[i].group_key;
	qsort(k, nk, sizeof(*k), cmp_keyed);
	for (i = j = 0; i < nk; i++)
		if (j == 0 || strcmp(k[j - 1].key, k[i].key) != 0)
			k[j++] = k[i];
	nk = j;
	for (i = 0; i < nk; i++) {
		k[i].changed = base_code(k[i].key, base, sizeof(base));
		str_copy(k[i].code, sizeof(k[i].code), base);
		for (int dup = 2; taken(k, i, k[i].code); dup++) {
			snprintf(suffix, sizeof(suffix), "-%d", dup);
			cut_utf8(base, GROUP_CODE_MAX - strlen(suffix));
			snprintf(joined, sizeof(joined), "%s%s", base, suffix);
			str_copy(k[i].code, sizeof(k[i].code), joined);
			k[i].changed = true;
		}
	}
	for (i = 0; i < n; i++) {
		struct keyed want = { s[i].group_key, "", false };
		struct keyed *hit =
		        bsearch(&want, k, nk, sizeof(*k), cmp_keyed);

		snprintf(codes[i], GROUP_CODE_MAX + 1, "%s",
		         hit ? hit->code : "");
		if (changed != NULL)
			changed[i] = hit && hit->changed;
	}
	free(k);
}

void
export_group_codes(const struct student *s, size_t n,
                   char (*codes)[GROUP_CODE_MAX + 1])
{
	group_codes(s, n, codes, NULL);
}

static void
date_text(int32_t ymd, char *out, size_t outsz)
{
	if (ymd == 0)
		snprintf(out, outsz, "%s", "");
	else
		snprintf(out, outsz, "%04d-%02d-%02d", ymd / 10000,
		         ymd / 100 % 100, ymd % 100);
}

void
export_student_fields(struct buf *out, const struct student *s)
{
	char birth[16];

	date_text(s->birth, birth, sizeof(birth));
	buf_adds(out, "\"leerlingnummer\":");
	buf_add_json(out, s->number);
	buf_adds(out, ",\"roepnaam\":");
	buf_add_json(out, s->roepnaam);
	buf_adds(out, ",\"tussenvoegsel\":");
	buf_add_json(out, s->tussenvoegsel);
	buf_adds(out, ",\"achternaam\":");
	buf_add_json(out, s->achternaam);
	buf_adds(out, ",\"geboortedatum\":");
	if (birth[0] == '\0')
		buf_adds(out, "null");
	else
		buf_add_json(out, birth);
	buf_adds(out, ",\"groep\":");
	buf_add_json(out, s->group);
	if (s->jaargroep == JAARGROEP_UNKNOWN)
		buf_adds(out, ",\"jaargroep\":null");
	else
		buf_addf(out, ",\"jaargroep\":%d", s->jaargroep);
}

static void
csv_row(struct buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, ';');
		export_csv_cell(out, cells[i], ';');
	}
	buf_adds(out, "\r\n");
}

enum err
export_roster(struct buf *out, enum export_format f, const struct student *s,
              size_t n, size_t *shortened)
{
	char(*codes)[GROUP_CODE_MAX + 1] = NULL;
	bool *changed = NULL;
	char birth[16], jaar[8], name[4 * GROUP_NAME_MAX + 1];
	bool first = true;

	*shortened = 0;
	if (f == EXPORT_SCHOOLWISE) {
		static const char *const head[] = {
			"LEERLINGNUMMER", "ROEPNAAM",      "VOORVOEGSEL",
			"NAAM",           "GEBOORTEDATUM", "GROEP",
			"GROEPSNAAM",     "JAARGROEP",
		};
		codes = xcalloc(n ? n : 1, sizeof(*codes));
		changed = xcalloc(n ? n : 1, sizeof(*changed));
		group_codes(s, n, codes, changed);
		csv_row(out, head, 8);
	} else if (f == EXPORT_CSV) {
		static const char *const head[] = {
			"leerlingnummer", "roepnaam",      "tussenvoegsel",
			"achternaam",     "geboortedatum", "groep",
			"jaargroep",
		};
		csv_row(out, head, 7);
	} else {
		buf_adds(out, "[");
	}
	for (size_t i = 0; i < n; i++) {
		const struct student *x = &s[i];

		if (!x->active)
			continue;
		date_text(x->birth, birth, sizeof(birth));
		if (x->jaargroep == JAARGROEP_UNKNOWN)
			jaar[0] = '\0';
		else
			snprintf(jaar, sizeof(jaar), "%d", x->jaargroep);
		if (f == EXPORT_SCHOOLWISE) {
			snprintf(name, sizeof(name), "%s", x->group);
			cut_utf8(name, GROUP_NAME_MAX);
			if (strcmp(name, x->group) != 0 || changed[i])
				(*shortened)++;
			const char *cells[] = {
				x->number,     x->roepnaam, x->tussenvoegsel,
				x->achternaam, birth,       codes[i],
				name,          jaar
			};
			csv_row(out, cells, 8);
		} else if (f == EXPORT_CSV) {
			const char *cells[] = {
				x->number,     x->roepnaam, x->tussenvoegsel,
				x->achternaam, birth,       x->group,
				jaar
			};
			csv_row(out, cells, 7);
		} else {
			buf_adds(out, first ? "\n" : ",\n");
			buf_addc(out, '{');
			export_student_fields(out, x);
			buf_addc(out, '}');
		}
		first = false;
	}
	if (f == EXPORT_JSON)
		buf_adds(out, first ? "]\n" : "\n]\n");
	free(codes);
	free(changed);
	return out->err;
}
