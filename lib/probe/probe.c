/*
 * probe.c: an endpoint checked as the device sees it. TCP (through a proxy if asked), TLS with the served chain
 * captured, the chain verified with rootshift's path builder against the device's store, then just enough of the
 * protocol to tell "TLS failed" from "TLS fine, credentials rejected".
 */
#include "probe.h"
#include "../trust/verify.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct codeinfo {
	const char *name, *group;
};

#define RS_X_INFO(name, code, group) { code, group },
static const struct codeinfo codes[] = { RS_PROBE_CODE_TABLE(RS_X_INFO) };
#undef RS_X_INFO

const char *rs_probe_code_name(enum rs_probe_code c)
{
	return (unsigned)c < RS_ARRAY_LEN(codes) ? codes[c].name : "unknown";
}

const char *rs_probe_code_group(enum rs_probe_code c)
{
	return (unsigned)c < RS_ARRAY_LEN(codes) ? codes[c].group : "other";
}

struct rs_probe_opts *rs_probe_opts_new(void)
{
	struct rs_probe_opts *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->connect_ms = 10000;
	o->handshake_ms = 10000;
	o->total_ms = 30000;
	return o;
}

void rs_probe_opts_free(struct rs_probe_opts *o)
{
	if (!o)
		return;
	free(o->host);
	free(o->connect_host);
	free(o->proxy_host);
	rs_certlist_free(o->store);
	free(o->alpn);
	free(o->client_id);
	free(o->username);
	if (o->password)
		OPENSSL_cleanse(o->password, strlen(o->password));
	free(o->password);
	free(o->http_method);
	free(o->http_path);
	free(o->http_body);
	free(o->ws_path);
	free(o);
}

static int set_str(char **dst, const char *src, struct rs_error *err)
{
	char *copy = NULL;

	if (src && !(copy = rs_strdup(src)))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	free(*dst);
	*dst = copy;
	return 0;
}

static int set_hostport(char **host, int *port, const char *h, int p, const char *what, struct rs_error *err)
{
	if (h && (!*h || p < 1 || p > 65535))
		return rs_fail(err, RS_ERR_USAGE, "invalid %s '%s:%d'", what, h, p);
	*port = p;
	return set_str(host, h, err);
}

int rs_probe_opts_set_target(struct rs_probe_opts *o, const char *host, int port, struct rs_error *err)
{
	if (!host)
		return rs_fail(err, RS_ERR_USAGE, "a probe needs a target host");
	return set_hostport(&o->host, &o->port, host, port, "target", err);
}

int rs_probe_opts_set_connect_to(struct rs_probe_opts *o, const char *host, int port, struct rs_error *err)
{
	return set_hostport(&o->connect_host, &o->connect_port, host, port, "--connect-to address", err);
}

int rs_probe_opts_set_proxy(struct rs_probe_opts *o, const char *host, int port, struct rs_error *err)
{
	return set_hostport(&o->proxy_host, &o->proxy_port, host, port, "proxy", err);
}

void rs_probe_opts_set_protocol(struct rs_probe_opts *o, enum rs_probe_protocol p) { o->protocol = p; }
void rs_probe_opts_set_verify(struct rs_probe_opts *o, const struct rs_verify_opts *v) { o->vopts = v; }
void rs_probe_opts_set_transcript(struct rs_probe_opts *o, int on) { o->transcript = on; }

void rs_probe_opts_set_clock(struct rs_probe_opts *o, rs_clock_fn clock, void *ctx)
{
	o->clock = clock;
	o->clock_ctx = ctx;
}

void rs_probe_opts_set_timeouts(struct rs_probe_opts *o, int connect_ms, int handshake_ms, int total_ms)
{
	if (connect_ms > 0)
		o->connect_ms = connect_ms;
	if (handshake_ms > 0)
		o->handshake_ms = handshake_ms;
	if (total_ms > 0)
		o->total_ms = total_ms;
}

