/*
 * Two-step login: time-based one-time codes (RFC 6238 over RFC 4226 HOTP,
 * HMAC-SHA-1, 6 digits, 30-second steps), their base32 secrets, the
 * otpauth:// URI an authenticator app reads, the QR code of that URI as SVG
 * path data, and the recovery codes that stand in for a lost phone.
 *
 * A secret is 160 random bits written as 32 characters of RFC 4648 base32
 * without padding.  totp_check() accepts the code of the current step and
 * of one step either side (clocks drift); it only says which step matched:
 * refusing a code that was used before is the caller's job (the store keeps
 * the last accepted step per account).
 *
 * Recovery codes are 10 characters from an alphabet without look-alikes
 * (no 0/o, 1/l/i), shown as "xxxxx-xxxxx"; only their SHA-256 is stored.
 * Input is forgiving: case, spaces and dashes do not matter.
 */
#ifndef BIEBSYNC_AUTH_TOTP_H
#define BIEBSYNC_AUTH_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/err.h"

#define TOTP_SECRET_BYTES 20 /* 160 bits */
#define TOTP_SECRET_LEN   32 /* base32 characters of them */
#define TOTP_PERIOD       30 /* seconds per step */
#define TOTP_DIGITS       6

#define RECOVERY_COUNT 10 /* codes given at once */
#define RECOVERY_CHARS 10 /* characters of a code, without the dash */
#define RECOVERY_SIZE  (RECOVERY_CHARS + 2) /* shown form + NUL */

/*
 * RFC 4648 base32 (A-Z2-7) without padding: encode n bytes into out
 * (outsz bytes with the NUL); ERR_LIMIT when it does not fit.
 */
enum err base32_encode(const unsigned char *in, size_t n, char *out,
                       size_t outsz);
/*
 * Decode base32 (upper or lower case, spaces ignored, no padding) into at
 * most outsz bytes; *n is the number written.  ERR_INVALID for a character
 * outside the alphabet, ERR_LIMIT when out is too small.
 */
enum err base32_decode(const char *in, unsigned char *out, size_t outsz,
                       size_t *n);

/* A fresh random secret, base32. */
void totp_secret_new(char out[TOTP_SECRET_LEN + 1]);

/* The time step of unix time t. */
int64_t totp_step_of(int64_t t);

/*
 * The code of key (keylen bytes) for counter step: RFC 4226 dynamic
 * truncation modulo 10^digits (digits 6 to 8), written with leading zeros
 * into out.  Returns ERR_INVALID for other digit counts.
 */
enum err totp_code_raw(const unsigned char *key, size_t keylen, int64_t step,
                       int digits, char out[9]);

/* The 6-digit code of a base32 secret at step; ERR_INVALID: bad secret. */
enum err totp_code(const char *secret, int64_t step, char out[9]);

/*
 * Does code (6 digits; spaces ignored) belong to secret at unix time now,
 * one step either side allowed?  On true *step is the step it belongs to.
 */
bool totp_check(const char *secret, const char *code, int64_t now,
                int64_t *step);

/*
 * The otpauth://totp/ URI for an authenticator app: issuer and account
 * percent-encoded, the secret, SHA1, 6 digits, 30 s.  ERR_LIMIT when it
 * does not fit outsz.
 */
enum err totp_uri(const char *issuer, const char *account, const char *secret,
                  char *out, size_t outsz);

/*
 * Draw text as a QR code (error correction M): appends SVG path data of
 * the dark modules to d ("M x y h n v1 h -n z" per run), coordinates
 * including a quiet zone of 4 modules; *size is the width and height in
 * modules with that zone.  ERR_LIMIT/ERR_INVALID when it cannot be drawn.
 */
enum err totp_qr_path(const char *text, struct buf *d, int *size);

/* The secret in groups of 4 separated by spaces, for typing it over. */
void totp_secret_grouped(const char *secret, char *out, size_t outsz);

/* A fresh recovery code in its shown form "xxxxx-xxxxx". */
void recovery_code_new(char out[RECOVERY_SIZE]);

/*
 * Hex SHA-256 of a typed recovery code after normalising it (lowercase,
 * spaces and dashes dropped); false when it cannot be one.
 */
bool recovery_hash(const char *typed, char out[65]);

#endif
