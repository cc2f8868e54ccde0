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
#include <functional>
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

    // Records a roll-over: at `effective` (ISO 8601 UTC) the roles switch to
    // `certificate` when apply_due runs; until then they keep their current one.
    nlohmann::json schedule(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const std::string& effective);

    // Carries out the roll-overs due at `now`; returns the roles switched.
    std::vector<std::string> apply_due(const std::string& now,
                                       const std::function<store::InstalledCertificate(const std::string&)>& load);

    // True if a role uses the certificate now, keeps it as previous, or will roll over to it.
    bool references(const std::string& thumbprint) const;

    fs::path live_path() const { return root_ / "live"; }

private:
    fs::path generations() const { return root_ / "generations"; }
    nlohmann::json assign_locked(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate);
    // Writes `after` as a new generation (the `changed` roles' files from `certificate`,
    // the others' from the live generation) and switches the live link to it.
    nlohmann::json commit_locked(const nlohmann::json& before, nlohmann::json after, const std::vector<std::string>& changed,
                                 const store::InstalledCertificate* certificate);
    void prune(long live_generation) const;
    fs::path root_;
};

}  // namespace ocscert::binding
