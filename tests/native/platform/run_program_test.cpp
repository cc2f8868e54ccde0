// Running an admin's hook program: arguments arrive as given (no shell reads
// them), exit codes come back, and a hook that hangs is stopped.
#include <gtest/gtest.h>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "platform/platform.hpp"

namespace ocscert::platform {
namespace {

// The hooks: /bin/sh and /bin/sleep on POSIX; on Windows this test program
// itself, running one of these operations as a child (see child_process.hpp).
const testing::ChildOp exit_7_if_verbatim("run-program.exit-7-if-verbatim",
                                          [](const std::vector<std::string>& args) { return args == std::vector<std::string>{"a b;c'\""} ? 7 : 1; });
const testing::ChildOp sleep_op("run-program.sleep", [](const std::vector<std::string>& args) {
    std::this_thread::sleep_for(std::chrono::seconds(std::stoi(args.at(0))));
    return 0;
});

#ifdef _WIN32
int run_hook(const std::string& operation, const std::vector<std::string>& args, std::chrono::seconds timeout) {
    const testing::UnshardedChildren unsharded;
    auto argv = testing::child_command(operation, args);
    return run_program(argv.front(), std::vector<std::string>(argv.begin() + 1, argv.end()), timeout, "dnsHook");
}
#endif

TEST(RunProgram, PassesArgumentsVerbatimAndReturnsTheExitCode) {
#ifdef _WIN32
    // The child compares its argument itself: quotes, spaces and ; would be mangled by a shell in between.
    EXPECT_EQ(run_hook("run-program.exit-7-if-verbatim", {"a b;c'\""}, std::chrono::seconds(10)), 7);
    EXPECT_EQ(run_hook("run-program.sleep", {"0"}, std::chrono::seconds(10)), 0);
#else
    // $1 is compared by the child itself: quotes, spaces and ; would be mangled by a shell in between.
    EXPECT_EQ(run_program("/bin/sh", {"-c", "[ \"$1\" = \"a b;c'\\\"\" ] && exit 7", "hook", "a b;c'\""}, std::chrono::seconds(10), "dnsHook"), 7);
    EXPECT_EQ(run_program("/bin/sh", {"-c", "exit 0"}, std::chrono::seconds(10), "dnsHook"), 0);
#endif
}

TEST(RunProgram, AProgramThatCannotStartNamesTheField) {
    const auto e = testing::catch_error([] { run_program("/no/such/hook", {}, std::chrono::seconds(10), "dnsHook"); });
    EXPECT_EQ(e.reason(), "ProgramNotStarted");
    EXPECT_EQ(e.field(), "dnsHook");
}

TEST(RunProgram, AHookThatHangsIsStopped) {
    const auto started = std::chrono::steady_clock::now();
#ifdef _WIN32
    const auto e = testing::catch_error([] { run_hook("run-program.sleep", {"30"}, std::chrono::seconds(1)); });
#else
    const auto e = testing::catch_error([] { run_program("/bin/sleep", {"30"}, std::chrono::seconds(1), "dnsHook"); });
#endif
    EXPECT_EQ(e.reason(), "ProgramTimeout");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace ocscert::platform
