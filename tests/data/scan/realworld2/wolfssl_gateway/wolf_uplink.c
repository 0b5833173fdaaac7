#include <wolfssl/options.h>
#include <wolfssl/ssl.h>
#include "hub_certs.h"

WOLFSSL_CTX *uplink_ctx(void)
{
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfTLSv1_2_client_method());
    if (ctx == NULL)
        return NULL;
    if (wolfSSL_CTX_load_verify_buffer(ctx, hub_root_der, sizeof_hub_root_der,
                                       WOLFSSL_FILETYPE_ASN1) != WOLFSSL_SUCCESS) {
        wolfSSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}
