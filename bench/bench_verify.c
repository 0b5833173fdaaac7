/* bench_verify.c: verifications per second, rs_verify() against OpenSSL's X509_verify_cert on the same inputs.
 * usage: bench_verify [SECONDS_PER_CASE] (run from tests/, or set RS_TEST_DATA at build time). Not a test: it
 * prints rates and ratios. Each OpenSSL run builds a fresh X509_STORE_CTX over a store built once; each rootshift
 * run is one rs_verify() call over lists loaded once (the certificates are parsed once for both). */
#include "internal.h"

#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef RS_TEST_DATA
#define RS_TEST_DATA "data"
#endif
#define D(f) RS_TEST_DATA "/" f

struct bcase {
	const char *name, *chain, *untrusted, *store;
};

static const struct bcase cases[] = {
	{ "azure 07 (ms2017 twin served), G2+MS2017 twin untrusted, certifi 150 roots",
	  D("intermediates/microsoft_azure_rsa_tls_issuing_ca_07.pem"),
	  D("intermediates/microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"), D("certifi-2025.01.31.pem") },
	{ "azure 07 (G2 twin served), G2 only", D("intermediates/microsoft_azure_rsa_tls_issuing_ca_07_xsign.pem"),
	  NULL, D("digicert_global_root_g2.pem") },
	{ "test leaf, both twins (ms2017 first), G2 look-alike", D("pki/leaf.pem"), D("pki/twins_ms2017_first.pem"),
	  D("pki/root_g2.pem") },
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct rs_certlist *load(const char *path)
{
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err;

	if (path && rs_load_path(l, path, NULL, &err) < 0) {
		fprintf(stderr, "bench_verify: %s\n", err.message);
		exit(2);
	}
	return l;
}

static double rate_rootshift(const struct rs_certlist *chain, const struct rs_certlist *u,
			     const struct rs_certlist *s, double secs, int *ok)
{
	struct rs_verify_opts *o = rs_verify_opts_new();
	double start = seconds(), now;
	long n = 0;

	rs_verify_opts_set_time(o, 1748736000); /* 2025-06-01 */
	do {
		struct rs_verify_result *r = rs_verify(chain, u, s, o, NULL);
		*ok = r && rs_verify_result_ok(r);
		rs_verify_result_free(r);
		n++;
	} while ((now = seconds()) - start < secs);
	rs_verify_opts_free(o);
	return (double)n / (now - start);
}

static double rate_openssl(const struct rs_certlist *chain, const struct rs_certlist *u, const struct rs_certlist *s,
			   double secs, int *ok)
{
	X509_STORE *store = X509_STORE_new();
	STACK_OF(X509) *sk = sk_X509_new_null();
	double start = seconds(), now;
	size_t i;
	long n = 0;

	for (i = 0; i < rs_certlist_count(s); i++)
		X509_STORE_add_cert(store, rs_cert_get0_x509(rs_certlist_at(s, i)));
	for (i = 1; i < rs_certlist_count(chain); i++)
		sk_X509_push(sk, rs_cert_get0_x509(rs_certlist_at(chain, i)));
	for (i = 0; i < rs_certlist_count(u); i++)
		sk_X509_push(sk, rs_cert_get0_x509(rs_certlist_at(u, i)));
	do {
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();
		X509_STORE_CTX_init(ctx, store, rs_cert_get0_x509(rs_certlist_at(chain, 0)), sk);
		X509_STORE_CTX_set_time(ctx, 0, 1748736000);
		*ok = X509_verify_cert(ctx) == 1;
		X509_STORE_CTX_free(ctx);
		n++;
	} while ((now = seconds()) - start < secs);
	sk_X509_free(sk);
	X509_STORE_free(store);
	return (double)n / (now - start);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	size_t i;

	printf("%-72s %12s %12s %7s\n", "case", "rootshift/s", "openssl/s", "ratio");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rs_certlist *c = load(cases[i].chain), *u = load(cases[i].untrusted), *s = load(cases[i].store);
		int rs_ok = 0, ossl_ok = 0;
		double a = rate_rootshift(c, u, s, secs, &rs_ok), b = rate_openssl(c, u, s, secs, &ossl_ok);

		printf("%-72s %12.0f %12.0f %7.2f  (rootshift %s, openssl %s)\n", cases[i].name, a, b, a / b,
		       rs_ok ? "valid" : "not valid", ossl_ok ? "valid" : "not valid");
		rs_certlist_free(c);
		rs_certlist_free(u);
		rs_certlist_free(s);
	}
	return 0;
}
