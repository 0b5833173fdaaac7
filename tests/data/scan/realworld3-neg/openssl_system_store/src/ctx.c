#include <openssl/ssl.h>

#define SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

SSL_CTX *make_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    X509_STORE *store;

    if (ctx == NULL)
        return NULL;
    store = SSL_CTX_get_cert_store(ctx);
    X509_STORE_set_default_paths(store);
    if (!SSL_CTX_load_verify_locations(ctx, SYSTEM_CA_BUNDLE, NULL))
        SSL_CTX_set_default_verify_paths(ctx);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return ctx;
}
