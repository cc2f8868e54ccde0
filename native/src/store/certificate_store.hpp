#pragma once
// Installed certificates: certificates/<THUMBPRINT>/ holding certificate.json
// (what describe() reads off it, plus where it came from), cert.pem, chain.pem
// and, when the key is here, the owner-only key.pem.
//
// Completing a request is one change for readers: the certificate folder is
// built under a staging name and renamed into place, and from that instant the
// request counts as completed (RequestStore hides requests whose id a
// certificate records) even if the process dies before the request folder is
// swept away.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"

namespace ocscert::store {

namespace fs = std::filesystem;

// An installed certificate as the binding checks need it.
struct InstalledCertificate {
    nlohmann::json record;  // certificate.json
    crypto::Ptr<X509> leaf;
    std::vector<crypto::Ptr<X509>> chain;
    fs::path folder;  // cert.pem, chain.pem, key.pem (if hasPrivateKey)
};

class CertificateStore {
public:
    explicit CertificateStore(fs::path root);

    // Installs `leaf` and `chain` with the private key of the pending request
    // `request` (a RequestStore record), then removes that request.
    nlohmann::json install_from_request(const nlohmann::json& request, X509* leaf, const std::vector<X509*>& chain);

    // Installs a certificate brought with its key (a PFX), not requested here.
    nlohmann::json install_imported(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key, bool exportable,
                                    const std::string& friendly_name);

    // Removes the certificate and its key, refusing while `in_use` says a role needs it (unless forced).
    void remove(const std::string& thumbprint, const std::function<bool(const std::string&)>& in_use, bool force);

    std::vector<nlohmann::json> list() const;
    bool contains(const std::string& thumbprint) const;

    // Throws Error(CertificateNotFound) naming `field` if no such certificate is installed.
    InstalledCertificate load(const std::string& thumbprint, const std::string& field) const;

private:
    void commit_locked(const nlohmann::json& record, X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key,
                       const std::string& field);
    void sweep_locked() const;
    fs::path certificates_dir() const { return root_ / "certificates"; }
    fs::path root_;
};

// Request ids that an installed certificate records as its origin.
std::vector<std::string> completed_request_ids(const fs::path& root);

}  // namespace ocscert::store
