#include "store/file_certificate_store.hpp"

#include <algorithm>
#include <limits>

#include <openssl/err.h>

#include "certificate/ca_response.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "store/request_store.hpp"
#include "store/store_files.hpp"

namespace ocscert::store {

using nlohmann::json;

namespace {

constexpr const char* record_file = "certificate.json";
constexpr const char* key_file = "key.pem";

bool is_thumbprint(const std::string& name) {
    return name.size() == 40 && name.find_first_not_of("0123456789ABCDEF") == std::string::npos;
}

[[noreturn]] void not_found(const std::string& thumbprint, const std::string& field) {
    throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotFound", field, "No installed certificate has the thumbprint " + text::quote(thumbprint) + ".");
}

CertificateRecord base_record(X509* leaf, const std::vector<X509*>& chain) {
    CertificateRecord record;
    record.info = certificate::describe(leaf);
    record.installed = platform::utc_now();
    record.chain_length = chain.size();
    return record;
}

}  // namespace

void to_json(json& out, const CertificateRecord& r) {
    out = r.info;
    out["hasPrivateKey"] = r.has_private_key;
    out["installed"] = r.installed;
    out["chainLength"] = r.chain_length;
    out["friendlyName"] = r.friendly_name;
    out["privateKeyExportable"] = r.private_key_exportable;
    if (r.imported) out["imported"] = true;
    if (!r.request_id.empty()) out["requestId"] = r.request_id;
    if (!r.profile.is_null()) out["profile"] = r.profile;
    if (!r.ca.empty()) out["ca"] = r.ca;
    if (r.ca_connection) out["caConnection"] = *r.ca_connection;
    if (!r.renewal_of.empty()) out["renewalOf"] = r.renewal_of;
}

void from_json(const json& in, CertificateRecord& r) {
    in.get_to(r.info);
    r.has_private_key = in.value("hasPrivateKey", false);
    r.installed = in.value("installed", "");
    r.chain_length = in.value("chainLength", std::size_t{0});
    r.friendly_name = in.value("friendlyName", "");
    r.private_key_exportable = in.value("privateKeyExportable", false);
    r.imported = in.value("imported", false);
    r.request_id = in.value("requestId", "");
    r.profile = in.value("profile", json());
    r.ca = in.value("ca", "");
    if (in.contains("caConnection") && in["caConnection"].is_object()) r.ca_connection = ca::read_connection_settings(in["caConnection"]);
    r.renewal_of = in.value("renewalOf", "");
}

std::unique_ptr<CertificateStore> open_certificate_store(const fs::path& root) { return std::make_unique<FileCertificateStore>(root); }

std::vector<std::string> completed_request_ids(const fs::path& root) {
    std::vector<std::string> ids;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root / "certificates", ec)) {
        if (!is_thumbprint(entry.path().filename().string())) continue;
        try {
            const auto record = json::parse(read_text(entry.path() / record_file));
            if (record.contains("requestId") && record["requestId"].is_string()) ids.push_back(record["requestId"]);
        } catch (const std::exception&) {
            continue;  // removed while we looked
        }
    }
    return ids;
}

FileCertificateStore::FileCertificateStore(fs::path root) : root_(std::move(root)) {}

bool FileCertificateStore::contains(const std::string& thumbprint) const {
    std::error_code ec;
    return is_thumbprint(thumbprint) && fs::exists(certificates_dir() / thumbprint / record_file, ec);
}

void FileCertificateStore::commit_locked(const CertificateRecord& record, X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key,
                                         const std::string& field) {
    const std::string& thumbprint = record.thumbprint();
    if (contains(thumbprint))
        throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyInstalled", field, "The certificate " + thumbprint + " is installed already.");
    std::string chain_pem;
    for (X509* cert : chain) chain_pem += certificate::to_pem(cert);
    const fs::path staging = certificates_dir() / (".staging-" + thumbprint);
    std::error_code ec;
    fs::remove_all(staging, ec);  // a killed earlier attempt
    platform::create_private_directories(staging);
    platform::write_new_file(staging / key_file, key.bytes(), /*owner_only=*/true);
    platform::write_new_file(staging / "cert.pem", certificate::to_pem(leaf), false);
    platform::write_new_file(staging / "chain.pem", chain_pem, false);
    platform::write_new_file(staging / record_file, json(record).dump(2), false);
    platform::crash_point("complete.before-commit");
    platform::rename_durably(staging, certificates_dir() / thumbprint);
    platform::crash_point("complete.after-commit");
}

CertificateRecord FileCertificateStore::install_from_request(const RequestRecord& request, X509* leaf, const std::vector<X509*>& chain) {
    CertificateRecord record = base_record(leaf, chain);
    record.friendly_name = request.friendly_name;
    record.private_key_exportable = request.private_key_exportable;
    record.request_id = request.id;
    record.profile = request.profile.is_null() ? json::object() : request.profile;
    record.ca = request.ca;
    record.ca_connection = request.ca_connection;
    record.renewal_of = request.renewal_of;

    platform::create_private_directories(certificates_dir());
    auto lock = lock_store(root_);
    RequestStore requests(root_);
    commit_locked(record, leaf, chain, requests.key_pem(request.id), "path");
    requests.remove_while_locked(request.id);
    return record;
}

