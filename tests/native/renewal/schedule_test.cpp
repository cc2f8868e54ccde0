// The scheduler files for the renewal job: every argument must reach the
// program exactly as given, whatever it holds (spaces, both quotes, '%', '$',
// backslashes). Each format is checked by reading it back the way its
// scheduler does: cron's '%' handling then a real /bin/sh; systemd's own
// `systemd-analyze verify` plus its documented unquoting; CommandLineToArgvW's
// rules over the task XML's text (and in the Windows build, CommandLineToArgvW
// itself). The Linux programs run in the Windows build too, under Wine, through
// the test run's process broker.
#include "platform/windows_api.hpp"
#ifdef _WIN32
#include <shellapi.h>
#endif

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "../child_process.hpp"
#include "../test_support.hpp"
#include "platform/platform.hpp"
#include "renewal/schedule.hpp"

namespace ocscert::renewal {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// The hard cases: every character one of the formats treats specially.
const std::vector<std::string> tricky = {
    "plain", "with space", "double\"quote", "single'quote", "100%", "%PATH%", "$HOME", "${HOME}", "$$", "back\\slash",
    "trailing\\", "\\\"", "\\%", "a;b", ";", "", "  ", "tab\there", "semi;colon & pipe | <in >out `tick` *glob?", "ünïcødé €",
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

Job sample_job(std::vector<std::string> command) {
    Job job;
    job.name = job_name("/var/lib/ocscert");
    job.store_path = "/var/lib/ocscert";
    job.command = std::move(command);
    job.log_path = "/var/lib/ocscert/logs/renewal-job.log";
    job.cron_schedule = "17 3,15 * * *";
    return job;
}

// ---- names and schedules ---------------------------------------------------------

TEST(JobName, IsStablePerStoreAndShort) {
    EXPECT_EQ(job_name("/var/lib/ocscert"), job_name("/var/lib/ocscert"));
    EXPECT_NE(job_name("/var/lib/ocscert"), job_name("/srv/ocscert"));
    EXPECT_TRUE(std::regex_match(job_name("/var/lib/ocscert"), std::regex("ocscert-renew-[0-9a-f]{8}")));
}

TEST(CronSchedule, TwiceDailyAtAMachineOwnTimeTwelveHoursApart) {
    std::set<std::string> seen;
    for (const char* seed : {"fe01\n/s", "fe02\n/s", "fe03\n/s", "fe04\n/s"}) {
        const std::string schedule = twice_daily_cron_schedule(seed);
        std::smatch m;
        ASSERT_TRUE(std::regex_match(schedule, m, std::regex(R"((\d+) (\d+),(\d+) \* \* \*)"))) << schedule;
        EXPECT_LT(std::stoi(m[1]), 60);
        EXPECT_LT(std::stoi(m[2]), 12);
        EXPECT_EQ(std::stoi(m[3]), std::stoi(m[2]) + 12);
        EXPECT_EQ(schedule, twice_daily_cron_schedule(seed));
        check_cron_schedule(schedule, "schedule");
        seen.insert(schedule);
    }
    EXPECT_GT(seen.size(), 1u) << "pool members get different times";
}

TEST(CronSchedule, RefusesWhatIsNotFiveCronFields) {
    check_cron_schedule("* * * * *", "schedule");
    check_cron_schedule("*/5 1-3,7 * jan mon", "schedule");
    check_cron_schedule("0 0 1 1 7", "schedule");
    check_cron_schedule("0-59/15 0,12 1-31 1-12 0-6", "schedule");
    // Fields cron refuses, which would leave a job that never runs (exploratory testing found them accepted).
    for (const char* bad : {"* * * *", "* * * * * *", "* * * * * root", "* * * * %", "* * * * *\n* * * * *", "@daily", "60 * * * *", "* 24 * * *",
                            "*/0 * * * *", "5-1 * * * *", "a b c d e", "1,2,,3 * * * *", "-1 * * * *", "0 0 * * 8", "0 0 0 * *", "0 0 * 13 *",
                            "0 0 * jan-feb,xyz *", "1/ * * * *", "100 * * * *"}) {
        const auto e = testing::catch_error([&] { check_cron_schedule(bad, "schedule"); });
        EXPECT_EQ(e.reason(), "InvalidSchedule") << bad;
        EXPECT_EQ(e.field(), "schedule");
    }
}

// ---- systemd -------------------------------------------------------------------

TEST(SystemdQuote, DoublesSpecifiersAndDollarsAndEscapesQuotesAndBackslashes) {
    EXPECT_EQ(systemd_quote("plain", "command"), "\"plain\"");
    EXPECT_EQ(systemd_quote("with space", "command"), "\"with space\"");
    EXPECT_EQ(systemd_quote("double\"quote", "command"), "\"double\\\"quote\"");
    EXPECT_EQ(systemd_quote("single'quote", "command"), "\"single'quote\"");
    EXPECT_EQ(systemd_quote("100%", "command"), "\"100%%\"");
    EXPECT_EQ(systemd_quote("$HOME", "command"), "\"$$HOME\"");
    EXPECT_EQ(systemd_quote("back\\slash", "command"), "\"back\\\\slash\"");
    EXPECT_EQ(systemd_quote(";", "command"), "\";\"");
    EXPECT_EQ(systemd_quote("", "command"), "\"\"");
}

// systemd's reading of one ExecStart= line, from systemd.service(5) "Command lines" and
// systemd.syntax(7): words split on whitespace, double quotes with C escapes, then
// specifiers ("%%" is '%') and, at start, environment variables ("$$" is '$').
std::vector<std::string> systemd_words(const std::string& line) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        EXPECT_EQ(line[i], '"') << "every word is quoted";
        std::string word;
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\') {
                const char c = line[++i];
                word += c == 't' ? '\t' : c == 'n' ? '\n' : c;
            } else {
                word += line[i];
            }
        }
        ++i;  // closing quote
        std::string expanded;
        for (std::size_t j = 0; j < word.size(); ++j) {
            if ((word[j] == '%' || word[j] == '$') && j + 1 < word.size() && word[j + 1] == word[j]) {
                ++j;
            } else {
                EXPECT_TRUE(word[j] != '%' && word[j] != '$') << "a lone " << word[j] << " in " << word;
            }
            expanded += word[j];
        }
        words.push_back(expanded);
    }
    return words;
}

