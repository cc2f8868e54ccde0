#include "api/response_install.hpp"

#include <algorithm>
#include <ctime>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "platform/platform.hpp"

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

// The certificate must serve what the request asked for: a server's TLS certificate, for client
// authentication too unless the request was for server authentication only (pool servers
// authenticate each other with mutual TLS). A CA that used another template (a "Web Server"
// one is common) answered something else; installing it would use up the request, and the
// key is usually not exportable, so the CA's corrected answer could never be installed.
void check_usage(const store::RequestRecord& request, X509* cert, const std::string& field) {
    const bool server_only = request.profile.is_object() && request.profile.value("serverAuthenticationOnly", false);
    const auto problems = certificate::tls_usage_problems(cert, server_only);
    if (problems.empty()) return;
    const std::string& problem = problems.front();
    const std::string advice = problem.find("ClientAuthentication") != std::string::npos || (problem.find("ServerAuthentication") != std::string::npos && !server_only)
                                   ? "Pool servers authenticate each other with mutual TLS: ask the CA for a template with both server and "
                                     "client authentication (e.g. a copy of Web Server with Client Authentication added)."
                               : problem.find("ServerAuthentication") != std::string::npos ? "Ask the CA for a template with server authentication."
                                                                                            : "Ask the CA to issue it with a server template.";
    invalid(field, "UsageDiffers",
            "The certificate for " + subject_of(cert) + " " + problem + "; it was not installed, and request " + request.id +
                " stays pending for the right certificate. " + advice);
}

// At most this many alternative names in an issued certificate. A request carries at most 4096
// bytes of them (a few hundred names); a CA may add some, but thousands make a certificate that
// breaks TLS handshakes and is no answer to any request of ours.
constexpr int kMaxIssuedNames = 1000;

// A CA whose clock runs a little ahead may date a fresh certificate minutes into the future;
// that much is tolerated, more is refused (Set-OcsCertificate checks the exact time anyway).
constexpr long kClockSkewSeconds = 5 * 60;

void check_name_count(X509* cert, const std::string& field) {
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    const int count = names ? sk_GENERAL_NAME_num(names) : 0;
    GENERAL_NAMES_free(names);
    ERR_clear_error();
    if (count > kMaxIssuedNames)
        invalid(field, "TooManyNames",
                "The certificate for " + subject_of(cert) + " carries " + std::to_string(count) + " alternative names; at most " +
                    std::to_string(kMaxIssuedNames) + " are accepted. It was not installed.");
}

void check_validity(X509* cert, const std::string& field) {
    const auto info = certificate::describe(cert);
    std::time_t now = std::time(nullptr);
    if (X509_cmp_time(X509_get0_notAfter(cert), &now) <= 0)
        invalid(field, "CertificateExpired",
                "The certificate for " + subject_of(cert) + " expired on " + info.not_after +
                    "; it was not installed. Ask the CA to issue it again.");
    std::time_t latest_start = now + kClockSkewSeconds;
    if (X509_cmp_time(X509_get0_notBefore(cert), &latest_start) > 0)
        invalid(field, "CertificateNotYetValid",
                "The certificate for " + subject_of(cert) + " is valid only from " + info.not_before + ", and this computer's clock says " +
                    platform::utc_now() + "; it was not installed. Check this computer's clock (or the CA's), or complete the request once the certificate is valid.");
}

// The leaf, then each issuer sent with it, up to a self-signed root or the last issuer the answer
// holds. An issuer must have signed what it issued: a chain that does not link is a broken or
// forged answer. Certificates off that path (other leaves, unrelated CAs) are left out.
std::vector<X509*> certification_path(X509* leaf, const std::vector<crypto::Ptr<X509>>& bundle, const std::string& field) {
    std::vector<X509*> path{leaf};
    X509* current = leaf;
    while (X509_check_issued(current, current) != X509_V_OK) {  // a self-signed root ends the chain
        X509* named = nullptr;
        X509* issuer = nullptr;
        for (const auto& candidate : bundle) {
            if (std::find(path.begin(), path.end(), candidate.get()) != path.end()) continue;
            if (X509_NAME_cmp(X509_get_subject_name(candidate.get()), X509_get_issuer_name(current)) != 0) continue;
            named = candidate.get();
            EVP_PKEY* key = X509_get0_pubkey(candidate.get());
            if (key != nullptr && X509_verify(current, key) == 1) {
                issuer = candidate.get();
                break;
            }
        }
        ERR_clear_error();
        if (issuer == nullptr && named != nullptr)
            invalid(field, "ChainBroken",
                    "The certificate " + subject_of(current) + " is not signed by the issuer " + subject_of(named) +
                        " sent with it; the answer was not installed.");
        if (issuer == nullptr) break;  // the rest of the chain is the trust store's business (the Chain check)
        path.push_back(issuer);
        current = issuer;
    }
    return path;
}

store::CertificateRecord install(Stores& stores, const store::RequestRecord& request, std::vector<crypto::Ptr<X509>>& certificates, std::size_t leaf,
                                 const std::string& field) {
    X509* cert = certificates[leaf].get();
    check_name_count(cert, field);
    check_names(request, cert, field);
    check_usage(request, cert, field);
    check_validity(cert, field);
    std::vector<X509*> chain = certification_path(cert, certificates, field);
    chain.erase(chain.begin());
    return stores.certificates->install_from_request(request, cert, chain);
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
    if (std::all_of(certificates.begin(), certificates.end(), [](const auto& cert) { return X509_check_ca(cert.get()) == 1; }))
        invalid(field, "NoLeafCertificate",
                "The answer holds only CA certificates (the first is " + subject +
                    "): the CA's own chain, not the certificate it issued for a request. Nothing was installed; ask the CA for the issued certificate.");
    if (request)
        invalid(field, "WrongKey",
                "The CA answered request " + request->id + " with a certificate for " + subject +
                    " that does not carry the request's key; it was not installed.");
    throw Error(OCSCERT_E_NOT_FOUND, "NoMatchingRequest", field,
                "The certificate for " + subject + " does not match the key of any of the " + std::to_string(pending.size()) +
                    " pending requests; it was issued for another request or another server. Nothing was installed.");
}

}  // namespace ocscert::api
