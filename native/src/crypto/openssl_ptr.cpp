#include "crypto/openssl_ptr.hpp"

#include <openssl/err.h>

#include "core/error.hpp"

namespace ocscert::crypto {

void fail(const std::string& what) {
    std::string message = what;
    const char* reason = nullptr;
    unsigned long code = 0;
    while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, nullptr, nullptr)) != 0) {
        reason = ERR_reason_error_string(code);
        message += std::string(": ") + (reason ? reason : "error " + std::to_string(code));
    }
    throw Error(OCSCERT_E_CRYPTO, "CryptoFailure", "", message + ".");
}

std::string hex_digest(const EVP_MD* md, const unsigned char* data, std::size_t size, bool upper) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    check(EVP_Digest(data, size, digest, &digest_size, md, nullptr), "Hashing");
    const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < digest_size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::string public_key_sha256(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int size = i2d_PUBKEY(key, &der);
    if (size <= 0) fail("Encoding the public key");
    std::string out;
    try {
        out = hex_digest(EVP_sha256(), der, static_cast<std::size_t>(size), false);
    } catch (...) {
        OPENSSL_free(der);
        throw;
    }
    OPENSSL_free(der);
    return out;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace ocscert::crypto
