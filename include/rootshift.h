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
 *  - An object's fields come together in one struct, filled by rs_x_info(): its pointers borrow as getters do.
 *  - Configuration is by option structs. Most are zero-initialised and passed as they are (rs_load_opts, ...);
 *    those whose defaults are not all zero (verification, probing) start from rs_x_config_init() and become
 *    options with rs_x_opts_from(), which copies what it needs.
 *  - Adders copy their arguments (a certificate: they add a reference to it).
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
 * tells a front end what kind of problem it is; all of them mean "could not run" (exit code 2), but for
 * RS_ERR_CANCELLED: a long call stopped because its caller asked it to (a cancel flag in its options).
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
	X(RS_ERR_INTERNAL, "internal", "internal error")                       \
	X(RS_ERR_CANCELLED, "cancelled", "stopped on request")

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
/** Category of an error code: "usage", "io", "input", "profile", "internal" or "cancelled". */
RS_API const char *rs_errcode_category(enum rs_errcode code);

/* ------------------------------------------------------------------------------------------------------------ */
/* Time                                                                                                         */
/* ------------------------------------------------------------------------------------------------------------ */

/** A time: seconds since the Unix epoch, UTC. */
typedef int64_t rs_time;

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

/** The DER encoding, borrowed; *len gets its size. */
RS_API const unsigned char *rs_cert_der(const struct rs_cert *cert, size_t *len);
/** The certificate as one PEM block (RFC 7468: 64 base64 characters a line, "\n" line ends); caller frees. */
RS_API char *rs_cert_pem(const struct rs_cert *cert);
/** 1 when cert is valid at `at` and its notAfter comes within `within` seconds of it (--expiring-within). */
RS_API int rs_cert_expires_within(const struct rs_cert *cert, rs_time at, rs_time within);
/** 1 when not_before <= at <= not_after. */
RS_API int rs_cert_valid_at(const struct rs_cert *cert, rs_time at);

/** What rootshift reports about a certificate, computed once when it was parsed. Strings and lists are borrowed
 *  from the certificate. */
struct rs_cert_info {
	const char *sha1;           /* 40 hex digits */
	const char *sha256;         /* 64 hex digits */
	const char *spki_sha256;    /* SHA-256 of the DER SubjectPublicKeyInfo */
	const char *spki_pin;       /* the same as a pin: "sha256//" and its base64 (curl --pinnedpubkey, RFC 7469) */
	const char *subject;        /* RFC 2253 order, UTF-8 */
	const char *issuer;
	const char *common_name;    /* the subject's last CN, or "" */
	const char *serial;         /* lowercase hex, no separators */
	rs_time not_before, not_after;
	int is_ca;                  /* 1 when basicConstraints says cA=TRUE */
	long path_len;              /* pathLenConstraint, or -1 when absent */
	int self_issued;            /* 1 when issuer and subject are the same name */
	const char *key_type;       /* "RSA", "EC", "Ed25519", ... */
	int key_bits;
	const char *key_curve;      /* "P-384" for EC keys, else "" */
	const char *sig_alg;        /* "sha256WithRSAEncryption", ... */
	const char *ski;            /* hex, or "" */
	const char *aki;            /* hex key identifier, or "" */
	/* why the certificate breaks RFC 5280's encoding rules (a duplicate extension, an extension that does not
	 * decode, an empty key usage, SAN or AIA), or NULL; only rs_load_opts.keep_malformed loads such certificates
	 * when OpenSSL itself flags them */
	const char *malformed;
	const char *const *san;     /* subject alternative names as "DNS:x", "IP:x", "email:x" or "URI:x" */
	size_t san_count;
	const char *const *key_usage; /* key usage bits by name ("digitalSignature", "keyCertSign", ...) */
	size_t key_usage_count;
	const char *const *ext_key_usage; /* extended key usages by short name ("serverAuth", ...) or dotted OID */
	size_t ext_key_usage_count;
};

/** Fills *info with what rootshift reports about cert; its pointers live as long as cert. */
RS_API void rs_cert_info(const struct rs_cert *cert, struct rs_cert_info *info);

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

/** An empty list; freeing it drops its references. */
RS_API struct rs_certlist *rs_certlist_new(void);
RS_API void rs_certlist_free(struct rs_certlist *list);
/** The certificates in the order added, and where each was found (as given to rs_certlist_add). */
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
	int keep_malformed;      /* keep certificates with invalid extensions (rs_cert_info: malformed) instead of failing */
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
/** "root", "intermediate" or "leaf". */
RS_API const char *rs_kind_name(enum rs_kind kind);

/** An empty catalog; add profiles with rs_catalog_add_builtin or rs_catalog_add_file. */
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

/** The profiles, in the order they were added; a profile by id, or NULL. */
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

/** The certificates the profile knows, in its order. */
RS_API size_t rs_profile_known_count(const struct rs_profile *p);
RS_API const struct rs_known *rs_profile_known_at(const struct rs_profile *p, size_t i);
/** A known certificate by its id in the profile, or NULL. */
RS_API const struct rs_known *rs_profile_known(const struct rs_profile *p, const char *id);
/** The profile's root lists by rule: "required", "recommended" or "old". */
RS_API size_t rs_profile_rule_count(const struct rs_profile *p, const char *rule);
RS_API const struct rs_known *rs_profile_rule_at(const struct rs_profile *p, const char *rule, size_t i);
/**
 * Appends the roots of a rule ("required", "recommended", "old") that the profile carries as certificates to out,
 * with the location path "<profile id>:<certificate id>" and encoding "catalog": the "what if" stores.
 */
RS_API int rs_profile_rule_store(const struct rs_profile *p, const char *rule, struct rs_certlist *out,
				 struct rs_error *err);
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

/** A profile's description. Pointers are borrowed from its catalog. */
struct rs_profile_info {
	const char *id;                     /* "azure-iot" */
	const char *name;
	const char *description;
	rs_time migration_complete;         /* when its service finished moving to its new root, or 0 */
	const char *const *leaf_patterns;   /* leaf host name patterns ("*.azure-devices.net") */
	size_t leaf_pattern_count;
	const struct rs_endpoint *endpoints; /* the endpoints its service exposes */
	size_t endpoint_count;
};

/** Fills *info with the profile's description. */
RS_API void rs_profile_info(const struct rs_profile *p, struct rs_profile_info *info);

