#include <stdio.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include "gw_config.h"

SSL_CTX *gw_new_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new_ex(NULL, NULL, TLS_client_method());

    if (ctx == NULL)
        return NULL;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (!SSL_CTX_load_verify_dir(ctx, "/etc/hubgw/trust.d/"))
        goto fail;
    if (SSL_CTX_use_certificate_file(ctx, GW_DEVICE_CERT, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, GW_DEVICE_KEY, SSL_FILETYPE_PEM) != 1)
        goto fail;
    return ctx;
fail:
    ERR_print_errors_fp(stderr);
    SSL_CTX_free(ctx);
    return NULL;
}
