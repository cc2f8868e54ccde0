// Installed certificates: listing, testing (the binding checks and a real
// mutual-TLS handshake), importing a PFX, exporting, removing.
#include <chrono>
#include <ctime>

#include <openssl/x509.h>

#include "api/check_inputs.hpp"
#include "api/input_files.hpp"
#include "api/operations.hpp"
#include "api/stores.hpp"
#include "binding/tls_probe.hpp"
#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "certificate/pfx.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "renewal/renewal_window.hpp"
#include "request/profile.hpp"

namespace ocscert::api {

json certificate_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"thumbprint"});
    auto thumbprint = json_input::optional_string(filter, "thumbprint");
    if (thumbprint) thumbprint = thumbprint_field(filter);
    Stores stores(context);
    const auto bound = stores.bindings.current().roles;
    json list = json::array();
    std::vector<store::UnreadableEntry> unreadable;
    for (const auto& record : stores.certificates->list(&unreadable)) {
        if (thumbprint && !text::iequals(record.thumbprint(), *thumbprint)) continue;
        json shown = stores.shown(record);
        shown["renewAfter"] = platform::utc_text(renewal::renew_after(record.info, std::chrono::seconds(0)));
        shown["roles"] = json::array();
        for (const auto& [role, binding] : bound)
            if (binding.thumbprint == record.thumbprint()) shown["roles"].push_back(role);
        list.push_back(std::move(shown));
    }
    if (thumbprint && list.empty()) {
        // The one asked for is there but damaged: say so (load's error), not that it is not installed.
        for (const auto& entry : unreadable)
            if (text::iequals(entry.name, *thumbprint)) stores.certificates->load(entry.name, "thumbprint");
        throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotFound", "thumbprint", "No installed certificate has the thumbprint " + text::quote(*thumbprint) + ".");
    }
    auto warnings = missing_store_warnings(stores.root, "certificates");
    for (const auto& entry : unreadable) warnings.push_back(unreadable_warning(entry, "certificate"));
    return {{"certificates", list}, {"warnings", warnings}};
}

json certificate_test(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, request::name_fields, check_fields);
    Stores stores(context);
    const auto bindings = stores.bindings.current();
    const std::string thumbprint = thumbprint_or_role(bindings, input);
    // A role whose certificate was removed behind its back (by an older version, or files deleted
    // by hand): a failed check, not an error.
    if (thumbprint_field(input).empty() && !stores.certificates->contains(thumbprint)) {
        const std::string role = role_names(input).front();
        return {{"thumbprint", thumbprint},
                {"checks", checks_json({{"Installed", false,
                                         "The " + role + " role is assigned the certificate " + thumbprint +
                                             ", which is no longer installed; services still read the live copy. Assign an installed "
                                             "certificate (Set-OcsCertificate), or import this one again."}})}};
    }
    const auto certificate = stores.certificates->load(thumbprint, "thumbprint");
    const auto options = check_options(input, certificate, remembered_binding(bindings, input, certificate.record.thumbprint()));
    auto checks = binding::run_checks(*stores.certificates, certificate, options);
    if (auto peer = json_input::optional_string(input, "peer")) {
        const binding::PeerOptions peer_options{binding::parse_peer_address(*peer, "peer"), json_input::string_or(input, "peerName", ""),
                                                std::chrono::seconds(json_input::optional_int(input, "timeoutSeconds").value_or(5))};
        context.report("Testing mutual TLS", "Connecting to " + *peer, -1);
        for (auto& check : binding::probe_peer(*stores.certificates, certificate, options, peer_options)) checks.push_back(std::move(check));
    }
    return {{"thumbprint", certificate.record.thumbprint()}, {"checks", checks_json(checks)}};
}