/** What a profile says about one certificate. Pointers are borrowed from its catalog. */
struct rs_known_info {
	const char *id;
	const char *name;
	enum rs_kind kind;
	const char *role;                  /* "old", "new", "backup", "ecc", "china", "served", ... */
	const char *summary;
	const struct rs_profile *profile;
	const char *sha1;                  /* digests; "" when the profile does not give one */
	const char *sha256;
	const char *spki_sha256;
	const char *subject;
	rs_time not_after;                 /* or 0 when unknown */
	const struct rs_cert *cert;        /* the certificate itself when the profile carries it, else NULL */
	const char *const *issuers;        /* ids of the roots or intermediates it is issued by */
	size_t issuer_count;
};

/** Fills *info with what the profile says about k. */
RS_API void rs_known_info(const struct rs_known *k, struct rs_known_info *info);

/**
 * Translation to look-alikes: a stand-in PKI (the lab's) plays catalog certificates with its own keys, so a real
 * store or pin means nothing to it until each real certificate is replaced by the stand-in of the same role.
 * A look-alike names the catalog certificate it plays as "PROFILE:ID" ("azure-iot:digicert-global-root-g2").
 */
struct rs_lookalike {
	const char *role;            /* the stand-in's own name: "old-root", "new-ca", ... */
	const char *plays;           /* "PROFILE:ID" of the catalog certificate it stands for */
	const struct rs_cert *cert;  /* the stand-in itself */
};
enum rs_translate_how {
	RS_TRANSLATE_SAME, /* the look-alike plays this very certificate */
	RS_TRANSLATE_ROLE, /* an intermediate the look-alikes do not play, replaced by the one that plays an
			    * intermediate of the same role issued by the same roots (Microsoft RSA TLS CA 02 -> the
			    * look-alike of CA 01) */
	RS_TRANSLATE_KEPT  /* known to the catalog, but nothing plays it: kept as it is */
};
/** One catalog certificate met by rs_translate_certs. Borrows from its inputs. */
struct rs_translation {
	const struct rs_cert *real;   /* from the input list */
	const struct rs_known *known; /* what the catalog knows it as */
	const struct rs_lookalike *by; /* its stand-in; NULL when kept */
	enum rs_translate_how how;
};
/**
 * Copies in to out with each certificate the catalog identifies (by fingerprint, else by SPKI and subject) and a
 * look-alike of map stands for replaced by that look-alike; by catalog identity and the profile's roles and
 * issuers, never by name. Certificates the catalog does not know, and catalog ones nothing plays, are copied as
 * they are; a look-alike already in out is not added twice. Writes up to max records to tr (may be NULL with max
 * 0), one per catalog certificate met, and returns how many were met; -1 on error. Look-alikes whose "plays"
 * names no certificate of cat are ignored.
 */
RS_API int rs_translate_certs(const struct rs_catalog *cat, const struct rs_lookalike *map, size_t nmap,
			      const struct rs_certlist *in, struct rs_certlist *out, struct rs_translation *tr,
			      size_t max, struct rs_error *err);
RS_API const char *rs_translate_how_name(enum rs_translate_how how); /* "same", "role", "kept" */

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
 * frees it with free()). sr is used and signed exactly as given: URL-encode it first if the
 * client you imitate does. key_b64 is the base64 SharedAccessKey; key_name may be NULL.
 */
RS_API char *rs_sas_make(const char *sr, const char *key_b64, rs_time expiry, const char *key_name,
			 struct rs_error *err);

/** A parsed SAS token. Fields are parsed by key, in any order. */
struct rs_sas;

/** Parses "SharedAccessSignature sr=...&sig=...&se=...[&skn=...]"; errors never show the signature. */
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

/**
 * IoT Hub device credentials from a connection string, as the Azure IoT C SDK makes them: the checks of its parser
 * (HostName contains a dot; DeviceId present; exactly one of SharedAccessKey and SharedAccessSignature), client id
 * deviceId[/moduleId], username "{HostName}/{deviceId}[/{moduleId}]/?api-version=2021-04-12", and a SAS token
 * over "{HostName}/devices/{deviceId}[/modules/{moduleId}]" expiring at at + lifetime seconds (or the given
 * SharedAccessSignature as is). *host is where to connect: GatewayHostName when given, else HostName.
 * The caller frees the four strings with free().
 */
RS_API int rs_azure_hub_credentials(const struct rs_connstr *cs, rs_time at, int lifetime, char **host,
				    char **client_id, char **username, char **sas, struct rs_error *err);
/**
 * DPS registration credentials: username "{idScope}/registrations/{registrationId}/api-version=2019-03-31" and a
 * SAS token over "{idScope}/registrations/{registrationId}" with skn=registration. key_b64 is the device key
 * (derive it from a group key with rs_derive_device_key). The caller frees both strings.
 */
RS_API int rs_azure_dps_credentials(const char *id_scope, const char *registration_id, const char *key_b64,
				    rs_time at, int lifetime, char **username, char **sas, struct rs_error *err);

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
	X(RS_VERIFY_SEARCH_LIMIT, "search-limit", "the search stopped at its work limit without a valid path") \
	X(RS_VERIFY_KEY_POLICY, "key-policy", "a key is weaker than, or of a kind other than, the key policy allows") \
	X(RS_VERIFY_PROFILE, "profile", "a certificate breaks a rule of the verification policy's profile")     \
	X(RS_VERIFY_REVOKED, "revoked", "a certificate of the path is revoked by a CRL")                     \
	X(RS_VERIFY_BAD_CRL, "bad-crl", "a CRL of an issuer on the path cannot be used")

#define RS_X_ENUM(name, code, desc) name,
enum rs_verify_reason { RS_VERIFY_REASON_TABLE(RS_X_ENUM) RS_VERIFY__COUNT };
#undef RS_X_ENUM

/** The stable short code of a reason ("untrusted-root"), and a one-line description. */
RS_API const char *rs_verify_reason_code(enum rs_verify_reason reason);
RS_API const char *rs_verify_reason_description(enum rs_verify_reason reason);

/**
 * Verification policies (docs/verify.md lists the rules of each). WEBPKI, the default, is as strict as
 * rustls-webpki and pyca/cryptography (CA/Browser Forum profile, key policy on). RFC5280 is what a lenient device
 * stack (mbedTLS, OpenSSL) accepts: RFC 5280's path rules without the Web PKI profile and without the key policy.
 */
