#pragma once
// Owning pointers for OpenSSL objects, one stateless deleter per type (as
// BoringSSL's bssl::UniquePtr) so every object, temporaries included, is freed
// on every path, and a pointer stays one pointer wide.
#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/secret.hpp"

namespace ocscert::crypto {

template <typename T> struct Deleter;
#define OCSCERT_OPENSSL_DELETER(type, free_fn) \
    template <> struct Deleter<type> { void operator()(type* p) const noexcept { free_fn(p); } }

OCSCERT_OPENSSL_DELETER(BIO, BIO_free_all);
OCSCERT_OPENSSL_DELETER(EVP_PKEY, EVP_PKEY_free);
OCSCERT_OPENSSL_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free);
OCSCERT_OPENSSL_DELETER(EVP_MD_CTX, EVP_MD_CTX_free);
OCSCERT_OPENSSL_DELETER(X509_REQ, X509_REQ_free);
OCSCERT_OPENSSL_DELETER(X509_NAME, X509_NAME_free);
OCSCERT_OPENSSL_DELETER(X509_EXTENSION, X509_EXTENSION_free);
OCSCERT_OPENSSL_DELETER(GENERAL_NAME, GENERAL_NAME_free);
OCSCERT_OPENSSL_DELETER(GENERAL_NAMES, GENERAL_NAMES_free);
OCSCERT_OPENSSL_DELETER(EXTENDED_KEY_USAGE, EXTENDED_KEY_USAGE_free);
OCSCERT_OPENSSL_DELETER(ASN1_STRING, ASN1_STRING_free);  // also ASN1_BIT_STRING, the same type
OCSCERT_OPENSSL_DELETER(ASN1_OBJECT, ASN1_OBJECT_free);
OCSCERT_OPENSSL_DELETER(X509, X509_free);
OCSCERT_OPENSSL_DELETER(BIGNUM, BN_free);
OCSCERT_OPENSSL_DELETER(PKCS7, PKCS7_free);
OCSCERT_OPENSSL_DELETER(CMS_ContentInfo, CMS_ContentInfo_free);
OCSCERT_OPENSSL_DELETER(X509_STORE, X509_STORE_free);
OCSCERT_OPENSSL_DELETER(X509_STORE_CTX, X509_STORE_CTX_free);
OCSCERT_OPENSSL_DELETER(SSL_CTX, SSL_CTX_free);
OCSCERT_OPENSSL_DELETER(SSL, SSL_free);
OCSCERT_OPENSSL_DELETER(PKCS12, PKCS12_free);
OCSCERT_OPENSSL_DELETER(ECDSA_SIG, ECDSA_SIG_free);
OCSCERT_OPENSSL_DELETER(BIO_ADDRINFO, BIO_ADDRINFO_free);
#undef OCSCERT_OPENSSL_DELETER

// A stack of extensions owns its elements.
struct ExtensionStackDeleter {
    void operator()(STACK_OF(X509_EXTENSION) * p) const noexcept { sk_X509_EXTENSION_pop_free(p, X509_EXTENSION_free); }
};
using ExtensionStack = std::unique_ptr<STACK_OF(X509_EXTENSION), ExtensionStackDeleter>;

// A stack of certificates owns its elements.
struct CertificateStackDeleter {
    void operator()(STACK_OF(X509) * p) const noexcept { sk_X509_pop_free(p, X509_free); }
};
using CertificateStack = std::unique_ptr<STACK_OF(X509), CertificateStackDeleter>;

// A stack of certificates that borrows its elements (e.g. the untrusted chain handed to a verification).
struct BorrowedCertificateStackDeleter {
    void operator()(STACK_OF(X509) * p) const noexcept { sk_X509_free(p); }
};
using BorrowedCertificateStack = std::unique_ptr<STACK_OF(X509), BorrowedCertificateStackDeleter>;

template <typename T> using Ptr = std::unique_ptr<T, Deleter<T>>;

// Throws Error(OCSCERT_E_CRYPTO) with `what` and every queued OpenSSL error
// (the queue is drained, so nothing leaks into the next call on this thread).
[[noreturn]] void fail(const std::string& what);

// Checks an OpenSSL result: a null pointer or a value <= 0 is a failure.
template <typename T> T* check(T* p, const char* what) {
    if (p == nullptr) fail(what);
    return p;
}
inline int check(int rc, const char* what) {
    if (rc <= 0) fail(what);
    return rc;
}

// Lower-case hex SHA-256 of the key's SubjectPublicKeyInfo: what ties a CA's
// certificate to the pending request whose key it certifies.
std::string public_key_sha256(EVP_PKEY* key);

// Hex digest of `data` with `md` (upper case, as Windows shows thumbprints, when `upper`).
std::string hex_digest(const EVP_MD* md, const unsigned char* data, std::size_t size, bool upper);

// The bytes written to a memory BIO.
std::string bio_contents(BIO* bio);

// The DER encoding of an OpenSSL object through its i2d function, e.g. to_der(cert, i2d_X509, "Encoding the certificate").
template <typename T> std::string to_der(const T* object, int (*i2d)(const T*, unsigned char**), const char* what) {
    unsigned char* der = nullptr;
    const int size = check(i2d(object, &der), what);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return out;
}

// A private key from unencrypted PEM; null if the text is not one (the reason stays on the error queue).
Ptr<EVP_PKEY> parse_private_key(const Secret& pem);
// The same, failing with `what` and OpenSSL's reason.
Ptr<EVP_PKEY> read_private_key(const Secret& pem, const std::string& what);

}  // namespace ocscert::crypto
