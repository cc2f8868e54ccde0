#include "core/text.hpp"

#include <algorithm>
#include <cstdio>

namespace ocscert::text {

std::string quote(std::string_view value) {
    constexpr std::size_t limit = 80;
    std::u32string ignored;
    const bool utf8 = decode_utf8(value, ignored);  // malformed bytes are shown escaped, never passed on
    std::string out = "'";
    std::size_t end = std::min(value.size(), limit);
    while (end < value.size() && end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;  // whole characters only
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80)) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else out += static_cast<char>(c);
    }
    if (value.size() > limit) out += "...";
    return out + "'";
}

// Strict UTF-8 decoding (RFC 3629): anything a lenient decoder would "repair"
// (overlongs, surrogates, out-of-range values) could smuggle unexpected code points.
bool decode_utf8(std::string_view in, std::u32string& out) {
    for (std::size_t i = 0; i < in.size();) {
        const auto b0 = static_cast<unsigned char>(in[i]);
        std::size_t len;
        char32_t cp, min;
        if (b0 < 0x80) { len = 1; cp = b0; min = 0; }
        else if (b0 >= 0xC2 && b0 <= 0xDF) { len = 2; cp = b0 & 0x1F; min = 0x80; }
        else if (b0 >= 0xE0 && b0 <= 0xEF) { len = 3; cp = b0 & 0x0F; min = 0x800; }
        else if (b0 >= 0xF0 && b0 <= 0xF4) { len = 4; cp = b0 & 0x07; min = 0x10000; }
        else return false;  // stray continuation byte, C0/C1 overlong lead, or F5..FF
        if (in.size() - i < len) return false;  // truncated sequence
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(in[i + k]);
            if ((b & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
        out.push_back(cp);
        i += len;
    }
    return true;
}

void append_utf8(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string utf8_from_utf16_with_bom(std::string bytes) {
    if (bytes.size() < 2 || bytes.size() % 2 != 0) return bytes;
    const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    const bool little = b0 == 0xFF && b1 == 0xFE, big = b0 == 0xFE && b1 == 0xFF;
    if (!little && !big) return bytes;
    auto unit = [&](std::size_t i) {
        const auto lo = static_cast<unsigned char>(bytes[i + (little ? 0 : 1)]), hi = static_cast<unsigned char>(bytes[i + (little ? 1 : 0)]);
        return static_cast<char32_t>(hi << 8 | lo);
    };
    std::string out;
    for (std::size_t i = 2; i < bytes.size(); i += 2) {
        char32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            return bytes;  // a lone surrogate: not UTF-16 text after all
        }
        append_utf8(cp, out);
    }
    return out;
}

std::string ascii_lower(std::string_view value) {
    std::string out(value);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string ascii_upper(std::string_view value) {
    std::string out(value);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

bool iequals(std::string_view a, std::string_view b) { return ascii_lower(a) == ascii_lower(b); }

}  // namespace ocscert::text
