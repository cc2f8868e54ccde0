// Running an admin's hook program: arguments arrive as given (no shell reads
// them), exit codes come back, and a hook that hangs is stopped.
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "platform/platform.hpp"

namespace ocscert::platform {
namespace {

TEST(RunProgram, PassesArgumentsVerbatimAndReturnsTheExitCode) {
    // $1 is compared by the child itself: quotes, spaces and ; would be mangled by a shell in between.
    EXPECT_EQ(run_program("/bin/sh", {"-c", "[ \"$1\" = \"a b;c'\\\"\" ] && exit 7", "hook", "a b;c'\""}, std::chrono::seconds(10), "dnsHook"), 7);
    EXPECT_EQ(run_program("/bin/sh", {"-c", "exit 0"}, std::chrono::seconds(10), "dnsHook"), 0);
}

TEST(RunProgram, AProgramThatCannotStartNamesTheField) {
    const auto e = testing::catch_error([] { run_program("/no/such/hook", {}, std::chrono::seconds(10), "dnsHook"); });
    EXPECT_EQ(e.reason(), "ProgramNotStarted");
    EXPECT_EQ(e.field(), "dnsHook");
}

TEST(RunProgram, AHookThatHangsIsStopped) {
    const auto started = std::chrono::steady_clock::now();
    const auto e = testing::catch_error([] { run_program("/bin/sleep", {"30"}, std::chrono::seconds(1), "dnsHook"); });
    EXPECT_EQ(e.reason(), "ProgramTimeout");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace ocscert::platform
