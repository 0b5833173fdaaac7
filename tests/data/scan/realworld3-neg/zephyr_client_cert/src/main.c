#include <zephyr/kernel.h>
#include <zephyr/net/tls_credentials.h>
#include "creds.h"

int creds_init(void)
{
	int err;

	err = tls_credential_add(HUB_TAG, TLS_CREDENTIAL_CA_CERTIFICATE, hub_roots, sizeof(hub_roots));
	if (err < 0)
		return err;
	err = tls_credential_add(HUB_TAG, TLS_CREDENTIAL_SERVER_CERTIFICATE, device_cert, sizeof(device_cert));
	return err;
}
