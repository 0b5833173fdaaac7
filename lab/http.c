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

/* A JSON error body {"error": why}, rendered by jansson (why may quote what a client sent). */
static void reply_error(struct evhttp_request *req, int code, const char *why)
{
	json_t *o = json_object();
	char *text;

	lab_json_set_str(o, "error", why);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	reply(req, code, code == 400 ? "Bad Request" : code == 401 ? "Unauthorized" : "Internal Error",
	      "application/json", text ? text : "{}");
	free(text);
}

/* ---- admin ---- */

static json_t *status_failures(struct lab_server *lab)
{
	size_t k = sizeof(lab->admin.recent) / sizeof(lab->admin.recent[0]);
	json_t *a = json_array();
	char at[32];

	for (size_t i = 0; i < k; i++) {
		const struct lab_recent *r = &lab->admin.recent[(lab->admin.recent_next + i) % k];
		json_t *o;
		if (!r->at || !(o = json_object()))
			continue;
		rs_time_format(r->at, at, sizeof(at));
		json_object_set_new(o, "time", json_string(at));
		json_object_set_new(o, "event", json_string(lab_event_name(r->kind)));
		lab_json_set_str(o, "device", r->device);
		json_object_set_new(o, "chain", json_string(lab_chain_name(r->chain)));
		lab_json_set_str(o, "detail", r->detail);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *status_devices(struct lab_server *lab)
{
	json_t *a = json_array(), *o;

	for (struct lab_conn *c = lab->sessions.conns; c; c = c->next) {
		if ((c->state != LAB_ST_HUB && c->state != LAB_ST_DPS) || !(o = json_object()))
			continue;
		lab_json_set_str(o, "id", c->device_id);
		json_object_set_new(o, "chain", json_string(lab_chain_name(c->chain)));
		json_object_set_new(o, "service", json_string(c->state == LAB_ST_HUB ? "hub" : "dps"));
		json_array_append_new(a, o);
	}
	return a;
}

/* GET /api/status, through jansson: device ids and failure details are whatever clients sent. */
void lab_admin_status(struct lab_server *lab, struct evbuffer *b)
{
	json_t *o = json_object(), *hs = json_object(), *tls = json_object(), *hist = json_array();
	char at[32], *text;
	size_t i;

	rs_time_format(lab->sw.switched_at, at, sizeof(at));
	json_object_set_new(o, "schema", json_string("rootshift/lab-status/1"));
	json_object_set_new(o, "hub_chain", json_string(lab_chain_name(lab->sw.hub_chain)));
	json_object_set_new(o, "dps_chain", json_string(lab_chain_name(lab->sw.dps_chain)));
	json_object_set_new(o, "mix", json_integer(lab->sw.mix));
	json_object_set_new(o, "switched_at", json_string(at));
	lab_json_set_str(o, "hub_host", lab->cfg.hub_host);
	lab_json_set_str(o, "id_scope", lab->cfg.id_scope);
	json_object_set_new(o, "connected", json_integer((json_int_t)lab_connected(lab)));
	json_object_set_new(o, "connections", json_integer((json_int_t)lab->sessions.nconns));
	for (i = 0; i < LAB_CHAIN__COUNT; i++)
		json_object_set_new(hs, lab_chain_name((enum lab_chain)i),
				    json_pack("{s:I,s:I}", "ok", (json_int_t)lab->n.handshakes_ok[i], "failed",
					      (json_int_t)lab->n.handshakes_failed[i]));
	json_object_set_new(o, "handshakes", hs);
	rs_time_format(lab_now(lab), at, sizeof(at));
	json_object_set_new(o, "time", json_string(at));
	json_object_set_new(o, "auth_failures", json_integer((json_int_t)lab->n.auth_failures));
	for (i = 0; i < LAB_MAX_REASONS && lab->reasons[i].reason[0]; i++) {
		json_t *key = lab_json_string(lab->reasons[i].reason);
		if (key)
			json_object_set_new(tls, json_string_value(key), json_integer((json_int_t)lab->reasons[i].count));
		json_decref(key);
	}
	json_object_set_new(o, "tls_failures", tls);
	for (i = 0; i < lab->admin.history_len; i++)
		json_array_append_new(hist, json_integer(lab->admin.history[i]));
	json_object_set_new(o, "history", hist);
	json_object_set_new(o, "events_dropped", json_integer((json_int_t)lab->n.events_dropped));
	json_object_set_new(o, "recent_failures", status_failures(lab));
	json_object_set_new(o, "devices", status_devices(lab));
	if ((text = json_dumps(o, JSON_COMPACT))) {
		evbuffer_add(b, text, strlen(text));
		evbuffer_add(b, "\n", 1);
		free(text);
	}
	json_decref(o);
}

static void metric(struct evbuffer *b, const char *name, const char *type, const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value as Prometheus's text format wants it: backslash, double quote and line feed escaped as \\, \"
 * and \n (prometheus.io/docs/instrumenting/exposition_formats, "Text format details"); other bytes that are not
 * UTF-8 become '?'. */
static void label_value(struct evbuffer *b, const char *v)
{
	json_t *j = lab_json_string(v); /* for its UTF-8 clean-up */
	const char *p = j ? json_string_value(j) : "";

	for (; *p; p++) {
		if (*p == '\\' || *p == '"')
			evbuffer_add_printf(b, "\\%c", *p);
		else if (*p == '\n')
			evbuffer_add(b, "\\n", 2);
		else
			evbuffer_add(b, p, 1);
	}
	json_decref(j);
}

/* Every documented cause (0 until seen), then the others the lab used (slow-consumer, auth-timeout, ...) in the
 * order it first used them. */
static void disconnects(struct lab_server *lab, struct evbuffer *b)
{
	const struct lab_cause_counts *cc = &lab->causes;
	size_t i;
	int k;

	for (k = LAB_CAUSE_CLIENT; k < LAB_CAUSE__DOCUMENTED; k++)
		evbuffer_add_printf(b, "rootshift_lab_disconnects_total{cause=\"%s\"} %lu\n",
				    lab_cause_name((enum lab_cause)k), cc->n[k]);
	for (i = 0; i < cc->nseen; i++) {
		if (cc->seen[i] < LAB_CAUSE__DOCUMENTED)
			continue;
		evbuffer_add_printf(b, "rootshift_lab_disconnects_total{cause=\"%s\"} %lu\n",
				    lab_cause_name((enum lab_cause)cc->seen[i]), cc->n[cc->seen[i]]);
	}
}

void lab_admin_metrics(struct lab_server *lab, struct evbuffer *b)
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
	for (i = 0; i < LAB_MAX_REASONS && lab->reasons[i].reason[0]; i++) {
		evbuffer_add_printf(b, "rootshift_lab_tls_failures_total{reason=\"");
		label_value(b, lab->reasons[i].reason);
		evbuffer_add_printf(b, "\"} %lu\n", lab->reasons[i].count);
	}
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
			    "rootshift_lab_dropped_connections_total{cause=\"kicked\"} %lu\n"
			    "rootshift_lab_dropped_connections_total{cause=\"slow-consumer\"} %lu\n"
			    "rootshift_lab_dropped_connections_total{cause=\"auth-timeout\"} %lu\n"
			    "rootshift_lab_dropped_connections_total{cause=\"crowded-out\"} %lu\n",
			    lab->n.dropped_limits, lab->n.dropped_timeouts, lab->n.dropped_cap, lab->n.kicked,
			    lab->n.dropped_slow, lab->n.dropped_auth, lab->n.dropped_crowded);
	metric(b, "rootshift_lab_ws_pings_ignored_total", "counter",
	       "WebSocket PINGs left unanswered: over the rate, or while earlier output waited for the peer.");
	evbuffer_add_printf(b, "rootshift_lab_ws_pings_ignored_total %lu\n", lab->n.pings_ignored);
	metric(b, "rootshift_lab_disconnects_total", "counter",
	       "Sessions ended and connections the lab dropped, by the cause of their disconnect event.");
	disconnects(lab, b);
	metric(b, "rootshift_lab_accept_errors_total", "counter",
	       "Failed accept(2) calls (descriptors ran out), each pausing the listeners.");
	evbuffer_add_printf(b, "rootshift_lab_accept_errors_total %lu\n", lab->n.accept_errors);
	metric(b, "rootshift_lab_events_dropped_total", "counter",
	       "Events not written because the reader of the event stream fell behind.");
	evbuffer_add_printf(b, "rootshift_lab_events_dropped_total %lu\n", lab->n.events_dropped);
	metric(b, "rootshift_lab_served_chain", "gauge", "1 for the chain the hub serves to new handshakes.");
	for (i = 0; i < LAB_CHAIN__COUNT; i++)
		evbuffer_add_printf(b, "rootshift_lab_served_chain{chain=\"%s\"} %d\n", lab_chain_name((enum lab_chain)i),
				    lab->sw.hub_chain == (enum lab_chain)i);
}

static int token_ok(struct lab_server *lab, struct evhttp_request *req)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");

	return h && strlen(h) == 7 + strlen(lab->admin.token) && !strncmp(h, "Bearer ", 7) &&
	       CRYPTO_memcmp(h + 7, lab->admin.token, strlen(lab->admin.token)) == 0;
}

