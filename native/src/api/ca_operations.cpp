// Submitting requests to online CAs and collecting what they issue later.
// A request's record carries its life at the CA: state Pending (not sent, or
// the last attempt failed: lastError says why), Submitted (the CA has it and
// will answer later: caRequestId, nextPoll), Denied (the CA said no: lastError).
// Whatever happens to one request, the others are untouched.
#include <algorithm>

#include <openssl/pem.h>

#include "api/operations.hpp"
#include "api/response_install.hpp"
#include "ca/acme_client.hpp"
#include "ca/ca_address.hpp"
#include "ca/http01_listener.hpp"
#include "ca/scep_client.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"
#include "platform/platform.hpp"
#include "store/request_store.hpp"
#include "store/store_files.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

namespace {

// How to reach the CA, kept with a submitted request so a later poll needs no arguments. No secrets.
const std::initializer_list<const char*> connection_fields = {"ca", "caBundle", "caFingerprint", "httpListener", "webRoot", "dnsHook", "contact",
                                                              "timeoutSeconds", "waitSeconds"};

// The poll interval when the CA names none: NDES approvals take a person; ACME orders take seconds.
std::chrono::seconds default_poll_interval(ca::Protocol protocol) {
    return protocol == ca::Protocol::Scep ? std::chrono::minutes(15) : std::chrono::seconds(30);
}

struct Connection {
    ca::CaAddress address;
    json settings;  // the connection_fields given
    transport::HttpOptions http;
    std::chrono::seconds wait{120};
};

Connection read_connection(const json& input) {
    json settings;
    for (const char* key : connection_fields)
        if (input.contains(key) && !input[key].is_null()) settings[key] = input[key];
    const auto ca_text = json_input::optional_string(settings, "ca");
    if (!ca_text) invalid("ca", "RequiredField", "Say which CA to send the request to, e.g. acme:https://ca.contoso.com/acme/directory.");
    Connection c{ca::parse_ca_address(*ca_text, "ca"), settings, {}, {}};
    c.settings["ca"] = c.address.text();
    const auto bundle = json_input::string_or(settings, "caBundle", "");
    if (!bundle.empty()) {
        std::error_code ec;
        if (!fs::is_regular_file(fs::u8path(bundle), ec)) invalid("caBundle", "InvalidPath", text::quote(bundle) + " is not a file of PEM certificates.");
        c.http.ca_bundle = fs::u8path(bundle);
    }
    const int timeout = json_input::optional_int(settings, "timeoutSeconds").value_or(30);
    if (timeout < 1 || timeout > 600) invalid("timeoutSeconds", "OutOfRange", "The timeout must be 1 to 600 seconds.");
    c.http.timeout = std::chrono::seconds(timeout);
    const int wait = json_input::optional_int(settings, "waitSeconds").value_or(120);
    if (wait < 0 || wait > 3600) invalid("waitSeconds", "OutOfRange", "The wait for issuance must be 0 to 3600 seconds.");
    c.wait = std::chrono::seconds(wait);
    return c;
}

struct Credential {
    std::string user_name;
    crypto::Secret password;
};

Credential read_credential(const json& input) {
    Credential credential;
    if (!input.contains("credential") || input["credential"].is_null()) return credential;
    const json& given = input["credential"];
    if (!given.is_object()) invalid("credential", "InvalidType", "The credential must be an object with userName and password.");
    credential.user_name = json_input::string_or(given, "userName", "");
    credential.password = crypto::Secret(json_input::string_or(given, "password", ""));
    return credential;
}

std::string request_der(const json& record) {
    const std::string pem = record.value("requestPem", "");
    crypto::Ptr<BIO> bio(crypto::check(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "Reading the request"));
    crypto::Ptr<X509_REQ> req(crypto::check(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr), "Reading the request"));
    return crypto::to_der<X509_REQ>(req.get(), i2d_X509_REQ, "Encoding the request");
}

