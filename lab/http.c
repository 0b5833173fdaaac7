/*
 * http.c: the lab's admin side, on libevent's evhttp, on a plain loopback port: the admin API (status, migrate,
 * revert; changes need the token from serve.json), Prometheus /metrics and the web page. The HTTPS port (DPS and
 * hub REST, WebSocket upgrades) is https.c.
 */
#include <arpa/inet.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

extern const char *const lab_page_html[];

void lab_tracking_id(char *out, size_t size)
{
	unsigned char r[16];

	RAND_bytes(r, sizeof(r));
	snprintf(out, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2],
		 r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

static void reply(struct evhttp_request *req, int code, const char *reason, const char *type, const char *body)
{
	struct evbuffer *b = evbuffer_new();
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	if (type)
		evhttp_add_header(h, "Content-Type", type);
	if (b && body)
		evbuffer_add(b, body, strlen(body));
	evhttp_send_reply(req, code, reason, code == 204 ? NULL : b);
	if (b)
		evbuffer_free(b);
}

/* ---- admin ---- */

static void status_json(struct lab_server *lab, struct evbuffer *b)
{
	char at[32];
	size_t i;

	rs_time_format(lab->switched_at, at, sizeof(at));
	evbuffer_add_printf(b,
			    "{\"schema\":\"rootshift/lab-status/1\",\"hub_chain\":\"%s\",\"dps_chain\":\"%s\",\"mix\":%d,"
			    "\"switched_at\":\"%s\",\"hub_host\":\"%s\",\"id_scope\":\"%s\",\"connected\":%zu,"
			    "\"connections\":%zu,\"handshakes\":{",
			    lab_chain_name(lab->hub_chain), lab_chain_name(lab->dps_chain), lab->mix, at, lab->cfg.hub_host,
			    lab->cfg.id_scope, lab_connected(lab), lab->nconns);
	for (i = 0; i < LAB_CHAIN__COUNT; i++)
		evbuffer_add_printf(b, "%s\"%s\":{\"ok\":%lu,\"failed\":%lu}", i ? "," : "", lab_chain_name((enum lab_chain)i),
				    lab->n.handshakes_ok[i], lab->n.handshakes_failed[i]);
	rs_time_format(lab->opts->clock(), at, sizeof(at));
	evbuffer_add_printf(b, "},\"time\":\"%s\",\"auth_failures\":%lu,\"tls_failures\":{", at, lab->n.auth_failures);
	for (i = 0; i < LAB_MAX_REASONS && lab->reasons[i].reason[0]; i++)
		evbuffer_add_printf(b, "%s\"%s\":%lu", i ? "," : "", lab->reasons[i].reason, lab->reasons[i].count);
	evbuffer_add_printf(b, "},\"history\":[");
	for (i = 0; i < lab->history_len; i++)
		evbuffer_add_printf(b, "%s%u", i ? "," : "", lab->history[i]);
	evbuffer_add_printf(b, "],\"recent_failures\":[");
	int first = 1;
	for (i = 0; i < sizeof(lab->recent) / sizeof(lab->recent[0]); i++) {
		size_t k = sizeof(lab->recent) / sizeof(lab->recent[0]);
		const struct recent *r = &lab->recent[(lab->recent_next + i) % k];
		if (!r->time[0])
			continue;
		evbuffer_add_printf(b, "%s{\"time\":\"%s\",\"event\":\"%s\",\"device\":\"%s\",\"chain\":\"%s\",\"detail\":\"%s\"}",
				    first ? "" : ",", r->time, r->event, r->device, lab_chain_name(r->chain), r->detail);
		first = 0;
	}
	evbuffer_add_printf(b, "],\"devices\":[");
	i = 0;
	for (struct conn *c = lab->conns; c; c = c->next)
		if (c->state == ST_HUB || c->state == ST_DPS)
			evbuffer_add_printf(b, "%s{\"id\":\"%s\",\"chain\":\"%s\",\"service\":\"%s\"}", i++ ? "," : "",
					    c->device_id, lab_chain_name(c->chain), c->state == ST_HUB ? "hub" : "dps");
	evbuffer_add_printf(b, "]}\n");
}

static void metric(struct evbuffer *b, const char *name, const char *type, const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void metrics(struct lab_server *lab, struct evbuffer *b)
{
	size_t i;

	metric(b, "rootshift_lab_connected_devices", "gauge", "Devices with an MQTT session (hub or DPS).");
	evbuffer_add_printf(b, "rootshift_lab_connected_devices %zu\n", lab_connected(lab));
	metric(b, "rootshift_lab_handshakes_total", "counter", "TLS handshakes by served chain and result.");
	for (i = 0; i < LAB_CHAIN__COUNT; i++)
		evbuffer_add_printf(b,
				    "rootshift_lab_handshakes_total{chain=\"%s\",result=\"ok\"} %lu\n"
				    "rootshift_lab_handshakes_total{chain=\"%s\",result=\"failed\"} %lu\n",
				    lab_chain_name((enum lab_chain)i), lab->n.handshakes_ok[i],
				    lab_chain_name((enum lab_chain)i), lab->n.handshakes_failed[i]);
	metric(b, "rootshift_lab_tls_failures_total", "counter", "Failed TLS handshakes by OpenSSL reason or alert.");
	for (i = 0; i < LAB_MAX_REASONS && lab->reasons[i].reason[0]; i++)
		evbuffer_add_printf(b, "rootshift_lab_tls_failures_total{reason=\"%s\"} %lu\n", lab->reasons[i].reason,
				    lab->reasons[i].count);
	metric(b, "rootshift_lab_auth_failures_total", "counter", "Rejected credentials (CONNACK 5, 401).");
	evbuffer_add_printf(b, "rootshift_lab_auth_failures_total %lu\n", lab->n.auth_failures);
	metric(b, "rootshift_lab_dps_registrations_total", "counter", "DPS registrations assigned to the lab hub.");
	evbuffer_add_printf(b, "rootshift_lab_dps_registrations_total %lu\n", lab->n.dps_registrations);
	metric(b, "rootshift_lab_telemetry_messages_total", "counter", "Device-to-cloud messages accepted.");
	evbuffer_add_printf(b, "rootshift_lab_telemetry_messages_total %lu\n", lab->n.telemetry);
	metric(b, "rootshift_lab_dropped_connections_total", "counter", "Connections dropped by the lab, by cause.");
	evbuffer_add_printf(b,
			    "rootshift_lab_dropped_connections_total{cause=\"limit\"} %lu\n"
			    "rootshift_lab_dropped_connections_total{cause=\"timeout\"} %lu\n"
			    "rootshift_lab_dropped_connections_total{cause=\"cap\"} %lu\n"
			    "rootshift_lab_dropped_connections_total{cause=\"kicked\"} %lu\n",
			    lab->n.dropped_limits, lab->n.dropped_timeouts, lab->n.dropped_cap, lab->n.kicked);
	metric(b, "rootshift_lab_served_chain", "gauge", "1 for the chain the hub serves to new handshakes.");
	for (i = 0; i < LAB_CHAIN__COUNT; i++)
		evbuffer_add_printf(b, "rootshift_lab_served_chain{chain=\"%s\"} %d\n", lab_chain_name((enum lab_chain)i),
				    lab->hub_chain == (enum lab_chain)i);
}

static int token_ok(struct lab_server *lab, struct evhttp_request *req)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");

	return h && strlen(h) == 7 + strlen(lab->token) && !strncmp(h, "Bearer ", 7) &&
	       CRYPTO_memcmp(h + 7, lab->token, strlen(lab->token)) == 0;
}

static void admin_change(struct evhttp_request *req, struct lab_server *lab, int migrate)
{
	struct evkeyvalq q;
	const char *v, *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	enum lab_chain to = migrate ? LAB_CHAIN_NEW : LAB_CHAIN_OLD;
	int mix = 0, disconnect = 0;
	char *end;
	struct evbuffer *b;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		reply(req, 405, "Method Not Allowed", "text/plain", "use POST\n");
		return;
	}
	if (!token_ok(lab, req)) {
		reply(req, 401, "Unauthorized", "application/json", "{\"error\":\"admin token required\"}\n");
		return;
	}
	q.tqh_first = NULL;
	q.tqh_last = &q.tqh_first;
	if (query && evhttp_parse_query_str(query, &q) < 0) {
		reply(req, 400, "Bad Request", "application/json", "{\"error\":\"bad query\"}\n");
		return;
	}
	if ((v = evhttp_find_header(&q, "to")) && lab_chain_parse(v, &to) < 0)
		mix = -1;
	if ((v = evhttp_find_header(&q, "mix")) && (mix = (int)strtol(v, &end, 10), *end || mix < 0 || mix > 100))
		mix = -1;
	if ((v = evhttp_find_header(&q, "disconnect")))
		disconnect = !strcmp(v, "1") || !strcmp(v, "true");
	evhttp_clear_headers(&q);
	if (mix < 0) {
		reply(req, 400, "Bad Request", "application/json", "{\"error\":\"to must be old, new, next or ecc; mix 0-100\"}\n");
		return;
	}
	lab_switch(lab, to, mix, disconnect);
	if ((b = evbuffer_new())) {
		status_json(lab, b);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
	}
}

