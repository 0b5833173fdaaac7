#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cstring>
#include "hub_root_ca.hpp"

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

ssl::context make_hub_context()
{
    ssl::context ctx{ssl::context::tlsv12_client};
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    ctx.add_certificate_authority(asio::buffer(hub::kRootCaPem, std::strlen(hub::kRootCaPem)));
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
}

void connect_hub(asio::io_context &io, ssl::stream<asio::ip::tcp::socket> &stream)
{
    asio::ip::tcp::resolver resolver{io};
    auto endpoints = resolver.resolve("contoso-hub.azure-devices.net", "8883");
    asio::connect(stream.next_layer(), endpoints);
    SSL_set_tlsext_host_name(stream.native_handle(), "contoso-hub.azure-devices.net");
    stream.set_verify_callback(ssl::host_name_verification("contoso-hub.azure-devices.net"));
    stream.handshake(ssl::stream_base::client);
}
