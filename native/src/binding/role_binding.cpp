#include "binding/role_binding.hpp"

namespace ocscert::binding {

using nlohmann::json;

bool RoleBinding::references(const std::string& tp) const {
    return thumbprint == tp || (previous && previous->thumbprint == tp) || (scheduled && scheduled->thumbprint == tp);
}

void to_json(json& out, const RoleBinding& b) {
    out = {{"thumbprint", b.thumbprint}, {"subject", b.subject},     {"issuer", b.issuer}, {"serialNumber", b.serial_number},
           {"notAfter", b.not_after},    {"since", b.since},         {"previous", nullptr},
           {"trustAnchorPath", b.trust_anchor_paths}, {"systemTrust", b.system_trust}};
    if (b.previous)
        out["previous"] = {{"thumbprint", b.previous->thumbprint}, {"issuer", b.previous->issuer}, {"serialNumber", b.previous->serial_number},
                           {"since", b.previous->since}};
    if (b.scheduled)
        out["scheduled"] = {{"thumbprint", b.scheduled->thumbprint}, {"issuer", b.scheduled->issuer}, {"serialNumber", b.scheduled->serial_number},
                            {"effective", b.scheduled->effective}};
}

void from_json(const json& in, RoleBinding& b) {
    in.at("thumbprint").get_to(b.thumbprint);
    b.subject = in.value("subject", "");
    b.issuer = in.value("issuer", "");
    b.serial_number = in.value("serialNumber", "");
    b.not_after = in.value("notAfter", "");
    b.since = in.value("since", "");
    b.trust_anchor_paths = in.value("trustAnchorPath", std::vector<std::string>{});
    b.system_trust = in.value("systemTrust", true);
    if (in.contains("previous") && in["previous"].is_object()) {
        const auto& p = in["previous"];
        b.previous = PreviousCertificate{p.at("thumbprint"), p.value("issuer", ""), p.value("serialNumber", ""), p.value("since", "")};
    }
    if (in.contains("scheduled") && in["scheduled"].is_object()) {
        const auto& s = in["scheduled"];
        b.scheduled = ScheduledRollOver{s.at("thumbprint"), s.value("issuer", ""), s.value("serialNumber", ""), s.value("effective", "")};
    }
}

void to_json(json& out, const Bindings& b) { out = {{"generation", b.generation}, {"roles", b.roles}}; }

void from_json(const json& in, Bindings& b) {
    b.generation = in.value("generation", 0L);
    b.roles = in.value("roles", std::map<std::string, RoleBinding>{});
}

}  // namespace ocscert::binding
