// Submitting requests to online CAs and collecting what they issue later.
// The protocol comes from the address's scheme (ca/registry.cpp); this file
// knows only the CaProtocol interface. Whatever happens to one request, the
// others are untouched; every attempt is recorded on the request.
#include <algorithm>

#include "api/operations.hpp"
#include "api/request_creation.hpp"
#include "api/response_install.hpp"
#include "api/stores.hpp"
#include "ca/ca_address.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

namespace {

struct Connection {
    ca::CaAddress address;
    ca::Exchange exchange;
};

Connection read_connection(const ca::ConnectionSettings& settings, ocscert_context& context, const ca::Credential& credential) {
    if (settings.ca.empty()) invalid("ca", "RequiredField", "Say which CA to send the request to, e.g. acme:https://ca.contoso.com/acme/directory.");
    Connection c{ca::parse_ca_address(settings.ca, "ca"), {}};
    auto& e = c.exchange;
    e.url = c.address.url;
    e.settings = settings;
    e.settings.ca = c.address.text();
    if (!settings.ca_bundle.empty()) {
        std::error_code ec;
        if (!fs::is_regular_file(fs::u8path(settings.ca_bundle), ec))
            invalid("caBundle", "InvalidPath", text::quote(settings.ca_bundle) + " is not a file of PEM certificates.");
        e.http.ca_bundle = fs::u8path(settings.ca_bundle);
    }
    const int timeout = settings.timeout_seconds.value_or(30);
    if (timeout < 1 || timeout > 600) invalid("timeoutSeconds", "OutOfRange", "The timeout must be 1 to 600 seconds.");
    e.http.timeout = std::chrono::seconds(timeout);
    e.http.progress = &context;
    const int wait = settings.wait_seconds.value_or(120);
    if (wait < 0 || wait > 3600) invalid("waitSeconds", "OutOfRange", "The wait for issuance must be 0 to 3600 seconds.");
    e.wait = std::chrono::seconds(wait);
    e.store_root = context.store_path;
    e.credential = &credential;
    e.progress = &context;
    return c;
}

ca::Credential read_credential(const json& input) {
    ca::Credential credential;
    if (!input.contains("credential") || input["credential"].is_null()) return credential;
    const json& given = input["credential"];
    if (!given.is_object()) invalid("credential", "InvalidType", "The credential must be an object with userName and password.");
    credential.user_name = json_input::string_or(given, "userName", "");
    credential.password = crypto::Secret(json_input::string_or(given, "password", ""));
    return credential;
}

// Records what the CA said and installs (and assigns) what it issued.
json settle(ocscert_context& context, Stores& stores, store::RequestRecord record, const Connection& c, const ca::Outcome& outcome, const json& input) {
    json result = {{"id", record.id}, {"caRetries", outcome.retries}};
    record.ca = c.address.text();
    record.ca_connection = c.exchange.settings;
    record.last_attempt = platform::utc_now();
    record.last_error.reset();
    switch (outcome.disposition) {
    case ca::Disposition::Issued: {
        result["outcome"] = "Issued";
        store::CertificateRecord certificate;
        try {
            certificate = install_ca_response(stores, outcome.certificates_pem, "ca", &record);
        } catch (const Error& e) {
            // A hostile or wrong answer: nothing installed, the request kept with the reason.
            record.state = "Pending";
            record.last_error = store::CaError{e.reason(), e.what()};
            stores.requests.update(record);
            throw;
        }
        result["certificate"] = stores.shown(certificate);
        if (json_input::bool_or(input, "assign", false)) {
            json assign = {{"thumbprint", certificate.thumbprint()}, {"role", record.profile.value("role", json::array())}};
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
        const auto delay = outcome.retry_after.count() > 0 ? outcome.retry_after : c.address.protocol->default_poll_interval();
        record.state = "Submitted";
        record.ca_request_id = outcome.ca_request_id;
        record.poll_state = outcome.poll_state;
        record.next_poll = platform::utc_in(delay);
        if (record.submitted.empty()) record.submitted = record.last_attempt;
        break;
    }
    case ca::Disposition::Denied:
        record.state = "Denied";
        record.last_error = store::CaError{outcome.reason, "The CA refused the request: " + outcome.detail};
        break;
    }
    stores.requests.update(record);
    result["outcome"] = outcome.disposition == ca::Disposition::Pending ? "Pending" : "Denied";
    result["request"] = stores.shown(record);
    return result;
}

}  // namespace

// Talks to the CA about one request; a failure is recorded on the request before it is passed on.
json exchange_with_ca(ocscert_context& context, Stores& stores, store::RequestRecord record, const ca::ConnectionSettings& settings,
                      const ca::Credential& credential, bool poll, const json& input, const ca::RenewalOf* renewal_of) {
    const Connection c = read_connection(settings, context, credential);
    const ca::CaProtocol& protocol = *c.address.protocol;
    const ca::CaRequest request{record.name_list(), record.request_pem, [&] { return stores.requests.private_key(record.id); }, renewal_of};
    protocol.check(c.exchange);  // the settings themselves (a credential without a key id too): not the CA's answer
    ca::Outcome outcome;
    try {
        outcome = poll ? protocol.poll(c.exchange, request, record.poll_state.is_null() ? json::object() : record.poll_state)
                       : protocol.submit(c.exchange, request);
    } catch (const Error& e) {
        // What the CA answered is recorded: a CA that refused our credential (external account
        // binding required or rejected) as much as one that is down. Other wrong input found as
        // the conversation starts (no challenge method) is not an attempt.
        const bool credential_refused = e.code() == OCSCERT_E_INVALID_ARGUMENT && e.field() == "credential";
        if (e.code() != OCSCERT_E_CANCELLED && (e.code() != OCSCERT_E_INVALID_ARGUMENT || credential_refused)) {
            record.last_attempt = platform::utc_now();
            record.last_error = store::CaError{e.reason(), e.what()};
            if (poll) record.next_poll = platform::utc_in(protocol.default_poll_interval());
            stores.requests.update(record);
        }
        throw;
    }
    return settle(context, stores, std::move(record), c, outcome, input);
}

json request_submit(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, ca::connection_fields, {"id", "credential", "assign", "trustAnchorPath", "systemTrust"});
    const auto id = json_input::optional_string(input, "id");
    if (!id) invalid("id", "RequiredField", "The id of the request to submit is required.");
    const auto credential = read_credential(input);
    const auto settings = ca::read_connection_settings(input);
    const auto address = read_connection(settings, context, credential).address.text();  // checked before the store is read
    Stores stores(context);
    auto record = stores.requests.get(*id);
    if (record.state == "Submitted" && record.ca == address)
        throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadySubmitted", "id",
                    "Request " + *id + " is waiting at " + address + " already (CA request " + record.ca_request_id +
                        "); collect it with Receive-OcsCertificate, or remove it.");
    return exchange_with_ca(context, stores, std::move(record), settings, credential, false, input);
}

