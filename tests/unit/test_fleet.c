/* test_fleet.c: the fleet file parser (a table of good and bad files), the SDK reconnect cadences of
 * azure-iot-facts.md 2.3, device ids and keys, and the demo fleet; the per-device state machine (device.c: backoff,
 * sessions, drops, the classification of how an attempt ended) driven directly, without ports, timers or threads;
 * what a device says and how it reads the answer (proto.c) and its keep-alive (conn.c) over libevent's in-memory
 * bufferevent pair. The whole rehearsal runs in tests/cli/test_rehearse.sh (it needs the lab). */
#include "rs_test.h"

#include <event2/bufferevent.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "run.h"

static struct fleet_spec *parse(const char *text, struct rs_error *err)
{
	return fleet_spec_parse(text, strlen(text), "/base", err);
}

static void test_parse_full(void **state)
{
	struct rs_error err;
	struct fleet_spec *s = parse(
		"{\"schema\":\"rootshift/fleet/1\",\"seed\":\"x\",\"duration\":7200,\"ramp\":600,\"sample\":30,"
		"\"classes\":[{\"name\":\"a\",\"count\":3,\"store\":\"stores/a.pem\",\"protocol\":\"amqp\",\"sdk\":\"java\","
		"\"keep_alive\":100,\"clock_skew\":-600,\"pin\":\"lab:pinned-intermediate\",\"sas_lifetime\":1800,"
		"\"backoff\":{\"policy\":\"fixed\",\"initial\":5,\"max\":50}}],"
		"\"schedule\":[{\"at\":100,\"action\":\"migrate\"},{\"at\":200,\"action\":\"disconnect\"},"
		"{\"at\":300,\"action\":\"revert\",\"disconnect\":true}]}",
		&err);

	(void)state;
	assert_non_null(s);
	assert_int_equal(s->duration, 7200);
	assert_int_equal(s->ramp, 600);
	assert_int_equal(s->sample, 30);
	assert_int_equal(s->nclasses, 1);
	assert_string_equal(s->classes[0].store, "/base/stores/a.pem");
	assert_string_equal(s->classes[0].pin, "lab:pinned-intermediate");
	assert_int_equal(s->classes[0].proto, FLEET_AMQP);
	assert_int_equal(s->classes[0].sdk, FLEET_SDK_JAVA);
	assert_int_equal(s->classes[0].keep_alive, 100);
	assert_int_equal(s->classes[0].clock_skew, -600);
	assert_int_equal(s->classes[0].backoff, FLEET_BACKOFF_FIXED);
	assert_int_equal(s->classes[0].backoff_initial, 5);
	assert_int_equal(s->nevents, 3);
	assert_int_equal(s->events[0].disconnect, 0);
	assert_int_equal(s->events[1].disconnect, 1);
	assert_int_equal(s->events[2].disconnect, 1);
	assert_int_equal(fleet_device_count(s), 3);
	assert_int_equal(s->classes[0].dps, FLEET_DPS_NONE);
	assert_int_equal(s->classes[0].pings, 1);
	assert_int_equal(s->dps_delay, 0);
	fleet_spec_free(s);
}

/* DPS classes, a device that never pings, the in-process lab's DPS delay. */
static void test_parse_dps_and_pings(void **state)
{
	struct rs_error err;
	struct fleet_spec *s = parse(
		"{\"dps_delay\":900,\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"dps\":\"https\"},"
		"{\"name\":\"b\",\"count\":1,\"store\":\"s\",\"dps\":\"mqtt\",\"pings\":false,\"protocol\":\"https\"}]}",
		&err);

	(void)state;
	assert_non_null(s);
	assert_int_equal(s->dps_delay, 900);
	assert_int_equal(s->classes[0].dps, FLEET_DPS_HTTPS);
	assert_int_equal(s->classes[0].pings, 1);
	assert_int_equal(s->classes[1].dps, FLEET_DPS_MQTT);
	assert_int_equal(s->classes[1].pings, 0);
	assert_true(fleet_class_holds(&s->classes[0]));
	assert_false(fleet_class_holds(&s->classes[1])); /* HTTPS: a connection per request */
	assert_string_equal(fleet_dps_name(s->classes[0].dps), "https");
	fleet_spec_free(s);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{}",
		"{\"classes\":[]}",
		"{\"classes\":[{\"name\":\"a\",\"store\":\"s\"}]}",                       /* no count */
		"{\"classes\":[{\"name\":\"a\",\"count\":1}]}",                           /* no store */
		"{\"classes\":[{\"name\":\"a b\",\"count\":1,\"store\":\"s\"}]}",         /* bad name */
		"{\"classes\":[{\"name\":\"a\",\"count\":-1,\"store\":\"s\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":100001,\"store\":\"s\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"protocol\":\"coap\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"sdk\":\"rust\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"keep_alive\":5000}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"backoff\":{\"policy\":\"random\"}}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"},{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":60000,\"store\":\"s\"},{\"name\":\"b\",\"count\":60000,\"store\":\"s\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":10}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":0,\"action\":\"migrate\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":99999999,\"action\":\"migrate\"}]}",
		("{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":20,\"action\":\"migrate\"},"
		 "{\"at\":10,\"action\":\"revert\"}]}"),
		"{\"duration\":1,\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}",
		"{\"duration\":2592000,\"sample\":1,\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"classes\":[]}", /* duplicate key */
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"dps\":\"amqp\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"dps\":\"mqtt\",\"protocol\":\"amqp\"}]}",
		"{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"pings\":0}]}",
		"{\"dps_delay\":-1,\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}",
	};
	struct rs_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fleet_spec *s = parse(bad[i], &err);
		if (s)
			fail_msg("accepted bad fleet %zu: %s", i, bad[i]);
		assert_true(err.code == RS_ERR_PARSE || err.code == RS_ERR_LIMIT);
	}
}

