#include <zephyr/net/tls_credentials.h>

#define CA_TAG 3
#define DEVICE_TAG 4

static const unsigned char ca_cert[] = {
#include "digicert_g2.der.inc"
};
extern const unsigned char device_cert[];
extern const size_t device_cert_len;

int creds(void)
{
	int err = tls_credential_add(CA_TAG, TLS_CREDENTIAL_CA_CERTIFICATE, ca_cert, sizeof(ca_cert));
	if (err)
		return err;
	return tls_credential_add(DEVICE_TAG, TLS_CREDENTIAL_SERVER_CERTIFICATE,
				  device_cert, device_cert_len);
}
