/*
 * Account life cycle (see account.h).  Validation of names lives here so
 * the web and the command line refuse the same things.
 */
#include <ctype.h>
#include <stdio.h>
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
account_suggest_username(struct store *st, const char *base, char *out,
                         size_t outsz)
{
	struct account a;
	char stem[STORE_USERNAME_MAX + 1];
	size_t room =
	        outsz - 1 < STORE_USERNAME_MAX ? outsz - 1 : STORE_USERNAME_MAX;

	if (base == NULL || base[0] == '\0' || outsz < 8)
		return ERR_INVALID;
	/* room for "-99" after the stem */
	str_copy(stem, sizeof(stem), base);
	if (strlen(stem) > room - 3)
		stem[room - 3] = '\0';
	for (int n = 1; n < 100; n++) {
		if (n == 1 && strlen(base) <= room)
			str_copy(out, outsz, base);
		else if (n == 1)
			continue;
		else
			snprintf(out, outsz, "%s-%d", stem, n);
		if (store_account_by_name(st, out, &a) == ERR_NOTFOUND)
			return ERR_OK;
	}
	out[0] = '\0';
	return ERR_EXISTS;
}

bool
account_brin_wellformed(const char *brin)
{
	return strlen(brin) == 4 && isdigit((unsigned char)brin[0]) &&
	       isdigit((unsigned char)brin[1]) &&
	       isalpha((unsigned char)brin[2]) &&
	       isalpha((unsigned char)brin[3]) &&
	       (unsigned char)brin[2] < 0x80 && (unsigned char)brin[3] < 0x80;
}

bool
account_contact_valid(const struct contact *c)
{
	const char *at = strchr(c->email, '@');

	if ((c->name[0] != '\0' && !valid_text(c->name, STORE_PERSON_MAX)) ||
	    (c->phone[0] != '\0' &&
	     (!valid_chars(c->phone, 6, STORE_PHONE_MAX, " +-()") ||
	      strpbrk(c->phone, "0123456789") == NULL)))
		return false;
	if (c->email[0] == '\0')
		return true;
	/* one '@' with text before it and a dotted domain after it; no
	 * spaces or quotes (the address is put in mailto: links) */
	return valid_chars(c->email, 3, STORE_EMAIL_MAX, "._%+-@") &&
	       at != NULL && at != c->email && strchr(at + 1, '@') == NULL &&
	       strchr(at + 1, '.') != NULL && at[1] != '.' &&
	       c->email[strlen(c->email) - 1] != '.';
}

/* A slug as given, or derived from name when empty: 1-64 of [a-z0-9-],
 * not starting with '-'. */
static bool
make_slug(const char *name, const char *slug, char *out, size_t outsz)
{
	if (slug == NULL || *slug == '\0')
		account_slugify(name, out, outsz);
	else if (str_copy(out, outsz, slug) != ERR_OK)
		return false;
	if (!valid_chars(out, 1, STORE_SLUG_MAX, "-") || out[0] == '-')
		return false;
	for (const char *p = out; *p != '\0'; p++)
		if (isupper((unsigned char)*p))
			return false;
	return true;
}

enum err
account_library_add(struct store *st, const struct store_actor *who,
                    const char *name, const char *slug, struct library *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	if (!valid_text(name, STORE_NAME_MAX) ||
	    !make_slug(name, slug, out->slug, sizeof(out->slug)))
		return ERR_INVALID;
	str_copy(out->name, sizeof(out->name), name);
	if ((e = store_library_add(st, out)) != ERR_OK)
		return e;
	audit_in(st, out->id, AUDIT_LIBRARY_CREATED, who->account_id, 0,
	         who->name, who->addr, "library %lld", (long long)out->id);
	return ERR_OK;
}

enum err
account_library_update(struct store *st, const struct store_actor *who,
                       const struct library *l)
{
	enum err e;

	if (!valid_text(l->name, STORE_NAME_MAX) ||
	    !account_contact_valid(&l->contact))
		return ERR_INVALID;
	if ((e = store_library_update(st, l)) != ERR_OK)
		return e;
	audit_in(st, l->id, AUDIT_LIBRARY_UPDATED, who->account_id, 0,
	         who->name, who->addr, "library %lld", (long long)l->id);
	return ERR_OK;
}

/* Check the name, BRIN and contact of s; the BRIN is made upper-case. */
static bool
school_fields_valid(struct school *s)
{
	if (!valid_text(s->name, STORE_NAME_MAX) ||
	    !valid_chars(s->brin, 2, STORE_BRIN_MAX, "") ||
	    !account_contact_valid(&s->contact))
		return false;
	for (char *b = s->brin; *b != '\0'; b++)
		*b = (char)toupper((unsigned char)*b);
	return true;
}

