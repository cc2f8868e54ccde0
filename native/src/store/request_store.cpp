#include "store/request_store.hpp"

#include <algorithm>
#include <tuple>

#include <openssl/rand.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "store/store_files.hpp"
#include "store/file_certificate_store.hpp"

namespace ocscert::store {

using nlohmann::json;

namespace {

constexpr const char* record_file = "request.json";
constexpr const char* key_file = "key.pem";
constexpr const char* request_file = "request.pem";
constexpr const char* staging_prefix = ".staging-";
constexpr const char* removing_prefix = ".removing-";

[[noreturn]] void not_found(const std::string& id) {
    throw Error(OCSCERT_E_NOT_FOUND, "RequestNotFound", "id", "No pending request has the id " + text::quote(id) + ".");
}

}  // namespace

bool is_valid_id(const std::string& id) {
    return id.size() == 8 && std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

RequestStore::RequestStore(fs::path root) : root_(std::move(root)) {}

std::string RequestStore::new_id() const {
    for (;;) {
        unsigned char bytes[4];
        if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error(OCSCERT_E_CRYPTO, "CryptoFailure", "", "No random bytes for a request id.");
        static const char hex[] = "0123456789abcdef";
        std::string id;
        for (unsigned char b : bytes) {
            id += hex[b >> 4];
            id += hex[b & 15];
        }
        std::error_code ec;
        if (!fs::exists(requests_dir() / id, ec)) return id;
    }
}

void RequestStore::add_locked(const NewRequest& request, void (*hook)(void*), void* hook_state) {
    const std::string& id = request.record.id;
    platform::create_private_directories(requests_dir());
    auto lock = lock_store(root_);  // sweeps what a killed writer left

    const fs::path staging = requests_dir() / (staging_prefix + id);
    platform::create_private_directories(staging);
    platform::write_new_file(staging / key_file, request.private_key_pem->bytes(), /*owner_only=*/true);
    platform::crash_point("request.after-key");
    platform::write_new_file(staging / request_file, request.request_pem, false);
    platform::write_new_file(staging / record_file, nlohmann::json(request.record).dump(2), false);
    platform::crash_point("request.before-commit");
    try {
        hook(hook_state);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(staging, ec);
        throw;
    }
    platform::rename_durably(staging, requests_dir() / id);
    platform::crash_point("request.after-commit");
}

std::vector<RequestRecord> RequestStore::list(std::vector<UnreadableEntry>* unreadable) const {
    std::vector<RequestRecord> out;
    std::error_code ec;
    const auto completed = completed_request_ids(root_);
    for (const auto& entry : fs::directory_iterator(requests_dir(), ec)) {
        const std::string id = entry.path().filename().string();
        if (!is_valid_id(id)) continue;  // staging and removal folders are not requests yet, or any more
        if (std::find(completed.begin(), completed.end(), id) != completed.end()) continue;
        if (auto record = read_listed_record<RequestRecord>(root_, entry.path() / record_file, unreadable)) out.push_back(std::move(*record));
    }
    std::sort(out.begin(), out.end(), [](const RequestRecord& a, const RequestRecord& b) {
        return std::tie(a.created, a.id) < std::tie(b.created, b.id);
    });
    return out;
}

RequestRecord RequestStore::get(const std::string& id) const {
    if (!is_valid_id(id)) not_found(id);
    const fs::path path = requests_dir() / id / record_file;
    std::error_code ec;
    const auto completed = completed_request_ids(root_);
    if (!fs::exists(path, ec) || std::find(completed.begin(), completed.end(), id) != completed.end()) not_found(id);
    std::vector<UnreadableEntry> unreadable;
    auto record = read_listed_record<RequestRecord>(root_, path, &unreadable);
    if (!record) {
        if (unreadable.empty()) not_found(id);  // removed just now
        throw Error(OCSCERT_E_IO, "RequestUnreadable", "id",
                    "The request's record " + unreadable.front().file + " cannot be read: " + unreadable.front().reason +
                        ". The store was left as it is: restore the file from a backup, or remove the request (Remove-OcsCertificateRequest) "
                        "and make it again.");
    }
    return std::move(*record);
}

void RequestStore::update(const RequestRecord& record) {
    const std::string& id = record.id;
    if (!is_valid_id(id)) not_found(id);
    auto lock = lock_store(root_);
    const fs::path dir = requests_dir() / id;
    std::error_code ec;
    const auto completed = completed_request_ids(root_);
    if (!fs::exists(dir / record_file, ec) || std::find(completed.begin(), completed.end(), id) != completed.end()) not_found(id);
    const fs::path staged = dir / (std::string(record_file) + ".new");
    fs::remove(staged, ec);  // a leftover of a killed writer
    platform::write_new_file(staged, json(record).dump(2), false);
    platform::crash_point("request.update.before-replace");
    platform::replace_file(staged, dir / record_file);
}

crypto::Secret RequestStore::key_pem(const std::string& id) const {
    if (!is_valid_id(id)) not_found(id);
    return crypto::Secret(read_text(requests_dir() / id / key_file));
}

crypto::Ptr<EVP_PKEY> RequestStore::private_key(const std::string& id) const {
    return crypto::read_private_key(key_pem(id), "Reading the request's key");
}

void RequestStore::remove(const std::string& id) {
    if (!is_valid_id(id)) not_found(id);
    std::error_code ec;
    if (!fs::exists(requests_dir(), ec)) not_found(id);
    auto lock = lock_store(root_);
    remove_while_locked(id);
}

void RequestStore::remove_while_locked(const std::string& id) {
    std::error_code ec;
    const fs::path dir = requests_dir() / id;
    if (!is_valid_id(id) || !fs::exists(dir, ec)) not_found(id);
    const fs::path doomed = requests_dir() / (removing_prefix + id);
    platform::rename_durably(dir, doomed);  // gone for readers in one step
    platform::crash_point("request.remove.after-rename");
    fs::remove_all(doomed, ec);
}

}  // namespace ocscert::store
