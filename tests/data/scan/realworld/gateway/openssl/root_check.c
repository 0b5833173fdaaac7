#include <string.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* SHA-256 of the cloud's root certificate */
static const unsigned char expected_root_sha256[32] = {
	0x16, 0xaf, 0x57, 0xa9, 0xf6, 0x76, 0xb0, 0xab, 0x12, 0x60, 0x95, 0xaa, 0x5e, 0xba, 0xde, 0xf2,
	0x2a, 0xb3, 0x11, 0x19, 0xd6, 0x44, 0xac, 0x95, 0xcd, 0x4b, 0x93, 0xdb, 0xf3, 0xf2, 0x6a, 0xeb,
};

int root_is_expected(SSL *ssl)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	X509 *top;

	if (!chain || sk_X509_num(chain) == 0)
		return 0;
	top = sk_X509_value(chain, sk_X509_num(chain) - 1);
	if (!X509_digest(top, EVP_sha256(), md, &len) || len != sizeof expected_root_sha256)
		return 0;
	return memcmp(md, expected_root_sha256, sizeof expected_root_sha256) == 0;
}
