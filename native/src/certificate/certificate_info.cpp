#include "certificate/certificate_info.hpp"

#include <ctime>

#include <algorithm>

#include <openssl/x509v3.h>

#include "core/text.hpp"

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

// A dNSName is IA5 (ASCII); a CA's or a PFX's bytes outside it are shown as \xHH, so what is
// described is valid UTF-8 for the JSON it goes into and never matches a real name.
std::string ia5_text(const ASN1_STRING* value) {
    static const char hex[] = "0123456789ABCDEF";
    const auto* data = ASN1_STRING_get0_data(value);
    std::string out;
    for (int i = 0; i < ASN1_STRING_length(value); ++i) {
        const unsigned char c = data[i];
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::vector<std::string> dns_names(X509* cert) {
    std::vector<std::string> out;
    auto* gens = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); ++i) {
        const GENERAL_NAME* gen = sk_GENERAL_NAME_value(gens, i);
        if (gen->type == GEN_DNS) out.push_back(ia5_text(gen->d.dNSName));
    }
    GENERAL_NAMES_free(gens);
    return out;
}

std::vector<std::string> key_usages(X509* cert) {
    std::vector<std::string> out;
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

CertificateInfo describe(X509* cert) {
    const std::string der = crypto::to_der<X509>(cert, i2d_X509, "Encoding the certificate");
    const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
    EVP_PKEY* key = check(X509_get0_pubkey(cert), "Reading the public key");
    const int type = EVP_PKEY_get_base_id(key);
    CertificateInfo info;
    info.thumbprint = crypto::hex_digest(EVP_sha1(), bytes, der.size(), true);
    info.sha256_thumbprint = crypto::hex_digest(EVP_sha256(), bytes, der.size(), true);
    info.subject = name_text(X509_get_subject_name(cert));
    info.issuer = name_text(X509_get_issuer_name(cert));
    info.serial_number = serial_text(X509_get0_serialNumber(cert));
    info.not_before = time_text(X509_get0_notBefore(cert));
    info.not_after = time_text(X509_get0_notAfter(cert));
    info.dns_names = dns_names(cert);
    info.enhanced_key_usage = key_usages(cert);
    info.key_algorithm = type == EVP_PKEY_RSA ? "RSA" : type == EVP_PKEY_EC ? "ECDSA" : "Other";
    info.key_size = EVP_PKEY_get_bits(key);
    info.public_key_sha256 = crypto::public_key_sha256(key);
    return info;
}

bool CertificateInfo::has_dns_name(const std::string& name) const {
    return std::any_of(dns_names.begin(), dns_names.end(), [&](const std::string& n) { return text::iequals(n, name); });
}

void to_json(nlohmann::json& out, const CertificateInfo& i) {
    out = {{"thumbprint", i.thumbprint},       {"sha256Thumbprint", i.sha256_thumbprint}, {"subject", i.subject},
           {"issuer", i.issuer},               {"serialNumber", i.serial_number},         {"notBefore", i.not_before},
           {"notAfter", i.not_after},          {"dnsNames", i.dns_names},                 {"enhancedKeyUsage", i.enhanced_key_usage},
           {"keyAlgorithm", i.key_algorithm},  {"keySize", i.key_size},                   {"publicKeySha256", i.public_key_sha256}};
}

void from_json(const nlohmann::json& in, CertificateInfo& i) {
    in.at("thumbprint").get_to(i.thumbprint);
    in.at("sha256Thumbprint").get_to(i.sha256_thumbprint);
    in.at("subject").get_to(i.subject);
    in.at("issuer").get_to(i.issuer);
    in.at("serialNumber").get_to(i.serial_number);
    in.at("notBefore").get_to(i.not_before);
    in.at("notAfter").get_to(i.not_after);
    in.at("dnsNames").get_to(i.dns_names);
    in.at("enhancedKeyUsage").get_to(i.enhanced_key_usage);
    in.at("keyAlgorithm").get_to(i.key_algorithm);
    in.at("keySize").get_to(i.key_size);
    in.at("publicKeySha256").get_to(i.public_key_sha256);
}

std::vector<std::string> tls_usage_problems(X509* cert, bool server_only) {
    std::vector<std::string> out;
    if (X509_check_ca(cert) == 1) out.push_back("is a CA certificate (basic constraints CA:TRUE), not a server's");
    if ((X509_get_key_usage(cert) & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)) == 0)  // all bits set when absent
        out.push_back("has a key usage that allows neither digital signature nor key encipherment, which TLS needs");
    const auto usages = key_usages(cert);
    std::string listed;
    for (const auto& usage : usages) listed += (listed.empty() ? "" : ", ") + usage;
    for (const std::string wanted : {"ServerAuthentication", "ClientAuthentication"})
        if (!usages.empty() && std::find(usages.begin(), usages.end(), wanted) == usages.end() && !(server_only && wanted == "ClientAuthentication"))
            out.push_back("lacks " + wanted + " in its enhanced key usage (it has: " + listed + ")");
    return out;
}

}  // namespace ocscert::certificate
