/* test_fleet.c: the fleet file parser (a table of good and bad files), the SDK reconnect cadences of
 * azure-iot-facts.md 2.3, device ids and keys, and the demo fleet. The rehearsal itself runs in
 * tests/cli/test_rehearse.sh (it needs the lab). */
#include "rs_test.h"

#include <string.h>

#include "fleet.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_parse_dps_and_pings),
		cmocka_unit_test(test_cadence),
		cmocka_unit_test(test_demo_and_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
