#include <zephyr/kernel.h>
#include <zephyr/net/socket.h>
#include <zephyr/net/tls_credentials.h>

#define CA_TAG 7

static const unsigned char ca_cert[] = {
#include "azure_ica.der.inc"
};

int main(void)
{
	int err = tls_credential_add(CA_TAG, TLS_CREDENTIAL_CA_CERTIFICATE,
				     ca_cert, sizeof(ca_cert));
	if (err < 0) {
		printk("Failed to register CA certificate: %d\n", err);
		return err;
	}
	return 0;
}
