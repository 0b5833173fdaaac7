#include <string.h>
#include <stdio.h>
#include "sara_r4.h"
#include "credentials.h"

#define SEC_PROFILE 0

/* u-blox SARA-R4 security manager: import the device certificate over the serial line (op 0, type 1),
 * then bind it to security profile 0 (AT+USECPRF op 5) with validation level 1. */
int sara_load_device_cert(sara_t *dev)
{
    char cmd[80];
    size_t len = strlen(DEVICE_CERT_PEM);

    snprintf(cmd, sizeof cmd, "AT+USECMNG=0,1,\"%s\",%u", CERT_NAME, (unsigned)len);
    if (sara_cmd_prompt(dev, cmd, '>', 1000) != 0)
        return -1;
    sara_write(dev, DEVICE_CERT_PEM, len);
    if (sara_wait_ok(dev, 5000) != 0)
        return -1;

    snprintf(cmd, sizeof cmd, "AT+USECPRF=%d,0,1", SEC_PROFILE);
    if (sara_cmd(dev, cmd, 1000) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "AT+USECPRF=%d,5,\"%s\"", SEC_PROFILE, CERT_NAME);
    return sara_cmd(dev, cmd, 1000);
}
