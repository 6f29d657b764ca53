/*
 * Random tokens for sessions and CSRF, and their one-way hashes.
 *
 * A token is 256 random bits written as 43 characters of unpadded base64url.
 * The database stores only token_hash() of a session token, so a stolen
 * database does not yield usable cookies.  CSRF tokens are derived from the
 * session token with a keyed hash, so they need no storage of their own.
 */
#ifndef BIEBSYNC_AUTH_TOKEN_H
#define BIEBSYNC_AUTH_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_LEN       43
#define TOKEN_SIZE      (TOKEN_LEN + 1)
#define TOKEN_HASH_SIZE 65 /* hex SHA-256 + NUL */

/* A fresh random token. */
void token_new(char out[TOKEN_SIZE]);

/* true if t has the shape of a token (43 base64url characters). */
bool token_wellformed(const char *t);

/* Hex SHA-256 of token. */
void token_hash(const char *token, char out[TOKEN_HASH_SIZE]);

/* A token derived from secret for purpose (BLAKE2b keyed with secret). */
void token_derive(const char *secret, const char *purpose,
                  char out[TOKEN_SIZE]);

/* Hex SHA-256 of len bytes at data (file fingerprints). */
void digest_sha256_hex(const void *data, size_t len, char out[TOKEN_HASH_SIZE]);

/* Constant-time equality of two NUL-terminated strings. */
bool token_equal(const char *a, const char *b);

#endif
