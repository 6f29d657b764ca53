/*
 * The libmicrohttpd server behind http.h.
 *
 * Each request gets a struct ctx on its first callback.  Method and declared
 * body size are checked there, so a 405 or 413 is answered before the body
 * is read; a body without a declared size (chunked) is counted while it
 * arrives and the connection is closed as soon as it passes the limit.  When
 * the body is complete the application's handler runs once and its response is
 * queued with the security headers.  The completion callback logs one line per
 * request and frees the context.  An in-flight counter lets http_stop() wait
 * for running requests after the listening socket is closed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "../base/log.h"
#include "../base/mem.h"
#include "../base/strparse.h"

#define CSP                                                                    \
	"default-src 'self'; frame-ancestors 'none'; form-action 'self'; "     \
	"base-uri 'none'"

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_options opt;
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
	struct timespec start;
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
	if (status == 413)
		http_add_header(&resp, "Connection", "close");
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
		buf_init(&p->data, filename ? c->limit : HTTP_PART_TEXT_MAX);
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

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct ctx *c = *con_cls;
	struct http_response resp;
	int64_t declared;

	(void)version;
	if (c == NULL) {
		c = ctx_new(srv, conn, url);
		*con_cls = c;
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
		declared = declared_length(conn);
		if (declared > (int64_t)c->limit)
			return send_too_large(conn, c);
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
	if (*upload_size > 0 && c->pp != NULL) {
		c->received += *upload_size;
		if (c->received > c->limit ||
		    MHD_post_process(c->pp, upload, *upload_size) != MHD_YES) {
			/* as below: no response can be queued mid-body */
			c->status = c->bad_parts ? 400 : 413;
			return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (buf_add(&c->req.body, upload, *upload_size) != ERR_OK) {
			/* libmicrohttpd 0.9.75 cannot queue a response in the
			 * middle of a body, and reading the rest would be
			 * unbounded: close the connection (logged as 413). */
			c->status = 413;
			return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->pp != NULL) {
		MHD_destroy_post_processor(c->pp);
		c->pp = NULL;
		if (c->bad_parts)
			return send_plain(conn, c, 400, "Bad Request\n");
	}
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

	(void)conn;
	if (c == NULL)
		return;
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
	buf_release(&c->req.body);
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
	                 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *di;

	srv->opt = *opt;
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
	if (opt->tls_cert_pem != NULL) {
		flags |= MHD_USE_TLS;
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0,
		    (void *)(uintptr_t)opt->tls_cert_pem);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0,
		    (void *)(uintptr_t)opt->tls_key_pem);
		OPT(MHD_OPTION_HTTPS_PRIORITIES, 0,
		    (void *)(uintptr_t) "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2");
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
	                               MHD_OPTION_ARRAY, o, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		snprintf(
		        msg, msgsz, "cannot listen on %s port %u%s", opt->addr,
		        (unsigned)opt->port,
		        opt->tls_cert_pem
		                ? " with TLS (check the certificate and key)"
		                : " (in use, or not an address of this machine?)");
		free(srv);
		return NULL;
	}
	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : opt->port;
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
	MHD_stop_daemon(srv->daemon);
	free(srv);
}
