#include "mbedtls/x509_crt.h"
#include "test_ca.h"

static mbedtls_x509_crt ca;

int rig_tls_init(void)
{
    mbedtls_x509_crt_init(&ca);
    return mbedtls_x509_crt_parse(&ca, (const unsigned char *)factory_ca_pem, sizeof(factory_ca_pem));
}