TEST(SystemdUnits, ExecStartCarriesEveryArgumentExactly) {
    std::vector<std::string> command = {"/bin/echo"};
    command.insert(command.end(), tricky.begin(), tricky.end());
    const auto files = render_systemd(sample_job(command));
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].file_name, job_name("/var/lib/ocscert") + ".service");
    EXPECT_EQ(files[1].file_name, job_name("/var/lib/ocscert") + ".timer");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(files[0].text, m, std::regex("\nExecStart=([^\n]*)\n")));
    EXPECT_EQ(systemd_words(m[1]), command);
}

TEST(SystemdUnits, ServiceIsOneshotAndTimerRunsTwiceADayWithARandomDelay) {
    const auto files = render_systemd(sample_job({"/usr/bin/pwsh", "-NoProfile"}));
    const std::string& service = files[0].text;
    const std::string& timer = files[1].text;
    EXPECT_NE(service.find("\n[Service]\nType=oneshot\n"), std::string::npos) << service;
    EXPECT_NE(service.find("\nExecStart=\"/usr/bin/pwsh\" \"-NoProfile\"\n"), std::string::npos) << service;
    EXPECT_EQ(service.find("/bin/sh"), std::string::npos) << "no shell in between";
    for (const char* line : {"\n[Timer]\n", "\nOnCalendar=*-*-* 00,12:00:00\n", "\nRandomizedDelaySec=43200\n", "\nPersistent=true\n",
                             "\n[Install]\nWantedBy=timers.target\n"})
        EXPECT_NE(timer.find(line), std::string::npos) << line << " in\n" << timer;
    EXPECT_NE(service.find("# Written by OcsCert"), std::string::npos);
}

TEST(SystemdUnits, RefusesARelativeProgramAndControlCharacters) {
    EXPECT_EQ(testing::catch_error([] { render_systemd(sample_job({"pwsh"})); }).reason(), "InvalidPath");
    const auto e = testing::catch_error([] { render_systemd(sample_job({"/bin/echo", "two\nlines"})); });
    EXPECT_EQ(e.reason(), "UnschedulableCharacter");
    EXPECT_EQ(e.field(), "command");
    auto job = sample_job({"/bin/echo"});
    job.store_path = "/srv/new\nline";
    EXPECT_EQ(testing::catch_error([&] { render_systemd(job); }).field(), "storePath");
}

