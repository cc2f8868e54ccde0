#pragma once
// PKCS#12 (.pfx) files: how Windows admins move a certificate with its key.
#include <string>
#include <vector>

#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"

namespace ocscert::certificate {

struct PfxContents {
    crypto::Ptr<X509> leaf;
    std::vector<crypto::Ptr<X509>> chain;
    crypto::Secret private_key_pem;
};

// Opens a PFX. A wrong password is Error(WrongPassword) naming `password_field`;
// a damaged file, one without an integrity MAC (PfxWithoutMac), or one without a
// key or certificate, names `path_field`.
PfxContents read_pfx(const std::string& bytes, const std::string& password, const std::string& path_field,
                     const std::string& password_field);

// A PFX holding the certificate, its chain and its key, encrypted with `password`
// (AES-256 and PBKDF2, OpenSSL 3's defaults).
std::string write_pfx(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& private_key_pem, const std::string& password,
                      const std::string& friendly_name);

}  // namespace ocscert::certificate
