/**************************************************************************/
/*   Copyright (c) Contoso Devices. Licensed under the MIT License.        */
/**************************************************************************/
#ifndef NX_AZURE_IOT_CERT_H
#define NX_AZURE_IOT_CERT_H

#include "nx_api.h"

extern const UCHAR _nx_azure_iot_root_cert[];
extern const UINT _nx_azure_iot_root_cert_size;

#endif /* NX_AZURE_IOT_CERT_H */