/* Strict input: an unknown key is an error naming it, where it is and the nearest known key (issue #19). */
static void test_unknown_keys(void **state)
{
	static const struct {
		const char *json, *message;
	} cases[] = {
		{ "{\"classes\": [\n  {\"name\": \"a\", \"count\": 1, \"store\": \"s\"},\n"
		  "  {\"name\": \"b\", \"count\": 1, \"store\": \"s\", \"keep_alive_secs\": 30}]}",
		  "fleet: unknown key 'keep_alive_secs' at line 3 column 43 in classes[1] (did you mean 'keep_alive'?)" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"backoff\":{\"max\":9,\"inital\":3}}]}",
		  "fleet: unknown key 'inital' at line 1 column 66 in classes[0].backoff (did you mean 'initial'?)" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":9,\"action\":\"migrate\","
		  "\"disconect\":true}]}",
		  "fleet: unknown key 'disconect' at line 1 column 88 in schedule[0] (did you mean 'disconnect'?)" },
		{ "{\"durration\":60,\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}",
		  "fleet: unknown key 'durration' at line 1 column 2 (did you mean 'duration'?)" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"\\u0078yz\":1}]}",
		  "fleet: unknown key 'xyz' at line 1 column 47 in classes[0]" },
		/* values: the word given, the words allowed and the nearest; booleans and the schema are checked */
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":9,\"action\":\"migrat\"}]}",
		  "fleet: schedule[0].action 'migrat' is not one of migrate, revert, disconnect (did you mean 'migrate'?)" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"sdk\":3}]}",
		  "fleet: classes[0].sdk must be a string: one of c, node, dotnet, java, python" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\",\"backoff\":{\"policy\":\"expo\"}}]}",
		  "fleet: classes[0].backoff.policy 'expo' is not one of exponential, fixed, none" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\"schedule\":[{\"at\":9,\"action\":\"migrate\","
		  "\"disconnect\":\"yes\"}]}",
		  "fleet: schedule[0].disconnect must be true or false" },
		{ "{\"schema\":\"rootshift/fleet/2\",\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}",
		  "fleet: \"schema\" must be \"rootshift/fleet/1\", not 'rootshift/fleet/2'" },
		{ "{\"seed\":7,\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}]}", "fleet: \"seed\" must be a string" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s\"}],\n \"classes\":[]}",
		  "fleet: line 2 column 10: duplicate object key near '\"classes\"'" },
	};
	struct rs_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fleet_spec *s = parse(cases[i].json, &err);
		if (s)
			fail_msg("accepted case %zu", i);
		assert_int_equal(err.code, RS_ERR_PARSE);
		assert_string_equal(err.message, cases[i].message);
	}
	/* the known keys, escaped or not, still parse; nothing is suggested for a word far from every key */
	fleet_spec_free(parse("{\"classes\":[{\"name\":\"a\",\"count\":1,\"st\\u006fre\":\"s\"}]}", &err));
	assert_null(rs_nearest_word("zzzzzzzz", (const char *const[]){ "count", "store", NULL }));
	assert_string_equal(rs_nearest_word("stor", (const char *const[]){ "count", "store", NULL }), "store");
}

