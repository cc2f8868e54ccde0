#include "api/operations.hpp"

#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/text.hpp"
#include "platform/platform.hpp"
#include "request/csr_builder.hpp"
#include "request/profile.hpp"
#include "request/san_extension.hpp"
#include "store/request_store.hpp"

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

}  // namespace

json names_resolve(ocscert_context&, const json& input) {
    json_input::reject_unknown(input, {"role", "topology", "poolFqdn", "sipDomain", "automaticSignIn", "signInRedirect",
                                       "includeMachineName", "machineFqdn", "domainName"});
    const auto inputs = request::parse_name_inputs(input, platform::local_fqdn);
    const auto resolved = names::resolve(inputs);
    request::check_san_extension_size(resolved.names);
    return {{"commonName", resolved.common_name},
            {"names", names_json(resolved)},
            {"machineNameIncluded", resolved.machine_name_included},
            {"sanExtensionBytes", request::san_extension_size(resolved.names)}};
}

json request_new(ocscert_context& context, const json& raw_input) {
    // "validateOnly": check every input and show the names, generate and write nothing (-WhatIf).
    json input = raw_input;
    const bool validate_only = json_input::bool_or(input, "validateOnly", false);
    input.erase("validateOnly");
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

}  // namespace ocscert::api
