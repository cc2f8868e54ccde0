#include "binding/certificate_checks.hpp"

#include <algorithm>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "certificate/certificate_info.hpp"
#include "core/text.hpp"
#include "core/error.hpp"

namespace ocscert::binding {

using crypto::Ptr;

namespace {

std::string subject_of(X509* cert) { return certificate::name_text(X509_get_subject_name(cert)); }
std::string issuer_of(X509* cert) { return certificate::name_text(X509_get_issuer_name(cert)); }

Check private_key(const store::CertificateStore& store, const store::InstalledCertificate& c) {
    crypto::Ptr<EVP_PKEY> key;
    try {
        key = store.private_key(c.record);
    } catch (const Error& e) {
        return {"PrivateKey", false, e.what()};
    }
    if (EVP_PKEY_eq(key.get(), X509_get0_pubkey(c.leaf.get())) != 1) {
        ERR_clear_error();
        return {"PrivateKey", false, "The private key does not belong to this certificate."};
    }
    return {"PrivateKey", true, "Present, readable, and matches the certificate."};
}

Check validity(const store::InstalledCertificate& c, std::time_t now) {
    const std::string &from = c.record.info.not_before, &to = c.record.info.not_after;
    if (X509_cmp_time(X509_get0_notBefore(c.leaf.get()), &now) > 0) return {"Validity", false, "Not valid before " + from + "."};
    if (X509_cmp_time(X509_get0_notAfter(c.leaf.get()), &now) < 0) return {"Validity", false, "Expired on " + to + "; request a new certificate."};
    return {"Validity", true, "Valid from " + from + " to " + to + "."};
}

Check usage(const store::InstalledCertificate& c, const char* name, const char* purpose, const char* why) {
    const auto& ekus = c.record.info.enhanced_key_usage;
    if (ekus.empty()) return {name, true, "No enhanced key usage extension: valid for every purpose."};
    const bool present = std::find(ekus.begin(), ekus.end(), purpose) != ekus.end();
    return {name, present, present ? std::string("Enhanced key usage includes ") + purpose + "."
                                   : std::string("Enhanced key usage lacks ") + purpose + ": " + why};
}

Check names(const store::InstalledCertificate& c, const CheckOptions& o) {
    if (o.required_names.empty()) return {"Names", true, "No pool settings are known for this certificate, so its names were not compared; give the pool FQDN to check them."};
    std::vector<std::string> missing;
    for (const auto& want : o.required_names)
        if (!c.record.info.has_dns_name(want)) missing.push_back(want);
    if (missing.empty()) return {"Names", true, "Carries every name the roles need (" + o.names_source + ")."};
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return {"Names", false, "Lacks " + list + ", which the roles need (" + o.names_source + ")."};
}

Check key_size(const store::InstalledCertificate& c) {
    const int bits = c.record.info.key_size;
    const std::string& algorithm = c.record.info.key_algorithm;
    const bool ok = algorithm == "RSA" ? bits >= 2048 : algorithm == "ECDSA" ? bits >= 256 : false;
    return {"KeySize", ok, algorithm + " " + std::to_string(bits) + " bits" + (ok ? "." : "; at least RSA 2048 or ECDSA P-256 is needed.")};
}

Check chain(const store::InstalledCertificate& c, const CheckOptions& o) {
    const auto anchors = crypto::build_trust_store(o.trust);
    crypto::BorrowedCertificateStack untrusted(sk_X509_new_null());
    for (const auto& cert : c.chain) sk_X509_push(untrusted.get(), cert.get());
    Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), anchors.get(), c.leaf.get(), untrusted.get());
    X509_STORE_CTX_set_time(ctx.get(), 0, o.now);
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    const bool ok = X509_verify_cert(ctx.get()) == 1;
    ERR_clear_error();
    if (ok) {
        STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(ctx.get());
        return {"Chain", true, "Chains to the trusted root '" + subject_of(sk_X509_value(built, sk_X509_num(built) - 1)) + "'."};
    }
    const int error = X509_STORE_CTX_get_error(ctx.get());
    X509* at = X509_STORE_CTX_get_current_cert(ctx.get());
    std::string detail = X509_verify_cert_error_string(error);
    if (at && (error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT))
        detail = "The issuer of '" + subject_of(at) + "', '" + issuer_of(at) + "', is neither in the chain nor a trusted root; add it to the chain or trust it";
    else if (at && (error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN || error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT))
        detail = "The root '" + subject_of(at) + "' is not trusted on this server; add it to the trust anchors";
    else if (at)
        detail += " (at '" + subject_of(at) + "')";
    return {"Chain", false, detail + "."};
}

}  // namespace

std::vector<Check> run_checks(const store::CertificateStore& store, const store::InstalledCertificate& c, const CheckOptions& o) {
    return {private_key(store, c),
            validity(c, o.now),
            usage(c, "ServerAuthentication", "ServerAuthentication", "clients and other pool servers cannot authenticate this server."),
            usage(c, "ClientAuthentication", "ClientAuthentication", "pool servers authenticate each other with mutual TLS, so this server could not connect to the others."),
            names(c, o),
            key_size(c),
            chain(c, o)};
}

const Check* first_failure(const std::vector<Check>& checks) {
    auto it = std::find_if(checks.begin(), checks.end(), [](const Check& c) { return !c.passed; });
    return it == checks.end() ? nullptr : &*it;
}

}  // namespace ocscert::binding
