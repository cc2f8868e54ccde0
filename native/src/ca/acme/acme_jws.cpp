#include "ca/acme/acme_jws.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/hmac.h>

#include "core/error.hpp"
#include "crypto/openssl_ptr.hpp"

namespace ocscert::ca::jws {

using nlohmann::json;

namespace {

const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string coordinate(EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    crypto::check(EVP_PKEY_get_bn_param(key, name, &raw), "Reading the account key");
    crypto::Ptr<BIGNUM> bn(raw);
    unsigned char out[32];
    crypto::check(BN_bn2binpad(bn.get(), out, sizeof out), "Encoding the account key");
    return base64url(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

}  // namespace

std::string base64url(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (i + 1 < bytes.size()) out += alphabet[(v >> 6) & 63];
    }
    return out;
}

bool base64url_decode(std::string_view text, std::string& out) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) return false;
    out.clear();
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '-' || c == '+') v = 62;
        else if (c == '_' || c == '/') v = 63;
        else return false;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return true;
}

json jwk(EVP_PKEY* key) {
    // nlohmann::json sorts members, which is exactly RFC 7638's lexicographic order.
    return {{"crv", "P-256"}, {"kty", "EC"}, {"x", coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X)}, {"y", coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y)}};
}

std::string jwk_thumbprint(EVP_PKEY* key) {
    const std::string canonical = jwk(key).dump();
    unsigned char digest[32];
    unsigned int size = 0;
    crypto::check(EVP_Digest(canonical.data(), canonical.size(), digest, &size, EVP_sha256(), nullptr), "Hashing the account key");
    return base64url(std::string_view(reinterpret_cast<char*>(digest), size));
}

json sign_es256(EVP_PKEY* key, json protected_header, std::string_view payload) {
    protected_header["alg"] = "ES256";
    const std::string header64 = base64url(protected_header.dump());
    const std::string payload64 = base64url(payload);
    const std::string signing_input = header64 + "." + payload64;

    crypto::Ptr<EVP_MD_CTX> ctx(crypto::check(EVP_MD_CTX_new(), "Signing an ACME message"));
    crypto::check(EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key, nullptr), "Signing an ACME message");
    std::size_t der_size = 0;
    crypto::check(EVP_DigestSign(ctx.get(), nullptr, &der_size, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()),
                  "Signing an ACME message");
    std::string der(der_size, '\0');
    crypto::check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &der_size,
                                 reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()),
                  "Signing an ACME message");
    // JWS wants r || s, 32 bytes each, not the DER sequence OpenSSL makes.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    crypto::Ptr<ECDSA_SIG> sig(crypto::check(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_size)), "Decoding a signature"));
    unsigned char raw[64];
    crypto::check(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw, 32), "Encoding a signature");
    crypto::check(BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw + 32, 32), "Encoding a signature");
    return {{"protected", header64}, {"payload", payload64}, {"signature", base64url(std::string_view(reinterpret_cast<char*>(raw), sizeof raw))}};
}

json external_account_binding(EVP_PKEY* account_key, const std::string& key_id, const crypto::Secret& mac_key_b64url,
                              const std::string& new_account_url) {
    std::string mac_key;
    if (!base64url_decode(mac_key_b64url.bytes(), mac_key) || mac_key.empty())
        invalid("credential", "InvalidEabKey", "The external account HMAC key (the credential's password) must be base64url, as the CA handed it out.");
    const crypto::Secret key_bytes(std::move(mac_key));
    const json header = {{"alg", "HS256"}, {"kid", key_id}, {"url", new_account_url}};
    const std::string signing_input = base64url(header.dump()) + "." + base64url(jwk(account_key).dump());
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t mac_size = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_bytes.bytes().data(), key_bytes.bytes().size(),
                  reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, sizeof mac, &mac_size) == nullptr)
        crypto::fail("Computing the external account binding");
    const auto dot = signing_input.find('.');
    return {{"protected", signing_input.substr(0, dot)},
            {"payload", signing_input.substr(dot + 1)},
            {"signature", base64url(std::string_view(reinterpret_cast<char*>(mac), mac_size))}};
}

}  // namespace ocscert::ca::jws