/* ---- admin parameters: every one checked, together, before anything changes ---- */

enum admin_param { P_TO, P_MIX, P_DISCONNECT, P_DEVICE, P__COUNT };

struct admin_params {
	enum lab_chain to;
	int mix, disconnect;
	const char *device; /* borrowed from the parsed query */
};

static const char *const param_names[P__COUNT] = { "to", "mix", "disconnect", "device" };

/* Checks one value; NULL when good, else what it must be. */
static const char *param_value(enum admin_param k, const char *v, struct admin_params *p)
{
	char *end;
	long n;

	switch (k) {
	case P_TO: return lab_chain_parse(v, &p->to) < 0 ? "must be old, new, next or ecc" : NULL;
	case P_MIX:
		n = strtol(v, &end, 10);
		if (!*v || *end || n < 0 || n > 100)
			return "must be a whole number from 0 to 100";
		p->mix = (int)n;
		return NULL;
	case P_DISCONNECT:
		if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "0") || !strcmp(v, "false")) {
			p->disconnect = v[0] == '1' || v[0] == 't';
			return NULL;
		}
		return "must be 1, true, 0 or false";
	case P_DEVICE:
		p->device = v;
		return lab_device_id_ok(v) ? NULL : "is not a device id";
	default: return "is unknown";
	}
}

