#include "store/request_record.hpp"

namespace ocscert::store {

using nlohmann::json;

namespace {

void put_if(json& out, const char* key, const std::string& value) {
    if (!value.empty()) out[key] = value;
}

std::string text_or_empty(const json& in, const char* key) {
    const auto it = in.find(key);
    return it == in.end() || it->is_null() ? std::string() : it->get<std::string>();
}

}  // namespace

std::vector<std::string> RequestRecord::name_list() const {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(n.name);
    return out;
}

void to_json(json& out, const RequestName& n) { out = {{"name", n.name}, {"source", n.source}, {"reason", n.reason}}; }

void from_json(const json& in, RequestName& n) {
    in.at("name").get_to(n.name);
    n.source = text_or_empty(in, "source");
    n.reason = text_or_empty(in, "reason");
}

void to_json(json& out, const RequestRecord& r) {
    out = {{"schema", r.schema},           {"id", r.id},
           {"state", r.state},             {"created", r.created},
           {"friendlyName", r.friendly_name}, {"subject", r.subject},
           {"commonName", r.common_name},  {"names", r.names},
           {"keyAlgorithm", r.key_algorithm}, {"keySize", r.key_size},
           {"privateKeyExportable", r.private_key_exportable}, {"publicKeySha256", r.public_key_sha256},
           {"profile", r.profile},         {"requestPem", r.request_pem}};
    put_if(out, "outFile", r.out_file);
    put_if(out, "encoding", r.encoding);
    put_if(out, "renewalOf", r.renewal_of);
    put_if(out, "ca", r.ca);
    if (r.ca_connection) out["caConnection"] = *r.ca_connection;
    put_if(out, "caRequestId", r.ca_request_id);
    if (!r.poll_state.is_null()) out["pollState"] = r.poll_state;
    put_if(out, "submitted", r.submitted);
    put_if(out, "lastAttempt", r.last_attempt);
    put_if(out, "nextPoll", r.next_poll);
    if (r.last_error) out["lastError"] = {{"reason", r.last_error->reason}, {"message", r.last_error->message}};
}

void from_json(const json& in, RequestRecord& r) {
    r.schema = in.value("schema", 1);
    in.at("id").get_to(r.id);
    r.state = in.value("state", "Pending");
    r.created = text_or_empty(in, "created");
    r.friendly_name = text_or_empty(in, "friendlyName");
    r.subject = text_or_empty(in, "subject");
    r.common_name = text_or_empty(in, "commonName");
    r.names = in.value("names", std::vector<RequestName>{});
    r.key_algorithm = text_or_empty(in, "keyAlgorithm");
    r.key_size = in.value("keySize", 0);
    r.private_key_exportable = in.value("privateKeyExportable", false);
    r.public_key_sha256 = text_or_empty(in, "publicKeySha256");
    r.profile = in.value("profile", json::object());
    r.request_pem = text_or_empty(in, "requestPem");
    r.out_file = text_or_empty(in, "outFile");
    r.encoding = text_or_empty(in, "encoding");
    r.renewal_of = text_or_empty(in, "renewalOf");
    r.ca = text_or_empty(in, "ca");
    if (in.contains("caConnection") && in["caConnection"].is_object()) r.ca_connection = ca::read_connection_settings(in["caConnection"]);
    r.ca_request_id = text_or_empty(in, "caRequestId");
    r.poll_state = in.value("pollState", json());
    r.submitted = text_or_empty(in, "submitted");
    r.last_attempt = text_or_empty(in, "lastAttempt");
    r.next_poll = text_or_empty(in, "nextPoll");
    if (in.contains("lastError") && in["lastError"].is_object())
        r.last_error = CaError{text_or_empty(in["lastError"], "reason"), text_or_empty(in["lastError"], "message")};
}

}  // namespace ocscert::store
