#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocscert::request {

// True if `code` (exactly two upper-case ASCII letters) is an officially assigned ISO 3166-1 alpha-2 code.
bool is_iso3166_alpha2(std::string_view code);

// Number of entries in the ISO 3166-1 alpha-2 table (249).
std::size_t iso3166_alpha2_count();

// Every ISO 3166-1 alpha-2 code with the English name iso-codes gives it, in code order
// (for completion and help; the name in ASCII upper case, as the alias table keeps it).
struct CountryName {
    std::string code;
    std::string name;
};
std::vector<CountryName> iso3166_countries();

// The ISO 3166-1 alpha-2 code for a country's name or alpha-3 code ("United States",
// "USA", "u.s.a." -> "US"; case and dots do not matter), or nullopt if it is none of them.
std::optional<std::string> alpha2_for_country(std::string_view text);

// If `state` is a well-known postal abbreviation of a state, province or territory
// (compared case-insensitively, ASCII) returns its full name. `country` is the ISO code
// the request uses; when it is one of US, CA, AU, only that country's table is consulted;
// for any other country, returns nullopt.
std::optional<std::string> full_name_for_state_code(std::string_view country, std::string_view state);

}  // namespace ocscert::request