/* azure-iot-facts.md 2.3, with a 3600 s SAS lifetime. */
static void test_cadence(void **state)
{
	static const struct {
		enum fleet_proto proto;
		enum fleet_sdk sdk;
		int cadence;
	} cases[] = {
		{ FLEET_MQTT, FLEET_SDK_C, 2880 },      /* 80 %: 48 min */
		{ FLEET_MQTT, FLEET_SDK_NODE, 2700 },   /* 45 min */
		{ FLEET_MQTT, FLEET_SDK_DOTNET, 4200 }, /* lifetime plus 10 min grace */
		{ FLEET_MQTT, FLEET_SDK_JAVA, 3060 },   /* 85 % */
		{ FLEET_MQTT, FLEET_SDK_PYTHON, 3480 }, /* 120 s before expiry */
		{ FLEET_AMQP, FLEET_SDK_C, 0 },         /* never: CBS refresh on the same connection */
		{ FLEET_HTTPS, FLEET_SDK_C, 300 },      /* every request */
	};
	struct fleet_class c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.sas_lifetime = 3600;
		c.request_interval = 300;
		c.proto = cases[i].proto;
		c.sdk = cases[i].sdk;
		assert_int_equal(fleet_cadence(&c), cases[i].cadence);
	}
}

static void test_demo_and_ids(void **state)
{
	struct fleet_spec *s = fleet_spec_demo();
	char id[64], key[64], key2[64];

	(void)state;
	assert_non_null(s);
	assert_true(fleet_device_count(s) >= 100 && fleet_device_count(s) <= 500);
	assert_int_equal(s->nevents, 3);
	assert_int_equal(s->dps_delay, 1800);
	assert_int_equal(s->classes[s->nclasses - 1].dps, FLEET_DPS_MQTT);
	assert_int_equal(s->events[0].action, FLEET_MIGRATE);
	assert_int_equal(s->events[2].action, FLEET_REVERT);
	assert_int_equal(fleet_device_id(s, 0, id, sizeof(id)), 0);
	assert_string_equal(id, "c-mqtt-recommended-00000");
	assert_int_equal(fleet_device_id(s, s->classes[0].count, id, sizeof(id)), 0);
	assert_string_equal(id, "node-mqtt-recommended-00000");
	assert_int_equal(fleet_device_id(s, fleet_device_count(s), id, sizeof(id)), -1);
	assert_int_equal(fleet_device_key(s, 3, key, sizeof(key)), 0);
	assert_int_equal(fleet_device_key(s, 3, key2, sizeof(key2)), 0);
	assert_string_equal(key, key2);
	assert_int_equal(strlen(key), 44);
	assert_int_equal(fleet_device_key(s, 4, key2, sizeof(key2)), 0);
	assert_string_not_equal(key, key2);
	fleet_spec_free(s);
}

/* ---- the per-device state machine, without I/O ---- */

#define SM_SAMPLES 10

struct sm {
	struct fleet_spec spec;
	struct fleet_target target;
	struct fleet_result res;
	struct fleet_run r;
	struct fleet_device dev[2];
	struct fleet_phase_stats stats[2];
	long delta[SM_SAMPLES + 1];
	int32_t times[2];
};

/* One class of two devices, phase 0 of 2. */
static void sm_init(struct sm *m, enum fleet_proto proto, enum fleet_backoff backoff, int initial, int max)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->spec.seed, sizeof(m->spec.seed), "unit");
	m->spec.sample = 60;
	m->spec.duration = 600;
	m->spec.nclasses = 1;
	snprintf(m->spec.classes[0].name, sizeof(m->spec.classes[0].name), "c");
	m->spec.classes[0].count = 2;
	m->spec.classes[0].proto = proto;
	m->spec.classes[0].backoff = backoff;
	m->spec.classes[0].backoff_initial = initial;
	m->spec.classes[0].backoff_max = max;
	m->spec.classes[0].sas_lifetime = 3600;
	m->spec.classes[0].keep_alive = 240;
	m->spec.classes[0].pings = 1;
	m->target.host = "hub.example";
	m->target.start = 1700000000;
	m->target.timeout_ms = 1000;
	m->target.max_held = 10;
	m->res.nphases = 1;
	m->res.nsamples = SM_SAMPLES;
	m->res.stats = m->stats;
	m->r.spec = &m->spec;
	m->r.target = &m->target;
	m->r.res = &m->res;
	m->r.dev = m->dev;
	m->r.ndev = 2;
	m->r.delta = m->delta;
	m->r.times = m->times;
	for (int i = 0; i < 2; i++) {
		m->dev[i].rng = (uint64_t)i + 1;
		m->dev[i].phase_first = -1;
		m->dev[i].last_code = FLEET_NOT_TRIED;
	}
}

static void sm_free(struct sm *m)
{
	free(m->r.heap);
}

static struct fleet_outcome outcome(enum rs_probe_code code, enum fleet_stage stage)
{
	return (struct fleet_outcome){ code, stage };
}

