/*
 * The fast path for large XML parts (src/sheet/xmlscan.c) against expat:
 * for each feature of the subset it reads, the handlers get the same calls
 * from both, whether the document arrives whole, byte by byte or split in
 * two at any point; for everything outside the subset the scanner gives up
 * (x->fallback) having made only a start of expat's calls, and expat's
 * verdict is the one a user gets.  The last tests read whole workbooks
 * whose worksheet or shared strings make the scanner give up half-way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "dump.h"
#include "xmllog.h"
#include "zipw.h"

/* Documents up to this size are fed split at every point; larger ones in
 * a few chunk sizes. */
#define EVERY_SPLIT_MAX 4096

/* Feed doc to the fast path in chunks of sizes (see xmllog_fast) and check
 * the result: the calls want, or (want NULL) a fallback after a start of
 * expat's calls elog. */
static void
fast_once(const char *doc, size_t n, const size_t *sizes, size_t nsizes,
          const char *want, const char *elog, const char *how)
{
	struct sheet_book b;
	struct xmllog l;
	bool fallback;
	enum err rc;

	xmllog_book(&b);
	xmllog_init(&l);
	rc = xmllog_fast(&b, doc, n, sizes, nsizes, &l, &fallback);
	if (want != NULL) {
		xmllog_flush(&l);
		if (fallback || rc != ERR_OK)
			fail_msg("%s: the fast path gave up (rc %d)", how,
			         (int)rc);
		if (strcmp(l.log.data, want) != 0)
			fail_msg("%s: got\n  %s\nwant\n  %s", how, l.log.data,
			         want);
	} else {
		if (!fallback || rc != ERR_STATE)
			fail_msg("%s: no fallback (rc %d), got\n  %s", how,
			         (int)rc, l.log.data);
		if (!xmllog_is_prefix(&l, elog))
			fail_msg(
			        "%s: before the fallback\n  %s%s\nis not the start of expat's\n  %s",
			        how, l.log.data, l.text.data, elog);
	}
	xmllog_release(&l);
}

/* fast_once in every chunking. */
static void
fast_every_way(const char *doc, size_t n, const char *want, const char *elog)
{
	size_t whole = n > 0 ? n : 1, one = 1;
	char how[64];

	fast_once(doc, n, &whole, 1, want, elog, "whole");
	if (n > EVERY_SPLIT_MAX) {
		static const size_t big[] = { 4096, 7777, 65536 };

		for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
			snprintf(how, sizeof(how), "chunks of %zu", big[i]);
			fast_once(doc, n, &big[i], 1, want, elog, how);
		}
		return;
	}
	fast_once(doc, n, &one, 1, want, elog, "byte by byte");
	for (size_t k = 1; k < n; k++) {
		size_t two[2] = { k, n - k };

		snprintf(how, sizeof(how), "split at %zu", k);
		fast_once(doc, n, two, 2, want, elog, how);
	}
}

/* Expat's verdict on doc: the problem (SHEET_OK: accepted) and, when want
 * is not NULL, the calls; returns the calls (free them). */
static char *
expat_says(const char *doc, size_t n, enum sheet_problem problem,
           const char *want)
{
	struct sheet_book b;
	struct sheet_error e;
	struct xmllog l;
	enum err rc;
	char *log;

	xmllog_book(&b);
	xmllog_init(&l);
	rc = xmllog_expat(&b, doc, n, &l, &e);
	if (problem == SHEET_OK && rc != ERR_OK)
		fail_msg("expat refused: %s", e.detail);
	if (problem != SHEET_OK && (rc == ERR_OK || e.problem != problem))
		fail_msg("expat: rc %d, problem %d (%s), want problem %d",
		         (int)rc, (int)e.problem, e.detail, (int)problem);
	if (want != NULL && strcmp(l.log.data, want) != 0)
		fail_msg("expat: got\n  %s\nwant\n  %s", l.log.data, want);
	log = buf_detach(&l.log, NULL);
	xmllog_release(&l);
	return log;
}

/* Both paths give the calls want, in every chunking. */
static void
same_n(const char *doc, size_t n, const char *want)
{
	free(expat_says(doc, n, SHEET_OK, want));
	fast_every_way(doc, n, want, NULL);
}

static void
same(const char *doc, const char *want)
{
	same_n(doc, strlen(doc), want);
}

/* The fast path gives up in every chunking; expat then decides: problem
 * (SHEET_OK: it reads, with the calls want when not NULL). */
static void
fallback_n(const char *doc, size_t n, enum sheet_problem problem,
           const char *want)
{
	char *elog = expat_says(doc, n, problem, want);

	fast_every_way(doc, n, NULL, elog);
	free(elog);
}

static void
fallback(const char *doc, enum sheet_problem problem, const char *want)
{
	fallback_n(doc, strlen(doc), problem, want);
}

/* ------------------------------------------------------------------ */
/* the subset */

