#pragma once
// The inputs shared by assigning a certificate (binding_set) and testing one
// (certificate_test): roles, the pool settings to check names against, the
// trust anchors, and how the checks are reported.
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "binding/certificate_checks.hpp"
#include "binding/role_binding.hpp"
#include "store/certificate_store.hpp"

namespace ocscert::api {

// The fields of binding_set and certificate_test besides the name fields (request::name_fields).
extern const std::initializer_list<const char*> check_fields;

// The canonical names of the roles in the "role" field.
std::vector<std::string> role_names(const nlohmann::json& input);

// The names the roles need come from the pool settings given, else from the
// profile the certificate was requested with. Trust comes from trustAnchorPath
// and systemTrust when given, else from the trust `remembered` by a role's binding.
binding::CheckOptions check_options(const nlohmann::json& input, const store::InstalledCertificate& certificate,
                                    const binding::RoleBinding* remembered);

// The binding of the first role named in `input`, or of any role bound to `thumbprint`: whose trust a check reuses.
const binding::RoleBinding* remembered_binding(const binding::Bindings& bindings, const nlohmann::json& input, const std::string& thumbprint);

// The "thumbprint" given, else the thumbprint bound to the one role named in "role" (RoleNotBound, OneRoleOnly).
std::string thumbprint_or_role(const binding::Bindings& bindings, const nlohmann::json& input);

nlohmann::json checks_json(const std::vector<binding::Check>& checks);

// The "thumbprint" field in upper case, without what a copy from Windows' certificate console
// brings along: spaces between the hex pairs and invisible direction marks (U+200E in front).
std::string thumbprint_field(const nlohmann::json& input);

}  // namespace ocscert::api
