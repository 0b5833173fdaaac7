/*
 * FreeRTOS V202212.00
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include "FreeRTOS.h"
#include "task.h"
#include "demo_config.h"
#include "core_mqtt.h"
#include "transport_mbedtls.h"

static NetworkCredentials_t xNetworkCredentials = { 0 };
static NetworkContext_t xNetworkContext = { 0 };

static TlsTransportStatus_t prvConnectToServerWithBackoffRetries( NetworkCredentials_t * pxNetworkCredentials,
                                                                  NetworkContext_t * pxNetworkContext )
{
    TlsTransportStatus_t xNetworkStatus;

    /* Set the credentials for establishing a TLS connection. */
    pxNetworkCredentials->pRootCa = ( const unsigned char * ) democonfigROOT_CA_PEM;
    pxNetworkCredentials->rootCaSize = sizeof( democonfigROOT_CA_PEM );
    pxNetworkCredentials->disableSni = pdFALSE;

    xNetworkStatus = TLS_FreeRTOS_Connect( pxNetworkContext,
                                           democonfigMQTT_BROKER_ENDPOINT,
                                           democonfigMQTT_BROKER_PORT,
                                           pxNetworkCredentials,
                                           5000U, 5000U );
    return xNetworkStatus;
}

void vStartSimpleMQTTDemo( void )
{
    ( void ) prvConnectToServerWithBackoffRetries( &xNetworkCredentials, &xNetworkContext );
}
