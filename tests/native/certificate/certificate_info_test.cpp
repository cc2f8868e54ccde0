// What the store and the C interface show of a certificate, for certificates a CA or a PFX may
// bring: whatever bytes they hold, the description is text the JSON output can carry.
#include "certificate/certificate_info.hpp"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

namespace ocscert::certificate {
namespace {

using crypto::Ptr;

// A self-signed certificate whose only alternative name is the dNSName `bytes`, as given.
Ptr<X509> with_dns_name(const std::string& bytes) {
    Ptr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    Ptr<X509> cert(X509_new());
    EXPECT_TRUE(key && cert);
    X509_set_version(cert.get(), X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("pool01"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    GENERAL_NAMES* names = GENERAL_NAMES_new();
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_IA5STRING* value = ASN1_IA5STRING_new();
    ASN1_STRING_set(value, bytes.data(), static_cast<int>(bytes.size()));
    GENERAL_NAME_set0_value(name, GEN_DNS, value);
    sk_GENERAL_NAME_push(names, name);
    X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT);
    GENERAL_NAMES_free(names);
    EXPECT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
    return cert;
}

// Found by the ca_response fuzz target: a dNSName with bytes that are not UTF-8 went into the JSON
// as they were, and nlohmann's dump threw (an internal error from Complete, Import or a listing).
TEST(CertificateInfo, ADnsNameOutsideAsciiIsShownEscaped) {
    const auto cert = with_dns_name(std::string("poo\x94\xcf\x00.contoso.com", 18));
    const CertificateInfo info = describe(cert.get());
    ASSERT_EQ(info.dns_names.size(), 1u);
    EXPECT_EQ(info.dns_names[0], "poo\\x94\\xCF\\x00.contoso.com");
    EXPECT_FALSE(info.has_dns_name("pool01.contoso.com"));
    EXPECT_NO_THROW(nlohmann::json(info).dump());
}

TEST(CertificateInfo, AnAsciiDnsNameIsShownAsItIs) {
    const auto cert = with_dns_name("pool01.contoso.com");
    const CertificateInfo info = describe(cert.get());
    ASSERT_EQ(info.dns_names.size(), 1u);
    EXPECT_TRUE(info.has_dns_name("POOL01.contoso.com"));
}

}  // namespace
}  // namespace ocscert::certificate
