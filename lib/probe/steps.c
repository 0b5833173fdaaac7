/*
 * steps.c: the protocol step after TLS, just enough to tell "TLS fine, credentials rejected" from a failure
 * (../shared/docs/azure-iot-facts.md 3.7): IoT Hub MQTT (CONNACK), DPS MQTT (res/{status}), HTTPS (status),
 * AMQP (the protocol header and the SASL mechanisms).
 */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MQTT_MAX_PACKET 65536
#define HTTP_MAX_RESPONSE 16384

static struct rs_mqtt_str mstr(const char *s)
{
	struct rs_mqtt_str m = { s ? s : "", s ? strlen(s) : 0 };

	return m;
}

static int send_packet(struct rs_stream *s, const struct rs_mqtt_packet *p, struct rs_error *err)
{
	unsigned char buf[4096];
	size_t len;

	if (rs_mqtt_encode(p, buf, sizeof(buf), &len, err) < 0)
		return -1;
	return rs_stream_write(s, buf, len);
}

/* An input buffer for packets and lines that arrive in pieces. */
struct inbuf {
	unsigned char data[MQTT_MAX_PACKET];
	size_t len;
};

/* Reads until one whole MQTT packet is there: 1 (and *used; call consume() after using the packet, whose strings
 * point into the buffer), 0 when the peer closed first, -1 on error or a malformed packet. */
static int read_packet(struct rs_stream *s, struct inbuf *in, struct rs_mqtt_packet *p, size_t *used,
		       struct rs_error *err)
{
	int rv;

	for (;;) {
		long n;
		memset(p, 0, sizeof(*p));
		rv = rs_mqtt_decode(in->data, in->len, MQTT_MAX_PACKET, p, used, err);
		if (rv != 0)
			return rv;
		if (in->len == sizeof(in->data))
			return rs_fail(err, RS_ERR_LIMIT, "packet too large");
		n = rs_stream_read(s, in->data + in->len, sizeof(in->data) - in->len);
		if (n <= 0)
			return n == 0 ? 0 : rs_fail(err, RS_ERR_IO, "%s", s->message);
		in->len += (size_t)n;
	}
}

static void consume(struct inbuf *in, size_t used)
{
	memmove(in->data, in->data + used, in->len - used);
	in->len -= used;
}

static int mqtt_connect(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r, int clean)
{
	struct rs_mqtt_packet p;
	struct rs_error err;
	char masked[16];

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_CONNECT;
	p.protocol_name = mstr("MQTT");
	p.protocol_level = 4;
	p.clean_session = clean;
	p.keep_alive = 240;
	p.client_id = mstr(o->client_id ? o->client_id : "rootshift-probe");
	p.has_username = o->username != NULL;
	p.username = mstr(o->username);
	p.has_password = o->password != NULL;
	p.password = mstr(o->password);
	rs_probe_note(o, r, "> CONNECT client_id='%s' username='%s' password='%s'", o->client_id ? o->client_id : "rootshift-probe",
		      o->username ? o->username : "", o->password ? rs_mask_secret(o->password, masked, sizeof(masked)) : "");
	if (send_packet(s, &p, &err) < 0) {
		rs_probe_step_failed(r, s, s->ws ? "after-upgrade" : "after-tls", "cannot send CONNECT: %s",
				     s->message[0] ? s->message : err.message);
		return -1;
	}
	return 0;
}

/* CONNACK codes (MQTT 3.1.1, 3.2.2.3): 4 bad user name or password and 5 not authorized are rejections of the
 * credentials; IoT Hub answers 5 (azure-iot-facts.md 3.1). */
static void connack_result(struct rs_probe_result *r, int rc)
{
	static const char *const names[] = { "accepted", "unacceptable protocol version", "identifier rejected",
					     "server unavailable", "bad user name or password", "not authorized" };
	const char *name = rc >= 0 && rc <= 5 ? names[rc] : "unknown";

	r->status = rc;
	if (rc == 0)
		rs_probe_set(r, RS_PROBE_OK, "done", "CONNACK 0 (%s)", name);
	else if (rc == 4 || rc == 5)
		rs_probe_set(r, RS_PROBE_OK_AUTH_REJECTED, "protocol", "CONNACK %d (%s)", rc, name);
	else
		rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "CONNACK %d (%s)", rc, name);
}

/* Waits for CONNACK; 0 with r set when it came, -1 with r set otherwise. */
static int mqtt_connack(const struct rs_probe_opts *o, struct rs_stream *s, struct inbuf *in, struct rs_probe_result *r)
{
	struct rs_mqtt_packet p;
	struct rs_error err = { 0 };
	size_t used;
	int rv = read_packet(s, in, &p, &used, &err);

	if (rv == 0) {
		rs_probe_step_failed(r, s, "after-connect", "the server closed the connection before CONNACK");
		return -1;
	}
	if (rv < 0 || p.type != RS_MQTT_CONNACK) {
		rs_probe_step_failed(r, s, "after-connect", "no CONNACK: %s", rv < 0 ? err.message : rs_mqtt_type_name(p.type));
		return -1;
	}
	rs_probe_note(o, r, "< CONNACK %d", p.return_code);
	connack_result(r, p.return_code);
	consume(in, used);
	return 0;
}

