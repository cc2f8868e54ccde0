// The parts of the platform layer that are the same everywhere (bar a call or two).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "platform/platform.hpp"

namespace ocscert::platform {

std::string utc_now() { return utc_in(std::chrono::seconds(0)); }

bool is_inside(const fs::path& path, const fs::path& folder) {
    std::error_code ec;
    const fs::path inner = fs::weakly_canonical(path, ec);
    if (ec) return false;
    const fs::path outer = fs::weakly_canonical(folder, ec);
    if (ec) return false;
    auto at = inner.begin();
    for (const auto& part : outer) {
        if (part.empty()) continue;  // a trailing separator
        if (at == inner.end() || !same_file_name(*at, part)) return false;
        ++at;
    }
    return true;
}

namespace {

std::string utc_format(std::time_t seconds, const char* suffix) {
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &seconds);
#else
    gmtime_r(&seconds, &tm);
#endif
    char text[40];
    const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(text + n, sizeof text - n, "%s", suffix);
    return text;
}

}  // namespace

std::string utc_in(std::chrono::seconds delay) {
    const auto now = std::chrono::system_clock::now() + delay;
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, ".%03dZ", static_cast<int>(millis));
    return utc_format(std::chrono::system_clock::to_time_t(now), suffix);
}

std::string utc_text(std::time_t time) { return utc_format(time, "Z"); }

bool parse_utc(const std::string& text, std::time_t& out) {
    std::tm tm{};
    char zone = 0;
    if (text.size() != 20 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                                         &tm.tm_sec, &zone) != 7 || zone != 'Z')
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
#ifdef _WIN32
    out = _mkgmtime(&tm);
#else
    out = timegm(&tm);
#endif
    return out != static_cast<std::time_t>(-1);
}

std::chrono::milliseconds lock_retry_pause(int attempt) { return std::chrono::milliseconds(1 << std::min(std::max(attempt, 0), 4)); }

std::string windows_quote(std::string_view argument) {
    if (!argument.empty() && argument.find_first_of(" \t\n\v\"") == std::string_view::npos) return std::string(argument);
    std::string out = "\"";
    std::size_t backslashes = 0;
    for (char c : argument) {
        if (c == '\\') {
            ++backslashes;
            continue;
        }
        // Backslashes are literal unless they come before a quote: then each is doubled and the quote escaped.
        out.append(c == '"' ? backslashes * 2 + 1 : backslashes, '\\');
        backslashes = 0;
        out += c;
    }
    out.append(backslashes * 2, '\\');  // before the closing quote
    return out + "\"";
}

void crash_point(const char* point) {
    const char* wanted = std::getenv("OCSCERT_TEST_CRASH_AT");  // read each time: tests set it in forked children
    if (wanted != nullptr && std::strcmp(wanted, point) == 0) std::_Exit(86);
}

}  // namespace ocscert::platform
