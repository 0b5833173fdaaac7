#include <string.h>
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "lone_ca.h"

static mbedtls_x509_crt ca;

int tls_setup(mbedtls_ssl_config *conf)
{
    int ret;
    mbedtls_x509_crt_init(&ca);
    ret = mbedtls_x509_crt_parse(&ca, (const unsigned char *)lone_intermediate,
                                 sizeof lone_intermediate);
    if (ret < 0)
        return ret;
    mbedtls_ssl_conf_ca_chain(conf, &ca, NULL);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    return 0;
}
