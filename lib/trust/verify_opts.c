/* verify_opts.c: the configuration of the path builder (what to check, what the device can do). */
#include "verify.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_digests[] = { "md5", "sha1", "sha224", "sha256", "sha384", "sha512" };

struct rs_verify_opts *rs_verify_opts_new(void)
{
	struct rs_verify_opts *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->max_depth = -1;
	o->max_work = RS_VERIFY_DEFAULT_WORK;
	o->policy = RS_VERIFY_POLICY_WEBPKI;
	o->min_rsa_bits = -1;
	return o;
}

void rs_verify_opts_free(struct rs_verify_opts *o)
{
	size_t i;

	if (!o)
		return;
	free(o->host);
	for (i = 0; i < o->n_deny_digest; i++)
		free(o->deny_digest[i]);
	for (i = 0; i < o->n_deny_key; i++)
		free(o->deny_key[i]);
	for (i = 0; i < o->n_allow_key; i++)
		free(o->allow_key[i]);
	sk_X509_CRL_pop_free(o->crls, X509_CRL_free);
	free(o);
}

void rs_verify_opts_set_time(struct rs_verify_opts *o, rs_time at)
{
	o->at = at;
}

int rs_verify_opts_set_host(struct rs_verify_opts *o, const char *host, struct rs_error *err)
{
	char *copy = NULL;

	if (host && !*host)
		return rs_fail(err, RS_ERR_USAGE, "empty host name");
	if (host && !(copy = rs_strdup(host)))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	free(o->host);
	o->host = copy;
	return 0;
}

void rs_verify_opts_set_max_depth(struct rs_verify_opts *o, int max_intermediates)
{
	o->max_depth = max_intermediates < 0 ? -1 : max_intermediates;
}

void rs_verify_opts_set_max_chain_bytes(struct rs_verify_opts *o, size_t bytes)
{
	o->max_chain_bytes = bytes;
}

void rs_verify_opts_set_rsa_max_bits(struct rs_verify_opts *o, int bits)
{
	o->rsa_max_bits = bits > 0 ? bits : 0;
}

void rs_verify_opts_set_max_work(struct rs_verify_opts *o, size_t steps)
{
	o->max_work = steps ? steps : RS_VERIFY_DEFAULT_WORK;
}

static int add_name(char **list, size_t *n, const char *name, struct rs_error *err)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (rs_streq_ci(list[i], name))
			return 0;
	if (*n == RS_VERIFY_MAX_DENY)
		return rs_fail(err, RS_ERR_LIMIT, "too many denied algorithms (at most %d)", RS_VERIFY_MAX_DENY);
	if (!(list[*n] = rs_strdup(name)))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	(*n)++;
	return 0;
}

int rs_verify_opts_deny_digest(struct rs_verify_opts *o, const char *digest, struct rs_error *err)
{
	size_t i;

	for (i = 0; digest && i < RS_ARRAY_LEN(known_digests); i++)
		if (rs_streq_ci(digest, known_digests[i]))
			return add_name(o->deny_digest, &o->n_deny_digest, known_digests[i], err);
	return rs_fail(err, RS_ERR_USAGE, "unknown digest '%s' (use md5, sha1, sha224, sha256, sha384 or sha512)",
		       digest ? digest : "");
}

int rs_verify_opts_deny_key(struct rs_verify_opts *o, const char *key, struct rs_error *err)
{
	if (!key || !*key)
		return rs_fail(err, RS_ERR_USAGE, "empty key algorithm");
	return add_name(o->deny_key, &o->n_deny_key, key, err);
}

void rs_verify_opts_set_policy(struct rs_verify_opts *o, enum rs_verify_policy policy)
{
	o->policy = policy == RS_VERIFY_POLICY_RFC5280 ? RS_VERIFY_POLICY_RFC5280 : RS_VERIFY_POLICY_WEBPKI;
}

enum rs_verify_policy rs_verify_opts_policy(const struct rs_verify_opts *o)
{
	return o->policy;
}

const char *rs_verify_policy_name(enum rs_verify_policy policy)
{
	return policy == RS_VERIFY_POLICY_RFC5280 ? "rfc5280" : "webpki";
}

int rs_verify_policy_parse(const char *name, enum rs_verify_policy *out, struct rs_error *err)
{
	if (name && rs_streq_ci(name, "webpki"))
		*out = RS_VERIFY_POLICY_WEBPKI;
	else if (name && rs_streq_ci(name, "rfc5280"))
		*out = RS_VERIFY_POLICY_RFC5280;
	else
		return rs_fail(err, RS_ERR_USAGE, "unknown policy '%s' (use webpki or rfc5280)", name ? name : "");
	return 0;
}

void rs_verify_opts_set_min_rsa_bits(struct rs_verify_opts *o, int bits)
{
	o->min_rsa_bits = bits < 0 ? -1 : bits;
}

int rs_verify_opts_allow_key(struct rs_verify_opts *o, const char *what, struct rs_error *err)
{
	if (!what || !*what)
		return rs_fail(err, RS_ERR_USAGE, "empty key algorithm");
	return add_name(o->allow_key, &o->n_allow_key, what, err);
}

/* PEM (every X509 CRL block) or one DER CRL. */
int rs_verify_opts_add_crls(struct rs_verify_opts *o, const unsigned char *buf, size_t len, const char *name,
			    struct rs_error *err)
{
	const unsigned char *p = buf;
	X509_CRL *crl;
	BIO *bio;
	int n = 0;

