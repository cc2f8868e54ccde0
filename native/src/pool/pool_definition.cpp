#include "pool/pool_definition.hpp"

#include <cctype>
#include <set>

#include "core/error.hpp"
#include "core/host_port.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "names/dns_name.hpp"
#include "names/san_resolver.hpp"
#include "request/profile.hpp"
#include "request/san_extension.hpp"

namespace ocscert::pool {

using nlohmann::json;
namespace ji = json_input;

namespace {

// The request's subject and key settings (the rest of request_fields say where it goes).
const std::initializer_list<const char*> profile_fields = {"friendlyName", "keyAlgorithm", "keySize",  "allowWeakKey", "organization",
                                                           "organizationalUnit", "country", "state", "city", "serverAuthenticationOnly",
                                                           "template", "privateKeyExportable"};

// The request settings New-OcsCertificateRequest takes that are the same for every member.
const std::initializer_list<const char*> request_fields = {
    "friendlyName", "keyAlgorithm", "keySize", "allowWeakKey", "organization", "organizationalUnit", "country", "state", "city",
    "serverAuthenticationOnly", "template", "privateKeyExportable", "ca", "caBundle", "caFingerprint", "webRoot", "dnsHook",
    "contact", "timeoutSeconds", "waitSeconds", "trustAnchorPath"};

std::string lower(std::string value) {
    for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return value;
}

// Rethrows a member's error with the member's place in the definition in front of the field.
template <typename F>
auto in_member(std::size_t index, const std::string& fqdn, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Error& e) {
        // A shared request setting is wrong for every member alike: name it where the admin wrote it.
        for (const char* field : profile_fields)
            if (e.field() == field) throw Error(e.code(), e.reason(), "request." + e.field(), e.what());
        const std::string where = "members[" + std::to_string(index) + "]";
        throw Error(e.code(), e.reason(), where + (e.field().empty() ? "" : "." + e.field()), (fqdn.empty() ? "" : fqdn + ": ") + e.what());
    }
}

// A Request table: New-OcsCertificateRequest settings only, and none that belong to the pool or a member.
void check_request_settings(const json& request, const std::string& field) {
    if (!request.is_object())
        invalid(field, "InvalidRequest", "Request is a table of New-OcsCertificateRequest settings, e.g. @{ CA = 'acme:https://...'; Organization = 'Contoso' }.");
    for (const char* name : {"poolFqdn", "machineFqdn", "role", "sipDomain"})
        if (request.contains(name))
            invalid(field + "." + name, "NotARequestSetting",
                    std::string(name) + " belongs to the pool (PoolFqdn, SipDomain) or to each member (Fqdn, Role), not to Request.");
    try {
        ji::reject_unknown(request, request_fields);
    } catch (const Error& e) {
        throw Error(e.code(), e.reason(), field + "." + e.field(), std::string("Request: ") + e.what());
    }
}

Member parse_member(const json& entry, std::size_t index, const PoolDefinition& pool) {
    Member m;
    const std::string where = "members[" + std::to_string(index) + "]";
    if (!entry.is_object()) invalid(where, "InvalidMember", "Each member is a table with at least Fqdn, e.g. @{ Fqdn = 'fe01.contoso.com'; Role = 'FrontEnd' }.");
    in_member(index, "", [&] {
        ji::reject_unknown(entry, {"fqdn", "role", "hostName", "port", "userName", "keyFilePath", "computerName", "request"});
        const auto fqdn = ji::optional_string(entry, "fqdn");
        if (!fqdn || fqdn->empty()) invalid("fqdn", "RequiredField", "The member's FQDN is required (the server's own name, e.g. fe01.contoso.com).");
        m.fqdn = names::normalize_dns_name(*fqdn, "fqdn");
        if (m.fqdn.find('.') == std::string::npos || m.fqdn.find('*') != std::string::npos)
            invalid("fqdn", "InvalidMachineFqdn", text::quote(*fqdn) + " is not a server's fully qualified name; give one like fe01.contoso.com.");
        if (text::iequals(m.fqdn, pool.pool_fqdn))
            invalid("fqdn", "MemberIsPool", "A member's FQDN is its own machine name, not the pool name " + pool.pool_fqdn + ".");
        return 0;
    });
    return in_member(index, m.fqdn, [&] {
        // A pool member is a Front End unless the definition says which roles it has.
        const json roles_input = {{"role", entry.contains("role") ? entry["role"] : json::array({"FrontEnd"})}};
        for (const auto role : request::parse_roles(roles_input)) m.roles.push_back(names::to_string(role));
        m.computer_name = ji::string_or(entry, "computerName", "");
        m.host_name = ji::string_or(entry, "hostName", "");
        if (!m.computer_name.empty() && (!m.host_name.empty() || entry.contains("keyFilePath") || entry.contains("port")))
            invalid("computerName", "TransportConflict", "Reach a member either over SSH (HostName, Port, UserName, KeyFilePath) or over WinRM (ComputerName), not both.");
        m.transport = m.computer_name.empty() ? "ssh" : "winrm";
        // A space or a leading '-' in an address is a typo (or an ssh option); refused here, it cannot fail
        // the connection of the members whose sessions open in the same call.
        for (const auto& [field, value] : {std::pair<const char*, const std::string&>{"hostName", m.host_name}, {"computerName", m.computer_name}})
            if (!value.empty() && (value.front() == '-' || value.size() > 253 ||
                                   value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]") != std::string::npos))
                invalid(field, "InvalidHostName",
                        text::quote(value) + " is not a host name or address: letters, digits, '.', '-' and '_' (or an IP address, "
                        "with :port for SSH), not beginning with '-'.");
        if (m.transport == "ssh") {
            if (m.host_name.empty()) m.host_name = m.fqdn;
            if (m.host_name.find(':') != std::string::npos && m.host_name.front() != '[') {
                const auto hp = parse_host_port(m.host_name, "hostName", "InvalidHostName", "fe01.contoso.com or fe01.contoso.com:2222");
                m.host_name = hp.host;
                m.port = std::stoi(hp.port);
            }
            if (auto port = ji::optional_int(entry, "port")) {
                if (*port < 1 || *port > 65535) invalid("port", "OutOfRange", "The SSH port is 1 to 65535.");
                m.port = *port;
            }
        }
        // Settings of this member's request that differ from the pool's (its own CA, DNS hook...).
        m.request = entry.value("request", json::object());
        check_request_settings(m.request, "request");
        m.user_name = ji::string_or(entry, "userName", "");
        m.key_file_path = ji::string_or(entry, "keyFilePath", "");
        // This member's request as New-OcsCertificateRequest will make it, checked now (subject, key, names)
        // so that a mistake is reported before any member is contacted.
        json inputs = pool.name_inputs;
        for (const char* field : profile_fields) {
            if (m.request.contains(field)) inputs[field] = m.request[field];
            else if (pool.request.contains(field)) inputs[field] = pool.request[field];
        }
        inputs["poolFqdn"] = pool.pool_fqdn;
        inputs["machineFqdn"] = m.fqdn;
        inputs["role"] = m.roles;
        const auto resolved = names::resolve(request::parse_profile(inputs, nullptr).names);
        request::check_san_extension_size(resolved.names);
        m.names.push_back(resolved.common_name);
        for (const auto& name : resolved.names)
            if (name.name != resolved.common_name) m.names.push_back(name.name);
        return m;
    });
}

}  // namespace

PoolDefinition parse_pool_definition(const json& input) {
    ji::reject_unknown(input, {"poolFqdn", "sipDomain", "topology", "automaticSignIn", "signInRedirect", "includeMachineName", "domainName",
                               "request", "trustAnchorPath", "challengeListener", "mutualTlsPort", "sshOptions", "members"});
    PoolDefinition pool;
    const auto pool_fqdn = ji::optional_string(input, "poolFqdn");
    if (!pool_fqdn || pool_fqdn->empty()) invalid("poolFqdn", "RequiredField", "The pool's FQDN is required, e.g. PoolFqdn = 'pool01.contoso.com'.");
    pool.pool_fqdn = names::normalize_dns_name(*pool_fqdn, "poolFqdn");
    pool.name_inputs = json::object();
    for (const char* field : {"sipDomain", "topology", "automaticSignIn", "signInRedirect", "includeMachineName", "domainName"})
        if (input.contains(field)) pool.name_inputs[field] = input[field];
    pool.request = input.value("request", json::object());
    check_request_settings(pool.request, "request");
    pool.trust_anchor_paths = ji::string_list(input, "trustAnchorPath");
    pool.ssh_options = input.value("sshOptions", json::object());
    if (!pool.ssh_options.is_object())
        invalid("sshOptions", "InvalidSshOptions", "SshOptions is a table of ssh -o options, e.g. @{ StrictHostKeyChecking = 'yes' }.");
    pool.challenge_listener = ji::string_or(input, "challengeListener", "0.0.0.0:80");
    parse_host_port(pool.challenge_listener, "challengeListener", "InvalidListener", "0.0.0.0:80");
    pool.mutual_tls_port = ji::optional_int(input, "mutualTlsPort").value_or(5061);
    if (pool.mutual_tls_port < 1 || pool.mutual_tls_port > 65535) invalid("mutualTlsPort", "OutOfRange", "The mutual-TLS port is 1 to 65535 (5061 for OCS).");

    const auto members = input.find("members");
    if (members == input.end() || !members->is_array() || members->empty())
        invalid("members", "RequiredField", "List the pool's servers in Members, e.g. Members = @( @{ Fqdn = 'fe01.contoso.com' }, @{ Fqdn = 'fe02.contoso.com' } ).");
    std::set<std::string> seen_fqdn, seen_address;
    for (std::size_t i = 0; i < members->size(); ++i) {
        auto member = parse_member((*members)[i], i, pool);
        const std::string where = "members[" + std::to_string(i) + "]";
        if (!seen_fqdn.insert(lower(member.fqdn)).second)
            invalid(where + ".fqdn", "DuplicateMember", member.fqdn + " is listed twice; each server appears once.");
        const std::string address = lower(member.transport == "ssh" ? member.host_name + ":" + std::to_string(member.port ? member.port : 22)
                                                                             : member.computer_name);
        if (!seen_address.insert(address).second)
            invalid(where + (member.transport == "ssh" ? ".hostName" : ".computerName"), "DuplicateMember",
                    member.fqdn + " is reached at the same address as another member (" + address + ").");
        pool.members.push_back(std::move(member));
    }
    return pool;
}

json to_json(const PoolDefinition& pool) {
    json members = json::array();
    for (const auto& m : pool.members) {
        json entry = {{"fqdn", m.fqdn}, {"roles", m.roles}, {"transport", m.transport}, {"names", m.names}, {"request", m.request}};
        if (m.transport == "ssh") {
            entry["hostName"] = m.host_name;
            entry["port"] = m.port ? m.port : 22;
            if (!m.user_name.empty()) entry["userName"] = m.user_name;
            if (!m.key_file_path.empty()) entry["keyFilePath"] = m.key_file_path;
        } else {
            entry["computerName"] = m.computer_name;
            if (!m.user_name.empty()) entry["userName"] = m.user_name;
        }
        members.push_back(std::move(entry));
    }
    json out = {{"poolFqdn", pool.pool_fqdn},          {"nameInputs", pool.name_inputs},          {"request", pool.request},
                {"trustAnchorPath", pool.trust_anchor_paths}, {"challengeListener", pool.challenge_listener}, {"mutualTlsPort", pool.mutual_tls_port}, {"sshOptions", pool.ssh_options},
                {"members", members}};
    return out;
}

}  // namespace ocscert::pool
