#include "store/certificate_store.hpp"


#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/secret.hpp"
#include "platform/platform.hpp"
#include "store/store_files.hpp"
#include "store/request_store.hpp"

namespace ocscert::store {

using nlohmann::json;

namespace {



bool is_thumbprint(const std::string& name) {
    return name.size() == 40 && name.find_first_not_of("0123456789ABCDEF") == std::string::npos;
}

}  // namespace

std::vector<std::string> completed_request_ids(const fs::path& root) {
    std::vector<std::string> ids;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root / "certificates", ec)) {
        if (!is_thumbprint(entry.path().filename().string())) continue;
        try {
            const auto record = json::parse(read_text(entry.path() / "certificate.json"));
            if (record.contains("requestId") && record["requestId"].is_string()) ids.push_back(record["requestId"]);
        } catch (const std::exception&) {
            continue;  // removed while we looked
        }
    }
    return ids;
}

CertificateStore::CertificateStore(fs::path root) : root_(std::move(root)) {}

bool CertificateStore::contains(const std::string& thumbprint) const {
    std::error_code ec;
    return is_thumbprint(thumbprint) && fs::exists(certificates_dir() / thumbprint / "certificate.json", ec);
}

namespace {

json base_record(X509* leaf, const std::vector<X509*>& chain) {
    json record = certificate::describe(leaf);
    record["hasPrivateKey"] = true;
    record["installed"] = platform::utc_now();
    record["chainLength"] = chain.size();
    return record;
}

}  // namespace

void CertificateStore::commit_locked(const json& record, X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key,
                                     const std::string& field) {
    const std::string thumbprint = record["thumbprint"];
    sweep_locked();
    if (contains(thumbprint))
        throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyInstalled", field, "The certificate " + thumbprint + " is installed already.");
    std::string chain_pem;
    for (X509* cert : chain) chain_pem += certificate::to_pem(cert);
    const fs::path staging = certificates_dir() / (".staging-" + thumbprint);
    std::error_code ec;
    fs::remove_all(staging, ec);  // a killed earlier attempt
    platform::create_private_directories(staging);
    platform::write_new_file(staging / "key.pem", key.bytes(), /*owner_only=*/true);
    platform::write_new_file(staging / "cert.pem", certificate::to_pem(leaf), false);
    platform::write_new_file(staging / "chain.pem", chain_pem, false);
    platform::write_new_file(staging / "certificate.json", record.dump(2), false);
    platform::crash_point("complete.before-commit");
    platform::rename_durably(staging, certificates_dir() / thumbprint);
    platform::crash_point("complete.after-commit");
}

void CertificateStore::sweep_locked() const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(certificates_dir(), ec))
        if (entry.path().filename().string().front() == '.') fs::remove_all(entry.path(), ec);  // killed installs and removals
}

json CertificateStore::install_from_request(const json& request, X509* leaf, const std::vector<X509*>& chain) {
    json record = base_record(leaf, chain);
    const std::string request_id = request.at("id");
    record["friendlyName"] = request.value("friendlyName", "");
    record["privateKeyExportable"] = request.value("privateKeyExportable", false);
    record["requestId"] = request_id;
    record["profile"] = request.value("profile", json::object());
    if (request.contains("ca")) record["ca"] = request["ca"];

    platform::create_private_directories(certificates_dir());
    auto lock = lock_store(root_);
    RequestStore requests(root_);
    const crypto::Secret key(read_text(requests.key_path(request_id)));
    commit_locked(record, leaf, chain, key, "path");
    requests.remove_while_locked(request_id);
    return record;
}

json CertificateStore::install_imported(X509* leaf, const std::vector<X509*>& chain, const crypto::Secret& key, bool exportable,
                                        const std::string& friendly_name) {
    json record = base_record(leaf, chain);
    record["friendlyName"] = friendly_name;
    record["privateKeyExportable"] = exportable;
    record["imported"] = true;
    platform::create_private_directories(certificates_dir());
    auto lock = lock_store(root_);
    commit_locked(record, leaf, chain, key, "path");
    return record;
}

void CertificateStore::remove(const std::string& thumbprint, const std::function<bool(const std::string&)>& in_use, bool force) {
    auto lock = lock_store(root_);
    const std::string upper = text::ascii_upper(thumbprint);
    if (!contains(upper))
        throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotFound", "thumbprint", "No installed certificate has the thumbprint " + text::quote(thumbprint) + ".");
    if (!force && in_use(upper))
        throw Error(OCSCERT_E_ALREADY_EXISTS, "CertificateInUse", "thumbprint",
                    "The certificate " + upper + " is assigned to a role, or kept as a role's previous certificate; assign another first, or force the removal.");
    const fs::path doomed = certificates_dir() / (".removing-" + upper);
    platform::rename_durably(certificates_dir() / upper, doomed);  // gone for readers in one step
    platform::crash_point("certificate.remove.after-rename");
    std::error_code ec;
    fs::remove_all(doomed, ec);
}

InstalledCertificate CertificateStore::load(const std::string& thumbprint, const std::string& field) const {
    const std::string upper = text::ascii_upper(thumbprint);
    if (!contains(upper))
        throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotFound", field, "No installed certificate has the thumbprint " + text::quote(thumbprint) + ".");
    InstalledCertificate out;
    out.folder = certificates_dir() / upper;
    out.record = json::parse(read_text(out.folder / "certificate.json"));
    auto leaf = certificate::parse_ca_response(read_text(out.folder / "cert.pem"), field);
    out.leaf = std::move(leaf.front());
    const std::string chain = read_text(out.folder / "chain.pem");
    if (!chain.empty())
        for (auto& cert : certificate::parse_ca_response(chain, field)) out.chain.push_back(std::move(cert));
    return out;
}

std::vector<json> CertificateStore::list() const {
    std::vector<json> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(certificates_dir(), ec)) {
        if (!is_thumbprint(entry.path().filename().string())) continue;
        try {
            out.push_back(json::parse(read_text(entry.path() / "certificate.json")));
        } catch (const std::exception&) {
            continue;
        }
    }
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) { return a.value("notAfter", "") < b.value("notAfter", ""); });
    return out;
}

}  // namespace ocscert::store
