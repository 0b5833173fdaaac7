#include <zephyr/kernel.h>
#include <modem/nrf_modem_lib.h>
#include <modem/lte_lc.h>

int cert_provision(void);
int hub_mqtt_run(int sec_tag);

int main(void)
{
	int err = nrf_modem_lib_init();

	if (err) {
		return err;
	}
	/* Credentials can only be written while the modem is offline. */
	err = cert_provision();
	if (err) {
		return err;
	}
	err = lte_lc_connect();
	if (err) {
		return err;
	}
	return hub_mqtt_run(CONFIG_HUB_SEC_TAG);
}
