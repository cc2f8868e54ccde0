#pragma once
// What a CA made of a submitted request, in the terms of certmonger's helper
// contract: issued, waiting (with what is needed to ask again, and when), or
// refused. Failures to reach or understand the CA are thrown as Error instead.
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace ocscert::ca {

enum class Disposition { Issued, Pending, Denied };

struct Outcome {
    Disposition disposition = Disposition::Denied;
    std::string certificates_pem;  // Issued: the certificate first, then the CA's chain
    std::string ca_request_id;     // Pending: the CA's id for it (ACME order URL, SCEP transaction id)
    nlohmann::json poll_state;     // Pending: everything else a later poll needs; no secrets
    std::chrono::seconds retry_after{0};  // Pending: when the CA asked to be polled again (0: no preference)
    std::string reason;            // Denied: a stable token, e.g. BadRequest, RejectedIdentifier
    std::string detail;            // Denied: the CA's own words, one line
    int retries = 0;               // requests repeated on the CA's say-so (badNonce, Retry-After)
};

}  // namespace ocscert::ca
