#include "certificate/pfx.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "core/error.hpp"
#include "crypto/legacy_algorithms.hpp"

namespace ocscert::certificate {

using crypto::Ptr;

PfxContents read_pfx(const std::string& bytes, const std::string& password, const std::string& path_field, const std::string& password_field) {
    Ptr<BIO> bio(crypto::check(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), "Reading the PFX"));
    Ptr<PKCS12> p12(d2i_PKCS12_bio(bio.get(), nullptr));
    if (!p12) {
        ERR_clear_error();
        invalid(path_field, "InvalidPfx", "The file is not a PKCS#12 (.pfx) file, or it is truncated.");
    }
    // Without a MAC nothing shows whether the password is right or the file intact (openssl pkcs12
    // -export -nomac); Windows' PFXImportCertStore refuses such a file too. Said as it is, not as a wrong password.
    if (PKCS12_mac_present(p12.get()) != 1)
        invalid(path_field, "PfxWithoutMac",
                "The PFX file has no integrity MAC, so neither its password nor its contents can be checked (it was made with "
                "'openssl pkcs12 -export -nomac'?); export it again protected by a password with a MAC, as Windows' Certificate "
                "Export wizard and 'openssl pkcs12 -export' (without -nomac) write it.");
    if (PKCS12_verify_mac(p12.get(), password.c_str(), static_cast<int>(password.size())) != 1) {
        ERR_clear_error();
        invalid(password_field, "WrongPassword", "The password does not open this PFX file.");
    }
    EVP_PKEY* raw_key = nullptr;
    X509* raw_cert = nullptr;
    STACK_OF(X509)* raw_ca = nullptr;
    if (PKCS12_parse(p12.get(), password.c_str(), &raw_key, &raw_cert, &raw_ca) != 1) {
        const std::string reason = ERR_reason_error_string(ERR_peek_last_error()) ? ERR_reason_error_string(ERR_peek_last_error()) : "unknown";
        ERR_clear_error();
        // Older Windows (and OpenSSL before 3.0) export the certificates under RC2-40, which OpenSSL 3
        // keeps in its legacy provider: tried again with those algorithms, on this thread only.
        bool parsed = false;
        {
            const crypto::LegacyAlgorithmsOnThisThread legacy;
            parsed = PKCS12_parse(p12.get(), password.c_str(), &raw_key, &raw_cert, &raw_ca) == 1;
        }
        ERR_clear_error();
        if (!parsed) invalid(path_field, "InvalidPfx", "The PFX file cannot be read (" + reason + ").");
    }
    Ptr<EVP_PKEY> key(raw_key);
    PfxContents out;
    out.leaf.reset(raw_cert);
    crypto::CertificateStack ca(raw_ca);
    if (!key) invalid(path_field, "NoPrivateKey", "The PFX file holds no private key; import the key with the certificate.");
    // PKCS12_parse returns as the leaf only a certificate of the key; others come as the chain.
    if (!out.leaf && ca && sk_X509_num(ca.get()) > 0)
        invalid(path_field, "KeyMismatch", "The PFX file holds no certificate for its private key (only " + std::to_string(sk_X509_num(ca.get())) +
                                             " other certificate(s)); export the certificate together with its own key.");
    if (!out.leaf) invalid(path_field, "NoCertificate", "The PFX file holds no certificate.");
    if (X509_check_private_key(out.leaf.get(), key.get()) != 1) {
        ERR_clear_error();
        invalid(path_field, "KeyMismatch", "The PFX file's private key does not belong to its certificate.");
    }
    while (ca && sk_X509_num(ca.get()) > 0) out.chain.emplace_back(sk_X509_shift(ca.get()));
    Ptr<BIO> pem(crypto::check(BIO_new(BIO_s_secmem()), "Creating a secure buffer"));
    crypto::check(PEM_write_bio_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), "Encoding the key");
    out.private_key_pem = crypto::Secret(crypto::bio_contents(pem.get()));
    return out;
}

std::string write_pfx(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& private_key_pem, const std::string& password,
                      const std::string& friendly_name) {
    auto key = crypto::read_private_key(private_key_pem, "Reading the key");
    crypto::CertificateStack ca(crypto::check(sk_X509_new_null(), "Creating the chain"));
    for (X509* cert : chain) {
        X509_up_ref(cert);
        sk_X509_push(ca.get(), cert);
    }
    Ptr<PKCS12> p12(crypto::check(
        PKCS12_create(password.c_str(), friendly_name.empty() ? nullptr : friendly_name.c_str(), key.get(), leaf, ca.get(), 0, 0, 0, 0, 0),
        "Creating the PFX"));
    Ptr<BIO> out(crypto::check(BIO_new(BIO_s_mem()), "Creating a buffer"));
    crypto::check(i2d_PKCS12_bio(out.get(), p12.get()), "Encoding the PFX");
    return crypto::bio_contents(out.get());
}

}  // namespace ocscert::certificate
