// The child-process helpers the crash and concurrency tests rely on, and on
// Windows the entry by which this test program runs a test operation as a
// child (POSIX forks instead).
#include "child_process.hpp"

#include <nlohmann/json.hpp>

#include "ocscert/ocscert.h"
#include "platform/platform.hpp"
#include "test_support.hpp"

namespace ocscert::testing {

#ifdef _WIN32
bool under_wine() {
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}
#endif

namespace {

using nlohmann::json;

// Calls a function of the C interface on the store at args[0], once per input
// in the JSON array args[2]; 0 when every call succeeded, 1 at the first failure.
const ChildOp api_operation("c_api", [](const std::vector<std::string>& args) {
    static const std::map<std::string, ApiCalls::Operation> functions{
        {"ocscert_binding_set", ocscert_binding_set},
        {"ocscert_certificate_remove", ocscert_certificate_remove},
        {"ocscert_request_complete", ocscert_request_complete},
        {"ocscert_request_new", ocscert_request_new},
        {"ocscert_request_remove", ocscert_request_remove},
    };
    ApiCalls api;
    if (ocscert_context_new(&api.ctx, json{{"storePath", args.at(0)}}.dump().c_str(), nullptr) != OCSCERT_OK) return 2;
    int code = 0;
    for (const auto& input : json::parse(args.at(2))) {
        api.call(functions.at(args.at(1)), input);
        if (api.status != OCSCERT_OK) {
            std::fprintf(stderr, "%s: %s (%s)\n", args.at(1).c_str(), api.message.c_str(), api.reason.c_str());
            code = 1;
            break;
        }
    }
    ocscert_context_free(api.ctx);
    return code;
});

const ChildOp exit_with("exit-with", [](const std::vector<std::string>& args) { return std::stoi(args.at(0)); });

const ChildOp crash_at("crash-at", [](const std::vector<std::string>& args) {
    platform::crash_point(args.at(0).c_str());
    return 0;
});

TEST(ChildProcess, AnOperationsExitCodeComesBack) {
    EXPECT_EQ(run_child("exit-with", {"0"}), 0);
    EXPECT_EQ(run_child("exit-with", {"7"}), 7);
}

TEST(ChildProcess, ACrashPointEndsTheChildWith86) {
    EXPECT_EQ(run_until_crash("here", "crash-at", {"here"}), 86);
    EXPECT_EQ(run_until_crash("elsewhere", "crash-at", {"here"}), 0);
}

#ifdef _WIN32
// Where a child started by ChildRun begins: the operation named by --ocscert-child=, with the arguments after it.
TEST(ChildProcess, DISABLED_Entry) {
    const std::vector<std::string> argv = ::testing::internal::GetArgvs();
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i].rfind("--ocscert-child=", 0) != 0) continue;
        const std::vector<std::string> args(argv.begin() + static_cast<std::ptrdiff_t>(i) + 1, argv.end());
        std::fflush(stdout);
        std::_Exit(run_child_operation(argv[i].substr(16), args));
    }
    GTEST_SKIP() << "started without --ocscert-child=<operation>";
}
#endif

}  // namespace
}  // namespace ocscert::testing