json request_receive(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"id", "credential", "assign", "trustAnchorPath", "systemTrust", "waitSeconds"});
    const auto only = json_input::optional_string(input, "id");
    const auto credential = read_credential(input);
    Stores stores(context);
    std::vector<store::RequestRecord> records;
    if (only) records.push_back(stores.requests.get(*only));
    else records = stores.requests.list();
    const std::string now = platform::utc_now();
    json results = json::array();
    for (auto& record : records) {
        if (record.state != "Submitted") {
            if (only) invalid("id", "NotSubmitted", "Request " + record.id + " is " + record.state + ", not waiting at a CA; submit it first.");
            continue;
        }
        // Politeness: without an explicit id, a request is asked about only once its CA's time has come.
        if (!only && record.next_poll > now) {
            results.push_back({{"id", record.id}, {"outcome", "NotDue"}, {"nextPoll", record.next_poll}});
            continue;
        }
        ca::ConnectionSettings settings;
        settings.ca = record.ca;
        if (record.ca_connection) settings = *record.ca_connection;
        if (auto wait = json_input::optional_int(input, "waitSeconds")) settings.wait_seconds = wait;
        try {
            results.push_back(exchange_with_ca(context, stores, record, settings, credential, true, input));
        } catch (const Error& e) {
            if (e.code() == OCSCERT_E_CANCELLED || only) throw;
            // One request's trouble never stops the others.
            results.push_back({{"id", record.id}, {"outcome", "Failed"}, {"reason", e.reason()}, {"message", e.what()}, {"code", e.code()}});
        }
    }
    return {{"results", results}};
}

}  // namespace ocscert::api