	if (!name)
		name = "CRL";
	if (len > LONG_MAX)
		return rs_fail(err, RS_ERR_LIMIT, "'%s' is too large", name);
	if (!o->crls && !(o->crls = sk_X509_CRL_new_null()))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	if ((crl = d2i_X509_CRL(NULL, &p, (long)len)) != NULL) {
		if (p != buf + len) {
			X509_CRL_free(crl);
			return rs_fail(err, RS_ERR_PARSE, "'%s': trailing data after the CRL", name);
		}
		if (!sk_X509_CRL_push(o->crls, crl)) {
			X509_CRL_free(crl);
			return rs_fail(err, RS_ERR_NOMEM, "out of memory");
		}
		return 0;
	}
	ERR_clear_error();
	if (!(bio = BIO_new_mem_buf(buf, (int)(len > INT_MAX ? INT_MAX : len))))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_CRL_push(o->crls, crl)) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return rs_fail(err, RS_ERR_NOMEM, "out of memory");
		}
		n++;
	}
	BIO_free(bio);
	ERR_clear_error();
	if (!n)
		return rs_fail(err, RS_ERR_PARSE, "'%s' holds no CRL (PEM or DER)", name);
	return 0;
}

int rs_verify_opts_add_crl_path(struct rs_verify_opts *o, const char *path, struct rs_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rv;

	if (rs_read_file(path, 64u << 20, &data, &len, err) < 0)
		return -1;
	rv = rs_verify_opts_add_crls(o, data, len, path, err);
	free(data);
	return rv;
}

struct rs_verify_opts *rs_verify_opts_dup(const struct rs_verify_opts *from)
{
	struct rs_verify_opts *o = rs_verify_opts_new();
	size_t i;
	int ok = 1;

	if (!o)
		return NULL;
	o->at = from->at;
	o->max_depth = from->max_depth;
	o->max_chain_bytes = from->max_chain_bytes;
	o->rsa_max_bits = from->rsa_max_bits;
	o->max_work = from->max_work;
	o->policy = from->policy;
	o->min_rsa_bits = from->min_rsa_bits;
	for (i = 0; ok && i < from->n_deny_digest; i++)
		ok = rs_verify_opts_deny_digest(o, from->deny_digest[i], NULL) == 0;
	for (i = 0; ok && i < from->n_deny_key; i++)
		ok = rs_verify_opts_deny_key(o, from->deny_key[i], NULL) == 0;
	for (i = 0; ok && i < from->n_allow_key; i++)
		ok = rs_verify_opts_allow_key(o, from->allow_key[i], NULL) == 0;
	if (ok && from->host)
		ok = rs_verify_opts_set_host(o, from->host, NULL) == 0;
	if (ok && from->crls)
		ok = (o->crls = sk_X509_CRL_new_null()) != NULL;
	for (i = 0; ok && from->crls && i < (size_t)sk_X509_CRL_num(from->crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(from->crls, (int)i);
		ok = X509_CRL_up_ref(crl) == 1;
		if (ok && !sk_X509_CRL_push(o->crls, crl)) {
			X509_CRL_free(crl);
			ok = 0;
		}
	}
	if (!ok) {
		rs_verify_opts_free(o);
		return NULL;
	}
	return o;
}

void rs_verify_config_init(struct rs_verify_config *c)
{
	*c = (struct rs_verify_config){ .max_depth = -1, .policy = RS_VERIFY_POLICY_WEBPKI, .min_rsa_bits = -1 };
}

static int add_names(struct rs_verify_opts *o, const char *const *names,
		     int (*add)(struct rs_verify_opts *, const char *, struct rs_error *), struct rs_error *err)
{
	for (; names && *names; names++)
		if (add(o, *names, err) < 0)
			return -1;
	return 0;
}

static int apply_config(struct rs_verify_opts *o, const struct rs_verify_config *c, struct rs_error *err)
{
	const char *const *p;

	rs_verify_opts_set_time(o, c->at);
	rs_verify_opts_set_max_depth(o, c->max_depth);
	rs_verify_opts_set_max_chain_bytes(o, c->max_chain_bytes);
	rs_verify_opts_set_rsa_max_bits(o, c->rsa_max_bits);
	rs_verify_opts_set_max_work(o, c->max_work);
	rs_verify_opts_set_policy(o, c->policy);
	rs_verify_opts_set_min_rsa_bits(o, c->min_rsa_bits);
	if (rs_verify_opts_set_host(o, c->host, err) < 0 ||
	    add_names(o, c->deny_digests, rs_verify_opts_deny_digest, err) < 0 ||
	    add_names(o, c->deny_keys, rs_verify_opts_deny_key, err) < 0 ||
	    add_names(o, c->allow_keys, rs_verify_opts_allow_key, err) < 0)
		return -1;
	for (p = c->crl_paths; p && *p; p++)
		if (rs_verify_opts_add_crl_path(o, *p, err) < 0)
			return -1;
	if (c->crls && rs_verify_opts_add_crls(o, c->crls, c->crls_len, c->crls_name ? c->crls_name : "CRLs", err) < 0)
		return -1;
	return 0;
}

struct rs_verify_opts *rs_verify_opts_from(const struct rs_verify_config *c, struct rs_error *err)
{
	struct rs_verify_opts *o = rs_verify_opts_new();

	if (!o) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (apply_config(o, c, err) < 0) {
		rs_verify_opts_free(o);
		return NULL;
	}
	return o;
}
