/*
 * Copyright (c) 2024 Contoso Devices
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#ifndef __CA_CERTIFICATE_H__
#define __CA_CERTIFICATE_H__

#define CA_CERTIFICATE_TAG 1

/* By default only certificates in DER format are supported. If you want to use
 * certificate in PEM format, you can enable support for it in Kconfig.
 */

static const unsigned char ca_certificate[] = {
#include "digicert.der.inc"
};

#endif /* __CA_CERTIFICATE_H__ */
