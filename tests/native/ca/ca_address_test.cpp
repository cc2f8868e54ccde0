// The -CA argument: each scheme goes to the protocol registered for it, and an
// unknown one is refused by the registry with the forms it knows.
#include "ca/ca_address.hpp"

#include <gtest/gtest.h>

#include "ca/registry.hpp"
#include "core/error.hpp"

namespace ocscert::ca {
namespace {

TEST(CaAddress, EachSchemeGoesToItsRegisteredProtocol) {
    for (const char* scheme : {"acme", "scep", "ACME"}) {
        const auto address = parse_ca_address(std::string(scheme) + ":https://ca.contoso.com/x", "ca");
        ASSERT_NE(address.protocol, nullptr);
        EXPECT_EQ(address.protocol, find_protocol(scheme));
        EXPECT_EQ(address.url, "https://ca.contoso.com/x");
    }
    EXPECT_EQ(parse_ca_address("acme:https://ca.contoso.com/dir", "ca").text(), "acme:https://ca.contoso.com/dir");
}

TEST(CaAddress, AnUnknownSchemeIsRefusedWithTheKnownForms) {
    try {
        parse_ca_address("est:https://ca.contoso.com/.well-known/est", "ca");
        FAIL() << "an unknown scheme was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.reason(), "UnknownCaProtocol");
        EXPECT_EQ(e.field(), "ca");
        const std::string message = e.what();
        EXPECT_NE(message.find("'est'"), std::string::npos) << message;
        EXPECT_NE(message.find("acme:https://"), std::string::npos) << message;
        EXPECT_NE(message.find("scep:https://"), std::string::npos) << message;
    }
}

TEST(CaAddress, AProtocolThatNeedsHttpsRefusesHttp) {
    EXPECT_TRUE(find_protocol("acme")->requires_https());
    try {
        parse_ca_address("acme:http://ca.contoso.com/dir", "ca");
        FAIL() << "ACME over http was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.reason(), "InvalidCaAddress");
    }
    EXPECT_NO_THROW(parse_ca_address("scep:http://ndes.contoso.com/certsrv/mscep/mscep.dll", "ca"));
}

}  // namespace
}  // namespace ocscert::ca
