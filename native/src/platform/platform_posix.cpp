#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <netdb.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <chrono>
#include <thread>

#include "core/error.hpp"
#include "platform/platform.hpp"

extern char** environ;  // the environment a hook program inherits

namespace ocscert::platform {

namespace {

[[noreturn]] void io_fail(const std::string& what, const fs::path& path, int err = errno) {
    throw Error(OCSCERT_E_IO, "StoreIoError", "", what + " '" + path.string() + "': " + std::strerror(err) + ".");
}

void fsync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) io_fail("Cannot open", path);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) io_fail("Cannot flush", path, err);
}

}  // namespace

fs::path default_store_path() {
#ifdef __APPLE__
    if (const char* home = std::getenv("HOME")) return fs::path(home) / "Library" / "Application Support" / "OcsCert";
#endif
    if (::geteuid() == 0) return "/var/lib/ocscert";
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "ocscert";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".local" / "share" / "ocscert";
    throw Error(OCSCERT_E_IO, "StorePathUnknown", "storePath", "No home folder is known; give the store path explicitly.");
}

std::string local_fqdn() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return {};
    addrinfo hints{};
    hints.ai_flags = AI_CANONNAME;
    addrinfo* info = nullptr;
    std::string name = host;
    if (::getaddrinfo(host, nullptr, &hints, &info) == 0 && info) {
        if (info->ai_canonname) name = info->ai_canonname;
        ::freeaddrinfo(info);
    }
    return name;
}

void create_private_directories(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return;
    if (path.has_parent_path() && path.parent_path() != path) create_private_directories(path.parent_path());
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) io_fail("Cannot create the folder", path);
}

void write_new_file(const fs::path& path, std::string_view data, bool owner_only) {
    // The mode is given at creation, so the file is never readable by others, not even for an instant.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, owner_only ? 0600 : 0644);
    if (fd < 0) io_fail("Cannot create", path);
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(path.c_str());
            io_fail("Cannot write", path, err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(path.c_str());
        io_fail("Cannot flush", path, err);
    }
}

void rename_durably(const fs::path& from, const fs::path& to) {
    // renameat2(RENAME_NOREPLACE) is Linux-only; under the store lock a check first is enough.
    std::error_code ec;
    if (fs::exists(to, ec)) throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyExists", "", "'" + to.string() + "' exists already.");
    if (::rename(from.c_str(), to.c_str()) != 0) io_fail("Cannot rename into", to);
    fsync_path(to.parent_path());
}

void replace_file(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) io_fail("Cannot replace", to);
    fsync_path(to.has_parent_path() ? to.parent_path() : fs::path("."));
}

void switch_link(const fs::path& link, const fs::path& target) {
    const fs::path staged = link.string() + ".new";
    ::unlink(staged.c_str());  // a leftover of a killed switch
    if (::symlink(target.c_str(), staged.c_str()) != 0) io_fail("Cannot create the link", staged);
    if (::rename(staged.c_str(), link.c_str()) != 0) io_fail("Cannot switch the link", link);
    fsync_path(link.parent_path());
}

fs::path read_link(const fs::path& link) {
    std::error_code ec;
    fs::path target = fs::read_symlink(link, ec);
    return ec ? fs::path() : target;
}

bool is_owner_only(const fs::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) == 0;
}

bool same_file_name(const fs::path& a, const fs::path& b) { return a == b; }

FileLock::FileLock(const fs::path& lock_file, std::chrono::milliseconds timeout) {
    const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) io_fail("Cannot open the lock file", lock_file);
    // flock (not fcntl) locks belong to the open file, so threads of one process exclude each other too.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int attempt = 0;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const int err = errno;
            ::close(fd);
            io_fail("Cannot lock", lock_file, err);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            throw Error(OCSCERT_E_BUSY, "StoreBusy", "", "The store is locked by another writer ('" + lock_file.string() + "'); try again later.");
        }
        std::this_thread::sleep_for(lock_retry_pause(attempt++));
    }
    handle_ = fd;
}

FileLock::~FileLock() { ::close(static_cast<int>(handle_)); }  // closing releases the lock

int run_program(const fs::path& program, const std::vector<std::string>& arguments, std::chrono::seconds timeout, const std::string& field) {
    std::vector<std::string> argv_text{program.string()};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
    if (rc != 0)
        throw Error(OCSCERT_E_INVALID_ARGUMENT, "ProgramNotStarted", field, "Could not run '" + program.string() + "': " + std::strerror(rc) + ".");
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            throw Error(OCSCERT_E_NETWORK, "ProgramTimeout", field,
                        "'" + program.string() + "' did not finish within " + std::to_string(timeout.count()) + " s and was stopped.");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace ocscert::platform
