#include "ca/connection_settings.hpp"

#include "core/json_input.hpp"

namespace ocscert::ca {

const std::initializer_list<const char*> connection_fields = {"ca",      "caBundle",       "caFingerprint", "httpListener", "webRoot",
                                                              "dnsHook", "contact",        "timeoutSeconds", "waitSeconds"};

void to_json(nlohmann::json& out, const ConnectionSettings& s) {
    out = nlohmann::json::object();
    const std::pair<const char*, const std::string*> texts[] = {{"ca", &s.ca},           {"caBundle", &s.ca_bundle}, {"caFingerprint", &s.ca_fingerprint},
                                                                {"httpListener", &s.http_listener}, {"webRoot", &s.web_root}, {"dnsHook", &s.dns_hook},
                                                                {"contact", &s.contact}};
    for (const auto& [key, value] : texts)
        if (!value->empty()) out[key] = *value;
    if (s.timeout_seconds) out["timeoutSeconds"] = *s.timeout_seconds;
    if (s.wait_seconds) out["waitSeconds"] = *s.wait_seconds;
}

ConnectionSettings read_connection_settings(const nlohmann::json& in) {
    namespace ji = json_input;
    ConnectionSettings s;
    s.ca = ji::string_or(in, "ca", "");
    s.ca_bundle = ji::string_or(in, "caBundle", "");
    s.ca_fingerprint = ji::string_or(in, "caFingerprint", "");
    s.http_listener = ji::string_or(in, "httpListener", "");
    s.web_root = ji::string_or(in, "webRoot", "");
    s.dns_hook = ji::string_or(in, "dnsHook", "");
    s.contact = ji::string_or(in, "contact", "");
    s.timeout_seconds = ji::optional_int(in, "timeoutSeconds");
    s.wait_seconds = ji::optional_int(in, "waitSeconds");
    return s;
}

}  // namespace ocscert::ca
