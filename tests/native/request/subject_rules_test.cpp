#include "request/subject_rules.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>

namespace ocscert::request {
namespace {

TEST(Iso3166Alpha2, AcceptsAssignedCodes) {
    for (const char* code : {"AD", "ZW", "GB", "US", "DE", "FR", "JP", "CN", "BR", "SS", "SX", "CW",
                             "BQ", "AX", "AQ", "UM", "PS", "TW", "HK", "VA"}) {
        EXPECT_TRUE(is_iso3166_alpha2(code)) << code;
    }
}

TEST(Iso3166Alpha2, RejectsUnassignedOrMalformedCodes) {
    for (const char* code : {"USA", "us", "Us", "XK", "UK", "EU", "ZZ", "AA", "", "U", "U1", " US"}) {
        EXPECT_FALSE(is_iso3166_alpha2(code)) << '"' << code << '"';
    }
}

TEST(Iso3166Alpha2, TableHas249Entries) { EXPECT_EQ(iso3166_alpha2_count(), 249u); }

// Every table entry must be found by the binary search, which only holds if the table is
// sorted: enumerate all AA..ZZ and check the accepted set has exactly the table's size.
TEST(Iso3166Alpha2, EveryTableEntryIsReachable) {
    std::size_t accepted = 0;
    for (char a = 'A'; a <= 'Z'; ++a) {
        for (char b = 'A'; b <= 'Z'; ++b) {
            if (is_iso3166_alpha2(std::string{a, b})) ++accepted;
        }
    }
    EXPECT_EQ(accepted, iso3166_alpha2_count());
}

// The list completion offers: every accepted code, each with a name, the names readable.
TEST(Iso3166Alpha2, EveryCodeIsListedWithAName) {
    const auto countries = iso3166_countries();
    ASSERT_EQ(countries.size(), iso3166_alpha2_count());
    for (const auto& country : countries) {
        EXPECT_TRUE(is_iso3166_alpha2(country.code)) << country.code;
        EXPECT_GT(country.name.size(), 3u) << country.code << ": " << country.name;
    }
    const auto name_of = [&](std::string_view code) {
        for (const auto& country : countries)
            if (country.code == code) return country.name;
        return std::string();
    };
    EXPECT_EQ(name_of("US"), "UNITED STATES");
    EXPECT_EQ(name_of("DE"), "GERMANY");
    EXPECT_EQ(name_of("FR"), "FRANCE");
}

TEST(StateCode, UnitedStates) {
    EXPECT_EQ(full_name_for_state_code("US", "WA"), "Washington");
    EXPECT_EQ(full_name_for_state_code("US", "DC"), "District of Columbia");
    EXPECT_EQ(full_name_for_state_code("US", "AK"), "Alaska");
    EXPECT_EQ(full_name_for_state_code("US", "WY"), "Wyoming");
    EXPECT_EQ(full_name_for_state_code("US", "PR"), "Puerto Rico");
    EXPECT_EQ(full_name_for_state_code("US", "MP"), "Northern Mariana Islands");
    EXPECT_EQ(full_name_for_state_code("US", "ON"), std::nullopt);
}

TEST(StateCode, Canada) {
    EXPECT_EQ(full_name_for_state_code("CA", "ON"), "Ontario");
    EXPECT_EQ(full_name_for_state_code("CA", "QC"), "Quebec");
    EXPECT_EQ(full_name_for_state_code("CA", "AB"), "Alberta");
    EXPECT_EQ(full_name_for_state_code("CA", "YT"), "Yukon");
    EXPECT_EQ(full_name_for_state_code("CA", "WA"), std::nullopt);
}

TEST(StateCode, Australia) {
    EXPECT_EQ(full_name_for_state_code("AU", "NSW"), "New South Wales");
    EXPECT_EQ(full_name_for_state_code("AU", "VIC"), "Victoria");
    EXPECT_EQ(full_name_for_state_code("AU", "QLD"), "Queensland");
    EXPECT_EQ(full_name_for_state_code("AU", "ACT"), "Australian Capital Territory");
    EXPECT_EQ(full_name_for_state_code("AU", "NT"), "Northern Territory");
    EXPECT_EQ(full_name_for_state_code("AU", "ON"), std::nullopt);
}

TEST(StateCode, CaseInsensitive) {
    EXPECT_EQ(full_name_for_state_code("US", "wa"), "Washington");
    EXPECT_EQ(full_name_for_state_code("US", "Wa"), "Washington");
    EXPECT_EQ(full_name_for_state_code("CA", "qc"), "Quebec");
    EXPECT_EQ(full_name_for_state_code("AU", "nSw"), "New South Wales");
}

TEST(StateCode, SameCodeDependsOnCountry) {
    EXPECT_EQ(full_name_for_state_code("US", "WA"), "Washington");
    EXPECT_EQ(full_name_for_state_code("AU", "WA"), "Western Australia");
    EXPECT_EQ(full_name_for_state_code("US", "NT"), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("CA", "NT"), "Northwest Territories");
    EXPECT_EQ(full_name_for_state_code("AU", "NT"), "Northern Territory");
}

TEST(StateCode, OtherCountriesReturnNullopt) {
    EXPECT_EQ(full_name_for_state_code("GB", "WA"), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("DE", "BY"), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("", "WA"), std::nullopt);
}

TEST(StateCode, FullNamesAndGarbageReturnNullopt) {
    EXPECT_EQ(full_name_for_state_code("US", "Washington"), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("AU", "Victoria"), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("US", ""), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("US", "W"), std::nullopt);
    EXPECT_EQ(full_name_for_state_code("US", "WAS"), std::nullopt);
}

}  // namespace
}  // namespace ocscert::request
