#pragma once
// Which certificate each role of this server uses, and where services find it.
//
// Every change makes a new generation, generations/<NNNNNN>/, holding
// bindings.json (per role: thumbprint, issuer, serial, since, previous) and
// a folder per role with cert.pem, chain.pem, fullchain.pem and the
// owner-only key.pem. The link live -> generations/<NNNNNN> is switched in
// one step (as certbot switches its live links), so services reading
// <store>/live/<Role>/ always see a complete, consistent set, and a kill at
// any instant leaves the bindings exactly as before or exactly as after.
// The last few generations are kept.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/certificate_store.hpp"

namespace ocscert::binding {

namespace fs = std::filesystem;

class BindingStore {
public:
    explicit BindingStore(fs::path root);

    // { "generation": N, "roles": { "<Role>": {...} } } of the live generation.
    nlohmann::json current() const;

    // Binds `certificate` to `roles` (checked by the caller) as one change;
    // the other roles keep their bindings. Returns the new current().
    nlohmann::json assign(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate);

    // True if a role uses the certificate now or keeps it as its previous one.
    bool references(const std::string& thumbprint) const;

    fs::path live_path() const { return root_ / "live"; }

private:
    fs::path generations() const { return root_ / "generations"; }
    void prune(long live_generation) const;
    fs::path root_;
};

}  // namespace ocscert::binding
