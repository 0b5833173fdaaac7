/*
 * rsx.h: rootshift's private helpers, kept as curl keeps curlx. Never installed.
 *
 * What no user of the library calls but the library itself and its front ends share: the MQTT, WebSocket and
 * HTTP codecs, error plumbing, strict JSON keys, time parsing, URL encoding and secret masking; and the
 * conveniences behind the public API's structs: one accessor per field of each rs_x_info struct, and the setters
 * that rs_verify_opts_from and rs_probe_opts_from apply (the front ends build their options with them). The code
 * lives in lib/ (the library uses it) and is compiled into both libraries, but without RS_API: librootshift.so does
 * not export it (CMAKE_C_VISIBILITY_PRESET hidden). The front ends (cli/, lab/, fleet/) and the tests get it by
 * linking the CMake target rootshift_rsx: the static library plus this header's directory.
 *
 * The rules of rootshift.h (ownership, errors, no printing, no clock) hold here too.
 */
#ifndef RS_RSX_H
#define RS_RSX_H

#include "rootshift.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------------------ */
/* Errors: the shape of the library's failures, for front ends built on it                                      */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Fills err (when not NULL) and returns -1, for modules and front ends built on the library (the lab) that need
 * to report in the same shape. rs_error_set_ssl appends OpenSSL's queued reason and clears the queue: the one
 * place where OpenSSL errors become messages.
 */