static void test_heap_order(void **state)
{
	struct sm m;
	static const int64_t at[] = { 50, 10, 30, 10, 70, 0, 20 };
	int64_t last = -1;

	(void)state;
	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_FIXED, 1, 1);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		assert_int_equal(fleet_push(&m.r, at[i], (uint32_t)(i % 2), FLEET_EV_CONNECT), 0);
	for (int i = 0; i < 2000; i++) /* past the first allocation: the heap grows */
		assert_int_equal(fleet_push(&m.r, 1000 + i % 7, 0, FLEET_EV_PING), 0);
	while (m.r.nheap) {
		struct fleet_heap_item e = fleet_pop(&m.r);
		assert_true(e.t >= last);
		last = e.t;
	}
	assert_int_equal(last, 1006);
	sm_free(&m);
}

/* Exponential backoff doubles from the initial delay up to the max, each delay jittered into [d/2, d]. */
static void test_backoff_exponential(void **state)
{
	static const int64_t want[] = { 2, 4, 8, 16, 20, 20 }; /* the delay before jitter after attempt 1, 2, ... */
	struct sm m;

	(void)state;
	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_EXPONENTIAL, 1, 20);
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		int64_t t = 1000 * (int64_t)k;
		fleet_session_failed(&m.r, 0, t, outcome(RS_PROBE_CERT_UNTRUSTED, FLEET_STAGE_HUB));
		assert_int_equal(m.r.nheap, 1);
		struct fleet_heap_item e = fleet_pop(&m.r);
		assert_int_equal(e.kind, FLEET_EV_CONNECT);
		assert_int_equal(e.dev, 0);
		if (k == 0)
			assert_in_range(e.t - t, 1, 1); /* the first retry: the initial delay, jitter of [0, 1] floored at 1 */
		else
			assert_in_range(e.t - t, want[k - 1] / 2, want[k - 1]);
	}
	assert_int_equal(m.dev[0].last_code, RS_PROBE_CERT_UNTRUSTED);
	assert_int_equal(m.dev[0].last_dps, 0);
	assert_int_equal(m.dev[0].attempts, 6);
	assert_int_equal(m.stats[0].failures, 6);
	assert_int_equal(m.stats[0].failures_at_dps, 0);
	sm_free(&m);
}

static void test_backoff_fixed_and_none(void **state)
{
	struct sm m;

	(void)state;
	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_FIXED, 7, 300);
	for (int k = 0; k < 3; k++) {
		fleet_session_failed(&m.r, 1, 100, outcome(RS_PROBE_TIMEOUT, FLEET_STAGE_DPS));
		assert_int_equal(fleet_pop(&m.r).t, 107);
	}
	assert_int_equal(m.dev[1].last_code, RS_PROBE_TIMEOUT);
	assert_int_equal(m.dev[1].last_dps, 1);
	assert_int_equal(m.stats[0].failures_at_dps, 3);
	sm_free(&m);

	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_NONE, 7, 300);
	fleet_session_failed(&m.r, 0, 100, outcome(RS_PROBE_TCP_REFUSED, FLEET_STAGE_HUB));
	assert_int_equal(m.r.nheap, 0); /* no retry policy: the device gives up */
	assert_int_equal(m.dev[0].last_code, RS_PROBE_TCP_REFUSED);
	assert_int_equal(m.stats[0].failures, 1);
	sm_free(&m);
}

/* A session up: the SDK's renewal at its cadence, the hub's drop at the SAS expiry when the renewal comes later. */
static void test_session_up_mqtt(void **state)
{
	struct sm m;
	struct fleet_heap_item a, b;

	(void)state;
	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_EXPONENTIAL, 1, 300);
	m.spec.classes[0].clock_skew = -60;
	m.r.cls[0].cadence = 4200; /* .NET: the lifetime plus ten minutes, later than the expiry */
	m.r.phase_start = 100;
	m.dev[0].attempts = 5;
	fleet_session_up(&m.r, 0, 130);
	assert_int_equal(m.dev[0].connected, 1);
	assert_int_equal(m.dev[0].attempts, 0);
	assert_int_equal(m.dev[0].phase_first, 30);
	assert_int_equal(m.r.nheap, 2);
	a = fleet_pop(&m.r);
	b = fleet_pop(&m.r);
	assert_int_equal(a.kind, FLEET_EV_EXPIRE);
	assert_int_equal(a.t, 130 + 3600 - 60);
	assert_int_equal(b.kind, FLEET_EV_RENEW);
	assert_int_equal(b.t, 130 + 4200);
	assert_int_equal(m.delta[3], 1); /* counted from the sample at or after 130 s */

	m.r.cls[0].cadence = 2880; /* the C SDK renews at 80 %: no expiry event */
	fleet_session_up(&m.r, 1, 10);
	assert_int_equal(m.r.nheap, 1);
	assert_int_equal(fleet_pop(&m.r).kind, FLEET_EV_RENEW);
	sm_free(&m);
}

