#include "api/operations.hpp"
#include "api/response_install.hpp"

#include <ctime>

#include <algorithm>
#include <fstream>

#include "binding/binding_store.hpp"
#include "ca/ca_address.hpp"
#include "binding/certificate_checks.hpp"
#include "binding/tls_probe.hpp"
#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
#include "certificate/pfx.hpp"
#include "crypto/openssl_ptr.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "request/csr_builder.hpp"
#include "request/profile.hpp"
#include "request/san_extension.hpp"
#include "store/certificate_store.hpp"
#include "store/request_store.hpp"
#include "store/store_files.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

namespace {

json names_json(const names::ResolvedNames& resolved) {
    json list = json::array();
    for (const auto& n : resolved.names) list.push_back({{"name", n.name}, {"source", n.source}, {"reason", n.reason}});
    return list;
}

// Checks the output file before any work is done, so a refusal costs nothing.
fs::path checked_out_file(const request::OutputOptions& output) {
    fs::path path = fs::u8path(output.out_file);
    if (!path.is_absolute())
        invalid("outFile", "InvalidPath", "The output file must be an absolute path; " + text::quote(output.out_file) + " is not.");
    std::error_code ec;
    if (fs::is_directory(path, ec)) invalid("outFile", "InvalidPath", text::quote(output.out_file) + " is a folder; give a file name, e.g. pool01.req.");
    if (!fs::is_directory(path.parent_path(), ec))
        invalid("outFile", "InvalidPath", "The folder of " + text::quote(output.out_file) + " does not exist.");
    if (fs::exists(path, ec) && !output.force)
        throw Error(OCSCERT_E_ALREADY_EXISTS, "OutFileExists", "outFile", text::quote(output.out_file) + " exists already; use -Force to overwrite it.");
    return path;
}

std::string read_input_file(const std::string& path_text, const std::string& field) {
    const fs::path path = fs::u8path(path_text);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) invalid(field, "InvalidPath", text::quote(path_text) + " is not a file.");
    if (fs::file_size(path, ec) > 1024 * 1024) invalid(field, "InvalidPath", text::quote(path_text) + " is larger than 1 MiB.");
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes `bytes` to a new file beside `path` and moves it into place, so the
// target is never half-written; an existing file is kept unless `force`.
void write_output_file(const std::string& path_text, const std::string& bytes, bool force, const std::string& field) {
    const fs::path path = fs::u8path(path_text);
    std::error_code ec;
    if (!path.is_absolute()) invalid(field, "InvalidPath", "The file must be an absolute path; " + text::quote(path_text) + " is not.");
    if (!fs::is_directory(path.parent_path(), ec)) invalid(field, "InvalidPath", "The folder of " + text::quote(path_text) + " does not exist.");
    if (fs::exists(path, ec) && !force)
        throw Error(OCSCERT_E_ALREADY_EXISTS, "OutFileExists", field, text::quote(path_text) + " exists already; use -Force to overwrite it.");
    const fs::path staged = path.string() + ".ocscert-new";
    fs::remove(staged, ec);
    platform::write_new_file(staged, bytes, /*owner_only=*/true);
    platform::replace_file(staged, path);
}

}  // namespace

json names_resolve(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, {"role", "topology", "poolFqdn", "sipDomain", "automaticSignIn", "signInRedirect",
                                       "includeMachineName", "machineFqdn", "domainName"});
    const auto inputs = request::parse_name_inputs(input, platform::local_fqdn);
    const auto resolved = names::resolve(inputs);
    const std::size_t san_bytes = request::check_san_extension_size(resolved.names);
    return {{"commonName", resolved.common_name},
            {"names", names_json(resolved)},
            {"machineNameIncluded", resolved.machine_name_included},
            {"sanExtensionBytes", san_bytes}};
}