enum rs_verify_policy { RS_VERIFY_POLICY_WEBPKI, RS_VERIFY_POLICY_RFC5280 };
/** "webpki" or "rfc5280". */
RS_API const char *rs_verify_policy_name(enum rs_verify_policy policy);
/** Parses "webpki" or "rfc5280" (any case); RS_ERR_USAGE for others. */
RS_API int rs_verify_policy_parse(const char *name, enum rs_verify_policy *out, struct rs_error *err);

/** Verification options: what to check and what the device can do, separate from the result. */
struct rs_verify_opts;

/**
 * What to check and what the device can do, as an option struct: initialise it with rs_verify_config_init (the
 * defaults are not all zero), set what you need, and make it into verification options with rs_verify_opts_from.
 * Lists are NULL-terminated; every pointer is read only during rs_verify_opts_from.
 */
struct rs_verify_config {
	rs_time at;                      /* the time of the verdict: set it */
	const char *host;                /* the host name (or IP address) the end certificate must match per
					    RFC 6125; NULL: no host check */
	int max_depth;                   /* the most intermediates a path may have; -1 (default): no limit */
	size_t max_chain_bytes;          /* the most bytes the served chain (its DER sizes) may take; 0: no limit */
	int rsa_max_bits;                /* the largest RSA key the device can use; 0: no limit */
	size_t max_work;                 /* candidate issuers examined plus signatures checked, per rs_verify;
					    0: the default, 5000 */
	enum rs_verify_policy policy;    /* default RS_VERIFY_POLICY_WEBPKI */
	int min_rsa_bits;                /* the key policy's RSA minimum (also a multiple of 8); -1 (default): the
					    policy's own (2048 under webpki, none under rfc5280); 0: no RSA rule */
	const char *const *deny_digests; /* digests the device lacks: "md5", "sha1", "sha224", "sha256", "sha384",
					    "sha512" */
	const char *const *deny_keys;    /* keys the device cannot use: a type ("RSA", "EC", "Ed25519", "DSA") or an
					    EC curve ("P-384") */
	const char *const *allow_keys;   /* what the webpki key policy forbids but the device takes: "DSA", an EC
					    curve ("P-192", "secp256k1"), "any-curve" or "explicit-curve" */
	const char *const *crl_paths;    /* files of CRLs (PEM or DER, one or more each): revocation is checked */
	const unsigned char *crls;       /* CRLs in memory (PEM or DER, one or more), crls_len bytes, named
					    crls_name in messages; NULL for none */
	size_t crls_len;
	const char *crls_name;
};

/** The defaults: time 0, no host check, no depth, size, digest or key limits, policy webpki, work limit 5000. */
RS_API void rs_verify_config_init(struct rs_verify_config *config);
/**
 * Verification options from a configuration, for rs_verify and rs_probe_config. Fails with RS_ERR_USAGE naming
 * the value (an unknown digest, an empty host or key name), RS_ERR_LIMIT for more than 16 names in a list, the
 * errors of a CRL file or buffer, or RS_ERR_NOMEM. Free the result with rs_verify_opts_free.
 */
RS_API struct rs_verify_opts *rs_verify_opts_from(const struct rs_verify_config *config, struct rs_error *err);
RS_API void rs_verify_opts_free(struct rs_verify_opts *opts);

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

/** The outcome of one verification. Pointers are borrowed from the result. */
struct rs_verify_info {
	int ok;                            /* 1 when at least one valid path was found */
	enum rs_verify_reason reason;      /* RS_VERIFY_OK, or why the best failed path failed */
	const char *message;               /* one line naming the certificate at fault; "" when ok */
	const char *rule;                  /* the rule that decided ("rfc5280.validity", ... docs/verify.md); "" when ok */
	enum rs_verify_policy policy;      /* the policy the verdict was made under */
	/* valid paths, shortest first; each lists the end certificate first and the trust anchor last */
	const struct rs_certlist *const *paths;
	size_t path_count;
	/* the best failed path (one that reached the store, else the longest dead end), NULL when ok; failed_at is the
	 * index of the certificate at fault, or -1 when the fault is the path as a whole */
	const struct rs_certlist *failed_path;
	long failed_at;
	/* store certificates not used as anchors because they are malformed (rs_cert_info: malformed says why) */
	const struct rs_certlist *skipped;
	size_t chain_bytes;                /* sum of the DER sizes of the served chain */
	size_t work;                       /* work spent (rs_verify_opts_set_max_work) */
	int truncated;                     /* 1 when the search stopped at the work limit or the path cap */
};

/** Fills *info with the outcome of a verification. */
RS_API void rs_verify_result_info(const struct rs_verify_result *result, struct rs_verify_info *info);

/* ------------------------------------------------------------------------------------------------------------ */
/* Probe: an endpoint checked as the device sees it                                                             */
/* ------------------------------------------------------------------------------------------------------------ */

/* One result per probe: X(enum name, code, group). The codes are stable (docs/probe.md). closed-by-peer: the
 * server hung up (FIN or RST) after the handshake; its stage says after what (after-tls, after-upgrade,
 * after-connect, after-register, after-request, after-amqp-header). internal-error: rootshift itself failed
 * (memory, a socket), which says nothing about the endpoint. */
#define RS_PROBE_CODE_TABLE(X)                                  \
	X(RS_PROBE_OK, "ok", "protocol")                            \
	X(RS_PROBE_OK_AUTH_REJECTED, "ok-auth-rejected", "protocol") \
	X(RS_PROBE_PROTOCOL_ERROR, "protocol-error", "protocol")    \
	X(RS_PROBE_DNS_FAILED, "dns-failed", "network")             \
	X(RS_PROBE_TCP_REFUSED, "tcp-refused", "network")           \
	X(RS_PROBE_TCP_TIMEOUT, "tcp-timeout", "network")           \
	X(RS_PROBE_PROXY_FAILED, "proxy-failed", "network")         \
	X(RS_PROBE_TLS_ALERT, "tls-alert", "tls")                   \
	X(RS_PROBE_TLS_PROTOCOL_ERROR, "tls-protocol-error", "tls") \
	X(RS_PROBE_CERT_UNTRUSTED, "cert-untrusted", "certificate") \
	X(RS_PROBE_CERT_EXPIRED, "cert-expired", "certificate")     \
	X(RS_PROBE_CERT_HOSTNAME_MISMATCH, "cert-hostname-mismatch", "certificate") \
	X(RS_PROBE_CERT_CHAIN_TOO_LARGE, "cert-chain-too-large", "certificate") \
	X(RS_PROBE_TIMEOUT, "timeout", "other")                     \
	X(RS_PROBE_CLOSED_BY_PEER, "closed-by-peer", "network")     \
	X(RS_PROBE_INTERNAL_ERROR, "internal-error", "other")

