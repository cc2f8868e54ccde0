#pragma once
// What a caller's ocscert_context holds: the store location, the progress
// callback and the cancellation flag.
#include <atomic>
#include <filesystem>

#include "core/cancellation.hpp"
#include "ocscert/ocscert.h"

struct ocscert_context final : ocscert::Progress {
    std::filesystem::path store_path;
    ocscert_progress_fn progress_callback = nullptr;
    void* progress_user_data = nullptr;
    std::atomic<bool> cancel_requested{false};

    void report(std::string_view activity, std::string_view status, int percent) override;
    bool cancelled() const override { return cancel_requested.load(); }
};
