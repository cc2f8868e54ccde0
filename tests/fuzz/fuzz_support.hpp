#pragma once
// What every fuzz target shares: the input as the std::string the parsers take, and the rule
// that hostile input may only be refused with an ocscert::Error. Anything else (another
// exception, a sanitizer report, a failed check) stops libFuzzer, which keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"

namespace ocscert::fuzz {

inline std::string bytes(const std::uint8_t* data, std::size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// Runs `parse`; an Error is the refusal hostile input should get.
template <typename F> void refuse_only_with_error(F&& parse) {
    try {
        parse();
    } catch (const Error&) {
    }
}

// A property the product promises; a violation is a finding like a crash.
inline void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "Fuzz check failed: %s\n", what);
    std::abort();
}

}  // namespace ocscert::fuzz