#define RS_X_ENUM(name, code, group) name,
enum rs_probe_code { RS_PROBE_CODE_TABLE(RS_X_ENUM) RS_PROBE__COUNT };
#undef RS_X_ENUM

/** "ok-auth-rejected", and its group: "network", "tls", "certificate", "protocol" or "other". */
RS_API const char *rs_probe_code_name(enum rs_probe_code code);
RS_API const char *rs_probe_code_group(enum rs_probe_code code);
/** The result code for a served chain that the path builder rejected for reason (cert-expired, cert-untrusted...). */
RS_API enum rs_probe_code rs_probe_code_for_verify(enum rs_verify_reason reason);

/** What the probe speaks after TLS. */
enum rs_probe_protocol {
	RS_PROTO_TLS,     /* the handshake only */
	RS_PROTO_MQTT,    /* IoT Hub MQTT: CONNECT, CONNACK */
	RS_PROTO_DPS_MQTT,/* DPS MQTT: CONNECT, SUBSCRIBE, PUBLISH register, res/{status} */
	RS_PROTO_HTTPS,   /* IoT Hub events POST or DPS register PUT, then the status */
	RS_PROTO_AMQP     /* the AMQP protocol header exchange and the SASL mechanisms offered */
};

/** A clock for timeouts, in milliseconds from any fixed origin; the library never reads the clock itself. */
typedef int64_t (*rs_clock_fn)(void *ctx);

/** Probe options: how to probe one target, made from a struct rs_probe_config, separate from the result. */
struct rs_probe_opts;

/**
 * How to probe one target, as an option struct: initialise it with rs_probe_config_init, set what you need, and
 * make it into probe options with rs_probe_opts_from, which copies every string and the store.
 */
struct rs_probe_config {
	const char *host;         /* the host the device names (SNI, host check, MQTT username): set it */
	int port;
	const char *connect_host; /* where to connect instead, keeping the name (a lab, a gateway); NULL: the host */
	int connect_port;
	const char *proxy_host;   /* an HTTP CONNECT proxy; NULL for none */
	int proxy_port;
	enum rs_probe_protocol protocol; /* default RS_PROTO_TLS */
	const struct rs_certlist *store; /* the device's trust store (a reference to each certificate is kept) */
	/* verification of the served chain (time, device limits), the host set from the target; borrowed, so it must
	 * outlive the probe options; NULL means the defaults at time 0 */
	const struct rs_verify_opts *verify;
	const char *alpn;         /* ALPN protocol ("mqtt", "http/1.1"); NULL for none */
	const char *tls_min;      /* TLS version bounds: "1.0", "1.1", "1.2" or "1.3"; NULL leaves a bound open */
	const char *tls_max;
	int connect_ms;           /* timeouts in milliseconds: connect (default 10000), handshake (10000) and the */
	int handshake_ms;         /* whole probe (30000, needs a clock); 0 or less keeps the default */
	int total_ms;
	rs_clock_fn clock;        /* the clock for timeouts and timings; NULL: none */
	void *clock_ctx;
	/* credentials for the protocol step. IoT Hub: client_id = deviceId (or deviceId/moduleId), username as the
	 * hub expects, password = a SAS token. DPS: client_id = registrationId, username, password. HTTPS: password is
	 * the Authorization header. Secrets are kept, never shown: results and messages mask them */
	const char *client_id;
	const char *username;
	const char *password;
	const char *http_method;  /* the HTTPS request: method, path (starting with '/') and body */
	const char *http_path;
	const char *http_body;
	const char *websocket_path; /* MQTT over WebSockets: the path ("/$iothub/websocket"); NULL: MQTT over TLS */
	int transcript;           /* 1: record every protocol message (secrets masked) in the result's transcript */
};

/** The defaults: no target, TLS only, no store, timeouts 10 s, 10 s and 30 s, no clock. */
RS_API void rs_probe_config_init(struct rs_probe_config *config);
/**
 * Probe options from a configuration. Fails with RS_ERR_USAGE naming the value (no target host, a port out of
 * range, an unknown TLS version, a bad ALPN, HTTP or WebSocket path) or RS_ERR_NOMEM. Free the result with
 * rs_probe_opts_free.
 */
RS_API struct rs_probe_opts *rs_probe_opts_from(const struct rs_probe_config *config, struct rs_error *err);
RS_API void rs_probe_opts_free(struct rs_probe_opts *opts);

/** What one probe found. */
struct rs_probe_result;

/** Runs one probe. NULL only when it cannot run (usage, memory); network failures are results. */
RS_API struct rs_probe_result *rs_probe_run(const struct rs_probe_opts *opts, struct rs_error *err);
RS_API void rs_probe_result_free(struct rs_probe_result *result);

/** What one probe found. Pointers are borrowed from the result; secrets are masked in every string. */
struct rs_probe_info {
	enum rs_probe_code code;
	const char *stage;           /* where it ended: "dns", "tcp", "proxy", "tls", "verify", "protocol" or "done" */
	const char *message;         /* one line with the detail (an alert, an error, a CONNACK code) */
	const struct rs_certlist *served_chain; /* the chain the server sent, leaf first, captured even when
						   verification fails; empty before TLS */
	const struct rs_verify_result *verify;  /* the served chain against the device's store; NULL when none */
	const char *tls_version;     /* negotiated ("TLSv1.3"), or "" */
	const char *cipher;          /* or "" */
	const char *alpn;            /* or "" */
	const char *peer;            /* the address connected to ("127.0.0.1:8883"), or "" */
	int status;                  /* the protocol's answer: the CONNACK return code, the DPS or HTTP status; or -1 */
	const char *detail;          /* an HTTP or DPS response body (truncated), the AMQP SASL mechanisms; or "" */
	const char *transcript;      /* one message a line; "" unless asked for */
	int64_t connect_ms;          /* milliseconds spent connecting (-1 without a clock) */
	int64_t handshake_ms;        /* and in the handshake */
};

/** Fills *info with what the probe found. */
RS_API void rs_probe_result_info(const struct rs_probe_result *r, struct rs_probe_info *info);

