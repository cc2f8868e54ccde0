// The system's roots on Windows: the ROOT certificate store.
#include "platform/wincrypt.hpp"

#include <string>

#include <curl/curl.h>
#include <openssl/x509.h>

#include "platform/system_trust.hpp"

namespace ocscert::platform {

namespace {

// False when Windows has switched the root off: an enhanced-key-usage property
// that lists no purpose at all. (No such property means every purpose.)
bool enabled_for_some_purpose(PCCERT_CONTEXT cert) {
    DWORD size = 0;
    if (!::CertGetEnhancedKeyUsage(cert, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG, nullptr, &size)) return true;
    std::string buffer(size, '\0');
    auto* usage = reinterpret_cast<CERT_ENHKEY_USAGE*>(buffer.data());
    if (!::CertGetEnhancedKeyUsage(cert, CERT_FIND_PROP_ONLY_ENHKEY_USAGE_FLAG, usage, &size)) return true;
    return usage->cUsageIdentifier > 0 || ::GetLastError() == static_cast<DWORD>(CRYPT_E_NOT_FOUND);
}

}  // namespace

void add_system_roots(X509_STORE* store) {
    // OpenSSL's default locations are not added: on Windows they are folders
    // compiled into the library that no installer fills (and anyone might create).
    HCERTSTORE roots = ::CertOpenSystemStoreW(0, L"ROOT");
    if (roots == nullptr) return;  // no roots to add: verification then fails and says the chain is untrusted
    for (PCCERT_CONTEXT cert = nullptr; (cert = ::CertEnumCertificatesInStore(roots, cert)) != nullptr;) {
        if ((cert->dwCertEncodingType & X509_ASN_ENCODING) == 0 || !enabled_for_some_purpose(cert)) continue;
        const unsigned char* der = cert->pbCertEncoded;
        X509* x509 = d2i_X509(nullptr, &der, static_cast<long>(cert->cbCertEncoded));
        if (x509 == nullptr) continue;  // a certificate OpenSSL cannot read trusts nothing
        X509_STORE_add_cert(store, x509);  // takes its own reference; a duplicate is ignored
        X509_free(x509);
    }
    ::CertCloseStore(roots, 0);
}

long curl_system_trust_options() { return CURLSSLOPT_NATIVE_CA; }

}  // namespace ocscert::platform
