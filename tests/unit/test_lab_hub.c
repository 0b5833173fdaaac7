/* test_lab_hub.c: the lab's protocols and control logic on the in-memory transport (lab/memio.c), with no port,
 * TLS, timer or thread: MQTT to the hub (CONNECT with good and bad SAS, SUBSCRIBE, telemetry, twin, C2D,
 * keep-alive x 1.5, SAS expiry, a second connection of a device, persistent sessions, malformed packets), DPS over
 * MQTT and HTTPS (register, operation status, 401, 404), hub REST, the WebSocket upgrade, the switch and the
 * admin API's renderings. Facts from /work/shared/docs/azure-iot-facts.md 2.3, 3.1, 3.2, 3.4 and 3.5. */
#include "rs_test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define HUB "rootshift-lab.azure-devices.net"
#define SCOPE "0ne00000001"
#define KEY "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" /* base64 of 32 bytes */
#define OTHER_KEY "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static rs_time now_s = T0;
static char events[65536];

static rs_time test_clock(void *arg)
{
	(void)arg;
	return now_s;
}

static void log_line(void *arg, const char *line)
{
	size_t n = strlen(events);

	(void)arg;
	if (n + strlen(line) + 2 < sizeof(events)) {
		memcpy(events + n, line, strlen(line));
		events[n + strlen(line)] = '\n';
		events[n + strlen(line) + 1] = '\0';
	}
}

