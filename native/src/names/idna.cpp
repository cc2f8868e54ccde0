#include "names/idna.hpp"

#include "core/text.hpp"

#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

namespace ocscert::names {
namespace {

// RFC 3492 section 5 parameters for Punycode.
constexpr std::uint32_t kBase = 36;
constexpr std::uint32_t kTMin = 1;
constexpr std::uint32_t kTMax = 26;
constexpr std::uint32_t kSkew = 38;
constexpr std::uint32_t kDamp = 700;
constexpr std::uint32_t kInitialBias = 72;
constexpr std::uint32_t kInitialN = 0x80;
constexpr std::uint32_t kMaxInt = std::numeric_limits<std::uint32_t>::max();
constexpr std::string_view kAcePrefix = "xn--";

char32_t ascii_lower(char32_t c) { return (c >= U'A' && c <= U'Z') ? c + (U'a' - U'A') : c; }

std::string code_point_name(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}


// RFC 3492 section 6.1.
std::uint32_t adapt(std::uint32_t delta, std::uint32_t num_points, bool first_time) {
    delta = first_time ? delta / kDamp : delta / 2;
    delta += delta / num_points;
    std::uint32_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
        delta /= kBase - kTMin;
        k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

// Threshold t for the digit at position k (RFC 3492 section 6.2/6.3).
std::uint32_t threshold(std::uint32_t k, std::uint32_t bias) {
    if (k <= bias) return kTMin;
    if (k >= bias + kTMax) return kTMax;
    return k - bias;
}

char encode_digit(std::uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); }

std::optional<std::uint32_t> decode_digit(char c) {
    if (c >= 'a' && c <= 'z') return static_cast<std::uint32_t>(c - 'a');
    if (c >= 'A' && c <= 'Z') return static_cast<std::uint32_t>(c - 'A');
    if (c >= '0' && c <= '9') return static_cast<std::uint32_t>(c - '0' + 26);
    return std::nullopt;
}

// RFC 3492 section 6.3; nullopt only on arithmetic overflow (absurdly long input).
std::optional<std::string> punycode_encode(const std::u32string& input) {
    // Counts below fit in uint32 only if the input does; bail out rather than wrap.
    if (input.size() >= kMaxInt) return std::nullopt;
    std::string out;
    for (char32_t c : input)
        if (c < kInitialN) out += static_cast<char>(c);
    const auto b = static_cast<std::uint32_t>(out.size());
    if (b > 0) out += '-';

    std::uint32_t n = kInitialN, delta = 0, bias = kInitialBias, h = b;
    while (h < input.size()) {
        std::uint32_t m = kMaxInt;
        for (char32_t c : input)
            if (c >= n && c < m) m = c;
        if ((m - n) > (kMaxInt - delta) / (h + 1)) return std::nullopt;
        delta += (m - n) * (h + 1);
        n = m;
        for (char32_t c : input) {
            if (c < n && ++delta == 0) return std::nullopt;
            if (c != n) continue;
            std::uint32_t q = delta;
            for (std::uint32_t k = kBase;; k += kBase) {
                const std::uint32_t t = threshold(k, bias);
                if (q < t) break;
                out += encode_digit(t + (q - t) % (kBase - t));
                q = (q - t) / (kBase - t);
            }
            out += encode_digit(q);
            bias = adapt(delta, h + 1, h == b);
            delta = 0;
            ++h;
        }
        if (++delta == 0) return std::nullopt;
        ++n;
    }
    return out;
}

// RFC 3492 section 6.2, additionally rejecting results that are not Unicode scalar values.
std::optional<std::u32string> punycode_decode(std::string_view input) {
    std::u32string out;
    const std::size_t delim = input.rfind('-');
    std::size_t in = 0;
    if (delim != std::string_view::npos) {
        for (std::size_t j = 0; j < delim; ++j) {
            const auto c = static_cast<unsigned char>(input[j]);
            if (c >= kInitialN) return std::nullopt;
            out.push_back(c);
        }
        in = delim > 0 ? delim + 1 : 0;
    }
    if (input.size() >= kMaxInt) return std::nullopt;

    std::uint32_t n = kInitialN, i = 0, bias = kInitialBias;
    while (in < input.size()) {
        const std::uint32_t old_i = i;
        std::uint32_t w = 1;
        for (std::uint32_t k = kBase;; k += kBase) {
            if (in >= input.size()) return std::nullopt;
            const auto digit = decode_digit(input[in++]);
            if (!digit || *digit > (kMaxInt - i) / w) return std::nullopt;
            i += *digit * w;
            const std::uint32_t t = threshold(k, bias);
            if (*digit < t) break;
            if (w > kMaxInt / (kBase - t)) return std::nullopt;
            w *= kBase - t;
        }
        const auto len = static_cast<std::uint32_t>(out.size()) + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        if (i / len > kMaxInt - n) return std::nullopt;
        n += i / len;
        i %= len;
        if (n < kInitialN || n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return std::nullopt;
        out.insert(out.begin() + i, static_cast<char32_t>(n));
        ++i;
    }
    return out;
}

// Lower case for the scripts pool names are written in: ASCII, Latin-1, Latin
// Extended-A, Greek and Cyrillic. Other scripts pass unchanged: full Unicode
// case mapping (UTS #46) needs tables this library does not carry.
char32_t lower_case(char32_t c) {
    auto pair = [&](char32_t first, char32_t last, bool upper_is_even) {
        return c >= first && c <= last && ((c % 2 == 0) == upper_is_even);
    };
    if (c < 0x80) return ascii_lower(c);
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
    if (pair(0x100, 0x12F, true) || pair(0x132, 0x137, true) || pair(0x139, 0x148, false) || pair(0x14A, 0x177, true) ||
        pair(0x179, 0x17E, false))
        return c + 1;
    if (c == 0x178) return 0xFF;
    if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB)) return c + 0x20;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 0x25;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 0x3F;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (pair(0x460, 0x481, true) || pair(0x48A, 0x4BF, true) || pair(0x4C1, 0x4CE, false) || pair(0x4D0, 0x52F, true)) return c + 1;
    if (c == 0x4C0) return 0x4CF;
    return c;
}

}  // namespace