int rs_probe_opts_set_store(struct rs_probe_opts *o, const struct rs_certlist *store, struct rs_error *err)
{
	struct rs_certlist *copy = rs_certlist_new();
	size_t i;

	if (!copy)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	for (i = 0; i < rs_certlist_count(store); i++)
		if (rs_certlist_add(copy, rs_certlist_at(store, i), rs_certlist_location(store, i), err) < 0) {
			rs_certlist_free(copy);
			return -1;
		}
	rs_certlist_free(o->store);
	o->store = copy;
	return 0;
}

int rs_probe_opts_set_alpn(struct rs_probe_opts *o, const char *alpn, struct rs_error *err)
{
	if (alpn && (!*alpn || strlen(alpn) > 255))
		return rs_fail(err, RS_ERR_USAGE, "invalid ALPN protocol '%s'", alpn);
	return set_str(&o->alpn, alpn, err);
}

static int tls_version(const char *text, int *out, struct rs_error *err)
{
	static const struct { const char *name; int v; } table[] = {
		{ "1.0", TLS1_VERSION }, { "1.1", TLS1_1_VERSION }, { "1.2", TLS1_2_VERSION }, { "1.3", TLS1_3_VERSION },
	};
	size_t i;

	*out = 0;
	if (!text)
		return 0;
	for (i = 0; i < RS_ARRAY_LEN(table); i++)
		if (!strcmp(text, table[i].name)) {
			*out = table[i].v;
			return 0;
		}
	return rs_fail(err, RS_ERR_USAGE, "unknown TLS version '%s' (use 1.0, 1.1, 1.2 or 1.3)", text);
}

int rs_probe_opts_set_tls_versions(struct rs_probe_opts *o, const char *min, const char *max, struct rs_error *err)
{
	if (tls_version(min, &o->tls_min, err) < 0 || tls_version(max, &o->tls_max, err) < 0)
		return -1;
	if (o->tls_min && o->tls_max && o->tls_min > o->tls_max)
		return rs_fail(err, RS_ERR_USAGE, "the lowest TLS version is above the highest");
	return 0;
}

int rs_probe_opts_set_credentials(struct rs_probe_opts *o, const char *client_id, const char *username,
				  const char *password, struct rs_error *err)
{
	if (o->password)
		OPENSSL_cleanse(o->password, strlen(o->password));
	return set_str(&o->client_id, client_id, err) < 0 || set_str(&o->username, username, err) < 0 ||
			       set_str(&o->password, password, err) < 0
		       ? -1
		       : 0;
}

int rs_probe_opts_set_http(struct rs_probe_opts *o, const char *method, const char *path, const char *body,
			   struct rs_error *err)
{
	if (method && strcspn(method, " \r\n") != strlen(method))
		return rs_fail(err, RS_ERR_USAGE, "invalid HTTP method");
	if (path && (path[0] != '/' || strcspn(path, " \r\n") != strlen(path)))
		return rs_fail(err, RS_ERR_USAGE, "invalid HTTP path '%s': it must start with '/'", path);
	return set_str(&o->http_method, method, err) < 0 || set_str(&o->http_path, path, err) < 0 ||
			       set_str(&o->http_body, body, err) < 0
		       ? -1
		       : 0;
}

int rs_probe_opts_set_websocket(struct rs_probe_opts *o, const char *path, struct rs_error *err)
{
	if (path && (path[0] != '/' || strcspn(path, " \r\n") != strlen(path)))
		return rs_fail(err, RS_ERR_USAGE, "invalid WebSocket path '%s': it must start with '/'", path);
	return set_str(&o->ws_path, path, err);
}

static enum rs_probe_code net_code(enum rs_net_fail f)
{
	switch (f) {
	case RS_NET_DNS: return RS_PROBE_DNS_FAILED;
	case RS_NET_REFUSED: return RS_PROBE_TCP_REFUSED;
	case RS_NET_PROXY: return RS_PROBE_PROXY_FAILED;
	case RS_NET_TLS_ALERT: return RS_PROBE_TLS_ALERT;
	case RS_NET_TLS_PROTOCOL: return RS_PROBE_TLS_PROTOCOL_ERROR;
	case RS_NET_INTERNAL: return RS_PROBE_INTERNAL_ERROR;
	default: return RS_PROBE_TIMEOUT;
	}
}

