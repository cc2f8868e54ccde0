// Registering the scheduled renewal job with the OS scheduler, and removing
// exactly what was registered. What was written is kept in
// <store>/renewal/registration.json: the scheduler, the job's name, every file
// written and whether the scheduler was told (systemctl, schtasks), so
// unregistering removes those files and nothing else.
#include <algorithm>
#include <optional>
#include <set>

#include "api/operations.hpp"
#include "api/stores.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "platform/scheduler.hpp"
#include "renewal/schedule.hpp"
#include "store/store_files.hpp"

namespace ocscert::api {

namespace {

namespace fs = std::filesystem;
using renewal::Scheduler;

// systemctl and schtasks answer in seconds; a minute means something hangs.
constexpr auto scheduler_command_timeout = std::chrono::seconds(60);

fs::path renewal_folder(const ocscert_context& context) { return context.store_path / "renewal"; }
fs::path record_path(const ocscert_context& context) { return renewal_folder(context) / "registration.json"; }

std::optional<Scheduler> scheduler_named(const std::string& name) {
    for (Scheduler s : {Scheduler::Systemd, Scheduler::Cron, Scheduler::TaskScheduler})
        if (text::iequals(name, renewal::scheduler_name(s))) return s;
    return std::nullopt;
}

Scheduler parse_scheduler(const json& input) {
    const std::string name = json_input::string_or(input, "scheduler", "Auto");
    if (text::iequals(name, "Auto")) return platform::native_scheduler();
    if (auto scheduler = scheduler_named(name)) return *scheduler;
    invalid("scheduler", "InvalidScheduler", text::quote(name) + " is not a scheduler: use Auto, Systemd, Cron or TaskScheduler.");
}

// A JSON object from a file of the store, or nothing when the file does not exist.
std::optional<json> read_object(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    json value = json::parse(store::read_text(path), nullptr, false);
    if (!value.is_object())
        throw Error(OCSCERT_E_IO, "StoreIoError", "", "'" + path.u8string() + "' is damaged (not a JSON object); remove it if the job it describes is gone.");
    return value;
}

// The files a registration wrote: only absolute paths named after this store's job (its unit, timer,
// cron file or task definition), whatever else the record lists, so a damaged or edited record
// cannot make Unregister remove anything else.
std::vector<std::string> record_files(const json& record, const ocscert_context& context) {
    const std::string name = renewal::job_name(context.store_path.u8string());
    std::vector<std::string> files;
    if (record.contains("files") && record["files"].is_array())
        for (const auto& f : record["files"]) {
            if (!f.is_string()) continue;
            const fs::path path = fs::u8path(f.get<std::string>());
            if (path.is_absolute() && path.filename().u8string().rfind(name, 0) == 0) files.push_back(f.get<std::string>());
        }
    return files;
}

// A record copied with its store (a backup restored elsewhere) describes the original store's job:
// unregistering it from the copy would remove that job.
void refuse_foreign_record(const json& record, const ocscert_context& context) {
    const std::string registered = record.value("storePath", "");
    if (registered != context.store_path.u8string() || record.value("name", "") != renewal::job_name(registered))
        throw Error(OCSCERT_E_INVALID_ARGUMENT, "RegisteredForAnotherStore", "storePath",
                    "The renewal registration in '" + context.store_path.u8string() + "' was made for the store '" + registered +
                        "' (a copy of that store?); its job belongs to that store and is left alone. Remove " +
                        record_path(context).u8string() + " here, and register this store's own job.");
}

std::string display(const platform::CommandLine& command) {
    std::string out;
    for (const auto& part : command) out += (out.empty() ? "" : " ") + (part.find(' ') == std::string::npos ? part : "'" + part + "'");
    return out;
}

void run_command(const platform::CommandLine& command) {
    const int code = platform::run_program(fs::u8path(command.front()), {command.begin() + 1, command.end()}, scheduler_command_timeout, "scheduler");
    if (code != 0)
        throw Error(OCSCERT_E_IO, "SchedulerCommandFailed", "scheduler", "'" + display(command) + "' failed with exit code " + std::to_string(code) + ".");
}

// Runs commands whose failure must not stop the cleanup; each failure becomes a warning.
void run_commands_noting_failures(const std::vector<platform::CommandLine>& commands, json& warnings) {
    for (const auto& command : commands) {
        try {
            run_command(command);
        } catch (const Error& e) {
            warnings.push_back(e.what());
        }
    }
}

// Writes `path` in one step: a staged file beside it (a dot name, which cron and
// systemd both ignore) renamed over it.
void write_atomically(const fs::path& path, const std::string& data, bool owner_only) {
    const fs::path staged = path.parent_path() / ("." + path.filename().u8string() + ".new");
    std::error_code ec;
    fs::remove(staged, ec);  // a leftover of a killed registration
    try {
        platform::write_new_file(staged, data, owner_only);
        platform::replace_file(staged, path);
    } catch (const Error&) {
        fs::remove(staged, ec);
        throw;
    }
}

// The same for a file the scheduler reads; failing, it names the folder and what to do.
void write_scheduler_file(const fs::path& path, const std::string& data) {
    try {
        write_atomically(path, data, false);
    } catch (const Error& e) {
        throw Error(OCSCERT_E_IO, "SchedulerFolderNotWritable", "folder",
                    "The job's files cannot be written into '" + path.parent_path().u8string() + "' (" + e.what() +
                        ") Run this as root (Administrator on Windows), or give a folder you can write to.");
    }
}

json commands_json(const std::vector<platform::CommandLine>& commands) {
    json out = json::array();
    for (const auto& c : commands) out.push_back(c);
    return out;
}

json last_run(const ocscert_context& context) {
    // Written by the renewal run (Update-OcsCertificate); unreadable means "not known", not a failure here.
    try {
        if (auto status = read_object(renewal_folder(context) / "status.json")) return *status;
    } catch (const Error&) {
    }
    return nullptr;
}

}  // namespace

json renewal_register(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"scheduler", "folder", "command", "schedule", "validateOnly"});
    const Scheduler scheduler = parse_scheduler(input);
    const bool validate_only = json_input::bool_or(input, "validateOnly", false);

    renewal::Job job;
    job.store_path = context.store_path.u8string();
    job.name = renewal::job_name(job.store_path);
    job.command = json_input::string_list(input, "command");
    job.log_path = (context.store_path / "logs" / "renewal-job.log").u8string();
    if (const auto schedule = json_input::optional_string(input, "schedule")) {
        if (scheduler != Scheduler::Cron)
            invalid("schedule", "ScheduleNotSupported",
                    "A schedule can be given for cron only (it exists for tests); systemd and the Task Scheduler run the job twice a day.");
        job.cron_schedule = *schedule;
        job.cron_random_delay_seconds = 0;  // the given times, exactly
    } else {
        // Twice a day at a time of this machine's own, so a pool's members do not renew together.
        job.cron_schedule = renewal::twice_daily_cron_schedule(platform::local_fqdn() + "\n" + job.store_path);
    }

    const auto folder_text = json_input::optional_string(input, "folder");
    const bool default_folder = !folder_text || folder_text->empty();
    fs::path folder;
    if (!default_folder) {
        folder = fs::u8path(*folder_text);
        if (!folder.is_absolute()) invalid("folder", "InvalidPath", "The folder must be an absolute path: " + text::quote(*folder_text) + ".");
    } else {
        folder = platform::default_scheduler_folder(scheduler);
        if (folder.empty()) folder = renewal_folder(context);  // the Task Scheduler keeps the task; its definition stays in the store
    }

    const auto rendered = renewal::render(scheduler, job);
    std::vector<fs::path> paths;
    for (const auto& file : rendered) paths.push_back(folder / fs::u8path(file.file_name));
    // With a folder of one's own the files are only written: the scheduler is told only about its own folder.
    const auto enable = default_folder ? platform::scheduler_enable_commands(scheduler, job.name, paths.front()) : std::vector<platform::CommandLine>{};

    json record = {{"scheduler", renewal::scheduler_name(scheduler)},
                   {"name", job.name},
                   {"storePath", job.store_path},
                   {"folder", folder.u8string()},
                   {"files", json::array()},
                   {"activated", !enable.empty()},
                   {"commands", commands_json(enable)},
                   {"command", job.command},
                   {"schedule", renewal::describe_schedule(scheduler, job)}};
    for (const auto& p : paths) record["files"].push_back(p.u8string());
    if (scheduler == Scheduler::Cron) record["logPath"] = job.log_path;
    if (scheduler == Scheduler::TaskScheduler && !enable.empty()) record["taskName"] = platform::task_path(job.name);
    json texts = json::array();
    for (std::size_t i = 0; i < rendered.size(); ++i) texts.push_back({{"path", paths[i].u8string()}, {"text", rendered[i].text}});
    if (validate_only) {
        record["validateOnly"] = true;
        record["texts"] = texts;
        return record;
    }

    std::error_code ec;
    // Checked before the store is touched, so a refused registration leaves nothing behind. (The Task
    // Scheduler's default folder is the store's own, made below.)
    if (folder != renewal_folder(context) && !fs::is_directory(folder, ec))
        throw Error(OCSCERT_E_NOT_FOUND, "SchedulerFolderNotFound", "folder",
                    "The folder '" + folder.u8string() + (fs::exists(folder, ec) ? "' is a file, not a folder." : "' does not exist") +
                        (fs::exists(folder, ec) ? std::string()
                         : default_folder       ? std::string(" (is ") + (scheduler == Scheduler::Cron ? "cron" : "systemd") + " installed?)."
                                                : std::string(".")));
    platform::create_private_directories(renewal_folder(context));
    platform::FileLock lock(renewal_folder(context) / "registration.lock", store::lock_timeout);
    auto previous = read_object(record_path(context));
    // A record copied with its store describes another store's job: replaced, that job left alone.
    if (previous && previous->value("name", "") != job.name) previous.reset();
    const auto previous_files = previous ? record_files(*previous, context) : std::vector<std::string>{};
    auto was_written_before = [&](const fs::path& p) {
        return std::find(previous_files.begin(), previous_files.end(), p.u8string()) != previous_files.end();
    };
    for (const auto& p : paths)
        if (fs::exists(p, ec) && !was_written_before(p))
            throw Error(OCSCERT_E_ALREADY_EXISTS, "SchedulerFileExists", "folder",
                        "'" + p.u8string() + "' exists and was not written by OcsCert for this store; remove it or give another folder.");
    if (scheduler == Scheduler::Cron) platform::create_private_directories(context.store_path / "logs");

    std::size_t files_done = 0;
    std::size_t commands_done = 0;
    try {
        for (; files_done < rendered.size(); ++files_done) {
            const auto& file = rendered[files_done];
            write_scheduler_file(paths[files_done], file.utf16 ? renewal::utf16le_with_bom(file.text, "command") : file.text);
        }
        for (; commands_done < enable.size(); ++commands_done) run_command(enable[commands_done]);
    } catch (...) {
        // Nothing half-registered: the files this attempt added go again.
        for (std::size_t i = 0; i < files_done; ++i)
            if (!was_written_before(paths[i])) fs::remove(paths[i], ec);
        json ignored = json::array();
        if (commands_done > 0) run_commands_noting_failures(platform::scheduler_reload_commands(scheduler), ignored);
        throw;
    }

    // What an earlier registration wrote and this one did not rewrite goes (after its timer or task is stopped).
    json warnings = json::array();
    if (previous) {
        const auto old_scheduler = scheduler_named(previous->value("scheduler", ""));
        const bool old_activated = previous->value("activated", false) && old_scheduler;
        const bool still_active = old_activated && !enable.empty() && *old_scheduler == scheduler;
        if (old_activated && !still_active)
            run_commands_noting_failures(platform::scheduler_disable_commands(*old_scheduler, job.name), warnings);
        for (const auto& old : previous_files) {
            if (std::find(paths.begin(), paths.end(), fs::u8path(old)) != paths.end()) continue;
            if (!fs::remove(fs::u8path(old), ec) && ec) warnings.push_back("Could not remove '" + old + "' of the earlier registration: " + ec.message() + ".");
        }
        if (old_activated && !still_active) run_commands_noting_failures(platform::scheduler_reload_commands(*old_scheduler), warnings);
    }

    record["registered"] = platform::utc_now();
    write_atomically(record_path(context), record.dump(2) + "\n", true);
    record["texts"] = texts;
    record["warnings"] = warnings;
    return record;
}