/* The body's {"devices": {"ID": "KEY", ...}} as an array of lab_device borrowing from doc; NULL when malformed. */
static struct lab_device *devices_of(json_t *doc, size_t *n)
{
	json_t *devs = json_object_get(doc, "devices"), *v;
	struct lab_device *out;
	const char *id;
	size_t i = 0;

	if (!json_is_object(devs) || !json_object_size(devs) || !(out = calloc(json_object_size(devs), sizeof(*out))))
		return NULL;
	json_object_foreach(devs, id, v) {
		if (!json_is_string(v)) {
			free(out);
			return NULL;
		}
		out[i].id = id;
		out[i++].key = json_string_value(v);
	}
	*n = i;
	return out;
}

/* POST /api/devices with {"devices": {"ID": "KEY", ...}}: registers (or re-keys) many devices at once. */
static void admin_devices(struct evhttp_request *req, struct lab_server *lab)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in), n = 0;
	json_t *doc = NULL;
	struct lab_device *devs = NULL;
	struct rs_error err;
	char body[300];

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST || !token_ok(lab, req)) {
		reply(req, 401, "Unauthorized", "application/json", "{\"error\":\"POST with the admin token\"}\n");
		return;
	}
	if (!(doc = json_loadb((const char *)evbuffer_pullup(in, (ev_ssize_t)len), len, JSON_REJECT_DUPLICATES, NULL)) ||
	    !(devs = devices_of(doc, &n))) {
		reply(req, 400, "Bad Request", "application/json",
		      "{\"error\":\"give {\\\"devices\\\": {\\\"ID\\\": \\\"KEY\\\", ...}}\"}\n");
	} else if (lab_devices_put(lab->opts->dir, devs, n, &err) < 0) {
		char esc[200];
		size_t o = 0;
		for (const char *p = err.message; *p && o + 2 < sizeof(esc); p++)
			if (*p != '"' && *p != '\\' && *p >= 0x20 && *p < 0x7f)
				esc[o++] = *p;
		esc[o] = '\0';
		snprintf(body, sizeof(body), "{\"error\":\"%s\"}\n", esc);
		reply(req, err.code == RS_ERR_USAGE ? 400 : 500, err.code == RS_ERR_USAGE ? "Bad Request" : "Internal Error",
		      "application/json", body);
	} else {
		snprintf(body, sizeof(body), "registered %zu", n);
		lab_event(lab, "devices", "", lab->hub_chain, body);
		snprintf(body, sizeof(body), "{\"registered\":%zu}\n", n);
		reply(req, 200, "OK", "application/json", body);
	}
	free(devs);
	if (doc)
		json_decref(doc);
}

