#include "nx_api.h"
#include "nx_secure_tls_api.h"
#include "nx_azure_iot_cert.h"

static NX_SECURE_X509_CERT root_ca_cert;
static UCHAR tls_packet_buffer[4096];

UINT sample_tls_setup(NX_SECURE_TLS_SESSION *tls_session)
{
UINT status;

    /* Initialize the trusted root from the DER bytes. */
    status = nx_secure_x509_certificate_initialize(&root_ca_cert, (UCHAR *)_nx_azure_iot_root_cert,
                                                   (USHORT)_nx_azure_iot_root_cert_size,
                                                   NX_NULL, 0, NULL, 0, NX_SECURE_X509_KEY_TYPE_NONE);
    if (status != NX_SUCCESS)
    {
        printf("Failed to initialize ROOT CA certificate!: error code = 0x%08x\r\n", status);
        return(status);
    }

    status = nx_secure_tls_trusted_certificate_add(tls_session, &root_ca_cert);
    if (status != NX_SUCCESS)
    {
        return(status);
    }
    return nx_secure_tls_session_packet_buffer_set(tls_session, tls_packet_buffer, sizeof(tls_packet_buffer));
}