json renewal_unregister(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"validateOnly"});
    const bool validate_only = json_input::bool_or(input, "validateOnly", false);
    std::optional<platform::FileLock> lock;
    std::error_code ec;
    if (!validate_only && fs::is_directory(renewal_folder(context), ec))
        lock.emplace(renewal_folder(context) / "registration.lock", store::lock_timeout);
    auto record = read_object(record_path(context));
    if (!record)
        throw Error(OCSCERT_E_NOT_FOUND, "NotRegistered", "", "No renewal job is registered for the store '" + context.store_path.u8string() + "'.");
    refuse_foreign_record(*record, context);
    const auto scheduler = scheduler_named(record->value("scheduler", ""));
    const bool activated = record->value("activated", false) && scheduler;
    const auto disable = activated ? platform::scheduler_disable_commands(*scheduler, record->value("name", "")) : std::vector<platform::CommandLine>{};
    const auto reload = activated ? platform::scheduler_reload_commands(*scheduler) : std::vector<platform::CommandLine>{};
    const auto files = record_files(*record, context);

    json result = *record;
    result["removed"] = files;
    result["commands"] = commands_json(disable);
    for (const auto& c : reload) result["commands"].push_back(c);
    if (validate_only) {
        result["validateOnly"] = true;
        return result;
    }

    // A timer or task someone already removed by hand must not make the rest impossible: warn and go on.
    json warnings = json::array();
    run_commands_noting_failures(disable, warnings);
    for (const auto& file : files) {
        const fs::path path = fs::u8path(file);
        if (!fs::exists(path, ec)) {
            warnings.push_back("'" + file + "' was already gone.");
            continue;
        }
        if (!fs::remove(path, ec))
            throw Error(OCSCERT_E_IO, "SchedulerFolderNotWritable", "folder",
                        "'" + file + "' cannot be removed (" + ec.message() + "); the registration is kept, so you can try again as root (Administrator).");
    }
    run_commands_noting_failures(reload, warnings);
    fs::remove(record_path(context), ec);
    if (ec) throw Error(OCSCERT_E_IO, "StoreIoError", "", "Cannot remove '" + record_path(context).u8string() + "': " + ec.message() + ".");
    result["warnings"] = warnings;
    return result;
}

