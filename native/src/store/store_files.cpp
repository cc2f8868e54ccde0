#include "store/store_files.hpp"

#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "store/file_certificate_store.hpp"

namespace ocscert::store {

namespace {

fs::path created(const fs::path& root) {
    platform::create_private_directories(root);
    return root;
}

void sweep_leftovers_locked(const fs::path& root) {
    std::error_code ec;
    for (const char* folder : {"requests", "certificates", "generations"}) {
        for (fs::directory_iterator it(root / folder, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.rfind(".staging-", 0) == 0 || name.rfind(".removing-", 0) == 0) fs::remove_all(it->path(), ec);
        }
        ec.clear();
    }
    for (const auto& id : completed_request_ids(root)) fs::remove_all(root / "requests" / id, ec);
}

}  // namespace

StoreLock::StoreLock(const fs::path& root) : lock_(created(root) / ".lock", lock_timeout) { sweep_leftovers_locked(root); }

void note_unreadable(const fs::path& root, const fs::path& file, const std::exception& e, std::vector<UnreadableEntry>* unreadable) {
    std::error_code ec;
    if (unreadable == nullptr || !fs::exists(file.parent_path(), ec)) return;
    std::string reason = e.what();
    if (!fs::exists(file, ec)) {
        reason = "the file is missing";
    } else if (const auto* error = dynamic_cast<const Error*>(&e); error && error->reason() == "StoreIoError") {
        reason = "the file cannot be opened by this account";
    } else if (dynamic_cast<const nlohmann::json::exception*>(&e)) {
        // nlohmann's "[json.exception.parse_error.101] parse error at ...": the words without the tag.
        if (const auto tag_end = reason.find("] "); reason.rfind("[json.exception.", 0) == 0 && tag_end != std::string::npos)
            reason.erase(0, tag_end + 2);
        reason = (dynamic_cast<const nlohmann::json::parse_error*>(&e) ? "it is not JSON (" : "it is not a record of this store (") + reason + ")";
    } else if (!reason.empty() && reason.back() == '.') {
        reason.pop_back();  // the warning goes on after it
    }
    unreadable->push_back({file.parent_path().filename().u8string(), file.lexically_relative(root).generic_u8string(), reason});
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(OCSCERT_E_IO, "StoreIoError", "", "Cannot read '" + path.string() + "'.");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace ocscert::store
