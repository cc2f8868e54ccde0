#pragma once
// Installing a CA's answer, wherever it came from (a response file, an ACME
// order, a SCEP CertRep): the certificate must certify a pending request's
// key, carry every name that request asked for, and link by signature to the
// chain sent with it. Nothing is installed otherwise.
#include <string>

#include "api/stores.hpp"

namespace ocscert::api {

// `bytes` is PEM/DER/PKCS#7 as parse_ca_response reads it; errors name `field`.
// With `request` the answer must be for that request; without, it is matched
// to a pending request by public key.
store::CertificateRecord install_ca_response(Stores& stores, const std::string& bytes, const std::string& field, const store::RequestRecord* request);

}  // namespace ocscert::api
