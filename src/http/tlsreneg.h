/*
 * Refusing a client-initiated TLS renegotiation with an alert.
 *
 * libmicrohttpd 0.9.75 never renegotiates: when a client sends a new
 * ClientHello on an established TLS 1.2 connection, GnuTLS reports it and
 * libmicrohttpd closes the connection without a word.  A client (and
 * testssl) then cannot tell a refusal from a dropped connection, and testssl
 * rates that as "client-initiated renegotiation accepted".  This module
 * reads each watched connection's TLS records as they come off the socket
 * (through the session's pull function) and, at the first handshake record
 * after the handshake has finished, sends the no_renegotiation alert
 * (RFC 5246, 7.2.2) before GnuTLS sees the record; libmicrohttpd then
 * closes the connection as before.
 *
 * Limits: descriptors from TLSRENEG_FDS up are not watched.  A client that
 * splits its Finished over two records, or opens with an SSLv2-format
 * hello, is misread (and may be sent the alert).  Each descriptor's state
 * is touched only by the thread serving the connection.
 */
#ifndef BIEBSYNC_HTTP_TLSRENEG_H
#define BIEBSYNC_HTTP_TLSRENEG_H

#define TLSRENEG_FDS 65536

/* Watch the GnuTLS session (a gnutls_session_t) of a new connection on fd
 * before any byte of its handshake is read.  Ignored when session is NULL
 * or fd is out of range. */
void tlsreneg_watch(void *session, int fd);

/* Stop watching fd (the connection is closing). */
void tlsreneg_forget(int fd);

#endif
