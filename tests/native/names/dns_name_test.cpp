#include "names/dns_name.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../test_support.hpp"
#include "core/error.hpp"

namespace {

using ocscert::names::normalize_dns_name;

using ocscert::testing::catch_error;

ocscert::Error refusal(const std::string& value, const std::string& field = "poolFqdn") {
    return catch_error([&] { normalize_dns_name(value, field); });
}

// A label of exactly n characters.
std::string label(std::size_t n, char c = 'a') { return std::string(n, c); }

// A valid name of exactly `total` characters built from labels of at most 63 characters.
std::string name_of_length(std::size_t total) {
    std::string out;
    // Fill with 63-character labels, then a final label of what is left (at least 2 characters).
    while (total - out.size() > 64 + 3) out += label(63, 'a') + ".";
    const std::size_t rest = total - out.size();
    // Split the rest into two labels so the last one is never all-numeric and never too long.
    const std::size_t first = rest / 2;
    out += label(first, 'b') + "." + label(rest - first - 1, 'c');
    return out;
}

// --- Accepted names ---------------------------------------------------------------------------

TEST(DnsNameNormalize, KeepsAPlainName) {
    EXPECT_EQ(normalize_dns_name("pool01.contoso.com", "poolFqdn"), "pool01.contoso.com");
}

TEST(DnsNameNormalize, LowerCases) {
    EXPECT_EQ(normalize_dns_name("Pool01.CONTOSO.Com", "poolFqdn"), "pool01.contoso.com");
}

TEST(DnsNameNormalize, RemovesTheTrailingDot) {
    EXPECT_EQ(normalize_dns_name("pool01.contoso.com.", "poolFqdn"), "pool01.contoso.com");
    EXPECT_EQ(normalize_dns_name("POOL01.Contoso.COM.", "poolFqdn"), "pool01.contoso.com");
}

TEST(DnsNameNormalize, EncodesInternationalisedLabelsAsALabels) {
    EXPECT_EQ(normalize_dns_name("Bücher.example", "domainName"), "xn--bcher-kva.example");
    EXPECT_EQ(normalize_dns_name("pool.münchen.example", "domainName"), "pool.xn--mnchen-3ya.example");
    EXPECT_EQ(normalize_dns_name("Bücher.example.", "domainName"), "xn--bcher-kva.example");
}

// The findings, whole names as an admin types them: UTS #46 non-transitional mapping,
// expected values from python's idna package and libidn2 alike.
TEST(DnsNameNormalize, MapsInternationalNamesAsUts46Does) {
    const std::pair<const char*, const char*> cases[] = {
        {"con\u00ADtoso.com", "contoso.com"},                // soft hyphen pasted from a document
        {"ＢＵＣＨＥＲ.de", "bucher.de"},                      // fullwidth letters
        {"İstanbul.tr", "xn--istanbul-o0e.tr"},              // not 'xn--stanbul-ifb' (a kept capital)
        {"ﬁ.com", "fi.com"},
        {"ⅷ.com", "viii.com"},
        {"ĲSSEL.nl", "ijssel.nl"},
        {"bücher。de", "xn--bcher-kva.de"},                  // ideographic full stop
        {"bücher．de｡", "xn--bcher-kva.de"},                 // fullwidth stop, halfwidth stop as the root dot
        {"bu\u0308cher.de", "xn--bcher-kva.de"},             // decomposed: NFC
        {"Straße.de", "xn--strae-oqa.de"},                   // non-transitional: sharp s stays
    };
    for (const auto& [typed, expected] : cases) EXPECT_EQ(normalize_dns_name(typed, "sipDomain"), expected) << typed;
}

TEST(DnsNameNormalize, KeepsExistingValidALabels) {
    EXPECT_EQ(normalize_dns_name("xn--bcher-kva.example", "domainName"), "xn--bcher-kva.example");
    EXPECT_EQ(normalize_dns_name("XN--BCHER-KVA.Example", "domainName"), "xn--bcher-kva.example");
}

TEST(DnsNameNormalize, AcceptsHyphensAndDigitsInsideLabels) {
    EXPECT_EQ(normalize_dns_name("ocs-pool-01.contoso2.com", "poolFqdn"), "ocs-pool-01.contoso2.com");
    EXPECT_EQ(normalize_dns_name("10.0.0.contoso", "poolFqdn"), "10.0.0.contoso");  // only the last label matters
}

TEST(DnsNameNormalize, Accepts63CharacterLabel) {
    const std::string name = label(63) + ".contoso.com";
    EXPECT_EQ(normalize_dns_name(name, "poolFqdn"), name);
}

TEST(DnsNameNormalize, Accepts253CharacterName) {
    const std::string name = name_of_length(253);
    ASSERT_EQ(name.size(), 253u);
    EXPECT_EQ(normalize_dns_name(name, "domainName"), name);
    // The root dot is not counted.
    EXPECT_EQ(normalize_dns_name(name + ".", "domainName"), name);
}

// --- Refused names ----------------------------------------------------------------------------

TEST(DnsNameRefuse, EmptyIsRequiredField) {
    const auto e = refusal("", "machineFqdn");
    EXPECT_EQ(e.reason(), "RequiredField");
    EXPECT_EQ(e.field(), "machineFqdn");
    EXPECT_EQ(e.code(), OCSCERT_E_INVALID_ARGUMENT);
    // The field is given beside the message (and the cmdlet puts the parameter's name before it), so
    // the message does not repeat the library's internal name.
    EXPECT_EQ(std::string(e.what()).find("machineFqdn"), std::string::npos) << e.what();
}

TEST(DnsNameRefuse, WildcardAnywhere) {
    for (const char* value : {"*.contoso.com", "a*.contoso.com", "pool.*.com", "pool.contoso.*", "*"}) {
        const auto e = refusal(value, "domainName[2]");
        EXPECT_EQ(e.reason(), "WildcardNotAllowed") << value;
        EXPECT_EQ(e.field(), "domainName[2]") << value;
    }
}

TEST(DnsNameRefuse, CharactersOtherThanLettersDigitsHyphens) {
    const std::vector<std::string> values = {
        "pool01,contoso.com",     // comma
        "pool01.contoso.com,x.y", // comma between names
        "pool 01.contoso.com",    // space
        "pool01.contoso.com ",    // trailing space
        "pool01\n.contoso.com",   // newline
        "pool01.contoso.com\n",   // trailing newline
        "pool_01.contoso.com",    // underscore
        "_sip._tls.contoso.com",  // SRV-style name
        "pool01.contoso.com/x",   // slash
        "pool01:5061.contoso.com" // colon
    };
    for (const auto& value : values) {
        const auto e = refusal(value, "sipDomain");
        EXPECT_EQ(e.reason(), "InvalidDnsName") << value;
        EXPECT_EQ(e.field(), "sipDomain") << value;
    }
}

TEST(DnsNameRefuse, EmptyLabel) {
    for (const char* value : {"a..b.com", ".a.com", "a.com..", "."}) {
        const auto e = refusal(value);
        EXPECT_EQ(e.reason(), "InvalidDnsName") << value;
        EXPECT_EQ(e.field(), "poolFqdn") << value;
        EXPECT_NE(std::string(e.what()).find("empty label"), std::string::npos) << e.what();
    }
}

TEST(DnsNameRefuse, LeadingOrTrailingHyphenInALabel) {
    for (const char* value : {"-pool.contoso.com", "pool-.contoso.com", "pool.-contoso.com", "pool.contoso-.com",
                              "pool.contoso.com-", "-.contoso.com"}) {
        const auto e = refusal(value);
        EXPECT_EQ(e.reason(), "InvalidDnsName") << value;
        EXPECT_NE(std::string(e.what()).find("hyphen"), std::string::npos) << e.what();
    }
}

TEST(DnsNameRefuse, LabelOf64Characters) {
    const auto e = refusal(label(64) + ".contoso.com");
    EXPECT_EQ(e.reason(), "InvalidDnsName");
    EXPECT_EQ(e.field(), "poolFqdn");
    EXPECT_NE(std::string(e.what()).find("64"), std::string::npos) << e.what();
}

TEST(DnsNameRefuse, ALabelLongerThan63Characters) {
    // 60 'ü' (60 code points) encode to a 66-character A-label.
    std::string u;
    for (int i = 0; i < 60; ++i) u += "ü";
    const auto e = refusal(u + ".contoso.com");
    EXPECT_EQ(e.reason(), "InvalidDnsName");
    EXPECT_NE(std::string(e.what()).find("A-label"), std::string::npos) << e.what();
}

TEST(DnsNameRefuse, NameOf254Characters) {
    const std::string name = name_of_length(254);
    ASSERT_EQ(name.size(), 254u);
    const auto e = refusal(name, "domainName");
    EXPECT_EQ(e.reason(), "InvalidDnsName");
    EXPECT_EQ(e.field(), "domainName");
    EXPECT_NE(std::string(e.what()).find("254"), std::string::npos) << e.what();
    EXPECT_EQ(refusal(name + ".", "domainName").reason(), "InvalidDnsName");
}

// The machine's name was refused with pool01.contoso.com as the example of what to give.
TEST(DnsNameRefuse, TheExampleFitsTheField) {
    EXPECT_NE(std::string(refusal("fe01", "machineFqdn").what()).find("e.g. fe01.contoso.com"), std::string::npos);
    EXPECT_NE(std::string(refusal("fe_01.contoso.com", "machineFqdn").what()).find("e.g. fe01.contoso.com"), std::string::npos);
    EXPECT_NE(std::string(refusal("fe_01.contoso.com", "fqdn").what()).find("e.g. fe01.contoso.com"), std::string::npos);  // a pool member
    EXPECT_NE(std::string(refusal("contoso", "sipDomain[1]").what()).find("e.g. contoso.com"), std::string::npos);
    EXPECT_NE(std::string(refusal("pool01", "poolFqdn").what()).find("e.g. pool01.contoso.com"), std::string::npos);
}

TEST(DnsNameRefuse, AnInputFarTooLongIsRefusedBeforeMapping) {
    const auto e = refusal(std::string(100000, 'a') + "\u2603.com");
    EXPECT_EQ(e.reason(), "InvalidDnsName");
    EXPECT_NE(std::string(e.what()).find("at most 253"), std::string::npos) << e.what();
}

TEST(DnsNameRefuse, SingleLabel) {
    for (const char* value : {"pool01", "pool01.", "Bücher"}) {
        const auto e = refusal(value, "machineFqdn");
        EXPECT_EQ(e.reason(), "NotFullyQualified") << value;
        EXPECT_EQ(e.field(), "machineFqdn") << value;
    }
}

TEST(DnsNameRefuse, AllNumericLastLabel) {
    for (const char* value : {"10.0.0.1", "192.168.1.20.", "pool01.123"}) {
        const auto e = refusal(value);
        EXPECT_EQ(e.reason(), "InvalidDnsName") << value;
        EXPECT_NE(std::string(e.what()).find("IP address"), std::string::npos) << e.what();
    }
}

TEST(DnsNameRefuse, InvalidPunycode) {
    // 'xn--zz-' is refused (ends with a hyphen, and is not a canonical A-label either).
    EXPECT_EQ(refusal("xn--zz-.com").reason(), "InvalidDnsName");
    // Labels that pass the LDH and hyphen rules but do not decode to a canonical A-label.
    for (const char* value : {"xn--a.contoso.com", "xn--abc-.contoso.com", "pool.xn--99999999999.com", "xn--zz.com"}) {
        const auto e = refusal(value, "domainName");
        EXPECT_EQ(e.reason(), "InvalidDnsName") << value;
        EXPECT_EQ(e.field(), "domainName") << value;
    }
    const auto e = refusal("xn--a.contoso.com");
    EXPECT_NE(std::string(e.what()).find("Punycode"), std::string::npos) << e.what();
}

TEST(DnsNameRefuse, WhatIdna2008Refuses) {
    const std::pair<const char*, const char*> cases[] = {
        {"\u2603.net", "U+2603"},                      // a snowman
        {"a\u200Db.com", "U+200D (zero width joiner"},  // an invisible joiner
        {"ab--cd.contoso.com", "third and fourth"},    // a reserved label, ASCII or not
        {"a\uFF0Cb.contoso.com", "U+FF0C"},            // fullwidth comma
        {"1\u05D0.contoso.com", "right-to-left"},      // a right-to-left label must not start with a digit
    };
    for (const auto& [typed, says] : cases) {
        const auto e = refusal(typed, "sipDomain");
        EXPECT_EQ(e.reason(), "InvalidDnsName") << typed;
        EXPECT_EQ(e.field(), "sipDomain") << typed;
        EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
        // Says what would be accepted, with an example of a SIP domain.
        EXPECT_NE(std::string(e.what()).find("e.g. contoso.com"), std::string::npos) << e.what();
    }
    EXPECT_NE(std::string(refusal("\u2603.net").what()).find("UTS #46"), std::string::npos);
    EXPECT_EQ(normalize_dns_name("\u05D01.contoso.com", "sipDomain"), "xn--1-zhc.contoso.com");  // letter, then digit: fine
    EXPECT_NE(std::string(refusal("\u00AD.contoso.com").what()).find("ignore"), std::string::npos);
}

TEST(DnsNameRefuse, InvalidUtf8) {
    const auto e = refusal(std::string("b\xC3\x28.contoso.com"));
    EXPECT_EQ(e.reason(), "InvalidDnsName");
}

TEST(DnsNameRefuse, MessagesAreOneLine) {
    const std::vector<std::string> values = {
        "pool\n01.contoso.com", "pool01.contoso.com\n", "*.contoso\n.com", "a\r\n.contoso.com",
        "pool01\n",             "\n",                   "10.0.0.\n1",      "a..b\n.com",
        label(64) + "\n.com",   "\x1b[31m.contoso.com",
    };
    for (const auto& value : values) {
        const auto e = refusal(value);
        const std::string message = e.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_EQ(message.find('\r'), std::string::npos) << message;
        EXPECT_EQ(message.find('\x1b'), std::string::npos) << message;
    }
    // The escaped form is shown instead.
    EXPECT_NE(std::string(refusal("*.contoso\n.com").what()).find("\\n"), std::string::npos);
}

// Strict UTF-8 check (no truncated or stray sequences).
bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

TEST(DnsNameRefuse, MessagesAreValidUtf8) {
    // The quoted value is shortened in long messages; it must not be cut inside a UTF-8 sequence.
    std::string euros;
    for (int i = 0; i < 30; ++i) euros += "\xE2\x82\xAC";  // U+20AC, 3 bytes each: 80 bytes fall inside the 27th
    const auto e = refusal(euros + "_x.contoso.com");
    EXPECT_EQ(e.reason(), "InvalidDnsName");
    EXPECT_TRUE(valid_utf8(e.what())) << e.what();
}

}  // namespace
