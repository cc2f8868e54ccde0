#pragma once
// "host:port" as admins write it (fe02.contoso.com:5061, 0.0.0.0:80, [::]:80):
// the one parser for listener and peer addresses.
#include <string>

namespace ocscert {

struct HostPort {
    std::string host;  // without the brackets of an IPv6 literal
    std::string port;  // 1 to 65535, digits only
};

// Refuses anything else with Error(`reason`) naming `field`; `example` ends the message.
HostPort parse_host_port(const std::string& text, const std::string& field, const std::string& reason, const std::string& example);

}  // namespace ocscert
