#pragma once
#include <optional>
#include <string>
#include <string_view>
namespace ocscert::names {
// Converts one DNS label given in UTF-8 to its ASCII form: an ASCII label is returned
// lower-cased and unchanged otherwise; a label with non-ASCII code points is encoded as
// an IDNA A-label ("xn--" + RFC 3492 Punycode of the label, after ASCII lower-casing).
// Returns std::nullopt with `problem` set to a short English phrase (e.g. "is not valid UTF-8",
// "contains the control character U+000A", "contains a code point that is not allowed in a host name (U+0020)")
// when the input is not valid UTF-8 (overlongs, surrogates, > U+10FFFF, truncated sequences) or
// contains C0/C1 control characters, U+0020 space, or U+007F.
std::optional<std::string> to_ascii_label(std::string_view utf8_label, std::string& problem);
// Decodes an "xn--" label back to UTF-8 for display; returns nullopt if the label is not valid Punycode.
std::optional<std::string> to_unicode_label(std::string_view ascii_label);
}
