#pragma once
// International domain names: UTS #46 non-transitional processing with the IDNA2008 checks
// (RFC 5891-5893), as browsers, python's idna package and libidn2 apply them. This is the only
// place that uses libidn2, so another IDNA implementation would replace this file alone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocscert::names {

// Splits a name on the full stops UTS #46 treats as label separators: '.', U+3002 (ideographic),
// U+FF0E (fullwidth) and U+FF61 (halfwidth ideographic). "a.b." gives {"a", "b", ""}.
std::vector<std::string_view> split_idna_labels(std::string_view utf8_name);

// Converts one label (no separators) given in UTF-8 to the form a certificate carries.
//  - An ASCII label is lower-cased; an "xn--" label must be a valid A-label (its Punycode decodes
//    to a label IDNA2008 allows and encodes back to itself); "ab--c" (hyphens 3 and 4) is refused.
//    Other ASCII characters are left for the caller's letters-digits-hyphens rule.
//  - A label with other code points is mapped and checked by UTS #46 (NFC, case folding,
//    compatibility forms such as fullwidth letters, ligatures and Roman numerals; ignorable
//    characters such as U+00AD soft hyphen removed) and encoded as an A-label when not ASCII.
// Returns std::nullopt with `problem` set to a short English phrase that follows the quoted name
// in a message, e.g. "contains U+2603 '☃', which IDNA2008 does not allow in a domain name", when
// the label is not valid UTF-8, holds a control character or a space, or UTS #46 / IDNA2008
// refuse it (disallowed or unassigned code points, joiners or context characters out of
// context, the right-to-left rule, a leading combining mark, hyphens, over 63 characters).
std::optional<std::string> to_ascii_label(std::string_view utf8_label, std::string& problem);

// Decodes a valid "xn--" A-label (any case) to its U-label for display; std::nullopt when the
// label is not one (no prefix, bad Punycode, or a decoded label IDNA2008 does not allow).
std::optional<std::string> to_unicode_label(std::string_view ascii_label);

}  // namespace ocscert::names
