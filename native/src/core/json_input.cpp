#include "core/json_input.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"

namespace ocscert::json_input {

json parse_object(const char* text, const char* what) {
    if (text == nullptr) return json::object();
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_object())
        invalid("", "InvalidJson", std::string("The ") + what + " must be a JSON object.");
    return parsed;
}

void reject_unknown(const json& object, std::initializer_list<const char*> known) { reject_unknown(object, known, {}); }

void reject_unknown(const json& object, std::initializer_list<const char*> known, std::initializer_list<const char*> also_known) {
    for (const auto& item : object.items()) {
        const auto is_key = [&](const char* k) { return item.key() == k; };
        if (std::any_of(known.begin(), known.end(), is_key) || std::any_of(also_known.begin(), also_known.end(), is_key)) continue;
        // Said with what would be accepted: the field spelt so, or the list of them.
        const auto spelt = std::find_if(known.begin(), known.end(), [&](const char* k) { return text::iequals(item.key(), k); });
        std::string accepted;
        for (const char* k : known) accepted += (accepted.empty() ? "" : ", ") + std::string(k);
        invalid(item.key(), "UnknownField",
                "Unknown field " + text::quote(item.key()) +
                    (spelt != known.end() ? "; field names are case-sensitive here: write '" + std::string(*spelt) + "'."
                                          : "; the fields are: " + accepted + "."));
    }
}

namespace {
const json* find(const json& object, const char* field) {
    auto it = object.find(field);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}
}  // namespace

std::optional<std::string> optional_string(const json& object, const char* field) {
    const json* value = find(object, field);
    if (!value) return std::nullopt;
    if (!value->is_string()) invalid(field, "InvalidType", std::string("'") + field + "' must be a string.");
    return value->get<std::string>();
}

std::string string_or(const json& object, const char* field, const std::string& fallback) {
    return optional_string(object, field).value_or(fallback);
}

std::optional<bool> optional_bool(const json& object, const char* field) {
    const json* value = find(object, field);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) invalid(field, "InvalidType", std::string("'") + field + "' must be true or false.");
    return value->get<bool>();
}

bool bool_or(const json& object, const char* field, bool fallback) {
    return optional_bool(object, field).value_or(fallback);
}

std::optional<int> optional_int(const json& object, const char* field) {
    const json* value = find(object, field);
    if (!value) return std::nullopt;
    if (!value->is_number_integer() || *value < -1000000 || *value > 1000000)
        invalid(field, "InvalidType", "Must be a whole number from -1000000 to 1000000; " + text::quote(value->dump()) + " is not.");
    return value->get<int>();
}

std::vector<std::string> string_list(const json& object, const char* field) {
    const json* value = find(object, field);
    if (!value) return {};
    if (value->is_string()) return {value->get<std::string>()};
    if (!value->is_array()) invalid(field, "InvalidType", std::string("'") + field + "' must be a list of strings.");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value->size(); ++i) {
        if (!(*value)[i].is_string())
            invalid(std::string(field) + "[" + std::to_string(i) + "]", "InvalidType",
                    std::string("Every entry of '") + field + "' must be a string.");
        out.push_back((*value)[i].get<std::string>());
    }
    return out;
}

}  // namespace ocscert::json_input
