#pragma once
// ACME account keys, one per CA directory: acme/<hash of the directory URL>/
// account-key.pem (owner-only) beside directory.txt saying which CA it is for.
// The account itself lives at the CA; the key is all that identifies it, so an
// order placed today can be polled by tomorrow's scheduled job.
#include <filesystem>
#include <string>

#include "crypto/openssl_ptr.hpp"

namespace ocscert::store {

// The account key for `directory_url`, made on first use under the store lock
// (so two jobs starting at once agree on one key) and written atomically.
crypto::Ptr<EVP_PKEY> acme_account_key(const std::filesystem::path& store_root, const std::string& directory_url);

}  // namespace ocscert::store
