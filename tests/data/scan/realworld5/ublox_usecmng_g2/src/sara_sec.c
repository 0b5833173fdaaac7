#include <string.h>
#include <stdio.h>
#include "sara_r4.h"
#include "credentials.h"

#define SEC_PROFILE 0

/* u-blox SARA-R4 security manager: import the root CA over the serial line (op 0, type 0 = trusted root),
 * then bind it to security profile 0 (AT+USECPRF op 3) with validation level 1. */
int sara_load_root_ca(sara_t *dev)
{
    char cmd[80];
    size_t len = strlen(AZURE_ROOT_CA);

    snprintf(cmd, sizeof cmd, "AT+USECMNG=0,0,\"%s\",%u", ROOT_CA_NAME, (unsigned)len);
    if (sara_cmd_prompt(dev, cmd, '>', 1000) != 0)
        return -1;
    sara_write(dev, AZURE_ROOT_CA, len);
    if (sara_wait_ok(dev, 5000) != 0)
        return -1;

    snprintf(cmd, sizeof cmd, "AT+USECPRF=%d,0,1", SEC_PROFILE);
    if (sara_cmd(dev, cmd, 1000) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "AT+USECPRF=%d,3,\"%s\"", SEC_PROFILE, ROOT_CA_NAME);
    return sara_cmd(dev, cmd, 1000);
}
