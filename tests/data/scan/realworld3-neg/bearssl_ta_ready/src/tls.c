#include "bearssl.h"
#include "trust_anchors.h"

static br_ssl_client_context sc;
static br_x509_minimal_context xc;

void tls_init(void)
{
	br_ssl_client_init_full(&sc, &xc, TAs, TAs_NUM);
}
