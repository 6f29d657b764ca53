/*
 * Strict line ends in request heads, checked on the bytes as they come off
 * the socket.
 *
 * libmicrohttpd 0.9.75 accepts a bare LF as a line end and joins obs-fold
 * continuation lines (a header line starting with a space or tab) onto the
 * previous header; by the time the access handler runs, neither can be
 * seen.  A proxy in front may read such a head differently, which is how
 * requests are smuggled.  So this module interposes recv(): for each
 * connection the server asked it to watch, it scans the bytes of the
 * request head (up to the empty line that ends it) and remembers whether
 * the head had a bare LF, a bare CR or a line starting with white space.
 * The server then refuses the request with 400 and closes the connection.
 *
 * Limits: only plain-HTTP connections are watched (under TLS recv() sees
 * ciphertext); descriptors from HEADSCAN_FDS up are not watched; a head
 * that arrived in the same read as the previous request's body (HTTP
 * pipelining) is not scanned.  Each descriptor's state is touched only by
 * the libmicrohttpd thread that serves the connection.
 */
#ifndef BIEBSYNC_HTTP_HEADSCAN_H
#define BIEBSYNC_HTTP_HEADSCAN_H

#include <stdbool.h>

#define HEADSCAN_FDS 65536

/* Scan the next request head read from fd (a connection opened, or its
 * previous request ended). */
void headscan_start(int fd);
/* Stop watching fd (the connection is closing). */
void headscan_stop(int fd);
/* Whether the head read from fd had a bare LF or CR or an obs-fold line;
 * false for descriptors that are not watched. */
bool headscan_bad(int fd);

#endif