/* POST /api/c2d?device=ID with the message as the body. */
static void admin_c2d(struct evhttp_request *req, struct lab_server *lab)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req)), *dev;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct evkeyvalq q;
	char body[64];
	int n;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST || !token_ok(lab, req)) {
		reply(req, 401, "Unauthorized", "application/json", "{\"error\":\"POST with the admin token\"}\n");
		return;
	}
	q.tqh_first = NULL;
	q.tqh_last = &q.tqh_first;
	if (!query || evhttp_parse_query_str(query, &q) < 0 || !(dev = evhttp_find_header(&q, "device")) ||
	    !lab_device_id_ok(dev) || len > 65536) {
		evhttp_clear_headers(&q);
		reply(req, 400, "Bad Request", "application/json", "{\"error\":\"give ?device=ID and a body of 64 KiB at most\"}\n");
		return;
	}
	n = lab_send_c2d(lab, dev, evbuffer_pullup(in, (ev_ssize_t)len), len);
	lab_event(lab, "c2d", dev, lab->hub_chain, n ? "sent" : "no subscribed session");
	evhttp_clear_headers(&q);
	snprintf(body, sizeof(body), "{\"delivered\":%d}\n", n);
	reply(req, n ? 200 : 404, n ? "OK" : "Not Found", "application/json", body);
}

