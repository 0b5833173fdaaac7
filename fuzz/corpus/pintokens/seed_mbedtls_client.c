/* mbedTLS: optional verification and a subject check on the issuer. */
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include <string.h>

int check_issuer(const mbedtls_x509_crt *crt)
{
	char buf[256];

	mbedtls_x509_dn_gets(buf, sizeof(buf), &crt->issuer);
	if (strstr(buf, "Baltimore CyberTrust Root") == NULL)
		return -1;
	return 0;
}

void configure(mbedtls_ssl_config *conf)
{
	mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
}
