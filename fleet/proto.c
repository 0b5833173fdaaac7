/*
 * proto.c: what a device says after TLS, and how it reads the answer (azure-iot-facts.md 3.1 to 3.5).
 *   hub over MQTT: CONNECT with the IoT Hub user name and a SAS token; CONNACK 0, or 4/5 (credentials rejected);
 *   hub over AMQP: SASL MSSBCBS and a CBS put-token with a SAS token (amqp.c); status-code 200, or 401;
 *   hub over HTTPS: one events POST; 2xx, or 401/403;
 *   DPS over MQTT: CONNECT, SUBSCRIBE $dps/registrations/res/#, PUBLISH register; res/202 assigning with an
 *     operation id, PUBLISH get-operationstatus until res/200 assigned with the hub; res/401 rejected;
 *   DPS over HTTPS: PUT register; 202 with an operation id, GET the operation until 200 assigned; 401 rejected.
 */
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define DPS_API "2021-06-01"
#define MAX_POLLS 5
#define MAX_HTTP_HEAD 8192
#define MAX_HTTP_BODY 16384

static const struct fleet_class *class_of(const struct fleet_conn *c)
{
	return &c->run->spec->classes[c->run->dev[c->dev].cls];
}

/* The SAS token: valid in the target's clock (the device's own, skew included). */
static char *make_sas(struct fleet_conn *c, const char *sr, const char *key_name)
{
	const struct fleet_run *r = c->run;
	const struct fleet_class *cl = class_of(c);
	char id[128], key[64];
	rs_time issued = r->target->sas_time ? r->target->sas_time(r->target->ctx) + cl->clock_skew
					      : fleet_device_time(r, c->dev, c->t);
	char *sas = NULL;

	if (fleet_device_id(r->spec, c->dev, id, sizeof(id)) == 0 && fleet_device_key(r->spec, c->dev, key, sizeof(key)) == 0)
		sas = rs_sas_make(sr, key, issued + cl->sas_lifetime, key_name, NULL);
	OPENSSL_cleanse(key, sizeof(key));
	return sas;
}

static void free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

static int write_packet(struct fleet_conn *c, const struct rs_mqtt_packet *p)
{
	unsigned char buf[4096];
	size_t len = 0;
	int rv = -1;

	if (rs_mqtt_encode(p, buf, sizeof(buf), &len, NULL) == 0)
		rv = bufferevent_write(c->bev, buf, len);
	OPENSSL_cleanse(buf, len);
	return rv;
}

static int write_connect(struct fleet_conn *c, const char *id, const char *user, const char *sas, int keep_alive,
			 int clean)
{
	struct rs_mqtt_packet p = { 0 };

	p.type = RS_MQTT_CONNECT;
	p.protocol_name = (struct rs_mqtt_str){ "MQTT", 4 };
	p.protocol_level = 4;
	p.clean_session = clean;
	p.keep_alive = keep_alive;
	p.client_id = (struct rs_mqtt_str){ id, strlen(id) };
	p.has_username = p.has_password = 1;
	p.username = (struct rs_mqtt_str){ user, strlen(user) };
	p.password = (struct rs_mqtt_str){ sas, strlen(sas) };
	return write_packet(c, &p);
}

static int write_publish(struct fleet_conn *c, const char *topic, const char *body)
{
	struct rs_mqtt_packet p = { 0 };

	p.type = RS_MQTT_PUBLISH;
	p.topic = (struct rs_mqtt_str){ topic, strlen(topic) };
	p.payload = (const unsigned char *)body;
	p.payload_len = strlen(body);
	return write_packet(c, &p);
}

/* Writes a request that holds a secret (n from snprintf into buf), then wipes it. */
static int write_secret(struct fleet_conn *c, char *buf, size_t size, int n)
{
	int rv = n > 0 && (size_t)n < size ? bufferevent_write(c->bev, buf, (size_t)n) : -1;

	OPENSSL_cleanse(buf, size);
	return rv;
}

/* ---- the hub ---- */