json renewal_registration(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {});
    // The resolved store path is always there: the caller builds the job's command line with it.
    json out = {{"storePath", context.store_path.u8string()}};
    const auto record = read_object(record_path(context));
    if (!record) {
        out["warnings"] = missing_store_warnings(context.store_path, "renewal job");
        return out;
    }
    // The one value of the record read as more than text: damaged, it is said as the rest of a damaged record is.
    const auto registered_time = [](const json& value) {
        if (!value.is_string()) return false;
        std::string text = value.get<std::string>();
        const auto dot = text.find('.');  // utc_now() writes milliseconds
        if (dot != std::string::npos && !text.empty() && text.back() == 'Z') text.erase(dot, text.size() - 1 - dot);
        std::time_t parsed = 0;
        return platform::parse_utc(text, parsed);
    };
    if (record->contains("registered") && !registered_time((*record)["registered"]))
        throw Error(OCSCERT_E_IO, "StoreIoError", "",
                    "'" + record_path(context).u8string() + "' is damaged (its registration time is not a UTC time); register the job again, or remove the file if the job is gone.");
    out = *record;
    out["storePath"] = context.store_path.u8string();
    out["missingFiles"] = json::array();
    std::error_code ec;
    for (const auto& file : record_files(*record, context))
        if (!fs::exists(fs::u8path(file), ec)) out["missingFiles"].push_back(file);
    out["lastRun"] = last_run(context);
    return out;
}

}  // namespace ocscert::api
