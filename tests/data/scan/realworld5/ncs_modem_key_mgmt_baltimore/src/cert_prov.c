#include <zephyr/kernel.h>
#include <zephyr/logging/log.h>
#include <modem/modem_key_mgmt.h>

LOG_MODULE_REGISTER(cert_prov, LOG_LEVEL_INF);

#define TLS_SEC_TAG CONFIG_HUB_SEC_TAG

static const char ca_chain[] = {
	#include "../cert/BaltimoreCyberTrustRoot.pem"
};

BUILD_ASSERT(sizeof(ca_chain) < KB(4), "Certificate too large");

int cert_provision(void)
{
	int err;
	bool exists;

	err = modem_key_mgmt_exists(TLS_SEC_TAG, MODEM_KEY_MGMT_CRED_TYPE_CA_CHAIN, &exists);
	if (err) {
		LOG_ERR("Failed to check for certificates err %d", err);
		return err;
	}

	if (exists) {
		/* Overwrite whatever is there: the sec_tag is ours. */
		err = modem_key_mgmt_delete(TLS_SEC_TAG, MODEM_KEY_MGMT_CRED_TYPE_CA_CHAIN);
		if (err) {
			LOG_ERR("Failed to delete existing certificate, err %d", err);
		}
	}

	LOG_INF("Provisioning certificate to sec_tag %d", TLS_SEC_TAG);
	err = modem_key_mgmt_write(TLS_SEC_TAG, MODEM_KEY_MGMT_CRED_TYPE_CA_CHAIN, ca_chain, sizeof(ca_chain) - 1);
	if (err) {
		LOG_ERR("Failed to provision certificate, err %d", err);
		return err;
	}

	return 0;
}