static void admin_request(struct evhttp_request *req, void *arg)
{
	struct lab_server *lab = arg;
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	struct evbuffer *b;

	if (!path)
		path = "/";
	if (!strcmp(path, "/api/c2d")) {
		admin_c2d(req, lab);
		return;
	}
	if (!strcmp(path, "/api/devices")) {
		admin_devices(req, lab);
		return;
	}
	if (!strcmp(path, "/api/migrate") || !strcmp(path, "/api/revert")) {
		admin_change(req, lab, !strcmp(path, "/api/migrate"));
		return;
	}
	if (!strcmp(path, "/")) {
		if (!(b = evbuffer_new()))
			return;
		for (size_t i = 0; lab_page_html[i]; i++)
			evbuffer_add(b, lab_page_html[i], strlen(lab_page_html[i]));
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/html; charset=utf-8");
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
		return;
	}
	if (strcmp(path, "/api/status") && strcmp(path, "/metrics")) {
		reply(req, 404, "Not Found", "text/plain", "not found\n");
		return;
	}
	if (!(b = evbuffer_new()))
		return;
	if (!strcmp(path, "/metrics"))
		metrics(lab, b);
	else
		status_json(lab, b);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
			  path[1] == 'm' ? "text/plain; version=0.0.4" : "application/json");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static struct evhttp *http_on(struct lab_server *lab, const char *addr, int *port,
			      void (*cb)(struct evhttp_request *, void *), struct rs_error *err)
{
	struct evhttp *h = evhttp_new(lab->base);
	struct evhttp_bound_socket *s;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (!h) {
		rs_error_set(err, RS_ERR_INTERNAL, "cannot start an HTTP server");
		return NULL;
	}
	evhttp_set_gencb(h, cb, lab);
	evhttp_set_max_headers_size(h, 16384);
	evhttp_set_max_body_size(h, 256 * 1024 + 4096);
	evhttp_set_timeout(h, 30);
	evhttp_set_allowed_methods(h, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT);
	if (!(s = evhttp_bind_socket_with_handle(h, addr, (ev_uint16_t)*port))) {
		evhttp_free(h);
		rs_error_set(err, RS_ERR_IO, "cannot listen on %s port %d", addr, *port);
		return NULL;
	}
	getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&ss, &len);
	*port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return h;
}

int lab_http_start(struct lab_server *lab, struct rs_error *err)
{
	lab->admin_port = lab->opts->admin_port;
	/* the admin API is on loopback whatever the service address */
	if (!(lab->admin = http_on(lab, "127.0.0.1", &lab->admin_port, admin_request, err)))
		return -1;
	return 0;
}
