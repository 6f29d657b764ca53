/*
 * The secrets of API tokens (store.h, "API tokens"): "bbs_" and 43
 * characters of base64url (256 random bits), so that a secret scanner and a
 * person can tell one apart.  The store keeps only the hash and the first
 * API_TOKEN_SHOWN characters.
 */
#ifndef BIEBSYNC_AUTH_APITOKEN_H
#define BIEBSYNC_AUTH_APITOKEN_H

#include <stdbool.h>

#include "token.h"
#include "../store/store.h"

#define API_TOKEN_TAG   "bbs_"
#define API_TOKEN_LEN   (4 + TOKEN_LEN)
#define API_TOKEN_SIZE  (API_TOKEN_LEN + 1)
#define API_TOKEN_SHOWN 12 /* "bbs_" and 8 more: t->prefix */

/* A fresh secret, and t->prefix and t->hash for it. */
void api_token_make(char secret[API_TOKEN_SIZE], struct api_token *t);

/* The hash a secret is stored under; false (and no hash) when s does not
 * have the shape of a secret. */
bool api_token_hash(const char *s, char hash[TOKEN_HASH_SIZE]);

#endif
