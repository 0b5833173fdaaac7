#include <string.h>
#include "bearssl.h"
#include "trust_anchors.h"

/* The X.509 engine set up by hand (no br_ssl_client_init_full): SHA-256 only, RSA and ECDSA from the i31 code. */
static const uint16_t suites[] = {
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};

struct hub_tls {
	br_ssl_client_context sc;
	br_x509_minimal_context xc;
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
};

int hub_tls_init(struct hub_tls *gw, const char *host)
{
	br_ssl_client_zero(&gw->sc);
	br_ssl_engine_set_versions(&gw->sc.eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(&gw->sc.eng, suites, sizeof suites / sizeof suites[0]);
	br_ssl_client_set_default_rsapub(&gw->sc);
	br_ssl_engine_set_default_ecdsa(&gw->sc.eng);
	br_x509_minimal_init(&gw->xc, &br_sha256_vtable, TAs, TAs_NUM);
	br_x509_minimal_set_hash(&gw->xc, br_sha256_ID, &br_sha256_vtable);
	br_x509_minimal_set_rsa(&gw->xc, br_rsa_i31_pkcs1_vrfy);
	br_x509_minimal_set_ecdsa(&gw->xc, &br_ec_prime_i31, br_ecdsa_i31_vrfy_asn1);
	br_ssl_engine_set_x509(&gw->sc.eng, &gw->xc.vtable);
	br_ssl_engine_set_buffer(&gw->sc.eng, gw->iobuf, sizeof gw->iobuf, 1);
	return br_ssl_client_reset(&gw->sc, host, 0);
}
