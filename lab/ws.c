/*
 * ws.c: MQTT and AMQP over WebSockets (azure-iot-facts.md 3.2): an HTTP upgrade on /$iothub/websocket, on the
 * HTTPS port (https.c, which answers a refusal) as on IoT Hub's 443, accepts the subprotocol "mqtt" or "AMQPWSB10" in any case and echoes
 * back the exact token the client offered, then unwraps binary frames (which clients must mask) into the same MQTT
 * or AMQP handling as ports 8883 and 5671.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "server.h"

/* A refusal, for https.c to answer: 1. */
static int refused(const char **status, const char **why, const char *st, const char *reason)
{
	*status = st;
	*why = reason;
	return 1;
}

/* The first offered subprotocol token that matches "mqtt" or "AMQPWSB10" in any case, or an empty span; *amqp
 * tells which. */
static struct rs_span offered(const struct rs_http_request *req, int *amqp)
{
	struct rs_span none = { NULL, 0 };

	for (size_t i = 0; i < req->header_count; i++) {
		const char *p, *end, *comma;
		if (!rs_span_eq_ci(req->names[i], "Sec-WebSocket-Protocol"))
			continue;
		p = req->values[i].ptr;
		end = p + req->values[i].len;
		for (; p < end; p = comma + 1) {
			struct rs_span t;
			comma = memchr(p, ',', (size_t)(end - p));
			if (!comma)
				comma = end;
			t.ptr = p;
			t.len = (size_t)(comma - p);
			while (t.len && (*t.ptr == ' ' || *t.ptr == '\t'))
				t.ptr++, t.len--;
			while (t.len && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
				t.len--;
			if (rs_span_eq_ci(t, "mqtt") || rs_span_eq_ci(t, "AMQPWSB10")) {
				*amqp = rs_span_eq_ci(t, "AMQPWSB10");
				return t;
			}
		}
	}
	return none;
}

int lab_ws_upgrade(struct lab_conn *c, const struct rs_http_request *req, size_t used, struct evbuffer *in,
		   const char **status, const char **why)
{
	const struct rs_span *key = rs_http_header(req, "Sec-WebSocket-Key"), *ver = rs_http_header(req, "Sec-WebSocket-Version");
	struct rs_span proto, path = req->target;
	struct rs_error err;
	char accept[29], resp[512];
	int n, amqp = 0;

	if (memchr(path.ptr, '?', path.len))
		path.len = (size_t)((const char *)memchr(path.ptr, '?', path.len) - path.ptr);
	proto = offered(req, &amqp);
	if (!rs_span_eq_ci(req->method, "GET") || !rs_span_eq_ci(path, "/$iothub/websocket"))
		return refused(status, why, "404 Not Found", "WebSocket request is not GET /$iothub/websocket");
	if (!rs_http_header_has_token(req, "Upgrade", "websocket") ||
	    !rs_http_header_has_token(req, "Connection", "upgrade") || !key || !ver || !rs_span_eq_ci(*ver, "13") ||
	    rs_ws_accept(*key, accept, &err) < 0)
		return refused(status, why, "400 Bad Request", "not a WebSocket upgrade (Upgrade, Connection, key, version 13)");
	if (!proto.len)
		return refused(status, why, "400 Bad Request", "no subprotocol mqtt or AMQPWSB10 offered");
	if (!(c->ws_in = evbuffer_new()))
		return refused(status, why, "500 Internal Server Error", "out of memory");
	n = snprintf(resp, sizeof(resp),
		     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		     "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: %.*s\r\n\r\n",
		     accept, (int)proto.len, proto.ptr);
	lab_conn_event(c, LAB_EV_WS_UPGRADE, LAB_CAUSE_NONE, amqp ? "AMQPWSB10" : "mqtt");
	evbuffer_drain(in, used);
	lab_conn_send(c, resp, (size_t)n);
	lab_conn_wait_connect(c);
	c->ws_upgraded = 1;
	c->ws_amqp = amqp;
	c->on_data = lab_ws_on_data;
	return lab_ws_on_data(c, in);
}

/* Answers a PING at a bounded rate: at most LAB_PONG_RATE a second, and none while earlier output waits for the
 * peer to read it (RFC 6455, 5.5.3, lets an endpoint answer only the most recent of several PINGs). Past
 * LAB_PING_FLOOD PINGs in a second the connection is not read until the clock's next check (250 ms): a PING
 * flood then costs the lab neither memory nor more than its share of the loop. */
static void pong(struct lab_conn *c, const struct rs_ws_frame *f)
{
	unsigned char hdr[14];
	struct timeval tv;
	size_t n;

	event_base_gettimeofday_cached(c->lab->base, &tv);
	if (c->ping_sec != (unsigned)tv.tv_sec) {
		c->ping_sec = (unsigned)tv.tv_sec;
		c->pings = 0;
	}
	if (c->pings < USHRT_MAX)
		c->pings++;
	if (c->pings >= LAB_PING_FLOOD && !c->paused)
		lab_conn_pause(c); /* resumed by the clock's next check (control.c) */
	if (c->pings > LAB_PONG_RATE || lab_conn_pending(c) > 0) {
		c->lab->n.pings_ignored++;
		return;
	}
	n = rs_ws_header(RS_WS_PONG, f->payload_len, NULL, hdr);
	if (lab_conn_send(c, hdr, n) == 0)
		lab_conn_send(c, f->payload, f->payload_len);
}

/* Unwraps every complete frame; returns -1 when c was closed or is closing. */
static int frames(struct lab_conn *c, struct evbuffer *in)
{
	struct rs_ws_frame f;
	struct rs_error err;
	unsigned char hdr[14];
	size_t len, used;
	int r;

	while ((len = evbuffer_get_length(in)) > 0) {
		unsigned char *data = evbuffer_pullup(in, (ev_ssize_t)len);
		r = rs_ws_decode(data, len, LAB_MAX_PACKET, &f, &used, &err);
		if (r == 0)
			return 0;
		if (r < 0 || !f.masked || f.opcode == RS_WS_TEXT) {
			if (r < 0 && err.code == RS_ERR_LIMIT)
				c->lab->n.dropped_limits++;
			lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, r < 0 ? err.message : !f.masked ? "client frame is not masked" : "text frame");
			lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
			return -1;
		}
		rs_ws_unmask((unsigned char *)f.payload, f.payload_len, f.mask, 0);
		if (f.opcode == RS_WS_PING) {
			pong(c, &f);
		} else if (f.opcode == RS_WS_CLOSE) {
			size_t n = rs_ws_header(RS_WS_CLOSE, 0, NULL, hdr);
			lab_conn_send(c, hdr, n);
			lab_conn_close_after_flush(c);
			return -1;
		} else if (f.opcode != RS_WS_PONG) {
			if (evbuffer_get_length(c->ws_in) + f.payload_len > LAB_MAX_PACKET + 8) {
				c->lab->n.dropped_limits++;
				lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
				return -1;
			}
			evbuffer_add(c->ws_in, f.payload, f.payload_len);
		}
		evbuffer_drain(in, used);
		if (c->slow)
			return -1;
		if (c->paused)
			return 0; /* the rest of the input waits in c->in */
	}
	return 0;
}

int lab_ws_on_data(struct lab_conn *c, struct evbuffer *in)
{
	if (frames(c, in) < 0)
		return -1;
	return c->ws_amqp ? lab_amqp_on_data(c, c->ws_in) : lab_hub_on_data(c, c->ws_in);
}
