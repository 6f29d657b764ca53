/*
 * Token generation and hashing with libsodium (see token.h).
 */
#include <string.h>

#include <sodium.h>

#include "token.h"

static void
encode(const unsigned char bin[32], char out[TOKEN_SIZE])
{
	sodium_bin2base64(out, TOKEN_SIZE, bin, 32,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
token_new(char out[TOKEN_SIZE])
{
	unsigned char bin[32];

	randombytes_buf(bin, sizeof(bin));
	encode(bin, out);
	sodium_memzero(bin, sizeof(bin));
}

bool
token_wellformed(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0'; i++) {
		char c = t[i];

		if (i >= TOKEN_LEN ||
		    !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return i == TOKEN_LEN;
}

void
token_hash(const char *token, char out[TOKEN_HASH_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, TOKEN_HASH_SIZE, h, sizeof(h));
}

void
digest_sha256_hex(const void *data, size_t len, char out[TOKEN_HASH_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, TOKEN_HASH_SIZE, h, sizeof(h));
}

void
token_derive(const char *secret, const char *purpose, char out[TOKEN_SIZE])
{
	unsigned char h[32];
	size_t klen = strlen(secret);

	if (klen > crypto_generichash_KEYBYTES_MAX)
		klen = crypto_generichash_KEYBYTES_MAX;
	crypto_generichash(h, sizeof(h), (const unsigned char *)purpose,
	                   strlen(purpose), (const unsigned char *)secret,
	                   klen);
	encode(h, out);
}

bool
token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
