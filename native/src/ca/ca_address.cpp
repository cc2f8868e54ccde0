#include "ca/ca_address.hpp"

#include <algorithm>

#include "ca/registry.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace ocscert::ca {

namespace {

std::string examples() {
    return " Use " + join_protocols([](const CaProtocol& p) { return std::string(p.example()); }) + ".";
}

void check_url(const std::string& url, const CaProtocol& protocol, const std::string& field, const std::string& original) {
    const bool https = url.rfind("https://", 0) == 0;
    const bool http = url.rfind("http://", 0) == 0;
    if (!https && !http) invalid(field, "InvalidCaAddress", text::quote(original) + " has no http:// or https:// URL after the prefix." + examples());
    // ACME carries account keys and orders in the clear otherwise (RFC 8555 section 6.1).
    if (protocol.requires_https() && !https)
        invalid(field, "InvalidCaAddress", "A " + text::ascii_upper(protocol.scheme()) + " address must be an https:// URL; " + text::quote(original) + " is not.");
    for (unsigned char c : url)
        if (c <= 0x20 || c == 0x7f || c >= 0x80 || c == '\\' || c == '"' || c == '<' || c == '>')
            invalid(field, "InvalidCaAddress",
                    text::quote(original) + " contains a space, control or non-ASCII character; give the URL percent-encoded (IDN hosts as xn--).");
    const auto host_start = url.find("://") + 3;
    const auto host_end = std::min(url.find_first_of("/?#", host_start), url.size());
    const std::string authority = url.substr(host_start, host_end - host_start);
    if (authority.empty() || authority[0] == ':') invalid(field, "InvalidCaAddress", text::quote(original) + " names no host.");
    // A password in the URL would be logged by proxies and shown in listings.
    if (authority.find('@') != std::string::npos)
        invalid(field, "InvalidCaAddress", "Give CA credentials with -Credential, not in the URL " + text::quote(url.substr(0, host_start) + "...@...") + ".");
    if (url.find('#') != std::string::npos) invalid(field, "InvalidCaAddress", text::quote(original) + " has a #fragment, which a CA URL never has.");
}

}  // namespace

std::string CaAddress::text() const { return std::string(protocol->scheme()) + ":" + url; }

CaAddress parse_ca_address(const std::string& raw, const std::string& field) {
    if (raw.empty()) invalid(field, "RequiredField", "The CA address is empty." + examples());
    const auto colon = raw.find(':');
    const std::string prefix = colon == std::string::npos ? "" : text::ascii_lower(raw.substr(0, colon));
    if (const CaProtocol* protocol = find_protocol(prefix)) {
        CaAddress address{protocol, raw.substr(colon + 1)};
        check_url(address.url, *protocol, field, raw);
        return address;
    }
    const auto backslash = raw.find('\\');
    if (backslash != std::string::npos && backslash > 0 && backslash + 1 < raw.size() && raw.find("://") == std::string::npos) {
        const std::string host = raw.substr(0, backslash);
        throw Error(OCSCERT_E_UNSUPPORTED, "EnterpriseCaUnavailable", field,
                    "The enterprise CA " + text::quote(raw) +
                        " is reached through its Windows DCOM interface, which this build does not have. Use the CA's NDES address instead: scep:https://" +
                        host + "/certsrv/mscep/mscep.dll (with the NDES challenge password as -Credential).");
    }
    if (prefix == "http" || prefix == "https")
        invalid(field, "InvalidCaAddress",
                "Say which protocol " + text::quote(raw) + " speaks: " + join_protocols([&](const CaProtocol& p) { return std::string(p.scheme()) + ":" + raw; }) + ".");
    if (!prefix.empty() && raw.compare(colon, 3, "://") != 0)
        invalid(field, "UnknownCaProtocol", "This build speaks no CA protocol called " + text::quote(prefix) + "." + examples());
    invalid(field, "InvalidCaAddress", text::quote(raw) + " is not a CA address." + examples());
}

}  // namespace ocscert::ca
