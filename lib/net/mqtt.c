/* mqtt.c: the MQTT 3.1.1 subset IoT Hub and DPS use. Strict and bounded: every length is checked against what
 * remains, reserved bits must be as the standard says, and nothing is allocated. */
#include "../internal.h"

#include <string.h>

/* A cursor over one packet's variable header and payload. */
struct rd {
	const unsigned char *p;
	size_t left;
	int bad;
};

static unsigned rd_u8(struct rd *r)
{
	if (r->left < 1) {
		r->bad = 1;
		return 0;
	}
	r->left--;
	return *r->p++;
}

static unsigned rd_u16(struct rd *r)
{
	unsigned hi = rd_u8(r);
	return hi << 8 | rd_u8(r);
}

/* Well-formed UTF-8 without U+0000, overlongs or surrogates (MQTT-1.5.3). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, extra;
	unsigned long cp;

	while (i < n) {
		unsigned char c = s[i++];
		if (c == 0)
			return 0;
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf)
			extra = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			extra = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			extra = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i < extra)
			return 0;
		for (k = 0; k < extra; k++, i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

static struct rs_mqtt_str rd_bytes(struct rd *r, size_t n)
{
	struct rs_mqtt_str s = { NULL, 0 };

	if (r->bad || r->left < n) {
		r->bad = 1;
		return s;
	}
	s.ptr = (const char *)r->p;
	s.len = n;
	r->p += n;
	r->left -= n;
	return s;
}

static struct rs_mqtt_str rd_str(struct rd *r, int utf8)
{
	size_t n = rd_u16(r);
	struct rs_mqtt_str s = rd_bytes(r, n);

	if (!r->bad && utf8 && !utf8_ok((const unsigned char *)s.ptr, s.len))
		r->bad = 1;
	return s;
}

static int bad(struct rs_error *err, const char *what)
{
	return rs_fail(err, RS_ERR_PARSE, "malformed MQTT packet: %s", what);
}

static int dec_connect(struct rd *r, struct rs_mqtt_packet *pkt, struct rs_error *err)
{
	unsigned flags;

	pkt->protocol_name = rd_str(r, 1);
	pkt->protocol_level = (int)rd_u8(r);
	flags = rd_u8(r);
	pkt->keep_alive = (int)rd_u16(r);
	if (r->bad)
		return bad(err, "CONNECT header is truncated");
	if (flags & 0x01)
		return bad(err, "CONNECT reserved flag is set");
	pkt->clean_session = !!(flags & 0x02);
	pkt->has_will = !!(flags & 0x04);
	pkt->will_qos = (int)(flags >> 3 & 3);
	pkt->will_retain = !!(flags & 0x20);
	pkt->has_password = !!(flags & 0x40);
	pkt->has_username = !!(flags & 0x80);
	if (!pkt->has_will && (pkt->will_qos || pkt->will_retain))
		return bad(err, "CONNECT will flags without a will");
	if (pkt->will_qos == 3)
		return bad(err, "CONNECT will QoS is 3");
	if (pkt->has_password && !pkt->has_username)
		return bad(err, "CONNECT password without a user name");
	pkt->client_id = rd_str(r, 1);
	if (pkt->has_will) {
		pkt->will_topic = rd_str(r, 1);
		pkt->will_message = rd_str(r, 0);
	}
	if (pkt->has_username)
		pkt->username = rd_str(r, 1);
	if (pkt->has_password)
		pkt->password = rd_str(r, 0);
	if (r->bad || r->left)
		return bad(err, "CONNECT payload does not match its flags");
	return 0;
}

static int dec_publish(struct rd *r, unsigned flags, struct rs_mqtt_packet *pkt, struct rs_error *err)
{
	pkt->dup = !!(flags & 8);
	pkt->qos = (int)(flags >> 1 & 3);
	pkt->retain = !!(flags & 1);
	if (pkt->qos == 3)
		return bad(err, "PUBLISH QoS is 3");
	if (pkt->qos == 0 && pkt->dup)
		return bad(err, "PUBLISH DUP set at QoS 0");
	pkt->topic = rd_str(r, 1);
	if (pkt->qos)
		pkt->packet_id = rd_u16(r);
	if (r->bad)
		return bad(err, "PUBLISH header is truncated");
	if (pkt->topic.len == 0 || memchr(pkt->topic.ptr, '+', pkt->topic.len) || memchr(pkt->topic.ptr, '#', pkt->topic.len))
		return bad(err, "PUBLISH topic is empty or has a wildcard");
	if (pkt->qos && pkt->packet_id == 0)
		return bad(err, "PUBLISH packet id is 0");
	pkt->payload = r->p;
	pkt->payload_len = r->left;
	r->left = 0;
	return 0;
}

/* SUBSCRIBE (with_qos) and UNSUBSCRIBE. */
static int dec_topics(struct rd *r, int with_qos, struct rs_mqtt_packet *pkt, struct rs_error *err)
{
	pkt->packet_id = rd_u16(r);
	if (r->bad || pkt->packet_id == 0)
		return bad(err, "packet id is missing or 0");
	while (r->left) {
		if (pkt->topic_count == RS_MQTT_MAX_TOPICS)
			return rs_fail(err, RS_ERR_LIMIT, "MQTT packet has more than %d topic filters",
				       RS_MQTT_MAX_TOPICS);
		pkt->topics[pkt->topic_count] = rd_str(r, 1);
		if (with_qos)
			pkt->qos_list[pkt->topic_count] = (int)rd_u8(r);
		if (r->bad || pkt->topics[pkt->topic_count].len == 0)
			return bad(err, "topic filter is truncated or empty");
		if (with_qos && pkt->qos_list[pkt->topic_count] > 2)
			return bad(err, "requested QoS is not 0, 1 or 2");
		pkt->topic_count++;
	}
	if (pkt->topic_count == 0)
		return bad(err, "no topic filter");
	return 0;
}

