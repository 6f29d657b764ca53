/*
 * The HTTP server: libmicrohttpd with epoll and a small thread pool, request
 * limits, security headers on every response, graceful shutdown.
 *
 * The application gives one handler; it receives a complete request (body
 * read and capped) and fills a response.  What this layer guarantees for
 * every request the handler sees:
 *   - the method is GET, HEAD or POST (others are answered 405 here);
 *   - the head is unambiguous: a bare LF or CR, an obs-fold line (see
 *     headscan.h), more than one Content-Length, or Content-Length with
 *     Transfer-Encoding is answered 400 and the connection closed;
 *   - the head arrived within head_timeout (else the connection is closed);
 *   - the body is no larger than body_limit() allows (a declared larger
 *     body is answered 413 before it is read; a chunked one that grows
 *     too large is dropped and answered 413 when it ends, or its
 *     connection closed after another limit's worth);
 *   - a POST the application does not admit on its head alone (admit(),
 *     e.g. an upload without a valid session cookie) is answered with the
 *     application's refusal before any body byte is read, and the
 *     connection closed, so its body is never read;
 *   - the body bytes in flight are capped in total (body_budget) and per
 *     client address (body_budget_per_address): a request with a body is
 *     reserved its declared length (a chunked one its body limit) when its
 *     head arrives, and released when the request ends, however it ends;
 *     past a budget the request is answered 503 with Retry-After (the
 *     application's busy page) before its body is read, connection closed;
 *   - a multipart/form-data body arrives parsed into parts (libmicrohttpd's
 *     streaming post processor), each capped while it arrives; a body
 *     with more than HTTP_MAX_PARTS parts or that does not parse is 400;
 *   - the path is decoded;
 *   - a request the application calls heavy (heavy(): hashing a password,
 *     reading an uploaded file) runs its handler on the worker pool
 *     (pool.h), not on an HTTP thread: when its body is complete the
 *     connection is suspended, the handler runs on a worker, and the
 *     connection is resumed with the response.  When the pool's queue is
 *     full the request is answered 503 with Retry-After at once (the
 *     application's queue_full page); a client gone before its job
 *     started is not served (its handler never runs).  Other requests run
 *     their handler on the HTTP thread, so they never wait behind heavy
 *     ones.
 * And for every response: the security headers below, no Server banner, and
 * Cache-Control: no-store unless the handler marks it cacheable.
 */
#ifndef BIEBSYNC_HTTP_HTTP_H
#define BIEBSYNC_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/err.h"

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST };

#define HTTP_MAX_PARTS     8    /* parts of a multipart/form-data body */
#define HTTP_PART_TEXT_MAX 4096 /* bytes of a part that is not a file */

/* One part of a multipart/form-data body, kept in memory only. */
struct http_part {
	char name[64];
	char filename[256]; /* "" when the part is not a file (no
	                       file name, or filename="") */
	char type[128];     /* its Content-Type, "" when not given */
	struct buf data;    /* capped by the body limit (files) or
	                       HTTP_PART_TEXT_MAX (other parts) */
};

struct http_request {
	char rid[24]; /* request id for log lines */
	enum http_method method;
	const char *path;     /* without the query string */
	char client_addr[64]; /* numeric address of the peer */
	bool tls;             /* served over TLS by this process */
	struct buf body;      /* the whole body, NUL-terminated; empty for
	                         multipart/form-data, see parts */
	bool multipart;       /* the body was multipart/form-data */
	int nparts;
	struct http_part parts[HTTP_MAX_PARTS];
	void *conn; /* the MHD connection (internal) */
};

#define HTTP_MAX_HEADERS 8

/* Seconds in the Retry-After of a 503 past the body budget. */
#define HTTP_RETRY_AFTER "30"
/* Seconds in the Retry-After of a 503 when the worker queue is full. */
#define HTTP_RETRY_AFTER_QUEUE "10"