/* The C SDK over AMQP keeps its connection and puts a new token at 80 % of the lifetime. */
static void test_session_up_amqp_refresh(void **state)
{
	struct sm m;
	struct fleet_heap_item e;

	(void)state;
	sm_init(&m, FLEET_AMQP, FLEET_BACKOFF_EXPONENTIAL, 1, 300);
	m.r.cls[0].cadence = 0;
	fleet_session_up(&m.r, 0, 0);
	assert_int_equal(m.r.nheap, 1);
	e = fleet_pop(&m.r);
	assert_int_equal(e.kind, FLEET_EV_REFRESH);
	assert_int_equal(e.t, 2880);
	sm_free(&m);
}

/* A drop by the hub: a connected device goes down (a new generation) and comes back after the initial delay; a
 * device without a session is not dropped twice. */
static void test_session_dropped(void **state)
{
	struct sm m;
	struct fleet_heap_item e;

	(void)state;
	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_EXPONENTIAL, 10, 300);
	m.r.cls[0].cadence = 2880;
	fleet_session_up(&m.r, 0, 0);
	(void)fleet_pop(&m.r);
	m.dev[0].attempts = 3;
	fleet_session_dropped(&m.r, 0, 200);
	assert_int_equal(m.dev[0].connected, 0);
	assert_int_equal(m.dev[0].gen, 1);
	assert_int_equal(m.dev[0].attempts, 0);
	assert_int_equal(m.dev[0].last_code, RS_PROBE_TCP_REFUSED);
	assert_int_equal(m.delta[4], -1); /* the sample after 200 s */
	assert_int_equal(m.r.nheap, 1);
	e = fleet_pop(&m.r);
	assert_int_equal(e.kind, FLEET_EV_CONNECT);
	assert_int_equal(e.gen, 1);
	assert_in_range(e.t, 205, 210);
	fleet_session_dropped(&m.r, 0, 300);
	assert_int_equal(m.r.nheap, 0);
	assert_int_equal(m.dev[0].gen, 1);
	sm_free(&m);

	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_FIXED, 0, 300); /* an initial delay of 0 still waits a second */
	m.dev[1].connected = 1;
	fleet_session_dropped(&m.r, 1, 50);
	assert_int_equal(fleet_pop(&m.r).t, 51);
	sm_free(&m);
}

static void test_device_time_and_rand(void **state)
{
	struct sm m;
	uint64_t a = 42, b = 42;

	(void)state;
	sm_init(&m, FLEET_MQTT, FLEET_BACKOFF_FIXED, 1, 1);
	m.spec.classes[0].clock_skew = -600;
	assert_int_equal(fleet_device_time(&m.r, 1, 100), 1700000000 + 100 - 600);
	assert_true(fleet_rand(&a) == fleet_rand(&b));
	assert_true(fleet_rand(&a) != fleet_rand(&a));
	sm_free(&m);
}

/* How an attempt's connection ended decides the outcome, in this order: a timeout, a close after the handshake,
 * the device's own verdict on the chain, an alert, a refusal; else a TLS protocol error. */
