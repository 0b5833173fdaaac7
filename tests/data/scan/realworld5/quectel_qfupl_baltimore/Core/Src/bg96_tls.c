#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include "bg96_at.h"
#include "modem_certs.h"

#define CA_FILE     "UFS:cacert.pem"
#define SSL_CTX_ID  1

/* Upload the hub's CA file to the modem's UFS, then point SSL context 1 at it (Quectel BG96 SSL AT manual). */
bool bg96_ssl_setup(void)
{
    char cmd[96];

    at_send("AT+QFDEL=\"" CA_FILE "\"", "OK", 2000);  /* may fail when absent */

    snprintf(cmd, sizeof cmd, "AT+QFUPL=\"%s\",%u,100", CA_FILE, (unsigned)hub_root_ca_len);
    if (!at_send(cmd, "CONNECT", 5000))
        return false;
    at_write_raw(hub_root_ca, hub_root_ca_len);
    if (!at_wait("+QFUPL:", 10000))
        return false;

    snprintf(cmd, sizeof cmd, "AT+QSSLCFG=\"cacert\",%d,\"%s\"", SSL_CTX_ID, CA_FILE);
    if (!at_send(cmd, "OK", 2000))
        return false;
    snprintf(cmd, sizeof cmd, "AT+QSSLCFG=\"seclevel\",%d,1", SSL_CTX_ID);
    if (!at_send(cmd, "OK", 2000))
        return false;
    snprintf(cmd, sizeof cmd, "AT+QSSLCFG=\"sslversion\",%d,4", SSL_CTX_ID);
    if (!at_send(cmd, "OK", 2000))
        return false;
    return at_send("AT+QMTCFG=\"ssl\",0,1,1", "OK", 2000);
}