int rs_error_set(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rs_error_set_ssl(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------------------------------------------------ */
/* Strict input: the keys of JSON documents (profiles, fleet files)                                             */
/* ------------------------------------------------------------------------------------------------------------ */

/** The keys objects at one place of a document may have: path "" is the top object, "classes[]" every element
 *  of the top's "classes" array, "classes[].backoff" their "backoff" objects. keys ends with NULL. */
struct rs_json_keys {
	const char *path;
	const char *const *keys;
};

/**
 * Checks every object of the JSON text at a path of schema (n entries; objects elsewhere are not checked)
 * against its keys. On the first unknown key: -1 and err (RS_ERR_PARSE) "WHAT: unknown key 'K' at line L column C
 * in PATH (did you mean 'N'?)", the line and column (1-based, bytes) of the key in text, the path with indices
 * ("classes[1]"), and the nearest known key (rs_nearest_word). Call it after the text parsed as JSON.
 */
int rs_json_check_keys(const char *text, size_t len, const struct rs_json_keys *schema, size_t n,
		       const char *what, struct rs_error *err);
/** The word of words (NULL-terminated) nearest to word by edit distance, or NULL when none is within
 *  max(2, half its length). */
const char *rs_nearest_word(const char *word, const char *const *words);

/* ------------------------------------------------------------------------------------------------------------ */
/* Time and text: parsing, formatting, URL encoding, masking secrets                                            */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Parses an RFC 3339 time ("2025-05-12T23:59:00Z", "2025-05-12T23:59:00+02:00", fractional seconds allowed) or a
 * plain date ("2025-05-12", midnight UTC) into *out. Returns 0 or -1.
 */
int rs_time_parse(const char *text, rs_time *out, struct rs_error *err);
/** A duration: a whole number and a unit, s, min, h, d, w, mo (30 d) or y (365 d), as "90d", "6mo" or "12h".
 *  RS_ERR_USAGE when malformed, without a unit, "m" alone (minutes or months?), negative or above 100 years. */
int rs_duration_parse(const char *text, rs_time *seconds, struct rs_error *err);
/** Writes t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). Returns buf. */
char *rs_time_format(rs_time t, char *buf, size_t size);

/** Percent-encodes everything but unreserved characters, with uppercase (upper != 0) or lowercase hex; NULL when
 * out of memory. The caller frees the result with free(). */
char *rs_url_encode(const char *text, int upper);
/** Percent-decodes ('+' stays '+'); NULL on a malformed escape or an encoded NUL. Caller frees. */
char *rs_url_decode(const char *text);
/** The length of the valid UTF-8 sequence (RFC 3629) that starts at s, or 0 when none starts there; s is a
 * NUL-terminated string. For renderers that keep bytes a JSON library refuses. */
size_t rs_utf8_len(const char *s);
/** "***" and the last 4 characters of a secret, for messages: writes into buf (at least 8 bytes). */
const char *rs_mask_secret(const char *secret, char *buf, size_t size);

/* ------------------------------------------------------------------------------------------------------------ */
/* MQTT 3.1.1: the subset IoT Hub and DPS use                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

enum rs_mqtt_type {
	RS_MQTT_CONNECT = 1,
	RS_MQTT_CONNACK = 2,
	RS_MQTT_PUBLISH = 3,
	RS_MQTT_PUBACK = 4,
	RS_MQTT_SUBSCRIBE = 8,
	RS_MQTT_SUBACK = 9,
	RS_MQTT_UNSUBSCRIBE = 10,
	RS_MQTT_UNSUBACK = 11,
	RS_MQTT_PINGREQ = 12,
	RS_MQTT_PINGRESP = 13,
	RS_MQTT_DISCONNECT = 14
};

#define RS_MQTT_MAX_TOPICS 8

/** A string inside a packet buffer: not NUL-terminated; borrowed from the decoded buffer. */
struct rs_mqtt_str {
	const char *ptr;
	size_t len;
};

/**
 * One MQTT control packet. Decoding fills the fields of its type and borrows strings and payload from the input
 * buffer; encoding reads them. Zero-initialise before encoding. Fields that do not apply to a type are ignored.
 */
struct rs_mqtt_packet {
	enum rs_mqtt_type type;
	/* CONNECT */
	struct rs_mqtt_str protocol_name; /* "MQTT" */
	int protocol_level;               /* 4 for 3.1.1 */
	int clean_session;
	int keep_alive;                   /* seconds */
	struct rs_mqtt_str client_id;
	int has_will, will_qos, will_retain;
	struct rs_mqtt_str will_topic, will_message;
	int has_username, has_password;
	struct rs_mqtt_str username, password;
	/* CONNACK */
	int session_present;
	int return_code;
	/* PUBLISH (topic, payload, qos, retain, dup), PUBACK, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK (packet_id) */
	int dup, qos, retain;
	struct rs_mqtt_str topic;
	const unsigned char *payload;
	size_t payload_len;
	unsigned packet_id;
	/* SUBSCRIBE and UNSUBSCRIBE: topic filters (and requested QoS); SUBACK: return codes in qos_list */
	size_t topic_count;
	struct rs_mqtt_str topics[RS_MQTT_MAX_TOPICS];
	int qos_list[RS_MQTT_MAX_TOPICS];
};

/**
 * Decodes one packet from the start of buf. Returns 1 and sets *used when a whole packet was decoded, 0 when more
 * bytes are needed, -1 when the bytes are not a valid packet of the subset (RS_ERR_PARSE) or announce more than
 * max_packet bytes (RS_ERR_LIMIT; known as soon as the length field is complete). Strict: reserved flags,
 * lengths, UTF-8 strings (no U+0000), packet ids and QoS values are checked.
 */
int rs_mqtt_decode(const unsigned char *buf, size_t len, size_t max_packet, struct rs_mqtt_packet *pkt,
		   size_t *used, struct rs_error *err);
/**
 * Encodes pkt into out (capacity cap) and sets *len. With out NULL, only computes *len. Fails with RS_ERR_LIMIT
 * when cap is too small and RS_ERR_USAGE when the packet is not encodable (a string over 65535 bytes, ...).
 */
int rs_mqtt_encode(const struct rs_mqtt_packet *pkt, unsigned char *out, size_t cap, size_t *len,
		   struct rs_error *err);
/** "CONNECT", "CONNACK", ...; "?" for others. */
const char *rs_mqtt_type_name(enum rs_mqtt_type type);
/** 1 when s equals the NUL-terminated text. */
int rs_mqtt_str_eq(struct rs_mqtt_str s, const char *text);

/* ------------------------------------------------------------------------------------------------------------ */
/* HTTP/1.1 request heads and WebSocket framing (RFC 6455), for MQTT over WebSockets                            */
/* ------------------------------------------------------------------------------------------------------------ */

/** Bytes inside a caller's buffer: not NUL-terminated; borrowed. */
struct rs_span {
	const char *ptr;
	size_t len;
};

#define RS_HTTP_MAX_HEADERS 32

/** An HTTP/1.x request head. Spans borrow from the parsed buffer. */
struct rs_http_request {
	struct rs_span method, target;
	int minor_version; /* HTTP/1.0 or HTTP/1.1 */
	size_t header_count;
	struct rs_span names[RS_HTTP_MAX_HEADERS], values[RS_HTTP_MAX_HEADERS]; /* values without surrounding blanks */
};

/**
 * Parses a request head (request line and headers, up to the empty line). Returns 1 and sets *used, 0 when more
 * bytes are needed, -1 when the bytes are not a valid head (RS_ERR_PARSE: bare LF, obsolete line folding, control
 * characters, a bad token or version) or the head is over max_head bytes or RS_HTTP_MAX_HEADERS headers
 * (RS_ERR_LIMIT).
 */
int rs_http_parse_request(const char *buf, size_t len, size_t max_head, struct rs_http_request *req,
			  size_t *used, struct rs_error *err);
/** The first header named name (case-insensitive), or NULL. */
const struct rs_span *rs_http_header(const struct rs_http_request *req, const char *name);
/** 1 when header name holds token in its comma-separated list (case-insensitive), as "Connection: keep-alive, Upgrade". */
int rs_http_header_has_token(const struct rs_http_request *req, const char *name, const char *token);
/** 1 when s equals text, ignoring ASCII case. */
int rs_span_eq_ci(struct rs_span s, const char *text);

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + RFC 6455 GUID)); out gets 29 bytes. */
int rs_ws_accept(struct rs_span key, char out[29], struct rs_error *err);

