/*
 * stream.c: a client connection with deadlines. Sockets are non-blocking; every wait is a poll() bounded by the
 * step's timeout and the overall deadline of the caller's clock (the library never reads the clock itself).
 */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(struct rs_stream *s, enum rs_net_fail f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct rs_stream *s, enum rs_net_fail f, const char *fmt, ...)
{
	va_list ap;

	s->fail = f;
	va_start(ap, fmt);
	vsnprintf(s->message, sizeof(s->message), fmt, ap);
	va_end(ap);
	return -1;
}

void rs_stream_init(struct rs_stream *s, rs_clock_fn clock, void *ctx, int64_t deadline, int step_ms)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->clock = clock;
	s->clock_ctx = ctx;
	s->deadline = clock ? deadline : 0;
	s->step_ms = step_ms > 0 ? step_ms : 10000;
}

int rs_stream_write(struct rs_stream *s, const void *buf, size_t len)
{
	return s->layer_write ? s->layer_write(s, buf, len) : rs_stream_raw_write(s, buf, len);
}

long rs_stream_read(struct rs_stream *s, void *buf, size_t cap)
{
	return s->layer_read ? s->layer_read(s, buf, cap) : rs_stream_raw_read(s, buf, cap);
}

void rs_stream_close(struct rs_stream *s)
{
	free(s->wsbuf);
	s->wsbuf = NULL;
	s->ws = 0;
	s->layer_write = NULL;
	s->layer_read = NULL;
	if (s->ssl && SSL_is_init_finished(s->ssl))
		SSL_shutdown(s->ssl); /* one close_notify, without waiting for the peer's */
	ERR_clear_error();
	SSL_free(s->ssl);
	SSL_CTX_free(s->ctx);
	if (s->fd >= 0)
		close(s->fd);
	s->ssl = NULL;
	s->ctx = NULL;
	s->fd = -1;
}

int64_t rs_stream_now(const struct rs_stream *s)
{
	return s->clock ? s->clock(s->clock_ctx) : -1;
}

/* The wait allowed now: the step's timeout, cut to what is left before the deadline. */
static int wait_ms(const struct rs_stream *s, int step_ms)
{
	int64_t left;

	if (!s->deadline)
		return step_ms;
	left = s->deadline - rs_stream_now(s);
	if (left <= 0)
		return 0;
	return left < step_ms ? (int)left : step_ms;
}

/* 1 ready, 0 timeout, -1 error. With a clock, the wait is cut into slices of at most WAIT_SLICE_MS and the clock
 * asked again after each: a caller stops a probe at once by making its clock jump past the deadline (a signal in
 * the front end), without the library seeing signals. */
#define WAIT_SLICE_MS 200
static int wait_fd(const struct rs_stream *s, short events, int step_ms)
{
	struct pollfd p = { s->fd, events, 0 };
	int64_t step_end = s->clock ? rs_stream_now(s) + step_ms : 0, left;
	int ms = wait_ms(s, step_ms), n;

	while (ms > 0) {
		do
			n = poll(&p, 1, s->clock && ms > WAIT_SLICE_MS ? WAIT_SLICE_MS : ms);
		while (n < 0 && errno == EINTR);
		if (n != 0 || !s->clock)
			return n;
		left = step_end - rs_stream_now(s);
		if (left <= 0)
			return 0;
		ms = wait_ms(s, left < step_ms ? (int)left : step_ms);
	}
	return 0;
}

