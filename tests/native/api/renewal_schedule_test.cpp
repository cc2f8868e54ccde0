// Registering the renewal job through the C interface, into folders of the
// test's own (so no scheduler is told): what is written, what is recorded, and
// that unregistering removes exactly that.
#include "ocscert/ocscert.h"

#include "platform/windows_api.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../test_support.hpp"

namespace {

using nlohmann::json;
using ocscert::testing::TempDir;
namespace fs = std::filesystem;

class RenewalSchedule : public ::testing::Test, public ocscert::testing::ApiCalls {
public:
    void SetUp() override {
        ASSERT_EQ(ocscert_context_new(&ctx, json{{"storePath", store.string()}}.dump().c_str(), nullptr), OCSCERT_OK);
        fs::create_directories(folder);
    }
    void TearDown() override { ocscert_context_free(ctx); }

    json cron(json extra = json::object()) {
        json input = {{"scheduler", "Cron"}, {"folder", folder.string()}, {"command", {"/bin/echo", "renew"}}};
        input.update(extra);
        return input;
    }
    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    std::vector<std::string> folder_entries() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(folder)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    TempDir dir;
    fs::path store = dir.path() / "store";
    fs::path folder = dir.path() / "cron.d";
};

TEST_F(RenewalSchedule, RegisterWritesTheFileAndRecordsItUnregisterRemovesExactlyThat) {
    std::ofstream(folder / "someone-elses-job") << "0 0 * * * root true\n";
    const json registered = call(ocscert_renewal_register, cron());
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const std::string name = registered["name"];
    EXPECT_EQ(registered["scheduler"], "Cron");
    EXPECT_EQ(registered["activated"], false) << "a folder of one's own tells no scheduler";
    EXPECT_EQ(registered["files"], json::array({(folder / name).string()}));
    EXPECT_EQ(registered["logPath"], (store / "logs" / "renewal-job.log").string());
    EXPECT_TRUE(fs::is_directory(store / "logs")) << "the job's log folder exists before cron first runs it";
    EXPECT_EQ(read(folder / name), registered["texts"][0]["text"].get<std::string>());
    EXPECT_EQ(folder_entries(), (std::vector<std::string>{name, "someone-elses-job"})) << "no staged file is left";

    const json record = json::parse(read(store / "renewal" / "registration.json"));
    EXPECT_EQ(record["files"], registered["files"]);
    EXPECT_EQ(record["command"], json::array({"/bin/echo", "renew"}));
    EXPECT_FALSE(record.contains("texts"));

    json shown = call(ocscert_renewal_registration, json::object());
    EXPECT_EQ(shown["name"], name);
    EXPECT_EQ(shown["missingFiles"], json::array());
    EXPECT_TRUE(shown["lastRun"].is_null());
    std::ofstream(store / "renewal" / "status.json") << R"({"started":"2026-11-25T00:00:00.000Z","finished":"2026-11-25T00:00:09.000Z","result":"NothingDue","renewed":0,"failed":0})";
    shown = call(ocscert_renewal_registration, json::object());
    EXPECT_EQ(shown["lastRun"]["result"], "NothingDue");

    const json removed = call(ocscert_renewal_unregister, json::object());
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(removed["removed"], registered["files"]);
    EXPECT_EQ(folder_entries(), std::vector<std::string>{"someone-elses-job"});
    EXPECT_FALSE(fs::exists(store / "renewal" / "registration.json"));
    EXPECT_EQ(call(ocscert_renewal_registration, json::object()), json({{"storePath", store.string()}, {"warnings", json::array()}}));
    call(ocscert_renewal_unregister, json::object());
    EXPECT_EQ(status, OCSCERT_E_NOT_FOUND);
    EXPECT_EQ(reason, "NotRegistered");
}

TEST_F(RenewalSchedule, ValidateOnlyReturnsTheTextsAndWritesNothing) {
    const json plan = call(ocscert_renewal_register, cron({{"validateOnly", true}, {"scheduler", "Systemd"}}));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    ASSERT_EQ(plan["texts"].size(), 2u);
    EXPECT_NE(plan["texts"][1]["text"].get<std::string>().find("OnCalendar=*-*-* 00,12:00:00"), std::string::npos);
    EXPECT_TRUE(folder_entries().empty());
    EXPECT_FALSE(fs::exists(store));
}

TEST_F(RenewalSchedule, RegisteringAgainElsewhereRemovesTheEarlierFiles) {
    const json first = call(ocscert_renewal_register, cron({{"scheduler", "Systemd"}}));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(folder_entries().size(), 2u);
    const fs::path other = dir.path() / "other";
    fs::create_directories(other);
    const json second = call(ocscert_renewal_register, cron({{"folder", other.string()}}));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_TRUE(folder_entries().empty()) << "the systemd units of the first registration are gone";
    EXPECT_TRUE(fs::exists(other / second["name"].get<std::string>()));
    // The same folder again: the file is rewritten, not refused as someone else's.
    call(ocscert_renewal_register, cron({{"folder", other.string()}, {"schedule", "* * * * *"}}));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_NE(read(other / second["name"].get<std::string>()).find("\n* * * * * root { "), std::string::npos);
}

TEST_F(RenewalSchedule, RefusesToOverwriteAFileItDidNotWrite) {
    const json plan = call(ocscert_renewal_register, cron({{"validateOnly", true}}));
    std::ofstream(folder / plan["name"].get<std::string>(), std::ios::binary) << "# mine\n";
    call(ocscert_renewal_register, cron());
    EXPECT_EQ(status, OCSCERT_E_ALREADY_EXISTS);
    EXPECT_EQ(reason, "SchedulerFileExists");
    EXPECT_EQ(read(folder / plan["name"].get<std::string>()), "# mine\n");
}

TEST_F(RenewalSchedule, BadInputIsNamed) {
    call(ocscert_renewal_register, cron({{"folder", (dir.path() / "missing").string()}}));
    EXPECT_EQ(reason, "SchedulerFolderNotFound");
    EXPECT_EQ(field, "folder");
    EXPECT_NE(message.find((dir.path() / "missing").string()), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(store)) << "a refused registration leaves nothing in the store";
    // A damaged registration time is said as a damaged record, not left for the module to fail on.
    fs::create_directories(store / "renewal");
    std::ofstream(store / "renewal" / "registration.json") << R"({"name": "x", "registered": "yesterday"})";
    call(ocscert_renewal_registration, json::object());
    EXPECT_EQ(reason, "StoreIoError");
    EXPECT_NE(message.find("registration time is not a UTC time"), std::string::npos) << message;
    fs::remove_all(store);
    std::ofstream(dir.path() / "a-file") << "x";
    call(ocscert_renewal_register, cron({{"folder", (dir.path() / "a-file").string()}}));
    EXPECT_EQ(reason, "SchedulerFolderNotFound");
    EXPECT_NE(message.find("is a file, not a folder"), std::string::npos) << message;
    call(ocscert_renewal_register, cron({{"folder", "relative/cron.d"}}));
    EXPECT_EQ(reason, "InvalidPath");
    call(ocscert_renewal_register, cron({{"scheduler", "At"}}));
    EXPECT_EQ(reason, "InvalidScheduler");
    call(ocscert_renewal_register, cron({{"scheduler", "Systemd"}, {"schedule", "* * * * *"}}));
    EXPECT_EQ(reason, "ScheduleNotSupported");
    call(ocscert_renewal_register, cron({{"schedule", "every minute"}}));
    EXPECT_EQ(reason, "InvalidSchedule");
    call(ocscert_renewal_register, cron({{"command", json::array()}}));
    EXPECT_EQ(field, "command");
#ifdef _WIN32
    call(ocscert_renewal_register, {{"scheduler", "Cron"}, {"command", {"/bin/echo"}}});
    EXPECT_EQ(status, OCSCERT_E_UNSUPPORTED) << "cron does not run on Windows: its file needs a folder given";
#else
    call(ocscert_renewal_register, {{"scheduler", "TaskScheduler"}, {"command", {"C:\\pwsh.exe"}}});
    EXPECT_EQ(status, OCSCERT_E_UNSUPPORTED) << "the Task Scheduler needs Windows unless a folder is given";
#endif
    EXPECT_EQ(reason, "SchedulerNotAvailable");
    EXPECT_TRUE(folder_entries().empty());
}

TEST_F(RenewalSchedule, TheTaskDefinitionIsWrittenAsUtf16) {
    const json registered = call(ocscert_renewal_register, cron({{"scheduler", "TaskScheduler"}, {"command", {"C:\\pwsh.exe", "-NoProfile"}}}));
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const std::string bytes = read(registered["files"][0].get<std::string>());
    EXPECT_EQ(bytes.substr(0, 6), std::string("\xFF\xFE<\0?\0", 6));
    EXPECT_FALSE(registered.contains("taskName")) << "not registered with a Task Scheduler";
}

#ifdef _WIN32
// Whether this process runs elevated (registering a SYSTEM task needs it).
bool elevated() {
    HANDLE token = nullptr;
    if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
    TOKEN_ELEVATION elevation{};
    DWORD size = 0;
    const bool ok = ::GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size) && elevation.TokenIsElevated != 0;
    ::CloseHandle(token);
    return ok;
}

