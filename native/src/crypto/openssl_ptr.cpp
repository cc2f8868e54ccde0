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

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace ocscert::crypto
