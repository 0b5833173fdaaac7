/*
 * https.c: the HTTPS port, as IoT Hub's 443. One TLS port serves HTTPS REST (DPS registrations, hub
 * device-to-cloud events) and, on GET /$iothub/websocket with "Upgrade: websocket", MQTT or AMQP over WebSockets
 * (subprotocols "mqtt" and "AMQPWSB10": azure-iot-facts.md 3.2; the C SDK's iothubtransport_mqtt_common.c and
 * iothubtransportamqp_websockets.c ask for exactly these on port 443 with that path).
 *
 * The connection is the lab's own (conn_io.c), so handshakes and their failures are counted as on every other
 * port. Requests are HTTP/1.1 with a Content-Length body (what the SDKs' HTTP transport and curl send); several
 * may follow on one connection; a connection idle for 30 s is closed, as evhttp did before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "server.h"

#define HTTPS_MAX_HEAD 16384
#define HTTPS_MAX_BODY (256 * 1024 + 4096)
#define HTTPS_IDLE_S 30

/* One parsed request, with what the handlers need as C strings. */
struct hreq {
	struct lab_conn *c;
	char method[8];
	char path[1024];
	char auth[4097];
	int has_auth, close;
};

static void respond(struct hreq *r, int code, const char *reason, const char *type, const char *extra,
		    const char *body)
{
	char head[512];
	size_t blen = body ? strlen(body) : 0;
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n%s%s%s%sContent-Length: %zu\r\n%s\r\n", code, reason,
			 type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "", extra ? extra : "",
			 code == 204 ? (size_t)0 : blen, r->close ? "Connection: close\r\n" : "");

	lab_conn_send(r->c, head, (size_t)n);
	if (code != 204 && blen)
		lab_conn_send(r->c, body, blen);
}

/* Splits a path into at most max segments (copied into buf); returns the count, or -1. */
static int split_path(const char *path, char *buf, size_t size, char **seg, int max)
{
	int n = 0;
	char *p;

	if (path[0] != '/' || strlen(path) >= size)
		return -1;
	snprintf(buf, size, "%s", path + 1);
	for (p = buf; p && *p;) {
		if (n == max)
			return -1;
		seg[n++] = p;
		p = strchr(p, '/');
		if (p)
			*p++ = '\0';
	}
	return n;
}

/* ---- DPS and hub REST (azure-iot-facts.md 3.4 and 3.5) ---- */

static void dps_unauthorized(struct hreq *r, const char *dev, const char *why)
{
	struct lab_server *lab = r->c->lab;
	char body[256], track[40];

	lab->n.auth_failures++;
	lab_event(lab, LAB_EV_AUTH_FAILURE, dev, lab->sw.dps_chain, why);
	lab_dps_tracking_id(track, sizeof(track));
	snprintf(body, sizeof(body), "{\"errorCode\":401002,\"trackingId\":\"%s\",\"message\":\"Unauthorized\"}", track);
	respond(r, 401, "Unauthorized", "application/json; charset=utf-8", NULL, body);
}

static void hub_unauthorized(struct hreq *r, const char *dev, const char *why)
{
	struct lab_server *lab = r->c->lab;
	char body[300], track[40], now[32];

	lab->n.auth_failures++;
	lab_event(lab, LAB_EV_AUTH_FAILURE, dev, lab->sw.hub_chain, why);
	lab_dps_tracking_id(track, sizeof(track));
	rs_time_format(lab_now(lab), now, sizeof(now));
	snprintf(body, sizeof(body),
		 "{\"Message\":\"ErrorCode:IotHubUnauthorizedAccess;Unauthorized\",\"ExceptionMessage\":\"Tracking "
		 "ID:%s-G:lab-TimeStamp:%s\"}",
		 track, now);
	respond(r, 401, "Unauthorized", "application/json; charset=utf-8", NULL, body);
}

static void dps_http(struct hreq *r, char **seg, int n)
{
	struct lab_server *lab = r->c->lab;
	char resource[512], op[48], *text = NULL;
	struct rs_error err;

	snprintf(resource, sizeof(resource), "%s/registrations/%s", seg[0], seg[2]);
	if (strcasecmp(seg[0], lab->cfg.id_scope) || !r->has_auth ||
	    lab_auth_sas(lab, r->auth, resource, seg[2], NULL, &err) < 0) {
		dps_unauthorized(r, seg[2], r->has_auth ? err.message : "no Authorization header");
		return;
	}
	/* the operation's body is the one DPS sends over MQTT too (dps.c: lab_dps_operation_json) */
	if (n == 4 && !strcmp(r->method, "PUT") && !strcmp(seg[3], "register")) {
		lab_dps_new_operation(op, sizeof(op));
		text = lab_dps_operation_json(lab, op, seg[2], 0);
		respond(r, 202, "Accepted", "application/json; charset=utf-8", "Retry-After: 1\r\n", text ? text : "{}");
	} else if (n == 5 && !strcmp(r->method, "GET") && !strcmp(seg[3], "operations") && !strncmp(seg[4], "4.", 2)) {
		lab->n.dps_registrations++;
		text = lab_dps_operation_json(lab, seg[4], seg[2], 1);
		lab_event(lab, LAB_EV_DPS_ASSIGNED, seg[2], lab->sw.dps_chain, lab->cfg.hub_host);
		respond(r, 200, "OK", "application/json; charset=utf-8", NULL, text ? text : "{}");
	} else {
		respond(r, 404, "Not Found", "application/json; charset=utf-8", NULL,
			"{\"errorCode\":404000,\"message\":\"Not found\"}");
	}
	free(text);
}