static int dec_suback(struct rd *r, struct rs_mqtt_packet *pkt, struct rs_error *err)
{
	pkt->packet_id = rd_u16(r);
	if (r->bad)
		return bad(err, "SUBACK is truncated");
	while (r->left) {
		unsigned rc = rd_u8(r);
		if (pkt->topic_count == RS_MQTT_MAX_TOPICS)
			return rs_fail(err, RS_ERR_LIMIT, "SUBACK has more than %d return codes", RS_MQTT_MAX_TOPICS);
		if (rc > 2 && rc != 0x80)
			return bad(err, "SUBACK return code is not 0, 1, 2 or 0x80");
		pkt->qos_list[pkt->topic_count++] = (int)rc;
	}
	return pkt->topic_count ? 0 : bad(err, "SUBACK has no return code");
}

/* The flags the standard fixes for each type (PUBLISH's are free). */
static int fixed_flags(enum rs_mqtt_type t)
{
	return t == RS_MQTT_SUBSCRIBE || t == RS_MQTT_UNSUBSCRIBE ? 2 : 0;
}

static int dec_body(struct rd *r, unsigned type, unsigned flags, struct rs_mqtt_packet *pkt, struct rs_error *err)
{
	switch (type) {
	case RS_MQTT_CONNECT: return dec_connect(r, pkt, err);
	case RS_MQTT_PUBLISH: return dec_publish(r, flags, pkt, err);
	case RS_MQTT_SUBSCRIBE: return dec_topics(r, 1, pkt, err);
	case RS_MQTT_UNSUBSCRIBE: return dec_topics(r, 0, pkt, err);
	case RS_MQTT_SUBACK: return dec_suback(r, pkt, err);
	case RS_MQTT_CONNACK: {
		unsigned ack = rd_u8(r);
		pkt->return_code = (int)rd_u8(r);
		pkt->session_present = (int)(ack & 1);
		if (r->bad || r->left || (ack & ~1u) || pkt->return_code > 5)
			return bad(err, "CONNACK is not 2 valid bytes");
		return 0;
	}
	case RS_MQTT_PUBACK:
	case RS_MQTT_UNSUBACK:
		pkt->packet_id = rd_u16(r);
		if (r->bad || r->left)
			return bad(err, "acknowledgement is not 2 bytes");
		return 0;
	case RS_MQTT_PINGREQ:
	case RS_MQTT_PINGRESP:
	case RS_MQTT_DISCONNECT:
		return r->left ? bad(err, "packet should be empty") : 0;
	default:
		return bad(err, "packet type is not in the subset");
	}
}

