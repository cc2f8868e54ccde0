#pragma once
// What a CA hands back for a request, in any of the forms CAs use: a PEM or
// DER certificate, a PEM chain, or a PKCS#7 (.p7b) bundle, PEM or DER.
#include <cstddef>
#include <string>
#include <vector>

#include "crypto/openssl_ptr.hpp"

namespace ocscert::certificate {

// What one answer from a CA may hold. A certificate, its issuers and perhaps a cross-signed root
// are a handful of certificates of a few KiB each; more is a sloppy or hostile answer, and what
// is installed is only the path from the certificate to its root anyway.
struct ResponseLimits {
    std::size_t max_bytes = 256 * 1024;
    std::size_t max_certificates = 32;
};

// The certificates in the response, in the order given. Throws Error
// (InvalidResponse, NoCertificate, ResponseTooLarge, TooManyCertificates) naming the
// field `field` when the bytes are none of the accepted forms, are truncated, hold no
// certificate, or exceed `limits`.
std::vector<crypto::Ptr<X509>> parse_ca_response(const std::string& bytes, const std::string& field, const ResponseLimits& limits = {});

// The certificate as PEM text.
std::string to_pem(X509* certificate);

}  // namespace ocscert::certificate