struct fixture {
	char dir[64];
	struct lab_serve_opts opts;
	struct lab_server lab;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct lab_device devs[] = { { "dev1", KEY }, { "dev2", KEY } };
	struct rs_error err;
	char path[128];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/rs-lab-hub-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/devices.json", f->dir);
	if (lab_write_file(path, "{\"devices\":{}}", 14, 1, &err) < 0 ||
	    lab_devices_put(f->dir, devs, 2, &err) < 0)
		return -1;
	now_s = T0;
	events[0] = '\0';
	f->opts.dir = f->dir;
	f->opts.listen = "127.0.0.1";
	f->opts.clock = test_clock;
	f->opts.log = log_line;
	f->opts.handshake_timeout = 10;
	f->opts.max_conns = 100;
	f->lab.opts = &f->opts;
	f->lab.registry = lab_registry_new(f->dir);
	f->lab.base = event_base_new(); /* timers are made on it, never run */
	f->lab.sw.switched_at = T0;
	snprintf(f->lab.cfg.hub_host, sizeof(f->lab.cfg.hub_host), "%s", HUB);
	snprintf(f->lab.cfg.id_scope, sizeof(f->lab.cfg.id_scope), "%s", SCOPE);
	*state = f;
	return f->lab.registry && f->lab.base ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	while (f->lab.sessions.conns)
		lab_conn_drop(f->lab.sessions.conns, LAB_CAUSE_SHUTDOWN, NULL);
	lab_hub_sessions_free(&f->lab);
	lab_registry_free(f->lab.registry);
	event_base_free(f->lab.base);
	snprintf(path, sizeof(path), "%s/devices.json", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- MQTT helpers ---- */

static void send_pkt(struct lab_memio *m, const struct rs_mqtt_packet *p, int want)
{
	unsigned char buf[4096];
	struct rs_error err;
	size_t len;

	assert_int_equal(rs_mqtt_encode(p, buf, sizeof(buf), &len, &err), 0);
	assert_int_equal(lab_memio_feed(m, buf, len), want);
}

static struct rs_mqtt_str str(const char *s)
{
	struct rs_mqtt_str r = { s, s ? strlen(s) : 0 };
	return r;
}

static char *sas(const char *resource, const char *key, rs_time expiry)
{
	struct rs_error err;
	char *t = rs_sas_make(resource, key, expiry, NULL, &err);

	assert_non_null(t);
	return t;
}

static void mqtt_connect(struct lab_memio *m, const char *cid, const char *user, const char *pass, int keep_alive,
			 int clean, int want)
{
	struct rs_mqtt_packet p = { 0 };

	p.type = RS_MQTT_CONNECT;
	p.protocol_name = str("MQTT");
	p.protocol_level = 4;
	p.clean_session = clean;
	p.keep_alive = keep_alive;
	p.client_id = str(cid);
	p.has_username = user != NULL;
	p.username = str(user);
	p.has_password = pass != NULL;
	p.password = str(pass);
	send_pkt(m, &p, want);
}

/* The next packet the lab sent on m: copied into keep (its strings point there). */
static void next_pkt(struct lab_memio *m, struct rs_mqtt_packet *p, unsigned char *keep, size_t size)
{
	size_t len = evbuffer_get_length(m->sent), used;
	struct rs_error err;

	assert_true(len > 0);
	if (len > size)
		len = size;
	evbuffer_copyout(m->sent, keep, len);
	assert_int_equal(rs_mqtt_decode(keep, len, LAB_MAX_PACKET, p, &used, &err), 1);
	evbuffer_drain(m->sent, used);
}

static int connack(struct lab_memio *m, int *session_present)
{
	unsigned char keep[64];
	struct rs_mqtt_packet p;

	next_pkt(m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_CONNACK);
	if (session_present)
		*session_present = p.session_present;
	return p.return_code;
}

static void hub_session(struct fixture *f, struct lab_memio *m, const char *dev, int keep_alive, rs_time expiry)
{
	char user[256], res[256], *pass;

	snprintf(user, sizeof(user), HUB "/%s/?api-version=2021-04-12", dev);
	snprintf(res, sizeof(res), HUB "/devices/%s", dev);
	pass = sas(res, KEY, expiry);
	assert_non_null(lab_memio_connect(&f->lab, m, LAB_PROTO_MQTT, lab_hub_on_data));
	mqtt_connect(m, dev, user, pass, keep_alive, 1, 0);
	free(pass);
	assert_int_equal(connack(m, NULL), 0);
	assert_int_equal(m->conn->state, LAB_ST_HUB);
}

static void publish(struct lab_memio *m, const char *topic, const char *body, int qos, int want)
{
	struct rs_mqtt_packet p = { 0 };

	p.type = RS_MQTT_PUBLISH;
	p.topic = str(topic);
	p.payload = (const unsigned char *)body;
	p.payload_len = strlen(body);
	p.qos = qos;
	p.packet_id = qos ? 7 : 0;
	send_pkt(m, &p, want);
}

/* The next PUBLISH the lab sent: its topic and body as C strings. */
static void next_publish(struct lab_memio *m, char *topic, size_t tsize, char *body, size_t bsize)
{
	unsigned char keep[4096];
	struct rs_mqtt_packet p;

	next_pkt(m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_PUBLISH);
	snprintf(topic, tsize, "%.*s", (int)p.topic.len, p.topic.ptr);
	snprintf(body, bsize, "%.*s", (int)p.payload_len, (const char *)p.payload);
}

/* ---- the hub over MQTT ---- */

static void test_hub_session(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };
	struct rs_mqtt_packet p = { 0 };
	unsigned char keep[256];
	char topic[256], body[512];
	const char *filters[] = { "devices/dev1/messages/devicebound/#", "$iothub/twin/res/#", "devices/dev2/messages/devicebound/#" };

	hub_session(f, &m, "dev1", 60, T0 + 3600);
	assert_non_null(strstr(events, "\"event\":\"connect\""));
	assert_int_equal(f->lab.sessions.nauthed, 1);
	assert_int_equal(lab_connected(&f->lab), 1);

	publish(&m, "devices/dev1/messages/events/a=b", "{\"t\":1}", 1, 0); /* telemetry at QoS 1: PUBACK */
	next_pkt(&m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_PUBACK);
	assert_int_equal(p.packet_id, 7);
	assert_int_equal(f->lab.n.telemetry, 1);

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_SUBSCRIBE;
	p.packet_id = 3;
	p.topic_count = 3;
	for (size_t i = 0; i < 3; i++) {
		p.topics[i] = str(filters[i]);
		p.qos_list[i] = 1;
	}
	send_pkt(&m, &p, 0);
	next_pkt(&m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_SUBACK);
	assert_int_equal(p.topic_count, 3);
	assert_int_equal(p.qos_list[0], 1);
	assert_int_equal(p.qos_list[1], 1);
	assert_int_equal(p.qos_list[2], 0x80); /* another device's messages */

	publish(&m, "$iothub/twin/GET/?$rid=42", "", 0, 0);
	next_publish(&m, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "$iothub/twin/res/200/?$rid=42");
	assert_non_null(strstr(body, "\"reported\":{\"$version\":1}"));
	publish(&m, "$iothub/twin/PATCH/properties/reported/?$rid=43", "{\"a\":1}", 0, 0);
	next_publish(&m, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "$iothub/twin/res/204/?$rid=43&$version=2");

	assert_int_equal(lab_hub_send_c2d(&f->lab, "dev1", (const unsigned char *)"hello", 5), 1);
	assert_int_equal(lab_hub_send_c2d(&f->lab, "dev2", (const unsigned char *)"hello", 5), 0);
	next_publish(&m, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "devices/dev1/messages/devicebound/");
	assert_string_equal(body, "hello");

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_PINGREQ;
	send_pkt(&m, &p, 0);
	next_pkt(&m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_PINGRESP);

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_UNSUBSCRIBE;
	p.packet_id = 9;
	p.topic_count = 1;
	p.topics[0] = str(filters[0]);
	send_pkt(&m, &p, 0);
	next_pkt(&m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_UNSUBACK);
	assert_int_equal(p.packet_id, 9);

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_PUBACK; /* the device acknowledging the C2D message: nothing back */
	p.packet_id = 1;
	send_pkt(&m, &p, 0);
	assert_int_equal(evbuffer_get_length(m.sent), 0);

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_DISCONNECT;
	send_pkt(&m, &p, -1);
	assert_true(m.closed);
	assert_null(m.conn);
	assert_non_null(strstr(events, "\"event\":\"disconnect\",\"device\":\"dev1\",\"chain\":\"old\",\"cause\":\"client\""));
	assert_int_equal(f->lab.sessions.nconns, 0);
	lab_memio_free(&m);
}

/* A bad credential of every kind: CONNACK 5 (not authorized), an auth-failure event, the connection closed. */
static void test_hub_bad_credentials(void **state)
{
	struct fixture *f = *state;
	char *good = sas(HUB "/devices/dev1", KEY, T0 + 3600), *wrong_key = sas(HUB "/devices/dev1", OTHER_KEY, T0 + 3600),
	     *expired = sas(HUB "/devices/dev1", KEY, T0 - 1), *unknown = sas(HUB "/devices/nobody", KEY, T0 + 3600);
	const struct {
		const char *cid, *user, *pass, *why;
	} cases[] = {
		{ "dev1", HUB "/dev1/?api-version=2021-04-12", wrong_key, "signature" },
		{ "dev1", HUB "/dev1/?api-version=2021-04-12", expired, "expired" },
		{ "nobody", HUB "/nobody/?api-version=2021-04-12", unknown, NULL },
		{ "dev1", "other-hub.azure-devices.net/dev1/?api-version=2021-04-12", good, "names hub" },
		{ "dev1", HUB "/dev2/?api-version=2021-04-12", good, "names hub" },
		{ "dev1", "no-slash", good, "user name is not" },
		{ "dev1", HUB "/dev1/whatever", good, "user name is not" },
		{ "dev1", HUB "/dev1/?api-version=2021-04-12", "not a token", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lab_memio m = { 0 };
		events[0] = '\0';
		assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
		mqtt_connect(&m, cases[i].cid, cases[i].user, cases[i].pass, 60, 1, -1);
		assert_int_equal(connack(&m, NULL), 5);
		assert_true(m.closed);
		assert_non_null(strstr(events, "\"event\":\"auth-failure\""));
		if (cases[i].why)
			assert_non_null(strstr(events, cases[i].why));
		lab_memio_free(&m);
	}
	assert_int_equal(f->lab.n.auth_failures, sizeof(cases) / sizeof(cases[0]));
	assert_int_equal(f->lab.sessions.nconns, 0);
	f->opts.test_endpoint = 1; /* a test endpoint rejects even a good token */
	{
		struct lab_memio m = { 0 };
		assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
		mqtt_connect(&m, "dev1", HUB "/dev1/?api-version=2021-04-12", good, 60, 1, -1);
		assert_int_equal(connack(&m, NULL), 5);
		lab_memio_free(&m);
	}
	free(good);
	free(wrong_key);
	free(expired);
	free(unknown);
}

static void test_hub_connect_refused(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };
	struct rs_mqtt_packet p = { 0 };

	/* MQTT 3.1 (level 3): CONNACK 1, unacceptable protocol version */
	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
	p.type = RS_MQTT_CONNECT;
	p.protocol_name = str("MQTT");
	p.protocol_level = 3;
	p.client_id = str("dev1");
	send_pkt(&m, &p, -1);
	assert_int_equal(connack(&m, NULL), 1);
	assert_true(m.closed);
	lab_memio_free(&m);
	/* no user name: CONNACK 4, bad user name or password */
	memset(&m, 0, sizeof(m));
	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
	mqtt_connect(&m, "dev1", NULL, NULL, 60, 1, -1);
	assert_int_equal(connack(&m, NULL), 4);
	lab_memio_free(&m);
}

static void test_hub_protocol_errors(void **state)
{
	struct fixture *f = *state;
	struct rs_mqtt_packet p = { 0 };
	static const unsigned char garbage[] = { 0xf0, 0x00 };         /* reserved packet type 15 */
	static const unsigned char huge[] = { 0x30, 0xff, 0xff, 0xff, 0x7f }; /* a PUBLISH of 256 MB */
	struct lab_memio m = { 0 };

	/* the first packet must be CONNECT */
	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
	p.type = RS_MQTT_PINGREQ;
	send_pkt(&m, &p, -1);
	assert_true(m.closed);
	assert_non_null(strstr(events, "first packet is not CONNECT"));
	lab_memio_free(&m);

	memset(&m, 0, sizeof(m));
	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
	assert_int_equal(lab_memio_feed(&m, garbage, sizeof(garbage)), -1);
	assert_true(m.closed);
	lab_memio_free(&m);

	memset(&m, 0, sizeof(m));
	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
	assert_int_equal(lab_memio_feed(&m, huge, sizeof(huge)), -1);
	assert_int_equal(f->lab.n.dropped_limits, 1);
	lab_memio_free(&m);

	/* a partial packet waits for the rest */
	memset(&m, 0, sizeof(m));
	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_MQTT, lab_hub_on_data));
	assert_int_equal(lab_memio_feed(&m, huge, 2), 0);
	assert_false(m.closed);
	lab_memio_free(&m);

	/* in a session: QoS 2, a topic IoT Hub does not take, a CONNECT again */
	for (int k = 0; k < 3; k++) {
		memset(&m, 0, sizeof(m));
		hub_session(f, &m, "dev1", 60, T0 + 3600);
		if (k == 0)
			publish(&m, "devices/dev1/messages/events/", "x", 2, -1);
		else if (k == 1)
			publish(&m, "devices/dev2/messages/events/", "x", 0, -1);
		else
			mqtt_connect(&m, "dev1", HUB "/dev1/?api-version=2021-04-12", "x", 60, 1, -1);
		assert_true(m.closed);
		lab_memio_free(&m);
	}
	assert_non_null(strstr(events, "QoS 2 is not supported"));
	assert_non_null(strstr(events, "PUBLISH to a topic IoT Hub does not accept"));
	assert_non_null(strstr(events, "unexpected packet"));
	assert_non_null(strstr(events, "\"cause\":\"protocol-error\""));
}

