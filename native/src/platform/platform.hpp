#pragma once
// Everything that differs between Windows and POSIX, behind one small
// interface: where the store lives, owner-only files, durable atomic
// replacement, inter-process locking and the computer's own name.
// platform_posix.cpp and platform_windows.cpp implement it.
#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ocscert::platform {

namespace fs = std::filesystem;

// The store's default folder: %ProgramData%\OcsCert on Windows (the machine's
// store, as the wizard used the machine key set); /var/lib/ocscert for root
// and $XDG_DATA_HOME/ocscert (~/.local/share/ocscert) for others elsewhere.
fs::path default_store_path();

// Now, as UTC ISO 8601 to the millisecond (so records sort by creation): 2026-11-25T09:30:00.123Z.
std::string utc_now();
// The same for `delay` from now: when to do something again.
std::string utc_in(std::chrono::seconds delay);

// A time as "YYYY-MM-DDTHH:MM:SSZ" (UTC), as certificates' dates are shown.
std::string utc_text(std::time_t time);

// Reads "YYYY-MM-DDTHH:MM:SSZ" (UTC); false if `text` is not exactly that.
bool parse_utc(const std::string& text, std::time_t& out);

// The computer's fully qualified DNS name as the resolver knows it.
std::string local_fqdn();

// Creates the folder (and parents) so that only the owner can enter it.
void create_private_directories(const fs::path& path);

// Creates `path`, which must not exist yet, with `data`, readable by the owner
// only when `owner_only`, and flushes it to disk before returning.
void write_new_file(const fs::path& path, std::string_view data, bool owner_only);

// Makes `from` (a file or folder) appear at `to` in one step and durably;
// `to` must not exist. Readers see either nothing or the complete thing.
void rename_durably(const fs::path& from, const fs::path& to);

// Replaces the file `to` with `from` in one step (an existing `to` is overwritten).
void replace_file(const fs::path& from, const fs::path& to);

// Points the link `link` at the folder `target` (relative to the link's
// folder) in one step: readers following the link see the old folder or the
// new one, never neither. POSIX: a symbolic link renamed over the old one.
void switch_link(const fs::path& link, const fs::path& target);

// The folder a link made by switch_link points at (relative), or empty if there is none.
fs::path read_link(const fs::path& link);

// True if only the owner may read `path`.
bool is_owner_only(const fs::path& path);

// True if `path` is `folder` or inside it, once links in the existing part of either are resolved
// (so a store's live link counts as inside it), comparing each name with same_file_name.
bool is_inside(const fs::path& path, const fs::path& folder);

// True if two names of one folder's entries name the same entry: on Windows without regard to case, as NTFS.
bool same_file_name(const fs::path& a, const fs::path& b);

// An exclusive lock on a lock file, held across processes and threads until
// destroyed. Waits up to `timeout`, then throws Error(OCSCERT_E_BUSY). Neither
// flock nor LockFileEx can wait with a timeout, so a held lock is tried again
// after each lock_retry_pause.
class FileLock {
public:
    FileLock(const fs::path& lock_file, std::chrono::milliseconds timeout);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    std::intptr_t handle_;
};

// The pause before the `attempt`th retry (0, 1, ...) of a held lock: 1 ms doubling to 16 ms. The store's
// writers hold its lock for a few ms (a few fsyncs); a fixed 20 ms pause left orders at once in one
// process (several roles) waiting on each other most of the time.
std::chrono::milliseconds lock_retry_pause(int attempt);

// One argument quoted for a Windows command line so that CommandLineToArgvW (and
// the C runtime of the program started) reads it back unchanged. Pure, so it is
// the same on every platform: run_program uses it, and so do the scheduled task's
// command line and the tests' child processes. UTF-8 in and out: only ASCII
// characters (space, tab, quote, backslash) matter to the rules.
std::string windows_quote(std::string_view argument);

// Runs `program` with `arguments` (no shell in between, so nothing in them is
// interpreted) and waits up to `timeout`; returns its exit code. A program that
// cannot be started, or runs too long (it is then killed), throws Error naming `field`.
int run_program(const fs::path& program, const std::vector<std::string>& arguments, std::chrono::seconds timeout, const std::string& field);

// Test hook: if OCSCERT_TEST_CRASH_AT names `point`, the process ends at once
// (as a kill would), so tests can check that every write survives a crash.
void crash_point(const char* point);

}  // namespace ocscert::platform
