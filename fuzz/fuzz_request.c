/*
 * libFuzzer target for the request heads the server reads: each input is
 * sent as it is, as the whole of a connection, to the real server of
 * src/http/ over loopback (httpfuzz.h), then the connection is half-closed
 * and read to its end.  That covers libmicrohttpd 0.9.75's own parsing
 * with MHD_OPTION_STRICT_FOR_CLIENT, our line-end scanner (headscan.c),
 * the framing checks, the body limits and budgets, admit() and the chunked
 * bodies.  Whatever the input, what comes back starts with a status line,
 * the server must still serve (a fixed GET on a new connection gets 200
 * after every input), and the handler checks what http.h promises about
 * each request it is handed.
 *
 * fuzz/replay.c runs this same function over saved inputs (fuzz/regress/
 * request-*, fuzz/seeds/request/) without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "httpfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httpfuzz_answer a;

	httpfuzz_exchange(data, size, true, &a);
	if (a.len > 0 && a.status == 0) {
		fprintf(stderr, "fuzz_request: no status line in \"%.80s\"\n",
		        a.head);
		abort();
	}
	httpfuzz_probe();
	return 0;
}
