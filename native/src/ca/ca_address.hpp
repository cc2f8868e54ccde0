#pragma once
// Where a request goes: the -CA argument, <scheme>:<url> for a protocol of the
// registry (acme:https://ca.contoso.com/acme/directory, scep:https://ndes.contoso.com/certsrv/mscep/mscep.dll).
// The wizard's enterprise-CA config string (CAHOST.contoso.com\Contoso Issuing CA)
// is recognised and refused with the CA's NDES address to use instead.
// (An offline CA is not an address: the request is written to a file instead.)
#include <string>

#include "ca/ca_protocol.hpp"

namespace ocscert::ca {

struct CaAddress {
    const CaProtocol* protocol = nullptr;
    std::string url;           // http(s) URL, no user name or password in it
    std::string text() const;  // <scheme>:<url>
};

// Parses `text`; errors name `field`. An unknown scheme is refused with the known ones.
CaAddress parse_ca_address(const std::string& text, const std::string& field);

}  // namespace ocscert::ca
