/*
 * mqtt_hub.c: IoT Hub and DPS over MQTT 3.1.1 (azure-iot-facts.md 3.1 and 3.4). The CONNECT user name says which:
 * "{hub}/{device}/?api-version=..." (or the old form without '?') is the hub; "{scope}/registrations/{id}/..." is
 * DPS. Hub credentials are checked at CONNECT (CONNACK 5 on failure); DPS credentials at the register request
 * (res/401), as DPS does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

static int send_packet(struct lab_conn *c, const struct rs_mqtt_packet *pkt)
{
	unsigned char small[512], *buf = small;
	struct rs_error err;
	size_t len;
	int rv = -1;

	if (rs_mqtt_encode(pkt, NULL, 0, &len, &err) < 0)
		return -1;
	if (len > sizeof(small) && !(buf = malloc(len)))
		return -1;
	if (rs_mqtt_encode(pkt, buf, len, &len, &err) == 0)
		rv = lab_conn_write(c, buf, len);
	if (buf != small)
		free(buf);
	return rv;
}

/* DPS replies go at the QoS the device subscribed to $dps/registrations/res/# with (at most 1), as DPS does: the
 * C SDK subscribes at QoS 1 (prov_transport_mqtt_common.c) and acknowledges them. */
static int send_publish(struct lab_conn *c, const char *topic, const char *body)
{
	struct rs_mqtt_packet p = { 0 };

	if (c->state == LAB_ST_DPS && c->dps_qos) {
		p.qos = 1;
		p.packet_id = c->next_packet_id++;
		if (c->next_packet_id > 65535)
			c->next_packet_id = 1;
	}
	p.type = RS_MQTT_PUBLISH;
	p.topic.ptr = topic;
	p.topic.len = strlen(topic);
	p.payload = (const unsigned char *)body;
	p.payload_len = strlen(body);
	return send_packet(c, &p);
}

static void send_connack(struct lab_conn *c, int code, int session_present)
{
	struct rs_mqtt_packet p = { 0 };

	p.type = RS_MQTT_CONNACK;
	p.return_code = code;
	p.session_present = session_present;
	send_packet(c, &p);
}

/* Copies s into out as a C string; -1 when it does not fit. */
static int str_copy(struct rs_mqtt_str s, char *out, size_t size)
{
	if (s.len >= size)
		return -1;
	if (s.len) /* an absent field (a CONNECT without user name) has no pointer */
		memcpy(out, s.ptr, s.len);
	out[s.len] = '\0';
	return 0;
}

/* "{host}/{device}[/{module}]/?api-version=..." or "{host}/{device}/api-version=..." (old C SDKs). */
static int parse_hub_user(const char *user, char *host, size_t hsize, char *dev, size_t dsize)
{
	const char *s1 = strchr(user, '/'), *s2;

	if (!s1 || (size_t)(s1 - user) >= hsize)
		return -1;
	memcpy(host, user, (size_t)(s1 - user));
	host[s1 - user] = '\0';
	s2 = strchr(s1 + 1, '/');
	if (!s2 || s2 == s1 + 1 || (size_t)(s2 - s1 - 1) >= dsize)
		return -1;
	memcpy(dev, s1 + 1, (size_t)(s2 - s1 - 1));
	dev[s2 - s1 - 1] = '\0';
	return strncmp(s2 + 1, "?", 1) == 0 || strncmp(s2 + 1, "api-version=", 12) == 0 ? 0 : -1;
}

static void kick_others(struct lab_conn *c)
{
	for (struct lab_conn *o = c->lab->sessions.conns, *next; o; o = next) {
		next = o->next;
		if (o != c && o->state == LAB_ST_HUB && !strcmp(o->device_id, c->device_id)) {
			c->lab->n.kicked++;
			lab_conn_event(o, LAB_EV_KICKED, LAB_CAUSE_NONE, "a new connection for the same device (400027)");
			lab_conn_drop(o, LAB_CAUSE_KICKED, NULL);
		}
	}
}

