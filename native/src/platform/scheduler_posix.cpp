// Scheduling on Linux and other POSIX systems: systemd where it runs, cron otherwise.
#include <cstdlib>
#include <string_view>
#include <system_error>

#include "core/error.hpp"
#include "platform/scheduler.hpp"

namespace ocscert::platform {

namespace {

// systemctl's full path (the job runner starts programs without a PATH search).
std::string systemctl() {
    if (const char* path = std::getenv("PATH"); path && *path) {
        std::string_view rest = path;
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const fs::path candidate = fs::path(std::string(rest.substr(0, colon))) / "systemctl";
            std::error_code ec;
            if (candidate.is_absolute() && fs::is_regular_file(candidate, ec)) return candidate.string();
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    return "/usr/bin/systemctl";
}

}  // namespace

renewal::Scheduler native_scheduler() {
    std::error_code ec;
    return fs::is_directory("/run/systemd/system", ec) ? renewal::Scheduler::Systemd : renewal::Scheduler::Cron;
}

fs::path default_scheduler_folder(renewal::Scheduler scheduler) {
    switch (scheduler) {
        case renewal::Scheduler::Systemd: return "/etc/systemd/system";
        case renewal::Scheduler::Cron: return "/etc/cron.d";
        case renewal::Scheduler::TaskScheduler: break;
    }
    throw Error(OCSCERT_E_UNSUPPORTED, "SchedulerNotAvailable", "scheduler",
                "The Task Scheduler exists on Windows only; give a folder to write the task definition there without registering it.");
}

std::vector<CommandLine> scheduler_enable_commands(renewal::Scheduler scheduler, const std::string& name, const fs::path&) {
    if (scheduler != renewal::Scheduler::Systemd) return {};
    return {{systemctl(), "daemon-reload"}, {systemctl(), "enable", "--now", name + ".timer"}};
}

std::vector<CommandLine> scheduler_disable_commands(renewal::Scheduler scheduler, const std::string& name) {
    if (scheduler != renewal::Scheduler::Systemd) return {};
    return {{systemctl(), "disable", "--now", name + ".timer"}};
}

std::vector<CommandLine> scheduler_reload_commands(renewal::Scheduler scheduler) {
    if (scheduler != renewal::Scheduler::Systemd) return {};
    return {{systemctl(), "daemon-reload"}};
}

}  // namespace ocscert::platform
