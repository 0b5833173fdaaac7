/* verify.h: what the path builder's files share (lib/trust/verify*.c). Never installed. */
#ifndef RS_VERIFY_H
#define RS_VERIFY_H

#include "../internal.h"

#include <openssl/x509v3.h>

#define RS_VERIFY_MAX_CERTS 16    /* the longest path the search builds, anchor included */
#define RS_VERIFY_MAX_PATHS 32    /* valid paths kept; the search stops after that many */
#define RS_VERIFY_DEFAULT_WORK 5000
#define RS_VERIFY_MAX_DENY 16

struct rs_verify_opts {
	rs_time at;
	char *host;
	int max_depth;            /* intermediates, -1 = no limit */
	size_t max_chain_bytes;   /* 0 = no limit */
	int rsa_max_bits;         /* 0 = no limit */
	size_t max_work;
	char *deny_digest[RS_VERIFY_MAX_DENY];
	size_t n_deny_digest;
	char *deny_key[RS_VERIFY_MAX_DENY];
	size_t n_deny_key;
	enum rs_verify_policy policy;
	int min_rsa_bits;         /* -1: the policy's */
	char *allow_key[RS_VERIFY_MAX_DENY];
	size_t n_allow_key;
	STACK_OF(X509_CRL) *crls;
};

/* A failure of one path: the reason, the certificate at fault (-1 for the whole path) and a message. */
struct rs_verify_fault {
	enum rs_verify_reason reason;
	const char *rule;              /* a rule id of docs/verify.md (static) */
	long at;
	char message[400];
};

/* One certificate of the search, from the served chain, the untrusted intermediates or the store. */
struct rs_vnode {
	struct rs_cert *cert;
	X509 *x;
	const struct rs_location *loc; /* borrowed from the caller's lists during rs_verify() */
	int anchor;
	int expanded;
	size_t *cand;                  /* issuers whose key verifies this certificate's signature */
	size_t n_cand;
	long bad_sig;                  /* a name-matching issuer whose key does not verify it, or -1 */
	long other_key;                /* a certificate of the issuer's name with another key identifier, or -1 */
};

/* One complete path as the checks see it: nodes path[0..len-1], end certificate first, anchor last. */
struct rs_vpath {
	const struct rs_vnode *nodes;
	const size_t *path;
	size_t len;
	const struct rs_verify_opts *o;
};

#define X_AT(pv, i) ((pv)->nodes[(pv)->path[i]].x)
#define CERT_AT(pv, i) ((pv)->nodes[(pv)->path[i]].cert)

/* Fills a fault (reason, rule id, certificate index or -1, message) and returns -1. */
int rs_vfault(struct rs_verify_fault *f, enum rs_verify_reason reason, const char *rule, long at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* verify_profile.c: the checks of the key policy and of the Web PKI profile (rules "key.*" and "webpki.*"), and
 * the name-constraint rules beyond OpenSSL's (syntax, criticality, names reached through a wildcard). */
int rs_verify_check_cert_profile(const struct rs_vpath *pv, size_t i, struct rs_verify_fault *f);
int rs_verify_check_end_profile(const struct rs_vpath *pv, struct rs_verify_fault *f);
int rs_verify_check_nc_extra(const struct rs_vpath *pv, size_t j, const NAME_CONSTRAINTS *nc, int critical,
			     struct rs_verify_fault *f);
/* A dNSName in preferred name syntax (LDH labels; with wildcard_ok, a whole "*" left-most label). */
int rs_verify_dns_name_ok(const char *name, size_t len, int wildcard_ok);

/* verify_opts.c: a copy of opts (for the probe, which sets its own host); NULL when out of memory. */
struct rs_verify_opts *rs_verify_opts_dup(const struct rs_verify_opts *opts);

/* verify_crl.c: revocation of every certificate of the path but the anchor by the CRLs of opts. */
int rs_verify_check_crls(const struct rs_vnode *nodes, const size_t *path, size_t len,
			 const struct rs_verify_opts *opts, struct rs_verify_fault *fault);

/* verify_checks.c: every check of one complete path (nodes path[0..len-1], end certificate first). */
int rs_verify_check_path(const struct rs_vnode *nodes, const size_t *path, size_t len, size_t chain_bytes,
			 const struct rs_verify_opts *opts, struct rs_verify_fault *fault);
/* A certificate's name for messages: its CN, else its subject, else its SHA-1 thumbprint. */
const char *rs_verify_cert_label(const struct rs_cert *cert);

#endif