enum rs_ws_opcode {
	RS_WS_CONTINUATION = 0,
	RS_WS_TEXT = 1,
	RS_WS_BINARY = 2,
	RS_WS_CLOSE = 8,
	RS_WS_PING = 9,
	RS_WS_PONG = 10
};

/** One WebSocket frame; payload borrows from the buffer and is still masked when masked is set. */
struct rs_ws_frame {
	int fin;
	enum rs_ws_opcode opcode;
	int masked;
	unsigned char mask[4];
	size_t payload_len;
	const unsigned char *payload;
};

/**
 * Decodes one frame. Returns 1 and sets *used, 0 when more bytes are needed, -1 on a protocol error
 * (RS_ERR_PARSE: reserved bits, unknown opcode, fragmented or long control frame, non-minimal length) or a payload
 * over max_payload (RS_ERR_LIMIT, known from the header alone).
 */
int rs_ws_decode(const unsigned char *buf, size_t len, size_t max_payload, struct rs_ws_frame *frame,
		 size_t *used, struct rs_error *err);
/** XORs data with mask, starting at byte offset of the payload (for payloads unmasked in pieces). */
void rs_ws_unmask(unsigned char *data, size_t len, const unsigned char mask[4], size_t offset);
/** Writes a frame header (FIN set) into out and returns its length (2 to 14); mask may be NULL (server frames). */
size_t rs_ws_header(enum rs_ws_opcode opcode, size_t payload_len, const unsigned char *mask,
		    unsigned char out[14]);

