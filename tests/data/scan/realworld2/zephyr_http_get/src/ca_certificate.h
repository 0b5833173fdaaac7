#ifndef __CA_CERTIFICATE_H__
#define __CA_CERTIFICATE_H__

#define CA_CERTIFICATE_TAG 1

static const unsigned char ca_certificate[] = {
#include "ca.der.inc"
};

#endif /* __CA_CERTIFICATE_H__ */