// Where the Task Scheduler keeps a registered task's definition: %SystemRoot%\System32\Tasks\OcsCert\<name>.
fs::path task_file(const std::string& name) {
    wchar_t system[MAX_PATH] = {};
    const UINT size = ::GetSystemDirectoryW(system, MAX_PATH);
    return fs::path(std::wstring(system, size)) / L"Tasks" / L"OcsCert" / fs::u8path(name);
}

// With no folder given, the Task Scheduler itself takes the task (schtasks /Create
// /XML) and unregistering deletes it (schtasks /Delete). Under Wine this is Wine's
// Task Scheduler, which reads the definition too; when the task would run is not tested.
TEST_F(RenewalSchedule, TheTaskSchedulerTakesTheTaskAndUnregisteringDeletesIt) {
    const json registered = call(ocscert_renewal_register, {{"scheduler", "TaskScheduler"}, {"command", {"C:\\Windows\\System32\\cmd.exe", "/c", "exit 0"}}});
    if (status != OCSCERT_OK && !elevated()) GTEST_SKIP() << "registering a task that runs as SYSTEM needs an elevated process: " << message;
    ASSERT_EQ(status, OCSCERT_OK) << message;
    const std::string name = registered["name"];
    EXPECT_EQ(registered["activated"], true);
    EXPECT_EQ(registered["taskName"], "\\OcsCert\\" + name);
    EXPECT_TRUE(fs::exists(task_file(name))) << task_file(name);
    ASSERT_EQ(registered["files"].size(), 1u);
    EXPECT_TRUE(fs::exists(fs::u8path(registered["files"][0].get<std::string>()))) << "the definition stays in the store";

    const json removed = call(ocscert_renewal_unregister, json::object());
    ASSERT_EQ(status, OCSCERT_OK) << message;
    EXPECT_EQ(removed["removed"], registered["files"]);
    EXPECT_FALSE(fs::exists(task_file(name))) << "the task is deleted";
}
#endif

}  // namespace
