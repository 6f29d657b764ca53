/*
 * The message table (see i18n.h).  One row per message: Dutch first, then
 * English.  Dutch is written for school staff: short, friendly ("je"), and
 * every problem says what to do about it.  Rows marked (markup) hold
 * trusted HTML and are written with %S.
 */
#include <string.h>
#include <strings.h>

#include "i18n.h"

static const char *const table[MSG__MAX][LANG__MAX] = {
	[MSG_SITE] = { "de Bieb op school", "de Bieb op school" },
	[MSG_SKIP] = { "Naar de inhoud", "Skip to content" },
	[MSG_LANG_OTHER] = { "English", "Nederlands" },
	[MSG_LANG_OTHER_CODE] = { "en", "nl" },
	[MSG_LOGIN_TITLE] = { "Aanmelden", "Log in" },
	[MSG_LOGIN_INTRO] = { "Meld je aan met het pasnummer of de "
	                      "gebruikersnaam en het"
	                      " wachtwoord die je van de bibliotheek hebt "
	                      "gekregen.",
	                      "Log in with the card number or username and the "
	                      "password"
	                      " that the library gave you." },
	[MSG_USERNAME] = { "Pasnummer/Gebruikersnaam", "Card number/Username" },
	[MSG_PASSWORD] = { "Wachtwoord", "Password" },
	[MSG_LOGIN_BUTTON] = { "Aanmelden", "Log in" },
	[MSG_LOGIN_HELP_LINK] = { "Hoe moet ik aanmelden?",
	                          "How do I log in?" },
	[MSG_LOGIN_FAILED] = { "Gebruikersnaam of wachtwoord onjuist",
	                       "Username or password incorrect" },
	[MSG_LOGIN_THROTTLED] = { "Er is te vaak een verkeerd wachtwoord "
	                          "gebruikt. Wacht een"
	                          " kwartier en probeer het dan opnieuw. "
	                          "Wachtwoord vergeten?"
	                          " Vraag de contactpersoon van de bibliotheek "
	                          "om een nieuw"
	                          " wachtwoord.",
	                          "Too many wrong passwords. Wait a quarter of "
	                          "an hour and try"
	                          " again. Forgot your password? Ask the "
	                          "library's contact"
	                          " person for a new one." },
	[MSG_LOGIN_MISSING] = { "Vul je pasnummer of gebruikersnaam en je "
	                        "wachtwoord in.",
	                        "Fill in your card number or username and your "
	                        "password." },
	[MSG_ERROR_SUMMARY] = { "Er ging iets mis", "There is a problem" },
	[MSG_HELP_LOGIN_TITLE] = { "Hoe moet ik aanmelden?",
	                           "How do I log in?" },
	/* (markup) */
	[MSG_HELP_LOGIN_BODY] = { "<p>De bibliotheek maakt voor jouw school "
	                          "een account aan en"
	                          " geeft je een <strong>pasnummer of "
	                          "gebruikersnaam</strong> en"
	                          " een <strong>eenmalig wachtwoord</strong>. "
	                          "Vul die in op de"
	                          " pagina Aanmelden.</p>"
	                          "<p>De eerste keer kies je direct daarna je "
	                          "eigen wachtwoord:"
	                          " minstens 12 tekens. Een zin van een paar "
	                          "woorden is goed te"
	                          " onthouden en moeilijk te raden. Tekens als "
	                          "hoofdletters of"
	                          " cijfers zijn niet verplicht.</p>"
	                          "<h2>Wachtwoord vergeten?</h2>"
	                          "<p>Neem contact op met de contactpersoon "
	                          "van de bibliotheek"
	                          " voor jouw school. Die maakt een nieuw "
	                          "eenmalig wachtwoord"
	                          " voor je aan. Daarmee meld je je aan en "
	                          "kies je weer een"
	                          " eigen wachtwoord.</p>"
	                          "<h2>Waarom niet gewoon mailen?</h2>"
	                          "<p>Een leerlingbestand bevat "
	                          "persoonsgegevens van kinderen."
	                          " Volgens de AVG mag zo'n bestand niet per "
	                          "e-mail worden"
	                          " verstuurd. Via deze beveiligde website "
	                          "komt het veilig bij"
	                          " de bibliotheek aan.</p>",
	                          "<p>The library creates an account for your "
	                          "school and gives"
	                          " you a <strong>card number or "
	                          "username</strong> and a"
	                          " <strong>one-time password</strong>. Enter "
	                          "them on the Log in"
	                          " page.</p>"
	                          "<p>The first time, you choose your own "
	                          "password right after"
	                          " logging in: at least 12 characters. A "
	                          "sentence of a few words"
	                          " is easy to remember and hard to guess. "
	                          "Capitals or digits are"
	                          " not required.</p>"
	                          "<h2>Forgot your password?</h2>"
	                          "<p>Contact the library's contact person for "
	                          "your school. They"
	                          " create a new one-time password for you. "
	                          "Log in with it and"
	                          " choose your own password again.</p>"
	                          "<h2>Why not just e-mail it?</h2>"
	                          "<p>A student list holds personal data of "
	                          "children. Under the"
	                          " GDPR such a file may not be sent by "
	                          "e-mail. Through this"
	                          " secure website it reaches the library "
	                          "safely.</p>" },
	[MSG_BACK_TO_LOGIN] = { "Terug naar Aanmelden", "Back to Log in" },
	[MSG_MENU_DOCENT] = { "Docent", "Teacher" },
	[MSG_MENU_LIBRARY] = { "Bibliotheek", "Library" },
	[MSG_MENU_HOME] = { "Start", "Home" },
	[MSG_MY_DETAILS] = { "Mijn gegevens", "My details" },
	[MSG_HELP] = { "Help", "Help" },
	[MSG_LOGOUT] = { "Afmelden", "Log out" },
	[MSG_LOGGED_OUT] = { "Je bent afgemeld.", "You have logged out." },
	[MSG_DOCENT_WELCOME] = { "Welkom", "Welcome" },
	[MSG_DOCENT_INTRO] = { "Hier lever je eens per jaar het "
	                       "leerlingbestand van je school"
	                       " aan bij de bibliotheek. Kies een onderdeel in "
	                       "het menu"
	                       " Docent.",
	                       "Here you hand in your school's student list to "
	                       "the library"
	                       " once a year. Choose an item in the Teacher "
	                       "menu." },
	[MSG_LIBRARY_WELCOME] = { "Bibliotheek", "Library" },
	[MSG_LIBRARY_INTRO] = { "De scholen van de bibliotheek. Scholen en "
	                        "accounts maak je"
	                        " aan met de opdracht biebsync admin.",
	                        "The library's schools. Create schools and "
	                        "accounts with the"
	                        " biebsync admin command." },
	[MSG_SCHOOLS] = { "Scholen", "Schools" },
	[MSG_NO_SCHOOLS] = { "Er zijn nog geen scholen.",
	                     "There are no schools yet." },
	[MSG_COL_NAME] = { "Naam", "Name" },
	[MSG_COL_BRIN] = { "BRIN", "BRIN" },
	[MSG_COL_SLUG] = { "Code", "Code" },
	[MSG_COL_ACCOUNTS] = { "Accounts", "Accounts" },
	[MSG_ROLE] = { "Rol", "Role" },
	[MSG_ROLE_DOCENT] = { "Docent (school)", "Teacher (school)" },
	[MSG_ROLE_LIBRARY] = { "Bibliotheek", "Library" },
	[MSG_SCHOOL] = { "School", "School" },
	[MSG_NO_SCHOOL] = { "geen (medewerker bibliotheek)",
	                    "none (library staff)" },
	[MSG_LAST_LOGIN] = { "Vorige keer aangemeld", "Previous login" },
	[MSG_NEVER] = { "nog nooit", "never" },
	[MSG_CHANGE_PASSWORD] = { "Wachtwoord wijzigen", "Change password" },
	[MSG_CHANGE_PASSWORD_INTRO] = { "Na het wijzigen word je op andere "
	                                "apparaten afgemeld.",
	                                "After the change you are logged out "
	                                "on other devices." },
	[MSG_FORCED_TITLE] = { "Kies je eigen wachtwoord",
	                       "Choose your own password" },
	[MSG_FORCED_INTRO] = { "Je bent aangemeld met een eenmalig wachtwoord "
	                       "van de"
	                       " bibliotheek. Kies nu je eigen wachtwoord; "
	                       "daarna kun je"
	                       " verder.",
	                       "You logged in with a one-time password from "
	                       "the library."
	                       " Choose your own password now; then you can "
	                       "continue." },
	[MSG_CURRENT_PASSWORD] = { "Huidig wachtwoord", "Current password" },
	[MSG_CURRENT_PASSWORD_OTP] = { "Eenmalig wachtwoord",
	                               "One-time password" },
	[MSG_NEW_PASSWORD] = { "Nieuw wachtwoord", "New password" },
	[MSG_NEW_PASSWORD_HINT] = { "Minstens 12 tekens. Een zin van een paar "
	                            "woorden is goed te"
	                            " onthouden. Niet je gebruikersnaam of de "
	                            "naam van je school.",
	                            "At least 12 characters. A sentence of a "
	                            "few words is easy to"
	                            " remember. Not your username or your "
	                            "school's name." },
	[MSG_REPEAT_PASSWORD] = { "Herhaal nieuw wachtwoord",
	                          "Repeat new password" },
	[MSG_SAVE_PASSWORD] = { "Wachtwoord opslaan", "Save password" },
	[MSG_PASSWORD_CHANGED] = { "Je wachtwoord is gewijzigd.",
	                           "Your password has been changed." },
	[MSG_PW_WRONG_CURRENT] = { "Het huidige wachtwoord klopt niet. Typ het "
	                           "opnieuw.",
	                           "The current password is not correct. Type "
	                           "it again." },
	[MSG_PW_MISMATCH] = { "De twee nieuwe wachtwoorden zijn niet gelijk. "
	                      "Typ het nieuwe"
	                      " wachtwoord twee keer precies hetzelfde.",
	                      "The two new passwords differ. Type the new "
	                      "password twice"
	                      " exactly the same." },
	[MSG_PW_SAME] = { "Het nieuwe wachtwoord is hetzelfde als het huidige. "
	                  "Kies een"
	                  " ander wachtwoord.",
	                  "The new password equals the current one. Choose "
	                  "another"
	                  " password." },
	[MSG_PW_TOO_SHORT] = { "Het nieuwe wachtwoord is te kort. Gebruik "
	                       "minstens 12 tekens,"
	                       " bijvoorbeeld een zin van een paar woorden.",
	                       "The new password is too short. Use at least 12 "
	                       "characters,"
	                       " for example a sentence of a few words." },
	[MSG_PW_TOO_LONG] = { "Het nieuwe wachtwoord is te lang. Gebruik "
	                      "hoogstens 128"
	                      " tekens.",
	                      "The new password is too long. Use at most 128 "
	                      "characters." },
	[MSG_PW_NOT_TEXT] = { "Het nieuwe wachtwoord bevat een teken dat niet "
	                      "kan, zoals een"
	                      " tab of regeleinde. Gebruik alleen gewone "
	                      "tekens.",
	                      "The new password contains a character that is "
	                      "not allowed,"
	                      " such as a tab or line break. Use ordinary "
	                      "characters only." },
	[MSG_PW_COMMON] = { "Dit wachtwoord wordt veel gebruikt en is daardoor "
	                    "makkelijk"
	                    " te raden. Kies iets dat alleen jij bedenkt.",
	                    "This password is common and therefore easy to "
	                    "guess. Choose"
	                    " something only you would think of." },
	[MSG_PW_REPETITIVE] = { "Het nieuwe wachtwoord herhaalt steeds "
	                        "dezelfde tekens. Kies"
	                        " een wachtwoord met meer verschillende "
	                        "tekens.",
	                        "The new password keeps repeating the same "
	                        "characters. Use"
	                        " more different characters." },
	[MSG_PW_HAS_USERNAME] = { "Het nieuwe wachtwoord bevat je "
	                          "gebruikersnaam. Kies een"
	                          " wachtwoord zonder je gebruikersnaam.",
	                          "The new password contains your username. "
	                          "Choose one without"
	                          " it." },
	[MSG_PW_HAS_SCHOOL] = { "Het nieuwe wachtwoord bevat de naam van je "
	                        "school. Kies een"
	                        " wachtwoord zonder de schoolnaam.",
	                        "The new password contains your school's name. "
	                        "Choose one"
	                        " without it." },
	[MSG_PW_ERROR] = { "Het wachtwoord kon niet worden opgeslagen. Probeer "
	                   "het over"
	                   " een paar minuten opnieuw.",
	                   "The password could not be saved. Try again in a few"
	                   " minutes." },
	[MSG_FORBIDDEN_TITLE] = { "Geen toegang", "No access" },
	[MSG_FORBIDDEN_BODY] = { "Deze pagina is niet voor jouw account.",
	                         "This page is not for your account." },
	[MSG_CSRF_TITLE] = { "Formulier verlopen", "Form expired" },
	[MSG_CSRF_BODY] = { "Het formulier is verlopen of kwam niet van deze "
	                    "website. Er is"
	                    " niets gewijzigd. Ga terug, laad de pagina "
	                    "opnieuw en probeer"
	                    " het nog eens.",
	                    "The form expired or did not come from this "
	                    "website. Nothing"
	                    " was changed. Go back, reload the page and try "
	                    "again." },
	[MSG_NOTFOUND_TITLE] = { "Pagina niet gevonden", "Page not found" },
	[MSG_NOTFOUND_BODY] = { "Deze pagina bestaat niet (meer). Controleer "
	                        "het adres of ga"
	                        " naar de startpagina.",
	                        "This page does not exist (any more). Check "
	                        "the address or go"
	                        " to the home page." },
	[MSG_BADREQ_TITLE] = { "Onjuist verzoek", "Bad request" },
	[MSG_BADREQ_BODY] = { "Het formulier bevatte iets onverwachts. Er is "
	                      "niets gewijzigd."
	                      " Laad de pagina opnieuw en probeer het nog "
	                      "eens.",
	                      "The form contained something unexpected. "
	                      "Nothing was changed."
	                      " Reload the page and try again." },
	[MSG_ERROR_TITLE] = { "Er ging iets mis", "Something went wrong" },
	[MSG_ERROR_BODY] = { "Er ging bij ons iets mis. Er is niets gewijzigd. "
	                     "Probeer het"
	                     " over een paar minuten opnieuw; lukt het dan nog "
	                     "niet, neem"
	                     " contact op met de bibliotheek.",
	                     "Something went wrong on our side. Nothing was "
	                     "changed. Try"
	                     " again in a few minutes; if it still fails, "
	                     "contact the"
	                     " library." },
	[MSG_TO_HOME] = { "Naar de startpagina", "To the home page" },
};

