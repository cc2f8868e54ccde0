#pragma once
// What an ACME CA's answers say (RFC 8555 section 7), read apart from the exchanges that fetch
// them: the client acts on these, and the tests and fuzz targets read hostile bodies with them.
// An answer the client cannot use is refused with Error(InvalidAcmeResponse).
#include <optional>
#include <string>
#include <vector>

namespace ocscert::ca::acme {

[[noreturn]] void bad_response(const std::string& what);

// The CA's words as they may appear in a one-line message.
std::string ca_words(const std::string& s);

// A problem document (RFC 7807) the CA answered with; turned into an Error or a denial by the step that got it.
struct Problem {
    std::string type;  // without the ACME prefix, e.g. badNonce
    std::string detail;
    long status = 0;
};
Problem read_problem(long status, const std::string& body);

struct Directory {
    std::string new_nonce, new_account, new_order;
};
Directory read_directory(const std::string& body);

// The account's status from newAccount's answer ("valid" is the one the client goes on with).
std::string read_account_status(const std::string& body);

struct Challenge {
    std::string token;  // checked: base64url, 16 to 256 characters (it becomes a file name and a URL path)
    std::string url;
};

struct Authorization {
    std::string status;
    std::string name;                      // the identifier's value
    std::optional<Challenge> challenge;    // of the type asked for, when the authorization is pending and offers one
    std::string failure = "no reason given";  // a failed challenge's error detail
};
// `challenge_type` (http-01, dns-01): the challenge to answer; empty when only the status matters.
Authorization read_authorization(const std::string& body, const std::string& challenge_type);

struct Order {
    std::string status;
    std::optional<std::vector<std::string>> authorizations;  // nullopt: the order lists none
    std::string finalize, certificate;                        // "" when absent
    std::string error_detail;                                 // of an invalid order
};
// `what` names the answer in messages ("the order", "the issued order").
Order read_order(const std::string& body, const std::string& what);

// A URL member as the client follows it: http(s), refused otherwise naming `key` of `what`.
std::string checked_url(const std::string& url, const char* key, const std::string& what);

}  // namespace ocscert::ca::acme
