#pragma once
// What every part of the store shares: reading its files and taking its lock.
#include <chrono>
#include <filesystem>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/platform.hpp"

namespace ocscert::store {

namespace fs = std::filesystem;

// How long a writer waits for another before giving up with StoreBusy.
constexpr auto lock_timeout = std::chrono::seconds(30);

// The store's one writer lock: every change to requests, certificates and bindings holds it.
// Once it is held, what a killed writer left is swept away, whichever writer comes next:
// folders written under a staging name and never renamed into place, folders renamed away
// for removal, and the folder of a request whose certificate is installed.
class StoreLock {
public:
    explicit StoreLock(const fs::path& root);

private:
    platform::FileLock lock_;
};

inline StoreLock lock_store(const fs::path& root) { return StoreLock(root); }

std::string read_text(const fs::path& path);

// An entry of the store that is there but cannot be read. A listing leaves it out and says
// so: one damaged entry must neither hide the others nor vanish without a word.
struct UnreadableEntry {
    std::string name;    // the entry's folder: a thumbprint, a request id
    std::string file;    // its record, relative to the store folder: certificates/<THUMBPRINT>/certificate.json
    std::string reason;  // why, in a few words
};

// Notes why `file`, the record of an entry of the store `root`, could not be read (`e`), unless
// the entry's folder is gone: then it was removed while it was listed, which is no damage.
void note_unreadable(const fs::path& root, const fs::path& file, const std::exception& e, std::vector<UnreadableEntry>* unreadable);

// The record `file` of an entry of the store `root`, for a listing: nullopt if it cannot be read
// (noted in `unreadable` when given) or was removed meanwhile. Nothing is repaired or removed.
template <typename Record>
std::optional<Record> read_listed_record(const fs::path& root, const fs::path& file, std::vector<UnreadableEntry>* unreadable) {
    try {
        return nlohmann::json::parse(read_text(file)).get<Record>();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        note_unreadable(root, file, e, unreadable);
        return std::nullopt;
    }
}

}  // namespace ocscert::store
