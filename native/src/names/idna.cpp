#include "names/idna.hpp"

#include <idn2.h>

#include <cstdint>
#include <cstdio>
#include <memory>

#include "core/text.hpp"

namespace ocscert::names {
namespace {

// UTS #46 non-transitional mapping (so 'ß' stays 'ß', as browsers do today) on NFC input.
// Not IDN2_USE_STD3_ASCII_RULES: libidn2 2.3.3 then silently drops '_' and ',' (and what maps to
// them) instead of failing; the result is checked here and by the caller for letters, digits and
// hyphens instead.
constexpr int kLookupFlags = IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT;
constexpr std::string_view kAcePrefix = "xn--";

struct Idn2Free {
    void operator()(void* p) const { idn2_free(p); }
};

// libidn2 status and, on success, its output.
struct Converted {
    int rc = IDN2_OK;
    std::string text;
};

Converted lookup_to_ascii(const std::string& label) {
    char* raw = nullptr;
    Converted out;
    out.rc = idn2_to_ascii_8z(label.c_str(), &raw, kLookupFlags);
    const std::unique_ptr<char, Idn2Free> owned(raw);
    if (out.rc == IDN2_OK && raw) out.text = raw;
    return out;
}

Converted decode_a_label(const std::string& a_label) {
    char* raw = nullptr;
    Converted out;
    out.rc = idn2_to_unicode_8z8z(a_label.c_str(), &raw, 0);
    const std::unique_ptr<char, Idn2Free> owned(raw);
    if (out.rc == IDN2_OK && raw) out.text = raw;
    return out;
}

// The lookup conversion checks only that a context character (U+00B7, U+0375, U+05F3, U+05F4,
// U+30FB, Arabic-Indic digits) has a rule; the registration checks apply the rule, as python's
// idna does. A certificate name is a registration more than a lookup.
int registration_check(const std::string& u_label) {
    std::uint8_t* raw = nullptr;
    const int rc = idn2_register_u8(reinterpret_cast<const std::uint8_t*>(u_label.c_str()), nullptr, &raw, IDN2_NFC_INPUT);
    const std::unique_ptr<std::uint8_t, Idn2Free> owned(raw);
    return rc;
}

bool is_ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool all_ldh(std::string_view s) {
    for (char c : s)
        if (!is_ldh(c)) return false;
    return true;
}

bool all_ascii(const std::u32string& cps) {
    for (char32_t c : cps)
        if (c >= 0x80) return false;
    return true;
}

// Characters that show nothing (or reorder the text) on a terminal: named by number only.
bool invisible(char32_t c) {
    return c < 0xA1 || c == 0xAD || (c >= 0x300 && c <= 0x36F) || c == 0x34F || c == 0x61C || c == 0x115F || c == 0x1160 ||
           c == 0x1680 || (c >= 0x17B4 && c <= 0x17B5) || (c >= 0x180B && c <= 0x180F) || (c >= 0x2000 && c <= 0x200F) ||
           (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0x3164 ||
           (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFFB) ||
           (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF) ||
           (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
}

// "U+2603 '☃'", or "U+200D" for a character that would not show.
std::string describe(char32_t c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    std::string out = buf;
    if (!invisible(c)) {
        out += " '";
        text::append_utf8(c, out);
        out += "'";
    }
    return out;
}

std::string utf8_of(char32_t c) {
    std::string s;
    text::append_utf8(c, s);
    return s;
}

// The first code point that fails on its own (after an 'a', so it is not a leading mark) with
// `rc`, e.g. the disallowed one; libidn2 says what failed, not where.
std::optional<char32_t> culprit(const std::u32string& cps, int rc) {
    for (char32_t c : cps)
        if (c >= 0x80 && lookup_to_ascii("a" + utf8_of(c)).rc == rc) return c;
    return std::nullopt;
}

std::optional<char32_t> first_of(const std::u32string& cps, bool (*match)(char32_t)) {
    for (char32_t c : cps)
        if (match(c)) return c;
    return std::nullopt;
}

bool is_joiner(char32_t c) { return c == 0x200C || c == 0x200D; }
bool is_context_o(char32_t c) {
    return c == 0xB7 || c == 0x375 || c == 0x5F3 || c == 0x5F4 || c == 0x30FB || (c >= 0x660 && c <= 0x669) ||
           (c >= 0x6F0 && c <= 0x6F9);
}

// What a libidn2 refusal means, for someone who typed the name.
std::string explain(int rc, const std::u32string& cps) {
    switch (rc) {
    case IDN2_DISALLOWED: {
        const auto c = culprit(cps, IDN2_DISALLOWED);
        return (c ? "contains " + describe(*c) : std::string("contains a character")) +
               ", which IDNA2008 does not allow in a domain name (symbols, emoji and punctuation are not letters)";
    }
    case IDN2_UNASSIGNED: {
        const auto c = culprit(cps, IDN2_UNASSIGNED);
        return (c ? "contains " + describe(*c) : std::string("contains a code point")) +
               ", which is not assigned in the Unicode version this library knows";
    }
    case IDN2_CONTEXTJ:
    case IDN2_CONTEXTJ_NO_RULE: {
        const auto c = first_of(cps, is_joiner);
        if (c && *c == 0x200D)
            return "contains U+200D (zero width joiner, an invisible character often pasted from documents), which "
                   "IDNA2008 allows only after a virama";
        return "contains U+200C (zero width non-joiner, an invisible character often pasted from documents), which "
               "IDNA2008 allows only after a virama or between joining letters";
    }
    case IDN2_CONTEXTO:
    case IDN2_CONTEXTO_NO_RULE: {
        const auto c = first_of(cps, is_context_o);
        return (c ? "contains " + describe(*c) : std::string("contains a character")) +
               " outside the context IDNA2008 allows for it (RFC 5892 appendix A; e.g. a middle dot only between two l's)";
    }
    case IDN2_BIDI:
        return "breaks the IDNA2008 rule for right-to-left labels (RFC 5893): such a label must start with a "
               "right-to-left letter and must not mix in left-to-right letters";
    case IDN2_LEADING_COMBINING:
        return "has a label that begins with a combining mark (" + describe(cps.empty() ? 0 : cps.front()) + ")";
    case IDN2_HYPHEN_STARTEND:
        return "has a label that begins or ends with a hyphen";
    case IDN2_2HYPHEN:
        return "has a label with hyphens as its third and fourth characters, which only A-labels ('xn--') may have";
    case IDN2_TOO_BIG_LABEL:
    case IDN2_PUNYCODE_BIG_OUTPUT:
        return "has a label of more than 63 characters once encoded as an A-label; at most 63 are allowed";
    case IDN2_ENCODING_ERROR:
        return "is not valid UTF-8";
    default:
        return std::string("is not a valid international domain name (") + idn2_strerror(rc) + ")";
    }
}

// "xn--..." (lower case): valid when its Punycode decodes to a label that UTS #46 leaves as it is
// and IDNA2008 allows, which then encodes back to the same A-label.
std::optional<std::string> check_a_label(const std::string& a_label, std::string& problem) {
    const Converted u = decode_a_label(a_label);
    std::u32string cps;
    if (u.rc != IDN2_OK || !text::decode_utf8(u.text, cps) || all_ascii(cps)) {
        problem = "has a label starting with 'xn--' that is not valid Punycode";
        return std::nullopt;
    }
    const Converted again = lookup_to_ascii(a_label);
    int rc = again.rc;
    if (rc == IDN2_OK && again.text != a_label) rc = IDN2_ALABEL_ROUNDTRIP_FAILED;
    if (rc == IDN2_OK) rc = registration_check(u.text);
    if (rc == IDN2_OK) return u.text;
    problem = "has the label '" + a_label + "', whose Punycode decodes to a label IDNA2008 does not allow (it ";
    const auto control = first_of(cps, [](char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); });
    if (control)
        problem += "contains the control character " + describe(*control);
    else if (rc == IDN2_INVALID_NONTRANSITIONAL || rc == IDN2_ALABEL_ROUNDTRIP_FAILED)
        problem += "is not in the form UTS #46 maps names to: upper case, or another spelling of the same name";
    else
        problem += explain(rc, cps);
    problem += ")";
    return std::nullopt;
}

}  // namespace

std::vector<std::string_view> split_idna_labels(std::string_view name) {
    // U+3002 = E3 80 82, U+FF0E = EF BC 8E, U+FF61 = EF BD A1.
    auto separator_at = [&](std::size_t i) -> std::size_t {
        if (name[i] == '.') return 1;
        const std::string_view rest = name.substr(i);
        for (std::string_view s : {std::string_view("\xE3\x80\x82"), std::string_view("\xEF\xBC\x8E"), std::string_view("\xEF\xBD\xA1")})
            if (rest.substr(0, s.size()) == s) return s.size();
        return 0;
    };
    std::vector<std::string_view> labels;
    std::size_t start = 0;
    for (std::size_t i = 0; i < name.size();) {
        if (const std::size_t n = separator_at(i)) {
            labels.push_back(name.substr(start, i - start));
            i += n;
            start = i;
        } else {
            ++i;
        }
    }
    labels.push_back(name.substr(start));
    return labels;
}

std::optional<std::string> to_ascii_label(std::string_view utf8_label, std::string& problem) {
    std::u32string cps;
    if (!text::decode_utf8(utf8_label, cps)) {
        problem = "is not valid UTF-8";
        return std::nullopt;
    }
    for (char32_t c : cps) {
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
            problem = "contains the control character " + describe(c);
            return std::nullopt;
        }
        if (c == U' ') {
            problem = "contains a code point that is not allowed in a host name (U+0020)";
            return std::nullopt;
        }
    }
    if (all_ascii(cps)) {
        std::string label = text::ascii_lower(utf8_label);
        if (label.compare(0, kAcePrefix.size(), kAcePrefix) == 0) {
            if (!check_a_label(label, problem)) return std::nullopt;
        } else if (label.size() >= 4 && label[2] == '-' && label[3] == '-') {
            problem = explain(IDN2_2HYPHEN, cps);
            return std::nullopt;
        }
        return label;
    }