static void
test_worksheet_row(void **state)
{
	(void)state;
	same("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>12"
	     "</v></c></row></sheetData></worksheet>",
	     "S:worksheet|S:sheetData|S:row r=1|S:c r=A1 t=s|S:v|T:12|E:v|E:c|E:row|E:sheetData|E:worksheet|");
}

static void
test_byte_order_mark(void **state)
{
	(void)state;
	same("\xef\xbb\xbf<a>x</a>", "S:a|T:x|E:a|");
	same("\xef\xbb\xbf<?xml version=\"1.0\"?><a>x</a>", "S:a|T:x|E:a|");
}

static void
test_xml_declaration_variants(void **state)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\"?><a/>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
		"\r\n<a/>",
		"<?xml version=\"1.0\" standalone=\"no\"?><a/>",
		"<?xml version='1.0' encoding='utf-8' standalone='yes'?><a/>",
		"<?xml version=\"1.0\" encoding=\"Utf-8\" ?>\n\n<a/>\n",
		"<?xml\tversion=\"1.0\"?><a/>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		same(docs[i], "S:a|E:a|");
}

static void
test_other_encoding_falls_back(void **state)
{
	(void)state;
	/* expat reads Latin-1 and US-ASCII itself, and reports UTF-8 */
	fallback("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>",
	         SHEET_OK, "S:a|T:\xc3\xa9|E:a|");
	fallback("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a>x</a>",
	         SHEET_OK, "S:a|T:x|E:a|");
	fallback("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>",
	         SHEET_P_BROKEN, NULL);
	fallback_n("\xff\xfe<\0a\0/\0>\0", 10, SHEET_OK, "S:a|E:a|");
}

static void
test_odd_declarations_fall_back(void **state)
{
	(void)state;
	/* well-formed, but written differently from what the scanner knows */
	fallback("<?xml version = \"1.0\"?><a/>", SHEET_OK, "S:a|E:a|");
	fallback("<?xml  version=\"1.0\"?><a/>", SHEET_OK, "S:a|E:a|");
	fallback("<?xml version=\"1.1\" encoding=\"UTF-8\"?><a/>", SHEET_OK,
	         "S:a|E:a|");
	/* not well-formed */
	fallback("<?xml encoding=\"UTF-8\"?><a/>", SHEET_P_BROKEN, NULL);
	fallback(
	        "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><a/>",
	        SHEET_P_BROKEN, NULL);
	fallback("<?xml version=\"1.0\" standalone=\"maybe\"?><a/>",
	         SHEET_P_BROKEN, NULL);
	fallback("<?xml version=\"1.0\"encoding=\"UTF-8\"?><a/>",
	         SHEET_P_BROKEN, NULL);
	fallback(" <?xml version=\"1.0\"?><a/>", SHEET_P_BROKEN, NULL);
	fallback("<a/><?xml version=\"1.0\"?>", SHEET_P_BROKEN, NULL);
}

static void
test_default_namespace(void **state)
{
	(void)state;
	same("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData/></worksheet>",
	     "S:worksheet|S:sheetData|E:sheetData|E:worksheet|");
	/* strict OOXML, and a default namespace undeclared inside */
	same("<worksheet xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><a xmlns=\"\"><b/></a></worksheet>",
	     "S:worksheet|S:a|S:b|E:b|E:a|E:worksheet|");
}

static void
test_prefixed_elements_and_attributes(void **state)
{
	(void)state;
	same("<x:worksheet xmlns:x=\"urn:main\" xmlns:mc=\"urn:mc\" xmlns:x14ac=\"urn:ac\" mc:Ignorable=\"x14ac\"><x:sheetData>"
	     "<x:row r=\"1\" spans=\"1:2\" x14ac:dyDescent=\"0.25\"/>"
	     "</x:sheetData></x:worksheet>",
	     "S:worksheet Ignorable=x14ac|S:sheetData|S:row r=1 spans=1:2 dyDescent=0.25|E:row|E:sheetData|E:worksheet|");
	/* the element's own declaration binds its prefix */
	same("<p:a xmlns:p=\"urn:p\" p:v=\"1\"/>", "S:a v=1|E:a|");
	/* an unprefixed and a prefixed attribute of the same local name */
	same("<a xmlns:p=\"urn:p\" v=\"1\" p:v=\"2\"/>", "S:a v=1 v=2|E:a|");
}

static void
test_namespace_scope(void **state)
{
	(void)state;
	/* a prefix bound on a nested element, again to another URI */
	same("<a><b xmlns:p=\"urn:p\"><p:c p:x=\"1\"/></b>"
	     "<b xmlns:p=\"urn:q\"><p:c/></b></a>",
	     "S:a|S:b|S:c x=1|E:c|E:b|S:b|S:c|E:c|E:b|E:a|");
	/* out of scope after its element: unbound */
	fallback("<a><b xmlns:p=\"urn:p\"><p:c/></b><p:c/></a>", SHEET_P_BROKEN,
	         NULL);
	fallback("<a><b xmlns:p=\"urn:p\"/><c p:x=\"1\"/></a>", SHEET_P_BROKEN,
	         NULL);
}

