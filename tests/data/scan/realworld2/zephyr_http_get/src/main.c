#include <zephyr/kernel.h>
#include <zephyr/net/socket.h>
#include <zephyr/net/tls_credentials.h>
#include "ca_certificate.h"

int main(void)
{
	int ret = tls_credential_add(CA_CERTIFICATE_TAG, TLS_CREDENTIAL_CA_CERTIFICATE,
				     ca_certificate, sizeof(ca_certificate));
	if (ret < 0) {
		printk("Failed to register public certificate: %d\n", ret);
		return ret;
	}
	return 0;
}
