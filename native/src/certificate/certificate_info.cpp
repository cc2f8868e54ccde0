#include "certificate/certificate_info.hpp"

#include <ctime>

#include <openssl/x509v3.h>

namespace ocscert::certificate {

using crypto::check;
using crypto::Ptr;

namespace {


std::string time_text(const ASN1_TIME* time) {
    std::tm tm{};
    check(ASN1_TIME_to_tm(time, &tm), "Reading a validity date");
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string serial_text(const ASN1_INTEGER* serial) {
    Ptr<BIGNUM> bn(check(ASN1_INTEGER_to_BN(serial, nullptr), "Reading the serial number"));
    char* hex = check(BN_bn2hex(bn.get()), "Printing the serial number");
    std::string out = hex;
    OPENSSL_free(hex);
    return out;
}

nlohmann::json dns_names(X509* cert) {
    nlohmann::json out = nlohmann::json::array();
    auto* gens = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); ++i) {
        const GENERAL_NAME* gen = sk_GENERAL_NAME_value(gens, i);
        if (gen->type == GEN_DNS)
            out.push_back(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gen->d.dNSName)),
                                      static_cast<std::size_t>(ASN1_STRING_length(gen->d.dNSName))));
    }
    GENERAL_NAMES_free(gens);
    return out;
}

nlohmann::json key_usages(X509* cert) {
    nlohmann::json out = nlohmann::json::array();
    auto* eku = static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) {
        const ASN1_OBJECT* oid = sk_ASN1_OBJECT_value(eku, i);
        const int nid = OBJ_obj2nid(oid);
        if (nid == NID_server_auth) out.push_back("ServerAuthentication");
        else if (nid == NID_client_auth) out.push_back("ClientAuthentication");
        else {
            char text[80];
            OBJ_obj2txt(text, sizeof text, oid, 1);
            out.push_back(text);
        }
    }
    EXTENDED_KEY_USAGE_free(eku);
    return out;
}

}  // namespace

std::string name_text(const X509_NAME* name) {
    Ptr<BIO> bio(check(BIO_new(BIO_s_mem()), "Creating a buffer"));
    check(X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB), "Printing a name");
    return crypto::bio_contents(bio.get());
}

nlohmann::json describe(X509* cert) {
    const std::string der = crypto::to_der<X509>(cert, i2d_X509, "Encoding the certificate");
    const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
    const std::string sha1 = crypto::hex_digest(EVP_sha1(), bytes, der.size(), true);
    const std::string sha256 = crypto::hex_digest(EVP_sha256(), bytes, der.size(), true);
    EVP_PKEY* key = check(X509_get0_pubkey(cert), "Reading the public key");
    return {
        {"thumbprint", sha1},
        {"sha256Thumbprint", sha256},
        {"subject", name_text(X509_get_subject_name(cert))},
        {"issuer", name_text(X509_get_issuer_name(cert))},
        {"serialNumber", serial_text(X509_get0_serialNumber(cert))},
        {"notBefore", time_text(X509_get0_notBefore(cert))},
        {"notAfter", time_text(X509_get0_notAfter(cert))},
        {"dnsNames", dns_names(cert)},
        {"enhancedKeyUsage", key_usages(cert)},
        {"keyAlgorithm", EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA ? "RSA" : EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? "ECDSA" : "Other"},
        {"keySize", EVP_PKEY_get_bits(key)},
        {"publicKeySha256", crypto::public_key_sha256(key)},
    };
}

}  // namespace ocscert::certificate
