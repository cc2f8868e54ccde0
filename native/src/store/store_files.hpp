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
inline platform::FileLock lock_store(const fs::path& root) {
    platform::create_private_directories(root);
    return platform::FileLock(root / ".lock", lock_timeout);
}

std::string read_text(const fs::path& path);

}  // namespace ocscert::store
