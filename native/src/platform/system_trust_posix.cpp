// The system's roots on POSIX: where OpenSSL and libcurl look by default.
#include "platform/system_trust.hpp"

namespace ocscert::platform {

void add_system_roots(X509_STORE* store) { X509_STORE_set_default_paths(store); }

// libcurl's built-in bundle (Debian's: /etc/ssl/certs/ca-certificates.crt) is the system's.
long curl_system_trust_options() { return 0; }

}  // namespace ocscert::platform
