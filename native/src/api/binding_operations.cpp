// Role bindings: assigning a checked certificate to roles now or at a set
// time, rolling back to the previous one, listing, and carrying out the
// roll-overs that are due.
#include <algorithm>

#include "api/check_inputs.hpp"
#include "api/operations.hpp"
#include "api/stores.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "request/profile.hpp"

namespace ocscert::api {

json binding_set(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, request::name_fields, check_fields);
    const auto roles = role_names(input);
    Stores stores(context);
    const auto bindings = stores.bindings.current();
    const auto& current = bindings.roles;
    std::string thumbprint;
    if (json_input::bool_or(input, "previous", false)) {
        // Roll back: every role named must have a previous certificate, and it must be the same one.
        for (const auto& role : roles) {
            const auto bound = current.find(role);
            if (bound == current.end() || !bound->second.previous)
                invalid("role", "NoPreviousBinding", "The " + role + " role has no previous certificate to return to.");
            const std::string& previous = bound->second.previous->thumbprint;
            if (!thumbprint.empty() && previous != thumbprint)
                invalid("role", "PreviousDiffers", "The roles named had different previous certificates; roll them back one at a time.");
            thumbprint = previous;
        }
        // A store from before removals forgot previous certificates may still name a removed one.
        if (!stores.certificates->contains(text::ascii_upper(thumbprint)))
            throw Error(OCSCERT_E_NOT_FOUND, "PreviousRemoved", "role",
                        "The previous certificate " + text::ascii_upper(thumbprint) +
                            " was removed from the store; there is nothing to roll back to. Assign an installed certificate with -Thumbprint.");
    } else {
        auto given = json_input::optional_string(input, "thumbprint");
        if (!given || given->empty()) invalid("thumbprint", "RequiredField", "The thumbprint of the certificate to assign is required (or ask for the previous one).");
        thumbprint = thumbprint_field(input);
    }
    const auto certificate = stores.certificates->load(thumbprint, "thumbprint");
    auto options = check_options(input, certificate, remembered_binding(bindings, input, certificate.record.thumbprint()));
    const auto effective = json_input::optional_string(input, "effectiveDate");
    if (effective) {
        // A roll-over: the certificate must pass the checks as they will stand at that time.
        if (!platform::parse_utc(*effective, options.now))
            invalid("effectiveDate", "InvalidDate", text::quote(*effective) + " is not a UTC time like 2026-12-01T02:00:00Z.");
        if (*effective <= platform::utc_now())
            invalid("effectiveDate", "EffectiveDateInPast", "The roll-over time " + *effective + " has passed; assign the certificate now instead.");
        // Said of the date, not as "expired": the certificate is valid now, the switch would come too late.
        std::time_t not_after = 0;
        if (platform::parse_utc(certificate.record.info.not_after, not_after) && options.now >= not_after)
            invalid("effectiveDate", "EffectiveDateAfterExpiry",
                    "The roll-over time " + *effective + " is after the certificate " + certificate.record.thumbprint() + " expires (" +
                        certificate.record.info.not_after + "); give an earlier time.");
    }
    const auto checks = binding::run_checks(*stores.certificates, certificate, options);
    if (const auto* failed = binding::first_failure(checks))
        invalid("thumbprint", failed->name + "CheckFailed",
                "Not assigned: the " + failed->name + " check failed for " + certificate.record.thumbprint() + ": " + failed->detail);
    json result = effective ? stores.bindings.schedule(roles, certificate, *effective) : stores.bindings.assign(roles, certificate, options.trust);
    result["assigned"] = roles;  // canonical names, de-duplicated
    result["checks"] = checks_json(checks);
    result["livePath"] = stores.bindings.live_path().u8string();
    result["storePath"] = stores.root.u8string();
    return result;
}

json binding_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"role"});
    Stores stores(context);
    const auto current = stores.bindings.current();
    const auto wanted = filter.contains("role") ? role_names(filter) : std::vector<std::string>();
    json list = json::array();
    for (const auto& [role, binding] : current.roles) {
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), role) == wanted.end()) continue;
        json entry = binding;
        entry["role"] = role;
        entry["livePath"] = (stores.bindings.live_path() / role).u8string();
        entry["storePath"] = stores.root.u8string();
        list.push_back(std::move(entry));
    }
    return {{"generation", current.generation}, {"bindings", list}, {"warnings", missing_store_warnings(stores.root, "role bindings")}};
}

json binding_apply(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {});
    return {{"applied", Stores(context).bindings.apply_due(platform::utc_now())}};
}

}  // namespace ocscert::api
