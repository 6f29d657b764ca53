/*
 * Normalising values (see norm.h).  Unicode work (NFC, case folding, accent
 * stripping, character classes) is utf8proc's, run into fixed buffers on
 * the stack so nothing here allocates; everything else is byte-level ASCII.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "norm.h"
#include "model.h"
#include "../base/text.h"

/* Code points after decomposition: room for every character of
 * NORM_TEXT_MAX to decompose into a few. */
#define CP_MAX (4 * NORM_TEXT_MAX)

/* Copy src into dst (size dstsz) if it fits; "" and false if not. */
static bool
fit_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstsz) {
		dst[0] = '\0';
		return false;
	}
	memcpy(dst, src, n + 1);
	return true;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c < 0x20 || c == 0x7f;
}

/*
 * Copy s into out (size outsz >= 1) with control characters and no-break
 * spaces (U+00A0) as single spaces, runs collapsed, trimmed.  Returns the
 * length, or SIZE_MAX if out is too small.
 */
static size_t
squeeze(const char *s, size_t len, char *out, size_t outsz)
{
	size_t o = 0;
	bool pending = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] == 0xa0) {
			i++;
			c = ' ';
		}
		if (is_space(c)) {
			pending = o > 0;
			continue;
		}
		if (o + (pending ? 2 : 1) >= outsz)
			return SIZE_MAX;
		if (pending)
			out[o++] = ' ';
		pending = false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o;
}

static bool
ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* norm_fold() for ASCII text, which needs no Unicode tables. */
static size_t
fold_ascii(const char *s, size_t len, enum norm_fold mode, char *out,
           size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		             (c >= 'A' && c <= 'Z');

		if (mode == NORM_FOLD_ALNUM && !alnum)
			continue;
		if (mode == NORM_FOLD_SPACES && (c <= ' ' || c == 0x7f))
			continue;
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[o] = '\0';
	return o;
}

enum err
norm_text(const char *s, size_t len, char *out, size_t outsz)
{
	char tmp[4 * NORM_TEXT_MAX + 1];
	utf8proc_int32_t cps[CP_MAX];
	utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	utf8proc_ssize_t n;
	size_t tlen;

	out[0] = '\0';
	if (!utf8_valid(s, len))
		return ERR_INVALID;
	tlen = squeeze(s, len, tmp, sizeof(tmp));
	if (tlen == SIZE_MAX)
		return ERR_LIMIT;
	if (tlen == 0 || ascii(tmp, tlen)) { /* ASCII is NFC already */
		if (tlen >= outsz)
			return ERR_LIMIT;
		memcpy(out, tmp, tlen + 1);
		return ERR_OK;
	}
	n = utf8proc_decompose((const utf8proc_uint8_t *)tmp,
	                       (utf8proc_ssize_t)tlen, cps, CP_MAX, opt);
	if (n < 0)
		return ERR_INVALID;
	if (n > CP_MAX)
		return ERR_LIMIT;
	n = utf8proc_reencode(cps, n, opt);
	if (n < 0)
		return ERR_INVALID;
	if ((size_t)n >= outsz)
		return ERR_LIMIT;
	memcpy(out, cps, (size_t)n);
	out[n] = '\0';
	return ERR_OK;
}

static bool
keep_cp(utf8proc_int32_t c, enum norm_fold mode)
{
	utf8proc_category_t cat = utf8proc_category(c);

	switch (mode) {
	case NORM_FOLD_KEEP:
		return true;
	case NORM_FOLD_SPACES:
		return !(c < 0x20 || c == 0x7f || cat == UTF8PROC_CATEGORY_ZS);
	case NORM_FOLD_ALNUM:
		return (cat >= UTF8PROC_CATEGORY_LU &&
		        cat <= UTF8PROC_CATEGORY_LO) ||
		       (cat >= UTF8PROC_CATEGORY_ND &&
		        cat <= UTF8PROC_CATEGORY_NO);
	}
	return true;
}