std::optional<std::string> to_ascii_label(std::string_view utf8_label, std::string& problem) {
    std::u32string cps;
    if (!text::decode_utf8(utf8_label, cps)) {
        problem = "is not valid UTF-8";
        return std::nullopt;
    }
    bool all_ascii = true;
    for (char32_t& c : cps) {
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
            problem = "contains the control character " + code_point_name(c);
            return std::nullopt;
        }
        if (c == U' ') {
            problem = "contains a code point that is not allowed in a host name (" + code_point_name(c) + ")";
            return std::nullopt;
        }
        if (c >= 0x300 && c <= 0x36F) {
            // Without NFC normalisation "u" + U+0308 would encode differently from "ü".
            problem = "contains the combining mark " + code_point_name(c) + "; type the accented letter itself";
            return std::nullopt;
        }
        c = lower_case(c);
        all_ascii = all_ascii && c < 0x80;
    }
    if (all_ascii) return std::string(cps.begin(), cps.end());
    auto encoded = punycode_encode(cps);
    if (!encoded) {
        problem = "is too long to encode as Punycode";
        return std::nullopt;
    }
    return std::string(kAcePrefix) + *encoded;
}

std::optional<std::string> to_unicode_label(std::string_view ascii_label) {
    // DNS is case-insensitive, so compare and decode the lower-cased form.
    std::string lower;
    for (char c : ascii_label) lower += static_cast<char>(ascii_lower(static_cast<unsigned char>(c)));
    if (lower.compare(0, kAcePrefix.size(), kAcePrefix) != 0) return std::nullopt;
    const auto cps = punycode_decode(std::string_view(lower).substr(kAcePrefix.size()));
    if (!cps) return std::nullopt;
    std::string utf8;
    for (char32_t c : *cps) text::append_utf8(c, utf8);
    // Accept only canonical A-labels: re-encoding must reproduce the input exactly. This rejects
    // e.g. "xn--abc-" (pure ASCII) and decoded control characters that must not be displayed.
    std::string ignored;
    const auto again = to_ascii_label(utf8, ignored);
    if (!again || *again != lower) return std::nullopt;
    return utf8;
}

}  // namespace ocscert::names
