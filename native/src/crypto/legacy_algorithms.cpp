#include "crypto/legacy_algorithms.hpp"

#include <openssl/err.h>
#include <openssl/provider.h>

namespace ocscert::crypto {

OSSL_LIB_CTX* legacy_context() {
    static OSSL_LIB_CTX* const context = [] {
        OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
        if (c != nullptr) {
            OSSL_PROVIDER_load(c, "default");
            OSSL_PROVIDER_load(c, "legacy");
        }
        ERR_clear_error();
        return c;
    }();
    return context;
}

LegacyAlgorithmsOnThisThread::LegacyAlgorithmsOnThisThread() {
    if (OSSL_LIB_CTX* legacy = legacy_context()) previous_ = OSSL_LIB_CTX_set0_default(legacy);
}

LegacyAlgorithmsOnThisThread::~LegacyAlgorithmsOnThisThread() {
    if (previous_ != nullptr) OSSL_LIB_CTX_set0_default(previous_);
}

}  // namespace ocscert::crypto
