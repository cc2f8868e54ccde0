#include "crypto/trust_store.hpp"

#include <openssl/err.h>

#include "platform/system_trust.hpp"

namespace ocscert::crypto {

namespace fs = std::filesystem;

namespace {

void add_anchors(X509_STORE* store, const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        for (const auto& entry : fs::directory_iterator(path, ec))
            if (entry.is_regular_file()) X509_STORE_load_file(store, entry.path().u8string().c_str());
    } else if (fs::is_regular_file(path, ec)) {
        X509_STORE_load_file(store, path.u8string().c_str());
    }
}

}  // namespace

Ptr<X509_STORE> build_trust_store(const TrustAnchors& anchors) {
    Ptr<X509_STORE> store(check(X509_STORE_new(), "Creating a trust store"));
    if (anchors.system_trust) platform::add_system_roots(store.get());
    for (const auto& path : anchors.paths) add_anchors(store.get(), path);
    ERR_clear_error();
    return store;
}

}  // namespace ocscert::crypto
