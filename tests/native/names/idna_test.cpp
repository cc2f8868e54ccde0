#include "names/idna.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ocscert::names::to_ascii_label;
using ocscert::names::to_unicode_label;

struct Vector {
    const char* unicode;
    const char* ascii;
};

// Expected A-labels cross-checked against Python's RFC 3492 "punycode" codec; the
// (A), (B), (L), (Q) entries are the RFC 3492 section 7.1 samples (ASCII lower-cased).
const Vector kVectors[] = {
    {"bücher", "xn--bcher-kva"},
    {"münchen", "xn--mnchen-3ya"},
    {"例え", "xn--r8jz45g"},
    {"пример", "xn--e1afmkfd"},
    {"испытание", "xn--80akhbyknj4f"},
    {"テスト", "xn--zckzah"},
    {"ドメイン名例", "xn--eckwd4c7cu47r2wf"},
    {"ليهمابتكلموشعربي؟", "xn--egbpdaj6bu4bxfgehfvwxn"},          // (A) Arabic
    {"他们为什么不说中文", "xn--ihqwcrb4cv8a8dqg056pqjye"},         // (B) Chinese
    {"3年b組金八先生", "xn--3b-ww4c5e180e575a65lsy2b"},             // (L)
    {"そのスピードで", "xn--d9juau41awczczp"},                      // (Q)
    {"aé", "xn--a-bga"},
    {"😀", "xn--e28h"},  // outside the BMP
};

std::optional<std::string> ascii(const std::string& label) {
    std::string problem;
    return to_ascii_label(label, problem);
}

std::string problem_for(const std::string& label) {
    std::string problem;
    EXPECT_EQ(to_ascii_label(label, problem), std::nullopt) << label;
    return problem;
}

TEST(IdnaToAscii, EncodesKnownVectors) {
    for (const auto& v : kVectors) EXPECT_EQ(ascii(v.unicode), v.ascii) << v.unicode;
}

TEST(IdnaToAscii, AsciiLabelsAreOnlyLowerCased) {
    EXPECT_EQ(ascii("example"), "example");
    EXPECT_EQ(ascii("ExAmPle-123"), "example-123");
    EXPECT_EQ(ascii("xn--BCHER-KVA"), "xn--bcher-kva");  // not validated, just lower-cased
    EXPECT_EQ(ascii(""), "");
}

TEST(IdnaToAscii, LowerCasesAsciiBeforeEncoding) {
    EXPECT_EQ(ascii("MünCHEN"), "xn--mnchen-3ya");
    EXPECT_EQ(ascii("3年B組金八先生"), "xn--3b-ww4c5e180e575a65lsy2b");
}

TEST(IdnaToAscii, LowerCasesLatinGreekAndCyrillic) {
    EXPECT_EQ(ascii("ü"), "xn--tda");
    EXPECT_EQ(ascii("Ü"), "xn--tda");
    EXPECT_EQ(ascii("BÜCHER"), "xn--bcher-kva");
    EXPECT_EQ(ascii("ПРИМЕР"), "xn--e1afmkfd");
    EXPECT_EQ(ascii("ΠΑΡΆΔΕΙΓΜΑ"), ascii("παράδειγμα"));
    EXPECT_EQ(ascii("ŁÓDŹ"), ascii("łódź"));
    EXPECT_EQ(ascii("Ÿ"), ascii("ÿ"));
    EXPECT_EQ(ascii("ß"), "xn--zca");  // IDNA2008 keeps sharp s
}

TEST(IdnaToAscii, RejectsCombiningMarks) {
    EXPECT_NE(problem_for("bu\xCC\x88" "cher").find("U+0308"), std::string::npos);
}

TEST(IdnaToUnicode, RefusesAnALabelOfUpperCaseText) {
    EXPECT_EQ(to_unicode_label("xn--bcher-2pa"), std::nullopt);  // "bÜcher": never what a host name encodes to
}

TEST(IdnaToAscii, RejectsInvalidUtf8) {
    const std::string bad[] = {
        "\xFF",              // never valid in UTF-8
        "a\x80",             // stray continuation byte
        "\xC0\x80",          // overlong NUL
        "\xE0\x80\xAF",      // overlong '/'
        "\xED\xA0\x80",      // UTF-16 surrogate U+D800
        "\xF4\x90\x80\x80",  // U+110000, beyond Unicode
        "\xC3",              // truncated 2-byte sequence
        "\xE4\xBE",          // truncated 3-byte sequence
        "\xC3(",             // bad continuation byte
    };
    for (const auto& b : bad) EXPECT_EQ(problem_for(b), "is not valid UTF-8");
}

TEST(IdnaToAscii, RejectsControlsSpaceAndDelete) {
    EXPECT_EQ(problem_for("a\nb"), "contains the control character U+000A");
    EXPECT_EQ(problem_for("\t"), "contains the control character U+0009");
    EXPECT_EQ(problem_for(std::string("a\0b", 3)), "contains the control character U+0000");
    EXPECT_EQ(problem_for("a\x7F"), "contains the control character U+007F");
    EXPECT_EQ(problem_for("b\xC2\x85"), "contains the control character U+0085");  // C1 NEL
    EXPECT_EQ(problem_for("bü cher"),
              "contains a code point that is not allowed in a host name (U+0020)");
}

TEST(IdnaToUnicode, DecodesKnownVectors) {
    for (const auto& v : kVectors) EXPECT_EQ(to_unicode_label(v.ascii), v.unicode) << v.ascii;
}

TEST(IdnaToUnicode, IsCaseInsensitive) {
    EXPECT_EQ(to_unicode_label("XN--BCHER-KVA"), "bücher");
    EXPECT_EQ(to_unicode_label("xn--3B-ww4c5e180e575a65lsy2b"), "3年b組金八先生");
}

TEST(IdnaToUnicode, RoundTrips) {
    for (const char* s : {"bücher", "пример", "ドメイン名例", "a-é-b", "😀x😀", "ü"}) {
        const auto a = ascii(s);
        ASSERT_TRUE(a.has_value()) << s;
        EXPECT_EQ(to_unicode_label(*a), s) << *a;
    }
}

TEST(IdnaToUnicode, RejectsInvalidPunycode) {
    EXPECT_EQ(to_unicode_label("example"), std::nullopt);         // no xn-- prefix
    EXPECT_EQ(to_unicode_label("xn--"), std::nullopt);            // empty
    EXPECT_EQ(to_unicode_label("xn--abc-"), std::nullopt);        // decodes to pure ASCII
    EXPECT_EQ(to_unicode_label("xn--bcher-kv"), std::nullopt);    // truncated delta
    EXPECT_EQ(to_unicode_label("xn--bcher-k!a"), std::nullopt);   // not a base-36 digit
    EXPECT_EQ(to_unicode_label("xn--b\xC3\xBC-kva"), std::nullopt);  // non-ASCII basic part
    EXPECT_EQ(to_unicode_label("xn--999999999a"), std::nullopt);  // uint32 overflow
    EXPECT_EQ(to_unicode_label("xn--a-la"), std::nullopt);        // decodes to "a" U+0085 (C1 control)
}

}  // namespace
