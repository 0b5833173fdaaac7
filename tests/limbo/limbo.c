/* limbo.c: runs the x509-limbo suite (tests/data/limbo/limbo.json) through rootshift's path builder and, in the
 * same run, through OpenSSL 3.0's X509_verify_cert, and writes limbo's result format for each.
 *
 * usage: limbo LIMBO.JSON [--out FILE] [--openssl-out FILE] [--min-pass N] [--verbose] [--policy webpki|rfc5280]
 *              [--strict] [--known-fail ID]...
 *
 * A case passes when the actual result (SUCCESS or FAILURE) equals the expected one. Every case where rootshift and
 * OpenSSL differ is printed (DIFF); --verbose also prints every case rootshift fails (FAIL). Exits 1 when rootshift passes
 * fewer than --min-pass cases (the committed baseline), 2 on error. With --strict it also exits 1 when a case other
 * than the --known-fail ones is wrong, or a --known-fail case is right (a known conflict that changed is news):
 * per-case expectations, printed as REGRESSION and CHANGED lines. Validation times that limbo leaves null mean
 * "now"; the certificates of such cases are valid for centuries. */
#include "internal.h"

#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct lcase {
	struct rs_certlist *peer, *untrusted, *trusted;
	rs_time at;
	const char *host;  /* DNS name or IP address, or NULL */
	int max_depth;     /* -1 when none */
	json_t *crls;      /* the case's CRLs (PEM strings), borrowed, or NULL */
	char context[512]; /* why the certificates could not be read, or "" */
};

static int add_pems(struct rs_certlist *l, json_t *v, struct lcase *c)
{
	/* Malformed certificates are loaded, and the path builder says "not valid" (rfc5280.well-formed). */
	static const struct rs_load_opts keep = { NULL, 0, 1 };
	const struct rs_load_opts *lo = &keep;
	struct rs_error err;
	size_t i;
	json_t *s;

	if (json_is_string(v))
		return rs_load_mem(l, (const unsigned char *)json_string_value(v), json_string_length(v), "peer", lo,
				   &err) < 0 ? (snprintf(c->context, sizeof(c->context), "%s", err.message), -1) : 0;
	json_array_foreach(v, i, s)
		if (rs_load_mem(l, (const unsigned char *)json_string_value(s), json_string_length(s), "cert", lo,
				&err) < 0) {
			snprintf(c->context, sizeof(c->context), "%s", err.message);
			return -1;
		}
	return 0;
}

static int read_case(json_t *t, struct lcase *c)
{
	json_t *name = json_object_get(t, "expected_peer_name"), *time_v = json_object_get(t, "validation_time");
	json_t *depth = json_object_get(t, "max_chain_depth");

	memset(c, 0, sizeof(*c));
	c->peer = rs_certlist_new();
	c->untrusted = rs_certlist_new();
	c->trusted = rs_certlist_new();
	c->at = (rs_time)time(NULL);
	c->max_depth = json_is_integer(depth) ? (int)json_integer_value(depth) : -1;
	c->host = json_is_object(name) ? json_string_value(json_object_get(name, "value")) : NULL;
	c->crls = json_is_array(json_object_get(t, "crls")) ? json_object_get(t, "crls") : NULL;
	if (json_is_string(time_v) && rs_time_parse(json_string_value(time_v), &c->at, NULL) < 0) {
		snprintf(c->context, sizeof(c->context), "cannot parse validation_time");
		return -1;
	}
	if (!c->peer || !c->untrusted || !c->trusted)
		return -1;
	if (add_pems(c->peer, json_object_get(t, "peer_certificate"), c) < 0 ||
	    add_pems(c->untrusted, json_object_get(t, "untrusted_intermediates"), c) < 0 ||
	    add_pems(c->trusted, json_object_get(t, "trusted_certs"), c) < 0)
		return -1;
	return 0;
}

static void release_case(struct lcase *c)
{
	rs_certlist_free(c->peer);
	rs_certlist_free(c->untrusted);
	rs_certlist_free(c->trusted);
}

static enum rs_verify_policy policy = RS_VERIFY_POLICY_WEBPKI;

