/* test_translate.c: rs_translate_certs, a real store put in a stand-in PKI's terms. The stand-ins here are
 * tests/data/pki's self-made look-alikes (real names, own keys), so a mapping by name would show. */
#include "rs_test.h"

#include <string.h>

struct fixture {
	struct rs_catalog *cat;
	struct rs_certlist *standins; /* [0] look-alike G2, [1] look-alike MS 2017, [2] look-alike ICA 07 */
	struct rs_lookalike map[3];
};

static int setup(void **state)
{
	static struct fixture f;
	struct rs_error err;

	memset(&f, 0, sizeof(f));
	f.cat = rs_catalog_new();
	if (!f.cat || rs_catalog_add_builtin(f.cat, NULL, &err) < 0)
		return -1;
	f.standins = load_ok(DATA("pki/root_g2.pem"));
	if (rs_load_path(f.standins, DATA("pki/root_ms2017.pem"), NULL, &err) < 0 ||
	    rs_load_path(f.standins, DATA("pki/ica07_xsign.pem"), NULL, &err) < 0 || rs_certlist_count(f.standins) != 3)
		return -1;
	f.map[0] = (struct rs_lookalike){ "new-root", "azure-iot:digicert-global-root-g2", rs_certlist_at(f.standins, 0) };
	f.map[1] = (struct rs_lookalike){ "ms-root", "azure-iot:microsoft-rsa-root-ca-2017", rs_certlist_at(f.standins, 1) };
	f.map[2] = (struct rs_lookalike){ "new-ca", "azure-iot:microsoft-azure-rsa-tls-issuing-ca-07-g2",
					  rs_certlist_at(f.standins, 2) };
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rs_certlist_free(f->standins);
	rs_catalog_free(f->cat);
	return 0;
}

static int translate(struct fixture *f, struct rs_certlist *in, struct rs_certlist *out, struct rs_translation *tr,
		     size_t max)
{
	struct rs_error err;
	int n = rs_translate_certs(f->cat, f->map, 3, in, out, tr, max, &err);

	if (n < 0)
		fail_msg("%s", err.message);
	return n;
}

/* The real G2 and MS 2017 become their look-alikes; Baltimore, which nothing plays here, is kept. */
static void test_same(void **state)
{
	struct fixture *f = *state;
	struct rs_certlist *in = load_ok(DATA("forms/three_roots.pem")), *out = rs_certlist_new();
	struct rs_translation tr[8];

	assert_int_equal(translate(f, in, out, tr, 8), 3);
	assert_int_equal(rs_certlist_count(out), 3);
	assert_string_equal(rs_known_id(tr[0].known), "baltimore-cybertrust-root");
	assert_int_equal(tr[0].how, RS_TRANSLATE_KEPT);
	assert_null(tr[0].by);
	assert_ptr_equal(rs_certlist_at(out, 0), rs_certlist_at(in, 0));
	assert_int_equal(tr[1].how, RS_TRANSLATE_SAME);
	assert_string_equal(tr[1].by->role, "new-root");
	assert_ptr_equal(rs_certlist_at(out, 1), rs_certlist_at(f->standins, 0));
	assert_string_equal(tr[2].by->role, "ms-root");
	assert_ptr_equal(rs_certlist_at(out, 2), rs_certlist_at(f->standins, 1));
	assert_string_equal(rs_translate_how_name(tr[1].how), "same");
	rs_certlist_free(in);
	rs_certlist_free(out);
}

/* An intermediate nothing plays maps to the look-alike of the same role under the same issuer; one under another
 * issuer (MS 2017) does not. */
static void test_role(void **state)
{
	struct fixture *f = *state;
	struct rs_certlist *in = load_ok(DATA("intermediates/microsoft_azure_rsa_tls_issuing_ca_03_xsign.pem")),
			   *out = rs_certlist_new();
	struct rs_translation tr[4];
	struct rs_error err;

	assert_int_equal(rs_load_path(in, DATA("intermediates/microsoft_azure_rsa_tls_issuing_ca_03.pem"), NULL, &err), 0);
	assert_int_equal(translate(f, in, out, tr, 4), 2);
	assert_int_equal(tr[0].how, RS_TRANSLATE_ROLE);
	assert_string_equal(tr[0].by->role, "new-ca");
	assert_string_equal(rs_translate_how_name(tr[0].how), "role");
	assert_int_equal(tr[1].how, RS_TRANSLATE_KEPT); /* issued by MS 2017: no look-alike plays one */
	assert_int_equal(rs_certlist_count(out), 2);
	rs_certlist_free(in);
	rs_certlist_free(out);
}

/* Unknown certificates pass as they are, the look-alikes' own names included; a stand-in is added once; the count
 * is of every catalog certificate met, beyond max too. */
static void test_unknown_and_duplicates(void **state)
{
	struct fixture *f = *state;
	struct rs_certlist *in = load_ok(DATA("pki/root_g2.pem")), *out = rs_certlist_new();
	struct rs_translation tr[1];
	struct rs_error err;

	assert_int_equal(rs_load_path(in, DATA("digicert_global_root_g2.pem"), NULL, &err), 0);
	assert_int_equal(rs_load_path(in, DATA("g2_ms2017.pem"), NULL, &err), 0);
	assert_int_equal(translate(f, in, out, tr, 1), 3); /* G2 twice and MS 2017; the look-alike G2 is not known */
	assert_int_equal(rs_certlist_count(out), 2);     /* look-alike G2 (once), look-alike MS 2017 */
	assert_ptr_equal(rs_certlist_at(out, 0), rs_certlist_at(in, 0)); /* unknown: as it is, real name and all */
	assert_string_equal(rs_cert_sha256(rs_certlist_at(out, 0)), rs_cert_sha256(rs_certlist_at(f->standins, 0)));
	assert_ptr_equal(rs_certlist_at(out, 1), rs_certlist_at(f->standins, 1));
	assert_int_equal(translate(f, in, out, NULL, 0), 3);
	assert_int_equal(rs_certlist_count(out), 2); /* nothing added twice into the same list */
	rs_certlist_free(in);
	rs_certlist_free(out);
}

static void test_bad_args(void **state)
{
	struct fixture *f = *state;
	struct rs_certlist *out = rs_certlist_new();
	struct rs_lookalike odd = { "x", "no-colon", rs_certlist_at(f->standins, 0) };
	struct rs_certlist *in = load_ok(DATA("digicert_global_root_g2.pem"));
	struct rs_error err;

	assert_int_equal(rs_translate_certs(NULL, f->map, 3, out, out, NULL, 0, &err), -1);
	assert_int_equal(err.code, RS_ERR_USAGE);
	/* a look-alike that names no catalog certificate plays nothing */
	assert_int_equal(rs_translate_certs(f->cat, &odd, 1, in, out, NULL, 0, &err), 1);
	assert_ptr_equal(rs_certlist_at(out, 0), rs_certlist_at(in, 0));
	rs_certlist_free(in);
	rs_certlist_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_role),
		cmocka_unit_test(test_unknown_and_duplicates),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
