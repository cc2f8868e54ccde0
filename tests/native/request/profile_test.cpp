#include "request/profile.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "core/error.hpp"
#include "names/san_resolver.hpp"
#include "request/san_extension.hpp"

namespace {

using nlohmann::json;
using ocscert::names::Role;
using ocscert::names::Topology;
using ocscert::request::KeyAlgorithm;
using ocscert::request::parse_name_inputs;
using ocscert::request::parse_profile;
using ocscert::request::Profile;
using ocscert::request::to_json;

using ocscert::testing::catch_error;

int local_fqdn_calls = 0;
std::string local_fe01() {
    ++local_fqdn_calls;
    return "fe01.contoso.com";
}
std::string local_localhost() {
    ++local_fqdn_calls;
    return "localhost";
}
std::string local_must_not_be_called() {
    ADD_FAILURE() << "local_fqdn was called although the machine name is not needed";
    return "unexpected.contoso.com";
}

// The smallest valid profile.
json minimal() {
    return json{{"role", "FrontEnd"},
                {"poolFqdn", "pool01.contoso.com"},
                {"organization", "Contoso"},
                {"country", "US"},
                {"state", "Washington"},
                {"city", "Redmond"}};
}

json with(json j, const std::string& key, json value) {
    j[key] = std::move(value);
    return j;
}

json without(json j, const std::string& key) {
    j.erase(key);
    return j;
}

ocscert::Error profile_error(const json& input, std::string (*local)() = local_must_not_be_called) {
    return catch_error([&] { parse_profile(input, local); });
}

#define EXPECT_REFUSED(input, expected_field, expected_reason)                          \
    do {                                                                                \
        const ocscert::Error e_ = profile_error(input);                                 \
        EXPECT_EQ(e_.field(), expected_field) << e_.what();                             \
        EXPECT_EQ(e_.reason(), expected_reason) << e_.what();                           \
        EXPECT_EQ(e_.code(), OCSCERT_E_INVALID_ARGUMENT) << e_.what();                  \
        EXPECT_EQ(std::string(e_.what()).find('\n'), std::string::npos) << e_.what();   \
    } while (false)

// --- Valid profiles ---------------------------------------------------------------------------

TEST(ProfileParse, Defaults) {
    const Profile p = parse_profile(minimal(), local_must_not_be_called);
    EXPECT_EQ(p.names.roles, std::vector<Role>{Role::FrontEnd});
    EXPECT_EQ(p.names.topology, Topology::Consolidated);
    EXPECT_EQ(p.names.pool_fqdn, "pool01.contoso.com");
    EXPECT_TRUE(p.names.sip_domains.empty());
    EXPECT_TRUE(p.names.domain_names.empty());
    EXPECT_FALSE(p.names.automatic_sign_in);
    EXPECT_FALSE(p.names.sign_in_redirect);
    EXPECT_FALSE(p.names.include_machine_name.has_value());
    EXPECT_TRUE(p.names.machine_fqdn.empty());
    EXPECT_EQ(p.key_algorithm, KeyAlgorithm::Rsa);
    EXPECT_EQ(p.key_size, 2048);
    EXPECT_FALSE(p.allow_weak_key);
    EXPECT_FALSE(p.private_key_exportable);
    EXPECT_FALSE(p.server_authentication_only);  // both EKUs: server and client authentication
    EXPECT_TRUE(p.template_name.empty());
    EXPECT_TRUE(p.friendly_name.empty());
    EXPECT_EQ(p.subject.organization, "Contoso");
    EXPECT_TRUE(p.subject.organizational_unit.empty());
    EXPECT_EQ(p.subject.country, "US");
    EXPECT_EQ(p.subject.state, "Washington");
    EXPECT_EQ(p.subject.city, "Redmond");
}

json full_profile() {
    return json{{"role", json::array({"WebConferencing", "AudioVideo"})},
                {"topology", "Expanded"},
                {"poolFqdn", "Pool01.Contoso.com."},
                {"sipDomain", json::array({"contoso.com", "Fabrikam.com"})},
                {"automaticSignIn", true},
                {"signInRedirect", false},
                {"includeMachineName", true},
                {"machineFqdn", "WC01.contoso.com"},
                {"domainName", json::array({"meet.contoso.com", "Bücher.example"})},
                {"friendlyName", "OCS pool01 Web Conferencing"},
                {"keyAlgorithm", "RSA"},
                {"keySize", 3072},
                {"allowWeakKey", false},
                {"organization", "Contoso Ltd"},
                {"organizationalUnit", "IT"},
                {"country", "gb"},
                {"state", "Berkshire"},
                {"city", "Reading"},
                {"serverAuthenticationOnly", true},
                {"template", "OCSWebServer"},
                {"privateKeyExportable", true}};
}

TEST(ProfileParse, FullProfileIsParsed) {
    const Profile p = parse_profile(full_profile(), local_must_not_be_called);
    EXPECT_EQ(p.names.roles, (std::vector<Role>{Role::WebConferencing, Role::AudioVideo}));
    EXPECT_EQ(p.names.topology, Topology::Expanded);
    EXPECT_EQ(p.names.pool_fqdn, "pool01.contoso.com");
    EXPECT_EQ(p.names.sip_domains, (std::vector<std::string>{"contoso.com", "fabrikam.com"}));
    EXPECT_TRUE(p.names.automatic_sign_in);
    EXPECT_FALSE(p.names.sign_in_redirect);
    EXPECT_EQ(p.names.include_machine_name, std::optional<bool>(true));
    EXPECT_EQ(p.names.machine_fqdn, "wc01.contoso.com");
    EXPECT_EQ(p.names.domain_names, (std::vector<std::string>{"meet.contoso.com", "xn--bcher-kva.example"}));
    EXPECT_EQ(p.friendly_name, "OCS pool01 Web Conferencing");
    EXPECT_EQ(p.key_algorithm, KeyAlgorithm::Rsa);
    EXPECT_EQ(p.key_size, 3072);
    EXPECT_EQ(p.subject.organizational_unit, "IT");
    EXPECT_EQ(p.subject.country, "GB");
    EXPECT_TRUE(p.server_authentication_only);
    EXPECT_EQ(p.template_name, "OCSWebServer");
    EXPECT_TRUE(p.private_key_exportable);
}

TEST(ProfileParse, RoundTripsThroughCanonicalJson) {
    const json first = to_json(parse_profile(full_profile(), local_must_not_be_called));
    const json second = to_json(parse_profile(first, local_must_not_be_called));
    EXPECT_EQ(first, second) << first.dump() << "\n" << second.dump();
    EXPECT_EQ(first.at("poolFqdn"), "pool01.contoso.com");
    EXPECT_EQ(first.at("country"), "GB");
}

TEST(ProfileParse, RoundTripsEcdsaWeakKeyAndLocalMachineName) {
    json in = full_profile();
    in.erase("machineFqdn");
    in["keyAlgorithm"] = "ecdsa_p384";
    in.erase("keySize");
    in.erase("template");
    in.erase("organizationalUnit");
    in.erase("includeMachineName");  // default for Expanded Web Conferencing: included
    local_fqdn_calls = 0;
    const Profile p = parse_profile(in, local_fe01);
    EXPECT_EQ(local_fqdn_calls, 1);
    EXPECT_EQ(p.names.machine_fqdn, "fe01.contoso.com");
    EXPECT_EQ(p.key_algorithm, KeyAlgorithm::EcdsaP384);
    EXPECT_EQ(p.key_size, 384);
    const json first = to_json(p);
    const json second = to_json(parse_profile(first, local_must_not_be_called));
    EXPECT_EQ(first, second);

    const json weak = to_json(parse_profile(with(with(minimal(), "keySize", 1024), "allowWeakKey", true), local_must_not_be_called));
    EXPECT_EQ(weak, to_json(parse_profile(weak, local_must_not_be_called)));
}

TEST(ProfileParse, RoleNamesAreCaseInsensitiveAndDeduplicated) {
    const Profile p = parse_profile(with(minimal(), "role", json::array({"frontend", "FRONTEND", "audiovideo"})),
                                    local_must_not_be_called);
    EXPECT_EQ(p.names.roles, (std::vector<Role>{Role::FrontEnd, Role::AudioVideo}));
}

// --- Unknown fields and types -----------------------------------------------------------------

TEST(ProfileRefuse, UnknownField) {
    EXPECT_REFUSED(with(minimal(), "poolFqnd", "pool01.contoso.com"), "poolFqnd", "UnknownField");
    // Said with what would be accepted: the list, or the field as it is spelt when only the case differs.
    const std::string listed = profile_error(with(minimal(), "poolFqnd", "x")).what();
    EXPECT_NE(listed.find("the fields are: "), std::string::npos) << listed;
    EXPECT_NE(listed.find("poolFqdn"), std::string::npos) << listed;
    const std::string spelt = profile_error(with(minimal(), "poolfqdn", "x")).what();
    EXPECT_NE(spelt.find("write 'poolFqdn'"), std::string::npos) << spelt;
}

TEST(ProfileRefuse, UnknownFieldMessageIsOneLine) {
    // A key is caller input like any other value: it must not break the one-line message.
    const auto e = profile_error(with(minimal(), "pool\nFqdn", "x"));
    EXPECT_EQ(e.reason(), "UnknownField");
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
}

TEST(ProfileRefuse, WrongTypes) {
    EXPECT_REFUSED(with(minimal(), "keySize", "2048"), "keySize", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "keySize", 2048.5), "keySize", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "keySize", 2147483647), "keySize", "InvalidType");
    EXPECT_NE(std::string(profile_error(with(minimal(), "keySize", 2147483647)).what()).find("'2147483647' is not"), std::string::npos);
    EXPECT_REFUSED(with(minimal(), "sipDomain", json::array({1})), "sipDomain[0]", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "sipDomain", json::array({"contoso.com", 1})), "sipDomain[1]", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "sipDomain", 1), "sipDomain", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "poolFqdn", 5), "poolFqdn", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "automaticSignIn", "true"), "automaticSignIn", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "includeMachineName", 1), "includeMachineName", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "organization", json::array({"Contoso"})), "organization", "InvalidType");
    EXPECT_REFUSED(with(minimal(), "role", json::object()), "role", "InvalidType");
}