size_t
norm_fold(const char *s, size_t len, enum norm_fold mode, char *out,
          size_t outsz)
{
	char tmp[4 * NORM_TEXT_MAX + 1];
	utf8proc_int32_t cps[CP_MAX];
	utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                        UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	                        UTF8PROC_STRIPMARK;
	utf8proc_ssize_t n, k = 0;
	size_t o;

	out[0] = '\0';
	if (ascii(s, len))
		return fold_ascii(s, len, mode, out, outsz);
	if (len > sizeof(tmp) - 1)
		len = sizeof(tmp) - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (!utf8_valid(tmp, len))
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)tmp[i] >= 0x80)
				tmp[i] = '?';
	n = utf8proc_decompose((const utf8proc_uint8_t *)tmp,
	                       (utf8proc_ssize_t)len, cps, CP_MAX, opt);
	if (n < 0)
		return 0;
	if (n > CP_MAX)
		n = CP_MAX;
	for (utf8proc_ssize_t i = 0; i < n; i++)
		if (keep_cp(cps[i], mode))
			cps[k++] = cps[i];
	n = utf8proc_reencode(cps, k, opt);
	if (n < 0)
		return 0;
	o = (size_t)n;
	if (o >= outsz) {
		o = outsz - 1;
		while (o > 0 && (((unsigned char *)cps)[o] & 0xc0) == 0x80)
			o--;
	}
	memcpy(out, cps, o);
	out[o] = '\0';
	return o;
}

/*
 * Student numbers.
 */

bool
norm_number_from_double(double v, char *out, size_t outsz)
{
	if (!isfinite(v) || v < 0 || v > 9007199254740992.0 || v != floor(v))
		return false;
	if (v == 0)
		v = 0; /* no "-0" */
	return snprintf(out, outsz, "%.0f", v) < (int)outsz;
}

bool
norm_all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void
norm_number_key(const char *number, char *key, size_t keysz)
{
	if (norm_all_digits(number)) {
		while (number[0] == '0' && number[1] != '\0')
			number++;
		if (fit_copy(key, keysz, number))
			return;
	}
	norm_fold(number, strlen(number), NORM_FOLD_SPACES, key, keysz);
}

bool
norm_elfproef(const char *d)
{
	int sum = 0;
	bool zero = true;

	for (int i = 0; i < 9; i++) {
		if (d[i] < '0' || d[i] > '9')
			return false;
		if (d[i] != '0')
			zero = false;
	}
	if (d[9] != '\0' || zero)
		return false;
	for (int i = 0; i < 8; i++)
		sum += (9 - i) * (d[i] - '0');
	/* BSN: the last digit counts -1; onderwijsnummer: +1, remainder 5 */
	return (sum - (d[8] - '0')) % 11 == 0 || (sum + (d[8] - '0')) % 11 == 5;
}

bool
norm_looks_bsn(const char *s, bool short8)
{
	char nine[10];
	size_t n = strlen(s);

	if (!norm_all_digits(s))
		return false;
	if (n == 9)
		return norm_elfproef(s);
	if (n != 8 || !short8)
		return false;
	nine[0] = '0';
	memcpy(nine + 1, s, 9);
	return norm_elfproef(nine);
}

/*
 * Dates.
 */

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
		                    31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

enum norm_date
norm_date_ymd(int y, int m, int d, int32_t *out)
{
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return NORM_DATE_IMPOSSIBLE;
	*out = y * 10000 + m * 100 + d;
	return NORM_DATE_OK;
}

/* Dutch month names and abbreviations, lowercase ASCII. */
static const struct {
	const char *name;
	int month;
} months[] = {
	{ "januari", 1 },  { "jan", 1 },       { "februari", 2 },
	{ "feb", 2 },      { "febr", 2 },      { "maart", 3 },
	{ "mrt", 3 },      { "mar", 3 },       { "april", 4 },
	{ "apr", 4 },      { "mei", 5 },       { "juni", 6 },
	{ "jun", 6 },      { "juli", 7 },      { "jul", 7 },
	{ "augustus", 8 }, { "aug", 8 },       { "september", 9 },
	{ "sep", 9 },      { "sept", 9 },      { "oktober", 10 },
	{ "okt", 10 },     { "oct", 10 },      { "november", 11 },
	{ "nov", 11 },     { "december", 12 }, { "dec", 12 },
};

/* Read up to max digits at *p; returns how many were read. */
static int
digits(const char **p, int max, int *val)
{
	int n = 0, v = 0;

	while (**p >= '0' && **p <= '9') {
		if (++n > max)
			return max + 1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*val = v;
	return n;
}

static int
month_name(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
		n++;
	for (size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++)
		if (strlen(months[i].name) == n &&
		    strncasecmp(s, months[i].name, n) == 0) {
			*p = s + n + (s[n] == '.');
			return months[i].month;
		}
	return 0;
}

/* The rest after a date: nothing, or a time of day. */
static bool
tail_ok(const char *p)
{
	while (*p == ' ')
		p++;
	if (*p == 'T' || *p == 't')
		p++;
	for (; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || *p == ':' || *p == '.' ||
		      *p == ' '))
			return false;
	return true;
}

