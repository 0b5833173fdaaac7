/*
 * rootshift.h: the one public header of librootshift.
 *
 * librootshift answers, for a device or a fleet: will it still connect after a TLS root migration?
 *
 * Rules that hold for the whole API, stated once:
 *  - Objects are opaque. rs_x_new() and rs_x_load*() return an object the caller owns and releases with
 *    rs_x_free(); every rs_x_free() accepts NULL.
 *  - Getters borrow: a pointer returned by a getter lives until the object it came from is freed (or, for lists,
 *    until the list is modified). Never free it.
 *  - Setters and adders copy their arguments, except functions named *_take, which take ownership even when they
 *    fail.
 *  - A function that can fail returns 0 on success and -1 on failure, and then fills the caller's struct rs_error
 *    (which may be NULL when the caller does not care). Functions returning a pointer return NULL on failure.
 *  - The library never prints, exits, reads the clock or reads the environment: the caller passes the time of
 *    every verdict as an rs_time and passes secrets (passwords) explicitly.
 *  - Thumbprints are lowercase hex without separators. Times are seconds since the Unix epoch, UTC.
 */
#ifndef ROOTSHIFT_H
#define ROOTSHIFT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define RS_API __attribute__((visibility("default")))
#else
#define RS_API
#endif

#define RS_VERSION "0.1.0"

/** Library version string, e.g. "0.1.0". */
RS_API const char *rs_version(void);

/* ------------------------------------------------------------------------------------------------------------ */
/* Errors                                                                                                       */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * The error table: X(name, category, description). Every failure of the library is one of these. The category
 * tells a front end what kind of problem it is; all of them mean "could not run" (exit code 2).
 */
#define RS_ERROR_TABLE(X)                                                   \
	X(RS_ERR_NONE, "ok", "no error")                                        \
	X(RS_ERR_USAGE, "usage", "invalid argument")                           \
	X(RS_ERR_IO, "io", "cannot read or write")                             \
	X(RS_ERR_EMPTY, "input", "input is empty")                             \
	X(RS_ERR_PARSE, "input", "input is malformed")                         \
	X(RS_ERR_NOCERT, "input", "no certificate found")                      \
	X(RS_ERR_PASSWORD, "input", "wrong or missing password")               \
	X(RS_ERR_LIMIT, "input", "input exceeds a limit")                      \
	X(RS_ERR_PROFILE, "profile", "profile is invalid")                     \
	X(RS_ERR_NOTFOUND, "usage", "not found")                               \
	X(RS_ERR_AUTH, "input", "credentials rejected")                       \
	X(RS_ERR_EXPIRED, "input", "credentials expired")                     \
	X(RS_ERR_NOMEM, "internal", "out of memory")                           \
	X(RS_ERR_INTERNAL, "internal", "internal error")

#define RS_X_ENUM(name, cat, desc) name,
enum rs_errcode { RS_ERROR_TABLE(RS_X_ENUM) RS_ERR__COUNT };
#undef RS_X_ENUM

/** What went wrong, filled by a failing call. message is one line, lowercase, names the input. */
struct rs_error {
	enum rs_errcode code;
	char message[512];
};

/**
 * Fills err (when not NULL) and returns -1, for modules and front ends built on the library (the lab) that need
 * to report in the same shape. rs_error_set_ssl appends OpenSSL's queued reason and clears the queue: the one
 * place where OpenSSL errors become messages.
 */