static void
test_xml_prefix(void **state)
{
	(void)state;
	same("<si><t xml:space=\"preserve\"> a  b </t></si>",
	     "S:si|S:t space=preserve|T: a  b |E:t|E:si|");
	/* the xml prefix on an element is bound, but not by the scanner */
	fallback("<xml:a/>", SHEET_OK, "S:a|E:a|");
}

static void
test_namespace_declarations_expat_refuses(void **state)
{
	(void)state;
	fallback("<a xmlns:p=\"\"/>", SHEET_P_BROKEN, NULL);
	fallback("<a xmlns:xmlns=\"urn:x\"/>", SHEET_P_BROKEN, NULL);
	fallback("<a xmlns:xml=\"urn:x\"/>", SHEET_P_BROKEN, NULL);
	fallback("<xmlns:a/>", SHEET_P_BROKEN, NULL);
	/* the URIs of the xml and xmlns prefixes bound to another */
	fallback("<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>",
	         SHEET_P_BROKEN, NULL);
	fallback("<a xmlns=\"http://www.w3.org/2000/xmlns/\"/>", SHEET_P_BROKEN,
	         NULL);
	fallback("<a xmlns:p=\"http://www.w3.org/XML/1998/namespace\"/>",
	         SHEET_P_BROKEN, NULL);
	fallback("<a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>",
	         SHEET_P_BROKEN, NULL);
}

static void
test_predefined_entities(void **state)
{
	(void)state;
	same("<a v=\"&lt;&gt;&amp;&quot;&apos;\">&lt;&gt;&amp;&quot;&apos;"
	     "</a>",
	     "S:a v=<>&\"'|T:<>&\"'|E:a|");
	same("<a>AT&amp;T &lt;b&gt;</a>", "S:a|T:AT&T <b>|E:a|");
}

static void
test_character_references(void **state)
{
	(void)state;
	same("<a>&#65;&#x42;&#x63;&#233;&#xE9;&#x20AC;&#128512;&#x1F600;&#x10FFFF;</a>",
	     "S:a|T:ABc\xc3\xa9\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf|E:a|");
	/* references to white space are kept as they are, also in values */
	same("<a v=\"1&#9;2&#10;3&#13;4&#32;5\">1&#9;2&#10;3&#13;4</a>",
	     "S:a v=1%092%0A3%0D4%205|T:1%092%0A3%0D4|E:a|");
	/* leading zeros the scanner does not bother with */
	fallback("<a>&#x00000000041;</a>", SHEET_OK, "S:a|T:A|E:a|");
}

