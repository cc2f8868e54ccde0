#pragma once
// Which certificate a role of this server uses (what OCS itself records: the
// issuer and serial), since when, the one before it, and a roll-over to come.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ocscert::binding {

struct PreviousCertificate {
    std::string thumbprint, issuer, serial_number, since;
};

struct ScheduledRollOver {
    std::string thumbprint, issuer, serial_number;
    std::string effective;  // ISO 8601 UTC
};

struct RoleBinding {
    std::string thumbprint, subject, issuer, serial_number, not_after;
    std::string since;  // ISO 8601 UTC
    // The trust it was checked against when assigned: later checks and renewals use the same.
    std::vector<std::string> trust_anchor_paths;
    bool system_trust = true;
    std::optional<PreviousCertificate> previous;
    std::optional<ScheduledRollOver> scheduled;

    // True if the role uses the certificate now, keeps it as previous, or will roll over to it.
    bool references(const std::string& thumbprint) const;
};

// One generation of bindings: what live/ shows.
struct Bindings {
    long generation = 0;
    std::map<std::string, RoleBinding> roles;  // by canonical role name
};

void to_json(nlohmann::json& out, const RoleBinding& binding);
void from_json(const nlohmann::json& in, RoleBinding& binding);
void to_json(nlohmann::json& out, const Bindings& bindings);
void from_json(const nlohmann::json& in, Bindings& bindings);

}  // namespace ocscert::binding
