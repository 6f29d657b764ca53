/*
 * Checking a table of texts in Dutch and English (src/base/lang.h), for the
 * tests of every such table: both texts of a row are there and not empty,
 * and they have the same printf conversions in the same order, so that one
 * argument list fits both ("%s %zu" and "%zu %s" differ).  Include after
 * <cmocka.h>.  Everything here is static, like testutil.h.
 */
#ifndef BIEBSYNC_TESTS_MSGCHECK_H
#define BIEBSYNC_TESTS_MSGCHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../src/base/lang.h"

#define MC_CONV_MAX 256

/*
 * The conversions of fmt as the arguments they take, in order, into out: a
 * "*" for each star of a width or precision (an int argument), then the
 * length modifier and the conversion, one space after each ("%-24s" gives
 * "s ", "%.*s" "* s ", "%zu %lld" "zu lld ").  Flags and written widths and
 * precisions take no argument, so they may differ between the languages
 * (to line up a column); "%%" takes none.  html()'s %S counts as a
 * conversion.  false when a '%' starts no conversion, or out is too small.
 */
static inline bool
mc_conversions(const char *fmt, char *out, size_t outsz)
{
	size_t n = 0;

#define MC_PUT(s, len)                                                         \
	do {                                                                   \
		if (n + (len) + 2 > outsz)                                     \
			return false;                                          \
		memcpy(out + n, (s), (len));                                   \
		n += (len);                                                    \
		out[n++] = ' ';                                                \
	} while (0)
	out[0] = '\0';
	for (const char *p = fmt; *p != '\0'; p++) {
		const char *start;

		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		while (*p != '\0' && strchr("-+ #0'", *p) != NULL)
			p++;
		if (*p == '*') {
			MC_PUT("*", 1);
			p++;
		}
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				MC_PUT("*", 1);
				p++;
			}
			while (*p >= '0' && *p <= '9')
				p++;
		}
		start = p;
		while (*p != '\0' && strchr("hljztL", *p) != NULL)
			p++;
		if (*p == '\0' || strchr("diouxXeEfFgGaAcspS", *p) == NULL)
			return false;
		MC_PUT(start, (size_t)(p - start + 1));
	}
#undef MC_PUT
	out[n] = '\0';
	return true;
}

/*
 * Fail the test unless nl and en, the texts of row key of table what, are
 * both non-empty and have the same conversions in the same order.
 */
static inline void
mc_check_row(const char *what, int key, const char *nl, const char *en)
{
	char cnl[MC_CONV_MAX], cen[MC_CONV_MAX];

	if (nl == NULL || nl[0] == '\0')
		fail_msg("%s %d: no Dutch text", what, key);
	if (en == NULL || en[0] == '\0')
		fail_msg("%s %d: no English text", what, key);
	if (!mc_conversions(nl, cnl, sizeof(cnl)))
		fail_msg("%s %d: a '%%' that is no conversion in '%s'", what,
		         key, nl);
	if (!mc_conversions(en, cen, sizeof(cen)))
		fail_msg("%s %d: a '%%' that is no conversion in '%s'", what,
		         key, en);
	if (strcmp(cnl, cen) != 0)
		fail_msg("%s %d: Dutch takes [%s], English [%s]: '%s' / '%s'",
		         what, key, cnl, cen, nl, en);
}

#endif
