#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

extern const char hub_ca_pem[];

static int add_hub_ca(SSL_CTX *ctx)
{
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    BIO *bio = BIO_new_mem_buf(hub_ca_pem, -1);
    X509 *ca;
    int ok = 0;

    if (bio == NULL)
        return 0;
    ca = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (ca != NULL && X509_STORE_add_cert(store, ca) == 1)
        ok = 1;
    X509_free(ca);
    BIO_free(bio);
    return ok;
}

SSL_CTX *gw_tls_ctx(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

    if (ctx == NULL)
        return NULL;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (!add_hub_ca(ctx)) {
        ERR_print_errors_fp(stderr);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}
