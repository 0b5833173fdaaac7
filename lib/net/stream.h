/* stream.h: a client connection with deadlines: TCP (optionally through an HTTP CONNECT proxy), then TLS. */
#ifndef RS_NET_STREAM_H
#define RS_NET_STREAM_H

#include "../internal.h"

#include <openssl/ssl.h>

/* How a network step failed, in the probe's terms. */
enum rs_net_fail { RS_NET_OK, RS_NET_DNS, RS_NET_REFUSED, RS_NET_TIMEOUT, RS_NET_PROXY, RS_NET_TLS_ALERT,
		   RS_NET_TLS_PROTOCOL, RS_NET_CLOSED, RS_NET_IO,
		   RS_NET_INTERNAL /* ours: memory, no socket */ };

struct rs_stream {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	rs_clock_fn clock;
	void *clock_ctx;
	int64_t deadline;        /* clock time the whole exchange must end by; 0 = none */
	int step_ms;             /* the timeout of one wait when there is no clock */
	int peer_closed;         /* the peer hung up: end of stream, ECONNRESET or EPIPE */
	enum rs_net_fail fail;
	char peer[80];
	char message[300];
	/* MQTT over WebSockets: after rs_stream_ws_upgrade, reads and writes carry WebSocket frames. A layer above
	 * the raw stream (stream_ws.c) installs its reader and writer here, so stream.c never calls up into it. */
	int ws;
	int (*layer_write)(struct rs_stream *s, const void *buf, size_t len);
	long (*layer_read)(struct rs_stream *s, void *buf, size_t cap);
	unsigned char *wsbuf;    /* raw bytes not yet decoded into frames */
	size_t wslen, wscap;
};

struct rs_tls_params {
	const char *sni;
	const char *alpn;
	int min_version, max_version; /* TLS1_2_VERSION, ...; 0 = open */
};

void rs_stream_init(struct rs_stream *s, rs_clock_fn clock, void *ctx, int64_t deadline, int step_ms);
void rs_stream_close(struct rs_stream *s);
int rs_stream_connect(struct rs_stream *s, const char *host, int port, int timeout_ms);
int rs_stream_proxy(struct rs_stream *s, const char *host, int port, int timeout_ms);
int rs_stream_tls(struct rs_stream *s, const struct rs_tls_params *p, int timeout_ms);
/* Writes everything or fails (one binary WebSocket frame after an upgrade). */
int rs_stream_write(struct rs_stream *s, const void *buf, size_t len);
/* Reads what is there (at least one byte; WebSocket payload after an upgrade); 0 when the peer closed; -1 on
 * error or timeout. */
long rs_stream_read(struct rs_stream *s, void *buf, size_t cap);
/* The same without the WebSocket layer. */
int rs_stream_raw_write(struct rs_stream *s, const void *buf, size_t len);
long rs_stream_raw_read(struct rs_stream *s, void *buf, size_t cap);
/* http.c: a response's status line, "HTTP/1.1 401 ...": the status, or -1 when buf does not start with one. */
int rs_http_status_line(const char *buf, size_t len);
/* stream_ws.c: the WebSocket opening handshake (RFC 6455, 4.1) for subprotocol on path; 0, or -1 with
 * s->message set. */
int rs_stream_ws_upgrade(struct rs_stream *s, const char *host, const char *path, const char *subprotocol);
int64_t rs_stream_now(const struct rs_stream *s);

#endif
