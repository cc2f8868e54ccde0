#pragma once
// An ACME (RFC 8555) client: account (with external account binding when the
// CA wants it), an order for all the request's names, http-01 or dns-01
// challenges, finalization with our own CSR, and the certificate chain.
// badNonce is retried; Retry-After is honoured; a CA that is still working
// when the wait is over leaves the order pending, to be polled later.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "ca/outcome.hpp"
#include "core/cancellation.hpp"
#include "crypto/secret.hpp"
#include "transport/http_client.hpp"

namespace ocscert::ca::acme {

// How the CA's challenges are answered: one of the three.
struct ChallengeOptions {
    std::string http_listener;        // host:port for the built-in http-01 listener
    std::filesystem::path web_root;   // http-01 by writing into a web server's root
    std::filesystem::path dns_hook;   // dns-01: run as `hook add|remove <_acme-challenge.name> <value>`
};

struct Options {
    std::string directory_url;
    transport::HttpOptions http;
    std::filesystem::path store_root;  // where the account key is kept
    std::string eab_key_id;            // external account binding, when the CA requires it
    const crypto::Secret* eab_mac_key = nullptr;
    std::string contact;               // an e-mail address for the account, optional
    ChallengeOptions challenges;
    std::chrono::seconds wait{120};    // for issuance before the order is left pending (validation gets at least 60 s)
};

// Orders a certificate for `names` and finalizes it with `csr_der`.
Outcome submit(const Options& options, const std::vector<std::string>& names, const std::string& csr_der, Progress& progress);

// Asks about an order left pending by submit(): `poll_state` is the Outcome's.
Outcome poll(const Options& options, const nlohmann::json& poll_state, Progress& progress);

}  // namespace ocscert::ca::acme