/* ------------------------------------------------------------------------------------------------------------ */
/* Trust anchors: everything a device trusts, in every form it carries                                          */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * A trust anchor is a full certificate or only a name and a key (BearSSL trust anchors and ESP-IDF certificate
 * bundles keep the subject DER and the SubjectPublicKeyInfo DER). Anchors are deduplicated: one anchor per
 * certificate (by SHA-256) or per name and key, with every place it was found.
 */
struct rs_anchor;
/** The anchors of one or more inputs and the findings made on the way. */
struct rs_anchorset;

enum rs_anchor_form { RS_ANCHOR_CERT, RS_ANCHOR_NAME_KEY };

/**
 * Whether an anchor is trusted for TLS server authentication. Only NSS certdata.txt says so explicitly: there a
 * certificate whose CKA_TRUST_SERVER_AUTH is not CKT_NSS_TRUSTED_DELEGATOR is present but not a trust anchor.
 */
enum rs_trust {
	RS_TRUST_ANCHOR,      /* trusted (every form but certdata, and certdata's CKT_NSS_TRUSTED_DELEGATOR) */
	RS_TRUST_MUST_VERIFY, /* certdata CKT_NSS_MUST_VERIFY_TRUST or no trust object: present, not an anchor */
	RS_TRUST_DISTRUSTED   /* certdata CKT_NSS_NOT_TRUSTED: explicitly distrusted */
};

/**
 * Something found that is not an anchor but must be said: kind is "broken-certificate" (a truncated, elided or
 * corrupt certificate), "placeholder" (a sample's stand-in text), "private-key" (reported, never printed),
 * "commented-out" (a certificate inside a comment, not compiled in) or "unreadable" (a file inside a tree that
 * could not be read). loc.path is the file.
 */
struct rs_finding {
	const char *kind;
	const char *message;
	struct rs_location loc;
};

/**
 * Options of the anchor scan. Zero-initialise, then set what you need. progress, when set, is called after each
 * file of a tree with the file's path, the files and bytes done so far; the caller decides whether to show it.
 */
struct rs_scan_opts {
	unsigned long long max_file_bytes; /* larger files are skipped with an "unreadable" finding; 0 = 4 GiB */
	void (*progress)(void *arg, const char *path, unsigned long long files, unsigned long long bytes);
	void *progress_arg;
	/* when set, read before each file and each MiB carved: once *cancel is not 0 the scan stops with
	 * RS_ERR_CANCELLED, and the set keeps what was found so far (a signal handler may set it) */
	const volatile int *cancel;
};

/** An empty anchor set; fill it with the rs_anchorset_scan_* functions. */
RS_API struct rs_anchorset *rs_anchorset_new(void);
RS_API void rs_anchorset_free(struct rs_anchorset *set);

/**
 * Finds every trust anchor in a file or, recursively, a directory (symlink loops and hard links are followed
 * once). The content decides the form, never the name: PEM (also inside JSON or YAML), DER, PKCS#7, PKCS#12 with
 * an empty password, C and C++ sources (string literals and byte arrays), BearSSL trust-anchor headers, ESP-IDF
 * x509_crt_bundle files, NSS certdata.txt, and any other file by carving DER and PEM from its bytes. A file
 * without anchors is not an error; a top-level path that cannot be read is.
 */
RS_API int rs_anchorset_scan_path(struct rs_anchorset *set, const char *path, const struct rs_scan_opts *opts,
				  struct rs_error *err);
/** The same for bytes in memory; name is used for locations. */
RS_API int rs_anchorset_scan_mem(struct rs_anchorset *set, const unsigned char *buf, size_t len, const char *name,
				 const struct rs_scan_opts *opts, struct rs_error *err);

/**
 * The files and directories that make up the operating system's TLS trust store on Debian, Ubuntu, Alpine and
 * Fedora-style systems (RHEL, CentOS, Rocky), NULL-terminated, most specific first. Data only: see docs/audit.md.
 */
RS_API const char *const *rs_system_store_paths(void);
/**
 * Scans those of rs_system_store_paths() that exist under root (NULL or "/" for the running system; a directory
 * to audit an unpacked firmware root file system). RS_ERR_NOTFOUND when none exists.
 */
RS_API int rs_anchorset_scan_system(struct rs_anchorset *set, const char *root, const struct rs_scan_opts *opts,
				    struct rs_error *err);

/** The anchors found, deduplicated, in the order first found; and the findings (rs_finding). */
RS_API size_t rs_anchorset_count(const struct rs_anchorset *set);
RS_API const struct rs_anchor *rs_anchorset_at(const struct rs_anchorset *set, size_t i);
RS_API size_t rs_anchorset_finding_count(const struct rs_anchorset *set);
RS_API const struct rs_finding *rs_anchorset_finding_at(const struct rs_anchorset *set, size_t i);

/** "certificate" or "name-and-key". */
RS_API const char *rs_anchor_form_name(enum rs_anchor_form form);
/** "anchor", "must-verify" or "distrusted". */
RS_API const char *rs_trust_name(enum rs_trust trust);

/** One trust anchor. Pointers are borrowed from its anchor set. */
struct rs_anchor_info {
	enum rs_anchor_form form;
	const struct rs_cert *cert;          /* the certificate, or NULL for a name-and-key anchor */
	const char *subject;                 /* RFC 2253 order, as rs_cert_info's subject */
	const char *spki_sha256;             /* 64 hex digits */
	const unsigned char *subject_der;    /* the subject DER */
	size_t subject_der_len;
	const unsigned char *spki_der;       /* the SubjectPublicKeyInfo DER */
	size_t spki_der_len;
	enum rs_trust trust;
	const char *label;                   /* the NSS label (CKA_LABEL) when it came from certdata.txt, else "" */
	const struct rs_location *locations; /* every place it was found */
	size_t location_count;
};

/** Fills *info with what is known of an anchor. */
RS_API void rs_anchor_info(const struct rs_anchor *a, struct rs_anchor_info *info);

/** What the catalog knows about an anchor: a certificate by its digests, a name and key by SPKI and subject. */
RS_API const struct rs_known *rs_anchor_identify(const struct rs_catalog *cat, const struct rs_anchor *a);
/**
 * A trust store for the path builder: appends the certificate anchors of set that are trusted (RS_TRUST_ANCHOR),
 * each with its first location, to out. Name-and-key anchors (BearSSL, ESP-IDF) carry no certificate and are
 * counted in *skipped (may be NULL).
 */