static int connect_addr(struct rs_stream *s, const struct addrinfo *ai, int timeout_ms)
{
	int err = 0, n;
	socklen_t len = sizeof(err);

	s->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
	if (s->fd < 0)
		return fail(s, RS_NET_INTERNAL, "socket: %s", strerror(errno));
	if (connect(s->fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		err = errno;
	else if ((n = wait_fd(s, POLLOUT, timeout_ms)) <= 0)
		err = n == 0 ? ETIMEDOUT : errno;
	else if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (!err)
		return 0;
	close(s->fd);
	s->fd = -1;
	return fail(s, err == ETIMEDOUT ? RS_NET_TIMEOUT : err == ECONNREFUSED ? RS_NET_REFUSED : RS_NET_IO,
		    "%s", err == ETIMEDOUT ? "no answer to the TCP connection" : strerror(err));
}

static void format_peer(struct rs_stream *s, const struct addrinfo *ai)
{
	char host[64] = "?", port[16] = "?";

	getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), port, sizeof(port),
		    NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(s->peer, sizeof(s->peer), ai->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

/* Tries each address in turn: a device would too. DNS itself cannot be bounded by the deadline here. */
int rs_stream_connect(struct rs_stream *s, const char *host, int port, int timeout_ms)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16];
	int rv, gai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%d", port);
	gai = getaddrinfo(host, portstr, &hints, &res);
	if (gai != 0)
		return fail(s, RS_NET_DNS, "cannot resolve '%s': %s", host, gai_strerror(gai));
	rv = -1;
	for (ai = res; ai && rv < 0; ai = ai->ai_next) {
		format_peer(s, ai);
		rv = connect_addr(s, ai, timeout_ms);
	}
	freeaddrinfo(res);
	if (rv == 0)
		s->fail = RS_NET_OK;
	return rv;
}

int rs_stream_raw_write(struct rs_stream *s, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		long n;
		if (s->ssl) {
			size_t w = 0;
			int r = SSL_write_ex(s->ssl, p, len, &w);
			if (r <= 0) {
				int e = SSL_get_error(s->ssl, r);
				ERR_clear_error();
				if (e == SSL_ERROR_ZERO_RETURN)
					s->peer_closed = 1;
				if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
					return fail(s, RS_NET_CLOSED, "%s", s->peer_closed ? "the server closed the connection"
												: "the connection closed while writing");
				if (wait_fd(s, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, s->step_ms) <= 0)
					return fail(s, RS_NET_TIMEOUT, "timed out writing");
				continue;
			}
			n = (long)w;
		} else {
			n = send(s->fd, p, len, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				if (wait_fd(s, POLLOUT, s->step_ms) <= 0)
					return fail(s, RS_NET_TIMEOUT, "timed out writing");
				continue;
			}
			if (n < 0) {
				s->peer_closed |= errno == EPIPE || errno == ECONNRESET;
				return fail(s, RS_NET_CLOSED, "cannot write: %s", strerror(errno));
			}
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static long read_tls(struct rs_stream *s, void *buf, size_t cap)
{
	for (;;) {
		size_t got = 0;
		int r = SSL_read_ex(s->ssl, buf, cap, &got), e;

		if (r > 0)
			return (long)got;
		e = SSL_get_error(s->ssl, r);
		ERR_clear_error();
		/* close_notify, or closed without it as many servers do after a rejection (OpenSSL 3 reports the
		 * latter as SSL_R_UNEXPECTED_EOF_WHILE_READING, SSL_get_error(3)) */
		if (e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL || s->peer_closed) {
			s->peer_closed = 1;
			return 0;
		}
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			fail(s, RS_NET_CLOSED, "TLS error while reading");
			return -1;
		}
		if (wait_fd(s, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, s->step_ms) <= 0) {
			fail(s, RS_NET_TIMEOUT, "no answer in time");
			return -1;
		}
	}
}

long rs_stream_raw_read(struct rs_stream *s, void *buf, size_t cap)
{
	if (s->ssl)
		return read_tls(s, buf, cap);
	for (;;) {
		long n = recv(s->fd, buf, cap, 0);
		if (n > 0)
			return n;
		if (n == 0 || errno == ECONNRESET) {
			s->peer_closed = 1;
			return 0;
		}
		if (errno != EAGAIN && errno != EINTR) {
			fail(s, RS_NET_CLOSED, "cannot read: %s", strerror(errno));
			return -1;
		}
		if (wait_fd(s, POLLIN, s->step_ms) <= 0) {
			fail(s, RS_NET_TIMEOUT, "no answer in time");
			return -1;
		}
	}
}

/* HTTP CONNECT (RFC 9110 9.3.6): any 2xx status opens the tunnel. */
int rs_stream_proxy(struct rs_stream *s, const char *host, int port, int timeout_ms)
{
	char req[600], resp[2048];
	size_t got = 0;
	int status = 0;

	snprintf(req, sizeof(req), "CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n", host, port, host, port);
	s->step_ms = timeout_ms;
	if (rs_stream_raw_write(s, req, strlen(req)) < 0)
		return fail(s, RS_NET_PROXY, "proxy: %s", s->message);
	while (got < sizeof(resp) - 1) {
		long n = rs_stream_raw_read(s, resp + got, 1); /* byte by byte: nothing after the header is ours */
		if (n <= 0)
			return fail(s, RS_NET_PROXY, "the proxy closed or did not answer the CONNECT");
		got += (size_t)n;
		resp[got] = '\0';
		if (got >= 4 && !memcmp(resp + got - 4, "\r\n\r\n", 4))
			break;
	}
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1 || status < 200 || status > 299)
		return fail(s, RS_NET_PROXY, "the proxy refused the tunnel: %.60s", resp);
	return 0;
}

static SSL_CTX *new_ctx(const struct rs_tls_params *p)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	unsigned char alpn[256];
	size_t n;

	if (!ctx)
		return NULL;
	/* Verification is ours (rs_verify), after the handshake, so that the chain is captured whatever it is. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(ctx, 0);
	/* Every probe is a full handshake (a resumed one sends no chain): no session cache, no TLS 1.2 ticket. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	if ((p->min_version && !SSL_CTX_set_min_proto_version(ctx, p->min_version)) ||
	    (p->max_version && !SSL_CTX_set_max_proto_version(ctx, p->max_version))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (p->alpn && (n = strlen(p->alpn)) > 0 && n < sizeof(alpn)) {
		alpn[0] = (unsigned char)n;
		memcpy(alpn + 1, p->alpn, n);
		if (SSL_CTX_set_alpn_protos(ctx, alpn, (unsigned)n + 1) != 0) {
			SSL_CTX_free(ctx);
			return NULL;
		}
	}
	return ctx;
}

/*
 * TLS contexts, kept for the life of the process and shared by every connection with the same settings: making one
 * (SSL_CTX_new loads ciphers, groups and providers' tables) costs as much as the handshake itself, and a probe of
 * many targets would pay it for each (issue #19). An SSL_CTX is safe to share between threads once configured
 * (openssl-threads(7)); each connection holds a reference. A few settings at most are in use: when the cache is
 * full, a context is made for the connection alone.
 */
#define CTX_CACHE 8
static struct {
	int min_version, max_version;
	char alpn[256];
	SSL_CTX *ctx;
} ctx_cache[CTX_CACHE];
static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;

/* A reference to the context for these settings (the caller frees it), or NULL. */
static SSL_CTX *shared_ctx(const struct rs_tls_params *p)
{
	const char *alpn = p->alpn ? p->alpn : "";
	int cacheable = strlen(alpn) < sizeof(ctx_cache[0].alpn);
	SSL_CTX *ctx = NULL;
	size_t i = CTX_CACHE;

	pthread_mutex_lock(&ctx_lock);
	if (cacheable)
		for (i = 0; i < CTX_CACHE && ctx_cache[i].ctx; i++)
			if (ctx_cache[i].min_version == p->min_version && ctx_cache[i].max_version == p->max_version &&
			    !strcmp(ctx_cache[i].alpn, alpn)) {
				ctx = ctx_cache[i].ctx;
				break;
			}
	if (ctx) {
		if (!SSL_CTX_up_ref(ctx))
			ctx = NULL;
	} else if ((ctx = new_ctx(p)) != NULL && i < CTX_CACHE) {
		if (SSL_CTX_up_ref(ctx)) { /* the cache keeps one reference, the caller gets the other */
			ctx_cache[i].min_version = p->min_version;
			ctx_cache[i].max_version = p->max_version;
			snprintf(ctx_cache[i].alpn, sizeof(ctx_cache[i].alpn), "%s", alpn);
			ctx_cache[i].ctx = ctx;
		}
	}
	pthread_mutex_unlock(&ctx_lock);
	return ctx;
}

static int make_ctx(struct rs_stream *s, const struct rs_tls_params *p)
{
	if (!(s->ctx = shared_ctx(p)))
		return fail(s, RS_NET_IO, "cannot create a TLS context for these settings (TLS versions, ALPN)");
	return 0;
}

/*
 * The TLS connection's socket BIO. OpenSSL's own socket BIO writes with write(2) (writesocket() in
 * crypto/bio/bss_sock.c), so a peer that hung up kills the process with SIGPIPE; this one sends with
 * MSG_NOSIGNAL (send(2)), and notes a hang-up (end of stream, ECONNRESET, EPIPE) for the probe's
 * closed-by-peer result. The callbacks follow BIO_meth_new(3): a retry sets the retry flags, BIO_CTRL_FLUSH
 * succeeds, BIO_CTRL_EOF reports end of stream (as the socket BIO does, so that OpenSSL 3 reports an unexpected
 * EOF), other controls are not supported.
 */
static int bio_retryable(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == EINPROGRESS;
}

static int bio_write(BIO *b, const char *buf, int len)
{
	struct rs_stream *s = BIO_get_data(b);
	long n = send(s->fd, buf, (size_t)len, MSG_NOSIGNAL);

	BIO_clear_retry_flags(b);
	if (n < 0 && bio_retryable(errno))
		BIO_set_retry_write(b);
	else if (n < 0)
		s->peer_closed |= errno == EPIPE || errno == ECONNRESET;
	return (int)n;
}

static int bio_read(BIO *b, char *buf, int len)
{
	struct rs_stream *s = BIO_get_data(b);
	long n = recv(s->fd, buf, (size_t)len, 0);

	BIO_clear_retry_flags(b);
	if (n < 0 && bio_retryable(errno))
		BIO_set_retry_read(b);
	else if (n == 0 || (n < 0 && errno == ECONNRESET))
		s->peer_closed = 1;
	return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct rs_stream *s = BIO_get_data(b);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH: return 1;
	case BIO_CTRL_EOF: return s->peer_closed;
	default: return 0;
	}
}

