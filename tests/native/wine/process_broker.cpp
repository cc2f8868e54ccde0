// The process broker of the Windows test run (cmake/windows/run-tests.sh).
// The Windows test program runs under Wine and cannot start, watch or stop
// Linux programs; the CA servers the tests use (Pebble, pebble-challtestsrv,
// scepserver) are Linux programs. This small Linux program does it for them:
// it listens on 127.0.0.1, prints its port, and runs only the programs named
// on its command line. One request per connection, lines of text:
//   start\nlog=<file>\ncwd=<dir>\n(env=K=V\n)*(arg=<a>\n)+\n  ->  ok <id> | error <why>
//   status <id>\n                                            ->  running | exited <code>
//   stop <id>\n                                              ->  ok
// Paths arrive as Linux paths (the Windows side converts them); Wine names them
// through its drive links (<prefix>/dosdevices/c:/...), whose ':' some programs
// read as a separator (systemd-analyze's path:alias), so they are resolved. A script the
// Windows side wrote (#!, maybe CRLF) is given LF line ends and made executable:
// Wine cannot set a file's Unix mode.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::set<std::string> allowed;
std::set<pid_t> children;
volatile sig_atomic_t stopping = 0;

void on_signal(int) { stopping = 1; }

void make_script_runnable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 65536) return;
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.rfind("#!", 0) != 0) return;
    std::string lf;
    for (char c : text)
        if (c != '\r') lf += c;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << lf;
    ::chmod(path.c_str(), 0755);
}

// A path through Wine's drive links, resolved to the real folder (the file itself may not exist yet).
std::string resolve_drive_link(const std::string& path) {
    if (path.empty() || path[0] != '/' || path.find("/dosdevices/") == std::string::npos) return path;
    const auto slash = path.rfind('/');
    char* folder = ::realpath(path.substr(0, slash).c_str(), nullptr);
    if (folder == nullptr) return path;
    std::string resolved = std::string(folder) + path.substr(slash);
    std::free(folder);
    return resolved;
}

std::string start(std::istringstream& request) {
    std::string line, log = "/dev/null", cwd;
    std::vector<std::string> env, args;
    while (std::getline(request, line) && !line.empty()) {
        if (line.rfind("log=", 0) == 0) log = resolve_drive_link(line.substr(4));
        else if (line.rfind("cwd=", 0) == 0) cwd = resolve_drive_link(line.substr(4));
        else if (line.rfind("env=", 0) == 0) env.push_back(line.substr(4));
        else if (line.rfind("arg=", 0) == 0) args.push_back(resolve_drive_link(line.substr(4)));
    }
    if (args.empty() || allowed.count(args[0]) == 0) return "error not an allowed program: " + (args.empty() ? "" : args[0]);
    for (std::size_t i = 1; i < args.size(); ++i) make_script_runnable(args[i]);
    const pid_t pid = ::fork();
    if (pid < 0) return "error fork failed";
    if (pid == 0) {
        ::setpgid(0, 0);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
        for (auto& e : env) ::putenv(e.data());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    children.insert(pid);
    return "ok " + std::to_string(pid);
}

std::string status(pid_t pid) {
    if (children.count(pid) == 0) return "exited -1";
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) != pid) return "running";
    children.erase(pid);
    return "exited " + std::to_string(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0));
}

void stop(pid_t pid) {
    if (children.count(pid) == 0) return;
    ::kill(-pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        if (::waitpid(pid, nullptr, WNOHANG) == pid) {
            children.erase(pid);
            return;
        }
        ::usleep(20 * 1000);
    }
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    children.erase(pid);
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) allowed.insert(argv[i]);
    struct sigaction sa {};
    sa.sa_handler = on_signal;  // no SA_RESTART: accept() returns on a signal
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 16) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        std::perror("process broker: cannot listen");
        return 1;
    }
    std::printf("%d\n", ntohs(addr.sin_port));
    std::fflush(stdout);
    while (!stopping) {
        const int fd = ::accept(listener, nullptr, nullptr);
        if (fd < 0) continue;
        std::string data;
        char buf[4096];
        for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
            data.append(buf, static_cast<std::size_t>(n));
            if (data.rfind("start\n", 0) == 0 ? data.find("\n\n") != std::string::npos : data.find('\n') != std::string::npos) break;
        }
        std::istringstream request(data);
        std::string verb;
        std::getline(request, verb);
        std::string answer;
        if (verb == "start") answer = start(request);
        else if (verb.rfind("status ", 0) == 0) answer = status(std::atoi(verb.c_str() + 7));
        else if (verb.rfind("stop ", 0) == 0) {
            stop(std::atoi(verb.c_str() + 5));
            answer = "ok";
        } else answer = "error unknown request";
        answer += "\n";
        ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        ::close(fd);
    }
    while (!children.empty()) stop(*children.begin());  // servers a crashed test left running
    return 0;
}