// systemd-analyze verify reads unit files without systemd running: unknown keys,
// bad calendar specs, bad specifiers and a missing program all fail it.
class SystemdAnalyze : public ::testing::Test {
protected:
    void SetUp() override {
        if (!testing::can_run_linux_programs()) GTEST_SKIP() << "systemd-analyze is a Linux program; this Windows test program has no process broker to run it";
        for (const char* candidate : {"/usr/bin/systemd-analyze", "/bin/systemd-analyze"})
            if (fs::exists(candidate)) analyze = candidate;
        if (analyze.empty()) GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd), so the units cannot be verified here";
    }

    // Writes the files into a fresh folder; the exit status of verify, and its output in `output`.
    int verify(const std::vector<RenderedFile>& files, std::string& output) {
        std::vector<std::string> argv = {analyze, "verify", "--man=no"};
        for (const auto& f : files) {
            write_file(dir.path() / f.file_name, f.text);
            argv.push_back((dir.path() / f.file_name).string());
        }
        const fs::path log = dir.path() / "verify.log";
        const int code = testing::ChildProcess::run(argv, log);
        output = read_file(log);
        return code;
    }

    std::string analyze;
    TempDir dir;
};

TEST_F(SystemdAnalyze, GeneratedUnitsPassVerifyWithEveryHardArgument) {
    std::vector<std::string> command = {"/bin/echo"};
    command.insert(command.end(), tricky.begin(), tricky.end());
    auto job = sample_job(command);
    job.store_path = "/srv/it's 100% $HOME \"ocs\" \\";
    std::string output;
    EXPECT_EQ(verify(render_systemd(job), output), 0) << output;
    EXPECT_EQ(output.find(job.name), std::string::npos) << "no complaint about our units:\n" << output;
}

TEST_F(SystemdAnalyze, VerifyCatchesAMissingProgramAndAnUnknownSpecifier) {
    // The check is worth something only if it fails on the mistakes it is there for.
    std::string output;
    EXPECT_NE(verify(render_systemd(sample_job({"/no/such/pwsh"})), output), 0) << output;
    auto files = render_systemd(sample_job({"/bin/echo", "x"}));
    files[0].text = std::regex_replace(files[0].text, std::regex("\"x\""), "\"%Z\"");
    EXPECT_NE(verify(files, output), 0) << output;
}

// ---- cron ----------------------------------------------------------------------

TEST(CronQuote, SingleQuotesWithPercentAndQuotesOutside) {
    EXPECT_EQ(cron_quote("plain", "command"), "'plain'");
    EXPECT_EQ(cron_quote("with space", "command"), "'with space'");
    EXPECT_EQ(cron_quote("single'quote", "command"), "'single'\\''quote'");
    EXPECT_EQ(cron_quote("100%", "command"), "'100'\\%");
    EXPECT_EQ(cron_quote("\\%", "command"), "'\\'\\%");
    EXPECT_EQ(cron_quote("$HOME", "command"), "'$HOME'");
    EXPECT_EQ(cron_quote("", "command"), "''");
}

// What Debian's cron does to a command before /bin/sh sees it: "\%" becomes '%';
// the first bare '%' ends the command (the rest would be its standard input).
std::string cron_translate(const std::string& command) {
    std::string out;
    bool escaped = false;
    for (char c : command) {
        if (escaped) {
            if (c != '%') out += '\\';
            out += c;
            escaped = false;
            continue;
        }
        if (c == '\\') {
            escaped = true;
            continue;
        }
        if (c == '%') break;
        out += c;
    }
    if (escaped) out += '\\';
    return out;
}

