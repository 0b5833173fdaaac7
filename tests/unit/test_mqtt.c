/* test_mqtt.c: the MQTT 3.1.1 subset codec: round trips, partial input, limits and a table of malformed packets. */
#include "rs_test.h"

#include <string.h>

#define S(lit) ((struct rs_mqtt_str){ lit, sizeof(lit) - 1 })

static void roundtrip(const struct rs_mqtt_packet *in, struct rs_mqtt_packet *out, unsigned char *buf, size_t cap)
{
	struct rs_error err;
	size_t len = 0, used = 0, need = 0, i;

	assert_int_equal(rs_mqtt_encode(in, NULL, 0, &need, &err), 0);
	assert_int_equal(rs_mqtt_encode(in, buf, cap, &len, &err), 0);
	assert_int_equal(len, need);
	/* every proper prefix asks for more bytes */
	for (i = 0; i < len; i++)
		assert_int_equal(rs_mqtt_decode(buf, i, 1 << 20, out, &used, &err), 0);
	assert_int_equal(rs_mqtt_decode(buf, len, 1 << 20, out, &used, &err), 1);
	assert_int_equal(used, len);
	assert_int_equal(out->type, in->type);
}

static void test_connect(void **state)
{
	struct rs_mqtt_packet in = { 0 }, out;
	unsigned char buf[512];

	(void)state;
	in.type = RS_MQTT_CONNECT;
	in.keep_alive = 240;
	in.client_id = S("dev1");
	in.has_username = in.has_password = 1;
	in.username = S("hub.azure-devices.net/dev1/?api-version=2021-04-12");
	in.password = S("SharedAccessSignature sr=x&sig=y&se=1");
	roundtrip(&in, &out, buf, sizeof(buf));
	assert_true(rs_mqtt_str_eq(out.protocol_name, "MQTT"));
	assert_int_equal(out.protocol_level, 4);
	assert_int_equal(out.keep_alive, 240);
	assert_true(rs_mqtt_str_eq(out.client_id, "dev1"));
	assert_true(rs_mqtt_str_eq(out.username, "hub.azure-devices.net/dev1/?api-version=2021-04-12"));
	assert_true(rs_mqtt_str_eq(out.password, "SharedAccessSignature sr=x&sig=y&se=1"));
	assert_int_equal(out.clean_session, 0);
}

static void test_publish_subscribe(void **state)
{
	struct rs_mqtt_packet in = { 0 }, out;
	static unsigned char big[300];
	unsigned char buf[1024];
	struct rs_error err;

	(void)state;
	in.type = RS_MQTT_PUBLISH;
	in.qos = 1;
	in.packet_id = 7;
	in.topic = S("devices/dev1/messages/events/");
	in.payload = big;
	in.payload_len = sizeof(big); /* a two-byte remaining length */
	roundtrip(&in, &out, buf, sizeof(buf));
	assert_int_equal(out.qos, 1);
	assert_int_equal(out.packet_id, 7);
	assert_int_equal(out.payload_len, sizeof(big));
	assert_int_equal(buf[1] & 0x80, 0x80);

	memset(&in, 0, sizeof(in));
	in.type = RS_MQTT_SUBSCRIBE;
	in.packet_id = 2;
	in.topic_count = 2;
	in.topics[0] = S("devices/dev1/messages/devicebound/#");
	in.topics[1] = S("$iothub/twin/res/#");
	in.qos_list[1] = 1;
	roundtrip(&in, &out, buf, sizeof(buf));
	assert_int_equal(out.topic_count, 2);
	assert_true(rs_mqtt_str_eq(out.topics[1], "$iothub/twin/res/#"));
	assert_int_equal(out.qos_list[1], 1);

	memset(&in, 0, sizeof(in));
	in.type = RS_MQTT_SUBACK;
	in.packet_id = 2;
	in.topic_count = 2;
	in.qos_list[0] = 0x80;
	roundtrip(&in, &out, buf, sizeof(buf));
	assert_int_equal(out.qos_list[0], 0x80);

	in.type = RS_MQTT_CONNACK;
	in.return_code = 5;
	roundtrip(&in, &out, buf, sizeof(buf));
	assert_int_equal(out.return_code, 5);
	assert_int_equal(rs_mqtt_encode(&in, buf, 3, &(size_t){ 0 }, &err), -1);
	assert_int_equal(err.code, RS_ERR_LIMIT);
}

