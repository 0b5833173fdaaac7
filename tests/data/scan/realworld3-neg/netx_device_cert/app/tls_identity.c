#include "nx_secure_tls_api.h"
extern const UCHAR device_cert_der[];
extern const UINT device_cert_der_len;
extern const UCHAR device_key_der[];
extern const UINT device_key_der_len;
static NX_SECURE_X509_CERT device_cert;

UINT tls_identity(NX_SECURE_TLS_SESSION *session)
{
    UINT status = nx_secure_x509_certificate_initialize(&device_cert, (UCHAR *)device_cert_der, (USHORT)device_cert_der_len,
                                                        NX_NULL, 0, device_key_der, device_key_der_len,
                                                        NX_SECURE_X509_KEY_TYPE_RSA_PKCS1_DER);
    if (status == NX_SUCCESS)
        status = nx_secure_tls_local_certificate_add(session, &device_cert);
    return status;
}
