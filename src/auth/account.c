/*
 * Account life cycle (see account.h).  Validation of names lives here so
 * the web and the command line refuse the same things.
 */
#include <ctype.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "../base/strparse.h"
#include "../base/text.h"

static bool
valid_text(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || !utf8_valid(s, n))
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool
valid_chars(const char *s, size_t min, size_t max, const char *extra)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			if (strchr(extra, *s) == NULL)
				return false;
	return true;
}

void
account_slugify(const char *name, char *out, size_t outsz)
{
	size_t o = 0;
	bool dash = false;

	for (; *name != '\0' && o + 1 < outsz && o < STORE_SLUG_MAX; name++) {
		unsigned char c = (unsigned char)*name;

		if (c < 0x80 && isalnum(c)) {
			if (dash && o > 0) {
				/* Room for the dash and a character after it,
				 * or the slug would end in a dash. */
				if (o + 2 >= outsz || o + 2 > STORE_SLUG_MAX)
					break;
				out[o++] = '-';
			}
			dash = false;
			if (o + 1 < outsz)
				out[o++] = (char)tolower(c);
		} else if (c < 0x80 || (c & 0xc0) == 0xc0) {
			dash = true; /* ASCII punctuation or a non-ASCII char */
		}
	}
	out[o] = '\0';
}

enum err
account_school_add(struct store *st, const struct store_actor *who,
                   const char *name, const char *brin, const char *slug,
                   struct school *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	if (!valid_text(name, STORE_NAME_MAX) ||
	    !valid_chars(brin, 2, STORE_BRIN_MAX, ""))
		return ERR_INVALID;
	str_copy(out->name, sizeof(out->name), name);
	for (size_t i = 0; brin[i] != '\0'; i++)
		out->brin[i] = (char)toupper((unsigned char)brin[i]);
	if (slug == NULL || *slug == '\0')
		account_slugify(name, out->slug, sizeof(out->slug));
	else if (str_copy(out->slug, sizeof(out->slug), slug) != ERR_OK)
		return ERR_INVALID;
	if (!valid_chars(out->slug, 1, STORE_SLUG_MAX, "-") ||
	    out->slug[0] == '-')
		return ERR_INVALID;
	for (const char *p = out->slug; *p != '\0'; p++)
		if (isupper((unsigned char)*p))
			return ERR_INVALID;
	if ((e = store_school_add(st, out)) != ERR_OK)
		return e;
	audit(st, AUDIT_SCHOOL_CREATED, who->account_id, out->id, who->name,
	      who->addr, "school %lld", (long long)out->id);
	return ERR_OK;
}

enum err
account_add(struct store *st, const struct store_actor *who,
            const char *username, enum role role, int64_t school_id,
            char otp[OTP_SIZE], struct account *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	if (!valid_chars(username, 1, STORE_USERNAME_MAX, "._@-") ||
	    (role == ROLE_DOCENT) != (school_id != 0))
		return ERR_INVALID;
	str_copy(out->username, sizeof(out->username), username);
	out->role = role;
	out->school_id = school_id;
	out->must_change = true;
	password_one_time(otp);
	if ((e = password_hash(otp, out->pwhash)) != ERR_OK)
		return e;
	if ((e = store_account_add(st, out)) != ERR_OK)
		return e;
	audit(st, AUDIT_ACCOUNT_CREATED, who->account_id, school_id, who->name,
	      who->addr, "account %lld role %s", (long long)out->id,
	      role_word(role));
	return ERR_OK;
}

enum err
account_reset_password(struct store *st, const struct store_actor *who,
                       struct account *acct, char otp[OTP_SIZE])
{
	enum err e;

	password_one_time(otp);
	if ((e = password_hash(otp, acct->pwhash)) != ERR_OK)
		return e;
	acct->must_change = true;
	e = store_account_set_password(st, acct->id, acct->pwhash, true,
	                               time_now());
	if (e != ERR_OK)
		return e;
	store_session_delete_account(st, acct->id, NULL);
	audit(st, AUDIT_PASSWORD_RESET, who->account_id, acct->school_id,
	      who->name, who->addr, "account %lld", (long long)acct->id);
	return ERR_OK;
}

enum err
account_disable(struct store *st, const struct store_actor *who,
                struct account *acct)
{
	enum err e;

	if ((e = store_account_disable(st, acct->id)) != ERR_OK)
		return e;
	acct->disabled = true;
	store_session_delete_account(st, acct->id, NULL);
	audit(st, AUDIT_ACCOUNT_DISABLED, who->account_id, acct->school_id,
	      who->name, who->addr, "account %lld", (long long)acct->id);
	return ERR_OK;
}

enum pwchange
account_change_password(struct store *st, const struct store_actor *who,
                        struct account *acct, const char *current,
                        const char *fresh, const char *repeat,
                        const char *keep_hash, struct pwchange_problems *why)
{
	struct school sc;
	char hash[PASSWORD_HASH_SIZE];

	memset(why, 0, sizeof(*why));
	why->verdict = PW_OK;
	why->wrong_current = !password_verify(acct->pwhash, current);
	why->mismatch = strcmp(fresh, repeat) != 0;
	/* "the same as the current one" only means something when the
	 * current one is right */
	why->same = !why->wrong_current && strcmp(fresh, current) == 0;
	if (!why->same) {
		sc.name[0] = '\0';
		if (acct->school_id != 0)
			store_school_get(st, acct->school_id, &sc);
		why->verdict = password_check(fresh, acct->username, sc.name);
	}
	if (why->wrong_current || why->mismatch || why->same ||
	    why->verdict != PW_OK)
		return PWCHANGE_REFUSED;
	if (password_hash(fresh, hash) != ERR_OK ||
	    store_account_set_password(st, acct->id, hash, false, time_now()) !=
	            ERR_OK)
		return PWCHANGE_ERROR;
	memcpy(acct->pwhash, hash, sizeof(hash));
	acct->must_change = false;
	store_session_delete_account(st, acct->id, keep_hash);
	audit(st, AUDIT_PASSWORD_CHANGED, who->account_id, acct->school_id,
	      who->name, who->addr, "account %lld", (long long)acct->id);
	return PWCHANGE_OK;
}