static int run_rootshift(const struct lcase *c, char *context, size_t size)
{
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r = NULL;
	struct rs_error err;
	int ok = 0;

	if (!o)
		return 0;
	size_t i;
	json_t *crl;
	int crl_rv = 0;

	rs_verify_opts_set_time(o, c->at);
	rs_verify_opts_set_max_depth(o, c->max_depth);
	rs_verify_opts_set_policy(o, policy);
	json_array_foreach(c->crls, i, crl)
		if (crl_rv == 0 && json_is_string(crl))
			crl_rv = rs_verify_opts_add_crls(o, (const unsigned char *)json_string_value(crl),
							 json_string_length(crl), "crl", &err);
	if (crl_rv == 0 && rs_verify_opts_set_host(o, c->host, &err) == 0 &&
	    (r = rs_verify(c->peer, c->untrusted, c->trusted, o, &err))) {
		ok = rs_verify_result_ok(r);
		snprintf(context, size, "%s%s%s%s%s", rs_verify_reason_code(rs_verify_result_reason(r)), ok ? "" : " [",
			 rs_verify_result_rule(r), ok ? "" : "]: ", rs_verify_result_message(r));
	} else
		snprintf(context, size, "error: %s", err.message);
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	return ok;
}

static int run_openssl(const struct lcase *c, char *context, size_t size)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509_VERIFY_PARAM *param;
	json_t *crl_pem;
	unsigned long crl_flags = 0;
	size_t i;
	int ok = 0;

	if (!store || !ctx || !chain)
		goto out;
	for (i = 0; i < rs_certlist_count(c->untrusted); i++)
		sk_X509_push(chain, rs_cert_get0_x509(rs_certlist_at(c->untrusted, i)));
	for (i = 0; i < rs_certlist_count(c->trusted); i++)
		X509_STORE_add_cert(store, rs_cert_get0_x509(rs_certlist_at(c->trusted, i)));
	json_array_foreach(c->crls, i, crl_pem) {
		BIO *bio = BIO_new_mem_buf(json_string_value(crl_pem), (int)json_string_length(crl_pem));
		X509_CRL *crl = bio ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
		if (crl) {
			X509_STORE_add_crl(store, crl);
			crl_flags = X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
		}
		X509_CRL_free(crl);
		BIO_free(bio);
	}
	if (X509_STORE_CTX_init(ctx, store, rs_cert_get0_x509(rs_certlist_at(c->peer, 0)), chain) != 1)
		goto out;
	param = X509_STORE_CTX_get0_param(ctx);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	X509_VERIFY_PARAM_set_time(param, (time_t)c->at);
	X509_VERIFY_PARAM_set_flags(param, crl_flags);
	if (c->max_depth >= 0)
		X509_VERIFY_PARAM_set_depth(param, c->max_depth);
	if (c->host && X509_VERIFY_PARAM_set1_ip_asc(param, c->host) != 1)
		X509_VERIFY_PARAM_set1_host(param, c->host, 0);
	ok = X509_verify_cert(ctx) == 1;
	snprintf(context, size, "%s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_free(chain);
	return ok;
}

static json_t *result_json(const char *id, const char *actual, const char *context)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "actual_result", json_string(actual));
	json_object_set_new(o, "context", json_string(context));
	return o;
}

static json_t *results_doc(const char *harness)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "harness", json_string(harness));
	json_object_set_new(doc, "results", json_array());
	return doc;
}

struct tally {
	size_t total, rs_pass, ossl_pass, rs_only, ossl_only, unexpected;
};

/* The --known-fail case ids: cases rootshift is expected to get wrong (conflicts between upstream cases). */
static const char *known_fail[64];
static size_t n_known_fail;
static int strict;

static int is_known_fail(const char *id)
{
	size_t i;

	for (i = 0; id && i < n_known_fail; i++)
		if (!strcmp(known_fail[i], id))
			return 1;
	return 0;
}

