#pragma once
// Where a request goes: the -CA argument. Three forms are understood:
//   acme:https://ca.contoso.com/acme/directory   an ACME (RFC 8555) directory
//   scep:https://ndes.contoso.com/certsrv/mscep/mscep.dll   SCEP (RFC 8894), e.g. NDES
//   CAHOST.contoso.com\Contoso Issuing CA        the wizard's enterprise-CA config string
// (An offline CA is not an address: the request is written to a file instead.)
#include <string>

namespace ocscert::ca {

enum class Protocol { Acme, Scep };

struct CaAddress {
    Protocol protocol;
    std::string url;  // http(s) URL, no user name or password in it
    std::string text() const;  // as the admin wrote it: acme:<url> or scep:<url>
};

// Parses `text`; errors name `field`. The enterprise form is refused with the
// reason EnterpriseCaUnavailable and a pointer to the CA's NDES (scep:) address,
// since its DCOM interface is not part of this library.
CaAddress parse_ca_address(const std::string& text, const std::string& field);

const char* to_string(Protocol protocol);

}  // namespace ocscert::ca
