// Requests are parsed back with OpenSSL and checked field by field.
#include "request/csr_builder.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "../test_support.hpp"
#include "crypto/openssl_ptr.hpp"
#include "request/profile.hpp"

namespace ocscert::request {
namespace {

using crypto::Ptr;
using nlohmann::json;
using ocscert::testing::catch_error;
using ocscert::testing::TestProgress;

std::string no_local_fqdn() { return ""; }

json base_profile() {
    return {{"role", {"FrontEnd"}},       {"poolFqdn", "pool01.contoso.com"}, {"sipDomain", {"contoso.com", "fabrikam.com"}},
            {"automaticSignIn", true},     {"includeMachineName", true},       {"machineFqdn", "fe01.contoso.com"},
            {"organization", "Contoso"},   {"organizationalUnit", "IT"},       {"country", "US"},
            {"state", "Washington"},       {"city", "Redmond"},                {"keyAlgorithm", "ECDSA_P256"}};
}

struct Built {
    GeneratedRequest generated;
    Ptr<X509_REQ> req;
};

Built build(const json& input) {
    const Profile profile = parse_profile(input, no_local_fqdn);
    TestProgress progress;
    Built out{build_request(profile, names::resolve(profile.names), progress), nullptr};
    const auto* der = reinterpret_cast<const unsigned char*>(out.generated.request_der.data());
    out.req.reset(d2i_X509_REQ(nullptr, &der, static_cast<long>(out.generated.request_der.size())));
    EXPECT_NE(out.req, nullptr);
    return out;
}

std::vector<std::string> san_names(X509_REQ* req) {
    STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req);
    auto* gens = static_cast<GENERAL_NAMES*>(X509V3_get_d2i(exts, NID_subject_alt_name, nullptr, nullptr));
    std::vector<std::string> out;
    for (int i = 0; i < sk_GENERAL_NAME_num(gens); ++i) {
        const GENERAL_NAME* gen = sk_GENERAL_NAME_value(gens, i);
        EXPECT_EQ(gen->type, GEN_DNS);
        out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gen->d.dNSName)), ASN1_STRING_length(gen->d.dNSName));
    }
    GENERAL_NAMES_free(gens);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return out;
}

std::vector<int> eku_nids(X509_REQ* req) {
    STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req);
    auto* eku = static_cast<EXTENDED_KEY_USAGE*>(X509V3_get_d2i(exts, NID_ext_key_usage, nullptr, nullptr));
    std::vector<int> out;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) out.push_back(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)));
    EXTENDED_KEY_USAGE_free(eku);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return out;
}

TEST(CsrBuilder, SignedRequestCarriesTheWizardsNamesAndUsages) {
    auto built = build(base_profile());
    Ptr<EVP_PKEY> key(X509_REQ_get_pubkey(built.req.get()));
    EXPECT_EQ(X509_REQ_verify(built.req.get(), key.get()), 1);
    EXPECT_EQ(X509_REQ_get_signature_nid(built.req.get()), NID_ecdsa_with_SHA256);
    EXPECT_EQ(san_names(built.req.get()),
              (std::vector<std::string>{"pool01.contoso.com", "sip.contoso.com", "sip.fabrikam.com", "fe01.contoso.com"}));
    EXPECT_EQ(eku_nids(built.req.get()), (std::vector<int>{NID_server_auth, NID_client_auth}));
    EXPECT_EQ(built.generated.subject, "CN=pool01.contoso.com,OU=IT,O=Contoso,L=Redmond,ST=Washington,C=US");
    EXPECT_EQ(built.generated.public_key_sha256.size(), 64u);
}

TEST(CsrBuilder, PrivateKeyMatchesTheRequest) {
    auto built = build(base_profile());
    Ptr<BIO> bio(BIO_new_mem_buf(built.generated.private_key_pem.bytes().data(), static_cast<int>(built.generated.private_key_pem.bytes().size())));
    Ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(X509_REQ_verify(built.req.get(), key.get()), 1);
    EXPECT_NE(built.generated.private_key_pem.bytes().find("BEGIN PRIVATE KEY"), std::string::npos);
}

TEST(CsrBuilder, ServerAuthenticationOnly) {
    auto input = base_profile();
    input["serverAuthenticationOnly"] = true;
    EXPECT_EQ(eku_nids(build(input).req.get()), (std::vector<int>{NID_server_auth}));
}

