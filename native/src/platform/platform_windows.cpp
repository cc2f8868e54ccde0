// Windows side of the platform layer. Owner-only means a protected DACL that
// grants the current user (and SYSTEM, which runs the OCS services) alone.
#include "platform/windows_api.hpp"
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>

#include "core/error.hpp"
#include "platform/platform.hpp"

namespace ocscert::platform {

namespace {

[[noreturn]] void io_fail(const std::string& what, const fs::path& path, DWORD err = ::GetLastError()) {
    throw Error(OCSCERT_E_IO, "StoreIoError", "", what + " '" + path.string() + "': Windows error " + std::to_string(err) + ".");
}

// Owner, SYSTEM and Administrators full control; not inherited from the parent.
struct OwnerOnly {
    SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), nullptr, FALSE};
    OwnerOnly() {
        if (!::ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P(A;OICI;FA;;;OW)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",
                                                                    SDDL_REVISION_1, &attributes.lpSecurityDescriptor, nullptr))
            throw Error(OCSCERT_E_IO, "StoreIoError", "", "Cannot build an owner-only security descriptor.");
    }
    ~OwnerOnly() { ::LocalFree(attributes.lpSecurityDescriptor); }
};

}  // namespace

fs::path default_store_path() {
    PWSTR folder = nullptr;
    if (::SHGetKnownFolderPath(FOLDERID_ProgramData, 0, nullptr, &folder) != S_OK)
        throw Error(OCSCERT_E_IO, "StorePathUnknown", "storePath", "ProgramData is not known; give the store path explicitly.");
    fs::path path = fs::path(folder) / "OcsCert";
    ::CoTaskMemFree(folder);
    return path;
}

std::string local_fqdn() {
    char name[256] = {};
    DWORD size = sizeof name;
    if (!::GetComputerNameExA(ComputerNameDnsFullyQualified, name, &size)) return {};
    return name;
}

void create_private_directories(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return;
    if (path.has_parent_path() && path.parent_path() != path) create_private_directories(path.parent_path());
    OwnerOnly sd;
    if (!::CreateDirectoryW(path.c_str(), &sd.attributes) && ::GetLastError() != ERROR_ALREADY_EXISTS)
        io_fail("Cannot create the folder", path);
}

void write_new_file(const fs::path& path, std::string_view data, bool owner_only) {
    OwnerOnly sd;
    HANDLE file = ::CreateFileW(path.c_str(), GENERIC_WRITE, 0, owner_only ? &sd.attributes : nullptr, CREATE_NEW,
                                FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) io_fail("Cannot create", path);
    DWORD written = 0;
    const BOOL ok = ::WriteFile(file, data.data(), static_cast<DWORD>(data.size()), &written, nullptr) &&
                    written == data.size() && ::FlushFileBuffers(file);
    const DWORD err = ::GetLastError();
    ::CloseHandle(file);
    if (!ok) {
        ::DeleteFileW(path.c_str());
        io_fail("Cannot write", path, err);
    }
}

void rename_durably(const fs::path& from, const fs::path& to) {
    if (!::MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_WRITE_THROUGH)) {
        const DWORD err = ::GetLastError();
        if (err == ERROR_ALREADY_EXISTS || err == ERROR_FILE_EXISTS)
            throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyExists", "", "'" + to.string() + "' exists already.");
        io_fail("Cannot rename into", to, err);
    }
}

