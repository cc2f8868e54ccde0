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

#include "binding/role_binding.hpp"
#include "crypto/trust_store.hpp"
#include "store/certificate_store.hpp"

namespace ocscert::binding {

namespace fs = std::filesystem;

// The roles that use the certificate now (not as previous or scheduled).
std::vector<std::string> roles_using(const Bindings& bindings, const std::string& thumbprint);

// CertificateInUse, naming the roles that use the certificate now.
[[noreturn]] void refuse_in_use(const std::string& thumbprint, const std::vector<std::string>& roles);

class BindingStore {
public:
    // `certificates` is where bound certificates and their keys come from.
    BindingStore(fs::path root, const store::CertificateStore& certificates);

    // The live generation.
    Bindings current() const;

    // Binds `certificate` to `roles` (checked by the caller against `trust`,
    // which the bindings remember) as one change; the other roles keep their
    // bindings. Returns the new current().
    Bindings assign(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const crypto::TrustAnchors& trust);

    // Records a roll-over: at `effective` (ISO 8601 UTC) the roles switch to
    // `certificate` when apply_due runs; until then they keep their current one.
    Bindings schedule(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const std::string& effective);

    // Carries out the roll-overs due at `now`; returns the roles switched.
    std::vector<std::string> apply_due(const std::string& now);

    // True if a role uses the certificate now, keeps it as previous, or will roll over to it.
    bool references(const std::string& thumbprint) const;

    // Before the certificate is removed: no role keeps it as previous or will roll over to it
    // any more (one change, if there is anything to change). Throws CertificateInUse if a
    // role uses it now.
    void forget(const std::string& thumbprint);

    fs::path live_path() const { return root_ / "live"; }

private:
    fs::path generations() const { return root_ / "generations"; }
    // `trust` null: each role keeps the trust it was assigned with (a roll-over).
    Bindings assign_locked(const std::vector<std::string>& roles, const store::InstalledCertificate& certificate, const crypto::TrustAnchors* trust);
    // Writes `after` as a new generation (the `changed` roles' files from `certificate`,
    // the others' from the live generation) and switches the live link to it.
    Bindings commit_locked(const Bindings& before, Bindings after, const std::vector<std::string>& changed,
                           const store::InstalledCertificate* certificate);
    void prune(long live_generation) const;
    fs::path root_;
    const store::CertificateStore& certificates_;
};

}  // namespace ocscert::binding
