#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include "../certs/azure_ca.h"

WOLFSSL_CTX *hub_ctx(void)
{
    WOLFSSL_CTX *ctx;

    wolfSSL_Init();
    if ((ctx = wolfSSL_CTX_new(wolfTLSv1_2_client_method())) == NULL)
        return NULL;
    if (wolfSSL_CTX_load_verify_buffer(ctx, ca_der, sizeof ca_der, SSL_FILETYPE_ASN1) != SSL_SUCCESS) {
        wolfSSL_CTX_free(ctx);
        return NULL;
    }
    wolfSSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return ctx;
}
