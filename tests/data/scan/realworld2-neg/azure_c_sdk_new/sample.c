#include "certs.h"
void f(void *h) { IoTHubDeviceClient_LL_SetOption(h, OPTION_TRUSTED_CERT, certificates); }
