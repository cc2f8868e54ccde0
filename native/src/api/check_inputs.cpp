#include "api/check_inputs.hpp"

#include <ctime>

#include "core/json_input.hpp"
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

binding::CheckOptions check_options(const json& input, const store::InstalledCertificate& certificate) {
    binding::CheckOptions options;
    options.now = std::time(nullptr);
    options.trust.system_trust = json_input::bool_or(input, "systemTrust", true);
    for (const auto& path : json_input::string_list(input, "trustAnchorPath")) options.trust.paths.push_back(std::filesystem::u8path(path));
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

json checks_json(const std::vector<binding::Check>& checks) {
    json out = json::array();
    for (const auto& c : checks) out.push_back({{"check", c.name}, {"passed", c.passed}, {"detail", c.detail}});
    return out;
}

}  // namespace ocscert::api
