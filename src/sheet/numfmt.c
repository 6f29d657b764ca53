/*
 * Numbers and dates as spreadsheets store them.
 *
 * Spreadsheets store a date as a serial number of days and say "this is a
 * date" only through the cell's number format.  This file decides which
 * format codes are dates (the first section, with quoted text and [..]
 * locale/colour brackets removed, contains d, m, y, h or s not escaped by \
 * or _), converts serials in the 1900 system (with Excel's nonexistent
 * 1900-02-29, as openpyxl and Excel count) and the 1904 system to calendar
 * dates, parses ISO 8601 dates, and writes numbers the way JavaScript's
 * Number#toString does so that dumps compare exactly with the corpus.
 *
 * Times are rounded to milliseconds and then truncated to seconds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

enum datefmt
datefmt_builtin(unsigned id)
{
	if ((id >= 14 && id <= 22) || id == 45 || id == 47)
		return DATEFMT_DATE;
	if (id == 46)
		return DATEFMT_DURATION;
	return DATEFMT_NONE;
}

/* Does s (n bytes) start with an elapsed-time bracket: [h] [hh] [m] [mm]
 * [s] [ss], any case? */
static bool
elapsed_bracket(const char *s, size_t n)
{
	size_t i = 1;
	char c;

	if (n < 3 || s[0] != '[')
		return false;
	c = (char)(s[1] | 0x20);
	if (c != 'h' && c != 'm' && c != 's')
		return false;
	while (i < n && (char)(s[i] | 0x20) == c)
		i++;
	return i < n && s[i] == ']' && i <= 3;
}

enum datefmt
datefmt_classify(const char *code, size_t n)
{
	bool date = false;
	size_t i;

	for (i = 0; i < n && code[i] != ';'; i++) {
		char c = code[i];

		if (c == '"') {
			/* quoted literal text */
			for (i++; i < n && code[i] != '"'; i++)
				;
			continue;
		}
		if (c == '[') {
			if (elapsed_bracket(code + i, n - i)) {
				/* openpyxl counts an elapsed format only at
				 * the start of the code */
				if (i == 0)
					return DATEFMT_DURATION;
				date = true;
			}
			for (; i < n && code[i] != ']'; i++)
				;
			continue;
		}
		if (c == '\\' || c == '_') {
			i++; /* the next character is literal / padding */
			continue;
		}
		switch (c | 0x20) {
		case 'd':
		case 'm':
		case 'y':
		case 'h':
		case 's':
			date = true;
			break;
		default:
			break;
		}
	}
	return date ? DATEFMT_DATE : DATEFMT_NONE;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, yoe, doy, mp, yy;
	unsigned doe;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

bool
date_from_serial(double v, bool date1904, bool duration, struct sheet_date *d)
{
	double day;
	int64_t ms, days, secs;

	memset(d, 0, sizeof(*d));
	if (!isfinite(v) || v < 0 || v > 2958466.0)
		return false;
	if (duration) {
		/* whole microseconds, then milliseconds, then seconds */
		int64_t us = llround(v * 86400e6);

		secs = us / 1000000;
		if (llround((double)(us % 1000000) / 1000.0) >= 1000)
			secs++;
		d->kind = SHEET_DATE_DURATION;
		d->hour = (int)(secs / 3600);
		d->min = (int)(secs / 60 % 60);
		d->sec = (int)(secs % 60);
		return true;
	}
	day = floor(v);
	ms = llround((v - day) * 86400000.0);
	days = (int64_t)day;
	if (ms >= 86400000) {
		ms -= 86400000;
		days++;
	}
	secs = ms / 1000;
	if (v < 1 && days == 0) {
		d->kind = SHEET_DATE_TIME;
	} else {
		int64_t base;

		if (date1904) {
			base = days_from_civil(1904, 1, 1);
		} else {
			base = days_from_civil(1899, 12, 30);
			if (days < 60)
				days++; /* Excel's 1900-02-29 */
		}
		civil_from_days(base + days, &d->year, &d->month, &d->day);
		if (d->year > 9999)
			return false;
		d->kind = ms == 0 ? SHEET_DATE_DAY : SHEET_DATE_DATETIME;
	}
	d->hour = (int)(secs / 3600);
	d->min = (int)(secs / 60 % 60);
	d->sec = (int)(secs % 60);
	return true;
}

/* Read exactly w digits at *p; false otherwise. */
static bool
digits(const char **p, const char *end, int w, int *out)
{
	int v = 0;

	for (int i = 0; i < w; i++) {
		if (*p >= end || **p < '0' || **p > '9')
			return false;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return true;
}

static bool
valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
		                     31, 31, 30, 31, 30, 31 };

	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return true;
}