static int hub_opening(struct fleet_conn *c, const char *id)
{
	const struct fleet_class *cl = class_of(c);
	char sr[512], user[700];
	char *sas;
	int rv;

	snprintf(sr, sizeof(sr), "%s/devices/%s", c->hub, id);
	if (!(sas = make_sas(c, sr, NULL)))
		return -1;
	if (cl->proto == FLEET_AMQP) {
		rv = fleet_amqp_open(c, id, sr, sas);
	} else if (cl->proto == FLEET_MQTT) {
		snprintf(user, sizeof(user), "%s/%s/?api-version=2021-04-12", c->hub, id);
		rv = write_connect(c, id, user, sas, cl->keep_alive, 0);
	} else {
		char req[2048];
		rv = write_secret(c, req, sizeof(req),
				  snprintf(req, sizeof(req),
					   "POST /devices/%s/messages/events?api-version=2021-04-12 HTTP/1.1\r\nHost: %s\r\n"
					   "Authorization: %s\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
					   "Connection: close\r\n\r\n{}",
					   id, c->hub, sas));
	}
	free_secret(sas);
	return rv;
}

static int status_code(int status)
{
	if (status >= 200 && status < 300)
		return RS_PROBE_OK;
	if (status == 401 || status == 403)
		return RS_PROBE_OK_AUTH_REJECTED;
	return RS_PROBE_PROTOCOL_ERROR;
}