static void test_limits(void **state)
{
	/* PUBLISH announcing 256 MB: refused as soon as the length field is complete */
	static const unsigned char huge[] = { 0x30, 0xff, 0xff, 0xff, 0x7f };
	static const unsigned char five[] = { 0x30, 0xff, 0xff, 0xff, 0xff, 0x01 };
	struct rs_mqtt_packet pkt;
	struct rs_error err;
	size_t used;

	(void)state;
	assert_int_equal(rs_mqtt_decode(huge, 4, 65536, &pkt, &used, &err), 0);
	assert_int_equal(rs_mqtt_decode(huge, sizeof(huge), 65536, &pkt, &used, &err), -1);
	assert_int_equal(err.code, RS_ERR_LIMIT);
	assert_int_equal(rs_mqtt_decode(five, sizeof(five), 1u << 30, &pkt, &used, &err), -1);
	assert_int_equal(err.code, RS_ERR_PARSE);
}

static void test_malformed_table(void **state)
{
	static const struct { const char *name; unsigned char b[24]; size_t n; } bad[] = {
		{ "reserved type 0", { 0x00, 0x00 }, 2 },
		{ "PUBREC not in the subset", { 0x50, 0x02, 0, 1 }, 4 },
		{ "SUBSCRIBE flags 0", { 0x80, 0x05, 0, 1, 0, 0, 0 }, 7 },
		{ "PINGREQ with body", { 0xc0, 0x01, 0 }, 3 },
		{ "PINGREQ with flags", { 0xc1, 0x00 }, 2 },
		{ "PUBLISH QoS 3", { 0x36, 0x03, 0, 1, 'a' }, 5 },
		{ "PUBLISH empty topic", { 0x30, 0x02, 0, 0 }, 4 },
		{ "PUBLISH wildcard topic", { 0x30, 0x03, 0, 1, '#' }, 5 },
		{ "PUBLISH packet id 0", { 0x32, 0x05, 0, 1, 'a', 0, 0 }, 7 },
		{ "PUBLISH DUP at QoS 0", { 0x38, 0x03, 0, 1, 'a' }, 5 },
		{ "topic with NUL", { 0x30, 0x04, 0, 2, 'a', 0 }, 6 },
		{ "topic bad UTF-8", { 0x30, 0x04, 0, 2, 0xc0, 0x80 }, 6 },
		{ "topic surrogate", { 0x30, 0x05, 0, 3, 0xed, 0xa0, 0x80 }, 7 },
		{ "string longer than packet", { 0x30, 0x03, 0, 9, 'a' }, 5 },
		{ "CONNECT reserved flag", { 0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x01, 0, 60, 0, 0 }, 14 },
		{ "CONNECT password only", { 0x10, 0x0e, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x40, 0, 60, 0, 0, 0, 0 }, 16 },
		{ "CONNECT trailing byte", { 0x10, 0x0d, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 0, 9 }, 15 },
		{ "CONNECT will QoS without will", { 0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x08, 0, 60, 0, 0 }, 14 },
		{ "CONNACK bad flags", { 0x20, 0x02, 0x02, 0 }, 4 },
		{ "CONNACK code 6", { 0x20, 0x02, 0, 6 }, 4 },
		{ "SUBSCRIBE QoS 3", { 0x82, 0x06, 0, 1, 0, 1, 'a', 3 }, 8 },
		{ "SUBSCRIBE no topics", { 0x82, 0x02, 0, 1 }, 4 },
		{ "SUBACK bad code", { 0x90, 0x03, 0, 1, 3 }, 5 },
		{ "non-minimal length", { 0xc0, 0x80, 0x00 }, 3 },
	};
	struct rs_mqtt_packet pkt;
	struct rs_error err;
	size_t i, used;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(bad); i++)
		if (rs_mqtt_decode(bad[i].b, bad[i].n, 65536, &pkt, &used, &err) != -1)
			fail_msg("accepted: %s", bad[i].name);
}

static void test_ping_and_pipelined(void **state)
{
	static const unsigned char two[] = { 0xc0, 0x00, 0xe0, 0x00 };
	struct rs_mqtt_packet pkt;
	struct rs_error err;
	size_t used;

	(void)state;
	assert_int_equal(rs_mqtt_decode(two, sizeof(two), 64, &pkt, &used, &err), 1);
	assert_int_equal(pkt.type, RS_MQTT_PINGREQ);
	assert_int_equal(used, 2);
	assert_int_equal(rs_mqtt_decode(two + 2, 2, 64, &pkt, &used, &err), 1);
	assert_int_equal(pkt.type, RS_MQTT_DISCONNECT);
	assert_string_equal(rs_mqtt_type_name(RS_MQTT_SUBACK), "SUBACK");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect),        cmocka_unit_test(test_publish_subscribe),
		cmocka_unit_test(test_limits),         cmocka_unit_test(test_malformed_table),
		cmocka_unit_test(test_ping_and_pipelined),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