int rs_mqtt_decode(const unsigned char *buf, size_t len, size_t max_packet, struct rs_mqtt_packet *pkt,
		   size_t *used, struct rs_error *err)
{
	size_t rem = 0, i, hdr;
	unsigned type, flags;
	struct rd r;

	if (len < 2)
		return 0;
	type = buf[0] >> 4;
	flags = buf[0] & 15;
	for (i = 1;; i++) {
		if (i > 4)
			return bad(err, "remaining length is longer than 4 bytes");
		if (i >= len)
			return 0;
		rem |= (size_t)(buf[i] & 0x7f) << (7 * (i - 1));
		if (!(buf[i] & 0x80))
			break;
	}
	hdr = i + 1;
	if (i > 1 && buf[i] == 0)
		return bad(err, "remaining length is not minimally encoded");
	if (rem > max_packet || hdr + rem > max_packet)
		return rs_fail(err, RS_ERR_LIMIT, "MQTT packet of %zu bytes is over the limit of %zu", hdr + rem,
			       max_packet);
	if (type != RS_MQTT_PUBLISH && type >= 1 && type <= 14 && (int)flags != fixed_flags(type))
		return bad(err, "reserved flags are wrong");
	if (len - hdr < rem)
		return 0;
	memset(pkt, 0, sizeof(*pkt));
	pkt->type = (enum rs_mqtt_type)type;
	r.p = buf + hdr;
	r.left = rem;
	r.bad = 0;
	if (dec_body(&r, type, flags, pkt, err) < 0)
		return -1;
	*used = hdr + rem;
	return 1;
}

/* ---- encoding ---- */

struct wr {
	unsigned char *p; /* NULL when only measuring */
	size_t n;
};

static void wr_u8(struct wr *w, unsigned v)
{
	if (w->p)
		w->p[w->n] = (unsigned char)v;
	w->n++;
}

static void wr_u16(struct wr *w, unsigned v)
{
	wr_u8(w, v >> 8 & 0xff);
	wr_u8(w, v & 0xff);
}

static void wr_raw(struct wr *w, const void *data, size_t n)
{
	if (w->p && n)
		memcpy(w->p + w->n, data, n);
	w->n += n;
}

static void wr_str(struct wr *w, struct rs_mqtt_str s)
{
	wr_u16(w, (unsigned)s.len);
	wr_raw(w, s.ptr, s.len);
}

static unsigned enc_connect(struct wr *w, const struct rs_mqtt_packet *pkt)
{
	struct rs_mqtt_str name = pkt->protocol_name.len ? pkt->protocol_name : (struct rs_mqtt_str){ "MQTT", 4 };
	unsigned flags = (pkt->clean_session ? 2u : 0u) | (pkt->has_will ? 4u : 0u) | (unsigned)(pkt->will_qos & 3) << 3 |
			 (pkt->will_retain ? 0x20u : 0u) | (pkt->has_password ? 0x40u : 0u) |
			 (pkt->has_username ? 0x80u : 0u);

	wr_str(w, name);
	wr_u8(w, pkt->protocol_level ? (unsigned)pkt->protocol_level : 4u);
	wr_u8(w, flags);
	wr_u16(w, (unsigned)pkt->keep_alive);
	wr_str(w, pkt->client_id);
	if (pkt->has_will) {
		wr_str(w, pkt->will_topic);
		wr_str(w, pkt->will_message);
	}
	if (pkt->has_username)
		wr_str(w, pkt->username);
	if (pkt->has_password)
		wr_str(w, pkt->password);
	return 0;
}

