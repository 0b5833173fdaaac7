#include "mbed.h"
#include "TLSSocketWrapper.h"
#include "hub_ca.h"

/* The modem's own TCP socket wrapped in TLS so that the stack's Mbed TLS does the handshake. */
class HubLink {
public:
    explicit HubLink(NetworkInterface *net) : _net(net), _tcp(), _tls(&_tcp, "contoso-hub.azure-devices.net") {}

    nsapi_error_t connect()
    {
        SocketAddress addr;
        nsapi_error_t r = _net->gethostbyname("contoso-hub.azure-devices.net", &addr);
        if (r != NSAPI_ERROR_OK) {
            return r;
        }
        addr.set_port(443);
        r = _tcp.open(_net);
        if (r != NSAPI_ERROR_OK) {
            return r;
        }
        r = _tls.set_root_ca_cert(hub_ca_der, hub_ca_der_len);
        if (r != NSAPI_ERROR_OK) {
            return r;
        }
        return _tls.connect(addr);
    }

    nsapi_size_or_error_t send(const void *data, nsapi_size_t size) { return _tls.send(data, size); }

private:
    NetworkInterface *_net;
    TCPSocket _tcp;
    TLSSocketWrapper _tls;
};

HubLink *make_hub_link(NetworkInterface *net)
{
    return new HubLink(net);
}
