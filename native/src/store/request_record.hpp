#pragma once
// A pending certificate request as the store keeps it (requests/<id>/request.json)
// and the C interface shows it. Its life at a CA: Pending (not sent, or the last
// attempt failed: last_error says why), Submitted (the CA holds it: ca_request_id,
// next_poll), Denied (the CA said no: last_error).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ca/connection_settings.hpp"

namespace ocscert::store {

// A name of the request with why it is there (names::ResolvedName as stored).
struct RequestName {
    std::string name;
    std::string source;
    std::string reason;
};

struct CaError {
    std::string reason;   // a stable token, e.g. CaUnreachable, BadRequest
    std::string message;  // one line, no secrets
};

struct RequestRecord {
    int schema = 1;
    std::string id;
    std::string state = "Pending";  // Pending, Submitted or Denied
    std::string created;            // ISO 8601 UTC
    std::string friendly_name;
    std::string subject;
    std::string common_name;
    std::vector<RequestName> names;
    std::string key_algorithm;
    int key_size = 0;
    bool private_key_exportable = false;
    std::string public_key_sha256;
    nlohmann::json profile;  // request::to_json(Profile): what parse_profile reads back
    std::string request_pem;
    std::string out_file;    // where the request file was written, if it was
    std::string encoding;    // PEM or DER, with out_file
    std::string renewal_of;  // thumbprint of the installed certificate this request renews, if it does

    // At the CA (empty until submitted).
    std::string ca;                           // the address, as given
    std::optional<ca::ConnectionSettings> ca_connection;
    std::string ca_request_id;                // ACME order URL, SCEP transaction id
    nlohmann::json poll_state;                // what the protocol needs to ask again; null when none
    std::string submitted;
    std::string last_attempt;
    std::string next_poll;
    std::optional<CaError> last_error;

    std::vector<std::string> name_list() const;  // just the names, common name first
};

void to_json(nlohmann::json& out, const RequestRecord& record);
void from_json(const nlohmann::json& in, RequestRecord& record);
void to_json(nlohmann::json& out, const RequestName& name);
void from_json(const nlohmann::json& in, RequestName& name);

}  // namespace ocscert::store