static void enter_session(struct lab_conn *c, enum lab_conn_state state, int keep_alive)
{
	c->state = state;
	c->keep_alive = keep_alive; /* enforced at 1.5 x by the lab's clock (control.c) */
	c->connected_at = lab_now(c->lab);
	lab_conn_touch(c);
	if (state == LAB_ST_HUB || c->dps_authorized)
		lab_conn_authenticated(c);
	else if (!lab_auth_deadline(c->lab))
		lab_conn_end_deadline(c);
	lab_conn_event(c, LAB_EV_CONNECT, LAB_CAUSE_NONE, state == LAB_ST_DPS ? "dps" : "hub");
}

static int on_connect(struct lab_conn *c, const struct rs_mqtt_packet *p)
{
	struct lab_server *lab = c->lab;
	char user[600], pass[4097], host[256], dev[129], resource[512], cid[129];
	struct rs_error err;
	const char *reg;

	lab->n.mqtt_connects++;
	if (!rs_mqtt_str_eq(p->protocol_name, "MQTT") || p->protocol_level != 4) {
		send_connack(c, 1, 0);
		lab_conn_close_after_flush(c);
		return -1;
	}
	if (str_copy(p->username, user, sizeof(user)) < 0 || str_copy(p->password, pass, sizeof(pass)) < 0 ||
	    str_copy(p->client_id, cid, sizeof(cid)) < 0 || !p->has_username) {
		send_connack(c, 4, 0);
		lab_conn_close_after_flush(c);
		return -1;
	}
	snprintf(c->device_id, sizeof(c->device_id), "%s", cid);
	if ((reg = strstr(user, "/registrations/")) != NULL) {
		/* DPS: CONNACK 0 whatever the credentials; a register request without them gets res/401 */
		snprintf(resource, sizeof(resource), "%.*s/registrations/%s", (int)(reg - user), user, cid);
		c->dps_authorized = strncasecmp(user, lab->cfg.id_scope, strlen(lab->cfg.id_scope)) == 0 &&
				    reg - user == (long)strlen(lab->cfg.id_scope) &&
				    strncmp(reg + 15, cid, strlen(cid)) == 0 && reg[15 + strlen(cid)] == '/' &&
				    lab_auth_sas(lab, pass, resource, cid, NULL, &err) == 0;
		memset(pass, 0, sizeof(pass));
		enter_session(c, LAB_ST_DPS, p->keep_alive);
		send_connack(c, 0, 0);
		return 0;
	}
	if (parse_hub_user(user, host, sizeof(host), dev, sizeof(dev)) < 0) {
		rs_error_set(&err, RS_ERR_AUTH, "user name is not {hub}/{device}/?api-version=...");
	} else if (strcasecmp(host, lab->cfg.hub_host) || strcmp(dev, cid)) {
		rs_error_set(&err, RS_ERR_AUTH, "user name names hub '%s' and device '%s' for client id '%s'", host, dev,
			     cid);
	} else {
		snprintf(resource, sizeof(resource), "%s/devices/%s", lab->cfg.hub_host, dev);
		if (lab_auth_sas(lab, pass, resource, dev, &c->sas_expiry, &err) == 0) {
			memset(pass, 0, sizeof(pass));
			kick_others(c);
			enter_session(c, LAB_ST_HUB, p->keep_alive);
			/* MQTT 3.1.1 3.2.2.2: with clean_session 0, session present tells whether the hub kept a session
			 * for this client id (IoT Hub keeps one for a device that connected with clean_session 0);
			 * clean_session 1 discards it. */
			send_connack(c, 0, lab_hub_session(lab, dev, !p->clean_session));
			return 0;
		}
	}
	memset(pass, 0, sizeof(pass));
	lab->n.auth_failures++;
	lab_conn_event(c, LAB_EV_AUTH_FAILURE, LAB_CAUSE_NONE, err.message);
	send_connack(c, 5, 0);
	lab_conn_close_after_flush(c);
	return -1;
}

