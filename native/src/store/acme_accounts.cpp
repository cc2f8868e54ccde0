#include "store/acme_accounts.hpp"

#include <openssl/pem.h>

#include "crypto/secret.hpp"
#include "platform/platform.hpp"
#include "store/store_files.hpp"

namespace ocscert::store {

namespace {

crypto::Ptr<EVP_PKEY> read_key(const fs::path& path) {
    return crypto::read_private_key(crypto::Secret(read_text(path)), "Reading the ACME account key");
}

}  // namespace

crypto::Ptr<EVP_PKEY> acme_account_key(const fs::path& store_root, const std::string& directory_url) {
    const std::string hash = crypto::hex_digest(EVP_sha256(), reinterpret_cast<const unsigned char*>(directory_url.data()), directory_url.size(), false);
    const fs::path folder = store_root / "acme" / hash.substr(0, 16);
    const fs::path key_path = folder / "account-key.pem";
    std::error_code ec;
    if (fs::exists(key_path, ec)) return read_key(key_path);

    auto lock = lock_store(store_root);
    if (fs::exists(key_path, ec)) return read_key(key_path);  // made by another job while we waited
    platform::create_private_directories(folder);
    crypto::Ptr<EVP_PKEY> key(crypto::check(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), "Making the ACME account key"));
    crypto::Ptr<BIO> bio(crypto::check(BIO_new(BIO_s_mem()), "Encoding the ACME account key"));
    crypto::check(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), "Encoding the ACME account key");
    const crypto::Secret pem(crypto::bio_contents(bio.get()));
    const fs::path staged = folder / ".account-key.pem.new";
    fs::remove(staged, ec);  // leftovers of a killed job
    fs::remove(folder / "directory.txt.new", ec);
    platform::write_new_file(folder / "directory.txt.new", directory_url + "\n", false);
    platform::replace_file(folder / "directory.txt.new", folder / "directory.txt");
    platform::write_new_file(staged, pem.bytes(), /*owner_only=*/true);
    platform::rename_durably(staged, key_path);
    return key;
}

}  // namespace ocscert::store