static void test_classify(void **state)
{
	static const struct {
		struct fleet_conn_end end;
		enum rs_probe_code want;
	} cases[] = {
		{ { .timeout = 1, .tls_done = 1, .verdict = RS_PROBE_CERT_UNTRUSTED }, RS_PROBE_TIMEOUT },
		{ { .tls_done = 1, .verdict = -1, .ssl_error = 1 }, RS_PROBE_PROTOCOL_ERROR },
		{ { .verdict = RS_PROBE_CERT_UNTRUSTED, .ssl_error = 1 }, RS_PROBE_CERT_UNTRUSTED },
		{ { .verdict = RS_PROBE_CERT_EXPIRED, .refused = 1 }, RS_PROBE_CERT_EXPIRED },
		{ { .verdict = RS_PROBE_INTERNAL_ERROR }, RS_PROBE_INTERNAL_ERROR },
		{ { .verdict = -1, .ssl_error = 1, .refused = 1 }, RS_PROBE_TLS_ALERT },
		{ { .verdict = -1, .refused = 1 }, RS_PROBE_TCP_REFUSED },
		{ { .verdict = -1 }, RS_PROBE_TLS_PROTOCOL_ERROR },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(fleet_classify_end(&cases[i].end), cases[i].want);
	assert_int_equal(fleet_classify_open(1), RS_PROBE_TCP_REFUSED);
	assert_int_equal(fleet_classify_open(2), RS_PROBE_INTERNAL_ERROR); /* ours, never a device's verdict */
}

/* ---- what a device says and reads, over libevent's in-memory bufferevent pair ---- */

struct wire {
	struct sm m;
	struct event_base *base;
	struct bufferevent *pair[2]; /* [0] the device's end (c.bev), [1] the server's */
	struct fleet_conn c;
};

static void wire_init(struct wire *w, enum fleet_proto proto, enum fleet_dps dps)
{
	sm_init(&w->m, proto, FLEET_BACKOFF_FIXED, 1, 1);
	w->m.spec.classes[0].dps = dps;
	w->m.target.dps_host = "global.azure-devices-provisioning.net";
	w->m.target.id_scope = "0ne00000001";
	w->base = event_base_new();
	assert_non_null(w->base);
	assert_int_equal(bufferevent_pair_new(w->base, 0, w->pair), 0);
	bufferevent_enable(w->pair[0], EV_READ | EV_WRITE);
	bufferevent_enable(w->pair[1], EV_READ | EV_WRITE);
	memset(&w->c, 0, sizeof(w->c));
	w->c.run = &w->m.r;
	w->c.bev = w->pair[0];
	w->c.stage = dps != FLEET_DPS_NONE ? FLEET_STAGE_DPS : FLEET_STAGE_HUB;
	snprintf(w->c.hub, sizeof(w->c.hub), "hub.example");
}

static void wire_free(struct wire *w)
{
	if (w->pair[0])
		bufferevent_free(w->pair[0]);
	bufferevent_free(w->pair[1]);
	event_base_free(w->base);
	sm_free(&w->m);
}

/* What the device has sent so far, taken from the server's end. */
static char *sent(struct wire *w, size_t *len)
{
	struct evbuffer *in = bufferevent_get_input(w->pair[1]);
	char *out;

	event_base_loop(w->base, EVLOOP_NONBLOCK);
	*len = evbuffer_get_length(in);
	out = calloc(1, *len + 1);
	assert_non_null(out);
	evbuffer_remove(in, out, *len);
	return out;
}

static int has(const char *buf, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(buf + i, needle, k))
			return 1;
	return 0;
}

/* Feeds the device an answer; returns fleet_proto_answer's result. */
static int answer(struct wire *w, const void *bytes, size_t len, int *code)
{
	struct evbuffer *in = evbuffer_new();
	int rv;

	assert_non_null(in);
	evbuffer_add(in, bytes, len);
	*code = -1;
	rv = fleet_proto_answer(&w->c, in, code);
	evbuffer_free(in);
	return rv;
}

/* An MQTT PUBLISH (QoS 0) of body on topic, as the server sends it. */
static size_t publish(unsigned char *out, const char *topic, const char *body)
{
	size_t t = strlen(topic), b = strlen(body), n = 0;

	out[n++] = 0x30;
	out[n++] = (unsigned char)(2 + t + b);
	out[n++] = 0;
	out[n++] = (unsigned char)t;
	memcpy(out + n, topic, t);
	memcpy(out + n + t, body, b);
	return n + t + b;
}

static void test_proto_hub_mqtt(void **state)
{
	static const unsigned char ok[] = { 0x20, 0x02, 0x00, 0x00 }, no[] = { 0x20, 0x02, 0x00, 0x05 },
				   odd[] = { 0x20, 0x02, 0x00, 0x03 }, suback[] = { 0x90, 0x03, 0x00, 0x01, 0x01 };
	struct wire w;
	struct rs_mqtt_packet pkt;
	size_t len, used;
	char *out;
	int code;

	(void)state;
	wire_init(&w, FLEET_MQTT, FLEET_DPS_NONE);
	assert_int_equal(fleet_proto_opening(&w.c), 0);
	out = sent(&w, &len);
	assert_int_equal(rs_mqtt_decode((unsigned char *)out, len, 65536, &pkt, &used, NULL), 1);
	assert_int_equal(pkt.type, RS_MQTT_CONNECT);
	assert_int_equal(pkt.keep_alive, 240);
	assert_memory_equal(pkt.client_id.ptr, "c-00000", 7);
	assert_true(has(pkt.username.ptr, pkt.username.len, "hub.example/c-00000/?api-version=2021-04-12"));
	assert_true(has(pkt.password.ptr, pkt.password.len, "SharedAccessSignature sr="));
	free(out);
	assert_int_equal(answer(&w, ok, 1, &code), 0); /* more bytes needed */
	assert_int_equal(answer(&w, ok, sizeof(ok), &code), 1);
	assert_int_equal(code, RS_PROBE_OK);
	assert_int_equal(answer(&w, no, sizeof(no), &code), 1);
	assert_int_equal(code, RS_PROBE_OK_AUTH_REJECTED);
	assert_int_equal(answer(&w, odd, sizeof(odd), &code), 1);
	assert_int_equal(code, RS_PROBE_PROTOCOL_ERROR);
	assert_int_equal(answer(&w, suback, sizeof(suback), &code), 1);
	assert_int_equal(code, RS_PROBE_PROTOCOL_ERROR);
	assert_int_equal(answer(&w, "\xff\xff\xff\xff\xff", 5, &code), 1);
	assert_int_equal(code, RS_PROBE_PROTOCOL_ERROR);
	wire_free(&w);
}