RS_API int rs_anchorset_trusted_certs(const struct rs_anchorset *set, struct rs_certlist *out, size_t *skipped,
				      struct rs_error *err);

/* ------------------------------------------------------------------------------------------------------------ */
/* Audit: trust anchors judged against a profile at a time                                                      */
/* ------------------------------------------------------------------------------------------------------------ */

enum rs_status { RS_STATUS_READY, RS_STATUS_PARTIAL, RS_STATUS_NOT_READY };
enum rs_severity { RS_SEV_INFO, RS_SEV_WARNING, RS_SEV_ERROR };

/** One reason for a verdict, or one note. Its pointers borrow from the verdict, the anchor set and the catalog:
 *  free the verdict before either of them. */
struct rs_reason {
	const char *code;          /* stable: "required-missing", "root-expired", "pinned-intermediate", ... */
	enum rs_severity severity; /* error: not ready; warning: partial; info: no effect on the status */
	const char *message;       /* one line for a person */
	const char *action;        /* what to do, or NULL */
	const struct rs_known *known;   /* the catalog certificate it is about, or NULL */
	const struct rs_anchor *anchor; /* the anchor it is about, or NULL */
	const struct rs_finding *finding; /* the finding it reports (notes only), or NULL */
};

/** The verdict of one audit. */
struct rs_verdict;

/**
 * Judges the anchors of set against profile p at time at. cat identifies anchors (it should hold p). The
 * verdict is ready when every required and recommended root is a trust anchor valid at at and nothing is
 * pinned; partial when the required roots are there but something else is wrong; not-ready otherwise.
 * docs/audit.md gives every reason code and the time logic.
 */
RS_API struct rs_verdict *rs_audit(const struct rs_anchorset *set, const struct rs_catalog *cat,
				   const struct rs_profile *p, rs_time at, struct rs_error *err);
RS_API void rs_verdict_free(struct rs_verdict *v);
/** "ready", "partial" or "not-ready". */
RS_API const char *rs_status_name(enum rs_status status);
/**
 * The one verdict every command gives (audit, check, bundle --check, probe's what-if, rehearse), from what it found:
 * not-ready when something the migration requires fails (errors), partial when only something recommended or
 * transitional does (warnings), ready otherwise. Front ends exit 0 for ready and 1 for the other two.
 */
RS_API enum rs_status rs_status_judge(size_t errors, size_t warnings);
/** "READY", "PARTIAL" or "NOT READY": the word text output leads with. */
RS_API const char *rs_status_word(enum rs_status status);
/** "info", "warning" or "error". */
RS_API const char *rs_severity_name(enum rs_severity sev);

/** A verdict: its status, its reasons (they decide the status) and its notes (they do not). Borrowed from it. */
struct rs_verdict_info {
	enum rs_status status;
	const struct rs_reason *reasons;
	size_t reason_count;
	const struct rs_reason *notes; /* facts: algorithms a stack needs, findings such as broken blocks */
	size_t note_count;
};

/** Fills *info with the verdict. */
RS_API void rs_verdict_info(const struct rs_verdict *v, struct rs_verdict_info *info);
/**
 * --expiring-within: adds a note (severity warning; it does not change the status) for each trusted anchor of set
 * that is valid at `at` but expires before at + within (code "anchor-expiring"), and each intermediate of p whose
 * catalog certificate does (code "intermediate-expiring": its endpoints will move to a successor). Same borrowing
 * as rs_audit.
 */
RS_API int rs_verdict_note_expiring(struct rs_verdict *v, const struct rs_anchorset *set, const struct rs_catalog *cat,
				    const struct rs_profile *p, rs_time at, rs_time within, struct rs_error *err);

/* ------------------------------------------------------------------------------------------------------------ */
/* Bundles: the smallest correct trust bundle, in the form the device needs                                     */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * The roots a bundle holds, taken from a source (any anchor set: the system store, a certifi bundle, NSS certdata
 * with its trust bits) and selected by the SHA-256 the profile gives, never by name.
 */
struct rs_bundle;

/** How to choose. Zero-initialise: the default is the profile's required and recommended roots. */
struct rs_bundle_opts {
	int minimal;  /* the smallest set of candidate roots (required, recommended, old) that validates at T every
			 catalog intermediate valid at T; the required roots are always kept */
	int keep_old; /* add the profile's old roots (a transition); each must then be usable at T like the others.
			 Without it, the default selection still keeps a usable old root when T is before the profile's
			 migration_complete (note "old-kept"; "old-unavailable" when the source has none) */
};

/**
 * Chooses the roots of profile p from source at time at. Returns NULL only when it cannot run (memory). A root
 * that is missing from the source, expired or not yet valid at at, or not trusted there (certdata trust bits), or
 * present only as a name and key, is a problem (rs_bundle_problem_at: code "root-missing", "root-expired",
 * "root-not-yet-valid", "root-distrusted", "root-name-key-only" or, with minimal, "intermediate-uncovered"),
 * never a silent omission; a bundle with problems cannot be rendered.
 */
RS_API struct rs_bundle *rs_bundle_select(const struct rs_anchorset *source, const struct rs_catalog *cat,
					  const struct rs_profile *p, rs_time at, const struct rs_bundle_opts *opts,
					  struct rs_error *err);
RS_API void rs_bundle_free(struct rs_bundle *b);
/** The chosen roots, in the profile's order. */
RS_API size_t rs_bundle_count(const struct rs_bundle *b);
RS_API const struct rs_cert *rs_bundle_cert_at(const struct rs_bundle *b, size_t i);
RS_API const struct rs_known *rs_bundle_known_at(const struct rs_bundle *b, size_t i);
/** Why a root is in: "required", "recommended", "old (--keep-old)", "validates Microsoft RSA TLS CA 01", ... */
RS_API const char *rs_bundle_why_at(const struct rs_bundle *b, size_t i);
/** Where the source had it. */
RS_API const struct rs_location *rs_bundle_source_at(const struct rs_bundle *b, size_t i);

/** A bundle as a whole. Pointers are borrowed from it. */
struct rs_bundle_info {
	const struct rs_profile *profile;
	rs_time at;                      /* the time it was chosen for */
	size_t count;                    /* the chosen roots (rs_bundle_cert_at, ...) */
	size_t der_bytes;                /* sum of the DER sizes of the chosen roots */
	const struct rs_reason *problems; /* severity error: the bundle cannot be made */
	size_t problem_count;
	const struct rs_reason *notes;   /* roots left out and why, intermediates the bundle does not cover */
	size_t note_count;
};

