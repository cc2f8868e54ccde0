#pragma once
// The library's operations in C++: JSON in, JSON out, errors thrown. The C ABI
// (ocscert_c_api.cpp) only translates these to and from C.
#include <nlohmann/json.hpp>

#include "api/context.hpp"

namespace ocscert::api {

using nlohmann::json;

json names_resolve(ocscert_context& context, const json& profile);
json request_new(ocscert_context& context, const json& profile);
json request_list(ocscert_context& context, const json& filter);
json request_remove(ocscert_context& context, const json& selector);
json request_complete(ocscert_context& context, const json& response);
json request_submit(ocscert_context& context, const json& input);   // ca_operations.cpp
json request_receive(ocscert_context& context, const json& input);  // ca_operations.cpp
json certificate_list(ocscert_context& context, const json& filter);
json binding_set(ocscert_context& context, const json& input);
json binding_list(ocscert_context& context, const json& filter);
json binding_apply(ocscert_context& context, const json& input);
json certificate_test(ocscert_context& context, const json& input);
json certificate_import(ocscert_context& context, const json& input);
json certificate_export(ocscert_context& context, const json& input);
json certificate_remove(ocscert_context& context, const json& input);
// The scheduled renewal job (renewal_schedule_operations.cpp).
json renewal_register(ocscert_context& context, const json& input);
json renewal_unregister(ocscert_context& context, const json& input);
json renewal_registration(ocscert_context& context, const json& input);

}  // namespace ocscert::api
