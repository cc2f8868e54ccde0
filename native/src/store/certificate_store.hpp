#pragma once
// Installed certificates with their private keys: the interface every store
// backend implements. Nothing outside a backend opens a key by path; checks,
// the mutual-TLS probe, exports and the live/ copies ask the store for the key.
//
// The backend here keeps files (FileCertificateStore). A Windows machine-store
// backend (where OCS itself reads certificates) would implement the same calls:
//  - install_*: CertAddCertificateContextToStore into LocalMachine\My, the key
//    made or imported by CNG (NCryptImportKey) under the Microsoft Software Key
//    Storage Provider, without NCRYPT_ALLOW_EXPORT_FLAG unless exportable, and
//    the record kept as the certificate's properties (friendly name) plus a
//    small JSON beside the store;
//  - list/load/contains: CertEnumCertificatesInStore / CertFindCertificateInStore
//    by SHA-1 hash (the thumbprint);
//  - private_key: NCryptOpenKey, handed to OpenSSL through a provider, so the
//    key never leaves CNG; key_pem refuses a non-exportable key;
//  - remove: CertDeleteCertificateFromStore and NCryptDeleteKey.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certificate/certificate_info.hpp"
#include "crypto/openssl_ptr.hpp"
#include "crypto/secret.hpp"
#include "store/request_record.hpp"
#include "store/store_files.hpp"

namespace ocscert::store {

namespace fs = std::filesystem;

// What the store knows of an installed certificate besides the certificate itself.
struct CertificateRecord {
    certificate::CertificateInfo info;
    bool has_private_key = true;
    std::string installed;  // ISO 8601 UTC
    std::size_t chain_length = 0;
    std::string friendly_name;
    bool private_key_exportable = false;
    bool imported = false;    // brought with its key (a PFX), not requested here
    std::string request_id;   // the request it was issued for (empty when imported)
    nlohmann::json profile;   // that request's profile (null when imported)
    std::string ca;           // the CA it came from, when it came from one
    std::optional<ca::ConnectionSettings> ca_connection;  // how that CA was reached: what a renewal reuses
    std::string renewal_of;   // thumbprint of the certificate this one renews, if it does

    const std::string& thumbprint() const { return info.thumbprint; }
};

// The record's fields beside describe()'s, camelCase, as the C interface shows it.
void to_json(nlohmann::json& out, const CertificateRecord& record);
void from_json(const nlohmann::json& in, CertificateRecord& record);

// An installed certificate, read back: the checks and bindings work on this.
struct InstalledCertificate {
    CertificateRecord record;
    crypto::Ptr<X509> leaf;
    std::vector<crypto::Ptr<X509>> chain;
};

class CertificateStore {
public:
    virtual ~CertificateStore() = default;

    // Installs `leaf` and `chain` with the private key of the pending request
    // `request`, then removes that request: one change for readers.
    virtual CertificateRecord install_from_request(const RequestRecord& request, X509* leaf, const std::vector<X509*>& chain) = 0;

    // Installs a certificate brought with its key (a PFX).
    virtual CertificateRecord install_imported(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key, bool exportable,
                                               const std::string& friendly_name) = 0;

    // Removes the certificate and its key, refusing while `in_use` (asked under the store's lock)
    // says a role references it.
    virtual void remove(const std::string& thumbprint, const std::function<bool(const std::string&)>& in_use) = 0;

    // Soonest to expire first. A certificate whose record cannot be read is left out, and added
    // to `unreadable` when that is given.
    virtual std::vector<CertificateRecord> list(std::vector<UnreadableEntry>* unreadable = nullptr) const = 0;
    virtual bool contains(const std::string& thumbprint) const = 0;

    // Throws Error(CertificateNotFound) naming `field` if no such certificate is installed,
    // Error(CertificateUnreadable) if its files cannot be read.
    virtual InstalledCertificate load(const std::string& thumbprint, const std::string& field) const = 0;

    // The private key, for use inside this process (checks, TLS, signing). Throws
    // Error PrivateKeyMissing, PrivateKeyUnreadable or PrivateKeyDamaged.
    virtual crypto::Ptr<EVP_PKEY> private_key(const CertificateRecord& record) const = 0;

    // The key as PEM, to leave the store: for the live/<Role>/key.pem copy that
    // services on this server read (`for_export` false), or inside a password-
    // protected PFX (`for_export` true: refused with KeyNotExportable, naming
    // `field`, unless the key was made exportable).
    virtual crypto::Secret key_pem(const CertificateRecord& record, bool for_export, const std::string& field) const = 0;
};

// The store backend of this build for the store folder `root`.
std::unique_ptr<CertificateStore> open_certificate_store(const fs::path& root);

}  // namespace ocscert::store
