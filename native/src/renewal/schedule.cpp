#include "renewal/schedule.hpp"

#include <algorithm>
#include <vector>

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/text.hpp"
#include "crypto/openssl_ptr.hpp"
#include "platform/platform.hpp"

namespace ocscert::renewal {

namespace {

std::string sha256_hex(std::string_view text) {
    return crypto::hex_digest(EVP_sha256(), reinterpret_cast<const unsigned char*>(text.data()), text.size(), false);
}

// Every value that goes into a scheduler file: valid UTF-8 without control
// characters (a newline would end a cron line or a unit setting early).
void check_printable(std::string_view value, const std::string& field, const std::string& what) {
    std::u32string code_points;
    if (!text::decode_utf8(value, code_points)) invalid(field, "InvalidText", what + " is not valid UTF-8.");
    for (char32_t c : code_points)
        if ((c < 0x20 && c != U'\t') || c == 0x7f)
            invalid(field, "UnschedulableCharacter", what + " " + text::quote(value) + " holds a control character, which a scheduler file cannot carry.");
}

void check_command(const Job& job) {
    if (job.command.empty() || job.command.front().empty()) invalid("command", "RequiredField", "The job's command line is empty.");
    for (std::size_t i = 0; i < job.command.size(); ++i)
        check_printable(job.command[i], "command", i == 0 ? "The job's program" : "Argument " + std::to_string(i) + " of the job");
    check_printable(job.store_path, "storePath", "The store path");
}

const char* const header_by = "Written by OcsCert (Register-OcsCertificateRenewal)";

}  // namespace

const char* scheduler_name(Scheduler scheduler) {
    static const char* const names[] = {"Systemd", "Cron", "TaskScheduler"};  // in the enum's order
    return names[static_cast<int>(scheduler)];
}

std::string job_name(std::string_view store_path) { return "ocscert-renew-" + sha256_hex(store_path).substr(0, 8); }

std::string twice_daily_cron_schedule(std::string_view seed) {
    const std::string hash = sha256_hex(seed);
    const int minute = std::stoi(hash.substr(0, 4), nullptr, 16) % 60;
    const int hour = std::stoi(hash.substr(4, 4), nullptr, 16) % 12;
    return std::to_string(minute) + " " + std::to_string(hour) + "," + std::to_string(hour + 12) + " * * *";
}

namespace {

// One cron field's items (a,b,...), each *, n, n-m, or either with /step: true if every number is in
// [low, high] (names as cron takes them, in the month and weekday fields), ranges ascend and steps are
// at least 1. cron refuses a line that is not so, and the job would then never run.
bool cron_field_valid(const std::string& text, int low, int high, const std::vector<std::string>& names) {
    auto value = [&](const std::string& token, int& out) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (text::iequals(token, names[i])) return out = low + static_cast<int>(i), true;
        if (token.empty() || token.size() > 2 || token.find_first_not_of("0123456789") != std::string::npos) return false;
        out = std::stoi(token);
        return out >= low && out <= high;
    };
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string item = text.substr(start, comma - start);
        const auto slash = item.find('/');
        if (slash != std::string::npos) {
            const std::string step = item.substr(slash + 1);
            if (step.empty() || step.size() > 2 || step.find_first_not_of("0123456789") != std::string::npos || std::stoi(step) < 1) return false;
            item = item.substr(0, slash);
        }
        if (item != "*") {
            const auto dash = item.find('-');
            int from = 0, to = 0;
            if (dash == std::string::npos) {
                if (!value(item, from)) return false;
            } else if (!value(item.substr(0, dash), from) || !value(item.substr(dash + 1), to) || from > to) {
                return false;
            }
        }
        start = comma + 1;
    }
    return true;
}

}  // namespace

void check_cron_schedule(const std::string& schedule, const std::string& field) {
    std::vector<std::string> fields;
    std::string current;
    for (char c : schedule) {
        if (c == ' ' || c == '\t') {
            if (!current.empty()) fields.push_back(current);
            current.clear();
            continue;
        }
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '*' && c != ',' && c != '-' && c != '/')
            invalid(field, "InvalidSchedule", text::quote(schedule) + " is not a cron schedule: use five fields of digits, names, '*', ',', '-' and '/', e.g. '* * * * *'.");
        current += c;
    }
    if (!current.empty()) fields.push_back(current);
    if (fields.size() != 5)
        invalid(field, "InvalidSchedule", text::quote(schedule) + " is not a cron schedule: it needs exactly five fields (minute hour day month weekday).");
    static const std::vector<std::string> months = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    static const std::vector<std::string> weekdays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    struct Range {
        const char* name;
        int low, high;
        const std::vector<std::string>* names;
    };
    static const std::vector<std::string> none;
    const Range ranges[] = {{"minute", 0, 59, &none}, {"hour", 0, 23, &none}, {"day of the month", 1, 31, &none}, {"month", 1, 12, &months},
                            {"weekday", 0, 7, &weekdays}};
    for (std::size_t i = 0; i < 5; ++i)
        if (!cron_field_valid(fields[i], ranges[i].low, ranges[i].high, *ranges[i].names))
            invalid(field, "InvalidSchedule",
                    text::quote(schedule) + ": the " + ranges[i].name + " field " + text::quote(fields[i]) + " is not one cron takes: values " +
                        std::to_string(ranges[i].low) + " to " + std::to_string(ranges[i].high) + (ranges[i].names->empty() ? "" : " or names") +
                        ", '*', ranges a-b with a <= b, lists a,b and steps /n of at least 1.");
}

