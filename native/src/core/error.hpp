#pragma once
// The one exception type of the library. Everything that can fail throws it
// (or an OpenSSL/std failure that the C ABI translates); it carries what the
// C ABI hands out: a status code, a stable reason token, the input field at
// fault and a one-line message.
#include <stdexcept>
#include <string>

#include "ocscert/ocscert.h"

namespace ocscert {

class Error : public std::runtime_error {
public:
    Error(ocscert_status code, std::string reason, std::string field, const std::string& message)
        : std::runtime_error(message), code_(code), reason_(std::move(reason)), field_(std::move(field)) {}

    ocscert_status code() const noexcept { return code_; }
    const std::string& reason() const noexcept { return reason_; }
    const std::string& field() const noexcept { return field_; }

private:
    ocscert_status code_;
    std::string reason_;
    std::string field_;
};

// An input field is wrong. `message` says what is wrong and what would be accepted.
[[noreturn]] inline void invalid(const std::string& field, const std::string& reason, const std::string& message) {
    throw Error(OCSCERT_E_INVALID_ARGUMENT, reason, field, message);
}

}  // namespace ocscert
