/*
 * The libmicrohttpd server behind http.h.
 *
 * Each request gets a struct ctx on its first callback.  Method, framing and
 * declared body size are checked there, so a 405, 400 or 413 is answered
 * before the body is read: a repeated Content-Length, or Content-Length
 * together with Transfer-Encoding (the request smuggling forms), is 400 with
 * the connection closed.  A body without a declared size (chunked) is
 * counted while it arrives; past the limit it is answered 413 and the
 * connection closed.  When the body is complete the application's handler
 * runs once and its response is queued with the security headers.  The
 * completion callback logs one line per request and frees the context.  An
 * in-flight counter lets http_stop() wait for running requests after the
 * listening socket is closed.
 *
 * Before the body is read, a POST must also pass the application's admit()
 * on its head (an upload without a valid session is refused there), and
 * its body must fit the body budget: the bytes of bodies in flight, in
 * total and per client address.  A request is reserved its declared
 * Content-Length (a chunked one its whole body limit) in the first
 * callback and released in the completion callback, whatever the end, so
 * the accounting is exact; one mutex guards it.  Both refusals are sent
 * from the first callback with the connection closed, so libmicrohttpd
 * never reads their bodies.
 *
 * The request head has a deadline of its own (head_timeout): libmicrohttpd
 * only knows an idle timeout, which every byte resets, so a client sending a
 * header byte a second would hold a connection for ever.  Each connection is
 * watched from the moment it opens (and again after each request ends) until
 * its next head is complete; a watcher thread shuts down the socket of a
 * connection whose head is late, and libmicrohttpd then closes it.
 *
 * Heavy requests (the application's heavy(): Argon2 hashing, reading an
 * uploaded file) do not run their handler on a libmicrohttpd thread, where
 * they stalled every connection that thread serves (issue 12, point 3).
 * When the body is complete the connection is suspended and a job queued
 * on the worker pool (pool.h); the worker runs the handler into c->resp,
 * records the outcome in c->job and resumes the connection, and
 * libmicrohttpd calls on_request once more, which sends the response.  The
 * connection is suspended before the job is queued, so a fast worker can
 * never resume it first.  A full queue is answered 503 at once: on the
 * head when it is already full (an upload's body is then never read), or
 * when the body is complete.  A worker first peeks at the socket: a
 * client that closed it while its job waited is not served.  Suspended
 * requests count as in flight, and http_stop() stops the pool (waiting
 * jobs answered 503, running ones finished, every connection resumed)
 * before libmicrohttpd, which must not be stopped with a connection still
 * suspended.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "headscan.h"
#include "pool.h"
#include "tlsreneg.h"
#include "http.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../base/strparse.h"

#define CSP                                                                    \
	"default-src 'self'; frame-ancestors 'none'; form-action 'self'; "     \
	"base-uri 'none'"

/*
 * GnuTLS priorities for biebsync's own TLS (issue 12, point 10): TLS 1.3,
 * and TLS 1.2 only with ECDHE key exchange (forward secrecy) and an AEAD
 * cipher (no CBC, no SHA-1 MAC, no static RSA, no finite-field DHE); the
 * server's order decides (AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM), not
 * the client's; the renegotiation indication extension (RFC 5746) is
 * required.  A client-initiated renegotiation is refused: tlsreneg.h sends
 * the no_renegotiation alert and libmicrohttpd closes the connection.
 * e2e/hardening-tls.test.mjs checks each of these;
 * scripts/testssl.sh is the full scan.
 */
#define TLS_PRIORITIES                                                         \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"                          \
	"-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:"            \
	"-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:"                      \
	"%SERVER_PRECEDENCE:%SAFE_RENEGOTIATION"

/* A connection whose request head is awaited (see the file comment). */
struct watch {
	int fd;
	bool armed;          /* waiting for a request head */
	struct timespec due; /* when armed: the head's deadline */
	struct watch *prev, *next;
};

/* Body bytes reserved for one client address (see the file comment). */
struct budget_use {
	char addr[64];
	size_t bytes;
	struct budget_use *next;
};

