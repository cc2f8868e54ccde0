#include "request/profile.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "names/dns_name.hpp"
#include "request/subject_rules.hpp"

namespace ocscert::request {

using nlohmann::json;
namespace ji = json_input;

const std::initializer_list<const char*> name_fields = {"role",           "topology",           "poolFqdn",    "sipDomain", "automaticSignIn",
                                                        "signInRedirect", "includeMachineName", "machineFqdn", "domainName"};

namespace {

names::Role parse_role(const std::string& value, const std::string& field) {
    if (text::iequals(value, "FrontEnd")) return names::Role::FrontEnd;
    if (text::iequals(value, "WebConferencing")) return names::Role::WebConferencing;
    if (text::iequals(value, "AudioVideo")) return names::Role::AudioVideo;
    if (text::iequals(value, "WebComponents"))
        invalid(field, "WebComponentsNotSupported",
                "The Web Components Server certificate is requested and assigned with the IIS certificate wizard "
                "(deployment guide 3.7), not with this tool. Accepted roles: FrontEnd, WebConferencing, AudioVideo.");
    invalid(field, "InvalidRole", "Unknown role " + text::quote(value) + ". Accepted roles: FrontEnd, WebConferencing, AudioVideo.");
}

// One line of plain UTF-8 text: no control characters (C0, DEL or C1), no
// surrounding spaces, at most `max_chars` code points (X.520's upper bounds count characters).
void check_one_line(const char* field, const std::string& value, std::size_t max_chars) {
    // The field is named by whoever shows the error (the module prefixes "Country: "); the
    // message names the value, not the JSON key.
    const std::string name = text::quote(value);
    std::u32string code_points;
    if (!text::decode_utf8(value, code_points))
        invalid(field, "InvalidText", name + " is not valid UTF-8.");
    for (char32_t c : code_points)
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
            invalid(field, "InvalidText", name + " contains a control character; use one line of plain text.");
    if (value.front() == ' ' || value.back() == ' ')
        invalid(field, "InvalidText", name + " must not begin or end with spaces.");
    if (code_points.size() > max_chars)
        invalid(field, "FieldTooLong", name + " has " + std::to_string(code_points.size()) + " characters; at most " + std::to_string(max_chars) + " are allowed.");
}

// A subject attribute: empty means absent, which is refused where the wizard asked for it.
std::string subject_text(const json& input, const char* field, std::size_t max_chars, bool required, const char* example) {
    auto value = ji::optional_string(input, field);
    if (!value || value->empty()) {
        if (!required) return {};
        invalid(field, "RequiredField", std::string("A value is required, e.g. ") + example + ".");
    }
    check_one_line(field, *value, max_chars);
    return *value;
}

Subject parse_subject(const json& input) {
    Subject s;
    s.organization = subject_text(input, "organization", 64, true, "Contoso");
    s.organizational_unit = subject_text(input, "organizationalUnit", 64, false, "IT");
    const std::string country = subject_text(input, "country", 128, true, "US");
    s.country = text::ascii_upper(country);
    if (!is_iso3166_alpha2(s.country)) {
        if (auto code = alpha2_for_country(country))
            invalid("country", "InvalidCountry", text::quote(country) + " is not a two-letter country code; use '" + *code + "' (ISO 3166-1).");
        invalid("country", "InvalidCountry", text::quote(country) + " is not an ISO 3166 two-letter country code; use e.g. US, GB, DE, CA.");
    }
    s.state = subject_text(input, "state", 128, true, "Washington");
    if (auto full = full_name_for_state_code(s.country, s.state))
        invalid("state", "AbbreviatedState", text::quote(s.state) + " is an abbreviation; the certificate needs the full name, e.g. '" + *full + "'.");
    // "Wash." or "N.S.W.": an abbreviation too, whichever it is.
    if (s.state.back() == '.' || (s.state.find('.') != std::string::npos && s.state.find(' ') == std::string::npos))
        invalid("state", "AbbreviatedState", text::quote(s.state) + " looks abbreviated; the certificate needs the full name of the state or province, e.g. 'Washington' rather than 'Wash.'.");
    s.city = subject_text(input, "city", 128, true, "Redmond");
    return s;
}

void parse_key(const json& input, Profile& p) {
    const std::string algorithm = ji::string_or(input, "keyAlgorithm", "RSA");
    auto size = ji::optional_int(input, "keySize");
    p.allow_weak_key = ji::bool_or(input, "allowWeakKey", false);
    if (text::iequals(algorithm, "RSA")) {
        p.key_algorithm = KeyAlgorithm::Rsa;
        p.key_size = size.value_or(2048);
        if (p.key_size == 1024 && !p.allow_weak_key)
            invalid("keySize", "WeakKeyNotAllowed", "1024-bit RSA keys are weak; use 2048, 3072 or 4096, or allow a weak key explicitly.");
        if (p.key_size != 1024 && p.key_size != 2048 && p.key_size != 3072 && p.key_size != 4096)
            invalid("keySize", "InvalidKeySize", std::to_string(p.key_size) + " is not a supported RSA key size; use 2048, 3072 or 4096.");
    } else if (text::iequals(algorithm, "ECDSA_P256") || text::iequals(algorithm, "ECDSA_P384")) {
        const bool p384 = text::iequals(algorithm, "ECDSA_P384");
        p.key_algorithm = p384 ? KeyAlgorithm::EcdsaP384 : KeyAlgorithm::EcdsaP256;
        const int curve_bits = p384 ? 384 : 256;
        if (size && *size != curve_bits)
            invalid("keySize", "InvalidKeySize", "The key size of " + algorithm + " is fixed at " + std::to_string(curve_bits) + "; omit the key size.");
        p.key_size = curve_bits;
    } else {
        invalid("keyAlgorithm", "InvalidKeyAlgorithm", "Unknown key algorithm " + text::quote(algorithm) + "; use RSA, ECDSA_P256 or ECDSA_P384.");
    }
}

std::string parse_template(const json& input) {
    auto value = ji::optional_string(input, "template");
    if (!value) return {};
    if (value->empty()) invalid("template", "InvalidTemplate", "The template name is empty; give the template's name, e.g. WebServer, or leave it out.");
    check_one_line("template", *value, 64);
    return *value;
}

}  // namespace

const char* to_string(KeyAlgorithm algorithm) {
    static const char* const names[] = {"RSA", "ECDSA_P256", "ECDSA_P384"};  // in the enum's order
    return names[static_cast<int>(algorithm)];
}

std::vector<names::Role> parse_roles(const json& input) {
    const auto roles = ji::string_list(input, "role");
    if (roles.empty()) invalid("role", "RequiredField", "At least one role is required: FrontEnd, WebConferencing or AudioVideo.");
    std::vector<names::Role> out;
    for (std::size_t i = 0; i < roles.size(); ++i) {
        const auto role = parse_role(roles[i], roles.size() == 1 ? "role" : "role[" + std::to_string(i) + "]");
        if (std::find(out.begin(), out.end(), role) == out.end()) out.push_back(role);
    }
    return out;
}

names::NameInputs parse_name_inputs(const json& input, std::string (*local_fqdn)()) {
    names::NameInputs in;
    in.roles = parse_roles(input);
    const std::string topology = ji::string_or(input, "topology", "Consolidated");
    if (text::iequals(topology, "Expanded")) in.topology = names::Topology::Expanded;
    else if (!text::iequals(topology, "Consolidated"))
        invalid("topology", "InvalidTopology", "Unknown topology " + text::quote(topology) + "; use Consolidated or Expanded.");

    auto pool = ji::optional_string(input, "poolFqdn");
    if (!pool) invalid("poolFqdn", "RequiredField", "'poolFqdn' is required: the pool's fully qualified name, e.g. pool01.contoso.com.");
    in.pool_fqdn = names::normalize_dns_name(*pool, "poolFqdn");
    if (in.pool_fqdn.size() > 64)
        invalid("poolFqdn", "FieldTooLong", "The pool FQDN is the subject common name, which holds at most 64 characters; " +
                                                text::quote(in.pool_fqdn) + " has " + std::to_string(in.pool_fqdn.size()) + ".");

    auto list_of_names = [&](const char* field) {
        const auto values = ji::string_list(input, field);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < values.size(); ++i)
            out.push_back(names::normalize_dns_name(values[i], values.size() == 1 ? field : std::string(field) + "[" + std::to_string(i) + "]"));
        return out;
    };
    in.sip_domains = list_of_names("sipDomain");
    in.domain_names = list_of_names("domainName");
    in.automatic_sign_in = ji::bool_or(input, "automaticSignIn", false);
    in.sign_in_redirect = ji::bool_or(input, "signInRedirect", false);
    in.include_machine_name = ji::optional_bool(input, "includeMachineName");

