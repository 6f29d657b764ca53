/*
 * bench/gen: write an invented but realistic student list for the benchmarks.
 *
 *   gen FORMAT YEAR N OUT
 *
 * FORMAT  xlsx    Excel workbook with shared strings (libxlsxwriter default)
 *         xlsxin  Excel workbook with inline strings (constant_memory mode)
 *         csv     ';'-separated, Windows-1252, CRLF, text dates dd-mm-jjjj
 *         ods     OpenDocument spreadsheet, content.xml written by hand
 * YEAR    1: a school of N students, jaargroep 1-8, 25 per class;
 *         2: the next school year: group 8 and 1 % of the others left,
 *         everyone else moved up one group, a new intake of N/8 in group 1
 *         and 1 % newcomers in groups 2-8.
 *
 * Columns as a ParnasSys export has them: Leerlingnummer (a number cell),
 * Roepnaam, Tussenvoegsel, Achternaam, Geboortedatum (a date cell formatted
 * dd-mm-jjjj), Groep ("Groep 5b").  Everything is derived from the student's
 * index with a fixed seed, so the same N gives the same bytes and a student
 * keeps number, name and birth date from year 1 to year 2.  Birth dates fit
 * the jaargroep for the school year of the day the file is written, so the
 * import sees no implausible ages.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>
#include <zlib.h>

struct student {
	uint32_t number;
	const char *roepnaam;
	const char *tussenvoegsel;
	char achternaam[64];
	int year, month, day;
	char group[16];
};

/*
 * Names, '|'-separated; a last name may carry its tussenvoegsel before a
 * ':'.  UTF-8 with only characters that Windows-1252 has (the CSV is
 * written in it) and nothing that XML would need escaped.
 */
static const char first_names[] =
        "Emma|Julia|Mila|Tess|Sophie|Zo\xc3\xab|Sara|Nora|Yara|Eva|Liv|Lotte|Anna|Noor|Fenna|Lieke|Evi|Saar|Ana\xc3\xafs|Chlo\xc3\xab|In\xc3\xa8s|Fatima|Aya|Hiba|Noah|Sem|Liam|Lucas|Daan|Finn|Levi|Luuk|Mees|Bram|Jesse|Thijs|Milan|Siem|Adam|Mohammed|Dani\xc3\xabl|Rapha\xc3\xabl|No\xc3\xabl|Jo\xc3\xabl|\xc3\x96mer|Ayoub|Thomas|S\xc3\xa9"
        "bastien|Fran\xc3\xa7ois|Ruben";
static const char last_names[] =
        "Jansen|de:Jong|Bakker|van:Dijk|Visser|Smit|Meijer|de:Boer|Mulder|de:Groot|Bos|Vos|Peters|Hendriks|van:Leeuwen|Dekker|Brouwer|de:Wit|Dijkstra|Smits|de:Graaf|van der:Meer|van der:Linden|Kok|Jacobs|de:Haan|Vermeulen|van den:Heuvel|van der:Veen|van den:Berg|Huisman|Willems|ter:Horst|van 't:Hof|in 't:Veld|Yilmaz|El Amrani|\xc3\x96zt\xc3\xbcrk|\xc3\x87"
        "elik|M\xc3\xbcller|Gon\xc3\xa7"
        "alves|Ko\xc3\xa7|Bouzid|Nguyen|van:Rooij";

#define NAMES_MAX 64

static char name_text[sizeof(first_names) + sizeof(last_names)];
static const char *first[NAMES_MAX];
static struct last {
	const char *prefix, *name;
} lastnames[NAMES_MAX];
static size_t NFIRST, NLAST;

