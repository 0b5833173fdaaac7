/* test_probe_steps.c: the probe's step after TLS (lib/probe/steps.c) over a socketpair: the server's answer is
 * written into the other end before the step runs (the client speaks first, and its bytes wait in the buffer), so
 * each case is a table row of bytes in and a verdict out: IoT Hub MQTT (CONNACK), DPS over MQTT (res/{status}),
 * HTTPS (the status line) and AMQP (the header and the SASL mechanisms). No ports, no TLS, no threads. */
#include "rs_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe.h"

#define CONNACK(rc) "\x20\x02\x00" rc
#define SUBACK "\x90\x03\x00\x01\x01"
/* PUBLISH (QoS 0) on $dps/registrations/res/401/?$rid=1 with the body {} */
#define RES(status) "\x30\x26\x00\x22$dps/registrations/res/" status "/?$rid=1{}"

struct row {
	enum rs_probe_protocol proto;
	const char *answer;
	size_t len;       /* 0: strlen(answer) */
	int close_after;  /* the server closes its side after the answer */
	const char *code; /* rs_probe_code_name of the verdict */
	int status;       /* the result's status */
	const char *message; /* a part of the result's message */
	const char *sent; /* a part of what the client sent, or NULL */
};

static const struct row rows[] = {
	{ RS_PROTO_TLS, "", 0, 0, "ok", -1, "TLS handshake and verification succeeded", NULL },
	{ RS_PROTO_MQTT, CONNACK("\x00"), 4, 0, "ok", 0, "CONNACK 0 (accepted)", "\xe0\x00" /* DISCONNECT */ },
	{ RS_PROTO_MQTT, CONNACK("\x05"), 4, 0, "ok-auth-rejected", 5, "CONNACK 5 (not authorized)", "dev-1" },
	{ RS_PROTO_MQTT, CONNACK("\x04"), 4, 0, "ok-auth-rejected", 4, "bad user name or password", NULL },
	{ RS_PROTO_MQTT, CONNACK("\x02"), 4, 0, "protocol-error", 2, "CONNACK 2 (identifier rejected)", NULL },
	{ RS_PROTO_MQTT, CONNACK("\x09"), 4, 0, "protocol-error", -1, "no CONNACK: malformed", NULL },
	{ RS_PROTO_MQTT, "", 0, 1, "closed-by-peer", -1, "closed the connection before CONNACK", NULL },
	{ RS_PROTO_MQTT, SUBACK, 5, 1, "protocol-error", -1, "no CONNACK: SUBACK", NULL },
	{ RS_PROTO_MQTT, "\xff\xff\xff\xff\xff", 0, 1, "protocol-error", -1, "no CONNACK", NULL },
	{ RS_PROTO_DPS_MQTT, CONNACK("\x00") SUBACK RES("401"), 4 + 5 + 40, 0, "ok-auth-rejected", 401, "DPS answered 401",
	  "iotdps-register" },
	{ RS_PROTO_DPS_MQTT, CONNACK("\x00") RES("202"), 4 + 40, 0, "ok", 202, "DPS answered 202", NULL },
	{ RS_PROTO_DPS_MQTT, CONNACK("\x00") RES("500"), 4 + 40, 0, "protocol-error", 500, "DPS answered 500", NULL },
	{ RS_PROTO_DPS_MQTT, CONNACK("\x05"), 4, 0, "ok-auth-rejected", 5, "CONNACK 5", NULL },
	{ RS_PROTO_DPS_MQTT, CONNACK("\x00"), 4, 1, "closed-by-peer", 0, "no DPS registration response", NULL },
	{ RS_PROTO_HTTPS, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", 0, 0, "ok-auth-rejected", 401, "HTTP 401",
	  "Authorization: SharedAccessSignature sr=x" },
	{ RS_PROTO_HTTPS, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", 0, 0, "ok", 204, "HTTP 204", "POST /p " },
	{ RS_PROTO_HTTPS, "HTTP/1.1 500 Oops\r\n\r\n{\"e\":1}", 0, 1, "protocol-error", 500, "HTTP 500", NULL },
	{ RS_PROTO_HTTPS, "SSH-2.0-OpenSSH\r\n", 0, 1, "protocol-error", -1, "the answer is not HTTP", NULL },
	{ RS_PROTO_HTTPS, "", 0, 1, "closed-by-peer", -1, "no HTTP response", NULL },
	/* the AMQP SASL header, then a sasl-mechanisms frame offering MSSBCBS (a symbol array of one) */
	{ RS_PROTO_AMQP,
	  "AMQP\x03\x01\x00\x00"
	  "\x00\x00\x00\x1a\x02\x01\x00\x00\x00\x53\x40\xc0\x0d\x01\xe0\x0a\x01\xa3\x07MSSBCBS",
	  8 + 26, 1, "ok", 3, "AMQP header exchanged; SASL mechanisms: MSSBCBS", "AMQP" },
	{ RS_PROTO_AMQP, "AMQP\x00\x01\x00\x00", 8, 1, "protocol-error", 0, "the server answered AMQP 0.1.0.0", NULL },
	{ RS_PROTO_AMQP, "HTTP/1.1 400 Bad\r\n\r\n", 0, 1, "protocol-error", -1, "no AMQP header in the answer", NULL },
	{ RS_PROTO_AMQP, "", 0, 1, "closed-by-peer", -1, "no AMQP header in the answer", NULL },
};

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(hay + i, needle, k))
			return 1;
	return 0;
}

/* What the client sent: everything waiting at the server's end, NULs kept. */
static size_t drain(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t n;

	while (got < cap && (n = recv(fd, buf + got, cap - got, MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	return got;
}

static void run_row(const struct row *w, size_t i)
{
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_probe_result *r = calloc(1, sizeof(*r));
	struct rs_stream s;
	char sent[8192];
	size_t len = w->len ? w->len : strlen(w->answer), n;
	int sv[2];

	assert_non_null(o);
	assert_non_null(r);
	r->status = -1;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], w->answer, len), (ssize_t)len);
	if (w->close_after)
		shutdown(sv[1], SHUT_WR);
	rs_stream_init(&s, NULL, NULL, 0, 2000);
	s.fd = sv[0];
	o->protocol = w->proto;
	o->transcript = 1;
	o->host = strdup("hub.example");
	o->client_id = strdup("dev-1");
	o->username = strdup("hub.example/dev-1/?api-version=2021-04-12");
	o->password = strdup("SharedAccessSignature sr=x");
	o->http_method = strdup("POST");
	o->http_path = strdup("/p");
	rs_probe_step(o, &s, r);
	if (strcmp(rs_probe_code_name(r->code), w->code) || r->status != w->status || !strstr(r->message, w->message))
		fail_msg("row %zu: %s %d '%s', want %s %d '%s'", i, rs_probe_code_name(r->code), r->status, r->message,
			 w->code, w->status, w->message);
	n = drain(sv[1], sent, sizeof(sent));
	if (w->sent && !contains(sent, n, w->sent))
		fail_msg("row %zu: the client did not send '%s'", i, w->sent);
	if (w->proto != RS_PROTO_TLS)
		assert_non_null(r->transcript.data); /* every step notes what it sent */
	close(sv[1]);
	rs_stream_close(&s);
	rs_probe_result_free(r);
	rs_probe_opts_free(o);
}

static void test_steps(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		run_row(&rows[i], i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