// --- Roles and topology -----------------------------------------------------------------------

TEST(ProfileRefuse, Roles) {
    EXPECT_REFUSED(with(minimal(), "role", "WebComponents"), "role", "WebComponentsNotSupported");
    EXPECT_REFUSED(with(minimal(), "role", json::array({"FrontEnd", "webcomponents"})), "role[1]", "WebComponentsNotSupported");
    EXPECT_REFUSED(with(minimal(), "role", "Mediation"), "role", "InvalidRole");
    EXPECT_REFUSED(with(minimal(), "role", json::array()), "role", "RequiredField");
    EXPECT_REFUSED(without(minimal(), "role"), "role", "RequiredField");
    EXPECT_REFUSED(with(minimal(), "topology", "Distributed"), "topology", "InvalidTopology");
}

// --- Subject ----------------------------------------------------------------------------------

TEST(ProfileSubject, Country) {
    EXPECT_REFUSED(with(minimal(), "country", "USA"), "country", "InvalidCountry");
    EXPECT_EQ(parse_profile(with(minimal(), "country", "us"), local_must_not_be_called).subject.country, "US");
    EXPECT_REFUSED(with(minimal(), "country", "ZZ"), "country", "InvalidCountry");
    EXPECT_REFUSED(with(minimal(), "country", "U"), "country", "InvalidCountry");
    EXPECT_REFUSED(with(minimal(), "country", ""), "country", "RequiredField");
    EXPECT_REFUSED(without(minimal(), "country"), "country", "RequiredField");
}

