#pragma once
// Helpers shared by the native tests: temporary folders and a quiet Progress.
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/cancellation.hpp"
#include "core/error.hpp"
#include "ocscert/ocscert.h"
#include "platform/platform.hpp"

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

// Runs a command quietly through the system's shell (sh; cmd.exe on Windows),
// so only what both read alike: no quotes but double quotes, no $, no pipes
// into POSIX tools; its exit status.
#ifdef _WIN32
inline int sh(const std::string& command) {
    // Under Wine, now and then cmd.exe does not start at all (std::system gives -1), or
    // starts but cannot start the program (9009, cmd's "not recognized", seen for an
    // openssl.exe that the calls before and after ran). Neither ran the command, and
    // neither says anything about it, so it is tried again.
    for (int attempt = 1;; ++attempt) {
        const int code = std::system((command + " >NUL 2>&1").c_str());
        if ((code != -1 && code != 9009) || attempt == 3) return code;
        if (code == -1) std::fprintf(stderr, "(the shell did not start: %s; trying again)\n", std::strerror(errno));
        else std::fprintf(stderr, "(the shell could not start the program; trying again)\n");
    }
}
#else
inline int sh(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }
#endif

// The openssl CLI: the offline CA and the independent checker of what we write.
// (On Windows: the mingw build of openssl.exe, by a path with backslashes for cmd.exe.)
inline const std::string openssl_cli = std::filesystem::path(OCSCERT_OPENSSL_CLI).make_preferred().string();

// The live folder of a store, as services find it: <store>/live (a symbolic
// link) on POSIX; on Windows, where a folder link cannot be renamed over
// another, the folder named by the pointer file <store>/live.target.
inline std::filesystem::path live_folder(const std::filesystem::path& store) {
#ifdef _WIN32
    return store / platform::read_link(store / "live");
#else
    return store / "live";
#endif
}

// A file's bytes ("" if it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

#ifdef _WIN32
bool under_wine();
#endif

// Skips the test in the Windows build, saying why (a POSIX-only fixture).
#ifdef _WIN32
#define OCSCERT_SKIP_ON_WINDOWS(reason) GTEST_SKIP() << "not in the Windows build: " << (reason)
#else
#define OCSCERT_SKIP_ON_WINDOWS(reason) static_cast<void>(0)
#endif

// EXPECT_TRUE(platform::is_owner_only(path)), except under Wine: Wine 8 keeps no
// security descriptors, so there the check is not made and the test is marked
// skipped with the reason (it still fails if anything else fails).
#ifdef _WIN32
#define OCSCERT_EXPECT_OWNER_ONLY(path)                                                                                      \
    do {                                                                                                                     \
        if (::ocscert::testing::under_wine())                                                                                \
            [&] { GTEST_SKIP() << "Wine keeps no file security descriptors: owner-only ACL of " << (path) << " not checked"; }(); \
        else                                                                                                                 \
            EXPECT_TRUE(::ocscert::platform::is_owner_only(path)) << (path);                                                 \
    } while (0)
#else
#define OCSCERT_EXPECT_OWNER_ONLY(path) EXPECT_TRUE(::ocscert::platform::is_owner_only(path)) << (path)
#endif

// Calls operations of the C interface on `ctx` and keeps the last status and error.
struct ApiCalls {
    using Operation = int (*)(char**, ocscert_context*, const char*, ocscert_error**);

    nlohmann::json call(Operation op, const nlohmann::json& input) {
        char* out = nullptr;
        ocscert_error* error = nullptr;
        status = op(&out, ctx, input.dump().c_str(), &error);
        reason = error ? ocscert_error_reason(error) : "";
        field = error ? ocscert_error_field(error) : "";
        message = error ? ocscert_error_message(error) : "";
        nlohmann::json result = out ? nlohmann::json::parse(out) : nlohmann::json();
        ocscert_string_free(out);
        ocscert_error_free(error);
        return result;
    }

    ocscert_context* ctx = nullptr;
    int status = 0;
    std::string reason, field, message;
};

}  // namespace ocscert::testing