json request_new(ocscert_context& context, const json& raw_input) {
    // "validateOnly": check every input and show the names, generate and write nothing (-WhatIf).
    json input = raw_input;
    const bool validate_only = json_input::bool_or(input, "validateOnly", false);
    input.erase("validateOnly");
    // With -WhatIf (and before any key work) the CA it will go to is checked too, so a typo costs nothing.
    if (validate_only && input.contains("ca")) {
        ca::parse_ca_address(json_input::string_or(input, "ca", ""), "ca");
        input.erase("ca");
    }
    const auto profile = request::parse_profile(input, platform::local_fqdn);
    const auto output = request::parse_output_options(input);
    const auto resolved = names::resolve(profile.names);
    request::check_san_extension_size(resolved.names);
    const fs::path out_file = output.out_file.empty() ? fs::path() : checked_out_file(output);
    if (validate_only) return {{"commonName", resolved.common_name}, {"names", names_json(resolved)}};

    auto generated = request::build_request(profile, resolved, context);
    context.throw_if_cancelled();  // last point at which stopping leaves nothing behind

    store::RequestStore store(context.store_path);
    json record = {
        {"schema", 1},
        {"id", store.new_id()},
        {"state", "Pending"},
        {"created", platform::utc_now()},
        {"friendlyName", profile.friendly_name},
        {"subject", generated.subject},
        {"commonName", resolved.common_name},
        {"names", names_json(resolved)},
        {"keyAlgorithm", request::to_string(profile.key_algorithm)},
        {"keySize", profile.key_size},
        {"privateKeyExportable", profile.private_key_exportable},
        {"publicKeySha256", generated.public_key_sha256},
        {"profile", request::to_json(profile)},
        {"requestPem", generated.request_pem},
    };
    if (!out_file.empty()) {
        record["outFile"] = out_file.u8string();
        record["encoding"] = output.encoding == request::Encoding::Der ? "DER" : "PEM";
    }
    context.report("Saving the pending request", "Writing to " + store.root().string(), 95);

    // The request file is written beside its target first and moved into place
    // only once the store holds the key: a file on disk always has its key.
    const fs::path staged_out = out_file.empty() ? fs::path() : fs::path(out_file.string() + ".ocscert-new");
    const std::string& out_bytes = output.encoding == request::Encoding::Der ? generated.request_der : generated.request_pem;
    store.add({record, &generated.private_key_pem, generated.request_pem}, [&] {
        if (out_file.empty()) return;
        std::error_code ec;
        fs::remove(staged_out, ec);  // a leftover of an earlier killed run
        platform::write_new_file(staged_out, out_bytes, false);
    });
    if (!out_file.empty()) {
        try {
            platform::replace_file(staged_out, out_file);
        } catch (...) {
            std::error_code ec;
            fs::remove(staged_out, ec);
            store.remove(record["id"]);
            throw;
        }
    }
    record["storePath"] = store.root().u8string();
    record["warnings"] = generated.warnings;
    return record;
}

json request_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"id"});
    store::RequestStore store(context.store_path);
    json list = json::array();
    if (auto id = json_input::optional_string(filter, "id")) list.push_back(store.get(*id));
    else
        for (auto& record : store.list()) list.push_back(std::move(record));
    for (auto& record : list) record["storePath"] = store.root().u8string();
    return {{"requests", list}};
}

json request_remove(ocscert_context& context, const json& selector) {
    json_input::reject_unknown(selector, {"id"});
    auto id = json_input::optional_string(selector, "id");
    if (!id) invalid("id", "RequiredField", "The id of the request to remove is required.");
    store::RequestStore store(context.store_path);
    store.remove(*id);
    return {{"removed", *id}};
}

json request_complete(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"path"});
    const auto path_text = json_input::optional_string(input, "path");
    if (!path_text || path_text->empty()) invalid("path", "RequiredField", "The path of the CA's response file is required.");
    auto record = install_ca_response(context, read_input_file(*path_text, "path"), "path", nullptr);
    record["storePath"] = context.store_path.u8string();
    return record;
}

