#pragma once
// ACME (RFC 8555) as a CA protocol of the registry: acme:<https directory URL>.
#include "ca/ca_protocol.hpp"

namespace ocscert::ca::acme {

const CaProtocol& protocol();

}  // namespace ocscert::ca::acme
