#pragma once
// Small text helpers shared by the validators.
#include <string>
#include <string_view>

namespace ocscert::text {

// The value as it may safely appear in a one-line message: quoted, control
// characters escaped (\n, \x1b...), cut after 80 bytes.
std::string quote(std::string_view value);

std::string ascii_lower(std::string_view value);
std::string ascii_upper(std::string_view value);
bool iequals(std::string_view a, std::string_view b);

}  // namespace ocscert::text
