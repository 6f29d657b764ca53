/*
 * Making API token secrets and hashing them for lookup (apitoken.h).
 */
#include <string.h>

#include "apitoken.h"

void
api_token_make(char secret[API_TOKEN_SIZE], struct api_token *t)
{
	char raw[TOKEN_SIZE];

	token_new(raw);
	memcpy(secret, API_TOKEN_TAG, 4);
	memcpy(secret + 4, raw, TOKEN_SIZE);
	memcpy(t->prefix, secret, API_TOKEN_SHOWN);
	t->prefix[API_TOKEN_SHOWN] = '\0';
	token_hash(secret, t->hash);
}

bool
api_token_hash(const char *s, char hash[TOKEN_HASH_SIZE])
{
	if (strncmp(s, API_TOKEN_TAG, 4) != 0 || !token_wellformed(s + 4))
		return false;
	token_hash(s, hash);
	return true;
}