RS_API int rs_error_set(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
RS_API int rs_error_set_ssl(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Name of an error code, e.g. "RS_ERR_PARSE". */
RS_API const char *rs_errcode_name(enum rs_errcode code);
/** Category of an error code: "usage", "io", "input", "profile" or "internal". */
RS_API const char *rs_errcode_category(enum rs_errcode code);

/* ------------------------------------------------------------------------------------------------------------ */
/* Time                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

typedef int64_t rs_time;

/**
 * Parses an RFC 3339 time ("2025-05-12T23:59:00Z", "2025-05-12T23:59:00+02:00", fractional seconds allowed) or a
 * plain date ("2025-05-12", midnight UTC) into *out. Returns 0 or -1.
 */
RS_API int rs_time_parse(const char *text, rs_time *out, struct rs_error *err);
/** Writes t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). Returns buf. */
RS_API char *rs_time_format(rs_time t, char *buf, size_t size);

/* ------------------------------------------------------------------------------------------------------------ */
/* Certificates                                                                                                 */
/* ------------------------------------------------------------------------------------------------------------ */

/** One X.509 certificate with everything rootshift reports about it computed once. Reference counted. */
struct rs_cert;

/** Parses one DER certificate; the whole buffer must be the certificate. */
RS_API struct rs_cert *rs_cert_from_der(const unsigned char *der, size_t len, struct rs_error *err);
/** Adds a reference; returns cert. */
RS_API struct rs_cert *rs_cert_up_ref(struct rs_cert *cert);
/** Drops a reference; frees on the last. */
RS_API void rs_cert_free(struct rs_cert *cert);

RS_API const unsigned char *rs_cert_der(const struct rs_cert *cert, size_t *len);
RS_API const char *rs_cert_sha1(const struct rs_cert *cert);        /* 40 hex digits */
RS_API const char *rs_cert_sha256(const struct rs_cert *cert);      /* 64 hex digits */
RS_API const char *rs_cert_spki_sha256(const struct rs_cert *cert); /* SHA-256 of the DER SubjectPublicKeyInfo */
RS_API const char *rs_cert_subject(const struct rs_cert *cert);     /* RFC 2253 order, UTF-8 */
RS_API const char *rs_cert_issuer(const struct rs_cert *cert);
RS_API const char *rs_cert_common_name(const struct rs_cert *cert); /* the subject's last CN, or "" */
RS_API const char *rs_cert_serial(const struct rs_cert *cert);      /* lowercase hex, no separators */
RS_API rs_time rs_cert_not_before(const struct rs_cert *cert);
RS_API rs_time rs_cert_not_after(const struct rs_cert *cert);
/** 1 when not_before <= at <= not_after. */
RS_API int rs_cert_valid_at(const struct rs_cert *cert, rs_time at);
/** 1 when basicConstraints says cA=TRUE. */
RS_API int rs_cert_is_ca(const struct rs_cert *cert);
/** pathLenConstraint, or -1 when absent. */
RS_API long rs_cert_path_len(const struct rs_cert *cert);
/** 1 when issuer and subject are the same name. */
RS_API int rs_cert_self_issued(const struct rs_cert *cert);
RS_API const char *rs_cert_key_type(const struct rs_cert *cert);  /* "RSA", "EC", "Ed25519", ... */
RS_API int rs_cert_key_bits(const struct rs_cert *cert);
RS_API const char *rs_cert_key_curve(const struct rs_cert *cert); /* "P-384" for EC keys, else "" */
RS_API const char *rs_cert_sig_alg(const struct rs_cert *cert);   /* "sha256WithRSAEncryption", ... */
RS_API const char *rs_cert_ski(const struct rs_cert *cert);       /* hex, or "" */
RS_API const char *rs_cert_aki(const struct rs_cert *cert);       /* hex key identifier, or "" */
/** Subject alternative names as "DNS:x", "IP:x", "email:x" or "URI:x". */
RS_API size_t rs_cert_san_count(const struct rs_cert *cert);
RS_API const char *rs_cert_san_at(const struct rs_cert *cert, size_t i);
/** Key usage bits by name ("digitalSignature", "keyCertSign", ...). */
RS_API size_t rs_cert_key_usage_count(const struct rs_cert *cert);
RS_API const char *rs_cert_key_usage_at(const struct rs_cert *cert, size_t i);
/** Extended key usages by short name ("serverAuth", ...) or dotted OID. */
RS_API size_t rs_cert_ext_key_usage_count(const struct rs_cert *cert);
RS_API const char *rs_cert_ext_key_usage_at(const struct rs_cert *cert, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Finding certificates in files                                                                                */
/* ------------------------------------------------------------------------------------------------------------ */

/** Where a certificate was found. line is 1-based for text, 0 for binary; offset is in bytes. */
struct rs_location {
	const char *path;     /* as given, or the file's path inside a given directory */
	long line;
	long long offset;
	const char *encoding; /* "pem", "der", "pkcs7-pem", "pkcs7-der", "pkcs12" */
};

/** A list of certificates, each with the place it was found. The list owns a reference to each certificate. */
struct rs_certlist;

RS_API struct rs_certlist *rs_certlist_new(void);
RS_API void rs_certlist_free(struct rs_certlist *list);
RS_API size_t rs_certlist_count(const struct rs_certlist *list);
RS_API struct rs_cert *rs_certlist_at(const struct rs_certlist *list, size_t i);
RS_API const struct rs_location *rs_certlist_location(const struct rs_certlist *list, size_t i);
/** Appends cert (adding a reference) with a copy of loc (which may be NULL). */
RS_API int rs_certlist_add(struct rs_certlist *list, struct rs_cert *cert, const struct rs_location *loc,
			   struct rs_error *err);

/** Options of the certificate loaders. Zero-initialise, then set what you need. */
struct rs_load_opts {
	const char *password;    /* for PKCS#12; NULL means none (the empty password is still tried) */
	size_t max_file_bytes;   /* files larger than this are an error; 0 means 64 MiB */
};

/**
 * Loads every certificate from a file or, recursively, a directory. The content decides the format, never the
 * name: PEM (every CERTIFICATE, TRUSTED CERTIFICATE and PKCS7 block), DER, PKCS#7 (PEM or DER) and PKCS#12.
 * Other PEM blocks (keys, CRLs) are skipped. A file with no certificate, an empty file, a truncated or corrupt
 * block, or an unreadable file inside the directory is an error naming that file.
 */
RS_API int rs_load_path(struct rs_certlist *out, const char *path, const struct rs_load_opts *opts,
			struct rs_error *err);
/** The same for bytes in memory; name is used for locations and messages. */
RS_API int rs_load_mem(struct rs_certlist *out, const unsigned char *buf, size_t len, const char *name,
		       const struct rs_load_opts *opts, struct rs_error *err);

/* ------------------------------------------------------------------------------------------------------------ */
/* Catalog: migration profiles                                                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

/** A set of migration profiles (built in or loaded from files) and the certificates they know. */
struct rs_catalog;
/** One migration profile: its known certificates and its rules. Borrowed from its catalog. */
struct rs_profile;
/** One certificate a profile knows about. Borrowed from its catalog. */
struct rs_known;

enum rs_kind { RS_KIND_ROOT, RS_KIND_INTERMEDIATE, RS_KIND_LEAF };

RS_API struct rs_catalog *rs_catalog_new(void);
RS_API void rs_catalog_free(struct rs_catalog *cat);

/** Names of the built-in profiles, NULL-terminated. */
RS_API const char *const *rs_builtin_profiles(void);
/** Adds a built-in profile by id ("azure-iot"), or all of them when id is NULL. */
RS_API int rs_catalog_add_builtin(struct rs_catalog *cat, const char *id, struct rs_error *err);
/** Adds a profile from a JSON file; errors name the file, the JSON path and what is wrong. */
RS_API int rs_catalog_add_file(struct rs_catalog *cat, const char *path, struct rs_error *err);
/** Adds a profile from JSON text; origin names it in messages. */
RS_API int rs_catalog_add_json(struct rs_catalog *cat, const char *text, size_t len, const char *origin,
			       struct rs_error *err);

RS_API size_t rs_catalog_profile_count(const struct rs_catalog *cat);
RS_API const struct rs_profile *rs_catalog_profile_at(const struct rs_catalog *cat, size_t i);
RS_API const struct rs_profile *rs_catalog_profile(const struct rs_catalog *cat, const char *id);

/**
 * What the catalog knows about a certificate: matched by SHA-256, then by SHA-1 (entries known by thumbprint
 * only). NULL when unknown.
 */
RS_API const struct rs_known *rs_catalog_identify(const struct rs_catalog *cat, const struct rs_cert *cert);
/** Lookups by a hex digest (any case). NULL when unknown. */
RS_API const struct rs_known *rs_catalog_by_sha1(const struct rs_catalog *cat, const char *hex);
RS_API const struct rs_known *rs_catalog_by_sha256(const struct rs_catalog *cat, const char *hex);
/** Lookup of a name-and-key anchor by its SPKI SHA-256 (and subject, when given). */
RS_API const struct rs_known *rs_catalog_by_spki(const struct rs_catalog *cat, const char *spki_hex,
						 const char *subject);
/**
 * A documented alias: a thumbprint that documents attach to the wrong certificate. Returns the note and sets
 * *documented_as and *actual (either may be NULL) or returns NULL when sha1 is no documented alias.
 */
RS_API const char *rs_catalog_alias(const struct rs_catalog *cat, const char *sha1_hex, const char **documented_as,
				    const struct rs_known **actual);

RS_API const char *rs_profile_id(const struct rs_profile *p);
RS_API const char *rs_profile_name(const struct rs_profile *p);
RS_API const char *rs_profile_description(const struct rs_profile *p);
RS_API size_t rs_profile_known_count(const struct rs_profile *p);
RS_API const struct rs_known *rs_profile_known_at(const struct rs_profile *p, size_t i);
RS_API const struct rs_known *rs_profile_known(const struct rs_profile *p, const char *id);
/** The profile's root lists by rule: "required", "recommended" or "old". */
RS_API size_t rs_profile_rule_count(const struct rs_profile *p, const char *rule);
RS_API const struct rs_known *rs_profile_rule_at(const struct rs_profile *p, const char *rule, size_t i);
/** Leaf host name patterns ("*.azure-devices.net"). */
RS_API size_t rs_profile_leaf_pattern_count(const struct rs_profile *p);
RS_API const char *rs_profile_leaf_pattern_at(const struct rs_profile *p, size_t i);
/** Timeline events in date order. */
RS_API size_t rs_profile_event_count(const struct rs_profile *p);
RS_API int rs_profile_event_at(const struct rs_profile *p, size_t i, rs_time *when, const char **event,
			       const char **text);
/** Endpoints the profile's service exposes. */
struct rs_endpoint {
	const char *service;  /* "iot-hub", "dps" */
	const char *protocol; /* "mqtt", "mqtt-ws", "https", "amqp" */
	const char *host;
	int port;
	const char *path;     /* or NULL */
	int test;             /* 1 for a test endpoint of a migration notice */
	const char *note;     /* or NULL */
};
RS_API size_t rs_profile_endpoint_count(const struct rs_profile *p);
RS_API const struct rs_endpoint *rs_profile_endpoint_at(const struct rs_profile *p, size_t i);

RS_API const char *rs_known_id(const struct rs_known *k);
RS_API const char *rs_known_name(const struct rs_known *k);
RS_API enum rs_kind rs_known_kind(const struct rs_known *k);
RS_API const char *rs_kind_name(enum rs_kind kind); /* "root", "intermediate", "leaf" */
/** "old", "new", "backup", "ecc", "china", "served", ... as the profile says. */
RS_API const char *rs_known_role(const struct rs_known *k);
RS_API const char *rs_known_summary(const struct rs_known *k);
RS_API const struct rs_profile *rs_known_profile(const struct rs_known *k);
/** Digests; "" when the profile does not give one. */
RS_API const char *rs_known_sha1(const struct rs_known *k);
RS_API const char *rs_known_sha256(const struct rs_known *k);
RS_API const char *rs_known_spki_sha256(const struct rs_known *k);
RS_API const char *rs_known_subject(const struct rs_known *k);
/** not_after, or 0 when unknown. */
RS_API rs_time rs_known_not_after(const struct rs_known *k);
/** The certificate itself when the profile carries it, else NULL. */
RS_API const struct rs_cert *rs_known_cert(const struct rs_known *k);
/** Ids of the roots or intermediates this certificate is issued by. */
RS_API size_t rs_known_issuer_count(const struct rs_known *k);
RS_API const char *rs_known_issuer_at(const struct rs_known *k, size_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Azure: connection strings and SAS tokens                                                                     */
/* ------------------------------------------------------------------------------------------------------------ */

/** A parsed connection string: "HostName=...;DeviceId=...;SharedAccessKey=...". Keys are case-sensitive. */
struct rs_connstr;

/** Parses a connection string; errors name the offending part but never show a key's value. */
RS_API struct rs_connstr *rs_connstr_parse(const char *text, struct rs_error *err);
RS_API void rs_connstr_free(struct rs_connstr *cs);
/** The value of key ("HostName", "DeviceId", "SharedAccessKey", "GatewayHostName", ...), or NULL when absent. */
RS_API const char *rs_connstr_get(const struct rs_connstr *cs, const char *key);

/**
 * Makes a SAS token "SharedAccessSignature sr=SR&sig=SIG&se=EXPIRY[&skn=KEYNAME]" and returns it (the caller
 * frees it with free()). sr is used and signed exactly as given: URL-encode it first (rs_url_encode) if the
 * client you imitate does. key_b64 is the base64 SharedAccessKey; key_name may be NULL.
 */
RS_API char *rs_sas_make(const char *sr, const char *key_b64, rs_time expiry, const char *key_name,
			 struct rs_error *err);

/** A parsed SAS token. Fields are parsed by key, in any order. */
struct rs_sas;

RS_API struct rs_sas *rs_sas_parse(const char *token, struct rs_error *err);
RS_API void rs_sas_free(struct rs_sas *sas);
/** sr exactly as received (what the signature covers). */
RS_API const char *rs_sas_resource(const struct rs_sas *sas);
/** sr URL-decoded. */
RS_API const char *rs_sas_resource_decoded(const struct rs_sas *sas);
/** skn, or "" when absent. */
RS_API const char *rs_sas_key_name(const struct rs_sas *sas);
RS_API rs_time rs_sas_expiry(const struct rs_sas *sas);

/**
 * Verifies a SAS token the way the service does: the signature is HMAC-SHA256 over the literal sr, "\n" and se,
 * keyed with base64decode(key_b64); the token must not have expired at `at`; and the URL-decoded sr must match
 * resource (case-insensitively, as a prefix ending at a path segment). Fails with RS_ERR_AUTH (bad signature or
 * resource), RS_ERR_EXPIRED or RS_ERR_USAGE (key_b64 is not base64). Messages never show the key or signature.
 */
RS_API int rs_sas_verify(const struct rs_sas *sas, const char *key_b64, const char *resource, rs_time at,
			 struct rs_error *err);

/** DPS group enrollment: base64(HMAC-SHA256(base64decode(group_key_b64), registration_id)). Caller frees. */
RS_API char *rs_derive_device_key(const char *group_key_b64, const char *registration_id, struct rs_error *err);

/** Percent-encodes everything but unreserved characters, with uppercase (upper != 0) or lowercase hex; NULL when
 * out of memory. The caller frees the result with free(). */
RS_API char *rs_url_encode(const char *text, int upper);
/** Percent-decodes ('+' stays '+'); NULL on a malformed escape or an encoded NUL. Caller frees. */
RS_API char *rs_url_decode(const char *text);
/** "***" and the last 4 characters of a secret, for messages: writes into buf (at least 8 bytes). */
RS_API const char *rs_mask_secret(const char *secret, char *buf, size_t size);

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
RS_API int rs_mqtt_decode(const unsigned char *buf, size_t len, size_t max_packet, struct rs_mqtt_packet *pkt,
			  size_t *used, struct rs_error *err);
/**
 * Encodes pkt into out (capacity cap) and sets *len. With out NULL, only computes *len. Fails with RS_ERR_LIMIT
 * when cap is too small and RS_ERR_USAGE when the packet is not encodable (a string over 65535 bytes, ...).
 */
RS_API int rs_mqtt_encode(const struct rs_mqtt_packet *pkt, unsigned char *out, size_t cap, size_t *len,
			  struct rs_error *err);
/** "CONNECT", "CONNACK", ...; "?" for others. */
RS_API const char *rs_mqtt_type_name(enum rs_mqtt_type type);
/** 1 when s equals the NUL-terminated text. */
RS_API int rs_mqtt_str_eq(struct rs_mqtt_str s, const char *text);

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
RS_API int rs_http_parse_request(const char *buf, size_t len, size_t max_head, struct rs_http_request *req,
				 size_t *used, struct rs_error *err);
/** The first header named name (case-insensitive), or NULL. */
RS_API const struct rs_span *rs_http_header(const struct rs_http_request *req, const char *name);
/** 1 when header name holds token in its comma-separated list (case-insensitive), as "Connection: keep-alive, Upgrade". */
RS_API int rs_http_header_has_token(const struct rs_http_request *req, const char *name, const char *token);
/** 1 when s equals text, ignoring ASCII case. */
RS_API int rs_span_eq_ci(struct rs_span s, const char *text);

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + RFC 6455 GUID)); out gets 29 bytes. */
RS_API int rs_ws_accept(struct rs_span key, char out[29], struct rs_error *err);

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
RS_API int rs_ws_decode(const unsigned char *buf, size_t len, size_t max_payload, struct rs_ws_frame *frame,
			size_t *used, struct rs_error *err);
/** XORs data with mask, starting at byte offset of the payload (for payloads unmasked in pieces). */
RS_API void rs_ws_unmask(unsigned char *data, size_t len, const unsigned char mask[4], size_t offset);
/** Writes a frame header (FIN set) into out and returns its length (2 to 14); mask may be NULL (server frames). */
RS_API size_t rs_ws_header(enum rs_ws_opcode opcode, size_t payload_len, const unsigned char *mask,
			   unsigned char out[14]);

#ifdef __cplusplus
}
#endif
#endif /* ROOTSHIFT_H */
