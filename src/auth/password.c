/*
 * Password policy, Argon2id hashing and one-time passwords (see password.h).
 *
 * The policy follows NIST SP 800-63B: a minimum and maximum length in
 * characters, any Unicode, no composition rules, a list of common passwords
 * (data/common-passwords.txt, compiled in) and context words (username and
 * school name).  The list is compared ignoring ASCII case, and also with
 * trailing digits and punctuation removed, which catches "Welkom2026!".
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "password.h"
#include "../base/asset.h"
#include "../base/heavy.h"
#include "../base/mem.h"
#include "../base/text.h"

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_free = 2;

static unsigned long long ops_limit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t mem_limit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

static char dummy_hash[crypto_pwhash_STRBYTES];

/* The common-password list: pointers into one lowercase copy, sorted. */
static char *common_text;
static const char **common;
static size_t ncommon;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
load_common(void)
{
	const struct asset *a = asset_find(data_files, "common-passwords.txt");
	size_t i, n = 0, cap = 0;
	char *line, *next;

	if (a == NULL || common != NULL)
		return;
	common_text = xmalloc(a->len + 1);
	for (i = 0; i < a->len; i++)
		common_text[i] = (char)tolower(a->data[i]);
	common_text[a->len] = '\0';
	for (line = common_text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			common = xrealloc(common, cap * sizeof(*common));
		}
		common[n++] = line;
	}
	qsort(common, n, sizeof(*common), cmp_str);
	ncommon = n;
}

enum err
password_init(int max_concurrent)
{
	if (max_concurrent < 1 || max_concurrent > 64)
		return ERR_INVALID;
	if (sodium_init() < 0)
		return ERR_INVALID;
	pthread_mutex_lock(&gate_lock);
	gate_free = max_concurrent;
	load_common();
	pthread_mutex_unlock(&gate_lock);
	if (dummy_hash[0] == '\0')
		return password_hash("biebsync-dummy-password", dummy_hash);
	return ERR_OK;
}

void
password_set_limits(unsigned long long opslimit, size_t memlimit)
{
	ops_limit = opslimit;
	mem_limit = memlimit;
}

static bool
is_common(const char *pw)
{
	char low[4 * PASSWORD_MAX_CHARS + 1];
	const char *key = low;
	size_t n = strlen(pw), i;

	if (n >= sizeof(low))
		return false;
	for (i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)pw[i]);
	if (bsearch(&key, common, ncommon, sizeof(*common), cmp_str))
		return true;
	while (n > 0 &&
	       (isdigit((unsigned char)low[n - 1]) ||
	        ispunct((unsigned char)low[n - 1]) || low[n - 1] == ' '))
		low[--n] = '\0';
	return n > 0 &&
	       bsearch(&key, common, ncommon, sizeof(*common), cmp_str) != NULL;
}

/* Fewer than four distinct characters (code points, not bytes):
 * "aaaaaaaaaaaa", "abababababab", "éééééééééééé".  pw is valid UTF-8,
 * so a character is a lead byte and at most three continuation bytes. */
static bool
is_repetitive(const char *pw)
{
	const unsigned char *p = (const unsigned char *)pw;
	uint32_t seen[4];
	int distinct = 0, k;

	while (*p != '\0' && distinct < 4) {
		uint32_t c = *p++;

		while ((*p & 0xc0) == 0x80)
			c = c << 8 | *p++;
		for (k = 0; k < distinct && seen[k] != c; k++)
			;
		if (k == distinct)
			seen[distinct++] = c;
	}
	return distinct < 4;
}

static bool
has_control(const char *pw)
{
	for (; *pw != '\0'; pw++)
		if ((unsigned char)*pw < 0x20 || *pw == 0x7f)
			return true;
	return false;
}

enum pw_verdict
password_check(const char *pw, const char *username, const char *school)
{
	size_t chars;

	if (!utf8_valid(pw, strlen(pw)) || has_control(pw))
		return PW_NOT_TEXT;
	chars = utf8_count(pw);
	if (chars < PASSWORD_MIN_CHARS)
		return PW_TOO_SHORT;
	if (chars > PASSWORD_MAX_CHARS)
		return PW_TOO_LONG;
	if (is_common(pw))
		return PW_COMMON;
	if (is_repetitive(pw))
		return PW_REPETITIVE;
	if (username != NULL && strlen(username) >= 3 &&
	    str_contains_nocase(pw, username))
		return PW_HAS_USERNAME;
	if (school != NULL && strlen(school) >= 3 &&
	    str_contains_nocase(pw, school))
		return PW_HAS_SCHOOL;
	return PW_OK;
}

/* Every Argon2 computation passes here: at most gate_free at once, and
 * in the server only on the worker pool (heavy_check). */
static void
gate_enter(void)
{
	heavy_check("argon2");
	pthread_mutex_lock(&gate_lock);
	while (gate_free == 0)
		pthread_cond_wait(&gate_cond, &gate_lock);
	gate_free--;
	pthread_mutex_unlock(&gate_lock);
}

static void
gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_free++;
	pthread_cond_signal(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

enum err
password_hash(const char *pw, char *out)
{
	int rc;

	gate_enter();
	rc = crypto_pwhash_str(out, pw, strlen(pw), ops_limit, mem_limit);
	gate_leave();
	return rc == 0 ? ERR_OK : ERR_LIMIT;
}

bool
password_verify(const char *hash, const char *pw)
{
	int rc;

	if (strncmp(hash, "$argon2id$", 10) != 0) {
		password_verify_dummy(pw);
		return false;
	}
	gate_enter();
	rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	gate_leave();
	return rc == 0;
}

void
password_verify_dummy(const char *pw)
{
	volatile int rc;

	gate_enter();
	rc = crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw));
	gate_leave();
	(void)rc;
}

bool
password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, ops_limit, mem_limit) != 0;
}

void
password_one_time(char *out)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	size_t o = 0;

	for (int i = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	}
	out[o] = '\0';
}
