#include "esp_tls.h"
#include "esp_log.h"
#include "hub_root.h"

#define HUB_HOST "pump-hub.azure-devices.net"

int https_post(const char *body)
{
    esp_tls_cfg_t cfg = {
        .cacert_pem_buf = (const unsigned char *)hub_root_ca,
        .cacert_pem_bytes = sizeof(hub_root_ca),
        .common_name = HUB_HOST,
        .timeout_ms = 10000,
    };
    esp_tls_t *tls = esp_tls_init();
    if (esp_tls_conn_http_new_sync("https://" HUB_HOST "/devices/pump1/messages/events", &cfg, tls) != 1) {
        esp_tls_conn_destroy(tls);
        return -1;
    }
    esp_tls_conn_write(tls, body, strlen(body));
    esp_tls_conn_destroy(tls);
    return 0;
}
