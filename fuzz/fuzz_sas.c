/* fuzz_sas.c: the SAS token and connection string parsers, and SAS verification, on arbitrary text. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct rs_connstr *cs;
	struct rs_sas *sas;
	struct rs_error err;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if ((sas = rs_sas_parse(text, &err)) != NULL) {
		(void)rs_sas_verify(sas, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "hub.azure-devices.net/devices/d",
				    0, &err);
		rs_sas_free(sas);
	}
	if ((cs = rs_connstr_parse(text, &err)) != NULL) {
		const char *key = rs_connstr_get(cs, "SharedAccessKey");
		char *tok = key ? rs_sas_make("h/devices/d", key, 1, NULL, &err) : NULL;
		free(tok);
		rs_connstr_free(cs);
	}
	free(text);
	return 0;
}