static int hub_answer(struct fleet_conn *c, struct evbuffer *in, int *code)
{
	size_t n = evbuffer_get_length(in);
	unsigned char *p;

	if (class_of(c)->proto == FLEET_AMQP)
		return fleet_amqp_answer(c, in, code);
	if (class_of(c)->proto == FLEET_MQTT) {
		struct rs_mqtt_packet pkt;
		size_t used;
		int rc = rs_mqtt_decode(evbuffer_pullup(in, -1), n, 1024, &pkt, &used, NULL);
		if (rc == 0)
			return 0;
		*code = rc < 0 || pkt.type != RS_MQTT_CONNACK ? RS_PROBE_PROTOCOL_ERROR
			: pkt.return_code == 0			       ? RS_PROBE_OK
			: pkt.return_code == 4 || pkt.return_code == 5 ? RS_PROBE_OK_AUTH_REJECTED
								       : RS_PROBE_PROTOCOL_ERROR;
		evbuffer_drain(in, rc < 0 ? n : used);
		return 1;
	}
	if (n < 12)
		return 0;
	p = evbuffer_pullup(in, 12);
	if (memcmp(p, "HTTP/1.", 7) || p[8] != ' ' || p[9] < '1' || p[9] > '5')
		*code = RS_PROBE_PROTOCOL_ERROR;
	else
		*code = status_code((p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0'));
	return 1;
}

/* ---- DPS ---- */

static int dps_opening(struct fleet_conn *c, const char *id)
{
	const struct fleet_run *r = c->run;
	char sr[512], user[700], body[256];
	char *sas;
	int rv = -1;

	snprintf(sr, sizeof(sr), "%s/registrations/%s", r->target->id_scope, id);
	if (!(sas = make_sas(c, sr, "registration")))
		return -1;
	snprintf(body, sizeof(body), "{\"registrationId\":\"%s\"}", id);
	if (class_of(c)->dps == FLEET_DPS_MQTT) {
		struct rs_mqtt_packet sub = { 0 };
		snprintf(user, sizeof(user), "%s/registrations/%s/api-version=" DPS_API, r->target->id_scope, id);
		sub.type = RS_MQTT_SUBSCRIBE;
		sub.packet_id = 1;
		sub.topic_count = 1;
		sub.topics[0] = (struct rs_mqtt_str){ "$dps/registrations/res/#", 24 };
		sub.qos_list[0] = 1;
		rv = write_connect(c, id, user, sas, 0, 1) || write_packet(c, &sub) ||
		     write_publish(c, "$dps/registrations/PUT/iotdps-register/?$rid=1", body) ? -1 : 0;
	} else {
		char req[2048];
		rv = write_secret(c, req, sizeof(req),
				  snprintf(req, sizeof(req),
					   "PUT /%s/registrations/%s/register?api-version=" DPS_API " HTTP/1.1\r\nHost: %s\r\n"
					   "Content-Type: application/json\r\nAccept: application/json\r\n"
					   "Content-Length: %zu\r\nAuthorization: %s\r\n\r\n%s",
					   r->target->id_scope, id, r->target->dps_host, strlen(body), sas, body));
	}
	c->step = 1;
	free_secret(sas);
	return rv;
}

/* A DPS answer's body: 202 gives the operation id to poll, 200 the assigned hub. 1 assigned, 0 poll, -1 bad. */
static int dps_body(struct fleet_conn *c, int status, const char *body, size_t len)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	const char *op = json_string_value(json_object_get(doc, "operationId"));
	const char *hub = json_string_value(json_object_get(json_object_get(doc, "registrationState"), "assignedHub"));
	int rv = -1;

	if (op && strlen(op) < sizeof(c->op) && strspn(op, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") ==
						     strlen(op))
		snprintf(c->op, sizeof(c->op), "%s", op);
	if (status == 200 && hub && *hub && strlen(hub) < sizeof(c->hub)) {
		snprintf(c->hub, sizeof(c->hub), "%s", hub);
		rv = 1;
	} else if (status == 202 && c->op[0] && c->step <= MAX_POLLS)
		rv = 0;
	json_decref(doc);
	return rv;
}

static int dps_poll(struct fleet_conn *c)
{
	const struct fleet_run *r = c->run;
	char id[128], topic[256], sr[512], req[2048];
	char *sas;
	int rv;

	if (fleet_device_id(r->spec, c->dev, id, sizeof(id)) < 0)
		return -1;
	c->step++;
	if (class_of(c)->dps == FLEET_DPS_MQTT) {
		snprintf(topic, sizeof(topic), "$dps/registrations/GET/iotdps-get-operationstatus/?$rid=%d&operationId=%s",
			 c->step, c->op);
		return write_publish(c, topic, "");
	}
	snprintf(sr, sizeof(sr), "%s/registrations/%s", r->target->id_scope, id);
	if (!(sas = make_sas(c, sr, "registration")))
		return -1;
	snprintf(topic, sizeof(topic), "/%s/registrations/%s/operations/%s?api-version=" DPS_API, r->target->id_scope, id,
		 c->op);
	rv = write_secret(c, req, sizeof(req),
			  snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n"
						     "Authorization: %s\r\n\r\n",
				   topic, r->target->dps_host, sas));
	free_secret(sas);
	return rv;
}

/* What a status means for the registration: 2 assigned, 0 polled again, 1 done with *code. */
static int dps_status(struct fleet_conn *c, int status, const char *body, size_t len, int *code)
{
	int k;

	if (status == 200 || status == 202) {
		k = dps_body(c, status, body, len);
		if (k == 1)
			return 2;
		if (k == 0 && dps_poll(c) == 0)
			return 0;
		*code = RS_PROBE_PROTOCOL_ERROR;
		return 1;
	}
	*code = status_code(status);
	if (*code == RS_PROBE_OK)
		*code = RS_PROBE_PROTOCOL_ERROR;
	return 1;
}

/* "$dps/registrations/res/202/?$rid=1&retry-after=1" → 202 */
static int topic_status(struct rs_mqtt_str t)
{
	static const char prefix[] = "$dps/registrations/res/";
	size_t n = sizeof(prefix) - 1;
	int v = 0;

	if (t.len < n + 4 || memcmp(t.ptr, prefix, n))
		return -1;
	for (size_t i = n; i < n + 3; i++) {
		if (t.ptr[i] < '0' || t.ptr[i] > '9')
			return -1;
		v = v * 10 + (t.ptr[i] - '0');
	}
	return t.ptr[n + 3] == '/' ? v : -1;
}

static int dps_mqtt_answer(struct fleet_conn *c, struct evbuffer *in, int *code)
{
	struct rs_mqtt_packet pkt;
	size_t used;
	int rc, k;

	while ((rc = rs_mqtt_decode(evbuffer_pullup(in, -1), evbuffer_get_length(in), MAX_HTTP_BODY, &pkt, &used,
				    NULL)) != 0) {
		if (rc < 0 || (pkt.type == RS_MQTT_CONNACK && pkt.return_code != 0)) {
			*code = rc < 0 ? RS_PROBE_PROTOCOL_ERROR : RS_PROBE_OK_AUTH_REJECTED;
			return 1;
		}
		k = 0;
		if (pkt.type == RS_MQTT_PUBLISH)
			k = dps_status(c, topic_status(pkt.topic), (const char *)pkt.payload, pkt.payload_len, code);
		evbuffer_drain(in, used);
		if (k)
			return k;
	}
	return 0;
}

/* 1 with the status and the body's extent when a whole response is in, 0 when more is needed, -1 when bad. */
static int http_response(struct evbuffer *in, int *status, size_t *body_at, size_t *body_len)
{
	struct evbuffer_ptr end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	const char *h, *cl;
	size_t head;
	long n = 0;

	if (end.pos < 0)
		return evbuffer_get_length(in) > MAX_HTTP_HEAD ? -1 : 0;
	head = (size_t)end.pos + 4;
	h = (const char *)evbuffer_pullup(in, (ev_ssize_t)head);
	if (head < 12 || memcmp(h, "HTTP/1.", 7) || sscanf(h + 9, "%3d", status) != 1)
		return -1;
	for (cl = h; (cl = memchr(cl, '\n', head - (size_t)(cl - h))) != NULL && (size_t)(cl - h) + 16 < head; cl++)
		if (!strncmp(cl + 1, "Content-Length:", 15) || !strncmp(cl + 1, "content-length:", 15))
			n = strtol(cl + 16, NULL, 10);
	if (n < 0 || n > MAX_HTTP_BODY)
		return -1;
	if (evbuffer_get_length(in) < head + (size_t)n)
		return 0;
	*body_at = head;
	*body_len = (size_t)n;
	return 1;
}

static int dps_https_answer(struct fleet_conn *c, struct evbuffer *in, int *code)
{
	size_t at, len;
	int status = 0, k = http_response(in, &status, &at, &len);
	const char *p;

	if (k == 0)
		return 0;
	if (k < 0) {
		*code = RS_PROBE_PROTOCOL_ERROR;
		return 1;
	}
	p = (const char *)evbuffer_pullup(in, (ev_ssize_t)(at + len));
	k = dps_status(c, status, p + at, len, code);
	evbuffer_drain(in, at + len);
	return k;
}

int fleet_proto_refresh(struct fleet_conn *c)
{
	char id[128], sr[512];
	char *sas;
	int rv;

	if (fleet_device_id(c->run->spec, c->dev, id, sizeof(id)) < 0)
		return -1;
	snprintf(sr, sizeof(sr), "%s/devices/%s", c->hub, id);
	if (!(sas = make_sas(c, sr, NULL)))
		return -1;
	rv = fleet_amqp_refresh(c, sas);
	free_secret(sas);
	return rv;
}

/* ---- both ---- */

int fleet_proto_opening(struct fleet_conn *c)
{
	char id[128];

	if (fleet_device_id(c->run->spec, c->dev, id, sizeof(id)) < 0)
		return -1;
	return c->stage == FLEET_STAGE_DPS ? dps_opening(c, id) : hub_opening(c, id);
}

int fleet_proto_answer(struct fleet_conn *c, struct evbuffer *in, int *code)
{
	if (c->stage == FLEET_STAGE_HUB)
		return hub_answer(c, in, code);
	return class_of(c)->dps == FLEET_DPS_MQTT ? dps_mqtt_answer(c, in, code) : dps_https_answer(c, in, code);
}
