#include <string.h>
#include "esp_log.h"
#include "esp_tls.h"

static const char *TAG = "hub_tls";

extern const unsigned char hub_root_pem_start[] asm("_binary_hub_root_pem_start");
extern const unsigned char hub_root_pem_end[]   asm("_binary_hub_root_pem_end");

esp_tls_t *hub_connect(const char *host)
{
    esp_tls_cfg_t cfg = {
        .cacert_buf = hub_root_pem_start,
        .cacert_bytes = hub_root_pem_end - hub_root_pem_start,
        .timeout_ms = 10000,
    };
    esp_tls_t *tls = esp_tls_init();
    if (tls == NULL)
        return NULL;
    if (esp_tls_conn_new_sync(host, strlen(host), 443, &cfg, tls) != 1) {
        ESP_LOGE(TAG, "connection to %s failed", host);
        esp_tls_conn_destroy(tls);
        return NULL;
    }
    return tls;
}
