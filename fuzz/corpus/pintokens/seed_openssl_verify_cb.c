/* OpenSSL: a verify callback that pins a digest and checks the issuer by name. */
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <string.h>

static const unsigned char pinned_sha256[32] = {
	0x5a, 0x1f, 0x93, 0x07, 0xc2, 0x4e, 0x88, 0xd1, 0x36, 0xab, 0x70, 0x0e, 0xf9, 0x42, 0x1c, 0x65,
	0xd8, 0x2b, 0x97, 0x34, 0x6e, 0x05, 0xa1, 0xcc, 0x13, 0x7f, 0xe4, 0x58, 0x9a, 0x26, 0xb0, 0x4d,
};

static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char issuer[256];

	X509_NAME_oneline(X509_get_issuer_name(cert), issuer, sizeof(issuer));
	if (strstr(issuer, "Microsoft RSA TLS CA 01") == NULL)
		return 0;
	X509_digest(cert, EVP_sha256(), md, &n);
	return ok && n == 32 && memcmp(md, pinned_sha256, 32) == 0;
}

static int check_cn(X509 *cert)
{
	char cn[128];

	X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof(cn));
	return strcmp(cn, "*.azure-devices.net") == 0;
}

void setup_tls(SSL_CTX *ctx, int debug)
{
	if (debug)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	else
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
	SSL_CTX_load_verify_locations(ctx, "/etc/azure/certs/Baltimore_CyberTrust_Root.pem", NULL);
	(void)check_cn;
}
