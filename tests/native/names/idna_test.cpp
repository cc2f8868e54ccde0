#include "names/idna.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using ocscert::names::split_idna_labels;
using ocscert::names::to_ascii_label;
using ocscert::names::to_unicode_label;

struct Vector {
    const char* unicode;
    const char* ascii;
};

// Labels in their mapped form (UTS #46 leaves them as they are) and their A-labels; cross-checked
// with python's idna package (idna.encode(..., uts46=True)). (B), (L), (Q) are RFC 3492 7.1 samples.
const Vector kVectors[] = {
    {"bücher", "xn--bcher-kva"},
    {"münchen", "xn--mnchen-3ya"},
    {"例え", "xn--r8jz45g"},
    {"пример", "xn--e1afmkfd"},
    {"испытание", "xn--80akhbyknj4f"},
    {"テスト", "xn--zckzah"},
    {"ドメイン名例", "xn--eckwd4c7cu47r2wf"},
    {"他们为什么不说中文", "xn--ihqwcrb4cv8a8dqg056pqjye"},  // (B) Chinese
    {"3年b組金八先生", "xn--3b-ww4c5e180e575a65lsy2b"},      // (L)
    {"そのスピードで", "xn--d9juau41awczczp"},               // (Q)
    {"aé", "xn--a-bga"},
    {"ß", "xn--zca"},  // non-transitional: sharp s stays (transitional processing would make it "ss")
    {"ς", "xn--3xa"},  // and so does final sigma
    {"i̇stanbul", "xn--istanbul-o0e"},
    {"مثال", "xn--mgbh0fb"},     // Arabic, right to left
    {"א1", "xn--1-zhc"},         // Hebrew then a digit: the right-to-left rule allows it
    {"l·l", "xn--ll-0ea"},       // Catalan middle dot between two l's
    {"क्\u200D", "xn--11b6iy14e"}, // zero width joiner after a virama
};

std::optional<std::string> ascii(const std::string& label) {
    std::string problem;
    auto out = to_ascii_label(label, problem);
    EXPECT_TRUE(out || !problem.empty()) << label;
    return out;
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
    EXPECT_EQ(ascii("xn--BCHER-KVA"), "xn--bcher-kva");  // a valid A-label, lower-cased
    EXPECT_EQ(ascii("a--b"), "a--b");                    // hyphens elsewhere than 3 and 4 are fine
    EXPECT_EQ(ascii(""), "");
}

// Each line is one of the findings: what UTS #46 (non-transitional) makes of it.
TEST(IdnaToAscii, MapsAsUts46Does) {
    const Vector mapped[] = {
        {"con\u00ADtoso", "contoso"},           // soft hyphen pasted from a document: ignored
        {"ＢＵＣＨＥＲ", "bucher"},             // fullwidth letters
        {"İstanbul", "xn--istanbul-o0e"},       // capital I with dot above: 'i' + U+0307, not kept upper case
        {"ﬁ", "fi"},                            // ligature
        {"ⅷ", "viii"},                          // Roman numeral
        {"ĲSSEL", "ijssel"},                    // Dutch IJ ligature
        {"bu\u0308cher", "xn--bcher-kva"},      // decomposed: normalised to NFC
        {"MünCHEN", "xn--mnchen-3ya"},          // ASCII and non-ASCII upper case alike
        {"ПРИМЕР", "xn--e1afmkfd"},
        {"ΠΑΡΆΔΕΙΓΜΑ", "xn--hxajbheg2az3al"},  // Greek
        {"ŁÓDŹ", "xn--d-uga0v4h"},
        {"Ÿ", "xn--wda"},
        {"a\u200Bb", "ab"},                     // zero width space: ignored
        {"ａ－ｂ", "a-b"},                      // fullwidth hyphen-minus
    };
    for (const auto& v : mapped) EXPECT_EQ(ascii(v.unicode), v.ascii) << v.unicode;
}

