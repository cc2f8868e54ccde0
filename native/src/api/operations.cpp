#include "api/operations.hpp"

#include <algorithm>
#include <fstream>

#include "certificate/ca_response.hpp"
#include "certificate/certificate_info.hpp"
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

EVP_PKEY* check_key(X509* cert) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    if (key == nullptr) invalid("path", "InvalidResponse", "A certificate in the response has no readable public key.");
    return key;
}

// A CA may add names, but must not leave out one the request asked for.
void check_names(const json& request, X509* cert) {
    const auto issued = certificate::describe(cert)["dnsNames"];
    for (const auto& wanted : request["names"]) {
        const std::string name = wanted["name"];
        const bool present = std::any_of(issued.begin(), issued.end(), [&](const json& n) { return text::iequals(n.get<std::string>(), name); });
        if (!present)
            invalid("path", "NamesDiffer", "The certificate lacks the name " + text::quote(name) + " that request " +
                                               request["id"].get<std::string>() + " asked for; it was not installed.");
    }
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

json request_complete(ocscert_context& context, const json& input) {
    json_input::reject_unknown(input, {"path"});
    const auto path_text = json_input::optional_string(input, "path");
    if (!path_text || path_text->empty()) invalid("path", "RequiredField", "The path of the CA's response file is required.");
    const fs::path path = fs::u8path(*path_text);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) invalid("path", "InvalidPath", text::quote(*path_text) + " is not a file.");
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto certificates = certificate::parse_ca_response(bytes, "path");

    // The response belongs to the pending request whose public key one of its certificates carries.
    store::RequestStore requests(context.store_path);
    const auto pending = requests.list();
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const std::string key_hash = crypto::public_key_sha256(check_key(certificates[i].get()));
        for (const auto& request : pending) {
            if (request.value("publicKeySha256", "") != key_hash) continue;
            check_names(request, certificates[i].get());
            std::vector<X509*> chain;
            for (std::size_t k = 0; k < certificates.size(); ++k)
                if (k != i) chain.push_back(certificates[k].get());
            auto record = store::CertificateStore(context.store_path).install_from_request(request, certificates[i].get(), chain);
            record["storePath"] = context.store_path.u8string();
            return record;
        }
    }
    store::CertificateStore installed(context.store_path);
    for (const auto& cert : certificates)
        if (installed.contains(certificate::describe(cert.get())["thumbprint"]))
            throw Error(OCSCERT_E_ALREADY_EXISTS, "AlreadyInstalled", "path", "The certificate in " + text::quote(*path_text) + " is installed already.");
    throw Error(OCSCERT_E_NOT_FOUND, "NoMatchingRequest", "path",
                "The certificate for " + certificate::describe(certificates.front().get())["subject"].get<std::string>() +
                    " does not match the key of any of the " + std::to_string(pending.size()) +
                    " pending requests; it was issued for another request or another server. Nothing was installed.");
}

json certificate_list(ocscert_context& context, const json& filter) {
    json_input::reject_unknown(filter, {"thumbprint"});
    const auto thumbprint = json_input::optional_string(filter, "thumbprint");
    json list = json::array();
    for (auto& record : store::CertificateStore(context.store_path).list()) {
        if (thumbprint && !text::iequals(record.value("thumbprint", ""), *thumbprint)) continue;
        record["storePath"] = context.store_path.u8string();
        list.push_back(std::move(record));
    }
    if (thumbprint && list.empty())
        throw Error(OCSCERT_E_NOT_FOUND, "CertificateNotFound", "thumbprint", "No installed certificate has the thumbprint " + text::quote(*thumbprint) + ".");
    return {{"certificates", list}};
}

}  // namespace ocscert::api
