#include "request/csr_builder.hpp"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <gsl/narrow>

#include "core/error.hpp"
#include "request/san_extension.hpp"

namespace ocscert::request {

using crypto::check;
using crypto::Ptr;

namespace {

// Microsoft's certificate template name extension (szOID_ENROLL_CERTTYPE_EXTENSION): a BMPString.
constexpr const char* template_name_oid = "1.3.6.1.4.1.311.20.2";

// OpenSSL calls this during key generation: report progress, and abort when cancelled.
int keygen_callback(EVP_PKEY_CTX* ctx) {
    auto* progress = static_cast<Progress*>(EVP_PKEY_CTX_get_app_data(ctx));
    return progress->cancelled() ? 0 : 1;
}

Ptr<EVP_PKEY> generate_key(const Profile& profile, Progress& progress) {
    const bool rsa = profile.key_algorithm == KeyAlgorithm::Rsa;
    Ptr<EVP_PKEY_CTX> ctx(check(EVP_PKEY_CTX_new_from_name(nullptr, rsa ? "RSA" : "EC", nullptr), "Creating the key generator"));
    check(EVP_PKEY_keygen_init(ctx.get()), "Starting key generation");
    if (rsa) check(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), profile.key_size), "Setting the RSA key size");
    else check(EVP_PKEY_CTX_set_group_name(ctx.get(), profile.key_algorithm == KeyAlgorithm::EcdsaP384 ? "P-384" : "P-256"), "Setting the curve");
    EVP_PKEY_CTX_set_app_data(ctx.get(), &progress);
    EVP_PKEY_CTX_set_cb(ctx.get(), keygen_callback);

    progress.report("Generating the private key", std::string(to_string(profile.key_algorithm)) + " " + std::to_string(profile.key_size) + " bits", -1);
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &key) <= 0) {
        progress.throw_if_cancelled();
        crypto::fail("Generating the key");
    }
    return Ptr<EVP_PKEY>(key);
}

void add_entry(X509_NAME* name, int nid, const std::string& value) {
    if (value.empty()) return;
    check(X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                                     gsl::narrow<int>(value.size()), -1, 0),
          "Adding a subject attribute");
}

// Most general first, as X.500 orders a distinguished name.
Ptr<X509_NAME> make_subject(const Profile& p, const std::string& common_name) {
    Ptr<X509_NAME> name(check(X509_NAME_new(), "Creating the subject"));
    add_entry(name.get(), NID_countryName, p.subject.country);
    add_entry(name.get(), NID_stateOrProvinceName, p.subject.state);
    add_entry(name.get(), NID_localityName, p.subject.city);
    add_entry(name.get(), NID_organizationName, p.subject.organization);
    add_entry(name.get(), NID_organizationalUnitName, p.subject.organizational_unit);
    add_entry(name.get(), NID_commonName, common_name);
    return name;
}

void push(STACK_OF(X509_EXTENSION) * stack, X509_EXTENSION* ext) {
    Ptr<X509_EXTENSION> owned(check(ext, "Encoding an extension"));
    check(sk_X509_EXTENSION_push(stack, owned.get()), "Adding an extension");
    owned.release();
}

