/*
 * bearssl.h: a stand-in for BearSSL's public header with the trust-anchor types exactly as BearSSL 0.6 declares
 * them (bearssl_x509.h, bearssl_rsa.h, bearssl_ec.h), so test_bundle.sh can compile a generated trust-anchor
 * header where libbearssl-dev is not installed. Not BearSSL itself.
 */
#ifndef BR_BEARSSL_H__
#define BR_BEARSSL_H__
#include <stddef.h>
#include <stdint.h>
typedef struct { unsigned char *n; size_t nlen; unsigned char *e; size_t elen; } br_rsa_public_key;
typedef struct { int curve; unsigned char *q; size_t qlen; } br_ec_public_key;
typedef struct { unsigned char key_type; union { br_rsa_public_key rsa; br_ec_public_key ec; } key; } br_x509_pkey;
typedef struct { unsigned char *data; size_t len; } br_x500_name;
typedef struct { br_x500_name dn; unsigned flags; br_x509_pkey pkey; } br_x509_trust_anchor;
#define BR_X509_TA_CA 0x0001
#define BR_KEYTYPE_RSA 1
#define BR_KEYTYPE_EC 2
#define BR_EC_secp256r1 23
#define BR_EC_secp384r1 24
#define BR_EC_secp521r1 25
#endif
