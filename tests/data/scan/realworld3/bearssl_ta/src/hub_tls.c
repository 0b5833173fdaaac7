#include <string.h>
#include "bearssl.h"
#include "trust_anchors.h"

static br_ssl_client_context sc;
static br_x509_minimal_context xc;
static unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];

br_ssl_engine_context *hub_tls_start(const char *host)
{
	br_ssl_client_init_full(&sc, &xc, TAs, TAs_NUM);
	br_ssl_engine_set_buffer(&sc.eng, iobuf, sizeof iobuf, 1);
	if (!br_ssl_client_reset(&sc, host, 0))
		return NULL;
	return &sc.eng;
}
