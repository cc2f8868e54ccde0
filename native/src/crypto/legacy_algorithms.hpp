#pragma once
// Algorithms OpenSSL 3 keeps in its legacy provider (single DES, RC2-40...), which some peers still
// use: scepserver's envelopes, and PFX files exported by older Windows (certificates under RC2-40).
// They live in a library context of their own, so the rest of the process never sees them.
#include <openssl/types.h>

namespace ocscert::crypto {

// The default algorithms and the legacy ones; null if the context cannot be made. Where the legacy
// provider is missing from the OpenSSL build, the context has the default algorithms only.
OSSL_LIB_CTX* legacy_context();

// While alive, this thread's default library context is the legacy one, for OpenSSL calls that take
// no context (PKCS12_parse); other threads are not affected.
class LegacyAlgorithmsOnThisThread {
public:
    LegacyAlgorithmsOnThisThread();
    ~LegacyAlgorithmsOnThisThread();
    LegacyAlgorithmsOnThisThread(const LegacyAlgorithmsOnThisThread&) = delete;
    LegacyAlgorithmsOnThisThread& operator=(const LegacyAlgorithmsOnThisThread&) = delete;

private:
    OSSL_LIB_CTX* previous_ = nullptr;
};

}  // namespace ocscert::crypto
