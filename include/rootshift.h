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

/** When the profile's service finished moving to its new root (the profile's "migration_complete"), or 0. */
RS_API rs_time rs_profile_migration_complete(const struct rs_profile *p);

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
};

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

RS_API size_t rs_anchorset_count(const struct rs_anchorset *set);
RS_API const struct rs_anchor *rs_anchorset_at(const struct rs_anchorset *set, size_t i);
RS_API size_t rs_anchorset_finding_count(const struct rs_anchorset *set);
RS_API const struct rs_finding *rs_anchorset_finding_at(const struct rs_anchorset *set, size_t i);

RS_API enum rs_anchor_form rs_anchor_form(const struct rs_anchor *a);
/** "certificate" or "name-and-key". */
RS_API const char *rs_anchor_form_name(enum rs_anchor_form form);
/** The certificate, or NULL for a name-and-key anchor. */
RS_API const struct rs_cert *rs_anchor_cert(const struct rs_anchor *a);
RS_API const char *rs_anchor_subject(const struct rs_anchor *a);      /* RFC 2253 order, as rs_cert_subject */
RS_API const char *rs_anchor_spki_sha256(const struct rs_anchor *a);  /* 64 hex digits */
/** The subject DER and SubjectPublicKeyInfo DER. */
RS_API const unsigned char *rs_anchor_subject_der(const struct rs_anchor *a, size_t *len);
RS_API const unsigned char *rs_anchor_spki_der(const struct rs_anchor *a, size_t *len);
RS_API enum rs_trust rs_anchor_trust(const struct rs_anchor *a);
/** "anchor", "must-verify" or "distrusted". */
RS_API const char *rs_trust_name(enum rs_trust trust);
/** The NSS label (CKA_LABEL) when the anchor came from certdata.txt, else "". */
RS_API const char *rs_anchor_label(const struct rs_anchor *a);
RS_API size_t rs_anchor_location_count(const struct rs_anchor *a);
RS_API const struct rs_location *rs_anchor_location_at(const struct rs_anchor *a, size_t i);
/** What the catalog knows about an anchor: a certificate by its digests, a name and key by SPKI and subject. */
RS_API const struct rs_known *rs_anchor_identify(const struct rs_catalog *cat, const struct rs_anchor *a);

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
RS_API enum rs_status rs_verdict_status(const struct rs_verdict *v);
/** "ready", "partial" or "not-ready". */
RS_API const char *rs_status_name(enum rs_status status);
/** "info", "warning" or "error". */
RS_API const char *rs_severity_name(enum rs_severity sev);
RS_API size_t rs_verdict_reason_count(const struct rs_verdict *v);
RS_API const struct rs_reason *rs_verdict_reason_at(const struct rs_verdict *v, size_t i);
/** Notes: facts that do not change the status (algorithms a stack needs, findings such as broken blocks). */
RS_API size_t rs_verdict_note_count(const struct rs_verdict *v);
RS_API const struct rs_reason *rs_verdict_note_at(const struct rs_verdict *v, size_t i);

#ifdef __cplusplus
}
#endif
#endif /* ROOTSHIFT_H */
