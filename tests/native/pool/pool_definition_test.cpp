// A pool definition is checked whole before any member is touched; each error
// names the member and the field as the admin wrote them.
#include "pool/pool_definition.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace ocscert::pool {
namespace {

using nlohmann::json;

json three_members() {
    return {{"poolFqdn", "pool01.contoso.com"},
            {"sipDomain", {"contoso.com"}},
            {"request", {{"ca", "acme:https://ca.contoso.com/dir"}, {"organization", "Contoso"}, {"country", "US"}, {"state", "Washington"}, {"city", "Redmond"}}},
            {"members",
             {{{"fqdn", "fe01.contoso.com"}, {"role", {"FrontEnd", "WebConferencing"}}},
              {{"fqdn", "fe02.contoso.com"}, {"hostName", "10.0.0.12:2222"}, {"userName", "admin"}},
              {{"fqdn", "fe03.contoso.com"}, {"computerName", "FE03"}}}}};
}

// The error a definition gets: reason and field.
std::pair<std::string, std::string> refusal(const json& input) {
    try {
        parse_pool_definition(input);
    } catch (const Error& e) {
        return {e.reason(), e.field()};
    }
    return {"accepted", ""};
}

TEST(PoolDefinition, EachMemberGetsItsTransportAndTheNamesItsCertificateNeeds) {
    const auto pool = parse_pool_definition(three_members());
    ASSERT_EQ(pool.members.size(), 3u);
    EXPECT_EQ(pool.members[0].transport, "ssh");
    EXPECT_EQ(pool.members[0].host_name, "fe01.contoso.com");
    EXPECT_EQ(pool.members[0].roles, (std::vector<std::string>{"FrontEnd", "WebConferencing"}));
    EXPECT_EQ(pool.members[1].host_name, "10.0.0.12");
    EXPECT_EQ(pool.members[1].port, 2222);
    EXPECT_EQ(pool.members[2].transport, "winrm");
    EXPECT_EQ(pool.members[2].roles, (std::vector<std::string>{"FrontEnd"}));
    EXPECT_EQ(pool.challenge_listener, "0.0.0.0:80");
    EXPECT_EQ(pool.mutual_tls_port, 5061);
    for (const auto& m : pool.members) {
        ASSERT_FALSE(m.names.empty());
        EXPECT_EQ(m.names.front(), "pool01.contoso.com");  // the subject

    }
    auto own_ca = three_members();
    own_ca["members"][2]["request"] = {{"ca", "scep:http://ndes.contoso.com/certsrv/mscep/mscep.dll"}, {"keySize", 4096}};
    EXPECT_EQ(parse_pool_definition(own_ca).members[2].request["keySize"], 4096);
    const json shown = to_json(pool);
    EXPECT_EQ(shown["members"][1]["port"], 2222);
    EXPECT_EQ(shown["request"]["organization"], "Contoso");
}

TEST(PoolDefinition, MistakesAreNamedByMemberAndField) {
    auto duplicate = three_members();
    duplicate["members"][2] = {{"fqdn", "FE01.contoso.com"}};
    EXPECT_EQ(refusal(duplicate), std::make_pair(std::string("DuplicateMember"), std::string("members[2].fqdn")));

    auto same_address = three_members();
    same_address["members"][2] = {{"fqdn", "fe04.contoso.com"}, {"hostName", "fe01.contoso.com"}};
    EXPECT_EQ(refusal(same_address).first, "DuplicateMember");

    auto not_a_name = three_members();
    not_a_name["members"][1]["fqdn"] = "fe 02";
    EXPECT_EQ(refusal(not_a_name).second, "members[1].fqdn");

    auto short_name = three_members();
    short_name["members"][1]["fqdn"] = "fe02";
    EXPECT_EQ(refusal(short_name), std::make_pair(std::string("NotFullyQualified"), std::string("members[1].fqdn")));

    auto is_pool = three_members();
    is_pool["members"][0]["fqdn"] = "pool01.contoso.com";
    EXPECT_EQ(refusal(is_pool).first, "MemberIsPool");

    auto web = three_members();
    web["members"][0]["role"] = {"WebComponents"};
    EXPECT_EQ(refusal(web), std::make_pair(std::string("WebComponentsNotSupported"), std::string("members[0].role")));

    auto both = three_members();
    both["members"][2]["hostName"] = "fe03";
    EXPECT_EQ(refusal(both).first, "TransportConflict");

    auto unknown_member_key = three_members();
    unknown_member_key["members"][0]["fdqn"] = "typo";
    EXPECT_EQ(refusal(unknown_member_key).second, "members[0].fdqn");

    auto unknown_key = three_members();
    unknown_key["pool"] = "pool01";
    EXPECT_EQ(refusal(unknown_key).second, "pool");

    auto request_key = three_members();
    request_key["request"]["keysize"] = 2048;
    EXPECT_EQ(refusal(request_key).second, "request.keysize");

    auto machine_in_request = three_members();
    machine_in_request["request"]["machineFqdn"] = "fe01.contoso.com";
    EXPECT_EQ(refusal(machine_in_request).first, "NotARequestSetting");

    auto no_state = three_members();
    no_state["request"].erase("state");
    EXPECT_EQ(refusal(no_state), std::make_pair(std::string("RequiredField"), std::string("request.state")));

    auto member_request = three_members();
    member_request["members"][1]["request"] = {{"poolFqdn", "pool02.contoso.com"}};
    EXPECT_EQ(refusal(member_request), std::make_pair(std::string("NotARequestSetting"), std::string("members[1].request.poolFqdn")));

    auto no_members = three_members();
    no_members["members"] = json::array();
    EXPECT_EQ(refusal(no_members), std::make_pair(std::string("RequiredField"), std::string("members")));

    auto no_pool = three_members();
    no_pool.erase("poolFqdn");
    EXPECT_EQ(refusal(no_pool), std::make_pair(std::string("RequiredField"), std::string("poolFqdn")));
}

TEST(PoolDefinition, AnErrorSaysWhichMemberInWords) {
    auto web = three_members();
    web["members"][1]["role"] = {"WebComponents"};
    try {
        parse_pool_definition(web);
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("fe02.contoso.com: ", 0), 0u) << e.what();
    }
}

}  // namespace
}  // namespace ocscert::pool