struct http_server {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock; /* guards watches and stopping */
	pthread_cond_t wake;
	struct watch *watches; /* every open connection */
	bool stopping;
	pthread_t watcher;
	bool watcher_started;
	struct http_options opt;
	pthread_mutex_t budget_lock; /* guards budget_used and uses */
	size_t budget_used;          /* body bytes reserved in total */
	struct budget_use *uses;     /* addresses with bytes reserved */
	struct pool *pool; /* heavy requests' handlers (see the top) */
	atomic_int inflight;
	atomic_uint counter;
	unsigned rid_prefix;
	uint16_t port;
};

struct ctx {
	struct http_request req;
	struct http_server *srv;
	size_t limit;
	int status;                   /* the status sent, for the log */
	struct MHD_PostProcessor *pp; /* multipart/form-data bodies */
	bool bad_parts;               /* too many parts or a part too big */
	size_t received;              /* body bytes so far */
	int refuse;                   /* 400 or 413 once the body ends */
	size_t reserved;              /* body budget held by this request */
	bool heavy;                   /* the handler runs on the pool */
	atomic_int job;               /* enum job: where a heavy one is */
	struct http_response resp;    /* a worker's answer, while held */
	struct timespec start;
};

/* A heavy request's way through the pool (ctx.job).  The worker writes it
 * before resuming the connection, on_request reads it after. */
enum job {
	JOB_NONE,      /* not queued (yet) */
	JOB_QUEUED,    /* suspended, waiting for or running on a worker */
	JOB_DONE,      /* the handler ran: c->resp is the answer */
	JOB_GONE,      /* the client closed before its job started */
	JOB_CANCELLED, /* the pool stopped before its job started */
	JOB_FULL,      /* the queue was full after all */
};

static const struct {
	int code;
	const char *text;
} statuses[] = {
	{ 200, "OK" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 400, "Bad Request" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

const char *
http_status_text(int code)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == code)
			return statuses[i].text;
	return "Unknown";
}

const char *
http_header(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *
http_query(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

void
http_add_header(struct http_response *resp, const char *name, const char *value)
{
	if (resp->nheaders >= HTTP_MAX_HEADERS) {
		log_error(NULL, "http: too many response headers, dropped %s",
		          name);
		return;
	}
	resp->headers[resp->nheaders][0] = xstrdup(name);
	resp->headers[resp->nheaders][1] = xstrdup(value);
	resp->nheaders++;
}

static void
response_release(struct http_response *resp)
{
	for (int i = 0; i < resp->nheaders; i++) {
		free(resp->headers[i][0]);
		free(resp->headers[i][1]);
	}
	buf_release(&resp->body);
}

/* Queue resp on conn with the headers every response carries. */
static enum MHD_Result
send_response(struct MHD_Connection *conn, struct ctx *c,
              struct http_response *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (resp->static_body != NULL) {
		r = MHD_create_response_from_buffer(
		        resp->static_len, (void *)(uintptr_t)resp->static_body,
		        MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len;
		char *data = buf_detach(&resp->body, &len);

		r = MHD_create_response_from_buffer(len, data,
		                                    MHD_RESPMEM_MUST_FREE);
		if (r == NULL)
			free(data);
	}
	if (r == NULL) {
		response_release(resp);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type",
	                        resp->content_type
	                                ? resp->content_type
	                                : "text/html; charset=utf-8");
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cache-Control",
	                        resp->cacheable ? "public, max-age=3600"
	                                        : "no-store");
	if (c->req.tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
		                        "max-age=31536000; includeSubDomains");
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i][0],
		                        resp->headers[i][1]);
	c->status = resp->status;
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	response_release(resp);
	return ret;
}

/* A short plain response produced by this layer itself. */
static enum MHD_Result
send_plain(struct MHD_Connection *conn, struct ctx *c, int status,
           const char *text)
{
	struct http_response resp;

	memset(&resp, 0, sizeof(resp));
	resp.status = status;
	resp.content_type = "text/plain; charset=utf-8";
	buf_init(&resp.body, 1024);
	buf_adds(&resp.body, text);
	if (status == 405)
		http_add_header(&resp, "Allow", "GET, HEAD, POST");
	if (status == 413 || status == 400 || status == 503)
		http_add_header(&resp, "Connection", "close");
	if (status == 503)
		http_add_header(&resp, "Retry-After", HTTP_RETRY_AFTER);
	return send_response(conn, c, &resp);
}