static bool
is_sep(char c)
{
	return c == '-' || c == '/' || c == '.';
}

enum norm_date
norm_date_text(const char *s, int32_t today, int32_t *out)
{
	const char *p = s;
	int a = 0, m = 0, y = 0, na, nm, ny;
	char sep;

	while (*p == ' ')
		p++;
	na = digits(&p, 4, &a);
	if (na == 0 || na == 3 || na > 4)
		return NORM_DATE_NOT_A_DATE;
	sep = *p;
	if (na == 4) { /* jjjj-mm-dd */
		int d = 0;

		if (!is_sep(sep))
			return NORM_DATE_NOT_A_DATE;
		p++;
		nm = digits(&p, 2, &m);
		if (nm < 1 || nm > 2 || *p != sep)
			return NORM_DATE_NOT_A_DATE;
		p++;
		if (digits(&p, 2, &d) < 1 || d > 99 || !tail_ok(p))
			return NORM_DATE_NOT_A_DATE;
		return norm_date_ymd(a, m, d, out);
	}
	if (sep == ' ' ||
	    (sep == '-' && ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z'))) {
		p++;
		while (sep == ' ' && *p == ' ')
			p++;
		if ((m = month_name(&p)) == 0)
			return NORM_DATE_NOT_A_DATE;
		if (*p != sep && !(sep == ' ' && *p == ' '))
			return NORM_DATE_NOT_A_DATE;
		while (*p == sep || *p == ' ')
			p++;
	} else {
		if (!is_sep(sep))
			return NORM_DATE_NOT_A_DATE;
		p++;
		nm = digits(&p, 2, &m);
		if (nm < 1 || nm > 2 || *p != sep)
			return NORM_DATE_NOT_A_DATE;
		p++;
	}
	ny = digits(&p, 4, &y);
	if ((ny != 2 && ny != 4) || !tail_ok(p))
		return NORM_DATE_NOT_A_DATE;
	if (ny == 2) {
		y += 2000;
		if (y > today / 10000)
			y -= 100;
	}
	return norm_date_ymd(y, m, a, out);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static int32_t
civil_from_days(long z)
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	return (int32_t)((y + (m <= 2)) * 10000 + m * 100 + d);
}

bool
norm_date_number(double v, int32_t *out)
{
	if (!isfinite(v) || v < 0)
		return false;
	if (v >= 19000101 && v <= 21001231 && v == floor(v)) {
		long n = (long)v;

		return norm_date_ymd((int)(n / 10000), (int)(n / 100 % 100),
		                     (int)(n % 100), out) == NORM_DATE_OK;
	}
	/* 1950-01-01 is serial 18264, 2100-12-31 is 73415; serial 25569 is
	 * 1970-01-01 in the 1900 system (past its 1900 leap-year bug). */
	if (v < 18264 || v >= 73416)
		return false;
	*out = civil_from_days((long)floor(v) - 25569);
	return true;
}

int
norm_age(int32_t birth, int32_t today)
{
	int age = today / 10000 - birth / 10000;

	if (today % 10000 < birth % 10000)
		age--;
	return age;
}

void
norm_date_fmt(int32_t date, char *out, size_t outsz)
{
	if (date == 0) {
		snprintf(out, outsz, "-");
		return;
	}
	snprintf(out, outsz, "%02d-%02d-%04d", (int)(date % 100),
	         (int)(date / 100 % 100), (int)(date / 10000));
}

/*
 * Groups.
 */

void
norm_group_key(const char *group, char *key, size_t keysz)
{
	char tmp[4 * NORM_TEXT_MAX + 1];
	const char *k = tmp;
	size_t n = norm_fold(group, strlen(group), NORM_FOLD_SPACES, tmp,
	                     sizeof(tmp));

	if (n > 5 && strncmp(tmp, "groep", 5) == 0)
		k = tmp + 5;
	else if (n > 4 && strncmp(tmp, "klas", 4) == 0)
		k = tmp + 4;
	else if (n > 3 && strncmp(tmp, "gr.", 3) == 0 && tmp[3] >= '0' &&
	         tmp[3] <= '9')
		k = tmp + 3;
	else if (n > 2 && strncmp(tmp, "gr", 2) == 0 && tmp[2] >= '0' &&
	         tmp[2] <= '9')
		k = tmp + 2;
	if (!fit_copy(key, keysz, k))
		norm_fold(k, strlen(k), NORM_FOLD_KEEP, key, keysz);
}

int
norm_jaargroep(const char *text)
{
	char key[4 * NORM_TEXT_MAX + 1];
	int runs = 0, value = 0;
	bool in_run = false;

	norm_group_key(text, key, sizeof(key));
	for (const char *p = key; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (!in_run) {
				runs++;
				value = 0;
			}
			in_run = true;
			if (value < 1000)
				value = value * 10 + (*p - '0');
		} else {
			in_run = false;
		}
	}
	if (runs != 1)
		return JAARGROEP_UNKNOWN;
	return value <= 8 ? value : -2;
}

