#pragma once
// Validation and normalisation of the DNS names a certificate may carry.
#include <string>
#include <string_view>

namespace ocscert::names {

// Returns `value` as a certificate should carry it: lower case, no trailing
// dot, internationalised labels as A-labels. Throws an Error naming `field`
// if it is not a fully qualified RFC 1123 host name: wildcards, empty labels,
// characters other than letters, digits and hyphens, labels over 63 or names
// over 253 characters, single-label names and IP addresses are refused.
std::string normalize_dns_name(std::string_view value, const std::string& field);

}  // namespace ocscert::names
