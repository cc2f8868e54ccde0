#pragma once
// The roots a server trusts: the system's (platform/system_trust.hpp: OpenSSL's
// default paths on POSIX, the ROOT certificate store on Windows) and the
// admin's trust anchors, each a PEM file or a folder of PEM files. One builder,
// so the binding checks and the mutual-TLS probe trust exactly the same roots.
#include <filesystem>
#include <vector>

#include "crypto/openssl_ptr.hpp"

namespace ocscert::crypto {

struct TrustAnchors {
    std::vector<std::filesystem::path> paths;  // PEM files or folders of PEM files
    bool system_trust = true;                  // also the system's roots
};

// A file or folder entry that is not PEM simply adds nothing.
Ptr<X509_STORE> build_trust_store(const TrustAnchors& anchors);

}  // namespace ocscert::crypto
