#pragma once
// The OS side of scheduling the renewal job: which scheduler this machine
// runs, where its files go, and the programs that make written files take
// effect (systemctl, schtasks.exe). scheduler_posix.cpp and
// scheduler_windows.cpp implement it; what the files say is in
// renewal/schedule.hpp, the same on every OS.
#include <filesystem>
#include <string>
#include <vector>

#include "renewal/schedule.hpp"

namespace ocscert::platform {

namespace fs = std::filesystem;

using CommandLine = std::vector<std::string>;  // full program path, then its arguments

// Windows: the Task Scheduler. Elsewhere: systemd when it runs the machine
// (/run/systemd/system exists, as sd_booted() checks), else cron.
renewal::Scheduler native_scheduler();

// Where a scheduler reads job files (/etc/systemd/system, /etc/cron.d); empty
// for the Task Scheduler, which keeps tasks itself (the definition file then
// stays in the store). Throws OCSCERT_E_UNSUPPORTED for a scheduler this OS lacks.
fs::path default_scheduler_folder(renewal::Scheduler scheduler);

// The programs to run, in order, after the files are written to the default
// folder: systemctl daemon-reload and enable --now <name>.timer; schtasks
// /Create /XML <task_file> /TN \OcsCert\<name> /F; nothing for cron.
std::vector<CommandLine> scheduler_enable_commands(renewal::Scheduler scheduler, const std::string& name, const fs::path& task_file);
// The programs to run before the files are removed (disable --now; schtasks /Delete).
std::vector<CommandLine> scheduler_disable_commands(renewal::Scheduler scheduler, const std::string& name);
// The programs to run after they are removed (daemon-reload).
std::vector<CommandLine> scheduler_reload_commands(renewal::Scheduler scheduler);

// The Task Scheduler's name for the job's task: \OcsCert\<name>.
inline std::string task_path(const std::string& name) { return "\\OcsCert\\" + name; }

}  // namespace ocscert::platform