/* ------------------------------------------------------------------------------------------------------------ */
/* Certificates: one accessor per field of struct rs_cert_info                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

const char *rs_cert_sha1(const struct rs_cert *cert);        /* 40 hex digits */
const char *rs_cert_sha256(const struct rs_cert *cert);      /* 64 hex digits */
const char *rs_cert_spki_sha256(const struct rs_cert *cert); /* SHA-256 of the DER SubjectPublicKeyInfo */
/** The same digest as a pin: "sha256//" and its base64 (curl --pinnedpubkey, OkHttp, Android, RFC 7469). */
const char *rs_cert_spki_pin(const struct rs_cert *cert);
const char *rs_cert_subject(const struct rs_cert *cert);     /* RFC 2253 order, UTF-8 */
const char *rs_cert_issuer(const struct rs_cert *cert);
const char *rs_cert_common_name(const struct rs_cert *cert); /* the subject's last CN, or "" */
const char *rs_cert_serial(const struct rs_cert *cert);      /* lowercase hex, no separators */
rs_time rs_cert_not_before(const struct rs_cert *cert);
rs_time rs_cert_not_after(const struct rs_cert *cert);
/** 1 when basicConstraints says cA=TRUE. */
int rs_cert_is_ca(const struct rs_cert *cert);
/** pathLenConstraint, or -1 when absent. */
long rs_cert_path_len(const struct rs_cert *cert);
/** 1 when issuer and subject are the same name. */
int rs_cert_self_issued(const struct rs_cert *cert);
const char *rs_cert_key_type(const struct rs_cert *cert);  /* "RSA", "EC", "Ed25519", ... */
int rs_cert_key_bits(const struct rs_cert *cert);
const char *rs_cert_key_curve(const struct rs_cert *cert); /* "P-384" for EC keys, else "" */
const char *rs_cert_sig_alg(const struct rs_cert *cert);   /* "sha256WithRSAEncryption", ... */
const char *rs_cert_ski(const struct rs_cert *cert);       /* hex, or "" */
const char *rs_cert_aki(const struct rs_cert *cert);       /* hex key identifier, or "" */
/** Why the certificate breaks RFC 5280's encoding rules (a duplicate extension, an extension that does not
 * decode, an empty key usage, SAN or AIA), or NULL. Only rs_load_opts.keep_malformed loads such certificates when
 * OpenSSL itself flags them. */
