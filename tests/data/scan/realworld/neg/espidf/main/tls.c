#include "esp_tls.h"

extern const uint8_t azure_roots_pem_start[] asm("_binary_azure_roots_pem_start");
extern const uint8_t azure_roots_pem_end[]   asm("_binary_azure_roots_pem_end");

esp_tls_cfg_t hub_tls_cfg(void)
{
    esp_tls_cfg_t cfg = {
        .cacert_buf = azure_roots_pem_start,
        .cacert_bytes = azure_roots_pem_end - azure_roots_pem_start,
    };
    return cfg;
}