CertificateRecord FileCertificateStore::install_imported(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key, bool exportable,
                                                         const std::string& friendly_name) {
    CertificateRecord record = base_record(leaf, chain);
    record.friendly_name = friendly_name;
    record.private_key_exportable = exportable;
    record.imported = true;
    platform::create_private_directories(certificates_dir());
    auto lock = lock_store(root_);
    commit_locked(record, leaf, chain, key, "path");
    return record;
}

void FileCertificateStore::remove(const std::string& thumbprint, const std::function<bool(const std::string&)>& in_use) {
    auto lock = lock_store(root_);
    const std::string upper = text::ascii_upper(thumbprint);
    if (!contains(upper)) not_found(thumbprint, "thumbprint");
    if (in_use(upper))
        throw Error(OCSCERT_E_ALREADY_EXISTS, "CertificateInUse", "thumbprint",
                    "The certificate " + upper + " is assigned to a role, kept as its previous certificate (for Set-OcsCertificate -Previous) " +
                        "or scheduled for its roll-over. -Force removes one that is only kept or scheduled, and the roles forget it.");
    const fs::path doomed = certificates_dir() / (".removing-" + upper);
    platform::rename_durably(certificates_dir() / upper, doomed);  // gone for readers in one step
    platform::crash_point("certificate.remove.after-rename");
    std::error_code ec;
    fs::remove_all(doomed, ec);
}

InstalledCertificate FileCertificateStore::load(const std::string& thumbprint, const std::string& field) const {
    const std::string upper = text::ascii_upper(thumbprint);
    if (!contains(upper)) not_found(thumbprint, field);
    const fs::path folder = certificates_dir() / upper;
    InstalledCertificate out;
    std::vector<UnreadableEntry> unreadable;
    auto record = read_listed_record<CertificateRecord>(root_, folder / record_file, &unreadable);
    if (!record) {
        if (unreadable.empty()) not_found(thumbprint, field);  // removed just now
        throw Error(OCSCERT_E_IO, "CertificateUnreadable", field,
                    "The certificate's record " + unreadable.front().file + " cannot be read: " + unreadable.front().reason +
                        ". The store was left as it is: restore the file from a backup, or remove the certificate (Remove-OcsCertificate) "
                        "and install it again.");
    }
    out.record = std::move(*record);
    // The store's own files: not an answer from outside, so not held to an answer's limits (a chain
    // installed before the limits existed stays readable).
    const certificate::ResponseLimits own{std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::size_t>::max()};
    auto leaf = certificate::parse_ca_response(read_text(folder / "cert.pem"), field, own);
    out.leaf = std::move(leaf.front());
    const std::string chain = read_text(folder / "chain.pem");
    if (!chain.empty())
        for (auto& cert : certificate::parse_ca_response(chain, field, own)) out.chain.push_back(std::move(cert));
    return out;
}

std::vector<CertificateRecord> FileCertificateStore::list(std::vector<UnreadableEntry>* unreadable) const {
    std::vector<CertificateRecord> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(certificates_dir(), ec)) {
        if (!is_thumbprint(entry.path().filename().string())) continue;
        if (auto record = read_listed_record<CertificateRecord>(root_, entry.path() / record_file, unreadable)) out.push_back(std::move(*record));
    }
    std::sort(out.begin(), out.end(), [](const CertificateRecord& a, const CertificateRecord& b) { return a.info.not_after < b.info.not_after; });
    return out;
}

crypto::Secret FileCertificateStore::read_key(const CertificateRecord& record) const {
    if (!record.has_private_key)
        throw Error(OCSCERT_E_NOT_FOUND, "PrivateKeyMissing", "thumbprint", "The store holds no private key for this certificate.");
    const fs::path path = certificates_dir() / record.thumbprint() / key_file;
    try {
        return crypto::Secret(read_text(path));
    } catch (const std::exception&) {
        throw Error(OCSCERT_E_IO, "PrivateKeyUnreadable", "thumbprint", "The private key file '" + path.string() + "' cannot be read by this account.");
    }
}

crypto::Ptr<EVP_PKEY> FileCertificateStore::private_key(const CertificateRecord& record) const {
    auto key = crypto::parse_private_key(read_key(record));
    ERR_clear_error();
    if (!key) throw Error(OCSCERT_E_CRYPTO, "PrivateKeyDamaged", "thumbprint", "The private key file is damaged.");
    return key;
}

crypto::Secret FileCertificateStore::key_pem(const CertificateRecord& record, bool for_export, const std::string& field) const {
    // Only a key marked exportable ever leaves the server, and only inside a password-protected PFX.
    if (for_export && !record.private_key_exportable)
        throw Error(OCSCERT_E_UNSUPPORTED, "KeyNotExportable", field,
                    "The private key of " + record.thumbprint() +
                        " was not made exportable, so it cannot leave this server; export the public certificate without a password.");
    return read_key(record);
}

}  // namespace ocscert::store
