#pragma once
// Making a key and a request and keeping them as a pending request: what
// New-OcsCertificateRequest does, and what a renewal does from a remembered
// profile. And the conversation with a CA about a pending request.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "api/stores.hpp"
#include "ca/ca_protocol.hpp"
#include "request/profile.hpp"

namespace ocscert::api {

struct NewRequestOptions {
    std::filesystem::path out_file;  // where to write the request too (checked by the caller), or empty
    request::Encoding encoding = request::Encoding::Pem;
    std::string renewal_of;          // the thumbprint this request renews, if it does
    std::optional<ca::ConnectionSettings> ca_connection;  // the CA it will go to, when known
};

// Generates the key (reporting progress, honouring cancellation) and keeps the request durably.
store::RequestRecord create_request(ocscert_context& context, Stores& stores, const request::Profile& profile, const NewRequestOptions& options,
                                    std::vector<std::string>* warnings = nullptr);

// Sends the request to the CA in `settings` (or, with `poll`, asks about it
// again), records what the CA said on the request, and installs what it
// issued. `input` may ask to assign it (assign, trustAnchorPath, systemTrust).
// Out: { id, outcome: Issued|Pending|Denied, certificate | request, ... }.
nlohmann::json exchange_with_ca(ocscert_context& context, Stores& stores, store::RequestRecord record, const ca::ConnectionSettings& settings,
                                const ca::Credential& credential, bool poll, const nlohmann::json& input, const ca::RenewalOf* renewal_of = nullptr);

}  // namespace ocscert::api
