#pragma once
// What admins read off a certificate: thumbprints as Windows shows them,
// subject, issuer, serial, validity, names, key usages, key.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/openssl_ptr.hpp"

namespace ocscert::certificate {

struct CertificateInfo {
    std::string thumbprint;         // SHA-1 of the DER, upper-case hex, as Windows shows it
    std::string sha256_thumbprint;  // SHA-256 of the DER, upper-case hex
    std::string subject;            // RFC 4514 text
    std::string issuer;
    std::string serial_number;      // upper-case hex
    std::string not_before;         // ISO 8601 UTC
    std::string not_after;
    std::vector<std::string> dns_names;
    std::vector<std::string> enhanced_key_usage;  // ServerAuthentication, ClientAuthentication, or a dotted OID
    std::string key_algorithm;      // RSA, ECDSA or Other
    int key_size = 0;
    std::string public_key_sha256;  // lower-case hex of the SubjectPublicKeyInfo's SHA-256

    bool has_dns_name(const std::string& name) const;  // case-insensitive
};

CertificateInfo describe(X509* certificate);

// JSON with camelCase keys (thumbprint, sha256Thumbprint, subject, issuer,
// serialNumber, notBefore, notAfter, dnsNames, enhancedKeyUsage, keyAlgorithm,
// keySize, publicKeySha256): what the store keeps and the C interface shows.
void to_json(nlohmann::json& out, const CertificateInfo& info);
void from_json(const nlohmann::json& in, CertificateInfo& info);

// A distinguished name as RFC 4514 text: CN=...,O=...
std::string name_text(const X509_NAME* name);

// What keeps `certificate` from serving as a pool server's TLS certificate: a CA certificate, a key
// usage TLS cannot use, or an enhanced key usage without server authentication, or without client
// authentication unless `server_only` (no enhanced key usage at all means every purpose). Each as a
// phrase that follows "The certificate ...", e.g. "lacks ClientAuthentication in its enhanced key
// usage (it has: ServerAuthentication)"; none when it can serve. Installing a CA's answer refuses
// for the first; importing a PFX warns of each.
std::vector<std::string> tls_usage_problems(X509* certificate, bool server_only);

}  // namespace ocscert::certificate