json certificate_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"thumbprint"});
    const auto thumbprint = json_input::optional_string(filter, "thumbprint");
    json list = json::array();
    const json bound = binding::BindingStore(context.store_path).current()["roles"];
    for (auto& record : store::CertificateStore(context.store_path).list()) {
        if (thumbprint && !text::iequals(record.value("thumbprint", ""), *thumbprint)) continue;
        record["storePath"] = context.store_path.u8string();
        record["roles"] = json::array();
        for (const auto& [role, entry] : bound.items())
            if (entry.value("thumbprint", "") == record.value("thumbprint", "")) record["roles"].push_back(role);
        list.push_back(std::move(record));
    }
    if (thumbprint && list.empty())
        throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotFound", "thumbprint", "No installed certificate has the thumbprint " + text::quote(*thumbprint) + ".");
    return {{"certificates", list}};
}

namespace {

const std::initializer_list<const char*> check_fields = {
    "role", "thumbprint", "previous", "topology", "poolFqdn", "sipDomain", "automaticSignIn", "signInRedirect",
    "includeMachineName", "machineFqdn", "domainName", "trustAnchorPath", "systemTrust", "peer", "peerName", "timeoutSeconds", "effectiveDate"};

std::vector<std::string> role_names(const json& input) {
    std::vector<std::string> out;
    for (auto role : request::parse_roles(input)) out.push_back(names::to_string(role));
    return out;
}

// The checks' options: the names the roles need come from the pool settings
// given, else from the profile the certificate was requested with.
binding::CheckOptions check_options(const json& input, const store::InstalledCertificate& certificate) {
    binding::CheckOptions options;
    options.now = std::time(nullptr);
    options.system_trust = json_input::bool_or(input, "systemTrust", true);
    for (const auto& path : json_input::string_list(input, "trustAnchorPath")) options.trust_anchors.push_back(fs::u8path(path));
    json names_input;
    if (input.contains("poolFqdn")) {
        for (const char* key : {"role", "topology", "poolFqdn", "sipDomain", "automaticSignIn", "signInRedirect", "includeMachineName", "machineFqdn", "domainName"})
            if (input.contains(key)) names_input[key] = input[key];
        options.names_source = "from the pool settings given";
    } else if (certificate.record.contains("profile") && certificate.record["profile"].contains("poolFqdn")) {
        for (const char* key : {"topology", "poolFqdn", "sipDomain", "automaticSignIn", "signInRedirect", "includeMachineName", "machineFqdn", "domainName"})
            if (certificate.record["profile"].contains(key)) names_input[key] = certificate.record["profile"][key];
        names_input["role"] = input.contains("role") ? input["role"] : certificate.record["profile"]["role"];
        options.names_source = "from the request this certificate was issued for";
    }
    if (!names_input.is_null())
        for (const auto& n : names::resolve(request::parse_name_inputs(names_input, platform::local_fqdn)).names) options.required_names.push_back(n.name);
    return options;
}

json checks_json(const std::vector<binding::Check>& checks) {
    json out = json::array();
    for (const auto& c : checks) out.push_back({{"check", c.name}, {"passed", c.passed}, {"detail", c.detail}});
    return out;
}

}  // namespace

