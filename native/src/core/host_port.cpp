#include "core/host_port.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

namespace ocscert {

HostPort parse_host_port(const std::string& text, const std::string& field, const std::string& reason, const std::string& example) {
    const auto colon = text.rfind(':');
    const std::string port = colon == std::string::npos ? "" : text.substr(colon + 1);
    std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty() || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stol(port) < 1 ||
        std::stol(port) > 65535)
        invalid(field, reason, text::quote(text) + " is not host:port; e.g. " + example + ".");
    return {host, port};
}

}  // namespace ocscert
