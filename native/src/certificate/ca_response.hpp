#pragma once
// What a CA hands back for a request, in any of the forms CAs use: a PEM or
// DER certificate, a PEM chain, or a PKCS#7 (.p7b) bundle, PEM or DER.
#include <string>
#include <vector>

#include "crypto/openssl_ptr.hpp"

namespace ocscert::certificate {

// The certificates in the response, in the order given. Throws Error
// (InvalidResponse, NoCertificate) naming the field `field` when the bytes are
// none of the accepted forms, are truncated, or hold no certificate.
std::vector<crypto::Ptr<X509>> parse_ca_response(const std::string& bytes, const std::string& field);

// The certificate as PEM text.
std::string to_pem(X509* certificate);

}  // namespace ocscert::certificate