static void
test_bad_references_fall_back(void **state)
{
	static const char *const docs[] = {
		"<a>&nbsp;</a>",     "<a>&#0;</a>",     "<a>&#xD800;</a>",
		"<a>&#x110000;</a>", "<a>&#xFFFE;</a>", "<a>&#X41;</a>",
		"<a>&#;</a>",        "<a>&#x;</a>",     "<a>&#65</a>",
		"<a>&amp</a>",       "<a>& </a>",       "<a v=\"&foo;\"/>",
		"<a v=\"&#1;\"/>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		fallback(docs[i], SHEET_P_BROKEN, NULL);
}

static void
test_line_ends_in_text(void **state)
{
	(void)state;
	same("<a>x\r\ny\rz\r\r\n\n</a>", "S:a|T:x%0Ay%0Az%0A%0A%0A|E:a|");
	same("<a>\r\r</a>", "S:a|T:%0A%0A|E:a|");
	same("<a>\r<b/>\n\r</a>", "S:a|T:%0A|S:b|E:b|T:%0A%0A|E:a|");
	same("<a>\tx\t</a>", "S:a|T:%09x%09|E:a|");
}

static void
test_white_space_in_attribute_values(void **state)
{
	(void)state;
	same("<a v=\"x\ty\nz\r\nw\rq\r\" w=\"\r\n\"/>",
	     "S:a v=x%20y%20z%20w%20q%20 w=%20|E:a|");
}

static void
test_both_quotes(void **state)
{
	(void)state;
	same("<a v='say \"hi\"' w=\"it's\" x='' y=\"\"/>",
	     "S:a v=say%20\"hi\" w=it's x= y=|E:a|");
	same("<a v='>]]>'/>", "S:a v=>]]>|E:a|");
}

static void
test_empty_elements(void **state)
{
	(void)state;
	same("<a><b/><c></c><d /><e\n/></a>",
	     "S:a|S:b|E:b|S:c|E:c|S:d|E:d|S:e|E:e|E:a|");
	same("<a/>     ", "S:a|E:a|");
}

static void
test_white_space_inside_tags(void **state)
{
	(void)state;
	same("<a\n  v = \"1\"\t w\r\n=\n'2' ><b\r/></a >\n",
	     "S:a v=1 w=2|S:b|E:b|E:a|");
	same("\n\t <a/> \r\n", "S:a|E:a|");
}

static void
test_text_and_names(void **state)
{
	(void)state;
	/* UTF-8 text, C1 controls and noncharacters other than U+FFFE/F,
	 * ']' and '>' alone, names with digits, dots, dashes, underscores */
	same("<_a.b-c1 d_2.x-y=\"\xc3\xa9\">Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\x85 \xef\xb7\x90 ]> ]] ]</_a.b-c1>",
	     "S:_a.b-c1 d_2.x-y=\xc3\xa9|T:Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\x85 \xef\xb7\x90 ]> ]] ]|E:_a.b-c1|");
}

/* A document of one element around text of n bytes (a short repeating
 * pattern with an escape and a multi-byte character now and then), and
 * the calls it gives. */
static char *
long_text_doc(size_t n, char **want)
{
	static const char pat[] = "row &amp; \xc3\xa9 ";
	static const char dec[] = "row & \xc3\xa9 ";
	struct buf d, w;

	buf_init(&d, 1u << 26);
	buf_init(&w, 1u << 26);
	buf_adds(&d, "<a>");
	buf_adds(&w, "S:a|T:");
	while (d.len < n) {
		buf_adds(&d, pat);
		buf_adds(&w, dec);
	}
	buf_adds(&d, "</a>");
	buf_adds(&w, "|E:a|");
	*want = buf_detach(&w, NULL);
	buf_release(&w);
	{
		char *s = buf_detach(&d, NULL);

		buf_release(&d);
		return s;
	}
}

static void
test_long_text_across_chunks(void **state)
{
	char *want, *doc;

	(void)state;
	/* longer than the scanner's first buffer (256 KiB) */
	doc = long_text_doc(600u << 10, &want);
	same(doc, want);
	free(doc);
	free(want);
}

static void
test_long_attribute_value_across_chunks(void **state)
{
	struct buf d, w;

	(void)state;
	buf_init(&d, 1u << 26);
	buf_init(&w, 1u << 26);
	buf_adds(&d, "<a v=\"");
	buf_adds(&w, "S:a v=");
	for (int i = 0; i < 40000; i++) {
		buf_adds(&d, "0123456789");
		buf_adds(&w, "0123456789");
	}
	buf_adds(&d, "\"/>");
	buf_adds(&w, "|E:a|");
	same(d.data, w.data);
	buf_release(&d);
	buf_release(&w);
}

static void
test_token_over_a_mebibyte_falls_back(void **state)
{
	static const size_t chunk = 64u << 10; /* as zip.c inflates */
	char *want, *doc, *elog;
	size_t n;

	(void)state;
	doc = long_text_doc((1u << 20) + (100u << 10), &want);
	n = strlen(doc);
	elog = expat_says(doc, n, SHEET_OK, want);
	fast_once(doc, n, &chunk, 1, NULL, elog, "text in 64 KiB chunks");
	free(elog);
	free(doc);
	free(want);
	/* a tag: one attribute value over the limit */
	{
		struct buf d;

		buf_init(&d, 1u << 26);
		buf_adds(&d, "<a><b v=\"");
		while (d.len < (1u << 20) + (100u << 10))
			buf_adds(&d, "0123456789");
		buf_adds(&d, "\"/></a>");
		elog = expat_says(d.data, d.len, SHEET_OK, NULL);
		fast_once(d.data, d.len, &chunk, 1, NULL, elog,
		          "tag in 64 KiB chunks");
		free(elog);
		buf_release(&d);
	}
}

static void
test_deep_nesting(void **state)
{
	struct buf d, w;

	(void)state;
	buf_init(&d, 1u << 20);
	buf_init(&w, 1u << 20);
	for (int i = 0; i < 64; i++) {
		buf_adds(&d, "<a>");
		buf_adds(&w, "S:a|");
	}
	for (int i = 0; i < 64; i++) {
		buf_adds(&d, "</a>");
		buf_adds(&w, "E:a|");
	}
	same(d.data, w.data);
	/* one more: the scanner gives up, expat refuses (limit 64) */
	buf_reset(&d);
	for (int i = 0; i < 65; i++)
		buf_adds(&d, "<a>");
	for (int i = 0; i < 65; i++)
		buf_adds(&d, "</a>");
	fallback(d.data, SHEET_P_TOO_BIG, NULL);
	buf_release(&d);
	buf_release(&w);
}

static void
test_long_names_deeply_nested(void **state)
{
	struct buf d, w;

	(void)state;
	/* more open names than the scanner's first stack of them holds */
	buf_init(&d, 1u << 20);
	buf_init(&w, 1u << 20);
	for (int i = 0; i < 60; i++) {
		buf_addf(
		        &d,
		        "<p:element-with-a-long-name-at-depth-%02d xmlns:p=\"urn:%d\">",
		        i, i);
		buf_addf(&w, "S:element-with-a-long-name-at-depth-%02d|", i);
	}
	for (int i = 59; i >= 0; i--) {
		buf_addf(&d, "</p:element-with-a-long-name-at-depth-%02d>", i);
		buf_addf(&w, "E:element-with-a-long-name-at-depth-%02d|", i);
	}
	same(d.data, w.data);
	buf_release(&d);
	buf_release(&w);
}

static void
test_many_prefixes_in_scope(void **state)
{
	struct buf d, w;

	(void)state;
	buf_init(&d, 1u << 20);
	buf_init(&w, 1u << 20);
	buf_adds(&d, "<a");
	for (int i = 0; i < 64; i++)
		buf_addf(&d, " xmlns:p%d=\"urn:%d\"", i, i);
	buf_adds(&d, "><p63:b/><p0:b/></a>");
	buf_adds(&w, "S:a|S:b|E:b|S:b|E:b|E:a|");
	same(d.data, w.data);
	/* one more, on a child: the scanner leaves it to expat */
	buf_reset(&d);
	buf_adds(&d, "<a");
	for (int i = 0; i < 64; i++)
		buf_addf(&d, " xmlns:p%d=\"urn:%d\"", i, i);
	buf_adds(&d, "><b xmlns:q=\"urn:q\"><q:c/></b></a>");
	fallback(d.data, SHEET_OK, "S:a|S:b|S:c|E:c|E:b|E:a|");
	buf_release(&d);
	buf_release(&w);
}

static void
test_nesting_limit_stops_both_alike(void **state)
{
	static const char doc[] = "<a><b>x<c><d>y</d></c></b></a>";
	struct sheet_book b;
	struct sheet_error e;
	struct xmllog l;
	size_t n = strlen(doc);
	bool fallback;

	(void)state;
	/* below the scanner's own 64, the limit stops it, as it does
	 * expat, after the same calls */
	xmllog_book(&b);
	b.lim.depth = 3;
	xmllog_init(&l);
	assert_int_equal(xmllog_expat(&b, doc, n, &l, &e), ERR_LIMIT);
	assert_int_equal(e.problem, SHEET_P_TOO_BIG);
	assert_string_equal(l.log.data, "S:a|S:b|T:x|S:c|");
	xmllog_release(&l);
	for (size_t k = 1; k <= n; k++) {
		size_t two[2] = { k, n };

		xmllog_init(&l);
		assert_int_equal(xmllog_fast(&b, doc, n, two, 2, &l, &fallback),
		                 ERR_LIMIT);
		assert_false(fallback);
		xmllog_flush(&l);
		assert_string_equal(l.log.data, "S:a|S:b|T:x|S:c|");
		xmllog_release(&l);
	}
}

static void
test_many_attributes(void **state)
{
	struct buf d, w;

	(void)state;
	buf_init(&d, 1u << 20);
	buf_init(&w, 1u << 20);
	buf_adds(&d, "<a");
	buf_adds(&w, "S:a");
	for (int i = 0; i < 64; i++) {
		buf_addf(&d, " v%d=\"%d\"", i, i);
		buf_addf(&w, " v%d=%d", i, i);
	}
	buf_adds(&d, "/>");
	buf_adds(&w, "|E:a|");
	same(d.data, w.data);
	/* the 65th: the scanner leaves it to expat */
	d.len -= 2;
	buf_adds(&d, " v64=\"64\"/>");
	w.len -= 5;
	buf_adds(&w, " v64=64|E:a|");
	fallback(d.data, SHEET_OK, w.data);
	buf_release(&d);
	buf_release(&w);
}

/* ------------------------------------------------------------------ */
/* outside the subset: the scanner gives up, expat decides */

static void
test_doctype_falls_back_and_is_refused(void **state)
{
	(void)state;
	fallback("<!DOCTYPE a><a/>", SHEET_P_UNSAFE, NULL);
	fallback("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"x\">]>"
	         "<a>&e;</a>",
	         SHEET_P_UNSAFE, NULL);
}

static void
test_comment_falls_back(void **state)
{
	(void)state;
	fallback("<!-- c --><a/>", SHEET_OK, "S:a|E:a|");
	fallback("<a>x<!-- c -->y</a>", SHEET_OK, "S:a|T:xy|E:a|");
	fallback("<a><b/><!-- c --></a>", SHEET_OK, "S:a|S:b|E:b|E:a|");
	fallback("<a/><!-- c -->", SHEET_OK, "S:a|E:a|");
	fallback("<a><!-- -- --></a>", SHEET_P_BROKEN, NULL);
}

static void
test_processing_instruction_falls_back(void **state)
{
	(void)state;
	fallback("<?xml-stylesheet href=\"a\"?><a/>", SHEET_OK, "S:a|E:a|");
	fallback("<a>x<?pi data?>y</a>", SHEET_OK, "S:a|T:xy|E:a|");
	fallback("<a/>\n<?pi?>", SHEET_OK, "S:a|E:a|");
}

static void
test_cdata_falls_back(void **state)
{
	(void)state;
	fallback("<a><![CDATA[x<y&z]]></a>", SHEET_OK, "S:a|T:x<y&z|E:a|");
	fallback("<a>1<![CDATA[]]>2</a>", SHEET_OK, "S:a|T:12|E:a|");
}

static void
test_non_ascii_names_fall_back(void **state)
{
	(void)state;
	fallback("<\xc3\xa4/>", SHEET_OK, "S:\xc3\xa4|E:\xc3\xa4|");
	fallback("<a b\xc3\xa9=\"1\"/>", SHEET_OK, "S:a b\xc3\xa9=1|E:a|");
	fallback("<a>\x7f</a>", SHEET_OK, "S:a|T:%7F|E:a|");
}

static void
test_unbound_prefix_falls_back(void **state)
{
	(void)state;
	fallback("<p:a/>", SHEET_P_BROKEN, NULL);
	fallback("<a p:v=\"1\"/>", SHEET_P_BROKEN, NULL);
	fallback("<a xmlns:p=\"urn:p\"><q:b/></a>", SHEET_P_BROKEN, NULL);
}

static void
test_duplicate_attributes_fall_back(void **state)
{
	(void)state;
	fallback("<a v=\"1\" v=\"2\"/>", SHEET_P_BROKEN, NULL);
	fallback("<a xmlns=\"urn:a\" xmlns=\"urn:a\"/>", SHEET_P_BROKEN, NULL);
	fallback("<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\" p:v=\"1\" q:v=\"2\"/>",
	         SHEET_P_BROKEN, NULL);
	/* the same local name in two namespaces is allowed */
	fallback("<a xmlns:p=\"urn:x\" xmlns:q=\"urn:y\" p:v=\"1\" q:v=\"2\"/>",
	         SHEET_OK, "S:a v=1 v=2|E:a|");
}

static void
test_mismatched_tags_fall_back(void **state)
{
	static const char *const docs[] = {
		"<a></b>",     "<a><b></a></b>", "<p:a xmlns:p=\"u\"></a>",
		"<a></a></a>", "</a>",           "<a></ a>",
		"<a></a b>",   "<a><b></a>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		fallback(docs[i], SHEET_P_BROKEN, NULL);
}

static void
test_malformed_tags_fall_back(void **state)
{
	static const char *const docs[] = {
		"<a v=1/>",        "<a v=\"1\"w=\"2\"/>",
		"<a v/>",          "<a v=\"1/>",
		"<a v=\"<\"/>",    "<a/ >",
		"<1a/>",           "<a:b:c/>",
		"<a:/>",           "<:a/>",
		"< a/>",           "<a v='1\"/>",
		"<a><<b/></a>",    "<a>x<</a>",
		"<a v=\"1\" v2/>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		fallback(docs[i], SHEET_P_BROKEN, NULL);
}

static void
test_cdata_end_in_text_falls_back(void **state)
{
	(void)state;
	fallback("<a>x]]>y</a>", SHEET_P_BROKEN, NULL);
	fallback("<a>]]]></a>", SHEET_P_BROKEN, NULL);
}

static void
test_forbidden_characters_fall_back(void **state)
{
	(void)state;
	fallback("<a>\x01</a>", SHEET_P_BROKEN, NULL);
	fallback("<a>x\x1fy</a>", SHEET_P_BROKEN, NULL);
	fallback("<a v=\"\x08\"/>", SHEET_P_BROKEN, NULL);
	fallback("<a\x0c/>", SHEET_P_BROKEN, NULL);
	fallback_n("<a>x\0y</a>", 10, SHEET_P_BROKEN, NULL);
	fallback_n("<a v=\"\0\"/>", 10, SHEET_P_BROKEN, NULL);
	fallback_n("<a/>\0", 5, SHEET_P_BROKEN, NULL);
}

static void
test_invalid_utf8_falls_back(void **state)
{
	static const char *const bad[] = {
		"\x80",             /* lone continuation byte */
		"\xc3",             /* truncated */
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong */
		"\xe2\x82",         /* truncated */
		"\xed\xa0\x80",     /* surrogate */
		"\xef\xbf\xbe",     /* U+FFFE */
		"\xef\xbf\xbf",     /* U+FFFF */
		"\xf0\x8f\xbf\xbf", /* overlong */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xf8\x88\x80\x80\x80",
		"\xff",
	};
	char doc[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), "<a>x%sy</a>", bad[i]);
		fallback(doc, SHEET_P_BROKEN, NULL);
		snprintf(doc, sizeof(doc), "<a v=\"%s\"/>", bad[i]);
		fallback(doc, SHEET_P_BROKEN, NULL);
	}
}

static void
test_trailing_garbage_falls_back(void **state)
{
	(void)state;
	fallback("<a/>x", SHEET_P_BROKEN, NULL);
	fallback("<a/><b/>", SHEET_P_BROKEN, NULL);
	fallback("<a></a>&amp;", SHEET_P_BROKEN, NULL);
	fallback("<a/></a>", SHEET_P_BROKEN, NULL);
}

static void
test_documents_under_nine_bytes_are_left_to_expat(void **state)
{
	(void)state;
	fallback("<a/>", SHEET_OK, "S:a|E:a|");
	fallback("<a>x</a>", SHEET_OK, "S:a|T:x|E:a|");
	fallback("\xef\xbb\xbf<a/>", SHEET_OK, "S:a|E:a|");
}

static void
test_incomplete_documents_fall_back(void **state)
{
	static const char *const docs[] = {
		"",
		"  ",
		"<",
		"<a",
		"<a>",
		"<a ",
		"<a/",
		"<a v=\"1\"",
		"<a><b/>",
		"<a>text",
		"x",
		"<a>&amp",
		"<?xml version=\"1.0\"?>",
		"\xef\xbb\xbf",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		fallback(docs[i], SHEET_P_BROKEN, NULL);
}

/* ------------------------------------------------------------------ */
/* whole workbooks */

/* A worksheet of rows of three cells (a shared string, an inline string,
 * a number), with extra inserted in row at (0: none): where is "row"
 * (before it), "cell" (between its cells) or "value" (inside a number). */
static char *
sheet_with(unsigned rows, unsigned at, const char *where, const char *extra)
{
	struct buf d;

	buf_init(&d, 1u << 24);
	buf_adds(
	        &d,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
	for (unsigned r = 1; r <= rows; r++) {
		if (r == at && strcmp(where, "row") == 0)
			buf_adds(&d, extra);
		buf_addf(&d, "<row r=\"%u\"><c r=\"A%u\" t=\"s\"><v>%u</v></c>",
		         r, r, r % 3);
		if (r == at && strcmp(where, "cell") == 0)
			buf_adds(&d, extra);
		buf_addf(&d,
		         "<c r=\"B%u\" t=\"inlineStr\"><is><t>n%u</t></is>"
		         "</c><c r=\"C%u\"><v>",
		         r, r, r);
		buf_addf(&d, "%u", r * 7);
		if (r == at && strcmp(where, "value") == 0)
			buf_adds(&d, extra);
		buf_adds(&d, "5</v></c></row>");
	}
	buf_adds(&d, "</sheetData></worksheet>");
	{
		char *s = buf_detach(&d, NULL);

		buf_release(&d);
		return s;
	}
}

static const char sst_plain[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\"><si><t>nul</t></si>"
        "<si><t>een</t></si><si><r><t>tw</t></r><r><t>ee</t></r></si></sst>";

/* Dump the first sheet of a workbook of sheet and sst. */
static char *
dump_book(const char *sheet, const char *sst)
{
	struct zipw z;
	struct sheet_error e;
	char *data, *got;
	size_t len;

	zipw_init(&z);
	zipw_xlsx(&z, NULL, sheet, sst, NULL);
	data = zipw_finish(&z, &len);
	got = dump_sheet(data, len, -1, NULL, &e);
	if (got == NULL)
		fail_msg("refused: %s", e.detail);
	free(data);
	return got;
}

static void
test_worksheet_falling_back_mid_sheet(void **state)
{
	static const char *const extras[] = { "<!-- a comment -->",
		                              "<?pi data?>", "<![CDATA[]]>" };
	static const char *const wheres[] = { "row", "cell", "value" };
	static const unsigned ats[] = { 1, 2, 20, 40 };
	char *plain = sheet_with(40, 0, "row", ""), *want, *got, *sheet;

	(void)state;
	want = dump_book(plain, sst_plain);
	assert_non_null(strstr(want, "40\t3\t2805\tn\n"));
	for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++)
		for (size_t j = 0; j < sizeof(wheres) / sizeof(wheres[0]); j++)
			for (size_t k = 0; k < sizeof(ats) / sizeof(ats[0]);
			     k++) {
				sheet = sheet_with(40, ats[k], wheres[j],
				                   extras[i]);
				got = dump_book(sheet, sst_plain);
				if (strcmp(got, want) != 0)
					fail_msg("%s in %s %u: got\n%s",
					         extras[i], wheres[j], ats[k],
					         got);
				free(got);
				free(sheet);
			}
	free(want);
	free(plain);
}

/* Rows handed on by a read: each must follow the one before. */
struct rows_seen {
	uint32_t last, n;
};

static enum err
count_row(void *ctx, const struct sheet_row *r)
{
	struct rows_seen *seen = ctx;

	if (r->row != seen->last + 1)
		fail_msg("row %u after row %u", (unsigned)r->row,
		         (unsigned)seen->last);
	seen->last = r->row;
	seen->n++;
	return ERR_OK;
}

static void
test_worksheet_rows_once_and_in_order(void **state)
{
	/* some 600 KB: the scanner gives up in the ninth 64 KiB feed */
	char *sheet = sheet_with(5000, 4000, "cell", "<!-- c -->"), *data;
	struct sheet_book *b;
	struct sheet_error e;
	struct zipw z;
	struct rows_seen seen = { 0, 0 };
	size_t len;

	(void)state;
	zipw_init(&z);
	zipw_xlsx(&z, NULL, sheet, sst_plain, NULL);
	data = zipw_finish(&z, &len);
	assert_int_equal(sheet_open(data, len, NULL, &b, &e), ERR_OK);
	assert_int_equal(sheet_read(b, 0, count_row, &seen, &e), ERR_OK);
	assert_int_equal(seen.last, 5000);
	assert_int_equal(seen.n, 5000);
	sheet_book_free(b);
	free(data);
	free(sheet);
}

static void
test_shared_strings_falling_back(void **state)
{
	static const char *const ssts[] = {
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>nul</t></si><!-- c --><si><t>een</t></si>"
		"<si><r><t>tw</t></r><r><t>ee</t></r></si></sst>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>nul</t></si><si><t>een</t></si>"
		"<si><r><t>tw</t></r><r><t>e<?pi?>e</t></r></si></sst>",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>nul</t></si><si><t>een</t></si>"
		"<si><r><t>tw</t></r><r><t>ee</t></r></si></sst>",
	};
	char *sheet = sheet_with(40, 0, "row", ""), *want, *got;

	(void)state;
	want = dump_book(sheet, sst_plain);
	assert_non_null(strstr(want, "2\t1\ttwee\ts\n"));
	for (size_t i = 0; i < sizeof(ssts) / sizeof(ssts[0]); i++) {
		got = dump_book(sheet, ssts[i]);
		if (strcmp(got, want) != 0)
			fail_msg("sst %zu: got\n%s", i, got);
		free(got);
	}
	free(want);
	free(sheet);
}

static void
test_worksheet_refused_after_rows(void **state)
{
	char *sheet = sheet_with(40, 30, "row", "<!DOCTYPE x>"), *data;
	struct sheet_error e;
	struct zipw z;
	size_t len;

	(void)state;
	zipw_init(&z);
	zipw_xlsx(&z, NULL, sheet, sst_plain, NULL);
	data = zipw_finish(&z, &len);
	assert_null(dump_sheet(data, len, -1, NULL, &e));
	assert_int_equal(e.problem, SHEET_P_BROKEN);
	free(data);
	free(sheet);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worksheet_row),
		cmocka_unit_test(test_byte_order_mark),
		cmocka_unit_test(test_xml_declaration_variants),
		cmocka_unit_test(test_other_encoding_falls_back),
		cmocka_unit_test(test_odd_declarations_fall_back),
		cmocka_unit_test(test_default_namespace),
		cmocka_unit_test(test_prefixed_elements_and_attributes),
		cmocka_unit_test(test_namespace_scope),
		cmocka_unit_test(test_xml_prefix),
		cmocka_unit_test(test_namespace_declarations_expat_refuses),
		cmocka_unit_test(test_predefined_entities),
		cmocka_unit_test(test_character_references),
		cmocka_unit_test(test_bad_references_fall_back),
		cmocka_unit_test(test_line_ends_in_text),
		cmocka_unit_test(test_white_space_in_attribute_values),
		cmocka_unit_test(test_both_quotes),
		cmocka_unit_test(test_empty_elements),
		cmocka_unit_test(test_white_space_inside_tags),
		cmocka_unit_test(test_text_and_names),
		cmocka_unit_test(test_long_text_across_chunks),
		cmocka_unit_test(test_long_attribute_value_across_chunks),
		cmocka_unit_test(test_token_over_a_mebibyte_falls_back),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_long_names_deeply_nested),
		cmocka_unit_test(test_many_prefixes_in_scope),
		cmocka_unit_test(test_nesting_limit_stops_both_alike),
		cmocka_unit_test(test_many_attributes),
		cmocka_unit_test(test_doctype_falls_back_and_is_refused),
		cmocka_unit_test(test_comment_falls_back),
		cmocka_unit_test(test_processing_instruction_falls_back),
		cmocka_unit_test(test_cdata_falls_back),
		cmocka_unit_test(test_non_ascii_names_fall_back),
		cmocka_unit_test(test_unbound_prefix_falls_back),
		cmocka_unit_test(test_duplicate_attributes_fall_back),
		cmocka_unit_test(test_mismatched_tags_fall_back),
		cmocka_unit_test(test_malformed_tags_fall_back),
		cmocka_unit_test(test_cdata_end_in_text_falls_back),
		cmocka_unit_test(test_forbidden_characters_fall_back),
		cmocka_unit_test(test_invalid_utf8_falls_back),
		cmocka_unit_test(test_trailing_garbage_falls_back),
		cmocka_unit_test(
		        test_documents_under_nine_bytes_are_left_to_expat),
		cmocka_unit_test(test_incomplete_documents_fall_back),
		cmocka_unit_test(test_worksheet_falling_back_mid_sheet),
		cmocka_unit_test(test_worksheet_rows_once_and_in_order),
		cmocka_unit_test(test_shared_strings_falling_back),
		cmocka_unit_test(test_worksheet_refused_after_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
