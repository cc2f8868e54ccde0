#pragma once
// The checks a certificate must pass before it is assigned to a pool server's
// roles, each reported by name, so an admin sees exactly which one failed:
// PrivateKey, Validity, ServerAuthentication, ClientAuthentication, Names,
// KeySize, Chain.
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/trust_store.hpp"
#include "store/certificate_store.hpp"

namespace ocscert::binding {

struct Check {
    std::string name;
    bool passed = false;
    std::string detail;
};

struct CheckOptions {
    std::vector<std::string> required_names;  // DNS names the roles need; empty: the Names check is skipped and says why
    std::string names_source;                 // where the required names came from, for the detail text
    crypto::TrustAnchors trust;               // the roots the Chain check (and a peer's certificate) must lead to
    std::time_t now = 0;
};

// `store` holds the certificate and gives its key for the PrivateKey check.
std::vector<Check> run_checks(const store::CertificateStore& store, const store::InstalledCertificate& certificate, const CheckOptions& options);

// The first failed check, or nullptr.
const Check* first_failure(const std::vector<Check>& checks);

}  // namespace ocscert::binding