/* keep-alive x 1.5 by the lab's clock (azure-iot-facts.md 3.1), and the SAS token's expiry (401003) */
static void test_hub_keepalive_and_expiry(void **state)
{
	struct fixture *f = *state;
	struct lab_memio a = { 0 }, b = { 0 };
	struct rs_mqtt_packet p = { 0 };
	unsigned char keep[16];

	hub_session(f, &a, "dev1", 10, T0 + 3600);
	hub_session(f, &b, "dev2", 0, T0 + 100); /* no keep-alive, a token valid 100 s */
	now_s = T0 + 14;
	lab_control_tick(&f->lab);
	assert_false(a.closed);
	p.type = RS_MQTT_PINGREQ; /* a packet restarts the count */
	send_pkt(&a, &p, 0);
	next_pkt(&a, &p, keep, sizeof(keep));
	now_s = T0 + 28;
	lab_control_tick(&f->lab);
	assert_false(a.closed);
	now_s = T0 + 30;
	lab_control_tick(&f->lab);
	assert_true(a.closed);
	assert_non_null(strstr(events, "keep-alive x 1.5 passed without a packet"));
	assert_non_null(strstr(events, "\"cause\":\"keepalive\""));
	assert_int_equal(f->lab.n.dropped_timeouts, 1);
	assert_false(b.closed);
	now_s = T0 + 100;
	lab_control_tick(&f->lab);
	assert_true(b.closed);
	assert_non_null(strstr(events, "\"event\":\"sas-expired\""));
	assert_non_null(strstr(events, "\"cause\":\"sas-expired\""));
	lab_memio_free(&a);
	lab_memio_free(&b);
}