TEST(CsrBuilder, RsaKeyUsageIsDigitalSignatureAndKeyEncipherment) {
    auto input = base_profile();
    input["keyAlgorithm"] = "RSA";
    auto built = build(input);
    Ptr<EVP_PKEY> key(X509_REQ_get_pubkey(built.req.get()));
    EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 2048);
    EXPECT_EQ(X509_REQ_get_signature_nid(built.req.get()), NID_sha256WithRSAEncryption);
    STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(built.req.get());
    int critical = 0;
    auto* usage = static_cast<ASN1_BIT_STRING*>(X509V3_get_d2i(exts, NID_key_usage, &critical, nullptr));
    EXPECT_EQ(critical, 1);
    EXPECT_TRUE(ASN1_BIT_STRING_get_bit(usage, 0));   // digitalSignature
    EXPECT_TRUE(ASN1_BIT_STRING_get_bit(usage, 2));   // keyEncipherment
    EXPECT_FALSE(ASN1_BIT_STRING_get_bit(usage, 1));  // nonRepudiation
    ASN1_BIT_STRING_free(usage);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

TEST(CsrBuilder, EcdsaP384) {
    auto input = base_profile();
    input["keyAlgorithm"] = "ECDSA_P384";
    auto built = build(input);
    Ptr<EVP_PKEY> key(X509_REQ_get_pubkey(built.req.get()));
    EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 384);
    EXPECT_EQ(X509_REQ_get_signature_nid(built.req.get()), NID_ecdsa_with_SHA256);
}

TEST(CsrBuilder, TemplateNameIsABmpStringExtension) {
    auto input = base_profile();
    input["template"] = "WebServer";
    auto built = build(input);
    STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(built.req.get());
    Ptr<ASN1_OBJECT> oid(OBJ_txt2obj("1.3.6.1.4.1.311.20.2", 1));
    const int index = X509v3_get_ext_by_OBJ(exts, oid.get(), -1);
    ASSERT_GE(index, 0);
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509v3_get_ext(exts, index));
    const unsigned char* p = ASN1_STRING_get0_data(value);
    Ptr<ASN1_STRING> bmp(d2i_ASN1_BMPSTRING(nullptr, &p, ASN1_STRING_length(value)));
    ASSERT_NE(bmp, nullptr);
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, bmp.get());
    EXPECT_EQ(std::string(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n)), "WebServer");
    OPENSSL_free(utf8);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

TEST(CsrBuilder, CommaInOrganisationStaysOneAttribute) {
    auto input = base_profile();
    input["organization"] = "Contoso, Ltd.";
    auto built = build(input);
    X509_NAME* subject = X509_REQ_get_subject_name(built.req.get());
    EXPECT_EQ(X509_NAME_entry_count(subject), 6);
    const int index = X509_NAME_get_index_by_NID(subject, NID_organizationName, -1);
    ASSERT_GE(index, 0);
    const ASN1_STRING* o = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(o)), static_cast<std::size_t>(ASN1_STRING_length(o))), "Contoso, Ltd.");
    EXPECT_NE(built.generated.subject.find("O=Contoso\\, Ltd."), std::string::npos);  // escaped when shown
}

TEST(CsrBuilder, NonAsciiOrganisationIsUtf8String) {
    auto input = base_profile();
    input["organization"] = "Société Générale";
    auto built = build(input);
    X509_NAME* subject = X509_REQ_get_subject_name(built.req.get());
    const ASN1_STRING* o = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, X509_NAME_get_index_by_NID(subject, NID_organizationName, -1)));
    EXPECT_EQ(ASN1_STRING_type(o), V_ASN1_UTF8STRING);
    EXPECT_NE(built.generated.subject.find("Société Générale"), std::string::npos);
}

TEST(CsrBuilder, WeakKeyIsAllowedOnlyExplicitlyAndWarns) {
    auto input = base_profile();
    input["keyAlgorithm"] = "RSA";
    input["keySize"] = 1024;
    input["allowWeakKey"] = true;
    auto built = build(input);
    ASSERT_EQ(built.generated.warnings.size(), 1u);
    EXPECT_NE(built.generated.warnings[0].find("weak"), std::string::npos);
}

TEST(CsrBuilder, CancellationDuringKeyGenerationThrowsCancelled) {
    auto input = base_profile();
    input["keyAlgorithm"] = "RSA";
    input["keySize"] = 4096;
    const Profile profile = parse_profile(input, no_local_fqdn);
    TestProgress progress;
    progress.cancel_on_report = true;  // the first report comes as key generation starts
    const Error e = catch_error([&] { build_request(profile, names::resolve(profile.names), progress); });
    EXPECT_EQ(e.code(), OCSCERT_E_CANCELLED);
    EXPECT_EQ(e.reason(), "Cancelled");
}

}  // namespace
}  // namespace ocscert::request
