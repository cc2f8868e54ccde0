#pragma once
// Helpers shared by the native tests: temporary folders and a quiet Progress.
#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "core/cancellation.hpp"
#include "core/error.hpp"

namespace ocscert::testing {

// A fresh folder under the system temp folder, removed with the object.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("ocscert-native-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

class TestProgress : public Progress {
public:
    void report(std::string_view, std::string_view, int) override {
        ++reports;
        if (cancel_on_report) cancel = true;
    }
    bool cancelled() const override { return cancel; }
    std::atomic<int> reports{0};
    std::atomic<bool> cancel{false};
    bool cancel_on_report = false;  // cancel once work has started, e.g. during key generation
};

// Runs f and returns the ocscert::Error it throws; fails the test if it throws nothing.
template <typename F> Error catch_error(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected an ocscert::Error";
    return Error(OCSCERT_OK, "", "", "");
}

}  // namespace ocscert::testing