ca::acme::Options acme_options(ocscert_context& context, const Connection& c, const Credential& credential) {
    ca::acme::Options o;
    o.directory_url = c.address.url;
    o.http = c.http;
    o.http.progress = &context;
    o.store_root = context.store_path;
    o.contact = json_input::string_or(c.settings, "contact", "");
    o.challenges.http_listener = json_input::string_or(c.settings, "httpListener", "");
    o.challenges.web_root = fs::u8path(json_input::string_or(c.settings, "webRoot", ""));
    o.challenges.dns_hook = fs::u8path(json_input::string_or(c.settings, "dnsHook", ""));
    if (o.challenges.http_listener.empty() && o.challenges.web_root.empty() && o.challenges.dns_hook.empty()) o.challenges.http_listener = "0.0.0.0:80";
    if (!o.challenges.http_listener.empty()) ca::split_listener_address(o.challenges.http_listener, "httpListener");
    if (!credential.password.bytes().empty()) {
        if (credential.user_name.empty())
            invalid("credential", "RequiredField", "For an ACME CA the credential's user name is the external account key id.");
        o.eab_key_id = credential.user_name;
        o.eab_mac_key = &credential.password;
    }
    o.wait = c.wait;
    return o;
}


ca::scep::Options scep_options(ocscert_context& context, const Connection& c, const Credential& credential) {
    ca::scep::Options o;
    o.url = c.address.url;
    o.http = c.http;
    o.http.progress = &context;
    o.ca_fingerprint = json_input::string_or(c.settings, "caFingerprint", "");
    if (!credential.password.bytes().empty()) o.challenge_password = &credential.password;
    return o;
}

// Records what the CA said and installs (and assigns) what it issued.
json settle(ocscert_context& context, store::RequestStore& requests, json record, const Connection& c, const ca::Outcome& outcome, const json& input) {
    const std::string id = record["id"];
    json result = {{"id", id}, {"caRetries", outcome.retries}};
    record["ca"] = c.address.text();
    record["caConnection"] = c.settings;
    record["lastAttempt"] = platform::utc_now();
    record.erase("lastError");
    switch (outcome.disposition) {
    case ca::Disposition::Issued: {
        result["outcome"] = "Issued";
        json certificate;
        try {
            certificate = install_ca_response(context, outcome.certificates_pem, "ca", &record);
        } catch (const Error& e) {
            // A hostile or wrong answer: nothing installed, the request kept with the reason.
            record["state"] = "Pending";
            record["lastError"] = {{"reason", e.reason()}, {"message", e.what()}};
            requests.update(id, record);
            throw;
        }
        certificate["storePath"] = context.store_path.u8string();
        result["certificate"] = certificate;
        if (json_input::bool_or(input, "assign", false)) {
            json assign = {{"thumbprint", certificate["thumbprint"]}, {"role", record["profile"].value("role", json::array())}};
            for (const char* key : {"trustAnchorPath", "systemTrust"})
                if (input.contains(key)) assign[key] = input[key];
            try {
                result["assignment"] = binding_set(context, assign);
            } catch (const Error& e) {
                // Installed but not assigned: the admin sees why and can assign later.
                result["assignError"] = {{"reason", e.reason()}, {"field", e.field()}, {"message", e.what()}, {"code", e.code()}};
            }
        }
        return result;
    }
    case ca::Disposition::Pending: {
        const auto delay = outcome.retry_after.count() > 0 ? outcome.retry_after : default_poll_interval(c.address.protocol);
        record["state"] = "Submitted";
        record["caRequestId"] = outcome.ca_request_id;
        record["pollState"] = outcome.poll_state;
        record["nextPoll"] = platform::utc_in(delay);
        if (!record.contains("submitted")) record["submitted"] = record["lastAttempt"];
        break;
    }
    case ca::Disposition::Denied:
        record["state"] = "Denied";
        record["lastError"] = {{"reason", outcome.reason}, {"message", "The CA refused the request: " + outcome.detail}};
        break;
    }
    requests.update(id, record);
    record["storePath"] = context.store_path.u8string();
    result["outcome"] = outcome.disposition == ca::Disposition::Pending ? "Pending" : "Denied";
    result["request"] = record;
    return result;
}

