#pragma once
// The JSON Web Signature pieces ACME needs (RFC 8555 section 6.2, RFC 7515,
// RFC 7638): base64url, the account key as a JWK and its thumbprint, ES256
// signatures with the account key, HS256 for external account binding.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "crypto/secret.hpp"

namespace ocscert::ca::jws {

std::string base64url(std::string_view bytes);
// Decodes base64url (padding optional); false if `text` is not base64url.
bool base64url_decode(std::string_view text, std::string& out);

// The public JWK of a P-256 key, members in the order RFC 7638 hashes them.
nlohmann::json jwk(EVP_PKEY* key);
// base64url(SHA-256(canonical JWK)): the account's part of every key authorization.
std::string jwk_thumbprint(EVP_PKEY* key);

// A flattened JWS (RFC 7515 section 7.2.2) of `payload` ("" for POST-as-GET)
// signed ES256 with `key`. `protected_header` gets "alg" added.
nlohmann::json sign_es256(EVP_PKEY* key, nlohmann::json protected_header, std::string_view payload);

// The externalAccountBinding object of newAccount (RFC 8555 section 7.3.4):
// the account's JWK signed HS256 with the CA's MAC key (base64url, as CAs hand it out).
nlohmann::json external_account_binding(EVP_PKEY* account_key, const std::string& key_id, const crypto::Secret& mac_key_b64url,
                                         const std::string& new_account_url);

}  // namespace ocscert::ca::jws