static void run_one(json_t *t, json_t *rs_doc, json_t *ossl_doc, struct tally *n, int verbose)
{
	const char *id = json_string_value(json_object_get(t, "id"));
	const char *want = json_string_value(json_object_get(t, "expected_result"));
	char rs_ctx[600], ossl_ctx[600];
	int rs_ok = 0, ossl_ok = 0, rs_pass, ossl_pass;
	struct lcase c;

	if (read_case(t, &c) < 0 || !rs_certlist_count(c.peer)) {
		snprintf(rs_ctx, sizeof(rs_ctx), "certificates not read: %s", c.context);
		snprintf(ossl_ctx, sizeof(ossl_ctx), "%s", rs_ctx);
	} else {
		rs_ok = run_rootshift(&c, rs_ctx, sizeof(rs_ctx));
		ossl_ok = run_openssl(&c, ossl_ctx, sizeof(ossl_ctx));
	}
	release_case(&c);
	rs_pass = !strcmp(want, rs_ok ? "SUCCESS" : "FAILURE");
	ossl_pass = !strcmp(want, ossl_ok ? "SUCCESS" : "FAILURE");
	n->total++;
	n->rs_pass += rs_pass;
	n->ossl_pass += ossl_pass;
	n->rs_only += rs_pass && !ossl_pass;
	n->ossl_only += ossl_pass && !rs_pass;
	if (strict && !rs_pass && !is_known_fail(id)) {
		n->unexpected++;
		printf("REGRESSION %s: expected %s, rootshift %s\n", id, want, rs_ctx);
	} else if (strict && rs_pass && is_known_fail(id)) {
		n->unexpected++;
		printf("CHANGED %s: listed with --known-fail, and rootshift is now right (%s)\n", id, rs_ctx);
	}
	if (verbose && !rs_pass)
		printf("FAIL %s: expected %s, rootshift %s\n", id, want, rs_ctx);
	if (rs_pass != ossl_pass)
		printf("DIFF %s: expected %s, rootshift %s (%s), openssl %s (%s)\n", id, want, rs_ok ? "SUCCESS" : "FAILURE",
		       rs_ctx, ossl_ok ? "SUCCESS" : "FAILURE", ossl_ctx);
	json_array_append_new(json_object_get(rs_doc, "results"), result_json(id, rs_ok ? "SUCCESS" : "FAILURE", rs_ctx));
	json_array_append_new(json_object_get(ossl_doc, "results"),
			      result_json(id, ossl_ok ? "SUCCESS" : "FAILURE", ossl_ctx));
}

static int write_doc(json_t *doc, const char *path)
{
	if (!path)
		return 0;
	if (json_dump_file(doc, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
		fprintf(stderr, "limbo: cannot write '%s'\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *ossl_out = NULL;
	json_t *doc, *cases, *t, *rs_doc = results_doc("rootshift"), *ossl_doc = results_doc("openssl-3.0");
	struct tally n = { 0, 0, 0, 0, 0, 0 };
	long min_pass = 0;
	json_error_t jerr;
	int i, verbose = 0, rv = 0;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--openssl-out") && i + 1 < argc)
			ossl_out = argv[++i];
		else if (!strcmp(argv[i], "--min-pass") && i + 1 < argc)
			min_pass = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = 1;
		else if (!strcmp(argv[i], "--strict"))
			strict = 1;
		else if (!strcmp(argv[i], "--known-fail") && i + 1 < argc) {
			if (n_known_fail == sizeof(known_fail) / sizeof(known_fail[0])) {
				fprintf(stderr, "limbo: too many --known-fail ids\n");
				return 2;
			}
			known_fail[n_known_fail++] = argv[++i];
		}
		else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			if (rs_verify_policy_parse(argv[++i], &policy, NULL) < 0) {
				fprintf(stderr, "limbo: unknown policy '%s'\n", argv[i]);
				return 2;
			}
		}
		else
			in = argv[i];
	}
	if (!in || !(doc = json_load_file(in, 0, &jerr))) {
		fprintf(stderr, "usage: limbo LIMBO.JSON [--out FILE] [--openssl-out FILE] [--min-pass N] [--verbose] "
			"[--policy webpki|rfc5280] [--strict] [--known-fail ID]...%s%s\n",
			in ? "\nlimbo: " : "", in ? jerr.text : "");
		return 2;
	}
	cases = json_object_get(doc, "testcases");
	json_array_foreach(cases, k, t)
		run_one(t, rs_doc, ossl_doc, &n, verbose);
	printf("x509-limbo (policy %s): %zu cases; rootshift passes %zu, openssl passes %zu; only rootshift right %zu, only openssl "
	       "right %zu\n", rs_verify_policy_name(policy), n.total, n.rs_pass, n.ossl_pass, n.rs_only, n.ossl_only);
	if (write_doc(rs_doc, out) < 0 || write_doc(ossl_doc, ossl_out) < 0)
		rv = 2;
	else if ((long)n.rs_pass < min_pass) {
		printf("limbo: rootshift passes %zu, fewer than the baseline %ld\n", n.rs_pass, min_pass);
		rv = 1;
	} else if (strict && n.unexpected) {
		printf("limbo: %zu cases differ from the expectations (REGRESSION and CHANGED lines above)\n", n.unexpected);
		rv = 1;
	}
	json_decref(doc);
	json_decref(rs_doc);
	json_decref(ossl_doc);
	return rv;
}