TEST(CronFile, HeaderEnvironmentAndOneLineWithARandomSleep) {
    const auto files = render_cron(sample_job({"/usr/bin/pwsh", "-NoProfile"}));
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].file_name.find('.'), std::string::npos) << "cron ignores cron.d files with a dot";
    const std::string& text = files[0].text;
    EXPECT_EQ(text.rfind("# Written by OcsCert", 0), 0u);
    EXPECT_NE(text.find("\nSHELL=/bin/sh\n"), std::string::npos);
    EXPECT_NE(text.find("\nPATH="), std::string::npos);
    const std::string line = text.substr(text.rfind('\n', text.size() - 2) + 1);
    EXPECT_EQ(line.rfind("17 3,15 * * * root sleep $(( $(od -An -N2 -tu2 /dev/urandom) \\% 3600 )); { ", 0), 0u) << line;
    EXPECT_NE(line.find("'/usr/bin/pwsh' '-NoProfile';"), std::string::npos) << line;
    EXPECT_NE(line.find(">>'/var/lib/ocscert/logs/renewal-job.log' 2>&1\n"), std::string::npos) << line;
    EXPECT_EQ(text.back(), '\n') << "cron ignores a last line without a newline";
    for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == '%') {
            EXPECT_EQ(line[i - 1], '\\') << "a bare % at " << i << " in " << line;
        }
}

TEST(CronFile, TheShellReceivesEveryArgumentExactly) {
    // The job's own program here is sh printing each argument NUL-terminated; its script is itself
    // an argument full of '%', '$' and quotes. The line runs as cron would run it, without the sleep.
    if (!testing::can_run_linux_programs()) GTEST_SKIP() << "cron's line runs in Linux's /bin/sh; this Windows test program has no process broker to run it";
    TempDir dir;
    std::vector<std::string> command = {"/bin/sh", "-c", "for a in \"$@\"; do printf '%s\\0' \"$a\"; done", "sh"};
    command.insert(command.end(), tricky.begin(), tricky.end());
    auto job = sample_job(command);
    job.cron_schedule = "* * * * *";
    job.cron_random_delay_seconds = 0;
    const fs::path log_file = dir.path() / "it's 100% $HOME";
    job.log_path = testing::server_path(log_file);  // as the Linux shell names it
    const std::string text = render_cron(job).front().text;
    const std::string line = text.substr(text.rfind('\n', text.size() - 2) + 1);
    const std::string prefix = "* * * * * root ";
    ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
    const std::string shell_command = cron_translate(line.substr(prefix.size(), line.size() - prefix.size() - 1));
    ASSERT_EQ(testing::ChildProcess::run({"/bin/sh", "-c", shell_command}, dir.path() / "sh.log"), 0) << shell_command;

    // The log: a "started" line, the arguments each ended by NUL, an "ended" line.
    const std::string log = read_file(log_file);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ renewal job started\n)"))) << log;
    const std::size_t body = m.length(0);
    const std::size_t last_nul = log.rfind('\0');
    ASSERT_NE(last_nul, std::string::npos) << log;
    EXPECT_TRUE(std::regex_match(log.substr(last_nul + 1), std::regex(R"(\S+ renewal job ended with exit code 0\n)"))) << log;
    std::vector<std::string> received;
    std::string current;
    for (char c : log.substr(body, last_nul + 1 - body)) {
        if (c == '\0') {
            received.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    EXPECT_EQ(received, tricky);
}

TEST(CronFile, RefusesWhatACronLineCannotCarry) {
    EXPECT_EQ(testing::catch_error([] { render_cron(sample_job({"/bin/echo", "two\nlines"})); }).reason(), "UnschedulableCharacter");
    auto job = sample_job({"/bin/echo"});
    job.cron_schedule = "* * * * * %";
    EXPECT_EQ(testing::catch_error([&] { render_cron(job); }).field(), "schedule");
}

// ---- Task Scheduler ------------------------------------------------------------

// CommandLineToArgvW's reading of the arguments after the program name:
// 2n backslashes + '"' give n backslashes and toggle quoting; 2n+1 backslashes
// + '"' give n backslashes and a literal '"'; other backslashes are literal.
std::vector<std::string> windows_words(const std::string& line) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        std::string word;
        bool quoted = false;
        while (i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t'))) {
            std::size_t backslashes = 0;
            while (i < line.size() && line[i] == '\\') ++backslashes, ++i;
            if (i < line.size() && line[i] == '"') {
                word.append(backslashes / 2, '\\');
                if (backslashes % 2) word += '"';
                else quoted = !quoted;
                ++i;
            } else {
                word.append(backslashes, '\\');
                if (i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t'))) word += line[i++];
            }
        }
        words.push_back(word);
    }
    return words;
}