namespace {

// What makes an imported certificate unfit for a role, said at the import rather than first when
// Set-OcsCertificate refuses it. (A CA's answer to a request is refused outright for these; an
// existing certificate may be imported for other reasons, so only warned of.)
std::vector<std::string> import_warnings(X509* leaf) {
    const std::string refused = ": Set-OcsCertificate will refuse it for a role.";
    std::vector<std::string> out;
    std::time_t now = std::time(nullptr);
    if (X509_cmp_time(X509_get0_notAfter(leaf), &now) <= 0) out.push_back("It expired on " + certificate::describe(leaf).not_after + refused);
    for (const auto& problem : certificate::tls_usage_problems(leaf, /*server_only=*/false)) out.push_back("It " + problem + refused);
    return out;
}

}  // namespace

json certificate_import(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"path", "password", "privateKeyExportable", "friendlyName"});
    const auto path = json_input::optional_string(input, "path");
    if (!path || path->empty()) invalid("path", "RequiredField", "The path of the PFX file is required.");
    const crypto::Secret password(json_input::string_or(input, "password", ""));
    auto pfx = certificate::read_pfx(read_input_file(*path, "path"), password.bytes(), "path", "password");
    std::vector<X509*> chain;
    for (auto& cert : pfx.chain) chain.push_back(cert.get());
    Stores stores(context);
    json out = stores.shown(stores.certificates->install_imported(pfx.leaf.get(), chain, pfx.private_key_pem,
                                                                  json_input::bool_or(input, "privateKeyExportable", false),
                                                                  json_input::string_or(input, "friendlyName", "")));
    out["warnings"] = import_warnings(pfx.leaf.get());
    return out;
}

json certificate_export(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"thumbprint", "path", "password", "encoding", "force"});
    const auto thumbprint = thumbprint_field(input);
    const auto path = json_input::string_or(input, "path", "");
    if (path.empty()) invalid("path", "RequiredField", "The path of the file to write is required.");
    Stores stores(context);
    const auto certificate = stores.certificates->load(thumbprint, "thumbprint");
    const bool force = json_input::bool_or(input, "force", false);
    if (auto password = json_input::optional_string(input, "password")) {
        const crypto::Secret key = stores.certificates->key_pem(certificate.record, /*for_export=*/true, "password");
        if (password->empty()) invalid("password", "RequiredField", "A PFX needs a password that is not empty.");
        const crypto::Secret secret(*password);
        std::vector<X509*> chain;
        for (const auto& cert : certificate.chain) chain.push_back(cert.get());
        write_output_file(path, certificate::write_pfx(certificate.leaf.get(), chain, key, secret.bytes(), certificate.record.friendly_name), force,
                          "path", stores.root);
        return {{"thumbprint", certificate.record.thumbprint()}, {"path", path}, {"format", "PFX"}};
    }
    const std::string encoding = json_input::string_or(input, "encoding", "PEM");
    std::string bytes = certificate::to_pem(certificate.leaf.get());
    if (text::iequals(encoding, "DER")) {
        bytes = crypto::to_der<X509>(certificate.leaf.get(), i2d_X509, "Encoding the certificate");
    } else if (!text::iequals(encoding, "PEM")) {
        invalid("encoding", "InvalidEncoding", "Unknown encoding " + text::quote(encoding) + "; use PEM or DER.");
    }
    write_output_file(path, bytes, force, "path", stores.root);
    return {{"thumbprint", certificate.record.thumbprint()}, {"path", path}, {"format", text::ascii_upper(encoding)}};
}

json certificate_remove(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"thumbprint", "force"});
    const auto thumbprint = thumbprint_field(input);
    Stores stores(context);
    // A role's current certificate stays, forced or not: removing it would leave the role bound
    // to a certificate that no longer exists. Forced, one kept as previous or scheduled for a
    // roll-over goes, and the bindings forget it first, so nothing points at it afterwards.
    if (const auto roles = binding::roles_using(stores.bindings.current(), thumbprint); !roles.empty())
        binding::refuse_in_use(thumbprint, roles);
    if (json_input::bool_or(input, "force", false) && stores.certificates->contains(text::ascii_upper(thumbprint)))
        stores.bindings.forget(thumbprint);
    stores.certificates->remove(thumbprint, [&](const std::string& tp) { return stores.bindings.references(tp); });
    return {{"removed", text::ascii_upper(thumbprint)}};
}

}  // namespace ocscert::api
