#pragma once
// A pool definition: what an admin keeps under source control to describe one
// Enterprise Edition pool — the names every member's certificate needs, the
// request settings they share, and each member with its roles and how the
// admin's console reaches it (SSH, or WinRM by computer name).
//
// Checked whole before any member is touched, so a typo costs nothing: unknown
// keys, duplicate members, a member FQDN that is not a DNS name or is the pool
// name, the Web Components role, and every member's certificate names.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ocscert::pool {

struct Member {
    std::string fqdn;
    std::vector<std::string> roles;  // canonical role names
    std::string transport;           // "ssh" or "winrm"
    std::string host_name;           // ssh: the host to connect to (default: fqdn)
    int port = 0;                    // ssh: 0 = 22
    std::string user_name, key_file_path;
    std::string computer_name;       // winrm
    std::vector<std::string> names;  // the names its certificate will carry (subject first)
    nlohmann::json request;          // its request settings that differ from the pool's
};

struct PoolDefinition {
    std::string pool_fqdn;
    nlohmann::json name_inputs;  // the pool's name fields (sipDomain, topology, ...)
    nlohmann::json request;      // settings every member's request shares (passed to New-OcsCertificateRequest)
    std::vector<std::string> trust_anchor_paths;
    std::string challenge_listener;  // where every member answers http-01 during a pool-wide request
    int mutual_tls_port = 5061;      // the port the matrix tests (real services, or the responders)
    nlohmann::json ssh_options;      // ssh -o options for every SSH member (known hosts policy...)
    std::vector<Member> members;
};

// Parses and checks a definition (JSON with camelCase keys); errors name the field as "members[2].fqdn".
PoolDefinition parse_pool_definition(const nlohmann::json& input);
nlohmann::json to_json(const PoolDefinition& pool);

}  // namespace ocscert::pool
