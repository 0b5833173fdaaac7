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
/* Verification: a path builder that survives cross-signs                                                      */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * Why a path failed: X(enum name, code, description). The codes are stable (docs/verify.md); new ones may be added.
 */
#define RS_VERIFY_REASON_TABLE(X)                                                                     \
	X(RS_VERIFY_OK, "ok", "a valid path was found")                                                   \
	X(RS_VERIFY_UNTRUSTED_ROOT, "untrusted-root", "no path reaches a certificate of the trust store")  \
	X(RS_VERIFY_BAD_SIGNATURE, "bad-signature", "an issuer's key does not verify the signature")      \
	X(RS_VERIFY_EXPIRED, "expired", "a certificate of the path has expired")                          \
	X(RS_VERIFY_NOT_YET_VALID, "not-yet-valid", "a certificate of the path is not valid yet")          \
	X(RS_VERIFY_NOT_A_CA, "not-a-ca", "an issuer is not a CA (basicConstraints)")                      \
	X(RS_VERIFY_BAD_KEY_USAGE, "bad-key-usage", "key usage forbids the certificate's role")           \
	X(RS_VERIFY_BAD_EKU, "bad-eku", "extended key usage does not allow TLS server authentication")    \
	X(RS_VERIFY_PATH_TOO_LONG, "path-too-long", "the path breaks a pathLenConstraint or the max depth") \
	X(RS_VERIFY_NAME_CONSTRAINTS, "name-constraints", "a name is outside a CA's name constraints")     \
	X(RS_VERIFY_NAME_MISMATCH, "name-mismatch", "the end certificate does not match the host name")   \
	X(RS_VERIFY_CRITICAL_EXTENSION, "critical-extension", "a certificate has an unhandled critical extension") \
	X(RS_VERIFY_MALFORMED, "malformed", "a certificate breaks RFC 5280's encoding rules (names, SAN syntax)") \
	X(RS_VERIFY_CHAIN_TOO_LARGE, "chain-too-large", "the served chain is larger than the device's buffer") \
	X(RS_VERIFY_UNSUPPORTED_DIGEST, "unsupported-digest", "a signature uses a digest the device lacks")  \
	X(RS_VERIFY_UNSUPPORTED_KEY, "unsupported-key", "a key is of a type or size the device cannot use")  \
	X(RS_VERIFY_SEARCH_LIMIT, "search-limit", "the search stopped at its work limit without a valid path")

#define RS_X_ENUM(name, code, desc) name,
enum rs_verify_reason { RS_VERIFY_REASON_TABLE(RS_X_ENUM) RS_VERIFY__COUNT };
#undef RS_X_ENUM

/** The stable short code of a reason ("untrusted-root"), and a one-line description. */
RS_API const char *rs_verify_reason_code(enum rs_verify_reason reason);
RS_API const char *rs_verify_reason_description(enum rs_verify_reason reason);

/** What to check and what the device can do: a configuration object, separate from the result. */
struct rs_verify_opts;

/** Defaults: time 0 (set it), no host check, no depth, size, digest or key limits, work limit 5000 steps. */
RS_API struct rs_verify_opts *rs_verify_opts_new(void);
RS_API void rs_verify_opts_free(struct rs_verify_opts *opts);
/** The time of the verdict. */
RS_API void rs_verify_opts_set_time(struct rs_verify_opts *opts, rs_time at);
/** The host name (or IP address) the end certificate must match per RFC 6125; NULL turns the check off. */
RS_API int rs_verify_opts_set_host(struct rs_verify_opts *opts, const char *host, struct rs_error *err);
/** The most intermediates a path may have between the end certificate and the anchor; -1 (default) = no limit. */
RS_API void rs_verify_opts_set_max_depth(struct rs_verify_opts *opts, int max_intermediates);
/** The most bytes the served chain (sum of its DER sizes) may take; 0 (default) = no limit. */
RS_API void rs_verify_opts_set_max_chain_bytes(struct rs_verify_opts *opts, size_t bytes);
/** A digest the device lacks: "md5", "sha1", "sha224", "sha256", "sha384" or "sha512". */
RS_API int rs_verify_opts_deny_digest(struct rs_verify_opts *opts, const char *digest, struct rs_error *err);
/** A key the device cannot use: a type ("RSA", "EC", "Ed25519", "DSA", ...) or an EC curve ("P-384"). */
RS_API int rs_verify_opts_deny_key(struct rs_verify_opts *opts, const char *key, struct rs_error *err);
/** The largest RSA key the device can use; 0 (default) = no limit. */
RS_API void rs_verify_opts_set_rsa_max_bits(struct rs_verify_opts *opts, int bits);
/** The work limit: candidate issuers examined plus signatures checked, per call; 0 restores the default. */
RS_API void rs_verify_opts_set_max_work(struct rs_verify_opts *opts, size_t steps);

/** The outcome of one verification: the valid paths, or why the best failed path failed. */
struct rs_verify_result;

/**
 * Builds every path from chain's first certificate (the end certificate, leaf first as a server sends it) to a
 * certificate of store, using the rest of chain and untrusted (which may be NULL) as intermediates, and checks
 * each against opts. A CA certificate may be the end certificate. Returns NULL only when it cannot run (chain
 * empty, out of memory); a failed verification is a result with a reason.
 */
RS_API struct rs_verify_result *rs_verify(const struct rs_certlist *chain, const struct rs_certlist *untrusted,
					  const struct rs_certlist *store, const struct rs_verify_opts *opts,
					  struct rs_error *err);
RS_API void rs_verify_result_free(struct rs_verify_result *result);
/** 1 when at least one valid path was found. */
RS_API int rs_verify_result_ok(const struct rs_verify_result *result);
/** RS_VERIFY_OK, or why the best failed path failed. */
RS_API enum rs_verify_reason rs_verify_result_reason(const struct rs_verify_result *result);
/** One line naming the certificate at fault; "" when ok. */
RS_API const char *rs_verify_result_message(const struct rs_verify_result *result);
/** Valid paths, shortest first; each lists the end certificate first and the trust anchor last. */
RS_API size_t rs_verify_result_path_count(const struct rs_verify_result *result);
RS_API const struct rs_certlist *rs_verify_result_path_at(const struct rs_verify_result *result, size_t i);
/**
 * The best failed path (one that reached the store, else the longest dead end), NULL when ok; *at is set to
 * the index of the certificate at fault, or -1 when the fault is the path as a whole.
 */
RS_API const struct rs_certlist *rs_verify_result_failed_path(const struct rs_verify_result *result, long *at);
/** Sum of the DER sizes of the served chain. */
RS_API size_t rs_verify_result_chain_bytes(const struct rs_verify_result *result);
/** Work spent (see rs_verify_opts_set_max_work) and 1 when the search stopped at the limit or path cap. */
RS_API size_t rs_verify_result_work(const struct rs_verify_result *result);
RS_API int rs_verify_result_truncated(const struct rs_verify_result *result);

#ifdef __cplusplus
}
#endif
#endif /* ROOTSHIFT_H */