static void
client_addr(struct MHD_Connection *conn, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	        conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	str_copy(out, outsz, "?");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		          out, (socklen_t)outsz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
		          (socklen_t)outsz);
}

/* The declared body size, or -1 when none or unparsable. */
static int64_t
declared_length(struct MHD_Connection *conn)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                            "Content-Length");
	uint64_t n;

	if (v == NULL || parse_u64(v, 0, INT64_MAX, &n) != ERR_OK)
		return -1;
	return (int64_t)n;
}

/* The head deadline, from now. */
static void
watch_arm(struct http_server *srv, struct watch *w)
{
	pthread_mutex_lock(&srv->lock);
	clock_gettime(CLOCK_MONOTONIC, &w->due);
	w->due.tv_sec += srv->opt.head_timeout;
	w->armed = true;
	pthread_mutex_unlock(&srv->lock);
}

static struct watch *
watch_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	        conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* The head is complete: no deadline until the request ends. */
static void
watch_disarm(struct http_server *srv, struct MHD_Connection *conn)
{
	struct watch *w = watch_of(conn);

	if (w == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	w->armed = false;
	pthread_mutex_unlock(&srv->lock);
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
              enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;
	struct watch *w = *socket_context;
	const union MHD_ConnectionInfo *ci;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn,
		                             MHD_CONNECTION_INFO_CONNECTION_FD);
		w = xcalloc(1, sizeof(*w));
		w->fd = ci ? ci->connect_fd : -1;
		if (!srv->opt.tls_cert_pem) {
			headscan_start(w->fd);
		} else {
			ci = MHD_get_connection_info(
			        conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
			tlsreneg_watch(ci ? ci->tls_session : NULL, w->fd);
		}
		pthread_mutex_lock(&srv->lock);
		w->next = srv->watches;
		if (w->next != NULL)
			w->next->prev = w;
		srv->watches = w;
		pthread_mutex_unlock(&srv->lock);
		watch_arm(srv, w);
		*socket_context = w;
		return;
	}
	if (w == NULL)
		return;
	headscan_stop(w->fd);
	tlsreneg_forget(w->fd);
	/* MHD closes the socket only after this returns, so the watcher,
	 * which shuts sockets down under the same lock, never meets a
	 * closed or reused descriptor. */
	pthread_mutex_lock(&srv->lock);
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		srv->watches = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&srv->lock);
	free(w);
	*socket_context = NULL;
}

static bool
past(const struct timespec *now, const struct timespec *due)
{
	return now->tv_sec > due->tv_sec ||
	       (now->tv_sec == due->tv_sec && now->tv_nsec >= due->tv_nsec);
}

/* Every 200 ms: shut down the sockets of connections whose head is late. */
static void *
watcher_main(void *arg)
{
	struct http_server *srv = arg;
	struct timespec now, until;

	pthread_mutex_lock(&srv->lock);
	while (!srv->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (struct watch *w = srv->watches; w != NULL; w = w->next) {
			if (!w->armed || !past(&now, &w->due) || w->fd < 0)
				continue;
			log_warn(NULL,
			         "http: request head not complete "
			         "within %us, connection closed",
			         srv->opt.head_timeout);
			shutdown(w->fd, SHUT_RDWR);
			w->armed = false;
		}
		until = now;
		until.tv_nsec += 200 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv->wake, &srv->lock, &until);
	}
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

struct framing {
	int content_length;    /* Content-Length headers */
	int transfer_encoding; /* Transfer-Encoding headers */
};

static enum MHD_Result
count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
              const char *value)
{
	struct framing *f = cls;

	(void)kind;
	(void)value;
	if (strcasecmp(key, "Content-Length") == 0)
		f->content_length++;
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->transfer_encoding++;
	return MHD_YES;
}

/* A body length that two parsers could read differently: more than one
 * Content-Length, or Content-Length next to Transfer-Encoding.  A proxy in
 * front may take the other reading and see the rest as a new request. */
