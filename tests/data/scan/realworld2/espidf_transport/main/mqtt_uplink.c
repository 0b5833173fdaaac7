#include <string.h>
#include "esp_log.h"
#include "esp_transport.h"
#include "esp_transport_ssl.h"

static const char *TAG = "uplink";
extern const uint8_t hub_ca_pem_start[] asm("_binary_hub_ca_pem_start");
extern const uint8_t hub_ca_pem_end[] asm("_binary_hub_ca_pem_end");

esp_transport_handle_t uplink_transport(void)
{
    esp_transport_handle_t ssl = esp_transport_ssl_init();
    esp_transport_ssl_set_cert_data(ssl, (const char *)hub_ca_pem_start,
                                    hub_ca_pem_end - hub_ca_pem_start);
    esp_transport_ssl_skip_common_name_check(ssl);
    ESP_LOGI(TAG, "transport ready");
    return ssl;
}
