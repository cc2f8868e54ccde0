// Scheduling on Windows: the Task Scheduler, driven with schtasks.exe from the system folder.
// (The Windows cross build runs it under Wine, against Wine's schtasks; Windows' own Task Scheduler is not run here.)
#include "platform/windows_api.hpp"

#include "core/error.hpp"
#include "platform/scheduler.hpp"

namespace ocscert::platform {

namespace {

std::string schtasks() {
    wchar_t folder[MAX_PATH] = {};
    const UINT size = ::GetSystemDirectoryW(folder, MAX_PATH);
    const fs::path system = size > 0 && size < MAX_PATH ? fs::path(folder) : fs::path(L"C:\\Windows\\System32");
    return (system / L"schtasks.exe").u8string();
}

}  // namespace

renewal::Scheduler native_scheduler() { return renewal::Scheduler::TaskScheduler; }

fs::path default_scheduler_folder(renewal::Scheduler scheduler) {
    if (scheduler == renewal::Scheduler::TaskScheduler) return {};
    throw Error(OCSCERT_E_UNSUPPORTED, "SchedulerNotAvailable", "scheduler",
                std::string(renewal::scheduler_name(scheduler)) +
                    " does not run on Windows; give a folder to write its files there without registering them.");
}

std::vector<CommandLine> scheduler_enable_commands(renewal::Scheduler scheduler, const std::string& name, const fs::path& task_file) {
    if (scheduler != renewal::Scheduler::TaskScheduler) return {};
    return {{schtasks(), "/Create", "/XML", task_file.u8string(), "/TN", task_path(name), "/F"}};
}

std::vector<CommandLine> scheduler_disable_commands(renewal::Scheduler scheduler, const std::string& name) {
    if (scheduler != renewal::Scheduler::TaskScheduler) return {};
    return {{schtasks(), "/Delete", "/TN", task_path(name), "/F"}};
}

std::vector<CommandLine> scheduler_reload_commands(renewal::Scheduler) { return {}; }

}  // namespace ocscert::platform