crypto::ExtensionStack make_extensions(const Profile& p, const names::ResolvedNames& names) {
    crypto::ExtensionStack exts(check(sk_X509_EXTENSION_new_null(), "Creating the extension list"));

    auto gens = make_general_names(names.names);
    push(exts.get(), X509V3_EXT_i2d(NID_subject_alt_name, 0, gens.get()));

    // RSA: digitalSignature + keyEncipherment (0xa0, what OCS 2007 asked for); ECDSA cannot encipher keys.
    Ptr<ASN1_BIT_STRING> usage(check(ASN1_BIT_STRING_new(), "Creating the key usage"));
    check(ASN1_BIT_STRING_set_bit(usage.get(), 0, 1), "Setting digitalSignature");
    if (p.key_algorithm == KeyAlgorithm::Rsa) check(ASN1_BIT_STRING_set_bit(usage.get(), 2, 1), "Setting keyEncipherment");
    push(exts.get(), X509V3_EXT_i2d(NID_key_usage, 1, usage.get()));

    // Server authentication, plus client authentication because pool servers authenticate each other with MTLS.
    Ptr<EXTENDED_KEY_USAGE> eku(check(sk_ASN1_OBJECT_new_null(), "Creating the enhanced key usage"));
    auto add_purpose = [&](int nid) {
        Ptr<ASN1_OBJECT> oid(check(OBJ_nid2obj(nid), "Looking up a key purpose"));
        check(sk_ASN1_OBJECT_push(eku.get(), oid.get()), "Adding a key purpose");
        oid.release();
    };
    add_purpose(NID_server_auth);
    if (!p.server_authentication_only) add_purpose(NID_client_auth);
    push(exts.get(), X509V3_EXT_i2d(NID_ext_key_usage, 0, eku.get()));

    if (!p.template_name.empty()) {
        Ptr<ASN1_STRING> bmp;
        ASN1_STRING* raw = nullptr;
        if (ASN1_mbstring_copy(&raw, reinterpret_cast<const unsigned char*>(p.template_name.data()),
                               gsl::narrow<int>(p.template_name.size()), MBSTRING_UTF8, B_ASN1_BMPSTRING) <= 0)
            invalid("template", "InvalidTemplate", "The template name cannot be encoded as a BMPString.");
        bmp.reset(raw);
        unsigned char* der = nullptr;
        const int der_size = check(i2d_ASN1_BMPSTRING(bmp.get(), &der), "Encoding the template name");
        Ptr<ASN1_STRING> value(ASN1_OCTET_STRING_new());
        const int set = value ? ASN1_OCTET_STRING_set(value.get(), der, der_size) : 0;
        OPENSSL_free(der);
        check(set, "Encoding the template name");
        Ptr<ASN1_OBJECT> oid(check(OBJ_txt2obj(template_name_oid, 1), "Creating the template OID"));
        push(exts.get(), X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, value.get()));
    }
    return exts;
}

std::string rfc4514(X509_NAME* name) {
    Ptr<BIO> bio(check(BIO_new(BIO_s_mem()), "Creating a buffer"));
    check(X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB), "Printing the subject");
    return crypto::bio_contents(bio.get());
}


}  // namespace

GeneratedRequest build_request(const Profile& profile, const names::ResolvedNames& names, Progress& progress) {
    GeneratedRequest out;
    if (profile.key_size == 1024)
        out.warnings.push_back("The 1024-bit RSA key is weak and many CAs refuse it; use 2048 bits or more.");

    progress.throw_if_cancelled();
    Ptr<EVP_PKEY> key = generate_key(profile, progress);
    progress.report("Creating the certificate request", "Signing with SHA-256", 90);

    Ptr<X509_REQ> req(check(X509_REQ_new(), "Creating the request"));
    check(X509_REQ_set_version(req.get(), X509_REQ_VERSION_1), "Setting the request version");
    Ptr<X509_NAME> subject = make_subject(profile, names.common_name);
    check(X509_REQ_set_subject_name(req.get(), subject.get()), "Setting the subject");
    auto exts = make_extensions(profile, names);
    check(X509_REQ_add_extensions(req.get(), exts.get()), "Adding the extensions");
    check(X509_REQ_set_pubkey(req.get(), key.get()), "Setting the public key");
    check(X509_REQ_sign(req.get(), key.get(), EVP_sha256()), "Signing the request");

    Ptr<BIO> pem(check(BIO_new(BIO_s_mem()), "Creating a buffer"));
    check(PEM_write_bio_X509_REQ(pem.get(), req.get()), "Encoding the request as PEM");
    out.request_pem = crypto::bio_contents(pem.get());
    Ptr<BIO> der(check(BIO_new(BIO_s_mem()), "Creating a buffer"));
    check(i2d_X509_REQ_bio(der.get(), req.get()), "Encoding the request as DER");
    out.request_der = crypto::bio_contents(der.get());

    Ptr<BIO> key_pem(check(BIO_new(BIO_s_secmem()), "Creating a secure buffer"));
    check(PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), "Encoding the private key");
    out.private_key_pem = crypto::Secret(crypto::bio_contents(key_pem.get()));

    out.subject = rfc4514(subject.get());
    out.public_key_sha256 = crypto::public_key_sha256(key.get());
    return out;
}

}  // namespace ocscert::request
