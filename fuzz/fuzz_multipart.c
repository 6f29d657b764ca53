/*
 * libFuzzer target for the multipart/form-data parsing of src/http/server.c
 * (libmicrohttpd's post processor inside our access handler, with the caps
 * per part and HTTP_MAX_PARTS): each input is the body of a POST sent over
 * loopback to the real server (httpfuzz.h), whose handler checks every part
 * it receives.  The answer must be 200, 400 or 413; only a chunked body
 * that went on past its limit may be cut off without one.
 *
 * Input: one selector byte, then the body.  The selector's bits 0-2 pick
 * the Content-Type (the boundaries Chromium and curl send, a quoted one,
 * upper case with a charset, none, an empty one, ...), bit 3 sends the
 * body chunked instead of with a Content-Length, bit 4 posts to the small
 * route (HTTPFUZZ_SMALL bytes), and bits 5-7 pick the chunk size.
 *
 * fuzz/replay.c runs this same function over saved inputs (fuzz/regress/
 * multipart-*, fuzz/seeds/multipart/) without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpfuzz.h"
#include "../src/base/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ctypes[8] = {
	/* Chromium */
	"multipart/form-data; boundary=----WebKitFormBoundaryePkpFF7tjBAqx29L",
	/* curl -F */
	"multipart/form-data; boundary=------------------------4ebf00fbcf09",
	"multipart/form-data; boundary=\"b o=u;n\"",
	"MULTIPART/FORM-DATA; charset=UTF-8; boundary=x",
	"multipart/form-data; boundary=", "multipart/form-data",
	("multipart/form-data; boundary=----WebKitFormBoundaryePkpFF7tjBAqx29L"
	 "; foo=bar"),
	"multipart/form-data;boundary=AaB03x", /* RFC 7578, no space */
};

static const size_t chunks[8] = { 1, 7, 64, 500, 1000, 4096, 65536, 3 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httpfuzz_answer a;
	struct buf req;
	unsigned sel;
	bool chunked, small;
	size_t limit;

	if (size < 1)
		return 0;
	sel = data[0];
	chunked = (sel & 8) != 0;
	small = (sel & 16) != 0;
	limit = small ? HTTPFUZZ_SMALL : HTTPFUZZ_LARGE;
	data++;
	size--;
	buf_init(&req, 7 * size + 1024); /* chunks of 1: 6 bytes a byte */
	buf_addf(&req,
	         "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Content-Type: %s\r\nConnection: close\r\n",
	         small ? "/klein/upload" : "/docent/upload", ctypes[sel & 7]);
	if (chunked) {
		size_t step = chunks[sel >> 5];

		buf_adds(&req, "Transfer-Encoding: chunked\r\n\r\n");
		for (size_t off = 0; off < size; off += step) {
			size_t n = size - off < step ? size - off : step;

			buf_addf(&req, "%zx\r\n", n);
			buf_add(&req, data + off, n);
			buf_adds(&req, "\r\n");
		}
		buf_adds(&req, "0\r\n\r\n");
	} else {
		buf_addf(&req, "Content-Length: %zu\r\n\r\n", size);
		buf_add(&req, data, size);
	}
	if (req.err != ERR_OK)
		abort();
	httpfuzz_exchange(req.data, req.len, false, &a);
	buf_release(&req);
	if (a.status == 200 || a.status == 400 || a.status == 413)
		return 0;
	if (a.status == 0 && chunked && size > limit)
		return 0;
	fprintf(stderr, "fuzz_multipart: the answer was \"%.80s\"\n", a.head);
	abort();
}
