/* ws.c: WebSocket framing (RFC 6455), strict and bounded; the handshake's accept key. */
#include "../internal.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

int rs_ws_accept(struct rs_span key, char out[29], struct rs_error *err)
{
	unsigned char md[SHA_DIGEST_LENGTH], buf[128];

	/* the key is base64 of 16 bytes: 24 characters */
	if (key.len != 24)
		return rs_fail(err, RS_ERR_PARSE, "Sec-WebSocket-Key is not 24 characters");
	memcpy(buf, key.ptr, key.len);
	memcpy(buf + key.len, WS_GUID, sizeof(WS_GUID) - 1);
	if (!SHA1(buf, key.len + sizeof(WS_GUID) - 1, md)) /* NULL when OpenSSL cannot allocate its context */
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	EVP_EncodeBlock((unsigned char *)out, md, sizeof(md));
	return 0;
}

static int bad(struct rs_error *err, const char *what)
{
	return rs_fail(err, RS_ERR_PARSE, "malformed WebSocket frame: %s", what);
}

int rs_ws_decode(const unsigned char *buf, size_t len, size_t max_payload, struct rs_ws_frame *f, size_t *used,
		 struct rs_error *err)
{
	size_t hdr = 2, n;
	unsigned op;

	if (len < 2)
		return 0;
	op = buf[0] & 0x0f;
	if (buf[0] & 0x70)
		return bad(err, "reserved bits are set");
	if (!(op <= 2 || (op >= 8 && op <= 10)))
		return bad(err, "unknown opcode");
	n = buf[1] & 0x7f;
	if (op >= 8 && (n > 125 || !(buf[0] & 0x80)))
		return bad(err, "control frame is fragmented or longer than 125 bytes");
	if (n == 126) {
		if (len < 4)
			return 0;
		n = (size_t)buf[2] << 8 | buf[3];
		hdr = 4;
		if (n < 126)
			return bad(err, "length is not minimally encoded");
	} else if (n == 127) {
		uint64_t v = 0;
		if (len < 10)
			return 0;
		for (int i = 2; i < 10; i++)
			v = v << 8 | buf[i];
		if (v >> 63)
			return bad(err, "length has its top bit set");
		if (v < 65536)
			return bad(err, "length is not minimally encoded");
		if (v > max_payload)
			return rs_fail(err, RS_ERR_LIMIT, "WebSocket frame of %llu bytes is over the limit of %zu",
				       (unsigned long long)v, max_payload);
		n = (size_t)v;
		hdr = 10;
	}
	if (n > max_payload)
		return rs_fail(err, RS_ERR_LIMIT, "WebSocket frame of %zu bytes is over the limit of %zu", n, max_payload);
	memset(f, 0, sizeof(*f));
	f->masked = !!(buf[1] & 0x80);
	if (f->masked) {
		if (len < hdr + 4)
			return 0;
		memcpy(f->mask, buf + hdr, 4);
		hdr += 4;
	}
	if (len - hdr < n)
		return 0;
	f->fin = !!(buf[0] & 0x80);
	f->opcode = (enum rs_ws_opcode)op;
	f->payload_len = n;
	f->payload = buf + hdr;
	*used = hdr + n;
	return 1;
}

void rs_ws_unmask(unsigned char *data, size_t len, const unsigned char mask[4], size_t offset)
{
	for (size_t i = 0; i < len; i++)
		data[i] ^= mask[(offset + i) & 3];
}

size_t rs_ws_header(enum rs_ws_opcode opcode, size_t payload_len, const unsigned char *mask, unsigned char out[14])
{
	size_t n = 2;

	out[0] = (unsigned char)(0x80 | (opcode & 0x0f));
	if (payload_len < 126) {
		out[1] = (unsigned char)payload_len;
	} else if (payload_len < 65536) {
		out[1] = 126;
		out[2] = (unsigned char)(payload_len >> 8);
		out[3] = (unsigned char)payload_len;
		n = 4;
	} else {
		out[1] = 127;
		for (int i = 0; i < 8; i++)
			out[2 + i] = (unsigned char)((uint64_t)payload_len >> (56 - 8 * i));
		n = 10;
	}
	if (mask) {
		out[1] |= 0x80;
		memcpy(out + n, mask, 4);
		n += 4;
	}
	return n;
}
