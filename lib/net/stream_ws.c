/*
 * stream_ws.c: a WebSocket client layer over a stream, for MQTT over WebSockets (IoT Hub and DPS serve it on
 * /$iothub/websocket with subprotocol "mqtt", azure-iot-facts.md 3.2). RFC 6455: the opening handshake (4.1),
 * masked client frames (5.3), and the server's frames decoded with rs_ws_decode.
 */
#include "stream.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WS_MAX_HEAD 8192
#define WS_MAX_PAYLOAD (1u << 20)

static int ws_write(struct rs_stream *s, const void *buf, size_t len);
static long ws_read(struct rs_stream *s, void *buf, size_t cap);

static int ws_fail(struct rs_stream *s, const char *msg)
{
	s->fail = RS_NET_CLOSED;
	snprintf(s->message, sizeof(s->message), "%s", msg);
	return -1;
}

static int keep_rest(struct rs_stream *s, const char *rest, size_t n)
{
	if (n == 0)
		return 0;
	s->wsbuf = malloc(n);
	if (!s->wsbuf)
		return ws_fail(s, "out of memory");
	memcpy(s->wsbuf, rest, n);
	s->wslen = s->wscap = n;
	return 0;
}

/* Reads the response head; what follows it is already WebSocket data and is kept. */
static int read_head(struct rs_stream *s, char *head, size_t cap, size_t *head_len)
{
	size_t got = 0;
	char *end;

	while (got < cap - 1) {
		long n = rs_stream_raw_read(s, head + got, cap - 1 - got);
		if (n <= 0)
			return ws_fail(s, n == 0 ? "the server closed the connection during the WebSocket upgrade"
						 : "no answer to the WebSocket upgrade");
		got += (size_t)n;
		head[got] = '\0';
		if ((end = strstr(head, "\r\n\r\n")) != NULL) {
			*head_len = (size_t)(end + 4 - head);
			return keep_rest(s, end + 4, got - *head_len);
		}
	}
	return ws_fail(s, "the WebSocket upgrade answer is too long");
}

/* The value of header name in a response head, copied into out ("" when absent). */
static void header_value(const char *head, const char *name, char *out, size_t size)
{
	const char *p = head;
	size_t n = strlen(name);

	out[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			p += n + 1;
			p += strspn(p, " \t");
			snprintf(out, size, "%.*s", (int)strcspn(p, "\r\n"), p);
			return;
		}
	}
}

int rs_stream_ws_upgrade(struct rs_stream *s, const char *host, const char *path, const char *subprotocol)
{
	unsigned char nonce[16];
	char key[32], req[1024], head[WS_MAX_HEAD], accept[29], got[64];
	struct rs_span kspan;
	size_t head_len = 0;

	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		return ws_fail(s, "no random bytes for the WebSocket key");
	EVP_EncodeBlock((unsigned char *)key, nonce, sizeof(nonce));
	snprintf(req, sizeof(req),
		 "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
		 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n\r\n",
		 path, host, key, subprotocol);
	if (rs_stream_raw_write(s, req, strlen(req)) < 0 || read_head(s, head, sizeof(head), &head_len) < 0)
		return -1;
	if (rs_http_status_line(head, head_len) != 101) {
		snprintf(s->message, sizeof(s->message), "the WebSocket upgrade was refused: %.*s", (int)strcspn(head, "\r\n"), head);
		s->fail = RS_NET_CLOSED;
		return -1;
	}
	kspan.ptr = key;
	kspan.len = strlen(key);
	header_value(head, "Sec-WebSocket-Accept", got, sizeof(got));
	if (rs_ws_accept(kspan, accept, NULL) < 0 || strcmp(got, accept))
		return ws_fail(s, "the WebSocket upgrade answer has a wrong Sec-WebSocket-Accept");
	s->ws = 1;
	s->layer_write = ws_write;
	s->layer_read = ws_read;
	return 0;
}

static int ws_write(struct rs_stream *s, const void *buf, size_t len)
{
	unsigned char hdr[14], mask[4], *masked;
	size_t hl;
	int rv;

	if (RAND_bytes(mask, sizeof(mask)) != 1 || !(masked = malloc(len ? len : 1)))
		return ws_fail(s, "cannot make a WebSocket frame");
	memcpy(masked, buf, len);
	rs_ws_unmask(masked, len, mask, 0);
	hl = rs_ws_header(RS_WS_BINARY, len, mask, hdr);
	rv = rs_stream_raw_write(s, hdr, hl) < 0 ? -1 : rs_stream_raw_write(s, masked, len);
	free(masked);
	return rv;
}

static int ws_fill(struct rs_stream *s)
{
	long n;

	if (s->wslen == s->wscap) {
		size_t cap = s->wscap ? s->wscap * 2 : 4096;
		unsigned char *p;
		if (cap > WS_MAX_PAYLOAD + 14)
			return ws_fail(s, "WebSocket frame too large");
		if (!(p = realloc(s->wsbuf, cap)))
			return ws_fail(s, "out of memory");
		s->wsbuf = p;
		s->wscap = cap;
	}
	n = rs_stream_raw_read(s, s->wsbuf + s->wslen, s->wscap - s->wslen);
	if (n > 0)
		s->wslen += (size_t)n;
	return n > 0 ? 1 : (int)n;
}

/* Returns the payload of the next data frame, up to cap bytes (a larger frame is a protocol error here: MQTT
 * packets of the probe's subset fit); 0 on close. */
static long ws_read(struct rs_stream *s, void *buf, size_t cap)
{
	for (;;) {
		struct rs_ws_frame f;
		struct rs_error err;
		size_t used = 0;
		int rv = s->wslen ? rs_ws_decode(s->wsbuf, s->wslen, WS_MAX_PAYLOAD, &f, &used, &err) : 0;
		long n;

		if (rv < 0)
			return ws_fail(s, "the server sent a malformed WebSocket frame");
		if (rv == 0) {
			if ((rv = ws_fill(s)) <= 0)
				return rv;
			continue;
		}
		if (f.opcode == RS_WS_CLOSE)
			return 0;
		if (f.payload_len > cap)
			return ws_fail(s, "WebSocket frame larger than the read buffer");
		memcpy(buf, f.payload, f.payload_len);
		if (f.masked)
			rs_ws_unmask(buf, f.payload_len, f.mask, 0);
		n = (f.opcode == RS_WS_BINARY || f.opcode == RS_WS_CONTINUATION || f.opcode == RS_WS_TEXT) ? (long)f.payload_len : 0;
		memmove(s->wsbuf, s->wsbuf + used, s->wslen - used);
		s->wslen -= used;
		if (n > 0)
			return n;
	}
}
