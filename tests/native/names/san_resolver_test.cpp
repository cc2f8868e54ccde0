#include "names/san_resolver.hpp"
#include "names/idna.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using ocscert::names::machine_name_by_default;
using ocscert::names::NameInputs;
using ocscert::names::resolve;
using ocscert::names::ResolvedName;
using ocscert::names::ResolvedNames;
using ocscert::names::Role;
using ocscert::names::Topology;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<std::string> names_of(const ResolvedNames& r) {
    std::vector<std::string> out;
    for (const auto& n : r.names) out.push_back(n.name);
    return out;
}

std::vector<std::string> sources_of(const ResolvedNames& r) {
    std::vector<std::string> out;
    for (const auto& n : r.names) out.push_back(n.source);
    return out;
}

NameInputs base_inputs() {
    NameInputs in;
    in.roles = {Role::FrontEnd};
    in.topology = Topology::Consolidated;
    in.pool_fqdn = "pool01.contoso.com";
    in.machine_fqdn = "fe01.contoso.com";
    return in;
}

// --- sip.<domain> names (step 12's note) ----------------------------------------------------------

struct SipCase {
    int domains;  // 1 or 2
    bool automatic_sign_in;
    bool sign_in_redirect;
};

std::string describe(const SipCase& c) {
    return std::to_string(c.domains) + "Domains_Auto" + (c.automatic_sign_in ? "On" : "Off") + "_Redirect" +
           (c.sign_in_redirect ? "On" : "Off");
}

class SanResolverSipDomains : public ::testing::TestWithParam<SipCase> {};

TEST_P(SanResolverSipDomains, FrontEndFollowsTheWizardNote) {
    const SipCase c = GetParam();
    NameInputs in = base_inputs();
    in.sip_domains = {"contoso.com"};
    if (c.domains == 2) in.sip_domains.push_back("fabrikam.com");
    in.automatic_sign_in = c.automatic_sign_in;
    in.sign_in_redirect = c.sign_in_redirect;

    const ResolvedNames r = resolve(in);
    const bool expect_sip = c.automatic_sign_in || c.sign_in_redirect;
    const bool expect_required = c.domains == 2 && c.automatic_sign_in && c.sign_in_redirect;

    std::vector<std::string> expected = {"pool01.contoso.com"};
    if (expect_sip) {
        expected.push_back("sip.contoso.com");
        if (c.domains == 2) expected.push_back("sip.fabrikam.com");
    }
    EXPECT_EQ(names_of(r), expected);

    for (const auto& n : r.names) {
        if (n.source != "SipDomain") continue;
        EXPECT_TRUE(starts_with(n.name, "sip.")) << n.name;
        EXPECT_EQ(starts_with(n.reason, "Required"), expect_required) << n.reason;
        EXPECT_FALSE(n.reason.empty());
        if (!expect_required) {
            EXPECT_EQ(contains(n.reason, "automatic logon"), c.automatic_sign_in) << n.reason;
            EXPECT_EQ(contains(n.reason, "sign-in redirection"), c.sign_in_redirect) << n.reason;
        }
    }
}