static unsigned enc_body(struct wr *w, const struct rs_mqtt_packet *pkt)
{
	size_t i;

	switch (pkt->type) {
	case RS_MQTT_CONNECT: return enc_connect(w, pkt);
	case RS_MQTT_CONNACK:
		wr_u8(w, pkt->session_present ? 1u : 0u);
		wr_u8(w, (unsigned)pkt->return_code);
		return 0;
	case RS_MQTT_PUBLISH:
		wr_str(w, pkt->topic);
		if (pkt->qos)
			wr_u16(w, pkt->packet_id);
		wr_raw(w, pkt->payload, pkt->payload_len);
		return (pkt->dup ? 8u : 0u) | (unsigned)(pkt->qos & 3) << 1 | (pkt->retain ? 1u : 0u);
	case RS_MQTT_SUBSCRIBE:
	case RS_MQTT_UNSUBSCRIBE:
		wr_u16(w, pkt->packet_id);
		for (i = 0; i < pkt->topic_count && i < RS_MQTT_MAX_TOPICS; i++) {
			wr_str(w, pkt->topics[i]);
			if (pkt->type == RS_MQTT_SUBSCRIBE)
				wr_u8(w, (unsigned)pkt->qos_list[i]);
		}
		return 2;
	case RS_MQTT_SUBACK:
		wr_u16(w, pkt->packet_id);
		for (i = 0; i < pkt->topic_count && i < RS_MQTT_MAX_TOPICS; i++)
			wr_u8(w, (unsigned)pkt->qos_list[i]);
		return 0;
	case RS_MQTT_PUBACK:
	case RS_MQTT_UNSUBACK:
		wr_u16(w, pkt->packet_id);
		return 0;
	default:
		return 0;
	}
}

static int encodable(const struct rs_mqtt_packet *pkt)
{
	const struct rs_mqtt_str *strs[] = { &pkt->protocol_name, &pkt->client_id, &pkt->will_topic, &pkt->will_message,
					     &pkt->username, &pkt->password, &pkt->topic };
	size_t i;

	if (pkt->type < RS_MQTT_CONNECT || pkt->type > RS_MQTT_DISCONNECT || (int)pkt->type == 5 ||
	    (int)pkt->type == 6 || (int)pkt->type == 7)
		return 0;
	for (i = 0; i < RS_ARRAY_LEN(strs); i++)
		if (strs[i]->len > 65535)
			return 0;
	for (i = 0; i < pkt->topic_count && i < RS_MQTT_MAX_TOPICS; i++)
		if (pkt->topics[i].len > 65535)
			return 0;
	return pkt->topic_count <= RS_MQTT_MAX_TOPICS && pkt->qos >= 0 && pkt->qos <= 2;
}

int rs_mqtt_encode(const struct rs_mqtt_packet *pkt, unsigned char *out, size_t cap, size_t *len,
		   struct rs_error *err)
{
	struct wr body = { NULL, 0 };
	size_t rem, hdr = 1, total;
	unsigned flags;

	if (!encodable(pkt))
		return rs_fail(err, RS_ERR_USAGE, "cannot encode MQTT %s: a field is out of range",
			       rs_mqtt_type_name(pkt->type));
	flags = enc_body(&body, pkt);
	rem = body.n;
	if (rem > 268435455)
		return rs_fail(err, RS_ERR_USAGE, "cannot encode MQTT packet of %zu bytes", rem);
	for (size_t v = rem; ; v >>= 7) {
		hdr++;
		if (v < 128)
			break;
	}
	total = hdr + rem;
	*len = total;
	if (!out)
		return 0;
	if (cap < total)
		return rs_fail(err, RS_ERR_LIMIT, "MQTT packet of %zu bytes does not fit in %zu", total, cap);
	out[0] = (unsigned char)((unsigned)pkt->type << 4 | flags);
	for (size_t i = 1, v = rem; i < hdr; i++, v >>= 7)
		out[i] = (unsigned char)((v & 0x7f) | (i + 1 < hdr ? 0x80 : 0));
	body.p = out + hdr;
	body.n = 0;
	enc_body(&body, pkt);
	return 0;
}

const char *rs_mqtt_type_name(enum rs_mqtt_type type)
{
	static const char *const names[] = { "?", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
					     "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ",
					     "PINGRESP", "DISCONNECT" };

	return (unsigned)type < RS_ARRAY_LEN(names) ? names[type] : "?";
}

int rs_mqtt_str_eq(struct rs_mqtt_str s, const char *text)
{
	return strlen(text) == s.len && (s.len == 0 || !memcmp(s.ptr, text, s.len));
}
