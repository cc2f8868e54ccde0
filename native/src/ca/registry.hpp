#pragma once
// The CA protocols this build speaks, by address scheme.
#include <functional>
#include <string>
#include <string_view>

#include "ca/ca_protocol.hpp"

namespace ocscert::ca {

// The protocol for `scheme` (case-insensitive), or nullptr.
const CaProtocol* find_protocol(std::string_view scheme);

// "<a> or <b>": each protocol's `form` joined for a message, e.g. its example address.
std::string join_protocols(const std::function<std::string(const CaProtocol&)>& form);

}  // namespace ocscert::ca