TEST_P(SanResolverSipDomains, WebConferencingAndAudioVideoNeverGetSipNames) {
    const SipCase c = GetParam();
    for (Role role : {Role::WebConferencing, Role::AudioVideo}) {
        for (Topology topology : {Topology::Consolidated, Topology::Expanded}) {
            NameInputs in = base_inputs();
            in.roles = {role};
            in.topology = topology;
            in.include_machine_name = false;
            in.sip_domains = {"contoso.com"};
            if (c.domains == 2) in.sip_domains.push_back("fabrikam.com");
            in.automatic_sign_in = c.automatic_sign_in;
            in.sign_in_redirect = c.sign_in_redirect;
            const ResolvedNames r = resolve(in);
            EXPECT_EQ(names_of(r), std::vector<std::string>{"pool01.contoso.com"})
                << ocscert::names::to_string(role) << " " << ocscert::names::to_string(topology);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(SanResolverAllCombinations, SanResolverSipDomains,
                         ::testing::Values(SipCase{1, false, false}, SipCase{1, false, true}, SipCase{1, true, false},
                                           SipCase{1, true, true}, SipCase{2, false, false}, SipCase{2, false, true},
                                           SipCase{2, true, false}, SipCase{2, true, true}),
                         [](const ::testing::TestParamInfo<SipCase>& p) { return describe(p.param); });

TEST(SanResolverSip, ConsolidatedPoolWithAllRolesGetsSipNames) {
    NameInputs in = base_inputs();
    in.roles = {Role::FrontEnd, Role::WebConferencing, Role::AudioVideo};
    in.sip_domains = {"contoso.com"};
    in.automatic_sign_in = true;
    EXPECT_EQ(names_of(resolve(in)), (std::vector<std::string>{"pool01.contoso.com", "sip.contoso.com"}));
}

// A label that mixes Latin and Cyrillic letters ("pооl01" with two Cyrillic о) is what look-alike
// names are made of: allowed, but warned of. One script alone (bücher, or all Cyrillic) is not.
TEST(SanResolverNames, AMixedScriptLabelIsWarnedOf) {
    std::string problem;
    const auto mixed = ocscert::names::to_ascii_label("p\xD0\xBE\xD0\xBEl01", problem);
    const auto latin = ocscert::names::to_ascii_label("b\xC3\xBC" "cher", problem);
    const auto cyrillic = ocscert::names::to_ascii_label("\xD0\xBF\xD1\x83\xD0\xBB", problem);
    ASSERT_TRUE(mixed && latin && cyrillic) << problem;
    NameInputs in = base_inputs();
    in.pool_fqdn = *mixed + ".contoso.com";
    in.domain_names = {*latin + ".contoso.com", *cyrillic + ".contoso.com"};
    const auto r = resolve(in);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_TRUE(contains(r.warnings[0], "'" + *mixed + ".contoso.com'")) << r.warnings[0];
    EXPECT_TRUE(contains(r.warnings[0], "mixes Latin and Cyrillic letters")) << r.warnings[0];
}

TEST(SanResolverSip, NoSipDomainsMeansNoSipNames) {
    NameInputs in = base_inputs();
    in.automatic_sign_in = true;
    in.sign_in_redirect = true;
    EXPECT_EQ(names_of(resolve(in)), std::vector<std::string>{"pool01.contoso.com"});
}

// --- Machine name -------------------------------------------------------------------------------

struct MachineCase {
    Role role;
    Topology topology;
    bool by_default;
};

class SanResolverMachineName : public ::testing::TestWithParam<MachineCase> {};

TEST_P(SanResolverMachineName, DefaultDependsOnRoleAndTopology) {
    const MachineCase c = GetParam();
    NameInputs in = base_inputs();
    in.roles = {c.role};
    in.topology = c.topology;
    EXPECT_EQ(machine_name_by_default(in), c.by_default);

    const ResolvedNames r = resolve(in);
    EXPECT_EQ(r.machine_name_included, c.by_default);
    std::vector<std::string> expected = {"pool01.contoso.com"};
    if (c.by_default) expected.push_back("fe01.contoso.com");
    EXPECT_EQ(names_of(r), expected);
    if (c.by_default) {
        EXPECT_EQ(r.names.back().source, "MachineFqdn");
        EXPECT_FALSE(r.names.back().reason.empty());
    }
}

TEST_P(SanResolverMachineName, ExplicitIncludeOverridesTheDefault) {
    const MachineCase c = GetParam();
    for (bool include : {false, true}) {
        NameInputs in = base_inputs();
        in.roles = {c.role};
        in.topology = c.topology;
        in.include_machine_name = include;
        const ResolvedNames r = resolve(in);
        EXPECT_EQ(r.machine_name_included, include);
        std::vector<std::string> expected = {"pool01.contoso.com"};
        if (include) expected.push_back("fe01.contoso.com");
        EXPECT_EQ(names_of(r), expected) << "include=" << include;
        if (include) {
            EXPECT_EQ(r.names.back().reason, "The local computer name, as asked.");
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    SanResolverRolesAndTopologies, SanResolverMachineName,
    ::testing::Values(MachineCase{Role::FrontEnd, Topology::Consolidated, false},
                      MachineCase{Role::WebConferencing, Topology::Consolidated, false},
                      MachineCase{Role::AudioVideo, Topology::Consolidated, false},
                      MachineCase{Role::FrontEnd, Topology::Expanded, false},
                      MachineCase{Role::WebConferencing, Topology::Expanded, true},
                      MachineCase{Role::AudioVideo, Topology::Expanded, true}),
    [](const ::testing::TestParamInfo<MachineCase>& p) {
        return std::string(ocscert::names::to_string(p.param.role)) + ocscert::names::to_string(p.param.topology);
    });

TEST(SanResolverMachine, ExpandedDefaultHoldsWhenAnyRoleNeedsIt) {
    NameInputs in = base_inputs();
    in.topology = Topology::Expanded;
    in.roles = {Role::FrontEnd, Role::AudioVideo};
    EXPECT_TRUE(machine_name_by_default(in));
    EXPECT_TRUE(resolve(in).machine_name_included);
}

// --- Order, de-duplication, common name --------------------------------------------------------

TEST(SanResolverOrder, PoolThenSipThenMachineThenAdminNames) {
    NameInputs in = base_inputs();
    in.sip_domains = {"contoso.com", "fabrikam.com"};
    in.automatic_sign_in = true;
    in.include_machine_name = true;
    in.domain_names = {"ocs.contoso.com", "ocs.fabrikam.com"};
    const ResolvedNames r = resolve(in);
    EXPECT_EQ(names_of(r), (std::vector<std::string>{"pool01.contoso.com", "sip.contoso.com", "sip.fabrikam.com",
                                                     "fe01.contoso.com", "ocs.contoso.com", "ocs.fabrikam.com"}));
    EXPECT_EQ(sources_of(r), (std::vector<std::string>{"PoolFqdn", "SipDomain", "SipDomain", "MachineFqdn", "DomainName",
                                                       "DomainName"}));
    EXPECT_EQ(r.names.back().reason, "Added by the administrator.");
}

TEST(SanResolverOrder, CommonNameIsThePoolFqdnAndTheFirstName) {
    NameInputs in = base_inputs();
    in.sip_domains = {"contoso.com"};
    in.sign_in_redirect = true;
    in.domain_names = {"a.contoso.com"};
    const ResolvedNames r = resolve(in);
    EXPECT_EQ(r.common_name, "pool01.contoso.com");
    ASSERT_FALSE(r.names.empty());
    EXPECT_EQ(r.names[0].name, r.common_name);
    EXPECT_EQ(r.names[0].source, "PoolFqdn");
    EXPECT_TRUE(starts_with(r.names[0].reason, "Subject name"));
}

TEST(SanResolverDedup, CaseInsensitiveKeepsTheFirstAndAppendsTheReason) {
    NameInputs in = base_inputs();
    in.sip_domains = {"contoso.com"};
    in.automatic_sign_in = true;
    in.include_machine_name = true;
    in.machine_fqdn = "POOL01.contoso.com";              // same as the pool FQDN
    in.domain_names = {"SIP.Contoso.com", "extra.contoso.com", "Extra.Contoso.COM"};
    const ResolvedNames r = resolve(in);
    EXPECT_EQ(names_of(r),
              (std::vector<std::string>{"pool01.contoso.com", "sip.contoso.com", "extra.contoso.com"}));
    EXPECT_EQ(sources_of(r), (std::vector<std::string>{"PoolFqdn", "SipDomain", "DomainName"}));

    EXPECT_TRUE(starts_with(r.names[0].reason, "Subject name")) << r.names[0].reason;
    EXPECT_TRUE(contains(r.names[0].reason, " Also: The local computer name, as asked.")) << r.names[0].reason;
    EXPECT_TRUE(starts_with(r.names[1].reason, "Added for the SIP domain")) << r.names[1].reason;
    EXPECT_TRUE(contains(r.names[1].reason, " Also: Added by the administrator.")) << r.names[1].reason;
    EXPECT_EQ(r.names[2].reason, "Added by the administrator. Also: Added by the administrator.");
    EXPECT_TRUE(r.machine_name_included);
}

TEST(SanResolverDedup, DuplicateSipDomainsAppearOnce) {
    NameInputs in = base_inputs();
    in.sip_domains = {"contoso.com", "CONTOSO.com"};
    in.sign_in_redirect = true;
    EXPECT_EQ(names_of(resolve(in)), (std::vector<std::string>{"pool01.contoso.com", "sip.contoso.com"}));
}

TEST(SanResolverNames, RoleAndTopologyNames) {
    EXPECT_STREQ(ocscert::names::to_string(Role::FrontEnd), "FrontEnd");
    EXPECT_STREQ(ocscert::names::to_string(Role::WebConferencing), "WebConferencing");
    EXPECT_STREQ(ocscert::names::to_string(Role::AudioVideo), "AudioVideo");
    EXPECT_STREQ(ocscert::names::to_string(Topology::Consolidated), "Consolidated");
    EXPECT_STREQ(ocscert::names::to_string(Topology::Expanded), "Expanded");
}

}  // namespace
