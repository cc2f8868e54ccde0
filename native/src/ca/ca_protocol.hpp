#pragma once
// One CA protocol (ACME, SCEP, ...): how a request is sent to a CA and asked
// about again. Each protocol lives in its own folder and registers its address
// scheme in ca/registry.cpp; the rest of the library knows only this interface.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ca/connection_settings.hpp"
#include "ca/outcome.hpp"
#include "core/cancellation.hpp"
#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"
#include "transport/http_client.hpp"

namespace ocscert::ca {

// Given per call, never stored: ACME's external account binding (key id and
// HMAC key), or SCEP's challenge password (user name unused).
struct Credential {
    std::string user_name;
    crypto::Secret password;
};

// What one conversation with a CA needs besides the request.
struct Exchange {
    std::string url;                   // the address after its scheme
    ConnectionSettings settings;       // as the admin gave them
    transport::HttpOptions http;       // TLS trust, timeout, cancellation
    std::chrono::seconds wait{120};    // for issuance before the request is left pending
    std::filesystem::path store_root;  // where protocol state lives (ACME account keys)
    const Credential* credential = nullptr;
    Progress* progress = nullptr;
};

// The certificate a renewal replaces, for protocols that prove the renewal
// with it (SCEP RenewalReq, RFC 8894 section 3.3.1.2); ACME ignores it.
struct RenewalOf {
    X509* certificate = nullptr;
    std::function<crypto::Ptr<EVP_PKEY>()> private_key;  // that certificate's key
};

// The request as a CA sees it.
struct CaRequest {
    std::vector<std::string> names;
    std::string request_pem;
    std::function<crypto::Ptr<EVP_PKEY>()> private_key;  // read only by protocols that sign with it
    const RenewalOf* renewal_of = nullptr;               // set when the request renews an installed certificate
};

class CaProtocol {
public:
    virtual ~CaProtocol() = default;

    virtual std::string_view scheme() const = 0;   // "acme": addresses read acme:<url>
    virtual std::string_view example() const = 0;  // an address an admin recognises, for messages
    virtual bool requires_https() const = 0;
    // The poll interval when the CA names none.
    virtual std::chrono::seconds default_poll_interval() const = 0;

    // Checks the settings this protocol reads, before any key work or network; errors name the field.
    virtual void check(const Exchange& exchange) const = 0;
    virtual Outcome submit(const Exchange& exchange, const CaRequest& request) const = 0;
    // Asks about a request left pending; `poll_state` is that Outcome's.
    virtual Outcome poll(const Exchange& exchange, const CaRequest& request, const nlohmann::json& poll_state) const = 0;
};

}  // namespace ocscert::ca