/* "...?$rid=42&..." → "42" */
static int query_param(const char *topic, const char *name, char *out, size_t size)
{
	const char *q = strchr(topic, '?'), *p, *end;
	size_t n = strlen(name);

	for (p = q; p; p = strchr(p + 1, '&')) {
		if (!strncmp(p + 1, name, n) && p[1 + n] == '=') {
			p += n + 2;
			end = p + strcspn(p, "&");
			if ((size_t)(end - p) >= size || end == p)
				return -1;
			memcpy(out, p, (size_t)(end - p));
			out[end - p] = '\0';
			return strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") ==
					   strlen(out) ? 0 : -1;
		}
	}
	return -1;
}

static int hub_publish(struct lab_conn *c, const struct rs_mqtt_packet *p, const char *topic)
{
	char prefix[200], rid[64], reply[256], body[256];

	snprintf(prefix, sizeof(prefix), "devices/%s/messages/events/", c->device_id);
	if (p->qos == 2) {
		lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, "QoS 2 is not supported");
		lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
		return -1;
	}
	if (!strncmp(topic, prefix, strlen(prefix))) {
		c->lab->n.telemetry++;
		if (p->qos == 1) {
			struct rs_mqtt_packet ack = { 0 };
			ack.type = RS_MQTT_PUBACK;
			ack.packet_id = p->packet_id;
			send_packet(c, &ack);
		}
		return 0;
	}
	if (!strncmp(topic, "$iothub/twin/GET/", 17) && query_param(topic, "$rid", rid, sizeof(rid)) == 0) {
		snprintf(reply, sizeof(reply), "$iothub/twin/res/200/?$rid=%s", rid);
		snprintf(body, sizeof(body), "{\"desired\":{\"$version\":1},\"reported\":{\"$version\":%u}}",
			 c->reported_version + 1);
		send_publish(c, reply, body);
		return 0;
	}
	if (!strncmp(topic, "$iothub/twin/PATCH/properties/reported/", 39) &&
	    query_param(topic, "$rid", rid, sizeof(rid)) == 0) {
		c->reported_version++;
		snprintf(reply, sizeof(reply), "$iothub/twin/res/204/?$rid=%s&$version=%u", rid, c->reported_version + 1);
		send_publish(c, reply, "");
		return 0;
	}
	lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, "PUBLISH to a topic IoT Hub does not accept");
	lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
	return -1;
}

static int hub_filter_ok(const struct lab_conn *c, struct rs_mqtt_str f)
{
	char want[200];

	snprintf(want, sizeof(want), "devices/%s/messages/devicebound/#", c->device_id);
	return rs_mqtt_str_eq(f, want) || rs_mqtt_str_eq(f, "$iothub/twin/res/#") ||
	       rs_mqtt_str_eq(f, "$iothub/twin/PATCH/properties/desired/#") || rs_mqtt_str_eq(f, "$iothub/methods/POST/#");
}

static void on_subscribe(struct lab_conn *c, const struct rs_mqtt_packet *p)
{
	struct rs_mqtt_packet ack = { 0 };

	ack.type = RS_MQTT_SUBACK;
	ack.packet_id = p->packet_id;
	ack.topic_count = p->topic_count;
	for (size_t i = 0; i < p->topic_count; i++) {
		int ok = c->state == LAB_ST_DPS ? rs_mqtt_str_eq(p->topics[i], "$dps/registrations/res/#")
					    : hub_filter_ok(c, p->topics[i]) && c->subs < LAB_MAX_SUBS;
		ack.qos_list[i] = ok ? (p->qos_list[i] > 1 ? 1 : p->qos_list[i]) : 0x80;
		if (ok && c->state == LAB_ST_DPS)
			c->dps_qos = ack.qos_list[i];
		c->subs += ok;
		if (ok && c->state == LAB_ST_HUB && !strncmp(p->topics[i].ptr, "devices/", 8))
			c->c2d_subscribed = 1;
	}
	send_packet(c, &ack);
}