static int bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* One method for the process (made once: BIO_get_new_index hands out a new type at each call). */
static BIO_METHOD *bio_method;
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

static void bio_method_init(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rootshift socket");

	if (m && (!BIO_meth_set_write(m, bio_write) || !BIO_meth_set_read(m, bio_read) ||
		  !BIO_meth_set_ctrl(m, bio_ctrl) || !BIO_meth_set_create(m, bio_create))) {
		BIO_meth_free(m);
		m = NULL;
	}
	bio_method = m;
}

static BIO *nosigpipe_bio(struct rs_stream *s)
{
	BIO *b;

	pthread_once(&bio_once, bio_method_init);
	if (!bio_method)
		return NULL;
	if ((b = BIO_new(bio_method)) != NULL)
		BIO_set_data(b, s);
	return b;
}

/* An alert from the server is "tls-alert"; anything else that breaks the handshake is a protocol error. */
static int handshake_failed(struct rs_stream *s)
{
	unsigned long e = ERR_peek_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	int lib = e ? ERR_GET_LIB(e) : 0, r = e ? ERR_GET_REASON(e) : 0;

	ERR_clear_error();
	if (lib == ERR_LIB_SSL && r >= SSL_AD_REASON_OFFSET)
		return fail(s, RS_NET_TLS_ALERT, "the server sent an alert: %s", reason ? reason : "unknown");
	return fail(s, RS_NET_TLS_PROTOCOL, "the handshake failed: %s",
		    reason ? reason : "the server closed the connection");
}

int rs_stream_tls(struct rs_stream *s, const struct rs_tls_params *p, int timeout_ms)
{
	BIO *bio;
	int r, e;

	if (make_ctx(s, p) < 0)
		return -1;
	if (!(s->ssl = SSL_new(s->ctx)))
		return fail(s, RS_NET_INTERNAL, "cannot create a TLS connection");
	if (!(bio = nosigpipe_bio(s)))
		return fail(s, RS_NET_INTERNAL, "cannot create a TLS connection");
	SSL_set_bio(s->ssl, bio, bio); /* the SSL owns it (one reference for both directions) */
	if (p->sni && !SSL_set_tlsext_host_name(s->ssl, p->sni))
		return fail(s, RS_NET_INTERNAL, "cannot set the server name");
	for (;;) {
		ERR_clear_error();
		r = SSL_connect(s->ssl);
		if (r == 1)
			return 0;
		e = SSL_get_error(s->ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return handshake_failed(s);
		if (wait_fd(s, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, timeout_ms) <= 0)
			return fail(s, RS_NET_TIMEOUT, "the TLS handshake did not finish in time");
	}
}
