#include <zephyr/kernel.h>
#include <zephyr/net/tls_credentials.h>
#include "ca_certificate.h"

int setup_credentials(void)
{
	return tls_credential_add(CA_CERTIFICATE_TAG, TLS_CREDENTIAL_CA_CERTIFICATE,
				  ca_certificate, sizeof(ca_certificate));
}