/*
 * Names.
 */

/* Tussenvoegsel words, compared ASCII case-insensitively. */
static const char *const prefix_words[] = {
	"van",   "von",  "de",
	"der",   "den",  "des",
	"het",   "'t",   "\xe2\x80\x99t",
	"'s",    "te",   "ten",
	"ter",   "in",   "op",
	"aan",   "bij",  "uit",
	"onder", "voor", "over",
	"la",    "le",   "du",
	"di",    "da",   "del",
	"dos",   "zu",
};

bool
norm_is_prefix_word(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(prefix_words) / sizeof(*prefix_words);
	     i++)
		if (strlen(prefix_words[i]) == n &&
		    strncasecmp(w, prefix_words[i], n) == 0)
			return true;
	return false;
}

#define WORDS_MAX 64

struct words {
	const char *w[WORDS_MAX];
	size_t len[WORDS_MAX];
	size_t n;
	bool fits;
};

/* Split s at spaces (s is squeezed: single spaces, trimmed). */
static void
words_split(const char *s, struct words *ws)
{
	ws->n = 0;
	ws->fits = true;
	while (*s == ' ')
		s++;
	while (*s != '\0') {
		const char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (ws->n == WORDS_MAX) {
			ws->fits = false;
			return;
		}
		ws->w[ws->n] = s;
		ws->len[ws->n++] = n;
		s += n;
		while (*s == ' ')
			s++;
	}
}

/* Join words [from, to) with single spaces into out (NORM_NAME_MAX). */
static bool
words_join(const struct words *ws, size_t from, size_t to, char *out)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = from; i < to; i++) {
		if (o + ws->len[i] + (o > 0) >= NORM_NAME_MAX)
			return false;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, ws->w[i], ws->len[i]);
		o += ws->len[i];
		out[o] = '\0';
	}
	return true;
}

void
norm_split_prefix(const char *achternaam, char *prefix, char *rest)
{
	struct words ws;
	size_t i = 0;

	words_split(achternaam, &ws);
	while (i + 1 < ws.n && norm_is_prefix_word(ws.w[i], ws.len[i]))
		i++;
	if (!words_join(&ws, 0, i, prefix) || !words_join(&ws, i, ws.n, rest) ||
	    !ws.fits) {
		prefix[0] = '\0';
		fit_copy(rest, NORM_NAME_MAX, achternaam);
	}
}

void
norm_split_name(const char *name, struct norm_name *out)
{
	const char *comma = strchr(name, ',');
	struct words ws;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (comma != NULL) {
		char left[NORM_NAME_MAX];
		size_t ll = (size_t)(comma - name), j;

		out->comma = true;
		while (ll > 0 && name[ll - 1] == ' ')
			ll--;
		if (ll >= sizeof(left)) {
			out->fits = false;
			return;
		}
		memcpy(left, name, ll);
		left[ll] = '\0';
		words_split(comma + 1, &ws);
		j = ws.n;
		while (j > 1 && norm_is_prefix_word(ws.w[j - 1], ws.len[j - 1]))
			j--;
		ok = words_join(&ws, 0, j, out->roepnaam) &&
		     words_join(&ws, j, ws.n, out->tussenvoegsel);
		if (out->tussenvoegsel[0] == '\0')
			norm_split_prefix(left, out->tussenvoegsel,
			                  out->achternaam);
		else
			ok = ok &&
			     fit_copy(out->achternaam, NORM_NAME_MAX, left);
	} else {
		size_t i = 1, j;

		words_split(name, &ws);
		while (i < ws.n && !norm_is_prefix_word(ws.w[i], ws.len[i]))
			i++;
		if (i >= ws.n) { /* no tussenvoegsel: the last word */
			i = ws.n > 0 ? ws.n - 1 : 0;
			j = i;
		} else {
			j = i;
			while (j + 1 < ws.n &&
			       norm_is_prefix_word(ws.w[j], ws.len[j]))
				j++;
		}
		ok = words_join(&ws, 0, i, out->roepnaam) &&
		     words_join(&ws, i, j, out->tussenvoegsel) &&
		     words_join(&ws, j, ws.n, out->achternaam);
	}
	out->fits = ok && ws.fits;
}
