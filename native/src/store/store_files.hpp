#pragma once
// What every part of the store shares: reading its files and taking its lock.
#include <chrono>
#include <filesystem>
#include <string>

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

}  // namespace ocscert::store
