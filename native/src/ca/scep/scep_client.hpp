#pragma once
// A SCEP (RFC 8894) client: the protocol of Microsoft NDES in front of an
// enterprise CA. GetCACaps picks the strongest algorithms the CA allows,
// GetCACert fetches (and pins, by fingerprint) the CA certificate, PKCSReq
// sends our request with the challenge password, RenewalReq sends it signed
// with the certificate it renews (no password needed), CertPoll asks again
// about a request the CA holds for approval. The CA's failInfo becomes a
// denial an admin can act on. Nothing is written to disk here.
#include <string>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "ca/ca_protocol.hpp"
#include "ca/outcome.hpp"
#include "core/cancellation.hpp"
#include "crypto/secret.hpp"
#include "transport/http_client.hpp"

namespace ocscert::ca::scep {

struct Options {
    std::string url;                                     // e.g. https://ndes.contoso.com/certsrv/mscep/mscep.dll
    transport::HttpOptions http;
    std::string ca_fingerprint;                          // optional pin: hex SHA-256 (64 digits) or SHA-1 (40, as NDES shows it); colons, spaces allowed
    const crypto::Secret* challenge_password = nullptr;  // the NDES challenge password, if the CA wants one
    // The installed certificate the request renews. When the CA's GetCACaps
    // lists Renewal, the request goes as a RenewalReq (RFC 8894 section
    // 3.3.1.2) signed with it and its key (read only then), and the CA's
    // answer is opened with that key; otherwise as a PKCSReq.
    const RenewalOf* renewal_of = nullptr;
};

// Sends the request (`request_pem`, made with `key`). Issued: our certificate
// (the one for `key`) first, then the CA's. Pending: poll_state holds the
// transaction and the CA's SHA-256 fingerprint, which later polls insist on,
// and for a RenewalReq the SHA-256 fingerprint of the certificate that signed
// it, which later polls sign with again.
Outcome enroll(const Options& options, const std::string& request_pem, EVP_PKEY* key, Progress& progress);

// Asks about a request the CA left pending (CertPoll); `poll_state` is that Outcome's.
Outcome poll(const Options& options, const nlohmann::json& poll_state, const std::string& request_pem, EVP_PKEY* key, Progress& progress);

}  // namespace ocscert::ca::scep
