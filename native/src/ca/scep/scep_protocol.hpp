#pragma once
// SCEP (RFC 8894, Microsoft NDES) as a CA protocol of the registry: scep:<http(s) URL>.
#include "ca/ca_protocol.hpp"

namespace ocscert::ca::scep {

const CaProtocol& protocol();

}  // namespace ocscert::ca::scep
