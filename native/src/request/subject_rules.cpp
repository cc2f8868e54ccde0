#include "request/subject_rules.hpp"

#include <algorithm>
#include <array>

namespace ocscert::request {
namespace {

struct CountryAlias {
    std::string_view key;
    std::string_view alpha2;
};

#include "request/country_names.inc"

// What the country alias table's keys are made of: ASCII upper case, no dots, single spaces.
std::string normalise_country_name(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '.') continue;
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

struct StateEntry {
    std::string_view code;
    std::string_view name;
};

// Compile-time check that a table is strictly increasing (sorted, no duplicates),
// which std::binary_search / std::lower_bound below rely on.
template <typename T, std::size_t N, typename Key>
constexpr bool strictly_sorted(const std::array<T, N>& table, Key key) {
    for (std::size_t i = 1; i < N; ++i) {
        if (!(key(table[i - 1]) < key(table[i]))) return false;
    }
    return true;
}

// ISO 3166-1 alpha-2 officially assigned codes (ISO 3166 Maintenance Agency list, as shipped by Debian iso-codes 4.15).
constexpr std::array<std::string_view, 249> kIso3166Alpha2 = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ",
    "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW",
    "CX", "CY", "CZ",
    "DE", "DJ", "DK", "DM", "DO", "DZ",
    "EC", "EE", "EG", "EH", "ER", "ES", "ET",
    "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
    "GU", "GW", "GY",
    "HK", "HM", "HN", "HR", "HT", "HU",
    "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
    "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM",
    "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
    "QA",
    "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ",
    "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
    "UA", "UG", "UM", "US", "UY", "UZ",
    "VA", "VC", "VE", "VG", "VI", "VN", "VU",
    "WF", "WS",
    "YE", "YT",
    "ZA", "ZM", "ZW",
};

// United States: USPS two-letter codes for the 50 states, DC and five inhabited territories (USPS Publication 28, Appendix B).
constexpr std::array<StateEntry, 56> kUsStates = {{
    {"AK", "Alaska"}, {"AL", "Alabama"}, {"AR", "Arkansas"}, {"AS", "American Samoa"},
    {"AZ", "Arizona"}, {"CA", "California"}, {"CO", "Colorado"}, {"CT", "Connecticut"},
    {"DC", "District of Columbia"}, {"DE", "Delaware"}, {"FL", "Florida"}, {"GA", "Georgia"},
    {"GU", "Guam"}, {"HI", "Hawaii"}, {"IA", "Iowa"}, {"ID", "Idaho"},
    {"IL", "Illinois"}, {"IN", "Indiana"}, {"KS", "Kansas"}, {"KY", "Kentucky"},
    {"LA", "Louisiana"}, {"MA", "Massachusetts"}, {"MD", "Maryland"}, {"ME", "Maine"},
    {"MI", "Michigan"}, {"MN", "Minnesota"}, {"MO", "Missouri"}, {"MP", "Northern Mariana Islands"},
    {"MS", "Mississippi"}, {"MT", "Montana"}, {"NC", "North Carolina"}, {"ND", "North Dakota"},
    {"NE", "Nebraska"}, {"NH", "New Hampshire"}, {"NJ", "New Jersey"}, {"NM", "New Mexico"},
    {"NV", "Nevada"}, {"NY", "New York"}, {"OH", "Ohio"}, {"OK", "Oklahoma"},
    {"OR", "Oregon"}, {"PA", "Pennsylvania"}, {"PR", "Puerto Rico"}, {"RI", "Rhode Island"},
    {"SC", "South Carolina"}, {"SD", "South Dakota"}, {"TN", "Tennessee"}, {"TX", "Texas"},
    {"UT", "Utah"}, {"VA", "Virginia"}, {"VI", "U.S. Virgin Islands"}, {"VT", "Vermont"},
    {"WA", "Washington"}, {"WI", "Wisconsin"}, {"WV", "West Virginia"}, {"WY", "Wyoming"},
}};

// Canada: Canada Post two-letter codes for the 10 provinces and 3 territories (Canada Post Addressing Guidelines).
constexpr std::array<StateEntry, 13> kCaProvinces = {{
    {"AB", "Alberta"}, {"BC", "British Columbia"}, {"MB", "Manitoba"}, {"NB", "New Brunswick"},
    {"NL", "Newfoundland and Labrador"}, {"NS", "Nova Scotia"}, {"NT", "Northwest Territories"},
    {"NU", "Nunavut"}, {"ON", "Ontario"}, {"PE", "Prince Edward Island"}, {"QC", "Quebec"},
    {"SK", "Saskatchewan"}, {"YT", "Yukon"},
}};

// Australia: Australia Post abbreviations for the 6 states and 2 mainland territories (Australia Post addressing guidelines).
constexpr std::array<StateEntry, 8> kAuStates = {{
    {"ACT", "Australian Capital Territory"}, {"NSW", "New South Wales"}, {"NT", "Northern Territory"},
    {"QLD", "Queensland"}, {"SA", "South Australia"}, {"TAS", "Tasmania"}, {"VIC", "Victoria"},
    {"WA", "Western Australia"},
}};

constexpr auto kSelf = [](std::string_view s) { return s; };
constexpr auto kCode = [](const StateEntry& e) { return e.code; };
static_assert(strictly_sorted(kIso3166Alpha2, kSelf), "ISO 3166-1 table must be sorted");
static_assert(strictly_sorted(kUsStates, kCode), "US table must be sorted");
static_assert(strictly_sorted(kCaProvinces, kCode), "CA table must be sorted");
static_assert(strictly_sorted(kAuStates, kCode), "AU table must be sorted");

template <std::size_t N>
std::optional<std::string> lookup(const std::array<StateEntry, N>& table, std::string_view code) {
    const auto it = std::lower_bound(table.begin(), table.end(), code,
                                     [](const StateEntry& e, std::string_view c) { return e.code < c; });
    if (it == table.end() || it->code != code) return std::nullopt;
    return std::string(it->name);
}

}  // namespace

