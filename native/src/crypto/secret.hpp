#pragma once
// Bytes that must not outlive their use: private key encodings. Wiped with
// OPENSSL_cleanse when destroyed; not copyable, so no stray copy is left behind.
#include <string>

#include <openssl/crypto.h>

namespace ocscert::crypto {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string bytes) : bytes_(std::move(bytes)) {}
    Secret(Secret&& other) noexcept : bytes_(std::move(other.bytes_)) { other.wipe(); }
    Secret& operator=(Secret&& other) noexcept {
        wipe();
        bytes_ = std::move(other.bytes_);
        other.wipe();
        return *this;
    }
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret() { wipe(); }

    const std::string& bytes() const noexcept { return bytes_; }

private:
    void wipe() noexcept {
        if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
        bytes_.clear();
    }
    std::string bytes_;
};

}  // namespace ocscert::crypto