int lab_hub_send_c2d(struct lab_server *lab, const char *device, const unsigned char *body, size_t len)
{
	char topic[200];
	int n = 0;

	snprintf(topic, sizeof(topic), "devices/%s/messages/devicebound/", device);
	for (struct lab_conn *c = lab->sessions.conns, *next; c; c = next) {
		struct rs_mqtt_packet p = { 0 };
		next = c->next;
		if (c->amqp) { /* a devicebound link (amqp.c) */
			n += lab_amqp_send_c2d(c, device, body, len);
			continue;
		}
		if (c->state != LAB_ST_HUB || !c->c2d_subscribed || strcmp(c->device_id, device))
			continue;
		p.type = RS_MQTT_PUBLISH;
		p.qos = 1;
		p.packet_id = c->next_packet_id++;
		if (c->next_packet_id > 65535)
			c->next_packet_id = 1;
		p.topic.ptr = topic;
		p.topic.len = strlen(topic);
		p.payload = body;
		p.payload_len = len;
		n += send_packet(c, &p) == 0;
	}
	return n;
}

static void dps_error(struct lab_conn *c, const char *rid, int status, const char *message)
{
	char topic[128], body[300], track[40];

	lab_dps_tracking_id(track, sizeof(track));
	snprintf(topic, sizeof(topic), "$dps/registrations/res/%d/?$rid=%s", status, rid);
	snprintf(body, sizeof(body), "{\"errorCode\":%d000,\"trackingId\":\"%s\",\"message\":\"%s\"}", status, track,
		 message);
	send_publish(c, topic, body);
}

static int dps_publish(struct lab_conn *c, const char *topic)
{
	char rid[64], op[64], reply[160], *text;

	if (query_param(topic, "$rid", rid, sizeof(rid)) < 0) {
		lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
		return -1;
	}
	if (!c->dps_authorized) {
		c->lab->n.auth_failures++;
		lab_conn_event(c, LAB_EV_AUTH_FAILURE, LAB_CAUSE_NONE, "DPS registration without valid credentials");
		dps_error(c, rid, 401, "Unauthorized");
		return 0;
	}
	if (!strncmp(topic, "$dps/registrations/PUT/iotdps-register/", 39)) {
		lab_dps_new_operation(c->op_id, sizeof(c->op_id));
		snprintf(reply, sizeof(reply), "$dps/registrations/res/202/?$rid=%s&retry-after=1", rid);
		text = lab_dps_operation_json(c->lab, c->op_id, c->device_id, 0);
		send_publish(c, reply, text ? text : "{}");
		free(text);
		return 0;
	}
	if (!strncmp(topic, "$dps/registrations/GET/iotdps-get-operationstatus/", 50) &&
	    query_param(topic, "operationId", op, sizeof(op)) == 0 && !strcmp(op, c->op_id)) {
		c->lab->n.dps_registrations++;
		snprintf(reply, sizeof(reply), "$dps/registrations/res/200/?$rid=%s", rid);
		text = lab_dps_operation_json(c->lab, c->op_id, c->device_id, 1);
		send_publish(c, reply, text ? text : "{}");
		free(text);
		lab_conn_event(c, LAB_EV_DPS_ASSIGNED, LAB_CAUSE_NONE, c->lab->cfg.hub_host);
		return 0;
	}
	dps_error(c, rid, 404, "Not found");
	return 0;
}

static int on_publish(struct lab_conn *c, const struct rs_mqtt_packet *p)
{
	char topic[1024];

	if (str_copy(p->topic, topic, sizeof(topic)) < 0) {
		lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
		return -1;
	}
	return c->state == LAB_ST_HUB ? hub_publish(c, p, topic) : dps_publish(c, topic);
}

