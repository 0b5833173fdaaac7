#include "esp_tls.h"
#include "esp_log.h"

extern const uint8_t hub_ca_pem_start[] asm("_binary_hub_ca_pem_start");
extern const uint8_t hub_ca_pem_end[]   asm("_binary_hub_ca_pem_end");

esp_tls_t *open_hub(void)
{
    esp_tls_cfg_t cfg = {
        .cacert_buf = (const unsigned char *) hub_ca_pem_start,
        .cacert_bytes = hub_ca_pem_end - hub_ca_pem_start,
        .timeout_ms = 10000,
    };
    esp_tls_t *tls = esp_tls_init();
    if (esp_tls_conn_new_sync("fleet-hub.azure-devices.net", 27, 8883, &cfg, tls) != 1) {
        ESP_LOGE("tls", "connect failed");
        esp_tls_conn_destroy(tls);
        return NULL;
    }
    return tls;
}
