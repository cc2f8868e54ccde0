#pragma once
// Everything a certificate request is made from: the names, the subject, the
// key and the extensions. Parsed from the caller's JSON with every field
// checked, and stored with the pending request in canonical form, so the same
// request can be resubmitted or renewed later.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "names/san_resolver.hpp"

namespace ocscert::request {

enum class KeyAlgorithm { Rsa, EcdsaP256, EcdsaP384 };
enum class Encoding { Pem, Der };

struct Subject {
    std::string organization;
    std::string organizational_unit;  // optional
    std::string country;              // ISO 3166-1 alpha-2, upper case
    std::string state;                // full name, no abbreviations
    std::string city;
};

struct Profile {
    names::NameInputs names;
    Subject subject;
    std::string friendly_name;
    KeyAlgorithm key_algorithm = KeyAlgorithm::Rsa;
    int key_size = 2048;  // bits for RSA; the curve's size for ECDSA
    bool allow_weak_key = false;
    bool server_authentication_only = false;
    std::string template_name;  // Microsoft CA certificate template, optional
    bool private_key_exportable = false;
};

struct OutputOptions {
    Encoding encoding = Encoding::Pem;
    std::string out_file;  // empty: do not write a file
    bool force = false;    // overwrite out_file if it exists
};

// The inputs that decide a request's names (role, topology, poolFqdn, sipDomain,
// automaticSignIn, signInRedirect, includeMachineName, machineFqdn, domainName):
// named like the cmdlets' parameters, so an error's field names the parameter.
extern const std::initializer_list<const char*> name_fields;

// The "role" field: one or more of FrontEnd, WebConferencing, AudioVideo
// (WebComponents is refused with a pointer to IIS), de-duplicated.
std::vector<names::Role> parse_roles(const nlohmann::json& input);

// Parses and validates the names part only (for ocscert_names_resolve). A
// missing machine FQDN is filled in from `local_fqdn` when it is needed.
names::NameInputs parse_name_inputs(const nlohmann::json& input, std::string (*local_fqdn)());

// Parses and validates a whole request profile. Unknown fields are refused.
Profile parse_profile(const nlohmann::json& input, std::string (*local_fqdn)());
OutputOptions parse_output_options(const nlohmann::json& input);

// Canonical JSON of a profile: what the store keeps and what parse_profile reads back.
nlohmann::json to_json(const Profile& profile);

const char* to_string(KeyAlgorithm algorithm);

}  // namespace ocscert::request
