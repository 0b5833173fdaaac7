#ifndef MODEM_CERTS_H
#define MODEM_CERTS_H
#include <stddef.h>

extern const char hub_root_ca[];
extern const size_t hub_root_ca_len;

#endif