    const Converted converted = lookup_to_ascii(std::string(utf8_label));
    if (converted.rc != IDN2_OK) {
        problem = explain(converted.rc, cps);
        return std::nullopt;
    }
    const std::string& label = converted.text;
    if (!all_ldh(label)) {
        // Something mapped to ASCII that a host name cannot hold, e.g. U+FF0C fullwidth comma to ','.
        for (char32_t c : cps) {
            const Converted alone = lookup_to_ascii(utf8_of(c));
            if (c >= 0x80 && alone.rc == IDN2_OK && !all_ldh(alone.text)) {
                problem = "contains " + describe(c) + ", which stands for " + text::quote(alone.text);
                return std::nullopt;
            }
        }
        return label;  // the caller names the ASCII character
    }
    if (label.compare(0, kAcePrefix.size(), kAcePrefix) == 0) {
        const int rc = registration_check(decode_a_label(label).text);
        if (rc != IDN2_OK) {
            problem = explain(rc, cps);
            return std::nullopt;
        }
    }
    return label;
}

std::optional<std::string> to_unicode_label(std::string_view ascii_label) {
    const std::string lower = text::ascii_lower(ascii_label);
    if (lower.compare(0, kAcePrefix.size(), kAcePrefix) != 0) return std::nullopt;
    for (char c : lower)
        if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
    std::string ignored;
    return check_a_label(lower, ignored);
}

}  // namespace ocscert::names