static bool
ambiguous_framing(struct MHD_Connection *conn)
{
	struct framing f = { 0, 0 };

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	return f.content_length > 1 ||
	       (f.content_length > 0 && f.transfer_encoding > 0);
}

/* A bare LF or CR or an obs-fold line in the head (see headscan.h). */
static bool
head_is_bad(struct MHD_Connection *conn)
{
	struct watch *w = watch_of(conn);

	return w != NULL && headscan_bad(w->fd);
}

static struct ctx *
ctx_new(struct http_server *srv, struct MHD_Connection *conn, const char *url)
{
	struct ctx *c = xcalloc(1, sizeof(*c));

	c->srv = srv;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	snprintf(c->req.rid, sizeof(c->req.rid), "%08x-%u", srv->rid_prefix,
	         atomic_fetch_add(&srv->counter, 1));
	c->req.path = url;
	c->req.conn = conn;
	c->req.tls = srv->opt.tls_cert_pem != NULL;
	client_addr(conn, c->req.client_addr, sizeof(c->req.client_addr));
	atomic_fetch_add(&srv->inflight, 1);
	return c;
}

/* libmicrohttpd's post processor hands over parts in pieces; a piece with
 * off == 0 starts a part. */
static enum MHD_Result
on_part(void *cls, enum MHD_ValueKind kind, const char *key,
        const char *filename, const char *type, const char *encoding,
        const char *data, uint64_t off, size_t size)
{
	struct ctx *c = cls;
	struct http_part *p;

	(void)kind;
	(void)encoding;
	if (off == 0) {
		if (c->req.nparts == HTTP_MAX_PARTS) {
			c->bad_parts = true;
			return MHD_NO;
		}
		p = &c->req.parts[c->req.nparts++];
		str_copy(p->name, sizeof(p->name), key ? key : "");
		str_copy(p->filename, sizeof(p->filename),
		         filename ? filename : "");
		str_copy(p->type, sizeof(p->type), type ? type : "");
		/* filename="" (an empty file input) is not a file either
		 * (http.h); fuzz/regress/multipart-empty-filename-past-cap */
		buf_init(&p->data, p->filename[0] != '\0' ? c->limit
		                                          : HTTP_PART_TEXT_MAX);
	}
	if (c->req.nparts == 0)
		return MHD_NO;
	p = &c->req.parts[c->req.nparts - 1];
	if (buf_add(&p->data, data, size) != ERR_OK) {
		c->bad_parts = true;
		return MHD_NO;
	}
	return MHD_YES;
}

static bool
is_multipart(struct MHD_Connection *conn)
{
	const char *t = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                            "Content-Type");

	return t != NULL && strncasecmp(t, "multipart/form-data", 19) == 0;
}

/* The 413 answer: the application's page when it has one. */
static enum MHD_Result
send_too_large(struct MHD_Connection *conn, struct ctx *c)
{
	struct http_response resp;

	if (c->srv->opt.too_large == NULL)
		return send_plain(conn, c, 413, "Content Too Large\n");
	memset(&resp, 0, sizeof(resp));
	resp.status = 413;
	buf_init(&resp.body, 1u << 20);
	c->srv->opt.too_large(&c->req, &resp, c->srv->opt.app);
	http_add_header(&resp, "Connection", "close");
	return send_response(conn, c, &resp);
}

/*
 * A chunked body past its limit.  libmicrohttpd 0.9.75 cannot queue a
 * response while a body is arriving, so the rest is read and dropped (no
 * memory is kept) and the refusal is answered when the body ends; a body
 * that goes on for more than another limit's worth is cut off by closing
 * the connection without an answer.
 */
static enum MHD_Result
discard(struct ctx *c, size_t *upload_size)
{
	c->received += *upload_size;
	*upload_size = 0;
	if (c->received > c->limit) {
		c->status = c->refuse; /* for the log line */
		return MHD_NO;
	}
	return MHD_YES;
}

/* Start dropping the body: what was kept is freed now. */
static enum MHD_Result
refuse_rest(struct ctx *c, size_t *upload_size)
{
	buf_release(&c->req.body);
	for (int i = 0; i < c->req.nparts; i++)
		buf_release_secret(&c->req.parts[i].data);
	c->received = 0;
	*upload_size = 0;
	return MHD_YES;
}

