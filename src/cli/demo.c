/*
 * `biebsync demo`: make sure the demo school and its docent account exist
 * and print how to log in.  Run by `make run`; safe to run again.  The demo
 * account uses a fixed password (DEMO_PASSWORD) and is not asked to change
 * it, so that the printed login keeps working.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../auth/account.h"
#include "../auth/password.h"

static const struct store_actor demo_actor = { 0, "demo", "cli" };

int
cmd_demo(int argc, char **argv)
{
	static const struct opt_spec spec[] = {
		COMMON_OPTS,
		{ "listen", true },
		{ NULL, false },
	};
	struct args a;
	struct config c;
	struct store *st;
	struct school s;
	struct account acct;
	char otp[OTP_SIZE], hash[PASSWORD_HASH_SIZE];
	enum err e;
	int rc = EXIT_REFUSED;

	if (!args_parse(argc, argv, spec, &a))
		return EXIT_USAGE;
	if (!cli_open(&a, &c, &st))
		return EXIT_REFUSED;
	e = store_school_by_slug(st, DEMO_SCHOOL, &s);
	if (e == ERR_NOTFOUND)
		e = account_school_add(st, &demo_actor, 1,
		                       "Demoschool De Regenboog", "00AA",
		                       DEMO_SCHOOL, NULL, &s);
	if (e != ERR_OK)
		goto fail;
	e = store_account_by_name(st, DEMO_USERNAME, &acct);
	if (e == ERR_NOTFOUND) {
		e = account_add(st, &demo_actor, DEMO_USERNAME, ROLE_DOCENT,
		                s.library_id, s.id, otp, &acct);
		if (e == ERR_OK &&
		    (e = password_hash(DEMO_PASSWORD, hash)) == ERR_OK)
			e = store_account_set_password(st, acct.id, hash, false,
			                               acct.created);
		memcpy(acct.pwhash, hash, sizeof(hash));
		if (e != ERR_OK)
			goto fail;
	} else if (e != ERR_OK) {
		goto fail;
	}
	printf(cli_msg(CM_DEMO_LOGIN), c.addr, (unsigned)c.port, s.name,
	       DEMO_USERNAME);
	if (acct.school_id == s.id && !acct.disabled &&
	    password_verify(acct.pwhash, DEMO_PASSWORD))
		printf(cli_msg(CM_DEMO_PASSWORD), DEMO_PASSWORD);
	else
		printf(cli_msg(CM_DEMO_PASSWORD_CHANGED), DEMO_USERNAME);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "biebsync: demo: %s\n", err_str(e));
out:
	store_close(st);
	return rc;
}