std::optional<std::string> alpha2_for_country(std::string_view text) {
    const std::string key = normalise_country_name(text);
    if (is_iso3166_alpha2(key)) return key;
    const auto* end = std::end(kCountryAliases);
    const auto* it = std::lower_bound(std::begin(kCountryAliases), end, std::string_view(key),
                                      [](const CountryAlias& a, std::string_view k) { return a.key < k; });
    if (it == end || it->key != key) return std::nullopt;
    return std::string(it->alpha2);
}

bool is_iso3166_alpha2(std::string_view code) {
    return code.size() == 2 && std::binary_search(kIso3166Alpha2.begin(), kIso3166Alpha2.end(), code);
}

std::size_t iso3166_alpha2_count() { return kIso3166Alpha2.size(); }

std::vector<CountryName> iso3166_countries() {
    std::vector<CountryName> countries;
    for (const auto code : kIso3166Alpha2) countries.push_back({std::string(code), {}});
    // The alias table has several names per code (alpha-3, name, common name, official name):
    // the shortest that is a name reads best ("UNITED STATES", not "UNITED STATES OF AMERICA").
    for (const auto& alias : kCountryAliases) {
        if (alias.key.size() <= 3) continue;  // alpha-3 codes, and UK
        const auto it = std::lower_bound(countries.begin(), countries.end(), alias.alpha2,
                                         [](const CountryName& c, std::string_view k) { return c.code < k; });
        if (it == countries.end() || it->code != alias.alpha2) continue;
        if (it->name.empty() || alias.key.size() < it->name.size()) it->name = std::string(alias.key);
    }
    return countries;
}

std::optional<std::string> full_name_for_state_code(std::string_view country, std::string_view state) {
    // Longest postal abbreviation in any table is three letters ("NSW").
    constexpr std::size_t kMaxCode = 3;
    if (state.empty() || state.size() > kMaxCode) return std::nullopt;
    char buf[kMaxCode];
    for (std::size_t i = 0; i < state.size(); ++i) {
        const char c = state[i];
        buf[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    const std::string_view upper(buf, state.size());

    if (country == "US") return lookup(kUsStates, upper);
    if (country == "CA") return lookup(kCaProvinces, upper);
    if (country == "AU") return lookup(kAuStates, upper);
    return std::nullopt;
}

}  // namespace ocscert::request
