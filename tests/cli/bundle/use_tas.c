/* use_tas.c: includes a generated BearSSL trust-anchor header and uses it (test_bundle.sh). */
#include <stdio.h>

#include "trust_anchors.h"

int main(void)
{
	size_t i;

	for (i = 0; i < TAs_NUM; i++)
		printf("%zu %u %zu\n", i, (unsigned)TAs[i].pkey.key_type, TAs[i].dn.len);
	return 0;
}
