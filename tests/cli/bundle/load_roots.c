/* load_roots.c: loads a c-pem bundle with OpenSSL and parses every array of a c-der bundle (test_bundle.sh). */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#include "certs.h"
#include "roots.h"

static void print_sha256(const char *what, X509 *x)
{
	unsigned char md[32];
	unsigned i;

	X509_digest(x, EVP_sha256(), md, NULL);
	printf("%s ", what);
	for (i = 0; i < sizeof(md); i++)
		printf("%02x", md[i]);
	printf("\n");
}

int main(void)
{
	BIO *b = BIO_new_mem_buf(certificates, -1);
	X509 *x;
	int n = 0;
	size_t i;

	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		print_sha256("pem", x);
		X509_free(x);
		n++;
	}
	BIO_free(b);
	if (n != CERTIFICATES_COUNT || strlen(certificates) + 1 != CERTIFICATES_SIZE) {
		printf("pem: %d certificates, size %zu: wrong\n", n, strlen(certificates) + 1);
		return 1;
	}
	for (i = 0; i < TRUSTED_ROOTS_COUNT; i++) {
		const unsigned char *p = trusted_roots[i];
		if (!(x = d2i_X509(NULL, &p, (long)trusted_roots_len[i])) || p != trusted_roots[i] + trusted_roots_len[i]) {
			printf("der %zu: does not parse as exactly one certificate\n", i);
			return 1;
		}
		print_sha256("der", x);
		X509_free(x);
	}
	return 0;
}