    const bool wanted = in.include_machine_name.value_or(names::machine_name_by_default(in));
    if (auto machine = ji::optional_string(input, "machineFqdn")) {
        in.machine_fqdn = names::normalize_dns_name(*machine, "machineFqdn");
    } else if (wanted) {
        const std::string local = local_fqdn();
        try {
            in.machine_fqdn = names::normalize_dns_name(local, "machineFqdn");
        } catch (const Error& e) {
            invalid("machineFqdn", "MachineFqdnUnknown",
                    "The local computer's name " + text::quote(local) + " cannot be used (" + e.what() + "); give the machine FQDN explicitly.");
        }
    }
    return in;
}

Profile parse_profile(const json& input, std::string (*local_fqdn)()) {
    ji::reject_unknown(input, name_fields,
                       {"friendlyName", "keyAlgorithm", "keySize", "allowWeakKey", "organization", "organizationalUnit", "country", "state", "city",
                        "serverAuthenticationOnly", "template", "privateKeyExportable", "encoding", "outFile", "force"});
    Profile p;
    p.names = parse_name_inputs(input, local_fqdn);
    p.subject = parse_subject(input);
    p.friendly_name = subject_text(input, "friendlyName", 128, false, "OCS pool01");
    parse_key(input, p);
    p.server_authentication_only = ji::bool_or(input, "serverAuthenticationOnly", false);
    p.template_name = parse_template(input);
    p.private_key_exportable = ji::bool_or(input, "privateKeyExportable", false);
    return p;
}

