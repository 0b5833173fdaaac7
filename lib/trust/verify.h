/* verify.h: what the path builder's files share (lib/trust/verify*.c). Never installed. */
#ifndef RS_VERIFY_H
#define RS_VERIFY_H

#include "../internal.h"

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
};

/* A failure of one path: the reason, the certificate at fault (-1 for the whole path) and a message. */
struct rs_verify_fault {
	enum rs_verify_reason reason;
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

/* verify_checks.c: every check of one complete path (nodes path[0..len-1], end certificate first). */
int rs_verify_check_path(const struct rs_vnode *nodes, const size_t *path, size_t len, size_t chain_bytes,
			 const struct rs_verify_opts *opts, struct rs_verify_fault *fault);
/* A certificate's name for messages: its CN, else its subject, else its SHA-1 thumbprint. */
const char *rs_verify_cert_label(const struct rs_cert *cert);

#endif
