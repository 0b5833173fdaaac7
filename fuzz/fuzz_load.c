/* fuzz_load.c: the certificate loaders (PEM, DER, PKCS#7, PKCS#12) on arbitrary bytes. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_certlist *list = rs_certlist_new();
	struct rs_load_opts opts = { "rootshift-test", 0, 0 };
	struct rs_error err;
	size_t i;

	if (!list)
		return 0;
	if (rs_load_mem(list, data, size, "fuzz", &opts, &err) == 0)
		for (i = 0; i < rs_certlist_count(list); i++)
			(void)rs_cert_subject(rs_certlist_at(list, i));
	rs_certlist_free(list);
	return 0;
}
