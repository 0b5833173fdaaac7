#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/ctr_drbg.h"

extern const unsigned char azure_root_der[];
extern const size_t azure_root_der_len;

static mbedtls_x509_crt cacert;

int tls_port_init(mbedtls_ssl_config *conf)
{
    int ret;

    mbedtls_x509_crt_init(&cacert);
    ret = mbedtls_x509_crt_parse_der(&cacert, azure_root_der, azure_root_der_len);
    if (ret < 0)
        return ret;
    mbedtls_ssl_conf_ca_chain(conf, &cacert, NULL);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    return 0;
}
