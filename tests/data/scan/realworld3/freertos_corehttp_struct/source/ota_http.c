#include "FreeRTOS.h"
#include "core_http_client.h"
#include "transport_mbedtls_pkcs11.h"
#include "hub_root_ca.h"

static NetworkContext_t xNetworkContext;
static const NetworkCredentials_t xStorageCredentials =
{
    .pAlpnProtos = NULL,
    .disableSni  = pdFALSE,
    .pRootCa     = ( const unsigned char * ) HUB_STORAGE_ROOT_CA_PEM,
    .rootCaSize  = sizeof( HUB_STORAGE_ROOT_CA_PEM ),
    .pClientCertLabel = NULL,
    .pPrivateKeyLabel = NULL,
};

BaseType_t xConnectStorage( const char * pcHost )
{
    TlsTransportStatus_t xStatus = TLS_FreeRTOS_Connect( &xNetworkContext, pcHost, 443,
                                                         &xStorageCredentials, 5000U, 5000U );
    return ( xStatus == TLS_TRANSPORT_SUCCESS ) ? pdPASS : pdFAIL;
}
