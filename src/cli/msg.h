/*
 * Every text the command line prints for people, in Dutch (the default) and
 * English, in one table (msg.c) indexed by enum cli_msg and enum lang
 * (base/lang.h), as web/i18n.h is for the web; and the command line's
 * language, chosen by BIEBSYNC_LANG or LANG.
 *
 * A key whose comment names printf conversions is a format: its Dutch and
 * English texts take the same arguments in the same order (checked by
 * tests/cli/test_msg.c).  Print a text without conversions with fputs, not
 * as a format.  A key marked "word" is a text that goes into another text
 * as %s.  Technical details (errors for logs, file names, JSON) stay
 * English and are not in the table.
 */
#ifndef BIEBSYNC_CLI_MSG_H
#define BIEBSYNC_CLI_MSG_H

#include "../base/lang.h"

enum cli_msg {
	/* parsing the arguments (cli.c) */
	CM_ARG_UNKNOWN_OPTION, /* %.*s: the option */
	CM_ARG_NEEDS_VALUE,    /* %s: the option */
	CM_ARG_TAKES_NO_VALUE, /* %s: the option */
	CM_ARG_TOO_MANY,
	CM_USAGE,          /* %s: the command's usage line */
	CM_OPTION_MISSING, /* %s: the option, %s: the command's usage line */
	/* biebsync without a command or with an unknown one (main.c) */
	CM_MAIN_USAGE,
	CM_MAIN_SEE_MANUAL,
	CM_MAIN_UNKNOWN_COMMAND, /* %s: the command */
	/* biebsync demo (demo.c) */
	CM_DEMO_LOGIN,            /* %s:%u address, %s school, %s username */
	CM_DEMO_PASSWORD,         /* %s: the password */
	CM_DEMO_PASSWORD_CHANGED, /* %s: the username */
	/* biebsync check (check.c) */
	CM_CHECK_USAGE,
	CM_FILE_UNREADABLE,
	CM_CHECK_FORMAT, /* %s: the format's name */
	CM_CHECK_SHEET,  /* %zu: the sheet's number (its name follows) */
	CM_CHECK_NOT_A_WORKSHEET,
	CM_CHECK_SHEET_UNREADABLE,
	CM_CHECK_SHEET_EMPTY,
	CM_CHECK_SHEET_SIZE, /* %s%u:%s%u range, %u rows, %llu cells */
	/* what a file holds, for check and import (report.c) */
	CM_REPORT_LAYOUT_CSV,   /* %s layout, %u header row */
	CM_REPORT_LAYOUT_SHEET, /* %s layout, %s sheet, %u header row */
	CM_REPORT_COLUMNS,
	CM_REPORT_USED_NOT_STORED, /* word: after a column */
	CM_REPORT_NOT_STORED,
	CM_REPORT_BSN,          /* word: after a column */
	CM_REPORT_COUNTS,       /* %zu %s errors, %zu %s warnings */
	CM_REPORT_ERROR,        /* word: one error */
	CM_REPORT_ERRORS,       /* word: more errors */
	CM_REPORT_WARNING,      /* word: one warning */
	CM_REPORT_WARNINGS,     /* word: more warnings */
	CM_REPORT_MARK_ERROR,   /* word: before an error */
	CM_REPORT_MARK_WARNING, /* word: before a warning */
	CM_REPORT_MARK_INFO,    /* word: before information */
	CM_REPORT_MORE_ISSUES,  /* %zu: the issues not shown */
	/* biebsync admin (admin.c) */
	CM_ADMIN_USAGE,
	CM_ADMIN_COMMON_OPTIONS,
	CM_EXISTS,    /* %s: what exists */
	CM_NOT_FOUND, /* %s: what does not exist */
	CM_DB_BUSY,
	CM_SCHOOL_INVALID,
	CM_SCHOOL_SLUG_TAKEN, /* %s: the slug */
	CM_SCHOOL_CREATED,    /* %s: name, %s: BRIN, %s: slug */
	CM_SCHOOL_COL_NAME,   /* word: a column heading */
	CM_SCHOOL_UNKNOWN,    /* %s: the slug */
	CM_USER_UNKNOWN,      /* %s: the username */
	CM_USER_OTP,          /* %s: the username, %s: the one-time password */
	CM_USER_ROLE_INVALID,
	CM_USER_LIBRARY_NO_SCHOOL,
	CM_USER_NAME_INVALID,
	CM_USER_EXISTS,         /* %s: the username */
	CM_USER_COL_USERNAME,   /* word: a column heading */
	CM_USER_COL_ROLE,       /* word: a column heading */
	CM_USER_COL_LAST_LOGIN, /* word: a column heading */
	CM_USER_COL_STATE,      /* word: a column heading */
	CM_USER_STATE_DISABLED, /* word: an account's state */
	CM_USER_STATE_OTP,      /* word: an account's state */
	CM_USER_STATE_ACTIVE,   /* word: an account's state */
	CM_USER_NOTE_DISABLED,
	CM_USER_DISABLED, /* %s: the username */
	CM_AUDIT_LIMIT_INVALID,
	CM_EXPORT_GROUPS_CHANGED, /* %zu: the students */
	CM_PURGE_DONE, /* %lld: previews, %lld: imports, %lld: students */
	/* imports (import.c, admin.c, changes.c) */
	CM_IMPORT_CONFIRM_GUARD, /* word: after a guard refusal */
	CM_IMPORT_COL_TIME,
	CM_IMPORT_COL_BY,
	CM_IMPORT_COL_STATE,
	CM_IMPORT_COL_NEW,
	CM_IMPORT_COL_LEFT,
	CM_IMPORT_COL_MOVED,
	CM_IMPORT_COL_JAARGROEP,
	CM_IMPORT_COL_CORRECTED,
	CM_IMPORT_COL_REENROLLED,
	CM_IMPORT_COL_RENUMBERED,
	CM_IMPORT_COL_FILE,
	CM_IMPORT_ID_INVALID, /* %s: the word */
	CM_IMPORT_ID_MISSING,
	CM_IMPORT_SHOW,    /* %lld id, %s school, %s file, %s format, %s layout,
	                      %lld bytes, %s actor, %s time, %s state */
	CM_IMPORT_UNDONE,  /* %lld: the import */
	CM_IMPORT_APPLIED, /* %lld: the import */
	CM_IMPORT_CANCELLED,  /* %lld: the import */
	CM_GROUP_RENAMED_ONE, /* %s old name, %s new name, %lld students */
	CM_GROUP_RENAMED,     /* %s old name, %s new name, %lld students */
	CM_PLAN_CHANGES,
	CM_PLAN_KEPT,     /* %zu: the students */
	CM_GUARD_UNENROL, /* %zu left, %zu active, %zu percent */
	CM_GUARD_MATCH,   /* %zu matched, %zu active */
	CM_IMPORT_FILE,   /* %s path, %s format, %zu bytes */
	CM_IMPORT_SCHOOL, /* %s: the school */
	CM_NOTHING_CHANGES,
	CM_FILE_TOO_LARGE,         /* %llu: megabytes */
	CM_NOT_APPLIED,            /* word: before the reason */
	CM_RUN_WITH_CONFIRM_GUARD, /* word: after a guard refusal */
	CM_APPLIED_AS,             /* %lld: the import */
	CM_NOTHING_APPLIED,
	CM_STAGED_AS, /* %lld id, %lld id, %s slug */
	CM_REPLACED,  /* %lld id of the cancelled preview */
	/* library organisations (admin.c) */
	CM_LIBRARY_INVALID,
	CM_LIBRARY_SLUG_TAKEN, /* %s: the slug */
	CM_LIBRARY_CREATED,    /* %s: name, %s: slug */
	CM_LIBRARY_UNKNOWN,    /* %s: the slug */
	CM_LIBRARY_CHOOSE,     /* %s: the command's usage */
	CM_USER_TWOSTEP_RESET, /* %s: the username */
	/* one pupil, for the AVG (admin.c) */
	CM_PUPIL_UNKNOWN, /* %s: the number, %s: the school's slug */
	CM_PUPIL_ERASED,  /* %lld pupil, %s school, %lld rows, %lld previews */
	CM_ERASED_PUPIL,  /* a journal line of an erased pupil */
	CM_FILE_ERASED,   /* a purged import's file name */
	CM_EXPORT_ZIP_TERMINAL, /* a zip export with stdout on a terminal */
	/* API tokens (admin.c) */
	CM_TOKEN_CREATED, /* %lld id, %s name, %s library slug */
	CM_TOKEN_NAME_INVALID,
	CM_TOKEN_REVOKED,         /* %lld: the token */
	CM_TOKEN_ALREADY_REVOKED, /* %lld: the token */
	CM_TOKEN_UNKNOWN,         /* %s: the id as given */
	CM_TOKEN_COL_LIBRARY,     /* word: a column heading */
	CM_TOKEN_COL_NAME,        /* word: a column heading */
	CM_TOKEN_COL_START,       /* word: a column heading */
	CM_TOKEN_COL_CREATED,     /* word: a column heading */
	CM_TOKEN_COL_BY,          /* word: a column heading */
	CM_TOKEN_COL_USED,        /* word: a column heading */
	CM_TOKEN_COL_REVOKED,     /* word: a column heading */
	CM_TOKEN_NEVER,           /* word: never used */
	CLI_MSG__MAX
};

/* English when BIEBSYNC_LANG, or LANG when that is unset or empty, starts
 * with "en"; else Dutch. */
enum lang cli_lang(void);

/* The message in cli_lang().  Never NULL: "" for an unknown m. */
const char *cli_msg(enum cli_msg m);

/* The message in lang.  Never NULL: "" for an unknown m, Dutch for an
 * unknown lang. */
const char *cli_msg_in(enum lang lang, enum cli_msg m);

#endif
