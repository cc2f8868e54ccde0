// The C ABI: every exported function is noexcept and runs its body through
// translate_exceptions, so no C++ exception ever crosses the boundary.
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include "api/context.hpp"
#include "api/operations.hpp"
#include "api/stores.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "platform/platform.hpp"

struct ocscert_error {
    int code;
    std::string reason;
    std::string field;
    std::string message;
};

namespace {

using ocscert::Error;

void set_error(ocscert_error** out, int code, std::string reason, std::string field, std::string message) noexcept {
    if (out == nullptr) return;
    try {
        *out = new ocscert_error{code, std::move(reason), std::move(field), std::move(message)};
    } catch (...) {
        *out = nullptr;  // out of memory: the status code still tells the caller
    }
}

// Runs `body`, turning every exception into a status code and an error object.
template <typename F> int translate_exceptions(ocscert_error** error, F&& body) noexcept {
    if (error) *error = nullptr;
    try {
        body();
        return OCSCERT_OK;
    } catch (const Error& e) {
        set_error(error, e.code(), e.reason(), e.field(), e.what());
        return e.code();
    } catch (const nlohmann::json::exception& e) {
        set_error(error, OCSCERT_E_INTERNAL, "InternalError", "", std::string("Unexpected JSON failure: ") + e.what());
    } catch (const std::bad_alloc&) {
        set_error(error, OCSCERT_E_INTERNAL, "OutOfMemory", "", "Out of memory.");
    } catch (const std::exception& e) {
        set_error(error, OCSCERT_E_INTERNAL, "InternalError", "", e.what());
    } catch (...) {
        set_error(error, OCSCERT_E_INTERNAL, "InternalError", "", "Unknown failure.");
    }
    return OCSCERT_E_INTERNAL;
}

char* copy_out(const std::string& text) {
    char* out = static_cast<char*>(std::malloc(text.size() + 1));
    if (!out) throw std::bad_alloc();
    std::memcpy(out, text.c_str(), text.size() + 1);
    return out;
}

using Operation = nlohmann::json (*)(ocscert_context&, const nlohmann::json&);
// What every operation looks like at the C ABI.
using COperation = int (*)(char**, ocscert_context*, const char*, ocscert_error**);

int run(Operation op, char** out_json, ocscert_context* context, const char* input_json, ocscert_error** error) noexcept {
    return translate_exceptions(error, [&] {
        if (out_json == nullptr || context == nullptr)
            throw Error(OCSCERT_E_INVALID_ARGUMENT, "NullArgument", "", "out_json and context must not be NULL.");
        *out_json = nullptr;
        // Before the operation, and on each call: the path may have become a file since the context was made.
        ocscert::api::check_store_path(context->store_path);
        const auto input = ocscert::json_input::parse_object(input_json, "input");
        *out_json = copy_out(op(*context, input).dump());
    });
}

}  // namespace

void ocscert_context::report(std::string_view activity, std::string_view status, int percent) {
    if (progress_callback == nullptr) return;
    const auto message = nlohmann::json{{"activity", activity}, {"status", status}, {"percent", percent}}.dump();
    progress_callback(progress_user_data, message.c_str());
}

extern "C" {

const char* ocscert_version(void) { return OCSCERT_VERSION; }

int ocscert_error_code(const ocscert_error* error) { return error ? error->code : OCSCERT_OK; }
const char* ocscert_error_reason(const ocscert_error* error) { return error ? error->reason.c_str() : ""; }
const char* ocscert_error_field(const ocscert_error* error) { return error ? error->field.c_str() : ""; }
const char* ocscert_error_message(const ocscert_error* error) { return error ? error->message.c_str() : ""; }
void ocscert_error_free(ocscert_error* error) { delete error; }
void ocscert_string_free(char* text) { std::free(text); }

int ocscert_context_new(ocscert_context** out, const char* options_json, ocscert_error** error) {
    return translate_exceptions(error, [&] {
        if (out == nullptr) throw Error(OCSCERT_E_INVALID_ARGUMENT, "NullArgument", "", "out must not be NULL.");
        *out = nullptr;
        namespace ji = ocscert::json_input;
        const auto options = ji::parse_object(options_json, "context options");
        ji::reject_unknown(options, {"storePath"});
        auto context = std::make_unique<ocscert_context>();
        if (auto path = ji::optional_string(options, "storePath"); path && !path->empty())
            context->store_path = std::filesystem::u8path(*path);
        else if (const char* env = std::getenv("OCSCERT_STORE"); env && *env)
            context->store_path = std::filesystem::u8path(env);
        else
            context->store_path = ocscert::platform::default_store_path();
        if (!context->store_path.is_absolute())
            throw Error(OCSCERT_E_INVALID_ARGUMENT, "InvalidPath", "storePath", "The store path must be absolute: '" + context->store_path.string() + "'.");
        *out = context.release();
    });
}

void ocscert_context_free(ocscert_context* context) { delete context; }

void ocscert_context_set_progress(ocscert_context* context, ocscert_progress_fn callback, void* user_data) {
    if (!context) return;
    context->progress_callback = callback;
    context->progress_user_data = user_data;
}

void ocscert_context_cancel(ocscert_context* context) {
    if (context) context->cancel_requested = true;
}

void ocscert_context_reset_cancel(ocscert_context* context) {
    if (context) context->cancel_requested = false;
}

// Every operation of the table (operations.hpp) as its exported C function.
// The static_assert does not compile unless ocscert.h declares the function with
// the operation signature; that declaration also gives it OCSCERT_API visibility.
#define OCSCERT_DEFINE_C_OPERATION(name)                                                                              \
    static_assert(std::is_same_v<decltype(&ocscert_##name), COperation>, "ocscert.h declares ocscert_" #name);         \
    int ocscert_##name(char** out_json, ocscert_context* context, const char* input_json, ocscert_error** error) {     \
        return run(ocscert::api::name, out_json, context, input_json, error);                                         \
    }
OCSCERT_OPERATIONS(OCSCERT_DEFINE_C_OPERATION)
#undef OCSCERT_DEFINE_C_OPERATION

}  // extern "C"
