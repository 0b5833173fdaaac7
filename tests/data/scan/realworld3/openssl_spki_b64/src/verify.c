#include <string.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "pins.h"

/* Accept the chain only when one of its certificates carries the pinned key. */
static int pin_verify_cb(int preverify_ok, X509_STORE_CTX *store)
{
    X509 *cert = X509_STORE_CTX_get_current_cert(store);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];

    if (!preverify_ok || cert == NULL)
        return preverify_ok;
    if (X509_STORE_CTX_get_error_depth(store) != 1)
        return 1;
    if (X509_pubkey_digest(cert, EVP_sha256(), md, &md_len) != 1)
        return 0;
    EVP_EncodeBlock((unsigned char *)b64, md, (int)md_len);
    return strcmp(b64, hub_spki_pin) == 0;
}

void pin_install(SSL_CTX *ctx)
{
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, pin_verify_cb);
}
