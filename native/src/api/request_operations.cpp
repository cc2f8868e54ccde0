// Names and pending requests: what a profile yields, making a key and request,
// listing, removing, and completing one with the CA's answer from a file.
#include <filesystem>

#include "api/input_files.hpp"
#include "api/operations.hpp"
#include "api/request_creation.hpp"
#include "api/response_install.hpp"
#include "api/stores.hpp"
#include "ca/ca_address.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "platform/platform.hpp"
#include "request/csr_builder.hpp"
#include "request/profile.hpp"
#include "request/san_extension.hpp"
#include "request/subject_rules.hpp"

namespace ocscert::api {

namespace fs = std::filesystem;

namespace {

std::vector<store::RequestName> request_names(const names::ResolvedNames& resolved) {
    std::vector<store::RequestName> out;
    for (const auto& n : resolved.names) out.push_back({n.name, n.source, n.reason});
    return out;
}

}  // namespace

store::RequestRecord create_request(ocscert_context& context, Stores& stores, const request::Profile& profile, const NewRequestOptions& options,
                                    std::vector<std::string>* warnings) {
    const auto resolved = names::resolve(profile.names);
    request::check_san_extension_size(resolved.names);
    auto generated = request::build_request(profile, resolved, context);
    context.throw_if_cancelled();  // last point at which stopping leaves nothing behind

    store::RequestRecord record;
    record.id = stores.requests.new_id();
    record.created = platform::utc_now();
    record.friendly_name = profile.friendly_name;
    record.subject = generated.subject;
    record.common_name = resolved.common_name;
    record.names = request_names(resolved);
    record.key_algorithm = request::to_string(profile.key_algorithm);
    record.key_size = profile.key_size;
    record.private_key_exportable = profile.private_key_exportable;
    record.public_key_sha256 = generated.public_key_sha256;
    record.profile = request::to_json(profile);
    record.request_pem = generated.request_pem;
    record.renewal_of = options.renewal_of;
    if (options.ca_connection) {
        record.ca = options.ca_connection->ca;
        record.ca_connection = options.ca_connection;
    }
    const fs::path& out_file = options.out_file;
    if (!out_file.empty()) {
        record.out_file = out_file.u8string();
        record.encoding = options.encoding == request::Encoding::Der ? "DER" : "PEM";
    }
    context.report("Saving the pending request", "Writing to " + stores.root.string(), 95);

    // The request file is written beside its target first and moved into place
    // only once the store holds the key: a file on disk always has its key.
    const fs::path staged_out = out_file.empty() ? fs::path() : fs::path(out_file.string() + ".ocscert-new");
    const std::string& out_bytes = options.encoding == request::Encoding::Der ? generated.request_der : generated.request_pem;
    stores.requests.add({record, &generated.private_key_pem, generated.request_pem}, [&] {
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
            stores.requests.remove(record.id);
            throw;
        }
    }
    if (warnings) warnings->insert(warnings->end(), generated.warnings.begin(), generated.warnings.end());
    return record;
}

json names_resolve(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, request::name_fields);
    const auto inputs = request::parse_name_inputs(input, platform::local_fqdn);
    const auto resolved = names::resolve(inputs);
    const std::size_t san_bytes = request::check_san_extension_size(resolved.names);
    return {{"commonName", resolved.common_name},
            {"names", request_names(resolved)},
            {"machineNameIncluded", resolved.machine_name_included},
            {"sanExtensionBytes", san_bytes},
            {"warnings", resolved.warnings}};
}

json country_list(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, {});
    json countries = json::array();
    for (const auto& country : request::iso3166_countries()) countries.push_back({{"code", country.code}, {"name", country.name}});
    return {{"countries", std::move(countries)}};
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
    const fs::path out_file = output.out_file.empty() ? fs::path() : checked_output_path(output.out_file, output.force, "outFile", context.store_path);
    if (validate_only) return {{"commonName", resolved.common_name}, {"names", request_names(resolved)}};

    NewRequestOptions options{out_file, output.encoding, "", std::nullopt};
    std::vector<std::string> warnings = resolved.warnings;
    if (profile.server_authentication_only)
        warnings.push_back("Without client authentication the pool's servers cannot use this certificate for mutual TLS: assigning it to a role "
                           "(Set-OcsCertificate) is refused. Leave out -ServerAuthenticationOnly unless the CA will add client authentication.");
    Stores stores(context);
    json out = stores.shown(create_request(context, stores, profile, options, &warnings));
    out["warnings"] = warnings;
    return out;
}

json request_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"id"});
    Stores stores(context);
    json list = json::array();
    auto warnings = missing_store_warnings(stores.root, "requests");
    if (auto id = json_input::optional_string(filter, "id")) {
        list.push_back(stores.shown(stores.requests.get(*id)));
    } else {
        std::vector<store::UnreadableEntry> unreadable;
        for (const auto& record : stores.requests.list(&unreadable)) list.push_back(stores.shown(record));
        for (const auto& entry : unreadable) warnings.push_back(unreadable_warning(entry, "request"));
    }
    return {{"requests", list}, {"warnings", warnings}};
}

json request_remove(ocscert_context& context, const json& selector) {
    json_input::reject_unknown(selector, {"id"});
    auto id = json_input::optional_string(selector, "id");
    if (!id) invalid("id", "RequiredField", "The id of the request to remove is required.");
    Stores(context).requests.remove(*id);
    return {{"removed", *id}};
}

json request_complete(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"path"});
    const auto path_text = json_input::optional_string(input, "path");
    if (!path_text || path_text->empty()) invalid("path", "RequiredField", "The path of the CA's response file is required.");
    Stores stores(context);
    return stores.shown(install_ca_response(stores, read_input_file(*path_text, "path"), "path", nullptr));
}

}  // namespace ocscert::api