json binding_set(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, check_fields);
    const auto roles = role_names(input);
    binding::BindingStore bindings(context.store_path);
    std::string thumbprint;
    if (json_input::bool_or(input, "previous", false)) {
        // Roll back: every role named must have a previous certificate, and it must be the same one.
        const json current = bindings.current()["roles"];
        for (const auto& role : roles) {
            if (!current.contains(role) || !current[role]["previous"].is_object())
                invalid("role", "NoPreviousBinding", "The " + role + " role has no previous certificate to return to.");
            const std::string prev = current[role]["previous"]["thumbprint"];
            if (!thumbprint.empty() && prev != thumbprint)
                invalid("role", "PreviousDiffers", "The roles named had different previous certificates; roll them back one at a time.");
            thumbprint = prev;
        }
    } else {
        auto given = json_input::optional_string(input, "thumbprint");
        if (!given || given->empty()) invalid("thumbprint", "RequiredField", "The thumbprint of the certificate to assign is required (or ask for the previous one).");
        thumbprint = *given;
    }
    const auto certificate = store::CertificateStore(context.store_path).load(thumbprint, "thumbprint");
    auto options = check_options(input, certificate);
    const auto effective = json_input::optional_string(input, "effectiveDate");
    if (effective) {
        // A roll-over: the certificate must pass the checks as they will stand at that time.
        if (!platform::parse_utc(*effective, options.now))
            invalid("effectiveDate", "InvalidDate", text::quote(*effective) + " is not a UTC time like 2026-12-01T02:00:00Z.");
        if (*effective <= platform::utc_now())
            invalid("effectiveDate", "EffectiveDateInPast", "The roll-over time " + *effective + " has passed; assign the certificate now instead.");
    }
    const auto checks = binding::run_checks(certificate, options);
    if (const auto* failed = binding::first_failure(checks))
        invalid("thumbprint", failed->name + "CheckFailed",
                "Not assigned: the " + failed->name + " check failed for " + certificate.record["thumbprint"].get<std::string>() + ": " + failed->detail);
    json result = effective ? bindings.schedule(roles, certificate, *effective) : bindings.assign(roles, certificate);
    result["assigned"] = roles;  // canonical names, de-duplicated
    result["checks"] = checks_json(checks);
    result["livePath"] = bindings.live_path().u8string();
    return result;
}

json binding_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"role"});
    binding::BindingStore bindings(context.store_path);
    json current = bindings.current();
    json list = json::array();
    const auto wanted = filter.contains("role") ? role_names(filter) : std::vector<std::string>();
    for (auto& [role, entry] : current["roles"].items()) {
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), role) == wanted.end()) continue;
        entry["role"] = role;
        entry["livePath"] = (bindings.live_path() / role).u8string();
        list.push_back(entry);
    }
    return {{"generation", current["generation"]}, {"bindings", list}};
}

json binding_apply(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {});
    store::CertificateStore certificates(context.store_path);
    const auto applied = binding::BindingStore(context.store_path)
                             .apply_due(platform::utc_now(), [&](const std::string& tp) { return certificates.load(tp, "thumbprint"); });
    return {{"applied", applied}};
}

json certificate_test(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, check_fields);
    std::string thumbprint = json_input::string_or(input, "thumbprint", "");
    if (thumbprint.empty()) {
        const auto roles = role_names(input);
        const json current = binding::BindingStore(context.store_path).current()["roles"];
        if (roles.size() != 1) invalid("role", "OneRoleOnly", "Test one role at a time, or give a thumbprint.");
        if (!current.contains(roles.front()))
            throw Error(OCSCERT_E_NOT_FOUND, "RoleNotBound", "role", "No certificate is assigned to the " + roles.front() + " role.");
        thumbprint = current[roles.front()]["thumbprint"];
    }
    const auto certificate = store::CertificateStore(context.store_path).load(thumbprint, "thumbprint");
    const auto options = check_options(input, certificate);
    auto checks = binding::run_checks(certificate, options);
    if (auto peer = json_input::optional_string(input, "peer")) {
        const auto colon = peer->rfind(':');
        if (colon == std::string::npos || colon == 0 || peer->find_first_not_of("0123456789", colon + 1) != std::string::npos || colon + 1 == peer->size())
            invalid("peer", "InvalidPeer", "The peer " + text::quote(*peer) + " must be host:port, e.g. fe02.contoso.com:5061.");
        binding::PeerOptions peer_options{*peer, json_input::string_or(input, "peerName", ""),
                                          std::chrono::seconds(json_input::optional_int(input, "timeoutSeconds").value_or(5))};
        context.report("Testing mutual TLS", "Connecting to " + *peer, -1);
        for (auto& check : binding::probe_peer(certificate, options, peer_options)) checks.push_back(std::move(check));
    }
    return {{"thumbprint", certificate.record["thumbprint"]}, {"checks", checks_json(checks)}};
}

