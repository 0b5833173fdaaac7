#include "demo_config.h"
#include "transport_mbedtls.h"

void prvSetCredentials( NetworkCredentials_t * pxCreds )
{
    pxCreds->pRootCa = ( const unsigned char * ) democonfigROOT_CA_PEM;
    pxCreds->rootCaSize = sizeof( democonfigROOT_CA_PEM );
}
