#include "api/check_inputs.hpp"

#include <ctime>

#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "request/profile.hpp"

namespace ocscert::api {

using nlohmann::json;

const std::initializer_list<const char*> check_fields = {"thumbprint", "previous", "trustAnchorPath", "systemTrust", "peer",
                                                         "peerName",   "timeoutSeconds", "effectiveDate"};

std::vector<std::string> role_names(const json& input) {
    std::vector<std::string> out;
    for (auto role : request::parse_roles(input)) out.push_back(names::to_string(role));
    return out;
}

const binding::RoleBinding* remembered_binding(const binding::Bindings& bindings, const json& input, const std::string& thumbprint) {
    if (input.contains("role")) {
        const auto roles = role_names(input);
        const auto bound = roles.empty() ? bindings.roles.end() : bindings.roles.find(roles.front());
        if (bound != bindings.roles.end()) return &bound->second;
    }
    for (const auto& [role, binding] : bindings.roles)
        if (text::iequals(binding.thumbprint, thumbprint)) return &binding;
    return nullptr;
}

binding::CheckOptions check_options(const json& input, const store::InstalledCertificate& certificate, const binding::RoleBinding* remembered) {
    binding::CheckOptions options;
    options.now = std::time(nullptr);
    if (remembered && !input.contains("trustAnchorPath") && !input.contains("systemTrust")) {
        options.trust.system_trust = remembered->system_trust;
        for (const auto& path : remembered->trust_anchor_paths) options.trust.paths.push_back(std::filesystem::u8path(path));
    } else {
        options.trust.system_trust = json_input::bool_or(input, "systemTrust", true);
        for (const auto& path : json_input::string_list(input, "trustAnchorPath")) options.trust.paths.push_back(std::filesystem::u8path(path));
    }
    const json& profile = certificate.record.profile;
    json names_input;
    if (input.contains("poolFqdn")) {
        for (const char* key : request::name_fields)
            if (input.contains(key)) names_input[key] = input[key];
        options.names_source = "from the pool settings given";
    } else if (profile.is_object() && profile.contains("poolFqdn")) {
        for (const char* key : request::name_fields)
            if (profile.contains(key)) names_input[key] = profile[key];
        if (input.contains("role")) names_input["role"] = input["role"];
        options.names_source = "from the request this certificate was issued for";
    }
    if (!names_input.is_null())
        for (const auto& n : names::resolve(request::parse_name_inputs(names_input, platform::local_fqdn)).names) options.required_names.push_back(n.name);
    return options;
}

std::string thumbprint_or_role(const binding::Bindings& bindings, const json& input) {
    std::string thumbprint = thumbprint_field(input);
    if (!thumbprint.empty()) return thumbprint;
    const auto roles = role_names(input);
    if (roles.size() != 1) invalid("role", "OneRoleOnly", "Name one role, or give a thumbprint.");
    const auto binding = bindings.roles.find(roles.front());
    if (binding == bindings.roles.end())
        throw Error(OCSCERT_E_NOT_FOUND, "RoleNotBound", "role", "No certificate is assigned to the " + roles.front() + " role.");
    return binding->second.thumbprint;
}

json checks_json(const std::vector<binding::Check>& checks) {
    json out = json::array();
    for (const auto& c : checks) out.push_back({{"check", c.name}, {"passed", c.passed}, {"detail", c.detail}});
    return out;
}

std::string thumbprint_field(const json& input) {
    const std::string given = json_input::string_or(input, "thumbprint", "");
    std::u32string code_points;
    if (!text::decode_utf8(given, code_points)) return given;  // not found, as any other wrong thumbprint
    std::string out;
    for (char32_t c : code_points) {
        const bool invisible = c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
        const bool separator = c == ' ' || c == '\t' || c == 0xA0 || c == ':';
        if (invisible || separator) continue;
        text::append_utf8(c, out);
    }
    return text::ascii_upper(out);
}

}  // namespace ocscert::api
