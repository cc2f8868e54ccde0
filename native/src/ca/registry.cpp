#include "ca/registry.hpp"

#include "ca/acme/acme_protocol.hpp"
#include "ca/scep/scep_protocol.hpp"
#include "core/text.hpp"

namespace ocscert::ca {

namespace {

// One line per protocol: adding one (EST, RFC 7030) is a folder beside acme/ and scep/ and a line here.
const CaProtocol* const protocols[] = {
    &acme::protocol(),
    &scep::protocol(),
};

}  // namespace

const CaProtocol* find_protocol(std::string_view scheme) {
    for (const CaProtocol* p : protocols)
        if (text::iequals(p->scheme(), scheme)) return p;
    return nullptr;
}

std::string join_protocols(const std::function<std::string(const CaProtocol&)>& form) {
    std::string out;
    for (std::size_t i = 0; i < std::size(protocols); ++i) out += (i == 0 ? "" : i + 1 == std::size(protocols) ? " or " : ", ") + form(*protocols[i]);
    return out;
}

}  // namespace ocscert::ca
