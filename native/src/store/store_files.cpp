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

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(OCSCERT_E_IO, "StoreIoError", "", "Cannot read '" + path.string() + "'.");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace ocscert::store