/* POST /devices/{id}/messages/events: the SAS is checked over the literal resource and against the lab's clock,
 * so an expired token gets 401 as on IoT Hub. */
static void hub_http(struct hreq *r, char **seg)
{
	struct lab_server *lab = r->c->lab;
	char resource[512];
	struct rs_error err;

	snprintf(resource, sizeof(resource), "%s/devices/%s", lab->cfg.hub_host, seg[1]);
	if (!r->has_auth || lab_auth_sas(lab, r->auth, resource, seg[1], NULL, &err) < 0) {
		hub_unauthorized(r, seg[1], r->has_auth ? err.message : "no Authorization header");
		return;
	}
	lab->n.telemetry++;
	respond(r, 204, "No Content", NULL, NULL, NULL);
}

static void route(struct hreq *r)
{
	char buf[1024], *seg[8];
	int n = split_path(r->path, buf, sizeof(buf), seg, 8);

	r->c->lab->n.https_requests++;
	if (n >= 4 && !strcmp(seg[1], "registrations"))
		dps_http(r, seg, n);
	else if (n == 4 && !strcmp(seg[0], "devices") && !strcmp(seg[2], "messages") && !strcmp(seg[3], "events") &&
		 !strcmp(r->method, "POST"))
		hub_http(r, seg);
	else
		respond(r, 404, "Not Found", "text/plain", NULL, "not found\n");
}

/* ---- the connection ---- */

static int span_copy(struct rs_span s, char *out, size_t size)
{
	if (s.len >= size)
		return -1;
	memcpy(out, s.ptr, s.len);
	out[s.len] = '\0';
	return 0;
}

/* A refusal: the status, an event of kind, and the connection closed once the answer is out; -1. */
static int refuse_as(struct lab_conn *c, const char *status, enum lab_event_kind kind, const char *why)
{
	char resp[160];
	int n = snprintf(resp, sizeof(resp), "HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);

	lab_conn_event(c, kind, LAB_CAUSE_NONE, why);
	lab_conn_send(c, resp, (size_t)n);
	lab_conn_close_after_flush(c);
	return -1;
}

static int refuse(struct lab_conn *c, const char *status, const char *why)
{
	return refuse_as(c, status, LAB_EV_PROTOCOL_ERROR, why);
}

static void idle_deadline(struct lab_conn *c)
{
	c->state = LAB_ST_HTTP;
	(void)lab_conn_deadline(c, HTTPS_IDLE_S);
}

int lab_https_on_data(struct lab_conn *c, struct evbuffer *in)
{
	while (c->state != LAB_ST_CLOSING && evbuffer_get_length(in) > 0) {
		size_t len = evbuffer_get_length(in), head_len = len < HTTPS_MAX_HEAD ? len : HTTPS_MAX_HEAD, used;
		const char *data = (const char *)evbuffer_pullup(in, (ev_ssize_t)head_len);
		struct rs_http_request req;
		const struct rs_span *cl, *auth;
		struct rs_span path;
		struct rs_error err;
		struct hreq *r;
		unsigned long body_len = 0;
		int st = rs_http_parse_request(data, head_len, HTTPS_MAX_HEAD, &req, &used, &err);

		if (st == 0)
			return 0;
		if (st < 0)
			return refuse(c, err.code == RS_ERR_LIMIT ? "431 Request Header Fields Too Large" : "400 Bad Request",
				      err.message);
		path = req.target;
		if (memchr(path.ptr, '?', path.len))
			path.len = (size_t)((const char *)memchr(path.ptr, '?', path.len) - path.ptr);
		if (rs_span_eq_ci(path, "/$iothub/websocket") || rs_http_header(&req, "Upgrade")) {
			const char *status, *why;
			int up = lab_ws_upgrade(c, &req, used, in, &status, &why);
			return up == 1 ? refuse_as(c, status, LAB_EV_WS_REFUSED, why) : up;
		}
		if (rs_http_header(&req, "Transfer-Encoding"))
			return refuse(c, "411 Length Required", "HTTPS request without a Content-Length");
		if ((cl = rs_http_header(&req, "Content-Length"))) {
			char num[16], *end;
			if (span_copy(*cl, num, sizeof(num)) < 0 || !num[0] || num[0] == '-' ||
			    (body_len = strtoul(num, &end, 10), *end) || body_len > HTTPS_MAX_BODY)
				return refuse(c, body_len > HTTPS_MAX_BODY ? "413 Payload Too Large" : "400 Bad Request",
					      "bad or too large Content-Length");
		}
		if (len < used + body_len)
			return 0; /* the body is still coming */
		if (!(r = calloc(1, sizeof(*r))))
			return refuse(c, "500 Internal Server Error", "out of memory");
		r->c = c;
		r->close = req.minor_version == 0 || rs_http_header_has_token(&req, "Connection", "close");
		if (span_copy(req.method, r->method, sizeof(r->method)) < 0 || span_copy(path, r->path, sizeof(r->path)) < 0) {
			free(r);
			return refuse(c, "414 URI Too Long", "HTTPS request line too long");
		}
		if ((auth = rs_http_header(&req, "Authorization")))
			r->has_auth = span_copy(*auth, r->auth, sizeof(r->auth)) == 0;
		evbuffer_drain(in, used + body_len);
		route(r);
		OPENSSL_cleanse(r->auth, sizeof(r->auth));
		if (r->close) {
			free(r);
			lab_conn_close_after_flush(c);
			return -1;
		}
		free(r);
		idle_deadline(c);
	}
	return 0;
}