// The findings: a country's name or three-letter code gets the code it means, and the
// messages name the value, not the JSON key (the module puts "Country: " in front).
TEST(ProfileSubject, CountryNamesAndAlpha3CodesSuggestTheCode) {
    const std::pair<const char*, const char*> cases[] = {
        {"United States", "'US'"}, {"USA", "'US'"}, {"u.s.a.", "'US'"}, {"United States of America", "'US'"},
        {"germany", "'DE'"},       {"DEU", "'DE'"}, {"UK", "'GB'"},     {"South Korea", "'KR'"},
    };
    for (const auto& [typed, code] : cases) {
        const auto e = profile_error(with(minimal(), "country", typed));
        EXPECT_EQ(e.reason(), "InvalidCountry") << typed;
        EXPECT_NE(std::string(e.what()).find("use " + std::string(code)), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("'country'"), std::string::npos) << e.what();
    }
    const auto e = profile_error(with(minimal(), "country", "Atlantis"));
    EXPECT_NE(std::string(e.what()).find("e.g. US, GB"), std::string::npos) << e.what();
}

TEST(ProfileSubject, MessagesNameTheValueNotTheKey) {
    for (const char* field : {"organization", "city", "state", "country"}) {
        const auto e = profile_error(without(minimal(), field));
        EXPECT_EQ(e.field(), field);
        EXPECT_EQ(std::string(e.what()).find(std::string("'") + field + "'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("e.g."), std::string::npos) << e.what();
    }
    const auto e = profile_error(with(minimal(), "organization", "Contoso\nLtd"));
    EXPECT_EQ(std::string(e.what()).find("'organization'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'Contoso\\nLtd'"), std::string::npos) << e.what();
}

TEST(ProfileSubject, AbbreviatedState) {
    // "Wash." was accepted while "WA" was refused.
    for (const char* state : {"Wash.", "N.S.W", "Calif."}) {
        const auto e = profile_error(with(minimal(), "state", state));
        EXPECT_EQ(e.reason(), "AbbreviatedState") << state;
        EXPECT_NE(std::string(e.what()).find("full name"), std::string::npos) << e.what();
    }
    EXPECT_EQ(parse_profile(with(with(minimal(), "state", "St. Gallen"), "country", "CH"), local_must_not_be_called).subject.state, "St. Gallen");
    {
        const auto e = profile_error(with(minimal(), "state", "WA"));
        EXPECT_EQ(e.field(), "state");
        EXPECT_EQ(e.reason(), "AbbreviatedState");
        EXPECT_NE(std::string(e.what()).find("Washington"), std::string::npos) << e.what();
    }
    {
        const auto e = profile_error(with(with(minimal(), "state", "WA"), "country", "AU"));
        EXPECT_EQ(e.field(), "state");
        EXPECT_EQ(e.reason(), "AbbreviatedState");
        EXPECT_NE(std::string(e.what()).find("Western Australia"), std::string::npos) << e.what();
    }
    {
        const auto e = profile_error(with(with(minimal(), "state", "on"), "country", "ca"));
        EXPECT_EQ(e.reason(), "AbbreviatedState");
        EXPECT_NE(std::string(e.what()).find("Ontario"), std::string::npos) << e.what();
    }
    const Profile p = parse_profile(with(with(minimal(), "state", "WA"), "country", "DE"), local_must_not_be_called);
    EXPECT_EQ(p.subject.state, "WA");
    EXPECT_EQ(p.subject.country, "DE");
}

TEST(ProfileSubject, OrganizationRequired) {
    EXPECT_REFUSED(with(minimal(), "organization", ""), "organization", "RequiredField");
    EXPECT_REFUSED(without(minimal(), "organization"), "organization", "RequiredField");
    EXPECT_REFUSED(with(minimal(), "organization", nullptr), "organization", "RequiredField");
    EXPECT_REFUSED(without(minimal(), "city"), "city", "RequiredField");
    EXPECT_REFUSED(without(minimal(), "state"), "state", "RequiredField");
}

TEST(ProfileSubject, OrganizationText) {
    EXPECT_REFUSED(with(minimal(), "organization", "Contoso\nLtd"), "organization", "InvalidText");
    EXPECT_REFUSED(with(minimal(), "organization", "Contoso\tLtd"), "organization", "InvalidText");
    EXPECT_REFUSED(with(minimal(), "organization", " Contoso"), "organization", "InvalidText");
    EXPECT_REFUSED(with(minimal(), "organization", "Contoso "), "organization", "InvalidText");
    EXPECT_REFUSED(with(minimal(), "organization", "   "), "organization", "InvalidText");
    EXPECT_REFUSED(with(minimal(), "organizationalUnit", "IT\r"), "organizationalUnit", "InvalidText");
    EXPECT_REFUSED(with(minimal(), "city", "Red\x7fmond"), "city", "InvalidText");
}

TEST(ProfileSubject, OrganizationRefusesC1ControlCharacters) {
    // U+0085 NEXT LINE is a C1 control character (a line break); the subject text rule is
    // "UTF-8 text without control characters", as idna.cpp also treats U+0080..U+009F.
    EXPECT_REFUSED(with(minimal(), "organization", "Contoso\xC2\x85Ltd"), "organization", "InvalidText");
}

TEST(ProfileSubject, OrganizationLength) {
    const std::string o64(64, 'o');
    EXPECT_EQ(parse_profile(with(minimal(), "organization", o64), local_must_not_be_called).subject.organization, o64);
    EXPECT_REFUSED(with(minimal(), "organization", std::string(65, 'o')), "organization", "FieldTooLong");

    // Counted in code points, not bytes: 64 two-byte and 64 three-byte characters are accepted.
    std::string two, three, three65;
    for (int i = 0; i < 64; ++i) {
        two += "ü";
        three += "€";
    }
    three65 = three + "€";
    ASSERT_EQ(two.size(), 128u);
    ASSERT_EQ(three.size(), 192u);
    EXPECT_EQ(parse_profile(with(minimal(), "organization", two), local_must_not_be_called).subject.organization, two);
    EXPECT_EQ(parse_profile(with(minimal(), "organization", three), local_must_not_be_called).subject.organization, three);
    EXPECT_REFUSED(with(minimal(), "organization", three65), "organization", "FieldTooLong");
    EXPECT_REFUSED(with(minimal(), "organizationalUnit", std::string(65, 'u')), "organizationalUnit", "FieldTooLong");
}

// --- Key --------------------------------------------------------------------------------------

TEST(ProfileKey, Sizes) {
    for (int bits : {2048, 3072, 4096}) {
        const Profile p = parse_profile(with(minimal(), "keySize", bits), local_must_not_be_called);
        EXPECT_EQ(p.key_size, bits);
        EXPECT_EQ(p.key_algorithm, KeyAlgorithm::Rsa);
    }
    for (int bits : {1000, 512, 8192, 0, -2048, 2047}) {
        SCOPED_TRACE(bits);
        EXPECT_REFUSED(with(minimal(), "keySize", bits), "keySize", "InvalidKeySize");
    }
    EXPECT_REFUSED(with(minimal(), "keySize", 1024), "keySize", "WeakKeyNotAllowed");
    EXPECT_REFUSED(with(with(minimal(), "keySize", 1024), "allowWeakKey", false), "keySize", "WeakKeyNotAllowed");
    const Profile weak = parse_profile(with(with(minimal(), "keySize", 1024), "allowWeakKey", true), local_must_not_be_called);
    EXPECT_EQ(weak.key_size, 1024);
    EXPECT_TRUE(weak.allow_weak_key);
    // allowWeakKey does not open up other sizes.
    EXPECT_REFUSED(with(with(minimal(), "keySize", 512), "allowWeakKey", true), "keySize", "InvalidKeySize");
}

TEST(ProfileKey, Algorithms) {
    const Profile p256 = parse_profile(with(minimal(), "keyAlgorithm", "ECDSA_P256"), local_must_not_be_called);
    EXPECT_EQ(p256.key_algorithm, KeyAlgorithm::EcdsaP256);
    EXPECT_EQ(p256.key_size, 256);
    const Profile p384 = parse_profile(with(with(minimal(), "keyAlgorithm", "ECDSA_P384"), "keySize", 384), local_must_not_be_called);
    EXPECT_EQ(p384.key_algorithm, KeyAlgorithm::EcdsaP384);
    EXPECT_EQ(p384.key_size, 384);
    EXPECT_REFUSED(with(with(minimal(), "keyAlgorithm", "ECDSA_P256"), "keySize", 384), "keySize", "InvalidKeySize");
    EXPECT_REFUSED(with(with(minimal(), "keyAlgorithm", "ECDSA_P384"), "keySize", 2048), "keySize", "InvalidKeySize");
    EXPECT_REFUSED(with(minimal(), "keyAlgorithm", "DSA"), "keyAlgorithm", "InvalidKeyAlgorithm");
    EXPECT_REFUSED(with(minimal(), "keyAlgorithm", ""), "keyAlgorithm", "InvalidKeyAlgorithm");
}

// --- Template ---------------------------------------------------------------------------------

TEST(ProfileTemplate, Names) {
    EXPECT_REFUSED(with(minimal(), "template", ""), "template", "InvalidTemplate");
    EXPECT_REFUSED(with(minimal(), "template", std::string(65, 't')), "template", "FieldTooLong");
    EXPECT_REFUSED(with(minimal(), "template", "Web\nServer"), "template", "InvalidText");
    const std::string t64(64, 't');
    EXPECT_EQ(parse_profile(with(minimal(), "template", t64), local_must_not_be_called).template_name, t64);
    EXPECT_EQ(parse_profile(with(minimal(), "template", "WebServer"), local_must_not_be_called).template_name, "WebServer");
}

TEST(ProfileTemplate, LengthIsCountedInCharacters) {
    // "1 to 64 characters", as the message says and as subject attributes are counted: 64 non-ASCII
    // characters (128 bytes of UTF-8) are a valid template name.
    std::string t64;
    for (int i = 0; i < 64; ++i) t64 += "é";
    EXPECT_NO_THROW(parse_profile(with(minimal(), "template", t64), local_must_not_be_called));
}

// --- Names ------------------------------------------------------------------------------------

TEST(ProfileNames, SipDomainIndexInTheField) {
    EXPECT_REFUSED(with(minimal(), "sipDomain", json::array({"contoso.com", "fabrikam"})), "sipDomain[1]", "NotFullyQualified");
    EXPECT_REFUSED(with(minimal(), "sipDomain", json::array({"contoso.com", "*.fabrikam.com"})), "sipDomain[1]", "WildcardNotAllowed");
    EXPECT_REFUSED(with(minimal(), "sipDomain", json::array({"contoso.com", "fab rikam.com"})), "sipDomain[1]", "InvalidDnsName");
    EXPECT_REFUSED(with(minimal(), "sipDomain", json::array({"a..com"})), "sipDomain", "InvalidDnsName");
    EXPECT_REFUSED(with(minimal(), "sipDomain", "a..com"), "sipDomain", "InvalidDnsName");
    EXPECT_REFUSED(with(minimal(), "domainName", json::array({"a.com", "b.com", "c"})), "domainName[2]", "NotFullyQualified");
}

TEST(ProfileNames, PoolFqdn) {
    EXPECT_REFUSED(without(minimal(), "poolFqdn"), "poolFqdn", "RequiredField");
    EXPECT_REFUSED(with(minimal(), "poolFqdn", ""), "poolFqdn", "RequiredField");
    EXPECT_REFUSED(with(minimal(), "poolFqdn", "pool01"), "poolFqdn", "NotFullyQualified");
    // 64 characters fit the subject common name, 65 do not.
    const std::string suffix = ".contoso.com";
    const std::string pool64 = std::string(64 - suffix.size(), 'p') + suffix;
    const std::string pool65 = std::string(65 - suffix.size(), 'p') + suffix;
    ASSERT_EQ(pool64.size(), 64u);
    EXPECT_EQ(parse_profile(with(minimal(), "poolFqdn", pool64), local_must_not_be_called).names.pool_fqdn, pool64);
    EXPECT_REFUSED(with(minimal(), "poolFqdn", pool65), "poolFqdn", "FieldTooLong");
    // Counted after normalisation: a trailing dot does not count.
    EXPECT_EQ(parse_profile(with(minimal(), "poolFqdn", pool64 + "."), local_must_not_be_called).names.pool_fqdn, pool64);
}

json expanded_web_conferencing() {
    return with(with(minimal(), "role", "WebConferencing"), "topology", "Expanded");
}

TEST(ProfileNames, MachineFqdnFromTheLocalComputer) {
    local_fqdn_calls = 0;
    const auto in = parse_name_inputs(expanded_web_conferencing(), local_fe01);
    EXPECT_EQ(local_fqdn_calls, 1);
    EXPECT_EQ(in.machine_fqdn, "fe01.contoso.com");

    local_fqdn_calls = 0;
    const auto p = parse_profile(with(minimal(), "includeMachineName", true), local_fe01);
    EXPECT_EQ(local_fqdn_calls, 1);
    EXPECT_EQ(p.names.machine_fqdn, "fe01.contoso.com");
}

TEST(ProfileNames, MachineFqdnUnknown) {
    local_fqdn_calls = 0;
    const auto e = catch_error([] { parse_name_inputs(expanded_web_conferencing(), local_localhost); });
    EXPECT_EQ(local_fqdn_calls, 1);
    EXPECT_EQ(e.field(), "machineFqdn");
    EXPECT_EQ(e.reason(), "MachineFqdnUnknown");
    EXPECT_NE(std::string(e.what()).find("localhost"), std::string::npos) << e.what();

    const auto e2 = catch_error([] { parse_profile(with(minimal(), "includeMachineName", true), local_localhost); });
    EXPECT_EQ(e2.reason(), "MachineFqdnUnknown");
}

TEST(ProfileNames, MachineFqdnNotLookedUpWhenNotNeeded) {
    // Explicit machine FQDN, or not included: local_must_not_be_called fails the test if called.
    const auto a = parse_name_inputs(with(expanded_web_conferencing(), "machineFqdn", "WC01.Contoso.com"), local_must_not_be_called);
    EXPECT_EQ(a.machine_fqdn, "wc01.contoso.com");
    const auto b = parse_name_inputs(with(expanded_web_conferencing(), "includeMachineName", false), local_must_not_be_called);
    EXPECT_TRUE(b.machine_fqdn.empty());
    const auto c = parse_name_inputs(minimal(), local_must_not_be_called);
    EXPECT_TRUE(c.machine_fqdn.empty());
    // An explicit but invalid machine FQDN is an ordinary DNS-name error, not MachineFqdnUnknown.
    const auto e = catch_error([] { parse_name_inputs(with(expanded_web_conferencing(), "machineFqdn", "wc01"), local_must_not_be_called); });
    EXPECT_EQ(e.field(), "machineFqdn");
    EXPECT_EQ(e.reason(), "NotFullyQualified");
}

// --- SAN extension size -----------------------------------------------------------------------

json with_sip_domains(int count) {
    json domains = json::array();
    for (int i = 0; i < count; ++i) domains.push_back("division" + std::to_string(i) + ".contoso-europe.com");
    return with(with(minimal(), "sipDomain", domains), "automaticSignIn", true);
}

TEST(ProfileSanSize, ManySipDomainsAreTooLarge) {
    const Profile p = parse_profile(with_sip_domains(300), local_must_not_be_called);
    const auto resolved = ocscert::names::resolve(p.names);
    ASSERT_EQ(resolved.names.size(), 301u);
    EXPECT_GT(ocscert::request::san_extension_size(resolved.names), ocscert::request::max_san_extension_bytes);
    const auto e = catch_error([&] { ocscert::request::check_san_extension_size(resolved.names); });
    EXPECT_EQ(e.field(), "sipDomain");
    EXPECT_EQ(e.reason(), "SanExtensionTooLarge");
}

TEST(ProfileSanSize, AHandfulFits) {
    const Profile p = parse_profile(with_sip_domains(5), local_must_not_be_called);
    const auto resolved = ocscert::names::resolve(p.names);
    ASSERT_EQ(resolved.names.size(), 6u);
    EXPECT_LE(ocscert::request::san_extension_size(resolved.names), ocscert::request::max_san_extension_bytes);
    EXPECT_NO_THROW(ocscert::request::check_san_extension_size(resolved.names));
}

TEST(ProfileSanSize, TooManyAdministratorNamesNameDomainName) {
    json admin = json::array();
    for (int i = 0; i < 300; ++i) admin.push_back("meeting-room-" + std::to_string(i) + ".contoso-europe.com");
    const Profile p = parse_profile(with(minimal(), "domainName", admin), local_must_not_be_called);
    const auto e = catch_error([&] { ocscert::request::check_san_extension_size(ocscert::names::resolve(p.names).names); });
    EXPECT_EQ(e.field(), "domainName");
    EXPECT_EQ(e.reason(), "SanExtensionTooLarge");
}

}  // namespace
