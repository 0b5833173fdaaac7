/* test_lab_pki.c: a lab made by lab_init (seeded, fast keys, pinned time) and what the server loads from it: the
 * settings, the look-alikes, the chains' TLS contexts (switch.c), and which chain each handshake is served with a
 * mix. A second lab_init into the same directory is refused; a directory without chains cannot start. */
#include "rs_test.h"

#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static char dir[64];

static rs_time test_clock(void *arg)
{
	(void)arg;
	return T0 + 60;
}

static int group_setup(void **state)
{
	struct lab_init_opts o = { 0 };
	struct lab_init_result *res = calloc(1, sizeof(*res));
	struct rs_error err;

	*state = res;
	snprintf(dir, sizeof(dir), "/tmp/rs-lab-pki-XXXXXX");
	if (!res || !mkdtemp(dir))
		return -1;
	o.seed = "unit-pki";
	o.at = T0;
	o.fast_keys = 1;
	o.names[o.name_count++] = "127.0.0.1";
	o.names[o.name_count++] = "lab.example";
	if (lab_init(dir, &o, res, &err) < 0) {
		print_message("%s\n", err.message);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	free(*state);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_init(void **state)
{
	struct lab_init_result *res = *state, again;
	struct lab_init_opts o = { 0 };
	struct lab_config cfg;
	struct rs_error err;
	int leaf = 0;

	assert_true(res->count > 8 && res->count <= 24);
	for (size_t i = 0; i < res->count; i++) {
		assert_int_equal(strlen(res->certs[i].sha1), 40);
		assert_true(res->certs[i].subject[0] && res->certs[i].detail[0]);
		leaf += !strcmp(res->certs[i].id, "old-leaf");
	}
	assert_int_equal(leaf, 1);
	assert_int_equal(lab_config_load(dir, &cfg, &err), 0);
	assert_int_equal(cfg.generated_at, T0);
	assert_string_equal(cfg.hub_host, "rootshift-lab.azure-devices.net");
	/* not over a lab that is there */
	o.seed = "x";
	o.at = T0;
	o.fast_keys = 1;
	assert_int_equal(lab_init(dir, &o, &again, &err), -1);
	assert_int_equal(err.code, RS_ERR_IO);
	assert_non_null(strstr(err.message, "cannot create '"));
	assert_non_null(strstr(err.message, "/pki': File exists"));
}

static void test_lookalikes(void **state)
{
	struct lab_lookalikes l;
	struct rs_error err;

	(void)state;
	assert_int_equal(lab_lookalikes_load(dir, &l, &err), 0);
	assert_true(l.n >= 4 && l.n <= LAB_MAX_LOOKALIKES);
	assert_string_equal(l.v[0].role, "old-root");
	for (size_t i = 0; i < l.n; i++) {
		assert_non_null(l.v[i].cert);
		assert_non_null(strchr(l.v[i].plays, ':')); /* "PROFILE:ID" */
	}
	lab_lookalikes_release(&l);
	assert_int_equal(lab_lookalikes_load("/nonexistent-lab", &l, &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent-lab/pki/old-root.pem"));
}

/* The leaf of chains/NAME.pem. */
static X509 *chain_leaf(const char *name)
{
	char path[128];
	FILE *f;
	X509 *x;

	snprintf(path, sizeof(path), "%s/chains/%s.pem", dir, name);
	assert_non_null(f = fopen(path, "r"));
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	return x;
}

static void test_switch_contexts(void **state)
{
	struct lab_serve_opts opts = { 0 };
	struct lab_server lab;
	struct rs_error err;
	X509 *leaf[LAB_CHAIN__COUNT];
	int served_new = 0;

	(void)state;
	memset(&lab, 0, sizeof(lab));
	opts.dir = "/nonexistent-lab";
	opts.clock = test_clock;
	lab.opts = &opts;
	assert_int_equal(lab_switch_start(&lab, &err), -1);
	assert_non_null(strstr(err.message, "cannot load '/nonexistent-lab/chains/old.pem' and its key"));
	lab_switch_stop(&lab);

	opts.dir = dir;
	opts.request_client_cert = 1;
	assert_int_equal(lab_switch_start(&lab, &err), 0);
	for (int c = 0; c < LAB_CHAIN__COUNT; c++)
		leaf[c] = chain_leaf(lab_chain_name((enum lab_chain)c));
	/* each context serves its own chain's leaf */
	for (int c = 0; c < LAB_CHAIN__COUNT; c++) {
		enum lab_chain got;
		SSL *ssl;
		lab.sw.hub_chain = (enum lab_chain)c;
		assert_non_null(ssl = lab_switch_new_ssl(&lab, &got));
		assert_int_equal(got, c);
		assert_int_equal(X509_cmp(SSL_get_certificate(ssl), leaf[c]), 0);
		assert_int_equal(SSL_get_verify_mode(ssl), SSL_VERIFY_PEER); /* --request-client-cert */
		SSL_free(ssl);
	}
	/* a mix of 25: one handshake in four gets the other chain */
	lab.sw.hub_chain = LAB_CHAIN_OLD;
	lab.sw.mix = 25;
	lab.sw.accepted = 0;
	for (int i = 0; i < 100; i++) {
		enum lab_chain got;
		SSL *ssl = lab_switch_new_ssl(&lab, &got);
		assert_non_null(ssl);
		assert_true(got == LAB_CHAIN_OLD || got == LAB_CHAIN_NEW);
		assert_int_equal(X509_cmp(SSL_get_certificate(ssl), leaf[got]), 0);
		served_new += got == LAB_CHAIN_NEW;
		SSL_free(ssl);
	}
	assert_int_equal(served_new, 25);
	for (int c = 0; c < LAB_CHAIN__COUNT; c++)
		X509_free(leaf[c]);
	lab_switch_stop(&lab);
	for (int c = 0; c < LAB_CHAIN__COUNT; c++)
		assert_null(lab.sw.ctx[c]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_lookalikes),
		cmocka_unit_test(test_switch_contexts),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