enum err
account_school_add(struct store *st, const struct store_actor *who,
                   int64_t library_id, const char *name, const char *brin,
                   const char *slug, const struct contact *c,
                   struct school *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	out->library_id = library_id;
	if (str_copy(out->name, sizeof(out->name), name) != ERR_OK ||
	    str_copy(out->brin, sizeof(out->brin), brin) != ERR_OK)
		return ERR_INVALID;
	if (c != NULL)
		out->contact = *c;
	if (!school_fields_valid(out) ||
	    !make_slug(name, slug, out->slug, sizeof(out->slug)))
		return ERR_INVALID;
	if ((e = store_school_add(st, out)) != ERR_OK)
		return e;
	audit(st, AUDIT_SCHOOL_CREATED, who->account_id, out->id, who->name,
	      who->addr, "school %lld", (long long)out->id);
	return ERR_OK;
}

enum err
account_school_update(struct store *st, const struct store_actor *who,
                      struct school *s)
{
	enum err e;

	if (!school_fields_valid(s))
		return ERR_INVALID;
	if ((e = store_school_update(st, s)) != ERR_OK)
		return e;
	audit(st, AUDIT_SCHOOL_UPDATED, who->account_id, s->id, who->name,
	      who->addr, "school %lld", (long long)s->id);
	return ERR_OK;
}

enum err
account_add(struct store *st, const struct store_actor *who,
            const char *username, enum role role, int64_t library_id,
            int64_t school_id, char otp[OTP_SIZE], struct account *out)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	if (!valid_chars(username, 1, STORE_USERNAME_MAX, "._@-") ||
	    (role == ROLE_DOCENT) != (school_id != 0))
		return ERR_INVALID;
	str_copy(out->username, sizeof(out->username), username);
	out->role = role;
	out->school_id = school_id;
	out->library_id = library_id;
	out->must_change = true;
	password_one_time(otp);
	if ((e = password_hash(otp, out->pwhash)) != ERR_OK)
		return e;
	if ((e = store_account_add(st, out)) != ERR_OK)
		return e;
	audit_in(st, out->library_id, AUDIT_ACCOUNT_CREATED, who->account_id,
	         school_id, who->name, who->addr, "account %lld role %s",
	         (long long)out->id, role_word(role));
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
	audit_in(st, acct->library_id, AUDIT_PASSWORD_RESET, who->account_id,
	         acct->school_id, who->name, who->addr, "account %lld",
	         (long long)acct->id);
	return ERR_OK;
}

enum err
account_set_disabled(struct store *st, const struct store_actor *who,
                     struct account *acct, bool disabled)
{
	enum err e;

	if ((e = store_account_set_disabled(st, acct->id, disabled)) != ERR_OK)
		return e;
	acct->disabled = disabled;
	if (disabled)
		store_session_delete_account(st, acct->id, NULL);
	audit_in(st, acct->library_id,
	         disabled ? AUDIT_ACCOUNT_DISABLED : AUDIT_ACCOUNT_ENABLED,
	         who->account_id, acct->school_id, who->name, who->addr,
	         "account %lld", (long long)acct->id);
	return ERR_OK;
}

enum err
account_reset_twostep(struct store *st, const struct store_actor *who,
                      struct account *acct)
{
	enum err e;

	/* the step stays: a code seen before the reset stays used */
	if ((e = store_account_set_totp(st, acct->id, "", "",
	                                acct->totp_step)) != ERR_OK ||
	    (e = store_recovery_set(st, acct->id, NULL, 0)) != ERR_OK)
		return e;
	acct->totp_secret[0] = acct->totp_pending[0] = '\0';
	store_session_delete_account(st, acct->id, NULL);
	audit_in(st, acct->library_id, AUDIT_TOTP_RESET, who->account_id,
	         acct->school_id, who->name, who->addr, "account %lld",
	         (long long)acct->id);
	return ERR_OK;
}

enum pwchange
account_change_password(struct store *st, const struct store_actor *who,
                        struct account *acct, const char *current,
                        const char *fresh, const char *repeat,
                        const char *keep_hash, const struct login_limits *lim,
                        struct pwchange_problems *why)
{
	struct school sc;
	char hash[PASSWORD_HASH_SIZE];

	memset(why, 0, sizeof(*why));
	why->verdict = PW_OK;
	switch (login_recheck(st, lim, acct, current, who->addr, keep_hash,
	                      "password change")) {
	case LOGIN_OK:
		break;
	case LOGIN_FAILED:
		why->wrong_current = true;
		break;
	case LOGIN_THROTTLED:
		return PWCHANGE_THROTTLED;
	case LOGIN_ENDED:
		return PWCHANGE_ENDED;
	default:
		return PWCHANGE_ERROR;
	}
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