TEST(IdnaToAscii, RefusesWhatIdna2008Refuses) {
    struct Refused {
        const char* label;
        const char* says;
    };
    const Refused refused[] = {
        {"☃", "U+2603 '☃', which IDNA2008 does not allow"},   // a symbol
        {"😀", "U+1F600"},                                     // emoji
        {"a\u200Db", "U+200D (zero width joiner"},             // a joiner with no virama before it
        {"a\u200Cb", "U+200C (zero width non-joiner"},
        {"a·b", "U+00B7 '·' outside the context IDNA2008 allows"},  // middle dot not between l's
        {"ب٠۰", "U+0660 '٠' outside the context"},             // Arabic-Indic digits of both kinds
        {"1א", "right-to-left"},                               // a right-to-left label starting with a digit
        {"\u0301a", "begins with a combining mark (U+0301)"},
        {"ab--cü", "third and fourth"},
        {"ab--c", "third and fourth"},                         // the same rule for ASCII labels
        {"a\uFF0Cb", "U+FF0C '，', which stands for ','"},     // fullwidth comma maps to a comma
        {"a\u2488", "U+2488 '⒈', which IDNA2008 does not allow"},  // "1." in UTS #46, disallowed by STD3 rules
        {"a\U000E0001", "U+E0001,"},                           // a tag character: named, not shown
        {"\u0378x", "U+0378"},                                 // unassigned
    };
    for (const auto& r : refused) {
        const std::string problem = problem_for(r.label);
        EXPECT_NE(problem.find(r.says), std::string::npos) << r.label << ": " << problem;
    }
}

TEST(IdnaToAscii, RefusesLabelsLongerThan63OnceEncoded) {
    std::string u;
    for (int i = 0; i < 60; ++i) u += "ü";
    EXPECT_NE(problem_for(u).find("63"), std::string::npos);
}

TEST(IdnaToAscii, RefusesInvalidALabels) {
    struct Refused {
        const char* label;
        const char* says;
    };
    const Refused refused[] = {
        {"xn--abc-", "not valid Punycode"},     // decodes to pure ASCII
        {"xn--", "not valid Punycode"},
        {"xn--bcher-kv", "not valid Punycode"}, // truncated
        {"xn--999999999a", "not valid Punycode"},  // overflows
        {"xn--bcher-2pa", "not in the form UTS #46 maps"},  // "bÜcher": upper case never encodes like that
        {"xn--a-la", "control character U+0085"},
        {"xn--e28h", "U+1F600"},                // an emoji
        {"xn--ab-0ea", "outside the context"},  // "a·b"
    };
    for (const auto& r : refused) {
        const std::string problem = problem_for(r.label);
        EXPECT_NE(problem.find(r.says), std::string::npos) << r.label << ": " << problem;
    }
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
    EXPECT_EQ(problem_for("bü cher"), "contains a code point that is not allowed in a host name (U+0020)");
}

TEST(IdnaSplit, SplitsOnTheFullStopsUts46MapsToADot) {
    using Labels = std::vector<std::string_view>;
    EXPECT_EQ(split_idna_labels("a.b"), (Labels{"a", "b"}));
    EXPECT_EQ(split_idna_labels("bücher。de"), (Labels{"bücher", "de"}));  // U+3002 ideographic
    EXPECT_EQ(split_idna_labels("a．b｡c"), (Labels{"a", "b", "c"}));      // U+FF0E fullwidth, U+FF61 halfwidth
    EXPECT_EQ(split_idna_labels("a.b."), (Labels{"a", "b", ""}));
    EXPECT_EQ(split_idna_labels(""), (Labels{""}));
    EXPECT_EQ(split_idna_labels("\xE3\x80"), (Labels{"\xE3\x80"}));  // a cut sequence is no separator
}

TEST(IdnaToUnicode, RefusesAnALabelOfUpperCaseText) {
    EXPECT_EQ(to_unicode_label("xn--bcher-2pa"), std::nullopt);  // "bÜcher": never what a host name encodes to
}

TEST(IdnaToUnicode, DecodesKnownVectors) {
    for (const auto& v : kVectors) EXPECT_EQ(to_unicode_label(v.ascii), v.unicode) << v.ascii;
}

TEST(IdnaToUnicode, IsCaseInsensitive) {
    EXPECT_EQ(to_unicode_label("XN--BCHER-KVA"), "bücher");
    EXPECT_EQ(to_unicode_label("xn--3B-ww4c5e180e575a65lsy2b"), "3年b組金八先生");
}

TEST(IdnaToUnicode, RoundTrips) {
    for (const char* s : {"bücher", "пример", "ドメイン名例", "a-é-b", "ü", "ß"}) {
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
    EXPECT_EQ(to_unicode_label("xn--e28h"), std::nullopt);        // an emoji: not allowed by IDNA2008
}

}  // namespace