static void mqtt_disconnect(struct rs_stream *s)
{
	struct rs_mqtt_packet p;
	struct rs_error err;

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_DISCONNECT;
	send_packet(s, &p, &err);
}

static int hub_mqtt(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	struct inbuf *in = malloc(sizeof(*in));
	int rv = -1;

	if (!in) {
		rs_probe_set(r, RS_PROBE_INTERNAL_ERROR, "protocol", "out of memory");
		return -1;
	}
	in->len = 0;
	if (mqtt_connect(o, s, r, 0) == 0 && mqtt_connack(o, s, in, r) == 0) {
		if (r->status == 0)
			mqtt_disconnect(s);
		rv = 0;
	}
	free(in);
	return rv;
}

static int dps_subscribe_and_register(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	char body[300];
	struct rs_mqtt_packet p;
	struct rs_error err;

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_SUBSCRIBE;
	p.packet_id = 1;
	p.topic_count = 1;
	p.topics[0] = mstr("$dps/registrations/res/#");
	p.qos_list[0] = 1;
	rs_probe_note(o, r, "> SUBSCRIBE $dps/registrations/res/#");
	if (send_packet(s, &p, &err) < 0)
		return -1;
	snprintf(body, sizeof(body), "{\"registrationId\":\"%s\"}", o->client_id ? o->client_id : "");
	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_PUBLISH;
	p.topic = mstr("$dps/registrations/PUT/iotdps-register/?$rid=1");
	p.payload = (const unsigned char *)body;
	p.payload_len = strlen(body);
	rs_probe_note(o, r, "> PUBLISH $dps/registrations/PUT/iotdps-register/?$rid=1 %s", body);
	return send_packet(s, &p, &err);
}

/* "$dps/registrations/res/{status}/?$rid=..." → status, or -1. */
static int dps_status(struct rs_mqtt_str topic)
{
	static const char prefix[] = "$dps/registrations/res/";
	const size_t n = sizeof(prefix) - 1;
	int status = 0;
	size_t i;

	if (topic.len <= n || memcmp(topic.ptr, prefix, n))
		return -1;
	for (i = n; i < topic.len && topic.ptr[i] >= '0' && topic.ptr[i] <= '9' && i < n + 3; i++)
		status = status * 10 + (topic.ptr[i] - '0');
	return i == n ? -1 : status;
}

static void dps_result(struct rs_probe_result *r, int status, const struct rs_mqtt_packet *p)
{
	r->status = status;
	rs_buf_add(&r->detail, p->payload, p->payload_len < 300 ? p->payload_len : 300);
	if (status == 401 || status == 403)
		rs_probe_set(r, RS_PROBE_OK_AUTH_REJECTED, "protocol", "DPS answered %d", status);
	else if (status >= 200 && status < 300)
		rs_probe_set(r, RS_PROBE_OK, "done", "DPS answered %d", status);
	else
		rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "DPS answered %d", status);
}

/* A 401 may follow a CONNACK of 0 (azure-iot-facts.md 3.4), so register and wait for res/{status}. */
static int dps_wait(const struct rs_probe_opts *o, struct rs_stream *s, struct inbuf *in, struct rs_probe_result *r)
{
	struct rs_mqtt_packet p;
	struct rs_error err = { 0 };
	size_t used;
	int rv, i, status;

	for (i = 0; i < 16; i++) {
		rv = read_packet(s, in, &p, &used, &err);
		if (rv <= 0) {
			rs_probe_step_failed(r, s, "after-register", "no DPS registration response: %s",
					     rv == 0 ? "the server closed the connection" : err.message);
			return -1;
		}
		rs_probe_note(o, r, "< %s %.*s", rs_mqtt_type_name(p.type), (int)p.topic.len, p.topic.ptr ? p.topic.ptr : "");
		if (p.type == RS_MQTT_PUBLISH && (status = dps_status(p.topic)) >= 0) {
			dps_result(r, status, &p);
			return 0;
		}
		consume(in, used);
	}
	rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "no DPS registration response among 16 packets");
	return -1;
}

static int dps_mqtt(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	struct inbuf *in = malloc(sizeof(*in));
	int rv = -1;

	if (!in) {
		rs_probe_set(r, RS_PROBE_INTERNAL_ERROR, "protocol", "out of memory");
		return -1;
	}
	in->len = 0;
	if (mqtt_connect(o, s, r, 1) < 0 || mqtt_connack(o, s, in, r) < 0)
		goto out;
	rv = 0;
	if (r->status != 0)
		goto out; /* a non-zero CONNACK is already the answer */
	if (dps_subscribe_and_register(o, s, r) < 0) {
		rs_probe_step_failed(r, s, "after-connack", "cannot register: %s", s->message);
		rv = -1;
		goto out;
	}
	rv = dps_wait(o, s, in, r);
	mqtt_disconnect(s);
out:
	free(in);
	return rv;
}

