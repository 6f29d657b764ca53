/*
 * Two-step login codes, secrets, URIs, QR path data and recovery codes
 * (see totp.h).  HMAC-SHA-1 comes from nettle, randomness and SHA-256 from
 * libsodium, the QR matrix from libqrencode.
 */
#include <stdio.h>
#include <string.h>

#include <nettle/hmac.h>
#include <qrencode.h>
#include <sodium.h>

#include "totp.h"

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* No 0/o, 1/l/i: a code read from paper is typed right. */
static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

enum err
base32_encode(const unsigned char *in, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;

	if (outsz < (n * 8 + 4) / 5 + 1)
		return ERR_LIMIT;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return ERR_OK;
}

enum err
base32_decode(const char *in, unsigned char *out, size_t outsz, size_t *n)
{
	unsigned acc = 0;
	int bits = 0;
	size_t o = 0;

	for (; *in != '\0'; in++) {
		char c = *in;
		const char *at;

		if (c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((at = strchr(b32, c)) == NULL || c == '\0')
			return ERR_INVALID;
		acc = ((acc << 5) | (unsigned)(at - b32)) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			if (o >= outsz)
				return ERR_LIMIT;
			out[o++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	*n = o;
	return ERR_OK;
}

void
totp_secret_new(char out[TOTP_SECRET_LEN + 1])
{
	unsigned char key[TOTP_SECRET_BYTES];

	randombytes_buf(key, sizeof(key));
	base32_encode(key, sizeof(key), out, TOTP_SECRET_LEN + 1);
	sodium_memzero(key, sizeof(key));
}

int64_t
totp_step_of(int64_t t)
{
	return t < 0 ? 0 : t / TOTP_PERIOD;
}

enum err
totp_code_raw(const unsigned char *key, size_t keylen, int64_t step, int digits,
              char out[9])
{
	static const uint32_t mod[] = { 1000000, 10000000, 100000000 };
	struct hmac_sha1_ctx ctx;
	uint8_t msg[8], mac[SHA1_DIGEST_SIZE];
	uint64_t counter = (uint64_t)step;
	uint32_t bin;
	int off;

	if (digits < 6 || digits > 8)
		return ERR_INVALID;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)(counter & 0xff);
		counter >>= 8;
	}
	hmac_sha1_set_key(&ctx, keylen, key);
	hmac_sha1_update(&ctx, sizeof(msg), msg);
	hmac_sha1_digest(&ctx, sizeof(mac), mac);
	off = mac[SHA1_DIGEST_SIZE - 1] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) |
	      ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) |
	      (uint32_t)mac[off + 3];
	bin %= mod[digits - 6];
	for (int i = digits - 1; i >= 0; i--) {
		out[i] = (char)('0' + bin % 10);
		bin /= 10;
	}
	out[digits] = '\0';
	sodium_memzero(&ctx, sizeof(ctx));
	sodium_memzero(mac, sizeof(mac));
	return ERR_OK;
}

enum err
totp_code(const char *secret, int64_t step, char out[9])
{
	unsigned char key[64];
	size_t n;
	enum err e;

	if (base32_decode(secret, key, sizeof(key), &n) != ERR_OK || n < 10)
		return ERR_INVALID;
	e = totp_code_raw(key, n, step, TOTP_DIGITS, out);
	sodium_memzero(key, sizeof(key));
	return e;
}

bool
totp_check(const char *secret, const char *code, int64_t now, int64_t *step)
{
	char typed[TOTP_DIGITS + 1], want[9];
	int64_t base = totp_step_of(now);
	size_t n = 0;
	bool found = false;

	for (; *code != '\0'; code++) {
		if (*code == ' ')
			continue;
		if (*code < '0' || *code > '9' || n >= TOTP_DIGITS)
			return false;
		typed[n++] = *code;
	}
	if (n != TOTP_DIGITS)
		return false;
	typed[n] = '\0';
	/* every candidate is computed and compared in constant time */
	for (int64_t s = base - 1; s <= base + 1; s++) {
		if (totp_code(secret, s, want) != ERR_OK)
			return false;
		if (sodium_memcmp(want, typed, TOTP_DIGITS) == 0 && !found) {
			*step = s;
			found = true;
		}
	}
	return found;
}

/* Percent-encode s (RFC 3986 unreserved kept) onto out at *o. */
static bool
pct(const char *s, char *out, size_t outsz, size_t *o)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			if (*o + 1 >= outsz)
				return false;
			out[(*o)++] = (char)c;
		} else {
			if (*o + 3 >= outsz)
				return false;
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
	out[*o] = '\0';
	return true;
}

static bool
lit(const char *s, char *out, size_t outsz, size_t *o)
{
	size_t n = strlen(s);

	if (*o + n >= outsz)
		return false;
	memcpy(out + *o, s, n + 1);
	*o += n;
	return true;
}

enum err
totp_uri(const char *issuer, const char *account, const char *secret, char *out,
         size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return ERR_LIMIT;
	out[0] = '\0';
	if (!lit("otpauth://totp/", out, outsz, &o) ||
	    !pct(issuer, out, outsz, &o) || !lit(":", out, outsz, &o) ||
	    !pct(account, out, outsz, &o) || !lit("?secret=", out, outsz, &o) ||
	    !pct(secret, out, outsz, &o) || !lit("&issuer=", out, outsz, &o) ||
	    !pct(issuer, out, outsz, &o) ||
	    !lit("&algorithm=SHA1&digits=6&period=30", out, outsz, &o)) {
		out[0] = '\0';
		return ERR_LIMIT;
	}
	return ERR_OK;
}

enum err
totp_qr_path(const char *text, struct buf *d, int *size)
{
	enum { QUIET = 4 };
	QRcode *qr;
	enum err e = ERR_OK;

	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL)
		return ERR_INVALID;
	for (int y = 0; y < qr->width && e == ERR_OK; y++) {
		for (int x = 0; x < qr->width && e == ERR_OK;) {
			int run = 0;

			while (x + run < qr->width &&
			       (qr->data[y * qr->width + x + run] & 1))
				run++;
			if (run == 0) {
				x++;
				continue;
			}
			e = buf_addf(d, "M%d %dh%dv1h-%dz", x + QUIET,
			             y + QUIET, run, run);
			x += run;
		}
	}
	*size = qr->width + 2 * QUIET;
	QRcode_free(qr);
	return e;
}

void
totp_secret_grouped(const char *secret, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return;
	for (size_t i = 0; secret[i] != '\0' && o + 2 < outsz; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = secret[i];
	}
	out[o] = '\0';
}

void
recovery_code_new(char out[RECOVERY_SIZE])
{
	size_t o = 0;

	for (int i = 0; i < RECOVERY_CHARS; i++) {
		if (i == RECOVERY_CHARS / 2)
			out[o++] = '-';
		out[o++] = recovery_alphabet[randombytes_uniform(
		        sizeof(recovery_alphabet) - 1)];
	}
	out[o] = '\0';
}

bool
recovery_hash(const char *typed, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char norm[RECOVERY_CHARS + 1];
	size_t n = 0;

	for (; *typed != '\0'; typed++) {
		char c = *typed;

		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n >= RECOVERY_CHARS || c == '\0' ||
		    strchr(recovery_alphabet, c) == NULL)
			return false;
		norm[n++] = c;
	}
	if (n != RECOVERY_CHARS)
		return false;
	norm[n] = '\0';
	crypto_hash_sha256(h, (const unsigned char *)norm, n);
	sodium_bin2hex(out, 65, h, sizeof(h));
	return true;
}