/* Parses the query q (already split) against the parameters in allowed (a bit each): unknown, repeated and bad
 * parameters are all named in why, and then it returns -1; nothing has been acted on. */
static int admin_params(struct evkeyvalq *q, unsigned allowed, struct admin_params *p, char *why, size_t size)
{
	unsigned seen = 0;
	size_t o = 0;

	why[0] = '\0';
	for (struct evkeyval *kv = q->tqh_first; kv; kv = kv->next.tqe_next) {
		int k = 0;
		const char *bad;
		while (k < P__COUNT && strcmp(kv->key, param_names[k]))
			k++;
		if (k == P__COUNT || !(allowed & 1u << k))
			bad = "is not a parameter here";
		else if (seen & 1u << k)
			bad = "is given twice";
		else
			bad = param_value((enum admin_param)k, kv->value, p);
		if (k < P__COUNT)
			seen |= 1u << k;
		if (bad && o < size)
			o += (size_t)snprintf(why + o, size - o, "%s'%s' %s", o ? "; " : "", kv->key, bad);
	}
	return o ? -1 : 0;
}

/* Splits req's query and checks it (admin_params); on failure answers 400 with the reasons and returns -1. The
 * caller clears q. */
static int admin_query(struct evhttp_request *req, struct evkeyvalq *q, unsigned allowed, struct admin_params *p)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	char why[512];

	q->tqh_first = NULL;
	q->tqh_last = &q->tqh_first;
	if (query && evhttp_parse_query_str(query, q) < 0) {
		reply_error(req, 400, "the query is not name=value pairs joined by '&'");
		return -1;
	}
	if (admin_params(q, allowed, p, why, sizeof(why)) < 0) {
		reply_error(req, 400, why);
		return -1;
	}
	return 0;
}