const char *rs_cert_malformed(const struct rs_cert *cert);
/** Subject alternative names as "DNS:x", "IP:x", "email:x" or "URI:x". */
size_t rs_cert_san_count(const struct rs_cert *cert);
const char *rs_cert_san_at(const struct rs_cert *cert, size_t i);
/** Key usage bits by name ("digitalSignature", "keyCertSign", ...). */
size_t rs_cert_key_usage_count(const struct rs_cert *cert);
const char *rs_cert_key_usage_at(const struct rs_cert *cert, size_t i);
/** Extended key usages by short name ("serverAuth", ...) or dotted OID. */
size_t rs_cert_ext_key_usage_count(const struct rs_cert *cert);
const char *rs_cert_ext_key_usage_at(const struct rs_cert *cert, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Catalog: one accessor per field of struct rs_profile_info and struct rs_known_info                           */
/* ------------------------------------------------------------------------------------------------------------ */

const char *rs_profile_id(const struct rs_profile *p);
const char *rs_profile_name(const struct rs_profile *p);
const char *rs_profile_description(const struct rs_profile *p);
/** Leaf host name patterns ("*.azure-devices.net"). */
size_t rs_profile_leaf_pattern_count(const struct rs_profile *p);
const char *rs_profile_leaf_pattern_at(const struct rs_profile *p, size_t i);
size_t rs_profile_endpoint_count(const struct rs_profile *p);
const struct rs_endpoint *rs_profile_endpoint_at(const struct rs_profile *p, size_t i);
/** When the profile's service finished moving to its new root (the profile's "migration_complete"), or 0. */
rs_time rs_profile_migration_complete(const struct rs_profile *p);
const char *rs_known_id(const struct rs_known *k);
const char *rs_known_name(const struct rs_known *k);
enum rs_kind rs_known_kind(const struct rs_known *k);
/** "old", "new", "backup", "ecc", "china", "served", ... as the profile says. */
const char *rs_known_role(const struct rs_known *k);
const char *rs_known_summary(const struct rs_known *k);
const struct rs_profile *rs_known_profile(const struct rs_known *k);
/** Digests; "" when the profile does not give one. */
const char *rs_known_sha1(const struct rs_known *k);
const char *rs_known_sha256(const struct rs_known *k);
const char *rs_known_spki_sha256(const struct rs_known *k);
const char *rs_known_subject(const struct rs_known *k);
/** not_after, or 0 when unknown. */
rs_time rs_known_not_after(const struct rs_known *k);
/** The certificate itself when the profile carries it, else NULL. */
const struct rs_cert *rs_known_cert(const struct rs_known *k);
/** Ids of the roots or intermediates this certificate is issued by. */
size_t rs_known_issuer_count(const struct rs_known *k);
const char *rs_known_issuer_at(const struct rs_known *k, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Probe: one accessor per field of struct rs_probe_info                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

enum rs_probe_code rs_probe_result_code(const struct rs_probe_result *r);
/** Where it ended: "dns", "tcp", "proxy", "tls", "verify", "protocol" or "done". */
const char *rs_probe_result_stage(const struct rs_probe_result *r);
/** One line with the detail (an alert, an error, a CONNACK code); secrets masked. */
const char *rs_probe_result_message(const struct rs_probe_result *r);
/** The chain the server sent, leaf first, captured even when verification fails; empty before TLS. */
const struct rs_certlist *rs_probe_result_served_chain(const struct rs_probe_result *r);
/** The verification of the served chain against the device's store; NULL when no chain was served. */
const struct rs_verify_result *rs_probe_result_verify(const struct rs_probe_result *r);
/** Negotiated TLS version ("TLSv1.3"), cipher and ALPN, or "" when none. */
const char *rs_probe_result_tls_version(const struct rs_probe_result *r);
const char *rs_probe_result_cipher(const struct rs_probe_result *r);
const char *rs_probe_result_alpn(const struct rs_probe_result *r);
/** The address connected to ("127.0.0.1:8883"), or "". */
const char *rs_probe_result_peer(const struct rs_probe_result *r);
/** The protocol's answer: the CONNACK return code, the DPS or HTTP status; -1 when none. */
int rs_probe_result_status(const struct rs_probe_result *r);
/** The protocol's detail: an HTTP or DPS response body (truncated), the AMQP SASL mechanisms; "" when none. */
const char *rs_probe_result_detail(const struct rs_probe_result *r);
/** The transcript, one message a line, secrets masked; "" unless asked for. */
const char *rs_probe_result_transcript(const struct rs_probe_result *r);
/** Milliseconds spent connecting and in the handshake (-1 without a clock). */
int64_t rs_probe_result_connect_ms(const struct rs_probe_result *r);
int64_t rs_probe_result_handshake_ms(const struct rs_probe_result *r);

/* ------------------------------------------------------------------------------------------------------------ */
/* Verification: one accessor per field of struct rs_verify_info                                                */
/* ------------------------------------------------------------------------------------------------------------ */

/** 1 when at least one valid path was found. */
int rs_verify_result_ok(const struct rs_verify_result *result);
/** RS_VERIFY_OK, or why the best failed path failed. */
enum rs_verify_reason rs_verify_result_reason(const struct rs_verify_result *result);
/** One line naming the certificate at fault; "" when ok. */
const char *rs_verify_result_message(const struct rs_verify_result *result);
/** Valid paths, shortest first; each lists the end certificate first and the trust anchor last. */
size_t rs_verify_result_path_count(const struct rs_verify_result *result);
const struct rs_certlist *rs_verify_result_path_at(const struct rs_verify_result *result, size_t i);
/**
 * The best failed path (one that reached the store, else the longest dead end), NULL when ok; *at is set to
 * the index of the certificate at fault, or -1 when the fault is the path as a whole.
 */
const struct rs_certlist *rs_verify_result_failed_path(const struct rs_verify_result *result, long *at);
/** The id of the rule that decided ("rfc5280.validity", "webpki.cn-in-san", ... docs/verify.md); "" when ok. */
const char *rs_verify_result_rule(const struct rs_verify_result *result);
/** The policy the verdict was made under. */
enum rs_verify_policy rs_verify_result_policy(const struct rs_verify_result *result);
/**
 * Store certificates that were not used as anchors because they are malformed (rs_cert_info: malformed): the count,
 * and each certificate with its reason.
 */
size_t rs_verify_result_skipped_count(const struct rs_verify_result *result);
const struct rs_cert *rs_verify_result_skipped_at(const struct rs_verify_result *result, size_t i,
						   const char **reason);
/** Sum of the DER sizes of the served chain. */
size_t rs_verify_result_chain_bytes(const struct rs_verify_result *result);
/** Work spent (see rs_verify_opts_set_max_work) and 1 when the search stopped at the limit or path cap. */
size_t rs_verify_result_work(const struct rs_verify_result *result);
int rs_verify_result_truncated(const struct rs_verify_result *result);

/* ------------------------------------------------------------------------------------------------------------ */
/* Trust anchors: one accessor per field of struct rs_anchor_info                                               */
/* ------------------------------------------------------------------------------------------------------------ */

enum rs_anchor_form rs_anchor_form(const struct rs_anchor *a);
/** The certificate, or NULL for a name-and-key anchor. */
const struct rs_cert *rs_anchor_cert(const struct rs_anchor *a);
const char *rs_anchor_subject(const struct rs_anchor *a);      /* RFC 2253 order, as rs_cert_subject */
const char *rs_anchor_spki_sha256(const struct rs_anchor *a);  /* 64 hex digits */
/** The subject DER and SubjectPublicKeyInfo DER. */
const unsigned char *rs_anchor_subject_der(const struct rs_anchor *a, size_t *len);
const unsigned char *rs_anchor_spki_der(const struct rs_anchor *a, size_t *len);
enum rs_trust rs_anchor_trust(const struct rs_anchor *a);
/** The NSS label (CKA_LABEL) when the anchor came from certdata.txt, else "". */
const char *rs_anchor_label(const struct rs_anchor *a);
size_t rs_anchor_location_count(const struct rs_anchor *a);
const struct rs_location *rs_anchor_location_at(const struct rs_anchor *a, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Audit: one accessor per field of struct rs_verdict_info                                                      */
/* ------------------------------------------------------------------------------------------------------------ */

enum rs_status rs_verdict_status(const struct rs_verdict *v);
size_t rs_verdict_reason_count(const struct rs_verdict *v);
const struct rs_reason *rs_verdict_reason_at(const struct rs_verdict *v, size_t i);
/** Notes: facts that do not change the status (algorithms a stack needs, findings such as broken blocks). */
size_t rs_verdict_note_count(const struct rs_verdict *v);
const struct rs_reason *rs_verdict_note_at(const struct rs_verdict *v, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Bundles: one accessor per field of struct rs_bundle_info and struct rs_bundle_check_info                     */
/* ------------------------------------------------------------------------------------------------------------ */

const struct rs_profile *rs_bundle_profile(const struct rs_bundle *b);
rs_time rs_bundle_time(const struct rs_bundle *b);
/** Sum of the DER sizes of the chosen roots. */
size_t rs_bundle_der_bytes(const struct rs_bundle *b);
/** Problems (severity error): the bundle cannot be made. */
size_t rs_bundle_problem_count(const struct rs_bundle *b);
const struct rs_reason *rs_bundle_problem_at(const struct rs_bundle *b, size_t i);
/** Notes: roots left out and why, intermediates the bundle does not cover. */
size_t rs_bundle_note_count(const struct rs_bundle *b);
const struct rs_reason *rs_bundle_note_at(const struct rs_bundle *b, size_t i);
/** 1 when at least one intermediate was checked and none failed. */
int rs_bundle_check_ok(const struct rs_bundle_check *c);
/** The verdict (rs_status_judge over the failed items' severities; nothing checked is not-ready). */
enum rs_status rs_bundle_check_status(const struct rs_bundle_check *c);
size_t rs_bundle_check_count(const struct rs_bundle_check *c);
const struct rs_bundle_check_item *rs_bundle_check_at(const struct rs_bundle_check *c, size_t i);
/** Anchors the path builder could use, and notes on those it could not (name-and-key anchors not in the catalog). */
size_t rs_bundle_check_anchor_count(const struct rs_bundle_check *c);
size_t rs_bundle_check_note_count(const struct rs_bundle_check *c);
const char *rs_bundle_check_note_at(const struct rs_bundle_check *c, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Scan: one accessor per field of struct rs_pinscan_info                                                       */
/* ------------------------------------------------------------------------------------------------------------ */

size_t rs_pinscan_count(const struct rs_pinscan *ps);
size_t rs_pinscan_skipped_count(const struct rs_pinscan *ps);
const struct rs_pin_skipped *rs_pinscan_skipped_at(const struct rs_pinscan *ps, size_t i);
const struct rs_pin_finding *rs_pinscan_at(const struct rs_pinscan *ps, size_t i);
/** Files and bytes read, and findings dropped by suppressions. */
unsigned long long rs_pinscan_files(const struct rs_pinscan *ps);
unsigned long long rs_pinscan_bytes(const struct rs_pinscan *ps);
size_t rs_pinscan_suppressed(const struct rs_pinscan *ps);

/* ------------------------------------------------------------------------------------------------------------ */
/* Verification: the setters behind rs_verify_opts_from (struct rs_verify_config)                               */
/* ------------------------------------------------------------------------------------------------------------ */

/** Defaults: time 0 (set it), no host check, no depth, size, digest or key limits, work limit 5000 steps. */
struct rs_verify_opts *rs_verify_opts_new(void);
/** The time of the verdict. */
void rs_verify_opts_set_time(struct rs_verify_opts *opts, rs_time at);
/** The host name (or IP address) the end certificate must match per RFC 6125; NULL turns the check off. */
int rs_verify_opts_set_host(struct rs_verify_opts *opts, const char *host, struct rs_error *err);
/** The most intermediates a path may have between the end certificate and the anchor; -1 (default) = no limit. */
void rs_verify_opts_set_max_depth(struct rs_verify_opts *opts, int max_intermediates);
/** The most bytes the served chain (sum of its DER sizes) may take; 0 (default) = no limit. */
void rs_verify_opts_set_max_chain_bytes(struct rs_verify_opts *opts, size_t bytes);
/** A digest the device lacks: "md5", "sha1", "sha224", "sha256", "sha384" or "sha512". */
int rs_verify_opts_deny_digest(struct rs_verify_opts *opts, const char *digest, struct rs_error *err);
/** A key the device cannot use: a type ("RSA", "EC", "Ed25519", "DSA", ...) or an EC curve ("P-384"). */
int rs_verify_opts_deny_key(struct rs_verify_opts *opts, const char *key, struct rs_error *err);
/** The largest RSA key the device can use; 0 (default) = no limit. */
void rs_verify_opts_set_rsa_max_bits(struct rs_verify_opts *opts, int bits);
/** The work limit: candidate issuers examined plus signatures checked, per call; 0 restores the default. */
void rs_verify_opts_set_max_work(struct rs_verify_opts *opts, size_t steps);
/** The policy of the verdict (default RS_VERIFY_POLICY_WEBPKI), and the one set. */
void rs_verify_opts_set_policy(struct rs_verify_opts *opts, enum rs_verify_policy policy);
enum rs_verify_policy rs_verify_opts_policy(const struct rs_verify_opts *opts);
/**
 * The key policy. RSA moduli must have at least this many bits and a multiple of 8; -1 (default) is the policy's
 * own (2048 under webpki, none under rfc5280), 0 turns the RSA rule off.
 */
void rs_verify_opts_set_min_rsa_bits(struct rs_verify_opts *opts, int bits);
/**
 * Allows what the webpki key policy forbids: "DSA", an EC curve by name ("P-192", "secp256k1", ...), "any-curve"
 * or "explicit-curve" (EC keys with explicit parameters).
 */
int rs_verify_opts_allow_key(struct rs_verify_opts *opts, const char *what, struct rs_error *err);
/** Adds the CRLs of a PEM or DER buffer (one or more); name is for messages. Revocation is checked along the path. */
int rs_verify_opts_add_crls(struct rs_verify_opts *opts, const unsigned char *buf, size_t len,
			    const char *name, struct rs_error *err);
/** The same for a file. */
int rs_verify_opts_add_crl_path(struct rs_verify_opts *opts, const char *path, struct rs_error *err);

/* ------------------------------------------------------------------------------------------------------------ */
/* Probe: the setters behind rs_probe_opts_from (struct rs_probe_config)                                        */
/* ------------------------------------------------------------------------------------------------------------ */

/** Defaults: no target (set one), TLS only, no store, timeouts 10 s, 10 s and 30 s, no clock. Setters copy. */
struct rs_probe_opts *rs_probe_opts_new(void);
/** The host the device names (SNI, host check, MQTT username) and its port. */
int rs_probe_opts_set_target(struct rs_probe_opts *opts, const char *host, int port, struct rs_error *err);
/** Where to connect instead, keeping the name (a lab or a gateway); NULL connects to the target. */
int rs_probe_opts_set_connect_to(struct rs_probe_opts *opts, const char *host, int port,
				struct rs_error *err);
/** An HTTP CONNECT proxy; NULL for none. */
int rs_probe_opts_set_proxy(struct rs_probe_opts *opts, const char *host, int port, struct rs_error *err);
void rs_probe_opts_set_protocol(struct rs_probe_opts *opts, enum rs_probe_protocol protocol);
/** The device's trust store (a reference to each certificate is kept). */
int rs_probe_opts_set_store(struct rs_probe_opts *opts, const struct rs_certlist *store, struct rs_error *err);
/** Verification options for the served chain (time, device limits); the host is set from the target. Borrowed:
 * it must outlive the probe calls. NULL means defaults at time 0, so set one. */
void rs_probe_opts_set_verify(struct rs_probe_opts *opts, const struct rs_verify_opts *vopts);
/** ALPN protocol ("mqtt", "http/1.1"); NULL for none. */
int rs_probe_opts_set_alpn(struct rs_probe_opts *opts, const char *alpn, struct rs_error *err);
/** TLS version bounds as "1.0", "1.1", "1.2", "1.3"; NULL leaves a bound open. */
int rs_probe_opts_set_tls_versions(struct rs_probe_opts *opts, const char *min, const char *max,
				   struct rs_error *err);
/** Timeouts in milliseconds: connect, handshake, and the whole probe (needs a clock). */
void rs_probe_opts_set_timeouts(struct rs_probe_opts *opts, int connect_ms, int handshake_ms, int total_ms);
void rs_probe_opts_set_clock(struct rs_probe_opts *opts, rs_clock_fn clock, void *ctx);
/**
 * Credentials for the protocol step. For IoT Hub: client_id = deviceId (or deviceId/moduleId), username as the
 * hub expects, password = a SAS token. For DPS: client_id = registrationId, username, password, and the
 * registration id. For HTTPS: the path, and password as the Authorization header value. Secrets are kept, never
 * shown: results and messages mask them.
 */
int rs_probe_opts_set_credentials(struct rs_probe_opts *opts, const char *client_id, const char *username,
				  const char *password, struct rs_error *err);
int rs_probe_opts_set_http(struct rs_probe_opts *opts, const char *method, const char *path,
			   const char *body, struct rs_error *err);
/** MQTT over WebSockets: the WebSocket path ("/$iothub/websocket"); NULL for MQTT over TLS directly. */
int rs_probe_opts_set_websocket(struct rs_probe_opts *opts, const char *path, struct rs_error *err);
/** Records every protocol message (secrets masked) in the result's transcript. */
void rs_probe_opts_set_transcript(struct rs_probe_opts *opts, int on);

#ifdef __cplusplus
}
#endif
#endif /* RS_RSX_H */
