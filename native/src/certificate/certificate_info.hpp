#pragma once
// What admins read off a certificate: thumbprints as Windows shows them,
// subject, issuer, serial, validity, names, key usages, key.
#include <nlohmann/json.hpp>

#include "crypto/openssl_ptr.hpp"

namespace ocscert::certificate {

// { thumbprint (SHA-1, upper-case hex), sha256Thumbprint, subject, issuer,
//   serialNumber, notBefore, notAfter, dnsNames[], enhancedKeyUsage[],
//   keyAlgorithm, keySize, publicKeySha256 }
nlohmann::json describe(X509* certificate);

// A distinguished name as RFC 4514 text: CN=...,O=...
std::string name_text(const X509_NAME* name);

}  // namespace ocscert::certificate
