/*
 * The real HTTP server of src/http/ inside a fuzz process, and a loopback
 * client for it: shared by the libFuzzer targets that send their inputs
 * over a socket (fuzz_multipart.c, fuzz_request.c).
 *
 * The first call starts http_start() on 127.0.0.1, port 0, once for the
 * process, with a handler that checks what the server promises in http.h
 * for every request it hands on (the method, the body within its limit and
 * NUL-terminated; for multipart/form-data at most HTTP_MAX_PARTS parts,
 * names, file names and types NUL-terminated within their arrays, each
 * part within its cap) and abort()s when a promise is broken.  The server
 * runs in the same process, so a crash or sanitizer report in one of its
 * threads ends the fuzz run on the input being sent.
 *
 * Routes of the test server: a POST to a path starting "/klein" may send
 * HTTPFUZZ_SMALL body bytes, any other path HTTPFUZZ_LARGE; a POST to a
 * path starting "/weiger" is refused on its head (admit()); every request
 * that reaches the handler gets 200 and "parts=N" or "body=N".
 */
#ifndef BIEBSYNC_FUZZ_HTTPFUZZ_H
#define BIEBSYNC_FUZZ_HTTPFUZZ_H

#include <stdbool.h>
#include <stddef.h>

#define HTTPFUZZ_SMALL 600
#define HTTPFUZZ_LARGE (256u * 1024)

/* An answer read back: its first bytes (NUL-terminated) and its status
 * code, 0 when the server closed the connection without one. */
struct httpfuzz_answer {
	char head[2048];
	size_t len; /* bytes read in all */
	int status;
};

/* Send req[0..n) on a new connection to the server (started on the first
 * call), half-closing it afterwards when half_close, and read until the
 * server closes it.  abort()s when the server neither answers nor closes
 * within a few seconds. */
void httpfuzz_exchange(const void *req, size_t n, bool half_close,
                       struct httpfuzz_answer *a);

/* The server still answers: a fixed GET on a new connection gets 200,
 * else abort(). */
void httpfuzz_probe(void);

#endif