/* A second connection of a device drops the first (400027); persistent sessions (MQTT 3.1.1 3.2.2.2). */
static void test_hub_kick_and_sessions(void **state)
{
	struct fixture *f = *state;
	struct lab_memio a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	char *pass = sas(HUB "/devices/dev1", KEY, T0 + 3600);
	int present;

	hub_session(f, &a, "dev1", 60, T0 + 3600);
	hub_session(f, &b, "dev1", 60, T0 + 3600);
	assert_true(a.closed);
	assert_false(b.closed);
	assert_non_null(strstr(events, "\"event\":\"kicked\""));
	assert_int_equal(f->lab.n.kicked, 1);

	assert_non_null(lab_memio_connect(&f->lab, &c, LAB_PROTO_MQTT, lab_hub_on_data));
	mqtt_connect(&c, "dev1", HUB "/dev1/?api-version=2021-04-12", pass, 60, 0, 0); /* clean_session 0 */
	assert_int_equal(connack(&c, &present), 0);
	assert_int_equal(present, 0);
	assert_non_null(lab_memio_connect(&f->lab, &d, LAB_PROTO_MQTT, lab_hub_on_data));
	mqtt_connect(&d, "dev1", HUB "/dev1/?api-version=2021-04-12", pass, 60, 0, 0);
	assert_int_equal(connack(&d, &present), 0);
	assert_int_equal(present, 1); /* kept from the connection before */
	assert_int_equal(lab_hub_session(&f->lab, "dev1", 0), 0); /* clean_session 1 discards it */
	assert_int_equal(lab_hub_session(&f->lab, "dev1", 0), 0);
	free(pass);
	lab_memio_free(&a);
	lab_memio_free(&b);
	lab_memio_free(&c);
	lab_memio_free(&d);
}

/* ---- DPS over MQTT (azure-iot-facts.md 3.5) ---- */

static void dps_session(struct fixture *f, struct lab_memio *m, const char *key)
{
	char *pass = sas(SCOPE "/registrations/dev1", key, T0 + 3600);
	struct rs_mqtt_packet p = { 0 };
	unsigned char keep[64];

	assert_non_null(lab_memio_connect(&f->lab, m, LAB_PROTO_MQTT, lab_hub_on_data));
	mqtt_connect(m, "dev1", SCOPE "/registrations/dev1/api-version=2019-03-31", pass, 60, 1, 0);
	free(pass);
	assert_int_equal(connack(m, NULL), 0); /* whatever the credentials: a register request gets the answer */
	assert_int_equal(m->conn->state, LAB_ST_DPS);
	p.type = RS_MQTT_SUBSCRIBE;
	p.packet_id = 1;
	p.topic_count = 2;
	p.topics[0] = str("$dps/registrations/res/#");
	p.qos_list[0] = 1;
	p.topics[1] = str("devices/dev1/messages/devicebound/#");
	send_pkt(m, &p, 0);
	next_pkt(m, &p, keep, sizeof(keep));
	assert_int_equal(p.type, RS_MQTT_SUBACK);
	assert_int_equal(p.qos_list[0], 1);
	assert_int_equal(p.qos_list[1], 0x80);
}