static void test_proto_hub_https(void **state)
{
	static const struct {
		const char *answer;
		int rv, code;
	} rows[] = {
		{ "HTTP/1.1 204 No Content\r\n\r\n", 1, RS_PROBE_OK },
		{ "HTTP/1.1 401 Unauthorized\r\n\r\n", 1, RS_PROBE_OK_AUTH_REJECTED },
		{ "HTTP/1.1 403 Forbidden\r\n\r\n", 1, RS_PROBE_OK_AUTH_REJECTED },
		{ "HTTP/1.1 500 Oops\r\n\r\n", 1, RS_PROBE_PROTOCOL_ERROR },
		{ "SSH-2.0-OpenSSH_9\r\n", 1, RS_PROBE_PROTOCOL_ERROR },
		{ "HTTP/1.1 2", 0, -1 },
	};
	struct wire w;
	size_t len;
	char *out;
	int code;

	(void)state;
	wire_init(&w, FLEET_HTTPS, FLEET_DPS_NONE);
	assert_int_equal(fleet_proto_opening(&w.c), 0);
	out = sent(&w, &len);
	assert_true(has(out, len, "POST /devices/c-00000/messages/events?api-version=2021-04-12 HTTP/1.1\r\n"));
	assert_true(has(out, len, "Authorization: SharedAccessSignature sr="));
	free(out);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(answer(&w, rows[i].answer, strlen(rows[i].answer), &code), rows[i].rv);
		assert_int_equal(code, rows[i].code);
	}
	wire_free(&w);
}

/* DPS over MQTT: register, a 202 with an operation id (polled), then a 200 assigning a hub: on to it. */
static void test_proto_dps_mqtt(void **state)
{
	static const unsigned char connack[] = { 0x20, 0x02, 0x00, 0x00 }, rejected[] = { 0x20, 0x02, 0x00, 0x05 };
	unsigned char buf[256];
	struct wire w;
	size_t len, n;
	char *out;
	int code;

	(void)state;
	wire_init(&w, FLEET_MQTT, FLEET_DPS_MQTT);
	assert_int_equal(fleet_proto_opening(&w.c), 0);
	out = sent(&w, &len);
	assert_true(has(out, len, "0ne00000001/registrations/c-00000/api-version=2021-06-01"));
	assert_true(has(out, len, "$dps/registrations/res/#"));
	assert_true(has(out, len, "$dps/registrations/PUT/iotdps-register/?$rid=1{\"registrationId\":\"c-00000\"}"));
	free(out);
	assert_int_equal(answer(&w, connack, sizeof(connack), &code), 0);
	n = publish(buf, "$dps/registrations/res/202/?$rid=1&retry-after=1", "{\"operationId\":\"op-1\"}");
	assert_int_equal(answer(&w, buf, n, &code), 0);
	assert_string_equal(w.c.op, "op-1");
	out = sent(&w, &len);
	assert_true(has(out, len, "iotdps-get-operationstatus/?$rid=2&operationId=op-1"));
	free(out);
	n = publish(buf, "$dps/registrations/res/200/?$rid=2",
		    "{\"registrationState\":{\"assignedHub\":\"assigned.example\"}}");
	assert_int_equal(answer(&w, buf, n, &code), 2);
	assert_string_equal(w.c.hub, "assigned.example");
	n = publish(buf, "$dps/registrations/res/401/?$rid=1", "{}");
	assert_int_equal(answer(&w, buf, n, &code), 1);
	assert_int_equal(code, RS_PROBE_OK_AUTH_REJECTED);
	n = publish(buf, "$dps/registrations/res/200/?$rid=1", "{}"); /* assigned, but no hub */
	assert_int_equal(answer(&w, buf, n, &code), 1);
	assert_int_equal(code, RS_PROBE_PROTOCOL_ERROR);
	assert_int_equal(answer(&w, rejected, sizeof(rejected), &code), 1);
	assert_int_equal(code, RS_PROBE_OK_AUTH_REJECTED);
	assert_int_equal(answer(&w, "\xff\xff\xff\xff\xff", 5, &code), 1);
	assert_int_equal(code, RS_PROBE_PROTOCOL_ERROR);
	wire_free(&w);
}

