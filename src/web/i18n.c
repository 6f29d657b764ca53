/*
 * The message table (see i18n.h).  One row per message: Dutch first, then
 * English.  Dutch is written for school staff: short, friendly ("je"), and
 * every problem says what to do about it.  Rows marked (markup) hold
 * trusted HTML and are written with %S.
 */
#include <string.h>
#include <strings.h>

#include "i18n.h"

static const char
        *const table[MSG__MAX][LANG__MAX] = {
	        [MSG_SITE] = { "de Bieb op school", "de Bieb op school" },
	        [MSG_SKIP] = { "Naar de inhoud", "Skip to content" },
	        [MSG_LANG_OTHER] = { "English", "Nederlands" },
	        [MSG_LANG_OTHER_CODE] = { "en", "nl" },
	        [MSG_LOGIN_TITLE] = { "Aanmelden", "Log in" },
	        [MSG_LOGIN_INTRO] = { "Meld je aan met het pasnummer of de gebruikersnaam en het wachtwoord die je van de bibliotheek hebt gekregen.",
	                              "Log in with the card number or username and the password that the library gave you." },
	        [MSG_USERNAME] = { "Pasnummer/Gebruikersnaam",
	                           "Card number/Username" },
	        [MSG_PASSWORD] = { "Wachtwoord", "Password" },
	        [MSG_LOGIN_BUTTON] = { "Aanmelden", "Log in" },
	        [MSG_LOGIN_HELP_LINK] = { "Hoe moet ik aanmelden?",
	                                  "How do I log in?" },
	        [MSG_LOGIN_FAILED] = { "Gebruikersnaam of wachtwoord onjuist",
	                               "Username or password incorrect" },
	        [MSG_LOGIN_THROTTLED] = { "Er is te vaak een verkeerd wachtwoord gebruikt. Wacht een kwartier en probeer het dan opnieuw.",
	                                  "Too many wrong passwords. Wait a quarter of an hour and try again." },
	        [MSG_LOGIN_MISSING] = { "Vul je pasnummer of gebruikersnaam en je wachtwoord in.",
	                                "Fill in your card number or username and your password." },
	        [MSG_ERROR_SUMMARY] = { "Er ging iets mis",
	                                "There is a problem" },
	        [MSG_HELP_LOGIN_TITLE] = { "Hoe moet ik aanmelden?",
	                                   "How do I log in?" },
	        /* (markup) */
	        [MSG_HELP_LOGIN_BODY] = { "<p>De bibliotheek maakt voor jouw school een account aan en geeft je een <strong>pasnummer of gebruikersnaam</strong> en een <strong>eenmalig wachtwoord</strong>. Vul die in op de pagina Aanmelden.</p>"
	                                  "<p>De eerste keer kies je direct daarna je eigen wachtwoord: minstens 12 tekens. Een zin van een paar woorden is goed te onthouden en moeilijk te raden. Tekens als hoofdletters of cijfers zijn niet verplicht.</p>",
	                                  "<p>The library creates an account for your school and gives you a <strong>card number or username</strong> and a <strong>one-time password</strong>. Enter them on the Log in page.</p>"
	                                  "<p>The first time, you choose your own password right after logging in: at least 12 characters. A sentence of a few words is easy to remember and hard to guess. Capitals or digits are not required.</p>" },
	        [MSG_BACK_TO_LOGIN] = { "Terug naar Aanmelden",
	                                "Back to Log in" },
	        [MSG_MENU_DOCENT] = { "Docent", "Teacher" },
	        [MSG_MENU_LIBRARY] = { "Bibliotheek", "Library" },
	        [MSG_MENU_HOME] = { "Start", "Home" },
	        [MSG_MY_DETAILS] = { "Mijn gegevens", "My details" },
	        [MSG_HELP] = { "Help", "Help" },
	        [MSG_LOGOUT] = { "Afmelden", "Log out" },
	        [MSG_LOGGED_OUT] = { "Je bent afgemeld.",
	                             "You have logged out." },
	        [MSG_DOCENT_WELCOME] = { "Welkom", "Welcome" },
	        [MSG_DOCENT_INTRO] = { "Hier lever je eens per jaar het leerlingbestand van je school aan bij de bibliotheek. Kies een onderdeel in het menu Docent.",
	                               "Here you hand in your school's student list to the library once a year. Choose an item in the Teacher menu." },
	        [MSG_LIBRARY_WELCOME] = { "Bibliotheek", "Library" },
	        [MSG_LIBRARY_INTRO] = { "De scholen van de bibliotheek. Scholen en accounts maak je aan op de opdrachtregel, met biebsync admin.",
	                                "The library's schools. Create schools and accounts with the biebsync admin command." },
	        [MSG_SCHOOLS] = { "Scholen", "Schools" },
	        [MSG_NO_SCHOOLS] = { "Er zijn nog geen scholen.",
	                             "There are no schools yet." },
	        [MSG_COL_NAME] = { "Naam", "Name" },
	        [MSG_COL_BRIN] = { "BRIN", "BRIN" },
	        [MSG_COL_SLUG] = { "Korte naam", "Short name" },
	        [MSG_COL_ACCOUNTS] = { "Accounts", "Accounts" },
	        [MSG_ROLE] = { "Rol", "Role" },
	        [MSG_ROLE_DOCENT] = { "Docent (school)", "Teacher (school)" },
	        [MSG_ROLE_LIBRARY] = { "Bibliotheek", "Library" },
	        [MSG_SCHOOL] = { "School", "School" },
	        [MSG_NO_SCHOOL] = { "geen (medewerker bibliotheek)",
	                            "none (library staff)" },
	        [MSG_LAST_LOGIN] = { "Vorige keer aangemeld",
	                             "Previous login" },
	        [MSG_NEVER] = { "nog nooit", "never" },
	        [MSG_CHANGE_PASSWORD] = { "Wachtwoord wijzigen",
	                                  "Change password" },
	        [MSG_CHANGE_PASSWORD_INTRO] = { "Na het wijzigen word je op andere apparaten afgemeld.",
	                                        "After the change you are logged out on other devices." },
	        [MSG_FORCED_TITLE] = { "Kies je eigen wachtwoord",
	                               "Choose your own password" },
	        [MSG_FORCED_INTRO] = { "Je bent aangemeld met een eenmalig wachtwoord van de bibliotheek. Kies nu je eigen wachtwoord; daarna kun je verder.",
	                               "You logged in with a one-time password from the library. Choose your own password now; then you can continue." },
	        [MSG_CURRENT_PASSWORD] = { "Huidig wachtwoord",
	                                   "Current password" },
	        [MSG_CURRENT_PASSWORD_OTP] = { "Eenmalig wachtwoord",
	                                       "One-time password" },
	        [MSG_NEW_PASSWORD] = { "Nieuw wachtwoord", "New password" },
	        [MSG_NEW_PASSWORD_HINT] = { "Minstens 12 tekens. Een zin van een paar woorden is goed te onthouden. Niet je gebruikersnaam of de naam van je school.",
	                                    "At least 12 characters. A sentence of a few words is easy to remember. Not your username or your school's name." },
	        [MSG_REPEAT_PASSWORD] = { "Herhaal nieuw wachtwoord",
	                                  "Repeat new password" },
	        [MSG_SAVE_PASSWORD] = { "Wachtwoord opslaan", "Save password" },
	        [MSG_PASSWORD_CHANGED] = { "Je wachtwoord is gewijzigd.",
	                                   "Your password has been changed." },
	        [MSG_PW_WRONG_CURRENT] = { "Het huidige wachtwoord klopt niet. Typ het opnieuw.",
	                                   "The current password is not correct. Type it again." },
	        [MSG_PW_MISMATCH] = { "De twee nieuwe wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord twee keer precies hetzelfde.",
	                              "The two new passwords differ. Type the new password twice exactly the same." },
	        [MSG_PW_SAME] = { "Het nieuwe wachtwoord is hetzelfde als het huidige. Kies een ander wachtwoord.",
	                          "The new password equals the current one. Choose another password." },
	        [MSG_PW_TOO_SHORT] = { "Het nieuwe wachtwoord is te kort. Gebruik minstens 12 tekens, bijvoorbeeld een zin van een paar woorden.",
	                               "The new password is too short. Use at least 12 characters, for example a sentence of a few words." },
	        [MSG_PW_TOO_LONG] = { "Het nieuwe wachtwoord is te lang. Gebruik hoogstens 128 tekens.",
	                              "The new password is too long. Use at most 128 characters." },
	        [MSG_PW_NOT_TEXT] = { "Het nieuwe wachtwoord bevat een teken dat niet kan, zoals een tab of regeleinde. Gebruik alleen gewone tekens.",
	                              "The new password contains a character that is not allowed, such as a tab or line break. Use ordinary characters only." },
	        [MSG_PW_COMMON] = { "Dit wachtwoord wordt veel gebruikt en is daardoor makkelijk te raden. Kies iets dat alleen jij bedenkt.",
	                            "This password is common and therefore easy to guess. Choose something only you would think of." },
	        [MSG_PW_REPETITIVE] = { "Het nieuwe wachtwoord herhaalt steeds dezelfde tekens. Kies een wachtwoord met meer verschillende tekens.",
	                                "The new password keeps repeating the same characters. Use more different characters." },
	        [MSG_PW_HAS_USERNAME] = { "Het nieuwe wachtwoord bevat je gebruikersnaam. Kies een wachtwoord zonder je gebruikersnaam.",
	                                  "The new password contains your username. Choose one without it." },
	        [MSG_PW_HAS_SCHOOL] = { "Het nieuwe wachtwoord bevat de naam van je school. Kies een wachtwoord zonder de schoolnaam.",
	                                "The new password contains your school's name. Choose one without it." },
	        [MSG_PW_ERROR] = { "Het wachtwoord kon niet worden opgeslagen. Probeer het over een paar minuten opnieuw.",
	                           "The password could not be saved. Try again in a few minutes." },
	        [MSG_FORBIDDEN_TITLE] = { "Geen toegang", "No access" },
	        [MSG_FORBIDDEN_BODY] = { "Deze pagina is niet voor jouw account.",
	                                 "This page is not for your account." },
	        [MSG_CSRF_TITLE] = { "Formulier verlopen", "Form expired" },
	        [MSG_CSRF_BODY] = { "Het formulier is verlopen of kwam niet van deze website. Er is niets gewijzigd. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
	                            "The form expired or did not come from this website. Nothing was changed. Go back, reload the page and try again." },
	        [MSG_NOTFOUND_TITLE] = { "Pagina niet gevonden",
	                                 "Page not found" },
	        [MSG_NOTFOUND_BODY] = { "Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.",
	                                "This page does not exist (any more). Check the address or go to the home page." },
	        [MSG_BADREQ_TITLE] = { "Onjuist verzoek", "Bad request" },
	        [MSG_BADREQ_BODY] = { "Het formulier bevatte iets onverwachts. Er is niets gewijzigd. Laad de pagina opnieuw en probeer het nog eens.",
	                              "The form contained something unexpected. Nothing was changed. Reload the page and try again." },
	        [MSG_ERROR_TITLE] = { "Er ging iets mis",
	                              "Something went wrong" },
	        [MSG_ERROR_BODY] = { "Er ging bij ons iets mis. Er is niets gewijzigd. Probeer het over een paar minuten opnieuw; lukt het dan nog niet, neem contact op met de bibliotheek.",
	                             "Something went wrong on our side. Nothing was changed. Try again in a few minutes; if it still fails, contact the library." },
	        [MSG_UPLOAD] = { "Upload Leerlingbestand",
	                         "Upload student list" },
	        [MSG_UPLOAD_INTRO] = { "Lever hier eens per jaar de leerlinglijst van je school aan. Je ziet eerst precies wat er verandert; pas als je bevestigt, past de bibliotheek de gegevens aan.",
	                               "Hand in your school's student list here once a year. You first see exactly what will change; only when you confirm does the library update its records." },
	        [MSG_UPLOAD_NEEDS] = { "Het bestand moet deze kolommen hebben:",
	                               "The file needs these columns:" },
	        [MSG_UPLOAD_COLUMNS] = { "<ul class=\"columns\"><li><strong>"
	                                 "Leerlingnummer</strong></li><li><strong>Naam</strong> (of Roepnaam, Tussenvoegsel en Achternaam)</li><li><strong>Geboortedatum</strong></li><li><strong>Groep</strong></li></ul>",
	                                 "<ul class=\"columns\"><li><strong>Leerlingnummer</strong>"
	                                 " (student number)</li><li><strong>Naam</strong> (or Roepnaam, Tussenvoegsel and Achternaam)</li><li><strong>Geboortedatum</strong> (date of birth)</li><li><strong>Groep</strong> (group)</li></ul>" },
	        [MSG_UPLOAD_AVG] = { "Een leerlingbestand bevat persoonsgegevens van kinderen. Volgens de AVG mag je het niet mailen: lever het alleen hier aan. Andere kolommen (zoals BSN of adres) slaan we niet op.",
	                             "A student list holds personal data of children. Under the GDPR it may not be e-mailed: hand it in here only. Other columns (such as BSN or address) are not stored." },
	        [MSG_EXAMPLE] = { "Download het voorbeeldbestand",
	                          "Download the example file" },
	        [MSG_GUIDES] = { "Zo maak je het overzicht",
	                         "How to make the export" },
	        [MSG_GUIDE_PARNASSYS] = { "Overzicht maken in ParnasSys",
	                                  "Making the export in ParnasSys" },
	        [MSG_GUIDE_ESIS] = { "Overzicht maken in ESIS",
	                             "Making the export in ESIS" },
	        [MSG_GUIDE_DOTCOM] = { "Overzicht maken in Dotcom",
	                               "Making the export in Dotcom" },
	        [MSG_FILE_LABEL] = { "Leerlingbestand (.xlsx, .xls, .ods, .csv of .xml)",
	                             "Student list (.xlsx, .xls, .ods, .csv or .xml)" },
	        [MSG_DROP_HINT] = { "Sleep het bestand hierheen of kies het met de knop.",
	                            "Drag the file here or choose it with the button." },
	        [MSG_UPLOAD_BUTTON] = { "Bestand controleren",
	                                "Check the file" },
	        [MSG_UPLOADING] = { "Bezig met uploaden", "Uploading" },
	        [MSG_NO_FILE] = { "Kies eerst een bestand met de knop Bladeren of Bestand kiezen.",
	                          "First choose a file with the Browse or Choose file button." },
	        [MSG_TOO_LARGE_TITLE] = { "Bestand te groot",
	                                  "File too large" },
	        [MSG_TOO_LARGE_BODY] = { "Dit bestand is groter dan deze website aanneemt. Een leerlinglijst is meestal veel kleiner: lever alleen de lijst met leerlingen aan, zonder foto's of andere bladen. Er is niets gewijzigd.",
	                                 "This file is larger than this website accepts. A student list is usually much smaller: upload only the list of students, without photos or other sheets. Nothing was changed." },
	        [MSG_BACK_TO_UPLOAD] = { "Terug naar Upload Leerlingbestand",
	                                 "Back to Upload student list" },
	        [MSG_IMPORTS] = { "Eerdere uploads", "Earlier uploads" },
	        [MSG_NO_IMPORTS] = { "Er zijn nog geen uploads.",
	                             "There are no uploads yet." },
	        [MSG_PREVIEW_TITLE] = { "Controleer de wijzigingen",
	                                "Check the changes" },
	        [MSG_PREVIEW_INTRO] = { "Er is nog niets gewijzigd. Kijk of dit klopt en kies dan Bevestigen of Annuleren.",
	                                "Nothing has changed yet. Check whether this is right, then choose Confirm or Cancel." },
	        [MSG_APPLIED_TITLE] = { "De wijzigingen zijn doorgevoerd",
	                                "The changes have been applied" },
	        [MSG_CANCELLED_TITLE] = { "Deze upload is geannuleerd",
	                                  "This upload was cancelled" },
	        [MSG_EXPIRED_TITLE] = { "Deze upload is verlopen",
	                                "This upload has expired" },
	        [MSG_UNDONE_TITLE] = { "Deze upload is ongedaan gemaakt",
	                               "This upload was undone" },
	        [MSG_FILE] = { "Bestand", "File" },
	        [MSG_FORMAT] = { "Bestandstype", "File type" },
	        [MSG_LAYOUT] = { "Herkend als", "Recognised as" },
	        [MSG_SHEET] = { "Werkblad", "Sheet" },
	        [MSG_HEADER_ROW] = { "Kolomnamen op rij",
	                             "Column names in row" },
	        [MSG_UPLOADED_BY] = { "Geüpload door", "Uploaded by" },
	        [MSG_WHEN] = { "Wanneer", "When" },
	        [MSG_STATE] = { "Status", "State" },
	        [MSG_SUMMARY] = { "Samenvatting", "Summary" },
	        [MSG_GROUPS_CHART] = { "Leerlingen per groep, voor en na deze upload",
	                               "Students per group, before and after this upload" },
	        [MSG_NOW] = { "voor upload", "before upload" },
	        [MSG_AFTER] = { "na upload", "after upload" },
	        [MSG_COL_NUMBER] = { "Leerlingnummer", "Student number" },
	        [MSG_COL_STUDENT] = { "Naam", "Name" },
	        [MSG_COL_BIRTH] = { "Geboortedatum", "Date of birth" },
	        [MSG_COL_GROUP] = { "Groep", "Group" },
	        [MSG_COL_CHANGE] = { "Wat verandert", "What changes" },
	        [MSG_GROUPS_TABLE] = { "Alle groepen", "All groups" },
	        [MSG_COL_LIBRARY_CODE] = { "In het bibliotheeksysteem",
	                                   "In the library system" },
	        [MSG_GROUP_RENAMED] = { "%s \xe2\x86\x92 %s (%s leerlingen)",
	                                "%s \xe2\x86\x92 %s (%s students)" },
	        [MSG_GROUP_RENAMED_ONE] = { "%s \xe2\x86\x92 %s (%s leerling)",
	                                    "%s \xe2\x86\x92 %s (%s student)" },
	        [MSG_INFO] = { "Ter informatie", "For your information" },
	        [MSG_DECIMAL_SEP] = { ",", "." },
	        [MSG_LARGEST_FILE] = { "Grootste bestand", "Largest file" },
	        [MSG_REPORT_ROW] = { "Rij", "Row" },
	        [MSG_REPORT_COLUMN] = { "Kolom", "Column" },
	        [MSG_REPORT_KIND] = { "Soort", "Kind" },
	        [MSG_REPORT_MESSAGE] = { "Melding", "Message" },
	        [MSG_REPORT_VALUE] = { "Waarde", "Value" },
	        [MSG_REPORT_ERROR] = { "fout", "error" },
	        [MSG_REPORT_WARNING] = { "waarschuwing", "warning" },
	        [MSG_REPORT_INFO] = { "informatie", "information" },
	        [MSG_MAPPING] = { "Kolommen in het bestand",
	                          "Columns in the file" },
	        [MSG_COLUMN] = { "Kolom", "Column" },
	        [MSG_USED_AS] = { "Gebruikt als", "Used as" },
	        [MSG_NOT_STORED] = { "niet opgeslagen", "not stored" },
	        [MSG_NOT_STORED_BSN] = { "niet opgeslagen (BSN)",
	                                 "not stored (BSN)" },
	        [MSG_ISSUES] = { "Fouten en waarschuwingen",
	                         "Errors and warnings" },
	        [MSG_NO_ISSUES] = { "Geen fouten of waarschuwingen.",
	                            "No errors or warnings." },
	        [MSG_ERROR] = { "Fout", "Error" },
	        [MSG_WARNING] = { "Let op", "Warning" },
	        [MSG_REPORT_DOWNLOAD] = { "Download de meldingen als Excel-bestand",
	                                  "Download the issues as an Excel file" },
	        [MSG_BLOCKED] = { "Dit bestand kan zo niet worden ingelezen. Los de fouten hieronder op in je leerlingadministratie of in het bestand, en upload het opnieuw.",
	                          "This file cannot be read as it is. Fix the errors below in your student administration or in the file, and upload it again." },
	        [MSG_KEPT] = { "leerlingen blijven zoals ze zijn, omdat hun rij een fout bevat.",
	                       "students stay as they are because their row has an error." },
	        [MSG_GUARD_UNENROL] = { "Let op: deze upload schrijft %s van de %s leerlingen uit.",
	                                "Careful: this upload unenrols %s of the %s students." },
	        [MSG_GUARD_MATCH] = { "Let op: maar %s van de %s leerlingen van de school staan in dit bestand. Is dit het bestand van de hele school, en van jouw school?",
	                              "Careful: only %s of the school's %s students are in this file. Is this the whole school's file, and your school's?" },
	        [MSG_GUARD_CHECK] = { "Ik heb dit gecontroleerd: het bestand klopt.",
	                              "I have checked this: the file is right." },
	        [MSG_GUARD_NEEDED] = { "Vink eerst aan dat je het bestand hebt gecontroleerd.",
	                               "First tick that you have checked the file." },
	        [MSG_CONFIRM] = { "Bevestigen", "Confirm" },
	        [MSG_CANCEL] = { "Annuleren", "Cancel" },
	        [MSG_NOTHING_CHANGES] = { "Dit bestand verandert niets: alle leerlingen staan al zo bij de bibliotheek.",
	                                  "This file changes nothing: every student is already recorded like this." },
	        [MSG_CONFLICT] = { "De leerlingen van je school zijn gewijzigd sinds dit overzicht is gemaakt. Er is niets doorgevoerd. Upload het bestand opnieuw.",
	                           "Your school's students changed since this overview was made. Nothing was applied. Upload the file again." },
	        [MSG_UNDO] = { "Ongedaan maken", "Undo" },
	        [MSG_UNDO_TITLE] = { "Upload ongedaan maken?",
	                             "Undo this upload?" },
	        [MSG_UNDO_BODY] = { "Alle wijzigingen van deze upload worden teruggedraaid: de leerlingen staan daarna weer zoals ervoor.",
	                            "All changes of this upload are reversed: the students are then recorded as they were before." },
	        [MSG_UNDO_NOT_LAST] = { "Alleen de laatste doorgevoerde upload kan ongedaan worden gemaakt.",
	                                "Only the last applied upload can be undone." },
	        [MSG_DONE_UNDO] = { "De upload is ongedaan gemaakt.",
	                            "The upload has been undone." },
	        [MSG_RESULT_NEXT] = { "Naar eerdere uploads",
	                              "To earlier uploads" },
	        [MSG_COL_FILE] = { "Bestand", "File" },
	        [MSG_COL_BY] = { "Door", "By" },
	        [MSG_COL_CHANGES] = { "Wijzigingen", "Changes" },
	        [MSG_COL_LAST_IMPORT] = { "Laatste upload", "Last upload" },
	        [MSG_STATE_PREVIEW] = { "nog niet bevestigd",
	                                "not yet confirmed" },
	        [MSG_STATE_APPLIED] = { "doorgevoerd", "applied" },
	        [MSG_STATE_CANCELLED] = { "geannuleerd", "cancelled" },
	        [MSG_STATE_EXPIRED] = { "verlopen", "expired" },
	        [MSG_STATE_UNDONE] = { "ongedaan gemaakt", "undone" },
	        [MSG_VIEW] = { "Bekijken", "View" },
	        [MSG_UNREADABLE] = { "Dit bestand kan niet worden gelezen.",
	                             "This file cannot be read." },
	        [MSG_HELP_PARNASSYS_BODY] = { "<p>In ParnasSys maak je het overzicht met de leerlingen van de hele school:</p><ol><li>Ga naar "
	                                      "<strong>Leerling</strong> &gt; <strong>Overzichten</strong> en kies een leerlingoverzicht van de hele school (alle groepen).</li><li>Kies deze kolommen: <strong>Leerlingnummer</strong>, "
	                                      "<strong>Roepnaam</strong>, <strong>Tussenvoegsel</strong>, "
	                                      "<strong>Achternaam</strong>, <strong>Geboortedatum</strong>, "
	                                      "<strong>Groep</strong> en als het kan "
	                                      "<strong>Jaargroep</strong>.</li><li>Exporteer het overzicht naar Excel en sla het op.</li><li>Upload het bestand hier. Titelregels boven de kolomnamen zijn geen probleem.</li></ol><p>Heeft het overzicht meer kolommen, zoals BSN of adres? Die worden niet opgeslagen; haal ze liever weg voordat je uploadt.</p>",
	                                      "<p>In ParnasSys you make the export with the students of the whole school:</p><ol><li>Go to "
	                                      "<strong>Leerling</strong> &gt; <strong>Overzichten</strong> and choose a student overview of the whole school (all groups).</li><li>Choose these columns: <strong>Leerlingnummer</strong>, "
	                                      "<strong>Roepnaam</strong>, <strong>Tussenvoegsel</strong>, "
	                                      "<strong>Achternaam</strong>, <strong>Geboortedatum</strong>, "
	                                      "<strong>Groep</strong> and if possible "
	                                      "<strong>Jaargroep</strong>.</li><li>Export the overview to Excel and save it.</li><li>Upload the file here. Title rows above the column names are fine.</li></ol><p>Does the overview have more columns, such as BSN or address? They are not stored; better remove them before uploading.</p>" },
	        [MSG_HELP_ESIS_BODY] = { "<p>In ESIS maak je een lijst met de leerlingen van de hele school:</p><ol><li>Open de leerlingenlijst van de school en kies alle groepen.</li><li>Zorg dat deze kolommen erin staan: <strong>Stamnummer</strong> of <strong>Leerlingnummer</strong>, "
	                                 "<strong>Roepnaam</strong>, <strong>Tussenvoegsel</strong>, "
	                                 "<strong>Achternaam</strong>, <strong>Geboortedatum</strong> en "
	                                 "<strong>Groep</strong> (of Klas).</li><li>Exporteer de lijst naar Excel of als CSV-bestand.</li><li>Upload het bestand hier. Als Excel de nullen aan het begin van leerlingnummers heeft weggelaten, worden de leerlingen toch herkend.</li></ol>",
	                                 "<p>In ESIS you make a list of the students of the whole school:</p><ol><li>Open the school's student list and choose all groups.</li><li>Make sure it has these columns: <strong>Stamnummer</strong> or <strong>Leerlingnummer</strong>, "
	                                 "<strong>Roepnaam</strong>, <strong>Tussenvoegsel</strong>, "
	                                 "<strong>Achternaam</strong>, <strong>Geboortedatum</strong> and "
	                                 "<strong>Groep</strong> (or Klas).</li><li>Export the list to Excel or as a CSV file.</li><li>Upload the file here. If Excel dropped the zeros at the start of student numbers, the students are still recognised.</li></ol>" },
	        [MSG_HELP_DOTCOM_BODY] = { "<p>In Dotcom (SchoolOAS) maak je een leerlinglijst van de hele school:</p><ol><li>Kies de lijst met alle leerlingen van de school.</li><li>Zorg dat deze kolommen erin staan: <strong>Leerlingnummer</strong>, "
	                                   "<strong>Naam</strong> (Dotcom schrijft die als \"Achternaam, Roepnaam tussenvoegsel\"; dat is goed), <strong>Geboortedatum</strong> en <strong>Groep</strong>.</li><li>Bewaar de lijst als Excel-bestand (.xls of .xlsx).</li><li>Upload het bestand hier.</li></ol>",
	                                   "<p>In Dotcom (SchoolOAS) you make a student list of the whole school:</p><ol><li>Choose the list of all students of the school.</li><li>Make sure it has these columns: <strong>Leerlingnummer</strong>, "
	                                   "<strong>Naam</strong> (Dotcom writes it as \"Achternaam, Roepnaam tussenvoegsel\"; that is fine), <strong>Geboortedatum</strong> and <strong>Groep</strong>.</li><li>Save the list as an Excel file (.xls or .xlsx).</li><li>Upload the file here.</li></ol>" },
	        [MSG_LIBRARY_IMPORTS] = { "Uploads van alle scholen",
	                                  "Uploads of all schools" },
	        [MSG_OTHER_CHANGES] = { "overige wijzigingen",
	                                "other changes" },
	        [MSG_TO_HOME] = { "Naar de startpagina", "To the home page" },
	        /* account, login and help (issue 10) */
	        [MSG_PASSWORD_CHANGED_UPLOAD] = { "Je wachtwoord is gewijzigd. Je kunt nu het leerlingbestand uploaden.", "Your password has been changed. You can now upload the student list." },
	        [MSG_PW_WRONG_OTP] = { "Het eenmalige wachtwoord klopt niet. Typ het precies over zoals je het van de bibliotheek hebt gekregen, met de streepjes.",
	                               "The one-time password is not correct. Type it exactly as the library gave it to you, with the dashes." },
	        [MSG_FORGOT_TITLE] = { "Wachtwoord vergeten?",
	                               "Forgot your password?" },
	        [MSG_FORGOT_BODY] = { "Vraag de bibliotheek om een nieuw eenmalig wachtwoord. Daarmee meld je je aan en kies je daarna weer een eigen wachtwoord.",
	                              "Ask the library for a new one-time password. Log in with it, then choose your own password again." },
	        [MSG_FORGOT_THROTTLED_LINK] = { "Wachtwoord vergeten? Vraag de bibliotheek om een nieuw wachtwoord.",
	                                        "Forgot your password? Ask the library for a new one." },
	        [MSG_CONTACT_PHONE] = { "Telefoon", "Phone" },
	        [MSG_CONTACT_EMAIL] = { "E-mail", "Email" },
	        /* (markup) */
	        [MSG_HELP_LOGIN_WHY] = { "<h2>Waarom niet gewoon mailen?</h2>"
	                                 "<p>Een leerlingbestand bevat persoonsgegevens van kinderen. Volgens de AVG mag zo'n bestand niet per e-mail worden verstuurd. Via deze beveiligde website komt het veilig bij de bibliotheek aan.</p>",
	                                 "<h2>Why not just e-mail it?</h2>"
	                                 "<p>A student list holds personal data of children. Under the GDPR such a file may not be sent by e-mail. Through this secure website it reaches the library safely.</p>" },
	        [MSG_MORE_HELP] = { "Meer hulp", "More help" },
	        [MSG_HELP_UPLOAD_TITLE] = { "Uploaden en het overzicht lezen",
	                                    "Uploading and reading the overview" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_INTRO] = { "<p>Eens per jaar lever je de leerlingenlijst van de hele school aan. Daarmee schrijft de bibliotheek nieuwe leerlingen in, schrijft ze leerlingen uit die van school zijn, en zet ze iedereen in de nieuwe groep.</p>",
	                                    "<p>Once a year you hand in the list of students of the whole school. With it the library enrols new students, unenrols students who have left the school, and moves everyone to their new group.</p>" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_FILE] = { "<h2 id=\"bestand\">1. Welk bestand?</h2><p>Maak in je leerlingadministratie een overzicht van <strong>alle leerlingen van de hele school</strong>, met het leerlingnummer, de naam (roepnaam, tussenvoegsel en achternaam), de geboortedatum en de groep. Hoe dat gaat, lees je bij <a href=\"/help/parnassys\">ParnasSys</a>, <a href=\"/help/esis\">ESIS</a> en <a href=\"/help/dotcom\">Dotcom</a>.</p><p>Een Excel-bestand (.xlsx of .xls), een OpenOffice-bestand (.ods), een CSV-bestand en het EDEXML-bestand (.xml) uit je leerlingadministratie zijn allemaal goed. Staan er meer kolommen in, zoals BSN of adres? Die worden niet opgeslagen. Mail het bestand nooit: lever het alleen hier aan.</p>",
	                                   "<h2 id=\"bestand\">1. Which file?</h2><p>In your student administration, make an overview of <strong>all students of the whole school</strong>, with the student number, the name (first name, prefix and surname), the date of birth and the group. How to do that is explained for <a href=\"/help/parnassys\">ParnasSys</a>, <a href=\"/help/esis\">ESIS</a> and <a href=\"/help/dotcom\">Dotcom</a>.</p><p>An Excel file (.xlsx or .xls), an OpenOffice file (.ods), a CSV file and the EDEXML file (.xml) from your student administration are all fine. Does it have more columns, such as BSN or address? They are not stored. Never e-mail the file: hand it in here only.</p>" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_HOW] = { "<h2 id=\"uploaden\">2. Uploaden</h2><ol><li>Meld je aan en kies in het menu <strong>Upload Leerlingbestand</strong>.</li><li>Kies het bestand met de knop, of sleep het naar het vak.</li><li>Kies <strong>Bestand controleren</strong>.</li></ol><p>Er verandert dan nog niets. Je ziet eerst een overzicht van wat er zou veranderen.</p>",
	                                  "<h2 id=\"uploaden\">2. Uploading</h2><ol><li>Log in and choose <strong>Upload student list</strong> in the menu.</li><li>Choose the file with the button, or drag it onto the box.</li><li>Choose <strong>Check the file</strong>.</li></ol><p>Nothing changes yet. First you see an overview of what would change.</p>" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_READ] = { "<h2 id=\"overzicht\">3. Het overzicht lezen</h2><ul><li><strong>Bovenaan</strong> staat in een paar zinnen wat er verandert, met het aantal leerlingen per soort wijziging.</li><li><strong>Groepen</strong>: hoeveel leerlingen er in elke groep zitten, voor en na deze upload, en hoeveel leerlingen van welke groep naar welke groep gaan.</li><li><strong>Nieuw</strong>: leerlingen die de bibliotheek nog niet kent. Zij worden ingeschreven.</li><li><strong>Uitgeschreven</strong>: leerlingen die niet meer in het bestand staan, zoals de kinderen van groep 8 die van school zijn gegaan. Zij worden uitgeschreven.</li><li><strong>Nieuwe groep</strong>: leerlingen die naar een andere groep gaan.</li><li><strong>Gegevens gewijzigd</strong>: een naam of geboortedatum is verbeterd. Je ziet wat het was en wat het wordt.</li><li><strong>Herinschrijving</strong> of <strong>nieuw leerlingnummer</strong>: een kind dat eerder op school zat en terug is, of een kind dat een ander nummer heeft gekregen. Het blijft bij de bibliotheek hetzelfde kind.</li><li><strong>Fouten en waarschuwingen</strong>: met het rijnummer in je bestand en wat je eraan kunt doen. Een <strong>fout</strong> los je eerst op, in je leerlingadministratie of in het bestand; upload het bestand daarna opnieuw. Een leerling met een fout in de rij blijft zoals hij was. Bij <strong>Let op</strong> kun je verder, maar kijk even of het klopt.</li><li>Onderaan staat welke kolommen uit je bestand zijn gebruikt, en welke niet worden opgeslagen.</li></ul>",
	                                   "<h2 id=\"overzicht\">3. Reading the overview</h2><ul><li><strong>At the top</strong> a few sentences say what changes, with the number of students for each kind of change.</li><li><strong>Groups</strong>: how many students each group has, before and after this upload, and how many students move from which group to which.</li><li><strong>New</strong>: students the library does not know yet. They are enrolled.</li><li><strong>Unenrolled</strong>: students who are no longer in the file, such as the children of group 8 who have left the school. They are unenrolled.</li><li><strong>New group</strong>: students who move to another group.</li><li><strong>Details corrected</strong>: a name or date of birth was corrected. You see what it was and what it becomes.</li><li><strong>Re-enrolled</strong> or <strong>new student number</strong>: a child who was at the school before and has come back, or a child who got another number. To the library it stays the same child.</li><li><strong>Errors and warnings</strong>: with the row number in your file and what you can do about it. Fix an <strong>error</strong> first, in your student administration or in the file, then upload the file again. A student whose row has an error stays as they were. With a <strong>warning</strong> you can go on, but check that it is right.</li><li>At the bottom you see which columns of your file were used, and which are not stored.</li></ul>" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_GUARD] = { "<h2 id=\"controle\">4. Een extra controle</h2><p>Lijkt het bestand niet op de leerlingen van jouw school, of zou deze upload veel leerlingen uitschrijven? Dan zie je bovenaan een rode melding. Meestal is dan het verkeerde bestand gekozen, bijvoorbeeld de lijst van één groep of van een andere school. Kies dan <strong>Annuleren</strong> en upload het goede bestand. Klopt het toch, bijvoorbeeld omdat veel leerlingen echt van school zijn? Vink dan aan dat je het hebt gecontroleerd, en bevestig.</p>",
	                                    "<h2 id=\"controle\">4. An extra check</h2><p>Does the file not look like the students of your school, or would this upload unenrol many students? Then a red message appears at the top. Usually the wrong file was chosen, for example the list of one group or of another school. Then choose <strong>Cancel</strong> and upload the right file. Is it right after all, for example because many students really left? Then tick that you have checked it, and confirm.</p>" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_DECIDE] = { "<h2 id=\"bevestigen\">5. Bevestigen of annuleren</h2><p>Klopt alles? Kies <strong>Bevestigen</strong>. Alle wijzigingen worden dan in \xc3\xa9\xc3\xa9n keer doorgevoerd; de bibliotheek verwerkt ze daarna in haar eigen systeem. Klopt het niet? Kies <strong>Annuleren</strong>: er verandert niets. Een overzicht dat je niet bevestigt, vervalt vanzelf en wordt gewist.</p><p>Staat er dat de leerlingen van je school zijn gewijzigd sinds het overzicht is gemaakt? Upload het bestand dan opnieuw.</p>",
	                                     "<h2 id=\"bevestigen\">5. Confirm or cancel</h2><p>Is everything right? Choose <strong>Confirm</strong>. All changes are then made at once; the library then processes them in its own system. Not right? Choose <strong>Cancel</strong>: nothing changes. An overview you do not confirm expires by itself and is deleted.</p><p>Does the page say that your school's students changed since the overview was made? Then upload the file again.</p>" },
	        /* (markup) */
	        [MSG_HELP_UPLOAD_UNDO] = { "<h2 id=\"ongedaan-maken\">6. Ongedaan maken</h2><p>Toch een vergissing? Ga naar <strong>Eerdere uploads</strong>, open de laatste upload die is doorgevoerd en kies <strong>Ongedaan maken</strong>. De leerlingen staan daarna weer zoals ervoor. Alleen de laatste upload kan ongedaan worden gemaakt.</p>",
	                                   "<h2 id=\"ongedaan-maken\">6. Undo</h2><p>A mistake after all? Go to <strong>Earlier uploads</strong>, open the last upload that was applied and choose <strong>Undo</strong>. The students are then recorded as they were before. Only the last upload can be undone.</p>" },
	        [MSG_QUESTIONS] = { "Vragen?", "Questions?" },
	        [MSG_QUESTIONS_BODY] = { "Kom je er niet uit? Neem contact op met de bibliotheek.",
	                                 "Stuck? Contact the library." },
	        [MSG_TO_UPLOAD] = { "Naar Upload Leerlingbestand",
	                            "To Upload student list" },
        };

const char *
msg(enum lang lang, enum msg m)
{
	if ((unsigned)m >= MSG__MAX)
		return "";
	return lang_pick(table[m], lang);
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
