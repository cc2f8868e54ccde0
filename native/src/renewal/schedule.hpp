#pragma once
// The scheduled renewal job as each OS scheduler wants it written: a systemd
// service and timer, a cron.d file, or a Task Scheduler task definition.
// Pure text: nothing here touches the machine (platform/scheduler.hpp does),
// so every renderer is tested on every OS.
//
// The job is one command line (program and arguments, no shell). Each format
// has its own quoting, and each is done here once:
//  - systemd (systemd.service "Command lines"): every argument in double
//    quotes with C escapes, '%' as "%%" (specifiers) and '$' as "$$"
//    (environment substitution);
//  - cron.d: /bin/sh single quotes, every '%' outside them and written "\%"
//    (cron turns a bare '%' into a newline); no newline can be expressed;
//  - Task Scheduler: CommandLineToArgvW quoting, then XML escaping; the Task
//    Scheduler expands %NAME% in a command line and has no escape for it.
// A value one format cannot carry safely is refused (Error naming `field`),
// never written approximately.
#include <string>
#include <string_view>
#include <vector>

namespace ocscert::renewal {

enum class Scheduler { Systemd, Cron, TaskScheduler };

// "Systemd", "Cron", "TaskScheduler".
const char* scheduler_name(Scheduler scheduler);

struct Job {
    std::string name;                  // e.g. ocscert-renew-1a2b3c4d; names the files, units and task
    std::string store_path;            // UTF-8, shown in comments and descriptions
    std::vector<std::string> command;  // absolute program path, then its arguments (UTF-8)
    // cron only:
    std::string log_path;              // where the job's output is appended
    std::string cron_schedule;         // the five time fields, e.g. "17 3,15 * * *"
    int cron_random_delay_seconds = 3600;  // random sleep before the job; 0: none
};

// The job's stable name for a store: ocscert-renew-<first 8 hex of SHA-256(store path)>.
std::string job_name(std::string_view store_path);

// A twice-daily cron schedule ("M H,H+12 * * *") at a minute and hour taken from
// `seed` (a hash of the machine and store), so pool members do not all start together.
std::string twice_daily_cron_schedule(std::string_view seed);

// Refuses a cron schedule that is not five fields of digits, names, '*', ',', '-', '/'.
void check_cron_schedule(const std::string& schedule, const std::string& field);

// One file the scheduler reads.
struct RenderedFile {
    std::string file_name;  // in the scheduler's folder
    std::string text;       // UTF-8
    bool utf16 = false;     // written as UTF-16LE with a byte order mark (the task XML, as schtasks expects)
};

// systemd: <name>.service (Type=oneshot) and <name>.timer (twice a day,
// RandomizedDelaySec=43200, Persistent=true, WantedBy=timers.target).
std::vector<RenderedFile> render_systemd(const Job& job);
// cron.d: one file <name> (no dot: cron ignores names with one).
std::vector<RenderedFile> render_cron(const Job& job);
// Task Scheduler: <name>.xml, declared and written as UTF-16, running as SYSTEM.
std::vector<RenderedFile> render_task(const Job& job);
std::vector<RenderedFile> render(Scheduler scheduler, const Job& job);

// What the job's schedule is, in words, for the admin.
std::string describe_schedule(Scheduler scheduler, const Job& job);

// The quoting of one argument, exposed for the tests.
std::string systemd_quote(std::string_view argument, const std::string& field);
std::string cron_quote(std::string_view argument, const std::string& field);     // sh quoting, '%' already as \%
std::string xml_escape(std::string_view text, const std::string& field);

// UTF-8 to UTF-16LE with a byte order mark.
std::string utf16le_with_bom(std::string_view utf8, const std::string& field);

}  // namespace ocscert::renewal