/*
 * Reserve n body bytes for c's client address, within both budgets; false
 * when either would be exceeded.  A budget of 0 is no cap.
 */
static bool
budget_reserve(struct http_server *srv, struct ctx *c, size_t n)
{
	size_t total = srv->opt.body_budget;
	size_t per = srv->opt.body_budget_per_address;
	struct budget_use *u;
	bool ok = false;

	if (n == 0 || (total == 0 && per == 0))
		return true;
	pthread_mutex_lock(&srv->budget_lock);
	for (u = srv->uses; u != NULL; u = u->next)
		if (strcmp(u->addr, c->req.client_addr) == 0)
			break;
	if (total != 0 &&
	    (srv->budget_used > total || n > total - srv->budget_used))
		goto out;
	if (per != 0 && u != NULL && (u->bytes > per || n > per - u->bytes))
		goto out;
	if (per != 0 && u == NULL && n > per)
		goto out;
	if (u == NULL) {
		u = xcalloc(1, sizeof(*u));
		str_copy(u->addr, sizeof(u->addr), c->req.client_addr);
		u->next = srv->uses;
		srv->uses = u;
	}
	u->bytes += n;
	srv->budget_used += n;
	c->reserved = n;
	ok = true;
out:
	pthread_mutex_unlock(&srv->budget_lock);
	return ok;
}

/* Give back what c reserved; an address with nothing left is forgotten. */
static void
budget_release(struct http_server *srv, struct ctx *c)
{
	struct budget_use **pu, *u;

	if (c->reserved == 0)
		return;
	pthread_mutex_lock(&srv->budget_lock);
	for (pu = &srv->uses; (u = *pu) != NULL; pu = &u->next) {
		if (strcmp(u->addr, c->req.client_addr) != 0)
			continue;
		u->bytes -= c->reserved;
		if (u->bytes == 0) {
			*pu = u->next;
			free(u);
		}
		break;
	}
	srv->budget_used -= c->reserved;
	pthread_mutex_unlock(&srv->budget_lock);
	c->reserved = 0;
}

/* The bytes to reserve for a request's body: its declared length, or for
 * a chunked body its limit; 0 when it has none. */
static size_t
body_claim(struct MHD_Connection *conn, struct ctx *c, int64_t declared)
{
	if (declared >= 0)
		return (size_t)declared;
	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                "Transfer-Encoding") != NULL)
		return c->limit;
	return 0;
}

/*
 * Ask the application whether a POST may send its body.  true: go on;
 * false: its refusal was queued (status in c->status, the MHD result in
 * *ret) with the connection closed, so the body is never read.
 */
static bool
refused_on_head(struct MHD_Connection *conn, struct ctx *c,
                enum MHD_Result *ret)
{
	struct http_server *srv = c->srv;
	struct http_response resp;

	memset(&resp, 0, sizeof(resp));
	resp.status = 200;
	buf_init(&resp.body, 1u << 20);
	if (srv->opt.admit(&c->req, &resp, srv->opt.app)) {
		response_release(&resp);
		return false;
	}
	http_add_header(&resp, "Connection", "close");
	*ret = send_response(conn, c, &resp);
	return true;
}

/* A 503: page's answer when there is one (else plain text), with
 * Retry-After; the connection is closed. */
static enum MHD_Result
send_unavailable(struct MHD_Connection *conn, struct ctx *c, http_handler page,
                 const char *retry_after)
{
	struct http_server *srv = c->srv;
	struct http_response resp;

	if (page == NULL) {
		memset(&resp, 0, sizeof(resp));
		resp.content_type = "text/plain; charset=utf-8";
		buf_init(&resp.body, 64);
		buf_adds(&resp.body, "Service Unavailable\n");
	} else {
		memset(&resp, 0, sizeof(resp));
		buf_init(&resp.body, 1u << 20);
		page(&c->req, &resp, srv->opt.app);
	}
	resp.status = 503;
	http_add_header(&resp, "Retry-After", retry_after);
	http_add_header(&resp, "Connection", "close");
	return send_response(conn, c, &resp);
}