/** Fills *info with what describes the bundle as a whole. */
RS_API void rs_bundle_info(const struct rs_bundle *b, struct rs_bundle_info *info);

/** The forms a bundle is written in. docs/bundle.md describes each. */
enum rs_bundle_format {
	RS_BUNDLE_PEM,        /* one PEM file */
	RS_BUNDLE_DER_DIR,    /* one DER .crt file per root */
	RS_BUNDLE_PEM_DIR,    /* one PEM .crt file per root */
	RS_BUNDLE_HASHED_DIR, /* OpenSSL CApath: <subject hash>.N files */
	RS_BUNDLE_C_PEM,      /* C source and header: one PEM string with \r\n line ends (Azure C SDK certs.c) */
	RS_BUNDLE_C_DER,      /* C source and header: one DER byte array per root */
	RS_BUNDLE_ESP_IDF,    /* ESP-IDF x509_crt_bundle */
	RS_BUNDLE_BEARSSL     /* BearSSL trust-anchor header */
};

/** "pem", "der-dir", "pem-dir", "hashed-dir", "c-pem", "c-der", "esp-idf", "bearssl". */
RS_API const char *rs_bundle_format_name(enum rs_bundle_format format);
/** Parses a format name; RS_ERR_USAGE when unknown. */
RS_API int rs_bundle_format_parse(const char *name, enum rs_bundle_format *out, struct rs_error *err);
/** 1 for the formats written as a directory of files. */
RS_API int rs_bundle_format_is_dir(enum rs_bundle_format format);

/** Options of rs_bundle_render. Zero-initialise. */
struct rs_bundle_render_opts {
	const char *file;     /* single-file formats: the file name ("certs" for c-pem gives certs.c and certs.h);
				 NULL: "bundle.pem", "certs", "roots", "x509_crt_bundle", "trust_anchors.h" */
	const char *ident;    /* C identifier for c-pem and c-der; NULL: "certificates" and "trusted_roots" */
	int esp_idf_legacy;   /* esp-idf: the u16 big-endian layout of older ESP-IDF releases */
};

/**
 * The files of a rendered bundle: names relative to the output directory (the directory itself for the *-dir
 * formats, the directory of the file otherwise), and their bytes. The library writes no file.
 */
struct rs_bundle_files;

/**
 * Renders b in a format. Every output says what it holds (names, SHA-256, validity) and which profile made it:
 * in a comment, or in a manifest file beside it for DER and binary forms ("rootshift-bundle.txt" in a directory,
 * "<file>.txt" beside an ESP-IDF bundle). RS_ERR_USAGE when b has problems or is empty, or a root's key cannot be
 * written in the format (BearSSL: RSA and EC P-256/384/521 only).
 */
RS_API struct rs_bundle_files *rs_bundle_render(const struct rs_bundle *b, enum rs_bundle_format format,
						const struct rs_bundle_render_opts *opts, struct rs_error *err);
RS_API void rs_bundle_files_free(struct rs_bundle_files *files);
RS_API size_t rs_bundle_files_count(const struct rs_bundle_files *files);
RS_API const char *rs_bundle_files_name_at(const struct rs_bundle_files *files, size_t i);
RS_API const unsigned char *rs_bundle_files_data_at(const struct rs_bundle_files *files, size_t i, size_t *len);
/**
 * The bytes a device holds: the PEM text (pem, pem-dir, hashed-dir, without comments), the string including its
 * NUL (c-pem), the DER (der-dir, c-der), the bundle file (esp-idf), the names and keys (bearssl).
 */
RS_API size_t rs_bundle_files_payload(const struct rs_bundle_files *files);

/** One catalog intermediate checked against a bundle. */
struct rs_bundle_check_item {
	const struct rs_known *intermediate;
	const char *status;             /* "ok", "failed", "expired", "not-yet-valid", "no-certificate" (the catalog
					   knows it only by thumbprint): only "failed" fails the check */
	enum rs_verify_reason reason;   /* for "failed" */
	const char *message;            /* one line */
	const struct rs_known *root;    /* the catalog root the path reached ("ok"), or NULL */
	enum rs_severity severity;      /* for "failed": error when the intermediate hangs from a required root,
					   warning from a recommended one, or from an old one before the profile's
					   migration_complete; info otherwise */
};

/** The proof of a bundle. */
struct rs_bundle_check;

/**
 * Proves a bundle read back with the anchor extractors (rs_anchorset_scan_path): every intermediate of profile p
 * that carries a certificate and is valid at at must verify (rs_verify, the other catalog intermediates as
 * untrusted certificates) to an anchor of set. Name-and-key anchors (ESP-IDF, BearSSL) take part through the
 * catalog certificate with the same subject and key. Anchors not trusted (certdata) take no part.
 */
RS_API struct rs_bundle_check *rs_bundle_check(const struct rs_anchorset *set, const struct rs_catalog *cat,
					       const struct rs_profile *p, rs_time at, struct rs_error *err);
RS_API void rs_bundle_check_free(struct rs_bundle_check *c);

/** The proof of a bundle. Pointers are borrowed from it. */
struct rs_bundle_check_info {
	int ok;                    /* 1 when at least one intermediate was checked and none failed */
	enum rs_status status;     /* rs_status_judge over the failed items' severities; nothing checked is not-ready */
	const struct rs_bundle_check_item *items;
	size_t item_count;
	size_t anchor_count;       /* anchors the path builder could use */
	const char *const *notes;  /* on anchors it could not use (name-and-key anchors not in the catalog) */
	size_t note_count;
};

/** Fills *info with the proof. */
RS_API void rs_bundle_check_info(const struct rs_bundle_check *c, struct rs_bundle_check_info *info);

/* ------------------------------------------------------------------------------------------------------------ */
/* Scan: hard-coded trust and pinning in source, configuration and firmware                                     */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * One rule of the pinning scan. Ids are stable across releases (JSON "rule", SARIF ruleId); docs/scan.md
 * explains each. severity is the rule's default; a finding may be lower (a root's fingerprint is info).
 */
struct rs_pin_rule {
	const char *id;            /* "pin-intermediate", "verify-disabled", ... */
	enum rs_severity severity; /* default level */
	const char *summary;       /* one line */
	const char *help;          /* why it breaks and what to do instead */
};

