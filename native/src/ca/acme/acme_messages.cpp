#include "ca/acme/acme_messages.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"

namespace ocscert::ca::acme {

using nlohmann::json;

namespace {

constexpr const char* error_prefix = "urn:ietf:params:acme:error:";

json parse_object(const std::string& body, const std::string& what) {
    json object;
    try {
        object = json::parse(body);
    } catch (const json::exception&) {
        bad_response(what + " is not valid JSON");
    }
    if (!object.is_object()) bad_response(what + " is not a JSON object");
    return object;
}

std::string member(const json& object, const char* key, const std::string& what) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) bad_response(what + " has no \"" + key + "\"");
    return *it;
}

// A string member, or `fallback` when it is missing or of another type: json::value() would throw
// nlohmann's type_error for {"status": 4}, which is no refusal a caller can act on.
std::string text(const json& object, const char* key, const std::string& fallback = "") {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string url_member(const json& object, const char* key, const std::string& what) { return checked_url(member(object, key, what), key, what); }

// Tokens become file names and URL paths: only base64url characters are accepted (RFC 8555 section 8.3).
void check_token(const std::string& token) {
    if (token.size() < 16 || token.size() > 256 ||
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
        bad_response("a challenge token is not base64url");
}

}  // namespace

void bad_response(const std::string& what) {
    throw Error(OCSCERT_E_NETWORK, "InvalidAcmeResponse", "ca", "The ACME server's answer was not usable: " + what + ". Nothing was installed.");
}

std::string ca_words(const std::string& s) {
    std::string out;
    for (unsigned char c : s.substr(0, 300)) out += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
    return out;
}

Problem read_problem(long status, const std::string& body) {
    Problem problem;
    problem.status = status;
    try {
        const json document = json::parse(body);
        const std::string type = document.is_object() ? text(document, "type") : "";
        problem.type = type.rfind(error_prefix, 0) == 0 ? type.substr(std::char_traits<char>::length(error_prefix)) : type;
        problem.detail = document.is_object() ? text(document, "detail") : "";
    } catch (const json::exception&) {
        problem.detail = "HTTP " + std::to_string(status) + " with no problem document";
    }
    return problem;
}

std::string checked_url(const std::string& url, const char* key, const std::string& what) {
    if (url.empty()) bad_response(what + " has no \"" + key + "\"");
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) bad_response(what + "'s \"" + key + "\" is not a URL");
    return url;
}

Directory read_directory(const std::string& body) {
    const json directory = parse_object(body, "the directory");
    return {url_member(directory, "newNonce", "the directory"), url_member(directory, "newAccount", "the directory"),
            url_member(directory, "newOrder", "the directory")};
}

std::string read_account_status(const std::string& body) { return text(parse_object(body, "the account"), "status"); }

Authorization read_authorization(const std::string& body, const std::string& challenge_type) {
    const json authz = parse_object(body, "an authorization");
    Authorization out;
    out.status = text(authz, "status");
    const auto identifier = authz.find("identifier");
    if (identifier != authz.end() && identifier->is_object()) out.name = text(*identifier, "value");
    const auto challenges = authz.find("challenges");
    const bool listed = challenges != authz.end() && challenges->is_array();
    if (listed)
        for (const auto& c : *challenges)
            if (c.is_object() && c.contains("error") && c["error"].is_object()) out.failure = text(c["error"], "detail", out.failure);
    if (challenge_type.empty() || out.status != "pending") return out;
    if (!listed) bad_response("the authorization for " + text::quote(out.name) + " has no challenges");
    const auto chosen = std::find_if(challenges->begin(), challenges->end(),
                                     [&](const json& c) { return c.is_object() && text(c, "type") == challenge_type; });
    if (chosen == challenges->end()) return out;
    Challenge challenge;
    challenge.token = member(*chosen, "token", "a challenge");
    check_token(challenge.token);
    challenge.url = url_member(*chosen, "url", "a challenge");
    out.challenge = std::move(challenge);
    return out;
}

Order read_order(const std::string& body, const std::string& what) {
    const json order = parse_object(body, what);
    Order out;
    out.status = text(order, "status");
    if (const auto list = order.find("authorizations"); list != order.end() && list->is_array()) {
        out.authorizations.emplace();
        for (const auto& item : *list) {
            if (!item.is_string()) bad_response("an authorization is not a URL");
            out.authorizations->push_back(item);
        }
    }
    out.finalize = text(order, "finalize");
    out.certificate = text(order, "certificate");
    if (order.contains("error") && order["error"].is_object()) out.error_detail = text(order["error"], "detail");
    return out;
}

}  // namespace ocscert::ca::acme