OutputOptions parse_output_options(const json& input) {
    OutputOptions o;
    const std::string encoding = ji::string_or(input, "encoding", "PEM");
    if (text::iequals(encoding, "DER")) o.encoding = Encoding::Der;
    else if (!text::iequals(encoding, "PEM"))
        invalid("encoding", "InvalidEncoding", "Unknown encoding " + text::quote(encoding) + "; use PEM (Base64, the default) or DER.");
    o.out_file = ji::string_or(input, "outFile", "");
    o.force = ji::bool_or(input, "force", false);
    return o;
}

json to_json(const Profile& p) {
    json roles = json::array();
    for (auto r : p.names.roles) roles.push_back(names::to_string(r));
    json j = {
        {"role", roles},
        {"topology", names::to_string(p.names.topology)},
        {"poolFqdn", p.names.pool_fqdn},
        {"sipDomain", p.names.sip_domains},
        {"automaticSignIn", p.names.automatic_sign_in},
        {"signInRedirect", p.names.sign_in_redirect},
        {"domainName", p.names.domain_names},
        {"friendlyName", p.friendly_name},
        {"keyAlgorithm", to_string(p.key_algorithm)},
        {"keySize", p.key_size},
        {"allowWeakKey", p.allow_weak_key},
        {"organization", p.subject.organization},
        {"country", p.subject.country},
        {"state", p.subject.state},
        {"city", p.subject.city},
        {"serverAuthenticationOnly", p.server_authentication_only},
        {"privateKeyExportable", p.private_key_exportable},
    };
    if (p.names.include_machine_name) j["includeMachineName"] = *p.names.include_machine_name;
    if (!p.names.machine_fqdn.empty()) j["machineFqdn"] = p.names.machine_fqdn;
    if (!p.subject.organizational_unit.empty()) j["organizationalUnit"] = p.subject.organizational_unit;
    if (!p.template_name.empty()) j["template"] = p.template_name;
    return j;
}

}  // namespace ocscert::request
