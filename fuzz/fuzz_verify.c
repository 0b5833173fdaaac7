/* fuzz_verify.c: the path builder over arbitrary certificate sets. Input: a 4-byte header, then certificates in
 * any form the loaders read (PEM bundle, DER, PKCS#7). Header: [0] how many certificates form the served chain
 * (at least 1), [1] how many of the rest are untrusted intermediates (the others are the store), [2] option bits
 * (1 host, 2 deny sha384, 4 RSA max 2048, 8 small work limit, 16 max chain bytes 4096), [3] max depth (255 none).
 * Checks: no crash, no leak, and the work limit holds. */
#include "internal.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void split(const struct rs_certlist *all, size_t n_chain, size_t n_untrusted, struct rs_certlist *chain,
		  struct rs_certlist *untrusted, struct rs_certlist *store)
{
	size_t i;

	for (i = 0; i < rs_certlist_count(all); i++) {
		struct rs_certlist *to = i < n_chain ? chain : i < n_chain + n_untrusted ? untrusted : store;
		rs_certlist_add(to, rs_certlist_at(all, i), rs_certlist_location(all, i), NULL);
	}
}

static void configure(struct rs_verify_opts *o, const uint8_t *h)
{
	rs_verify_opts_set_time(o, 1748736000); /* 2025-06-01 */
	if (h[2] & 1)
		rs_verify_opts_set_host(o, "myhub.azure-devices.net", NULL);
	if (h[2] & 2)
		rs_verify_opts_deny_digest(o, "sha384", NULL);
	if (h[2] & 4)
		rs_verify_opts_set_rsa_max_bits(o, 2048);
	if (h[2] & 8)
		rs_verify_opts_set_max_work(o, 64);
	if (h[2] & 16)
		rs_verify_opts_set_max_chain_bytes(o, 4096);
	rs_verify_opts_set_max_depth(o, h[3] == 255 ? -1 : h[3]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_certlist *all = rs_certlist_new(), *chain = rs_certlist_new(), *untrusted = rs_certlist_new();
	struct rs_certlist *store = rs_certlist_new();
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r = NULL;
	size_t i;

	if (size < 4 || !all || !chain || !untrusted || !store || !o)
		goto out;
	if (rs_load_mem(all, data + 4, size - 4, "fuzz", NULL, NULL) < 0)
		goto out;
	split(all, data[0] ? data[0] : 1, data[1], chain, untrusted, store);
	configure(o, data);
	if (!(r = rs_verify(chain, untrusted, store, o, NULL)))
		goto out;
	if (rs_verify_result_work(r) > ((data[2] & 8) ? 64u : 5000u))
		abort();
	for (i = 0; i < rs_verify_result_path_count(r); i++)
		if (rs_certlist_count(rs_verify_result_path_at(r, i)) == 0)
			abort();
	(void)rs_verify_result_failed_path(r, NULL);
out:
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(all);
	rs_certlist_free(chain);
	rs_certlist_free(untrusted);
	rs_certlist_free(store);
	return 0;
}
