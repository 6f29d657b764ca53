/*
 * bench/floor: what reading a file costs at the least, as yardsticks for
 * the readers (issue 3).
 *
 *   floor zip FILE [ENTRY]   read FILE into memory, find ENTRY (default
 *                            xl/worksheets/sheet1.xml) in the zip's central
 *                            directory, inflate it with zlib and scan it
 *                            with expat, counting elements: the cost every
 *                            xlsx (or, with content.xml, ods) reader pays,
 *                            single-threaded, without shared strings, cell
 *                            types or any output
 *   floor read FILE          read FILE into memory and count its lines: a
 *                            plain read, the yardstick for CSV
 *
 * Prints what it counted, so the work cannot be optimised away.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zlib.h>

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(1);
	}
	p = malloc((size_t)n + 1);
	if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static unsigned
rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)name;
	(void)atts;
	++*(unsigned long *)ud;
}

static int
floor_zip(const char *path, const char *want)
{
	size_t len, i, cd, n, off;
	unsigned char *d = slurp(path, &len), out[1 << 16];
	unsigned long elements = 0, inflated = 0;
	XML_Parser xp;
	z_stream z;
	int rc;

	/* the end of central directory record, searched from the back */
	for (i = len >= 22 ? len - 22 : 0; i > 0 && rd32(d + i) != 0x06054b50;
	     i--)
		;
	if (rd32(d + i) != 0x06054b50) {
		fprintf(stderr, "floor: %s: not a zip\n", path);
		return 1;
	}
	cd = rd32(d + i + 16);
	n = rd16(d + i + 10);
	for (; n > 0; n--) {
		size_t nl = rd16(d + cd + 28);

		if (nl == strlen(want) && memcmp(d + cd + 46, want, nl) == 0)
			break;
		cd += 46 + nl + rd16(d + cd + 30) + rd16(d + cd + 32);
	}
	if (n == 0) {
		fprintf(stderr, "floor: %s: no %s\n", path, want);
		return 1;
	}
	off = rd32(d + cd + 42);
	off += 30 + rd16(d + off + 26) + rd16(d + off + 28);
	memset(&z, 0, sizeof(z));
	inflateInit2(&z, -15);
	z.next_in = d + off;
	z.avail_in = (uInt)rd32(d + cd + 20);
	xp = XML_ParserCreate(NULL);
	XML_SetUserData(xp, &elements);
	XML_SetStartElementHandler(xp, on_start);
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			fprintf(stderr, "floor: inflate: %d\n", rc);
			return 1;
		}
		inflated += sizeof(out) - z.avail_out;
		if (XML_Parse(xp, (const char *)out,
		              (int)(sizeof(out) - z.avail_out),
		              rc == Z_STREAM_END) == XML_STATUS_ERROR) {
			fprintf(stderr, "floor: xml: %s\n",
			        XML_ErrorString(XML_GetErrorCode(xp)));
			return 1;
		}
	} while (rc != Z_STREAM_END);
	printf("%s: %lu bytes of XML, %lu elements\n", want, inflated,
	       elements);
	XML_ParserFree(xp);
	inflateEnd(&z);
	free(d);
	return 0;
}

static int
floor_read(const char *path)
{
	size_t len, lines = 0;
	unsigned char *d = slurp(path, &len), *p = d, *end = d + len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	printf("%zu bytes, %zu lines\n", len, lines);
	free(d);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "zip") == 0)
		return floor_zip(argv[2], argc > 3
		                                  ? argv[3]
		                                  : "xl/worksheets/sheet1.xml");
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return floor_read(argv[2]);
	fprintf(stderr, "usage: floor zip FILE [ENTRY] | floor read FILE\n");
	return 2;
}