// Talks to the CA about one request; a failure is recorded on the request before it is passed on.
json exchange(ocscert_context& context, store::RequestStore& requests, json record, const Connection& c, const Credential& credential, bool poll,
              const json& input) {
    const std::string id = record["id"];
    ca::Outcome outcome;
    try {
        if (c.address.protocol == ca::Protocol::Acme) {
            const auto options = acme_options(context, c, credential);
            if (poll) outcome = ca::acme::poll(options, record.value("pollState", json::object()), context);
            else {
                std::vector<std::string> names;
                for (const auto& n : record["names"]) names.push_back(n["name"]);
                outcome = ca::acme::submit(options, names, request_der(record), context);
            }
        } else {
            // SCEP signs with, and the CA answers to, the request's own key.
            const auto key = crypto::read_private_key(crypto::Secret(store::read_text(requests.key_path(id))), "Reading the request's key");
            const auto options = scep_options(context, c, credential);
            if (poll) outcome = ca::scep::poll(options, record.value("pollState", json::object()), record["requestPem"], key.get(), context);
            else outcome = ca::scep::enroll(options, record["requestPem"], key.get(), context);
        }
    } catch (const Error& e) {
        if (e.code() != OCSCERT_E_CANCELLED && e.code() != OCSCERT_E_INVALID_ARGUMENT) {
            record["lastAttempt"] = platform::utc_now();
            record["lastError"] = {{"reason", e.reason()}, {"message", e.what()}};
            if (poll) record["nextPoll"] = platform::utc_in(default_poll_interval(c.address.protocol));
            requests.update(id, record);
        }
        throw;
    }
    return settle(context, requests, std::move(record), c, outcome, input);
}

}  // namespace

json request_submit(ocscert_context& context, const json& input) {
    std::vector<const char*> known(connection_fields);
    for (const char* key : {"id", "credential", "assign", "trustAnchorPath", "systemTrust"}) known.push_back(key);
    for (const auto& [key, value] : input.items())
        if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) == known.end())
            invalid(key, "UnknownField", text::quote(key) + " is not an input of request submission.");
    const auto id = json_input::optional_string(input, "id");
    if (!id) invalid("id", "RequiredField", "The id of the request to submit is required.");
    const auto connection = read_connection(input);
    const auto credential = read_credential(input);
    store::RequestStore requests(context.store_path);
    json record = requests.get(*id);
    if (record.value("state", "") == "Submitted" && record.value("ca", "") == connection.address.text())
        throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadySubmitted", "id",
                    "Request " + *id + " is waiting at " + connection.address.text() + " already (CA request " + record.value("caRequestId", "") +
                        "); collect it with Receive-OcsCertificate, or remove it.");
    return exchange(context, requests, std::move(record), connection, credential, false, input);
}

json request_receive(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"id", "credential", "assign", "trustAnchorPath", "systemTrust", "waitSeconds"});
    const auto only = json_input::optional_string(input, "id");
    const auto credential = read_credential(input);
    store::RequestStore requests(context.store_path);
    std::vector<json> records;
    if (only) records.push_back(requests.get(*only));
    else records = requests.list();
    const std::string now = platform::utc_now();
    json results = json::array();
    for (auto& record : records) {
        const std::string id = record["id"];
        if (record.value("state", "") != "Submitted") {
            if (only)
                invalid("id", "NotSubmitted",
                        "Request " + id + " is " + record.value("state", "Pending") + ", not waiting at a CA; submit it first.");
            continue;
        }
        // Politeness: without an explicit id, a request is asked about only once its CA's time has come.
        if (!only && record.value("nextPoll", "") > now) {
            results.push_back({{"id", id}, {"outcome", "NotDue"}, {"nextPoll", record["nextPoll"]}});
            continue;
        }
        json connection_input = record.value("caConnection", json::object());
        if (input.contains("waitSeconds")) connection_input["waitSeconds"] = input["waitSeconds"];
        try {
            results.push_back(exchange(context, requests, record, read_connection(connection_input), credential, true, input));
        } catch (const Error& e) {
            if (e.code() == OCSCERT_E_CANCELLED || only) throw;
            // One request's trouble never stops the others.
            results.push_back({{"id", id}, {"outcome", "Failed"}, {"reason", e.reason()}, {"message", e.what()}, {"code", e.code()}});
        }
    }
    return {{"results", results}};
}

}  // namespace ocscert::api
