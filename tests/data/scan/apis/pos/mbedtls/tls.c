#include <mbedtls/x509_crt.h>
#include "hub_ca.h"

static mbedtls_x509_crt cacert;

int tls_setup(void)
{
	mbedtls_x509_crt_init(&cacert);
	return mbedtls_x509_crt_parse(&cacert, (const unsigned char *)hub_ca_pem, sizeof(hub_ca_pem));
}
