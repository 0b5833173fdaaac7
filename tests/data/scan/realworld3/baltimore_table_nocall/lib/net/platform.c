#include "azure_roots.h"
#include "vendor_tls.h"

int platform_tls_roots(struct vendor_tls_cfg *cfg)
{
    cfg->ca = (const unsigned char *)azure_iot_root_ca_pem;
    cfg->ca_len = azure_iot_root_ca_pem_len;
    return 0;
}
