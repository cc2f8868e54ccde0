// The C interface's JSON input, through the exported functions as the module calls them: the first
// byte picks the entry point, the rest is the JSON text. Only operations that read inputs and a
// scratch store are driven (no keys, no CA, no network). An input may be refused with any status
// but OCSCERT_E_INTERNAL, which means an input went unchecked.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdlib.h>  // mkdtemp
#include <filesystem>
#include <iterator>
#include <system_error>
#include <string>

#include "ocscert/ocscert.h"

namespace {

using COperation = int (*)(char**, ocscert_context*, const char*, ocscert_error**);

const COperation operations[] = {ocscert_names_resolve, ocscert_pool_check, ocscert_request_list, ocscert_certificate_list,
                                 ocscert_binding_list};

ocscert_context* context = nullptr;

void check(int status, ocscert_error* error) {
    if (status == OCSCERT_E_INTERNAL) {
        std::fprintf(stderr, "Fuzz check failed: an input reached an internal error: %s: %s\n", ocscert_error_reason(error),
                     ocscert_error_message(error));
        std::abort();
    }
    if ((status == OCSCERT_OK) != (error == nullptr)) {
        std::fprintf(stderr, "Fuzz check failed: status %d with%s an error object\n", status, error ? "" : "out");
        std::abort();
    }
    ocscert_error_free(error);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // A store of its own under the temp folder, removed when the run ends.
    static const std::filesystem::path store = [] {
        std::string pattern = (std::filesystem::temp_directory_path() / "ocscert-fuzz-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) std::abort();
        return std::filesystem::path(pattern);
    }();
    std::atexit([] {
        ocscert_context_free(context);
        std::error_code ec;
        std::filesystem::remove_all(store, ec);
    });
    const std::string options = "{\"storePath\": \"" + store.generic_string() + "\"}";
    ocscert_error* error = nullptr;
    if (ocscert_context_new(&context, options.c_str(), &error) != OCSCERT_OK) std::abort();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string json(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::size_t pick = data[0] % (std::size(operations) + 1);
    ocscert_error* error = nullptr;
    if (pick == std::size(operations)) {
        // The context's own options.
        ocscert_context* other = nullptr;
        check(ocscert_context_new(&other, json.c_str(), &error), error);
        ocscert_context_free(other);
        return 0;
    }
    char* out = nullptr;
    const int status = operations[pick](&out, context, json.c_str(), &error);
    if ((status == OCSCERT_OK) != (out != nullptr)) std::abort();
    ocscert_string_free(out);
    check(status, error);
    return 0;
}