struct http_response {
	int status;
	const char *content_type; /* default text/html; charset=utf-8 */
	struct buf body;
	const unsigned char *static_body; /* instead of body, not copied */
	size_t static_len;
	bool cacheable; /* static assets: allow caching */
	int nheaders;
	char *headers[HTTP_MAX_HEADERS][2]; /* extra name/value, owned */
};

typedef void (*http_handler)(struct http_request *req,
                             struct http_response *resp, void *app);
/* May a POST send its body?  Called with the head only (headers, cookies,
 * query; no body).  true: go on (resp is ignored); false: resp is the
 * refusal, sent at once with the connection closed. */
typedef bool (*http_admit)(struct http_request *req, struct http_response *resp,
                           void *app);
/* Largest body accepted for a request to path (bytes). */
typedef size_t (*http_body_limit)(enum http_method method, const char *path,
                                  void *app);
/* Does the handler of a request to path do heavy work (run it on the
 * worker pool)?  Called with the head only. */
typedef bool (*http_heavy)(enum http_method method, const char *path,
                           void *app);

struct http_options {
	char addr[64];            /* numeric IPv4 or IPv6 address */
	uint16_t port;            /* 0: any free port */
	unsigned threads;         /* thread pool size */
	unsigned max_connections; /* in total */
	unsigned per_ip_connections;
	unsigned idle_timeout;    /* seconds */
	unsigned head_timeout;    /* seconds for a whole request head */
	size_t header_memory;     /* bytes per connection for headers */
	const char *tls_cert_pem; /* both set: serve HTTPS */
	const char *tls_key_pem;
	http_handler handler;
	http_handler too_large; /* renders the 413 page; NULL: plain text */
	http_body_limit body_limit;
	http_admit admit;   /* NULL: every POST may send its body */
	http_handler busy;  /* renders the 503 page; NULL: plain text */
	size_t body_budget; /* body bytes in flight in total; 0: no cap */
	size_t body_budget_per_address; /* the same per client address */
	http_heavy heavy;               /* NULL: nothing is heavy */
	unsigned workers;               /* worker pool threads; 0: one */
	unsigned queue;                 /* heavy requests waiting; 0: one */
	http_handler queue_full;        /* renders the 503 page of a full queue;
	                                   NULL: plain text */
	void *app;
};

struct http_server;

/* Start serving; on failure NULL and msg says why. */
struct http_server *http_start(const struct http_options *opt, char *msg,
                               size_t msgsz);
/* The port actually bound (useful when opt->port was 0). */
uint16_t http_port(struct http_server *srv);
/* Stop accepting, let requests in flight finish (at most grace seconds;
 * heavy ones still waiting then are answered 503 or dropped, running ones
 * finish), then close everything and free srv. */
void http_stop(struct http_server *srv, unsigned grace);

/* Request accessors; NULL when absent. */
const char *http_header(struct http_request *req, const char *name);
const char *http_cookie(struct http_request *req, const char *name);
const char *http_query(struct http_request *req, const char *name);

/* Add a response header (copied). */
void http_add_header(struct http_response *resp, const char *name,
                     const char *value);

/*
 * Parse an application/x-www-form-urlencoded body of len bytes (body[len]
 * must be NUL).  Calls each(name, value) for every field with both decoded
 * ('+' and %XX) and NUL-terminated; stops at max_fields (ERR_LIMIT) or at a
 * malformed escape or an encoded NUL (ERR_INVALID).  A body holding a NUL
 * byte is refused whole (ERR_INVALID) before any field, so nothing after
 * the NUL is silently dropped.  Modifies body in place.
 * fuzz/fuzz_form.c checks this against a reference parser.
 */
enum err http_form_parse(char *body, size_t len, unsigned max_fields,
                         void (*each)(const char *name, const char *value,
                                      void *arg),
                         void *arg);

/* Status line words for code, e.g. "Not Found". */
const char *http_status_text(int code);

#endif
