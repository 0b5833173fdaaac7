/* verify_opts.c: the configuration of the path builder (what to check, what the device can do). */
#include "verify.h"

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
