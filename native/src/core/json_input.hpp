#pragma once
// Typed reads of JSON input fields, failing with an Error that names the field
// and the expected type, and refusing unknown fields so a misspelt option is
// never silently ignored.
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ocscert::json_input {

using nlohmann::json;

// Parses `text` (NULL means {}) into an object; anything else is refused.
json parse_object(const char* text, const char* what);

void reject_unknown(const json& object, std::initializer_list<const char*> known);
// The same, with the known fields in two lists (a shared one and the operation's own).
void reject_unknown(const json& object, std::initializer_list<const char*> known, std::initializer_list<const char*> also_known);

std::optional<std::string> optional_string(const json& object, const char* field);
std::string string_or(const json& object, const char* field, const std::string& fallback);
std::optional<bool> optional_bool(const json& object, const char* field);
bool bool_or(const json& object, const char* field, bool fallback);
std::optional<int> optional_int(const json& object, const char* field);
std::vector<std::string> string_list(const json& object, const char* field);

}  // namespace ocscert::json_input