/* DPS over HTTPS: PUT register, 202 (GET the operation), 200 assigned; a 401; a bad answer. */
static void test_proto_dps_https(void **state)
{
	static const char accepted[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 22\r\n\r\n{\"operationId\":\"op-1\"}",
			  assigned[] = "HTTP/1.1 200 OK\r\ncontent-length: 56\r\n\r\n"
				       "{\"registrationState\":{\"assignedHub\":\"assigned.example\"}}",
			  denied[] = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n",
			  huge[] = "HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n";
	struct wire w;
	size_t len;
	char *out;
	int code;

	(void)state;
	wire_init(&w, FLEET_MQTT, FLEET_DPS_HTTPS);
	assert_int_equal(fleet_proto_opening(&w.c), 0);
	out = sent(&w, &len);
	assert_true(has(out, len, "PUT /0ne00000001/registrations/c-00000/register?api-version=2021-06-01 HTTP/1.1\r\n"));
	assert_true(has(out, len, "Host: global.azure-devices-provisioning.net\r\n"));
	free(out);
	assert_int_equal(answer(&w, accepted, 30, &code), 0); /* the head is not complete */
	assert_int_equal(answer(&w, accepted, sizeof(accepted) - 1, &code), 0);
	out = sent(&w, &len);
	assert_true(has(out, len, "GET /0ne00000001/registrations/c-00000/operations/op-1?api-version=2021-06-01"));
	free(out);
	assert_int_equal(answer(&w, assigned, sizeof(assigned) - 1, &code), 2);
	assert_string_equal(w.c.hub, "assigned.example");
	assert_int_equal(answer(&w, denied, sizeof(denied) - 1, &code), 1);
	assert_int_equal(code, RS_PROBE_OK_AUTH_REJECTED);
	assert_int_equal(answer(&w, huge, sizeof(huge) - 1, &code), 1);
	assert_int_equal(code, RS_PROBE_PROTOCOL_ERROR);
	wire_free(&w);
}

/* Keep-alive: a held MQTT session pings at its keep-alive (one PINGREQ outstanding at a time, the next ping
 * scheduled); releasing it says DISCONNECT and puts the connection back. */
static void test_keep_alive(void **state)
{
	struct wire w;
	struct fleet_heap_item e;
	size_t len;
	char *out;

	(void)state;
	wire_init(&w, FLEET_MQTT, FLEET_DPS_NONE);
	w.m.dev[0].held = &w.c;
	w.m.r.nheld = 1;
	fleet_conn_ping(&w.m.r, 0, 100);
	fleet_conn_ping(&w.m.r, 0, 100); /* still waiting for the PINGRESP: no second PINGREQ */
	assert_int_equal(w.c.ping_pending, 1);
	assert_int_equal(w.m.r.pings_out, 1);
	assert_int_equal(w.m.r.nheap, 1);
	e = fleet_pop(&w.m.r);
	assert_int_equal(e.kind, FLEET_EV_PING);
	assert_int_equal(e.t, 340);
	fleet_conn_release(&w.m.r, 0);
	assert_null(w.m.dev[0].held);
	assert_int_equal(w.m.r.nheld, 0);
	assert_int_equal(w.m.r.pings_out, 0);
	assert_ptr_equal(w.m.r.free_conns, &w.c);
	assert_null(w.c.bev);
	w.pair[0] = NULL; /* freed with the connection */
	out = sent(&w, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(out, "\xc0\x00\xe0\x00", 4); /* PINGREQ, DISCONNECT */
	free(out);
	fleet_conn_ping(&w.m.r, 0, 200); /* nothing held: nothing sent */
	assert_int_equal(w.m.r.nheap, 0);
	wire_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_parse_dps_and_pings),
		cmocka_unit_test(test_cadence),
		cmocka_unit_test(test_demo_and_ids),
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_backoff_exponential),
		cmocka_unit_test(test_backoff_fixed_and_none),
		cmocka_unit_test(test_session_up_mqtt),
		cmocka_unit_test(test_session_up_amqp_refresh),
		cmocka_unit_test(test_session_dropped),
		cmocka_unit_test(test_device_time_and_rand),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_proto_hub_mqtt),
		cmocka_unit_test(test_proto_hub_https),
		cmocka_unit_test(test_proto_dps_mqtt),
		cmocka_unit_test(test_proto_dps_https),
		cmocka_unit_test(test_keep_alive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
