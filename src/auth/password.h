/*
 * Passwords: the policy for new ones, hashing and verifying with Argon2id
 * (libsodium's crypto_pwhash_str, interactive limits), and generating
 * one-time passwords.
 *
 * Hashing is deliberately slow and memory-hungry (64 MiB each), so at most
 * a few hashes run at once (password_init's max_concurrent); further callers
 * wait their turn.  Call password_init() once before anything else here.
 */
#ifndef BIEBSYNC_AUTH_PASSWORD_H
#define BIEBSYNC_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/err.h"

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 128
#define PASSWORD_HASH_SIZE 128 /* crypto_pwhash_STRBYTES */
#define OTP_SIZE           20  /* "xxxx-xxxx-xxxx-xxxx" + NUL */

/* What the policy says of a proposed password. */
enum pw_verdict {
	PW_OK,
	PW_TOO_SHORT,    /* fewer than PASSWORD_MIN_CHARS characters */
	PW_TOO_LONG,     /* more than PASSWORD_MAX_CHARS characters */
	PW_NOT_TEXT,     /* not valid UTF-8, or contains control characters */
	PW_COMMON,       /* on the list of common passwords */
	PW_REPETITIVE,   /* hardly more than one repeated character */
	PW_HAS_USERNAME, /* contains the username */
	PW_HAS_SCHOOL,   /* contains the school's name */
	PW__MAX
};

/* Initialise libsodium and the common-password list; max_concurrent hashes
 * at once (1-64).  Returns ERR_OK or ERR_INVALID. */
enum err password_init(int max_concurrent);

/*
 * Check pw against the policy.  username and school may be NULL or empty.
 * Characters are Unicode code points; any are allowed except controls.
 */
enum pw_verdict password_check(const char *pw, const char *username,
                               const char *school);

/* Hash pw into out (PASSWORD_HASH_SIZE bytes) with the current limits. */
enum err password_hash(const char *pw, char *out);

/* true if pw matches hash.  A hash that is not Argon2id at all costs a
 * dummy verification, so timing does not reveal it. */
bool password_verify(const char *hash, const char *pw);

/* Verify pw against a fixed dummy hash: same cost as a real verification,
 * for unknown or disabled accounts. */
void password_verify_dummy(const char *pw);

/* true if hash was made with limits other than the current ones. */
bool password_needs_rehash(const char *hash);

/* Set the hashing limits (tests use the minimum to check rehashing). */
void password_set_limits(unsigned long long opslimit, size_t memlimit);

/* Write a random one-time password "abcd-efgh-jkmn-pqrs" into out
 * (OTP_SIZE bytes), from an alphabet without look-alike characters. */
void password_one_time(char *out);

#endif