/** The rules, in a fixed order; NULL past the end. */
RS_API size_t rs_pin_rule_count(void);
RS_API const struct rs_pin_rule *rs_pin_rule_at(size_t i);
/** A rule by id, or NULL. */
RS_API const struct rs_pin_rule *rs_pin_rule_find(const char *id);

/** One finding of the pinning scan. Borrowed from its scanner. */
struct rs_pin_finding {
	const struct rs_pin_rule *rule;
	const char *kind;          /* "fingerprint", "spki-pin", "name-check", "embedded-anchor", "root-file",
				    * "verify-off", "placeholder", "trust-store" */
	enum rs_severity severity;
	const char *confidence;    /* "high", "medium" or "low" */
	const char *path;
	long line;                 /* 1-based; 0 in a binary file */
	long column;               /* 1-based byte column; 0 in a binary file */
	long long offset;          /* byte offset in the file */
	const char *value;         /* normalized: lowercase hex for digests, the name or the path; "" when none */
	const char *algorithm;     /* "sha1", "sha256", "spki-sha256" or "" */
	const struct rs_known *known; /* the catalog certificate the value matches, or NULL */
	const char *api;           /* the pinning or verification API it feeds ("setFingerprint"), or "" */
	const char *text;          /* the matched text as written, at most 120 bytes, secrets masked */
	const char *message;       /* why it breaks and what to do instead, one line */
	/* where the value is defined when it reaches the call through a name (a #define, a constant, a key in
	 * another file of the tree): related_path is NULL when there is none */
	const char *related_path;
	long related_line, related_column; /* 1-based; 0 in a binary */
	long long related_offset;
	const char *related_name;  /* the name the value is passed by */
};

/**
 * Options of the pinning scan. Zero-initialise, then set what you need. progress, when set, is called after each
 * file with its path and the files and bytes done so far (from worker threads, one call at a time).
 */
struct rs_pinscan_opts {
	unsigned jobs;                     /* worker threads for a tree; 0 or 1 = one */
	unsigned long long max_file_bytes; /* larger files are skipped; 0 = 1 GiB */
	int no_ignore_files;               /* do not read .rootshiftignore at the top of a tree */
	void (*progress)(void *arg, const char *path, unsigned long long files, unsigned long long bytes);
	void *progress_arg;
	/* when set, read before each file and each MiB of a file: once *cancel is not 0 the scan stops with
	 * RS_ERR_CANCELLED, and the scanner keeps the findings of the files read whole, joined and sorted */
	const volatile int *cancel;
};

/** A pinning scan: its configuration (catalog, suppressions) and its findings. */
struct rs_pinscan;

/** cat identifies fingerprints, names and embedded certificates; it is borrowed and must outlive the scanner. */
RS_API struct rs_pinscan *rs_pinscan_new(const struct rs_catalog *cat);
RS_API void rs_pinscan_free(struct rs_pinscan *ps);
/**
 * Judges findings as the migration stands at `at` (docs/scan.md): a pin or sole anchor that the chains served at
 * that time no longer satisfy is an error, one that breaks at the next rotation the profile knows of a warning,
 * and a file that is a CA store (a bundle of roots) is judged once against p as rs_audit judges it (p NULL: the
 * catalog's "azure-iot" profile, else its first). Without this call severities are the rules' defaults and stores
 * are not judged (their comment fingerprints are still not read as pins).
 */
RS_API void rs_pinscan_set_migration(struct rs_pinscan *ps, const struct rs_profile *p, rs_time at);
/**
 * Adds suppressions in .rootshiftignore syntax: one per line, "PATTERN [RULE...]" where PATTERN is an fnmatch(3)
 * pattern for paths relative to base ("" for paths as given), or "value:HEX" for one fingerprint anywhere;
 * without rules every rule is suppressed; '#' starts a comment. origin names the text in errors.
 */
RS_API int rs_pinscan_add_ignore(struct rs_pinscan *ps, const char *text, size_t len, const char *base,
				 const char *origin, struct rs_error *err);
/**
 * Extends the built-in pinning and trust API table (rules/scan-rules.json, docs/scan.md) with a rules file's text:
 * an entry with a built-in one's needle replaces it, others are added ("replace": true drops the built-in APIs).
 * origin names the text in errors, which give its line and column (RS_ERR_PARSE) or say the needles do not fit
 * the one pass (RS_ERR_LIMIT). Call before scanning.
 */
RS_API int rs_pinscan_set_rules(struct rs_pinscan *ps, const char *text, size_t len, const char *origin,
				struct rs_error *err);
/**
 * Scans a file or, recursively, a directory (.git, .hg, .svn, node_modules and build outputs, that is build,
 * build-*, cmake-build-* and any directory holding CMakeCache.txt, are skipped; symbolic links inside a tree are
 * not followed). A directory's own .rootshiftignore is read unless opts says not to. Text runs through every rule;
 * a binary file through the same rules over its printable runs, plus carving for embedded certificates.
 * Findings are sorted by path and offset.
 */
RS_API int rs_pinscan_path(struct rs_pinscan *ps, const char *path, const struct rs_pinscan_opts *opts,
			   struct rs_error *err);
/** The same for bytes in memory; name is used for paths and to tell lock files. */
RS_API int rs_pinscan_mem(struct rs_pinscan *ps, const unsigned char *buf, size_t len, const char *name,
			  struct rs_error *err);
/** A file of a scanned tree that was not read: too large, unreadable, a special file or a link; never silent. */
struct rs_pin_skipped {
	char *path;
	char *reason; /* "larger than 268435456 bytes", "cannot read: Permission denied", ... */
};

/** What a pinning scan found so far. Pointers are borrowed from the scanner until it scans again. */
struct rs_pinscan_info {
	const struct rs_pin_finding *findings; /* sorted by path and offset */
	size_t finding_count;
	const struct rs_pin_skipped *skipped;  /* files of a tree that were not read, never silently */
	size_t skipped_count;
	unsigned long long files, bytes;       /* files and bytes read */
	size_t suppressed;                     /* findings dropped by suppressions */
};

/** Fills *info with the scanner's findings and counts. */
RS_API void rs_pinscan_info(const struct rs_pinscan *ps, struct rs_pinscan_info *info);

#ifdef __cplusplus
}
#endif
#endif /* ROOTSHIFT_H */