/* Split the tables above into first[] and lastnames[]. */
static void
names_init(void)
{
	char *p = name_text, *tok, *colon;

	memcpy(name_text, first_names, sizeof(first_names));
	memcpy(name_text + sizeof(first_names), last_names, sizeof(last_names));
	while ((tok = strsep(&p, "|")) != NULL && NFIRST < NAMES_MAX)
		first[NFIRST++] = tok;
	p = name_text + sizeof(first_names);
	while ((tok = strsep(&p, "|")) != NULL && NLAST < NAMES_MAX) {
		colon = strchr(tok, ':');
		lastnames[NLAST].prefix = colon ? tok : "";
		if (colon != NULL)
			*colon = '\0';
		lastnames[NLAST++].name = colon ? colon + 1 : tok;
	}
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Student numbers: a permutation of 0..2^23-1 on top of 1000000, so they
 * look random, are unique, and have seven digits. */
static uint32_t
number_of(uint64_t i)
{
	return 1000000u + (uint32_t)((i * 2654435761ULL) & 0x7fffffu);
}

static int school_year; /* the year the current school year began */

static int
days_in_month(int y, int m)
{
	static const int d[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static void
class_suffix(uint32_t c, char *out)
{
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = (char)('a' + c % 26);
		c = c / 26;
	} while (c > 0 && n < 7);
	for (int k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
}

/*
 * Student id (index) in cohort `cohort` (the jaargroep in year 1; 0 for
 * year 2's new intake) in class `cls` of jaargroep `group`.
 */
static void
make_student(uint64_t id, int cohort, int group, uint32_t cls,
             struct student *s)
{
	uint64_t h = mix(id ^ 0x5eedULL);
	const struct last *l = &lastnames[(h >> 8) % NLAST];
	char suffix[8];
	int y, m, d;

	s->number = number_of(id);
	s->roepnaam = first[h % NFIRST];
	s->tussenvoegsel = l->prefix;
	if ((h >> 16) % 10 < 2) /* a double surname now and then */
		snprintf(s->achternaam, sizeof(s->achternaam), "%s-%s", l->name,
		         lastnames[(h >> 24) % NLAST].name);
	else
		snprintf(s->achternaam, sizeof(s->achternaam), "%s", l->name);
	/* Born between 1 October and 30 September as the Dutch cohorts go:
	 * group 1 turned 4 by 1 October, group 8 turned 11. */
	m = (int)((h >> 32) % 12); /* 0 = October */
	y = school_year - cohort - 4 + (m >= 3);
	m = (m + 9) % 12 + 1;
	d = 1 + (int)((h >> 40) % (uint64_t)days_in_month(y, m));
	s->year = y;
	s->month = m;
	s->day = d;
	class_suffix(cls, suffix);
	snprintf(s->group, sizeof(s->group), "Groep %d%s", group, suffix);
}

/*
 * The list: calls emit for each student in file order (by group, then as
 * enrolled).  Year 1: N students, jaargroep 1-8 in equal parts.  Year 2: see
 * the top of the file.
 */
typedef void (*emit_fn)(void *ctx, const struct student *s);

static void
cohort_range(uint64_t n, int g, uint64_t *lo, uint64_t *hi)
{
	*lo = n * (uint64_t)(g - 1) / 8;
	*hi = n * (uint64_t)g / 8;
}

static void
walk(int year, uint64_t n, emit_fn emit, void *ctx)
{
	struct student s;
	uint64_t lo, hi, extra = n / 100, fresh = n;

	for (int g = 1; g <= 8; g++) {
		if (year == 2 && g == 1) {
			/* the new intake, numbers after every year-1 one */
			for (uint64_t k = 0; k < n / 8; k++) {
				make_student(fresh++, 0, 1, (uint32_t)(k / 25),
				             &s);
				emit(ctx, &s);
			}
			continue;
		}
		cohort_range(n, year == 1 ? g : g - 1, &lo, &hi);
		for (uint64_t i = lo; i < hi; i++) {
			int cohort = year == 1 ? g : g - 1;

			if (year == 2 && mix(i ^ 0x1eafULL) % 100 == 0)
				continue; /* left the school */
			make_student(i, cohort, g, (uint32_t)((i - lo) / 25),
			             &s);
			emit(ctx, &s);
		}
		if (year == 2) {
			/* newcomers from another school */
			for (uint64_t k = 0; k < extra / 7; k++) {
				make_student(fresh++, g - 1, g,
				             (uint32_t)(k % 4), &s);
				emit(ctx, &s);
			}
		}
	}
}

static const char *const header[6] = {
	"Leerlingnummer", "Roepnaam",      "Tussenvoegsel",
	"Achternaam",     "Geboortedatum", "Groep",
};

/* ---- xlsx (libxlsxwriter) ---- */

struct xw {
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_row_t row;
};

static void
emit_xlsx(void *ctx, const struct student *s)
{
	struct xw *x = ctx;
	lxw_datetime dt = { s->year, s->month, s->day, 0, 0, 0 };

	worksheet_write_number(x->ws, x->row, 0, s->number, NULL);
	worksheet_write_string(x->ws, x->row, 1, s->roepnaam, NULL);
	if (s->tussenvoegsel[0] != '\0')
		worksheet_write_string(x->ws, x->row, 2, s->tussenvoegsel,
		                       NULL);
	worksheet_write_string(x->ws, x->row, 3, s->achternaam, NULL);
	worksheet_write_datetime(x->ws, x->row, 4, &dt, x->date);
	worksheet_write_string(x->ws, x->row, 5, s->group, NULL);
	x->row++;
}

static int
write_xlsx(const char *out, int year, uint64_t n, int inline_strings)
{
	lxw_workbook_options opt = { 0 };
	lxw_workbook *wb;
	struct xw x;

	opt.constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE;
	wb = workbook_new_opt(out, &opt);
	if (wb == NULL)
		return 1;
	x.ws = workbook_add_worksheet(wb, "Leerlingen");
	x.date = workbook_add_format(wb);
	format_set_num_format(x.date, "dd-mm-yyyy");
	for (int c = 0; c < 6; c++)
		worksheet_write_string(x.ws, 0, (lxw_col_t)c, header[c], NULL);
	x.row = 1;
	walk(year, n, emit_xlsx, &x);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

/* ---- csv (Windows-1252) ---- */

/* Write UTF-8 text as Windows-1252; the tables above only hold Latin-1. */
static void
put_1252(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		if (*p >= 0xc2 && *p <= 0xc3 && (p[1] & 0xc0) == 0x80) {
			putc(((p[0] & 0x1f) << 6) | (p[1] & 0x3f), f);
			p += 2;
		} else {
			putc(*p++, f);
		}
	}
}

static void
emit_csv(void *ctx, const struct student *s)
{
	FILE *f = ctx;

	fprintf(f, "%u;", (unsigned)s->number);
	put_1252(f, s->roepnaam);
	putc(';', f);
	put_1252(f, s->tussenvoegsel);
	putc(';', f);
	put_1252(f, s->achternaam);
	fprintf(f, ";%02d-%02d-%04d;%s\r\n", s->day, s->month, s->year,
	        s->group);
}

static int
write_csv(const char *out, int year, uint64_t n)
{
	FILE *f = fopen(out, "wb");

	if (f == NULL)
		return 1;
	for (int c = 0; c < 6; c++)
		fprintf(f, "%s%s", header[c], c < 5 ? ";" : "\r\n");
	walk(year, n, emit_csv, f);
	return fclose(f) == 0 ? 0 : 1;
}

/* ---- ods: a zip with mimetype, content.xml and the manifest ---- */

struct zout {
	FILE *f;
	unsigned n;
	struct {
		char name[32];
		uint32_t crc, csize, usize, offset;
		uint16_t method;
	} e[4];
	/* the entry being written */
	z_stream z;
	unsigned char buf[1 << 16];
	uint32_t crc, usize;
	long start;
};

static void
put16(FILE *f, unsigned v)
{
	putc((int)(v & 0xff), f);
	putc((int)(v >> 8 & 0xff), f);
}

static void
put32(FILE *f, uint32_t v)
{
	put16(f, v & 0xffff);
	put16(f, v >> 16);
}

static void
local_header(struct zout *o, unsigned i)
{
	put32(o->f, 0x04034b50);
	put16(o->f, 20);
	put16(o->f, 0);
	put16(o->f, o->e[i].method);
	put16(o->f, 0);    /* time */
	put16(o->f, 0x21); /* 1980-01-01 */
	put32(o->f, o->e[i].crc);
	put32(o->f, o->e[i].csize);
	put32(o->f, o->e[i].usize);
	put16(o->f, (unsigned)strlen(o->e[i].name));
	put16(o->f, 0);
	fputs(o->e[i].name, o->f);
}

static void
zbegin(struct zout *o, const char *name, int deflate_it)
{
	unsigned i = o->n;

	snprintf(o->e[i].name, sizeof(o->e[i].name), "%s", name);
	o->e[i].method = deflate_it ? 8 : 0;
	o->e[i].crc = o->e[i].csize = o->e[i].usize = 0;
	o->e[i].offset = (uint32_t)ftell(o->f);
	local_header(o, i);
	o->start = ftell(o->f);
	o->crc = (uint32_t)crc32(0, NULL, 0);
	o->usize = 0;
	memset(&o->z, 0, sizeof(o->z));
	if (deflate_it)
		deflateInit2(&o->z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

static void
zdeflate(struct zout *o, const void *p, size_t n, int flush)
{
	o->z.next_in = (unsigned char *)(uintptr_t)p;
	o->z.avail_in = (uInt)n;
	do {
		o->z.next_out = o->buf;
		o->z.avail_out = sizeof(o->buf);
		deflate(&o->z, flush);
		fwrite(o->buf, 1, sizeof(o->buf) - o->z.avail_out, o->f);
	} while (o->z.avail_out == 0);
}

static void
zwrite(struct zout *o, const void *p, size_t n)
{
	o->crc = (uint32_t)crc32(o->crc, p, (uInt)n);
	o->usize += (uint32_t)n;
	if (o->e[o->n].method == 0)
		fwrite(p, 1, n, o->f);
	else
		zdeflate(o, p, n, Z_NO_FLUSH);
}

static void
zend(struct zout *o)
{
	unsigned i = o->n++;
	long end;

	if (o->e[i].method == 8) {
		zdeflate(o, "", 0, Z_FINISH);
		deflateEnd(&o->z);
	}
	end = ftell(o->f);
	o->e[i].crc = o->crc;
	o->e[i].usize = o->usize;
	o->e[i].csize = (uint32_t)(end - o->start);
	fseek(o->f, (long)o->e[i].offset, SEEK_SET);
	local_header(o, i); /* now with the sizes */
	fseek(o->f, end, SEEK_SET);
}

static int
zfinish(struct zout *o)
{
	uint32_t cd = (uint32_t)ftell(o->f), cdend;

	for (unsigned i = 0; i < o->n; i++) {
		put32(o->f, 0x02014b50);
		put16(o->f, 20);
		put16(o->f, 20);
		put16(o->f, 0);
		put16(o->f, o->e[i].method);
		put16(o->f, 0);
		put16(o->f, 0x21);
		put32(o->f, o->e[i].crc);
		put32(o->f, o->e[i].csize);
		put32(o->f, o->e[i].usize);
		put16(o->f, (unsigned)strlen(o->e[i].name));
		put16(o->f, 0);
		put16(o->f, 0);
		put16(o->f, 0);
		put16(o->f, 0);
		put32(o->f, 0);
		put32(o->f, o->e[i].offset);
		fputs(o->e[i].name, o->f);
	}
	cdend = (uint32_t)ftell(o->f);
	put32(o->f, 0x06054b50);
	put16(o->f, 0);
	put16(o->f, 0);
	put16(o->f, o->n);
	put16(o->f, o->n);
	put32(o->f, cdend - cd);
	put32(o->f, cd);
	put16(o->f, 0);
	return fclose(o->f) == 0 ? 0 : 1;
}

static void
zputs(struct zout *o, const char *s)
{
	zwrite(o, s, strlen(s));
}

static void
ods_string(struct zout *o, const char *s)
{
	if (s[0] == '\0') {
		zputs(o, "<table:table-cell/>");
		return;
	}
	zputs(o, "<table:table-cell office:value-type=\"string\"><text:p>");
	zputs(o, s); /* the tables hold nothing that needs escaping */
	zputs(o, "</text:p></table:table-cell>");
}

static void
emit_ods(void *ctx, const struct student *s)
{
	struct zout *o = ctx;
	char tmp[256];

	snprintf(
	        tmp, sizeof(tmp),
	        "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"%u\"><text:p>%u</text:p></table:table-cell>",
	        (unsigned)s->number, (unsigned)s->number);
	zputs(o, tmp);
	ods_string(o, s->roepnaam);
	ods_string(o, s->tussenvoegsel);
	ods_string(o, s->achternaam);
	snprintf(
	        tmp, sizeof(tmp),
	        "<table:table-cell table:style-name=\"ce1\" office:value-type=\"date\" office:date-value=\"%04d-%02d-%02d\"><text:p>%02d-%02d-%04d</text:p></table:table-cell>",
	        s->year, s->month, s->day, s->day, s->month, s->year);
	zputs(o, tmp);
	ods_string(o, s->group);
	zputs(o, "</table:table-row>\n");
}

static int
write_ods(const char *out, int year, uint64_t n)
{
	static struct zout o; /* large buffer: not on the stack */
	static const char mime[] =
	        "application/vnd.oasis.opendocument.spreadsheet";

	memset(&o, 0, sizeof(o));
	o.f = fopen(out, "wb");
	if (o.f == NULL)
		return 1;
	zbegin(&o, "mimetype", 0);
	zputs(&o, mime);
	zend(&o);
	zbegin(&o, "content.xml", 1);
	zputs(&o,
	      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\" office:version=\"1.2\"><office:automatic-styles>"
	      "<number:date-style style:name=\"N37\"><number:day number:style=\"long\"/><number:text>-</number:text>"
	      "<number:month number:style=\"long\"/><number:text>-"
	      "</number:text><number:year number:style=\"long\"/>"
	      "</number:date-style><style:style style:name=\"ce1\" style:family=\"table-cell\" style:data-style-name=\"N37\"/>"
	      "</office:automatic-styles><office:body><office:spreadsheet>"
	      "<table:table table:name=\"Leerlingen\"><table:table-column table:number-columns-repeated=\"6\"/>\n<table:table-row>");
	for (int c = 0; c < 6; c++)
		ods_string(&o, header[c]);
	zputs(&o, "</table:table-row>\n");
	walk(year, n, emit_ods, &o);
	zputs(&o, "</table:table></office:spreadsheet></office:body>"
	          "</office:document-content>\n");
	zend(&o);
	zbegin(&o, "META-INF/manifest.xml", 1);
	zputs(&o,
	      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
	      "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>\n");
	zend(&o);
	return zfinish(&o);
}

int
main(int argc, char **argv)
{
	time_t now = time(NULL);
	struct tm tm;
	char *end;
	unsigned long long n;
	int year;

	if (argc != 5 ||
	    (strcmp(argv[2], "1") != 0 && strcmp(argv[2], "2") != 0)) {
		fprintf(stderr, "usage: gen xlsx|xlsxin|csv|ods 1|2 N OUT\n");
		return 2;
	}
	year = argv[2][0] - '0';
	n = strtoull(argv[3], &end, 10);
	if (*end != '\0' || n < 8 || n > 4000000) {
		fprintf(stderr, "gen: N must be 8..4000000\n");
		return 2;
	}
	names_init();
	gmtime_r(&now, &tm);
	/* the school year begins in August */
	school_year = tm.tm_year + 1900 - (tm.tm_mon < 7);
	if (strcmp(argv[1], "xlsx") == 0)
		return write_xlsx(argv[4], year, n, 0);
	if (strcmp(argv[1], "xlsxin") == 0)
		return write_xlsx(argv[4], year, n, 1);
	if (strcmp(argv[1], "csv") == 0)
		return write_csv(argv[4], year, n);
	if (strcmp(argv[1], "ods") == 0)
		return write_ods(argv[4], year, n);
	fprintf(stderr, "gen: unknown format %s\n", argv[1]);
	return 2;
}
