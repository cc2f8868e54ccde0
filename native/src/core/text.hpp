#pragma once
// Small text helpers shared by the validators.
#include <string>
#include <string_view>

namespace ocscert::text {

// The value as it may safely appear in a one-line message: quoted, control
// characters escaped (\n, \x1b...), cut after 80 bytes on a character boundary.
std::string quote(std::string_view value);

// Strict UTF-8 (RFC 3629) to code points; false on anything malformed.
bool decode_utf8(std::string_view in, std::u32string& out);
void append_utf8(char32_t code_point, std::string& out);

// Text that starts with a UTF-16 byte order mark (what Windows PowerShell 5.1's > and Out-File
// write) as UTF-8, without the mark; anything else unchanged. Malformed UTF-16 stays as it was.
std::string utf8_from_utf16_with_bom(std::string bytes);

std::string ascii_lower(std::string_view value);
std::string ascii_upper(std::string_view value);
bool iequals(std::string_view a, std::string_view b);

}  // namespace ocscert::text