static int connect_step(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	const char *host = o->proxy_host ? o->proxy_host : o->connect_host ? o->connect_host : o->host;
	int port = o->proxy_host ? o->proxy_port : o->connect_host ? o->connect_port : o->port;
	int64_t t0 = rs_stream_now(s);

	if (rs_stream_connect(s, host, port, o->connect_ms) < 0) {
		rs_probe_set(r, s->fail == RS_NET_TIMEOUT ? RS_PROBE_TCP_TIMEOUT : net_code(s->fail),
			     s->fail == RS_NET_DNS ? "dns" : "tcp", "%s (%s:%d)", s->message, host, port);
		return -1;
	}
	snprintf(r->peer, sizeof(r->peer), "%s", s->peer);
	if (o->proxy_host && rs_stream_proxy(s, o->connect_host ? o->connect_host : o->host,
					     o->connect_host ? o->connect_port : o->port, o->connect_ms) < 0) {
		rs_probe_set(r, RS_PROBE_PROXY_FAILED, "proxy", "%s", s->message);
		return -1;
	}
	r->connect_ms = t0 < 0 ? -1 : rs_stream_now(s) - t0;
	return 0;
}

static int capture_chain(struct rs_stream *s, struct rs_probe_result *r)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(s->ssl);
	struct rs_location loc = { "served", 0, 0, "der" };
	struct rs_error err;
	int i;

	for (i = 0; chain && i < sk_X509_num(chain); i++) {
		struct rs_cert *c = rs_cert_from_x509(sk_X509_value(chain, i), &err);
		loc.offset = i;
		if (!c || rs_certlist_add(r->served, c, &loc, &err) < 0) {
			rs_cert_free(c);
			return -1;
		}
		rs_cert_free(c);
	}
	return 0;
}

static void tls_facts(struct rs_stream *s, struct rs_probe_result *r)
{
	const unsigned char *alpn = NULL;
	unsigned alen = 0;

	snprintf(r->tls_version, sizeof(r->tls_version), "%s", SSL_get_version(s->ssl));
	snprintf(r->cipher, sizeof(r->cipher), "%s", SSL_get_cipher_name(s->ssl));
	SSL_get0_alpn_selected(s->ssl, &alpn, &alen);
	snprintf(r->alpn, sizeof(r->alpn), "%.*s", (int)alen, alpn ? (const char *)alpn : "");
}

static int tls_step(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	struct rs_tls_params p = { o->host, o->alpn, o->tls_min, o->tls_max };
	int64_t t0 = rs_stream_now(s);

	if (rs_stream_tls(s, &p, o->handshake_ms) < 0) {
		rs_probe_set(r, net_code(s->fail), "tls", "%s", s->message);
		if (s->ssl)
			capture_chain(s, r);
		return -1;
	}
	r->handshake_ms = t0 < 0 ? -1 : rs_stream_now(s) - t0;
	tls_facts(s, r);
	rs_probe_note(o, r, "tls: %s %s, alpn '%s'", r->tls_version, r->cipher, r->alpn);
	if (capture_chain(s, r) < 0) {
		rs_probe_set(r, RS_PROBE_INTERNAL_ERROR, "tls", "cannot keep the served chain (out of memory)");
		return -1;
	}
	return 0;
}

enum rs_probe_code rs_probe_code_for_verify(enum rs_verify_reason reason)
{
	switch (reason) {
	case RS_VERIFY_EXPIRED:
	case RS_VERIFY_NOT_YET_VALID: return RS_PROBE_CERT_EXPIRED;
	case RS_VERIFY_NAME_MISMATCH: return RS_PROBE_CERT_HOSTNAME_MISMATCH;
	case RS_VERIFY_CHAIN_TOO_LARGE: return RS_PROBE_CERT_CHAIN_TOO_LARGE;
	default: return RS_PROBE_CERT_UNTRUSTED;
	}
}

