#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/StreamCopier.h"
#include <sstream>

using Poco::Net::Context;

static const std::string kCaLocation = "etc/hub/azure-root.pem";

std::string fetchTwin(const std::string &sas)
{
    Context::Ptr context = new Context(Context::TLS_CLIENT_USE, "", "",
                                       kCaLocation,
                                       Context::VERIFY_STRICT, 9, false,
                                       "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
    Poco::Net::HTTPSClientSession session("contoso-hub.azure-devices.net", 443, context);
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET,
                               "/twins/kiosk-9?api-version=2021-04-12", Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", sas);
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::istream &rs = session.receiveResponse(resp);
    std::ostringstream out;
    Poco::StreamCopier::copyStream(rs, out);
    return out.str();
}
