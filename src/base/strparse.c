/*
 * Bounded parsers (see strparse.h).  Overflow is detected before it happens;
 * nothing here allocates.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "strparse.h"

/* Parse leading decimal digits; *end points past them. */
static enum err
digits(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return ERR_INVALID;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return ERR_INVALID;
		v = v * 10 + d;
	}
	*out = v;
	*end = p;
	return ERR_OK;
}

static enum err
scaled(uint64_t v, uint64_t mult, uint64_t min, uint64_t max, uint64_t *out)
{
	if (mult != 0 && v > UINT64_MAX / mult)
		return ERR_INVALID;
	v *= mult;
	if (v < min || v > max)
		return ERR_INVALID;
	*out = v;
	return ERR_OK;
}

enum err
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	const char *end;

	if (s == NULL || digits(s, &v, &end) != ERR_OK || *end != '\0')
		return ERR_INVALID;
	return scaled(v, 1, min, max, out);
}

enum err
parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v, mult = 1;
	const char *end;

	if (s == NULL || digits(s, &v, &end) != ERR_OK)
		return ERR_INVALID;
	switch (*end) {
	case 'k':
	case 'K':
		mult = 1024;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1024 * 1024 * 1024;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0')
		return ERR_INVALID;
	return scaled(v, mult, min, max, out);
}

enum err
parse_duration(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v, mult = 1;
	const char *end;

	if (s == NULL || digits(s, &v, &end) != ERR_OK)
		return ERR_INVALID;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return ERR_INVALID;
	}
	if (*end != '\0' && end[1] != '\0')
		return ERR_INVALID;
	return scaled(v, mult, min, max, out);
}

enum err
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	if (s == NULL)
		return ERR_INVALID;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return ERR_OK;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return ERR_OK;
		}
	}
	return ERR_INVALID;
}

enum err
parse_listen(const char *s, char *addr, size_t addrsz, uint16_t *port)
{
	const char *colon, *a = s;
	size_t alen;
	uint64_t p;
	char tmp[64];
	unsigned char bin[16];

	if (s == NULL)
		return ERR_INVALID;
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return ERR_INVALID;
		a = s + 1;
		alen = (size_t)(close - a);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return ERR_INVALID;
		alen = (size_t)(colon - s);
	}
	if (alen == 0 || alen >= sizeof(tmp) || alen >= addrsz)
		return ERR_INVALID;
	memcpy(tmp, a, alen);
	tmp[alen] = '\0';
	if (inet_pton(*s == '[' ? AF_INET6 : AF_INET, tmp, bin) != 1)
		return ERR_INVALID;
	if (parse_u64(colon + 1, 0, 65535, &p) != ERR_OK)
		return ERR_INVALID;
	memcpy(addr, tmp, alen + 1);
	*port = (uint16_t)p;
	return ERR_OK;
}

enum err
str_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstsz)
		return ERR_LIMIT;
	memcpy(dst, src, n + 1);
	return ERR_OK;
}

bool
str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_eq_nocase(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}