/* The caller's verification options, with the host set to the target (a copy: theirs are borrowed). */
static struct rs_verify_opts *verify_opts_for(const struct rs_probe_opts *o, struct rs_error *err)
{
	struct rs_verify_opts *v = o->vopts ? rs_verify_opts_dup(o->vopts) : rs_verify_opts_new();

	if (!v) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (rs_verify_opts_set_host(v, o->host, err) < 0) {
		rs_verify_opts_free(v);
		return NULL;
	}
	return v;
}

static int verify_step(const struct rs_probe_opts *o, struct rs_probe_result *r, struct rs_error *err)
{
	struct rs_verify_opts *v;
	enum rs_verify_reason reason;

	if (rs_certlist_count(r->served) == 0) {
		rs_probe_set(r, RS_PROBE_TLS_PROTOCOL_ERROR, "tls", "the server sent no certificate");
		return -1;
	}
	if (!(v = verify_opts_for(o, err)))
		return -2;
	r->verify = rs_verify(r->served, NULL, o->store, v, err);
	rs_verify_opts_free(v);
	if (!r->verify)
		return -2;
	if (rs_verify_result_ok(r->verify))
		return 0;
	reason = rs_verify_result_reason(r->verify);
	rs_probe_set(r, rs_probe_code_for_verify(reason), "verify", "%s: %s", rs_verify_reason_code(reason),
		     rs_verify_result_message(r->verify));
	return -1;
}

static struct rs_probe_result *result_new(void)
{
	struct rs_probe_result *r = calloc(1, sizeof(*r));

	if (!r || !(r->served = rs_certlist_new())) {
		free(r);
		return NULL;
	}
	r->status = -1;
	r->connect_ms = r->handshake_ms = -1;
	r->stage = "dns";
	return r;
}

struct rs_probe_result *rs_probe_run(const struct rs_probe_opts *o, struct rs_error *err)
{
	struct rs_probe_result *r;
	struct rs_stream s;
	int rv;

	if (!o->host || !o->store) {
		rs_fail(err, RS_ERR_USAGE, "a probe needs a target and a trust store");
		return NULL;
	}
	if (!(r = result_new())) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	rs_stream_init(&s, o->clock, o->clock_ctx, o->clock ? o->clock(o->clock_ctx) + o->total_ms : 0, o->handshake_ms);
	rv = connect_step(o, &s, r);
	if (rv == 0)
		rv = tls_step(o, &s, r);
	/* A TLS-only probe is done with the server once the chain is captured: hang up before verifying, so a server
	 * that serves one connection at a time (an embedded endpoint, `openssl s_server`) is not held while this
	 * side verifies; with many targets at once it otherwise waited on each client's verification (issue #19). */
	if (rv == 0 && o->protocol == RS_PROTO_TLS && !o->ws_path)
		rs_stream_close(&s);
	if (rv == 0 && (rv = verify_step(o, r, err)) == -2) {
		rs_stream_close(&s);
		rs_probe_result_free(r);
		return NULL;
	}
	if (rv == 0 && o->ws_path && (o->protocol == RS_PROTO_MQTT || o->protocol == RS_PROTO_DPS_MQTT)) {
		rs_probe_note(o, r, "> GET %s (WebSocket upgrade, subprotocol mqtt)", o->ws_path);
		if ((rv = rs_stream_ws_upgrade(&s, o->host, o->ws_path, "mqtt")) < 0)
			rs_probe_step_failed(r, &s, "after-upgrade-request", "%s", s.message);
	}
	if (rv == 0)
		rs_probe_step(o, &s, r);
	rs_stream_close(&s);
	return r;
}

void rs_probe_result_free(struct rs_probe_result *r)
{
	if (!r)
		return;
	rs_certlist_free(r->served);
	rs_verify_result_free(r->verify);
	rs_buf_release(&r->detail);
	rs_buf_release(&r->transcript);
	free(r);
}