const char *
msg(enum lang lang, enum msg m)
{
	const char *s;

	if ((unsigned)m >= MSG__MAX)
		return "";
	if ((unsigned)lang >= LANG__MAX)
		lang = LANG_NL;
	s = table[m][lang];
	return s ? s : table[m][LANG_NL] ? table[m][LANG_NL] : "";
}

const char *
lang_code(enum lang lang)
{
	return lang == LANG_EN ? "en" : "nl";
}

enum lang
lang_choose(const char *cookie, const char *accept)
{
	const char *p;

	if (cookie != NULL && strcmp(cookie, "en") == 0)
		return LANG_EN;
	if (cookie != NULL && strcmp(cookie, "nl") == 0)
		return LANG_NL;
	if (accept == NULL)
		return LANG_NL;
	/* The first of nl or en that appears in the list wins. */
	for (p = accept; *p != '\0'; p++) {
		if ((p == accept || p[-1] == ',' || p[-1] == ' ') &&
		    p[1] != '\0' &&
		    (p[2] == '\0' || p[2] == '-' || p[2] == ',' ||
		     p[2] == ';' || p[2] == ' ')) {
			if (strncasecmp(p, "nl", 2) == 0)
				return LANG_NL;
			if (strncasecmp(p, "en", 2) == 0)
				return LANG_EN;
		}
	}
	return LANG_NL;
}
