#include "crypto/openssl_ptr.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

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
    const std::string der = to_der<EVP_PKEY>(key, i2d_PUBKEY, "Encoding the public key");
    return hex_digest(EVP_sha256(), reinterpret_cast<const unsigned char*>(der.data()), der.size(), false);
}

Ptr<EVP_PKEY> parse_private_key(const Secret& pem) {
    Ptr<BIO> bio(BIO_new_mem_buf(pem.bytes().data(), static_cast<int>(pem.bytes().size())));
    return Ptr<EVP_PKEY>(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

Ptr<EVP_PKEY> read_private_key(const Secret& pem, const std::string& what) {
    auto key = parse_private_key(pem);
    if (!key) fail(what);
    return key;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace ocscert::crypto
