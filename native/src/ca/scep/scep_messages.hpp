#pragma once
// What a SCEP CA's answers say (RFC 8894 sections 3.3.2 and 4), read apart from the exchanges that
// fetch them: the client acts on these, and the tests and fuzz targets read hostile bodies with
// them. An answer the client cannot use is refused with Error(InvalidScepResponse).
#include <string>
#include <vector>

#include "ca/outcome.hpp"
#include "crypto/openssl_ptr.hpp"

namespace ocscert::ca::scep {

struct Capabilities {
    bool sha256 = false, aes = false, post = false, renewal = false;
};
// GetCACaps' answer body, one capability a line.
Capabilities read_capabilities(const std::string& body);

struct CaCertificates {
    std::vector<crypto::Ptr<X509>> all;  // as GetCACert gave them
    X509* ca = nullptr;                  // the issuing CA: what the pin checks, the issuer CertPoll names
    X509* recipient = nullptr;           // whom our envelopes are for: the RA's encryption certificate, else the CA
    crypto::CertificateStack signers;    // who may sign the CA's answers: the CA and its RA signing certificates
};
// GetCACert's answer body: the CA alone, or its RA certificates with it.
CaCertificates read_ca_certificates(const std::string& body);

// One pkiMessage we sent: what its CertRep must echo.
struct Message {
    std::string der;
    std::string transaction_id;
    std::string nonce;
};

// Who signed our message, and so opens the CA's envelope (RFC 8894 section 2.3).
struct Signer {
    crypto::Ptr<EVP_PKEY> own_key;  // the transient key or the renewed certificate's, when the signer holds one
    EVP_PKEY* key = nullptr;
    crypto::Ptr<X509> cert;
};

// The CertRep answering `message`: signed by the CA or its RA, for this transaction and nonce;
// issued (our certificate, the one for `request_key`, first, then the CA's), pending or denied.
Outcome read_cert_rep(const std::string& body, const CaCertificates& ca, const Message& message, const Signer& signer, EVP_PKEY* request_key);

}  // namespace ocscert::ca::scep
