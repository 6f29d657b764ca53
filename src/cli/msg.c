/*
 * The command line's message table (see msg.h): one row per message, Dutch
 * first, then English, in the order of enum cli_msg.  Dutch is written for
 * library staff: short, and every refusal says what to do instead.
 */
#include <stddef.h>
#include <stdlib.h>

#include "msg.h"
#include "../base/strparse.h"

/* clang-format's layout of this table tips over at any change */
/* clang-format off */
static const char
        *const
                table
                        [CLI_MSG__MAX][LANG__MAX] = {
	                        /* parsing the arguments (cli.c) */
	                        [CM_ARG_UNKNOWN_OPTION] = { "biebsync: onbekende optie --%.*s\n",
	                                                    "biebsync: unknown option --%.*s\n" },
	                        [CM_ARG_NEEDS_VALUE] = { "biebsync: optie --%s heeft een waarde nodig\n",
	                                                 "biebsync: option --%s needs a value\n" },
	                        [CM_ARG_TAKES_NO_VALUE] = { "biebsync: optie --%s heeft geen waarde\n",
	                                                    "biebsync: option --%s takes no value\n" },
	                        [CM_ARG_TOO_MANY] = { "biebsync: te veel argumenten\n",
	                                              "biebsync: too many arguments\n" },
	                        [CM_USAGE] = { "gebruik: %s\n", "usage: %s\n" },
	                        [CM_OPTION_MISSING] = { "biebsync: --%s ontbreekt\ngebruik: %s\n",
	                                                "biebsync: --%s is missing\nusage: %s\n" },
	                        /* biebsync without a command or with an unknown
	                           one (main.c) */
	                        [CM_MAIN_USAGE] = { "gebruik: biebsync OPDRACHT [OPTIES]\n\nOpdrachten:\n",
	                                            "usage: biebsync COMMAND [OPTIONS]\n\nCommands:\n" },
	                        [CM_MAIN_SEE_MANUAL] = { "\nZie biebsync(1) voor alle opties.\n",
	                                                 "\nSee biebsync(1) for all options.\n" },
	                        [CM_MAIN_UNKNOWN_COMMAND] = { "biebsync: onbekende opdracht '%s'\n\n",
	                                                      "biebsync: unknown command '%s'\n\n" },
	                        /* biebsync demo (demo.c) */
	                        [CM_DEMO_LOGIN] = { "\nbiebsync draait op  http://%s:%u/\n"
	                                            "Demoschool:         %s\n"
	                                            "Gebruikersnaam:     %s\n",
	                                            "\nbiebsync runs at  http://%s:%u/\n"
	                                            "Demo school:      %s\n"
	                                            "Username:         %s\n" },
	                        [CM_DEMO_PASSWORD] = { "Wachtwoord:         %s\n\n",
	                                               "Password:         %s\n\n" },
	                        [CM_DEMO_PASSWORD_CHANGED] = { "Wachtwoord:         (gewijzigd; nieuw eenmalig wachtwoord: biebsync admin user reset-password %s)\n\n",
	                                                       "Password:         (changed; for a new one-time password: biebsync admin user reset-password %s)\n\n" },
	                        /* biebsync check (check.c) */
	                        [CM_CHECK_USAGE] = { "gebruik: biebsync check BESTAND [--sheet N|NAAM] [--json | --cells]\n",
	                                             "usage: biebsync check FILE [--sheet N|NAME] [--json | --cells]\n" },
	                        [CM_FILE_UNREADABLE] = { "Het bestand kan niet gelezen worden.\n",
	                                                 "The file cannot be read.\n" },
	                        [CM_CHECK_FORMAT] = { "formaat: %s\n",
	                                              "format: %s\n" },
	                        [CM_CHECK_SHEET] = { "werkblad %zu: ",
	                                             "sheet %zu: " },
	                        [CM_CHECK_NOT_A_WORKSHEET] = { " (geen werkblad)\n",
	                                                       " (not a worksheet)\n" },
	                        [CM_CHECK_SHEET_UNREADABLE] = { " (onleesbaar)\n",
	                                                        " (unreadable)\n" },
	                        [CM_CHECK_SHEET_EMPTY] = { " (leeg)\n",
	                                                   " (empty)\n" },
	                        [CM_CHECK_SHEET_SIZE] = { " (%s%u:%s%u, %u rijen, %llu cellen)\n",
	                                                  " (%s%u:%s%u, %u rows, %llu cells)\n" },
	                        /* what a file holds, for check and import
	                           (report.c) */
	                        [CM_REPORT_LAYOUT_CSV] = { "Indeling: %s, kopregel op rij %u\n",
	                                                   "Layout:   %s, header in row %u\n" },
	                        [CM_REPORT_LAYOUT_SHEET] = { "Indeling: %s, blad \"%s\", kopregel op rij %u\n",
	                                                     "Layout:   %s, sheet \"%s\", header in row %u\n" },
	                        [CM_REPORT_COLUMNS] = { "Kolommen:\n",
	                                                "Columns:\n" },
	                        [CM_REPORT_USED_NOT_STORED] = { " (gebruikt, niet opgeslagen)",
	                                                        " (used, not stored)" },
	                        [CM_REPORT_NOT_STORED] = { "Deze kolommen worden niet opgeslagen:\n",
	                                                   "These columns are not stored:\n" },
	                        [CM_REPORT_BSN] = { " (BSN)", " (BSN)" },
	                        [CM_REPORT_COUNTS] = { "Controle: %zu %s, %zu %s\n",
	                                               "Check: %zu %s, %zu %s\n" },
	                        [CM_REPORT_ERROR] = { "fout", "error" },
	                        [CM_REPORT_ERRORS] = { "fouten", "errors" },
	                        [CM_REPORT_WARNING] = { "waarschuwing",
	                                                "warning" },
	                        [CM_REPORT_WARNINGS] = { "waarschuwingen",
	                                                 "warnings" },
	                        [CM_REPORT_MARK_ERROR] = { "FOUT", "ERROR" },
	                        [CM_REPORT_MARK_WARNING] = { "let op",
	                                                     "warning" },
	                        [CM_REPORT_MARK_INFO] = { "info", "info" },
	                        [CM_REPORT_MORE_ISSUES] = { "  ... en nog %zu meldingen\n",
	                                                    "  ... and %zu more issues\n" },
	                        /* biebsync admin (admin.c) */
	                        [CM_ADMIN_USAGE] = { "gebruik:\n", "usage:\n" },
	                        [CM_ADMIN_COMMON_OPTIONS] = { "Elke opdracht kent ook --config FILE en --db URL.\n",
	                                                      "Every command also takes --config FILE and --db URL.\n" },
	                        [CM_EXISTS] = { "biebsync: %s bestaat al\n",
	                                        "biebsync: %s exists already\n" },
	                        [CM_NOT_FOUND] = { "biebsync: %s bestaat niet\n",
	                                           "biebsync: %s does not exist\n" },
	                        [CM_DB_BUSY] = { "biebsync: de database is bezet; probeer het zo opnieuw\n",
	                                         "biebsync: the database is busy; try again\n" },
	                        [CM_SCHOOL_INVALID] = { "biebsync: ongeldige school: de naam mag niet leeg zijn, de BRIN-code heeft 2 tot 8 letters en cijfers, de slug alleen kleine letters, cijfers en streepjes\n",
	                                                "biebsync: invalid school: the name may not be empty, the BRIN code has 2 to 8 letters and digits, the slug only lowercase letters, digits and dashes\n" },
	                        [CM_SCHOOL_SLUG_TAKEN] = { "biebsync: er is al een school met slug '%s'; kies een andere met --slug\n",
	                                                   "biebsync: a school with slug '%s' exists already; choose another with --slug\n" },
	                        [CM_SCHOOL_CREATED] = { "School aangemaakt: %s (BRIN %s, slug %s)\n",
	                                                "School created: %s (BRIN %s, slug %s)\n" },
	                        [CM_SCHOOL_COL_NAME] = { "NAAM", "NAME" },
	                        [CM_SCHOOL_UNKNOWN] = { "biebsync: geen school met slug '%s' (zie biebsync admin school list)\n",
	                                                "biebsync: no school with slug '%s' (see biebsync admin school list)\n" },
	                        [CM_USER_UNKNOWN] = { "biebsync: geen account '%s' (zie biebsync admin user list)\n",
	                                              "biebsync: no account '%s' (see biebsync admin user list)\n" },
	                        [CM_USER_OTP] = { "Gebruikersnaam:       %s\n"
	                                          "Eenmalig wachtwoord:  %s\n"
	                                          "Bij de eerste keer aanmelden kiest de gebruiker een eigen wachtwoord.\n",
	                                          "Username:           %s\n"
	                                          "One-time password:  %s\n"
	                                          "At the first login the user chooses their own password.\n" },
	                        [CM_USER_ROLE_INVALID] = { "biebsync: --role is docent of bibliotheek\n",
	                                                   "biebsync: --role is docent or bibliotheek\n" },
	                        [CM_USER_LIBRARY_NO_SCHOOL] = { "biebsync: een bibliotheekaccount hoort niet bij een school; laat --school weg\n", "biebsync: a library account has no school; leave out --school\n" },
	                        [CM_USER_NAME_INVALID] = { "biebsync: ongeldige gebruikersnaam: 1 tot 64 letters, cijfers of . _ @ -\n",
	                                                   "biebsync: invalid username: 1 to 64 letters, digits or . _ @ -\n" },
	                        [CM_USER_EXISTS] = { "biebsync: er is al een account '%s'\n",
	                                             "biebsync: an account '%s' exists already\n" },
	                        [CM_USER_COL_USERNAME] = { "GEBRUIKERSNAAM",
	                                                   "USERNAME" },
	                        [CM_USER_COL_ROLE] = { "ROL", "ROLE" },
	                        [CM_USER_COL_LAST_LOGIN] = { "LAATST AANGEMELD",
	                                                     "LAST LOGIN" },
	                        [CM_USER_COL_STATE] = { "STATUS", "STATE" },
	                        [CM_USER_STATE_DISABLED] = { "uitgeschakeld",
	                                                     "disabled" },
	                        [CM_USER_STATE_OTP] = { "eenmalig wachtwoord",
	                                                "one-time password" },
	                        [CM_USER_STATE_ACTIVE] = { "actief", "active" },
	                        [CM_USER_NOTE_DISABLED] = { "Let op: dit account is uitgeschakeld.\n",
	                                                    "Note: this account is disabled.\n" },
	                        [CM_USER_DISABLED] = { "Account %s is uitgeschakeld en overal afgemeld.\n",
	                                               "Account %s is disabled and logged out everywhere.\n" },
	                        [CM_AUDIT_LIMIT_INVALID] = { "biebsync: --limit is een getal van 1 tot 100000\n",
	                                                     "biebsync: --limit is a number from 1 to 100000\n" },
	                        [CM_EXPORT_GROUPS_CHANGED] = { "Let op: bij %zu leerlingen is de groepsnaam of groepscode ingekort of aangepast voor het bibliotheeksysteem.\n",
	                                                       "Note: for %zu students the group name or code was shortened or changed for the library system.\n" },
	                        [CM_PURGE_DONE] = { "%lld verlopen voorbeelden verwijderd, leerlinggegevens van %lld uploads gewist, %lld vertrokken leerlingen geanonimiseerd.\n",
	                                            "%lld expired previews deleted, student data of %lld uploads erased, %lld students who left anonymised.\n" },
	                        [CM_IMPORT_CONFIRM_GUARD] = { " Bevestig met --confirm-guard.",
	                                                      " Confirm with --confirm-guard." },
	                        [CM_IMPORT_COL_TIME] = { "TIJD", "TIME" },
	                        [CM_IMPORT_COL_BY] = { "DOOR", "BY" },
	                        [CM_IMPORT_COL_STATE] = { "STATUS", "STATE" },
	                        [CM_IMPORT_COL_NEW] = { "NIEUW", "NEW" },
	                        [CM_IMPORT_COL_LEFT] = { "UIT", "LEFT" },
	                        [CM_IMPORT_COL_MOVED] = { "GRP", "GRP" },
	                        [CM_IMPORT_COL_JAARGROEP] = { "JGR", "YEAR" },
	                        [CM_IMPORT_COL_CORRECTED] = { "GEW", "CORR" },
	                        [CM_IMPORT_COL_REENROLLED] = { "HER", "REEN" },
	                        [CM_IMPORT_COL_RENUMBERED] = { "NUM", "RENU" },
	                        [CM_IMPORT_COL_FILE] = { "BESTAND", "FILE" },
	                        [CM_IMPORT_ID_INVALID] = { "biebsync: '%s' is geen importnummer\n",
	                                                   "biebsync: '%s' is not an import id\n" },
	                        [CM_IMPORT_ID_MISSING] = { "biebsync: welke import? Geef het nummer (zie biebsync admin import list)\n",
	                                                   "biebsync: which import? Give its id (see biebsync admin import list)\n" },
	                        [CM_IMPORT_SHOW] = { "Import %lld van %s\nBestand:  %s (%s, %s, %lld bytes)\nDoor:     %s op %s\nStatus:   %s\n",
	                                             "Import %lld of %s\nFile:     %s (%s, %s, %lld bytes)\nBy:       %s at %s\nState:    %s\n" },
	                        [CM_IMPORT_UNDONE] = { "Import %lld is ongedaan gemaakt.\n",
	                                               "Import %lld has been undone.\n" },
	                        [CM_IMPORT_APPLIED] = { "Import %lld is toegepast.\n",
	                                                "Import %lld has been applied.\n" },
	                        [CM_IMPORT_CANCELLED] = { "Import %lld is geannuleerd.\n",
	                                                  "Import %lld has been cancelled.\n" },
	                        [CM_GROUP_RENAMED_ONE] = { "  %s \xe2\x86\x92 %s (%lld leerling)\n",
	                                                   "  %s \xe2\x86\x92 %s (%lld student)\n" },
	                        [CM_GROUP_RENAMED] = { "  %s \xe2\x86\x92 %s (%lld leerlingen)\n",
	                                               "  %s \xe2\x86\x92 %s (%lld students)\n" },
	                        [CM_PLAN_CHANGES] = { "Wijzigingen:\n",
	                                              "Changes:\n" },
	                        [CM_PLAN_KEPT] = { "  %zu leerlingen blijven zoals ze zijn vanwege een fout in hun rij.\n",
	                                           "  %zu students stay as they are because of an error in their row.\n" },
	                        [CM_GUARD_UNENROL] = { "\nLet op: deze import schrijft %zu van de %zu leerlingen uit (%zu %%).\n",
	                                               "\nCareful: this import unenrols %zu of the %zu students (%zu %%).\n" },
	                        [CM_GUARD_MATCH] = { "Let op: maar %zu van de %zu leerlingen staan in dit bestand. Is dit het bestand van de hele school, en van deze school?\n",
	                                             "Careful: only %zu of the %zu students are in this file. Is it the whole school's file, and this school's?\n" },
	                        [CM_IMPORT_FILE] = { "Bestand:  %s (%s, %zu bytes)\n",
	                                             "File:     %s (%s, %zu bytes)\n" },
	                        [CM_IMPORT_SCHOOL] = { "School:   %s\n",
	                                               "School:   %s\n" },
	                        [CM_NOTHING_CHANGES] = { "\nEr verandert niets: alle leerlingen staan al zo bij de bibliotheek.\n",
	                                                 "\nNothing changes: every student is already recorded like this.\n" },
	                        [CM_FILE_TOO_LARGE] = { "Het bestand is groter dan %llu MB. Lever alleen de leerlinglijst aan.\n", "The file is larger than %llu MB. Upload only the student list.\n" },
	                        [CM_NOT_APPLIED] = { "Niet toegepast.",
	                                             "Not applied." },
	                        [CM_RUN_WITH_CONFIRM_GUARD] = { " Voer de opdracht dan opnieuw uit met --confirm-guard.",
	                                                        " Then run the command again with --confirm-guard." },
	                        [CM_APPLIED_AS] = { "\nToegepast als import %lld.\n",
	                                            "\nApplied as import %lld.\n" },
	                        [CM_NOTHING_APPLIED] = { "Niets toegepast: er verandert niets.\n",
	                                                 "Nothing applied: nothing changes.\n" },
	                        [CM_STAGED_AS] = { "\nOpgeslagen als voorbeeld %lld. Toepassen: biebsync admin import apply %lld --school %s\n",
	                                           "\nSaved as preview %lld. To apply: biebsync admin import apply %lld --school %s\n" },
	                        [CM_REPLACED] = { "Het open voorbeeld %lld van deze school is vervangen door dit voorbeeld (geannuleerd).\n",
	                                          "The school's open preview %lld was replaced by this one (cancelled).\n" },
	                        [CM_LIBRARY_INVALID] = { "biebsync: ongeldige bibliotheek: de naam mag niet leeg zijn, de slug alleen kleine letters, cijfers en streepjes\n",
	                                                 "biebsync: invalid library: the name may not be empty, the slug only lowercase letters, digits and dashes\n" },
	                        [CM_LIBRARY_SLUG_TAKEN] = { "biebsync: er is al een bibliotheek met slug '%s'; kies een andere met --slug\n",
	                                                    "biebsync: a library with slug '%s' exists already; choose another with --slug\n" },
	                        [CM_LIBRARY_CREATED] = { "Bibliotheek aangemaakt: %s (slug %s)\n",
	                                                 "Library created: %s (slug %s)\n" },
	                        [CM_LIBRARY_UNKNOWN] = { "biebsync: geen bibliotheek met slug '%s' (zie biebsync admin library list)\n",
	                                                 "biebsync: no library with slug '%s' (see biebsync admin library list)\n" },
	                        [CM_LIBRARY_CHOOSE] = { "biebsync: er zijn meerdere bibliotheken; kies er een met --library (zie biebsync admin library list)\ngebruik: %s\n",
	                                                "biebsync: there are several libraries; choose one with --library (see biebsync admin library list)\nusage: %s\n" },
	                        [CM_USER_TWOSTEP_RESET] = { "Tweestapsverificatie van %s is hersteld: aanmelden kan nu met alleen het wachtwoord; het account is overal afgemeld.\n",
	                                                    "Two-step login of %s has been reset: the account now logs in with its password alone and is logged out everywhere.\n" },
	                        [CM_PUPIL_UNKNOWN] = { "biebsync: geen leerling met leerlingnummer '%s' op school '%s'\n",
	                                               "biebsync: no student with number '%s' at school '%s'\n" },
	                        [CM_PUPIL_ERASED] = { "Leerling %lld van %s gewist: %lld regels in uploads geanonimiseerd, %lld open uploads geannuleerd.\n",
	                                              "Student %lld of %s erased: %lld lines in uploads anonymised, %lld open uploads cancelled.\n" },
	                        [CM_ERASED_PUPIL] = { "(gewiste leerling)",
	                                              "(erased student)" },
	                        [CM_FILE_ERASED] = { "(gewist)", "(erased)" },
	                        [CM_EXPORT_ZIP_TERMINAL] = { "De OneRoster-export is een zip-bestand; stuur de uitvoer naar een bestand, bijvoorbeeld: > oneroster.zip\n",
	                                                     "The OneRoster export is a zip file; send the output to a file, for example: > oneroster.zip\n" },
	                        [CM_TOKEN_CREATED] = { "API-sleutel %lld (%s) aangemaakt voor bibliotheek %s. De sleutel staat hieronder en wordt alleen nu getoond: zet hem direct in het systeem dat hem gebruikt.\n",
	                                               "API key %lld (%s) created for library %s. The key is below and is shown only now: put it into the system that uses it straight away.\n" },
	                        [CM_TOKEN_NAME_INVALID] = { "biebsync: geef de sleutel met --name een naam van 1 tot 100 tekens, bijvoorbeeld het systeem dat hem gebruikt (Wise)\n",
	                                                    "biebsync: give the key a name of 1 to 100 characters with --name, for example the system that uses it (Wise)\n" },
	                        [CM_TOKEN_REVOKED] = { "API-sleutel %lld is ingetrokken: wie hem nog gebruikt, krijgt geen toegang meer.\n",
	                                               "API key %lld is revoked: whoever still uses it is refused.\n" },
	                        [CM_TOKEN_ALREADY_REVOKED] = { "biebsync: API-sleutel %lld was al ingetrokken\n",
	                                                       "biebsync: API key %lld was revoked already\n" },
	                        [CM_TOKEN_UNKNOWN] = { "biebsync: geen API-sleutel met nummer '%s' (zie biebsync admin token list)\n",
	                                               "biebsync: no API key with id '%s' (see biebsync admin token list)\n" },
	                        [CM_TOKEN_COL_LIBRARY] = { "BIBLIOTHEEK", "LIBRARY" },
	                        [CM_TOKEN_COL_NAME] = { "NAAM", "NAME" },
	                        [CM_TOKEN_COL_START] = { "BEGIN", "START" },
	                        [CM_TOKEN_COL_CREATED] = { "AANGEMAAKT", "CREATED" },
	                        [CM_TOKEN_COL_BY] = { "DOOR", "BY" },
	                        [CM_TOKEN_COL_USED] = { "LAATST GEBRUIKT", "LAST USED" },
	                        [CM_TOKEN_COL_REVOKED] = { "INGETROKKEN", "REVOKED" },
	                        [CM_TOKEN_NEVER] = { "nooit", "never" },
                        };
/* clang-format on */

enum lang
cli_lang(void)
{
	const char *l = getenv("BIEBSYNC_LANG");

	if (l == NULL || *l == '\0')
		l = getenv("LANG");
	return l != NULL && str_starts(l, "en") ? LANG_EN : LANG_NL;
}

const char *
cli_msg(enum cli_msg m)
{
	return cli_msg_in(cli_lang(), m);
}

const char *
cli_msg_in(enum lang lang, enum cli_msg m)
{
	if ((unsigned)m >= CLI_MSG__MAX)
		return "";
	return lang_pick(table[m], lang);
}
