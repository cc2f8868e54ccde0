#pragma once
// What long operations need from their caller: a way to report progress and
// to learn that they should stop. Implemented by the C ABI's context.
#include <string_view>

namespace ocscert {

class Progress {
public:
    virtual ~Progress() = default;
    // percent is 0..100, or -1 when unknown.
    virtual void report(std::string_view activity, std::string_view status, int percent) = 0;
    virtual bool cancelled() const = 0;
    // Throws Error(OCSCERT_E_CANCELLED) if cancellation was asked for.
    void throw_if_cancelled() const;
};

}  // namespace ocscert