/* The 503 past the body budget. */
static enum MHD_Result
send_busy(struct MHD_Connection *conn, struct ctx *c)
{
	return send_unavailable(conn, c, c->srv->opt.busy, HTTP_RETRY_AFTER);
}

/* The 503 of a full worker queue, or of a server stopping (why). */
static enum MHD_Result
send_queue_full(struct MHD_Connection *conn, struct ctx *c, const char *why)
{
	log_warn(c->req.rid, "http: %s, %s refused for %s", why, c->req.path,
	         c->req.client_addr);
	return send_unavailable(conn, c, c->srv->opt.queue_full,
	                        HTTP_RETRY_AFTER_QUEUE);
}

/* Has the client closed its connection (or reset it)?  A peek: nothing is
 * read.  A client that only shut down its sending side looks gone too. */
static bool
peer_gone(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	        conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	char b;
	ssize_t n;

	if (ci == NULL)
		return false;
	n = recv(ci->connect_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	                  errno != EINTR);
}

/* A heavy request's job, on a worker (see the top).  After the resume c
 * belongs to libmicrohttpd's thread again: not touched here any more. */
static void
run_heavy(void *arg, bool cancelled)
{
	struct ctx *c = arg;
	struct MHD_Connection *conn = c->req.conn;
	struct http_server *srv = c->srv;
	enum job outcome;

	if (cancelled) {
		outcome = JOB_CANCELLED;
	} else if (peer_gone(conn)) {
		log_info(c->req.rid, "http: client gone, %s not served",
		         c->req.path);
		outcome = JOB_GONE;
	} else {
		memset(&c->resp, 0, sizeof(c->resp));
		c->resp.status = 200;
		buf_init(&c->resp.body, 8u << 20);
		srv->opt.handler(&c->req, &c->resp, srv->opt.app);
		outcome = JOB_DONE;
	}
	atomic_store(&c->job, outcome);
	MHD_resume_connection(conn);
}

