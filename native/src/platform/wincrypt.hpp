// <wincrypt.h> (the Windows certificate stores) for code that also uses OpenSSL. wincrypt.h defines
// X509_NAME and a few other OpenSSL type names as macros; OpenSSL's headers undo them only when they
// are read after it, and the precompiled headers bring them first. Windows only.
#pragma once
#include "platform/windows_api.hpp"
#include <wincrypt.h>
#undef X509_NAME
#undef X509_EXTENSIONS
#undef PKCS7_ISSUER_AND_SERIAL
#undef PKCS7_SIGNER_INFO
#undef OCSP_REQUEST
#undef OCSP_RESPONSE
