#include <chrono>
#include <iostream>
#include <string>
#include "mqtt/async_client.h"

namespace {
const std::string SERVER_URI{"ssl://contoso-hub.azure-devices.net:8883"};
const std::string CLIENT_ID{"edge-gw-17"};
const std::string TRUST_STORE{"certs/hub-ca-chain.pem"};
}

int main(int argc, char *argv[])
{
    mqtt::async_client client(SERVER_URI, CLIENT_ID);

    auto sslopts = mqtt::ssl_options_builder()
                       .trust_store(TRUST_STORE)
                       .enable_server_cert_auth(true)
                       .error_handler([](const std::string &msg) {
                           std::cerr << "SSL Error: " << msg << std::endl;
                       })
                       .finalize();

    auto connopts = mqtt::connect_options_builder()
                        .user_name("contoso-hub.azure-devices.net/edge-gw-17/?api-version=2021-04-12")
                        .password(argc > 1 ? argv[1] : "")
                        .keep_alive_interval(std::chrono::seconds(240))
                        .ssl(std::move(sslopts))
                        .finalize();

    try {
        client.connect(connopts)->wait();
        client.publish("devices/edge-gw-17/messages/events/", "{}", 1, false)->wait();
        client.disconnect()->wait();
    }
    catch (const mqtt::exception &exc) {
        std::cerr << exc.what() << std::endl;
        return 1;
    }
    return 0;
}