static void admin_change(struct evhttp_request *req, struct lab_server *lab, int migrate)
{
	struct admin_params p = { migrate ? LAB_CHAIN_NEW : LAB_CHAIN_OLD, 0, 0, NULL };
	struct evkeyvalq q;
	struct evbuffer *b;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		reply(req, 405, "Method Not Allowed", "text/plain", "use POST\n");
		return;
	}
	if (!token_ok(lab, req)) {
		reply(req, 401, "Unauthorized", "application/json", "{\"error\":\"admin token required\"}\n");
		return;
	}
	if (admin_query(req, &q, 1u << P_TO | 1u << P_MIX | 1u << P_DISCONNECT, &p) < 0) {
		evhttp_clear_headers(&q);
		return;
	}
	evhttp_clear_headers(&q);
	lab_switch_to(lab, p.to, p.mix, p.disconnect);
	if ((b = evbuffer_new())) {
		lab_admin_status(lab, b);
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
		reply_error(req, err.code == RS_ERR_USAGE ? 400 : 500, err.message);
	} else {
		snprintf(body, sizeof(body), "registered %zu", n);
		lab_event(lab, LAB_EV_DEVICES, "", lab->sw.hub_chain, body);
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
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	struct admin_params p = { LAB_CHAIN_OLD, 0, 0, NULL };
	struct evkeyvalq q;
	char body[64];
	int n;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST || !token_ok(lab, req)) {
		reply(req, 401, "Unauthorized", "application/json", "{\"error\":\"POST with the admin token\"}\n");
		return;
	}
	if (admin_query(req, &q, 1u << P_DEVICE, &p) < 0) {
		evhttp_clear_headers(&q);
		return;
	}
	if (!p.device || len > 65536) {
		evhttp_clear_headers(&q);
		reply_error(req, 400, "give ?device=ID and a body of 64 KiB at most");
		return;
	}
	n = lab_hub_send_c2d(lab, p.device, evbuffer_pullup(in, (ev_ssize_t)len), len);
	lab_event(lab, LAB_EV_C2D, p.device, lab->sw.hub_chain, n ? "sent" : "no subscribed session");
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
		lab_admin_metrics(lab, b);
	else
		lab_admin_status(lab, b);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
			  path[1] == 'm' ? "text/plain; version=0.0.4" : "application/json");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void http_accept_again(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	evconnlistener_enable(arg);
}

/* accept(2) failed on an HTTP port (descriptors ran out): that listener pauses 250 ms instead of retrying at once
 * (libevent would otherwise warn and retry on every turn of the loop). Its argument is evhttp's, not the lab: the
 * device ports' failures (lab_accept_error) are the ones counted and reported, and they pause these too. */
static void http_accept_error(struct evconnlistener *l, void *arg)
{
	struct timeval pause = { 0, 250000 };

	(void)arg;
	evconnlistener_disable(l);
	if (event_base_once(evconnlistener_get_base(l), -1, EV_TIMEOUT, http_accept_again, l, &pause) < 0)
		evconnlistener_enable(l);
}

static struct evhttp *http_on(struct lab_server *lab, const char *addr, int *port,
			      void (*cb)(struct evhttp_request *, void *), struct evconnlistener **listener,
			      struct rs_error *err)
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
	/* Output limit: evhttp reads a connection's next request only once the reply before it is written
	 * (evhttp_send_done, libevent 2.1 http.c), and the timeout closes a connection whose write stalls; so a
	 * peer that does not read holds one reply at most, for 30 s at most. */
	evhttp_set_timeout(h, 30);
	evhttp_set_allowed_methods(h, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT);
	if (!(s = evhttp_bind_socket_with_handle(h, addr, (ev_uint16_t)*port))) {
		evhttp_free(h);
		rs_error_set(err, RS_ERR_IO, "cannot listen on %s port %d", addr, *port);
		return NULL;
	}
	*listener = evhttp_bound_socket_get_listener(s);
	evconnlistener_set_error_cb(*listener, http_accept_error);
	getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&ss, &len);
	*port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return h;
}

int lab_admin_start(struct lab_server *lab, struct rs_error *err)
{
	lab->admin.port = lab->opts->admin_port;
	/* the admin API is on loopback whatever the service address */
	if (!(lab->admin.http = http_on(lab, "127.0.0.1", &lab->admin.port, admin_request, &lab->admin.listener, err)))
		return -1;
	return 0;
}

void lab_admin_stop(struct lab_server *lab)
{
	if (lab->admin.http)
		evhttp_free(lab->admin.http);
	lab->admin.http = NULL;
	lab->admin.listener = NULL;
}