static int http_request(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	struct rs_buf req = RS_BUF_INIT;
	const char *body = o->http_body ? o->http_body : "";
	char masked[16];
	int rv;

	rs_buf_addf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: rootshift/%s\r\nAccept: application/json\r\n",
		    o->http_method ? o->http_method : "GET", o->http_path ? o->http_path : "/", o->host, RS_VERSION);
	if (o->password)
		rs_buf_addf(&req, "Authorization: %s\r\n", o->password);
	rs_buf_addf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		    strlen(body), body);
	rs_probe_note(o, r, "> %s %s (Authorization: %s)", o->http_method ? o->http_method : "GET",
		      o->http_path ? o->http_path : "/", o->password ? rs_mask_secret(o->password, masked, sizeof(masked)) : "none");
	rv = req.data ? rs_stream_write(s, req.data, req.len) : -1;
	if (req.data)
		OPENSSL_cleanse(req.data, req.len);
	rs_buf_release(&req);
	return rv;
}

/* Reads the response up to its size bound or the close; returns the status or -1. */
static int http_response(struct rs_stream *s, struct rs_buf *resp)
{
	char buf[4096];
	int status = -1;
	long n;


	while (resp->len < HTTP_MAX_RESPONSE && (n = rs_stream_read(s, buf, sizeof(buf))) > 0) {
		rs_buf_add(resp, buf, (size_t)n);
		if (resp->data && strstr(resp->data, "\r\n\r\n") && strstr(resp->data, "Content-Length: 0"))
			break;
	}
	if (resp->data)
		status = rs_http_status_line(resp->data, resp->len);
	return status;
}

static int https(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	struct rs_buf resp = RS_BUF_INIT;
	const char *body;
	int status;

	if (http_request(o, s, r) < 0) {
		rs_probe_step_failed(r, s, "after-tls", "cannot send the request: %s", s->message);
		return -1;
	}
	status = http_response(s, &resp);
	r->status = status;
	body = resp.data ? strstr(resp.data, "\r\n\r\n") : NULL;
	if (body)
		rs_buf_add(&r->detail, body + 4, strlen(body + 4) < 300 ? strlen(body + 4) : 300);
	rs_probe_note(o, r, "< HTTP %d", status);
	if (status == 401 || status == 403)
		rs_probe_set(r, RS_PROBE_OK_AUTH_REJECTED, "protocol", "HTTP %d", status);
	else if (status >= 200 && status < 400)
		rs_probe_set(r, RS_PROBE_OK, "done", "HTTP %d", status);
	else if (status < 0 && resp.len == 0)
		rs_probe_step_failed(r, s, "after-request", "no HTTP response");
	else if (status < 0)
		rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "the answer is not HTTP");
	else
		rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "HTTP %d", status);
	rs_buf_release(&resp);
	return 0;
}

/* AMQP 1.0 (2.2): the client sends "AMQP" 3 1 0 0 for SASL; the server answers with its header, then the
 * sasl-mechanisms frame. */
static int amqp(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	static const unsigned char hdr[8] = { 'A', 'M', 'Q', 'P', 3, 1, 0, 0 };
	unsigned char in[1024];
	size_t got = 0;
	long n;

	rs_probe_note(o, r, "> AMQP 3.1.0.0 (SASL)");
	if (rs_stream_write(s, hdr, sizeof(hdr)) < 0) {
		rs_probe_step_failed(r, s, "after-tls", "cannot send the AMQP header: %s", s->message);
		return -1;
	}
	while (got < 8 + 8 && (n = rs_stream_read(s, in + got, sizeof(in) - got)) > 0)
		got += (size_t)n;
	if (got == 0) {
		rs_probe_step_failed(r, s, "after-amqp-header", "no AMQP header in the answer");
		return -1;
	}
	if (got < 8 || memcmp(in, hdr, 4)) {
		rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "no AMQP header in the answer");
		return -1;
	}
	r->status = in[4];
	rs_amqp_mechanisms(in + 8, got - 8, &r->detail);
	rs_probe_note(o, r, "< AMQP %d.%d.%d.%d, SASL mechanisms: %s", in[4], in[5], in[6], in[7],
		      r->detail.data ? r->detail.data : "");
	if (memcmp(in, hdr, 8))
		rs_probe_set(r, RS_PROBE_PROTOCOL_ERROR, "protocol", "the server answered AMQP %d.%d.%d.%d", in[4], in[5], in[6], in[7]);
	else
		rs_probe_set(r, RS_PROBE_OK, "done", "AMQP header exchanged; SASL mechanisms: %s",
			     r->detail.data ? r->detail.data : "none");
	return 0;
}

int rs_probe_step(const struct rs_probe_opts *o, struct rs_stream *s, struct rs_probe_result *r)
{
	switch (o->protocol) {
	case RS_PROTO_MQTT: return hub_mqtt(o, s, r);
	case RS_PROTO_DPS_MQTT: return dps_mqtt(o, s, r);
	case RS_PROTO_HTTPS: return https(o, s, r);
	case RS_PROTO_AMQP: return amqp(o, s, r);
	case RS_PROTO_TLS: break;
	}
	rs_probe_set(r, RS_PROBE_OK, "done", "TLS handshake and verification succeeded");
	return 0;
}
