#include "api/response_install.hpp"

#include <algorithm>

#include <openssl/err.h>

#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "store/certificate_store.hpp"
#include "store/request_store.hpp"

namespace ocscert::api {

using nlohmann::json;

namespace {

EVP_PKEY* check_key(X509* cert, const std::string& field) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    if (key == nullptr) invalid(field, "InvalidResponse", "A certificate in the response has no readable public key.");
    return key;
}

// A CA may add names, but must not leave out one the request asked for.
void check_names(const json& request, X509* cert, const std::string& field) {
    const auto issued = certificate::describe(cert)["dnsNames"];
    for (const auto& wanted : request["names"]) {
        const std::string name = wanted["name"];
        const bool present = std::any_of(issued.begin(), issued.end(), [&](const json& n) { return text::iequals(n.get<std::string>(), name); });
        if (!present)
            invalid(field, "NamesDiffer", "The certificate lacks the name " + text::quote(name) + " that request " + request["id"].get<std::string>() +
                                              " asked for; it was not installed.");
    }
}

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
                    "The certificate " + certificate::describe(current)["subject"].get<std::string>() + " is not signed by the issuer " +
                        certificate::describe(issuer)["subject"].get<std::string>() + " sent with it; the answer was not installed.");
        }
        current = issuer;
    }
}

json install(ocscert_context& context, const json& request, std::vector<crypto::Ptr<X509>>& certificates, std::size_t leaf, const std::string& field) {
    check_names(request, certificates[leaf].get(), field);
    check_links(certificates[leaf].get(), certificates, field);
    std::vector<X509*> chain;
    for (std::size_t k = 0; k < certificates.size(); ++k)
        if (k != leaf) chain.push_back(certificates[k].get());
    return store::CertificateStore(context.store_path).install_from_request(request, certificates[leaf].get(), chain);
}

}  // namespace

json install_ca_response(ocscert_context& context, const std::string& bytes, const std::string& field, const json* request) {
    auto certificates = certificate::parse_ca_response(bytes, field);
    store::RequestStore requests(context.store_path);
    const auto pending = request ? std::vector<json>{*request} : requests.list();
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const std::string key_hash = crypto::public_key_sha256(check_key(certificates[i].get(), field));
        for (const auto& candidate : pending)
            if (candidate.value("publicKeySha256", "") == key_hash) return install(context, candidate, certificates, i, field);
    }
    store::CertificateStore installed(context.store_path);
    for (const auto& cert : certificates)
        if (installed.contains(certificate::describe(cert.get())["thumbprint"]))
            throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyInstalled", field, "The certificate in the response is installed already.");
    const std::string subject = certificate::describe(certificates.front().get())["subject"];
    if (request)
        invalid(field, "WrongKey",
                "The CA answered request " + request->value("id", "") + " with a certificate for " + subject +
                    " that does not carry the request's key; it was not installed.");
    throw Error(OCSCERT_E_NOT_FOUND, "NoMatchingRequest", field,
                "The certificate for " + subject + " does not match the key of any of the " + std::to_string(pending.size()) +
                    " pending requests; it was issued for another request or another server. Nothing was installed.");
}

}  // namespace ocscert::api