static void test_dps_mqtt(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 }, bad = { 0 };
	char topic[256], body[1024], op[64], status[300];
	const char *o;

	dps_session(f, &m, KEY);
	assert_int_equal(f->lab.sessions.nauthed, 1);
	publish(&m, "$dps/registrations/PUT/iotdps-register/?$rid=1", "{\"registrationId\":\"dev1\"}", 0, 0);
	next_publish(&m, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "$dps/registrations/res/202/?$rid=1&retry-after=1");
	assert_non_null(strstr(body, "\"status\":\"assigning\""));
	assert_non_null(o = strstr(body, "\"operationId\":\"4."));
	snprintf(op, sizeof(op), "%.*s", (int)strcspn(o + 15, "\""), o + 15);
	assert_int_equal(strlen(op), 22);
	snprintf(status, sizeof(status), "$dps/registrations/GET/iotdps-get-operationstatus/?$rid=2&operationId=%s", op);
	publish(&m, status, "", 0, 0);
	next_publish(&m, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "$dps/registrations/res/200/?$rid=2");
	assert_non_null(strstr(body, "\"assignedHub\":\"" HUB "\""));
	assert_non_null(strstr(body, "\"createdDateTimeUtc\":\"2026-01-01T00:00:00Z\""));
	assert_int_equal(f->lab.n.dps_registrations, 1);
	assert_non_null(strstr(events, "\"event\":\"dps-assigned\""));
	publish(&m, "$dps/registrations/GET/iotdps-get-operationstatus/?$rid=3&operationId=4.0.lab", "", 0, 0);
	next_publish(&m, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "$dps/registrations/res/404/?$rid=3");
	assert_non_null(strstr(body, "\"errorCode\":404000"));
	publish(&m, "$dps/registrations/PUT/iotdps-register/", "", 0, -1); /* no $rid */
	assert_true(m.closed);

	dps_session(f, &bad, OTHER_KEY);
	publish(&bad, "$dps/registrations/PUT/iotdps-register/?$rid=1", "{}", 0, 0);
	next_publish(&bad, topic, sizeof(topic), body, sizeof(body));
	assert_string_equal(topic, "$dps/registrations/res/401/?$rid=1");
	assert_non_null(strstr(body, "\"errorCode\":401000"));
	assert_int_equal(f->lab.n.auth_failures, 1);
	lab_memio_free(&m);
	lab_memio_free(&bad);
}

/* ---- HTTPS: DPS and hub REST (azure-iot-facts.md 3.4, 3.5) ---- */

static const char *http(struct fixture *f, struct lab_memio *m, const char *method, const char *path,
			const char *auth, const char *extra, const char *body, char *out, size_t size)
{
	char req[4096];
	size_t n;

	if (!m->conn)
		assert_non_null(lab_memio_connect(&f->lab, m, LAB_PROTO_HTTPS, lab_https_on_data));
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: lab\r\n%s%s%s%sContent-Length: %zu\r\n\r\n%s", method, path,
		 auth ? "Authorization: " : "", auth ? auth : "", auth ? "\r\n" : "", extra ? extra : "",
		 strlen(body), body);
	(void)lab_memio_feed(m, req, strlen(req));
	n = evbuffer_get_length(m->sent);
	if (n >= size)
		n = size - 1;
	evbuffer_remove(m->sent, out, n);
	out[n] = '\0';
	return out;
}