/* The complete request c, heavy: queue it, or answer now (see the top). */
static enum MHD_Result
queue_heavy(struct MHD_Connection *conn, struct ctx *c)
{
	if (pool_full(c->srv->pool))
		return send_queue_full(conn, c, "worker queue full");
	atomic_store(&c->job, JOB_QUEUED);
	MHD_suspend_connection(conn);
	if (!pool_submit(c->srv->pool, run_heavy, c)) {
		atomic_store(&c->job, JOB_FULL);
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}

/* Called again after the resume: send what the job came to. */
static enum MHD_Result
finish_heavy(struct MHD_Connection *conn, struct ctx *c)
{
	switch (atomic_load(&c->job)) {
	case JOB_DONE:
		atomic_store(&c->job, JOB_NONE);
		return send_response(conn, c, &c->resp);
	case JOB_GONE:
		c->status = 499; /* for the log line: nobody to answer */
		return MHD_NO;
	case JOB_QUEUED: /* not resumed by us: should not happen */
		return MHD_YES;
	case JOB_CANCELLED:
		return send_queue_full(conn, c, "server stopping");
	default: /* JOB_FULL */
		return send_queue_full(conn, c, "worker queue full");
	}
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct ctx *c = *con_cls;
	struct http_response resp;
	int64_t declared;
	enum MHD_Result ret;

	(void)version;
	if (c == NULL) {
		c = ctx_new(srv, conn, url);
		*con_cls = c;
		watch_disarm(srv, conn);
		if (head_is_bad(conn) || ambiguous_framing(conn))
			return send_plain(conn, c, 400, "Bad Request\n");
		if (strcmp(method, "GET") == 0)
			c->req.method = HTTP_GET;
		else if (strcmp(method, "HEAD") == 0)
			c->req.method = HTTP_HEAD;
		else if (strcmp(method, "POST") == 0)
			c->req.method = HTTP_POST;
		else
			return send_plain(conn, c, 405, "Method Not Allowed\n");
		c->limit =
		        srv->opt.body_limit(c->req.method, url, srv->opt.app);
		c->heavy = srv->pool != NULL && srv->opt.heavy != NULL &&
		           srv->opt.heavy(c->req.method, url, srv->opt.app);
		declared = declared_length(conn);
		if (declared > (int64_t)c->limit)
			return send_too_large(conn, c);
		if (c->req.method == HTTP_POST && srv->opt.admit != NULL &&
		    refused_on_head(conn, c, &ret))
			return ret;
		if (c->req.method == HTTP_POST &&
		    !budget_reserve(srv, c, body_claim(conn, c, declared))) {
			log_warn(c->req.rid,
			         "http: body budget spent, %s refused for %s",
			         url, c->req.client_addr);
			return send_busy(conn, c);
		}
		/* a full queue now: refused before the body is read */
		if (c->heavy && pool_full(srv->pool))
			return send_queue_full(conn, c, "worker queue full");
		if (c->req.method == HTTP_POST && is_multipart(conn)) {
			c->req.multipart = true;
			c->pp = MHD_create_post_processor(conn, 65536, on_part,
			                                  c);
			if (c->pp == NULL)
				return send_plain(conn, c, 400,
				                  "Bad Request\n");
		}
		buf_init(&c->req.body, c->pp ? 0 : c->limit);
		return MHD_YES;
	}
	if (c->status != 0) { /* answered early: discard the rest */
		*upload_size = 0;
		return MHD_YES;
	}
	if (atomic_load(&c->job) != JOB_NONE) /* resumed by its worker */
		return finish_heavy(conn, c);
	if (*upload_size > 0 && c->refuse != 0)
		return discard(c, upload_size);
	if (*upload_size > 0 && c->pp != NULL) {
		c->received += *upload_size;
		if (c->received > c->limit ||
		    MHD_post_process(c->pp, upload, *upload_size) != MHD_YES) {
			c->refuse = c->bad_parts ? 400 : 413;
			return refuse_rest(c, upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (buf_add(&c->req.body, upload, *upload_size) != ERR_OK) {
			c->refuse = 413;
			return refuse_rest(c, upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->refuse == 413)
		return send_too_large(conn, c);
	if (c->refuse == 400)
		return send_plain(conn, c, 400, "Bad Request\n");
	if (c->pp != NULL) {
		MHD_destroy_post_processor(c->pp);
		c->pp = NULL;
		if (c->bad_parts)
			return send_plain(conn, c, 400, "Bad Request\n");
	}
	if (c->heavy)
		return queue_heavy(conn, c);
	memset(&resp, 0, sizeof(resp));
	resp.status = 200;
	buf_init(&resp.body, 8u << 20);
	srv->opt.handler(&c->req, &resp, srv->opt.app);
	return send_response(conn, c, &resp);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct ctx *c = *con_cls;
	struct timespec end;
	long ms;

	if (c == NULL)
		return;
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) {
		struct watch *w = watch_of(conn);

		if (w != NULL) { /* keep-alive: the next head is watched */
			watch_arm(srv, w);
			if (!srv->opt.tls_cert_pem)
				headscan_start(w->fd);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (end.tv_sec - c->start.tv_sec) * 1000 +
	     (end.tv_nsec - c->start.tv_nsec) / 1000000;
	log_info(c->req.rid, "%s %s %d %ldms%s",
	         c->req.method == HTTP_POST   ? "POST"
	         : c->req.method == HTTP_HEAD ? "HEAD"
	                                      : "GET",
	         c->req.path, c->status, ms,
	         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
	                                                    : " (aborted)");
	if (atomic_load(&c->job) == JOB_DONE) /* answered, never sent */
		response_release(&c->resp);
	buf_release(&c->req.body);
	budget_release(srv, c);
	if (c->pp != NULL)
		MHD_destroy_post_processor(c->pp);
	for (int i = 0; i < c->req.nparts; i++)
		buf_release_secret(&c->req.parts[i].data);
	atomic_fetch_sub(&srv->inflight, 1);
	free(c);
	*con_cls = NULL;
}

/* Log MHD's own complaints through our logger (escaped, one line). */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn(NULL, "http: %s", line);
}

struct http_server *
http_start(const struct http_options *opt, char *msg, size_t msgsz)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *di;

	srv->opt = *opt;
	if (srv->opt.head_timeout == 0)
		srv->opt.head_timeout = 10;
	pthread_condattr_t ca;

	pthread_mutex_init(&srv->lock, NULL);
	pthread_mutex_init(&srv->budget_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&srv->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (getrandom(&srv->rid_prefix, sizeof(srv->rid_prefix), 0) !=
	    sizeof(srv->rid_prefix))
		srv->rid_prefix = (unsigned)getpid();
	memset(&ss, 0, sizeof(ss));
	if (strchr(opt->addr, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(opt->port);
		inet_pton(AF_INET6, opt->addr, &s6->sin6_addr);
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(opt->port);
		inet_pton(AF_INET, opt->addr, &s4->sin_addr);
	}
	struct MHD_OptionItem o[16];
	int n = 0;

#define OPT(k, v, p) o[n++] = (struct MHD_OptionItem){ k, (intptr_t)(v), p }
	OPT(MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv);
	OPT(MHD_OPTION_SOCK_ADDR, 0, &ss);
	OPT(MHD_OPTION_THREAD_POOL_SIZE, opt->threads, NULL);
	OPT(MHD_OPTION_CONNECTION_LIMIT, opt->max_connections, NULL);
	OPT(MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->per_ip_connections, NULL);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, opt->idle_timeout, NULL);
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, opt->header_memory, NULL);
	OPT(MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv);
	OPT(MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv);
	OPT(MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL);
	if (opt->tls_cert_pem != NULL) {
		flags |= MHD_USE_TLS;
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0,
		    (void *)(uintptr_t)opt->tls_cert_pem);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0,
		    (void *)(uintptr_t)opt->tls_key_pem);
		OPT(MHD_OPTION_HTTPS_PRIORITIES, 0,
		    (void *)(uintptr_t)TLS_PRIORITIES);
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	if (opt->heavy != NULL &&
	    (srv->pool = pool_new(opt->workers, opt->queue, msg, msgsz)) ==
	            NULL) {
		pthread_cond_destroy(&srv->wake);
		pthread_mutex_destroy(&srv->lock);
		pthread_mutex_destroy(&srv->budget_lock);
		free(srv);
		return NULL;
	}
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
	                               MHD_OPTION_ARRAY, o, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		pool_free(srv->pool);
		snprintf(
		        msg, msgsz, "cannot listen on %s port %u%s", opt->addr,
		        (unsigned)opt->port,
		        opt->tls_cert_pem
		                ? " with TLS (check the certificate and key)"
		                : " (in use, or not an address of this machine?)");
		pthread_cond_destroy(&srv->wake);
		pthread_mutex_destroy(&srv->lock);
		pthread_mutex_destroy(&srv->budget_lock);
		free(srv);
		return NULL;
	}
	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : opt->port;
	if (pthread_create(&srv->watcher, NULL, watcher_main, srv) == 0)
		srv->watcher_started = true;
	else
		log_error(NULL, "http: cannot start the request head watcher");
	return srv;
}

uint16_t
http_port(struct http_server *srv)
{
	return srv->port;
}

void
http_stop(struct http_server *srv, unsigned grace)
{
	MHD_socket fd;
	unsigned waited = 0;

	if (srv == NULL)
		return;
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&srv->inflight) > 0 && waited < grace * 10) {
		usleep(100000);
		waited++;
	}
	/* heavy requests still waiting are answered 503, running ones
	 * finish: then no connection is suspended any more */
	pool_free(srv->pool);
	pthread_mutex_lock(&srv->lock);
	srv->stopping = true;
	pthread_cond_signal(&srv->wake);
	pthread_mutex_unlock(&srv->lock);
	if (srv->watcher_started)
		pthread_join(srv->watcher, NULL);
	MHD_stop_daemon(srv->daemon);
	while (srv->uses != NULL) { /* all released by now; be sure */
		struct budget_use *u = srv->uses;

		srv->uses = u->next;
		free(u);
	}
	pthread_cond_destroy(&srv->wake);
	pthread_mutex_destroy(&srv->lock);
	pthread_mutex_destroy(&srv->budget_lock);
	free(srv);
}
