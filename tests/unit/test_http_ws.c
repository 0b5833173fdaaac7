/* test_http_ws.c: HTTP request heads and WebSocket framing, as the lab's MQTT-over-WebSockets endpoint uses them. */
#include "rs_test.h"

#include <stdio.h>
#include <string.h>

#define UPGRADE                                                                                                  \
	"GET /$iothub/websocket?iothub-no-client-cert=true HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"  \
	"Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"                       \
	"Sec-WebSocket-Protocol: MQTT\r\nSec-WebSocket-Version: 13\r\n\r\n"

static void test_http_upgrade(void **state)
{
	struct rs_http_request req;
	struct rs_error err;
	const struct rs_span *key;
	char accept[29];
	size_t used, i;

	(void)state;
	for (i = 0; i < strlen(UPGRADE); i++)
		assert_int_equal(rs_http_parse_request(UPGRADE, i, 4096, &req, &used, &err), 0);
	assert_int_equal(rs_http_parse_request(UPGRADE "junk", strlen(UPGRADE) + 4, 4096, &req, &used, &err), 1);
	assert_int_equal(used, strlen(UPGRADE));
	assert_true(rs_span_eq_ci(req.method, "GET"));
	assert_int_equal(req.minor_version, 1);
	assert_int_equal(req.target.len, strlen("/$iothub/websocket?iothub-no-client-cert=true"));
	assert_true(rs_http_header_has_token(&req, "connection", "upgrade"));
	assert_false(rs_http_header_has_token(&req, "connection", "close"));
	assert_true(rs_span_eq_ci(*rs_http_header(&req, "SEC-WEBSOCKET-PROTOCOL"), "mqtt"));
	assert_non_null(key = rs_http_header(&req, "Sec-WebSocket-Key"));
	/* RFC 6455 section 1.3's example */
	assert_int_equal(rs_ws_accept(*key, accept, &err), 0);
	assert_string_equal(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	assert_null(rs_http_header(&req, "Content-Length"));
}

static void test_http_bad(void **state)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\nHost: x\n\n",           "GET / HTTP/2.0\r\n\r\n",
		"GET  / HTTP/1.1\r\n\r\n",               "G(T / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\n folded\r\n\r\n",      "GET / HTTP/1.1\r\nHost x\r\n\r\n",
		"GET / HTTP/1.1\r\nHo st: x\r\n\r\n",     "GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n",
		"\r\n",                                   "GET /\x7f HTTP/1.1\r\n\r\n",
	};
	struct rs_http_request req;
	struct rs_error err;
	size_t used, i, n;
	char many[4096];

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(bad); i++)
		if (rs_http_parse_request(bad[i], strlen(bad[i]), 4096, &req, &used, &err) != -1)
			fail_msg("accepted: %s", bad[i]);
	n = (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "X: y\r\n");
	snprintf(many + n, sizeof(many) - n, "\r\n");
	assert_int_equal(rs_http_parse_request(many, strlen(many), 4096, &req, &used, &err), -1);
	assert_int_equal(err.code, RS_ERR_LIMIT);
	assert_int_equal(rs_http_parse_request("GET / HTTP/1.1\r\nX: yyyyyyyy", 28, 20, &req, &used, &err), -1);
	assert_int_equal(err.code, RS_ERR_LIMIT);
}

static void test_ws_frames(void **state)
{
	static const unsigned char mask[4] = { 1, 2, 3, 4 };
	unsigned char buf[70000 + 14], payload[70000];
	struct rs_ws_frame f;
	struct rs_error err;
	size_t sizes[] = { 0, 125, 126, 65535, 65536, 70000 }, i, used, h;

	(void)state;
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)i;
	for (i = 0; i < RS_ARRAY_LEN(sizes); i++) {
		h = rs_ws_header(RS_WS_BINARY, sizes[i], mask, buf);
		memcpy(buf + h, payload, sizes[i]);
		rs_ws_unmask(buf + h, sizes[i], mask, 0);
		assert_int_equal(rs_ws_decode(buf, h + sizes[i] - (sizes[i] ? 1 : 0), 1 << 20, &f, &used, &err),
				 sizes[i] ? 0 : 1);
		assert_int_equal(rs_ws_decode(buf, h + sizes[i], 1 << 20, &f, &used, &err), 1);
		assert_int_equal(used, h + sizes[i]);
		assert_int_equal(f.payload_len, sizes[i]);
		assert_true(f.masked && f.fin);
		assert_int_equal(f.opcode, RS_WS_BINARY);
		rs_ws_unmask((unsigned char *)f.payload, f.payload_len, f.mask, 0);
		assert_memory_equal(f.payload, payload, sizes[i]);
	}
	/* a 2^62-byte frame is refused from its header alone */
	static const unsigned char huge[] = { 0x82, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0 };
	assert_int_equal(rs_ws_decode(huge, sizeof(huge), 1 << 20, &f, &used, &err), -1);
	assert_int_equal(err.code, RS_ERR_LIMIT);
}

static void test_ws_bad(void **state)
{
	static const struct { const char *name; unsigned char b[12]; size_t n; } bad[] = {
		{ "RSV1 set", { 0xc2, 0x00 }, 2 },
		{ "opcode 3", { 0x83, 0x00 }, 2 },
		{ "fragmented ping", { 0x09, 0x00 }, 2 },
		{ "long close", { 0x88, 126, 0, 126 }, 4 },
		{ "non-minimal 16-bit length", { 0x82, 126, 0, 5 }, 4 },
		{ "non-minimal 64-bit length", { 0x82, 127, 0, 0, 0, 0, 0, 0, 1, 0 }, 10 },
		{ "64-bit length top bit", { 0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0 }, 10 },
	};
	struct rs_ws_frame f;
	struct rs_error err;
	size_t used, i;

	(void)state;
	for (i = 0; i < RS_ARRAY_LEN(bad); i++)
		if (rs_ws_decode(bad[i].b, bad[i].n, 1 << 20, &f, &used, &err) != -1)
			fail_msg("accepted: %s", bad[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_upgrade), cmocka_unit_test(test_http_bad),
		cmocka_unit_test(test_ws_frames),    cmocka_unit_test(test_ws_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
