#include <boost/asio/ssl.hpp>
#include <string>

namespace ssl = boost::asio::ssl;

namespace {
constexpr const char *kCaFile = "/etc/ssl/certs/ca-certificates.crt";
}

std::shared_ptr<ssl::context> make_tls_context()
{
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx->load_verify_file(kCaFile);
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    return ctx;
}
