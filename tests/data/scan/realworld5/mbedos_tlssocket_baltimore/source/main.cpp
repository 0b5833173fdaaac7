#include "mbed.h"
#include "mbed-trace/mbed_trace.h"
#include "hub_certs.h"

#define HUB_HOST "contoso-hub.azure-devices.net"
#define HUB_PORT 8883

static TLSSocket *open_hub_socket(NetworkInterface *net)
{
    SocketAddress addr;
    if (net->gethostbyname(HUB_HOST, &addr) != NSAPI_ERROR_OK) {
        return nullptr;
    }
    addr.set_port(HUB_PORT);

    TLSSocket *socket = new TLSSocket;
    nsapi_error_t r = socket->open(net);
    if (r == NSAPI_ERROR_OK) {
        r = socket->set_root_ca_cert(SSL_CA_PEM);
    }
    if (r == NSAPI_ERROR_OK) {
        socket->set_hostname(HUB_HOST);
        r = socket->connect(addr);
    }
    if (r != NSAPI_ERROR_OK) {
        printf("TLS connect failed: %d\n", r);
        socket->close();
        delete socket;
        return nullptr;
    }
    return socket;
}

int main()
{
    mbed_trace_init();
    NetworkInterface *net = NetworkInterface::get_default_instance();
    if (!net || net->connect() != NSAPI_ERROR_OK) {
        return -1;
    }
    TLSSocket *socket = open_hub_socket(net);
    return socket ? 0 : -1;
}
