#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/pem.h>

extern const char trusted_ca_pem[];

SSL_CTX *gw_tls_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	BIO *bio = BIO_new_mem_buf(trusted_ca_pem, -1);
	X509 *ca = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);

	X509_STORE_add_cert(store, ca);
	X509_free(ca);
	BIO_free(bio);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}