void replace_file(const fs::path& from, const fs::path& to) {
    if (!::MoveFileExW(from.c_str(), to.c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) io_fail("Cannot replace", to);
}

// Windows cannot rename a directory link over another; the switch is a
// pointer file "<link>.target" replaced in one step, and the link itself (a
// junction-free plain folder name services read through) is the pointer's
// folder. Services on Windows read the pointer file, as documented.
void switch_link(const fs::path& link, const fs::path& target) {
    const fs::path staged = link.wstring() + L".target.new";
    ::DeleteFileW(staged.c_str());
    const std::string text = target.string();
    write_new_file(staged, text, false);
    replace_file(staged, link.wstring() + L".target");
}

fs::path read_link(const fs::path& link) {
    std::ifstream in(fs::path(link.wstring() + L".target"));  // a path, not a wstring: opening by wstring is an MSVC extension
    std::string text;
    std::getline(in, text);
    return fs::path(text);
}

bool is_owner_only(const fs::path& path) {
    // The files are created with a protected owner-only DACL; report whether it still is protected.
    PSECURITY_DESCRIPTOR sd = nullptr;
    if (::GetNamedSecurityInfoW(path.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, nullptr, nullptr, &sd) != ERROR_SUCCESS)
        return false;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0;
    const bool protected_dacl = ::GetSecurityDescriptorControl(sd, &control, &revision) && (control & SE_DACL_PROTECTED);
    ::LocalFree(sd);
    return protected_dacl;
}

bool same_file_name(const fs::path& a, const fs::path& b) {
    // NTFS names are case-insensitive: C:\Stores\OcsCert is C:\stores\ocscert.
    return ::CompareStringOrdinal(a.c_str(), -1, b.c_str(), -1, TRUE) == CSTR_EQUAL;
}

FileLock::FileLock(const fs::path& lock_file, std::chrono::milliseconds timeout) {
    HANDLE file = ::CreateFileW(lock_file.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                                OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE) io_fail("Cannot open the lock file", lock_file);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int attempt = 0;
    OVERLAPPED whole{};
    while (!::LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD, &whole)) {
        if (std::chrono::steady_clock::now() >= deadline) {
            ::CloseHandle(file);
            throw Error(OCSCERT_E_BUSY, "StoreBusy", "", "The store is locked by another writer ('" + lock_file.string() + "'); try again later.");
        }
        std::this_thread::sleep_for(lock_retry_pause(attempt++));
    }
    handle_ = reinterpret_cast<std::intptr_t>(file);
}

FileLock::~FileLock() { ::CloseHandle(reinterpret_cast<HANDLE>(handle_)); }

int run_program(const fs::path& program, const std::vector<std::string>& arguments, std::chrono::seconds timeout, const std::string& field) {
    // Quoted in UTF-8, then widened: the quoting rules only look at ASCII characters.
    std::wstring command = fs::u8path(windows_quote(program.u8string())).wstring();
    for (const auto& a : arguments) command += L" " + fs::u8path(windows_quote(a)).wstring();
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION process{};
    if (!CreateProcessW(program.wstring().c_str(), command.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr, nullptr, &startup, &process))
        throw Error(OCSCERT_E_INVALID_ARGUMENT, "ProgramNotStarted", field, "Could not run '" + program.u8string() + "' (error " + std::to_string(GetLastError()) + ").");
    CloseHandle(process.hThread);
    const DWORD waited = WaitForSingleObject(process.hProcess, static_cast<DWORD>(timeout.count() * 1000));
    if (waited == WAIT_FAILED) {
        // Not a timeout: the wait itself failed (e.g. no process handle, as Wine gives for a non-Windows program).
        const DWORD err = GetLastError();
        if (process.hProcess) {
            TerminateProcess(process.hProcess, 1);
            CloseHandle(process.hProcess);
        }
        throw Error(OCSCERT_E_INVALID_ARGUMENT, "ProgramNotStarted", field,
                    "Could not wait for '" + program.u8string() + "' (Windows error " + std::to_string(err) + ").");
    }
    DWORD code = 0;
    if (waited != WAIT_OBJECT_0) TerminateProcess(process.hProcess, 1);
    const BOOL got_code = GetExitCodeProcess(process.hProcess, &code);
    const DWORD code_err = GetLastError();
    CloseHandle(process.hProcess);
    if (waited == WAIT_OBJECT_0 && !got_code)
        throw Error(OCSCERT_E_INVALID_ARGUMENT, "ProgramNotStarted", field,
                    "Could not read the exit code of '" + program.u8string() + "' (Windows error " + std::to_string(code_err) + ").");
    if (waited != WAIT_OBJECT_0)
        throw Error(OCSCERT_E_NETWORK, "ProgramTimeout", field,
                    "'" + program.u8string() + "' did not finish within " + std::to_string(timeout.count()) + " s and was stopped.");
    return static_cast<int>(code);
}

}  // namespace ocscert::platform
