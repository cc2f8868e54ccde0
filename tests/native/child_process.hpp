#pragma once
// Child processes for the tests, on POSIX and Windows alike:
//  - ChildProcess: a server the tests start (openssl s_server, Pebble,
//    scepserver) on loopback, stopped when destroyed;
//  - run_child/ChildRun: a named test operation (registered with ChildOp) run
//    in a child process, so that a crash point can end it as a kill would
//    while the test inspects what it left. POSIX forks; Windows starts this
//    test program again with --ocscert-child=<operation> (see child_process_test.cpp).
// The Windows test program runs under Wine on Linux in the project's test run;
// it cannot run Linux programs (Pebble, scepserver) itself, so those are
// started through a process broker on Linux loopback that the test run
// provides in OCSCERT_TEST_PROCESS_BROKER (cmake/windows/run-tests.sh).
#include "platform/windows_api.hpp"  // lean <windows.h>, so winsock2.h may follow it
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "platform/platform.hpp"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace ocscert::testing {

using Environment = std::vector<std::pair<std::string, std::string>>;

// ---- sockets -------------------------------------------------------------------
#ifdef _WIN32
using socket_t = SOCKET;
constexpr socket_t no_socket = INVALID_SOCKET;
inline void close_socket(socket_t s) { ::closesocket(s); }
inline void start_sockets() {
    static const bool started = [] {
        WSADATA data;
        return ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
    }();
    (void)started;
}
inline long send_some(socket_t s, const char* data, std::size_t size) { return ::send(s, data, static_cast<int>(size), 0); }
inline long recv_some(socket_t s, char* data, std::size_t size) { return ::recv(s, data, static_cast<int>(size), 0); }
#else
using socket_t = int;
constexpr socket_t no_socket = -1;
inline void close_socket(socket_t s) { ::close(s); }
inline void start_sockets() {}
inline long send_some(socket_t s, const char* data, std::size_t size) { return static_cast<long>(::send(s, data, size, MSG_NOSIGNAL)); }
inline long recv_some(socket_t s, char* data, std::size_t size) { return static_cast<long>(::recv(s, data, size, 0)); }
#endif

inline sockaddr_in loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    return addr;
}

// A listening socket on 127.0.0.1 (port 0: one the system picks); no_socket if that fails.
inline socket_t listen_on_loopback(int port = 0) {
    start_sockets();
    const socket_t fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = loopback(port);
    if (fd == no_socket) return no_socket;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0) {
        close_socket(fd);
        return no_socket;
    }
    return fd;
}

inline int local_port(socket_t fd) {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
    return ntohs(addr.sin_port);
}

// True when `fd` has a connection to accept (or data) within `timeout`.
inline bool readable(socket_t fd, std::chrono::milliseconds timeout) {
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    timeval tv{static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000)};
    return ::select(static_cast<int>(fd + 1), &set, nullptr, nullptr, &tv) > 0;
}

// A port on 127.0.0.1 that nothing listens on right now.
inline int free_port() {
    start_sockets();
    const socket_t fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = loopback(0);
    if (fd == no_socket || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (fd != no_socket) close_socket(fd);
        throw std::runtime_error("no free port");
    }
    const int port = local_port(fd);
    close_socket(fd);
    if (port == 0) throw std::runtime_error("no free port");
    return port;
}

inline bool port_open(int port) {
    start_sockets();
    const socket_t fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = loopback(port);
    const bool ok = fd != no_socket && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (fd != no_socket) close_socket(fd);
    return ok;
}

// Whether this test program can run Linux programs (servers, /bin/sh): always on
// Linux; on Windows only under Wine with the test run's process broker.
inline bool can_run_linux_programs() {
#ifdef _WIN32
    const char* broker = std::getenv("OCSCERT_TEST_PROCESS_BROKER");
    return broker != nullptr && *broker != 0;
#else
    return true;
#endif
}

