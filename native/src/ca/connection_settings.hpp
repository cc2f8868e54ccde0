#pragma once
// How a request reaches its CA, as the admin gave it: remembered with the
// request (and later the certificate) so a poll, or a renewal, needs no
// arguments. Never a secret: credentials are given anew when a CA wants them.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ocscert::ca {

struct ConnectionSettings {
    std::string ca;              // acme:<url>, scep:<url>, ... as parse_ca_address reads it
    std::string ca_bundle;       // PEM file of roots to trust for the CA's TLS endpoint
    std::string ca_fingerprint;  // SCEP: pin of the CA certificate
    std::string http_listener;   // ACME http-01: host:port of the built-in listener
    std::string web_root;        // ACME http-01: a web server's root folder
    std::string dns_hook;        // ACME dns-01: the program that sets TXT records
    std::string contact;         // ACME: account e-mail
    std::optional<int> timeout_seconds;
    std::optional<int> wait_seconds;
};

// camelCase keys (ca, caBundle, caFingerprint, httpListener, webRoot, dnsHook,
// contact, timeoutSeconds, waitSeconds); empty and unset fields are left out.
// Reading checks the types and names the field at fault.
void to_json(nlohmann::json& out, const ConnectionSettings& settings);
ConnectionSettings read_connection_settings(const nlohmann::json& input);

// The JSON keys above, for inputs that carry them among others.
extern const std::initializer_list<const char*> connection_fields;

}  // namespace ocscert::ca
