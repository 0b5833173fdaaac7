#ifndef AZURE_ROOTS_H
#define AZURE_ROOTS_H

extern const char azure_iot_root_ca_pem[];
extern const unsigned int azure_iot_root_ca_pem_len;

#endif
