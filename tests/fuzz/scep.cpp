// SCEP answers (RFC 8894): the first byte picks what the body stands for.
//  0 GetCACaps' text, 1 GetCACert's certificates,
//  2 a CertRep as it comes off the wire (hostile bytes meet the CMS parser and the signature check),
//  3 a CertRep this target signs with the CA's key around the rest, so what the client does after the
//    signature is fuzzed too: byte 1 picks the status (SUCCESS with the rest enveloped to the signer,
//    FAILURE with the rest as failInfo, PENDING, the rest as the status, SUCCESS with the rest not enveloped).
// The issued certificate must be for scep-request-key.pem, as the seeds' are.
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <iterator>

#include "ca/scep/scep_messages.hpp"
#include "certificate/ca_response.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace ocscert;
using namespace ocscert::ca::scep;
using crypto::Ptr;

struct Setup {
    Ptr<EVP_PKEY> ca_key;
    Ptr<X509> ca_cert;
    CaCertificates ca;
    Signer signer;
    Ptr<EVP_PKEY> request_key;
    Message message;
};
Setup* setup = nullptr;

void must(bool ok) {
    if (!ok) {
        ERR_print_errors_fp(stderr);
        std::abort();
    }
}

Ptr<X509> self_signed(EVP_PKEY* key, const char* cn, bool ca) {
    Ptr<X509> cert(X509_new());
    must(cert && X509_set_version(cert.get(), X509_VERSION_3) == 1);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ca ? 1 : 2);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    must(X509_set_issuer_name(cert.get(), name) == 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    must(X509_set_pubkey(cert.get(), key) == 1);
    if (ca) {
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
        Ptr<X509_EXTENSION> bc(X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, "critical,CA:TRUE"));
        must(bc && X509_add_ext(cert.get(), bc.get(), -1) == 1);
    }
    must(X509_sign(cert.get(), key, EVP_sha256()) > 0);
    return cert;
}

std::string der(CMS_ContentInfo* cms) {
    unsigned char* out = nullptr;
    const int size = i2d_CMS_ContentInfo(cms, &out);
    must(size > 0);
    std::string bytes(reinterpret_cast<char*>(out), static_cast<std::size_t>(size));
    OPENSSL_free(out);
    return bytes;
}

std::string enveloped(const std::string& content) {
    Ptr<BIO> in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    crypto::CertificateStack to(sk_X509_new_null());
    must(in && to && X509_add_cert(to.get(), setup->signer.cert.get(), X509_ADD_FLAG_UP_REF) == 1);
    Ptr<CMS_ContentInfo> cms(CMS_encrypt(to.get(), in.get(), EVP_aes_128_cbc(), CMS_BINARY));
    must(cms != nullptr);
    return der(cms.get());
}

// A CertRep for setup->message, signed by the CA.
std::string cert_rep(const std::string& status, const std::string& fail_info, const std::string& content) {
    Ptr<CMS_ContentInfo> cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_PARTIAL | CMS_BINARY));
    must(cms != nullptr);
    CMS_SignerInfo* si = CMS_add1_signer(cms.get(), setup->ca_cert.get(), setup->ca_key.get(), EVP_sha256(), CMS_BINARY | CMS_NOSMIMECAP);
    must(si != nullptr);
    const auto add = [&](const char* id, int type, const std::string& value) {
        Ptr<ASN1_OBJECT> oid(OBJ_txt2obj(id, 1));
        must(CMS_signed_add1_attr_by_OBJ(si, oid.get(), type, value.data(), static_cast<int>(value.size())) == 1);
    };
    add("2.16.840.1.113733.1.9.2", V_ASN1_PRINTABLESTRING, "3");
    add("2.16.840.1.113733.1.9.3", V_ASN1_PRINTABLESTRING, status);
    if (!fail_info.empty()) add("2.16.840.1.113733.1.9.4", V_ASN1_PRINTABLESTRING, fail_info);
    add("2.16.840.1.113733.1.9.6", V_ASN1_OCTET_STRING, setup->message.nonce);
    add("2.16.840.1.113733.1.9.7", V_ASN1_PRINTABLESTRING, setup->message.transaction_id);
    Ptr<BIO> in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    must(in && CMS_final(cms.get(), in.get(), nullptr, CMS_BINARY) == 1);
    return der(cms.get());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setup = new Setup;
    setup->ca_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    must(setup->ca_key != nullptr);
    setup->ca_cert = self_signed(setup->ca_key.get(), "Fuzz SCEP CA", true);
    setup->ca = read_ca_certificates(certificate::to_pem(setup->ca_cert.get()));
    setup->signer.own_key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048)));
    must(setup->signer.own_key != nullptr);
    setup->signer.key = setup->signer.own_key.get();
    setup->signer.cert = self_signed(setup->signer.key, "fe01.contoso.com", false);
    std::ifstream file(OCSCERT_FUZZ_SCEP_REQUEST_KEY, std::ios::binary);
    const std::string pem{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    setup->request_key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    must(setup->request_key != nullptr);
    setup->message.transaction_id = "3F1C0F2A8E5B4D7C9A6B1E2D3C4B5A69";
    setup->message.nonce = std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string body = fuzz::bytes(data + 1, size - 1);
    const auto read = [&](const std::string& answer) {
        const ca::Outcome outcome = read_cert_rep(answer, setup->ca, setup->message, setup->signer, setup->request_key.get());
        if (outcome.disposition == ca::Disposition::Issued)
            fuzz::require(certificate::parse_ca_response(outcome.certificates_pem, "ca").size() >= 2, "an issued answer holds ours and the CA's");
    };
    fuzz::refuse_only_with_error([&] {
        switch (data[0] % 4) {
        case 0: read_capabilities(body); break;
        case 1: {
            const CaCertificates ca = read_ca_certificates(body);
            fuzz::require(ca.ca != nullptr && ca.recipient != nullptr, "a CA's certificates name the CA and the recipient");
            break;
        }
        case 2: read(body); break;
        default: {
            if (body.empty()) return;
            const std::string rest = body.substr(1);
            switch (static_cast<unsigned char>(body[0]) % 5) {
            case 0: read(cert_rep("0", "", enveloped(rest))); break;
            case 1: read(cert_rep("2", rest, "")); break;
            case 2: read(cert_rep("3", "", "")); break;
            case 3: read(cert_rep(rest, "", "")); break;
            default: read(cert_rep("0", "", rest)); break;
            }
        }
        }
    });
    return 0;
}
