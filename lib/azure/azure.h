/* azure.h: what lib/azure's files share. */
#ifndef RS_AZURE_H
#define RS_AZURE_H

#include "../internal.h"

/* Strict base64 (padding required, at most 4096 characters); 0 or -1. *out is malloc'd. */
int rs_base64_decode(const char *text, unsigned char **out, size_t *outlen);
char *rs_base64_encode(const unsigned char *data, size_t len);

#endif
