#pragma once
// The library's operations in C++: JSON in, JSON out, errors thrown. The C ABI
// (ocscert_c_api.cpp) only translates these to and from C.
#include <nlohmann/json.hpp>

#include "api/context.hpp"

// The one list of operations. Each entry X(name) stands for
//   - the C++ function  json ocscert::api::name(ocscert_context&, const json&)  declared below,
//   - the C function    int ocscert_name(char**, ocscert_context*, const char*, ocscert_error**)
//     that ocscert_c_api.cpp defines from it (the build fails if ocscert.h does not declare it),
//   - the name bindings pass to call it (the PowerShell module's interop looks up "ocscert_" + name).
// Adding an operation: one line here, its documented declaration in ocscert.h, its definition.
#define OCSCERT_OPERATIONS(X) \
    X(names_resolve)          \
    X(country_list)           \
    X(request_new)            \
    X(request_list)           \
    X(request_remove)         \
    X(request_complete)       \
    X(request_submit)         \
    X(request_receive)        \
    X(certificate_list)       \
    X(binding_set)            \
    X(binding_list)           \
    X(binding_apply)          \
    X(certificate_test)       \
    X(certificate_import)     \
    X(certificate_export)     \
    X(certificate_remove)     \
    X(certificate_renew)      \
    X(renewal_register)       \
    X(renewal_unregister)     \
    X(renewal_registration)   \
    X(pool_check)             \
    X(challenge_listener_open) \
    X(challenge_listener_close) \
    X(tls_responder_open)     \
    X(tls_responder_close)

namespace ocscert::api {

using nlohmann::json;

#define OCSCERT_DECLARE_OPERATION(name) json name(ocscert_context& context, const json& input);
OCSCERT_OPERATIONS(OCSCERT_DECLARE_OPERATION)
#undef OCSCERT_DECLARE_OPERATION

}  // namespace ocscert::api
