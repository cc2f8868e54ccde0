#include "api/response_install.hpp"

#include <algorithm>

#include <openssl/err.h>

#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"

namespace ocscert::api {

namespace {

EVP_PKEY* check_key(X509* cert, const std::string& field) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    if (key == nullptr) invalid(field, "InvalidResponse", "A certificate in the response has no readable public key.");
    return key;
}

// A CA may add names, but must not leave out one the request asked for.
void check_names(const store::RequestRecord& request, X509* cert, const std::string& field) {
    const auto issued = certificate::describe(cert);
    for (const auto& wanted : request.names)
        if (!issued.has_dns_name(wanted.name))
            invalid(field, "NamesDiffer",
                    "The certificate lacks the name " + text::quote(wanted.name) + " that request " + request.id + " asked for; it was not installed.");
}

std::string subject_of(X509* cert) { return certificate::name_text(X509_get_subject_name(cert)); }

// Every certificate whose issuer came with it must be signed by that issuer:
// a chain that does not link is a broken or forged answer.
void check_links(X509* leaf, const std::vector<crypto::Ptr<X509>>& bundle, const std::string& field) {
    X509* current = leaf;
    for (std::size_t depth = 0; depth <= bundle.size(); ++depth) {
        if (X509_check_issued(current, current) == X509_V_OK) return;  // a self-signed root ends the chain
        X509* issuer = nullptr;
        for (const auto& candidate : bundle)
            if (candidate.get() != current && X509_NAME_cmp(X509_get_subject_name(candidate.get()), X509_get_issuer_name(current)) == 0) issuer = candidate.get();
        if (issuer == nullptr) return;  // the rest of the chain is the trust store's business (the Chain check)
        EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);
        if (issuer_key == nullptr || X509_verify(current, issuer_key) != 1) {
            ERR_clear_error();
            invalid(field, "ChainBroken",
                    "The certificate " + subject_of(current) + " is not signed by the issuer " + subject_of(issuer) +
                        " sent with it; the answer was not installed.");
        }
        current = issuer;
    }
}

store::CertificateRecord install(Stores& stores, const store::RequestRecord& request, std::vector<crypto::Ptr<X509>>& certificates, std::size_t leaf,
                                 const std::string& field) {
    check_names(request, certificates[leaf].get(), field);
    check_links(certificates[leaf].get(), certificates, field);
    std::vector<X509*> chain;
    for (std::size_t k = 0; k < certificates.size(); ++k)
        if (k != leaf) chain.push_back(certificates[k].get());
    return stores.certificates->install_from_request(request, certificates[leaf].get(), chain);
}

}  // namespace

store::CertificateRecord install_ca_response(Stores& stores, const std::string& bytes, const std::string& field, const store::RequestRecord* request) {
    auto certificates = certificate::parse_ca_response(bytes, field);
    const auto pending = request ? std::vector<store::RequestRecord>{*request} : stores.requests.list();
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const std::string key_hash = crypto::public_key_sha256(check_key(certificates[i].get(), field));
        for (const auto& candidate : pending)
            if (candidate.public_key_sha256 == key_hash) return install(stores, candidate, certificates, i, field);
    }
    for (const auto& cert : certificates)
        if (stores.certificates->contains(certificate::describe(cert.get()).thumbprint))
            throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyInstalled", field, "The certificate in the response is installed already.");
    const std::string subject = subject_of(certificates.front().get());
    if (request)
        invalid(field, "WrongKey",
                "The CA answered request " + request->id + " with a certificate for " + subject +
                    " that does not carry the request's key; it was not installed.");
    throw Error(OCSCERT_E_NOT_FOUND, "NoMatchingRequest", field,
                "The certificate for " + subject + " does not match the key of any of the " + std::to_string(pending.size()) +
                    " pending requests; it was issued for another request or another server. Nothing was installed.");
}

}  // namespace ocscert::api
