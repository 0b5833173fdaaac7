/* test_probe_tls.c: rs_probe_run end to end against a TLS server in a child process on a loopback port (port 0:
 * the kernel picks a free one): a CA and a localhost leaf made here with OpenSSL; the served chain captured, judged
 * against the device's store (the CA: ok, then the MQTT step; another root: cert-untrusted; the wrong name:
 * cert-hostname-mismatch). The child serves one connection and exits; the test waits for it. */
#include "rs_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define AT_2026 1767225600 /* 2026-01-01T00:00:00Z, inside the certificates' validity */

struct pki {
	EVP_PKEY *ca_key, *leaf_key;
	X509 *ca, *leaf;
};

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int ca)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 1 : 2);
	ASN1_TIME_set_string(X509_getm_notBefore(x), "20200101000000Z");
	ASN1_TIME_set_string(X509_getm_notAfter(x), "20400101000000Z");
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
	const char *exts[][2] = {
		{ "basicConstraints", ca ? "critical,CA:TRUE" : "critical,CA:FALSE" },
		{ "keyUsage", ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature" },
		{ "subjectKeyIdentifier", "hash" },
		{ ca ? NULL : "subjectAltName", "DNS:localhost" },
		{ ca ? NULL : "extendedKeyUsage", "serverAuth" },
		{ ca ? NULL : "authorityKeyIdentifier", "keyid" },
	};
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (!exts[i][0])
			continue;
		ext = X509V3_EXT_conf(NULL, &v3, exts[i][0], exts[i][1]);
		assert_non_null(ext);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return x;
}

static void pki_make(struct pki *p)
{
	p->ca_key = EVP_EC_gen("P-256");
	p->leaf_key = EVP_EC_gen("P-256");
	assert_non_null(p->ca_key);
	assert_non_null(p->leaf_key);
	p->ca = make_cert("rootshift unit CA", p->ca_key, NULL, NULL, 1);
	p->leaf = make_cert("localhost", p->leaf_key, p->ca, p->ca_key, 0);
}

static void pki_free(struct pki *p)
{
	X509_free(p->ca);
	X509_free(p->leaf);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->leaf_key);
}

/* One TLS connection: the leaf and the CA served; with answer, it is written after the first bytes read. */
static void serve(int lfd, const struct pki *p, const void *answer, size_t len)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	int fd = accept(lfd, NULL, NULL);
	SSL *ssl;
	char buf[4096];

	if (!ctx || fd < 0 || SSL_CTX_use_certificate(ctx, p->leaf) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, p->leaf_key) != 1 || SSL_CTX_add1_chain_cert(ctx, p->ca) != 1 ||
	    !(ssl = SSL_new(ctx)))
		_exit(3);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1 && answer && SSL_read(ssl, buf, sizeof(buf)) > 0)
		SSL_write(ssl, answer, (int)len);
	SSL_shutdown(ssl);
	close(fd);
	_exit(0);
}

/* Probes a child server; returns the result (the caller frees it). */
static struct rs_probe_result *probe(const struct pki *p, const char *host, X509 *anchor, enum rs_probe_protocol proto,
				     const void *answer, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	struct rs_probe_opts *o = rs_probe_opts_new();
	struct rs_verify_opts *v = rs_verify_opts_new();
	struct rs_certlist *store = rs_certlist_new();
	struct rs_probe_result *r;
	struct rs_error err;
	unsigned char *der = NULL;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), dlen = i2d_X509(anchor, &der), status;
	struct rs_cert *c = rs_cert_from_der(der, (size_t)dlen, &err);
	pid_t pid;

	OPENSSL_free(der);
	assert_non_null(c);
	assert_int_equal(rs_certlist_add(store, c, NULL, &err), 0);
	rs_cert_free(c);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		serve(lfd, p, answer, len);
	close(lfd);
	rs_verify_opts_set_time(v, AT_2026);
	assert_int_equal(rs_probe_opts_set_target(o, host, 8883, &err), 0);
	assert_int_equal(rs_probe_opts_set_connect_to(o, "127.0.0.1", ntohs(sa.sin_port), &err), 0);
	assert_int_equal(rs_probe_opts_set_store(o, store, &err), 0);
	assert_int_equal(rs_probe_opts_set_credentials(o, "dev-1", "user", "SharedAccessSignature sr=x", &err), 0);
	rs_probe_opts_set_verify(o, v);
	rs_probe_opts_set_protocol(o, proto);
	rs_probe_opts_set_timeouts(o, 5000, 5000, 10000);
	rs_probe_opts_set_transcript(o, 1);
	r = rs_probe_run(o, &err);
	assert_non_null(r);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rs_probe_opts_free(o);
	rs_verify_opts_free(v);
	rs_certlist_free(store);
	return r;
}

static void test_probe_ok_then_mqtt(void **state)
{
	static const unsigned char connack5[] = { 0x20, 0x02, 0x00, 0x05 };
	struct pki p;
	struct rs_probe_result *r;

	(void)state;
	pki_make(&p);
	r = probe(&p, "localhost", p.ca, RS_PROTO_MQTT, connack5, sizeof(connack5));
	if (rs_probe_result_code(r) != RS_PROBE_OK_AUTH_REJECTED)
		fail_msg("%s: %s", rs_probe_code_name(rs_probe_result_code(r)), rs_probe_result_message(r));
	assert_int_equal(rs_certlist_count(rs_probe_result_served_chain(r)), 2);
	assert_int_equal(rs_probe_result_status(r), 5);
	assert_non_null(strstr(rs_probe_result_tls_version(r), "TLS"));
	assert_int_equal(rs_probe_result_handshake_ms(r), -1); /* no clock given: no timings */
	assert_non_null(strstr(rs_probe_result_transcript(r), "CONNACK 5"));
	rs_probe_result_free(r);

	r = probe(&p, "localhost", p.ca, RS_PROTO_TLS, NULL, 0);
	assert_int_equal(rs_probe_result_code(r), RS_PROBE_OK);
	rs_probe_result_free(r);
	pki_free(&p);
}

/* The served chain judged against the device's store at the device's time: another root, the wrong name. */
static void test_probe_verdicts(void **state)
{
	struct pki p, other;
	struct rs_probe_result *r;

	(void)state;
	pki_make(&p);
	pki_make(&other);
	r = probe(&p, "localhost", other.ca, RS_PROTO_MQTT, NULL, 0);
	assert_int_equal(rs_probe_result_code(r), RS_PROBE_CERT_UNTRUSTED);
	assert_int_equal(rs_certlist_count(rs_probe_result_served_chain(r)), 2);
	assert_non_null(rs_probe_result_verify(r));
	rs_probe_result_free(r);

	r = probe(&p, "hub.example", p.ca, RS_PROTO_MQTT, NULL, 0);
	assert_int_equal(rs_probe_result_code(r), RS_PROBE_CERT_HOSTNAME_MISMATCH);
	rs_probe_result_free(r);
	pki_free(&p);
	pki_free(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_ok_then_mqtt),
		cmocka_unit_test(test_probe_verdicts),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