// One request to the process broker (OCSCERT_TEST_PROCESS_BROKER, host:port on loopback): lines out, one line back.
inline std::string ask_broker(const std::string& request) {
    const char* broker = std::getenv("OCSCERT_TEST_PROCESS_BROKER");
    if (broker == nullptr || *broker == 0)
        throw std::runtime_error("this test needs Linux programs, and this Windows test program has no process broker "
                                 "(OCSCERT_TEST_PROCESS_BROKER); run it with cmake/windows/run-tests.sh");
    const std::string address = broker;
    const int port = std::stoi(address.substr(address.rfind(':') + 1));
    start_sockets();
    const socket_t fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = loopback(port);
    if (fd == no_socket || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (fd != no_socket) close_socket(fd);
        throw std::runtime_error("the process broker at " + address + " does not answer");
    }
    for (std::size_t sent = 0; sent < request.size();) {
        const long n = send_some(fd, request.data() + sent, request.size() - sent);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    char buf[512];
    for (long n; answer.find('\n') == std::string::npos && (n = recv_some(fd, buf, sizeof buf)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    close_socket(fd);
    return answer.substr(0, answer.find('\n'));
}

// ---- paths and Wine ------------------------------------------------------------
#ifdef _WIN32
// True when this Windows program runs under Wine (defined in child_process_test.cpp).
bool under_wine();
// A Windows path as the Linux side sees it (Wine's wine_get_unix_file_name); other text unchanged.
inline std::string linux_path(const std::string& text) {
    const bool windows_path = text.size() > 2 && std::isalpha(static_cast<unsigned char>(text[0])) && text[1] == ':' && (text[2] == '\\' || text[2] == '/');
    if (!windows_path || !under_wine()) return text;
    using Convert = char* (*)(LPCWSTR);
    const auto convert = reinterpret_cast<Convert>(reinterpret_cast<void*>(::GetProcAddress(::GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name")));
    if (convert == nullptr) return text;
    char* unix_name = convert(std::filesystem::u8path(text).wstring().c_str());
    if (unix_name == nullptr) return text;
    std::string out = unix_name;
    ::HeapFree(::GetProcessHeap(), 0, unix_name);
    return out;
}
#else
inline bool under_wine() { return false; }
inline std::string linux_path(const std::string& text) { return text; }
#endif

// A path written into a Linux server's configuration: as the server will read it.
inline std::string server_path(const std::filesystem::path& path) { return linux_path(path.string()); }

#ifdef _WIN32
inline std::filesystem::path this_program() {
    std::wstring name(32768, L'\0');
    name.resize(::GetModuleFileNameW(nullptr, name.data(), static_cast<DWORD>(name.size())));
    return std::filesystem::path(name);
}

// Starts a Windows program; stdout and stderr go to `log`, or when it is empty stdout
// nowhere and stderr where this program's goes (a failing child operation says why there).
inline HANDLE start_windows_process(const std::vector<std::string>& argv, const Environment& env, const std::filesystem::path& log,
                                    const std::filesystem::path& cwd) {
    std::wstring command;
    // Quoted as run_program and the scheduled task's command are (CommandLineToArgvW rules; only ASCII characters matter to them).
    for (const auto& a : argv) command += (command.empty() ? L"" : L" ") + std::filesystem::u8path(platform::windows_quote(a)).wstring();
    // The environment: ours with `env` on top.
    std::map<std::wstring, std::wstring> vars;
    if (wchar_t* block = ::GetEnvironmentStringsW()) {
        for (const wchar_t* p = block; *p; p += std::wcslen(p) + 1) {
            const std::wstring entry = p;
            const auto eq = entry.find(L'=', 1);
            if (eq != std::wstring::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
        ::FreeEnvironmentStringsW(block);
    }
    for (const auto& [k, v] : env) vars[std::filesystem::u8path(k).wstring()] = std::filesystem::u8path(v).wstring();
    std::wstring block;
    for (const auto& [k, v] : vars) block += k + L"=" + v + L'\0';
    block += L'\0';
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    const HANDLE out = ::CreateFileW(log.empty() ? L"NUL" : log.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                                     log.empty() ? OPEN_EXISTING : CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = ::GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = out;
    startup.hStdError = log.empty() ? ::GetStdHandle(STD_ERROR_HANDLE) : out;
    PROCESS_INFORMATION process{};
    const BOOL ok = ::CreateProcessW(nullptr, command.data(), nullptr, nullptr, TRUE, CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW, block.data(),
                                     cwd.empty() ? nullptr : cwd.c_str(), &startup, &process);
    const DWORD err = ::GetLastError();
    if (out != INVALID_HANDLE_VALUE) ::CloseHandle(out);
    if (!ok || process.hProcess == nullptr) throw std::runtime_error("cannot start '" + argv.at(0) + "' (Windows error " + std::to_string(err) + ")");
    ::CloseHandle(process.hThread);
    return process.hProcess;
}
#endif

// ---- servers -------------------------------------------------------------------

// A child process with its output in `log`; stopped (SIGTERM, then SIGKILL) when destroyed.
class ChildProcess {
public:
    ChildProcess(std::vector<std::string> argv, const Environment& env, std::filesystem::path log, std::filesystem::path cwd = {})
        : log_(std::move(log)) {
#ifdef _WIN32
        if (!argv.empty() && !argv[0].empty() && argv[0][0] == '/') {  // a Linux program: the broker runs it
            std::string request = "start\nlog=" + linux_path(log_.string()) + "\ncwd=" + (cwd.empty() ? "" : linux_path(cwd.string())) + "\n";
            for (const auto& [k, v] : env) request += "env=" + k + "=" + v + "\n";
            for (const auto& a : argv) request += "arg=" + linux_path(a) + "\n";
            const std::string answer = ask_broker(request + "\n");
            if (answer.rfind("ok ", 0) != 0) throw std::runtime_error("the process broker could not start '" + argv[0] + "': " + answer);
            broker_id_ = answer.substr(3);
            return;
        }
        process_ = start_windows_process(argv, env, log_, cwd);
#else
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
            for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(a.data());
            args.push_back(nullptr);
            ::execvp(args[0], args.data());
            ::_exit(127);
        }
#endif
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Runs a program to its end with output in `log`; its exit code.
    static int run(const std::vector<std::string>& argv, const std::filesystem::path& log, const Environment& env = {}) {
        ChildProcess child(argv, env, log);
        for (;;) {
            if (const int code = child.exit_code(); code != still_running) return code;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    void stop() {
#ifdef _WIN32
        if (!broker_id_.empty()) {
            ask_broker("stop " + broker_id_ + "\n");
            broker_id_.clear();
        }
        if (process_ != nullptr) {
            ::TerminateProcess(process_, 1);
            ::WaitForSingleObject(process_, 5000);
            ::CloseHandle(process_);
            process_ = nullptr;
        }
#else
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
#endif
    }

    // Waits until something accepts connections on `port`; throws with the log if the process ends or time runs out.
    void wait_for_port(int port, std::chrono::seconds timeout = std::chrono::seconds(20)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (port_open(port)) return;
            if (exit_code() != still_running) throw std::runtime_error("server exited early: " + log());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("server did not listen on port " + std::to_string(port) + ": " + log());
    }

    std::string log() const {
        std::ifstream in(log_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    static constexpr int still_running = -1000;
    // The exit code once the process has ended (and then forgets it), else still_running.
    int exit_code() {
#ifdef _WIN32
        if (!broker_id_.empty()) {
            const std::string answer = ask_broker("status " + broker_id_ + "\n");
            if (answer == "running") return still_running;
            broker_id_.clear();
            return answer.rfind("exited ", 0) == 0 ? std::stoi(answer.substr(7)) : -1;
        }
        if (process_ == nullptr) return -1;
        if (::WaitForSingleObject(process_, 0) != WAIT_OBJECT_0) return still_running;
        DWORD code = 0;
        ::GetExitCodeProcess(process_, &code);
        ::CloseHandle(process_);
        process_ = nullptr;
        return static_cast<int>(code);
#else
        if (pid_ <= 0) return -1;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return still_running;
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
#endif
    }

private:
    std::filesystem::path log_;
#ifdef _WIN32
    HANDLE process_ = nullptr;
    std::string broker_id_;
#else
    pid_t pid_ = -1;
#endif
};

// ---- test operations in a child process ------------------------------------------

// An operation a test runs in a child process: gets its arguments, returns the exit code.
using ChildOperation = std::function<int(const std::vector<std::string>&)>;

inline std::map<std::string, ChildOperation>& child_operations() {
    static std::map<std::string, ChildOperation> operations;
    return operations;
}

// Registers an operation under a name, at static initialisation: `const ChildOp op("name", [](const auto& args) { ... });`
struct ChildOp {
    ChildOp(const std::string& name, ChildOperation operation) { child_operations()[name] = std::move(operation); }
};

inline int run_child_operation(const std::string& name, const std::vector<std::string>& args) {
    const auto found = child_operations().find(name);
    if (found == child_operations().end()) {
        std::fprintf(stderr, "no child operation '%s'\n", name.c_str());
        return 125;
    }
    return found->second(args);
}

#ifdef _WIN32
// While it lives, this process's environment has no GoogleTest sharding settings
// (a sharded run's would leave out the one test a child's command line names),
// for children that code under test starts with this environment (run_program).
class UnshardedChildren {
public:
    UnshardedChildren() {
        for (auto& [name, old] : saved_) {
            wchar_t value[64];
            const DWORD n = ::GetEnvironmentVariableW(name, value, 64);
            if (n > 0 && n < 64) old = value;
            ::SetEnvironmentVariableW(name, nullptr);
        }
    }
    ~UnshardedChildren() {
        for (const auto& [name, old] : saved_)
            if (!old.empty()) ::SetEnvironmentVariableW(name, old.c_str());
    }
    UnshardedChildren(const UnshardedChildren&) = delete;
    UnshardedChildren& operator=(const UnshardedChildren&) = delete;

private:
    std::pair<const wchar_t*, std::wstring> saved_[2] = {{L"GTEST_TOTAL_SHARDS", L""}, {L"GTEST_SHARD_INDEX", L""}};
};

// The command line that makes this test program run `operation` (child_process_test.cpp's entry).
inline std::vector<std::string> child_command(const std::string& operation, const std::vector<std::string>& args) {
    std::vector<std::string> argv{this_program().u8string(), "--gtest_filter=ChildProcess.DISABLED_Entry", "--gtest_also_run_disabled_tests",
                                  "--gtest_brief=1", "--ocscert-child=" + operation};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}
#endif

// A registered operation running in a child process, with `env` added to the environment.
class ChildRun {
public:
    ChildRun(const std::string& operation, const std::vector<std::string>& args, const Environment& env = {}) {
#ifdef _WIN32
        // One shard of one: a sharded test run's settings would leave the child's only test out.
        Environment child_env = env;
        child_env.emplace_back("GTEST_TOTAL_SHARDS", "1");
        child_env.emplace_back("GTEST_SHARD_INDEX", "0");
        process_ = start_windows_process(child_command(operation, args), child_env, {}, {});
#else
        std::fflush(nullptr);
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
            std::_Exit(run_child_operation(operation, args));
        }
#endif
    }
    ChildRun(const ChildRun&) = delete;
    ChildRun& operator=(const ChildRun&) = delete;
    ChildRun(ChildRun&& other) noexcept { *this = std::move(other); }
    ChildRun& operator=(ChildRun&& other) noexcept {
#ifdef _WIN32
        std::swap(process_, other.process_);
#else
        std::swap(pid_, other.pid_);
#endif
        return *this;
    }
    ~ChildRun() { wait(); }

    // Its exit code (-1 if it did not exit normally).
    int wait() {
#ifdef _WIN32
        if (process_ == nullptr) return code_;
        ::WaitForSingleObject(process_, INFINITE);
        DWORD code = 0;
        code_ = ::GetExitCodeProcess(process_, &code) ? static_cast<int>(code) : -1;
        ::CloseHandle(process_);
        process_ = nullptr;
#else
        if (pid_ <= 0) return code_;
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
#endif
        return code_;
    }

private:
#ifdef _WIN32
    HANDLE process_ = nullptr;
#else
    pid_t pid_ = -1;
#endif
    int code_ = -1;
};

// Runs `operation` in a child process and returns its exit code.
inline int run_child(const std::string& operation, const std::vector<std::string>& args, const Environment& env = {}) {
    return ChildRun(operation, args, env).wait();
}

// Runs `operation` in a child process that ends at crash point `point` (exit code 86, as if killed there).
inline int run_until_crash(const char* point, const std::string& operation, const std::vector<std::string>& args) {
    return run_child(operation, args, {{"OCSCERT_TEST_CRASH_AT", point}});
}

}  // namespace ocscert::testing
