#pragma once
// The Subject Alternative Name extension, built name by name as GENERAL_NAMEs
// (never from a "DNS:a, DNS:b" string that a name with a comma could subvert).
#include <string>
#include <vector>

#include "crypto/openssl_ptr.hpp"
#include "names/san_resolver.hpp"

namespace ocscert::request {

// A Windows enterprise CA refuses requests whose SAN extension is larger than this.
constexpr std::size_t max_san_extension_bytes = 4096;

crypto::Ptr<GENERAL_NAMES> make_general_names(const std::vector<names::ResolvedName>& names);

// Size of the DER-encoded extension value (the GeneralNames sequence).
std::size_t san_extension_size(const std::vector<names::ResolvedName>& names);

// The extension's size; throws Error(SanExtensionTooLarge) when a Windows CA would refuse it.
std::size_t check_san_extension_size(const std::vector<names::ResolvedName>& names);

}  // namespace ocscert::request
