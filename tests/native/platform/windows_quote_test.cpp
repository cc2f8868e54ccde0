// Windows command-line quoting: one function for run_program, the scheduled
// task's command line and the tests' child processes, so all three agree on
// how an argument reaches the program (CommandLineToArgvW's rules). Pure, so
// it is checked on every platform; the Windows build also reads the quoted
// arguments back with CommandLineToArgvW itself.
#include "platform/windows_api.hpp"
#ifdef _WIN32
#include <shellapi.h>
#endif

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "platform/platform.hpp"

namespace ocscert::platform {
namespace {

TEST(WindowsQuote, FollowsCommandLineToArgvW) {
    EXPECT_EQ(windows_quote("plain"), "plain");
    EXPECT_EQ(windows_quote("with space"), "\"with space\"");
    EXPECT_EQ(windows_quote(""), "\"\"");
    EXPECT_EQ(windows_quote("double\"quote"), "\"double\\\"quote\"");
    EXPECT_EQ(windows_quote("back\\slash"), "back\\slash");
    EXPECT_EQ(windows_quote("C:\\Program Files\\"), "\"C:\\Program Files\\\\\"");
    EXPECT_EQ(windows_quote("\\\"x"), "\"\\\\\\\"x\"");
}

TEST(WindowsQuote, LeavesNonAsciiTextAsItIs) {
    // Only space, tab, quote and backslash matter to the rules; UTF-8 passes through and is widened after.
    EXPECT_EQ(windows_quote("Zertifikatsspeicher_\xc3\xa4"), "Zertifikatsspeicher_\xc3\xa4");
    EXPECT_EQ(windows_quote("C:\\Daten \xc3\xa4\\"), "\"C:\\Daten \xc3\xa4\\\\\"");
}

#ifdef _WIN32
TEST(WindowsQuote, CommandLineToArgvWReadsEveryArgumentBack) {
    const std::vector<std::string> arguments = {"plain", "", "with space", "tab\there", "a\"b", "\\\"", "trailing\\", "C:\\Program Files\\",
                                                "\\\\server\\share\\x y", "\xc3\xa4 \xe2\x82\xac", "%TEMP%", "a b;c'\""};
    // The program's name follows other rules, so a plain one stands in front.
    std::wstring line = L"program.exe";
    for (const auto& a : arguments) line += L" " + std::filesystem::u8path(windows_quote(a)).wstring();
    int count = 0;
    LPWSTR* argv = ::CommandLineToArgvW(line.c_str(), &count);
    ASSERT_NE(argv, nullptr);
    std::vector<std::string> read;
    for (int i = 1; i < count; ++i) read.push_back(std::filesystem::path(argv[i]).u8string());
    ::LocalFree(argv);
    EXPECT_EQ(read, arguments);
}
#endif

}  // namespace
}  // namespace ocscert::platform