enum rs_probe_code rs_probe_result_code(const struct rs_probe_result *r) { return r->code; }
const char *rs_probe_result_stage(const struct rs_probe_result *r) { return r->stage; }
const char *rs_probe_result_message(const struct rs_probe_result *r) { return r->message; }
const struct rs_certlist *rs_probe_result_served_chain(const struct rs_probe_result *r) { return r->served; }
const struct rs_verify_result *rs_probe_result_verify(const struct rs_probe_result *r) { return r->verify; }
const char *rs_probe_result_tls_version(const struct rs_probe_result *r) { return r->tls_version; }
const char *rs_probe_result_cipher(const struct rs_probe_result *r) { return r->cipher; }
const char *rs_probe_result_alpn(const struct rs_probe_result *r) { return r->alpn; }
const char *rs_probe_result_peer(const struct rs_probe_result *r) { return r->peer; }
int rs_probe_result_status(const struct rs_probe_result *r) { return r->status; }
const char *rs_probe_result_detail(const struct rs_probe_result *r) { return r->detail.data ? r->detail.data : ""; }
int64_t rs_probe_result_connect_ms(const struct rs_probe_result *r) { return r->connect_ms; }
int64_t rs_probe_result_handshake_ms(const struct rs_probe_result *r) { return r->handshake_ms; }

const char *rs_probe_result_transcript(const struct rs_probe_result *r)
{
	return r->transcript.data ? r->transcript.data : "";
}

void rs_probe_result_info(const struct rs_probe_result *r, struct rs_probe_info *info)
{
	*info = (struct rs_probe_info){
		.code = r->code, .stage = r->stage, .message = r->message, .served_chain = r->served,
		.verify = r->verify, .tls_version = r->tls_version, .cipher = r->cipher, .alpn = r->alpn,
		.peer = r->peer, .status = r->status, .detail = rs_probe_result_detail(r),
		.transcript = rs_probe_result_transcript(r), .connect_ms = r->connect_ms,
		.handshake_ms = r->handshake_ms,
	};
}

void rs_probe_config_init(struct rs_probe_config *c)
{
	*c = (struct rs_probe_config){ .protocol = RS_PROTO_TLS, .connect_ms = 10000, .handshake_ms = 10000,
				       .total_ms = 30000 };
}

static int apply_config(struct rs_probe_opts *o, const struct rs_probe_config *c, struct rs_error *err)
{
	if (rs_probe_opts_set_target(o, c->host, c->port, err) < 0 ||
	    rs_probe_opts_set_connect_to(o, c->connect_host, c->connect_port, err) < 0 ||
	    rs_probe_opts_set_proxy(o, c->proxy_host, c->proxy_port, err) < 0 ||
	    (c->store && rs_probe_opts_set_store(o, c->store, err) < 0) || rs_probe_opts_set_alpn(o, c->alpn, err) < 0 ||
	    rs_probe_opts_set_tls_versions(o, c->tls_min, c->tls_max, err) < 0 ||
	    rs_probe_opts_set_credentials(o, c->client_id, c->username, c->password, err) < 0 ||
	    rs_probe_opts_set_http(o, c->http_method, c->http_path, c->http_body, err) < 0 ||
	    rs_probe_opts_set_websocket(o, c->websocket_path, err) < 0)
		return -1;
	rs_probe_opts_set_protocol(o, c->protocol);
	rs_probe_opts_set_verify(o, c->verify);
	rs_probe_opts_set_timeouts(o, c->connect_ms, c->handshake_ms, c->total_ms);
	rs_probe_opts_set_clock(o, c->clock, c->clock_ctx);
	rs_probe_opts_set_transcript(o, c->transcript);
	return 0;
}

struct rs_probe_opts *rs_probe_opts_from(const struct rs_probe_config *c, struct rs_error *err)
{
	struct rs_probe_opts *o = rs_probe_opts_new();

	if (!o) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (apply_config(o, c, err) < 0) {
		rs_probe_opts_free(o);
		return NULL;
	}
	return o;
}
