/* probe.h: what the probe's files share. */
#ifndef RS_PROBE_H
#define RS_PROBE_H

#include "../internal.h"
#include "../net/stream.h"

struct rs_probe_opts {
	char *host, *connect_host, *proxy_host;
	int port, connect_port, proxy_port;
	enum rs_probe_protocol protocol;
	struct rs_certlist *store;
	const struct rs_verify_opts *vopts;
	char *alpn;
	int tls_min, tls_max;
	int connect_ms, handshake_ms, total_ms;
	rs_clock_fn clock;
	void *clock_ctx;
	char *client_id, *username, *password;
	char *http_method, *http_path, *http_body;
	char *ws_path;
	int transcript;
};

struct rs_probe_result {
	enum rs_probe_code code;
	const char *stage;
	char message[400];
	struct rs_certlist *served;
	struct rs_verify_result *verify;
	char tls_version[16], cipher[64], alpn[32], peer[80];
	int status;
	struct rs_buf detail;
	struct rs_buf transcript;
	int64_t connect_ms, handshake_ms;
};

/* steps.c: the protocol step after TLS; sets the result's code, status and detail. */
int rs_probe_step(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r);
/* parse.c: decoders of server bytes. */
void rs_amqp_mechanisms(const unsigned char *p, size_t n, struct rs_buf *out);
/* result.c */
void rs_probe_set(struct rs_probe_result *r, enum rs_probe_code code, const char *stage, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A step after TLS failed: closed-by-peer at stage `after` (after-tls, after-connect, ...) when the server hung
 * up, timeout when time ran out, else protocol-error at stage "protocol". */
void rs_probe_step_failed(struct rs_probe_result *r, const struct rs_stream *s, const char *after, const char *fmt,
			  ...) __attribute__((format(printf, 4, 5)));
void rs_probe_note(const struct rs_probe_opts *o, struct rs_probe_result *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
