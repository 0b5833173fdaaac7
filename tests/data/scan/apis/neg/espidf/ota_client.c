#include "esp_http_client.h"
#include "esp_log.h"
#include "root_cert.h"

static const char *TAG = "ota";

esp_err_t ota_check(void)
{
	esp_http_client_config_t config = {
		.url = "https://contoso-hub.azure-devices.net/firmware/latest",
		.cert_pem = digicert_g2_root_pem,
		.timeout_ms = 10000,
	};
	esp_http_client_handle_t client = esp_http_client_init(&config);
	esp_err_t err = esp_http_client_perform(client);

	ESP_LOGI(TAG, "status %d", esp_http_client_get_status_code(client));
	esp_http_client_cleanup(client);
	return err;
}