#ifdef _WIN32
// Windows' own reading of the arguments (CommandLineToArgvW; the first word, the
// program's name, follows other rules, so a plain one stands in front).
std::vector<std::string> command_line_to_argv(const std::string& arguments) {
    const std::wstring line = L"program.exe " + fs::u8path(arguments).wstring();
    int count = 0;
    LPWSTR* argv = ::CommandLineToArgvW(line.c_str(), &count);
    std::vector<std::string> words;
    for (int i = 1; argv != nullptr && i < count; ++i) words.push_back(fs::path(argv[i]).u8string());
    ::LocalFree(argv);
    return words;
}
#endif

// A small XML reader, enough to show the task file is well-formed: tags nest
// and close, attributes are quoted, only the predefined and numeric entities
// appear. Returns each element's decoded text by its path (Task/Actions/Exec/Command).
std::multimap<std::string, std::string> read_xml(const std::string& xml) {
    std::multimap<std::string, std::string> texts;
    std::vector<std::string> open;
    std::string text;
    auto decode = [](const std::string& raw) {
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '&') {
                EXPECT_NE(raw[i], '<');
                EXPECT_NE(raw[i], '>') << "'>' is escaped too";
                out += raw[i];
                continue;
            }
            const auto end = raw.find(';', i);
            EXPECT_NE(end, std::string::npos);
            const std::string entity = raw.substr(i + 1, end - i - 1);
            static const std::map<std::string, char> known = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
            const auto k = known.find(entity);
            EXPECT_TRUE(k != known.end()) << "unknown entity &" << entity << ";";
            if (k != known.end()) out += k->second;
            i = end;
        }
        return out;
    };
    std::size_t i = 0;
    EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n", 0), 0u);
    i = xml.find("?>") + 2;
    while (i < xml.size()) {
        const auto lt = xml.find('<', i);
        if (lt == std::string::npos) {
            EXPECT_EQ(xml.find_first_not_of(" \r\n\t", i), std::string::npos) << "text after the root element";
            break;
        }
        text += xml.substr(i, lt - i);
        const auto gt = xml.find('>', lt);
        EXPECT_NE(gt, std::string::npos);
        std::string tag = xml.substr(lt + 1, gt - lt - 1);
        i = gt + 1;
        if (tag[0] == '/') {
            EXPECT_FALSE(open.empty());
            EXPECT_EQ(tag.substr(1), open.back()) << "closing tag matches";
            std::string path;
            for (const auto& o : open) path += (path.empty() ? "" : "/") + o;
            texts.emplace(path, decode(text));
            open.pop_back();
            text.clear();
            continue;
        }
        const bool empty_element = tag.back() == '/';
        if (empty_element) tag.pop_back();
        const std::string name = tag.substr(0, tag.find(' '));
        EXPECT_TRUE(std::regex_match(name, std::regex("[A-Za-z][A-Za-z0-9]*"))) << name;
        // Attributes: name="value" pairs only.
        const std::string attributes = tag.substr(name.size());
        EXPECT_TRUE(std::regex_match(attributes, std::regex(R"((\s+[A-Za-z:]+="[^"<&]*")*\s*)"))) << attributes;
        if (open.empty() && !texts.empty()) ADD_FAILURE() << "a second root element";
        if (!empty_element) open.push_back(name);
        text.clear();
    }
    EXPECT_TRUE(open.empty()) << "unclosed " << (open.empty() ? "" : open.back());
    return texts;
}

TEST(TaskXml, WellFormedWithTheSettingsTheJobNeeds) {
    const auto files = render_task(sample_job({"C:\\Program Files\\PowerShell\\7\\pwsh.exe", "-NoProfile"}));
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(files[0].utf16);
    EXPECT_EQ(files[0].file_name, job_name("/var/lib/ocscert") + ".xml");
    const auto xml = read_xml(files[0].text);
    auto only = [&xml](const std::string& path) {
        EXPECT_EQ(xml.count(path), 1u) << path;
        const auto it = xml.find(path);
        return it == xml.end() ? std::string() : it->second;
    };
    EXPECT_EQ(xml.count("Task/Triggers/CalendarTrigger/StartBoundary"), 2u);
    std::set<std::string> starts;
    for (auto [it, end] = xml.equal_range("Task/Triggers/CalendarTrigger/StartBoundary"); it != end; ++it) starts.insert(it->second);
    EXPECT_EQ(starts, (std::set<std::string>{"2000-01-01T00:00:00", "2000-01-01T12:00:00"}));
    for (auto [it, end] = xml.equal_range("Task/Triggers/CalendarTrigger/RandomDelay"); it != end; ++it) EXPECT_EQ(it->second, "PT12H");
    EXPECT_EQ(xml.count("Task/Triggers/CalendarTrigger/RandomDelay"), 2u);
    EXPECT_EQ(xml.count("Task/Triggers/CalendarTrigger/ScheduleByDay/DaysInterval"), 2u);
    EXPECT_EQ(only("Task/Principals/Principal/UserId"), "S-1-5-18");
    EXPECT_EQ(only("Task/Principals/Principal/RunLevel"), "HighestAvailable");
    EXPECT_EQ(only("Task/Settings/StartWhenAvailable"), "true");
    EXPECT_EQ(only("Task/Settings/MultipleInstancesPolicy"), "IgnoreNew");
    EXPECT_EQ(only("Task/Settings/ExecutionTimeLimit"), "PT2H");
    EXPECT_EQ(only("Task/Actions/Exec/Command"), "\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\"");
    EXPECT_EQ(only("Task/Actions/Exec/Arguments"), "-NoProfile");
    EXPECT_EQ(only("Task/RegistrationInfo/URI"), "\\OcsCert\\" + job_name("/var/lib/ocscert"));
    EXPECT_NE(files[0].text.find("xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\""), std::string::npos);
}

TEST(TaskXml, ArgumentsReadBackExactlyAfterXmlAndCommandLineParsing) {
    std::vector<std::string> arguments;
    for (const auto& t : tricky)
        if (t.find('%') == std::string::npos) arguments.push_back(t);  // see the next test
    arguments.push_back("100%");  // one '%' is safe
    arguments.push_back("-Command");
    arguments.push_back("Import-Module 'C:\\Program Files\\OcsCert\\OcsCertificate.psd1'; Update-OcsCertificate -StorePath 'C:\\ProgramData\\Ocs''Cert <&>'; exit [int](-not $?)");
    std::vector<std::string> command = {"C:\\Program Files\\PowerShell\\7\\pwsh.exe"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    auto job = sample_job(command);
    job.store_path = "C:\\ProgramData\\Ocs'Cert <&>";
    const auto xml = read_xml(render_task(job).front().text);
    EXPECT_EQ(windows_words(xml.find("Task/Actions/Exec/Arguments")->second), arguments);
#ifdef _WIN32
    EXPECT_EQ(command_line_to_argv(xml.find("Task/Actions/Exec/Arguments")->second), arguments) << "as CommandLineToArgvW reads them";
#endif
    EXPECT_EQ(windows_words(xml.find("Task/Actions/Exec/Command")->second), std::vector<std::string>{command.front()});
    EXPECT_NE(xml.find("Task/RegistrationInfo/Description")->second.find(job.store_path), std::string::npos);
}

TEST(TaskXml, RefusesTwoPercentSignsWhichTheTaskSchedulerWouldExpand) {
    const auto e = testing::catch_error([] { render_task(sample_job({"C:\\pwsh.exe", "-Command", "x '%TEMP%'"})); });
    EXPECT_EQ(e.reason(), "UnschedulableCharacter");
    EXPECT_EQ(e.field(), "command");
    EXPECT_NE(std::string(e.what()).find("%NAME%"), std::string::npos) << e.what();
}

TEST(TaskXml, WrittenAsUtf16LittleEndianWithAByteOrderMark) {
    const std::string bytes = utf16le_with_bom("<?x ü€𝄞", "command");
    const std::string expected("\xFF\xFE<\0?\0x\0 \0\xFC\0\xAC\x20\x34\xD8\x1E\xDD", 18);
    EXPECT_EQ(bytes, expected);
}

}  // namespace
}  // namespace ocscert::renewal
