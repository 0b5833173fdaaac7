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
    if (!SSL_CTX_load_verify_file(ctx, "/etc/ssl/certs/ca-certificates.crt") &&
        !SSL_CTX_load_verify_dir(ctx, "/etc/ssl/certs") &&
        !SSL_CTX_load_verify_store(ctx, "org.openssl.winstore://"))
        goto fail;
    if (getenv("GW_EXTRA_CA") != NULL &&
        !X509_STORE_load_file(SSL_CTX_get_cert_store(ctx), getenv("GW_EXTRA_CA")))
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
