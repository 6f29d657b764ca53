/*
 * The API's errors: one row each with the HTTP status, the code word a
 * program tests (stable: never rename, only add) and the message a person
 * reads, in Dutch and English, saying what to do.  Every error is sent
 * the same way: {"error": word, "message": text}, plus "parameter" for a
 * bad query parameter.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_int.h"

struct api_error_row {
	int status;
	const char *word;
	const char *param; /* the query parameter it is about, or NULL */
	const char *const text[LANG__MAX];
};

static const struct api_error_row rows[API_ERR__MAX] = {
	[API_ERR_UNAUTHORIZED] = { 401,
	                           "unauthorized",
	                           NULL,
	                           { "Geef een geldige API-sleutel mee in de kop Authorization:"
	                             " Bearer gevolgd door de sleutel. Een nieuwe sleutel maakt"
	                             " de bibliotheek aan in haar beheeromgeving.",
	                             "Send a valid API key in the Authorization header: Bearer"
	                             " followed by the key. The library makes a new key in its"
	                             " management area." } },
	[API_ERR_NOT_FOUND] = { 404,
	                        "not_found",
	                        NULL,
	                        { "Dit adres bestaat niet in de API. Wat er wel is, staat in"
	                          " /api/v1/openapi.json.",
	                          "This address does not exist in the API. What does is"
	                          " listed in /api/v1/openapi.json." } },
	[API_ERR_SCHOOL_NOT_FOUND] = { 404,
	                               "school_not_found",
	                               NULL,
	                               { "Uw bibliotheek heeft geen school met deze naam in het adres."
	                                 " Vraag de scholen op met /api/v1/schools en gebruik het"
	                                 " veld slug.",
	                                 "Your library has no school with this name in the address."
	                                 " List the schools with /api/v1/schools and use the field"
	                                 " slug." } },
	[API_ERR_METHOD] = { 405,
	                     "method_not_allowed",
	                     NULL,
	                     { "De API leest alleen: gebruik GET (of HEAD).",
	                       "The API only reads: use GET (or HEAD)." } },
	[API_ERR_RATE_LIMITED] = { 429,
	                           "rate_limited",
	                           NULL,
	                           { "Te veel verzoeken met deze sleutel. Wacht het aantal"
	                             " seconden uit de kop Retry-After en probeer het dan"
	                             " opnieuw.",
	                             "Too many requests with this key. Wait the number of"
	                             " seconds in the Retry-After header, then try again." } },
	[API_ERR_BAD_SINCE] = { 400,
	                        "bad_parameter",
	                        "since",
	                        { "De parameter since is geen cursor van deze API. Geef de"
	                          " waarde van next uit een eerder antwoord, of laat since weg"
	                          " om bij het begin te beginnen.",
	                          "The parameter since is not a cursor of this API. Pass the"
	                          " value of next from an earlier answer, or leave since out"
	                          " to start at the beginning." } },
	[API_ERR_BAD_LIMIT] = { 400,
	                        "bad_parameter",
	                        "limit",
	                        { "De parameter limit moet een heel getal van 1 tot en met"
	                          " 1000 zijn.",
	                          "The parameter limit must be a whole number from 1 to"
	                          " 1000." } },
	[API_ERR_BAD_SCHOOL] = { 400,
	                         "bad_parameter",
	                         "school",
	                         { "De parameter school moet het veld slug van een school uit"
	                           " /api/v1/schools zijn.",
	                           "The parameter school must be the field slug of a school"
	                           " from /api/v1/schools." } },
	[API_ERR_BUSY] = { 503,
	                   "busy",
	                   NULL,
	                   { "De database is even bezet. Probeer het over een paar"
	                     " seconden opnieuw.",
	                     "The database is busy. Try again in a few seconds." } },
	[API_ERR_INTERNAL] = { 500,
	                       "internal",
	                       NULL,
	                       { "Er ging iets mis in biebsync. Probeer het later opnieuw;"
	                         " blijft het misgaan, meld het dan bij de bibliotheek.",
	                         "Something went wrong in biebsync. Try again later; if it"
	                         " keeps failing, tell the library." } },
};

const char *
api_error_word(enum api_error e)
{
	return e < API_ERR__MAX ? rows[e].word : "internal";
}

int
api_error_status(enum api_error e)
{
	return e < API_ERR__MAX ? rows[e].status : 500;
}

const char *
api_error_message(enum api_error e, enum lang lang)
{
	return lang_pick(rows[e < API_ERR__MAX ? e : API_ERR_INTERNAL].text,
	                 lang);
}

void
api_error(struct api_call *c, enum api_error e, int64_t retry_after)
{
	struct http_response *resp = c->resp;
	const struct api_error_row *r =
	        &rows[e < API_ERR__MAX ? e : API_ERR_INTERNAL];
	struct json j;
	char secs[24];

	for (int i = 0; i < resp->nheaders; i++) {
		/* a download or a page begun before the failure: nothing of
		 * it stays */
		free(resp->headers[i][0]);
		free(resp->headers[i][1]);
	}
	resp->nheaders = 0;
	buf_release(&resp->body);
	buf_init(&resp->body, 64 * 1024);
	resp->status = r->status;
	resp->content_type = "application/json; charset=utf-8";
	if (e == API_ERR_UNAUTHORIZED)
		http_add_header(resp, "WWW-Authenticate",
		                "Bearer realm=\"biebsync\"");
	if (e == API_ERR_METHOD)
		http_add_header(resp, "Allow", "GET, HEAD");
	if (retry_after > 0) {
		snprintf(secs, sizeof(secs), "%" PRId64, retry_after);
		http_add_header(resp, "Retry-After", secs);
	}
	json_init(&j, &resp->body);
	json_object(&j, NULL);
	json_str(&j, "error", r->word);
	json_str(&j, "message", lang_pick(r->text, c->lang));
	if (r->param != NULL)
		json_str(&j, "parameter", r->param);
	json_end(&j);
	buf_addc(&resp->body, '\n');
}

void
api_store_error(struct api_call *c, enum err e)
{
	if (e == ERR_BUSY)
		api_error(c, API_ERR_BUSY, 5);
	else
		api_error(c, API_ERR_INTERNAL, 0);
}