bool
date_from_iso(const char *s, size_t n, struct sheet_date *d)
{
	const char *p = s, *end = s + n;
	bool have_date = false, have_time = false;
	int ms = 0;

	memset(d, 0, sizeof(*d));
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	while (end > p &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	if (end - p >= 10 && p[4] == '-') {
		if (!digits(&p, end, 4, &d->year) || *p++ != '-' ||
		    !digits(&p, end, 2, &d->month) || *p++ != '-' ||
		    !digits(&p, end, 2, &d->day) ||
		    !valid_ymd(d->year, d->month, d->day))
			return false;
		have_date = true;
		if (p < end && (*p == 'T' || *p == ' '))
			p++;
	}
	if (p < end && end - p >= 5 && p[2] == ':') {
		if (!digits(&p, end, 2, &d->hour) || *p++ != ':' ||
		    !digits(&p, end, 2, &d->min))
			return false;
		if (p < end && *p == ':') {
			p++;
			if (!digits(&p, end, 2, &d->sec))
				return false;
		}
		if (p < end && (*p == '.' || *p == ',')) {
			p++;
			if (p >= end || *p < '0' || *p > '9')
				return false;
			for (int k = 0; p < end && *p >= '0' && *p <= '9';
			     p++, k++)
				if (k < 3)
					ms = ms * 10 + (*p - '0');
		}
		if (d->hour > 24 || d->min > 59 || d->sec > 60)
			return false;
		have_time = true;
	}
	/* an optional zone is ignored: the cell shows the date and time as
	 * written (xs:date "2016-05-06+01:00" is the 6th of May) */
	if (p < end && *p == 'Z') {
		p++;
	} else if (p < end && (*p == '+' || *p == '-') &&
	           (have_date || have_time)) {
		int zh, zm = 0;

		p++;
		if (!digits(&p, end, 2, &zh) || zh > 14)
			return false;
		if (p < end && *p == ':')
			p++;
		if (p < end && (!digits(&p, end, 2, &zm) || zm > 59))
			return false;
	}
	if (p != end || (!have_date && !have_time))
		return false;
	(void)ms;
	if (!have_date)
		d->kind = SHEET_DATE_TIME;
	else if (have_time && (d->hour || d->min || d->sec || ms))
		d->kind = SHEET_DATE_DATETIME;
	else
		d->kind = SHEET_DATE_DAY;
	return true;
}

bool
number_parse(const char *s, size_t n, double *out)
{
	char tmp[64], *end;
	size_t i = 0, j = 0;

	while (i < n &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	                 s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n - i == 0 || n - i >= sizeof(tmp))
		return false;
	if (n - i <= 15) {
		/* plain digits (student numbers, date serials): exact in a
		 * double, no strtod */
		uint64_t v = 0;
		size_t k = i;

		for (; k < n && s[k] >= '0' && s[k] <= '9'; k++)
			v = v * 10 + (uint64_t)(s[k] - '0');
		if (k == n) {
			*out = (double)v;
			return true;
		}
	}
	for (; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '+' || c == 'e' || c == 'E'))
			return false;
		tmp[j++] = c;
	}
	tmp[j] = '\0';
	*out = strtod(tmp, &end);
	return *end == '\0' && isfinite(*out);
}

