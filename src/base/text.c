/*
 * Text helpers (see text.h).  The UTF-8 validator follows the table of
 * well-formed byte sequences in the Unicode standard (chapter 3, table 3-7).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "text.h"

bool
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len, k;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			/* ASCII, most text: 8 bytes at a time */
			for (i++; n - i >= 8; i += 8) {
				uint64_t w;

				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080u)
					break;
			}
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return false;
		i += len;
	}
	return true;
}

size_t
utf8_put(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

size_t
utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool
str_contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay), i, k;

	if (n == 0 || n > h)
		return false;
	for (i = 0; i + n <= h; i++) {
		for (k = 0; k < n; k++)
			if (tolower((unsigned char)hay[i + k]) !=
			    tolower((unsigned char)needle[k]))
				break;
		if (k == n)
			return true;
	}
	return false;
}

void
str_trim(char *s)
{
	size_t start = strspn(s, " "), n = strlen(s);

	while (n > start && s[n - 1] == ' ')
		n--;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
}

int64_t
time_now(void)
{
	return (int64_t)time(NULL);
}

int32_t
date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void
time_fmt_local(int64_t t, char *out, size_t outsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(out, outsz, "%d-%m-%Y %H:%M", &tm);
}

bool
time_parse_day(const char *s, int64_t *out)
{
	struct tm tm = { 0 };
	int y, m, d;
	time_t t;

	for (int i = 0; i < 10; i++)
		if (s[i] == '\0' ||
		    ((i == 4 || i == 7) ? s[i] != '-'
		                        : (s[i] < '0' || s[i] > '9')))
			return false;
	if (s[10] != '\0')
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || tm.tm_mday != d ||
	    tm.tm_mon != m - 1)
		return false; /* 31-02 became 03-03 */
	*out = (int64_t)t;
	return true;
}

void
time_fmt_iso(int64_t t, char *out, size_t outsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
