#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"

extern const unsigned char hub_ca_der[];
extern const unsigned int hub_ca_der_len;

static mbedtls_x509_crt cacert;

int tls_setup(mbedtls_ssl_config *conf)
{
    int ret;

    mbedtls_x509_crt_init(&cacert);
    ret = mbedtls_x509_crt_parse_der(&cacert, hub_ca_der, hub_ca_der_len);
    if (ret != 0)
        return ret;
    mbedtls_ssl_conf_ca_chain(conf, &cacert, NULL);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    return 0;
}