// ---- quoting -------------------------------------------------------------------

std::string systemd_quote(std::string_view argument, const std::string& field) {
    check_printable(argument, field, "An argument");
    std::string out = "\"";
    for (char c : argument) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '%': out += "%%"; break;  // specifier
            case '$': out += "$$"; break;  // environment variable
            case '\t': out += "\\t"; break;
            default: out += c;
        }
    }
    return out + "\"";
}

std::string cron_quote(std::string_view argument, const std::string& field) {
    check_printable(argument, field, "An argument");
    if (argument.empty()) return "''";
    // Single quotes keep everything literal for sh but a quote itself, written \' outside them.
    // '%' also stays outside, written \% for cron: so the character before a \% is never a
    // backslash that cron would pair with it (cron has no way to write a backslash before a '%').
    std::string out;
    bool open = false;
    for (char c : argument) {
        if (c == '\'' || c == '%') {
            if (open) out += '\'';
            open = false;
            out += c == '\'' ? "\\'" : "\\%";
            continue;
        }
        if (!open) out += '\'';
        open = true;
        out += c;
    }
    if (open) out += '\'';
    return out;
}

std::string xml_escape(std::string_view text, const std::string& field) {
    check_printable(text, field, "A value");
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string utf16le_with_bom(std::string_view utf8, const std::string& field) {
    std::u32string code_points;
    if (!text::decode_utf8(utf8, code_points)) invalid(field, "InvalidText", "The task definition is not valid UTF-8.");
    std::string out = "\xFF\xFE";
    auto unit = [&out](char32_t u) {
        out += static_cast<char>(u & 0xff);
        out += static_cast<char>((u >> 8) & 0xff);
    };
    for (char32_t c : code_points) {
        if (c < 0x10000) {
            unit(c);
        } else {
            c -= 0x10000;
            unit(0xD800 + (c >> 10));
            unit(0xDC00 + (c & 0x3ff));
        }
    }
    return out;
}

// ---- systemd -------------------------------------------------------------------

std::vector<RenderedFile> render_systemd(const Job& job) {
    check_command(job);
    if (job.command.front().front() != '/')
        invalid("command", "InvalidPath", "The job's program must be an absolute path: " + text::quote(job.command.front()) + ".");
    std::string exec;
    for (const auto& argument : job.command) exec += (exec.empty() ? "" : " ") + systemd_quote(argument, "command");
    // Comments are not read for specifiers or escapes; the closing quote keeps a trailing backslash from continuing the line.
    const std::string header = "# " + std::string(header_by) + " for the store \"" + job.store_path + "\".\n" +
                               "# Unregister-OcsCertificateRenewal removes it; registering again rewrites it.\n";
    std::string service = header +
                          "[Unit]\n"
                          "Description=OcsCert certificate renewal (" + job.name + ")\n"
                          "Wants=network-online.target\n"
                          "After=network-online.target\n"
                          "\n"
                          "[Service]\n"
                          "Type=oneshot\n"
                          "TimeoutStartSec=2h\n"
                          "ExecStart=" + exec + "\n";
    std::string timer = header +
                        "[Unit]\n"
                        "Description=Twice-daily OcsCert certificate renewal (" + job.name + ")\n"
                        "\n"
                        "[Timer]\n"
                        "OnCalendar=*-*-* 00,12:00:00\n"
                        "RandomizedDelaySec=43200\n"
                        "Persistent=true\n"
                        "\n"
                        "[Install]\n"
                        "WantedBy=timers.target\n";
    return {{job.name + ".service", std::move(service)}, {job.name + ".timer", std::move(timer)}};
}

// ---- cron ----------------------------------------------------------------------

std::vector<RenderedFile> render_cron(const Job& job) {
    check_command(job);
    check_cron_schedule(job.cron_schedule, "schedule");
    check_printable(job.log_path, "storePath", "The log path");
    std::string command;
    for (const auto& argument : job.command) command += (command.empty() ? "" : " ") + cron_quote(argument, "command");
    const std::string now = "$(date -u +\\%Y-\\%m-\\%dT\\%H:\\%M:\\%SZ)";
    std::string line = job.cron_schedule + " root ";
    if (job.cron_random_delay_seconds > 0)
        line += "sleep $(( $(od -An -N2 -tu2 /dev/urandom) \\% " + std::to_string(job.cron_random_delay_seconds) + " )); ";
    line += "{ echo \"" + now + " renewal job started\"; " + command + "; rc=$?; echo \"" + now +
            " renewal job ended with exit code $rc\"; } >>" + cron_quote(job.log_path, "storePath") + " 2>&1\n";
    std::string text = "# " + std::string(header_by) + " for the store \"" + job.store_path + "\".\n" +
                       "# Renews the certificates that are due: " + describe_schedule(Scheduler::Cron, job) + ".\n" +
                       "# The job's output is appended to \"" + job.log_path + "\".\n" +
                       "# Unregister-OcsCertificateRenewal removes this file; registering again rewrites it.\n"
                       "SHELL=/bin/sh\n"
                       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n" +
                       line;
    return {{job.name, std::move(text)}};
}

// ---- Task Scheduler ------------------------------------------------------------

std::vector<RenderedFile> render_task(const Job& job) {
    check_command(job);
    std::string arguments;
    for (std::size_t i = 1; i < job.command.size(); ++i) arguments += (i > 1 ? " " : "") + platform::windows_quote(job.command[i]);
    const std::string program = platform::windows_quote(job.command.front());
    for (const std::string* part : std::initializer_list<const std::string*>{&program, &arguments})
        if (std::count(part->begin(), part->end(), '%') > 1)
            invalid("command", "UnschedulableCharacter",
                    "The Task Scheduler would expand %NAME% in the job's command line and has no escape for it; a command line with more than one '%' cannot be registered (store path or module path).");
    auto trigger = [](const char* time) {
        return std::string("    <CalendarTrigger>\n"
                           "      <Enabled>true</Enabled>\n"
                           "      <StartBoundary>2000-01-01T") + time + "</StartBoundary>\n"
                           "      <RandomDelay>PT12H</RandomDelay>\n"
                           "      <ScheduleByDay>\n"
                           "        <DaysInterval>1</DaysInterval>\n"
                           "      </ScheduleByDay>\n"
                           "    </CalendarTrigger>\n";
    };
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                      "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
                      "  <RegistrationInfo>\n"
                      "    <Author>OcsCert</Author>\n"
                      "    <Description>Renews the OcsCert certificates that are due in the store " + xml_escape(job.store_path, "storePath") +
                      ". " + header_by + "; Unregister-OcsCertificateRenewal removes it.</Description>\n"
                      "    <URI>\\OcsCert\\" + job.name + "</URI>\n"
                      "  </RegistrationInfo>\n"
                      "  <Triggers>\n" + trigger("00:00:00") + trigger("12:00:00") +
                      "  </Triggers>\n"
                      "  <Principals>\n"
                      "    <Principal id=\"Author\">\n"
                      "      <UserId>S-1-5-18</UserId>\n"
                      "      <RunLevel>HighestAvailable</RunLevel>\n"
                      "    </Principal>\n"
                      "  </Principals>\n"
                      "  <Settings>\n"
                      "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
                      "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n"
                      "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
                      "    <StartWhenAvailable>true</StartWhenAvailable>\n"
                      "    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>\n"
                      "    <Enabled>true</Enabled>\n"
                      "  </Settings>\n"
                      "  <Actions Context=\"Author\">\n"
                      "    <Exec>\n"
                      "      <Command>" + xml_escape(program, "command") + "</Command>\n"
                      "      <Arguments>" + xml_escape(arguments, "command") + "</Arguments>\n"
                      "    </Exec>\n"
                      "  </Actions>\n"
                      "</Task>\n";
    return {{job.name + ".xml", std::move(xml), true}};
}

std::vector<RenderedFile> render(Scheduler scheduler, const Job& job) {
    switch (scheduler) {
        case Scheduler::Systemd: return render_systemd(job);
        case Scheduler::Cron: return render_cron(job);
        case Scheduler::TaskScheduler: return render_task(job);
    }
    return {};
}

std::string describe_schedule(Scheduler scheduler, const Job& job) {
    switch (scheduler) {
        case Scheduler::Systemd:
            return "twice a day, at 00:00 and 12:00 plus a random delay of up to 12 hours; a missed run is made up at boot";
        case Scheduler::TaskScheduler:
            return "twice a day, at 00:00 and 12:00 plus a random delay of up to 12 hours; a missed run starts when the computer is next available";
        case Scheduler::Cron:
            if (job.cron_random_delay_seconds <= 0) return "cron schedule '" + job.cron_schedule + "'";
            return "cron schedule '" + job.cron_schedule + "' after a random sleep of up to " + std::to_string(job.cron_random_delay_seconds / 60) +
                   " minutes";
    }
    return "";
}

}  // namespace ocscert::renewal