json certificate_import(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"path", "password", "privateKeyExportable", "friendlyName"});
    const auto path = json_input::optional_string(input, "path");
    if (!path || path->empty()) invalid("path", "RequiredField", "The path of the PFX file is required.");
    const crypto::Secret password(json_input::string_or(input, "password", ""));
    auto pfx = certificate::read_pfx(read_input_file(*path, "path"), password.bytes(), "path", "password");
    std::vector<X509*> chain;
    for (auto& cert : pfx.chain) chain.push_back(cert.get());
    auto record = store::CertificateStore(context.store_path)
                      .install_imported(pfx.leaf.get(), chain, pfx.private_key_pem, json_input::bool_or(input, "privateKeyExportable", false),
                                        json_input::string_or(input, "friendlyName", ""));
    record["storePath"] = context.store_path.u8string();
    return record;
}

json certificate_export(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"thumbprint", "path", "password", "encoding", "force"});
    const auto thumbprint = json_input::string_or(input, "thumbprint", "");
    const auto path = json_input::string_or(input, "path", "");
    if (path.empty()) invalid("path", "RequiredField", "The path of the file to write is required.");
    const auto certificate = store::CertificateStore(context.store_path).load(thumbprint, "thumbprint");
    const bool force = json_input::bool_or(input, "force", false);
    if (auto password = json_input::optional_string(input, "password")) {
        // Only a key marked exportable ever leaves the store, and only inside a password-protected PFX.
        if (!certificate.record.value("privateKeyExportable", false))
            throw Error(OCSCERT_E_UNSUPPORTED, "KeyNotExportable", "password",
                        "The private key of " + certificate.record["thumbprint"].get<std::string>() +
                            " was not made exportable, so it cannot leave this server; export the public certificate without a password.");
        if (password->empty()) invalid("password", "RequiredField", "A PFX needs a password that is not empty.");
        const crypto::Secret secret(*password);
        const crypto::Secret key(store::read_text(certificate.folder / "key.pem"));
        std::vector<X509*> chain;
        for (const auto& cert : certificate.chain) chain.push_back(cert.get());
        write_output_file(path, certificate::write_pfx(certificate.leaf.get(), chain, key, secret.bytes(), certificate.record.value("friendlyName", "")),
                          force, "path");
        return {{"thumbprint", certificate.record["thumbprint"]}, {"path", path}, {"format", "PFX"}};
    }
    const std::string encoding = json_input::string_or(input, "encoding", "PEM");
    std::string bytes = certificate::to_pem(certificate.leaf.get());
    if (text::iequals(encoding, "DER")) {
        bytes = crypto::to_der<X509>(certificate.leaf.get(), i2d_X509, "Encoding the certificate");
    } else if (!text::iequals(encoding, "PEM")) {
        invalid("encoding", "InvalidEncoding", "Unknown encoding " + text::quote(encoding) + "; use PEM or DER.");
    }
    write_output_file(path, bytes, force, "path");
    return {{"thumbprint", certificate.record["thumbprint"]}, {"path", path}, {"format", text::ascii_upper(encoding)}};
}

json certificate_remove(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"thumbprint", "force"});
    const auto thumbprint = json_input::string_or(input, "thumbprint", "");
    binding::BindingStore bindings(context.store_path);
    store::CertificateStore(context.store_path)
        .remove(thumbprint, [&](const std::string& tp) { return bindings.references(tp); }, json_input::bool_or(input, "force", false));
    return {{"removed", text::ascii_upper(thumbprint)}};
}

}  // namespace ocscert::api
