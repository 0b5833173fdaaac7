#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include "trust_paths.h"

/* The store the MQTT bridge verifies the hub with. */
X509_STORE *bridge_store(void)
{
    X509_STORE *store = X509_STORE_new();

    if (store == NULL)
        return NULL;
    if (X509_STORE_load_file(store, bridge_ca_path) != 1) {
        X509_STORE_free(store);
        return NULL;
    }
    X509_STORE_set_flags(store, X509_V_FLAG_X509_STRICT);
    return store;
}