/* One packet; returns -1 when the connection was closed. */
static int on_packet(struct lab_conn *c, const struct rs_mqtt_packet *p)
{
	if (c->state == LAB_ST_WAIT_CONNECT) {
		if (p->type != RS_MQTT_CONNECT) {
			lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, "first packet is not CONNECT");
			lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
			return -1;
		}
		return on_connect(c, p);
	}
	switch (p->type) {
	case RS_MQTT_PUBLISH: return on_publish(c, p);
	case RS_MQTT_SUBSCRIBE: on_subscribe(c, p); return 0;
	case RS_MQTT_UNSUBSCRIBE: {
		struct rs_mqtt_packet ack = { 0 };
		ack.type = RS_MQTT_UNSUBACK;
		ack.packet_id = p->packet_id;
		send_packet(c, &ack);
		return 0;
	}
	case RS_MQTT_PINGREQ: {
		struct rs_mqtt_packet ack = { 0 };
		ack.type = RS_MQTT_PINGRESP;
		send_packet(c, &ack);
		return 0;
	}
	case RS_MQTT_PUBACK: return 0;
	case RS_MQTT_DISCONNECT: lab_conn_close(c); return -1;
	default:
		lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, "unexpected packet");
		lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
		return -1;
	}
}

int lab_hub_on_data(struct lab_conn *c, struct evbuffer *in)
{
	struct rs_mqtt_packet pkt;
	struct rs_error err;
	size_t len, used;
	int r;

	while (c->state != LAB_ST_CLOSING && (len = evbuffer_get_length(in)) > 0) {
		const unsigned char *data = evbuffer_pullup(in, (ev_ssize_t)len);
		r = rs_mqtt_decode(data, len, LAB_MAX_PACKET, &pkt, &used, &err);
		if (r == 0)
			return 0;
		if (r < 0) {
			if (err.code == RS_ERR_LIMIT)
				c->lab->n.dropped_limits++;
			lab_conn_event(c, LAB_EV_PROTOCOL_ERROR, LAB_CAUSE_NONE, err.message);
			lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, NULL);
			return -1;
		}
		lab_conn_touch(c);
		if (on_packet(c, &pkt) < 0)
			return -1; /* c, its buffers and pkt's strings are gone */
		evbuffer_drain(in, used);
		if (c->slow)
			return -1; /* closing: lab_conn_send refused its output (conn_io.c drops it) */
	}
	return 0;
}

/* ---- persistent sessions: the device ids that last connected with clean_session 0 ---- */

struct lab_session {
	struct lab_session *next;
	char id[];
};

static size_t session_bucket(const char *id)
{
	size_t h = 5381;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = h * 33 + *p;
	return h % LAB_SESSION_BUCKETS;
}

int lab_hub_session(struct lab_server *lab, const char *id, int keep)
{
	struct lab_session **pp = &lab->sessions.persistent[session_bucket(id)], *s;
	size_t n = strlen(id);

	for (; (s = *pp); pp = &s->next)
		if (!strcmp(s->id, id))
			break;
	if (s && !keep) { /* clean_session 1: the stored session is discarded */
		*pp = s->next;
		free(s);
		return 0;
	}
	if (s || !keep)
		return s != NULL;
	if ((s = malloc(sizeof(*s) + n + 1))) {
		memcpy(s->id, id, n + 1);
		s->next = NULL;
		*pp = s;
	}
	return 0;
}

void lab_hub_sessions_free(struct lab_server *lab)
{
	for (size_t i = 0; i < LAB_SESSION_BUCKETS; i++)
		while (lab->sessions.persistent[i]) {
			struct lab_session *s = lab->sessions.persistent[i];
			lab->sessions.persistent[i] = s->next;
			free(s);
		}
}
