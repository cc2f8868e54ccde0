// One ACME certificate in one process through the C interface alone (no PowerShell, no .NET): what
// the native library costs a process per certificate, which tests/bench/Measure-AcmeIssuance.ps1
// sets beside a pwsh per certificate and the other clients.
//   ocscert_bench_issue <store> <pool FQDN> <acme:URL> <CA bundle> <http-01 listener>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "ocscert/ocscert.h"

namespace {
// Runs one operation; prints its error and returns false when it fails.
template <typename Operation>
bool call(Operation operation, ocscert_context* context, const nlohmann::json& input, nlohmann::json& output) {
    char* out = nullptr;
    ocscert_error* error = nullptr;
    if (operation(&out, context, input.dump().c_str(), &error) != OCSCERT_OK) {
        std::fprintf(stderr, "%s: %s\n", ocscert_error_reason(error), ocscert_error_message(error));
        ocscert_error_free(error);
        return false;
    }
    output = nlohmann::json::parse(out);
    ocscert_string_free(out);
    return true;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s <store> <pool FQDN> <acme:URL> <CA bundle> <http-01 listener>\n", argv[0]);
        return 2;
    }
    ocscert_context* context = nullptr;
    ocscert_error* error = nullptr;
    if (ocscert_context_new(&context, nlohmann::json{{"storePath", argv[1]}}.dump().c_str(), &error) != OCSCERT_OK) {
        std::fprintf(stderr, "%s\n", ocscert_error_message(error));
        ocscert_error_free(error);
        return 1;
    }
    nlohmann::json request, issued;
    const bool ok =
        call(ocscert_request_new, context,
             {{"role", {"FrontEnd"}}, {"keyAlgorithm", "ECDSA_P256"}, {"organization", "Bench"}, {"country", "US"},
              {"state", "Washington"}, {"city", "Redmond"}, {"poolFqdn", argv[2]}}, request) &&
        call(ocscert_request_submit, context,
             {{"id", request["id"]}, {"ca", argv[3]}, {"caBundle", argv[4]}, {"httpListener", argv[5]}}, issued);
    ocscert_context_free(context);
    return ok ? 0 : 1;
}
