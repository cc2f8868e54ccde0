#pragma once
// Which names a pool server's certificate must carry, and why: the rules of
// the OCS 2007 Certificates Wizard (subject = pool FQDN; sip.<domain> names
// for automatic sign-in; the computer's own FQDN where it is reached by it).
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ocscert::names {

enum class Role { FrontEnd, WebConferencing, AudioVideo };
enum class Topology { Consolidated, Expanded };

const char* to_string(Role role);
const char* to_string(Topology topology);

// Already validated, normalised inputs.
struct NameInputs {
    std::vector<Role> roles;
    Topology topology = Topology::Consolidated;
    std::string pool_fqdn;
    std::vector<std::string> sip_domains;
    bool automatic_sign_in = false;  // clients use automatic configuration (automatic logon)
    bool sign_in_redirect = false;   // this pool authenticates and redirects client sign-in
    std::optional<bool> include_machine_name;  // unset: the role's default
    std::string machine_fqdn;                  // used only when the machine name is included
    std::vector<std::string> domain_names;     // added by the administrator
};

struct ResolvedName {
    std::string name;
    std::string source;  // PoolFqdn, SipDomain, MachineFqdn or DomainName
    std::string reason;  // why the name is there, in a sentence an admin reads
};

struct ResolvedNames {
    std::string common_name;
    std::vector<ResolvedName> names;  // the SAN list, common name first
    bool machine_name_included = false;
    std::vector<std::string> warnings;  // what is allowed but probably not meant, e.g. sip.sip.contoso.com
};

// True when the computer's own FQDN goes into the certificate by default.
bool machine_name_by_default(const NameInputs& inputs);

ResolvedNames resolve(const NameInputs& inputs);

}  // namespace ocscert::names
