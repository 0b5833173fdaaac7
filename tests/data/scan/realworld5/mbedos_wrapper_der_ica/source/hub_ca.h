#ifndef HUB_CA_H
#define HUB_CA_H
#include <stddef.h>

extern const unsigned char hub_ca_der[];
extern const size_t hub_ca_der_len;

#endif
