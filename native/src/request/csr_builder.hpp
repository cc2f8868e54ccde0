#pragma once
// Key generation and the PKCS#10 request, with OpenSSL 3.
#include <string>
#include <vector>

#include "core/cancellation.hpp"
#include "crypto/secret.hpp"
#include "names/san_resolver.hpp"
#include "request/profile.hpp"

namespace ocscert::request {

struct GeneratedRequest {
    crypto::Secret private_key_pem;  // unencrypted PKCS#8: goes only into an owner-only store file
    std::string request_pem;
    std::string request_der;
    std::string subject;            // RFC 4514, most specific first: CN=...,OU=...,O=...
    std::string public_key_sha256;  // hex SHA-256 of the SubjectPublicKeyInfo: matches the CA's answer to this key
    std::vector<std::string> warnings;
};

// Generates the key (reporting progress, honouring cancellation) and a signed request.
// The caller has checked the names (check_san_extension_size) before any key work.
GeneratedRequest build_request(const Profile& profile, const names::ResolvedNames& names, Progress& progress);

}  // namespace ocscert::request