void
sheet_number_fmt(double v, char *out, size_t outsz)
{
	char tmp[40], dig[24];
	int p, k = 0, e, n;
	const char *q;
	bool neg;
	size_t o = 0;

	if (isnan(v)) {
		snprintf(out, outsz, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, outsz, v < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (v == 0) {
		snprintf(out, outsz, "0");
		return;
	}
	/* Whole numbers below 2^53 (student numbers, counts, years) are
	 * exact and JavaScript writes them as plain integers: skip the
	 * shortest-round-trip search below, which costs up to 17 rounds of
	 * snprintf and strtod per number. */
	if (fabs(v) < 9007199254740992.0 && v == floor(v)) {
		uint64_t u = (uint64_t)fabs(v);

		k = 0;
		do
			dig[k++] = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0 && o + 1 < outsz)
			out[o++] = '-';
		while (k > 0 && o + 1 < outsz)
			out[o++] = dig[--k];
		out[o] = '\0';
		return;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	q = tmp;
	neg = *q == '-';
	if (neg)
		q++;
	for (; *q != 'e'; q++)
		if (*q != '.')
			dig[k++] = *q;
	while (k > 1 && dig[k - 1] == '0')
		k--;
	dig[k] = '\0';
	e = (int)strtol(q + 1, NULL, 10);
	n = e + 1; /* v = 0.dig * 10^n */

	char res[64];
	if (neg)
		res[o++] = '-';
	if (k <= n && n <= 21) {
		memcpy(res + o, dig, (size_t)k);
		o += (size_t)k;
		for (int i = 0; i < n - k; i++)
			res[o++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(res + o, dig, (size_t)n);
		o += (size_t)n;
		res[o++] = '.';
		memcpy(res + o, dig + n, (size_t)(k - n));
		o += (size_t)(k - n);
	} else if (-6 < n && n <= 0) {
		res[o++] = '0';
		res[o++] = '.';
		for (int i = 0; i < -n; i++)
			res[o++] = '0';
		memcpy(res + o, dig, (size_t)k);
		o += (size_t)k;
	} else {
		res[o++] = dig[0];
		if (k > 1) {
			res[o++] = '.';
			memcpy(res + o, dig + 1, (size_t)(k - 1));
			o += (size_t)(k - 1);
		}
		o += (size_t)snprintf(res + o, sizeof(res) - o, "e%c%d",
		                      n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
	res[o] = '\0';
	snprintf(out, outsz, "%s", res);
}

void
sheet_date_fmt(const struct sheet_date *d, char *out, size_t outsz)
{
	switch (d->kind) {
	case SHEET_DATE_DAY:
		if (outsz > 10 && d->year >= 0 && d->year <= 9999 &&
		    d->month >= 0 && d->month <= 99 && d->day >= 0 &&
		    d->day <= 99) {
			/* the common case, without printf */
			out[0] = (char)('0' + d->year / 1000);
			out[1] = (char)('0' + d->year / 100 % 10);
			out[2] = (char)('0' + d->year / 10 % 10);
			out[3] = (char)('0' + d->year % 10);
			out[4] = out[7] = '-';
			out[5] = (char)('0' + d->month / 10);
			out[6] = (char)('0' + d->month % 10);
			out[8] = (char)('0' + d->day / 10);
			out[9] = (char)('0' + d->day % 10);
			out[10] = '\0';
			break;
		}
		snprintf(out, outsz, "%04d-%02d-%02d", d->year, d->month,
		         d->day);
		break;
	case SHEET_DATE_DATETIME:
		snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d", d->year,
		         d->month, d->day, d->hour, d->min, d->sec);
		break;
	case SHEET_DATE_TIME:
		snprintf(out, outsz, "%02d:%02d:%02d", d->hour, d->min, d->sec);
		break;
	case SHEET_DATE_DURATION:
		snprintf(out, outsz, "%d:%02d:%02d", d->hour, d->min, d->sec);
		break;
	}
}

void
sheet_col_name(uint32_t col, char *out, size_t outsz)
{
	char tmp[8];
	int i = 0, j = 0;

	while (col > 0 && i < 7) {
		col--;
		tmp[i++] = (char)('A' + col % 26);
		col /= 26;
	}
	while (i > 0 && (size_t)j + 1 < outsz)
		out[j++] = tmp[--i];
	if (outsz > 0)
		out[j] = '\0';
}
