#pragma once
// The roots the operating system trusts, for the two TLS stacks the library
// uses: OpenSSL directly (the binding checks and the mutual-TLS probe, through
// crypto/trust_store) and libcurl (the CA connections). Both read the same
// place on each OS, so "the system's trust" means one thing.
//   POSIX:   OpenSSL's default locations (SSL_CERT_FILE / SSL_CERT_DIR, else
//            Debian's /etc/ssl/certs), and libcurl's own default bundle.
//   Windows: the ROOT system store (the user's view, which holds the
//            machine's roots, Group Policy's and the enterprise's too), where
//            OpenSSL's default locations would name folders nobody fills.
#include <openssl/x509_vfy.h>

namespace ocscert::platform {

// Adds the system's trusted roots to `store`.
void add_system_roots(X509_STORE* store);

// The CURLOPT_SSL_OPTIONS bits that make libcurl verify against the same roots
// when no CA bundle is given: CURLSSLOPT_NATIVE_CA on Windows (libcurl 7.71 and
// later read the ROOT store for their OpenSSL backend); 0 elsewhere.
long curl_system_trust_options();

}  // namespace ocscert::platform