static void test_dps_https(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };
	char *tok = sas(SCOPE "/registrations/dev1", KEY, T0 + 3600), *bad = sas(SCOPE "/registrations/dev1", OTHER_KEY, T0 + 3600);
	char out[4096], path[256], op[64];
	const char *o;

	http(f, &m, "PUT", "/" SCOPE "/registrations/dev1/register?api-version=2021-06-01", tok, NULL,
	     "{\"registrationId\":\"dev1\"}", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 202 Accepted\r\n"));
	assert_non_null(strstr(out, "Retry-After: 1\r\n"));
	assert_non_null(o = strstr(out, "\"operationId\":\"4."));
	snprintf(op, sizeof(op), "%.*s", (int)strcspn(o + 15, "\""), o + 15);
	snprintf(path, sizeof(path), "/" SCOPE "/registrations/dev1/operations/%s?api-version=2021-06-01", op);
	http(f, &m, "GET", path, tok, NULL, "", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(out, "\"status\":\"assigned\""));
	assert_int_equal(f->lab.n.dps_registrations, 1);
	http(f, &m, "GET", "/" SCOPE "/registrations/dev1/nothing", tok, NULL, "", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 404 Not Found\r\n"));
	http(f, &m, "PUT", "/" SCOPE "/registrations/dev1/register", bad, NULL, "{}", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 401 Unauthorized\r\n"));
	assert_non_null(strstr(out, "\"errorCode\":401002"));
	http(f, &m, "PUT", "/" SCOPE "/registrations/dev1/register", NULL, NULL, "{}", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 401 Unauthorized\r\n"));
	assert_non_null(strstr(events, "no Authorization header"));
	http(f, &m, "GET", "/", NULL, NULL, "", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 404 Not Found\r\n"));
	assert_int_equal(f->lab.n.https_requests, 6);
	assert_false(m.closed);
	assert_int_equal(m.conn->state, LAB_ST_HTTP); /* idle between requests */
	http(f, &m, "GET", "/", NULL, "Connection: close\r\n", "", out, sizeof(out));
	assert_true(m.closed);
	free(tok);
	free(bad);
	lab_memio_free(&m);
}

static void test_hub_https(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };
	char *tok = sas(HUB "/devices/dev1", KEY, T0 + 3600), *old = sas(HUB "/devices/dev1", KEY, T0 - 10);
	char out[2048];

	http(f, &m, "POST", "/devices/dev1/messages/events?api-version=2020-09-30", tok, NULL, "{\"t\":1}", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 204 No Content\r\n"));
	assert_int_equal(f->lab.n.telemetry, 1);
	http(f, &m, "POST", "/devices/dev1/messages/events", old, NULL, "{}", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 401 Unauthorized\r\n"));
	assert_non_null(strstr(out, "IotHubUnauthorizedAccess"));
	http(f, &m, "POST", "/devices/dev1/messages/events", NULL, NULL, "{}", out, sizeof(out));
	assert_non_null(strstr(out, "HTTP/1.1 401 Unauthorized\r\n"));
	free(tok);
	free(old);
	lab_memio_free(&m);
}

static void test_https_refusals(void **state)
{
	struct fixture *f = *state;
	const struct {
		const char *req, *status;
	} cases[] = {
		{ "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 411 Length Required\r\n" },
		{ "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
		{ "GET / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n", "HTTP/1.1 413 Payload Too Large\r\n" },
		{ "NOT HTTP\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
		{ "GET /$iothub/websocket HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n" },
		{ "POST /$iothub/websocket HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", "HTTP/1.1 404 Not Found\r\n" },
	};
	char out[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lab_memio m = { 0 };
		size_t n;
		assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_HTTPS, lab_https_on_data));
		assert_int_equal(lab_memio_feed(&m, cases[i].req, strlen(cases[i].req)), -1);
		n = evbuffer_remove(m.sent, out, sizeof(out) - 1);
		out[n] = '\0';
		assert_non_null(strstr(out, cases[i].status));
		assert_true(m.closed);
		lab_memio_free(&m);
	}
	assert_non_null(strstr(events, "\"event\":\"ws-refused\""));
}

/* ---- MQTT over WebSockets (azure-iot-facts.md 3.2) ---- */

static void ws_frame(struct lab_memio *m, enum rs_ws_opcode op, const unsigned char *data, size_t len, int want)
{
	static const unsigned char mask[4] = { 1, 2, 3, 4 };
	unsigned char buf[4096];
	size_t n = rs_ws_header(op, len, mask, buf);

	if (len) /* data may be NULL for an empty frame */
		memcpy(buf + n, data, len);
	rs_ws_unmask(buf + n, len, mask, 0); /* masking is the same XOR */
	assert_int_equal(lab_memio_feed(m, buf, n + len), want);
}

static void test_ws_mqtt(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };
	const char *up = "GET /$iothub/websocket HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
			 "Sec-WebSocket-Protocol: MQTT\r\n\r\n";
	char *pass = sas(HUB "/devices/dev1", KEY, T0 + 3600), resp[512];
	struct rs_mqtt_packet p = { 0 };
	unsigned char buf[1024], got[64];
	struct rs_error err;
	size_t len, n;

	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_HTTPS, lab_https_on_data));
	assert_int_equal(lab_memio_feed(&m, up, strlen(up)), 0);
	n = evbuffer_remove(m.sent, resp, sizeof(resp) - 1);
	resp[n] = '\0';
	assert_non_null(strstr(resp, "HTTP/1.1 101 Switching Protocols\r\n"));
	assert_non_null(strstr(resp, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")); /* RFC 6455's example */
	assert_non_null(strstr(resp, "Sec-WebSocket-Protocol: MQTT\r\n")); /* the token as offered */
	assert_true(m.conn->ws_upgraded);

	p.type = RS_MQTT_CONNECT;
	p.protocol_name = str("MQTT");
	p.protocol_level = 4;
	p.client_id = str("dev1");
	p.has_username = p.has_password = 1;
	p.username = str(HUB "/dev1/?api-version=2021-04-12");
	p.password = str(pass);
	p.keep_alive = 60;
	assert_int_equal(rs_mqtt_encode(&p, buf, sizeof(buf), &len, &err), 0);
	ws_frame(&m, RS_WS_BINARY, buf, len, 0);
	n = evbuffer_remove(m.sent, got, sizeof(got));
	assert_int_equal(n, 6); /* a binary frame (2 bytes) around CONNACK 0 (4 bytes) */
	assert_int_equal(got[0], 0x82);
	assert_int_equal(got[2], 0x20);
	assert_int_equal(got[5], 0);
	assert_int_equal(m.conn->state, LAB_ST_HUB);
	ws_frame(&m, RS_WS_PING, (const unsigned char *)"hi", 2, 0);
	n = evbuffer_remove(m.sent, got, sizeof(got));
	assert_int_equal(n, 4);
	assert_int_equal(got[0], 0x8a); /* PONG with the PING's payload */
	ws_frame(&m, RS_WS_CLOSE, NULL, 0, -1);
	assert_true(m.closed);
	free(pass);
	lab_memio_free(&m);
}

static void test_ws_unmasked_frame(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };
	const char *up = "GET /$iothub/websocket HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
			 "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
	static const unsigned char unmasked[] = { 0x82, 0x01, 0x10 };

	assert_non_null(lab_memio_connect(&f->lab, &m, LAB_PROTO_HTTPS, lab_https_on_data));
	assert_int_equal(lab_memio_feed(&m, up, strlen(up)), 0);
	assert_int_equal(lab_memio_feed(&m, unmasked, sizeof(unmasked)), -1);
	assert_true(m.closed);
	assert_non_null(strstr(events, "client frame is not masked"));
	lab_memio_free(&m);
}

/* ---- the switch, the room, and the admin API's renderings ---- */

static void test_switch(void **state)
{
	struct fixture *f = *state;
	struct lab_memio a = { 0 }, h = { 0 };

	hub_session(f, &a, "dev1", 60, T0 + 3600);
	assert_non_null(lab_memio_connect(&f->lab, &h, LAB_PROTO_HTTPS, lab_https_on_data)); /* no session yet */
	f->opts.dps_delay = 30;
	now_s = T0 + 5;
	assert_int_equal(lab_switch_to(&f->lab, LAB_CHAIN_NEW, 0, 1), 0);
	assert_true(a.closed);
	assert_true(h.closed);
	assert_non_null(strstr(events, "\"cause\":\"migrate\""));
	assert_non_null(strstr(events, "\"event\":\"switch\""));
	assert_int_equal(f->lab.sw.hub_chain, LAB_CHAIN_NEW);
	assert_int_equal(f->lab.sw.dps_chain, LAB_CHAIN_OLD); /* DPS follows later */
	now_s = T0 + 34;
	lab_control_tick(&f->lab);
	assert_int_equal(f->lab.sw.dps_chain, LAB_CHAIN_OLD);
	now_s = T0 + 35;
	lab_control_tick(&f->lab);
	assert_int_equal(f->lab.sw.dps_chain, LAB_CHAIN_NEW);
	assert_non_null(strstr(events, "\"event\":\"dps-switch\""));
	lab_memio_free(&a);
	lab_memio_free(&h);
	memset(&a, 0, sizeof(a));
	hub_session(f, &a, "dev1", 60, T0 + 3600);
	assert_int_equal(lab_switch_to(&f->lab, LAB_CHAIN_OLD, 25, 1), 0);
	assert_non_null(strstr(events, "\"cause\":\"revert\""));
	assert_int_equal(f->lab.sw.mix, 25);
	lab_memio_free(&a);
}

/* --max-connections keeps a tenth for authenticated sessions: the oldest unauthenticated connection makes room. */
static void test_room(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m[3];

	memset(m, 0, sizeof(m));
	f->opts.max_conns = 2;
	assert_non_null(lab_memio_connect(&f->lab, &m[0], LAB_PROTO_MQTT, lab_hub_on_data));
	assert_int_equal(lab_conn_make_room(&f->lab), 0);
	assert_true(m[0].closed);
	assert_int_equal(f->lab.n.dropped_crowded, 1);
	hub_session(f, &m[1], "dev1", 60, T0 + 3600);
	hub_session(f, &m[2], "dev2", 60, T0 + 3600);
	assert_int_equal(lab_conn_make_room(&f->lab), -1); /* full of sessions */
	for (int i = 0; i < 3; i++)
		lab_memio_free(&m[i]);
}

static void test_admin_renderings(void **state)
{
	struct fixture *f = *state;
	struct evbuffer *b = evbuffer_new();
	struct lab_memio a = { 0 };
	char *text;

	hub_session(f, &a, "dev1", 60, T0 + 3600);
	lab_count_tls_failure(&f->lab, "tlsv1 alert unknown ca");
	lab_count_tls_failure(&f->lab, "quote \" and \\ and \n");
	f->lab.sessions.nconns++; /* one more, not a session */
	lab_event(&f->lab, LAB_EV_AUTH_FAILURE, "bad\xff", LAB_CHAIN_OLD, "why");
	f->lab.sessions.nconns--;
	lab_admin_status(&f->lab, b);
	evbuffer_add(b, "", 1);
	text = (char *)evbuffer_pullup(b, -1);
	assert_non_null(strstr(text, "\"schema\":\"rootshift/lab-status/1\""));
	assert_non_null(strstr(text, "\"devices\":[{\"id\":\"dev1\",\"chain\":\"old\",\"service\":\"hub\"}]"));
	assert_non_null(strstr(text, "\"tlsv1 alert unknown ca\":1"));
	assert_non_null(strstr(text, "\"device\":\"bad?\""));
	evbuffer_drain(b, evbuffer_get_length(b));
	lab_memio_free(&a); /* a disconnect: cause client */
	lab_count_cause(&f->lab.causes, LAB_CAUSE_CROWDED_OUT); /* the lab's own causes, in the order first seen */
	lab_count_cause(&f->lab.causes, LAB_CAUSE_SLOW_CONSUMER);
	lab_count_cause(&f->lab.causes, LAB_CAUSE_CROWDED_OUT);
	lab_admin_metrics(&f->lab, b);
	evbuffer_add(b, "", 1);
	text = (char *)evbuffer_pullup(b, -1);
	assert_non_null(strstr(text, "rootshift_lab_connected_devices 0\n"));
	assert_non_null(strstr(text, "rootshift_lab_handshakes_total{chain=\"old\",result=\"ok\"} 1\n"));
	assert_non_null(strstr(text, "rootshift_lab_tls_failures_total{reason=\"quote \\\" and \\\\ and \\n\"} 1\n"));
	assert_non_null(strstr(text, "rootshift_lab_disconnects_total{cause=\"client\"} 1\n"));
	assert_non_null(strstr(text, "rootshift_lab_disconnects_total{cause=\"shutdown\"} 0\n"
				     "rootshift_lab_disconnects_total{cause=\"crowded-out\"} 2\n"
				     "rootshift_lab_disconnects_total{cause=\"slow-consumer\"} 1\n"));
	assert_non_null(strstr(text, "rootshift_lab_served_chain{chain=\"old\"} 1\n"));
	evbuffer_free(b);
}

/* A transport whose output fails (a peer that went away) ends nothing by itself: the protocol goes on, and the
 * session is dropped when the peer hangs up. */
static void test_failed_output(void **state)
{
	struct fixture *f = *state;
	struct lab_memio m = { 0 };

	hub_session(f, &m, "dev1", 60, T0 + 3600);
	m.fail = 1;
	publish(&m, "$iothub/twin/GET/?$rid=1", "", 0, 0);
	assert_int_equal(evbuffer_get_length(m.sent), 0);
	lab_memio_hangup(&m);
	assert_true(m.closed);
	assert_int_equal(lab_memio_feed(&m, "x", 1), -1);
	lab_memio_free(&m);
}

/* The deadlines, called as their timer would: no CONNECT in time, not authenticated in time (the handshake's
 * deadline first, then what is left of the authentication deadline), and a closing connection whose peer does not
 * read what is queued. */
static void test_deadlines(void **state)
{
	struct fixture *f = *state;
	struct lab_memio a = { 0 }, b = { 0 }, c = { 0 };

	assert_non_null(lab_memio_connect(&f->lab, &a, LAB_PROTO_MQTT, lab_hub_on_data));
	lab_deadline_cb(-1, EV_TIMEOUT, a.conn);
	assert_true(a.closed);
	assert_non_null(strstr(events, "no CONNECT in time"));
	assert_int_equal(f->lab.n.dropped_timeouts, 1);

	f->opts.auth_timeout = 25;
	dps_session(f, &b, OTHER_KEY); /* a DPS session without valid credentials is not authenticated */
	b.conn->auth_more = 15;
	lab_deadline_cb(-1, EV_TIMEOUT, b.conn); /* the handshake's 10 s: 15 s more */
	assert_false(b.closed);
	assert_true(b.conn->deadline_auth);
	lab_deadline_cb(-1, EV_TIMEOUT, b.conn);
	assert_true(b.closed);
	assert_non_null(strstr(events, "not authenticated within 25 s"));
	assert_non_null(strstr(events, "\"cause\":\"auth-timeout\""));
	assert_int_equal(f->lab.n.dropped_auth, 1);

	c.pending = 100; /* the peer has not read 100 bytes */
	assert_non_null(lab_memio_connect(&f->lab, &c, LAB_PROTO_MQTT, lab_hub_on_data));
	mqtt_connect(&c, "dev1", HUB "/dev1/?api-version=2021-04-12", "bad", 60, 1, -1);
	assert_false(c.closed); /* CONNACK 5 waits to be read */
	assert_int_equal(c.conn->state, LAB_ST_CLOSING);
	lab_deadline_cb(-1, EV_TIMEOUT, c.conn); /* 5 s later */
	assert_true(c.closed);
	lab_memio_free(&a);
	lab_memio_free(&b);
	lab_memio_free(&c);
}

/* The handle of an in-process lab: stop ends the loop with a shutdown event. */
static void test_handle_stop(void **state)
{
	struct fixture *f = *state;
	struct rs_error err;
	struct lab_handle *h = lab_handle_new(&err);

	assert_non_null(h);
	f->opts.handle = h;
	assert_int_equal(lab_control_start(&f->lab, &err), 0);
	assert_int_equal(lab_handle_stop(h), 0);
	assert_int_equal(event_base_dispatch(f->lab.base), 0); /* returns: the handle asked it to stop */
	assert_non_null(strstr(events, "\"event\":\"shutdown\""));
	assert_non_null(strstr(events, "stopped by its handle"));
	lab_control_stop(&f->lab);
	lab_handle_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hub_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_bad_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_connect_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_protocol_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_keepalive_and_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_kick_and_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dps_mqtt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dps_https, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hub_https, setup, teardown),
		cmocka_unit_test_setup_teardown(test_https_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ws_mqtt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ws_unmasked_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_renderings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handle_stop, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
