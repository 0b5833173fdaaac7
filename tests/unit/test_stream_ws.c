/* test_stream_ws.c: the probe's WebSocket client layer (lib/net/stream_ws.c) over a socketpair, the server side
 * played by a child process: the opening handshake (RFC 6455 4.1: the Sec-WebSocket-Accept checked), data that
 * follows the 101 in the same read, masked client frames, control frames skipped, a close; and the failures: a
 * refused upgrade, a wrong accept, a server that hangs up, a malformed frame. No ports, no network. */
#include "rs_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/stream.h"

enum script { GOOD, REFUSED, WRONG_ACCEPT, HANG_UP, MALFORMED };

static void put(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			_exit(3);
		p += n;
		len -= (size_t)n;
	}
}

static void put_frame(int fd, enum rs_ws_opcode op, const char *payload)
{
	unsigned char hdr[14];
	size_t n = strlen(payload), hl = rs_ws_header(op, n, NULL, hdr);

	put(fd, hdr, hl);
	put(fd, payload, n);
}

/* Reads the upgrade request; returns its Sec-WebSocket-Key's accept value. */
static void read_request(int fd, char accept[29])
{
	char req[2048] = { 0 }, *k;
	size_t got = 0;

	while (!strstr(req, "\r\n\r\n")) {
		ssize_t n = read(fd, req + got, sizeof(req) - 1 - got);
		if (n <= 0)
			_exit(4);
		got += (size_t)n;
	}
	if (strncmp(req, "GET /$iothub/websocket HTTP/1.1\r\n", 33) || !strstr(req, "Sec-WebSocket-Protocol: mqtt\r\n") ||
	    !(k = strstr(req, "Sec-WebSocket-Key: ")))
		_exit(5);
	k += 19;
	if (rs_ws_accept((struct rs_span){ k, strcspn(k, "\r\n") }, accept, NULL) < 0)
		_exit(6);
}

/* The client's next frame: masked, binary; its payload unmasked into out. */
static void read_frame(int fd, char *out, size_t cap)
{
	unsigned char buf[512];
	size_t got = 0, used;
	struct rs_ws_frame f;
	int rv;

	while ((rv = rs_ws_decode(buf, got, sizeof(buf), &f, &used, NULL)) == 0) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);
		if (n <= 0)
			_exit(7);
		got += (size_t)n;
	}
	if (rv < 0 || !f.masked || f.opcode != RS_WS_BINARY || f.payload_len >= cap)
		_exit(8);
	memcpy(out, f.payload, f.payload_len);
	rs_ws_unmask((unsigned char *)out, f.payload_len, f.mask, 0);
	out[f.payload_len] = '\0';
}

static void server(int fd, enum script how)
{
	char accept[29], head[256], echo[256];

	read_request(fd, accept);
	if (how == HANG_UP)
		_exit(0);
	if (how == REFUSED) {
		put(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 47);
		_exit(0);
	}
	snprintf(head, sizeof(head),
		 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		 "sec-websocket-accept: %s\r\n\r\n",
		 how == WRONG_ACCEPT ? "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" : accept);
	if (how == GOOD) { /* the first frame in the same write as the head: kept for the first read */
		unsigned char hdr[14];
		size_t n = strlen(head), hl = rs_ws_header(RS_WS_BINARY, 5, NULL, hdr);
		memcpy(head + n, hdr, hl);
		memcpy(head + n + hl, "hello", 5);
		put(fd, head, n + hl + 5);
	} else
		put(fd, head, strlen(head));
	if (how == MALFORMED) {
		put(fd, "\xf2\x00", 2); /* reserved bits set */
		_exit(0);
	}
	if (how != GOOD)
		_exit(0);
	read_frame(fd, echo, sizeof(echo));
	put_frame(fd, RS_WS_BINARY, echo);
	put_frame(fd, RS_WS_PING, "p"); /* a control frame: no data for the reader */
	put_frame(fd, RS_WS_TEXT, "bye");
	put_frame(fd, RS_WS_CLOSE, "");
	_exit(0);
}

/* Runs the client side against a child playing how; returns the upgrade's result, the stream left open in s. */
static int start(struct rs_stream *s, enum script how, pid_t *pid)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		close(sv[0]);
		server(sv[1], how);
	}
	close(sv[1]);
	rs_stream_init(s, NULL, NULL, 0, 5000);
	s->fd = sv[0];
	return rs_stream_ws_upgrade(s, "hub.example", "/$iothub/websocket", "mqtt");
}

static void finish(struct rs_stream *s, pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid); /* first: the server writes all it has before the close */
	rs_stream_close(s);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_ws_exchange(void **state)
{
	struct rs_stream s;
	char buf[64];
	pid_t pid;

	(void)state;
	assert_int_equal(start(&s, GOOD, &pid), 0);
	assert_int_equal(s.ws, 1);
	assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(rs_stream_write(&s, "abc", 3), 0);
	assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(rs_stream_read(&s, buf, 2), -1); /* "bye" does not fit in 2 bytes */
	assert_non_null(strstr(s.message, "larger than the read buffer"));
	finish(&s, pid);
}

static void test_ws_close(void **state)
{
	struct rs_stream s;
	char buf[64];
	pid_t pid;

	(void)state;
	assert_int_equal(start(&s, GOOD, &pid), 0);
	assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), 5);
	assert_int_equal(rs_stream_write(&s, "x", 1), 0);
	assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), 1);
	assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), 3); /* the ping skipped */
	assert_memory_equal(buf, "bye", 3);
	assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), 0); /* the close frame */
	finish(&s, pid);
}

static void test_ws_failures(void **state)
{
	static const struct {
		enum script how;
		int upgrade;
		const char *message;
	} cases[] = {
		{ REFUSED, -1, "the WebSocket upgrade was refused: HTTP/1.1 400 Bad Request" },
		{ WRONG_ACCEPT, -1, "wrong Sec-WebSocket-Accept" },
		{ HANG_UP, -1, "closed the connection during the WebSocket upgrade" },
		{ MALFORMED, 0, "malformed WebSocket frame" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rs_stream s;
		char buf[16];
		pid_t pid;

		assert_int_equal(start(&s, cases[i].how, &pid), cases[i].upgrade);
		if (cases[i].upgrade == 0)
			assert_int_equal(rs_stream_read(&s, buf, sizeof(buf)), -1);
		if (!strstr(s.message, cases[i].message))
			fail_msg("case %zu: '%s' lacks '%s'", i, s.message, cases[i].message);
		assert_int_equal(s.fail, RS_NET_CLOSED);
		finish(&s, pid);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ws_exchange),
		cmocka_unit_test(test_ws_close),
		cmocka_unit_test(test_ws_failures),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
